"""`make bench ONLY=pool`: what a new public article costs the shared pool as the day fills.

Through `TinyStore.put_article` (the store's thread, as the bot calls it), each article carrying the
seed's real brief (~6 KB of JSON with its text), 1,600 new articles on one UTC day: the median of
the puts around 16, 800 and 1,600 articles already that day, against the disk's floor in the same
run (append the same line to a probe file + fdatasync). A put that appends stays flat; one that
rewrites its bucket grows with the day. Then the cost of reopening the pool (the index is built
from every file of the retained days) and of the digest's read of the last 24 hours.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefing import brief
from storage import Article, RetentionPolicy, TinyStore
from storage.tinystorage import encode

SHARED = Path(os.environ.get("SHARED", Path(__file__).resolve().parents[1] / "../shared"))
# Articles put on the one day: articles.
DAY_ARTICLES = 1600
# Fill levels looked at, and the puts around each that make its median: articles.
MARKS = (16, 800, 1600)
WINDOW = 15
NOON = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _seed_brief() -> dict[str, object]:
    text = sorted((SHARED / "seed").glob("*.txt"))[0].read_text("utf-8")
    return brief(text).to_json()


def _floor_ms(directory: Path, line: bytes, n: int) -> float:
    probe = directory / "probe"
    probe.write_bytes(b"")
    times = []
    fd = os.open(probe, os.O_WRONLY | os.O_APPEND)
    try:
        for _ in range(n):
            started = time.perf_counter()
            os.write(fd, line)
            os.fdatasync(fd)
            times.append(time.perf_counter() - started)
    finally:
        os.close(fd)
    return statistics.median(times) * 1000


async def _run(root: Path) -> None:
    seed = _seed_brief()
    clock = lambda: NOON  # noqa: E731 (the day the articles are put on)
    store = TinyStore(root / "data", RetentionPolicy(), clock=clock)
    await store.open()
    times: dict[int, list[float]] = {mark: [] for mark in MARKS}
    try:
        for n in range(1, DAY_ARTICLES + 1):
            article = Article(
                id=f"u:https://news.example/{n}",
                created_at=NOON,
                brief={**seed, "title": f"{seed['title']} ({n})"},
                url=f"https://news.example/{n}",
                fingerprint=f"fp-{n}",
            )
            started = time.perf_counter()
            await store.put_article(article)
            elapsed = time.perf_counter() - started
            for mark in MARKS:
                if mark - WINDOW < n <= mark:
                    times[mark].append(elapsed)
    finally:
        await store.close()
    line = encode({"brief": seed}) + b"\n"
    floor = _floor_ms(root, line, 2 * WINDOW)
    medians = {mark: statistics.median(v) * 1000 for mark, v in times.items()}
    print(f"one article's line: {len(line)} bytes; disk floor (append + fdatasync): {floor:.2f} ms")
    for mark, ms in medians.items():
        print(f"  put_article with {mark:>5} articles that day: median {ms:.2f} ms")
    first, last = medians[MARKS[0]], medians[MARKS[-1]]
    print(f"  growth from {MARKS[0]} to {MARKS[-1]} articles: {last / first:.2f}x")

    store = TinyStore(root / "data", RetentionPolicy(), clock=clock)
    started = time.perf_counter()
    await store.open()
    try:
        await store.get_article("u:https://news.example/1")
        opened = time.perf_counter() - started
        started = time.perf_counter()
        recent = await store.articles_since(NOON.replace(hour=0))
        read = time.perf_counter() - started
    finally:
        await store.close()
    print(f"  reopen and first get_article (index of {DAY_ARTICLES}): {opened * 1000:.0f} ms")
    print(f"  articles_since (the digest's read, {len(recent)} articles): {read * 1000:.0f} ms")


def main() -> int:
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"pool: {DAY_ARTICLES} new public articles on one day (load average {load})")
    with tempfile.TemporaryDirectory(prefix="bench-pool-") as tmp:
        asyncio.run(_run(Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
