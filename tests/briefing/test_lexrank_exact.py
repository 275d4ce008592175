"""The engine's LexRank (briefing.summarize._Ratings) gives sumy's LexRank scores to the last bit:
it only does sumy's work in fewer steps."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.summarizers.lex_rank import LexRankSummarizer

from briefing.engine import split_article
from briefing.limits import MAX_RANKED_SENTENCES
from briefing.normalize import normalize
from briefing.summarize import _ranker, _tokenizer

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


class _SumyScores(LexRankSummarizer):  # type: ignore[misc]
    """sumy's own LexRank, returning every sentence's score."""

    def _get_best_sentences(
        self, sentences: Sequence[Sentence], count: Any, rating: Any, *args: Any, **kwargs: Any
    ) -> tuple[float, ...]:
        return tuple(float(rating[s]) for s in sentences)


def _same_as_sumy(sentences: list[str], lang: str) -> None:
    ours = _ranker(lang)
    reference = _SumyScores(ours._stemmer)
    reference.stop_words = ours.stop_words
    tokenizer = _tokenizer(lang)
    document = ObjectDocumentModel((Paragraph([Sentence(s, tokenizer) for s in sentences]),))
    assert ours(document, len(sentences)) == reference(document, len(sentences))


def test_the_seed_gets_sumys_scores(seed_text: str) -> None:
    sentences = split_article(normalize(seed_text).paragraphs, "en")
    _same_as_sumy(sentences[:MAX_RANKED_SENTENCES], "en")
    _same_as_sumy(sentences, "en")


def test_repeated_and_stop_word_sentences_get_sumys_scores() -> None:
    sentences = [
        "The minister said the talks would go on.",
        "The minister said the talks would go on.",
        "It is what it is.",
        "Talks on the new sanctions went on all night, the minister said.",
        "Nothing.",
    ]
    _same_as_sumy(sentences, "en")
    _same_as_sumy(sentences[:1], "en")


def test_eval_articles_get_sumys_scores() -> None:
    paths = sorted((SHARED / "eval" / "summaries").glob("*.jsonl"))
    if not paths:
        pytest.skip("../shared/eval is absent")
    for path in paths:
        for line in path.read_text("utf-8").splitlines()[:12]:
            row = json.loads(line)
            sentences = split_article(normalize(row["text"]).paragraphs, row["lang"])
            _same_as_sumy(sentences[:MAX_RANKED_SENTENCES], row["lang"])
