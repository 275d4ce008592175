"""What the handlers use, behind small interfaces: the store, the engine, the link fetcher.

`bot.app` builds one `Services` and puts it in `application.bot_data`; handlers reach it with
`services(context)`. Tests build the same object around test doubles.
"""

from __future__ import annotations

import asyncio
import functools
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Protocol

from telegram import Message
from telegram.ext import Application, ContextTypes

from bot.offload import run_engine, run_engine_fingerprinted, unwrap
from briefing import Brief, Source
from briefing import brief as engine_brief
from sources.model import Post
from storage.base import Store

# How long a forward may take before the user sees "Reading the article…": seconds.
PLACEHOLDER_DELAY_S: Final = 1.0
# How long the messages of one album are gathered before it is briefed: seconds.
ALBUM_WAIT_S: Final = 1.0

# Fingerprints computed with a brief and kept until the shared pool asks for them. Each is taken
# within milliseconds (after the brief is sent); beyond this many waiting, the oldest is dropped
# and the pool computes it again (so memory stays bounded when a brief fails before the pool).
FINGERPRINTS_KEPT: Final = 64

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


class Fingerprints:
    """The shared pool's text fingerprints, computed by the engine's worker in the same call as
    the brief (`brief`), and handed to the pool when it asks (`__call__`, its fingerprinter):
    one trip to the worker per public brief instead of two. A text the pool asks about that
    was not briefed here (a feed item, a link) is fingerprinted in `executor` as before."""

    def __init__(
        self,
        function: Callable[[str], int | None],
        executor: Executor | None,
        *,
        kept: int = FINGERPRINTS_KEPT,
    ) -> None:
        self.function = function
        self.executor = executor
        self.kept = kept
        self._known: OrderedDict[str, int | None] = OrderedDict()

    async def brief(self, engine: Callable[..., Brief], text: str, **options: Any) -> Brief:
        """`run_brief(executor, engine, text, **options)`, keeping the brief's fingerprint."""
        loop = asyncio.get_running_loop()
        job = functools.partial(run_engine_fingerprinted, engine, self.function, text, **options)
        done = unwrap(await loop.run_in_executor(self.executor, job))
        self._known[done.brief.text] = done.fingerprint
        self._known.move_to_end(done.brief.text)
        while len(self._known) > self.kept:
            self._known.popitem(last=False)
        return done.brief

    async def __call__(self, text: str) -> int | None:
        """The fingerprint of `text`: the one kept for it (once), else computed now."""
        if text in self._known:
            return self._known.pop(text)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.function, text)


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
    # Set when the shared pool fingerprints texts: public briefs then get theirs in one go.
    fingerprints: Fingerprints | None = None
    # Albums being gathered: media_group_id -> the posts so far.
    albums: dict[str, list[Post]] = field(default_factory=dict)

    def brief_text(
        self,
        text: str,
        *,
        title: str | None = None,
        source: Source | None = None,
        pooled: bool = False,
    ) -> Awaitable[Brief]:
        """Run the engine off the event loop: it is CPU-bound (tens of milliseconds).
        `pooled`: the brief goes to the shared pool, which will want its fingerprint."""
        if pooled and self.fingerprints is not None:
            return self.fingerprints.brief(self.engine, text, title=title, source=source)
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
