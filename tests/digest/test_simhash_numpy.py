"""`simhash` counts bits with numpy; it must give exactly what the plain definition gives, since
fingerprints already in stores are compared with new ones."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.pool import (
    _WORD,
    FINGERPRINT_BITS,
    MIN_FINGERPRINT_WORDS,
    SHINGLE_WORDS,
    _hash64,
    simhash,
)
from tests.bot.pages import SEED


def reference(text: str) -> int | None:
    tokens = [w.casefold() for w in _WORD.findall(text)]
    if len(tokens) < MIN_FINGERPRINT_WORDS:
        return None
    counts = [0] * FINGERPRINT_BITS
    for i in range(len(tokens) - SHINGLE_WORDS + 1):
        h = _hash64(" ".join(tokens[i : i + SHINGLE_WORDS]))
        for bit in range(FINGERPRINT_BITS):
            counts[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit, c in enumerate(counts) if c > 0)


def test_the_seed_article() -> None:
    assert simhash(SEED) == reference(SEED)
    assert simhash(SEED) is not None


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["EU", "Russia", "said", "Peskov", "санкции", "a", "1"]), max_size=80)
)
def test_any_text(words: list[str]) -> None:
    text = " ".join(words)
    assert simhash(text) == reference(text)
