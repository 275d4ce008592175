"""The buttons. callback_data is `<action>:<argument>` (at most 64 bytes): briefs are referenced
by their history id, and every lookup goes through the pressing user's own records, so one user's
button can never reach another user's data.
"""

from __future__ import annotations

import dataclasses
from typing import Final

from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.i18n import LANGUAGES, plain, tr
from briefing import Brief
from handlers.commands import language_keyboard
from handlers.delivery import send_html
from handlers.following import follow, subscriptions_view
from handlers.history import history_view
from handlers.intake import brief_keyboard
from handlers.render import render_brief, render_statements, to_plain, topic_of
from handlers.services import Services, services
from handlers.users import change_user, ensure_user, language_of
from storage.base import HistoryItem

# How many history items are read at a time when looking one up by id.
LOOKUP_PAGE: Final = 100


async def find_history(svc: Services, user_id: int, item_id: str) -> HistoryItem | None:
    """One of the user's history items by id (None when it was deleted or never theirs)."""
    total = await svc.store.history_count(user_id)
    for offset in range(0, total, LOOKUP_PAGE):
        for item in await svc.store.history_page(user_id, offset, LOOKUP_PAGE):
            if item.id == item_id:
                return item
    return None


async def _edit(query: CallbackQuery, text: str, markup: object = None) -> None:
    """Replace the message the button sits under; unchanged content is not an error."""
    try:
        await query.edit_message_text(text, reply_markup=markup)  # type: ignore[arg-type]
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every inline button: follow, statements, source, open, history page, remove, language,
    delete."""
    query = update.callback_query
    user = update.effective_user
    chat = update.effective_chat
    if query is None or user is None:
        return
    svc = services(context)
    lang = await language_of(svc, user)
    action, _, argument = (query.data or "").partition(":")
    answer: str | None = None

    if action in ("f", "a", "s", "o"):
        item = await find_history(svc, user.id, argument)
        if item is None:
            await query.answer(plain(lang, "gone"), show_alert=True)
            return
        result = Brief.from_json(item.brief)
        if action == "f":
            topic = topic_of(result)
            if topic is None:
                answer = plain(lang, "follow.nothing")
            else:
                settings = await ensure_user(svc, update)
                text = await follow(svc, settings, "topic", topic)
                answer = to_plain(text)
        elif action == "a" and chat is not None:
            await send_html(context.bot, chat.id, render_statements(result, lang))
        elif action == "s":
            answer = plain(lang, "source.none")
        elif action == "o" and chat is not None:
            await send_html(
                context.bot,
                chat.id,
                render_brief(result, lang),
                reply_markup=brief_keyboard(lang, item.id, result),
            )
    elif action == "h":
        offset = int(argument) if argument.isdigit() else 0
        await _edit(query, *await history_view(svc, user.id, lang, offset))
    elif action == "u":
        removed = await svc.store.remove_subscription(user.id, argument)
        if not removed:
            answer = plain(lang, "unsubscribe.gone")
        subs = await svc.store.list_subscriptions(user.id)
        await _edit(query, *subscriptions_view(lang, subs))
    elif action == "l" and argument in LANGUAGES:
        await change_user(svc, update, lambda s: dataclasses.replace(s, language=argument))
        await _edit(query, tr(argument, "language.set"), language_keyboard(argument))
    elif action == "d":
        if argument == "yes":
            report = await svc.store.delete_user(user.id)
            if report.total == 0:
                await _edit(query, tr(lang, "delete.nothing"))
            else:
                await _edit(
                    query,
                    tr(
                        lang,
                        "delete.done",
                        settings=report.settings,
                        subscriptions=report.subscriptions,
                        history=report.history,
                        digests=report.digests,
                    ),
                )
        else:
            await _edit(query, tr(lang, "delete.cancelled"))
    await query.answer(answer)
