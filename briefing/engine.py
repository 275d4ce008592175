"""The engine: text in, a typed Brief out. Pure: no network, no storage, no Telegram."""

from __future__ import annotations

import re

from briefing.attribution import extract_statements
from briefing.disputes import extract_dispute
from briefing.limits import DEFAULT_SUMMARY_SENTENCES, MAX_INPUT_CHARS, MIN_LETTERS
from briefing.model import Brief, BriefError, Source
from briefing.sentences import split_sentences


def brief(
    text: str,
    *,
    lang: str | None = None,
    sentences: int = DEFAULT_SUMMARY_SENTENCES,
    title: str | None = None,
    source: Source | None = None,
) -> Brief:
    """Brief an article's text."""
    text = text[:MAX_INPUT_CHARS].strip()
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        raise BriefError("The text is too short to brief.", code="too_short")
    language = lang or "en"
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    sents = [s for p in paragraphs for s in split_sentences(p, language)]
    statements = extract_statements(text, language)
    dispute, statements = extract_dispute(text, language, statements, title=title)
    return Brief(
        language=language,
        text=text,
        summary=tuple(sents[:sentences]),
        title=title,
        statements=tuple(statements),
        dispute=dispute,
        source=source or Source(),
    )
