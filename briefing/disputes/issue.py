"""What the dispute is about: the phrase around a conflict cue and what follows over / about /
из-за / wegen / sur / sobre ("new sanctions on Russia over the case of opposition figure Alexey
Navalny")."""

from __future__ import annotations

from briefing.attribution.lexicon import Lexicon
from briefing.attribution.tokens import Token, tokenize

# The issue prepositional phrase may start this far after the cue: tokens.
MAX_PREP_GAP = 6
# Longest issue phrase: tokens.
MAX_ISSUE_TOKENS = 16
_STOP = set('.,;:!?"“”«»„()')


def issue(
    text: str, title: str | None, lex: Lexicon, text_toks: list[Token] | None = None
) -> str | None:
    """The issue phrase of the title, else of the text; `text_toks`: tokenize(text), when already
    made."""
    title = title or ""
    found = _issue_in(tokenize(title), title, lex)
    if found:
        return found
    return _issue_in(tokenize(text) if text_toks is None else text_toks, text, lex)


def _issue_in(toks: list[Token], text: str, lex: Lexicon) -> str | None:
    stems = tuple(s for s in lex.conflict if " " not in s)
    for k, t in enumerate(toks):
        if not t.is_word or not t.low.startswith(stems):
            continue
        for g in range(k + 1, min(len(toks), k + 1 + MAX_PREP_GAP)):
            if toks[g].text in _STOP:
                break
            prep = next((p for p in lex.issue_preps if _at(toks, g, p)), None)
            if prep is None:
                continue
            end = g + len(prep)
            while end < len(toks) and end - k < MAX_ISSUE_TOKENS and toks[end].text not in _STOP:
                end += 1
            if end > g + len(prep):
                first = (
                    k - 1
                    if k
                    and toks[k - 1].low not in lex.determiners
                    and toks[k - 1].is_word
                    and not toks[k - 1].is_cap
                    else k
                )
                return text[toks[first].start : toks[end - 1].end]
    return None


def _at(toks: list[Token], i: int, words: tuple[str, ...]) -> bool:
    return (
        bool(words)
        and i + len(words) <= len(toks)
        and all(toks[i + n].low == w for n, w in enumerate(words))
    )
