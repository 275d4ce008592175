"""The digest text as the user reads it: grouped by dispute, escaped, split under 4096."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import brief
from digest.compose import (
    MAX_DIGEST_ITEMS,
    DigestItem,
    compose_digest,
    split_paragraphs,
    visible_len,
)
from sources.telegram import MESSAGE_LIMIT_UTF16, utf16_len
from tests.digest.conftest import SEED_TITLE, make_brief, seed_illustration

T0 = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
DAY = date(2026, 11, 27)


class _TagBalance(HTMLParser):
    ALLOWED = frozenset({"b", "a", "i"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ok = True
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ok &= tag in self.ALLOWED
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.ok &= bool(self.stack) and self.stack.pop() == tag

    def handle_data(self, data: str) -> None:
        self.text += data


def valid_telegram_html(message: str) -> bool:
    p = _TagBalance()
    p.feed(message)
    p.close()
    # Telegram's limit applies to the text after it parsed the HTML (what the user sees).
    return p.ok and not p.stack and utf16_len(p.text) <= MESSAGE_LIMIT_UTF16


def item(brief_title: str, minutes: int = 0, **kw: object) -> DigestItem:
    return DigestItem(make_brief(brief_title, **kw), None, T0 - timedelta(minutes=minutes))  # type: ignore[arg-type]


def test_grouped_by_dispute_with_who_said_what() -> None:
    items = [
        DigestItem(seed_illustration(), "https://example.org/seed", T0),
        item(
            "Borrell defends sanctions",
            30,
            parties=("European Union", "Russia"),
            issue="Sanctions over the Navalny case",
            statements=(("Josep Borrell", "EU foreign policy chief", "Dialogue is needed"),),
        ),
        item("Budget talks stall", 60, summary="Ministers failed to agree on the budget."),
    ]
    [message] = compose_digest(items, language="en", local_date=DAY)
    assert message.startswith("<b>Your daily digest · 2026-11-27</b>")
    assert "Briefs: 3 · disputes: 1 · last 24 hours" in message
    # Both Russia/EU briefs sit under one heading, whatever the order of the parties.
    assert message.count("Russia vs European Union") == 1
    assert message.index("Borrell defends sanctions") < message.index("Other news")
    assert "Dmitry Peskov (Kremlin spokesman): “We have repeatedly said" in message
    assert '<a href="https://example.org/seed">' in message
    assert "Ministers failed to agree on the budget." in message
    assert valid_telegram_html(message)


def test_everything_from_briefs_is_escaped() -> None:
    evil = item(
        "<script>alert(1)</script> & co",
        summary="<b>bold</b> claim",
        parties=("A<i>", "B&B"),
        issue="</b> broken",
    )
    [message] = compose_digest([evil], language="en", local_date=DAY)
    assert "<script>" not in message and "&lt;script&gt;" in message
    assert "A&lt;i&gt; vs B&amp;B" in message
    assert valid_telegram_html(message)


def test_empty_is_skipped_unless_asked() -> None:
    assert compose_digest([], language="en", local_date=DAY) == []
    assert compose_digest([], language="de", local_date=DAY, force=True) == [
        "In den letzten 24 Stunden nichts Neues zu Ihren Themen und Feeds."
    ]
    [none] = compose_digest([], language="es", local_date=DAY, force=True, has_subscriptions=False)
    assert none.startswith("Aún no sigue temas")


def test_headings_in_each_language() -> None:
    expected = {
        "en": "Your daily digest",
        "ru": "Ваш дайджест",
        "de": "Ihr Tagesüberblick",
        "fr": "Votre résumé du jour",
        "es": "Su resumen diario",
    }
    for lang, heading in expected.items():
        [m] = compose_digest([item("x" * 20)], language=lang, local_date=DAY)
        assert m.startswith(f"<b>{heading}")
    [m] = compose_digest([item("x" * 20)], language="pt", local_date=DAY)
    assert m.startswith("<b>Your daily digest")


def test_long_digest_is_split_at_paragraphs_and_capped() -> None:
    long_quote = "We reject this. " * 40
    items = [
        item(
            f"Story {i} " + "headline words " * 20,
            i,
            parties=(f"Side {i % 7}", "Other side"),
            issue=f"issue {i % 7}",
            statements=(("Speaker", "role", long_quote),) * 3,
        )
        for i in range(100)
    ]
    messages = compose_digest(items, language="en", local_date=DAY)
    assert len(messages) > 1
    assert all(valid_telegram_html(m) for m in messages)
    joined = "\n\n".join(messages)
    assert joined.count("• ") == MAX_DIGEST_ITEMS
    assert messages[-1].endswith(f"…and {100 - MAX_DIGEST_ITEMS} more briefs on your topics.")
    # No message ends on a group heading: each heading is followed by its first item.
    for m in messages:
        assert not re.search(r"</b>( · [^\n]*)?$", m)


def test_a_digest_that_fits_is_one_message_though_its_markup_is_longer() -> None:
    # 20 briefs with long links: the HTML is well over 4096 characters, the visible text is not.
    items = [
        DigestItem(
            make_brief(f"Story {i}", parties=("A", "B"), issue="talks"),
            "https://news.example/" + "long-path/" * 20 + str(i),
            T0 - timedelta(minutes=i),
        )
        for i in range(MAX_DIGEST_ITEMS)
    ]
    messages = compose_digest(items, language="en", local_date=DAY)
    assert len(messages) == 1
    assert utf16_len(messages[0]) > MESSAGE_LIMIT_UTF16
    assert valid_telegram_html(messages[0])
    assert messages[0].count("• ") == MAX_DIGEST_ITEMS


def test_visible_length_counts_what_telegram_counts() -> None:
    assert visible_len('<b>a &amp; b</b> <a href="https://x.example/?a=1&amp;b=2">𝔘</a>') == 8


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=600), min_size=1, max_size=40))
def test_split_paragraphs_property(paragraphs: list[str]) -> None:
    clean = [p.replace("\n\n", "\n").strip("\n") or "x" for p in paragraphs]
    messages = split_paragraphs(clean, budget=1000)
    assert all(utf16_len(m) <= 1000 for m in messages)
    assert "".join("".join(messages).split()) == "".join("".join(clean).split())


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=300), st.text(max_size=300), st.text(max_size=80)),
        min_size=1,
        max_size=70,
    )
)
def test_any_briefs_give_valid_messages(raw: list[tuple[str, str, str]]) -> None:
    items = [
        item(
            title or "t",
            i,
            summary=summary,
            parties=(party, "X") if party.strip() else (),
            statements=((party or None, None, summary or "q"),),
        )
        for i, (title, summary, party) in enumerate(raw)
    ]
    messages = compose_digest(items, language="ru", local_date=DAY)
    assert messages
    assert all(valid_telegram_html(m) for m in messages)


def test_the_engines_brief_of_the_seed_reads_well(seed_text: str) -> None:
    b = brief(seed_text, title=SEED_TITLE)
    [message] = compose_digest(
        [DigestItem(b, "https://www.urdupoint.com/en/world/x.html", T0)],
        language="en",
        local_date=DAY,
    )
    assert "<b>Russia vs European Union</b>" in message
    assert "Dmitry Peskov (Kremlin spokesman):" in message
    assert "Josep Borrell (EU foreign policy chief):" in message
    assert valid_telegram_html(message)
