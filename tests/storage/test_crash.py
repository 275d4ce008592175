"""Kill -9 a writer at random moments, 50 times: every acknowledged write must be there after.

Nothing here depends on the machine's speed: four in five kills are aimed at writes by waiting
for 1 to MAX_ACKS_BEFORE_KILL acknowledgements (however long they take), the others at start-up.

The test can fail: with the store's atomic replace swapped for an in-place write (TinyDB's own
way), it finds files that no longer parse, moved aside, after a few kills:
    BRIEFBOT_CRASH_MUTANT=in-place .venv/bin/pytest tests/storage/test_crash.py   # must FAIL
"""

from __future__ import annotations

import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from storage import TinyStore
from tests.storage.crash_writer import RETENTION, kind_of, sub_value, user_of

ROOT = Path(__file__).resolve().parents[2]
KILLS = 50
# How long to wait for the writer's next line before calling it stalled (it starts in ~0.2 s and
# acknowledges a write every few ms; generous for a loaded 2-core CI machine).
STALL_TIMEOUT_S = 60.0
# Share of the runs killed during start-up (the stamp, the sweep, the first writes) instead of
# after some acknowledged writes.
START_UP_KILLS = 0.2
# Most kills come after 1 to MAX_ACKS_BEFORE_KILL acknowledged writes, plus up to
# KILL_DELAY_S: the writer is then in the middle of its next write, however fast the disk is.
MAX_ACKS_BEFORE_KILL = 10
KILL_DELAY_S = 0.005


def run_and_kill(data_dir: Path, start: int, rng: random.Random) -> tuple[bool, list[int]]:
    """One writer run: whether the kill was aimed at writes (rather than start-up), and the
    numbers of the writes the writer acknowledged before it died."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.storage.crash_writer", str(data_dir), str(start)],
        cwd=ROOT, stdout=subprocess.PIPE, bufsize=0,  # unbuffered: select sees every line
    )
    assert proc.stdout is not None
    seen: list[bytes] = []
    at_writes = rng.random() >= START_UP_KILLS
    try:
        if not at_writes:
            time.sleep(rng.uniform(0.0, 0.3))
        else:
            for _ in range(1 + rng.randint(1, MAX_ACKS_BEFORE_KILL)):  # "ready", then acks
                ready, _, _ = select.select([proc.stdout], [], [], STALL_TIMEOUT_S)
                assert ready, "the writer stalled"
                seen.append(proc.stdout.readline())
            time.sleep(rng.uniform(0.0, KILL_DELAY_S))
        proc.send_signal(signal.SIGKILL)
        out = b"".join(seen) + proc.stdout.read()
    finally:
        proc.kill()
        proc.wait()
    acked = []
    for line in out.decode().splitlines(keepends=True):
        if line.startswith("ack ") and line.endswith("\n"):
            acked.append(int(line.split()[1]))
    return at_writes, acked


async def test_acknowledged_writes_survive_sigkill(tmp_path: Path) -> None:
    rng = random.Random(20260301)  # noqa: S311  # reproducible kill times, not secrets
    data_dir = tmp_path / "data"
    history: dict[int, set[int]] = {1: set(), 2: set(), 3: set()}
    settings: dict[int, int] = {}
    topics: dict[int, set[str]] = {1: set(), 2: set(), 3: set()}
    articles: set[str] = set()
    total_acked = 0
    aimed_at_writes = 0
    for round_no in range(KILLS):
        at_writes, acked = run_and_kill(data_dir, round_no * 1_000_000, rng)
        if at_writes:
            aimed_at_writes += 1
            assert acked, f"round {round_no}: killed after acknowledgements, yet none was read"
        for n in acked:
            uid, kind = user_of(n), kind_of(n)
            if kind == 0:
                history[uid].add(n)
            elif kind == 1:
                settings[uid] = n
            elif kind == 2:
                topics[uid].add(sub_value(n))
            else:
                articles.add(f"a{n}")
            total_acked += 1
        if not data_dir.exists():
            continue  # killed before it created anything
        async with TinyStore(data_dir, RETENTION) as store:
            assert (await store.health()).quarantined == ()
            for uid in (1, 2, 3):
                export = await store.export_user(uid)
                stored = {h.brief["n"] for h in export.history}
                assert history[uid] <= stored, f"round {round_no}: lost history"
                assert topics[uid] <= {s.value for s in export.subscriptions}
                # The follower index agrees with the user's file, whatever the kill interrupted.
                for sub in export.subscriptions:
                    if sub.kind == "feed":
                        assert uid in await store.feed_followers(sub.value), f"round {round_no}"
                if uid in settings:
                    # one writer, increasing n: the stored value is the last acked or newer
                    assert export.settings is not None
                    assert export.settings.chat_id >= settings[uid]
            for article_id in sorted(articles)[-50:]:
                assert await store.get_article(article_id) is not None
        assert not list(data_dir.rglob("*.tmp-*")), "stale temporary files survived an open"
    # Most kills were aimed at writes (a property of the seed, not of the machine's speed).
    assert aimed_at_writes >= KILLS // 2 and total_acked >= aimed_at_writes
