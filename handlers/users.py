"""Who is talking to the bot: their settings, their interface language, their activity."""

from __future__ import annotations

import dataclasses

from telegram import Update
from telegram import User as TgUser

from bot.i18n import pick_language
from handlers.services import Services
from storage.base import UserSettings


async def language_of(svc: Services, user: TgUser | None) -> str:
    """The user's interface language: their choice, else their Telegram language, else English.
    Reading it never creates a record (so /delete_my_data leaves nothing behind)."""
    if user is None:
        return pick_language(None)
    settings = await svc.store.get_user(user.id)
    if settings is not None:
        return settings.language
    return pick_language(user.language_code)


async def ensure_user(svc: Services, update: Update) -> UserSettings:
    """The user's settings, created on first use; a user who had blocked the bot and writes
    again is active again."""
    user = update.effective_user
    if user is None:
        raise ValueError("an update without a user has no settings")
    # Digests go to the private chat, whose id is the user's id, wherever the user wrote from.
    chat_id = user.id
    settings = await svc.store.get_user(user.id)
    if settings is None:
        settings = UserSettings(
            user_id=user.id,
            chat_id=chat_id,
            language=pick_language(user.language_code),
            timezone=svc.default_tz,
            created_at=svc.clock(),
        )
        await svc.store.save_user(settings)
    elif not settings.active:
        settings = dataclasses.replace(settings, active=True)
        await svc.store.save_user(settings)
    return settings


async def mark_inactive(svc: Services, user_id: int) -> None:
    """The user blocked the bot: keep their data, stop sending to them."""
    settings = await svc.store.get_user(user_id)
    if settings is not None and settings.active:
        await svc.store.save_user(dataclasses.replace(settings, active=False))
