"""A new user's digest runs in BRIEFBOT_DEFAULT_TZ until they choose a zone, and starts on the
first slot after they arrived (the real DigestService, an injected clock)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from digest import ArticlePool, Broadcaster, DigestService
from handlers.services import DigestPort
from storage.tinydb_store import TinyStore
from tests.bot.support import Harness, message, start_harness
from tests.handlers.briefs import SEED_BRIEF

# 05:00 UTC on 1 July is 07:00 in Berlin (CEST, UTC+2): an hour before the default 08:00.
ARRIVAL = datetime(2026, 7, 1, 5, 0, tzinfo=UTC)


@dataclass
class World:
    now: datetime = ARRIVAL
    sent: list[tuple[int, str, bool]] = field(default_factory=list)
    service: DigestService | None = None

    def clock(self) -> datetime:
        return self.now

    async def send(self, chat_id: int, text: str, silent: bool) -> None:
        self.sent.append((chat_id, text, silent))

    async def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def make_digest(self, store: TinyStore) -> DigestPort:
        self.pool = ArticlePool(store, self.clock)
        broadcaster = Broadcaster(store, self.send, self.clock, self.sleep, throttle=False)
        self.service = DigestService(
            store, self.pool, broadcaster, self.clock, default_tz="Europe/Berlin"
        )
        return self.service


@pytest.fixture
async def berlin(tmp_path: Path) -> AsyncIterator[tuple[Harness, World]]:
    world = World()
    harness = await start_harness(
        tmp_path / "data",
        make_digest=world.make_digest,
        default_tz="Europe/Berlin",
        clock=world.clock,
    )
    try:
        yield harness, world
    finally:
        await harness.app.stop()
        if harness.app.post_shutdown is not None:
            await harness.app.post_shutdown(harness.app)
        await harness.app.shutdown()


async def test_a_new_user_gets_the_digest_at_eight_berlin_time(
    berlin: tuple[Harness, World],
) -> None:
    bot, world = berlin
    await bot.send(message("/subscribe Russia EU sanctions"))
    settings = await bot.user(42)
    # No zone chosen: stored as "", so BRIEFBOT_DEFAULT_TZ applies (and a later change of it too).
    assert settings.timezone == ""
    assert settings.created_at == ARRIVAL
    await bot.send(message("/digest"))
    assert bot.last_text().startswith("Daily digest: on, at 08:00 (Europe/Berlin), with sound.")

    await world.pool.add(SEED_BRIEF, url="https://example.com/kremlin-eu")
    assert world.service is not None
    world.now = datetime(2026, 7, 1, 5, 59, tzinfo=UTC)  # 07:59 in Berlin
    await world.service.tick()
    # Yesterday's 08:00 predates the user: nothing is caught up.
    assert world.sent == []
    world.now = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)  # 08:00 in Berlin
    await world.service.tick()
    assert [chat for chat, _, _ in world.sent] == [42]
    assert "Russia" in world.sent[0][1]


async def test_a_restart_does_not_catch_up_a_slot_from_before_the_user(
    berlin: tuple[Harness, World],
) -> None:
    bot, world = berlin
    await bot.send(message("/subscribe Russia EU sanctions"))
    await world.pool.add(SEED_BRIEF, url="https://example.com/kremlin-eu")
    assert world.service is not None
    world.now = ARRIVAL + timedelta(minutes=30)
    assert await world.service.start() == 0
    await world.service.tick()
    assert world.sent == []
    assert world.service.next_due(42) == datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
