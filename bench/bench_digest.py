"""`make bench` (digest): daily digests for 10,000 users through the Bot API emulator on 127.0.0.1.

1. Throttling off: 10,000 users in 10 time zones, all due now, each following 1-3 of 12 topics
   (some a feed), over a pool of 240 briefed articles in the real TinyStore. Timed: the scheduler
   start (catch-up scan of the digest log) plus one tick that composes every digest and delivers
   it with python-telegram-bot's Bot to the emulator. Target: <= 60 s, each user exactly once
   (one digest heading per sent user, none for skipped ones, nothing more on a second tick or
   after a restart).
2. Throttling on: the emulator enforces Telegram-like flood limits (30/s overall, 1/s per chat,
   answering 429 retry_after beyond them) and the broadcaster paces. A bounded sample of users
   (about 300 messages, some digests of 2+ messages) is sent; measured from the emulator's own
   clock: the busiest 1-second window, the mean rate, the closest two messages to one chat, and
   how many 429 answers there were.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import Forbidden

from bot.request import AiohttpRequest
from briefing.model import Brief, Dispute, Source, Statement
from digest.broadcast import WORKERS, Broadcaster
from digest.clock import real_sleep, utc_now
from digest.pool import ArticlePool
from digest.service import DigestService
from digest.texts import TEXTS
from playground.botapi import FloodLimits
from playground.emulator import Emulator
from storage.base import DigestRecord, Subscription, UserSettings
from storage.tinydb_store import TinyStore

USERS = int(os.environ.get("BENCH_DIGEST_USERS", "10000"))  # the target is for 10,000
TARGET_S = 60.0
THROTTLED_USERS = 240  # bounded sample for the flood-limit measurement
ARTICLES = 240
SEED = 20261127
ZONES = (
    "Europe/Berlin",
    "Europe/Moscow",
    "America/New_York",
    "Asia/Tokyo",
    "UTC",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Europe/Madrid",
    "Africa/Cairo",
)
LANGUAGES = ("en", "ru", "de", "fr", "es")
# (parties, issue, speaker, role, topic a user may follow)
DISPUTES = (
    (
        ("Russia", "European Union"),
        "sanctions over the Navalny case",
        "Dmitry Peskov",
        "Kremlin spokesman",
        "Russia EU sanctions",
    ),
    (
        ("China", "United States"),
        "tariffs on electric cars",
        "Wang Wenbin",
        "foreign ministry spokesman",
        "China tariffs",
    ),
    (("Serbia", "Kosovo"), "licence plates", "Albin Kurti", "prime minister", "Kosovo Serbia"),
    (("Ukraine", "Russia"), "grain corridor", "Dmytro Kuleba", "foreign minister", "Ukraine"),
    (
        ("United Kingdom", "European Union"),
        "Northern Ireland protocol",
        "Maros Sefcovic",
        "EU commissioner",
        "Brexit",
    ),
    (
        ("OPEC", "United States"),
        "oil output",
        "Abdulaziz bin Salman",
        "energy minister",
        "oil prices",
    ),
)
EXTRA_TOPICS = ("Navalny", "Peskov", "NATO", "Borrell", "Навальный", "Sanktionen")
FEED_URL = "https://feeds.example/world.xml"
HEADINGS = tuple(v.split(" ·")[0] for v in TEXTS["heading"].values())

log = logging.getLogger("bench_digest")


def make_articles(
    now: datetime, rng: random.Random
) -> list[tuple[Brief, str, datetime, str | None]]:
    out = []
    for i in range(ARTICLES):
        parties, issue, speaker, role, _ = DISPUTES[i % len(DISPUTES)]
        words = " ".join(
            rng.choice(
                (
                    "talks",
                    "warned",
                    "rejected",
                    "deal",
                    "said",
                    "vote",
                    "minister",
                    "summit",
                    "court",
                    "border",
                )
            )
            for _ in range(60)
        )
        text = f"Article {i}. {speaker} said {issue} matters. {words} Navalny EU sanctions."
        brief = Brief(
            language="en",
            text=text,
            summary=(f"{speaker} spoke about {issue} on day {i}.",),
            title=f"{parties[0]} and {parties[1]}: {issue} ({i})",
            statements=(
                Statement(
                    quote=f"We will not accept this, number {i}.",
                    kind="direct",
                    speaker=speaker,
                    role=role,
                    side=parties[0],
                ),
                Statement(
                    quote="dialogue is still possible",
                    kind="indirect",
                    speaker="A spokesperson",
                    side=parties[1],
                ),
            ),
            dispute=Dispute(parties=parties, issue=issue, stance="conflict"),
            source=Source(url=f"https://news.example/{i}", site="news.example"),
        )
        published = now - timedelta(minutes=rng.randint(5, 23 * 60))
        out.append(
            (brief, f"https://news.example/{i}", published, FEED_URL if i % 5 == 0 else None)
        )
    return out


async def populate(store: TinyStore, uids: range, now: datetime, rng: random.Random) -> None:
    topics = [d[4] for d in DISPUTES] + list(EXTRA_TOPICS)
    for uid in uids:
        tz = ZONES[uid % len(ZONES)]
        due = (now - timedelta(minutes=2)).astimezone(ZoneInfo(tz))
        await store.save_user(
            UserSettings(
                user_id=uid,
                chat_id=uid,
                language=LANGUAGES[uid % len(LANGUAGES)],
                timezone=tz,
                digest_time=due.strftime("%H:%M"),
                created_at=now - timedelta(days=3),
                digest_silent=uid % 7 == 0,
            )
        )
        for topic in rng.sample(topics, rng.randint(1, 3)):
            await store.add_subscription(uid, Subscription("topic", topic, now))
        if uid % 20 == 0:
            await store.add_subscription(uid, Subscription("feed", FEED_URL, now))


def _serve_emulator(conn: Connection, throttled: bool, users: int, blocked: list[int]) -> None:
    """The emulator in a process of its own (its own GIL: the bot and the emulator use both
    cores, as they would on two machines). Answers its address, then the sendMessage log."""
    tg = Emulator(flood_limits=FloodLimits() if throttled else None).start()
    for uid in range(1, users + 1):
        tg.add_user(uid)
    for uid in blocked:
        tg.block(uid)
    conn.send((tg.base_url, tg.token))
    conn.recv()
    conn.send(
        [
            (int(str(c.params.get("chat_id"))), c.at)
            for c in tg.api.calls
            if c.method.lower() == "sendmessage"
        ]
    )
    tg.stop()


class EmulatorProcess:
    def __init__(self, *, throttled: bool, users: int, blocked: list[int]) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(
            target=_serve_emulator, args=(child, throttled, users, blocked), daemon=True
        )

    def __enter__(self) -> tuple[str, str]:
        self._proc.start()
        base_url, token = self._conn.recv()
        return str(base_url), str(token)

    def sends(self) -> list[tuple[int, float]]:
        """Stops the emulator; every sendMessage it received: (chat id, its clock)."""
        self._conn.send("stop")
        calls: list[tuple[int, float]] = self._conn.recv()
        return calls

    def __exit__(self, *exc: object) -> None:
        self._proc.join(timeout=20)
        if self._proc.is_alive():
            self._proc.kill()


class Recorder:
    """The bot's send: PTB's Bot.send_message to the emulator, counting what went to each chat."""

    def __init__(self, bot: Bot | None, fake: InProcessTelegram | None = None) -> None:
        self.bot = bot
        self.fake = fake
        self.headings: Counter[int] = Counter()
        self.messages: Counter[int] = Counter()
        self.retry_after = 0

    async def __call__(self, chat_id: int, text: str, silent: bool) -> None:
        try:
            if self.bot is not None:
                await self.bot.send_message(
                    chat_id, text, parse_mode=ParseMode.HTML, disable_notification=silent
                )
            elif self.fake is not None:
                await self.fake(chat_id, text, silent)
        except Exception as error:
            if type(error).__name__ == "RetryAfter":
                self.retry_after += 1
            raise
        self.messages[chat_id] += 1
        if any(text.startswith(f"<b>{h}") for h in HEADINGS):
            self.headings[chat_id] += 1


async def seed_store(root: Path, now: datetime) -> Path:
    """10,000 users and the day's articles in a TinyStore directory, built once and copied."""
    rng = random.Random(SEED)
    store = TinyStore(root / "seed")
    await store.open()
    t = time.perf_counter()
    pool = ArticlePool(store, utc_now)
    for brief, url, published, feed in make_articles(now, rng):
        await pool.add(brief, url=url, feed_url=feed, published=published)
    await populate(store, range(1, USERS + 1), now, rng)
    await store.close()
    print(
        f"setup: {USERS} users, {ARTICLES} articles in the TinyStore: "
        f"{time.perf_counter() - t:.1f} s"
    )
    return root / "seed"


