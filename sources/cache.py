"""A small time-limited cache that also runs each key's work only once at a time."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class SingleFlightCache(Generic[T]):
    """`await cache.get_or_run(keys, work)`: the first caller for a key runs `work`; callers
    arriving meanwhile await the same result (or the same error); a success is kept for `ttl_s`
    under every key given. Errors are shared in flight but never cached."""

    def __init__(self, *, ttl_s: float, max_entries: int) -> None:
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._done: OrderedDict[str, tuple[float, T]] = OrderedDict()
        self._flying: dict[str, asyncio.Future[T]] = {}
        self.runs = 0  # how many times `work` actually ran (for tests and the benchmark)

    def get(self, key: str) -> T | None:
        hit = self._done.get(key)
        if hit is None:
            return None
        expires, value = hit
        if expires < time.monotonic():
            del self._done[key]
            return None
        self._done.move_to_end(key)
        return value

    def put(self, keys: Iterable[str], value: T) -> None:
        expires = time.monotonic() + self._ttl_s
        for key in keys:
            self._done[key] = (expires, value)
            self._done.move_to_end(key)
        while len(self._done) > self._max_entries:
            self._done.popitem(last=False)

    async def get_or_run(
        self, key: str, work: Callable[[], Awaitable[tuple[T, Iterable[str]]]]
    ) -> T:
        """`work()` returns the value and any further keys it is known by (the final URL)."""
        cached = self.get(key)
        if cached is not None:
            return cached
        flying = self._flying.get(key)
        if flying is not None:
            try:
                return await asyncio.shield(flying)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if not flying.cancelled() or (task is not None and task.cancelling()):
                    raise
                # The caller doing the work was cancelled, not us: do it ourselves.
                return await self.get_or_run(key, work)
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._flying[key] = future
        try:
            self.runs += 1
            value, aliases = await work()
            self.put([key, *aliases], value)
            future.set_result(value)
            return value
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: nobody may be waiting
            raise
        finally:
            del self._flying[key]
