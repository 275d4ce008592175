"""The engine: text in, a typed Brief out. Pure: no network, no storage, no Telegram.

normalise -> check there is prose -> language -> sentences -> summary; then who said what and the
dispute, on the same normalised text.
"""

from __future__ import annotations

from briefing.attribution import extract_statements
from briefing.disputes import extract_dispute
from briefing.language import check_prose, detect_language
from briefing.languages import SUPPORTED
from briefing.limits import (
    DEFAULT_SUMMARY_SENTENCES,
    MAX_INPUT_CHARS,
    MAX_SENTENCES,
    MAX_SPLIT_CHARS,
    MAX_SUMMARY_SENTENCES,
)
from briefing.model import Brief, BriefError, Source
from briefing.normalize import normalize
from briefing.sentences import split_sentences
from briefing.summarize import summarize


def _cap(text: str) -> str:
    """At most MAX_INPUT_CHARS, cut at the last paragraph (or line, or space) break before it."""
    if len(text) <= MAX_INPUT_CHARS:
        return text
    head = text[:MAX_INPUT_CHARS]
    for sep in ("\n\n", "\n", " "):
        cut = head.rfind(sep)
        if cut > MAX_INPUT_CHARS // 2:
            return head[:cut]
    return head


def split_article(paragraphs: tuple[str, ...], lang: str) -> list[str]:
    """The article's sentences, paragraph by paragraph, at most MAX_SENTENCES."""
    out: list[str] = []
    budget = MAX_SPLIT_CHARS
    for paragraph in paragraphs:
        out.extend(split_sentences(paragraph[:budget], lang))
        budget -= len(paragraph)
        if len(out) >= MAX_SENTENCES or budget <= 0:
            return out[:MAX_SENTENCES]
    return out


def warm_up() -> None:
    """Load every model now (language profiles, sentence models, stemmers), not on the first
    brief: for a server before it takes requests, and before forking worker processes."""
    detect_language("The engine is warming up before it takes any article at all.")
    for code in SUPPORTED:
        split_sentences("Warm up. Now.", code)
        summarize(["Warm up the models now.", "Then brief the articles."], code, 1)


def brief(
    text: str,
    *,
    lang: str | None = None,
    sentences: int = DEFAULT_SUMMARY_SENTENCES,
    title: str | None = None,
    source: Source | None = None,
) -> Brief:
    """Brief an article's text: a summary of at most `sentences` sentences (fewer when two already
    tell the story, see summarize), who said what, the dispute. Raises BriefError (with a message
    fit for a user) for input that is not an article: empty, a bare link, digits or emoji only,
    binary data. Input over MAX_INPUT_CHARS is cut at a paragraph boundary and the Brief says so
    (`truncated`)."""
    if not isinstance(text, str):
        raise BriefError("The article must be text.")
    if not 1 <= sentences <= MAX_SUMMARY_SENTENCES:
        raise BriefError(f"A summary has 1 to {MAX_SUMMARY_SENTENCES} sentences.")
    check_prose(text[:MAX_INPUT_CHARS])
    capped = _cap(text)
    article = normalize(capped, title=title)
    check_prose(article.text)
    language = detect_language(article.text, lang)
    sents = split_article(article.paragraphs, language.code)
    summary = summarize(sents, language.code, sentences)
    statements = extract_statements(article.text, language.code)
    dispute, statements = extract_dispute(
        article.text, language.code, statements, title=article.title
    )
    return Brief(
        language=language.code,
        language_supported=language.supported,
        text=article.text,
        summary=tuple(summary),
        title=article.title,
        statements=tuple(statements),
        dispute=dispute,
        source=source or Source(),
        truncated=bool(text[len(capped) :].strip()),
    )
