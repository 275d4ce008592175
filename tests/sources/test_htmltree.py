"""One parse for metadata and extraction: the same text and fields as reading the page twice."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.decode import decode_page, decode_text
from sources.htmltree import parse_page
from sources.metadata import PageMeta, read_meta, read_meta_tree
from tests.sources.pages import PARAGRAPHS, article_html
from tests.sources.same_text import our_text, trafilatura_text

XHTML_DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
PIXEL = '<img height="1" width="1" src="https://pixel.example/tr?id=1">'


def _same_as_trafilatura(page: str) -> None:
    """Our one parse (or trafilatura's loading, for a page we leave to it) and our call of
    trafilatura without its copy of the tree give trafilatura's own text."""
    assert our_text(page) == trafilatura_text(page)


@pytest.mark.parametrize(
    "page",
    [
        article_html(),
        XHTML_DOCTYPE + "\n" + article_html().split("\n", 1)[1],
        XHTML_DOCTYPE + article_html().split("\n", 1)[1].replace("\n", " "),
        article_html().replace("Kremlin spokesman", "Kremlin\x0b spokesman\x01"),
        article_html().replace("Borrell said", "Borrell\ufffe said"),
        article_html().replace('<html lang="en">', '<html lang="en"/>'),
        "<p>" + PARAGRAPHS[0] + "</p>",
        "<div>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div>",
        "",
    ],
    ids=[
        "plain",
        "xhtml-doctype",
        "one-line",
        "control-chars",
        "noncharacter",
        "self-closing-html",
        "fragment",
        "div-fragment",
        "empty",
    ],
)
def test_the_shared_tree_gives_trafilaturas_text(page: str) -> None:
    _same_as_trafilatura(page)


def test_pages_trafilatura_repairs_are_left_to_it() -> None:
    for page in (
        article_html().replace("Kremlin spokesman", "Kremlin\x0b spokesman"),
        article_html().replace('<html lang="en">', '<html lang="en"/>'),
    ):
        assert parse_page(page, page.encode()) is None
    assert parse_page(article_html(), article_html().encode()) is not None


_TAG = st.sampled_from(
    ["<p>", "</p>", "<div>", "</div>", "<html>", "<head>", "</head>", "<body>", "<title>", "<br/>"]
)


@settings(deadline=None, max_examples=60)  # a loaded machine must not fail a property
@given(st.lists(st.one_of(_TAG, st.text(max_size=40)), max_size=30))
def test_any_markup_gives_trafilaturas_text(parts: list[str]) -> None:
    _same_as_trafilatura("".join(parts))


def _spilled(page: str) -> str:
    # A tracking pixel in the head: libxml2 ends the head there and puts the rest in the body.
    return page.replace("<title>", PIXEL + "\n<title>", 1)


@pytest.mark.parametrize(
    "page",
    [
        article_html(),
        _spilled(article_html()),
        _spilled(article_html()).replace("\n", " "),
        _spilled(article_html()).replace("</head><body>", "</head>\n<body>"),
        article_html().replace("</head>", '<script>var h = "</head>";</script></head>', 1),
        article_html().replace("</head>", "").replace("<body>", ""),
        article_html(canonical=None).replace("<title>", "<meta name=x content=y><title>"),
        article_html().replace("</body>", '<meta name="author" content="Someone Else"></body>'),
    ],
    ids=[
        "plain",
        "spilled",
        "spilled-one-line",
        "spilled-body-next-line",
        "head-end-in-script",
        "no-head-end",
        "no-canonical",
        "meta-in-body",
    ],
)
def test_metadata_from_the_tree_is_metadata_from_the_text(page: str) -> None:
    tree = parse_page(page, page.encode())
    assert tree is not None
    from_tree = read_meta_tree(tree, page)
    assert (from_tree or read_meta(page)) == read_meta(page)


def test_a_spilled_head_is_read_from_the_tree() -> None:
    page = _spilled(article_html())
    tree = parse_page(page, page.encode())
    assert tree is not None
    assert tree.find("body/meta") is not None  # the head was indeed cut short
    assert read_meta_tree(tree, page) == PageMeta(
        title="Moscow looks for ways to improve relations with EU despite differences",
        site="World Desk",
        author="Jane Reporter",
        date="2021-02-10",
        canonical="/news/moscow-eu",
    )


def test_decode_page_gives_the_text_and_its_utf8() -> None:
    body = article_html().encode("utf-8")
    text, utf8 = decode_page(body, "utf-8")
    assert utf8 is body and text == decode_text(body, "utf-8")
    text, utf8 = decode_page(b"\xef\xbb\xbf" + body, None)
    assert utf8 == body and text == decode_text(body)
    latin = article_html(charset_meta="windows-1252").replace("EU", "EU caf\u00e9")
    text, utf8 = decode_page(latin.encode("cp1252"), None)
    assert "caf\u00e9" in text and utf8 == text.encode("utf-8")
    text, utf8 = decode_page(b"<p>caf\xe9 \xff</p>", "utf-8")
    assert utf8 == text.encode("utf-8") and text == decode_text(b"<p>caf\xe9 \xff</p>", "utf-8")
