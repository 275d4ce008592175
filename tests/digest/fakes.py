"""Test doubles: a dict-backed Store (the Protocol of storage/base.py), a clock that tests move,
a recording Telegram `send`, and a feed fetcher that serves canned answers."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from telegram.error import Forbidden, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from sources.model import FetchError
from storage.base import (
    Article,
    DeletionReport,
    DigestRecord,
    FeedState,
    HistoryItem,
    Subscription,
    UserExport,
    UserSettings,
)


class FakeStore:
    """The Store protocol over dicts: enough semantics for the digest (ids, dedupe, scoping)."""

    def __init__(self) -> None:
        self.users: dict[int, UserSettings] = {}
        self.subs: dict[int, list[Subscription]] = {}
        self.history: dict[int, list[HistoryItem]] = {}
        self.digests: dict[int, dict[str, DigestRecord]] = {}
        self.articles: dict[str, Article] = {}
        self.feeds: dict[str, FeedState] = {}
        self.digest_writes: list[tuple[int, DigestRecord]] = []
        self._ids = itertools.count(1)

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def get_user(self, user_id: int) -> UserSettings | None:
        return self.users.get(user_id)

    async def save_user(self, settings: UserSettings) -> None:
        self.users[settings.user_id] = settings

    async def delete_user(self, user_id: int) -> DeletionReport:
        return DeletionReport(
            settings=int(self.users.pop(user_id, None) is not None),
            subscriptions=len(self.subs.pop(user_id, [])),
            history=len(self.history.pop(user_id, [])),
            digests=len(self.digests.pop(user_id, {})),
        )

    async def export_user(self, user_id: int) -> UserExport:
        return UserExport(
            self.users.get(user_id),
            list(self.subs.get(user_id, [])),
            list(self.history.get(user_id, [])),
            list(self.digests.get(user_id, {}).values()),
        )

    async def add_subscription(self, user_id: int, sub: Subscription) -> Subscription | None:
        mine = self.subs.setdefault(user_id, [])
        if any(s.kind == sub.kind and s.value == sub.value for s in mine):
            return None
        stored = replace(sub, id=str(next(self._ids)))
        mine.append(stored)
        return stored

    async def remove_subscription(self, user_id: int, sub_id: str) -> bool:
        mine = self.subs.get(user_id, [])
        kept = [s for s in mine if s.id != sub_id]
        self.subs[user_id] = kept
        return len(kept) != len(mine)

    async def list_subscriptions(self, user_id: int) -> list[Subscription]:
        return list(self.subs.get(user_id, []))

    async def add_history(self, user_id: int, item: HistoryItem) -> HistoryItem:
        stored = replace(item, id=str(next(self._ids)))
        self.history.setdefault(user_id, []).append(stored)
        return stored

    async def history_page(self, user_id: int, offset: int, limit: int) -> list[HistoryItem]:
        return list(reversed(self.history.get(user_id, [])))[offset : offset + limit]

    async def history_count(self, user_id: int) -> int:
        return len(self.history.get(user_id, []))

    async def history_since(self, user_id: int, since: datetime) -> list[HistoryItem]:
        return [h for h in self.history.get(user_id, []) if h.created_at >= since]

    async def get_digest(self, user_id: int, local_date: str) -> DigestRecord | None:
        return self.digests.get(user_id, {}).get(local_date)

    async def put_digest(self, user_id: int, record: DigestRecord) -> None:
        self.digests.setdefault(user_id, {})[record.local_date] = record
        self.digest_writes.append((user_id, record))

    async def list_user_ids(self) -> list[int]:
        return sorted(self.users)

    async def feed_followers(self, feed_url: str) -> list[int]:
        return sorted(
            uid
            for uid, subs in self.subs.items()
            if any(s.kind == "feed" and s.value == feed_url for s in subs)
        )

    async def put_article(self, article: Article) -> Article:
        if article.id in self.articles:
            return self.articles[article.id]
        if article.fingerprint:
            for existing in self.articles.values():
                if existing.fingerprint == article.fingerprint:
                    return existing
        self.articles[article.id] = article
        return article

    async def get_article(self, article_id: str) -> Article | None:
        return self.articles.get(article_id)

    async def articles_since(self, since: datetime) -> Sequence[Article]:
        return [a for a in self.articles.values() if a.created_at >= since]

    async def get_feed(self, url: str) -> FeedState | None:
        return self.feeds.get(url)

    async def save_feed(self, state: FeedState) -> None:
        self.feeds[state.url] = state

    async def list_feeds(self) -> list[FeedState]:
        return list(self.feeds.values())


class FakeClock:
    """A UTC clock that only moves when told; `sleep` advances it (so pacing is measurable)."""

    def __init__(self, start: datetime) -> None:
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.now.timestamp()

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def set(self, when: datetime) -> None:
        self.now = when.astimezone(UTC)

    async def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=max(0.0, seconds))


@dataclass
class Sent:
    chat_id: int
    text: str
    silent: bool
    at: datetime


@dataclass
class RecordingSend:
    """Telegram's sendMessage, recorded; chats in `blocked` answer Forbidden, and the first
    `flood` calls answer RetryAfter(`flood_wait`)."""

    clock: FakeClock
    blocked: set[int] = field(default_factory=set)
    flood: int = 0
    flood_wait: int = 3
    sent: list[Sent] = field(default_factory=list)
    calls: int = 0

    async def __call__(self, chat_id: int, text: str, silent: bool) -> None:
        self.calls += 1
        if chat_id in self.blocked:
            raise Forbidden("Forbidden: bot was blocked by the user")
        if self.flood > 0:
            self.flood -= 1
            with warnings.catch_warnings():  # PTB's own constructor reads the deprecated int form
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                raise RetryAfter(self.flood_wait)
        self.sent.append(Sent(chat_id, text, silent, self.clock()))

    def chats(self) -> list[int]:
        return [s.chat_id for s in self.sent]


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass
class FakeFetcher:
    """Serves `pages[url]` (a Fetched, or a FetchError to raise); honours If-None-Match like a
    server would when `etags` is on; records every request."""

    pages: dict[str, Fetched | FetchError] = field(default_factory=dict)
    requests: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    etags: bool = True

    async def fetch(
        self,
        url: str,
        *,
        accept_feed: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        self.requests.append((url, etag, last_modified))
        page = self.pages.get(url)
        if page is None:
            return Fetched(404, {}, b"not found")
        if isinstance(page, FetchError):
            raise page
        current = {k.lower(): v for k, v in page.headers.items()}.get("etag")
        if self.etags and etag is not None and etag == current:
            return Fetched(304, dict(page.headers), b"")
        return page
