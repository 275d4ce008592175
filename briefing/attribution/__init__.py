"""Who said what: direct and indirect statements with their speakers.

The pipeline: quotations (quotes.py) -> quote-aware sentences (segments.py) -> cues and the
rules that attach quotes and reported clauses to speaker phrases (cues.py, rules.py) -> speaker
resolution across
the article (speakers.py) -> trimming, deduplication and grouping (shaping.py). Everything language
specific is data: briefing/data/lexicons/<lang>.json.
"""

from __future__ import annotations

import re

from briefing.attribution.lexicon import lexicon
from briefing.attribution.quotes import find_quotes
from briefing.attribution.rules import Rules
from briefing.attribution.segments import sentence_spans
from briefing.attribution.shaping import dedupe, group, trim
from briefing.attribution.speakers import Registry, prescan
from briefing.attribution.tokens import SentenceTokens
from briefing.model import Statement

__all__ = ["extract_statements"]

# An agency dateline opening a paragraph: "MOSCOW, March 3 (Reuters) - ", "WASHINGTON (AP) — ",
# "MOSCOW (Sputnik - 10th February, 2021) ". It is no part of what anybody said.
_DATELINE = re.compile(
    r"^[ \t]*[A-ZА-ЯЁ][A-ZА-ЯЁ.'’/ -]{2,}(?:,[^\n()]{0,40}?)?[ \t]*"
    r"(?:\([^)\n]{1,80}\)[ \t]*(?:[-—–]{1,2}[ \t]+)?|[-—–]{1,2}[ \t]+)",
    re.M,
)


# A quote this short with no speaker is a name or a term, not a statement: words.
MAX_ORPHAN_QUOTE_WORDS = 2


def _after_dateline(text: str, pos: int, quote: str) -> str:
    """The quote without a dateline it starts with."""
    m = _DATELINE.match(text, text.rfind("\n", 0, pos) + 1)
    if m is None or not (m.start() <= pos < m.end()):
        return quote
    return quote[m.end() - pos :]


def extract_statements(text: str, lang: str) -> list[Statement]:
    """Statements in the normalised article text, grouped per speaker, most important first."""
    lex = lexicon(lang)
    quotes = find_quotes(text)
    spans = sentence_spans(text, quotes, lex)
    registry = Registry(lex)
    tokens = SentenceTokens(text, lex)  # this text's sentences, tokenised once for both passes
    prescan(registry, text, spans, tokens)
    raws = Rules(text, lex, quotes, tokens).run(spans)
    items: list[tuple[int, Statement]] = []
    for raw in sorted(raws, key=lambda r: r.pos):
        speaker = role = None
        if raw.speaker is not None:
            speaker, role, person = registry.resolve(raw.speaker)
            if person and speaker:
                registry.last_speaker = (speaker, role)
                registry.last_speaker_pos = raw.pos
        if raw.kind == "indirect" and speaker is None:
            continue  # reported speech without a speaker tells the reader nothing
        if speaker is None and len(raw.quote.split()) <= MAX_ORPHAN_QUOTE_WORDS:
            continue  # „Wikiasari“, so heißt …: a word in quotation marks, nobody's, is a name
        said = raw.quote if raw.kind == "direct" else _after_dateline(text, raw.pos, raw.quote)
        quote = trim(said)
        if not quote:
            continue
        items.append(
            (
                raw.pos,
                Statement(
                    quote=quote,
                    kind="direct" if raw.kind == "direct" else "indirect",
                    speaker=speaker,
                    role=role,
                    cue=raw.cue,
                ),
            )
        )
    return group(dedupe(items))
