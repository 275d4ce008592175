"""The commands that are not about subscriptions, history or the digest: /start, /help,
/privacy, /summary, /language, /export, /delete_my_data."""

from __future__ import annotations

import dataclasses
import html
import json
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update
from telegram.ext import ContextTypes

from bot.commands import help_lines
from bot.i18n import LANGUAGES, catalogue, plain, tr
from handlers.history import recent_briefs, recent_overview
from handlers.intake import brief_post
from handlers.replies import argument_text, message_of, reply
from handlers.services import services
from handlers.users import ensure_user, language_of
from sources.model import Post
from storage.base import RetentionPolicy


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: what the bot does, with an example."""
    svc = services(context)
    settings = await ensure_user(svc, update)
    await reply(update, context, tr(settings.language, "start.text"))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: how to use the bot and every command."""
    lang = await language_of(services(context), update.effective_user)
    lines = [html.escape(line, quote=False) for line in help_lines(lang)]
    text = tr(lang, "help.intro") + "\n" + "\n".join(lines) + "\n" + tr(lang, "help.examples")
    await reply(update, context, text)


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/privacy: what is stored and for how long."""
    lang = await language_of(services(context), update.effective_user)
    policy = RetentionPolicy()
    text = tr(lang, "privacy.text", max_items=policy.max_items, max_days=policy.max_age_days)
    await reply(update, context, text)


async def private_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A personal command sent in a group: point to the private chat."""
    lang = await language_of(services(context), update.effective_user)
    await reply(update, context, tr(lang, "private.only", bot=context.bot.username or "bot"))


async def summary(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/summary: brief the replied-to message, or the text or link given, or the last 24 h."""
    svc = services(context)
    message = message_of(update)
    lang = await language_of(svc, update.effective_user)
    target = message.reply_to_message
    if target is not None:
        post = svc.parse_message(target)
        if not post.text.strip() and not post.links:
            await reply(update, context, tr(lang, "summary.reply_empty"))
            return
        await brief_post(update, context, post)
        return
    rest = argument_text(message)
    if rest.strip():
        links = tuple(
            entity.url if entity.type == MessageEntity.TEXT_LINK and entity.url else text
            for entity, text in message.parse_entities(
                [MessageEntity.URL, MessageEntity.TEXT_LINK]
            ).items()
        )
        await brief_post(update, context, Post(text=rest, links=links))
        return
    chat = update.effective_chat
    if chat is not None and chat.type != "private":
        await private_only(update, context)
        return
    user = update.effective_user
    briefs = await recent_briefs(svc, user.id) if user else []
    if not briefs:
        await reply(update, context, tr(lang, "summary.none"))
        return
    await reply(
        update,
        context,
        recent_overview(lang, briefs, tr(lang, "summary.header", count=len(briefs))),
    )


# --- /language, /export, /delete_my_data ----------------------------------------------------


def language_keyboard(current: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            ("• " if code == current else "") + catalogue(code)["language.name"],
            callback_data=f"l:{code}",
        )
        for code in LANGUAGES
    ]
    return InlineKeyboardMarkup([buttons[:3], buttons[3:]])


async def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/language: choose the interface language."""
    lang = await language_of(services(context), update.effective_user)
    await reply(update, context, tr(lang, "language.choose"), language_keyboard(lang))


def export_json(data: Any) -> bytes:
    """The user's data as indented JSON (dates as ISO 8601)."""

    def default(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if isinstance(value, tuple | set | frozenset):
            return list(value)
        raise TypeError(f"cannot export {type(value).__name__}")

    return json.dumps(data, default=default, ensure_ascii=False, indent=2).encode("utf-8")


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export: everything stored about the user, as a JSON document."""
    svc = services(context)
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    lang = await language_of(svc, user)
    data = await svc.store.export_user(user.id)
    await context.bot.send_document(
        chat.id,
        document=export_json(data),
        filename=f"briefbot-{user.id}.json",
        caption=plain(lang, "export.caption"),
        parse_mode=None,
    )


async def delete_my_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/delete_my_data: asks to confirm with a button."""
    lang = await language_of(services(context), update.effective_user)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(plain(lang, "btn.delete_yes"), callback_data="d:yes"),
                InlineKeyboardButton(plain(lang, "btn.cancel"), callback_data="d:no"),
            ]
        ]
    )
    await reply(update, context, tr(lang, "delete.confirm"), keyboard)
