"""What survives: unstorable values, corrupt files, stale temporary files, concurrent writers,
schema versions, a second process on the same directory."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from storage import (
    DeletionReport,
    FeedState,
    HistoryItem,
    StoreError,
    Subscription,
    TinyStore,
    UserSettings,
)
from storage import schema as schema_mod
from storage.history import TAIL_READ_BYTES
from storage.tinystorage import AtomicJSONStorage
from tests.storage.conftest import START, brief, item, reopen, small_segments


def files_of(store: TinyStore, user_id: int) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(store.user_dir(user_id).iterdir())}


@pytest.mark.parametrize(
    "bad",
    [{1, 2}, object(), math.nan, b"bytes"],
    ids=["set", "object", "nan", "bytes"],
)
async def test_unstorable_brief_leaves_data_unchanged(store: TinyStore, bad: object) -> None:
    for n in range(3):
        await store.add_history(1, item(n))
    before = files_of(store, 1)
    with pytest.raises(StoreError):
        await store.add_history(1, HistoryItem(created_at=START, brief=brief(9, bad=bad)))
    assert files_of(store, 1) == before
    assert await store.history_count(1) == 3
    assert [h.brief["n"] for h in await store.history_page(1, 0, 10)] == [2, 1, 0]
    stored = await store.add_history(1, item(3))  # and the store carries on
    assert stored.brief["n"] == 3 and await store.history_count(1) == 4


async def test_unstorable_settings_leave_previous_settings(store: TinyStore) -> None:
    good = UserSettings(user_id=1, chat_id=1, language="en")
    await store.save_user(good)
    with pytest.raises(StoreError):
        await store.save_user(replace(good, language={"en"}))  # type: ignore[arg-type]
    assert await store.get_user(1) == good
    with pytest.raises(StoreError):
        await store.save_feed(FeedState(url="u", seen=(object(),)))  # type: ignore[arg-type]
    assert await store.get_feed("u") is None


async def test_corrupt_user_file_is_moved_aside_and_reported(
    store: TinyStore, caplog: pytest.LogCaptureFixture
) -> None:
    await store.save_user(UserSettings(user_id=1, chat_id=1))
    await store.add_history(1, item(1))
    await store.save_user(UserSettings(user_id=2, chat_id=2))
    store = await reopen(store)
    try:
        (store.user_dir(1) / "user.json").write_bytes(b'{"settings": {"1": {"user_id": 1')
        with caplog.at_level(logging.ERROR), pytest.raises(StoreError, match="corrupt"):
            await store.get_user(1)
        assert any(r.levelno == logging.ERROR and "corrupt" in r.getMessage()
                   for r in caplog.records)
        moved = [p.name for p in store.user_dir(1).iterdir() if ".corrupt-" in p.name]
        assert len(moved) == 1 and moved[0].startswith("user.json.corrupt-")
        # never silently replaced by an empty user: every later call refuses, until resolved
        with pytest.raises(StoreError, match="moved aside"):
            await store.get_user(1)
        with pytest.raises(StoreError):
            await store.save_user(UserSettings(user_id=1, chat_id=1))
        assert not (store.user_dir(1) / "user.json").exists()
        health = await store.health()
        assert len(health.quarantined) == 1 and "user.json.corrupt-" in health.quarantined[0]
        assert await store.get_user(2) == UserSettings(user_id=2, chat_id=2)
        # the user's right to deletion holds even then
        report = await store.delete_user(1)
        assert report == DeletionReport(unreadable_files=1)
        assert await store.get_user(1) is None
        assert (await store.health()).quarantined == ()
    finally:
        await store.close()


async def test_torn_last_line_is_cut_and_nothing_acknowledged_is_lost(store: TinyStore) -> None:
    stored = [await store.add_history(1, item(n)) for n in range(3)]
    segment = store.user_dir(1) / "h-0000000001.jsonl"
    good = segment.read_bytes()
    store = await reopen(store)
    try:
        with segment.open("ab") as f:  # a kill in the middle of an append
            f.write(b'{"i":4,"created_at":"2026-03-01T12:00:00+00:00","brie')
        assert await store.history_page(1, 0, 10) == stored[::-1]
        assert segment.read_bytes() == good
        assert (await store.add_history(1, item(3))).brief["n"] == 3
        assert await store.history_count(1) == 4
        assert (await store.health()).quarantined == ()
    finally:
        await store.close()


async def test_quarantine_left_by_an_earlier_run_is_reported(tmp_path: Path) -> None:
    async with TinyStore(tmp_path) as store:
        await store.save_user(UserSettings(user_id=1, chat_id=1))
        (store.user_dir(1) / "user.json").write_bytes(b"{")
    async with TinyStore(tmp_path) as store:
        with pytest.raises(StoreError):
            await store.get_user(1)
    async with TinyStore(tmp_path) as store:
        assert (await store.health()).quarantined == ()  # user directories are not walked at open
        with pytest.raises(StoreError, match="moved aside"):
            await store.get_user(1)
        assert len((await store.health()).quarantined) == 1


@pytest.mark.parametrize(
    "damage",
    [b"\x00\x00\x00", b'{"i": 1, "created_at": bro\n{"i": 2, "brief": {}}\n'],
    ids=["no-line", "middle-line"],
)
async def test_corrupt_history_segment_is_quarantined(store: TinyStore, damage: bytes) -> None:
    for n in range(3):
        await store.add_history(1, item(n))
    store = await reopen(store)
    try:
        (store.user_dir(1) / "h-0000000001.jsonl").write_bytes(damage)
        with pytest.raises(StoreError):
            await store.history_page(1, 0, 10)
        with pytest.raises(StoreError):
            await store.add_history(1, item(4))
        assert any(".corrupt-" in q for q in (await store.health()).quarantined)
    finally:
        await store.close()


async def test_corrupt_file_found_at_open_is_reported(tmp_path: Path) -> None:
    async with TinyStore(tmp_path) as store:
        await store.save_feed(FeedState(url="https://x.org/rss"))
    feed_file = next((tmp_path / "feeds").glob("*.json"))
    feed_file.write_text("{not json")
    async with TinyStore(tmp_path) as store:
        with pytest.raises(StoreError):
            await store.get_feed("https://x.org/rss")
    async with TinyStore(tmp_path) as store:
        assert any(q.startswith("feeds/") for q in (await store.health()).quarantined)
        assert await store.list_feeds() == []


async def test_stale_temporary_files_are_removed(tmp_path: Path) -> None:
    async with TinyStore(tmp_path) as store:
        await store.save_user(UserSettings(user_id=1, chat_id=1))
        await store.save_feed(FeedState(url="https://x.org/rss"))
        user_dir = store.user_dir(1)
    stale = [
        tmp_path / ".store.json.tmp-999-1",
        tmp_path / "feeds" / ".ab.json.tmp-999-2",
        user_dir / ".user.json.tmp-999-3",
    ]
    for p in stale:
        p.write_bytes(b'{"half": ')
    doomed = user_dir.parent / ".deleting-42-abcd"
    (doomed / "sub").mkdir(parents=True)
    async with TinyStore(tmp_path) as store:
        assert not stale[0].exists() and not stale[1].exists() and not doomed.exists()
        assert await store.get_user(1) == UserSettings(user_id=1, chat_id=1)
        assert not stale[2].exists()  # swept when the user's directory is first opened
        assert await store.list_user_ids() == [1]


def test_write_failure_on_disk_keeps_old_content(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    storage = AtomicJSONStorage(path)
    storage.write({"t": {"1": {"a": 1}}})
    (tmp_path / "blocker").mkdir()
    blocked = AtomicJSONStorage(tmp_path / "blocker")  # a directory cannot be replaced by a file
    with pytest.raises(StoreError):
        blocked.write({"t": {}})
    assert json.loads(path.read_bytes()) == {"t": {"1": {"a": 1}}}
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


async def test_100_concurrent_read_modify_writes_lose_nothing(store: TinyStore) -> None:
    await store.save_user(UserSettings(user_id=1, chat_id=0))

    def bump(s: UserSettings | None) -> UserSettings:
        assert s is not None
        return replace(s, chat_id=s.chat_id + 1)

    await asyncio.gather(*(store.update_user(1, bump) for _ in range(100)))
    got = await store.get_user(1)
    assert got is not None and got.chat_id == 100

    added = await asyncio.gather(*(store.add_history(1, item(n)) for n in range(100)))
    assert len({h.id for h in added}) == 100
    subs = await asyncio.gather(*(
        store.add_subscription(1, Subscription(kind="topic", value=f"t{n}", created_at=START))
        for n in range(100)
    ))
    assert all(s is not None for s in subs)
    store = await reopen(store)
    try:
        assert await store.history_count(1) == 100
        assert len(await store.list_subscriptions(1)) == 100
        got = await store.get_user(1)
        assert got is not None and got.chat_id == 100
    finally:
        await store.close()


async def test_disk_work_runs_off_the_event_loop(store: TinyStore) -> None:
    loop_thread = threading.get_ident()
    seen: set[int] = set()

    def record(s: UserSettings | None) -> None:
        seen.add(threading.get_ident())

    await store.update_user(1, record)
    assert seen and loop_thread not in seen


async def test_second_process_cannot_open_the_same_directory(tmp_path: Path) -> None:
    async with TinyStore(tmp_path):
        with pytest.raises(StoreError, match="in use"):
            await TinyStore(tmp_path).open()
    async with TinyStore(tmp_path):  # released on close
        pass


async def test_schema_newer_or_missing_stamp_is_refused(tmp_path: Path) -> None:
    async with TinyStore(tmp_path) as store:
        await store.save_user(UserSettings(user_id=1, chat_id=1))
    stamp = json.loads((tmp_path / "store.json").read_text())
    assert stamp["schema"] == schema_mod.SCHEMA_VERSION
    (tmp_path / "store.json").write_text(json.dumps({**stamp, "schema": 99}))
    with pytest.raises(StoreError, match="newer"):
        await TinyStore(tmp_path).open()
    (tmp_path / "store.json").write_text("garbage")
    with pytest.raises(StoreError, match="corrupt"):
        await TinyStore(tmp_path).open()
    (tmp_path / "store.json").unlink()
    with pytest.raises(StoreError, match="refusing"):
        await TinyStore(tmp_path).open()


def test_migrations_run_in_order_and_advance_the_stamp(tmp_path: Path) -> None:
    schema_mod.write_stamp(tmp_path, {"schema": 1, "history_chunk": 50})
    ran: list[int] = []

    def one_to_two(d: Path) -> None:
        ran.append(1)
        (d / "users").mkdir(exist_ok=True)

    def two_to_three(d: Path) -> None:
        ran.append(2)

    stamp = schema_mod.prepare(tmp_path, {1: one_to_two, 2: two_to_three}, target=3)
    assert ran == [1, 2] and stamp["schema"] == 3
    assert json.loads((tmp_path / "store.json").read_text())["schema"] == 3
    assert schema_mod.prepare(tmp_path, {}, target=3)["schema"] == 3  # nothing left to run
    schema_mod.write_stamp(tmp_path, {"schema": 1})
    with pytest.raises(StoreError, match="no migration"):
        schema_mod.prepare(tmp_path, {}, target=2)


async def test_a_write_after_a_torn_append_cuts_it_first(store: TinyStore) -> None:
    """Recording a brief reads only the segment's end: an unfinished line found there is
    repaired before the new line goes after it."""
    stored = [await store.add_history(1, item(n)) for n in range(3)]
    segment = store.user_dir(1) / "h-0000000001.jsonl"
    store = await reopen(store)
    try:
        with segment.open("ab") as f:
            f.write(b'{"i":4,"created_at":"2026-03-01T12:00:00+00:00","brie')
        added = await store.add_history(1, item(3))
        assert added.id == "1.4"
        assert await store.history_page(1, 0, 10) == [added, *stored[::-1]]
        assert len(segment.read_bytes().splitlines()) == 4
    finally:
        await store.close()


async def test_briefs_longer_than_the_tail_read_roll_over_at_the_segment_size(
    tmp_path: Path,
) -> None:
    """Lines longer than the bytes first read from a segment's end, and a segment filling up
    from a cold start: numbering and segment boundaries stay right."""
    data = small_segments(tmp_path / "data", 3)
    big = "x" * (3 * TAIL_READ_BYTES)
    for n in range(7):
        async with TinyStore(data, clock=lambda: START) as store:  # a cold user: the tail path
            got = await store.add_history(1, HistoryItem(created_at=START, brief=brief(n, pad=big)))
            assert got.id == f"{n // 3 + 1}.{n % 3 + 1}"
    async with TinyStore(data, clock=lambda: START) as store:
        assert await store.history_count(1) == 7
        assert [h.brief["n"] for h in await store.history_page(1, 0, 10)] == list(range(6, -1, -1))
    assert sorted(p.name for p in (data / "users").rglob("h-*.jsonl")) == [
        f"h-{k:010d}.jsonl" for k in (1, 2, 3)
    ]
