"""From raw statements to what the brief shows: short, deduplicated, grouped per speaker,
most important speaker first."""

from __future__ import annotations

import re

from briefing.attribution.tokens import word_tokens
from briefing.model import Statement

# A statement longer than this is cut at a clause boundary, with an ellipsis: words.
MAX_STATEMENT_WORDS = 40
# The cut is made at a clause boundary no earlier than this: words.
MIN_CUT_WORDS = 15
# A statement whose words are this share of another one's (same kind) repeats it.
DUPLICATE_SHARE = 0.8
_CLAUSE_END = re.compile(r"[,;:—–]\s|\.\s")
_WORD = re.compile(r"\w+")


def trim(quote: str) -> str:
    """The quote cut to MAX_STATEMENT_WORDS at a clause boundary, marked with an ellipsis."""
    quote = " ".join(quote.split()).strip(" ,;:—–")
    words = list(_WORD.finditer(quote))
    if len(words) <= MAX_STATEMENT_WORDS:
        return quote
    limit = words[MAX_STATEMENT_WORDS - 1].end()
    floor = words[MIN_CUT_WORDS - 1].end()
    cuts = [m.start() for m in _CLAUSE_END.finditer(quote, floor, limit + 1)]
    cut = cuts[-1] if cuts else limit
    return quote[:cut].rstrip(" ,;:—–") + " …"


def _tokens(s: str) -> list[str]:
    return [w.lower() for w in word_tokens(s)]


def _contained(a: list[str], b: list[str]) -> bool:
    """Whether most of a's words are in b."""
    if not a:
        return True
    bs = set(b)
    return sum(1 for w in a if w in bs) >= DUPLICATE_SHARE * len(a)


def dedupe(items: list[tuple[int, Statement]]) -> list[tuple[int, Statement]]:
    kept: list[tuple[int, Statement, list[str]]] = []
    for pos, st in sorted(items, key=lambda x: -len(x[1].quote)):
        toks = _tokens(st.quote)
        if any(k.kind == st.kind and _contained(toks, kt) for _, k, kt in kept):
            continue
        kept.append((pos, st, toks))
    return sorted(((p, s) for p, s, _ in kept), key=lambda x: x[0])


def group(items: list[tuple[int, Statement]]) -> list[Statement]:
    """Per speaker, in text order; speakers with more statements first, then by first appearance;
    statements without a speaker last."""
    order: dict[str | None, list[tuple[int, Statement]]] = {}
    for pos, st in sorted(items, key=lambda x: x[0]):
        order.setdefault(st.speaker, []).append((pos, st))

    def rank(key: str | None) -> tuple[int, int, int]:
        rows = order[key]
        direct = sum(1 for _, s in rows if s.kind == "direct")
        return (key is None, -(len(rows) + direct), rows[0][0])

    return [st for key in sorted(order, key=rank) for _, st in order[key]]
