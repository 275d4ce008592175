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


@pytest.mark.parametrize(
    ("lang", "text", "speaker", "quote"),
    [
        (
            "de",
            "Außenminister Sergei Lawrow reagierte gelassen: Mit den Worten „Jetzt werden alle "
            "Fragen in der G20 diskutiert“, richtete er seinen Blick auf einen größeren Kreis.",
            "Sergei Lawrow",
            "Jetzt werden alle Fragen in der G20 diskutiert",
        ),
        (
            "en",
            'The minister Anna Berg left the room with the words "We will see you in court".',
            "Anna Berg",
            "We will see you in court",
        ),
        (
            "ru",
            "Министр Игорь Смирнов покинул зал со словами «Мы встретимся в суде».",
            "Игорь Смирнов",
            "Мы встретимся в суде",
        ),
    ],
)
def test_a_quote_introduced_with_the_words(lang: str, text: str, speaker: str, quote: str) -> None:
    st = by_quote(extract_statements(text, lang), quote)
    assert st is not None
    assert st.kind == "direct"
    assert st.speaker == speaker


@pytest.mark.parametrize(
    "text",
    [
        "„Wikiasari“, so heißt ein geplantes Projekt des Gründers.",
        "Das Militär hat die Kontrolle übernommen, die Regierung verhängte den „Alarmzustand“.",
        "Der Physiker Jan Berg sprach im Saal des Kulturzentrums „Paradox“ über Fukushima.",
        "Dem Bürgerrechtler Hu Jia wurde der „Sacharow-Preis für geistige Freiheit“ verliehen.",
    ],
)
def test_names_and_terms_in_quotation_marks_are_no_statements(text: str) -> None:
    assert [s for s in extract_statements(text, "de") if s.kind == "direct"] == []


def test_a_scare_quoted_word_after_a_russian_genitive_name_is_still_a_quote() -> None:
    text = "Министр Дмитрий Кулеба назвал заявления Москвы «пропагандой»."
    st = by_quote(extract_statements(text, "ru"), "пропагандой")
    assert st is not None
    assert st.speaker == "Дмитрий Кулеба"


def test_a_german_ordinal_ends_no_sentence() -> None:
    text = "Am 6. September seien hunderte Menschen auf die Straße gegangen, sagte Anna Roth."
    st = by_quote(extract_statements(text, "de"), "September")
    assert st is not None
    assert st.quote.startswith("Am 6. September seien")
    assert st.speaker == "Anna Roth"


def test_russian_roles_inflect_with_their_soft_sign_and_dates_with_vo() -> None:
    text = (
        "Россия не будет отвечать зеркально, заявил во вторник пресс-секретарь президента "
        "Дмитрий Песков.\n"
        "По словам официального представителя ведомства Марии Захаровой, Евросоюз «сам себя "
        "наказывает»."
    )
    said = extract_statements(text, "ru")
    first = by_quote(said, "не будет отвечать")
    assert first is not None
    assert first.speaker == "Дмитрий Песков"
    quoted = by_quote(said, "сам себя наказывает")
    assert quoted is not None
    assert quoted.speaker is not None and "Захаров" in quoted.speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("По словам Марии Захаровой, Евросоюз сам себя наказывает санкциями.", "Мария Захарова"),
        (
            "По данным Дмитрия Пескова, переговоры продолжатся на следующей неделе.",
            "Дмитрий Песков",
        ),
        ("По мнению Анны Кулебы, решение будет принято до конца года.", "Анна Кулеба"),
        ("По словам Ивана Шольца, решение будет принято до конца года.", "Иван Шольц"),
    ],
)
def test_russian_names_after_po_slovam_are_given_in_the_nominative(text: str, speaker: str) -> None:
    said = extract_statements(text, "ru")
    assert [s.speaker for s in said] == [speaker]


@pytest.mark.parametrize(
    ("lang", "text", "speaker", "content"),
    [
        (
            "de",
            "Der neue Airbus startet am Mittwoch zu seinem ersten Testflug. Dies gab der "
            "Hersteller Airbus gestern in Toulouse bekannt.",
            "Airbus",
            "Der neue Airbus startet am Mittwoch zu seinem ersten Testflug",
        ),
        (
            "ru",
            "МОСКВА, 4 марта. /ТАСС/. Россия готова продолжить переговоры в Стамбуле. Об этом "
            "журналистам сообщил в среду пресс-секретарь президента Дмитрий Песков.",
            "Дмитрий Песков",
            "Россия готова продолжить переговоры в Стамбуле",
        ),
    ],
)
def test_an_anaphor_points_to_the_sentence_before(
    lang: str, text: str, speaker: str, content: str
) -> None:
    st = by_quote(extract_statements(text, lang), content)
    assert st is not None
    assert st.quote == content  # the dateline is cut, the sentence is whole
    assert st.speaker == speaker


def test_an_anaphor_after_a_statement_adds_no_second_one() -> None:
    text = (
        "«Мы будем действовать исходя из своих интересов», — сказал Дмитрий Песков. "
        "Об этом также заявили в МИД России."
    )
    said = extract_statements(text, "ru")
    assert [s.speaker for s in said] == ["Дмитрий Песков"]


