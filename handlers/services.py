"""What the handlers use, behind small interfaces: the store, the engine, the link fetcher.

`bot.app` builds one `Services` and puts it in `application.bot_data`; handlers reach it with
`services(context)`. Tests build the same object around test doubles.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Protocol

from telegram import Message
from telegram.ext import Application, ContextTypes

from bot.offload import run_engine, unwrap
from briefing import Brief, Source
from briefing import brief as engine_brief
from sources.model import Post
from storage.base import Store

# How long a forward may take before the user sees "Reading the article…": seconds.
PLACEHOLDER_DELAY_S: Final = 1.0
# How long the messages of one album are gathered before it is briefed: seconds.
ALBUM_WAIT_S: Final = 1.0

SERVICES_KEY: Final = "briefbot.services"


AnyApp = Application[Any, Any, Any, Any, Any, Any]


class LinkBriefer(Protocol):
    """Fetch a page safely and brief it; raises `sources.model.FetchError` or `BriefError`."""

    async def __call__(self, url: str, *, fallback_text: str | None = None) -> Brief: ...


class DigestPort(Protocol):
    """The daily digest (issue 7: `digest.DigestService` has this shape) as the bot drives it."""

    async def start(self) -> int:
        """Rebuild the schedule from the store at start (catching up missed digests)."""
        ...

    async def tick(self) -> object:
        """Send what is due; called from a repeating job."""
        ...

    async def settings_changed(self, user_id: int) -> None:
        """The user's digest settings changed (or they became active again)."""
        ...

    async def send_now(self, user_id: int) -> int:
        """/digest now: compose and send at once; the number of messages sent."""
        ...


class PoolPort(Protocol):
    """The shared article pool (issue 7: `digest.ArticlePool` has this shape)."""

    async def add(self, brief: Brief, *, url: str | None = None) -> object: ...


class FeedRefused(Exception):
    """A feed that cannot be followed; the message is fit to show the user (in English;
    `reason` and `params` as in `sources.model.FetchError`, for the user's language)."""

    def __init__(
        self, message: str, *, reason: str | None = None, params: dict[str, str | int] | None = None
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.params = params or {}


class FeedPort(Protocol):
    """Feed discovery for /subscribe URL (issue 7: `digest.FeedPoller.follow`, adapted)."""

    async def follow(self, url: str) -> str:
        """The feed's own URL (a page may name its feed); raises FeedRefused."""
        ...

    async def poll_due(self) -> object:
        """Poll the feeds that are due; called from a repeating job."""
        ...


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class Services:
    """Shared clients and settings for every handler."""

    store: Store
    link_briefer: LinkBriefer
    parse_message: Callable[[Message], Post]
    merge_album: Callable[[list[Post]], Post]
    # The link to fetch for a post, or None to brief the post's own text.
    choose_target: Callable[[Post], str | None]
    executor: Executor | None = None
    # The engine: `briefing.brief` (replaceable so tests can make it fail or slow).
    engine: Callable[..., Brief] = engine_brief
    default_tz: str = "UTC"
    digest: DigestPort | None = None
    pool: PoolPort | None = None
    feeds: FeedPort | None = None
    placeholder_delay_s: float = PLACEHOLDER_DELAY_S
    album_wait_s: float = ALBUM_WAIT_S
    clock: Callable[[], datetime] = utcnow
    # Albums being gathered: media_group_id -> the posts so far.
    albums: dict[str, list[Post]] = field(default_factory=dict)

    def brief_text(
        self, text: str, *, title: str | None = None, source: Source | None = None
    ) -> Awaitable[Brief]:
        """Run the engine off the event loop: it is CPU-bound (tens of milliseconds)."""
        return run_brief(self.executor, self.engine, text, title=title, source=source)


async def run_brief(
    executor: Executor | None, engine: Callable[..., Brief], text: str, **options: Any
) -> Brief:
    """`engine(text, **options)` in `executor` (a process pool in production: the engine is
    CPU-bound Python and would hold the event loop's GIL in a thread); its BriefError is raised
    here with its code."""
    loop = asyncio.get_running_loop()
    # A partial of module-level functions pickles, so the executor may be a process pool.
    job = functools.partial(run_engine, engine, text, **options)
    return unwrap(await loop.run_in_executor(executor, job))


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The Services of this application."""
    found = context.application.bot_data[SERVICES_KEY]
    if not isinstance(found, Services):
        raise TypeError("the application was not wired by bot.app")
    return found
