"""The production clients behind `Services`: the TinyDB store, the engine's thread pool and the
safe link fetcher. Opened in post_init, closed in post_shutdown (see bot.app)."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Final

from bot.config import Config
from briefing import Brief
from handlers.post import choose_target, merge_album, parse_message
from handlers.services import Services
from sources.model import FetchError
from storage.tinydb_store import TinyStore

log = logging.getLogger(__name__)

# Threads running the engine: it is CPU-bound Python, so more threads than cores buy nothing.
ENGINE_THREADS: Final = 2


class _NoLinks:
    """Interim until `sources.links` is on main: links are answered plainly."""

    async def __call__(self, url: str, *, fallback_text: str | None = None) -> Brief:
        raise FetchError("Reading links is not available in this build yet.", code="unavailable")


class ProductionBackends:
    """Opens the store and the thread pool; closes them in reverse order."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.store: TinyStore | None = None
        self.executor: ThreadPoolExecutor | None = None

    async def open(self) -> Services:
        self.config.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = TinyStore(self.config.data_dir)
        await self.store.open()
        self.executor = ThreadPoolExecutor(ENGINE_THREADS, thread_name_prefix="engine")
        return Services(
            store=self.store,
            link_briefer=_NoLinks(),
            parse_message=parse_message,
            merge_album=merge_album,
            choose_target=choose_target,
            executor=self.executor,
            default_tz=self.config.default_tz,
        )

    async def close(self) -> None:
        if self.store is not None:
            await self.store.close()
            self.store = None
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