def test_reuters_style_sources_with_numbers_reports_and_tails() -> None:
    text = (
        "According to two diplomats familiar with the talks, the new package includes a ban on "
        "steel imports. The IMF said in a report that the economy had adapted to the "
        "restrictions."
    )
    said = extract_statements(text, "en")
    diplomats = by_quote(said, "package includes")
    assert diplomats is not None
    assert diplomats.quote.startswith("the new package includes")
    assert diplomats.speaker == "two diplomats"
    imf = by_quote(said, "economy had adapted")
    assert imf is not None
    assert imf.quote.startswith("the economy had adapted")
    assert imf.speaker == "IMF"


def test_ap_style_titles_speakers_and_time_phrases() -> None:
    text = (
        "President Joe Biden on Tuesday accused Republicans of holding the economy hostage.\n"
        '"I think we will get there," said Rep. Patrick McHenry, a key negotiator.\n'
        '"The president knows what he needs to do," House Speaker Kevin McCarthy told '
        "reporters."
    )
    said = extract_statements(text, "en")
    accused = by_quote(said, "holding the economy")
    assert accused is not None
    assert accused.speaker == "Joe Biden"
    rep = by_quote(said, "get there")
    assert rep is not None
    assert (rep.speaker, rep.role) == ("Patrick McHenry", "Rep.")
    speaker = by_quote(said, "knows what he needs")
    assert speaker is not None
    assert (speaker.speaker, speaker.role) == ("Kevin McCarthy", "House Speaker")


@pytest.mark.parametrize(
    ("lang", "text", "speaker", "role"),
    [
        (
            "ru",
            "Президент России Владимир Владимирович Путин заявил, что переговоры пройдут в мае.",
            "Владимир Владимирович Путин",
            "Президент России",
        ),
        (
            "ru",
            "Официальный представитель Госдепартамента Мэтью Миллер заявил, что ответ уже готов.",
            "Мэтью Миллер",
            "Официальный представитель Госдепартамента",
        ),
        (
            "ru",
            "Представитель Госдепартамента Мэтью Миллер заявил: «Мяч на стороне Москвы».",
            "Мэтью Миллер",
            "Представитель Госдепартамента",
        ),
        (
            "en",
            "Russian President Vladimir Putin said the talks would continue until December.",
            "Vladimir Putin",
            "Russian President",
        ),
    ],
)
def test_names_with_patronymics_leader_surnames_and_org_genitives(
    lang: str, text: str, speaker: str, role: str
) -> None:
    said = extract_statements(text, lang)
    assert said
    assert all((s.speaker, s.role) == (speaker, role) for s in said)


@pytest.mark.parametrize(
    ("lang", "text", "speaker", "content"),
    [
        (
            "de",
            "Neuer Minister wird Heereskommandeur Abdel Kader, der vor dem Parlament betonte, er "
            "gehöre keiner Partei an.",
            "Abdel Kader",
            "er gehöre keiner Partei an",
        ),
        (
            "en",
            "The plan was backed by the ministry, which said the new rules would take effect in "
            "May.",
            "ministry",
            "the new rules would take effect in May",
        ),
        (
            "ru",
            "Документ подписал министр Игорь Смирнов, который заявил, что порт откроется в мае.",
            "Игорь Смирнов",
            "порт откроется в мае",
        ),
    ],
)
def test_a_subject_relative_pronoun_refers_to_the_speaker(
    lang: str, text: str, speaker: str, content: str
) -> None:
    st = by_quote(extract_statements(text, lang), content)
    assert st is not None
    assert st.speaker == speaker


def test_the_object_before_a_verb_in_a_relative_clause_is_no_speaker() -> None:
    text = (
        "Die Obduktion bestätigte die Angaben der Polizei, die einen gewaltsamen Tod bekannt gab."
    )
    assert all(s.speaker != "Tod" for s in extract_statements(text, "de"))


def test_a_number_after_a_preposition_keeps_the_phrase_out_of_the_speakers() -> None:
    text = "Vor 125 Jahren schrieb Carl Benz in Mannheim Automobilgeschichte mit seinem Patent."
    assert all(s.speaker != "Jahren" for s in extract_statements(text, "de"))


@pytest.mark.parametrize(
    ("lang", "text", "speaker"),
    [
        (
            "de",
            "Die Offensive wurde von einer Armeesprecherin bestätigt. Sie sagte, Ziel sei es, die "
            "Stellungen zu zerstören.",
            "Armeesprecherin",
        ),
        (
            "en",
            "The strike was confirmed by an army spokeswoman. She said the aim was to destroy the "
            "launch sites.",
            "spokeswoman",
        ),
    ],
)
def test_a_pronoun_with_nobody_named_refers_to_the_role_before(
    lang: str, text: str, speaker: str
) -> None:
    said = extract_statements(text, lang)
    assert [s.speaker for s in said] == [speaker]


def test_a_pronoun_far_from_any_role_stays_unattributed() -> None:
    filler = "Die Lage blieb ruhig, die Straßen waren leer und die Geschäfte geschlossen. " * 6
    text = "Eine Sprecherin bestätigte den Einsatz. " + filler + "Sie sagte, es gebe keine Opfer."
    assert all(s.speaker != "Sprecherin" for s in extract_statements(text, "de"))
