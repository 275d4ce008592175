"""Word tokens with their character offsets, shared by every attribution rule."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A word keeps inner hyphens, apostrophes and dots ("пресс-секретарь", "Kremlin's", "U.S");
# any other non-space character is a token of its own.
_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")
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
