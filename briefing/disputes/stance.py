"""Conflict or cooperation, from the per-language cue lexicons (sanction, accuse, expel … vs talks,
agree, dialogue, normalise …).

The whole text votes, and the lead (the title, else the first sentence) votes again with its cues
weighted by order: news names the main event first ("Denmark accepted a formula for ending its
dispute" is cooperation although it mentions a dispute).
"""

from __future__ import annotations

import re

from briefing.attribution.lexicon import Lexicon
from briefing.attribution.tokens import word_tokens
from briefing.model import Stance

# Cooperation must outweigh conflict by this factor: dispute news mentions dialogue while it fights.
COOPERATION_MARGIN = 1.2
# Weight of the lead's vote against the whole text's (per cue of the text).
LEAD_WEIGHT = 3.0
_FIRST_SENTENCE = re.compile(r"^.*?[.!?](?=\s|$)", re.S)


def _cues(words: list[str], stems: tuple[str, ...]) -> list[int]:
    """Word positions where a cue of the list starts (stems, or phrases of several words)."""
    single = tuple(s for s in stems if " " not in s)
    hits = [i for i, w in enumerate(words) if w.startswith(single)]
    for phrase in (s.split() for s in stems if " " in s):
        n = len(phrase)
        hits += [i for i in range(len(words) - n + 1) if words[i : i + n] == phrase]
    return hits


# A negation this many words before a cooperation cue turns it into a refusal: words.
NEGATION_REACH = 3


def _split(words: list[str], hits: list[int], lex: Lexicon) -> tuple[list[int], list[int]]:
    """Cooperation cues as they stand, and those negated ("would not meet", "refused to sign")."""
    plain: list[int] = []
    negated: list[int] = []
    for i in hits:
        window = words[max(0, i - NEGATION_REACH) : i] + words[i + 1 : i + 1 + lex.negation_after]
        (negated if any(w in lex.negations for w in window) else plain).append(i)
    return plain, negated


def _words(text: str) -> list[str]:
    return [w.lower() for w in word_tokens(text)]


def stance(text: str, title: str | None, lex: Lexicon) -> Stance:
    words = _words(text)
    coop_hits, refused = _split(words, _cues(words, lex.cooperation), lex)
    conflict = float(len(_cues(words, lex.conflict)) + len(refused))
    cooperation = float(len(coop_hits))
    lead_text = title or (m.group() if (m := _FIRST_SENTENCE.match(text)) else text)
    lead = _words(lead_text)
    # Each lead cue weighs 1/(its rank among the lead's cues + 1): the first one decides most.
    lead_coop, lead_refused = _split(lead, _cues(lead, lex.cooperation), lex)
    ranked = sorted(
        [(i, "c") for i in _cues(lead, lex.conflict) + lead_refused] + [(i, "p") for i in lead_coop]
    )
    for rank, (_, kind) in enumerate(ranked):
        weight = LEAD_WEIGHT / (rank + 1)
        if kind == "c":
            conflict += weight
        else:
            cooperation += weight
    return "cooperation" if cooperation > COOPERATION_MARGIN * conflict else "conflict"
