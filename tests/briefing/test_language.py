import pytest

from briefing.language import check_prose, detect_language
from briefing.model import BriefError

SAMPLES = {
    "en": "The government said on Monday that it would raise taxes on fuel to pay for new roads.",
    "ru": "Правительство заявило в понедельник, что повысит налоги на топливо ради новых дорог.",
    "de": "Die Regierung sagte am Montag, sie werde die Steuern auf Kraftstoff erhöhen.",
    "fr": "Le gouvernement a déclaré lundi qu'il augmenterait les taxes sur le carburant.",
    "es": "El Gobierno dijo el lunes que subirá los impuestos sobre el combustible.",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_the_five_languages_are_detected_and_supported(lang: str) -> None:
    result = detect_language(SAMPLES[lang])
    assert (result.code, result.supported) == (lang, True)


def test_detection_is_deterministic() -> None:
    text = "Ciao a tutti, oggi il governo ha detto che le tasse saliranno ancora."
    assert len({detect_language(text).code for _ in range(5)}) == 1


def test_another_language_is_reported_unsupported() -> None:
    result = detect_language(
        "Il governo ha detto lunedì che aumenterà le tasse sul carburante per strade."
    )
    assert result == type(result)("it", False)


def test_the_lang_argument_skips_detection() -> None:
    assert detect_language(SAMPLES["en"], "de").code == "de"
    assert not detect_language(SAMPLES["en"], "pt").supported
    with pytest.raises(BriefError):
        detect_language(SAMPLES["en"], "english please")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "12345 67890 " * 20,
        "😀🎉🔥" * 50,
        "https://example.com/news/article-1",
        "Hello.",
    ],
)
def test_no_prose_is_a_clear_error(text: str) -> None:
    with pytest.raises(BriefError) as err:
        check_prose(text)
    assert str(err.value).endswith((".", ")"))
