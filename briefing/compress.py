"""Light, safe compression of a summary sentence: cut what a reader of a two- or three-sentence
summary does not need, and never leave a fragment.

Only a few kinds of words go, each of which news writes the same way everywhere:
- a connective that opens the sentence and points to one the summary does not show
  ("However, ...", "Meanwhile, ...", "But ...");
- a bracketed aside that is a photo direction or a wire tag ("(pictured)", "(left)", "(CNN)");
- page furniture glued into a sentence ("Scroll down for video").

What somebody said stays attributed: "..., he said." is never cut, because in a bot about disputes
a claim must not turn into a fact.
"""

from __future__ import annotations

import re

# Connectives that open a sentence and lean on the one before, per language. Those followed by a
# comma can go whatever follows; the bare ones ("But") only before a word that can open a
# sentence. German is left alone: its verb-second order breaks when the opening word goes
# ("Doch lehnte die Regierung ab").
_CONNECTIVES: dict[str, tuple[str, ...]] = {
    "en": (
        "however,",
        "meanwhile,",
        "moreover,",
        "furthermore,",
        "nevertheless,",
        "nonetheless,",
        "in addition,",
        "additionally,",
        "separately,",
        "still,",
        "indeed,",
        "instead,",
        "but",
        "and",
    ),
    "fr": (
        "cependant,",
        "toutefois,",
        "pourtant,",
        "par ailleurs,",
        "en outre,",
        "de plus,",
        "néanmoins,",
        "mais",
        "et",
    ),
    "es": (
        "sin embargo,",
        "además,",
        "no obstante,",
        "por otra parte,",
        "por otro lado,",
        "asimismo,",
        "pero",
        "y",
    ),
    "ru": (
        "однако,",
        "впрочем,",
        "кроме того,",
        "между тем,",
        "при этом,",
        "но",
        "а",
        "и",
    ),
}
_OPENER = {
    lang: re.compile(
        r"^(?:" + "|".join(re.escape(c) for c in sorted(words, key=len, reverse=True)) + r")\s+",
        re.I,
    )
    for lang, words in _CONNECTIVES.items()
}
# A bracketed photo direction or wire tag: "(pictured)", "(left, with his wife)", "(CNN)",
# "(file photo)", "(AP Photo)".
_ASIDE = re.compile(
    r"\s*\((?:(?:pictured|left|right|centre|center|above|below|top|bottom|inset|file(?: photo)?|"
    r"cnn|ap|afp|reuters|ap photo|photo|video|watch|see video)\b[^()]{0,60})\)",
    re.I,
)
_FURNITURE = re.compile(
    r"\s*(?:scroll down for video|scroll down for more|click here for more|watch the video)\b"
    r"\s*[.:-]*",
    re.I,
)
_WORD = re.compile(r"\w+")
# A sentence kept after compression has at least this many words.
_MIN_WORDS = 4


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def drop_opener(sentence: str, lang: str) -> str:
    """Cut an opening connective ("However, the court ..." -> "The court ...")."""
    rx = _OPENER.get(lang)
    if rx is None:
        return sentence
    m = rx.match(sentence)
    if not m:
        return sentence
    rest = sentence[m.end() :]
    # "But" before a lower-case word that cannot open a sentence ("But then", "And yet") stays
    # readable; before a comma, a quotation mark or a digit it would not.
    if not rest[:1].isalpha():
        return sentence
    return _upper_first(rest)


def compress(sentence: str, lang: str, *, follows: bool = False) -> str:
    """The sentence without what a short summary does not need; the sentence itself when the cut
    would leave too little. `follows`: the summary shows the sentence before this one, so an
    opening connective still has something to lean on and stays."""
    out = _FURNITURE.sub("", sentence)
    out = _ASIDE.sub("", out)
    if not follows:
        out = drop_opener(out, lang)
    out = out.strip()
    if len(_WORD.findall(out)) < _MIN_WORDS:
        return sentence
    return out
