from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bot.pages import ARTICLE_URL, MISSING_URL, SEED
from tests.bot.support import Harness, start_harness

__all__ = ["ARTICLE_URL", "MISSING_URL", "SEED"]


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await start_harness(tmp_path / "data")
    try:
        yield harness
    finally:
        await harness.app.stop()
        if harness.app.post_shutdown is not None:
            await harness.app.post_shutdown(harness.app)
        await harness.app.shutdown()
