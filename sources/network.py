"""httpcore's network layer on plain asyncio streams.

httpcore's default backend goes through anyio: every read and write opens and closes an anyio
cancel scope and asks sniffio which event loop runs, and connecting starts a task group for
"happy eyeballs". On a page fetched over a fresh connection that is most of our client's CPU
(measured with `make bench ONLY=fetch`: see the README). The bot and the CLI only ever run on
asyncio, so the streams here use asyncio directly; timeouts are `asyncio.timeout` (a timer
handle, no extra task) and errors are mapped to the httpcore exceptions httpx expects.
The address checks stay in `sources.fetch._GuardedBackend`, which connects through this class.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import ssl
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore

# The most bytes taken from the socket buffer in one read: httpcore asks for 64 KiB.
_STREAM_LIMIT_BYTES = 2**16


@contextlib.contextmanager
def _mapped(timeout_error: type[Exception], other_error: type[Exception]) -> Iterator[None]:
    """OS and TLS errors become `other_error`, an expired timeout `timeout_error`."""
    try:
        yield
    except TimeoutError as exc:
        raise timeout_error(str(exc) or "timed out") from exc
    except (OSError, ssl.SSLError, asyncio.IncompleteReadError, EOFError) as exc:
        raise other_error(str(exc) or type(exc).__name__) from exc


def _readable(sock: Any) -> bool:
    """Whether a read on `sock` would not block (data, the end of stream, or an error)."""
    if sock is None or sock.fileno() < 0:
        return True  # nothing left to read from: as good as closed
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLIN)
    return bool(poller.poll(0))


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One TCP (or TLS) connection as asyncio's reader and writer."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        with _mapped(httpcore.ReadTimeout, httpcore.ReadError):
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        if not buffer:
            return
        with _mapped(httpcore.WriteTimeout, httpcore.WriteError):
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()

    async def aclose(self) -> None:
        # Closing the transport is enough: nothing waits for the peer's goodbye, as with
        # httpcore's own backends.
        self._writer.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
    ) -> httpcore.AsyncNetworkStream:
        try:
            with _mapped(httpcore.ConnectTimeout, httpcore.ConnectError):
                async with asyncio.timeout(timeout):
                    await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except BaseException:
            self._writer.close()
            raise
        # StreamWriter.start_tls swaps the transport under the same reader and writer.
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        if info == "is_readable":
            # httpcore asks this of an idle pooled connection: anything to read (or the end of
            # the stream) means the server closed it or broke the protocol. asyncio may already
            # have moved that end of stream from the socket into the reader.
            if self._reader.at_eof() or self._writer.is_closing():
                return True
            sock = self._writer.get_extra_info("socket")
            return _readable(sock)
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Opens `AsyncioStream`s; connect where you are told (the caller has checked the address)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        with _mapped(httpcore.ConnectTimeout, httpcore.ConnectError):
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host,
                    port,
                    local_addr=(local_address, 0) if local_address else None,
                    limit=_STREAM_LIMIT_BYTES,
                )
        # asyncio turns TCP_NODELAY on by itself, as httpcore's backends expect.
        sock = writer.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return AsyncioStream(reader, writer)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("local sockets are not used")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
