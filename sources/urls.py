"""URL checks done before any network work, and the key under which a page is cached."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import httpx

from sources.model import FetchError

# Query parameters that only track the click; dropped from the cache key so the same article
# shared from two places is fetched once.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "igshid", "ref_src"})
_DEFAULT_PORT = {"http": 80, "https": 443}
# A URL longer than this is refused: characters.
MAX_URL_CHARS = 4096


def check_url(url: str | httpx.URL) -> httpx.URL:
    """Parse a URL a user sent; refuse what is not an http(s) link to a named host.
    A URL parsed already is checked again without parsing it twice."""
    if isinstance(url, httpx.URL):
        parsed = url
    else:
        url = url.strip()
        if len(url) > MAX_URL_CHARS:
            raise FetchError(
                "That link is too long to be a web address.", code="bad_url", reason="url_too_long"
            )
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise FetchError(
                "That does not look like a web link.", code="bad_url", reason="not_a_link"
            ) from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchError("I only open http and https links.", code="bad_url", reason="not_http")
    if not parsed.host:
        raise FetchError("That link has no site name in it.", code="bad_url", reason="no_host")
    if parsed.userinfo:
        raise FetchError(
            "I do not open links that carry a user name or password.",
            code="bad_url",
            reason="credentials",
        )
    return parsed


def cache_key(url: httpx.URL) -> str:
    """The same page written differently (case of the host, default port, fragment,
    tracking parameters) gets the same key."""
    # String work on httpx's normalised form (no userinfo: `check_url` refuses it), so "?" and
    # "#" can only start the query and the fragment; parsing the URL again would cost as much
    # as the rest of a cache lookup.
    if url.port is not None and url.port == _DEFAULT_PORT.get(url.scheme):
        url = url.copy_with(fragment=None)  # "HTTP://host:80/": httpx keeps the port until then
    head = str(url).partition("#")[0].partition("?")[0]
    if not url.query:
        return head
    params = [
        (k, v)
        for k, v in parse_qsl(url.query.decode("ascii", "replace"), keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")
    ]
    query = urlencode(params)
    return f"{head}?{query}" if query else head


def same_site(a: str, b: str) -> bool:
    """Whether two host names belong to the same site, ignoring www./m./amp. prefixes."""

    def bare(host: str) -> str:
        host = host.lower().rstrip(".")
        for prefix in ("www.", "m.", "amp.", "mobile."):
            host = host.removeprefix(prefix)
        return host

    return bool(a) and bare(a) == bare(b)
