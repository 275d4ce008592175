"""The shared article pool: every briefed article once, sharded by UTC day and id bucket.

`articles/<YYYY-MM-DD>/<b>.json` (b: first hex digit of sha256(id), 16 buckets a day), so an
insert rewrites one sixteenth of one day, never the whole pool, and the digest's "last 24 hours"
reads two days. The id and fingerprint indexes live in memory, built on first use from the days
still within retention (older days are removed then). Not thread-safe: the store's worker thread
calls it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections import OrderedDict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tinydb import Query, TinyDB

from storage import codec
from storage.atomic import DELETING_MARK, fsync_dir, is_quarantined, sweep_stale
from storage.base import Article, StoreError
from storage.tinystorage import CorruptFileError, open_db

log = logging.getLogger(__name__)

TABLE = "articles"
BUCKETS = "0123456789abcdef"
# Parsed bucket files kept in memory (today's and yesterday's are the busy ones).
OPEN_FILES_MAX = 48


def bucket_of(article_id: str) -> str:
    return hashlib.sha256(article_id.encode()).hexdigest()[0]


def day_of(when: datetime) -> str:
    return codec.aware(when).astimezone(UTC).date().isoformat()


class ArticlePool:
    def __init__(self, root: Path, keep_days: int) -> None:
        self.root = root
        self.keep_days = keep_days
        self._by_id: dict[str, tuple[str, str]] | None = None  # id -> (day, bucket)
        self._by_fp: dict[str, str] = {}  # fingerprint -> id
        self._open: OrderedDict[tuple[str, str], TinyDB] = OrderedDict()

    def _db(self, day: str, bucket: str) -> TinyDB:
        key = (day, bucket)
        db = self._open.get(key)
        if db is None:
            db = open_db(self.root / day / f"{bucket}.json")
            self._open[key] = db
            while len(self._open) > OPEN_FILES_MAX:
                self._open.popitem(last=False)
        else:
            self._open.move_to_end(key)
        return db

    def _days(self) -> list[str]:
        try:
            names = [e.name for e in os.scandir(self.root) if e.is_dir()]
        except FileNotFoundError:
            return []
        days = []
        for name in names:
            try:
                date.fromisoformat(name)
            except ValueError:
                continue
            days.append(name)
        return sorted(days)

    def _index(self, now: datetime) -> dict[str, tuple[str, str]]:
        if self._by_id is not None:
            return self._by_id
        self.purge(now)
        by_id: dict[str, tuple[str, str]] = {}
        for day in self._days():
            sweep_stale(self.root / day)
            for entry in os.scandir(self.root / day):
                if is_quarantined(entry.name):
                    log.error("article pool file %s/%s is quarantined", day, entry.name)
                    continue
                if not entry.name.endswith(".json"):
                    continue
                bucket = entry.name.removesuffix(".json")
                try:
                    docs = self._db(day, bucket).table(TABLE).all()
                except CorruptFileError:
                    # Logged at ERROR and moved aside; the rest of the pool stays usable.
                    continue
                for doc in docs:
                    by_id[str(doc["id"])] = (day, bucket)
                    if doc.get("fingerprint"):
                        self._by_fp[str(doc["fingerprint"])] = str(doc["id"])
        self._by_id = by_id
        return by_id

    def get(self, article_id: str, now: datetime) -> Article | None:
        where = self._index(now).get(article_id)
        if where is None:
            return None
        doc = self._db(*where).table(TABLE).get(Query().id == article_id)
        return codec.article_in(doc) if doc is not None else None

    def put(self, article: Article, now: datetime) -> Article:
        index = self._index(now)
        if not article.id:
            raise StoreError("an article needs an id")
        existing_id = article.id if article.id in index else None
        if existing_id is None and article.fingerprint:
            existing_id = self._by_fp.get(article.fingerprint)
        if existing_id is not None:
            found = self.get(existing_id, now)
            if found is not None:
                return found
        day, bucket = day_of(article.created_at), bucket_of(article.id)
        self._db(day, bucket).table(TABLE).insert(codec.article_out(article))
        index[article.id] = (day, bucket)
        if article.fingerprint:
            self._by_fp[article.fingerprint] = article.id
        return article

    def since(self, since: datetime, now: datetime) -> list[Article]:
        self._index(now)
        bound = codec.aware(since)
        first_day = day_of(bound)
        out: list[Article] = []
        for day in self._days():
            if day < first_day:
                continue
            for bucket in BUCKETS:
                if not (self.root / day / f"{bucket}.json").exists():
                    continue
                for doc in self._db(day, bucket).table(TABLE).all():
                    article = codec.article_in(dict(doc))
                    if codec.aware(article.created_at) >= bound:
                        out.append(article)
        out.sort(key=lambda a: codec.aware(a.created_at))
        return out

    def purge(self, now: datetime) -> int:
        """Remove whole days older than `keep_days`; returns the number of articles removed."""
        cutoff = (codec.aware(now).astimezone(UTC) - timedelta(days=self.keep_days)).date()
        removed = 0
        for day in self._days():
            if date.fromisoformat(day) >= cutoff:
                continue
            doomed = self.root / f"{DELETING_MARK}{day}"
            (self.root / day).replace(doomed)
            fsync_dir(self.root)
            for key in [k for k in self._open if k[0] == day]:
                del self._open[key]
            if self._by_id is not None:
                gone = {i for i, (d, _) in self._by_id.items() if d == day}
                removed += len(gone)
                for article_id in gone:
                    del self._by_id[article_id]
                self._by_fp = {fp: i for fp, i in self._by_fp.items() if i not in gone}
            shutil.rmtree(doomed)
        return removed
