"""Forwards, links and pasted articles: the bot's main gesture.

The user sees "typing" at once; when the brief takes longer than `PLACEHOLDER_DELAY_S`, a
"Reading the article…" message that is then edited into the brief. Albums arrive as several
messages sharing a `media_group_id`: they are gathered for `ALBUM_WAIT_S` and briefed once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
from collections.abc import Awaitable
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.i18n import plain, tr, why
from briefing import Brief, BriefError, Source
from handlers.delivery import ChatGone, send_html
from handlers.errors import safe_trace
from handlers.render import render_brief, safe_url
from handlers.services import Services, services
from handlers.users import ensure_user, language_of, mark_inactive
from sources.model import FetchError, Post
from storage.base import Article, HistoryItem

log = logging.getLogger(__name__)

# Telegram's limit on callback_data: bytes.
CALLBACK_DATA_LIMIT: Final = 64
# A brief's own text is not kept in history or the pool (it can be 200k characters): the
# summary, statements and dispute are what lists, buttons and digests use: characters kept.
STORED_TEXT_CHARS: Final = 0

# Engine error codes with their own message; any other code shows the engine's own message.
_BRIEF_ERROR_KEYS: Final = {
    "too_short": "err.too_short",
    "empty": "err.nothing",
    "not_text": "err.nothing",
    "bare_url": "err.nothing",
    "no_language": "err.no_language",
    "unsupported_language": "err.language",
}


def brief_keyboard(lang: str, item_id: str, result: Brief) -> InlineKeyboardMarkup:
    """Follow this dispute / All statements / Source, referencing the history item by id."""
    rows = [
        [
            InlineKeyboardButton(plain(lang, "btn.follow"), callback_data=f"f:{item_id}"),
            InlineKeyboardButton(plain(lang, "btn.statements"), callback_data=f"a:{item_id}"),
        ]
    ]
    url = safe_url(result.source.url) or safe_url(result.source.channel_url)
    if url:
        rows.append([InlineKeyboardButton(plain(lang, "btn.source"), url=url)])
    else:
        rows.append([InlineKeyboardButton(plain(lang, "btn.source"), callback_data=f"s:{item_id}")])
    for row in rows:
        for button in row:
            data = button.callback_data
            if isinstance(data, str) and len(data.encode()) > CALLBACK_DATA_LIMIT:
                raise ValueError("a history id too long for callback_data")
    return InlineKeyboardMarkup(rows)


def error_text(lang: str, exc: Exception, *, fetch_key: str = "err.fetch") -> str:
    """A plain answer for a brief that failed (`fetch_key`: "err.file" for a sent file)."""
    if isinstance(exc, FetchError):
        return tr(lang, fetch_key, reason=why(lang, str(exc), exc.reason, exc.params))
    if isinstance(exc, BriefError):
        key = _BRIEF_ERROR_KEYS.get(exc.code)
        return tr(lang, key) if key else tr(lang, "err.bad_input", reason=str(exc))
    return tr(lang, "err.internal")


def stored(result: Brief) -> dict[str, object]:
    """The brief as history and the pool keep it: without the article's whole text."""
    data = result.to_json()
    data["text"] = str(data.get("text") or "")[:STORED_TEXT_CHARS]
    return data


def is_public(source: Source) -> bool:
    """Only what anyone could read goes to the shared pool: pages behind a link and posts of
    public channels; never a pasted text or a forward from a person or a private chat."""
    channel_url = source.channel_url or ""
    return bool(source.url) or (
        channel_url.startswith("https://t.me/") and not channel_url.startswith("https://t.me/c/")
    )


def article_of(result: Brief, svc: Services) -> Article:
    """The pool record of a brief: keyed by its URL (or its channel post's link)."""
    key = result.source.url or result.source.channel_url or ""
    text = " ".join(result.text.split()).casefold()
    return Article(
        id=hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:24],
        created_at=svc.clock(),
        brief=stored(result),
        url=result.source.url,
        fingerprint=hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:24],
    )


async def _pool(svc: Services, result: Brief, article: Article) -> None:
    """Keep a public article once in the shared pool (issue 7's pool when wired: it dedupes
    near-identical texts; else the store's, by URL)."""
    try:
        if svc.pool is not None:
            await svc.pool.add(result, url=result.source.url or result.source.channel_url)
        else:
            await svc.store.put_article(article)
    except Exception as exc:
        log.error("could not add an article to the pool: %s", safe_trace(exc))


