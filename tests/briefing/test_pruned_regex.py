"""briefing.normalize.pruned: a word alternation behind a first-letter lookahead matches exactly
where the plain alternation does (it only makes the regex engine skip positions faster)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.normalize import _MONTHS, _WEEKDAYS, pruned

ALTERNATIONS = (
    _MONTHS,
    _WEEKDAYS,
    "ago|updated?|published|posted|last modified|mis à jour|publié|обновлено",
    r"scroll down for video|click here|photo(?:graph)?s? (?:by|credit)|image:|фото:|en vídeo",
)
# Letters whose case folding is odd (Kelvin sign, long s, dotted and dotless i, final sigma,
# Cyrillic ё), next to the words themselves in mixed case.
ODD = "KſİıΣςёЁß \n.:,0123"


def _words(alternation: str) -> list[str]:
    return [w for w in re.split(r"[|()?:\[\]\\]", alternation) if w]


@pytest.mark.parametrize("alternation", ALTERNATIONS)
def test_pruned_matches_where_the_plain_alternation_does(alternation: str) -> None:
    plain = re.compile(rf"\b(?:{alternation})\b", re.I)
    fast = re.compile(rf"\b{pruned(alternation)}\b", re.I)
    words = _words(alternation)
    for word in words:  # every word of the list, alone and in a sentence, in every case
        for text in (word, f"On {word} 12, at 10:30, it said."):
            for case in (str.lower, str.upper, str.title):
                found = [m.span() for m in plain.finditer(case(text))]
                assert found == [m.span() for m in fast.finditer(case(text))]

    @settings(max_examples=200, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.one_of(st.sampled_from(words), st.text(alphabet=ODD + "abcjfmsa", max_size=4)),
                st.sampled_from([str.lower, str.upper, str.title]),
            ),
            max_size=8,
        )
    )
    def check(pieces: list[tuple[str, Callable[[str], str]]]) -> None:
        text = " ".join(case(piece) for piece, case in pieces)
        assert [m.span() for m in plain.finditer(text)] == [m.span() for m in fast.finditer(text)]

    check()


def test_pruned_refuses_an_alternation_it_cannot_prune() -> None:
    with pytest.raises(ValueError, match="start with a letter"):
        pruned(r"\d+|word")
