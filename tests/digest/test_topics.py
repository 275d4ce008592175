"""Topic matching: what a user who follows a topic would expect to be matched, and not."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefing import brief
from digest.topics import brief_terms, parse_topic, topic_matches
from tests.digest.conftest import SEED_TITLE, make_brief, seed_illustration


def test_russia_eu_sanctions_matches_the_seed_brief() -> None:
    b = seed_illustration()
    assert topic_matches("Russia EU sanctions", b)
    assert topic_matches("russia eu sanctions", b)  # typed in lower case
    assert topic_matches("Kremlin", b)
    assert topic_matches("Navalny", b)
    assert topic_matches("Навальный", b)
    assert topic_matches("Санкции ЕС против России", b)
    assert topic_matches("Sanktionen gegen Russland", b)
    assert topic_matches("sanciones de la UE a Rusia", b)


def test_russia_eu_sanctions_matches_the_engine_brief_of_the_seed(seed_text: str) -> None:
    b = brief(seed_text, title=SEED_TITLE)
    assert topic_matches("Russia EU sanctions", b)
    assert topic_matches("Navalny", b)
    assert topic_matches("Навальный", b)
    assert topic_matches("Peskov", b)
    assert not topic_matches("China tariffs", b)


def test_a_topic_needs_all_its_words() -> None:
    b = seed_illustration()
    assert not topic_matches("Russia China", b)
    assert not topic_matches("EU tariffs", b)
    assert not topic_matches("China", b)


def test_navalny_matches_across_scripts_and_cases() -> None:
    ru = make_brief(
        "Суд над Навальным",
        "Адвокаты Алексея Навального заявили о новом деле против политика.",
        language="ru",
    )
    en = make_brief("Navalny trial", "Lawyers for Alexei Navalny spoke on Monday.")
    assert topic_matches("Navalny", ru)
    assert topic_matches("Alexei Navalny", ru)
    assert topic_matches("Навальный", en)
    assert topic_matches("Алексей Навальный", en)


def test_speaker_names_match_in_russian_inflections() -> None:
    ru = make_brief(
        "Заявление Кремля",
        "Песков заявил журналистам, что Москва ищет пути нормализации отношений.",
        statements=(("Дмитрий Песков", "пресс-секретарь Кремля", "Мы сожалеем об этом"),),
        language="ru",
    )
    assert topic_matches("Peskov", ru)
    assert topic_matches("Russia", ru)  # Кремль, Москва are aliases of Russia
    assert topic_matches("Пескова", ru)


def test_german_french_spanish_inflections() -> None:
    de = make_brief(
        "Neue Sanktionen",
        "Die Europäische Union beschließt Sanktionen gegen Russland wegen des Falls Nawalny.",
        language="de",
    )
    fr = make_brief(
        "Sanctions",
        "Bruxelles prépare de nouvelles sanctions contre la Russie, a déclaré le porte-parole.",
        language="fr",
    )
    es = make_brief(
        "Sanciones", "La Unión Europea aprobó nuevas sanciones contra Rusia.", language="es"
    )
    for b in (de, fr, es):
        assert topic_matches("Russia EU sanctions", b), b.summary
    assert topic_matches("Sanktion", de)
    assert topic_matches("sanction russie", fr)


def test_acronyms_are_not_pronouns() -> None:
    b = make_brief("Talks", "Let us talk, the minister told them in London.")
    assert not topic_matches("US", b)
    assert topic_matches("UK", b)  # London stands for the UK
    assert not topic_matches("UN", b)


def test_parties_issue_and_speakers_are_searched() -> None:
    b = make_brief(
        "A statement",
        "Nothing in the summary.",
        statements=(("Ursula von der Leyen", "Commission president", "We will act"),),
        parties=("Serbia", "Kosovo"),
        issue="licence plates",
    )
    assert topic_matches("Kosovo", b)
    assert topic_matches("licence plate", b)
    assert topic_matches("Leyen", b)


def test_stop_word_only_topic_matches_nothing() -> None:
    assert parse_topic("the and of").terms == ()
    assert not topic_matches("the and of", seed_illustration())


@given(st.text(max_size=300))
def test_any_topic_text_parses_and_matches_without_error(text: str) -> None:
    topic = parse_topic(text)
    assert len(topic.terms) <= 12
    topic.matches(brief_terms(seed_illustration()))
