"""/digest: show and change the daily digest's settings; /digest now."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import Update
from telegram.ext import ContextTypes

from bot.i18n import plain, tr
from handlers.history import recent_briefs, recent_overview
from handlers.replies import argument_text, message_of, reply
from handlers.services import services
from handlers.users import change_user, ensure_user
from storage.base import UserSettings

_TIME_RE: Final = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")


def digest_settings_text(settings: UserSettings) -> str:
    lang = settings.language
    return tr(
        lang,
        "digest.settings",
        state=plain(lang, "digest.state_on" if settings.digest_enabled else "digest.state_off"),
        time=settings.digest_time,
        timezone=settings.timezone,
        sound=plain(lang, "digest.sound_off" if settings.digest_silent else "digest.sound_on"),
    )


def parse_time(text: str) -> str | None:
    """`8:30`, `08:30`, `08.30`, `8h30` -> `08:30`; None when it is no time of day."""
    match = _TIME_RE.match(text.strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


def valid_timezone(name: str) -> bool:
    if "/" not in name and name.upper() != "UTC":
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


async def digest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/digest: show the settings; HH:MM [Area/City], on, off, silent, now change them."""
    svc = services(context)
    settings = await ensure_user(svc, update)
    lang = settings.language
    args = argument_text(message_of(update)).split()
    word = args[0].lower() if args else ""
    if not args:
        await reply(update, context, digest_settings_text(settings))
        return
    if word == "now":
        await send_digest_now(update, context, settings)
        return
    change: Callable[[UserSettings], UserSettings]
    if word == "on":
        change = lambda s: dataclasses.replace(s, digest_enabled=True)  # noqa: E731
    elif word == "off":
        change = lambda s: dataclasses.replace(s, digest_enabled=False)  # noqa: E731
    elif word == "silent":
        change = lambda s: dataclasses.replace(s, digest_silent=not s.digest_silent)  # noqa: E731
    else:
        time = parse_time(args[0])
        if time is None or len(args) > 2:
            await reply(update, context, tr(lang, "digest.bad_time"))
            return
        zone = args[1] if len(args) == 2 else settings.timezone
        if not valid_timezone(zone):
            await reply(update, context, tr(lang, "digest.bad_timezone", timezone=zone))
            return
        change = lambda s: dataclasses.replace(  # noqa: E731
            s, digest_time=time, timezone=zone, digest_enabled=True
        )
    settings = await change_user(svc, update, change)
    if word == "on":
        answer = tr(lang, "digest.on", time=settings.digest_time, timezone=settings.timezone)
    elif word == "off":
        answer = tr(lang, "digest.off")
    elif word == "silent":
        answer = tr(lang, "digest.silent_on" if settings.digest_silent else "digest.silent_off")
    else:
        answer = tr(lang, "digest.time_set", time=settings.digest_time, timezone=settings.timezone)
    if svc.digest is not None:
        await svc.digest.settings_changed(settings.user_id)
    await reply(update, context, answer)


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
    local = svc.clock().astimezone(ZoneInfo(settings.timezone))
    header = tr(lang, "digest.header", date=f"{local:%Y-%m-%d}")
    await reply(update, context, recent_overview(lang, briefs, header))
