"""When a digest is due, and the /digest command. Pure: the clock is passed in.

A user's digest has one *slot* a local day: their `digest_time` on that date in their time zone.
Slot times are computed from the local date each day, so 08:00 stays 08:00 across DST changes; a
time that does not exist on a spring-forward day (02:30 in Europe/Berlin) fires at the first
instant after the gap (03:30), one that exists twice on a fall-back day fires on the first (fold=0).

The digest log (one DigestRecord per user and local date) makes it once a day across restarts:
the latest slot at or before now is due exactly when it has no record yet. So after downtime the
missed digest goes out once at start, and a restart just before the slot waits for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from digest.texts import text
from storage.base import UserSettings

DEFAULT_DIGEST_TIME = "08:00"
FALLBACK_TZ = "UTC"
_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")


def parse_hhmm(value: str) -> time | None:
    """'8:05', '08:05', '08.05' or '08h05' -> time(8, 5); None when it is not a time of day."""
    m = _HHMM.match(value.strip().lower())
    return time(int(m.group(1)), int(m.group(2))) if m else None


@lru_cache(maxsize=1)
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def lookup_zone(name: str) -> str | None:
    """The canonical IANA name for what the user typed ('europe/berlin' -> 'Europe/Berlin')."""
    return _zones_by_folded_name().get(name.strip().casefold())


@lru_cache(maxsize=1024)
def zone(name: str | None, default: str = FALLBACK_TZ) -> ZoneInfo:
    """The user's zone; `default` (BRIEFBOT_DEFAULT_TZ) when unset ('') or unknown."""
    for candidate in (name, default, FALLBACK_TZ):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo(FALLBACK_TZ)


def digest_time(settings: UserSettings) -> time:
    return parse_hhmm(settings.digest_time) or parse_hhmm(DEFAULT_DIGEST_TIME) or time(8)


def slot_utc(local_date: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of `at` on `local_date` in `tz` (DST gaps resolve forward, folds to the
    first occurrence)."""
    local = datetime.combine(local_date, at, tzinfo=tz)
    instant = local.astimezone(UTC)
    # In a spring-forward gap, zoneinfo reads the wall time with the pre-gap offset; the result is
    # the instant just after the gap, which is what a user who asked for 02:30 expects.
    return instant


@dataclass(frozen=True, slots=True)
class Slot:
    local_date: date
    at: datetime  # UTC


def latest_slot(now: datetime, settings: UserSettings, default_tz: str) -> Slot:
    """The most recent slot at or before `now`."""
    tz = zone(settings.timezone, default_tz)
    today = now.astimezone(tz).date()
    for day in (today, today - timedelta(days=1), today - timedelta(days=2)):
        at = slot_utc(day, digest_time(settings), tz)
        if at <= now:
            return Slot(day, at)
    raise AssertionError("unreachable: a slot two local days back is always in the past")


def next_slot(now: datetime, settings: UserSettings, default_tz: str) -> Slot:
    """The first slot strictly after `now`."""
    tz = zone(settings.timezone, default_tz)
    today = now.astimezone(tz).date()
    for day in (today, today + timedelta(days=1), today + timedelta(days=2)):
        at = slot_utc(day, digest_time(settings), tz)
        if at > now:
            return Slot(day, at)
    raise AssertionError("unreachable: a slot two local days ahead is always in the future")


# --- the /digest command ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShowSettings:
    """`/digest` alone."""


@dataclass(frozen=True, slots=True)
class SetTime:
    """`/digest HH:MM [Area/City]`: sets the time (and zone) and turns the digest on."""

    at: str  # HH:MM, zero-padded
    timezone: str | None = None  # canonical IANA name


@dataclass(frozen=True, slots=True)
class TurnOn:
    pass


@dataclass(frozen=True, slots=True)
class TurnOff:
    pass


@dataclass(frozen=True, slots=True)
class ToggleSilent:
    pass


@dataclass(frozen=True, slots=True)
class SendNow:
    pass


@dataclass(frozen=True, slots=True)
class Invalid:
    """What the user typed is not a /digest command; `reason` is a texts key."""

    reason: str  # "bad_time" | "bad_zone" | "bad_command"
    zone: str = ""


DigestAction = ShowSettings | SetTime | TurnOn | TurnOff | ToggleSilent | SendNow | Invalid

_WORDS: dict[str, DigestAction] = {
    "on": TurnOn(),
    "off": TurnOff(),
    "silent": ToggleSilent(),
    "now": SendNow(),
}
MAX_ARGS_CHARS = 100


def parse_digest_command(args: str) -> DigestAction:
    """Parse what follows /digest (the bot passes `" ".join(context.args)`)."""
    parts = args[:MAX_ARGS_CHARS].split()
    if not parts:
        return ShowSettings()
    if len(parts) == 1 and parts[0].lower() in _WORDS:
        return _WORDS[parts[0].lower()]
    at = parse_hhmm(parts[0])
    if at is None:
        looks_like_time = any(ch.isdigit() for ch in parts[0])
        return Invalid("bad_time" if looks_like_time else "bad_command")
    if len(parts) > 2:
        return Invalid("bad_command")
    tz_name = None
    if len(parts) == 2:
        tz_name = lookup_zone(parts[1])
        if tz_name is None:
            return Invalid("bad_zone", parts[1][:64])
    return SetTime(at.strftime("%H:%M"), tz_name)


def apply_action(settings: UserSettings, action: DigestAction) -> UserSettings:
    """The settings after a /digest command (unchanged for show, now and invalid input)."""
    match action:
        case SetTime(at=at, timezone=tz):
            return replace(
                settings, digest_time=at, timezone=tz or settings.timezone, digest_enabled=True
            )
        case TurnOn():
            return replace(settings, digest_enabled=True)
        case TurnOff():
            return replace(settings, digest_enabled=False)
        case ToggleSilent():
            return replace(settings, digest_silent=not settings.digest_silent)
        case _:
            return settings


def zone_name(settings: UserSettings, default_tz: str) -> str:
    return str(zone(settings.timezone, default_tz).key)


def describe_settings(settings: UserSettings, default_tz: str) -> str:
    """The /digest reply: state, time, zone and sound, in the user's language (plain text)."""
    lang = settings.language
    return text(
        "settings",
        lang,
        state=text("state_on" if settings.digest_enabled else "state_off", lang),
        time=digest_time(settings).strftime("%H:%M"),
        zone=zone_name(settings, default_tz),
        sound=text("sound_off" if settings.digest_silent else "sound_on", lang),
    )


def reply_for(action: DigestAction, settings: UserSettings, default_tz: str) -> str:
    """The plain-text confirmation for an action, given the settings after `apply_action`.

    SendNow has no confirmation: the digest itself is the answer.
    """
    lang = settings.language
    when = {
        "time": digest_time(settings).strftime("%H:%M"),
        "zone": zone_name(settings, default_tz),
    }
    match action:
        case SetTime():
            return text("set_time", lang, **when)
        case TurnOn():
            return text("turned_on", lang, **when)
        case TurnOff():
            return text("turned_off", lang)
        case ToggleSilent():
            return text("silent_on" if settings.digest_silent else "silent_off", lang)
        case Invalid(reason=reason, zone=bad_zone):
            return text(reason, lang, zone=bad_zone)
        case _:
            return describe_settings(settings, default_tz)
