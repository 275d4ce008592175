"""The splitter: every chunk fits a Telegram message, is valid HTML, and the chunks rejoin to the
input; cuts prefer paragraph boundaries."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.split import MESSAGE_LIMIT, split_html
from sources.telegram import utf16_len
from tests.bot.support import telegram_html_error, visible

# Text as users and articles bring it: any script, emoji (two UTF-16 units), markup characters.
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=100,
)
_inline = st.one_of(
    _text.map(lambda t: html.escape(t, quote=False)),
    _text.map(lambda t: f"<b>{html.escape(t, quote=False)}</b>"),
    st.tuples(_text, _text).map(
        lambda p: f'<a href="https://t.me/{html.escape(p[0])}">{html.escape(p[1], quote=False)}</a>'
    ),
)
_paragraph = st.lists(_inline, min_size=1, max_size=30).map("".join)
_document = st.lists(_paragraph, min_size=1, max_size=40).map("\n\n".join)


@settings(max_examples=150, deadline=None)
@given(_document)
def test_chunks_fit_are_valid_and_rejoin(document: str) -> None:
    # Every element here is shorter than a message, so no cut is ever made inside one.
    chunks = split_html(document)
    assert all(utf16_len(chunk) <= MESSAGE_LIMIT for chunk in chunks)
    assert all(telegram_html_error(chunk) is None for chunk in chunks)
    assert "".join(chunks) == document


@settings(max_examples=150, deadline=None)
@given(_document, st.sampled_from([500, 64]))
def test_small_limits_keep_every_visible_character(document: str, limit: int) -> None:
    # Elements longer than the limit are cut inside, closing and reopening their tags: what the
    # user reads is still the whole input, in order.
    chunks = split_html(document, limit)
    assert all(utf16_len(chunk) <= limit for chunk in chunks)
    assert all(telegram_html_error(chunk) is None for chunk in chunks)
    assert "".join(visible(chunk) for chunk in chunks) == visible(document)


@settings(max_examples=100, deadline=None)
@given(st.lists(_text.filter(lambda t: t.strip()), min_size=1, max_size=5), st.integers(100, 2000))
def test_a_single_element_longer_than_a_message_is_closed_and_reopened(
    words: list[str], limit: int
) -> None:
    inner = html.escape(" ".join(words) * 20, quote=False)
    document = f"<b>{inner}</b>"
    chunks = split_html(document, limit)
    assert all(utf16_len(chunk) <= limit for chunk in chunks)
    assert all(telegram_html_error(chunk) is None for chunk in chunks)
    rejoined = "".join(chunks).replace("</b><b>", "")
    assert rejoined == document


def test_cuts_at_paragraph_boundaries_first() -> None:
    paragraphs = [f"<b>Part {n}</b> " + "word " * 150 for n in range(20)]
    document = "\n\n".join(p.strip() for p in paragraphs)
    chunks = split_html(document)
    assert len(chunks) > 1
    for chunk in chunks[:-1]:
        assert chunk.endswith("\n\n")
    for chunk in chunks:
        assert chunk.startswith("<b>Part ")


def test_short_text_is_one_chunk() -> None:
    assert split_html("<b>Hi</b> &amp; bye") == ["<b>Hi</b> &amp; bye"]


def test_entities_and_tags_are_never_cut() -> None:
    document = ("&amp;" * 30 + "<i>x</i>") * 40
    for chunk in split_html(document, 100):
        assert telegram_html_error(chunk) is None
