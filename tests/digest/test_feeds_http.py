"""A feed served over real HTTP on 127.0.0.1 and fetched by the links layer's SafeFetcher (with
127.0.0.1 explicitly allowed, as tests do): ETag round trip, 304, 500 and a changed feed."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from briefing.model import Brief
from digest.feeds import FeedPoller
from digest.pool import ArticlePool
from sources.fetch import SafeFetcher
from storage.base import Subscription
from tests.digest.conftest import RecordingStore, make_brief
from tests.digest.fakes import FakeClock

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)


@dataclass
class Site:
    body: bytes = b""
    etag: str = '"1"'
    status: int = 200
    hits: int = 0
    conditional: int = 0


def rss(ids: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>http://127.0.0.1/{i}</link><guid>{i}</guid>"
        f"<pubDate>{format_datetime(NOW - timedelta(hours=1))}</pubDate></item>"
        for i in ids
    )
    return f'<rss version="2.0"><channel><title>Loopback</title>{items}</channel></rss>'.encode()


@pytest.fixture
def site() -> Iterator[tuple[Site, str]]:
    state = Site(body=rss(["a", "b"]))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.hits += 1
            if state.status != 200:
                self.send_response(state.status)
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == state.etag:
                state.conditional += 1
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", state.etag)
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
async def fetcher() -> AsyncIterator[SafeFetcher]:
    f = SafeFetcher(allow_private=["127.0.0.1"])
    yield f
    await f.aclose()


async def test_real_http_etag_304_500_and_new_items(
    site: tuple[Site, str], store: RecordingStore, clock: FakeClock, fetcher: SafeFetcher
) -> None:
    state, url = site
    clock.set(NOW)
    briefed: list[str] = []

    async def brief_link(link: str) -> Brief:
        briefed.append(link)
        return make_brief(f"Brief {link}", "Text.", url=link, text=f"{link} " + "word " * 40)

    poller = FeedPoller(store, fetcher, brief_link, ArticlePool(store, clock), clock)
    info = await poller.follow(url)
    assert info.title == "Loopback"
    await store.add_subscription(1, Subscription("feed", info.url, clock.now))

    assert (await poller.poll_due()).new_items == 2
    clock.advance(minutes=15)
    assert (await poller.poll_due()).not_modified == 1
    assert state.conditional == 1  # the ETag went out as If-None-Match and got a 304

    state.status = 500
    clock.advance(minutes=15)
    assert (await poller.poll_due()).failed == 1

    state.status, state.etag, state.body = 200, '"2"', rss(["a", "b", "c"])
    clock.advance(minutes=30)
    assert (await poller.poll_due()).new_items == 1
    assert [link.rsplit("/", 1)[1] for link in briefed] == ["a", "b", "c"]
