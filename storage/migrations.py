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
from storage.jsonl import read_lines
from storage.tinystorage import CorruptFileError, encode, load_file

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


def v2_to_v3(data_dir: Path) -> None:
    """Schema 3 adds the feed follower index. Removing its state (if a previous attempt or an
    operator left one) makes the store rebuild it from the user files on first use."""
    durable_unlink(data_dir / "index" / "state.json")


# Schema 3 kept each bucket of the article pool in a TinyDB file, its articles in this table.
_V3_POOL_TABLE = "articles"


def v3_to_v4(data_dir: Path) -> None:
    """The article pool's buckets from TinyDB files (`articles/<day>/<b>.json`) to append-only
    JSON Lines (`<b>.jsonl`), each article a line in the order it came. A bucket's new file is
    written whole and atomically before its old file goes; after a crash in between, a rerun
    adds what the old file holds beyond the new one (by article id) and then removes it. An
    unreadable old file is moved aside (logged at ERROR) and the migration goes on: the pool is
    a cache of public articles, and its other buckets stay usable, as at run time."""
    articles = data_dir / "articles"
    if not articles.exists():
        return
    moved = 0
    for day in sorted(p for p in articles.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for old in sorted(day.glob("*.json")):
            try:
                table = (load_file(old) or {}).get(_V3_POOL_TABLE, {})
            except CorruptFileError:
                continue
            docs = [table[k] for k in sorted(table, key=int)]
            new = old.with_suffix(".jsonl")
            try:
                lines = read_lines(new, "article pool file") if new.exists() else []
            except CorruptFileError:
                lines = []  # moved aside and logged at ERROR; the old file has its articles
            have = {_id_of(line) for line in lines}
            added = [encode(doc) for doc in docs if doc.get("id") not in have]
            if added:
                atomic_write(new, b"".join(line + b"\n" for line in lines + added))
            durable_unlink(old)
            moved += len(added)
    log.warning("schema 4: moved %d articles of the pool to append-only files", moved)


def _id_of(line: bytes) -> object:
    try:
        doc = json.loads(line)
    except ValueError:
        return None  # a damaged line stays as it is: the pool moves its file aside when read
    return doc.get("id") if isinstance(doc, dict) else None
