"""Dispute parties through the alias table, the issue phrase, the stance, and speakers' sides."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.attribution import extract_statements
from briefing.disputes import extract_dispute


def dispute_of(text: str, lang: str, title: str | None = None):  # type: ignore[no-untyped-def]
    statements = extract_statements(text, lang)
    return extract_dispute(text, lang, statements, title=title)


@pytest.mark.parametrize(
    ("lang", "text", "parties", "stance"),
    [
        (
            "en",
            "The White House accused Beijing of dumping steel. Washington said new tariffs "
            "on Chinese steel were coming over the dumping.",
            {"United States", "China"},
            "conflict",
        ),
        (
            "en",
            "Kyiv and Brussels agreed to deepen cooperation and signed a trade accord.",
            {"Ukraine", "European Union"},
            "cooperation",
        ),
        (
            "de",
            "Der Kreml kritisierte Brüssel wegen der neuen Sanktionen scharf. Moskau drohte "
            "mit Gegenmaßnahmen.",
            {"Russia", "European Union"},
            "conflict",
        ),
        (
            "ru",
            "Москва и Пекин подписали соглашение о сотрудничестве в энергетике. Стороны "
            "договорились о новых переговорах.",
            {"Russia", "China"},
            "cooperation",
        ),
        (
            "fr",
            "Le Kremlin a accusé Bruxelles de mener une guerre des sanctions.",
            {"Russia", "European Union"},
            "conflict",
        ),
        (
            "es",
            "Washington y Pekín firmaron un acuerdo de cooperación comercial.",
            {"United States", "China"},
            "cooperation",
        ),
    ],
)
def test_parties_and_stance(lang: str, text: str, parties: set[str], stance: str) -> None:
    dispute, _ = dispute_of(text, lang)
    assert dispute is not None
    assert set(dispute.parties) == parties
    assert dispute.stance == stance


def test_issue_follows_over_after_a_conflict_cue() -> None:
    dispute, _ = dispute_of(
        "Moscow condemned London on Monday. Britain imposed new sanctions on Russia over the "
        "poisoning of a former spy, the Foreign Office said.",
        "en",
    )
    assert dispute is not None and dispute.issue is not None
    assert "sanctions" in dispute.issue and "poisoning" in dispute.issue


def test_each_speaker_gets_the_side_the_text_gives() -> None:
    text = (
        "Kremlin spokesman Ivan Sokolov said Moscow would respond to the sanctions. "
        "EU foreign policy chief Maria Costa said Brussels would not back down."
    )
    dispute, statements = dispute_of(text, "en")
    sides = {s.speaker: s.side for s in statements}
    assert sides["Ivan Sokolov"] == "Russia"
    assert sides["Maria Costa"] == "European Union"
    assert dispute is not None and set(dispute.parties) == {"Russia", "European Union"}


def test_no_party_no_dispute() -> None:
    dispute, _ = dispute_of("the weather was fine and the harvest was good this year.", "en")
    assert dispute is None


SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "000_a8ffae15ca43724e.txt"


@pytest.mark.skipif(not SEED.exists(), reason="../shared is absent")
def test_seed_dispute() -> None:
    text = SEED.read_text("utf-8")
    dispute, statements = dispute_of(text, "en")
    assert dispute is not None
    assert set(dispute.parties) == {"Russia", "European Union"}
    assert dispute.stance == "conflict"
    assert dispute.issue and "sanctions" in dispute.issue and "Navalny" in dispute.issue
    sides = {s.speaker: s.side for s in statements}
    assert sides["Dmitry Peskov"] == "Russia"
    assert sides["Josep Borrell"] == "European Union"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Israel's prime minister refused to meet the visiting Jordanian foreign minister."),
        ("en", "Washington said it would not sign the trade agreement with Beijing."),
        ("de", "Die Regierung in Berlin will das Abkommen mit Moskau nicht unterzeichnen."),
        ("ru", "Киев отказался подписать соглашение с Москвой, сообщил МИД Украины."),
    ],
)
def test_negated_cooperation_is_conflict(lang: str, text: str) -> None:
    dispute, _ = extract_dispute(text, lang, [])
    assert dispute is not None
    assert dispute.stance == "conflict"


@pytest.mark.parametrize(
    ("lang", "text", "parties"),
    [
        (
            "en",
            "Portugal will support Denmark's bid to host the summit, Portuguese officials said.",
            {"Portugal", "Denmark"},
        ),
        (
            "en",
            "Beirut rejected an Israeli demand to pull troops back from the border.",
            {"Lebanon"},
        ),
        (
            "de",
            "Dänemark und Tschechien haben ein Abkommen über Gaslieferungen unterzeichnet.",
            {"Denmark", "Czechia"},
        ),
        ("ru", "Ливан обвинил Сирию в обстреле приграничных районов.", {"Lebanon", "Syria"}),
    ],
)
def test_every_country_is_a_party(lang: str, text: str, parties: set[str]) -> None:
    dispute, _ = extract_dispute(text, lang, [])
    assert dispute is not None
    assert parties <= set(dispute.parties)


def test_lower_case_words_are_no_countries() -> None:
    dispute, _ = extract_dispute("The turkey was served before the talks in Paris.", "en", [])
    assert dispute is None or "Turkey" not in dispute.parties


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # "ban" is no cue inside "Bangladeshi", "aid" none inside "aide"
        ("Bangladeshi peacekeepers arrived in Sierra Leone to join the UN mission.", "cooperation"),
        ("French and Egyptian warships began joint war games in the Mediterranean.", "cooperation"),
        ("The opposition in Georgia agreed to postpone its rally in Tbilisi.", "cooperation"),
    ],
)
def test_stance_cues_need_whole_words(text: str, stance: str) -> None:
    dispute, _ = extract_dispute(text, "en", [])
    assert dispute is not None
    assert dispute.stance == stance
