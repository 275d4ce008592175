"""The digest service the bot wires in: who is due, what they get, and sending it once a day.

The bot creates one `DigestService` in post_init, calls `start()` once (it finds digests missed
while the bot was down), then `tick()` from a repeating job (every TICK_INTERVAL_S), and
`settings_changed(user_id)` after it saved a /digest change. `send_now(user_id)` answers
/digest now. Due times live in memory (a dict of user id -> next due instant, rebuilt from the
store at start); the digest log in the store is what makes each local day's digest go out once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from digest.broadcast import Broadcaster, Delivery
from digest.clock import Clock
from digest.compose import DigestItem, compose_digest
from digest.pool import ArticlePool, PoolSnapshot
from digest.schedule import Slot, latest_slot, next_slot, zone
from storage.base import DigestRecord, Store, UserSettings

log = logging.getLogger(__name__)

TICK_INTERVAL_S = 30  # how often the bot's job calls tick(): the digest is at most this late
DIGEST_WINDOW = timedelta(hours=24)
QUEUE_DEPTH = 64  # digests composed ahead of the senders
# How often tick() looks for users the schedule does not know yet (new since start, when the bot
# did not call settings_changed for them).
RESYNC_INTERVAL = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class TickReport:
    due: int = 0
    sent: int = 0
    skipped: int = 0  # nothing matched: no message, logged as "skipped"
    failed: int = 0
    blocked: int = 0


class DigestService:
    def __init__(
        self,
        store: Store,
        pool: ArticlePool,
        broadcaster: Broadcaster,
        clock: Clock,
        *,
        default_tz: str,
    ) -> None:
        self._store = store
        self._pool = pool
        self._broadcaster = broadcaster
        self._clock = clock
        self._default_tz = default_tz
        self._due: dict[int, datetime] = {}
        self._known: set[int] = set()  # every user id the schedule has looked at
        self._last_resync: datetime | None = None
        self._in_flight: set[int] = set()
        self._lock = asyncio.Lock()

    # --- scheduling -----------------------------------------------------------------------------

    def next_due(self, user_id: int) -> datetime | None:
        """When the user's digest is next looked at (None: not scheduled). For tests and /digest."""
        return self._due.get(user_id)

    async def start(self) -> int:
        """Rebuild the schedule from the store; returns how many digests are due at once."""
        now = self._clock()
        self._due.clear()
        self._known.clear()
        self._last_resync = now
        due_now = 0
        for user_id in await self._store.list_user_ids():
            settings = await self._store.get_user(user_id)
            if settings is not None and await self._schedule(settings, now):
                due_now += 1
        log.info("digest: %d users scheduled, %d due now", len(self._due), due_now)
        return due_now

    async def _schedule(self, settings: UserSettings, now: datetime) -> bool:
        """Put the user in the schedule; True when their latest slot is still to be sent."""
        uid = settings.user_id
        self._known.add(uid)
        if not (settings.active and settings.digest_enabled):
            self._due.pop(uid, None)
            return False
        slot = latest_slot(now, settings, self._default_tz)
        pending = await self._slot_pending(settings, slot)
        self._due[uid] = now if pending else next_slot(now, settings, self._default_tz).at
        return pending

    async def _slot_pending(self, settings: UserSettings, slot: Slot) -> bool:
        """Is this slot still to be sent? Resolves a "sending" left by a crashed process."""
        if settings.created_at is not None and slot.at < settings.created_at:
            return False  # the slot predates the user
        record = await self._store.get_digest(settings.user_id, slot.local_date.isoformat())
        if record is None:
            return True
        if record.status == "sending" and settings.user_id not in self._in_flight:
            # A previous process died mid-send: see digest.broadcast for why it is not resent.
            log.warning("digest: user %s: digest cut by a restart, not resent", settings.user_id)
            await self._store.put_digest(
                settings.user_id,
                DigestRecord(record.local_date, "failed", self._clock(), record.items),
            )
        return False

    async def settings_changed(self, user_id: int) -> None:
        """Call after saving the user's /digest settings (or when they became active again).

        A slot that is already past today when the time is set or the digest is turned on does
        not fire at once (the user asked for a time, not for now): today is logged "skipped" and
        the next slot is the one to come. /digest now is there for at once.
        """
        settings = await self._store.get_user(user_id)
        self._known.add(user_id)
        if settings is None or not (settings.active and settings.digest_enabled):
            self._due.pop(user_id, None)
            return
        now = self._clock()
        slot = latest_slot(now, settings, self._default_tz)
        if await self._store.get_digest(user_id, slot.local_date.isoformat()) is None:
            await self._store.put_digest(
                user_id, DigestRecord(slot.local_date.isoformat(), "skipped", now, 0)
            )
        self._due[user_id] = next_slot(now, settings, self._default_tz).at

    # --- composing ------------------------------------------------------------------------------

    async def _window_start(self, settings: UserSettings, slot: Slot, now: datetime) -> datetime:
        """The last 24 hours, minus what the previous digest already carried."""
        start = now - DIGEST_WINDOW
        previous = (slot.local_date - timedelta(days=1)).isoformat()
        record = await self._store.get_digest(settings.user_id, previous)
        if record is not None and record.status == "sent" and record.at > start:
            start = record.at
        return start

    async def items_for(
        self, settings: UserSettings, snapshot: PoolSnapshot, since: datetime
    ) -> tuple[list[DigestItem], bool]:
        """The user's matched briefs since `since`, and whether they follow anything at all."""
        subs = await self._store.list_subscriptions(settings.user_id)
        topics = [s.value for s in subs if s.kind == "topic"]
        feeds = [s.value for s in subs if s.kind == "feed"]
        items = [
            DigestItem(p.brief, p.article.url, p.article.created_at)
            for p in snapshot.matching(topics, feeds, since)
        ]
        return items, bool(subs)

    async def compose_for(
        self,
        settings: UserSettings,
        slot: Slot,
        now: datetime,
        *,
        force: bool = False,
        snapshot: PoolSnapshot | None = None,
    ) -> tuple[list[str], int]:
        """The user's digest messages for `slot` and how many briefs they hold."""
        since = await self._window_start(settings, slot, now)
        if snapshot is None:
            snapshot = PoolSnapshot(await self._pool.since(now - DIGEST_WINDOW))
        items, has_subs = await self.items_for(settings, snapshot, since)
        messages = compose_digest(
            items,
            language=settings.language,
            local_date=slot.local_date,
            force=force,
            has_subscriptions=has_subs,
        )
        return messages, len(items)

    # --- sending --------------------------------------------------------------------------------

    async def tick(self) -> TickReport:
        """Send every digest that is due; returns at once if the previous tick is still sending."""
        if self._lock.locked():
            return TickReport()
        async with self._lock:
            return await self._tick()

    async def _resync(self, now: datetime) -> None:
        """Schedule users created since start: from their next slot, never a past one."""
        self._last_resync = now
        for uid in await self._store.list_user_ids():
            if uid in self._known:
                continue
            settings = await self._store.get_user(uid)
            if settings is None:
                continue
            self._known.add(uid)
            if settings.active and settings.digest_enabled:
                self._due[uid] = next_slot(now, settings, self._default_tz).at

    async def _tick(self) -> TickReport:
        now = self._clock()
        if self._last_resync is None or now - self._last_resync >= RESYNC_INTERVAL:
            await self._resync(now)
        due_ids = [uid for uid, at in self._due.items() if at <= now]
        if not due_ids:
            return TickReport()
        snapshot = PoolSnapshot(await self._pool.since(now - DIGEST_WINDOW))
        # Composing and sending overlap: a producer composes into a short queue while the
        # broadcaster's workers send, so store writes, HTTP and composing run side by side.
        queue: asyncio.Queue[Delivery | None] = asyncio.Queue(maxsize=QUEUE_DEPTH)
        skipped = 0

        async def produce() -> None:
            nonlocal skipped
            try:
                for uid in due_ids:
                    try:
                        delivery = await self._prepare(uid, now, snapshot)
                    except Exception:  # one user's bad data must not stop everyone's digest
                        log.exception("digest: could not compose for one user")
                        continue
                    if delivery == "skipped":
                        skipped += 1
                    elif delivery is not None:
                        self._in_flight.add(uid)
                        await queue.put(delivery)
            finally:
                await queue.put(None)  # the end: deliver_all reads until it

        producer = asyncio.create_task(produce())
        try:
            counts = await self._broadcaster.deliver_all(queue)
            await producer
        finally:
            producer.cancel()
            self._in_flight.clear()
        report = TickReport(
            due=len(due_ids),
            sent=counts["sent"],
            skipped=skipped,
            failed=counts["failed"],
            blocked=counts["blocked"],
        )
        log.info(
            "digest: %d due, %d sent, %d skipped, %d failed, %d blocked",
            report.due,
            report.sent,
            report.skipped,
            report.failed,
            report.blocked,
        )
        return report

    async def _prepare(
        self, uid: int, now: datetime, snapshot: PoolSnapshot
    ) -> Delivery | Literal["skipped"] | None:
        """The user's due digest, "skipped" (logged: nothing matched), or None (not due)."""
        settings = await self._store.get_user(uid)
        if settings is None:
            self._due.pop(uid, None)
            return None
        slot = latest_slot(now, settings, self._default_tz)
        if not await self._schedule(settings, now):
            return None
        self._due[uid] = next_slot(now, settings, self._default_tz).at
        messages, count = await self.compose_for(settings, slot, now, snapshot=snapshot)
        if not messages:
            await self._store.put_digest(
                uid, DigestRecord(slot.local_date.isoformat(), "skipped", now, 0)
            )
            return "skipped"
        return Delivery(settings, slot.local_date.isoformat(), messages, count)

    async def send_now(self, user_id: int) -> int:
        """/digest now: compose and send at once, even when empty; not counted as the day's
        digest. Returns the number of messages sent."""
        settings = await self._store.get_user(user_id)
        if settings is None:
            return 0
        now = self._clock()
        since = now - DIGEST_WINDOW
        snapshot = PoolSnapshot(await self._pool.since(since))
        items, has_subs = await self.items_for(settings, snapshot, since)
        messages = compose_digest(
            items,
            language=settings.language,
            local_date=now.astimezone(zone(settings.timezone, self._default_tz)).date(),
            force=True,
            has_subscriptions=has_subs,
        )
        sent = 0
        for text in messages:
            outcome = await self._broadcaster.send_one(
                settings.chat_id, text, settings.digest_silent
            )
            if outcome is not None:
                break
            sent += 1
        return sent
