"""Pacing within Telegram's flood limits, and what each Telegram error does to a delivery."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta

from telegram.error import BadRequest, NetworkError, TimedOut

from digest.broadcast import (
    GLOBAL_RATE_PER_S,
    PER_CHAT_INTERVAL_S,
    Broadcaster,
    Delivery,
    Pacer,
)
from storage.base import UserSettings
from tests.digest.conftest import RecordingStore
from tests.digest.fakes import FakeClock, RecordingSend

T0 = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


async def test_pacer_spaces_sends_overall_and_per_chat() -> None:
    clock = FakeClock(T0)
    pacer = Pacer(clock.monotonic, clock.sleep)
    chats = [1, 1, 1, 2, 3, 4, 2, 5, 6, 7, 8, 9, 1] * 20
    times: list[tuple[int, float]] = []
    for chat in chats:
        await pacer.wait(chat)
        times.append((chat, clock.monotonic()))
    stamps = [t for _, t in times]
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(gaps) >= 1 / GLOBAL_RATE_PER_S - 1e-5
    for chat in set(chats):
        mine = [t for c, t in times if c == chat]
        assert all(b - a >= PER_CHAT_INTERVAL_S - 1e-5 for a, b in itertools.pairwise(mine))
    # In any one-second window, no more than 30 messages.
    assert max(sum(1 for s in stamps if t <= s < t + 1) for t in stamps) <= 30


async def test_pause_holds_every_sender() -> None:
    clock = FakeClock(T0)
    pacer = Pacer(clock.monotonic, clock.sleep)
    await pacer.wait(1)
    pacer.pause(10)
    start = clock.monotonic()
    await pacer.wait(2)
    assert clock.monotonic() - start >= 10


def user(uid: int) -> UserSettings:
    return UserSettings(user_id=uid, chat_id=uid, timezone="UTC")


class Failing:
    def __init__(self, clock: FakeClock, errors: list[Exception]) -> None:
        self.errors = errors
        self.ok = RecordingSend(clock)

    async def __call__(self, chat_id: int, text: str, silent: bool) -> None:
        if self.errors:
            raise self.errors.pop(0)
        await self.ok(chat_id, text, silent)


async def deliver(
    store: RecordingStore, clock: FakeClock, errors: list[Exception], messages: int = 2
) -> tuple[str, Failing]:
    await store.save_user(user(1))
    send = Failing(clock, errors)
    b = Broadcaster(store, send, clock, clock.sleep, monotonic=clock.monotonic)
    outcome = await b.deliver(
        Delivery(user(1), "2026-11-27", [f"m{i}" for i in range(messages)], 3)
    )
    return outcome, send


async def test_network_errors_are_retried(store: RecordingStore, clock: FakeClock) -> None:
    outcome, send = await deliver(store, clock, [NetworkError("reset"), NetworkError("reset")])
    assert outcome == "sent" and [s.text for s in send.ok.sent] == ["m0", "m1"]
    assert await store.status(1, "2026-11-27") == "sent"


async def test_persistent_network_errors_fail_the_day(
    store: RecordingStore, clock: FakeClock
) -> None:
    outcome, send = await deliver(store, clock, [NetworkError("down")] * 10)
    assert outcome == "failed" and send.ok.sent == []
    assert await store.status(1, "2026-11-27") == "failed"


async def test_timed_out_message_is_not_resent(store: RecordingStore, clock: FakeClock) -> None:
    outcome, send = await deliver(store, clock, [TimedOut()])
    assert outcome == "sent"
    assert [s.text for s in send.ok.sent] == ["m1"]  # m0 may have arrived: never doubled


async def test_bad_request_fails_without_marking_inactive(
    store: RecordingStore, clock: FakeClock
) -> None:
    outcome, _ = await deliver(store, clock, [BadRequest("can't parse entities")])
    assert outcome == "failed"
    assert (await store.get_user(1)).active is True


async def test_many_users_delivered_exactly_once_concurrently(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(T0)
    send = RecordingSend(clock, blocked={7})
    b = Broadcaster(store, send, clock, clock.sleep, throttle=False)
    for uid in range(1, 201):
        await store.save_user(user(uid))
    counts = await b.deliver_all(
        [Delivery(user(uid), "2026-11-27", ["a", "b"], 1) for uid in range(1, 201)]
    )
    assert counts == {"sent": 199, "failed": 0, "blocked": 1}
    assert sorted(send.chats()) == sorted([u for u in range(1, 201) if u != 7] * 2)
    assert (await store.get_user(7)).active is False
    assert clock.now - T0 < timedelta(seconds=1)


async def test_a_batch_is_logged_sending_before_any_message_and_sent_after(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(T0)
    for uid in range(1, 41):
        await store.save_user(user(uid))
    seen_at_send: dict[int, str | None] = {}
    record = RecordingSend(clock)

    async def send(chat_id: int, text: str, silent: bool) -> None:
        # Read the file, not the store's cache: what a crash right now would leave.
        seen_at_send[chat_id] = status_on_disk(store, chat_id)
        await record(chat_id, text, silent)

    b = Broadcaster(store, send, clock, clock.sleep, throttle=False, batch_size=16)
    counts = await b.deliver_all(
        [Delivery(user(uid), "2026-11-27", ["a"], 1) for uid in range(1, 41)]
    )
    assert counts == {"sent": 40, "failed": 0, "blocked": 0}
    assert seen_at_send == dict.fromkeys(range(1, 41), "sending")
    assert [status_on_disk(store, u) for u in range(1, 41)] == ["sent"] * 40
    # Two log writes per user, batched: every "sending" of a batch precedes its "sent"s.
    statuses = [(uid, r.status) for uid, r in store.digest_writes]
    for uid in range(1, 41):
        assert statuses.index((uid, "sending")) < statuses.index((uid, "sent"))


def status_on_disk(store: RecordingStore, uid: int) -> str | None:
    data = json.loads((store.user_dir(uid) / "user.json").read_bytes())
    found = [d["status"] for d in data.get("digests", {}).values()]
    return str(found[0]) if found else None


async def test_nothing_is_sent_when_the_log_cannot_record_sending(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(T0)
    for uid in (1, 2, 3):
        await store.save_user(user(uid))
    send = RecordingSend(clock)

    async def broken(records: object) -> list[int]:
        raise OSError("disk full")

    store.put_digests = broken  # type: ignore[method-assign, assignment]
    b = Broadcaster(store, send, clock, clock.sleep, throttle=False)
    counts = await b.deliver_all([Delivery(user(u), "2026-11-27", ["a"], 1) for u in (1, 2, 3)])
    assert counts == {"sent": 0, "failed": 3, "blocked": 0}
    assert send.sent == []


async def test_a_user_whose_sending_was_not_logged_gets_nothing(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(T0)
    for uid in (1, 2):
        await store.save_user(user(uid))
    store = await reopened(store, clock)
    try:
        (store.user_dir(1) / "user.json").write_bytes(b"{")  # user 1's file is corrupt
        send = RecordingSend(clock)
        b = Broadcaster(store, send, clock, clock.sleep, throttle=False)
        counts = await b.deliver_all([Delivery(user(u), "2026-11-27", ["a"], 1) for u in (1, 2)])
        assert counts == {"sent": 1, "failed": 1, "blocked": 0}
        assert send.chats() == [2]
    finally:
        await store.close()


async def reopened(store: RecordingStore, clock: FakeClock) -> RecordingStore:
    await store.close()
    fresh = RecordingStore(store.data_dir, clock)
    await fresh.open()
    return fresh
