"""Indirect speech cues and speaker resolution, in English, German and Russian."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.attribution import extract_statements
from briefing.model import Statement


def said(text: str, lang: str) -> list[Statement]:
    return extract_statements(text, lang)


@pytest.mark.parametrize(
    ("lang", "text", "speaker", "content"),
    [
        (
            "en",
            "Health Minister Lisa Grant said that the hospitals would stay open all winter.",
            "Lisa Grant",
            "the hospitals would stay open all winter",
        ),
        (
            "en",
            "The bridge will be closed for three months, city engineer Tom Reilly said on Tuesday.",
            "Tom Reilly",
            "The bridge will be closed for three months",
        ),
        (
            "en",
            "According to police chief Dana Moore, the suspect fled across the border.",
            "Dana Moore",
            "the suspect fled across the border",
        ),
        (
            "en",
            "Opposition leader Sam Okafor warned the government against raising fuel prices.",
            "Sam Okafor",
            "the government against raising fuel prices",
        ),
        (
            "en",
            "Mayor Ines Ortiz called for an independent inquiry into the flooding.",
            "Ines Ortiz",
            "an independent inquiry into the flooding",
        ),
        (
            "de",
            "Die Ministerin Karin Wolf sagte, die Schulen würden im Herbst wieder öffnen.",
            "Karin Wolf",
            "die Schulen würden im Herbst wieder öffnen",
        ),
        (
            "de",
            "Laut Polizeisprecher Uwe Kern wurde niemand verletzt.",
            "Uwe Kern",
            "wurde niemand verletzt",
        ),
        (
            "de",
            "Die Gewerkschaft kündigte am Montag weitere Streiks an.",
            "Gewerkschaft",
            "weitere Streiks an",
        ),
        (
            "ru",
            "Министр Павел Орлов заявил, что цены на хлеб не вырастут.",
            "Павел Орлов",
            "цены на хлеб не вырастут",
        ),
        (
            "ru",
            "По словам губернатора Сергея Белова, дорогу откроют в мае.",
            "Сергей Белов",  # "по словам" governs the genitive; the speaker is named
            "дорогу откроют в мае",
        ),
        (
            "ru",
            "Завод закроют до конца года, сообщил директор Иван Зуев.",
            "Иван Зуев",
            "Завод закроют до конца года",
        ),
    ],
)
def test_indirect_cue(lang: str, text: str, speaker: str, content: str) -> None:
    found = [s for s in said(text, lang) if s.kind == "indirect"]
    assert found, text
    assert found[0].speaker == speaker
    assert content in found[0].quote


@pytest.mark.parametrize(
    ("lang", "text", "speaker", "role_word"),
    [
        # surname alone, and a misspelt surname, resolve to the fullest name
        (
            "en",
            "Finance Minister Carla Stone said the budget was balanced. "
            "“We cut nothing that matters,” Stome said.",
            "Carla Stone",
            "Minister",
        ),
        # role alone
        (
            "en",
            "Army spokesman Rami Aziz said the convoy had left. "
            "The roads were safe again, the spokesman added.",
            "Rami Aziz",
            "spokesman",
        ),
        # pronoun
        (
            "en",
            "Coach Lena Park said the team was ready. “We trained for this all year,” she said.",
            "Lena Park",
            "Coach",
        ),
        # "X himself"
        (
            "en",
            "Prime Minister Jon Dale spoke briefly. Dale himself said the deal was not final yet.",
            "Jon Dale",
            "Minister",
        ),
        # German surname, pronoun
        (
            "de",
            "Bürgermeister Hans Keller sagte, die Brücke sei sicher. "
            "„Wir haben alles geprüft“, sagte Keller.",
            "Hans Keller",
            "Bürgermeister",
        ),
        (
            "de",
            "Die Sprecherin Anna Roth sagte, der Zug sei pünktlich. "
            "„Es gab keine Störung“, sagte sie.",
            "Anna Roth",
            "Sprecherin",
        ),
        # Russian inflected surname resolves to the nominative full name
        (
            "ru",
            "Пресс-секретарь Мария Лебедева заявила, что визит состоится. "
            "«Подготовка идет по плану», — сказала Лебедева.",
            "Мария Лебедева",
            "Пресс-секретарь",
        ),
    ],
)
def test_later_mentions_resolve(lang: str, text: str, speaker: str, role_word: str) -> None:
    found = said(text, lang)
    assert found
    assert all(s.speaker == speaker for s in found), found
    assert all(role_word in (s.role or "") for s in found), found


def test_organisation_speaker() -> None:
    found = said("The Kremlin said the sanctions were illegal and would be answered.", "en")
    assert found[0].speaker == "Kremlin"


def test_statements_are_short_and_grouped() -> None:
    long_clause = ", ".join(
        f"step {n} of the plan is to rebuild road number {n}" for n in range(12)
    )
    text = (
        f"Engineer Ada Cole said that {long_clause}.\n\n"
        "Planner Ben Fox said the money was there. Cole added that work starts in May."
    )
    found = said(text, "en")
    assert found[0].speaker == "Ada Cole" and found[1].speaker == "Ada Cole"
    assert found[0].quote.endswith("…")
    assert len(found[0].quote.split()) <= 42


SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "000_a8ffae15ca43724e.txt"


@pytest.mark.skipif(not SEED.exists(), reason="../shared is absent")
def test_seed_article_who_said_what() -> None:
    found = said(SEED.read_text("utf-8"), "en")
    direct = [s for s in found if s.kind == "direct"]
    assert len(direct) == 3
    assert all(s.speaker == "Dmitry Peskov" and s.role == "Kremlin spokesman" for s in direct)
    assert not any("Peslov" in (s.speaker or "") for s in found)
    borrell = [s for s in found if s.speaker == "Josep Borrell" and "sanctions" in s.quote]
    assert borrell and borrell[0].role == "EU foreign policy chief"
