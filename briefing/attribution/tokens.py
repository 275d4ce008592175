"""Word tokens with their character offsets, shared by every attribution rule."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A word keeps inner hyphens, apostrophes and dots ("пресс-секретарь", "Kremlin's", "U.S");
# any other non-space character is a token of its own.
# An initial keeps its dot ("George W. Bush").
_TOKEN = re.compile(r"[^\W\d_]\.(?=\s[^\W\d_]{2})|\w+(?:[-'’.]\w+)*|[^\w\s]")
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    low: str  # lower case, ё written е
    is_word: bool
    is_cap: bool


def _token(text: str, start: int, end: int) -> Token:
    first = text[:1]
    return Token(
        text,
        start,
        end,
        text.lower().replace("ё", "е"),
        first.isalnum() or first == "_",
        first.isupper(),
    )


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of text[start:end], with offsets into `text`."""
    return [
        _token(m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(text, start, len(text) if end is None else end)
    ]


def word_tokens(text: str) -> list[str]:
    return [m.group().replace("ё", "е") for m in _WORD.finditer(text)]


# After these a word is capitalised for its position, not because it is a name.
_OPENERS = frozenset(".:!?\"'„“”«»‚‘’—–-()[]")


def lower_vocabulary(text: str) -> frozenset[str]:
    """Words the text writes in lower case somewhere ("ähnlich", "nach")."""
    return frozenset(w for w in word_tokens(text) if w[:1].islower())


def demote(toks: list[Token], function_words: frozenset[str], lower: frozenset[str]) -> list[Token]:
    """Tokens where a capitalised function word ("Nach", "Ähnlich", "However"), or a word opening
    a sentence that the text elsewhere writes in lower case, no longer counts as capitalised."""
    out = toks
    for k, t in enumerate(toks):
        if not t.is_cap:
            continue
        opening = k == 0 or toks[k - 1].text in _OPENERS
        if t.low in function_words or (opening and t.low in lower):
            if out is toks:
                out = list(toks)
            out[k] = Token(t.text, t.start, t.end, t.low, t.is_word, False)
    return out
