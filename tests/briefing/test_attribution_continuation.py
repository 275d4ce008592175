"""Reported speech continued without a cue (German Konjunktiv I) and names with particles."""

from __future__ import annotations

import pytest

from briefing.attribution import extract_statements
from briefing.model import Statement


def by_quote(statements: list[Statement], words: str) -> Statement | None:
    return next((s for s in statements if words in s.quote), None)


def test_konjunktiv_after_a_sentence_of_narration_is_the_last_speakers() -> None:
    text = (
        "Der Gewerkschaftschef Peter Brandt sagte am Montag, die Löhne müssten steigen. "
        "Die Gewerkschaft hat rund 80.000 Mitglieder. "
        "Die Arbeitgeber hätten die Zahlen seit Jahren geschönt."
    )
    st = by_quote(extract_statements(text, "de"), "Arbeitgeber hätten")
    assert st is None  # Konjunktiv II alone is no reported speech after narration
    text = text.replace("hätten die Zahlen", "habe die Zahlen").replace(
        "Die Arbeitgeber", "Der Arbeitgeberverband"
    )
    st = by_quote(extract_statements(text, "de"), "Arbeitgeberverband habe")
    assert st is not None
    assert st.speaker == "Peter Brandt"
    assert st.kind == "indirect"


def test_konjunktiv_far_from_any_statement_is_not_attributed() -> None:
    text = (
        "Der Minister Karl Weber sagte, der Haushalt sei ausgeglichen. "
        "Das Parlament tagt am Dienstag. Die Sitzung beginnt um neun Uhr. "
        "Danach folgt eine Pause. Der Bericht sei vollständig."
    )
    assert by_quote(extract_statements(text, "de"), "Bericht sei") is None


@pytest.mark.parametrize(
    "noun_sentence",
    [
        "Die Stadt liegt im Laufe des Flusses.",
        "Er fand eine Stelle in Berlin.",
        "Im Falle eines Streiks bleibt die Schule zu.",
    ],
)
def test_a_noun_that_looks_like_a_verb_is_no_reported_mood(noun_sentence: str) -> None:
    text = "Die Sprecherin Anna Roth sagte, der Streik sei beendet. " + noun_sentence
    assert by_quote(extract_statements(text, "de"), noun_sentence[:12]) is None


def test_first_person_konjunktiv_is_not_the_last_speakers() -> None:
    text = (
        "Bürgermeister Jan Olsen sagte, die Brücke werde im Mai eröffnet. "
        "Die Arbeiten kosten zwölf Millionen Euro. "
        "Ich sage dazu nur, das sei zu viel, schrieb ein Leser."
    )
    st = by_quote(extract_statements(text, "de"), "zu viel")
    assert st is not None
    assert st.speaker == "Leser"  # "schrieb ein Leser": the subject after the verb, not Olsen


@pytest.mark.parametrize(
    ("lang", "text", "speaker"),
    [
        (
            "de",
            "Arbeitsministerin Ursula von der Leyen (CDU) besuchte am Montag ein Jobcenter.\n"
            "Von der Leyen betonte, die Umschulung sei „eine große Chance für viele Frauen“.",
            "Ursula von der Leyen",
        ),
        (
            "en",
            "European Commission President Ursula von der Leyen visited Kyiv on Friday.\n"
            'Von der Leyen said the bloc would "stand with Ukraine for as long as it takes".',
            "Ursula von der Leyen",
        ),
        (
            "en",
            "Dutch Prime Minister Mark van der Berg arrived in Brussels on Monday. "
            '"We will not sign this deal," van der Berg told reporters.',
            "Mark van der Berg",
        ),
    ],
)
def test_a_name_with_particles_is_one_speaker(lang: str, text: str, speaker: str) -> None:
    statements = extract_statements(text, lang)
    direct = [s for s in statements if s.kind == "direct"]
    assert direct
    assert all(s.speaker == speaker for s in direct)


def test_a_preposition_and_article_before_a_noun_are_no_name_particles() -> None:
    text = (
        "Ein Sprecher von der Polizei sagte, der Täter sei geflohen. Die Polizei sucht nach Zeugen."
    )
    st = by_quote(extract_statements(text, "de"), "Täter sei geflohen")
    assert st is not None
    assert st.speaker == "Sprecher von der Polizei"


@pytest.mark.parametrize(
    ("lang", "text", "speaker", "content"),
    [
        (
            "de",
            "Wie das Fischereiministerium heute bekannt gab, wird Island den Walfang wieder "
            "aufnehmen.",
            "Fischereiministerium",
            "wird Island den Walfang wieder aufnehmen",
        ),
        (
            "de",
            "Der Konzern wird das Werk in Emden umbauen, wie die Volkswagen AG gestern mitteilte.",
            "Volkswagen AG",
            "Der Konzern wird das Werk in Emden umbauen",
        ),
        (
            "en",
            "As the ministry said on Monday, the talks will resume in Geneva next week.",
            "ministry",
            "the talks will resume in Geneva next week",
        ),
        (
            "ru",
            "Как сообщил вчера министр финансов Игорь Смирнов, бюджет будет пересмотрен.",
            "Игорь Смирнов",
            "бюджет будет пересмотрен",
        ),
        (
            "de",
            "Der 39-Jährige gab jedoch an, es gehe ihm nur um die Kinder.",
            "39-Jährige",
            "es gehe ihm nur um die Kinder",
        ),
        (
            "de",
            "Zudem verlangen die Mönche, dass sich die Regierung für die Gewalt entschuldigt.",
            "Mönche",
            "sich die Regierung für die Gewalt entschuldigt",
        ),
    ],
)
def test_as_clauses_time_adverbs_and_subjects_after_the_verb(
    lang: str, text: str, speaker: str, content: str
) -> None:
    st = by_quote(extract_statements(text, lang), content[:20])
    assert st is not None
    assert st.speaker is not None and speaker in st.speaker
    assert content in st.quote or st.quote in content


def test_a_dative_phrase_after_the_verb_is_no_speaker() -> None:
    text = "Der Minister Jan Kurz sagte der Zeitung, die Steuern würden nicht erhöht."
    st = by_quote(extract_statements(text, "de"), "Steuern")
    assert st is not None
    assert st.speaker == "Jan Kurz"


def test_an_adjective_after_a_preposition_keeps_the_noun_out_of_the_speakers() -> None:
    text = "Außerdem sei er wegen vergleichbarer Delikte bereits mehrfach beschuldigt worden."
    assert all(s.speaker != "Delikte" for s in extract_statements(text, "de"))
