"""Test doubles: a clock that tests move, a recording Telegram `send`, and a feed fetcher that
serves canned answers. The store is the real TinyStore (see conftest.py)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from telegram.error import Forbidden, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from sources.model import FetchError


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
