from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.compress import compress
from briefing.summarize import summarize


def test_an_opening_connective_goes_when_its_sentence_stands_alone() -> None:
    assert compress("However, the court rejected the appeal.", "en") == (
        "The court rejected the appeal."
    )
    assert compress("But now the former partner has lost the case.", "en") == (
        "Now the former partner has lost the case."
    )
    assert compress("Sin embargo, el Gobierno no cambió su plan.", "es") == (
        "El Gobierno no cambió su plan."
    )
    assert (
        compress("Однако, власти не изменили свой план.", "ru") == "Власти не изменили свой план."
    )


def test_an_opening_connective_stays_after_the_sentence_it_leans_on() -> None:
    sentence = "But the court rejected the appeal."
    assert compress(sentence, "en", follows=True) == sentence


def test_german_word_order_is_left_alone() -> None:
    sentence = "Doch lehnte die Regierung den Plan am Montag ab."
    assert compress(sentence, "de") == sentence


def test_photo_directions_and_video_prompts_go_but_other_brackets_stay() -> None:
    assert compress("Ben Stokes (left) clashed with Marlon Samuels on Friday.", "en") == (
        "Ben Stokes clashed with Marlon Samuels on Friday."
    )
    kept = "The Islamic State (ISIS) released 200 prisoners on Wednesday."
    assert compress(kept, "en") == kept
    assert compress("Scroll down for video. The zoo closed the exhibit.", "en") == (
        "The zoo closed the exhibit."
    )


def test_an_attribution_is_never_cut() -> None:
    sentence = "Moscow is not responsible for the crisis, the Kremlin spokesman said on Monday."
    assert compress(sentence, "en") == sentence


def test_a_cut_that_would_leave_a_fragment_is_not_made() -> None:
    assert compress("But (pictured) it was.", "en") == "But (pictured) it was."


def test_the_summary_drops_a_connective_only_where_its_antecedent_is_missing() -> None:
    sentences = [
        "The city council voted on Tuesday to close the old bridge to all traffic.",
        "Engineers found deep cracks in two of its supports during an inspection last month.",
        "Residents who use the bridge every day were angry about the decision.",
        "However, the mayor promised a new bridge within five years.",
    ]
    assert summarize(sentences, "en", 4)[-1] == sentences[-1]
    # A fragment never enters a summary, so the connective after it has nothing to lean on.
    sentences[2] = "Angry?"
    assert summarize(sentences, "en", 4)[-1] == (
        "The mayor promised a new bridge within five years."
    )


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["en", "de", "fr", "es", "ru", "it"]), st.booleans())
def test_compression_never_raises_and_never_grows(text: str, lang: str, follows: bool) -> None:
    out = compress(text, lang, follows=follows)
    assert len(out) <= len(text)
