"""The production clients behind `Services`: the TinyDB store, the engine's worker processes and
the safe link fetcher. Opened in post_init, closed in post_shutdown (see bot.app)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Final

import httpx
from telegram.constants import ParseMode

from bot.config import Config
from bot.offload import extract, unwrap
from briefing import Brief, Source, brief
from briefing.engine import warm_up
from digest import ArticlePool, Broadcaster, DigestService, FeedError, FeedPoller
from digest.clock import real_sleep, utc_now
from digest.pool import simhash
from handlers.services import AnyApp, FeedRefused, Fingerprints, Services, run_brief
from sources.config import MIN_FALLBACK_CHARS
from sources.fetch import SafeFetcher
from sources.links import LinkBrief, source_of
from sources.model import Article, FetchError, Post
from sources.telegram import choose_target, merge_album, parse_message
from sources.urls import cache_key, check_url
from storage.tinydb_store import TinyStore

log = logging.getLogger(__name__)

# Processes running the engine. It is CPU-bound Python: threads would share one core under the
# GIL with the event loop, processes use the other cores; the event loop keeps one core.
ENGINE_PROCESSES: Final = max(1, min(4, (os.cpu_count() or 2) - 1))


# How often an engine worker checks that the bot that started it is still there: seconds.
PARENT_CHECK_INTERVAL_S: Final = 2.0


def _exit_when_gone(bot_pid: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_INTERVAL_S)
        try:
            os.kill(bot_pid, 0)
        # PermissionError: the pid now belongs to another user's process, so ours is gone too.
        except (ProcessLookupError, PermissionError):
            os._exit(0)


def _start_worker(bot_pid: int) -> None:
    """Each engine worker. Ctrl+C in the terminal reaches the whole process group, but stopping
    the workers is the bot's job (it shuts the pool down), so they ignore SIGINT instead of each
    printing a KeyboardInterrupt traceback. A bot killed with SIGKILL cannot shut them down, and
    forkserver workers are not children of the bot, so each watches the bot and leaves with it
    rather than live on as an orphan holding the models' memory. Then load the models once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_gone, args=(bot_pid,), daemon=True).start()
    warm_up()


class EnginePool(Executor):
    """A process pool that replaces itself when a worker dies (killed by the OOM killer, say):
    one lost brief, not a bot that can never brief again."""

    def __init__(self, workers: int = ENGINE_PROCESSES) -> None:
        self.workers = workers
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # forkserver: the bot has threads (the store's writer, PTB's), which fork must not copy.
        context = multiprocessing.get_context("forkserver")
        # Workers fork from a server that imported the engine, the extractor and the pool's
        # fingerprint once: they share their pages.
        context.set_forkserver_preload(["briefing.engine", "bot.offload", "digest.pool"])
        return ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
        )

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        try:
            return self._pool.submit(fn, *args, **kwargs)
        except BrokenProcessPool:
            log.error("an engine worker died: starting a new pool")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(fn, *args, **kwargs)

    def warm(self) -> None:
        """Start every worker now (each loads the models once), not on the first brief."""
        for future in [self._pool.submit(warm_up) for _ in range(self.workers)]:
            future.result()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


class FetchedLinks:
    """Links through the safe fetcher (private addresses refused unless allowed).

    `sources.links.brief_link`'s behaviour (the same URL fetched once for everyone, the post's
    own text briefed with a note when the link cannot be read), with the CPU work (extraction,
    the engine) in `executor`: the engine's processes in production, so it does not compete
    with the event loop for the GIL as threads of this process would.
    """

    def __init__(self, fetcher: SafeFetcher, executor: Executor | None = None) -> None:
        self.fetcher = fetcher
        self.executor = executor

    async def article(self, url: str) -> Article:
        """`sources.links.fetch_article`, extracting in the executor."""
        parsed = check_url(url)
        loop = asyncio.get_running_loop()

        async def work() -> tuple[Article, Iterable[str]]:
            fetched = await self.fetcher.fetch(str(parsed))
            article = unwrap(await loop.run_in_executor(self.executor, extract, fetched))
            return article, {cache_key(httpx.URL(fetched.url))}

        return await self.fetcher.articles.get_or_run(cache_key(parsed), work)

    async def __call__(self, url: str, *, fallback_text: str | None = None) -> Brief:
        try:
            article = await self.article(url)
        except FetchError as exc:
            if fallback_text is None or len(fallback_text.strip()) < MIN_FALLBACK_CHARS:
                raise
            result = await run_brief(self.executor, brief, fallback_text, source=Source())
            return link_brief(result, note=f"{exc} So this brief is of the post itself.")
        result = await run_brief(
            self.executor, brief, article.text, title=article.title, source=source_of(article)
        )
        # `text` is the article as extracted, as `brief_link` returns it.
        return link_brief(dataclasses.replace(result, text=article.text), note=None)


