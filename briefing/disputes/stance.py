"""Conflict or cooperation, from the per-language cue lexicons (sanction, accuse, expel … vs talks,
agree, dialogue, normalise …).

The whole text votes, and the lead (the title, else the first sentence) votes again with its cues
weighted by order: news names the main event first ("Denmark accepted a formula for ending its
dispute" is cooperation although it mentions a dispute).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from briefing.attribution.lexicon import LEXICON_LANGS, Lexicon, lexicon
from briefing.attribution.tokens import word_tokens
from briefing.model import Stance

# Cooperation must outweigh conflict by this factor: dispute news mentions dialogue while it fights.
COOPERATION_MARGIN = 1.2
# Weight of the lead's vote against the whole text's (per cue of the text).
LEAD_WEIGHT = 3.0
_FIRST_SENTENCE = re.compile(r"^.*?[.!?](?=\s|$)", re.S)


@dataclass(frozen=True, slots=True)
class _CueList:
    """A cue list made ready for matching: its one-word stems, and its phrases of several words
    indexed by their first word (with their place in the list, to report them in its order)."""

    single: tuple[str, ...]
    phrases: dict[str, list[tuple[int, list[str]]]]


def _cue_list(stems: tuple[str, ...]) -> _CueList:
    phrases: dict[str, list[tuple[int, list[str]]]] = {}
    for rank, phrase in enumerate(s.split() for s in stems if " " in s):
        if not phrase:
            raise ValueError("a stance cue of spaces only")
        phrases.setdefault(phrase[0], []).append((rank, phrase))
    return _CueList(tuple(s for s in stems if " " not in s), phrases)


@lru_cache(maxsize=LEXICON_LANGS)
def _cue_lists(lang: str) -> tuple[_CueList, _CueList]:
    """The cooperation and the conflict cue lists of a language, made ready once."""
    lex = lexicon(lang)
    return _cue_list(lex.cooperation), _cue_list(lex.conflict)


def _cues(
    words: list[str],
    cues: _CueList,
    other: _CueList | None = None,
    endings: frozenset[str] = frozenset(),
) -> list[int]:
    """Word positions where a cue of the list starts (stems, or phrases of several words). A word
    inside a phrase of the `other` list is that phrase's ("war" in "war games")."""
    taken = {i + k for i, n in _phrases(words, other) for k in range(n)} if other else set()
    hit: dict[str, bool] = {}  # per distinct word
    hits = []
    for i, w in enumerate(words):
        if i in taken:
            continue
        if w not in hit:
            hit[w] = _stem_hit(w, cues.single, endings)
        if hit[w]:
            hits.append(i)
    hits += [i for i, _ in _phrases(words, cues)]
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


def _phrases(words: list[str], cues: _CueList) -> list[tuple[int, int]]:
    """(position, length) of every phrase of the list in the words, phrase by phrase in the
    list's order."""
    found: list[tuple[int, int, int]] = []
    if cues.phrases:
        for i, w in enumerate(words):
            for rank, phrase in cues.phrases.get(w, ()):
                if words[i : i + len(phrase)] == phrase:
                    found.append((rank, i, len(phrase)))
    found.sort()
    return [(i, n) for _, i, n in found]


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
    cooperation, conflict = _cue_lists(lex.lang)
    found = _cues(words, cooperation, conflict, lex.stem_endings)
    coop, refused = _split(words, found, lex)
    return coop, _cues(words, conflict, cooperation, lex.stem_endings) + refused


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
