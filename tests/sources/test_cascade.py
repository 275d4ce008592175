"""Our extraction on our own tree gives trafilatura's own text, page for page.

The eval pages are real news pages (../shared/eval/extraction): every one of them must come out
as `bare_extraction` on the page's text, with trafilatura parsing it itself, gives it.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
import trafilatura
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement
from trafilatura.settings import Extractor

from sources import cascade
from sources.cascade import EXTRACTION, MIRRORED_VERSION, extract_text
from sources.decode import decode_page
from sources.htmltree import parse_page
from tests.sources.pages import PARAGRAPHS, article_html
from tests.sources.same_text import our_text, trafilatura_text

EXTRACTION_DIR = Path(__file__).resolve().parents[3] / "shared" / "eval" / "extraction"


def _eval_pages() -> dict[str, str]:
    truth = EXTRACTION_DIR / "ground-truth.json"
    if not truth.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the extraction eval pages are missing from {EXTRACTION_DIR}")
        pytest.skip("../shared is absent: the eval pages are not available here")
    pages = {}
    for rid in sorted(json.loads(truth.read_text("utf-8"))):
        body = gzip.decompress((EXTRACTION_DIR / "html" / f"{rid}.html.gz").read_bytes())
        pages[rid] = decode_page(body, None)[0]
    return pages


def test_every_eval_page_gives_trafilaturas_text() -> None:
    pages = _eval_pages()
    assert len(pages) >= 90
    differ = [rid for rid, page in pages.items() if our_text(page) != trafilatura_text(page)]
    assert differ == []
    # The pages do take the mirrored path: parsed by us, cascade without copies.
    assert all(parse_page(p, p.encode("utf-8")) is not None for p in list(pages.values())[:10])


def test_the_parsed_tree_is_html_elements() -> None:
    page = article_html()
    tree = parse_page(page, page.encode())
    assert tree is not None
    assert all(isinstance(e, HtmlElement) for e in tree.iter())
    assert "Peskov" in tree.text_content()  # lxml.html's helpers are there


def test_other_settings_and_versions_go_through_trafilaturas_own_cascade(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = article_html().replace(
        "</article>", '<div class="comments"><p>' + "A reader wrote this. " * 20 + "</p></div>"
    )

    def tree() -> HtmlElement:
        parsed = parse_page(page, page.encode())
        assert parsed is not None
        return parsed

    calls: list[str] = []
    original = cascade._cascade
    monkeypatch.setattr(cascade, "_cascade", lambda *a: calls.append("mirror") or original(*a))
    mirrored = extract_text(tree())
    assert calls == ["mirror"]
    assert mirrored.strip() == trafilatura_text(page)

    for other in (
        Extractor(output_format="python", recall=True, comments=False),
        Extractor(output_format="python", precision=True, comments=True),
    ):
        assert extract_text(tree(), other).strip() == trafilatura_text(page, other)
    monkeypatch.setattr(trafilatura, "__version__", MIRRORED_VERSION + ".post1")
    assert extract_text(tree(), EXTRACTION).strip() == trafilatura_text(page)
    assert calls == ["mirror"]  # neither went through the mirror


# Markup that takes every branch of the cascade: comment sections and lists (pruned on the raw
# tree and again after conversion), infinite-scroll and share containers, boilerplate classes,
# a forum page (schema.org DiscussionForumPosting), and pages short or link-heavy enough for
# the readability comparison or justext to win.
_ATTRIBUTES = [
    "",
    ' class="comments"',
    ' id="comments"',
    ' class="comment-list"',
    ' id="disqus_thread"',
    ' class="infinite-scroll"',
    ' class="elementor-share-buttons"',
    ' class="sidebar"',
    ' class="story-body"',
    ' id="article-text"',
    ' style="display:none"',
    ' role="navigation"',
]
_WRAPPERS = ["div", "section", "article", "aside", "details", "ul", "ol", "main", "p"]
_SENTENCES = [
    PARAGRAPHS[0],
    PARAGRAPHS[1],
    PARAGRAPHS[2],
    "Read more",
    '<a href="/next">Next story about the sanctions and the Kremlin</a>',
    "A reader wrote: this is exactly what the ministers said last week in Brussels.",
]
_FORUM = (
    '<script type="application/ld+json">{"@type": "DiscussionForumPosting", "headline": "x"}'
    "</script>"
)


@st.composite
def _block(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(_WRAPPERS))
    attribute = draw(st.sampled_from(_ATTRIBUTES))
    texts = draw(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=3))
    if tag in ("ul", "ol"):
        inner = "".join(f"<li>{t}</li>" for t in texts)
    elif tag == "p":
        inner = " ".join(texts)
    else:
        inner = "".join(f"<p>{t}</p>" for t in texts)
        if depth < 2 and draw(st.booleans()):
            inner += draw(_block(depth + 1))
    return f"<{tag}{attribute}>{inner}</{tag}>"


@settings(deadline=None, max_examples=120)  # a loaded machine must not fail a property
@given(st.lists(_block(), min_size=1, max_size=6), st.booleans(), st.booleans())
def test_generated_pages_give_trafilaturas_text(
    blocks: list[str], forum: bool, heading: bool
) -> None:
    page = (
        "<!DOCTYPE html>\n<html><head><title>A page</title>"
        + (_FORUM if forum else "")
        + "</head><body>"
        + ("<h1>Moscow and the EU</h1>" if heading else "")
        + "".join(blocks)
        + "</body></html>"
    )
    assert parse_page(page, page.encode()) is not None
    assert our_text(page) == trafilatura_text(page)


def _page(section: str, head: str = "") -> str:
    return (
        f"<html><head>{head}</head><body><article><h1>Moscow and the EU</h1>"
        f"<p>{PARAGRAPHS[0]}</p>{section}<p>{PARAGRAPHS[2]}</p></article></body></html>"
    )


@pytest.mark.parametrize(
    "page",
    [
        # A comment list the raw-tree prune leaves (a disqus id on a list), the converted one takes.
        _page(f'<ul id="disqus_thread"><li>{PARAGRAPHS[1]}</li><li>{PARAGRAPHS[2]}</li></ul>'),
        _page(f'<dl class="comments"><dt>A reader</dt><dd>{PARAGRAPHS[1]}</dd></dl>'),
        # A forum: its posts are content, and the converted tree keeps them.
        _page(f'<ul id="disqus_thread"><li>{PARAGRAPHS[1]}</li></ul>', head=_FORUM),
        _page(f'<div class="comments"><p>{PARAGRAPHS[1]}</p></div>', head=_FORUM),
    ],
    ids=["disqus-list", "comment-dl", "forum-list", "forum-comments"],
)
def test_each_prune_of_the_cascade_gives_trafilaturas_text(page: str) -> None:
    assert our_text(page) == trafilatura_text(page)


@pytest.mark.parametrize(
    "page",
    [
        "<p><div>0",
        "<div><p>" + PARAGRAPHS[1] + "</p><p>" + PARAGRAPHS[2] + "</p></div>",
        "<p>" + PARAGRAPHS[0] + "</p><p>x",
    ],
    ids=["tiny", "div", "paragraphs"],
)
def test_a_fragment_gives_trafilaturas_text(page: str) -> None:
    """A fragment parses to an element inside lxml's document, not its root: readability reads
    it otherwise than the loose copy trafilatura makes, so it keeps trafilatura's copy."""
    tree = parse_page(page, page.encode())
    assert tree is not None and tree.getparent() is not None
    assert our_text(page) == trafilatura_text(page)
