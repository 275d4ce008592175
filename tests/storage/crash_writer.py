"""The writer the crash test kills: writes in a loop and prints "ack <n>" after each write's await
returned, i.e. once the store acknowledged it. Run: python -m tests.storage.crash_writer DIR START
"""

from __future__ import annotations

import asyncio
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


def user_of(n: int) -> int:
    return n % USERS + 1


def kind_of(n: int) -> int:
    return (n // USERS) % KINDS


async def main(data_dir: Path, start: int) -> None:
    store = TinyStore(data_dir, RETENTION)
    await store.open()
    print("ready", flush=True)
    now = datetime.now(UTC)
    for n in range(start, start + MAX_WRITES):
        uid, kind = user_of(n), kind_of(n)
        if kind == 0:
            await store.add_history(uid, HistoryItem(created_at=now, brief={"n": n, "pad": PAD}))
        elif kind == 1:
            await store.save_user(UserSettings(user_id=uid, chat_id=n))
        elif kind == 2:
            await store.add_subscription(uid, Subscription("topic", f"t{n}", now))
        else:
            await store.put_article(Article(id=f"a{n}", created_at=now, brief={"n": n}))
        print(f"ack {n}", flush=True)
    await store.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2])))