def link_brief(result: Brief, *, note: str | None) -> LinkBrief:
    """A Brief as `sources.links.LinkBrief` (note: why the post's text was briefed instead)."""
    fields = {name: getattr(result, name) for name in Brief.__dataclass_fields__}
    return LinkBrief(**fields, note=note, fallback=note is not None)


class FollowedFeeds:
    """/subscribe URL through the feed poller (it finds the feed a page names), and the poll."""

    def __init__(self, poller: FeedPoller) -> None:
        self.poller = poller

    async def follow(self, url: str) -> str:
        try:
            info = await self.poller.follow(url)
        except FeedError as exc:
            raise FeedRefused(str(exc), reason=exc.reason, params=exc.params) from exc
        return info.url

    async def poll_due(self) -> object:
        return await self.poller.poll_due()


def link_to_fetch(post: Post) -> str | None:
    """The link a post is briefed from, or None when its own text is the article."""
    target = choose_target(post)
    return target.value if target.kind == "link" else None


class ProductionBackends:
    """Opens the store and the engine's processes; closes them in reverse order."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.store: TinyStore | None = None
        self.engine: EnginePool | None = None
        self.fetcher: SafeFetcher | None = None

    async def open(self, app: AnyApp) -> Services:
        self.config.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = TinyStore(self.config.data_dir)
        await self.store.open()
        self.engine = EnginePool()
        await asyncio.to_thread(self.engine.warm)
        fetcher = self.fetcher = SafeFetcher(allow_private=self.config.allow_private_hosts)

        # Issue 7: the shared pool, the paced digest broadcaster, the feed poller.
        async def send(chat_id: int, text: str, silent: bool) -> None:
            await app.bot.send_message(
                chat_id, text, parse_mode=ParseMode.HTML, disable_notification=silent
            )

        engine = self.engine
        # The pool's simhash (pure Python) in the engine's processes, with the brief when it can.
        fingerprints = Fingerprints(simhash, engine)
        pool = ArticlePool(self.store, utc_now, fingerprinter=fingerprints)
        broadcaster = Broadcaster(self.store, send, utc_now, real_sleep, monotonic=time.monotonic)
        digests = DigestService(
            self.store, pool, broadcaster, utc_now, default_tz=self.config.default_tz
        )
        links = FetchedLinks(fetcher, engine)
        # Feed items are briefed like links users send: extraction and engine in the workers.
        poller = FeedPoller(self.store, fetcher, links, pool, utc_now)
        return Services(
            store=self.store,
            link_briefer=links,
            parse_message=parse_message,
            merge_album=merge_album,
            choose_target=link_to_fetch,
            executor=self.engine,
            default_tz=self.config.default_tz,
            digest=digests,
            pool=pool,
            feeds=FollowedFeeds(poller),
            fingerprints=fingerprints,
        )

    async def close(self) -> None:
        if self.fetcher is not None:
            await self.fetcher.aclose()
            self.fetcher = None
        if self.engine is not None:
            # Wait for the workers (at most the brief in hand): a pool left running is torn down
            # at interpreter exit through pipes already closed, which prints a traceback (EBADF).
            await asyncio.to_thread(self.engine.shutdown, wait=True, cancel_futures=True)
            self.engine = None
        if self.store is not None:
            await self.store.close()
            self.store = None
