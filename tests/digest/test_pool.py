"""The article pool keeps each article once, by canonical URL or near-duplicate text."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from digest.pool import NEAR_DUPLICATE_BITS, ArticlePool, canonical_url, hamming, simhash
from tests.digest.conftest import RecordingStore, make_brief
from tests.digest.fakes import FakeClock

ARTICLE = (
    "Moscow is looking for ways to normalize relations with the European Union, as it believes "
    "that dialogue is needed despite the existing differences, Kremlin spokesman Dmitry Peskov "
    "said on Wednesday, recalling that EU foreign policy chief Josep Borrell spoke of the need "
    "for dialogue during his recent visit to Moscow. After returning from the Russian capital, "
    "Borrell announced his intention to initiate new sanctions on Russia over the case of "
    "opposition figure Alexey Navalny. The matter is expected to be discussed at the EU foreign "
    "ministers' summit, slated for February 22, and at the March summit of the EU leaders. "
    "We have repeatedly said that we regret this and that we are looking for ways to normalize "
    "relations. This is exactly what Russia's and EU top diplomats discussed during their "
    "negotiations. They said there should be some space for dialogue despite the excessive "
    "problematic potential in our relations, Peskov told reporters, commenting on Borrell's "
    "recent statements about the deterioration of the bilateral relations. The Kremlin likes "
    "Borrell's statements about the need for dialogue more, the spokesman continued."
)


def test_canonical_url_drops_what_does_not_name_the_article() -> None:
    base = "https://example.org/news/story"
    for variant in (
        "https://example.org/news/story",
        "http://www.example.org/news/story/",
        "https://EXAMPLE.org:443/news//story#comments",
        "https://example.org/news/story?utm_source=tg&utm_medium=share&fbclid=abc",
    ):
        assert canonical_url(variant) == base, variant
    assert canonical_url("https://example.org/a?id=2&page=1") == "https://example.org/a?id=2&page=1"
    assert canonical_url("https://example.org/a?page=1&id=2") == "https://example.org/a?id=2&page=1"
    assert canonical_url("https://example.org:8080/a") == "https://example.org:8080/a"
    assert canonical_url("ftp://example.org/a") is None
    assert canonical_url("not a url") is None
    assert canonical_url("http://[::1") is None


@given(st.text(max_size=200))
def test_canonical_url_never_raises(url: str) -> None:
    canonical_url(url)


def test_near_duplicates_are_close_and_different_texts_far() -> None:
    a = simhash(ARTICLE)
    b = simhash(ARTICLE.replace("Wednesday", "Thursday") + " Reporting by Sputnik.")
    c = simhash(ARTICLE.replace("Moscow", "Paris").replace("Russia", "France")[::-1])
    assert a is not None and b is not None and c is not None
    assert hamming(a, b) <= NEAR_DUPLICATE_BITS
    assert hamming(a, c) > NEAR_DUPLICATE_BITS
    assert simhash("too short to fingerprint") is None


async def test_same_article_by_url_or_text_is_kept_once(
    store: RecordingStore, clock: FakeClock
) -> None:
    pool = ArticlePool(store, clock)
    first = await pool.add(make_brief("Story", text=ARTICLE), url="https://example.org/s?utm_x=1")
    again = await pool.add(make_brief("Story", text=ARTICLE), url="http://www.example.org/s")
    assert again.id == first.id
    # The same text syndicated elsewhere, lightly edited, is the same article.
    clock.advance(hours=1)
    syndicated = await pool.add(
        make_brief("Story (Sputnik)", text=ARTICLE.replace("Wednesday", "Thursday")),
        url="https://another.example/copy",
    )
    assert syndicated.id == first.id
    other = await pool.add(make_brief("Other", text=ARTICLE[::-1]), url="https://x.example/2")
    assert other.id != first.id
    pooled = await store.articles_since(clock.now - timedelta(days=1))
    assert sorted(a.id for a in pooled) == sorted([first.id, other.id])
    # Nothing about who forwarded it is stored: the article is its brief, URL and keys.
    stored = await store.get_article(first.id)
    assert stored is not None and set(stored.brief) == set(make_brief("x").to_json())


async def test_near_duplicates_are_found_after_a_restart(
    store: RecordingStore, clock: FakeClock
) -> None:
    await ArticlePool(store, clock).add(make_brief("Story", text=ARTICLE))
    restarted = ArticlePool(store, clock)
    twin = await restarted.add(make_brief("Story", text=ARTICLE + " Updated."))
    assert [a.id for a in await store.articles_since(clock.now - timedelta(days=1))] == [twin.id]


async def test_feed_items_are_dated_by_publication(store: RecordingStore, clock: FakeClock) -> None:
    pool = ArticlePool(store, clock)
    old = await pool.add(make_brief("Old"), published=clock.now - timedelta(days=3))
    future = await pool.add(make_brief("Future"), published=clock.now + timedelta(days=3))
    assert old.created_at == clock.now - timedelta(days=3)
    assert future.created_at == clock.now  # a date in the future is not believed
    recent = await pool.since(clock.now - timedelta(hours=24))
    assert [p.brief.title for p in recent] == ["Future"]
