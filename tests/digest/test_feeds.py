"""Feeds: parse, discover, poll with ETag, back off on errors, brief each new item once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from briefing.model import Brief
from digest.feeds import (
    MAX_BACKOFF,
    POLL_INTERVAL,
    FeedError,
    FeedPoller,
    discover_feeds,
    parse_feed,
    resolve_feed,
)
from digest.pool import ArticlePool
from sources.model import FetchError
from storage.base import FeedState, Subscription
from tests.digest.conftest import RecordingStore, make_brief
from tests.digest.fakes import FakeClock, FakeFetcher, Fetched

FEED = "https://news.example/rss.xml"
NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)


def rss(*items: tuple[str, str, datetime]) -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>https://news.example/{i}</link><guid>{i}</guid>"
        f"<pubDate>{format_datetime(d)}</pubDate><description>{t} summary</description></item>"
        for i, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Example News</title><link>https://news.example/</link>{body}</channel></rss>"
    ).encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title><id>urn:x</id>
<updated>2026-11-27T05:00:00Z</updated>
<entry><title>Kremlin answers Borrell</title><id>urn:1</id>
<link href="https://atom.example/1"/><updated>2026-11-27T05:00:00Z</updated>
<content type="html">&lt;p&gt;Peskov said &lt;b&gt;dialogue&lt;/b&gt; is needed.&lt;/p&gt;
</content></entry>
</feed>"""


