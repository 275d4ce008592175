"""Telegram's HTML parsing, link detection and the render tree the page draws."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.tghtml import (
    EntityParseError,
    auto_entities,
    entities_to_tree,
    parse_html,
    trim,
    utf16_len,
)


def test_the_bots_subset_becomes_entities_with_utf16_offsets() -> None:
    text, entities = parse_html(
        '😀 <b>Peskov</b>: <i>"We regret"</i> <a href="https://t.me/worlddesk/1">source</a>\n'
        "<blockquote>quote</blockquote> <code>x&lt;y</code> <pre>p</pre> <u>u</u> <s>s</s> "
        "<tg-spoiler>secret</tg-spoiler> <span class=\"tg-spoiler\">also</span> AT&T &amp; "
        "&#8212;&#x2014; &nbsp;"
    )
    assert text == ('😀 Peskov: "We regret" source\nquote x<y p u s secret also AT&T & '
                    "—— &nbsp;")
    kinds = [(e["type"], e["offset"], e["length"]) for e in entities]
    assert kinds[:3] == [("bold", 3, 6), ("italic", 11, 11), ("text_link", 23, 6)]
    assert entities[2]["url"] == "https://t.me/worlddesk/1"
    assert [e["type"] for e in entities[3:]] == [
        "blockquote", "code", "pre", "underline", "strikethrough", "spoiler", "spoiler"]


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<p>para</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("é <br/>", 'Unsupported start tag "br/" at byte offset 3'),
    ],
)
def test_malformed_markup_fails_like_telegram(source: str, error: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert str(caught.value) == error


@given(st.text(max_size=200))
def test_escaped_text_always_parses_back_to_itself(text: str) -> None:
    assert parse_html(html.escape(text)) == (text, [])


@given(st.text(max_size=60), st.text(max_size=60), st.text(max_size=60))
def test_tree_keeps_every_character_in_order(a: str, b: str, c: str) -> None:
    source = f"{html.escape(a)}<b>{html.escape(b)}<i>{html.escape(c)}</i></b>"
    text, entities = parse_html(source)

    def flatten(nodes: list[object]) -> str:
        return "".join(n if isinstance(n, str) else flatten(n["children"])  # type: ignore[index]
                       for n in nodes)

    assert flatten(entities_to_tree(text, entities)) == text


def test_tree_nests_entities() -> None:
    text, entities = parse_html('<b>bold <a href="https://x.org">link</a></b> tail')
    assert entities_to_tree(text, entities) == [
        {"tag": "b", "children": ["bold ", {"tag": "a", "href": "https://x.org",
                                            "children": ["link"]}]},
        " tail",
    ]


def test_typed_links_and_commands_are_marked_as_a_client_marks_them() -> None:
    text = "/summary see https://example.com/a_(b), www.bbc.co.uk and dw.com/x. Not e.g. this."
    found = [(e["type"], text[e["offset"]: e["offset"] + e["length"]])
             for e in auto_entities(text)]
    assert found == [("bot_command", "/summary"), ("url", "https://example.com/a_(b)"),
                     ("url", "www.bbc.co.uk"), ("url", "dw.com/x")]
    assert utf16_len("😀") == 2
    assert auto_entities("😀 https://a.org")[0]["offset"] == 3


def test_trimming_moves_and_clips_entities_as_telegram_does() -> None:
    text, entities = parse_html("\n <b> 😀 Brief</b> \n")
    assert trim(text, entities) == ("😀 Brief", [{"type": "bold", "offset": 0, "length": 8}])
    assert trim("   ", [{"type": "bold", "offset": 0, "length": 3}]) == ("", [])
