"""Schema 1 (history in TinyDB chunk files) opens as schema 2 (append-only segments), losing
nothing, and the migration survives being interrupted and run again."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from storage import StoreError, TinyStore, UserSettings, codec, schema
from storage.feedindex import shard
from storage.migrations import v1_to_v2
from tests.storage.conftest import START, brief


def make_v1(data_dir: Path, user_id: int, briefs: int, chunk: int = 50) -> Path:
    """A data directory as schema 1 wrote it."""
    schema.write_stamp(data_dir, {"schema": 1, "history_chunk": chunk})
    user_dir = data_dir / "users" / shard(str(user_id)) / str(user_id)
    user_dir.mkdir(parents=True)
    settings = {"settings": {"1": codec.user_out(UserSettings(user_id=user_id, chat_id=7))}}
    (user_dir / "user.json").write_text(json.dumps(settings))
    for c in range(0, briefs, chunk):
        items = {
            str(k + 1): {"created_at": (START + timedelta(minutes=c + k)).isoformat(),
                         "article_id": None, "brief": brief(c + k)}
            for k in range(min(chunk, briefs - c))
        }
        (user_dir / f"h-{c // chunk + 1:010d}.json").write_text(json.dumps({"items": items}))
    return user_dir


async def test_schema_1_history_is_migrated(tmp_path: Path) -> None:
    user_dir = make_v1(tmp_path, 5, 120)
    async with TinyStore(tmp_path, clock=lambda: START) as store:
        assert await store.history_count(5) == 120
        page = await store.history_page(5, 0, 200)
        assert [h.brief["n"] for h in page] == list(range(119, -1, -1))
        assert await store.get_user(5) == UserSettings(user_id=5, chat_id=7)
        await store.add_history(5, page[0])
        assert await store.history_count(5) == 121
    assert not list(user_dir.glob("h-*.json")) and not list(user_dir.glob(".migrated*"))
    stamp = json.loads((tmp_path / "store.json").read_text())
    assert stamp["schema"] == schema.SCHEMA_VERSION
    assert stamp["history_segment"] == schema.HISTORY_SEGMENT


def test_interrupted_migration_runs_again_without_loss(tmp_path: Path) -> None:
    user_dir = make_v1(tmp_path, 5, 30, chunk=10)
    # first attempt died after writing one wrong segment and before the marker
    (user_dir / "h-0000000009.jsonl").write_text("{}\n")
    v1_to_v2(tmp_path, segment=8)
    v1_to_v2(tmp_path, segment=8)  # and once more after it had finished: nothing to do
    segments = sorted(p.name for p in user_dir.glob("h-*.jsonl"))
    assert segments == [f"h-{n:010d}.jsonl" for n in (1, 2, 3, 4)]
    lines = [json.loads(line) for s in segments for line in (user_dir / s).read_text().splitlines()]
    assert [d["brief"]["n"] for d in lines] == list(range(30))


def test_migration_stops_at_an_unreadable_chunk(tmp_path: Path) -> None:
    user_dir = make_v1(tmp_path, 5, 20, chunk=10)
    (user_dir / "h-0000000002.json").write_text("{broken")
    with pytest.raises(StoreError, match="unreadable"):
        schema.prepare(tmp_path)
    assert json.loads((tmp_path / "store.json").read_text())["schema"] == 1
    assert (user_dir / "h-0000000001.json").exists()
