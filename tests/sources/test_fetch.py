"""SafeFetcher against a real HTTP server on 127.0.0.1: what users send, what attackers send."""

from __future__ import annotations

import asyncio
import gzip
import logging
import threading
import time
import zlib
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler

import httpcore
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.config import MAX_BODY_BYTES, MAX_PER_HOST
from sources.fetch import SafeFetcher
from sources.model import FetchError
from sources.network import AsyncioBackend
from sources.urls import check_url
from tests.sources.conftest import LocalServer


async def _error(fetcher: SafeFetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(url)
    return caught.value


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address a socket is actually opened to."""
    seen: list[str] = []
    real = AsyncioBackend.connect_tcp

    async def spy(
        self: AsyncioBackend, host: str, port: int, *args: object, **kwargs: object
    ) -> httpcore.AsyncNetworkStream:
        seen.append(host)
        return await real(self, host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(AsyncioBackend, "connect_tcp", spy)
    return seen


async def test_reads_a_page(fetcher: SafeFetcher, server: LocalServer) -> None:
    url = server.page("/a", "<html><body><p>Hello</p></body></html>")
    fetched = await fetcher.fetch(url)
    assert fetched.status == 200
    assert fetched.content_type == "text/html" and fetched.charset == "utf-8"
    assert fetched.body == b"<html><body><p>Hello</p></body></html>"


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.1.2.3",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 (a target, not a bind)
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "198.18.0.1",
        "[::1]",
        "[::]",
        "[fe80::1]",
        "[fc00::1]",
        "[fd12:3456::1]",
        "[::ffff:127.0.0.1]",
        "[::ffff:169.254.169.254]",
        "[2002:7f00:1::1]",
        "[2001:0:4136:e378::1]",
        "[64:ff9b::a9fe:a9fe]",
        "[ff02::1]",
    ],
)
async def test_every_blocked_address_literal_is_refused_without_connecting(
    strict_fetcher: SafeFetcher, host: str, connects: list[str]
) -> None:
    error = await _error(strict_fetcher, f"http://{host}/latest/meta-data/")
    assert error.code == "blocked_address"
    assert "private or reserved" in str(error)
    assert connects == []


async def test_a_name_resolving_to_a_private_address_is_refused(connects: list[str]) -> None:
    async def resolver(host: str, port: int) -> Sequence[str]:
        return {
            "intranet.example": ["10.1.2.3"],
            "mixed.example": ["93.184.216.34", "127.0.0.1"],
            "metadata.example": ["169.254.169.254"],
        }[host]

    async with SafeFetcher(resolver=resolver) as fetcher:
        for name in ("intranet.example", "mixed.example", "metadata.example"):
            assert (await _error(fetcher, f"https://{name}/")).code == "blocked_address"
    assert connects == []


async def test_the_checked_address_is_the_one_connected(
    server: LocalServer, connects: list[str]
) -> None:
    """No second DNS lookup: the name is resolved once, by our resolver, and the socket opened
    to that very address."""
    lookups: list[str] = []

    async def resolver(host: str, port: int) -> Sequence[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    server.page("/named", "<p>ok</p>")
    port = server.base.rsplit(":", 1)[1]
    async with SafeFetcher(allow_private=["127.0.0.1"], resolver=resolver) as fetcher:
        fetched = await fetcher.fetch(f"http://news.example:{port}/named")
    assert fetched.status == 200
    assert lookups == ["news.example"] and connects == ["127.0.0.1"]


async def test_a_redirect_to_cloud_metadata_is_never_contacted(
    fetcher: SafeFetcher, server: LocalServer, connects: list[str]
) -> None:
    server.page(
        "/go", b"", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/iam"}
    )
    error = await _error(fetcher, server.url("/go"))
    assert error.code == "blocked_address"
    assert "169.254.169.254" not in connects and connects == ["127.0.0.1"]


async def test_allow_listing_is_off_by_default(
    strict_fetcher: SafeFetcher, server: LocalServer
) -> None:
    url = server.page("/p", "<p>hi</p>")
    error = await _error(strict_fetcher, url)
    assert error.code == "bad_port"  # refused before anything else: 127.0.0.1:<random port>
    assert server.hits == {}


async def test_only_web_ports_and_schemes(strict_fetcher: SafeFetcher) -> None:
    assert (await _error(strict_fetcher, "http://example.com:22/")).code == "bad_port"
    for url in (
        "ftp://example.com/a",
        "file:///etc/passwd",
        "gopher://x/",
        "javascript:alert(1)",
        "http://user:pw@example.com/",
        "not a url",
    ):
        assert (await _error(strict_fetcher, url)).code == "bad_url"


@pytest.mark.parametrize("status", [404, 500, 503, 403])
async def test_http_errors_get_a_clear_message(
    fetcher: SafeFetcher, server: LocalServer, status: int
) -> None:
    url = server.page("/e", "error page", status=status)
    error = await _error(fetcher, url)
    assert error.code == "http_status" and f"HTTP {status}" in str(error)


async def test_a_slow_server_hits_the_deadline(server: LocalServer) -> None:
    url = server.page("/slow", "<p>late</p>", delay_s=1.5)
    async with SafeFetcher(allow_private=["127.0.0.1"], deadline_s=0.3) as fetcher:
        error = await _error(fetcher, url)
    assert error.code == "timeout" and "0.3 seconds" in str(error)


async def test_a_dripping_body_hits_the_deadline(server: LocalServer) -> None:
    def drip(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "1000")
        h.end_headers()
        for _ in range(20):  # bounded: 20 bytes over 2 s, never the promised 1000
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(0.1)

    server.routes["/drip"] = drip
    async with SafeFetcher(allow_private=["127.0.0.1"], deadline_s=0.4) as fetcher:
        assert (await _error(fetcher, server.url("/drip"))).code == "timeout"


async def test_a_gzip_bomb_is_stopped_at_the_cap(fetcher: SafeFetcher, server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * (MAX_BODY_BYTES * 4), compresslevel=9)
    assert len(bomb) < MAX_BODY_BYTES // 50
    url = server.page("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    error = await _error(fetcher, url)
    assert error.code == "too_large" and "5 MB" in str(error)


async def test_compressed_pages_are_decoded(fetcher: SafeFetcher, server: LocalServer) -> None:
    html = b"<p>" + b"compressed words " * 100 + b"</p>"
    raw_deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    bodies = {
        "gzip": gzip.compress(html),
        "deflate": zlib.compress(html),
        "x-gzip": gzip.compress(html),
    }
    for coding, body in bodies.items():
        url = server.page(f"/c-{coding}", body, headers={"Content-Encoding": coding})
        assert (await fetcher.fetch(url)).body == html
    raw = raw_deflate.compress(html) + raw_deflate.flush()
    url = server.page("/c-raw", raw, headers={"Content-Encoding": "deflate"})
    assert (await fetcher.fetch(url)).body == html


async def test_stacked_and_unknown_encodings_are_refused(
    fetcher: SafeFetcher, server: LocalServer
) -> None:
    twice = gzip.compress(gzip.compress(b"<p>hi</p>"))
    url = server.page("/twice", twice, headers={"Content-Encoding": "gzip, gzip"})
    assert (await _error(fetcher, url)).code == "bad_encoding"
    url = server.page("/br", b"\x0b\x02\x80hi\x03", headers={"Content-Encoding": "br"})
    assert (await _error(fetcher, url)).code == "bad_encoding"
    url = server.page("/broken", b"\x1f\x8b\x08garbage", headers={"Content-Encoding": "gzip"})
    assert (await _error(fetcher, url)).code == "bad_encoding"


async def test_an_oversized_content_length_is_refused_before_reading(
    fetcher: SafeFetcher, server: LocalServer
) -> None:
    def liar(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(100 * 1024 * 1024))
        h.end_headers()
        h.wfile.write(b"<p>" * 10)  # then nothing: reading the body would wait for the deadline

    server.routes["/liar"] = liar
    error = await asyncio.wait_for(_error(fetcher, server.url("/liar")), timeout=5)
    assert error.code == "too_large"


async def test_a_huge_body_without_length_is_cut(fetcher: SafeFetcher, server: LocalServer) -> None:
    def endless(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        chunk = b"<p>" + b"a" * 65_536 + b"</p>"
        for _ in range(200):  # bounded: ~13 MB at most
            h.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        h.wfile.write(b"0\r\n\r\n")

    server.routes["/endless"] = endless
    assert (await _error(fetcher, server.url("/endless"))).code == "too_large"


async def test_redirects_are_followed_up_to_three(
    fetcher: SafeFetcher, server: LocalServer
) -> None:
    for i in range(1, 5):
        server.page(f"/r{i}", b"", status=302, headers={"Location": f"/r{i + 1}"})
    server.page("/r5", "<p>end</p>")
    fetched = await fetcher.fetch(server.url("/r2"))  # 3 hops
    assert fetched.url.endswith("/r5") and fetched.body == b"<p>end</p>"
    error = await _error(fetcher, server.url("/r1"))  # 4 hops
    assert error.code == "too_many_redirects" and "3 times" in str(error)


async def test_a_redirect_to_another_scheme_is_refused(
    fetcher: SafeFetcher, server: LocalServer
) -> None:
    server.page("/ftp", b"", status=301, headers={"Location": "file:///etc/passwd"})
    assert (await _error(fetcher, server.url("/ftp"))).code == "bad_url"


async def test_conditional_get_returns_not_modified(
    fetcher: SafeFetcher, server: LocalServer
) -> None:
    def feed(h: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        if h.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return (
            200,
            {
                "Content-Type": "application/rss+xml",
                "ETag": '"v1"',
                "Last-Modified": "Wed, 10 Feb 2021 09:30:00 GMT",
            },
            b"<rss/>",
        )

    server.routes["/feed"] = feed
    first = await fetcher.fetch(server.url("/feed"), accept_feed=True)
    assert first.etag == '"v1"' and first.last_modified and not first.not_modified
    again = await fetcher.fetch(
        server.url("/feed"), accept_feed=True, etag=first.etag, last_modified=first.last_modified
    )
    assert again.not_modified and again.body == b""


async def test_proxy_variables_are_ignored(
    monkeypatch: pytest.MonkeyPatch, server: LocalServer
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    url = server.page("/direct", "<p>direct</p>")
    async with SafeFetcher(allow_private=["127.0.0.1"]) as fetcher:
        assert (await fetcher.fetch(url)).status == 200


async def test_a_closed_port_is_unreachable(fetcher: SafeFetcher) -> None:
    assert (await _error(fetcher, "http://127.0.0.1:9/")).code == "unreachable"


async def test_per_host_concurrency_is_capped(fetcher: SafeFetcher, server: LocalServer) -> None:
    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    def counted(h: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return 200, {"Content-Type": "text/html"}, b"<p>x</p>"

    for i in range(12):
        server.routes[f"/slowish{i}"] = counted
    results = await asyncio.gather(*(fetcher.fetch(server.url(f"/slowish{i}")) for i in range(12)))
    assert all(r.status == 200 for r in results)
    assert 2 <= state["max"] <= MAX_PER_HOST


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_any_string_is_a_url_or_a_clear_refusal(text: str) -> None:
    for candidate in (text, "http://" + text, "https://example.com/" + text):
        try:
            parsed = check_url(candidate)
        except FetchError as exc:
            assert exc.code == "bad_url" and str(exc)
        else:
            assert parsed.scheme in ("http", "https") and parsed.host


async def test_odd_redirect_targets_get_a_clear_message(
    fetcher: SafeFetcher, server: LocalServer
) -> None:
    for i, location in enumerate(
        [
            "http://[::1",
            "http://exa mple.com:99999/",
            "mailto:x@y.z",
            "//169.254.169.254/",
            "http://\u00e9\u00e9\u00e9." + "a" * 70,
        ]
    ):
        server.page(f"/odd{i}", b"", status=301, headers={"Location": location})
        error = await _error(fetcher, server.url(f"/odd{i}"))
        assert error.code in ("bad_url", "blocked_address", "dns", "bad_port"), (location, error)


@pytest.mark.parametrize("host", ["localhost", "2130706433", "0x7f000001", "017700000001", "127.1"])
async def test_names_and_numeric_spellings_of_loopback_are_refused(
    strict_fetcher: SafeFetcher, host: str, connects: list[str]
) -> None:
    """The system resolver turns these into 127.0.0.1 (no DNS query leaves the machine)."""
    error = await _error(strict_fetcher, f"http://{host}/")
    assert error.code == "blocked_address" and connects == []


async def test_fetched_urls_stay_out_of_info_logs(
    server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.NOTSET)  # as in a fresh process
    url = server.page("/private-reading-list", "<p>hi</p>")
    async with SafeFetcher(allow_private=["127.0.0.1"]) as fetcher:
        await fetcher.fetch(url)
        with pytest.raises(FetchError):
            await fetcher.fetch(server.url("/missing-secret"))
    assert "private-reading-list" not in caplog.text and "missing-secret" not in caplog.text


async def test_cookies_never_travel_between_requests(
    fetcher: SafeFetcher, server: LocalServer
) -> None:
    seen: list[str | None] = []

    def cookie_page(h: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        seen.append(h.headers.get("Cookie"))
        return 200, {"Content-Type": "text/html", "Set-Cookie": "session=user-a; Path=/"}, b"<p/>"

    server.routes["/cookie"] = cookie_page
    await fetcher.fetch(server.url("/cookie"))
    await fetcher.fetch(server.url("/cookie"))
    assert seen == [None, None]


async def test_the_per_host_table_empties_after_use(
    fetcher: SafeFetcher, server: LocalServer
) -> None:
    urls = [server.page(f"/t{i}", "<p>x</p>") for i in range(6)]
    await asyncio.gather(*(fetcher.fetch(u) for u in urls))
    assert len(fetcher._host_slots) == 0
