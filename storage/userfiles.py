"""One user's files, in their own directory: `user.json` (a TinyDB file: settings,
subscriptions, digest log) and the history segments (storage.history).

Not thread-safe: the store calls it from its single worker thread.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from tinydb import Query, TinyDB
from tinydb.table import Document

from storage import codec
from storage.atomic import atomic_write, is_quarantined, is_stale_tmp
from storage.base import (
    DigestRecord,
    HistoryItem,
    RetentionPolicy,
    StoreError,
    Subscription,
    UserSettings,
)
from storage.history import SEGMENT_RE, HistoryLog
from storage.tinystorage import QuarantinedError, encode, open_db

META_FILE = "user.json"
SETTINGS_DOC_ID = 1
# Digest log entries kept per user: the scheduler only ever looks at the last few days.
DIGEST_LOG_MAX = 62


class UserFiles:
    """The open files of one user (see the module docstring)."""

    def __init__(self, user_id: int, directory: Path, segment: int, retention: RetentionPolicy):
        self.user_id = user_id
        self.dir = directory
        self._meta: TinyDB | None = None
        self.exists = False
        self.history = HistoryLog(directory, self._scan(), segment, retention)

    def _scan(self) -> list[int]:
        """List the directory once: stale temporary files go, a quarantined file stops us.
        Returns the numbers of the history segments."""
        seqs: list[int] = []
        try:
            entries = list(os.scandir(self.dir))
        except FileNotFoundError:
            return seqs
        self.exists = True
        for entry in entries:
            if is_stale_tmp(entry.name):
                Path(entry.path).unlink(missing_ok=True)
            elif is_quarantined(entry.name):
                raise QuarantinedError(
                    f"user {self.user_id}: a corrupt file was moved aside ({entry.name}); "
                    "an operator must restore or remove it before this user's data is used",
                    Path(entry.path),
                )
            elif m := SEGMENT_RE.match(entry.name):
                seqs.append(int(m.group(1)))
        return seqs

    @property
    def meta(self) -> TinyDB:
        if self._meta is None:
            self._meta = open_db(self.dir / META_FILE)
        return self._meta

    def trim_cache(self) -> None:
        self.history.trim_cache()

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

    # --- history (storage.history) ------------------------------------------------------
    def history_count(self, now: datetime) -> int:
        return self.history.count(now)

    def bulk_load(self, settings: UserSettings, items: list[HistoryItem], *, sync: bool) -> None:
        """Benchmark loader: a new user's settings and history, one file write each."""
        if self.exists:
            raise StoreError("bulk loading needs a new user")
        doc = {"settings": {str(SETTINGS_DOC_ID): codec.user_out(settings)}}
        atomic_write(self.dir / META_FILE, encode(doc), sync=sync)
        self.history.bulk(items, sync=sync)
        self.exists = True

    def add_history(self, item: HistoryItem, now: datetime) -> HistoryItem:
        self.dir.mkdir(parents=True, exist_ok=True)
        stored = self.history.add(item, now)
        self.exists = True
        return stored


def _sub_key(kind: str, value: str) -> tuple[str, str]:
    # Topics are words a person typed: "Navalny" and "navalny " are the same topic.
    # A feed URL is matched as given (paths are case-sensitive).
    return (kind, value.strip().casefold() if kind == "topic" else value.strip())
