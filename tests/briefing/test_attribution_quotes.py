"""Direct quotes in every common style, in English, German, Russian, French and Spanish."""

from __future__ import annotations

import pytest

from briefing.attribution import extract_statements
from briefing.model import Statement


def direct(text: str, lang: str) -> list[Statement]:
    return [s for s in extract_statements(text, lang) if s.kind == "direct"]


@pytest.mark.parametrize(
    ("lang", "text", "quote", "speaker"),
    [
        # curly English quotes, speaker after: "…," X said
        (
            "en",
            "“We will not give up the port,” Mayor Anna Lind said on Monday.",
            "We will not give up the port",
            "Anna Lind",
        ),
        # straight quotes, inverted: "…," said X
        (
            "en",
            '"The talks have failed again," said Foreign Minister Omar Haddad.',
            "The talks have failed again",
            "Omar Haddad",
        ),
        # single curly quotes, apostrophes inside are not closing marks
        (
            "en",
            "‘The city’s budget can’t carry this,’ Councillor Mary Byrne told reporters.",
            "The city’s budget can’t carry this",
            "Mary Byrne",
        ),
        # speaker before with a colon
        (
            "en",
            'Senator Paul Wexler said: "This bill is dead on arrival."',
            "This bill is dead on arrival",
            "Paul Wexler",
        ),
        # German „…“ with "sagte X"
        (
            "de",
            "„Wir werden die Fabrik nicht schließen“, sagte Konzernchef Martin Weber.",
            "Wir werden die Fabrik nicht schließen",
            "Martin Weber",
        ),
        # German ‚…‘ and the ", so X" inversion
        (
            "de",
            "‚Das Gesetz kommt zu spät‘, so die Ministerin Petra Lang.",
            "Das Gesetz kommt zu spät",
            "Petra Lang",
        ),
        # German »…« with the speaker before
        (
            "de",
            "Der Sprecher Jan Vogel erklärte: »Die Grenze bleibt offen.«",
            "Die Grenze bleibt offen.",
            "Jan Vogel",
        ),
        # Russian «…», — заявил X
        (
            "ru",
            "«Мы не планируем повышать налоги», — заявил министр финансов Игорь Смирнов.",
            "Мы не планируем повышать налоги",
            "Игорь Смирнов",
        ),
        # Russian dialogue dash
        (
            "ru",
            "— Переговоры будут продолжены, — сказал посол Андрей Козлов.",
            "Переговоры будут продолжены",
            "Андрей Козлов",
        ),
        # French « … » with spaces
        (
            "fr",
            "« Nous refusons cet accord », a déclaré le ministre Paul Girard.",
            "Nous refusons cet accord",
            "Paul Girard",
        ),
        # Spanish «…» with dijo
        (
            "es",
            "«No aceptaremos estas condiciones», dijo la ministra Elena Ruiz.",
            "No aceptaremos estas condiciones",
            "Elena Ruiz",
        ),
    ],
)
def test_quote_style(lang: str, text: str, quote: str, speaker: str) -> None:
    found = direct(text, lang)
    assert [s.quote.rstrip(".") for s in found] == [quote.rstrip(".")]
    assert found[0].speaker == speaker


@pytest.mark.parametrize(
    ("lang", "text", "parts", "speaker"),
    [
        (
            "en",
            '"We regret this," Peter Novak said, "but we will not change course."',
            ("We regret this", "but we will not change course"),
            "Peter Novak",
        ),
        (
            "de",
            "„Wir bedauern das“, sagte Eva Brandt, „aber wir bleiben dabei.“",
            ("Wir bedauern das", "aber wir bleiben dabei"),
            "Eva Brandt",
        ),
        (
            "ru",
            "«Мы сожалеем», — сказал Олег Петров, — «но решение принято».",
            ("Мы сожалеем", "но решение принято"),
            "Олег Петров",
        ),
    ],
)
def test_quote_split_by_attribution_is_one_statement(
    lang: str, text: str, parts: tuple[str, str], speaker: str
) -> None:
    found = direct(text, lang)
    assert len(found) == 1
    assert parts[0] in found[0].quote and parts[1] in found[0].quote
    assert found[0].speaker == speaker


def test_quote_over_two_paragraphs_is_one_statement() -> None:
    text = (
        "Union leader Kate Moss spoke after the vote.\n\n"
        "“The members have spoken clearly. We will strike on Monday.\n\n"
        "“Nobody wants this, but the offer was an insult,” Moss said."
    )
    found = direct(text, "en")
    assert len(found) == 1
    assert "We will strike on Monday" in found[0].quote
    assert "the offer was an insult" in found[0].quote
    assert found[0].speaker == "Kate Moss"


def test_partial_quote_inside_reported_speech_gets_its_speaker() -> None:
    text = "Der Staatsanwalt Klaus Berg sagte, der Täter habe „kaltblütig und geplant“ gehandelt."
    found = direct(text, "de")
    assert [s.quote for s in found] == ["kaltblütig und geplant"]
    assert found[0].speaker == "Klaus Berg"


def test_names_in_quotation_marks_are_not_quotes() -> None:
    text = "Акции «Газпром Нефть» выросли на бирже, сообщает агентство."
    assert direct(text, "ru") == []


def test_unknown_speaker_is_null_not_guessed() -> None:
    text = (
        "The report ended there.\n\n“Nobody in this town will ever forget the night of the fire.”"
    )
    found = direct(text, "en")
    assert len(found) == 1
    assert found[0].speaker is None
