"""Errors crossing the engine's process boundary keep what the bot needs to answer with."""

from __future__ import annotations

import pickle

import pytest

from bot.offload import Refused, extract, unwrap
from sources.fetch import Fetched
from sources.model import FetchError


def test_a_refusal_in_a_worker_keeps_its_reason_and_values() -> None:
    picture = Fetched(
        url="https://example.org/a.png",
        status=200,
        content_type="image/png",
        charset=None,
        body=b"\x89PNG\r\n",
    )
    refused = extract(picture)
    assert isinstance(refused, Refused)
    back = pickle.loads(pickle.dumps(refused))  # noqa: S301 (our own bytes, as from the pool)
    with pytest.raises(FetchError) as caught:
        unwrap(back)
    error = caught.value
    assert (error.code, error.reason, error.params) == (
        "unsupported_type",
        "unsupported_image",
        {"type": "image/png"},
    )
    assert str(error).startswith("That link leads to a picture (image/png)")


def test_a_too_short_page_says_why_across_the_boundary() -> None:
    page = (
        b"<html><head><title>t</title></head><body><p>Subscribe to continue reading.</p>"
        b"<div class='paywall'></div></body></html>"
    )
    fetched = Fetched(
        url="https://example.org/a",
        status=200,
        content_type="text/html",
        charset="utf-8",
        body=page,
    )
    with pytest.raises(FetchError) as caught:
        unwrap(pickle.loads(pickle.dumps(extract(fetched))))  # noqa: S301 (our own bytes)
    assert (caught.value.code, caught.value.reason) == ("too_short", "short_paywall")
