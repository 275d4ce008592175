"""Helpers for the engine tests: the seed article from ../shared (the repository's sibling)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed article. Skipped only where ../shared is absent and we are not in CI."""
    seeds = sorted((SHARED / "seed").glob("*.txt")) if SHARED.is_dir() else []
    if not seeds:
        if os.environ.get("CI"):
            pytest.fail(f"the seed article is missing from {SHARED / 'seed'} (required in CI)")
        pytest.skip("../shared is absent: the seed article is not available here")
    return seeds[0].read_text("utf-8")
