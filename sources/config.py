"""Configuration of the fetching layer read from the environment, and every limit in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping

# Comma-separated host names or networks (127.0.0.1, localhost, 10.0.0.0/8) that may be fetched
# although they are private. For tests and local use only; empty by default.
ALLOW_PRIVATE_HOSTS_ENV = "BRIEFBOT_ALLOW_PRIVATE_HOSTS"

# Body of a response, counted after decompression: bytes.
MAX_BODY_BYTES = 5 * 1024 * 1024
# Redirects followed before giving up: hops.
MAX_REDIRECTS = 3
# Time to open a TCP (and TLS) connection: seconds.
CONNECT_TIMEOUT_S = 5.0
# Longest silence between two reads of the body: seconds.
READ_TIMEOUT_S = 10.0
# Everything for one URL (waiting for a slot, DNS, every redirect, the whole body): seconds.
FETCH_DEADLINE_S = 15.0
# Requests in flight to one host at a time, from this process: requests.
MAX_PER_HOST = 4
# Connections kept by the client, all hosts together: connections.
MAX_CONNECTIONS = 64
# Idle connections kept open for the next request to the same site: connections.
MAX_KEEPALIVE_CONNECTIONS = 16
# A fetched article is reused for this long when the same URL comes again: seconds.
ARTICLE_CACHE_TTL_S = 300.0
# Articles kept in that cache (each up to MAX_TEXT_CHARS): entries.
ARTICLE_CACHE_ENTRIES = 128
# Ports reachable without an allow-list entry.
DEFAULT_PORTS = frozenset({80, 443})
# PDF pages read: pages. (The body cap bounds the file itself.)
MAX_PDF_PAGES = 60
# Extracted text kept, longer text is cut (the engine cuts at 200k anyway): characters.
MAX_TEXT_CHARS = 200_000
# An extracted article shorter than this is a teaser, a paywall or a script-only page: characters.
MIN_ARTICLE_CHARS = 200

USER_AGENT = "Briefbot/0.1 (+link briefs for Telegram)"


def parse_allow_list(value: str) -> tuple[str, ...]:
    """Split the comma-separated setting into trimmed, non-empty entries."""
    return tuple(part.strip() for part in value.split(",") if part.strip())


def allowed_private_hosts_from_env(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The entries of BRIEFBOT_ALLOW_PRIVATE_HOSTS (empty when unset)."""
    env = os.environ if environ is None else environ
    return parse_allow_list(env.get(ALLOW_PRIVATE_HOSTS_ENV, ""))


# A post's own text shorter than this is not briefed in place of an unreadable link: characters.
MIN_FALLBACK_CHARS = 120
