"""Schema 1 (history in TinyDB chunk files) opens as schema 2 (append-only segments), and schema 3
(the article pool in TinyDB files) as schema 4 (append-only files), losing nothing; the migrations
survive being interrupted and run again."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from storage import Article, StoreError, TinyStore, UserSettings, codec, schema
from storage.feedindex import shard
from storage.migrations import v1_to_v2, v3_to_v4
from storage.pool import day_of
from storage.tinystorage import encode
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


def _v3_pool(data_dir: Path, buckets: dict[str, list[int]]) -> Path:
    """A schema-3 directory whose article pool holds TinyDB buckets: bucket -> article numbers."""
    schema.write_stamp(data_dir, {"schema": 3, "history_segment": schema.HISTORY_SEGMENT})
    day = data_dir / "articles" / day_of(START)
    day.mkdir(parents=True)
    for bucket, numbers in buckets.items():
        table = {str(k): _pool_doc(n) for k, n in enumerate(numbers, 1)}
        (day / f"{bucket}.json").write_text(json.dumps({"articles": table}))
    return day


def _pool_doc(n: int) -> dict[str, object]:
    return {"id": f"u:https://news.example/{n}", "created_at": START.isoformat(),
            "url": f"https://news.example/{n}", "fingerprint": f"fp{n}", "feed_url": None,
            "brief": brief(n)}


def _pool_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_bytes().splitlines()]


async def test_schema_3_pool_opens_as_append_only_files(tmp_path: Path) -> None:
    day = _v3_pool(tmp_path, {"3": [1, 2, 3], "a": [4]})
    async with TinyStore(tmp_path, clock=lambda: START) as store:
        got = await store.get_article("u:https://news.example/2")
        assert got is not None and got.brief == brief(2) and got.fingerprint == "fp2"
        recent = await store.articles_since(START - timedelta(hours=1))
        assert sorted(a.id for a in recent) == sorted(str(_pool_doc(n)["id"]) for n in range(1, 5))
        # The fingerprint index came along: the same text under another URL is the stored one.
        twin = Article(id="u:https://mirror.example/3", created_at=START, brief=brief(9),
                       fingerprint="fp3")
        assert (await store.put_article(twin)).id == "u:https://news.example/3"
    assert not list(day.glob("*.json"))
    assert _pool_ids(day / "3.jsonl") == [f"u:https://news.example/{n}" for n in (1, 2, 3)]
    assert json.loads((tmp_path / "store.json").read_text())["schema"] == schema.SCHEMA_VERSION


def test_an_interrupted_pool_migration_runs_again_without_loss_or_twins(tmp_path: Path) -> None:
    day = _v3_pool(tmp_path, {"5": [1, 2, 3]})
    # A first attempt wrote part of the new file (or a schema-3 program wrote more to the old
    # one after the crash): the rerun adds what is missing, once.
    (day / "5.jsonl").write_bytes(encode(_pool_doc(1)) + b"\n")
    v3_to_v4(tmp_path)
    v3_to_v4(tmp_path)  # and once more after it had finished: nothing to do
    assert _pool_ids(day / "5.jsonl") == [f"u:https://news.example/{n}" for n in (1, 2, 3)]
    assert not (day / "5.json").exists()


def test_an_unreadable_pool_bucket_is_moved_aside_and_the_rest_migrated(tmp_path: Path) -> None:
    day = _v3_pool(tmp_path, {"6": [1], "7": [2]})
    (day / "6.json").write_text("{broken")
    schema.prepare(tmp_path)
    assert json.loads((tmp_path / "store.json").read_text())["schema"] == schema.SCHEMA_VERSION
    assert _pool_ids(day / "7.jsonl") == ["u:https://news.example/2"]
    assert not (day / "6.jsonl").exists() and list(day.glob("6.json.corrupt-*"))
