"""A public brief and the shared pool's fingerprint of its text come from one trip to the
engine's worker (handlers.services.Fingerprints); the pool pooled the same as before."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from briefing import Brief, BriefError, Source
from briefing import brief as engine_brief
from digest.pool import ArticlePool, simhash
from handlers.services import Fingerprints
from storage.tinydb_store import TinyStore
from tests.bot.pages import SEED
from tests.bot.support import channel_origin, forward, message, start_harness


class CountingSimhash:
    """`digest.pool.simhash`, counting the texts it was asked about."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, text: str) -> int | None:
        self.texts.append(text)
        return simhash(text)


async def test_the_brief_brings_its_fingerprint_and_the_pool_takes_it_once() -> None:
    counted = CountingSimhash()
    fingerprints = Fingerprints(counted, None)
    result = await fingerprints.brief(engine_brief, SEED, source=Source(channel="World Desk"))
    assert result.source.channel == "World Desk"
    assert counted.texts == [result.text]  # computed with the brief
    assert await fingerprints(result.text) == simhash(result.text)
    assert counted.texts == [result.text]  # handed over, not computed again
    assert await fingerprints(result.text) == simhash(result.text)
    assert len(counted.texts) == 2  # taken once: a second question computes it


async def test_a_refused_text_keeps_its_error_code_and_nothing_is_kept() -> None:
    counted = CountingSimhash()
    fingerprints = Fingerprints(counted, None)
    with pytest.raises(BriefError) as refused:
        await fingerprints.brief(engine_brief, "Hi!")
    assert refused.value.code == "too_short"
    assert counted.texts == []


async def test_fingerprints_waiting_are_bounded() -> None:
    def engine(text: str, **options: Any) -> Brief:
        return Brief(language="en", text=text, summary=(text,))

    counted = CountingSimhash()
    fingerprints = Fingerprints(counted, None, kept=2)
    texts = [f"text number {n} " * 20 for n in range(3)]
    for text in texts:
        await fingerprints.brief(engine, text)
    assert len(counted.texts) == 3
    await fingerprints(texts[0])  # dropped as the oldest: computed again
    await fingerprints(texts[2])  # still there
    assert counted.texts[3:] == [texts[0]]


class CountingExecutor(ThreadPoolExecutor):
    """Stands for the engine's process pool: counts the trips to a worker."""

    def __init__(self) -> None:
        super().__init__(max_workers=1)
        self.trips = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.trips += 1
        return super().submit(fn, *args, **kwargs)


async def test_public_forwards_are_pooled_with_one_trip_to_the_worker(tmp_path: Path) -> None:
    counted = CountingSimhash()
    workers = CountingExecutor()
    bot = await start_harness(tmp_path / "data")
    bot.services.executor = workers
    fingerprints = Fingerprints(counted, workers)
    bot.services.fingerprints = fingerprints
    pool = ArticlePool(bot.store, lambda: datetime.now(UTC), fingerprinter=fingerprints)
    bot.services.pool = pool
    try:
        await bot.send(forward(SEED, channel_origin("World Desk", "worlddesk", 77)))
        await bot.send(message(SEED))  # pasted: private, never pooled nor fingerprinted
    finally:  # stop() also waits for the pool's background task
        await bot.app.stop()
        if bot.app.post_shutdown is not None:
            await bot.app.post_shutdown(bot.app)
        await bot.app.shutdown()
    workers.shutdown()
    assert len(counted.texts) == 1
    assert workers.trips == 2  # one per brief: the pool asked no worker for the fingerprint
    async with TinyStore(tmp_path / "data") as store:
        articles = await store.articles_since(datetime(2000, 1, 1, tzinfo=UTC))
    assert [a.url for a in articles] == ["https://t.me/worlddesk/77"]
    assert articles[0].fingerprint == f"{simhash(counted.texts[0]):016x}"
