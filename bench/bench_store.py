"""`make bench ONLY=store`: the store at 10,000 users x 100 briefs (1 million) vs plain TinyDB.

What it does, in order:
1. Loads 10,000 users with settings and 100 briefs each (~2 KB of Brief JSON) through
   `TinyStore.bulk_load_user`: whole files (user.json, one history segment) written by the
   store's own layout and atomic replace, without a per-file fsync, then one `os.sync()`.
   This is a bulk generator, not the measured write path.
2. Reopens the directory (timed), then times through the async API, on users picked at random:
   recording a brief (`add_history`), reading one user's newest page of 10 (`history_page`) and a
   page deeper in (offset 50), and the first `feed_followers` (builds its index from every user).
3. Disk: allocated bytes of the whole data directory against the raw JSON of the same history
   items (each item as one compact JSON document).
4. Baseline: plain TinyDB with CachingMiddleware(JSONStorage), one file, the same documents, on a
   sample of the users (the full million would hold ~2 GB in one JSON file that every flush
   rewrites); its figures are also shown scaled linearly to the full size, marked as such.

Options: --users N --items N --ops N --baseline-users N --dir PATH (default: a temporary one).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tinydb import Query, TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import JSONStorage

from storage import HistoryItem, RetentionPolicy, TinyStore, UserSettings, codec
from storage.atomic import atomic_write

TARGET_RECORD_P99_MS = 10.0
TARGET_PAGE_P99_MS = 10.0
TARGET_OPEN_S = 2.0
TARGET_DISK_RATIO = 1.5
PAGE_SIZE = 10
FLOOR_OPS = 300
START = datetime(2026, 1, 1, tzinfo=UTC)

_TEXT = (
    "Moscow looking ways normalize relations European Union dialogue needed despite existing "
    "differences Kremlin spokesman Dmitry Peskov said Wednesday recalling foreign policy chief "
    "Josep Borrell spoke need during recent visit sanctions Navalny case double standards "
    "Brussels ministers meeting announced plans initiate new measures against officials"
)
WORDS = tuple(_TEXT.split())
# Distinct random briefs generated up front; each stored brief is one of them with its own title
# and URL (generating 1 million random texts would dominate the run).
BRIEF_POOL = 2_000


def random_brief(rng: random.Random, n: int) -> dict[str, Any]:
    """A Brief.to_json()-shaped dict of about 2 KB."""

    def sentence(k: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(k)).capitalize() + "."

    return {
        "language": "en",
        "language_supported": True,
        "title": f"{sentence(9)[:-1]} ({n})",
        "text": " ".join(sentence(rng.randint(14, 20)) for _ in range(5)),
        "summary": [sentence(rng.randint(16, 22)) for _ in range(3)],
        "statements": [
            {
                "speaker": rng.choice(["Dmitry Peskov", "Josep Borrell", "Sergei Lavrov"]),
                "role": rng.choice(["Kremlin spokesman", "EU foreign policy chief", "minister"]),
                "quote": sentence(rng.randint(10, 18)),
                "kind": rng.choice(["direct", "indirect"]),
                "cue": "said",
                "side": rng.choice(["Russia", "European Union"]),
            }
            for _ in range(3)
        ],
        "dispute": {
            "parties": ["Russia", "European Union"],
            "issue": "sanctions over the Navalny case",
            "stance": "conflict",
        },
        "source": {
            "url": f"https://www.urdupoint.com/en/world/{n}.html",
            "site": "UrduPoint",
            "author": None,
            "date": "2021-02-10",
            "channel": "World Desk",
            "channel_url": None,
        },
    }


class Briefs:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = [random_brief(rng, n) for n in range(BRIEF_POOL)]

    def __call__(self, n: int) -> dict[str, Any]:
        """A brief unique to n (title and URL), its body drawn from the pool."""
        base = self.pool[self.rng.randrange(BRIEF_POOL)]
        return {
            **base,
            "title": f"{base['title']} [{n}]",
            "source": {**base["source"], "url": f"https://www.urdupoint.com/en/world/{n}.html"},
        }


def compact(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def disk_bytes(root: Path) -> tuple[int, int]:
    """(allocated bytes, apparent bytes) of every file under root."""
    allocated = apparent = 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            st = Path(dirpath, name).stat()
            allocated += st.st_blocks * 512
            apparent += st.st_size
    return allocated, apparent


class Timer:
    def __init__(self) -> None:
        self.ms: list[float] = []

    async def run(self, make: Callable[[], Any]) -> None:
        t = time.perf_counter()
        await make()
        self.ms.append((time.perf_counter() - t) * 1000)

    def row(self, name: str) -> str:
        return (f"{name:<44} {statistics.median(self.ms):9.2f} {pct(self.ms, 99):9.2f} "
                f"{max(self.ms):9.2f}  (n={len(self.ms)})")


async def run_ours(args: argparse.Namespace, root: Path, make_brief: Briefs) -> dict[str, Any]:
    rng = make_brief.rng
    data = root / "briefbot"
    retention = RetentionPolicy(max_items=1000, max_age_days=100_000)
    raw = 0
    t0 = time.perf_counter()
    async with TinyStore(data, retention) as store:
        for uid in range(1, args.users + 1):
            items = []
            for k in range(args.items):
                item = HistoryItem(created_at=START + timedelta(minutes=k),
                                   brief=make_brief(uid * 1000 + k), article_id=f"a{k}")
                raw += len(compact(codec.history_out(item)))
                items.append(item)
            settings = UserSettings(user_id=uid, chat_id=uid, created_at=START)
            await store.bulk_load_user(settings, items, sync=False)
            if uid % 1000 == 0:
                print(f"  loaded {uid} users ({time.perf_counter() - t0:.0f} s)", flush=True)
    os.sync()  # the bulk load skipped the per-file fsyncs: everything is on disk before timing
    load_s = time.perf_counter() - t0
    floor = io_floor(data)

    t = time.perf_counter()
    store = TinyStore(data, retention)
    await store.open()
    open_s = time.perf_counter() - t
    try:
        t = time.perf_counter()
        await store.feed_followers("https://example.org/rss")
        index_s = time.perf_counter() - t

        record, page, deep = Timer(), Timer(), Timer()
        users = [rng.randint(1, args.users) for _ in range(args.ops)]
        for i, uid in enumerate(users):
            fresh = HistoryItem(created_at=START + timedelta(days=1, seconds=i),
                                brief=make_brief(10**9 + i))
            raw += len(compact(codec.history_out(fresh)))  # on disk too, so counted in raw
            await record.run(lambda uid=uid, fresh=fresh: store.add_history(uid, fresh))
        for uid in (rng.randint(1, args.users) for _ in range(args.ops)):
            await page.run(lambda uid=uid: store.history_page(uid, 0, PAGE_SIZE))
        for uid in (rng.randint(1, args.users) for _ in range(args.ops)):
            await deep.run(lambda uid=uid: store.history_page(uid, args.items // 2, PAGE_SIZE))
        got = await store.history_page(users[-1], 0, 1)
        assert got and got[0].created_at == START + timedelta(days=1, seconds=len(users) - 1)
    finally:
        await store.close()
    allocated, apparent = disk_bytes(data)
    rollover = await time_rollover(root / "rollover", make_brief, args.rollover_users)
    return {
        "load_s": load_s, "open_s": open_s, "index_s": index_s, "record": record, "page": page,
        "deep": deep, "raw": raw, "allocated": allocated, "apparent": apparent, "floor": floor,
        "rollover": rollover,
    }


async def time_rollover(data: Path, make_brief: Briefs, users: int) -> Timer:
    """Recording the brief that starts a new history segment (one in every segment's worth of
    briefs per user): users whose newest segment is exactly full, then one brief each."""
    timer = Timer()
    # The generated briefs are dated 2026-01-01: keep them visible whatever today is.
    retention = RetentionPolicy(max_items=1000, max_age_days=100_000)
    async with TinyStore(data, retention) as store:
        segment = int(json.loads((data / "store.json").read_bytes())["history_segment"])
        for uid in range(1, users + 1):
            items = [HistoryItem(created_at=START + timedelta(minutes=k), brief=make_brief(k))
                     for k in range(segment)]
            await store.bulk_load_user(UserSettings(user_id=uid, chat_id=uid), items, sync=False)
    os.sync()
    async with TinyStore(data, retention) as store:
        for uid in range(1, users + 1):
            fresh = HistoryItem(created_at=START + timedelta(days=1), brief=make_brief(uid))
            await timer.run(lambda uid=uid, fresh=fresh: store.add_history(uid, fresh))
            assert await store.history_count(uid) == segment + 1
    return timer


def io_floor(directory: Path) -> tuple[Timer, Timer]:
    """The disk's own cost, measured in the same run: appending a 2 KB line with fdatasync (what
    recording a brief must do at least), and a crash-safe replace of a 200 KB file."""
    append, replace = Timer(), Timer()
    probe = directory / "io-probe"
    line = b"x" * 2047 + b"\n"
    block = b"y" * 200_000
    for _ in range(FLOOR_OPS):
        t = time.perf_counter()
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.write(fd, line)
        os.fdatasync(fd)
        os.close(fd)
        append.ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        atomic_write(directory / "io-probe-2", block)
        replace.ms.append((time.perf_counter() - t) * 1000)
    probe.unlink()
    (directory / "io-probe-2").unlink()
    return append, replace


async def run_baseline(args: argparse.Namespace, root: Path, make_brief: Briefs) -> dict[str, Any]:
    rng = make_brief.rng
    (root / "plain").mkdir()
    path = root / "plain" / "plain.json"
    raw = 0
    t0 = time.perf_counter()
    db = TinyDB(path, storage=CachingMiddleware(JSONStorage))
    docs = []
    for uid in range(1, args.baseline_users + 1):
        for k in range(args.items):
            doc = {"user_id": uid, **codec.history_out(HistoryItem(
                created_at=START + timedelta(minutes=k), brief=make_brief(uid * 1000 + k),
                article_id=f"a{k}"))}
            raw += len(compact(doc))
            docs.append(doc)
    db.table("history").insert_multiple(docs)
    del docs
    db.close()  # CachingMiddleware writes the file here
    load_s = time.perf_counter() - t0

    t = time.perf_counter()
    db = TinyDB(path, storage=CachingMiddleware(JSONStorage))
    table = db.table("history")
    len(table)  # TinyDB reads the file on first use
    open_s = time.perf_counter() - t
    record, page = Timer(), Timer()
    ops = args.baseline_ops
    for i in range(ops):
        uid = rng.randint(1, args.baseline_users)
        doc = {"user_id": uid, **codec.history_out(HistoryItem(
            created_at=START + timedelta(days=1, seconds=i), brief=make_brief(10**9 + i)))}
        raw += len(compact(doc))  # on disk too, so counted in raw

        async def insert(doc: dict[str, Any] = doc) -> None:
            table.insert(doc)

        await record.run(insert)
    user = Query().user_id
    for _ in range(args.baseline_page_ops):
        uid = rng.randint(1, args.baseline_users)

        async def read_page(uid: int = uid) -> None:
            rows = table.search(user == uid)
            rows.sort(key=lambda d: d["created_at"], reverse=True)
            rows[:PAGE_SIZE]

        table.clear_cache()
        await page.run(read_page)
    # CachingMiddleware rewrites the whole file once every WRITE_CACHE_SIZE (1000) writes and
    # acknowledges the other 999 from memory: time one such flush; it is charged 1/1000 per write.
    t = time.perf_counter()
    db.storage.flush()
    flush_ms = (time.perf_counter() - t) * 1000
    db.close()
    allocated, apparent = disk_bytes(path.parent)
    return {"load_s": load_s, "open_s": open_s, "record": record, "page": page, "raw": raw,
            "allocated": allocated, "apparent": apparent, "ops": ops, "flush_ms": flush_ms}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=10_000)
    ap.add_argument("--items", type=int, default=100)
    ap.add_argument("--ops", type=int, default=2_000)
    ap.add_argument("--baseline-users", type=int, default=1_000)
    ap.add_argument("--rollover-users", type=int, default=300)
    ap.add_argument("--baseline-ops", type=int, default=100)
    ap.add_argument("--baseline-page-ops", type=int, default=20)
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args()
    make_brief = Briefs(random.Random(7))
    root = Path(tempfile.mkdtemp(prefix="bench-store-", dir=args.dir))
    try:
        print(f"store: {args.users} users x {args.items} briefs; baseline plain TinyDB on "
              f"{args.baseline_users} users (in {root}); load average "
              f"{'/'.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
        ours = asyncio.run(run_ours(args, root, make_brief))
        print(f"  our load: {ours['load_s']:.1f} s", flush=True)
        base = asyncio.run(run_baseline(args, root, make_brief))
        print(f"  baseline load: {base['load_s']:.1f} s", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    print("load average at the end: " + "/".join(f"{x:.1f}" for x in os.getloadavg()))
    scale = args.users / args.baseline_users
    ratio = ours["allocated"] / ours["raw"]
    print()
    print(f"{'TinyStore (' + str(args.users * args.items) + ' briefs)':<44} "
          f"{'median ms':>9} {'p99 ms':>9} {'max ms':>9}")
    print(ours["record"].row("record a brief (add_history, random user)"))
    print(ours["page"].row(f"history page, newest {PAGE_SIZE}"))
    print(ours["deep"].row(f"history page, offset {args.items // 2}"))
    print(ours["rollover"].row("record a brief that starts a new segment"))
    print(f"open (reopen the full directory)             {ours['open_s']:.3f} s")
    print(f"first feed_followers (index of all users)    {ours['index_s']:.3f} s")
    print(f"disk allocated / raw JSON                    {ours['allocated'] / 2**20:.0f} MiB / "
          f"{ours['raw'] / 2**20:.0f} MiB = {ratio:.3f}x  (apparent "
          f"{ours['apparent'] / ours['raw']:.3f}x)")
    print(f"bulk load (no per-file fsync, then os.sync)  {ours['load_s']:.1f} s")
    append, replace = ours["floor"]
    print(append.row("I/O floor: append 2 KB + fdatasync"))
    print(replace.row("I/O floor: atomic replace of 200 KB"))
    print()
    n_base = args.baseline_users * args.items
    print(f"{'plain TinyDB+CachingMiddleware (' + str(n_base) + ' docs)':<44} "
          f"{'median ms':>9} {'p99 ms':>9} {'max ms':>9}")
    print(base["record"].row("record a brief (insert)"))
    print(base["page"].row(f"history page, newest {PAGE_SIZE} (search)"))
    print(f"open (parse the file)                        {base['open_s']:.3f} s")
    print(f"disk allocated / raw JSON                    {base['allocated'] / base['raw']:.3f}x")
    flush_every = CachingMiddleware.WRITE_CACHE_SIZE
    mean_write = statistics.mean(base["record"].ms) + base["flush_ms"] / flush_every
    print(f"one flush (every {flush_every} writes)                {base['flush_ms']:.0f} ms")
    print(f"mean write incl. 1/{flush_every} of a flush            {mean_write:.2f} ms")
    print()
    print(f"Comparison at {args.users * args.items} briefs; baseline scaled x{scale:g} from its "
          "sample (its costs grow linearly with the file), marked *:")
    ours_rec_mean = statistics.mean(ours["record"].ms)
    base_rec_mean = mean_write * scale
    base_flush = base["flush_ms"] * scale
    base_page = statistics.median(base["page"].ms) * scale
    base_open = base["open_s"] * scale
    rows = [
        ("record a brief, mean ms (durable vs cached)", ours_rec_mean, base_rec_mean),
        ("record a brief, worst ms (baseline: a flush)", max(ours["record"].ms), base_flush),
        ("history page, median ms", statistics.median(ours["page"].ms), base_page),
        ("open, s", ours["open_s"], base_open),
    ]
    print(f"{'':<46} {'TinyStore':>10} {'plain*':>12} {'plain/ours':>10}")
    for name, a, b in rows:
        print(f"{name:<46} {a:10.2f} {b:12.2f} {b / a:10.1f}")
    print()
    checks = [
        ("record a brief p99 <= 10 ms", pct(ours["record"].ms, 99) <= TARGET_RECORD_P99_MS),
        ("history page p99 <= 10 ms", pct(ours["page"].ms, 99) <= TARGET_PAGE_P99_MS),
        ("open <= 2 s", ours["open_s"] <= TARGET_OPEN_S),
        ("disk <= 1.5x raw JSON", ratio <= TARGET_DISK_RATIO),
    ]
    for name, ok in checks:
        print(f"  {'MET ' if ok else 'MISSED'}  {name}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
