"""Article pages served on 127.0.0.1 for link tests (the only address tests may contact).

One server for the whole test session, started on import: `ARTICLE_URL` is the seed article as
a news site would serve it; any other path answers 404."""

from __future__ import annotations

import html
import http.server
import threading
from pathlib import Path

SEED = (Path(__file__).parent / "data" / "seed_article.txt").read_text("utf-8")
TITLE = "Moscow looks for ways to improve relations with EU despite differences"


def article_page(text: str, title: str = TITLE, site: str = "UrduPoint") -> bytes:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<meta property='og:site_name' content='{html.escape(site)}'></head><body>"
        f"<article><h1>{html.escape(title)}</h1>{paragraphs}</article></body></html>"
    ).encode()


PAGES: dict[str, bytes] = {"/kremlin-eu": article_page(SEED)}


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGES.get(self.path.split("?", 1)[0])
        if body is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
_server.daemon_threads = True
threading.Thread(target=_server.serve_forever, name="test-pages", daemon=True).start()
SITE = f"http://127.0.0.1:{_server.server_address[1]}"
ARTICLE_URL = f"{SITE}/kremlin-eu"
MISSING_URL = f"{SITE}/missing"
