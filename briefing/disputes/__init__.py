"""About which dispute: the parties, the issue and the stance.

Parties are ranked by how the article treats them: mentions (the title counts more), and the sides
of the people quoted. Each statement gets the side its speaker stands for, when the name or role
says so ("Kremlin spokesman" -> Russia).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from briefing.attribution.lexicon import lexicon
from briefing.attribution.tokens import tokenize
from briefing.disputes.issue import issue
from briefing.disputes.parties import party_mentions, side_of
from briefing.disputes.stance import stance
from briefing.model import Dispute, Statement

__all__ = ["extract_dispute"]

# A dispute has at most this many sides.
MAX_PARTIES = 2
# How much a mention in the title, and a quoted speaker of that side, weigh against one mention.
TITLE_MENTION_WEIGHT = 3
SPEAKER_SIDE_WEIGHT = 2
# Alias-table parties outrank the text's other named actors by this factor.
KNOWN_PARTY_WEIGHT = 2


def extract_dispute(
    text: str, lang: str, statements: Sequence[Statement], *, title: str | None = None
) -> tuple[Dispute | None, list[Statement]]:
    """The dispute of the article, and the statements with each speaker's side filled in."""
    lex = lexicon(lang)
    sided = [replace(s, side=side_of(s.speaker, s.role, lex)) for s in statements]
    score: Counter[str] = Counter()
    first: dict[str, int] = {}
    toks = tokenize(text)  # read by the parties and the issue
    for m in party_mentions(text, lex, toks):
        score[m.name] += KNOWN_PARTY_WEIGHT if m.known else 1
        first.setdefault(m.name, m.start)
    if title:
        for m in party_mentions(title, lex):
            score[m.name] += TITLE_MENTION_WEIGHT
            first[m.name] = -1
    for s in sided:
        if s.side:
            score[s.side] += SPEAKER_SIDE_WEIGHT
            first.setdefault(s.side, len(text))
    if not score:
        return None, sided
    ranked = sorted(score, key=lambda n: (-score[n], first.get(n, len(text))))
    parties = tuple(ranked[:MAX_PARTIES])
    dispute = Dispute(
        parties=parties, issue=issue(text, title, lex, toks), stance=stance(text, title, lex)
    )
    return dispute, sided
