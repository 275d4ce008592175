"""The writer the crash test kills: writes in a loop and prints "ack <n>" after each write's await
returned, i.e. once the store acknowledged it. Run: python -m tests.storage.crash_writer DIR START

`BRIEFBOT_CRASH_MUTANT=in-place` swaps the store's atomic replace for TinyDB's own way of writing
(overwrite in place, fsync, truncate), to show the crash test catches a non-atomic write:
    BRIEFBOT_CRASH_MUTANT=in-place .venv/bin/pytest tests/storage/test_crash.py   # must FAIL
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from storage import (
    Article,
    HistoryItem,
    RetentionPolicy,
    Subscription,
    TinyStore,
    UserSettings,
)

USERS = 3
KINDS = 4
# Far above what 50 short runs write: nothing acknowledged may be removed by retention.
RETENTION = RetentionPolicy(max_items=1_000_000, max_age_days=100_000)
# Bounds the run if nobody kills it.
MAX_WRITES = 20_000
PAD = "x" * 2000  # about the size of a real brief


def write_in_place(path: Path, data: bytes, *, sync: bool = True) -> None:
    """The mutant: what TinyDB's JSONStorage does (seek 0, write, fsync, truncate)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("r+b" if path.exists() else "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
        f.truncate()


def install_mutant() -> None:
    for name, module in list(sys.modules.items()):
        if name.startswith("storage") and hasattr(module, "atomic_write"):
            module.atomic_write = write_in_place  # type: ignore[attr-defined]


def user_of(n: int) -> int:
    return n % USERS + 1


def kind_of(n: int) -> int:
    return (n // USERS) % KINDS


def sub_value(n: int) -> str:
    return f"https://feeds.example/{n}.rss" if n % 2 else f"t{n}"


async def main(data_dir: Path, start: int) -> None:
    if os.environ.get("BRIEFBOT_CRASH_MUTANT") == "in-place":
        install_mutant()
    store = TinyStore(data_dir, RETENTION)
    await store.open()
    print("ready", flush=True)
    now = datetime.now(UTC)
    for n in range(start, start + MAX_WRITES):
        uid, kind = user_of(n), kind_of(n)
        if kind == 0:
            await store.add_history(uid, HistoryItem(created_at=now, brief={"n": n, "pad": PAD}))
        elif kind == 1:
            # The file grows and shrinks: a write that is not atomic leaves the tail of a longer
            # old version after a shorter new one when killed before it truncates.
            zone = "America/Argentina/Buenos_Aires" if n // (USERS * KINDS) % 2 else "UTC"
            await store.save_user(UserSettings(user_id=uid, chat_id=n, timezone=zone))
        elif kind == 2:
            # Alternately a topic and a feed: a feed also changes the follower index.
            sub = Subscription("feed" if n % 2 else "topic", sub_value(n), now)
            await store.add_subscription(uid, sub)
        else:
            await store.put_article(Article(id=f"a{n}", created_at=now, brief={"n": n}))
        print(f"ack {n}", flush=True)
    await store.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2])))
