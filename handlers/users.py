"""Who is talking to the bot: their settings, their interface language, their activity.

Settings change through `Store.update_user` (an atomic read-modify-write), because updates are
handled concurrently: two quick commands of one user must not overwrite each other's change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

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


def _new_user(svc: Services, user: TgUser) -> UserSettings:
    return UserSettings(
        user_id=user.id,
        # Digests go to the private chat, whose id is the user's id, wherever they wrote from.
        chat_id=user.id,
        language=pick_language(user.language_code),
        # "" = not chosen yet: the digest uses BRIEFBOT_DEFAULT_TZ until /digest sets a zone.
        timezone="",
        created_at=svc.clock(),
    )


async def change_user(
    svc: Services, update: Update, change: Callable[[UserSettings], UserSettings] | None = None
) -> UserSettings:
    """The user's settings, created on first use, reactivated when they had blocked the bot,
    and changed by `change`, all in one atomic step."""
    user = update.effective_user
    if user is None:
        raise ValueError("an update without a user has no settings")

    reactivated = False

    def apply(current: UserSettings | None) -> UserSettings:
        nonlocal reactivated
        settings = current or _new_user(svc, user)
        if not settings.active:
            settings = dataclasses.replace(settings, active=True)
            reactivated = True
        return change(settings) if change else settings

    result = await svc.store.update_user(user.id, apply)
    if result is None:  # pragma: no cover - apply never returns None
        raise RuntimeError("the store lost the user's settings")
    if reactivated and svc.digest is not None:
        # Someone who had blocked the bot is back: their digest is scheduled again.
        await svc.digest.settings_changed(user.id)
    return result


async def ensure_user(svc: Services, update: Update) -> UserSettings:
    """The user's settings, created on first use."""
    return await change_user(svc, update)


async def mark_inactive(svc: Services, user_id: int) -> None:
    """The user blocked the bot: keep their data, stop sending to them."""

    def apply(current: UserSettings | None) -> UserSettings | None:
        if current is None or not current.active:
            return None
        return dataclasses.replace(current, active=False)

    await svc.store.update_user(user_id, apply)
