"""One user's files: `user.json` (settings, subscriptions, digest log) and history in chunks.

History is split into chunk files `h-<seq>.json` of at most `chunk` briefs each, so recording a
brief rewrites one chunk (about 100 KB), never the user's whole history (2 MB at 1,000 briefs).
Briefs are appended to the newest chunk and retention removes them from the oldest, so every
chunk between the oldest and the newest is full: the count needs only those two chunks.

Not thread-safe: the store calls it from its single worker thread.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Document

from storage import codec
from storage.atomic import durable_unlink, is_quarantined, is_stale_tmp
from storage.base import (
    DigestRecord,
    HistoryItem,
    RetentionPolicy,
    StoreError,
    Subscription,
    UserSettings,
)
from storage.tinystorage import encode, open_db

META_FILE = "user.json"
_CHUNK_RE = re.compile(r"^h-(\d{10})\.json$")
ITEMS = "items"
SETTINGS_DOC_ID = 1
# Digest log entries kept per user: the scheduler only ever looks at the last few days.
DIGEST_LOG_MAX = 62


def chunk_name(seq: int) -> str:
    return f"h-{seq:010d}.json"


class UserFiles:
    """The open files of one user (see the module docstring)."""

    def __init__(self, user_id: int, directory: Path, chunk: int, retention: RetentionPolicy):
        self.user_id = user_id
        self.dir = directory
        self.chunk = chunk
        self.retention = retention
        self._meta: TinyDB | None = None
        self._chunks: dict[int, TinyDB] = {}
        self.seqs: list[int] = []
        self.exists = False
        self._scan()

    # --- files ---------------------------------------------------------------------------
    def _scan(self) -> None:
        """List the directory once: stale temporary files go, a quarantined file stops us."""
        try:
            entries = list(os.scandir(self.dir))
        except FileNotFoundError:
            return
        self.exists = True
        for entry in entries:
            if is_stale_tmp(entry.name):
                Path(entry.path).unlink(missing_ok=True)
            elif is_quarantined(entry.name):
                raise StoreError(
                    f"user {self.user_id}: a corrupt file was moved aside ({entry.name}); "
                    "an operator must restore or remove it before this user's data is used"
                )
            elif m := _CHUNK_RE.match(entry.name):
                self.seqs.append(int(m.group(1)))
        self.seqs.sort()

    @property
    def meta(self) -> TinyDB:
        if self._meta is None:
            self._meta = open_db(self.dir / META_FILE)
        return self._meta

    def _db(self, seq: int) -> TinyDB:
        db = self._chunks.get(seq)
        if db is None:
            db = self._chunks[seq] = open_db(self.dir / chunk_name(seq))
        return db

    def _docs(self, seq: int) -> list[Document]:
        return self._db(seq).table(ITEMS).all()

    def _size(self, seq: int) -> int:
        if seq in (self.seqs[0], self.seqs[-1]) or seq in self._chunks:
            return len(self._db(seq).table(ITEMS))
        return self.chunk  # every middle chunk is full (module docstring)

    def trim_cache(self) -> None:
        """Keep only the oldest and newest chunk parsed in memory (the ones writes touch)."""
        keep = {self.seqs[0], self.seqs[-1]} if self.seqs else set()
        for seq in [s for s in self._chunks if s not in keep]:
            del self._chunks[seq]

    # --- settings ------------------------------------------------------------------------
    def get_settings(self) -> UserSettings | None:
        if not self.exists:
            return None
        doc = self.meta.table("settings").get(doc_id=SETTINGS_DOC_ID)
        return codec.user_in(doc) if doc is not None else None

    def save_settings(self, settings: UserSettings) -> None:
        doc = codec.user_out(settings)
        table = self.meta.table("settings")
        if table.get(doc_id=SETTINGS_DOC_ID) is None:
            table.insert(Document(doc, doc_id=SETTINGS_DOC_ID))
        else:
            table.update(doc, doc_ids=[SETTINGS_DOC_ID])
        self.exists = True

    # --- subscriptions -------------------------------------------------------------------
    def subscriptions(self) -> list[Subscription]:
        if not self.exists:
            return []
        return [codec.sub_in(d) for d in self.meta.table("subscriptions").all()]

    def add_subscription(self, sub: Subscription, new_id: str) -> Subscription | None:
        key = _sub_key(sub.kind, sub.value)
        if any(_sub_key(s.kind, s.value) == key for s in self.subscriptions()):
            return None
        stored = Subscription(kind=sub.kind, value=sub.value, created_at=sub.created_at, id=new_id)
        self.meta.table("subscriptions").insert(codec.sub_out(stored))
        self.exists = True
        return stored

    def remove_subscription(self, sub_id: str) -> Subscription | None:
        if not self.exists:
            return None
        table = self.meta.table("subscriptions")
        found = table.get(Query().id == sub_id)
        if found is None:
            return None
        table.remove(doc_ids=[found.doc_id])
        return codec.sub_in(found)

    def feed_urls(self) -> set[str]:
        return {s.value for s in self.subscriptions() if s.kind == "feed"}

    # --- digest log ----------------------------------------------------------------------
    def get_digest(self, local_date: str) -> DigestRecord | None:
        if not self.exists:
            return None
        doc = self.meta.table("digests").get(Query().local_date == local_date)
        return codec.digest_in(doc) if doc is not None else None

    def put_digest(self, record: DigestRecord) -> None:
        table = self.meta.table("digests")
        table.upsert(codec.digest_out(record), Query().local_date == record.local_date)
        self.exists = True
        if len(table) > DIGEST_LOG_MAX:
            docs = sorted(table.all(), key=lambda d: str(d["local_date"]))
            table.remove(doc_ids=[d.doc_id for d in docs[: len(docs) - DIGEST_LOG_MAX]])

    def digests(self) -> list[DigestRecord]:
        if not self.exists:
            return []
        docs = sorted(self.meta.table("digests").all(), key=lambda d: str(d["local_date"]))
        return [codec.digest_in(d) for d in docs]

    # --- history -------------------------------------------------------------------------
    def history_count(self) -> int:
        if not self.seqs:
            return 0
        first, last = self.seqs[0], self.seqs[-1]
        if first == last:
            return self._size(first)
        return self._size(first) + self._size(last) + (len(self.seqs) - 2) * self.chunk

    def add_history(self, item: HistoryItem, now: datetime) -> HistoryItem:
        doc = codec.history_out(item)
        doc.pop("id")  # the id is derived from where the brief is stored
        if not self.seqs or self._size(self.seqs[-1]) >= self.chunk:
            seq = self.seqs[-1] + 1 if self.seqs else 1
            self.dir.mkdir(parents=True, exist_ok=True)
            doc_id = self._db(seq).table(ITEMS).insert(doc)
            self.seqs.append(seq)
        else:
            seq = self.seqs[-1]
            doc_id = self._db(seq).table(ITEMS).insert(doc)
        self.exists = True
        self.apply_retention(now)
        return HistoryItem(
            created_at=item.created_at,
            brief=item.brief,
            article_id=item.article_id,
            id=_item_id(seq, doc_id),
        )

    def apply_retention(self, now: datetime) -> int:
        """Drop the oldest briefs beyond `max_items` or older than `max_age_days`."""
        removed = 0
        excess = self.history_count() - self.retention.max_items
        cutoff = codec.aware(now) - timedelta(days=self.retention.max_age_days)
        while self.seqs:
            first = self.seqs[0]
            docs = self._docs(first)
            drop: list[int] = []
            for i, d in enumerate(docs):
                # Briefs are in time order: stop at the first one that stays.
                if not (i < excess or _older(d, cutoff)):
                    break
                drop.append(d.doc_id)
            if not drop:
                break
            if len(drop) == len(docs):
                self._drop_chunk(first)
            else:
                self._db(first).table(ITEMS).remove(doc_ids=drop)
            removed += len(drop)
            excess -= len(drop)
            if len(drop) < len(docs):
                break
        return removed

    def _drop_chunk(self, seq: int) -> None:
        durable_unlink(self.dir / chunk_name(seq))
        self._chunks.pop(seq, None)
        self.seqs.remove(seq)

    def _newest_first(self, skip: int = 0) -> Iterator[tuple[int, Document]]:
        """(seq, doc) newest first, starting `skip` briefs in; loads only the chunks it needs."""
        for seq in reversed(self.seqs):
            size = self._size(seq)
            if skip >= size:
                skip -= size
                continue
            docs = self._docs(seq)
            for doc in reversed(docs[: len(docs) - skip]):
                yield seq, doc
            skip = 0

    def history_page(self, offset: int, limit: int) -> list[HistoryItem]:
        out: list[HistoryItem] = []
        if limit <= 0:
            return out
        for seq, doc in self._newest_first(max(offset, 0)):
            out.append(_item(seq, doc))
            if len(out) >= limit:
                break
        return out

    def history_since(self, since: datetime) -> list[HistoryItem]:
        bound = codec.aware(since)
        out: list[HistoryItem] = []
        for seq, doc in self._newest_first():
            created = codec.dt_in(doc.get("created_at"))
            if created is None or codec.aware(created) < bound:
                break
            out.append(_item(seq, doc))
        return out

    def all_history(self) -> list[HistoryItem]:
        return [_item(seq, doc) for seq, doc in self._newest_first()]

    def bulk_history(
        self, items: list[dict[str, Any]], write: Callable[[Path, bytes], None]
    ) -> None:
        """Benchmark loader: writes whole chunks of already encoded briefs (empty user only)."""
        if self.seqs:
            raise StoreError("bulk_history needs a user without history")
        for start in range(0, len(items), self.chunk):
            seq = start // self.chunk + 1
            part = items[start : start + self.chunk]
            table = {str(i + 1): doc for i, doc in enumerate(part)}
            write(self.dir / chunk_name(seq), encode({ITEMS: table}))
            self.seqs.append(seq)
        self.exists = True


def _older(doc: Document, cutoff: datetime) -> bool:
    created = codec.dt_in(doc.get("created_at"))
    return created is not None and codec.aware(created) < cutoff


def _item_id(seq: int, doc_id: int) -> str:
    return f"{seq}.{doc_id}"


def _item(seq: int, doc: Document) -> HistoryItem:
    item = codec.history_in(dict(doc))
    return HistoryItem(
        created_at=item.created_at,
        brief=item.brief,
        article_id=item.article_id,
        id=_item_id(seq, doc.doc_id),
    )


def _sub_key(kind: str, value: str) -> tuple[str, str]:
    # Topics are words a person typed: "Navalny" and "navalny " are the same topic.
    # A feed URL is matched as given (paths are case-sensitive).
    return (kind, value.strip().casefold() if kind == "topic" else value.strip())
