"""The asyncio network layer under the fetcher: TLS, kept-alive connections, servers that hang up.

The servers are asyncio servers on 127.0.0.1 in the test's own event loop; the https ones use a
certificate authority made by trustme for the test, so nothing outside this machine is trusted
or contacted.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
import trustme

from sources.fetch import SafeFetcher
from sources.model import FetchError

PAGE = b"<html><body><p>Hello over the wire</p></body></html>"


@dataclass
class _Server:
    base: str
    connections: int = 0
    requests: int = 0


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, _Server], Awaitable[None]]


async def _answer(writer: asyncio.StreamWriter) -> None:
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(PAGE), PAGE)
    )
    await writer.drain()


async def _keep_alive(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, state: _Server
) -> None:
    """Answers every request on the connection, keeping it open."""
    while True:
        try:
            await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            break
        state.requests += 1
        await _answer(writer)
    writer.close()


async def _hang_up_after_answer(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, state: _Server
) -> None:
    """Answers one request as if the connection stayed open, then closes it: the pooled
    connection the client keeps is dead by the time of the next request."""
    await reader.readuntil(b"\r\n\r\n")
    state.requests += 1
    await _answer(writer)
    writer.close()


async def _serve(
    handler: Handler, ssl_context: ssl.SSLContext | None = None
) -> tuple[asyncio.Server, _Server]:
    state = _Server(base="")

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        state.connections += 1
        try:
            await handler(reader, writer, state)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            writer.close()

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0, ssl=ssl_context)
    port = server.sockets[0].getsockname()[1]
    state.base = f"{'https' if ssl_context else 'http'}://127.0.0.1:{port}"
    return server, state


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


def _server_tls(authority: trustme.CA, *names: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(*names).configure_cert(context)
    return context


@pytest.fixture
async def tls_fetcher(authority: trustme.CA) -> AsyncIterator[SafeFetcher]:
    client = ssl.create_default_context()
    authority.configure_trust(client)
    async with SafeFetcher(allow_private=["127.0.0.1"], ssl_context=client) as fetcher:
        yield fetcher


async def test_reads_a_page_over_https_and_keeps_the_connection(
    tls_fetcher: SafeFetcher, authority: trustme.CA
) -> None:
    server, state = await _serve(_keep_alive, _server_tls(authority, "127.0.0.1"))
    async with server:
        first = await tls_fetcher.fetch(f"{state.base}/a")
        second = await tls_fetcher.fetch(f"{state.base}/b")
    assert first.body == PAGE and second.body == PAGE
    assert first.content_type == "text/html" and first.charset == "utf-8"
    assert (state.requests, state.connections) == (2, 1)


async def test_a_certificate_for_another_site_is_refused(
    tls_fetcher: SafeFetcher, authority: trustme.CA
) -> None:
    server, state = await _serve(_keep_alive, _server_tls(authority, "example.org"))
    async with server:
        with pytest.raises(FetchError) as caught:
            await tls_fetcher.fetch(f"{state.base}/a")
    assert caught.value.code == "unreachable"
    assert state.requests == 0  # nothing was asked over the unverified connection


async def test_a_certificate_nobody_trusts_is_refused(authority: trustme.CA) -> None:
    server, state = await _serve(_keep_alive, _server_tls(authority, "127.0.0.1"))
    async with server, SafeFetcher(allow_private=["127.0.0.1"]) as fetcher:  # certifi's CAs only
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(f"{state.base}/a")
    assert caught.value.code == "unreachable"


async def test_plain_http_keeps_one_connection_for_many_requests() -> None:
    server, state = await _serve(_keep_alive)
    async with server, SafeFetcher(allow_private=["127.0.0.1"]) as fetcher:
        bodies = [(await fetcher.fetch(f"{state.base}/{n}")).body for n in range(5)]
    assert bodies == [PAGE] * 5
    assert (state.requests, state.connections) == (5, 1)


async def test_a_kept_connection_the_server_closed_is_not_reused() -> None:
    server, state = await _serve(_hang_up_after_answer)
    async with server, SafeFetcher(allow_private=["127.0.0.1"]) as fetcher:
        for n in range(4):
            fetched = await fetcher.fetch(f"{state.base}/{n}")
            assert fetched.body == PAGE
            await asyncio.sleep(0.01)  # the server's goodbye arrives while the connection idles
    assert state.requests == 4 and state.connections == 4


async def test_a_server_that_hangs_up_mid_answer_gets_a_clear_message() -> None:
    async def cut(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _: _Server) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<p>"
        )
        await writer.drain()
        writer.close()

    server, state = await _serve(cut)
    async with server, SafeFetcher(allow_private=["127.0.0.1"]) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(f"{state.base}/a")
    assert caught.value.code == "network"
    assert "broke the HTTP protocol" in str(caught.value)
