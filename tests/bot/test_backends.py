"""The production backends: the store and the engine's worker processes open and close, and a
dead worker costs one brief, not the bot."""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from bot.backends import EnginePool, ProductionBackends
from briefing import BriefError, brief
from storage.base import Article
from tests.bot.conftest import SEED
from tests.bot.support import config


def _die() -> None:
    os._exit(1)


def test_a_dead_worker_is_replaced() -> None:
    pool = EnginePool(1)
    try:
        with pytest.raises(BrokenProcessPool):
            pool.submit(_die).result(timeout=60)
        result = pool.submit(brief, SEED).result(timeout=60)
        assert "Moscow" in " ".join(result.summary)
    finally:
        pool.shutdown()


async def test_open_brief_close(tmp_path: Path) -> None:
    backends = ProductionBackends(config(data_dir=tmp_path / "data"))
    from bot.app import build_application
    from tests.bot.support import RecordingRequest
    from tests.bot.support import config as make_config

    app = build_application(make_config(), backends, request=RecordingRequest())
    services = await backends.open(app)
    try:
        result = await services.brief_text(SEED)
        assert "Moscow" in " ".join(result.summary)
        assert (tmp_path / "data").is_dir()
        # The engine's refusal crosses the process boundary with its code (the user's answer
        # depends on it; a pickled BriefError would come back as "bad_input").
        with pytest.raises(BriefError) as refused:
            await services.brief_text("Hi!")
        assert refused.value.code == "too_short"
        # The pool fingerprints in the worker processes: a twin of the same text is kept once.
        assert services.pool is not None
        first = await services.pool.add(result, url="https://example.org/a")
        twin = await services.pool.add(result, url="https://example.org/b")
        assert isinstance(first, Article) and isinstance(twin, Article)
        assert twin.id == first.id and first.fingerprint
    finally:
        await backends.close()
    assert backends.store is None and backends.engine is None
