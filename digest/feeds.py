"""RSS and Atom feeds: find a feed from a URL a user sends, and poll followed feeds into the pool.

Every byte comes through the fetcher (the links layer's SafeFetcher, which refuses internal
addresses and caps sizes); feedparser only ever parses bytes we fetched, never a URL. A feed is
polled at most every POLL_INTERVAL with ETag/Last-Modified, backs off exponentially on errors, and
each new item is briefed once whatever the number of followers: the ids already seen are kept in
the feed's FeedState, shared by all its followers.
"""

from __future__ import annotations

import asyncio
import calendar
import html
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin

import feedparser

from briefing import brief as brief_text
from briefing.model import Brief, BriefError, Source
from digest.clock import Clock
from digest.pool import ArticlePool
from sources.model import FetchError
from storage.base import FeedState, Store

log = logging.getLogger(__name__)

POLL_INTERVAL = timedelta(minutes=15)  # never more often than this a feed
MAX_BACKOFF = timedelta(hours=12)  # after repeated errors, still tried twice a day
SEEN_CAP = 1000  # item ids remembered per feed; more than any feed lists at once
MAX_NEW_ITEMS_PER_POLL = 20  # the rest wait for the next poll (they are still in the feed)
MAX_ITEM_AGE = timedelta(hours=48)  # older items of a feed are marked seen, never briefed
POLL_CONCURRENCY = 4  # feeds fetched at once
MIN_FALLBACK_LETTERS = 200  # a feed item's own text, briefed when its page cannot be fetched
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)


class FetchedLike(Protocol):
    """What the fetcher returns (sources.fetch.Fetched)."""

    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def body(self) -> bytes: ...


class FeedFetcher(Protocol):
    """The one method of sources.fetch.SafeFetcher the feeds need."""

    async def fetch(
        self,
        url: str,
        *,
        accept_feed: bool = ...,
        etag: str | None = ...,
        last_modified: str | None = ...,
    ) -> FetchedLike: ...


# Briefs the page an item links to: `functools.partial(sources.links.brief_link, fetcher)`.
LinkBriefer = Callable[[str], Awaitable[Brief]]

if TYPE_CHECKING:  # mypy checks that the links layer's fetcher and briefer fit these protocols
    from sources.fetch import SafeFetcher
    from sources.links import brief_link

    def _fits(fetcher: SafeFetcher) -> tuple[FeedFetcher, LinkBriefer]:
        async def briefer(url: str) -> Brief:
            return await brief_link(fetcher, url)

        return fetcher, briefer


class FeedError(Exception):
    """A URL that is not a feed and names none. `code` is stable: not_a_feed, fetch_failed.
    `reason` and `params` say why in a form an interface can translate, as
    `sources.model.FetchError`'s do (the fetch's own when fetching failed)."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        reason: str | None = None,
        params: dict[str, str | int] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.params = params or {}


@dataclass(frozen=True, slots=True)
class FeedItem:
    id: str
    link: str | None
    title: str | None
    text: str  # the item's own summary or content, tags removed
    published: datetime | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    items: tuple[FeedItem, ...]


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """A feed a user can follow: `url` is what to store as the Subscription value."""

    url: str
    title: str | None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


_TAG = re.compile(r"<[^>]+>")


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def _when(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def parse_feed(body: bytes, content_type: str | None = None) -> ParsedFeed | None:
    """The feed in `body`, or None when it is not RSS/Atom (an HTML page, garbage)."""
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        return None
    items: list[FeedItem] = []
    for entry in parsed.entries:
        link = entry.get("link")
        item_id = entry.get("id") or link or entry.get("title")
        if not item_id:
            continue
        content = entry.get("content") or []
        text = " ".join(_plain(c.get("value", "")) for c in content) or _plain(
            entry.get("summary", "")
        )
        items.append(FeedItem(str(item_id), link, entry.get("title"), text, _when(entry)))
    return ParsedFeed(parsed.feed.get("title"), tuple(items))


class _FeedLinks(HTMLParser):
    """Collects <link rel="alternate" type="application/rss+xml" href="..."> from a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("link", "a"):
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        rels = a.get("rel", "").lower().split()
        kind = a.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in FEED_TYPES and a.get("href"):
            self.hrefs.append(a["href"])


def discover_feeds(page: bytes, base_url: str) -> list[str]:
    """Feed URLs a page names, absolute, in page order."""
    finder = _FeedLinks()
    try:
        finder.feed(page.decode("utf-8", errors="replace"))
        finder.close()
    except (AssertionError, ValueError):  # html.parser on badly broken markup
        pass
    return list(dict.fromkeys(urljoin(base_url, h.strip()) for h in finder.hrefs))


async def resolve_feed(fetcher: FeedFetcher, url: str) -> FeedInfo:
    """The feed behind a URL a user sent: the URL itself, or the first feed its page names."""
    try:
        fetched = await fetcher.fetch(url, accept_feed=True)
    except FetchError as error:
        raise FeedError(
            str(error), code="fetch_failed", reason=error.reason, params=error.params
        ) from error
    if not 200 <= fetched.status < 300:
        raise FeedError(
            "The page could not be read.", code="fetch_failed", reason="feed_unreadable"
        )
    feed = parse_feed(fetched.body, _header(fetched.headers, "content-type"))
    if feed is not None:
        return FeedInfo(url, feed.title)
    for candidate in discover_feeds(fetched.body, url)[:3]:
        try:
            found = await fetcher.fetch(candidate, accept_feed=True)
        except FetchError:
            continue
        if 200 <= found.status < 300:
            feed = parse_feed(found.body, _header(found.headers, "content-type"))
            if feed is not None:
                return FeedInfo(candidate, feed.title)
    raise FeedError(
        "This page is not a feed and names no RSS or Atom feed.",
        code="not_a_feed",
        reason="not_a_feed",
    )


