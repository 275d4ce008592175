"""put_digests: many users' digest records with one durability point, and what a failure leaves."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from storage import TinyStore, atomic
from storage.atomic import write_batch
from storage.base import DigestRecord, StoreError, UserSettings
from tests.storage.conftest import START, reopen

DAY = "2026-03-01"


def rec(status: str, items: int = 0) -> DigestRecord:
    return DigestRecord(local_date=DAY, status=status, at=START, items=items)  # type: ignore[arg-type]


def tmp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if ".tmp-" in p.name]


async def test_batch_is_written_and_survives_a_reopen(store: TinyStore) -> None:
    for uid in (1, 2, 3):
        await store.save_user(UserSettings(user_id=uid, chat_id=uid))
    assert await store.put_digests([(u, rec("sending")) for u in (1, 2, 3)]) == []
    outcomes = [(1, rec("sent", 3)), (2, rec("failed")), (3, rec("sent"))]
    assert await store.put_digests(outcomes) == []
    store = await reopen(store)
    try:
        assert await store.get_digest(1, DAY) == rec("sent", 3)
        assert await store.get_digest(2, DAY) == rec("failed")
        assert await store.get_digest(3, DAY) == rec("sent")
        assert await store.get_digest(4, DAY) is None
        assert tmp_files(store.data_dir) == []
    finally:
        await store.close()


async def test_one_users_bad_file_fails_only_that_user(store: TinyStore) -> None:
    for uid in (1, 2):
        await store.save_user(UserSettings(user_id=uid, chat_id=uid))
    store = await reopen(store)
    try:
        (store.user_dir(1) / "user.json").write_bytes(b'{"settings": ')
        assert await store.put_digests([(1, rec("sending")), (2, rec("sending"))]) == [1]
        assert await store.get_digest(2, DAY) == rec("sending")
        with pytest.raises(StoreError):
            await store.get_digest(1, DAY)  # quarantined, refused until an operator acts
    finally:
        await store.close()


async def test_a_failed_sync_acknowledges_nothing_and_leaves_no_temporary_files(
    store: TinyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.save_user(UserSettings(user_id=1, chat_id=1))
    await store.put_digests([(1, rec("sending"))])

    def broken_sync(path: Path) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic, "sync_filesystem", broken_sync)
    with pytest.raises(StoreError):
        await store.put_digests([(1, rec("sent", 2)), (2, rec("sending"))])
    monkeypatch.undo()
    # What the store answers is what is on disk: the old record, no record for user 2.
    assert await store.get_digest(1, DAY) == rec("sending")
    assert await store.get_digest(2, DAY) is None
    assert tmp_files(store.data_dir) == []
    store = await reopen(store)
    try:
        assert await store.get_digest(1, DAY) == rec("sending")
    finally:
        await store.close()


def test_write_batches_do_not_nest() -> None:
    with write_batch(), pytest.raises(RuntimeError), write_batch():
        pass


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs(2) is Linux's")
def test_a_batch_flushes_its_own_file_system_not_the_whole_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real = atomic._SYNCFS
    assert real is not None

    def syncfs(fd: int) -> int:
        synced.append(str(Path(f"/proc/self/fd/{fd}").readlink()))
        return int(real(fd))

    def whole_machine() -> None:
        raise AssertionError("os.sync() flushes every file system on the machine")

    monkeypatch.setattr(atomic, "_SYNCFS", syncfs)
    monkeypatch.setattr(os, "sync", whole_machine)
    with write_batch():
        atomic.atomic_write(tmp_path / "a.json", b"{}")
        atomic.atomic_write(tmp_path / "b.json", b"[]")
    assert (tmp_path / "a.json").read_bytes() == b"{}"
    assert (tmp_path / "b.json").read_bytes() == b"[]"
    assert synced == [str(tmp_path)] * 2  # the files, then their renames
    assert tmp_files(tmp_path) == []


def test_a_failed_file_system_sync_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "_SYNCFS", lambda fd: -1)
    with pytest.raises(OSError, match="syncfs"), write_batch():
        atomic.atomic_write(tmp_path / "a.json", b"{}")
    assert not (tmp_path / "a.json").exists()  # not acknowledged, not renamed
    assert tmp_files(tmp_path) == []
