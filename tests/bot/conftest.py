from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bot.support import Harness, start_harness

SEED = (Path(__file__).parent / "data" / "seed_article.txt").read_text("utf-8")
ARTICLE_URL = "http://news.example.org/kremlin-eu"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await start_harness(tmp_path / "data", {ARTICLE_URL: SEED})
    try:
        yield harness
    finally:
        await harness.app.stop()
        if harness.app.post_shutdown is not None:
            await harness.app.post_shutdown(harness.app)
        await harness.app.shutdown()