@dataclass(frozen=True, slots=True)
class PollReport:
    polled: int = 0
    not_modified: int = 0
    failed: int = 0
    new_items: int = 0


def backoff(failures: int) -> timedelta:
    """Wait after `failures` errors in a row: 30 min, 1 h, 2 h, ... up to MAX_BACKOFF."""
    wait: timedelta = POLL_INTERVAL * 2 ** min(failures, 16)
    return min(MAX_BACKOFF, wait)


class FeedPoller:
    """Polls the feeds that have followers and puts their new items, briefed, into the pool."""

    def __init__(
        self,
        store: Store,
        fetcher: FeedFetcher,
        brief_link: LinkBriefer,
        pool: ArticlePool,
        clock: Clock,
    ) -> None:
        self._store = store
        self._fetcher = fetcher
        self._brief_link = brief_link
        self._pool = pool
        self._clock = clock
        self._lock = asyncio.Lock()

    async def follow(self, url: str) -> FeedInfo:
        """For /subscribe URL: resolve the feed and make sure the poller knows it. Raises
        FeedError. The bot then stores Subscription(kind="feed", value=info.url)."""
        info = await resolve_feed(self._fetcher, url)
        if await self._store.get_feed(info.url) is None:
            await self._store.save_feed(FeedState(url=info.url, next_poll=self._clock()))
        return info

    async def poll_due(self) -> PollReport:
        """Poll every followed feed whose time has come; skips if a poll is still running."""
        if self._lock.locked():
            return PollReport()
        async with self._lock:
            now = self._clock()
            due = [
                f
                for f in await self._store.list_feeds()
                if (f.next_poll is None or f.next_poll <= now)
                and await self._store.feed_followers(f.url)
            ]
            limit = asyncio.Semaphore(POLL_CONCURRENCY)

            async def one(state: FeedState) -> tuple[str, int]:
                async with limit:
                    return await self.poll(state)

            results = await asyncio.gather(*(one(f) for f in due))
            return PollReport(
                polled=len(results),
                not_modified=sum(1 for r, _ in results if r == "not_modified"),
                failed=sum(1 for r, _ in results if r == "failed"),
                new_items=sum(n for _, n in results),
            )

    async def poll(self, state: FeedState) -> tuple[str, int]:
        """Poll one feed now; returns ("ok" | "not_modified" | "failed", new items briefed)."""
        now = self._clock()
        try:
            fetched = await self._fetcher.fetch(
                state.url, accept_feed=True, etag=state.etag, last_modified=state.last_modified
            )
        except FetchError as error:
            log.info("feeds: fetch failed (%s)", error.code)
            await self._failed(state, now)
            return "failed", 0
        if fetched.status == 304:
            await self._store.save_feed(
                replace(state, failures=0, last_polled=now, next_poll=now + POLL_INTERVAL)
            )
            return "not_modified", 0
        feed = (
            parse_feed(fetched.body, _header(fetched.headers, "content-type"))
            if 200 <= fetched.status < 300
            else None
        )
        if feed is None:
            log.info("feeds: poll failed (status %d or not a feed)", fetched.status)
            await self._failed(state, now)
            return "failed", 0
        seen = list(state.seen)
        seen_set = set(seen)
        new = [i for i in feed.items if i.id not in seen_set]
        new.sort(key=lambda i: i.published or now)  # oldest first, so the cap keeps the order
        briefed = 0
        for item in new[:MAX_NEW_ITEMS_PER_POLL]:
            if item.published is None or now - item.published <= MAX_ITEM_AGE:
                briefed += await self._brief_item(state.url, item)
            seen.append(item.id)
        await self._store.save_feed(
            replace(
                state,
                etag=_header(fetched.headers, "etag"),
                last_modified=_header(fetched.headers, "last-modified"),
                last_polled=now,
                next_poll=now + POLL_INTERVAL,
                failures=0,
                seen=tuple(seen[-SEEN_CAP:]),
            )
        )
        return "ok", briefed

    async def _failed(self, state: FeedState, now: datetime) -> None:
        failures = state.failures + 1
        await self._store.save_feed(
            replace(state, failures=failures, last_polled=now, next_poll=now + backoff(failures))
        )

    async def _brief_item(self, feed_url: str, item: FeedItem) -> int:
        """Brief one item (its page, else its own text) into the pool; 1 when it was pooled."""
        result: Brief | None = None
        if item.link:
            try:
                result = await self._brief_link(item.link)
            except (FetchError, BriefError) as error:
                log.info("feeds: item page not briefed (%s)", getattr(error, "code", "error"))
        if result is None and sum(ch.isalpha() for ch in item.text) >= MIN_FALLBACK_LETTERS:
            try:
                result = brief_text(
                    item.text, title=item.title, source=Source(url=item.link, site=None)
                )
            except BriefError:
                result = None
        if result is None:
            return 0
        await self._pool.add(result, url=item.link, feed_url=feed_url, published=item.published)
        return 1
