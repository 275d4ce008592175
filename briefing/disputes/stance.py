"""Conflict or cooperation, from the per-language cue lexicons (sanction, accuse, expel … vs talks,
agree, dialogue, normalise …)."""

from __future__ import annotations

from briefing.attribution.lexicon import Lexicon
from briefing.attribution.tokens import word_tokens
from briefing.model import Stance

# Cooperation must outweigh conflict by this factor: dispute news mentions dialogue while it fights.
COOPERATION_MARGIN = 1.5
# The title says what the article is about: its cues count this many times.
TITLE_WEIGHT = 2.0
# The lead says it too: the first sentences' cues count this many times.
LEAD_WEIGHT = 1.5
LEAD_CHARS = 400


def cue_counts(text: str, lex: Lexicon) -> tuple[float, float]:
    """(conflict, cooperation) cue counts; a cue is a word stem, or a phrase matched in the text."""
    words = [w.lower() for w in word_tokens(text)]
    low = " ".join(words)
    conflict = _count(words, low, lex.conflict)
    cooperation = _count(words, low, lex.cooperation)
    return conflict, cooperation


def _count(words: list[str], low: str, stems: tuple[str, ...]) -> float:
    total = 0.0
    single = tuple(s for s in stems if " " not in s)
    for w in words:
        if w.startswith(single):
            total += 1
    for phrase in (s for s in stems if " " in s):
        total += low.count(phrase)
    return total


def stance(text: str, title: str | None, lex: Lexicon) -> Stance:
    conflict, cooperation = cue_counts(text, lex)
    lead_c, lead_p = cue_counts(text[:LEAD_CHARS], lex)
    conflict += (LEAD_WEIGHT - 1) * lead_c
    cooperation += (LEAD_WEIGHT - 1) * lead_p
    if title:
        tc, tp = cue_counts(title, lex)
        conflict += TITLE_WEIGHT * tc
        cooperation += TITLE_WEIGHT * tp
    return "cooperation" if cooperation > COOPERATION_MARGIN * conflict else "conflict"
