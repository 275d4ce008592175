from hypothesis import given
from hypothesis import strategies as st

from briefing.sentences import quote_spans, split_sentences


def test_english_abbreviations() -> None:
    text = (
        "Mr. Smith met Gen. Jones in the U.S. on Monday. "
        "The Rev. Robert H. Schuller spoke at 3 p.m. today."
    )
    assert split_sentences(text, "en") == [
        "Mr. Smith met Gen. Jones in the U.S. on Monday.",
        "The Rev. Robert H. Schuller spoke at 3 p.m. today.",
    ]


def test_abbreviations_in_the_other_languages() -> None:
    assert split_sentences("Am 1. Mai sagte Dr. Müller z. B. etwas. Dann ging er.", "de") == [
        "Am 1. Mai sagte Dr. Müller z. B. etwas.",
        "Dann ging er.",
    ]
    assert split_sentences("Он прибыл в г. Москву. Затем т.е. ушёл.", "ru") == [
        "Он прибыл в г. Москву.",
        "Затем т.е. ушёл.",
    ]
    assert split_sentences("El Sr. Sánchez llegó. Luego se fue.", "es") == [
        "El Sr. Sánchez llegó.",
        "Luego se fue.",
    ]
    assert split_sentences("M. Macron est arrivé. Puis il est parti.", "fr") == [
        "M. Macron est arrivé.",
        "Puis il est parti.",
    ]


def test_a_sentence_never_ends_inside_a_quotation_of_any_style() -> None:
    cases = [
        ("en", 'He said: "We will go. We are ready." Then he left.'),
        ("en", "He said: \u201cWe will go. We are ready.\u201d Then he left."),
        ("fr", "Il a dit : « Nous sommes prêts. Nous attendons. » Puis il est parti."),
        ("ru", "Он сказал: «Мы готовы. Мы ждём». Затем он ушёл."),
        ("de", "Er sagte: \u201eWir kommen. Wir bleiben.\u201c Dann ging er."),
    ]
    for lang, text in cases:
        parts = split_sentences(text, lang)
        assert len(parts) == 2, parts
        assert parts[1].split()[0] in ("Then", "Puis", "Затем", "Dann")


def test_a_quotation_that_goes_on_after_its_closing_mark_is_one_sentence() -> None:
    text = 'Contestants told to "come on down!" on the April 1 edition saw Bob Barker. He is 91.'
    assert split_sentences(text, "en") == [
        'Contestants told to "come on down!" on the April 1 edition saw Bob Barker.',
        "He is 91.",
    ]


def test_unbalanced_quotation_marks_do_not_swallow_the_paragraph() -> None:
    text = "He said: \u201cWe will go. They came back. Then he left. It rained."
    assert len(split_sentences(text, "en")) == 4


def test_quote_spans() -> None:
    assert quote_spans("a «b» c") == [(2, 5)]
    assert quote_spans("\u201eNein\u201c und \u201cyes\u201d") == [(0, 6), (11, 16)]
    assert quote_spans("an \u201copen quote") == []


@given(st.text(), st.sampled_from(["en", "ru", "de", "fr", "es", "it"]))
def test_splitting_never_raises_and_keeps_the_words(text: str, lang: str) -> None:
    parts = split_sentences(text, lang)
    assert all(p and p == p.strip() for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


def test_an_opening_guillemet_starts_the_next_sentence() -> None:
    text = "Il est au pouvoir depuis 1989. « Le régime est fini », disent-ils. Puis rien."
    assert split_sentences(text, "fr") == [
        "Il est au pouvoir depuis 1989.",
        "« Le régime est fini », disent-ils.",
        "Puis rien.",
    ]
