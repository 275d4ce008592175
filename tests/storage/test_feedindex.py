"""The feed follower index: kept up to date by the writes, trusted across a clean restart, and
rebuilt from the users' files when it is missing, stale, half-written or damaged."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from storage import Subscription, TinyStore, UserSettings, schema
from storage.feedindex import INDEX_DIR, STATE_FILE, shard
from tests.storage.conftest import START

URL = "https://x.org/rss"
OTHER = "https://y.org/atom"


def feed(url: str) -> Subscription:
    return Subscription(kind="feed", value=url, created_at=START)


async def follow(data: Path) -> None:
    async with TinyStore(data) as store:
        for uid in (1, 2, 3):
            await store.add_subscription(uid, feed(URL))
        await store.add_subscription(2, feed(OTHER))
        await store.add_subscription(4, Subscription(kind="topic", value="x", created_at=START))


def rebuilt(caplog: pytest.LogCaptureFixture) -> bool:
    return any("rebuilding" in r.getMessage() for r in caplog.records)


async def test_index_survives_a_restart_without_a_rebuild(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await follow(tmp_path)
    caplog.set_level(logging.INFO)
    async with TinyStore(tmp_path) as store:
        assert await store.feed_followers(URL) == [1, 2, 3]
        assert await store.feed_followers(OTHER) == [2]
        assert await store.feed_followers("https://z.org/") == []
    assert not rebuilt(caplog)
    state = json.loads((tmp_path / INDEX_DIR / STATE_FILE).read_text())
    assert state["pending"] is False


@pytest.mark.parametrize("damage", ["missing", "pending", "old version", "garbage state"])
async def test_a_stale_index_is_rebuilt_from_the_user_files(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    await follow(tmp_path)
    state = tmp_path / INDEX_DIR / STATE_FILE
    # The index lies (as after a kill between a user's file and the index being written)...
    (tmp_path / INDEX_DIR / f"feeds-{shard(URL)}.json").write_text(json.dumps({URL: [9]}))
    # ... and the state says so, or is gone.
    if damage == "missing":
        state.unlink()
    elif damage == "pending":
        state.write_text(json.dumps({"version": 1, "pending": True}))
    elif damage == "old version":
        state.write_text(json.dumps({"version": 0, "pending": False}))
    else:
        state.write_text("{not json")
    async with TinyStore(tmp_path) as store:
        assert await store.feed_followers(URL) == [1, 2, 3]
        assert await store.feed_followers(OTHER) == [2]
        await store.add_subscription(5, feed(URL))
        assert await store.feed_followers(URL) == [1, 2, 3, 5]
    assert rebuilt(caplog)


async def test_a_damaged_shard_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    await follow(tmp_path)
    path = tmp_path / INDEX_DIR / f"feeds-{shard(URL)}.json"
    path.write_text("[1, 2")
    async with TinyStore(tmp_path) as store:
        assert await store.feed_followers(URL) == [1, 2, 3]
    assert list(path.parent.glob(f"{path.name}.corrupt-*"))


async def test_unsubscribe_and_delete_update_the_index(tmp_path: Path) -> None:
    await follow(tmp_path)
    async with TinyStore(tmp_path) as store:
        assert await store.add_subscription(1, feed(URL + " ")) is None  # already follows it
        assert await store.feed_followers(URL) == [1, 2, 3]
        subs = await store.list_subscriptions(3)
        assert await store.remove_subscription(3, subs[0].id)
        assert not await store.remove_subscription(3, subs[0].id)
        await store.delete_user(2)
        assert await store.feed_followers(URL) == [1]
        assert await store.feed_followers(OTHER) == []
    async with TinyStore(tmp_path) as store:
        assert await store.feed_followers(URL) == [1]
        assert await store.list_user_ids() == [1, 3, 4]


async def test_deleting_an_unreadable_user_removes_them_from_the_index(tmp_path: Path) -> None:
    await follow(tmp_path)
    async with TinyStore(tmp_path) as store:
        user_file = store.user_dir(2) / "user.json"
    user_file.write_text("{broken")
    async with TinyStore(tmp_path) as store:
        with pytest.raises(Exception, match="corrupt"):
            await store.get_user(2)
        report = await store.delete_user(2)
        assert report.unreadable_files == 1
        assert await store.feed_followers(URL) == [1, 3]
        assert await store.feed_followers(OTHER) == []


async def test_user_ids_follow_creation_and_deletion(tmp_path: Path) -> None:
    async with TinyStore(tmp_path) as store:
        assert await store.list_user_ids() == []
        await store.save_user(UserSettings(user_id=7, chat_id=7))
        await store.add_subscription(3, feed(URL))
        assert await store.list_user_ids() == [3, 7]
        await store.delete_user(7)
        assert await store.list_user_ids() == [3]


async def test_a_schema_2_directory_gets_its_index_on_first_use(tmp_path: Path) -> None:
    await follow(tmp_path)
    shutil.rmtree(tmp_path / INDEX_DIR)  # schema 2 had no index
    stamp = json.loads((tmp_path / "store.json").read_text())
    (tmp_path / "store.json").write_text(json.dumps({**stamp, "schema": 2}))
    async with TinyStore(tmp_path) as store:
        assert (await store.health()).schema == schema.SCHEMA_VERSION == 4
        assert await store.feed_followers(URL) == [1, 2, 3]
    assert json.loads((tmp_path / INDEX_DIR / STATE_FILE).read_text())["pending"] is False
