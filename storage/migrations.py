"""Migrations between schema versions (registered in storage.schema.MIGRATIONS).

Each takes the data directory from version N to N + 1 and must be safe to run again after a crash
half-way: the stamp only advances once it has finished.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from storage.atomic import atomic_write, durable_unlink, fsync_dir
from storage.base import StoreError
from storage.tinystorage import encode

log = logging.getLogger(__name__)

# Schema 1 kept history in TinyDB chunk files: {"items": {"<doc id>": {...}}}, 50 a file.
_V1_CHUNK_RE = re.compile(r"^h-(\d{10})\.json$")
_V2_SEGMENT_RE = re.compile(r"^h-(\d{10})\.jsonl$")
# Written once a user's new segments are complete; the old chunks are removed after it.
_DONE_MARK = ".migrated-2"


def v1_to_v2(data_dir: Path, segment: int) -> None:
    """History from TinyDB chunk files to append-only JSON Lines segments of `segment` briefs.
    Item ids change from "<chunk>.<doc id>" to "<segment>.<line number>"."""
    users = data_dir / "users"
    if not users.exists():
        return
    moved = 0
    for shard in sorted(p for p in users.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for user_dir in sorted(p for p in shard.iterdir() if p.is_dir()):
            moved += _migrate_user(user_dir, segment)
    log.warning("schema 2: moved %d briefs of history to append-only segments", moved)


def _migrate_user(user_dir: Path, segment: int) -> int:
    names = [p.name for p in user_dir.iterdir()]
    chunks = sorted(
        (int(m.group(1)), user_dir / n) for n in names if (m := _V1_CHUNK_RE.match(n))
    )
    if not chunks:
        return 0
    done = user_dir / _DONE_MARK
    count = 0
    if not done.exists():
        docs: list[dict[str, Any]] = []
        for _, path in chunks:
            try:
                items = json.loads(path.read_bytes()).get("items", {})
                docs.extend(items[k] for k in sorted(items, key=int))
            except (ValueError, AttributeError) as exc:
                # Stop here, stamp unchanged: nothing is converted past a file we cannot read.
                log.error("schema 2 migration: %s is unreadable: %s", path, exc)
                raise StoreError(f"migration stopped at unreadable {path}: {exc}") from exc
        count = len(docs)
        new_seqs = set()
        for start in range(0, len(docs), segment):
            seq = start // segment + 1
            lines = [
                encode({"i": n, **doc}) + b"\n"
                for n, doc in enumerate(docs[start : start + segment], 1)
            ]
            atomic_write(user_dir / f"h-{seq:010d}.jsonl", b"".join(lines))
            new_seqs.add(seq)
        for path in user_dir.iterdir():  # leftovers of an interrupted earlier attempt
            m = _V2_SEGMENT_RE.match(path.name)
            if m and int(m.group(1)) not in new_seqs:
                durable_unlink(path)
        atomic_write(done, b"")
    for _, path in chunks:
        path.unlink(missing_ok=True)
    fsync_dir(user_dir)
    durable_unlink(done)
    return count
