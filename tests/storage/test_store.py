"""The Store protocol on TinyStore: what the bot sees through each method."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from storage import (
    Article,
    DeletionReport,
    DigestRecord,
    FeedState,
    RetentionPolicy,
    Store,
    StoreError,
    Subscription,
    TinyStore,
    UserSettings,
    open_store,
)
from tests.storage.conftest import START, Clock, brief, item, reopen, small_segments


def test_open_store_gives_a_tinystore_in_that_directory(tmp_path: Path) -> None:
    store: Store = open_store(tmp_path)  # mypy checks TinyStore against Store in open_store
    assert isinstance(store, TinyStore) and store.data_dir == tmp_path


async def test_settings_round_trip_and_survive_reopen(store: TinyStore) -> None:
    assert await store.get_user(1) is None
    alice = UserSettings(user_id=1, chat_id=10, language="ru", timezone="Europe/Moscow",
                         digest_time="07:30", digest_silent=True, created_at=START)
    await store.save_user(alice)
    assert await store.get_user(1) == alice
    await store.save_user(UserSettings(user_id=1, chat_id=10, active=False))
    fresh = await reopen(store)
    try:
        got = await fresh.get_user(1)
        assert got == UserSettings(user_id=1, chat_id=10, active=False)
    finally:
        await fresh.close()


async def test_update_user_is_a_read_modify_write(store: TinyStore) -> None:
    def create(current: UserSettings | None) -> UserSettings:
        assert current is None
        return UserSettings(user_id=5, chat_id=5)

    await store.update_user(5, create)
    await store.update_user(5, lambda s: None)  # no change
    new = await store.update_user(5, lambda s: UserSettings(user_id=5, chat_id=5, language="de"))
    assert new is not None and new.language == "de"
    assert await store.get_user(5) == new
    with pytest.raises(StoreError):
        await store.update_user(5, lambda s: UserSettings(user_id=6, chat_id=6))
    assert await store.get_user(6) is None


async def test_subscriptions_dedupe_and_remove(store: TinyStore) -> None:
    topic = Subscription(kind="topic", value="Russia EU sanctions", created_at=START)
    first = await store.add_subscription(1, topic)
    assert first is not None and first.id and first.value == "Russia EU sanctions"
    assert await store.add_subscription(
        1, Subscription(kind="topic", value=" russia eu SANCTIONS", created_at=START)
    ) is None
    feed = await store.add_subscription(
        1, Subscription(kind="feed", value="https://example.org/rss", created_at=START)
    )
    assert feed is not None and feed.id != first.id
    assert [s.value for s in await store.list_subscriptions(1)] == [
        "Russia EU sanctions", "https://example.org/rss"]
    assert await store.remove_subscription(1, first.id) is True
    assert await store.remove_subscription(1, first.id) is False
    assert [s.id for s in await store.list_subscriptions(1)] == [feed.id]


async def test_history_newest_first_across_segments(tmp_path: Path, clock: Clock) -> None:
    async with TinyStore(small_segments(tmp_path, 50), clock=clock) as store:
        await check_history_pages(store)


async def check_history_pages(store: TinyStore) -> None:
    stored = [await store.add_history(7, item(n, START + timedelta(minutes=n)))
              for n in range(120)]  # three segment files: 50, 50, 20
    assert len({h.id for h in stored}) == 120
    assert await store.history_count(7) == 120
    page = await store.history_page(7, 0, 10)
    assert [h.brief["n"] for h in page] == list(range(119, 109, -1))
    page = await store.history_page(7, 65, 10)  # crosses the boundary of segments 2 and 1
    assert [h.brief["n"] for h in page] == list(range(54, 44, -1))
    assert await store.history_page(7, 118, 10) == [stored[1], stored[0]]
    assert await store.history_page(7, 500, 10) == []
    since = await store.history_since(7, START + timedelta(minutes=100))
    assert [h.brief["n"] for h in since] == list(range(119, 99, -1))
    assert page[0] == stored[54]


async def test_retention_caps_history_by_count(tmp_path: Path, clock: Clock) -> None:
    async with TinyStore(tmp_path, RetentionPolicy(max_items=70), clock=clock) as store:
        for n in range(180):
            await store.add_history(1, item(n, START + timedelta(seconds=n)))
            assert await store.history_count(1) == min(n + 1, 70)
        page = await store.history_page(1, 0, 1000)
        assert [h.brief["n"] for h in page] == list(range(179, 109, -1))
    async with TinyStore(tmp_path, RetentionPolicy(max_items=70), clock=clock) as store:
        assert await store.history_count(1) == 70
        # what is hidden is also removed from disk by the daily purge
        await store.purge_expired()
        lines = sum(len(p.read_bytes().splitlines())
                    for p in store.user_dir(1).glob("h-*.jsonl"))
        assert lines == 70
        assert [h.brief["n"] for h in (await store.export_user(1)).history] == list(
            range(179, 109, -1))


async def test_retention_drops_briefs_older_than_max_age(tmp_path: Path, clock: Clock) -> None:
    policy = RetentionPolicy(max_items=1000, max_age_days=180)
    async with TinyStore(tmp_path, policy, clock=clock) as store:
        for n in range(60):
            await store.add_history(1, item(n, clock.now))
            clock.advance(days=1)
        await store.add_history(2, item(0, clock.now))
        clock.advance(days=150)  # day 210: briefs of days 0..29 are older than 180 days
        assert await store.purge_expired() == 30
        page = await store.history_page(1, 0, 1000)
        assert [h.brief["n"] for h in page] == list(range(59, 29, -1))
        assert await store.history_count(1) == 30
        assert await store.history_count(2) == 1
        clock.advance(days=400)
        await store.add_history(1, item(99, clock.now))  # writing also applies retention
        assert [h.brief["n"] for h in await store.history_page(1, 0, 10)] == [99]


async def test_digest_log_upserts_by_local_date(store: TinyStore) -> None:
    assert await store.get_digest(1, "2026-03-01") is None
    await store.put_digest(1, DigestRecord(local_date="2026-03-01", status="sending", at=START))
    await store.put_digest(1, DigestRecord(local_date="2026-03-01", status="sent", at=START,
                                           items=4))
    got = await store.get_digest(1, "2026-03-01")
    assert got == DigestRecord(local_date="2026-03-01", status="sent", at=START, items=4)
    assert await store.get_digest(2, "2026-03-01") is None
    assert len((await store.export_user(1)).digests) == 1


async def test_article_pool_keeps_each_article_once(store: TinyStore, clock: Clock) -> None:
    a = Article(id="u:https://x.org/1", created_at=START, brief=brief(1),
                url="https://x.org/1", fingerprint="fp1")
    assert await store.put_article(a) == a
    same_id = Article(id=a.id, created_at=START, brief=brief(2))
    assert await store.put_article(same_id) == a
    same_text = Article(id="u:https://mirror.org/1", created_at=START, brief=brief(3),
                        fingerprint="fp1")
    assert await store.put_article(same_text) == a
    b = Article(id="t:abc", created_at=START + timedelta(days=1), brief=brief(4),
                feed_url="https://x.org/rss")
    await store.put_article(b)
    assert await store.get_article("t:abc") == b
    assert await store.get_article("nope") is None
    assert list(await store.articles_since(START + timedelta(hours=1))) == [b]
    assert list(await store.articles_since(START - timedelta(days=2))) == [a, b]
    fresh = await reopen(store)
    try:
        assert await fresh.get_article(a.id) == a
        assert await fresh.put_article(same_text) == a
        clock.advance(days=45)
        assert await fresh.purge_expired() == 2
        assert await fresh.get_article(a.id) is None
    finally:
        await fresh.close()


async def test_feed_state_round_trip(store: TinyStore) -> None:
    state = FeedState(url="https://x.org/rss", etag='"e1"', last_polled=START, failures=2,
                      seen=("g1", "g2"))
    await store.save_feed(state)
    await store.save_feed(FeedState(url="https://y.org/atom"))
    assert await store.get_feed("https://x.org/rss") == state
    assert await store.get_feed("https://z.org/") is None
    updated = FeedState(url="https://x.org/rss", etag='"e2"', seen=("g1", "g2", "g3"))
    await store.save_feed(updated)
    fresh = await reopen(store)
    try:
        assert [f.url for f in await fresh.list_feeds()] == ["https://x.org/rss",
                                                            "https://y.org/atom"]
        assert await fresh.get_feed("https://x.org/rss") == updated
    finally:
        await fresh.close()


async def test_feed_followers_and_user_ids(store: TinyStore) -> None:
    url = "https://x.org/rss"
    for uid in (3, 1, 2):
        await store.save_user(UserSettings(user_id=uid, chat_id=uid))
        await store.add_subscription(uid, Subscription(kind="feed", value=url, created_at=START))
    assert await store.list_user_ids() == [1, 2, 3]
    assert await store.feed_followers(url) == [1, 2, 3]
    subs = await store.list_subscriptions(2)
    await store.remove_subscription(2, subs[0].id)
    await store.add_subscription(4, Subscription(kind="feed", value=url, created_at=START))
    assert await store.feed_followers(url) == [1, 3, 4]
    await store.delete_user(3)
    assert await store.feed_followers(url) == [1, 4]
    fresh = await reopen(store)  # the index is rebuilt from the users' files
    try:
        assert await fresh.feed_followers(url) == [1, 4]
        assert await fresh.feed_followers("https://other.org/") == []
        assert await fresh.list_user_ids() == [1, 2, 4]
    finally:
        await fresh.close()


async def test_delete_user_removes_everything_and_reports_it(store: TinyStore) -> None:
    await store.save_user(UserSettings(user_id=1, chat_id=1))
    await store.add_subscription(1, Subscription(kind="topic", value="Navalny", created_at=START))
    for n in range(55):
        await store.add_history(1, item(n))
    await store.put_digest(1, DigestRecord(local_date="2026-03-01", status="sent", at=START))
    await store.save_user(UserSettings(user_id=2, chat_id=2))
    await store.add_history(2, item(1))

    assert await store.delete_user(1) == DeletionReport(
        settings=1, subscriptions=1, history=55, digests=1)
    assert await store.delete_user(1) == DeletionReport()
    assert (await store.delete_user(1)).total == 0
    assert not store.user_dir(1).exists()
    export = await store.export_user(1)
    assert export.settings is None and not export.history and not export.subscriptions
    assert await store.history_count(2) == 1  # the other user is untouched
    assert await store.list_user_ids() == [2]


async def test_export_returns_all_of_one_user(store: TinyStore) -> None:
    settings = UserSettings(user_id=1, chat_id=1)
    await store.save_user(settings)
    sub = await store.add_subscription(1, Subscription(kind="topic", value="x", created_at=START))
    items = [await store.add_history(1, item(n)) for n in range(60)]
    await store.add_history(2, item(1000))
    export = await store.export_user(1)
    assert export.settings == settings
    assert export.subscriptions == [sub]
    assert export.history == items[::-1]


async def test_users_cannot_see_each_other(store: TinyStore) -> None:
    await store.save_user(UserSettings(user_id=1, chat_id=1))
    sub = await store.add_subscription(1, Subscription(kind="topic", value="x", created_at=START))
    assert sub is not None
    await store.add_history(1, item(1))
    await store.put_digest(1, DigestRecord(local_date="2026-03-01", status="sent", at=START))
    # user 2 names user 1's subscription id: nothing happens to user 1
    assert await store.remove_subscription(2, sub.id) is False
    assert await store.list_subscriptions(2) == []
    assert await store.history_page(2, 0, 100) == []
    assert await store.history_count(2) == 0
    assert await store.get_digest(2, "2026-03-01") is None
    assert await store.get_user(2) is None
    assert await store.delete_user(2) == DeletionReport()
    assert await store.list_subscriptions(1) == [sub]
    assert await store.history_count(1) == 1


async def test_operations_need_an_open_store(tmp_path: Path) -> None:
    store = TinyStore(tmp_path)
    with pytest.raises(StoreError):
        await store.get_user(1)
    await store.open()
    await store.close()
    with pytest.raises(StoreError):
        await store.get_user(1)


async def test_bulk_load_user_reads_back_like_single_writes(store: TinyStore) -> None:
    settings = UserSettings(user_id=9, chat_id=9)
    items = [item(n, START + timedelta(minutes=n)) for n in range(250)]  # two segments
    await store.bulk_load_user(settings, items)
    assert await store.get_user(9) == settings
    assert await store.history_count(9) == 250
    page = await store.history_page(9, 195, 10)
    assert [h.brief["n"] for h in page] == list(range(54, 44, -1))
    added = await store.add_history(9, item(250, START + timedelta(minutes=250)))
    assert (await store.history_page(9, 0, 1)) == [added]
    with pytest.raises(StoreError):
        await store.bulk_load_user(settings, items)
