"""Where the speaker sits in the sentence: apposition, clause subject, inversion, objects before
the verb, quotes introduced by a colon; and quotation marks that are names, not speech.

Every sentence is written for these tests, in the style of agency news (Reuters/AP, dpa, TASS/RIA).
"""

from __future__ import annotations

import pytest

from briefing.attribution import extract_statements
from briefing.model import Statement


def directs(text: str, lang: str) -> list[Statement]:
    return [s for s in extract_statements(text, lang) if s.kind == "direct"]


def only_direct(text: str, lang: str) -> Statement:
    found = directs(text, lang)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("lang", "text", "speaker", "role_word"),
    [
        # apposition between the subject and the cue
        (
            "en",
            'Maria Lopez, the head of the port authority, said: "We will reopen the terminal '
            'on Friday."',
            "Maria Lopez",
            "port authority",
        ),
        (
            "de",
            "Andreas Vogt, der Bürgermeister von Kassel, sagte am Montag: „Wir werden die "
            "Brücke noch in diesem Jahr sanieren.“",
            "Andreas Vogt",
            "Bürgermeister",
        ),
        (
            "de",
            "Der Vorsitzende des Mieterbunds in Hessen, Klaus Brandt, kritisierte den Entwurf "
            "scharf: „Dieses Gesetz schützt die Mieter nicht.“",
            "Klaus Brandt",
            "Vorsitzende",
        ),
        (
            "ru",
            "Глава комитета Игорь Смирнов, выступая на брифинге, заявил: «Мы не допустим "
            "повышения тарифов в этом году».",
            "Игорь Смирнов",
            "комитета",
        ),
        # the subject opens the clause, the cue comes later
        (
            "de",
            "Museumsdirektor Jens Albrecht hat anlässlich der Eröffnung erklärt: „Die Sammlung "
            "zeigt ein Stück Industriegeschichte.“",
            "Jens Albrecht",
            "Museumsdirektor",
        ),
        (
            "en",
            'Finance Minister Olaf Berg thanked the negotiators and said: "This deal protects '
            'our farmers."',
            "Olaf Berg",
            "Finance Minister",
        ),
        # the speaker after the cue, when a prepositional phrase opens the clause
        (
            "de",
            "In seiner wöchentlichen Ansprache sagte der brasilianische Präsident: „Wir werden "
            "die Wälder schützen.“",
            "Präsident",
            "Präsident",
        ),
        (
            "de",
            "„Wir wollen die Werke enger verzahnen“, hatte Konzernchef Stefan Wirth in einem "
            "Interview erklärt.",
            "Stefan Wirth",
            "Konzernchef",
        ),
        (
            "de",
            "„Das ist eine Zumutung für alle Beschäftigten“, so der zuständige "
            "Gewerkschaftssekretär Uwe Lorenz.",
            "Uwe Lorenz",
            "",
        ),
        (
            "ru",
            "«Мы готовы к диалогу с Брюсселем», — заявил официальный представитель МИД России "
            "Мария Захарова.",
            "Мария Захарова",
            "представитель",
        ),
        # an object opening a German clause is not the speaker
        (
            "de",
            "Der Lokalzeitung sagte Petra Haas: „Ich gebe nicht auf, bis die Schule bleibt.“",
            "Petra Haas",
            "",
        ),
        # a clause with no verb of saying introduces the quote with a colon
        (
            "de",
            "In einer Rundfunkrede begründete der Ministerpräsident seine Entscheidung so: „Die "
            "Sicherheit der Bürger geht vor.“",
            "Ministerpräsident",
            "Ministerpräsident",
        ),
        # an initial stays inside the name
        (
            "en",
            'U.S. President George W. Bush told reporters: "The economy is strong."',
            "George W. Bush",
            "President",
        ),
    ],
)
def test_speaker_position(lang: str, text: str, speaker: str, role_word: str) -> None:
    st = only_direct(text, lang)
    assert st.speaker is not None
    assert speaker in st.speaker or speaker in (st.role or "")
    assert role_word in f"{st.speaker} {st.role or ''}"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # a sentence-initial adverb or preposition is not a name
        ("de", "Ähnlich äußerte sich die Ministerin Eva Brandt: „Wir haben die Lage im Griff.“"),
        ("en", 'However, Interior Minister Eva Brandt said: "We have the situation in hand."'),
    ],
)
def test_function_word_is_no_speaker(lang: str, text: str) -> None:
    st = only_direct(text, lang)
    assert st.speaker == "Eva Brandt"


