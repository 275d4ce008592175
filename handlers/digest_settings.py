"""/digest: show and change the daily digest's settings; /digest now.

The command's grammar, its effect on the settings and its replies belong to the digest package
(`parse_digest_command`, `apply_action`, `reply_for`); this handler only wires them to Telegram.
"""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import ContextTypes

from bot.i18n import tr
from digest import (
    Invalid,
    SendNow,
    ShowSettings,
    apply_action,
    parse_digest_command,
    reply_for,
)
from digest.schedule import zone
from handlers.history import recent_briefs, recent_overview
from handlers.replies import argument_text, message_of, reply
from handlers.services import services
from handlers.users import change_user, ensure_user
from storage.base import UserSettings


async def digest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/digest: show the settings; HH:MM [Area/City], on, off, silent, now change them."""
    svc = services(context)
    action = parse_digest_command(argument_text(message_of(update)))
    if isinstance(action, SendNow):
        await send_digest_now(update, context, await ensure_user(svc, update))
        return
    if isinstance(action, ShowSettings | Invalid):
        settings = await ensure_user(svc, update)
    else:
        settings = await change_user(svc, update, lambda s: apply_action(s, action))
        if svc.digest is not None:
            await svc.digest.settings_changed(settings.user_id)
    # reply_for gives plain text; the reply is HTML, so it is escaped here.
    await reply(update, context, html.escape(reply_for(action, settings, svc.default_tz), False))


async def send_digest_now(
    update: Update, context: ContextTypes.DEFAULT_TYPE, settings: UserSettings
) -> None:
    """/digest now: the digest at once (issue 7's composer when wired, else the last 24 h
    of the user's own briefs, grouped by dispute)."""
    svc = services(context)
    lang = settings.language
    if svc.digest is not None:
        # The service sends the digest itself (saying so when nothing matched).
        await svc.digest.send_now(settings.user_id)
        return
    briefs = await recent_briefs(svc, settings.user_id)
    if not briefs:
        await reply(update, context, tr(lang, "digest.empty"))
        return
    local = svc.clock().astimezone(zone(settings.timezone, svc.default_tz))
    header = tr(lang, "digest.header", date=f"{local:%Y-%m-%d}")
    await reply(update, context, recent_overview(lang, briefs, header))
