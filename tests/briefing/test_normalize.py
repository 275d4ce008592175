from hypothesis import given
from hypothesis import strategies as st

from briefing.normalize import clean_unicode, is_meta_line, normalize, strip_prefix


def test_unicode_is_cleaned_but_typographic_quotes_stay() -> None:
    raw = "He\u00a0said \u201cno\u201d \u00abnon\u00bb \u201eNein\u201c"
    raw += " \ufb01ne\u200b text\u00ad.\r\nNext"
    assert (
        clean_unicode(raw)
        == "He said \u201cno\u201d \u00abnon\u00bb \u201eNein\u201c fine text.\nNext"
    )


def test_paragraphs_are_kept_and_whitespace_collapsed() -> None:
    text = (
        "First   paragraph here.\n\n\n  Second one,\nwrapped across lines.\nThird line starts anew."
    )
    result = normalize(text)
    assert result.paragraphs == (
        "First paragraph here.",
        "Second one, wrapped across lines.",
        "Third line starts anew.",
    )
    assert result.text == "\n\n".join(result.paragraphs)


def test_header_byline_and_headline_of_the_seed_are_removed(seed_text: str) -> None:
    result = normalize(seed_text)
    assert result.title == (
        "Moscow Looks For Ways To Improve Relations With EU Despite Differences - Kremlin"
    )
    assert "UrduPoint.com" not in result.text
    assert "@ChaudhryMAli88" not in result.text
    assert "Sputnik - 10th February" not in result.text
    assert result.text.startswith("Moscow is looking for ways to normalize relations")


def test_a_given_title_wins_over_the_detected_headline(seed_text: str) -> None:
    assert normalize(seed_text, title="Kremlin on EU").title == "Kremlin on EU"


def test_meta_lines() -> None:
    assert is_meta_line("date 2021-02-10 UrduPoint.com")
    assert is_meta_line(
        "Mohammad Ali (@ChaudhryMAli88) 12 seconds ago Wed 10th February 2021 | 03:20 PM"
    )
    assert is_meta_line("By John Smith and Jane Doe")
    assert is_meta_line("Published: 10:03 EST, 5 March 2015 | Updated: 12:00 EST, 5 March 2015")
    assert is_meta_line("Advertisement")
    # Article sentences are never furniture, even when they name a day and a date.
    assert not is_meta_line("The vote is on Monday, February 22.")
    assert not is_meta_line("Moscow is looking for ways to normalize relations with the EU.")


def test_agency_prefixes_are_cut_and_the_sentence_kept() -> None:
    cases = {
        "MOSCOW (UrduPoint News / Sputnik - 10th February, 2021) Moscow looks.": "Moscow looks.",
        "WASHINGTON (CNN) -- There is no hope.": "There is no hope.",
        "(CNN)Seventy years ago, Anne Frank died.": "Seventy years ago, Anne Frank died.",
        "BERLIN (dpa) - Die Regierung plant.": "Die Regierung plant.",
        "(AFP) - Le gouvernement a dit.": "Le gouvernement a dit.",
        "MADRID, 3 Mar. (EUROPA PRESS) - El Gobierno ha dicho.": "El Gobierno ha dicho.",
        "москва, 1 дек — риа новости. Президент России заявил.": "Президент России заявил.",
        "МОСКВА, 10 фев - РИА Новости. Кремль заявил.": "Кремль заявил.",
        "LONDON, England (Reuters) -- Harry Potter star.": "Harry Potter star.",
    }
    for raw, expected in cases.items():
        assert strip_prefix(raw) == expected, raw


def test_text_that_only_looks_like_a_prefix_is_kept() -> None:
    for text in (
        "Apple (AAPL) shares rose on Monday.",
        "The United Nations (UN) said it would help.",
        "Paris is the capital of France.",
    ):
        assert strip_prefix(text) == text


def test_a_photo_credit_and_its_caption_are_cut() -> None:
    text = (
        "Le défenseur célèbre sa victoire. CARL RECINE / REUTERS Liverpool au sommet de l’Europe."
    )
    assert strip_prefix(text) == "Liverpool au sommet de l’Europe."


@given(st.text())
def test_normalize_never_raises(text: str) -> None:
    result = normalize(text)
    assert "\r" not in result.text
    assert all(p.strip() == p and p for p in result.paragraphs)


def test_a_dateline_after_a_photo_caption_is_cut() -> None:
    text = (
        "Ministers arrive for the summit in Brussels on Monday.\n\n"
        "BRUSSELS (Reuters) - European Union ministers agreed on new sanctions on Monday."
    )
    assert normalize(text).paragraphs[1] == (
        "European Union ministers agreed on new sanctions on Monday."
    )


def test_wire_credits_and_copyright_lines_are_furniture() -> None:
    assert is_meta_line("Reporting by Andrew Osborn; Editing by Gareth Jones")
    assert is_meta_line("© 2021 Thomson Reuters. All rights reserved.")
    assert not is_meta_line("Reporters were told that the talks had failed.")
