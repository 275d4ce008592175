"""The one global error handler: log first (never the message text, a URL or the token),
then tell the user plainly, if there is a user to tell."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from telegram import Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import ContextTypes

from bot.i18n import tr
from handlers.delivery import ChatGone
from handlers.services import SERVICES_KEY, Services
from handlers.users import language_of, mark_inactive

log = logging.getLogger(__name__)


def safe_trace(error: BaseException) -> str:
    """The exception's type and where it was raised, frame by frame, without its message: an
    exception's message may quote the text or the link that caused it."""
    frames = traceback.extract_tb(error.__traceback__)
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(error).__name__} at {where or 'unknown place'}"


def describe(update: object) -> str:
    """What the update was, without its content: safe to log at any level."""
    if not isinstance(update, Update):
        return "no update"
    kind = (
        "callback" if update.callback_query else "message" if update.effective_message else "other"
    )
    return f"update {update.update_id} ({kind})"


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure, mark blocked users inactive, answer the user when we can."""
    error = context.error
    svc = context.application.bot_data.get(SERVICES_KEY)
    user = update.effective_user if isinstance(update, Update) else None
    # BadRequest is a NetworkError: the specific cases come first.
    if isinstance(error, Forbidden | ChatGone):
        log.info("%s: the user blocked the bot; marking them inactive", describe(update))
        if isinstance(svc, Services) and user is not None:
            await mark_inactive(svc, user.id)
        return
    if isinstance(error, ChatMigrated):
        log.warning("%s: the group became a supergroup %s", describe(update), error.new_chat_id)
        return
    if isinstance(error, RetryAfter):
        log.warning("%s: flood limit not absorbed by a retry", describe(update))
    elif isinstance(error, BadRequest):
        log.error("%s: Telegram refused a request: %s", describe(update), error.message)
    elif isinstance(error, NetworkError):
        log.warning(
            "%s: network error talking to Telegram: %s", describe(update), type(error).__name__
        )
        return
    else:
        log.error("%s: unhandled %s", describe(update), safe_trace(error) if error else "error")
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    lang = await language_of(svc, user) if isinstance(svc, Services) else "en"
    try:
        await context.bot.send_message(update.effective_chat.id, tr(lang, "err.internal"))
    except Exception as exc:  # the error handler itself must never raise
        log.warning("%s: could not tell the user: %s", describe(update), type(exc).__name__)
