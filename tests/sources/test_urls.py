"""Cache keys: one key per page however its URL is written, computed without re-parsing."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.model import FetchError
from sources.urls import TRACKING_PARAMS, cache_key, check_url


def _reference_key(url: httpx.URL) -> str:
    """The key by the book: httpx rebuilds the URL without fragment and tracking parameters."""
    params = [
        (k, v)
        for k, v in parse_qsl(url.query.decode("ascii", "replace"), keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")
    ]
    return str(url.copy_with(fragment=None, query=urlencode(params).encode("ascii") or None))


@settings(deadline=None, max_examples=300)  # a loaded machine must not fail a property
@given(
    st.sampled_from(["http", "HTTP", "https", "HttpS"]),
    st.sampled_from(["news.example", "News.EXAMPLE", "[2001:db8::1]", "bücher.example", "1.2.3.4"]),
    st.sampled_from(["", ":80", ":443", ":8080", ":080"]),
    st.text(alphabet="/ab%20?#=&+;é_", max_size=24),
)
def test_cache_key_is_the_key_httpx_would_build(
    scheme: str, host: str, port: str, rest: str
) -> None:
    try:
        url = check_url(f"{scheme}://{host}{port}/{rest}")
    except FetchError:  # a URL the generator made invalid: not this test's subject
        return
    assert cache_key(url) == _reference_key(url)


def test_one_page_written_many_ways_has_one_key() -> None:
    keys = {
        cache_key(check_url(u))
        for u in (
            "https://news.example/a?id=3",
            "HTTPS://News.Example:443/a?id=3#comments",
            "https://news.example/a?utm_source=tg&id=3&fbclid=xyz",
        )
    }
    assert keys == {"https://news.example/a?id=3"}
    assert cache_key(check_url("https://news.example/a?id=4")) != keys.pop()


def test_a_parsed_url_is_checked_again() -> None:
    with pytest.raises(FetchError, match="http and https"):
        check_url(httpx.URL("ftp://news.example/file"))
    with pytest.raises(FetchError, match="user name"):
        check_url(httpx.URL("https://user:pw@news.example/"))
