"""Sending digests to many users within Telegram's flood limits, recording each in the digest log.

`send(chat_id, text, silent)` is the bot's coroutine (bot.send_message with HTML parse mode and
`disable_notification=silent`). Telegram allows about 30 messages a second overall and one a second
per chat (telegram.constants.FloodLimit); we pace a little under both. On RetryAfter everything
waits the time Telegram asks and the message is tried again; Forbidden (the user blocked the bot)
marks the user inactive and the broadcast carries on with the others.

The log protocol, per user and local date: "sending" is written (durably) before the first
message and "sent" after the last, so a restart never sends a recorded day again. A broadcast
writes these for a batch of users at once (Store.put_digests), see `deliver_batch`. A "sending"
record that a restarted process finds (the old one died mid-send) is turned into "failed" and NOT
resent: at that point Telegram may already have delivered the message, there is no idempotency
key to ask, and a duplicate push at 08:00 is worse for the user than a missing one they can get
with /digest now.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Literal

from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

from digest.clock import Clock, Sleep
from storage.base import DigestRecord, Store, UserSettings

log = logging.getLogger(__name__)

SendFn = Callable[[int, str, bool], Awaitable[None]]

GLOBAL_RATE_PER_S = 25.0  # Telegram: ~30 messages/s overall; we keep a margin
PER_CHAT_INTERVAL_S = 1.05  # Telegram: ~1 message/s in one chat
MAX_RETRY_AFTER_WAITS = 5  # RetryAfter answers for one message before we give up on it today
MAX_NETWORK_RETRIES = 3
NETWORK_RETRY_BASE_S = 1.0  # doubles per retry
WORKERS = 8  # users sending at once (each one request in flight): the HTTP connection pool
# Paced, a user with a two-message digest holds a worker for the 1 s per-chat gap: ~30 workers keep
# the 25/s overall pace busy.
PACED_WORKERS = 32
# Digest-log writes are batched: one durable write of "sending" for a batch of users before any
# of them is sent, one of the outcomes after (storage's put_digests: two syncs a batch instead of
# two fsyncs a user). A crash between them costs the batch its day's digest (never a duplicate),
# so paced batches, which take seconds to send, are small.
BATCH_SIZE = 64
PACED_BATCH_SIZE = 8
BATCH_WAIT_S = 0.05  # how long a batch waits to fill once its first digest is ready
BATCHES_IN_FLIGHT = 3  # one writing "sending", one sending, one writing outcomes

Outcome = Literal["sent", "failed", "blocked"]
Status = Literal["sent", "failed"]


def _retry_seconds(error: RetryAfter) -> float:
    # PTB 22 warns that retry_after becomes a timedelta; both are handled here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | float | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Pacer:
    """Spaces sends: one every 1/rate seconds overall and PER_CHAT_INTERVAL_S in one chat.

    Reservations are taken under a lock, then slept outside it, so many senders wait in parallel
    for their own slots. `pause` pushes every future slot back (a RetryAfter from Telegram applies
    to the whole bot).
    """

    def __init__(
        self,
        clock: Callable[[], float],
        sleep: Sleep,
        rate_per_s: float = GLOBAL_RATE_PER_S,
        per_chat_s: float = PER_CHAT_INTERVAL_S,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._interval = 1.0 / rate_per_s
        self._per_chat = per_chat_s
        self._next_global = 0.0
        self._next_chat: dict[int, float] = {}
        self._lock = asyncio.Lock()

    async def wait(self, chat_id: int) -> None:
        async with self._lock:
            now = self._clock()
            slot = max(now, self._next_global, self._next_chat.get(chat_id, 0.0))
            self._next_global = slot + self._interval
            self._next_chat[chat_id] = slot + self._per_chat
            if len(self._next_chat) > 100_000:  # forget chats whose spacing has long passed
                self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        delay = slot - self._clock()
        if delay > 0:
            await self._sleep(delay)

    def pause(self, seconds: float) -> None:
        self._next_global = max(self._next_global, self._clock() + seconds)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One user's digest for one local day, ready to send."""

    settings: UserSettings
    local_date: str
    messages: Sequence[str]
    items: int  # briefs in it, for the log


