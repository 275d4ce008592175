"""Sentences for attribution: split at sentence ends, never inside a quotation.

The attribution rules need sentence spans that keep a quotation and its "he said" together, in
every paragraph; the summariser's splitter does not promise that, so this one is quote-aware and
cheap (a regular expression and the lexicon's abbreviations).
"""

from __future__ import annotations

import re

from briefing.attribution.lexicon import Lexicon
from briefing.attribution.quotes import Quote, paragraphs

# A sentence end: terminal punctuation (and closing marks), space, then what can start a sentence.
_END = re.compile(r"[.!?…]+[\"'”’»“)]*\s+(?=[\"'“„«‚‘(\[—–-]?\s?[\w\"'“„«])")
_ABBR_WORD = re.compile(r"([\w.]+)[.]?$")
# "am 6. September": a number of at most this many digits before a dot is an ordinal: digits.
MAX_ORDINAL_DIGITS = 2


def sentence_spans(text: str, quotes: list[Quote], lex: Lexicon) -> list[tuple[int, int]]:
    """(start, end) of every sentence; a quotation spanning paragraphs stays in one sentence."""
    inside = _quote_mask(quotes)
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs(text):
        if spans and _in(inside, p_start):
            # The paragraph continues a quotation that started in an earlier one.
            s0, _ = spans.pop()
            p_start = s0
        start = p_start
        for m in _END.finditer(text, p_start, p_end):
            cut = m.end()
            dot = m.start()
            if _in(inside, cut - 1) or _abbreviation(text, start, dot, lex):
                continue
            if _lower_next(text, cut, p_end):
                continue
            spans.append((start, len(text[:cut].rstrip())))
            start = cut
        if start < p_end:
            spans.append((start, p_end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _lower_next(text: str, pos: int, end: int) -> bool:
    for ch in text[pos : min(end, pos + 4)]:
        if ch.isalpha():
            return ch.islower()
    return False


def _quote_mask(quotes: list[Quote]) -> list[tuple[int, int]]:
    return [(q.start + 1, q.end - 1) for q in quotes]


def _in(mask: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in mask)


def _abbreviation(text: str, start: int, dot: int, lex: Lexicon) -> bool:
    if text[dot] != ".":
        return False
    m = _ABBR_WORD.search(text, start, dot)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    # A single letter is an initial ("J. Smith"); listed abbreviations never end a sentence; in
    # German a day or rank is written "am 6. September", "der 3. Platz".
    return (
        (len(word) == 1 and word.isalpha())
        or word in lex.abbreviations
        or (lex.ordinal_dot and word.isdigit() and len(word) <= MAX_ORDINAL_DIGITS)
    )
