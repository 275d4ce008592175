"""What the feed poller remembers of each feed: `feeds/<hh>.json`, 256 TinyDB shards by
sha256(url), so saving one feed's state rewrites 1/256 of all feeds. Not thread-safe: the
store's worker thread calls it.
"""

from __future__ import annotations

import os
from pathlib import Path

from tinydb import Query, TinyDB

from storage import codec
from storage.base import FeedState
from storage.feedindex import shard
from storage.tinystorage import open_db

TABLE = "feeds"


class FeedStates:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._open: dict[str, TinyDB] = {}  # at most 256 small files

    def _db(self, key: str) -> TinyDB:
        db = self._open.get(key)
        if db is None:
            db = self._open[key] = open_db(self.root / f"{key}.json")
        return db

    def get(self, url: str) -> FeedState | None:
        doc = self._db(shard(url)).table(TABLE).get(Query().url == url)
        return codec.feed_in(doc) if doc is not None else None

    def save(self, state: FeedState) -> None:
        self._db(shard(state.url)).table(TABLE).upsert(
            codec.feed_out(state), Query().url == state.url
        )

    def all(self) -> list[FeedState]:
        out: list[FeedState] = []
        for entry in os.scandir(self.root):
            if entry.name.endswith(".json") and not entry.name.startswith("."):
                db = self._db(entry.name.removesuffix(".json"))
                out.extend(codec.feed_in(d) for d in db.table(TABLE).all())
        return sorted(out, key=lambda f: f.url)

    def close(self) -> None:
        self._open.clear()
