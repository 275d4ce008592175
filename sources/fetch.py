"""An HTTP client for links users send: SSRF-safe, bounded in size and time, deduplicated.

Every TCP connection goes through `_GuardedBackend.connect_tcp`, which resolves the host once,
refuses it if ANY of its addresses is private or reserved, and connects to an address it has
just checked: there is no second DNS lookup for a rebinding attacker to answer differently.
TLS keeps the host name for SNI and certificate checks because only the socket is redirected.
Redirects are followed by hand so each hop is checked again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

from sources.addresses import AllowList, BlockedAddressError, check_addresses, parse_ip
from sources.cache import SingleFlightCache
from sources.config import (
    ARTICLE_CACHE_ENTRIES,
    ARTICLE_CACHE_TTL_S,
    CONNECT_TIMEOUT_S,
    DEFAULT_PORTS,
    FETCH_DEADLINE_S,
    MAX_BODY_BYTES,
    MAX_CONNECTIONS,
    MAX_KEEPALIVE_CONNECTIONS,
    MAX_PER_HOST,
    MAX_REDIRECTS,
    READ_TIMEOUT_S,
    USER_AGENT,
)
from sources.decode import BoundedDecoder, too_large
from sources.model import Article, FetchError
from sources.network import AsyncioBackend
from sources.urls import check_url

log = logging.getLogger(__name__)

# async (host, port) -> the host's addresses as strings; injectable so tests can make any name
# resolve to any address.
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

ACCEPT_PAGE = "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf;q=0.8,*/*;q=0.5"
ACCEPT_FEED = (
    "application/rss+xml,application/atom+xml,application/feed+json,"
    "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# HTTP statuses with words of their own; the others are "http_5xx" or "http_other".
_STATUS_WORDS = {
    401: "asks for a login",
    403: "refused access",
    404: "says the page does not exist",
    410: "says the page is gone",
    429: "says it is too busy right now",
}


async def system_resolver(host: str, port: int) -> Sequence[str]:
    """All the addresses the system resolver gives for `host`."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check, then connect to the checked address."""

    def __init__(self, allow: AllowList, resolver: Resolver) -> None:
        self._allow = allow
        self._resolver = resolver
        self._inner = AsyncioBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            # An address written in the URL needs no lookup (and the check below still applies).
            literal = parse_ip(host)
            addresses = [str(literal)] if literal else await self._resolver(host, port)
        except (OSError, UnicodeError) as exc:  # UnicodeError: a name IDNA cannot encode
            raise BlockedAddressError(
                "The site's address could not be found.", code="dns", reason="dns"
            ) from exc
        checked = check_addresses(host, port, addresses, self._allow)
        for address in checked[:-1]:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                continue  # the next checked address of the same host
        return await self._inner.connect_tcp(
            checked[-1],
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddressError("Local sockets are never opened.", reason="blocked_address")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _HostSlots:
    """At most `limit` requests per host at a time; a host's counter lives only while in use,
    so the table does not grow with every host ever linked."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._slots: dict[str, tuple[asyncio.Semaphore, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, host: str) -> AsyncIterator[None]:
        semaphore, users = self._slots.get(host, (asyncio.Semaphore(self._limit), 0))
        self._slots[host] = (semaphore, users + 1)
        try:
            async with semaphore:
                yield
        finally:
            semaphore, users = self._slots[host]
            if users == 1:
                del self._slots[host]
            else:
                self._slots[host] = (semaphore, users - 1)

    def __len__(self) -> int:
        return len(self._slots)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response body read within the limits, after redirects."""

    url: str  # the final URL, after redirects
    status: int
    content_type: str  # media type, lower case, without parameters ("" when absent)
    charset: str | None  # the charset parameter of Content-Type
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        """A conditional GET found the resource unchanged (HTTP 304): `body` is empty."""
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


class SafeFetcher:
    """One per application (it owns a connection pool); `await aclose()` at shutdown."""

    def __init__(
        self,
        *,
        allow_private: Sequence[str] = (),
        resolver: Resolver | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
        deadline_s: float = FETCH_DEADLINE_S,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        """`ssl_context`: the certificates trusted for https (default: httpx's, from certifi);
        tests pass one trusting their own authority."""
        self.allow = AllowList.parse(allow_private)
        self.max_body_bytes = max_body_bytes
        self.deadline_s = deadline_s
        # Requests go straight to httpcore's connection pool (the one under httpx's client):
        # redirects are followed by hand here anyway, httpx's client layers (cookies, auth,
        # hooks, URL merging) would only add a cookie jar shared by every user, and its
        # request and response models cost a fifth of a loopback request. httpx still parses
        # and joins every URL (`sources.urls`) and makes the TLS context.
        self._pool = httpcore.AsyncConnectionPool(
            # Loading the CA bundle costs ~30 ms: once per fetcher.
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            max_connections=MAX_CONNECTIONS,
            max_keepalive_connections=MAX_KEEPALIVE_CONNECTIONS,
            http1=True,
            http2=False,
            retries=0,
            network_backend=_GuardedBackend(self.allow, resolver or system_resolver),
        )
        self._timeout = {
            "connect": CONNECT_TIMEOUT_S,
            "read": READ_TIMEOUT_S,
            "write": READ_TIMEOUT_S,
            "pool": FETCH_DEADLINE_S,
        }
        self._host_slots = _HostSlots(MAX_PER_HOST)
        # Articles by URL: `sources.links` keeps them here so they share the fetcher's lifetime.
        self.articles: SingleFlightCache[Article] = SingleFlightCache(
            ttl_s=ARTICLE_CACHE_TTL_S, max_entries=ARTICLE_CACHE_ENTRIES
        )

    async def aclose(self) -> None:
        await self._pool.aclose()

    async def __aenter__(self) -> SafeFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def fetch(
        self,
        url: str | httpx.URL,
        *,
        accept_feed: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """GET `url` within every limit. With `etag`/`last_modified` the request is conditional
        and an unchanged resource comes back as `Fetched(status=304)`. `url` may be one
        `sources.urls.check_url` parsed already. Raises FetchError."""
        headers = [
            (b"User-Agent", USER_AGENT.encode()),
            (b"Accept", (ACCEPT_FEED if accept_feed else ACCEPT_PAGE).encode()),
            (b"Accept-Encoding", b"gzip, deflate"),
            (b"Connection", b"keep-alive"),
        ]
        if etag:
            headers.append((b"If-None-Match", etag.encode()))
        if last_modified:
            headers.append((b"If-Modified-Since", last_modified.encode()))
        try:
            async with asyncio.timeout(self.deadline_s):
                fetched = await self._follow(check_url(url), headers)
        except TimeoutError as exc:
            raise FetchError(
                f"The site did not answer within {self.deadline_s:g} seconds.",
                code="timeout",
                reason="deadline",
                params={"seconds": f"{self.deadline_s:g}"},
            ) from exc
        except BlockedAddressError as exc:
            raise FetchError(str(exc), code=exc.code, reason=exc.reason, params=exc.params) from exc
        except httpcore.TimeoutException as exc:
            raise FetchError(
                "The site is too slow to answer.", code="timeout", reason="slow"
            ) from exc
        except httpcore.ConnectError as exc:
            if isinstance(exc.__cause__, ssl.SSLCertVerificationError):
                raise FetchError(
                    "The site's security certificate is not valid, so I did not open it.",
                    code="unreachable",
                    reason="bad_certificate",
                ) from exc
            raise FetchError(
                "I could not connect to the site.", code="unreachable", reason="unreachable"
            ) from exc
        except (httpcore.UnsupportedProtocol, httpcore.LocalProtocolError) as exc:
            # Our URLs and redirect targets are checked before any request; this is a net for
            # anything httpcore still finds wrong with one (or with a header we send back).
            raise FetchError(
                "The site redirected to an address that makes no sense.",
                code="bad_url",
                reason="bad_redirect",
            ) from exc
        except httpcore.RemoteProtocolError as exc:
            raise FetchError(
                "The site broke the HTTP protocol.", code="network", reason="protocol"
            ) from exc
        except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.ProxyError) as exc:
            raise FetchError(
                "The connection to the site failed.", code="network", reason="network"
            ) from exc
        if fetched.not_modified and not (etag or last_modified):
            raise FetchError(
                "The site sent no page (HTTP 304).", code="http_status", reason="not_modified"
            )
        return fetched

    async def _follow(self, url: httpx.URL, headers: list[tuple[bytes, bytes]]) -> Fetched:
        for _hop in range(MAX_REDIRECTS + 1):
            self._precheck_port(url)
            async with self._host_slots.hold(url.host):
                request = httpcore.Request(
                    b"GET",
                    httpcore.URL(
                        scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
                    ),
                    headers=[(b"Host", url.netloc), *headers],
                    extensions={"timeout": self._timeout},
                )
                response = await self._pool.handle_async_request(request)
                try:
                    if response.status in _REDIRECTS:
                        url = _redirect_target(url, response)
                        continue
                    return await self._read(url, response)
                finally:
                    await response.aclose()
        raise FetchError(
            f"The link redirects more than {MAX_REDIRECTS} times; I stopped following it.",
            code="too_many_redirects",
            reason="too_many_redirects",
            params={"count": MAX_REDIRECTS},
        )

    def _precheck_port(self, url: httpx.URL) -> None:
        # The connect-time check is the one that counts; this one gives the clear message early
        # and refuses odd ports before any DNS lookup when nothing is allow-listed.
        port = url.port or (443 if url.scheme == "https" else 80)
        if port not in DEFAULT_PORTS and not self.allow:
            raise FetchError(
                f"I only open links on the usual web ports (80 and 443), not {port}.",
                code="bad_port",
                reason="bad_port",
                params={"port": port},
            )

    async def _read(self, url: httpx.URL, response: httpcore.Response) -> Fetched:
        status = response.status
        headers = _header_dict(response)
        content_type, _, params = headers.get("content-type", "").partition(";")
        charset = None
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                charset = value.strip().strip("\"'") or None
        media = content_type.strip().lower()
        if status == 304:
            return Fetched(str(url), status, media, charset, headers)
        if status >= 400 or status < 200:
            what = _STATUS_WORDS.get(status, "had an error" if status >= 500 else "refused")
            kind = str(status) if status in _STATUS_WORDS else "5xx" if status >= 500 else "other"
            raise FetchError(
                f"The site {what} (HTTP {status}).",
                code="http_status",
                reason=f"http_{kind}",
                params={"status": status},
            )
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            raise too_large(self.max_body_bytes)
        decoder = BoundedDecoder(headers.get("content-encoding"), self.max_body_bytes)
        async for chunk in response.aiter_stream():
            decoder.feed(chunk)
        return Fetched(str(url), status, media, charset, headers, decoder.finish())


def _header_dict(response: httpcore.Response) -> dict[str, str]:
    """Response headers by lower-case name (a repeated header: the last one)."""
    return {name.decode("latin-1").lower(): _header_text(value) for name, value in response.headers}


def _header_text(value: bytes) -> str:
    # Servers send non-ASCII Location and filename values as UTF-8 more often than as Latin-1.
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _redirect_target(url: httpx.URL, response: httpcore.Response) -> httpx.URL:
    location = _header_dict(response).get("location", "").strip()
    if not location:
        raise FetchError(
            "The site redirected nowhere.", code="http_status", reason="redirect_nowhere"
        )
    try:
        target = str(url.join(location))
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchError(
            "The site redirected to an address that makes no sense.",
            code="bad_url",
            reason="bad_redirect",
        ) from exc
    return check_url(target)
