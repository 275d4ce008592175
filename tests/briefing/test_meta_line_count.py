"""is_meta_line stops counting furniture signals once the count decides; its answers are those of
counting them all (the rule as written before: 3 signals, or 2 on a line that does not end like a
sentence, or 1 on a short line that does not)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.normalize import (
    _BOILERPLATE,
    _BYLINE,
    _META_SIGNALS,
    MAX_META_LINE_WORDS,
    _ends_sentence,
    is_meta_line,
)

PIECES = [
    "Updated",
    "10:03",
    "Monday",
    "February 22",
    "12 February 2021",
    "UrduPoint.com",
    "@newsdesk",
    "|",
    "By",
    "2021-02-10",
    "3 hours ago",
    "the vote",
    "is on",
    "Reuters",
    "Kremlin",
    "said",
    "понедельник",
    "1 дек",
]


def _counting_all(line: str) -> bool:
    words = line.split()
    if not words or len(words) > MAX_META_LINE_WORDS:
        return False
    if _BOILERPLATE.match(line) or _BYLINE.match(line):
        return True
    signals = sum(bool(rx.search(line)) for rx in _META_SIGNALS)
    if signals >= 3 or (signals == 2 and not _ends_sentence(line)):
        return True
    letters_words = [w for w in words if any(c.isalpha() for c in w)]
    return signals == 1 and len(letters_words) <= 3 and not _ends_sentence(line)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=9),
    st.sampled_from(["", ".", ":", "!", "?”", ","]),
)
def test_the_same_answer_as_counting_every_signal(pieces: list[str], end: str) -> None:
    line = " ".join(pieces) + end
    assert is_meta_line(line) == _counting_all(line)


def test_examples_of_both_answers() -> None:
    assert is_meta_line("Updated 10:03")
    assert is_meta_line("Monday, February 22, 2021 | 10:03 GMT")
    assert not is_meta_line("The vote is on Monday, February 22.")
    assert is_meta_line("The vote is on Monday, February 22, 2021, 10:03 GMT.")
