"""A real HTTP server on 127.0.0.1 whose routes each test sets, and fetchers that may reach it."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sources.fetch import SafeFetcher

# A route answers a request: (status, headers, body) or writes to the handler itself.
Route = Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes] | None]


@dataclass
class LocalServer:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def page(
        self,
        path: str,
        body: bytes | str,
        ctype: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
        delay_s: float = 0.0,
    ) -> str:
        data = body.encode() if isinstance(body, str) else body

        def route(_h: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
            if delay_s:
                time.sleep(delay_s)
            return status, {"Content-Type": ctype, **(headers or {})}, data

        self.routes[path] = route
        return self.url(path)


def _handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            with server.lock:
                server.hits[path] = server.hits.get(path, 0) + 1
            route = server.routes.get(path)
            answer = route(self) if route else (404, {"Content-Type": "text/plain"}, b"nope")
            if answer is None:
                return
            try:
                status, headers, body = answer
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            pass

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # The fetcher hangs up on bombs and liars on purpose; that is not a server failure.
        pass


@pytest.fixture(scope="session")
def _http_server() -> Iterator[tuple[_QuietServer, LocalServer]]:
    state = LocalServer(base="")
    httpd = _QuietServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(_http_server: tuple[_QuietServer, LocalServer]) -> LocalServer:
    state = _http_server[1]
    state.routes.clear()
    state.hits.clear()
    return state


@pytest.fixture
async def fetcher() -> AsyncIterator[SafeFetcher]:
    """A fetcher that may reach the test server (127.0.0.1 allow-listed, as in `make eval`)."""
    async with SafeFetcher(allow_private=["127.0.0.1"]) as f:
        yield f


@pytest.fixture
async def strict_fetcher() -> AsyncIterator[SafeFetcher]:
    """A fetcher with the production setting: nothing allow-listed."""
    async with SafeFetcher() as f:
        yield f
