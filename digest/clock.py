"""The clock everything in the digest reads: injected, so tests can move time (DST, midnight)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

# Returns an aware datetime in UTC.
Clock = Callable[[], datetime]
# Waits the given number of seconds (asyncio.sleep, or a fake that advances a fake clock).
Sleep = Callable[[float], Awaitable[None]]


def utc_now() -> datetime:
    return datetime.now(UTC)


async def real_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)