class InProcessTelegram:
    """sendMessage without HTTP: Forbidden for blocked chats, like the emulator and Telegram."""

    def __init__(self, blocked: set[int]) -> None:
        self.blocked = blocked
        self.calls = 0

    async def __call__(self, chat_id: int, text: str, silent: bool) -> None:
        self.calls += 1
        if chat_id in self.blocked:
            raise Forbidden("Forbidden: bot was blocked by the user")
        await asyncio.sleep(0)


async def deliver_all_users(seed: Path, data_dir: Path, now: datetime, *, http: bool) -> bool:
    """One daily run for every user; `http`: through PTB and the emulator, else in process."""
    shutil.copytree(seed, data_dir)
    store = TinyStore(data_dir)
    await store.open()
    blocked = list(range(97, USERS + 1, 100))  # 1% of the users blocked the bot
    emulator = EmulatorProcess(throttled=False, users=USERS if http else 0, blocked=blocked)
    api_sends = 0
    async with contextlib.AsyncExitStack() as stack:
        if http:
            base_url, token = stack.enter_context(emulator)
            request = AiohttpRequest(connection_pool_size=WORKERS)
            bot = await stack.enter_async_context(Bot(token, base_url=base_url, request=request))
            send = Recorder(bot)
        else:
            fake = InProcessTelegram(set(blocked))
            send = Recorder(None, fake)
        broadcaster = Broadcaster(store, send, utc_now, real_sleep, throttle=False)
        service = DigestService(
            store, ArticlePool(store, utc_now), broadcaster, utc_now, default_tz="UTC"
        )
        t = time.perf_counter()
        due = await service.start()
        report = await service.tick()
        elapsed = time.perf_counter() - t
        # Exactly once: a second tick, then a restarted service, send nothing more.
        again = await service.tick()
        restarted = DigestService(
            store, ArticlePool(store, utc_now), broadcaster, utc_now, default_tz="UTC"
        )
        after_restart = await restarted.start()
        await restarted.tick()
        api_sends = len(emulator.sends()) if http else fake.calls

    statuses: Counter[str] = Counter()
    blocked_set = set(blocked)
    wrong = 0
    for uid in range(1, USERS + 1):
        local = (now - timedelta(minutes=2)).astimezone(ZoneInfo(ZONES[uid % len(ZONES)]))
        record: DigestRecord | None = await store.get_digest(uid, local.date().isoformat())
        status = record.status if record else "none"
        statuses[status] += 1
        expected = 1 if status == "sent" else 0
        wrong += send.headings[uid] != expected
        # A user who blocked the bot is "failed" (marked inactive), or "skipped" when nothing
        # matched for them (then nothing was sent and Telegram was never asked).
        if uid in blocked_set:
            wrong += status not in ("failed", "skipped")
        else:
            wrong += status == "failed"
    await store.close()
    total_msgs = sum(send.messages.values())
    how = "PTB Bot -> Bot API emulator over 127.0.0.1" if http else "in-process fake send"
    print(f"throttling off, {how}:")
    print(
        f"  {due} due, {report.sent} sent, {report.skipped} skipped (nothing matched), "
        f"{report.failed} failed, {report.blocked} blocked"
    )
    print(
        f"  composed and delivered in {elapsed:.1f} s (target <= {TARGET_S:.0f} s): "
        f"{USERS / elapsed:.0f} users/s, {total_msgs} messages "
        f"({api_sends} sendMessage calls received)"
    )
    print(f"  digest log: {dict(statuses)}; users with a wrong number of digests: {wrong}")
    print(f"  second tick sent {again.sent}; restarted service found {after_restart} due")
    ok = (
        elapsed <= TARGET_S
        and wrong == 0
        and again.sent == 0
        and after_restart == 0
        and report.sent + report.skipped + report.blocked == USERS
        and api_sends == total_msgs + report.blocked
        and report.blocked == statuses["failed"]
    )
    print(f"  {'OK' if ok else 'MISSED'}")
    return ok


