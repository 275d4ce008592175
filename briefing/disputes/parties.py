"""The parties of a dispute: mentions of states and organisations through the alias table of each
language (Kremlin, Moscow, Russian -> Russia), and, failing that, the named actors of the text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from briefing.attribution.lexicon import Lexicon, lexicon
from briefing.attribution.tokens import Token, tokenize

# Capitalised words that open a sentence or name a date are not actors.
_NOT_ACTORS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "for",
        "after",
        "before",
        "but",
        "and",
        "or",
        "if",
        "when",
        "while",
        "this",
        "that",
        "these",
        "those",
        "there",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "his",
        "her",
        "their",
        "its",
        "under",
        "with",
        "without",
        "as",
        "by",
        "from",
        "of",
        "to",
        "over",
        "during",
        "despite",
        "according",
        "however",
        "meanwhile",
        "also",
    ]
)
# Longest actor name we take from capitalised words: tokens.
MAX_ACTOR_TOKENS = 5


@dataclass(frozen=True, slots=True)
class PartyMention:
    name: str  # canonical ("Russia") or the actor's own name
    start: int  # character offset
    known: bool  # from the alias table


@cache
def _index(lang: str) -> dict[str, list[tuple[tuple[str, ...], str, bool]]]:
    """First word of every alias -> (alias words, canonical party, must be capitalised), longest
    alias first. The curated aliases come first; the generated country names only add."""
    lex = lexicon(lang)
    index: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
    seen: set[tuple[str, ...]] = set()
    for table, strict in ((lex.parties, False), (lex.countries, True)):
        for name, aliases in table.items():
            for alias in aliases:
                if alias and alias not in seen:
                    seen.add(alias)
                    index.setdefault(alias[0].replace(".", ""), []).append((alias, name, strict))
    for rows in index.values():
        rows.sort(key=lambda r: -len(r[0]))
    return index


def alias_mentions(toks: list[Token], lex: Lexicon) -> list[tuple[int, int, str]]:
    """(first token, token after, canonical party) for every alias in the tokens."""
    index = _index(lex.lang)
    found: list[tuple[int, int, str]] = []
    k = 0
    while k < len(toks):
        hit = None
        for alias, name, strict in index.get(_bare(toks[k].low).replace(".", ""), ()):
            n = len(alias)
            if (strict or lex.capitalised_adjectives) and not toks[k].is_cap:
                continue  # "turkey", "chad" in lower case are no countries
            if k + n <= len(toks) and all(
                _bare(toks[k + i].low) == alias[i] for i in range(1, n)
            ):
                hit = (k, k + n, name)
                break
        if hit is not None:
            found.append(hit)
            k = hit[1]
        else:
            k += 1
    return found


_POSSESSIVE = ("'s", "’s")  # (both two characters long)


def _bare(low: str) -> str:
    """A word without its possessive ending: "denmark's" -> "denmark"."""
    return low[:-2] if low.endswith(_POSSESSIVE) else low


def party_mentions(
    text: str, lex: Lexicon, toks: list[Token] | None = None
) -> list[PartyMention]:
    """Parties the text mentions, in text order; `toks`: tokenize(text), when already made."""
    if toks is None:
        toks = tokenize(text)
    out: list[PartyMention] = []
    taken: set[int] = set()
    for a, b, name in alias_mentions(toks, lex):
        if len(name) > 0 and _case_ok(toks[a], name, lex):
            out.append(PartyMention(name, toks[a].start, True))
            taken.update(range(a, b))
    out.extend(_named_actors(toks, taken, lex))
    return sorted(out, key=lambda m: m.start)


def _case_ok(tok: Token, name: str, lex: Lexicon) -> bool:
    # Short aliases written in lower case are ordinary words ("us", "un", "ue" in French).
    return tok.is_cap or len(tok.text) > 3 or not tok.text.isalpha() or lex.lang == "ru"


def _named_actors(toks: list[Token], taken: set[int], lex: Lexicon) -> list[PartyMention]:
    """Runs of capitalised words that are not a known party: "Revolutionary United Front"."""
    out: list[PartyMention] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        if k in taken or not t.is_word or not t.is_cap or t.low in _NOT_ACTORS:
            k += 1
            continue
        j = k
        while (
            j < len(toks)
            and j - k < MAX_ACTOR_TOKENS
            and j not in taken
            and (
                (toks[j].is_cap and toks[j].is_word)
                or (toks[j].low in ("of", "for") and j + 1 < len(toks) and toks[j + 1].is_cap)
            )
        ):
            j += 1
        sentence_start = k == 0 or toks[k - 1].text in ".!?\n"
        words = [x for x in toks[k:j] if x.low not in lex.roles or (x.is_cap and j - k == 1)]
        if words and not (sentence_start and j - k == 1) and lex.lang != "de":
            out.append(PartyMention(" ".join(x.text for x in toks[k:j]), t.start, False))
        k = max(j, k + 1)
    return out


def side_of(speaker: str | None, role: str | None, lex: Lexicon) -> str | None:
    """The party a speaker stands for, when the name or role says so ("Kremlin spokesman")."""
    for text in (role, speaker):
        if not text:
            continue
        found = alias_mentions(tokenize(text), lex)
        if found:
            return found[0][2]
    return None