@pytest.mark.parametrize(
    ("lang", "text", "speaker"),
    [
        (
            "ru",
            "Министр финансов Антон Силуанов заявил, что бюджет будет исполнен. По его словам, "
            "дефицит «не превысит двух процентов».",
            "Антон Силуанов",
        ),
        (
            "en",
            "Central bank governor Anna Reyes said inflation would ease. According to her, "
            "rates will stay on hold until the summer.",
            "Anna Reyes",
        ),
    ],
)
def test_according_to_a_pronoun(lang: str, text: str, speaker: str) -> None:
    said = extract_statements(text, lang)
    assert len(said) >= 2
    assert all(s.speaker == speaker for s in said)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", 'The Nord Stream 2 pipeline, known as "Nord Stream 2", was completed in 2021.'),
        ("en", 'The talks took place at the "Palace of Nations" in Geneva on Monday.'),
        ("ru", "Компания «Газпром» увеличила поставки газа в Китай в прошлом году."),
        ("ru", "Фильм «Иди и смотри» показали на фестивале в Минске."),
        (
            "de",
            "Im Wettbewerb „Championnat du Monde de Pétanque“ siegte die Mannschaft aus Italien.",
        ),
        ("de", "Unter dem Motto „Hundert Jahre und kein bisschen leise“ beginnt das Stadtfest."),
    ],
)
def test_names_and_titles_in_quotation_marks_are_not_statements(lang: str, text: str) -> None:
    assert directs(text, lang) == []


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "Nach Angaben der Feuerwehr wurden bei dem Brand drei Menschen leicht verletzt.",
            "Feuerwehr",
            "wurden bei dem Brand drei Menschen leicht verletzt",
        ),
        (
            "Nach ersten Ermittlungen war das Feuer in einer Werkstatt ausgebrochen.",
            "ersten Ermittlungen",
            "war das Feuer in einer Werkstatt ausgebrochen",
        ),
        (
            "Wie das Umweltministerium bekannt gab, wird das Kraftwerk im Herbst abgeschaltet.",
            "Umweltministerium",
            "wird das Kraftwerk im Herbst abgeschaltet",
        ),
    ],
)
def test_german_source_phrases(text: str, speaker: str, content: str) -> None:
    said = extract_statements(text, "de")
    assert [(s.speaker, s.quote) for s in said] == [(speaker, content)]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Die Ausstellung ist bis Mai geöffnet (Wikinews berichtete)."),
        ("en", "The plant was closed in 2019 (Reuters reported)."),
        ("de", "In seiner Rede sagte der Minister nichts."),
    ],
)
def test_no_reported_clause_without_a_boundary(lang: str, text: str) -> None:
    assert extract_statements(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "speaker"),
    [
        (
            "de",
            "In einem Positionspapier des Innenministeriums heißt es, die Regelungen hätten "
            "sich bewährt.",
            "Positionspapier des Innenministeriums",
        ),
        (
            "ru",
            "В заявлении МИД России говорится, что Москва не признает итоги выборов.",
            "МИД России",
        ),
        (
            "de",
            "Die Lokalzeitung zitiert einen Augenzeugen mit den Worten: „Der Wagen fuhr "
            "viel zu schnell.“",
            "Augenzeugen",
        ),
    ],
)
def test_documents_and_the_quoted_are_speakers(lang: str, text: str, speaker: str) -> None:
    said = extract_statements(text, lang)
    assert len(said) == 1
    assert said[0].speaker == speaker


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Laut der Website „icelandreview.com“ wird das Schiff bald auslaufen."),
        ("en", 'The company (motto: "Safety comes first") said it would appeal the ruling.'),
    ],
)
def test_web_names_and_mottos_are_no_quotes(lang: str, text: str) -> None:
    assert [s for s in extract_statements(text, lang) if s.kind == "direct"] == []


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "800 Menschen wurden nach Angaben des Roten Kreuzes obdachlos.",
            "Roten Kreuzes",
            "800 Menschen wurden obdachlos",
        ),
        (
            "Der Angriff sei eine Strafe für die Regierung, so der Sprecher der Miliz, Omar Said.",
            "Omar Said",
            "Der Angriff sei eine Strafe für die Regierung",
        ),
        (
            "Der Minister sagte dem Sender „Al Jazeera“, die Lage sei unter Kontrolle.",
            "Minister",
            "die Lage sei unter Kontrolle",
        ),
    ],
)
def test_german_source_inside_or_after_the_clause(text: str, speaker: str, content: str) -> None:
    said = [s for s in extract_statements(text, "de") if s.kind == "indirect"]
    assert [(s.speaker, s.quote) for s in said] == [(speaker, content)]