async def _answer(
    update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, placeholder: Message | None
) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    await send_html(
        context.bot,
        chat.id,
        text,
        edit_message_id=placeholder.message_id if placeholder else None,
    )


async def _typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    try:
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError as exc:
        # Only a courtesy: the brief itself still goes out (or fails with a clearer error).
        log.debug("typing action failed: %s", type(exc).__name__)


async def deliver(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    job: Awaitable[Brief],
    *,
    channel: Source | None = None,
    fetch_key: str = "err.fetch",
) -> None:
    """Show progress, wait for the brief, keep it in history and send it with its buttons."""
    svc = services(context)
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None:
        return
    task = asyncio.ensure_future(job)
    # One store round trip for the whole brief: the settings (created on first use) give the
    # interface language and the history's owner.
    settings = await ensure_user(svc, update)
    lang = settings.language
    placeholder: Message | None = None
    try:
        await _typing(context, chat.id)
        done, _ = await asyncio.wait({task}, timeout=svc.placeholder_delay_s)
        if not done:
            sent = await send_html(context.bot, chat.id, tr(lang, "reading"))
            placeholder = sent[0] if sent else None
        try:
            result = await task
        except (BriefError, FetchError) as exc:
            log.info("brief refused: %s", getattr(exc, "code", type(exc).__name__))
            await _answer(update, context, error_text(lang, exc, fetch_key=fetch_key), placeholder)
            return
        if channel is not None and (channel.channel or channel.channel_url):
            result = dataclasses.replace(
                result,
                source=dataclasses.replace(
                    result.source, channel=channel.channel, channel_url=channel.channel_url
                ),
            )
        article = article_of(result, svc) if is_public(result.source) else None
        item = await svc.store.add_history(
            settings.user_id,
            HistoryItem(
                created_at=svc.clock(),
                brief=stored(result),
                article_id=article.id if article else None,
            ),
        )
        await send_html(
            context.bot,
            chat.id,
            render_brief(result, lang),
            reply_markup=brief_keyboard(lang, item.id, result),
            edit_message_id=placeholder.message_id if placeholder else None,
        )
        if article is not None:
            # The shared pool feeds other users' digests, not this answer: written after it.
            context.application.create_task(_pool(svc, result, article), update=update)
    except ChatGone:
        task.cancel()
        await mark_inactive(svc, user.id)
    except Exception as exc:
        task.cancel()
        # Logged without the text or the link; the user gets a plain answer, not silence.
        log.error("brief failed for update %s: %s", update.update_id, safe_trace(exc))
        try:
            await _answer(update, context, tr(lang, "err.internal"), placeholder)
        except ChatGone:
            await mark_inactive(svc, user.id)
        except TelegramError as send_error:
            log.warning("could not tell the user: %s", type(send_error).__name__)


def start_brief(svc: Services, post: Post) -> tuple[Awaitable[Brief], Source]:
    """The work for one post: fetch its link, or brief its own text."""
    channel = Source(channel=post.source_name, channel_url=post.source_url)
    target = svc.choose_target(post)
    if target is not None:
        return svc.link_briefer(target, fallback_text=post.text or None), channel
    return svc.brief_text(post.text, source=channel, pooled=is_public(channel)), channel


async def brief_post(update: Update, context: ContextTypes.DEFAULT_TYPE, post: Post) -> None:
    """Brief a post (one message or a whole album), or say what to send instead."""
    svc = services(context)
    if not post.text.strip() and svc.choose_target(post) is None:
        lang = await language_of(svc, update.effective_user)
        await _answer(update, context, tr(lang, "err.nothing"), None)
        return
    job, channel = start_brief(svc, post)
    await deliver(update, context, job, channel=channel)


async def _flush_album(update: Update, context: ContextTypes.DEFAULT_TYPE, key: str) -> None:
    svc = services(context)
    await asyncio.sleep(svc.album_wait_s)
    posts = svc.albums.pop(key, [])
    if posts:
        await brief_post(update, context, svc.merge_album(posts))


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A forward, a link or a pasted article: brief it (albums once, when complete)."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    svc = services(context)
    post = svc.parse_message(message)
    if post.media_group_id is None:
        await brief_post(update, context, post)
        return
    key = f"{chat.id}:{post.media_group_id}"
    if key in svc.albums:
        svc.albums[key].append(post)
        return
    svc.albums[key] = [post]
    # The first message of an album waits for the others in the background, so the updates
    # carrying them are not held up behind it.
    context.application.create_task(_flush_album(update, context, key), update=update)
