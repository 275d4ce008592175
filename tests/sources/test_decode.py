"""Decompression within the cap, and decoding that never raises whatever the charset."""

from __future__ import annotations

import gzip
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.decode import BoundedDecoder, decode_text
from sources.model import FetchError


def _feed(decoder: BoundedDecoder, data: bytes, chunk: int) -> bytes:
    for i in range(0, len(data), chunk):
        decoder.feed(data[i : i + chunk])
    return decoder.finish()


@settings(deadline=None)  # a loaded machine must not fail a property
@given(
    st.binary(max_size=20_000),
    st.integers(min_value=1, max_value=4096),
    st.sampled_from(["gzip", "deflate", "identity", None]),
)
def test_round_trip_in_any_chunking(data: bytes, chunk: int, coding: str | None) -> None:
    encoded = {"gzip": gzip.compress, "deflate": zlib.compress}.get(coding or "", lambda b: b)(data)
    assert _feed(BoundedDecoder(coding, 1_000_000), encoded, chunk) == data


def test_the_cap_counts_decompressed_bytes() -> None:
    bomb = gzip.compress(b"a" * 2_000_000)
    with pytest.raises(FetchError) as caught:
        _feed(BoundedDecoder("gzip", 1_000_000), bomb, 1024)
    assert caught.value.code == "too_large"
    assert _feed(BoundedDecoder("gzip", 2_000_000), bomb, 1024) == b"a" * 2_000_000


def test_cyrillic_page_with_a_wrong_declared_charset() -> None:
    text = "Москва ищет пути улучшения отношений с Евросоюзом, заявил Песков. " * 20
    page = f"<html><head></head><body><p>{text}</p></body></html>".encode("cp1251")
    assert text in decode_text(page, "utf-8")


def test_meta_charset_is_used_when_the_header_has_none() -> None:
    page = '<html><head><meta charset="koi8-r"></head><body>Привет, мир</body></html>'
    assert "Привет, мир" in decode_text(page.encode("koi8-r"), None)


def test_latin1_label_means_windows_1252() -> None:
    assert decode_text("\u201cquoted\u201d caf\u00e9".encode("cp1252"), "ISO-8859-1") == (
        "\u201cquoted\u201d caf\u00e9"
    )


def test_missing_charset_is_sniffed() -> None:
    text = "Le ministre a déclaré que la réunion était très productive et sérieuse. " * 10
    assert text.strip() in decode_text(text.encode("cp1252"), None, html=False)


def test_byte_order_marks_win() -> None:
    assert decode_text("\ufeffhello".encode("utf-16-le"), "iso-8859-1") == "hello"
    assert decode_text(b"\xef\xbb\xbfhi", None) == "hi"


@settings(deadline=None)  # a loaded machine must not fail a property
@given(
    st.binary(max_size=3000),
    st.one_of(
        st.none(),
        st.text(max_size=20),
        st.sampled_from(
            ["utf-8", "bogus", "utf-16", "base64", "rot13", "undefined", "zlib", "utf-7"]
        ),
    ),
)
def test_any_bytes_with_any_label_decode(body: bytes, label: str | None) -> None:
    assert isinstance(decode_text(body, label), str)