class Broadcaster:
    """Delivers digests, paced (or not, in benchmarks), and keeps the digest log."""

    def __init__(
        self,
        store: Store,
        send: SendFn,
        clock: Clock,
        sleep: Sleep,
        *,
        monotonic: Callable[[], float] | None = None,
        throttle: bool = True,
        workers: int | None = None,
        batch_size: int | None = None,
    ) -> None:
        self._store = store
        self._send = send
        self._clock = clock
        self._sleep = sleep
        self._workers = workers or (PACED_WORKERS if throttle else WORKERS)
        self._batch_size = batch_size or (PACED_BATCH_SIZE if throttle else BATCH_SIZE)
        mono = monotonic or (lambda: self._clock().timestamp())
        self.pacer: Pacer | None = Pacer(mono, sleep) if throttle else None

    @property
    def workers(self) -> int:
        return self._workers

    async def send_one(self, chat_id: int, text: str, silent: bool) -> Outcome | None:
        """Send one message with retries; None when it went out (or may have), else the outcome."""
        waits = 0
        network_retries = 0
        while True:
            if self.pacer is not None:
                await self.pacer.wait(chat_id)
            try:
                await self._send(chat_id, text, silent)
                return None
            except RetryAfter as error:
                waits += 1
                seconds = _retry_seconds(error)
                log.warning("digest: flood limit, waiting %.1f s (try %d)", seconds, waits)
                if waits > MAX_RETRY_AFTER_WAITS:
                    return "failed"
                if self.pacer is not None:
                    self.pacer.pause(seconds)
                await self._sleep(seconds)
            except Forbidden:
                return "blocked"
            except ChatMigrated:
                log.warning("digest: chat %s migrated; the bot moves its data", chat_id)
                return "failed"
            except BadRequest as error:  # before NetworkError: BadRequest is a subclass
                log.warning("digest: Telegram refused a digest message (%s)", type(error).__name__)
                return "failed"
            except TimedOut:
                # Telegram may have delivered it: sending again could double it. Carry on.
                log.warning("digest: send timed out for one message; not resent")
                return None
            except NetworkError:
                network_retries += 1
                if network_retries > MAX_NETWORK_RETRIES:
                    return "failed"
                await self._sleep(NETWORK_RETRY_BASE_S * 2 ** (network_retries - 1))

    async def _send_messages(self, delivery: Delivery) -> Outcome:
        user = delivery.settings
        for text in delivery.messages:
            result = await self.send_one(user.chat_id, text, user.digest_silent)
            if result is not None:
                return result
        return "sent"

    async def _mark_blocked(self, user: UserSettings) -> None:
        # Atomic read-modify-write: the user may have changed settings while we were sending.
        await self._store.update_user(
            user.user_id, lambda current: replace(current, active=False) if current else None
        )
        log.info("digest: user %s blocked the bot; marked inactive", user.user_id)

    def _record(
        self, delivery: Delivery, status: Literal["sending", "sent", "failed"]
    ) -> tuple[int, DigestRecord]:
        return delivery.settings.user_id, DigestRecord(
            delivery.local_date, status, self._clock(), delivery.items
        )

    async def deliver(self, delivery: Delivery) -> Outcome:
        """Send one user's digest and record it: "sending" before, the outcome after."""
        user = delivery.settings
        await self._store.put_digest(*self._record(delivery, "sending"))
        outcome = await self._send_messages(delivery)
        if outcome == "blocked":
            await self._mark_blocked(user)
        await self._store.put_digest(*self._record(delivery, _status(outcome)))
        return outcome

    async def deliver_batch(
        self, batch: Sequence[Delivery], in_flight: asyncio.Semaphore | None = None
    ) -> dict[Outcome, int]:
        """Deliver several users' digests: "sending" for all of them in one durable write, their
        messages concurrently (at most `in_flight` users at a time), then the outcomes in one
        write. Counts by outcome.

        Nobody's message goes out before their "sending" is durable, and a user whose "sending"
        could not be written gets nothing (counted failed, logged). If the process dies after
        the first write, the restarted service finds "sending" and records "failed" without
        resending (see the module docstring): at most one batch per worker is affected.
        """
        counts: dict[Outcome, int] = {"sent": 0, "failed": 0, "blocked": 0}
        try:
            not_written = set(
                await self._store.put_digests([self._record(d, "sending") for d in batch])
            )
        except Exception:
            log.exception("digest: the log could not record %d digests; none sent", len(batch))
            counts["failed"] = len(batch)
            return counts
        ready = [d for d in batch if d.settings.user_id not in not_written]
        counts["failed"] += len(batch) - len(ready)
        limit = in_flight or asyncio.Semaphore(self._workers)

        async def one(delivery: Delivery) -> Outcome:
            async with limit:
                try:
                    outcome = await self._send_messages(delivery)
                    if outcome == "blocked":
                        await self._mark_blocked(delivery.settings)
                except Exception:  # one user's failure must not stop the rest
                    log.exception("digest: delivery failed for one user")
                    return "failed"
                return outcome

        outcomes = await asyncio.gather(*(one(d) for d in ready))
        for outcome in outcomes:
            counts[outcome] += 1
        records = [self._record(d, _status(o)) for d, o in zip(ready, outcomes, strict=True)]
        try:
            unrecorded = await self._store.put_digests(records)
        except Exception:
            unrecorded = [uid for uid, _ in records]
        if unrecorded:
            # Their "sending" stays: a restart records "failed" and never resends them.
            log.error("digest: %d delivered digests could not be logged", len(unrecorded))
        return counts

    async def deliver_all(
        self, deliveries: Sequence[Delivery] | asyncio.Queue[Delivery | None]
    ) -> dict[Outcome, int]:
        """Deliver many digests, a batch at a time (`batch_size` users, BATCHES_IN_FLIGHT
        batches overlapping so log writes and sends run side by side, at most `workers` users
        sending at once); counts by outcome. A queue is read until it yields None."""
        counts: dict[Outcome, int] = {"sent": 0, "failed": 0, "blocked": 0}
        queue: asyncio.Queue[Delivery | None]
        if isinstance(deliveries, asyncio.Queue):
            queue = deliveries
        else:
            queue = asyncio.Queue()
            for d in deliveries:
                queue.put_nowait(d)
            queue.put_nowait(None)
        in_flight = asyncio.Semaphore(self._workers)
        batches: asyncio.Queue[list[Delivery] | None] = asyncio.Queue(maxsize=1)

        async def gather_batches() -> None:
            try:
                more = True
                while more:
                    first = await queue.get()
                    if first is None:
                        break
                    batch = [first]
                    # Wait a moment for a fuller batch: one durable write serves all of it.
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(BATCH_WAIT_S):
                            while len(batch) < self._batch_size:
                                item = await queue.get()
                                if item is None:
                                    more = False
                                    break
                                batch.append(item)
                    await batches.put(batch)
            finally:
                for _ in range(BATCHES_IN_FLIGHT):
                    await batches.put(None)

        async def run_batches() -> None:
            while (batch := await batches.get()) is not None:
                for outcome, n in (await self.deliver_batch(batch, in_flight)).items():
                    counts[outcome] += n

        await asyncio.gather(gather_batches(), *(run_batches() for _ in range(BATCHES_IN_FLIGHT)))
        return counts


def _status(outcome: Outcome) -> Status:
    return "sent" if outcome == "sent" else "failed"
