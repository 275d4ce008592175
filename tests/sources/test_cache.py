"""The single-flight cache: one run per key at a time, shared results, errors not kept."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import pytest

from sources.cache import SingleFlightCache


async def test_concurrent_callers_share_one_run_and_aliases_hit() -> None:
    cache: SingleFlightCache[str] = SingleFlightCache(ttl_s=60, max_entries=10)

    async def work() -> tuple[str, Iterable[str]]:
        await asyncio.sleep(0.01)
        return "page", ["final-url"]

    results = await asyncio.gather(*(cache.get_or_run("url", work) for _ in range(30)))
    assert results == ["page"] * 30 and cache.runs == 1
    assert cache.get("final-url") == "page"


async def test_errors_are_shared_in_flight_but_not_kept() -> None:
    cache: SingleFlightCache[str] = SingleFlightCache(ttl_s=60, max_entries=10)
    calls = 0

    async def failing() -> tuple[str, Iterable[str]]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        raise ValueError("down")

    results = await asyncio.gather(
        *(cache.get_or_run("k", failing) for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(r, ValueError) for r in results) and calls == 1
    with pytest.raises(ValueError):
        await cache.get_or_run("k", failing)
    assert calls == 2


async def test_waiters_survive_the_cancellation_of_the_first_caller() -> None:
    cache: SingleFlightCache[str] = SingleFlightCache(ttl_s=60, max_entries=10)

    async def slow() -> tuple[str, Iterable[str]]:
        await asyncio.sleep(0.05)
        return "done", []

    first = asyncio.create_task(cache.get_or_run("k", slow))
    await asyncio.sleep(0)
    second = asyncio.create_task(cache.get_or_run("k", slow))
    await asyncio.sleep(0.01)
    first.cancel()
    assert await second == "done"
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_entries_expire_and_the_size_is_bounded() -> None:
    cache: SingleFlightCache[int] = SingleFlightCache(ttl_s=0.01, max_entries=3)
    cache.put(["a", "b", "c", "d"], 1)
    assert cache.get("a") is None and cache.get("d") == 1
    await asyncio.sleep(0.02)
    assert cache.get("d") is None
