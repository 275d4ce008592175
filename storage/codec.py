"""Records to JSON documents and back. Unknown keys are ignored and missing ones take the record's
default, so a field added to a record later reads old files without a migration."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from storage.base import (
    Article,
    DigestRecord,
    FeedState,
    HistoryItem,
    StoreError,
    Subscription,
    UserSettings,
)

Doc = dict[str, Any]


def dt_out(value: datetime | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise StoreError(f"expected a datetime, got {type(value).__name__}")
    return value.isoformat()


def dt_in(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def aware(value: datetime) -> datetime:
    """Naive datetimes are taken as UTC when compared (records keep what the caller gave)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _known(cls: type, doc: Doc) -> Doc:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in doc.items() if k in names}


def user_out(s: UserSettings) -> Doc:
    return {
        "user_id": s.user_id,
        "chat_id": s.chat_id,
        "language": s.language,
        "timezone": s.timezone,
        "digest_time": s.digest_time,
        "digest_enabled": s.digest_enabled,
        "digest_silent": s.digest_silent,
        "active": s.active,
        "created_at": dt_out(s.created_at),
    }


def user_in(doc: Doc) -> UserSettings:
    d = _known(UserSettings, doc)
    d["created_at"] = dt_in(d.get("created_at"))
    return UserSettings(**d)


def sub_out(s: Subscription) -> Doc:
    return {"id": s.id, "kind": s.kind, "value": s.value, "created_at": dt_out(s.created_at)}


def sub_in(doc: Doc) -> Subscription:
    d = _known(Subscription, doc)
    d["created_at"] = dt_in(d.get("created_at"))
    return Subscription(**d)


def history_out(h: HistoryItem) -> Doc:
    return {
        "id": h.id,
        "created_at": dt_out(h.created_at),
        "article_id": h.article_id,
        "brief": h.brief,
    }


def history_in(doc: Doc) -> HistoryItem:
    d = _known(HistoryItem, doc)
    d["created_at"] = dt_in(d.get("created_at"))
    return HistoryItem(**d)


def article_out(a: Article) -> Doc:
    return {
        "id": a.id,
        "created_at": dt_out(a.created_at),
        "url": a.url,
        "fingerprint": a.fingerprint,
        "feed_url": a.feed_url,
        "brief": a.brief,
    }


def article_in(doc: Doc) -> Article:
    d = _known(Article, doc)
    d["created_at"] = dt_in(d.get("created_at"))
    return Article(**d)


def feed_out(f: FeedState) -> Doc:
    return {
        "url": f.url,
        "etag": f.etag,
        "last_modified": f.last_modified,
        "last_polled": dt_out(f.last_polled),
        "next_poll": dt_out(f.next_poll),
        "failures": f.failures,
        "seen": list(f.seen),
    }


def feed_in(doc: Doc) -> FeedState:
    d = _known(FeedState, doc)
    d["last_polled"] = dt_in(d.get("last_polled"))
    d["next_poll"] = dt_in(d.get("next_poll"))
    d["seen"] = tuple(d.get("seen") or ())
    return FeedState(**d)


def digest_out(r: DigestRecord) -> Doc:
    return {"local_date": r.local_date, "status": r.status, "at": dt_out(r.at), "items": r.items}


def digest_in(doc: Doc) -> DigestRecord:
    d = _known(DigestRecord, doc)
    d["at"] = dt_in(d.get("at"))
    return DigestRecord(**d)
