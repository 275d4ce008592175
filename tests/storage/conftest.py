"""Helpers for the store tests: an opened TinyStore in a temporary directory, a settable clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from storage import HistoryItem, RetentionPolicy, TinyStore, schema

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = field(default=START)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def brief(n: int, **extra: Any) -> dict[str, Any]:
    """A Brief.to_json()-shaped dict, distinguishable by `n`."""
    return {
        "language": "en",
        "language_supported": True,
        "title": f"Moscow and the EU, day {n}",
        "text": "Moscow wants to normalise relations with the EU. " * 3,
        "summary": [f"Summary sentence {n}."],
        "statements": [
            {
                "speaker": "Dmitry Peskov",
                "role": "Kremlin spokesman",
                "quote": "We are looking for ways to normalize relations.",
                "kind": "direct",
                "cue": "said",
                "side": "Russia",
            }
        ],
        "dispute": {"parties": ["Russia", "European Union"], "issue": "sanctions", "stance": None},
        "source": {"url": None, "site": "UrduPoint", "author": None, "date": None,
                   "channel": None, "channel_url": None},
        "n": n,
        **extra,
    }


def item(n: int, at: datetime = START) -> HistoryItem:
    return HistoryItem(created_at=at, brief=brief(n), article_id=f"a{n}")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store(tmp_path: Path, clock: Clock) -> AsyncIterator[TinyStore]:
    s = TinyStore(tmp_path / "data", RetentionPolicy(max_items=1000), clock=clock)
    await s.open()
    yield s
    await s.close()


def small_segments(directory: Path, segment: int) -> Path:
    """A new data directory whose history segments hold `segment` briefs, so a few briefs
    span several files."""
    directory.mkdir(parents=True, exist_ok=True)
    schema.write_stamp(directory, {"schema": schema.SCHEMA_VERSION, "history_segment": segment})
    return directory


async def reopen(s: TinyStore) -> TinyStore:
    """Close and open the same directory: what survives is what is on disk."""
    await s.close()
    fresh = TinyStore(s.data_dir, s.retention, clock=s._clock)
    await fresh.open()
    return fresh
