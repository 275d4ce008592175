"""The data directory's schema version (`store.json`) and the migrations between versions.

A migration takes the data directory from version N to N+1 and must be safe to run again after a
crash half-way (the stamp is only advanced, atomically, once it has finished). Adding a field with
a default to a record needs no migration: the codec fills missing keys with the record's default.
A directory written by a newer version is refused rather than guessed at.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from storage import migrations
from storage.atomic import atomic_write
from storage.base import StoreError
from storage.tinystorage import encode

log = logging.getLogger(__name__)

STAMP_FILE = "store.json"
# 1: history in TinyDB chunk files; 2: history in append-only JSON Lines segments; 3: the feed
# follower index (storage.feedindex), which a program of schema 2 would not keep up to date, so
# such a program must refuse a directory it could make inconsistent; 4: the article pool in
# append-only JSON Lines files, which a program of schema 3 would not read.
SCHEMA_VERSION = 4
# Briefs per history segment file (storage.history). Kept in the stamp: the arithmetic over
# existing segments depends on it, so changing the constant only affects new data directories.
HISTORY_SEGMENT = 200

Migration = Callable[[Path], None]
# MIGRATIONS[n] takes a directory from version n to n + 1.
MIGRATIONS: dict[int, Migration] = {
    1: lambda data_dir: migrations.v1_to_v2(data_dir, HISTORY_SEGMENT),
    2: migrations.v2_to_v3,
    3: migrations.v3_to_v4,
}

# Top-level entries of a data directory; anything else there means it is not ours.
KNOWN_ENTRIES = frozenset({STAMP_FILE, ".lock", "users", "articles", "feeds", "index"})


def read_stamp(data_dir: Path) -> dict[str, Any] | None:
    path = data_dir / STAMP_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        stamp = json.loads(raw)
        if not isinstance(stamp, dict) or not isinstance(stamp.get("schema"), int):
            raise ValueError("no integer 'schema'")
    except ValueError as exc:
        # Without the stamp we cannot know how to read the rest: refuse, never guess.
        log.error("store stamp %s is corrupt: %s", path, exc)
        raise StoreError(f"{path} is corrupt ({exc}); restore it from a backup") from exc
    return stamp


def write_stamp(data_dir: Path, stamp: Mapping[str, Any]) -> None:
    atomic_write(data_dir / STAMP_FILE, encode(dict(stamp)))


def prepare(
    data_dir: Path,
    migrations: Mapping[int, Migration] | None = None,
    target: int = SCHEMA_VERSION,
) -> dict[str, Any]:
    """Create or upgrade the directory's stamp to `target`; returns it. Hold the store lock."""
    steps = MIGRATIONS if migrations is None else migrations
    stamp = read_stamp(data_dir)
    if stamp is None:
        strangers = sorted(
            p.name for p in data_dir.iterdir() if p.name not in KNOWN_ENTRIES
            and not p.name.startswith(".")
        )
        if (data_dir / "users").exists() or strangers:
            raise StoreError(
                f"{data_dir} holds data but no {STAMP_FILE}: refusing to guess its format"
            )
        stamp = {"schema": target, "history_segment": HISTORY_SEGMENT}
        write_stamp(data_dir, stamp)
        return stamp
    version = int(stamp["schema"])
    if version > target:
        raise StoreError(
            f"{data_dir} has schema {version}, newer than this program's {target}"
        )
    while version < target:
        step = steps.get(version)
        if step is None:
            raise StoreError(f"no migration from schema {version}")
        log.warning("migrating store %s from schema %d to %d", data_dir, version, version + 1)
        step(data_dir)
        version += 1
        stamp = {**stamp, "schema": version}
        write_stamp(data_dir, stamp)
    if "history_segment" not in stamp:  # written by schema 1, or by the migration to 2
        stamp = {**stamp, "history_segment": HISTORY_SEGMENT}
        write_stamp(data_dir, stamp)
    return stamp
