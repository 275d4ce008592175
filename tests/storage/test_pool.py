"""The shared article pool on disk: appends only, survives a crash mid-append and a damaged file,
and keeps any text. (Schema 3's TinyDB buckets: tests/storage/test_migrations.py.)"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.base import Article
from storage.pool import ArticlePool, bucket_of, day_of
from storage.tinystorage import encode
from tests.storage.conftest import START, brief

KEEP_DAYS = 30
DAY = day_of(START)


def _same_bucket_ids(n: int, bucket: str = "0") -> list[str]:
    ids = (f"u:https://news.example/{k}" for k in range(10_000))
    return [i for i in ids if bucket_of(i) == bucket][:n]


def _article(article_id: str, n: int, **extra: object) -> Article:
    return Article(id=article_id, created_at=START, brief=brief(n), url=article_id[2:], **extra)


def _bucket_file(root: Path, article_id: str) -> Path:
    return root / DAY / f"{bucket_of(article_id)}.jsonl"


def test_a_put_appends_to_its_bucket_and_never_rewrites_it(tmp_path: Path) -> None:
    pool = ArticlePool(tmp_path, KEEP_DAYS)
    ids = _same_bucket_ids(4)
    path = _bucket_file(tmp_path, ids[0])
    before = b""
    inode = None
    for n, article_id in enumerate(ids):
        pool.put(_article(article_id, n), START)
        now = path.read_bytes()
        assert now.startswith(before) and now.count(b"\n") == n + 1
        if inode is None:
            inode = path.stat().st_ino
        assert path.stat().st_ino == inode  # the same file, appended to, not replaced
        before = now
    fresh = ArticlePool(tmp_path, KEEP_DAYS)
    assert [fresh.get(i, START) for i in ids] == [_article(i, n) for n, i in enumerate(ids)]


def test_an_unfinished_last_line_is_cut_and_nothing_acknowledged_is_lost(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first, second, third = _same_bucket_ids(3)
    pool = ArticlePool(tmp_path, KEEP_DAYS)
    pool.put(_article(first, 1), START)
    pool.put(_article(second, 2), START)
    path = _bucket_file(tmp_path, first)
    whole = path.read_bytes()
    with path.open("ab") as f:  # a crash in the middle of appending a third article
        f.write(encode({"id": third, "brief": brief(3)})[:40])
    fresh = ArticlePool(tmp_path, KEEP_DAYS)
    with caplog.at_level(logging.WARNING):
        assert fresh.get(first, START) == _article(first, 1)
    assert "cut an unfinished last line" in caplog.text
    assert path.read_bytes() == whole
    assert fresh.get(third, START) is None
    fresh.put(_article(third, 3), START)
    lines = path.read_bytes().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [first, second, third]


def test_a_damaged_file_is_moved_aside_and_the_rest_of_the_pool_stays(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    damaged_ids = _same_bucket_ids(2, "a")
    other = _same_bucket_ids(1, "b")[0]
    pool = ArticlePool(tmp_path, KEEP_DAYS)
    for n, article_id in enumerate([*damaged_ids, other]):
        pool.put(_article(article_id, n), START)
    path = _bucket_file(tmp_path, damaged_ids[0])
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join([b"{not json", *lines[1:]]))
    fresh = ArticlePool(tmp_path, KEEP_DAYS)
    with caplog.at_level(logging.ERROR):
        assert fresh.get(other, START) == _article(other, 2)
    assert "moved aside" in caplog.text
    assert not path.exists()
    assert fresh.get(damaged_ids[1], START) is None
    # The bucket takes new articles again, in a new file.
    fresh.put(_article(damaged_ids[1], 5), START)
    assert ArticlePool(tmp_path, KEEP_DAYS).get(damaged_ids[1], START) == _article(
        damaged_ids[1], 5
    )


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(
    deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=12))
def test_any_article_text_survives_a_reopen(
    tmp_path_factory: pytest.TempPathFactory, articles: list[tuple[str, str]]
) -> None:
    """Titles and texts with newlines, quotes, NULs, line separators or any script: each
    article stays one line and reads back as it was put."""
    root = tmp_path_factory.mktemp("pool")
    pool = ArticlePool(root, KEEP_DAYS)
    put = {}
    for n, (title, text) in enumerate(articles):
        article = Article(
            id=f"u:{title}/{n}", created_at=START, brief={**brief(n), "title": title, "text": text}
        )
        put[article.id] = pool.put(article, START)
    fresh = ArticlePool(root, KEEP_DAYS)
    assert {i: fresh.get(i, START) for i in put} == put
