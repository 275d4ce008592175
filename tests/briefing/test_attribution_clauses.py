"""Speakers behind relative clauses, acronyms and inverted subjects; separable cues' clauses."""

from __future__ import annotations

import pytest

from briefing.attribution import extract_statements
from briefing.model import Statement


def by_quote(statements: list[Statement], words: str) -> Statement | None:
    return next((s for s in statements if words in s.quote), None)


@pytest.mark.parametrize(
    ("lang", "text", "speaker", "content"),
    [
        (
            "de",
            "Brian Baptie von der Erdbebenwarte, die die Stärke des Bebens zunächst mit 5,1 "
            "angegeben hatte, sagte, dass mit solchen Beben alle zehn Jahre zu rechnen sei.",
            "Brian Baptie",
            "alle zehn Jahre zu rechnen sei",
        ),
        (
            "en",
            "Maria Lopez, who had warned of the risk for years, said the port would close on "
            "Friday.",
            "Maria Lopez",
            "the port would close on Friday",
        ),
        (
            "ru",
            "Игорь Смирнов, который ранее предупреждал о рисках, заявил, что порт закроется в "
            "пятницу.",
            "Игорь Смирнов",
            "порт закроется в пятницу",
        ),
    ],
)
def test_a_relative_clause_between_subject_and_cue(
    lang: str, text: str, speaker: str, content: str
) -> None:
    st = by_quote(extract_statements(text, lang), content)
    assert st is not None
    assert st.speaker == speaker
    assert st.role is None or "warn" not in st.role


def test_an_apposition_opened_by_an_article_is_still_a_role() -> None:
    text = "Andreas Vogt, der Bürgermeister von Kassel, sagte am Montag, die Brücke werde saniert."
    st = by_quote(extract_statements(text, "de"), "Brücke werde saniert")
    assert st is not None
    assert st.speaker == "Andreas Vogt"
    assert st.role is not None and "Bürgermeister" in st.role


@pytest.mark.parametrize(
    ("lang", "text", "speaker"),
    [
        ("de", "Das Beben erreichte eine Stärke von 7,4, teilte der USGS in Denver mit.", "USGS"),
        ("en", "The quake reached a magnitude of 7.4, the USGS said on Monday.", "USGS"),
        ("ru", "Сила землетрясения составила 7,4 балла, сообщили в МЧС.", "МЧС"),
    ],
)
def test_an_acronym_after_the_cue_is_an_organisation(lang: str, text: str, speaker: str) -> None:
    st = by_quote(extract_statements(text, lang), "7")
    assert st is not None
    assert st.speaker is not None and speaker in st.speaker


def test_so_and_any_noun_phrase_closing_the_sentence() -> None:
    text = "Auch viele Händler befänden sich unter den Opfern, so der UN-Mitarbeiter."
    st = by_quote(extract_statements(text, "de"), "Händler befänden sich")
    assert st is not None
    assert st.speaker == "UN-Mitarbeiter"


def test_a_separable_cue_reports_the_clause_after_its_particle() -> None:
    text = "Die Beobachter wiesen auf die Zahlen hin, die Angriffe hätten zuletzt abgenommen."
    st = by_quote(extract_statements(text, "de"), "Angriffe")
    assert st is not None
    assert st.quote.startswith("die Angriffe hätten")
    text = "Die Gewerkschaft kündigte am Montag weitere Streiks an."
    st = by_quote(extract_statements(text, "de"), "Streiks")
    assert st is not None  # with no clause after the particle, the object is what was said
