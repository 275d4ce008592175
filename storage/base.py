"""The store's interface: typed records and the `Store` protocol every backend implements.

Every per-user method takes the user id first and can only ever touch that user's rows. The shared
article pool, feed state and the digest scheduler's user listing are the only cross-user parts, and
they hold no text a user sent (articles are kept without who forwarded them).
No backend type (TinyDB documents, SQL rows) leaks through this interface.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

SubscriptionKind = Literal["topic", "feed"]


class StoreError(RuntimeError):
    """The store cannot do what was asked (corrupt file, unstorable value, closed store)."""


@dataclass(frozen=True, slots=True)
class UserSettings:
    """One user's settings. Times are local to `timezone` (an IANA name such as Europe/Berlin)."""

    user_id: int
    chat_id: int
    language: str = "en"
    timezone: str = "UTC"
    digest_time: str = "08:00"  # HH:MM, local
    digest_enabled: bool = True
    digest_silent: bool = False
    # Cleared when the user blocks the bot (Telegram answers Forbidden); set again when they write.
    active: bool = True
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Subscription:
    """A topic ("Russia EU sanctions") or a feed URL a user follows."""

    kind: SubscriptionKind
    value: str
    created_at: datetime
    id: str = ""  # assigned by the store


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """A brief the user received. `brief` is `Brief.to_json()`."""

    created_at: datetime
    brief: dict[str, Any]
    article_id: str | None = None
    id: str = ""  # assigned by the store


@dataclass(frozen=True, slots=True)
class Article:
    """An article in the shared pool, kept once by canonical URL or text fingerprint."""

    id: str  # stable key: derived from the canonical URL, or from the text when there is none
    created_at: datetime
    brief: dict[str, Any]
    url: str | None = None
    fingerprint: str | None = None  # near-duplicate key of the text
    feed_url: str | None = None


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the feed poller remembers of one feed, shared by all its followers."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_polled: datetime | None = None
    next_poll: datetime | None = None
    failures: int = 0
    seen: tuple[str, ...] = ()  # item ids (guid or link) already briefed, newest last, capped


@dataclass(frozen=True, slots=True)
class DigestRecord:
    """One digest for one user's local day: sent, skipped (nothing matched) or blocked."""

    local_date: str  # YYYY-MM-DD in the user's time zone
    status: Literal["sending", "sent", "skipped", "failed"]
    at: datetime
    items: int = 0


@dataclass(frozen=True, slots=True)
class DeletionReport:
    """What `delete_user` removed, for the confirmation message."""

    settings: int = 0
    subscriptions: int = 0
    history: int = 0
    digests: int = 0
    # Files that could not be read (moved aside as corrupt) and were removed with the rest.
    unreadable_files: int = 0

    @property
    def total(self) -> int:
        return (
            self.settings + self.subscriptions + self.history + self.digests + self.unreadable_files
        )


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """History kept per user: at most `max_items` briefs, none older than `max_age_days`.
    Articles stay in the shared pool for `article_days` (the digest needs the last 24 hours)."""

    max_items: int = 1000
    max_age_days: int = 180
    article_days: int = 30

    def __post_init__(self) -> None:
        if self.max_items < 1 or self.max_age_days < 1 or self.article_days < 1:
            raise ValueError("retention limits must be at least 1")


@dataclass(frozen=True, slots=True)
class StoreHealth:
    """What an operator needs to know: the schema, and files moved aside as corrupt."""

    location: str
    schema: int
    is_open: bool
    quarantined: tuple[str, ...] = ()  # paths relative to the data directory


@dataclass(slots=True)
class UserExport:
    """Everything the store holds about one user (/export)."""

    settings: UserSettings | None
    subscriptions: list[Subscription] = field(default_factory=list)
    history: list[HistoryItem] = field(default_factory=list)
    digests: list[DigestRecord] = field(default_factory=list)


class Store(Protocol):
    """The store. All methods are coroutines: backends do blocking I/O off the event loop."""

    async def open(self) -> None: ...
    async def close(self) -> None: ...

    # --- one user's settings -------------------------------------------------------------
    async def get_user(self, user_id: int) -> UserSettings | None: ...
    async def save_user(self, settings: UserSettings) -> None: ...
    async def update_user(
        self, user_id: int, change: Callable[[UserSettings | None], UserSettings | None]
    ) -> UserSettings | None:
        """Atomic read-modify-write of one user's settings: `change` gets the current settings
        (None for a new user) and returns the new ones (None: leave unchanged). It runs inside the
        store's writer, so no other write interleaves; it must be quick and must not call the
        store."""
        ...

    async def delete_user(self, user_id: int) -> DeletionReport: ...
    async def export_user(self, user_id: int) -> UserExport: ...

    # --- one user's subscriptions ---------------------------------------------------------
    async def add_subscription(self, user_id: int, sub: Subscription) -> Subscription | None:
        """Add it; None when the user already follows the same kind and value."""
        ...

    async def remove_subscription(self, user_id: int, sub_id: str) -> bool: ...
    async def list_subscriptions(self, user_id: int) -> list[Subscription]: ...

    # --- one user's history ---------------------------------------------------------------
    async def add_history(self, user_id: int, item: HistoryItem) -> HistoryItem: ...
    async def history_page(self, user_id: int, offset: int, limit: int) -> list[HistoryItem]:
        """Newest first."""
        ...

    async def history_count(self, user_id: int) -> int: ...
    async def history_since(self, user_id: int, since: datetime) -> list[HistoryItem]: ...

    # --- one user's digest log ------------------------------------------------------------
    async def get_digest(self, user_id: int, local_date: str) -> DigestRecord | None: ...
    async def put_digest(self, user_id: int, record: DigestRecord) -> None: ...
    async def put_digests(self, records: Sequence[tuple[int, DigestRecord]]) -> list[int]:
        """Write many users' digest records, in order, with one durability point for all (the
        broadcast writes "sending" for a batch of users before sending, "sent" after).

        When it returns, every record is durable except those of the users it returns: their
        write failed and their log is unchanged. When it raises, none of the records may be
        relied on (each is either wholly written or not at all)."""
        ...

    # --- the digest scheduler and the feed poller (no user text) ---------------------------
    async def list_user_ids(self) -> list[int]:
        """Every user with data, ascending (cheap enough to call every minute)."""
        ...

    async def feed_followers(self, feed_url: str) -> list[int]:
        """Users following this exact feed URL, ascending; costs O(its followers)."""
        ...

    # --- the shared article pool ------------------------------------------------------------
    async def put_article(self, article: Article) -> Article:
        """Keep it once: returns the stored article (an existing one with the same id or
        fingerprint wins)."""
        ...

    async def get_article(self, article_id: str) -> Article | None: ...
    async def articles_since(self, since: datetime) -> Sequence[Article]: ...

    # --- feed state -------------------------------------------------------------------------
    async def get_feed(self, url: str) -> FeedState | None: ...
    async def save_feed(self, state: FeedState) -> None: ...
    async def list_feeds(self) -> list[FeedState]: ...

    # --- maintenance ------------------------------------------------------------------------
    async def purge_expired(self) -> int:
        """Apply the retention policy to every user and to the article pool (a daily job);
        returns how many briefs and articles were removed."""
        ...

    async def health(self) -> StoreHealth: ...
