"""Attribution and dispute extraction never raise on arbitrary text, and keep their promises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.attribution import extract_statements
from briefing.attribution.shaping import MAX_STATEMENT_WORDS
from briefing.disputes import extract_dispute

MARKS = st.sampled_from([*"\"'“”„‚‘’«»‹›—–\n ,.:;", "said", "sagte", "заявил", " X "])
TEXT = st.lists(st.one_of(st.text(max_size=12), MARKS), max_size=60).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXT, st.sampled_from(["en", "de", "ru", "fr", "es", "it"]))
def test_never_raises_and_statements_are_short(text: str, lang: str) -> None:
    statements = extract_statements(text, lang)
    for s in statements:
        assert s.quote.strip()
        assert len(s.quote.split()) <= MAX_STATEMENT_WORDS + 2
    dispute, sided = extract_dispute(text, lang, statements)
    assert len(sided) == len(statements)
    if dispute is not None:
        assert 1 <= len(dispute.parties) <= 2
        assert dispute.stance in ("conflict", "cooperation")
