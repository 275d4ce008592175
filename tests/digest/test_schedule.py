"""When digests are due (time zones, DST, midnight) and the /digest command."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from digest.schedule import (
    Invalid,
    SendNow,
    SetTime,
    ShowSettings,
    ToggleSilent,
    TurnOff,
    TurnOn,
    apply_action,
    latest_slot,
    next_slot,
    parse_digest_command,
    reply_for,
)
from storage.base import UserSettings


def user(tz: str = "Europe/Berlin", at: str = "08:00", **kw: object) -> UserSettings:
    return UserSettings(user_id=1, chat_id=1, timezone=tz, digest_time=at, **kw)  # type: ignore[arg-type]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_slot_is_local_time_in_the_users_zone() -> None:
    s = next_slot(utc(2026, 11, 27, 5, 0), user("Europe/Berlin"), "UTC")
    assert s.at == utc(2026, 11, 27, 7, 0)  # 08:00 CET
    s = next_slot(utc(2026, 11, 27, 5, 0), user("America/New_York"), "UTC")
    assert s.at == utc(2026, 11, 27, 13, 0)  # 08:00 EST


def test_dst_spring_forward_keeps_local_time() -> None:
    # Europe/Berlin springs forward on Sunday 29 March 2026, 02:00 -> 03:00.
    u = user("Europe/Berlin", "08:00")
    sat = next_slot(utc(2026, 3, 28, 0, 0), u, "UTC")
    sun = next_slot(sat.at, u, "UTC")
    mon = next_slot(sun.at, u, "UTC")
    assert (sat.at, sun.at, mon.at) == (
        utc(2026, 3, 28, 7, 0),
        utc(2026, 3, 29, 6, 0),
        utc(2026, 3, 30, 6, 0),
    )
    assert [s.local_date for s in (sat, sun, mon)] == [
        date(2026, 3, 28),
        date(2026, 3, 29),
        date(2026, 3, 30),
    ]


def test_time_inside_the_dst_gap_fires_once_just_after_it() -> None:
    u = user("Europe/Berlin", "02:30")  # 02:30 does not exist on 29 March 2026
    s = next_slot(utc(2026, 3, 28, 23, 0), u, "UTC")
    assert s.local_date == date(2026, 3, 29)
    assert s.at == utc(2026, 3, 29, 1, 30)  # 03:30 CEST, the first instant after the gap
    assert next_slot(s.at, u, "UTC").local_date == date(2026, 3, 30)


def test_dst_fall_back_fires_once_on_the_repeated_hour() -> None:
    # 25 October 2026: 03:00 CEST -> 02:00 CET, so 02:30 happens twice.
    u = user("Europe/Berlin", "02:30")
    first = next_slot(utc(2026, 10, 24, 23, 0), u, "UTC")
    assert first.at == utc(2026, 10, 25, 0, 30)  # the first 02:30 (CEST)
    again = next_slot(first.at, u, "UTC")
    assert again.local_date == date(2026, 10, 26)  # not the second 02:30 of the same day
    u8 = user("Europe/Berlin", "08:00")
    assert next_slot(utc(2026, 10, 25, 0, 0), u8, "UTC").at == utc(2026, 10, 25, 7, 0)


def test_midnight_digest_and_local_date_ahead_of_utc() -> None:
    u = user("Pacific/Auckland", "00:00")  # UTC+13 in November
    s = next_slot(utc(2026, 11, 27, 10, 0), u, "UTC")
    assert s.at == utc(2026, 11, 27, 11, 0)
    assert s.local_date == date(2026, 11, 28)  # local date is already tomorrow in UTC terms
    just_after = latest_slot(utc(2026, 11, 27, 11, 0, 1), u, "UTC")
    assert just_after.local_date == date(2026, 11, 28)
    just_before = latest_slot(utc(2026, 11, 27, 10, 59, 59), u, "UTC")
    assert just_before.local_date == date(2026, 11, 27)


def test_default_zone_is_used_until_the_user_sets_one() -> None:
    u = user("", "08:00")
    assert next_slot(utc(2026, 11, 27, 0, 0), u, "Europe/Moscow").at == utc(2026, 11, 27, 5, 0)
    bogus = user("Mars/Olympus", "08:00")
    assert next_slot(utc(2026, 11, 27, 0, 0), bogus, "Europe/Moscow").at == utc(2026, 11, 27, 5, 0)


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)
    ),
    st.sampled_from(["Europe/Berlin", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kolkata"]),
    st.sampled_from(["00:00", "02:30", "08:00", "23:59"]),
)
def test_one_slot_per_local_day(now: datetime, tz: str, at: str) -> None:
    u = user(tz, at)
    last = latest_slot(now, u, "UTC")
    nxt = next_slot(now, u, "UTC")
    assert last.at <= now < nxt.at
    assert nxt.local_date > last.local_date
    assert (nxt.local_date - last.local_date).days <= 2


def test_parse_digest_commands() -> None:
    assert parse_digest_command("") == ShowSettings()
    assert parse_digest_command("  ") == ShowSettings()
    assert parse_digest_command("on") == TurnOn()
    assert parse_digest_command("OFF") == TurnOff()
    assert parse_digest_command("silent") == ToggleSilent()
    assert parse_digest_command("now") == SendNow()
    assert parse_digest_command("7:30") == SetTime("07:30", None)
    assert parse_digest_command("07:30 europe/berlin") == SetTime("07:30", "Europe/Berlin")
    assert parse_digest_command("23:05 America/Argentina/Buenos_Aires") == SetTime(
        "23:05", "America/Argentina/Buenos_Aires"
    )
    assert parse_digest_command("24:00") == Invalid("bad_time")
    assert parse_digest_command("7:60") == Invalid("bad_time")
    assert parse_digest_command("08:00 Mars/Base") == Invalid("bad_zone", "Mars/Base")
    assert parse_digest_command("tomorrow") == Invalid("bad_command")
    assert parse_digest_command("08:00 Europe/Berlin extra") == Invalid("bad_command")


@given(st.text(max_size=200))
def test_parser_never_raises(args: str) -> None:
    parse_digest_command(args)


def test_apply_and_reply_in_the_users_language() -> None:
    u = user("Europe/Berlin", "08:00", digest_enabled=False, language="de")
    after = apply_action(u, SetTime("06:45", "Asia/Tokyo"))
    assert (after.digest_time, after.timezone, after.digest_enabled) == (
        "06:45",
        "Asia/Tokyo",
        True,
    )
    assert "06:45" in reply_for(SetTime("06:45", "Asia/Tokyo"), after, "UTC")
    assert "Asia/Tokyo" in reply_for(SetTime("06:45", "Asia/Tokyo"), after, "UTC")
    silent = apply_action(after, ToggleSilent())
    assert silent.digest_silent and not apply_action(silent, ToggleSilent()).digest_silent
    assert reply_for(ToggleSilent(), silent, "UTC") == "Ihr Tagesüberblick kommt jetzt lautlos."
    assert not apply_action(after, TurnOff()).digest_enabled
    shown = reply_for(ShowSettings(), apply_action(after, TurnOff()), "UTC")
    assert "aus" in shown and "06:45" in shown
    ru = user(language="ru")
    assert "Mars/Base" in reply_for(Invalid("bad_zone", "Mars/Base"), ru, "UTC")
    assert apply_action(u, SendNow()) == u
