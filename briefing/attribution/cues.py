"""Speech cues in a sentence: verbs of saying (with inflections and separable particles) and the
phrases that introduce a source ("according to", "laut", "по словам", "selon", "según")."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from briefing.attribution.lexicon import LEXICON_LANGS, Lexicon, lexicon
from briefing.attribution.tokens import Token

# After these a cue may be capitalised ("„…“ Sagte er", "— Заявил он").
_OPENERS = frozenset(".:!?\"'„“”«»‚‘’—–-()[]")
# A separable particle ("teilte ... mit") must follow the verb within this many tokens.
MAX_PARTICLE_GAP = 10


@dataclass(frozen=True, slots=True)
class CueHit:
    start: int  # token index of the cue's first word
    end: int  # token index after its last word (the particle of a separable verb is not counted)
    text: str
    according: bool = False  # "according to X": the speaker follows
    post: bool = False  # "X zufolge": the speaker precedes
    source: int | None = None  # "nach Angaben der Polizei": token index of the source noun


def find_cues(toks: list[Token], usable: list[bool], lex: Lexicon) -> list[CueHit]:
    """Cues among the usable tokens (tokens inside quotations are not usable)."""
    hits: list[CueHit] = []
    i = 0
    n = len(toks)
    while i < n:
        if not usable[i]:
            i += 1
            continue
        low = toks[i].low
        if toks[i].is_cap and i > 0 and toks[i - 1].text not in _OPENERS:
            i += 1  # a capitalised word inside a sentence is a name ("United States"), no verb
            continue
        hit = _according(toks, i, lex) or _source(toks, i, lex) or _verb(toks, usable, i, lex)
        if hit is None and low in lex.according_post:
            hit = CueHit(i, i + 1, toks[i].text, post=True)
        if hit is not None:
            hits.append(hit)
            i = hit.end
        else:
            i += 1
    return hits


def _matches(toks: list[Token], i: int, words: tuple[str, ...]) -> bool:
    return i + len(words) <= len(toks) and all(toks[i + k].low == w for k, w in enumerate(words))


@lru_cache(maxsize=LEXICON_LANGS)
def _according_by_first_word(lang: str) -> dict[str, list[tuple[str, ...]]]:
    """The lexicon's "according to" phrases by their first word, each list in the lexicon's
    order (longest first)."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for words in lexicon(lang).according:
        if words:
            table.setdefault(words[0], []).append(words)
    return table


def _according(toks: list[Token], i: int, lex: Lexicon) -> CueHit | None:
    for words in _according_by_first_word(lex.lang).get(toks[i].low, ()):
        if _matches(toks, i, words):
            end = i + len(words)
            return CueHit(i, end, " ".join(t.text for t in toks[i:end]), according=True)
    return None


# Between "nach" and its noun of information: articles and adjectives ("nach ersten"): tokens.
MAX_SOURCE_GAP = 3
# A compound ending in a noun of information ("Polizeiangaben") is one: characters.
MIN_SOURCE_COMPOUND = 8


def _source(toks: list[Token], i: int, lex: Lexicon) -> CueHit | None:
    """ "Nach Angaben der Polizei", "nach ersten Ermittlungen": the cue is the preposition; the
    speaker is the phrase after it."""
    if toks[i].low not in lex.source_preps:
        return None
    for k in range(i + 1, min(len(toks), i + 2 + MAX_SOURCE_GAP)):
        low = toks[k].low
        if not toks[k].is_word:
            return None
        if low in lex.source_nouns or (
            len(low) >= MIN_SOURCE_COMPOUND and low.endswith(lex.source_nouns)
        ):
            return CueHit(i, i + 1, toks[i].text, according=True, source=k)
        if toks[k].is_cap and toks[k].low not in lex.determiners:
            return None
    return None


def _verb(toks: list[Token], usable: list[bool], i: int, lex: Lexicon) -> CueHit | None:
    for cue in lex.cues.get(toks[i].low, ()):
        if not _matches(toks, i, cue.words):
            continue
        end = i + len(cue.words)
        if cue.particle is None:
            return CueHit(i, end, " ".join(t.text for t in toks[i:end]))
        for k in range(end, min(len(toks), end + MAX_PARTICLE_GAP)):
            if not usable[k]:
                continue  # "wies die Vorwürfe als „haltlos“ zurück": the particle follows the quote
            if toks[k].text in ",;:":
                break
            if toks[k].low == cue.particle:
                return CueHit(i, end, f"{toks[i].text} {toks[k].text}")
    return None
