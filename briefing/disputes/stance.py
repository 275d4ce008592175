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


def _cues(
    words: list[str],
    stems: tuple[str, ...],
    other: tuple[str, ...] = (),
    endings: frozenset[str] = frozenset(),
) -> list[int]:
    """Word positions where a cue of the list starts (stems, or phrases of several words). A word
    inside a phrase of the `other` list is that phrase's ("war" in "war games")."""
    taken = {i + k for i, n in _phrases(words, other) for k in range(n)}
    single = tuple(s for s in stems if " " not in s)
    hits = [i for i, w in enumerate(words) if i not in taken and _stem_hit(w, single, endings)]
    hits += [i for i, _ in _phrases(words, stems)]
    return hits


# A stem this short matches only with one of the language's inflection endings (when the
# lexicon lists them): "ban" in "banned", never in "Bangladeshi"; "aid" in "aids", never in
# "aide": characters.
MAX_SHORT_STEM = 4


def _stem_hit(word: str, stems: tuple[str, ...], endings: frozenset[str]) -> bool:
    if not word.startswith(stems):
        return False
    if not endings:
        return True
    return any(
        word.startswith(s) and (len(s) > MAX_SHORT_STEM or word[len(s) :] in endings)
        for s in stems
    )


def _phrases(words: list[str], stems: tuple[str, ...]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for phrase in (s.split() for s in stems if " " in s):
        n = len(phrase)
        found += [(i, n) for i in range(len(words) - n + 1) if words[i : i + n] == phrase]
    return found


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


def _words(text: str, exclude: frozenset[str] = frozenset()) -> list[str]:
    """Lower-case words; words that only look like cues ("according", "missionary") are blanked."""
    return [w if w not in exclude else "" for w in (x.lower() for x in word_tokens(text))]


def _votes(words: list[str], lex: Lexicon) -> tuple[list[int], list[int]]:
    """Positions of the cooperation cues, and of the conflict cues with the refused cooperation."""
    found = _cues(words, lex.cooperation, lex.conflict, lex.stem_endings)
    coop, refused = _split(words, found, lex)
    return coop, _cues(words, lex.conflict, lex.cooperation, lex.stem_endings) + refused


def stance(text: str, title: str | None, lex: Lexicon) -> Stance:
    words = _words(text, lex.stance_exclude)
    coop_hits, conflict_hits = _votes(words, lex)
    conflict = float(len(conflict_hits))
    cooperation = float(len(coop_hits))
    lead_text = title or (m.group() if (m := _FIRST_SENTENCE.match(text)) else text)
    lead = _words(lead_text, lex.stance_exclude)
    # Each lead cue weighs 1/(its rank among the lead's cues + 1): the first one decides most.
    lead_coop, lead_conflict = _votes(lead, lex)
    ranked = sorted([(i, "c") for i in lead_conflict] + [(i, "p") for i in lead_coop])
    for rank, (_, kind) in enumerate(ranked):
        weight = LEAD_WEIGHT / (rank + 1)
        if kind == "c":
            conflict += weight
        else:
            cooperation += weight
    return "cooperation" if cooperation > COOPERATION_MARGIN * conflict else "conflict"
