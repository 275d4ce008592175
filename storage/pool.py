"""The shared article pool: every briefed article once, in append-only files by UTC day and bucket.

`articles/<YYYY-MM-DD>/<b>.jsonl` (b: first hex digit of sha256(id), 16 buckets a day), one JSON
line an article. An insert appends one line and fdatasyncs it (`storage.jsonl`), whatever the
day already holds: rewriting a whole bucket, as the TinyDB files before did, grew with the day
(`make bench ONLY=pool`, the seed's brief: 0.62 ms a put at 16 articles that day, 3.48 ms at
1,600, the store thread holding the GIL while it encoded the bucket; appending: 0.4-0.6 ms).
Only a bucket's first article creates its file, atomically.
The digest's "last 24 hours" reads two days; `get` reads one bucket. The id and fingerprint
indexes live in memory, built on first use from the days still within retention (older days are
removed then). Crash safety as the history's: an unfinished last line, never acknowledged, is
cut off when its file is read; a damaged file is moved aside and the rest of the pool stays
usable. Schema 3 kept the buckets in TinyDB files (`<b>.json`); `storage.migrations.v3_to_v4`
converts them when the store opens. Not thread-safe: the store's worker thread calls it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections import OrderedDict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from storage import codec
from storage.atomic import (
    DELETING_MARK,
    atomic_write,
    fsync_dir,
    is_quarantined,
    sweep_stale,
)
from storage.base import Article, StoreError
from storage.jsonl import append_durably, corrupt, read_lines
from storage.tinystorage import CorruptFileError, encode

log = logging.getLogger(__name__)

BUCKETS = "0123456789abcdef"
SUFFIX = ".jsonl"
# Buckets kept parsed in memory (today's and yesterday's are the busy ones): files.
OPEN_FILES_MAX = 48

Docs = dict[str, dict[str, Any]]  # article id -> its stored document


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
        self._open: OrderedDict[tuple[str, str], Docs] = OrderedDict()

    def _path(self, day: str, bucket: str) -> Path:
        return self.root / day / f"{bucket}{SUFFIX}"

    def _docs(self, day: str, bucket: str) -> Docs:
        """The bucket's articles by id, read once and then kept (the least used go first)."""
        key = (day, bucket)
        docs = self._open.get(key)
        if docs is not None:
            self._open.move_to_end(key)
            return docs
        path = self._path(day, bucket)
        try:
            lines = read_lines(path, "article pool file")
        except FileNotFoundError:
            lines = []
        docs = {}
        for line in lines:
            try:
                doc = json.loads(line)
                if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
                    raise ValueError("an article line must be an object with an id")
            except ValueError as exc:
                corrupt(path, f"unreadable article line: {exc}")
            docs[doc["id"]] = doc
        self._open[key] = docs
        while len(self._open) > OPEN_FILES_MAX:
            self._open.popitem(last=False)
        return docs

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
                bucket = entry.name.removesuffix(SUFFIX)
                if not entry.name.endswith(SUFFIX) or bucket not in BUCKETS:
                    continue
                try:
                    docs = self._docs(day, bucket)
                except CorruptFileError:
                    # Logged at ERROR and moved aside; the rest of the pool stays usable.
                    continue
                for article_id, doc in docs.items():
                    by_id[article_id] = (day, bucket)
                    if doc.get("fingerprint"):
                        self._by_fp[str(doc["fingerprint"])] = article_id
        self._by_id = by_id
        return by_id

    def get(self, article_id: str, now: datetime) -> Article | None:
        where = self._index(now).get(article_id)
        if where is None:
            return None
        doc = self._docs(*where).get(article_id)
        return codec.article_in(dict(doc)) if doc is not None else None

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
        doc = codec.article_out(article)
        line = encode(doc) + b"\n"  # raises StoreError before the disk is touched
        # Read first: the bucket's end is checked (and an unfinished line cut) before appending.
        docs = self._docs(day, bucket)
        if docs:
            append_durably(self._path(day, bucket), line)
        else:
            atomic_write(self._path(day, bucket), line)
        docs[article.id] = json.loads(line)
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
                if not self._path(day, bucket).exists():
                    continue
                for doc in self._docs(day, bucket).values():
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
