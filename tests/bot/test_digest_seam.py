"""The seam issue 7's digest service plugs into: started with the bot, ticked by a job, told
about settings changes and reactivations, asked for /digest now."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bot.support import Harness, message, start_harness


class RecordingDigest:
    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    async def start(self) -> int:
        self.events.append(("start", 0))
        return 0

    async def tick(self) -> object:
        self.events.append(("tick", 0))
        return None

    async def settings_changed(self, user_id: int) -> None:
        self.events.append(("settings_changed", user_id))

    async def send_now(self, user_id: int) -> int:
        self.events.append(("send_now", user_id))
        return 1


@pytest.fixture
async def wired(tmp_path: Path) -> AsyncIterator[tuple[Harness, RecordingDigest]]:
    digest = RecordingDigest()
    harness = await start_harness(tmp_path / "data", digest=digest)
    try:
        yield harness, digest
    finally:
        await harness.app.stop()
        if harness.app.post_shutdown is not None:
            await harness.app.post_shutdown(harness.app)
        await harness.app.shutdown()


async def test_started_with_the_bot_and_ticked_by_a_job(
    wired: tuple[Harness, RecordingDigest],
) -> None:
    bot, digest = wired
    assert digest.events[0] == ("start", 0)
    jobs = bot.app.job_queue.get_jobs_by_name("digest") if bot.app.job_queue else ()
    assert len(jobs) == 1
    await jobs[0].run(bot.app)
    assert ("tick", 0) in digest.events


async def test_settings_changes_and_digest_now_reach_the_service(
    wired: tuple[Harness, RecordingDigest],
) -> None:
    bot, digest = wired
    await bot.send(message("/digest 07:30 Europe/Berlin"))
    await bot.send(message("/digest off"))
    await bot.send(message("/digest now"))
    assert digest.events[1:] == [
        ("settings_changed", 42),
        ("settings_changed", 42),
        ("send_now", 42),
    ]


async def test_a_user_back_after_blocking_is_rescheduled(
    wired: tuple[Harness, RecordingDigest],
) -> None:
    bot, digest = wired
    await bot.send(message("/start"))
    bot.request.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await bot.send(message("/help"))
    assert not (await bot.user(42)).active
    await bot.send(message("/start"))
    assert digest.events[-1] == ("settings_changed", 42)


async def test_public_briefs_go_to_the_wired_pool_with_their_whole_text(tmp_path: Path) -> None:
    from briefing import Brief
    from tests.bot.pages import SEED
    from tests.bot.support import channel_origin, forward

    added: list[tuple[Brief, str | None]] = []

    class Pool:
        async def add(self, brief: Brief, *, url: str | None = None) -> object:
            added.append((brief, url))
            return None

    bot = await start_harness(tmp_path / "data")
    bot.services.pool = Pool()
    try:
        await bot.send(forward(SEED, channel_origin("World Desk", "worlddesk", 77)))
        await bot.send(message(SEED))  # pasted: private, never pooled
    finally:
        await bot.app.stop()
        if bot.app.post_shutdown is not None:
            await bot.app.post_shutdown(bot.app)
        await bot.app.shutdown()
    assert [url for _, url in added] == ["https://t.me/worlddesk/77"]
    assert "Moscow is looking for ways" in added[0][0].text


async def test_feed_subscriptions_go_through_the_feed_finder(tmp_path: Path) -> None:
    from handlers.services import FeedRefused

    class Feeds:
        async def follow(self, url: str) -> str:
            if "nofeed" in url:
                raise FeedRefused(
                    "This page is not a feed and names no RSS or Atom feed.", reason="not_a_feed"
                )
            return url.rstrip("/") + "/feed.xml"

        async def poll_due(self) -> object:
            return None

    bot = await start_harness(tmp_path / "data")
    bot.services.feeds = Feeds()
    try:
        await bot.send(message("/subscribe https://news.example.org/"))
        assert bot.last_text().startswith("Following the feed https://news.example.org/feed.xml.")
        await bot.send(message("/subscribe https://nofeed.example.org/"))
        assert bot.last_text() == (
            "I can't follow that feed: This page is not a feed and names no RSS or Atom feed."
        )
        await bot.send(message("/subscribe https://nofeed.example.org/", lang="ru", user_id=43))
        assert bot.last_text() == (
            "Не могу следить за этой лентой: "
            "Эта страница не лента и не указывает ленту RSS или Atom."
        )
        assert [s.value for s in await bot.subs(42)] == ["https://news.example.org/feed.xml"]
    finally:
        await bot.app.stop()
        if bot.app.post_shutdown is not None:
            await bot.app.post_shutdown(bot.app)
        await bot.app.shutdown()