class Briefer:
    """Stands in for sources.links.brief_link: counts calls, fails for URLs in `broken`."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.broken: set[str] = set()

    async def __call__(self, url: str) -> Brief:
        self.calls.append(url)
        if url in self.broken:
            raise FetchError("The page could not be read.", code="http_status")
        return make_brief(
            f"Brief of {url}",
            "Sanctions on Russia discussed.",
            url=url,
            text=f"Article at {url}. " + "Words of this article. " * 30 + url,
        )


async def setup(
    store: RecordingStore, clock: FakeClock, body: bytes, *, followers: int = 1
) -> tuple[FeedPoller, FakeFetcher, Briefer]:
    fetcher = FakeFetcher(
        {FEED: Fetched(200, {"ETag": '"v1"', "Content-Type": "application/rss+xml"}, body)}
    )
    briefer = Briefer()
    poller = FeedPoller(store, fetcher, briefer, ArticlePool(store, clock), clock)
    await poller.follow(FEED)
    for uid in range(1, followers + 1):
        await store.add_subscription(uid, Subscription("feed", FEED, clock.now))
    return poller, fetcher, briefer


async def feed_state(store: RecordingStore) -> FeedState:
    state = await store.get_feed(FEED)
    assert state is not None
    return state


def test_parse_rss_and_atom_and_refuse_garbage() -> None:
    feed = parse_feed(rss(("a1", "First", NOW)))
    assert feed is not None and feed.title == "Example News"
    [item] = feed.items
    assert (item.id, item.link, item.published) == ("a1", "https://news.example/a1", NOW)
    atom = parse_feed(ATOM)
    assert atom is not None and atom.items[0].text == "Peskov said dialogue is needed."
    assert parse_feed(b"\x00\xff garbage <<<") is None
    assert parse_feed(b"<html><body>Just a page</body></html>") is None
    assert parse_feed(b"") is None


def test_discover_feed_links_in_a_page() -> None:
    page = b"""<html><head>
    <link rel="stylesheet" href="/s.css">
    <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
    <link rel="alternate" type="application/atom+xml" href="https://cdn.example/atom">
    </head><body>hi</body></html>"""
    assert discover_feeds(page, "https://site.example/news/") == [
        "https://site.example/feed.xml",
        "https://cdn.example/atom",
    ]


async def test_resolve_a_site_page_to_its_feed() -> None:
    page = (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        b"</head></html>"
    )
    fetcher = FakeFetcher(
        {
            "https://site.example/": Fetched(200, {"content-type": "text/html"}, page),
            "https://site.example/rss.xml": Fetched(200, {}, rss(("x", "X", NOW))),
            "https://plain.example/": Fetched(
                200, {"content-type": "text/html"}, b"<html>no feed</html>"
            ),
        }
    )
    info = await resolve_feed(fetcher, "https://site.example/")
    assert (info.url, info.title) == ("https://site.example/rss.xml", "Example News")
    direct = await resolve_feed(fetcher, "https://site.example/rss.xml")
    assert direct.url == "https://site.example/rss.xml"
    with pytest.raises(FeedError) as no_feed:
        await resolve_feed(fetcher, "https://plain.example/")
    assert no_feed.value.code == "not_a_feed"
    with pytest.raises(FeedError):
        await resolve_feed(fetcher, "https://missing.example/")


async def test_new_items_are_briefed_once_for_all_followers(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(NOW)
    body = rss(("a1", "One", NOW - timedelta(hours=1)), ("a2", "Two", NOW - timedelta(hours=2)))
    poller, _fetcher, briefer = await setup(store, clock, body, followers=3)
    report = await poller.poll_due()
    assert (report.polled, report.new_items) == (1, 2)
    assert sorted(briefer.calls) == ["https://news.example/a1", "https://news.example/a2"]
    assert {a.feed_url for a in await store.articles_since(NOW - timedelta(days=1))} == {FEED}
    state = await store.get_feed(FEED)
    assert state is not None
    assert state.seen == ("a2", "a1") and state.etag == '"v1"'
    assert state.next_poll == NOW + POLL_INTERVAL


async def test_not_polled_more_often_than_every_15_minutes(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(NOW)
    poller, fetcher, _ = await setup(store, clock, rss(("a1", "One", NOW)))
    await poller.poll_due()
    clock.advance(minutes=14, seconds=59)
    assert (await poller.poll_due()).polled == 0
    clock.advance(seconds=1)
    assert (await poller.poll_due()).polled == 1
    assert len(fetcher.requests) == 3  # follow() + two polls


async def test_304_not_modified_sends_the_etag_and_briefs_nothing(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(NOW)
    poller, fetcher, briefer = await setup(store, clock, rss(("a1", "One", NOW)))
    await poller.poll_due()
    clock.advance(minutes=15)
    report = await poller.poll_due()
    assert report.not_modified == 1 and report.new_items == 0
    assert fetcher.requests[-1] == (FEED, '"v1"', None)
    assert len(briefer.calls) == 1


async def test_same_items_again_without_etag_are_not_briefed_again(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(NOW)
    poller, fetcher, briefer = await setup(store, clock, rss(("a1", "One", NOW)))
    fetcher.etags = False
    await poller.poll_due()
    clock.advance(minutes=15)
    fetcher.pages[FEED] = Fetched(200, {}, rss(("a1", "One", NOW), ("a0", "Zero", NOW)))
    report = await poller.poll_due()
    assert report.new_items == 1
    assert briefer.calls == ["https://news.example/a1", "https://news.example/a0"]


@pytest.mark.parametrize(
    "answer",
    [
        Fetched(500, {}, b"Internal Server Error"),
        Fetched(200, {"content-type": "text/html"}, b"<html>maintenance</html>"),
        Fetched(200, {}, b"\x00\x01 not xml at all \xff\xfe"),
        FetchError("timed out", code="timeout"),
    ],
    ids=["500", "html", "garbage", "fetch-error"],
)
async def test_errors_back_off_exponentially_and_recover(
    store: RecordingStore, clock: FakeClock, answer: Fetched | FetchError
) -> None:
    clock.set(NOW)
    poller, fetcher, briefer = await setup(store, clock, rss(("a1", "One", NOW)))
    fetcher.pages[FEED] = answer
    waits = []
    for _ in range(8):
        assert (await poller.poll_due()).failed == 1
        state = await feed_state(store)
        assert state.next_poll is not None
        waits.append(state.next_poll - clock.now)
        clock.set(state.next_poll)
    assert waits[:3] == [timedelta(minutes=30), timedelta(hours=1), timedelta(hours=2)]
    assert waits[-1] == MAX_BACKOFF
    assert briefer.calls == []
    fetcher.pages[FEED] = Fetched(200, {}, rss(("a9", "Back", clock.now)))
    assert (await poller.poll_due()).new_items == 1
    assert (await feed_state(store)).failures == 0


async def test_feed_without_followers_is_not_polled(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(NOW)
    poller, _fetcher, _ = await setup(store, clock, rss(("a1", "One", NOW)), followers=0)
    assert (await poller.poll_due()).polled == 0


async def test_old_items_are_marked_seen_not_briefed(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(NOW)
    body = rss(("new", "New", NOW - timedelta(hours=3)), ("old", "Old", NOW - timedelta(days=30)))
    poller, _, briefer = await setup(store, clock, body)
    await poller.poll_due()
    assert briefer.calls == ["https://news.example/new"]
    assert set((await feed_state(store)).seen) == {"new", "old"}


async def test_item_whose_page_fails_is_briefed_from_the_feed_text(
    store: RecordingStore, clock: FakeClock
) -> None:
    clock.set(NOW)
    long_text = "Brussels prepares sanctions against Moscow over the Navalny case. " * 10
    body = rss(("a1", long_text, NOW), ("a2", "Short", NOW))
    poller, _, briefer = await setup(store, clock, body)
    briefer.broken = {"https://news.example/a1", "https://news.example/a2"}
    report = await poller.poll_due()
    assert report.new_items == 1  # a1 from its own text; a2 has too little text to brief
    assert set((await feed_state(store)).seen) == {
        "a1",
        "a2",
    }  # neither is retried every 15 minutes
