"""The HTTP client the bot talks to the Bot API with: PTB's `BaseRequest` on aiohttp.

Why not PTB's default `HTTPXRequest`: the bot's one event loop must keep up with the engine's
workers, and a brief costs three Bot API calls (getUpdates, sendChatAction, sendMessage).
Measured on this machine against the emulator on 127.0.0.1 (4 calls in flight): one call took
~570 us of the loop's CPU through httpx + httpcore + anyio and ~200 us through aiohttp (C HTTP
parser, no per-request scan of the connection pool). PTB builds the parameters and parses the
answer either way; they travel form-encoded (files as multipart), as with PTB's own class.

Behaviour kept from `HTTPXRequest`: the same default timeouts and connection pool, proxy
environment variables honoured, a timeout raised as `TimedOut` and any other transport failure
as `NetworkError`; the read timeout applies between two reads, so a long download is never cut.
aiohttp has no write timeout: a call that sends a body is bounded as a whole by the sum of the
timeouts (with the media write timeout for an upload).
"""

from __future__ import annotations

import urllib.request
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput

# PTB's HTTPXRequest defaults: seconds.
DEFAULT_CONNECT_TIMEOUT_S: Final = 5.0
DEFAULT_READ_TIMEOUT_S: Final = 5.0
DEFAULT_WRITE_TIMEOUT_S: Final = 5.0
DEFAULT_POOL_TIMEOUT_S: Final = 1.0
DEFAULT_MEDIA_WRITE_TIMEOUT_S: Final = 20.0


def _pick(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


class AiohttpRequest(BaseRequest):
    """`BaseRequest` over one `aiohttp.ClientSession` (opened in `initialize`, closed in
    `shutdown`, as PTB's Application does for its requests)."""

    def __init__(
        self,
        connection_pool_size: int = 1,
        *,
        read_timeout: float | None = DEFAULT_READ_TIMEOUT_S,
        write_timeout: float | None = DEFAULT_WRITE_TIMEOUT_S,
        connect_timeout: float | None = DEFAULT_CONNECT_TIMEOUT_S,
        pool_timeout: float | None = DEFAULT_POOL_TIMEOUT_S,
        media_write_timeout: float | None = DEFAULT_MEDIA_WRITE_TIMEOUT_S,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self.connection_pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        # (scheme, host) -> the proxy from the environment, or None: looked up once per origin.
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds getUpdates' long-poll timeout to it)."""
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.connection_pool_size),
                # Not aiohttp's trust_env: it looks up .netrc and the proxy variables in a thread
                # on every request (two thread round trips a call); `_proxy` does it once.
                trust_env=False,
                headers={"User-Agent": self.USER_AGENT},
                # The Bot API sets no cookies: no jar to consult on every call.
                cookie_jar=aiohttp.DummyCookieJar(),
            )

    async def shutdown(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    def _proxy(self, url: str) -> str | None:
        """The proxy HTTP(S)_PROXY / ALL_PROXY name for this URL unless NO_PROXY exempts its host
        (httpx, PTB's default client, honours them too)."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            found = urllib.request.getproxies()
            proxy = found.get(parts.scheme) or found.get("all")
            if proxy and urllib.request.proxy_bypass(parts.netloc):
                proxy = None
            self._proxies[key] = proxy or None
        return self._proxies[key]

    def _timeout(
        self,
        read: ODVInput[float],
        write: ODVInput[float],
        connect: ODVInput[float],
        pool: ODVInput[float],
        *,
        upload: bool,
        body: bool,
    ) -> aiohttp.ClientTimeout:
        read_s = _pick(read, self._read_timeout)
        write_s = _pick(write, self._media_write_timeout if upload else self._write_timeout)
        connect_s = _pick(connect, self._connect_timeout)
        pool_s = _pick(pool, self._pool_timeout)
        parts = (read_s, write_s, connect_s, pool_s)
        return aiohttp.ClientTimeout(
            # aiohttp's `connect` includes the wait for a free connection of the pool.
            connect=None if connect_s is None or pool_s is None else connect_s + pool_s,
            sock_connect=connect_s,
            # Between two reads, as httpx's read timeout: a long download that keeps coming
            # (a PDF a user sent) is never cut.
            sock_read=read_s,
            # aiohttp has no write timeout: a call that sends a body is bounded as a whole.
            total=None if not body or None in parts else sum(p for p in parts if p is not None),
        )

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        data: aiohttp.FormData | dict[str, str] | None = None
        files = request_data.multipart_data if request_data is not None else None
        if request_data is not None and files:
            form = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                form.add_field(name, value)
            for name, (filename, content, mimetype) in files.items():
                form.add_field(name, content, filename=filename, content_type=mimetype)
            data = form
        elif request_data is not None:
            # Form-encoded, as PTB's own request class sends them. The Bot API also takes a JSON
            # body (0.4 ms less CPU a brief here: json.dumps is C, urlencode quotes in Python),
            # but every Bot API server a bot may be pointed at (TELEGRAM_API_BASE_URL) has to
            # read forms, and not every stand-in reads JSON.
            data = request_data.json_parameters
        timeout = self._timeout(
            read_timeout,
            write_timeout,
            connect_timeout,
            pool_timeout,
            upload=bool(files),
            body=data is not None,
        )
        try:
            async with session.request(
                method,
                url,
                data=data,
                timeout=timeout,
                proxy=self._proxy(url),
                allow_redirects=False,  # as httpx: the Bot API answers, it does not redirect
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's connect and read timeouts are TimeoutErrors
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
