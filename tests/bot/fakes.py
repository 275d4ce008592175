"""A dict-backed Store for tests (the real TinyStore lives on branch `storage` until merged)."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from datetime import datetime

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


class MemoryStore:
    """Every Store method over plain dicts; ids are short counters like a real backend's."""

    def __init__(self) -> None:
        self.users: dict[int, UserSettings] = {}
        self.subs: dict[int, list[Subscription]] = {}
        self.history: dict[int, list[HistoryItem]] = {}
        self.digests: dict[int, dict[str, DigestRecord]] = {}
        self.articles: dict[str, Article] = {}
        self.feeds: dict[str, FeedState] = {}
        self._ids = itertools.count(1)
        self.opened = False
        self.closed = False

    async def open(self) -> None:
        self.opened = True

    async def close(self) -> None:
        self.closed = True

    async def get_user(self, user_id: int) -> UserSettings | None:
        return self.users.get(user_id)

    async def save_user(self, settings: UserSettings) -> None:
        self.users[settings.user_id] = settings

    async def delete_user(self, user_id: int) -> DeletionReport:
        return DeletionReport(
            settings=1 if self.users.pop(user_id, None) else 0,
            subscriptions=len(self.subs.pop(user_id, [])),
            history=len(self.history.pop(user_id, [])),
            digests=len(self.digests.pop(user_id, {})),
        )

    async def export_user(self, user_id: int) -> UserExport:
        return UserExport(
            settings=self.users.get(user_id),
            subscriptions=list(self.subs.get(user_id, [])),
            history=list(self.history.get(user_id, [])),
            digests=list(self.digests.get(user_id, {}).values()),
        )

    async def add_subscription(self, user_id: int, sub: Subscription) -> Subscription | None:
        mine = self.subs.setdefault(user_id, [])
        if any(s.kind == sub.kind and s.value.casefold() == sub.value.casefold() for s in mine):
            return None
        stored = dataclasses.replace(sub, id=f"s{next(self._ids)}")
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
        stored = dataclasses.replace(item, id=f"h{next(self._ids)}")
        self.history.setdefault(user_id, []).append(stored)
        return stored

    async def history_page(self, user_id: int, offset: int, limit: int) -> list[HistoryItem]:
        newest_first = list(reversed(self.history.get(user_id, [])))
        return newest_first[offset : offset + limit]

    async def history_count(self, user_id: int) -> int:
        return len(self.history.get(user_id, []))

    async def history_since(self, user_id: int, since: datetime) -> list[HistoryItem]:
        return [h for h in self.history.get(user_id, []) if h.created_at >= since]

    async def get_digest(self, user_id: int, local_date: str) -> DigestRecord | None:
        return self.digests.get(user_id, {}).get(local_date)

    async def put_digest(self, user_id: int, record: DigestRecord) -> None:
        self.digests.setdefault(user_id, {})[record.local_date] = record

    async def list_user_ids(self) -> list[int]:
        return sorted(self.users)

    async def feed_followers(self, feed_url: str) -> list[int]:
        return sorted(
            uid for uid, subs in self.subs.items()
            if any(s.kind == "feed" and s.value == feed_url for s in subs)
        )

    async def put_article(self, article: Article) -> Article:
        return self.articles.setdefault(article.id, article)

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
