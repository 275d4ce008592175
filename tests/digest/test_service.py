"""The daily digest end to end with an injected clock: once a day, across restarts and crashes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from digest.broadcast import Broadcaster
from digest.pool import ArticlePool
from digest.service import DigestService
from storage.base import DigestRecord, Subscription, UserSettings
from tests.digest.conftest import RecordingStore, make_brief, seed_illustration
from tests.digest.fakes import FakeClock, RecordingSend

BERLIN = "Europe/Berlin"


def at_berlin(y: int, mo: int, d: int, h: int, mi: int = 0, s: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(y, mo, d, h, mi, s, tzinfo=ZoneInfo(BERLIN)).astimezone(UTC)


class Bot:
    """One run of the bot process: a fresh service over the same store (what survives a restart)."""

    def __init__(
        self,
        store: RecordingStore,
        clock: FakeClock,
        send: RecordingSend,
        *,
        throttle: bool = False,
    ) -> None:
        self.pool = ArticlePool(store, clock)
        self.broadcaster = Broadcaster(
            store, send, clock, clock.sleep, monotonic=clock.monotonic, throttle=throttle
        )
        self.service = DigestService(store, self.pool, self.broadcaster, clock, default_tz="UTC")


async def add_user(
    store: RecordingStore,
    uid: int,
    *,
    tz: str = BERLIN,
    at: str = "08:00",
    topics: tuple[str, ...] = ("Russia EU sanctions",),
    last_sent: str | None = "2026-11-26",
    **kw: object,
) -> None:
    """A user who has been around: by default their digest of 26 November went out."""
    await store.save_user(
        UserSettings(user_id=uid, chat_id=uid * 10, timezone=tz, digest_time=at, **kw)  # type: ignore[arg-type]
    )
    if last_sent:
        sent_at = datetime.fromisoformat(last_sent).replace(hour=7, tzinfo=UTC)
        await store.put_digest(uid, DigestRecord(last_sent, "sent", sent_at, 1))
    for t in topics:
        await store.add_subscription(
            uid, Subscription("topic", t, datetime(2026, 1, 1, tzinfo=UTC))
        )


async def pooled_seed(store: RecordingStore, clock: FakeClock) -> None:
    await ArticlePool(store, clock).add(seed_illustration())


async def test_sent_at_local_time_once_and_not_before(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(at_berlin(2026, 11, 27, 7, 0))
    send = RecordingSend(clock)
    await add_user(store, 1)
    await pooled_seed(store, clock)
    bot = Bot(store, clock, send)
    assert await bot.service.start() == 0
    clock.set(at_berlin(2026, 11, 27, 7, 59, 59))
    assert (await bot.service.tick()).sent == 0
    clock.set(at_berlin(2026, 11, 27, 8, 0, 0))
    report = await bot.service.tick()
    assert report.sent == 1 and send.chats() == [10]
    assert "Russia vs European Union" in send.sent[0].text
    assert "Peskov" in send.sent[0].text
    clock.advance(minutes=5)
    assert (await bot.service.tick()).due == 0
    assert len(send.sent) == 1
    assert await store.status(1, "2026-11-27") == "sent"
    assert [r.status for _, r in store.digest_writes] == ["sent", "sending", "sent"]


async def test_restart_just_before_the_send_time_waits_for_it(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(at_berlin(2026, 11, 27, 7, 59, 30))
    send = RecordingSend(clock)
    await add_user(store, 1)
    await pooled_seed(store, clock)
    # Yesterday's digest went out before the restart.
    bot = Bot(store, clock, send)
    assert await bot.service.start() == 0
    assert (await bot.service.tick()).sent == 0
    clock.set(at_berlin(2026, 11, 27, 8, 0, 10))
    assert (await bot.service.tick()).sent == 1


async def test_restart_just_after_the_send_time_catches_up_once(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(at_berlin(2026, 11, 27, 7, 0))
    send = RecordingSend(clock)
    await add_user(store, 1)
    await pooled_seed(store, clock)
    Bot(store, clock, send)  # the bot ran, then went down at 07:50 and came back at 08:01
    clock.set(at_berlin(2026, 11, 27, 8, 1))
    second = Bot(store, clock, send)
    assert await second.service.start() == 1
    assert (await second.service.tick()).sent == 1
    # Two restarts in a row right after: nothing more.
    for _ in range(2):
        clock.advance(seconds=20)
        again = Bot(store, clock, send)
        assert await again.service.start() == 0
        assert (await again.service.tick()).sent == 0
    assert send.chats() == [10]


async def test_two_quick_restarts_before_sending_send_once(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(at_berlin(2026, 11, 27, 8, 30))
    send = RecordingSend(clock)
    await add_user(store, 1)
    await pooled_seed(store, clock)
    first = Bot(store, clock, send)
    assert await first.service.start() == 1  # due, but killed before its first tick
    clock.advance(seconds=5)
    second = Bot(store, clock, send)
    assert await second.service.start() == 1
    await second.service.tick()
    await second.service.tick()
    assert send.chats() == [10]


async def test_a_digest_cut_by_a_crash_is_not_sent_twice(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(at_berlin(2026, 11, 27, 8, 0, 5))
    send = RecordingSend(clock)
    await add_user(store, 1)
    await pooled_seed(store, clock)
    # The previous process wrote "sending" and died (maybe after Telegram delivered it).
    await store.put_digest(
        1, DigestRecord("2026-11-27", "sending", at_berlin(2026, 11, 27, 8, 0), 1)
    )
    bot = Bot(store, clock, send)
    assert await bot.service.start() == 0
    assert (await bot.service.tick()).sent == 0
    assert send.sent == []
    assert await store.status(1, "2026-11-27") == "failed"
    # The next day is normal again.
    clock.set(at_berlin(2026, 11, 28, 8, 0))
    await pooled_seed(store, clock)
    assert (await bot.service.tick()).due == 1


async def test_dst_change_keeps_local_eight_oclock(store: RecordingStore, clock: FakeClock) -> None:
    clock.set(at_berlin(2026, 3, 27, 12, 0))
    send = RecordingSend(clock)
    await add_user(store, 1, last_sent="2026-03-27")
    bot = Bot(store, clock, send)
    await bot.service.start()
    sent_at: list[datetime] = []
    for _ in range(4 * 24 * 4):  # four days in 15-minute ticks: Fri .. Mon across the DST change
        clock.advance(minutes=15)
        await ArticlePool(store, clock).add(
            make_brief(
                f"EU sanctions on Russia {clock.now}",
                "Brussels acts.",
                parties=("Russia", "EU"),
                issue="sanctions",
                text=f"unique text {clock.now.isoformat()} " * 30,
            )
        )
        before = len(send.sent)
        await bot.service.tick()
        if len(send.sent) > before:
            sent_at.append(clock.now)
    assert sent_at == [
        at_berlin(2026, 3, 28, 8, 0),
        at_berlin(2026, 3, 29, 8, 0),  # Sunday: CEST from 03:00
        at_berlin(2026, 3, 30, 8, 0),
        at_berlin(2026, 3, 31, 8, 0),
    ]
    assert sent_at[1] - sent_at[0] == timedelta(hours=23)


async def test_blocked_user_is_marked_inactive_and_others_still_get_theirs(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(at_berlin(2026, 11, 27, 8, 0))
    send = RecordingSend(clock, blocked={20})
    for uid in (1, 2, 3):
        await add_user(store, uid)
    await pooled_seed(store, clock)
    bot = Bot(store, clock, send)
    await bot.service.start()
    report = await bot.service.tick()
    assert (report.sent, report.blocked) == (2, 1)
    assert sorted(send.chats()) == [10, 30]
    assert (await store.get_user(2)).active is False
    assert await store.status(2, "2026-11-27") == "failed"
    clock.set(at_berlin(2026, 11, 28, 8, 0))
    await pooled_seed(store, clock)
    calls = send.calls
    await bot.service.tick()
    assert send.calls == calls + 2  # the blocked user is not tried again


async def test_flood_limit_is_waited_for_and_the_digest_still_arrives(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(at_berlin(2026, 11, 27, 8, 0))
    send = RecordingSend(clock, flood=2, flood_wait=7)
    await add_user(store, 1)
    await pooled_seed(store, clock)
    bot = Bot(store, clock, send, throttle=True)
    await bot.service.start()
    start = clock.now
    assert (await bot.service.tick()).sent == 1
    assert send.chats() == [10]
    assert send.sent[0].at - start >= timedelta(seconds=14)


async def test_empty_digest_is_skipped_but_now_answers(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(at_berlin(2026, 11, 27, 8, 0))
    send = RecordingSend(clock)
    await add_user(store, 1, topics=("China Taiwan",), language="fr")
    await pooled_seed(store, clock)
    bot = Bot(store, clock, send)
    await bot.service.start()
    report = await bot.service.tick()
    assert (report.sent, report.skipped) == (0, 1)
    assert send.sent == []
    assert await store.status(1, "2026-11-27") == "skipped"
    assert await bot.service.send_now(1) == 1
    assert send.sent[0].text.startswith("Rien de nouveau")


async def test_feed_followers_get_the_feeds_items(store: RecordingStore, clock: FakeClock) -> None:
    clock.set(at_berlin(2026, 11, 27, 8, 0))
    send = RecordingSend(clock)
    await add_user(store, 1, topics=())
    await store.add_subscription(1, Subscription("feed", "https://news.example/rss", clock.now))
    await ArticlePool(store, clock).add(
        make_brief("Local election results", "The council has a new majority."),
        url="https://news.example/a/1",
        feed_url="https://news.example/rss",
    )
    bot = Bot(store, clock, send)
    await bot.service.start()
    assert (await bot.service.tick()).sent == 1
    assert "Local election results" in send.sent[0].text


async def test_old_articles_and_the_previous_digest_are_not_repeated(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(at_berlin(2026, 11, 25, 12, 0))
    send = RecordingSend(clock)
    await add_user(store, 1)
    await pooled_seed(store, clock)  # two days before the digest
    clock.set(at_berlin(2026, 11, 27, 8, 0))
    bot = Bot(store, clock, send)
    await bot.service.start()
    assert (await bot.service.tick()).skipped == 1


async def test_setting_a_time_already_past_today_waits_for_tomorrow(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(at_berlin(2026, 11, 27, 10, 0))
    send = RecordingSend(clock)
    await add_user(store, 1, at="20:00", created_at=at_berlin(2026, 11, 1, 0, 0))
    await pooled_seed(store, clock)
    bot = Bot(store, clock, send)
    # The user had 20:00 and now asks for 09:00 at 10:00: not at once, tomorrow at 09:00.
    await bot.service.start()
    await store.update_user(1, lambda u: replace(u, digest_time="09:00") if u else None)
    await bot.service.settings_changed(1)
    assert (await bot.service.tick()).sent == 0
    assert bot.service.next_due(1) == at_berlin(2026, 11, 28, 9, 0)


async def test_new_user_is_not_sent_a_slot_from_before_they_came(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(at_berlin(2026, 11, 27, 10, 0))
    send = RecordingSend(clock)
    await add_user(store, 1, created_at=clock.now - timedelta(minutes=1))
    await pooled_seed(store, clock)
    bot = Bot(store, clock, send)
    assert await bot.service.start() == 0
    assert bot.service.next_due(1) == at_berlin(2026, 11, 28, 8, 0)


async def test_turned_off_users_get_nothing(store: RecordingStore, clock: FakeClock) -> None:
    clock.set(at_berlin(2026, 11, 27, 8, 0))
    send = RecordingSend(clock)
    await add_user(store, 1, digest_enabled=False)
    await pooled_seed(store, clock)
    bot = Bot(store, clock, send)
    await bot.service.start()
    assert (await bot.service.tick()).due == 0
    assert bot.service.next_due(1) is None


async def test_silent_digest_is_sent_without_sound(store: RecordingStore, clock: FakeClock) -> None:
    clock.set(at_berlin(2026, 11, 27, 8, 0))
    send = RecordingSend(clock)
    await add_user(store, 1, digest_silent=True)
    await pooled_seed(store, clock)
    bot = Bot(store, clock, send)
    await bot.service.start()
    await bot.service.tick()
    assert send.sent[0].silent is True


async def test_a_user_who_arrives_while_running_is_scheduled_from_the_next_slot(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(at_berlin(2026, 11, 27, 9, 0))
    send = RecordingSend(clock)
    bot = Bot(store, clock, send)
    await bot.service.start()
    await add_user(store, 5, last_sent=None)  # the bot forgot to call settings_changed
    await pooled_seed(store, clock)
    clock.advance(minutes=11)
    assert (await bot.service.tick()).sent == 0  # 08:00 today was before they came
    assert bot.service.next_due(5) == at_berlin(2026, 11, 28, 8, 0)
    clock.set(at_berlin(2026, 11, 28, 8, 0))
    await pooled_seed(store, clock)
    assert (await bot.service.tick()).sent == 1


async def test_restart_mid_broadcast_finishes_the_rest_only(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(at_berlin(2026, 11, 27, 8, 3))
    send = RecordingSend(clock)
    for uid in (1, 2, 3):
        await add_user(store, uid)
    await pooled_seed(store, clock)
    # The killed process had sent user 1's digest and was sending user 2's.
    await store.put_digest(1, DigestRecord("2026-11-27", "sent", at_berlin(2026, 11, 27, 8, 0), 1))
    await store.put_digest(
        2, DigestRecord("2026-11-27", "sending", at_berlin(2026, 11, 27, 8, 0), 1)
    )
    bot = Bot(store, clock, send)
    assert await bot.service.start() == 1
    assert (await bot.service.tick()).sent == 1
    assert send.chats() == [30]
    assert [await store.status(u, "2026-11-27") for u in (1, 2, 3)] == ["sent", "failed", "sent"]


async def test_now_without_subscriptions_says_how_to_follow(
    store: RecordingStore, clock: FakeClock
) -> None:
    send = RecordingSend(clock)
    await add_user(store, 1, topics=(), language="ru")
    bot = Bot(store, clock, send)
    assert await bot.service.send_now(1) == 1
    assert send.sent[0].text.startswith("Вы пока не следите")
    assert await bot.service.send_now(999) == 0  # unknown user: nothing to send