async def run_throttled(root: Path) -> bool:
    rng = random.Random(SEED + 1)
    now = utc_now()
    store = TinyStore(root / "throttled")
    await store.open()
    pool = ArticlePool(store, utc_now)
    for brief, url, published, feed in make_articles(now, rng):
        await pool.add(brief, url=url, feed_url=feed, published=published)
    await populate(store, range(1, THROTTLED_USERS + 1), now, rng)
    emulator = EmulatorProcess(throttled=True, users=THROTTLED_USERS, blocked=[])
    with emulator as (base_url, token):
        request = AiohttpRequest(connection_pool_size=WORKERS)
        async with Bot(token, base_url=base_url, request=request) as bot:
            send = Recorder(bot)
            broadcaster = Broadcaster(store, send, utc_now, real_sleep, monotonic=time.monotonic)
            service = DigestService(
                store, ArticlePool(store, utc_now), broadcaster, utc_now, default_tz="UTC"
            )
            await service.start()
            t = time.perf_counter()
            report = await service.tick()
            elapsed = time.perf_counter() - t
        calls = emulator.sends()
    await store.close()
    accepted = sum(send.messages.values())
    stamps = sorted(at for _, at in calls)
    busiest = max(sum(1 for s in stamps[i:] if s < t0 + 1.0) for i, t0 in enumerate(stamps))
    by_chat: dict[int, list[float]] = defaultdict(list)
    for chat, at in calls:
        by_chat[chat].append(at)
    gaps = [
        b - a for ts in by_chat.values() for a, b in zip(sorted(ts), sorted(ts)[1:], strict=False)
    ]
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    mean_rate = (len(stamps) - 1) / span if span else 0.0
    multi = sum(1 for n in send.messages.values() if n > 1)
    print(
        f"throttling on: {report.sent} digests, {accepted} messages "
        f"({multi} users with 2+ messages) in {elapsed:.1f} s"
    )
    print(
        f"  busiest 1 s window {busiest} messages (limit 30), mean {mean_rate:.1f}/s, "
        f"closest two in one chat {min(gaps) if gaps else float('nan'):.2f} s "
        f"(limit ~1 s), median per-chat gap "
        f"{statistics.median(gaps) if gaps else float('nan'):.2f} s, "
        f"429 answers {send.retry_after}"
    )
    ok = busiest <= 30 and send.retry_after == 0 and report.sent > 0
    print(f"  {'OK' if ok else 'MISSED'}")
    return ok


async def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench_digest_") as tmp:
        root = Path(tmp)
        now = utc_now()
        seed = await seed_store(root, now)
        ok = await deliver_all_users(seed, root / "in-process", now, http=False)
        ok = await deliver_all_users(seed, root / "emulator", now, http=True) and ok
        ok = await run_throttled(root) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
