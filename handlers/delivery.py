"""Sending to Telegram the way its errors demand.

- RetryAfter (flood limit): wait as long as Telegram says, then send the same message again.
- BadRequest "can't parse entities": our markup was refused: send the same text as plain text.
- Editing a placeholder that is gone (deleted by the user): send a new message instead.
- Forbidden (the user blocked the bot): `ChatGone` is raised; the caller marks the user inactive.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Final, TypeVar

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from handlers.render import to_plain
from handlers.split import split_html

log = logging.getLogger(__name__)

# How many times one message is retried after flood-limit answers.
MAX_FLOOD_RETRIES: Final = 5
# The longest flood-limit wait we honour before giving up on this message: seconds.
MAX_FLOOD_WAIT_S: Final = 120.0

T = TypeVar("T")

# How we wait out a flood limit (tests replace it to record the waits instead of sleeping).
flood_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


class ChatGone(Exception):
    """The chat cannot receive messages any more (the user blocked the bot, left the group)."""


def _is_markup_error(exc: BadRequest) -> bool:
    return "can't parse entities" in exc.message.lower() or "unsupported start tag" in (
        exc.message.lower()
    )


def _retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 warns that this will become a timedelta; both forms are handled here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def with_flood_retry(call: Callable[[], Awaitable[T]]) -> T:
    """Run one Bot API call, waiting out flood limits; Forbidden becomes ChatGone."""
    for attempt in range(MAX_FLOOD_RETRIES + 1):
        try:
            return await call()
        except RetryAfter as exc:
            wait = _retry_seconds(exc)
            if attempt == MAX_FLOOD_RETRIES or wait > MAX_FLOOD_WAIT_S:
                raise
            log.warning("Flood limit: waiting %.1f s (attempt %d)", wait, attempt + 1)
            await flood_sleep(wait)
        except Forbidden as exc:
            raise ChatGone(exc.message) from exc
    raise AssertionError("unreachable")  # pragma: no cover


async def _send_one(
    bot: Bot,
    chat_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None,
    edit_message_id: int | None,
    silent: bool,
) -> Message | None:
    async def send(markup: str, parse_mode: str | None) -> Message | None:
        if edit_message_id is not None:
            try:
                edited = await with_flood_retry(
                    lambda: bot.edit_message_text(
                        markup,
                        chat_id=chat_id,
                        message_id=edit_message_id,
                        parse_mode=parse_mode,
                        reply_markup=reply_markup,
                    )
                )
                if isinstance(edited, Message):
                    return edited
            except BadRequest as exc:
                lowered = exc.message.lower()
                if _is_markup_error(exc):
                    raise
                if "not modified" in lowered:
                    return None  # the message already says exactly this
                # The placeholder is gone or can no longer be edited: send a new message.
                log.info("Placeholder not editable (%s): sending a new message", exc.message)
        return await with_flood_retry(
            lambda: bot.send_message(
                chat_id,
                markup,
                parse_mode=parse_mode,
                reply_markup=reply_markup,
                disable_notification=silent,
            )
        )

    try:
        return await send(text, ParseMode.HTML)
    except BadRequest as exc:
        if not _is_markup_error(exc):
            raise
        log.warning("Telegram refused our HTML (%s): resending as plain text", exc.message)
        return await send(to_plain(text), None)


async def send_html(
    bot: Bot,
    chat_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    edit_message_id: int | None = None,
    silent: bool = False,
) -> list[Message]:
    """Send HTML split under the message limit; the first part replaces the message
    `edit_message_id` when given; the buttons go under the last part."""
    chunks = [chunk.strip() for chunk in split_html(text)]
    chunks = [chunk for chunk in chunks if chunk] or ["…"]
    sent: list[Message] = []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        message = await _send_one(
            bot,
            chat_id,
            chunk,
            reply_markup=reply_markup if last else None,
            edit_message_id=edit_message_id if index == 0 else None,
            silent=silent,
        )
        if message is not None:
            sent.append(message)
    return sent
