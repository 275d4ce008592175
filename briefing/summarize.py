"""What happened: N sentences of the article, in article order.

Plain centrality (sumy's LexRank) loses to the first three sentences on news, because news puts the
point first. So a sentence's score mixes its LexRank centrality with its position, sentences that
cannot stand alone (fragments, datelines, captions, a bare quotation with no speaker) are skipped,
and a sentence that repeats one already chosen is dropped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer, null_stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from briefing.compress import compress
from briefing.languages import SUPPORTED
from briefing.limits import (
    MAX_RANKED_SENTENCES,
    MAX_SUMMARY_SENTENCE_CHARS,
    MAX_SUMMARY_SENTENCE_WORDS,
    MIN_SUMMARY_SENTENCE_WORDS,
    STEM_CACHE_WORDS,
)
from briefing.normalize import is_meta_line, pruned
from briefing.sentences import split_sentences

# Weights of the score; tuned on news of several sources (see README, Engine).
POSITION_WEIGHT = 1.0
CENTRALITY_WEIGHT = 0.35
# Position prior: 1 for the first sentence, halving every this many sentences.
POSITION_HALF_LIFE = 4.0
# A sentence sharing more than this share of its content words with a chosen one repeats it.
MAX_OVERLAP = 0.6
# Score penalties for sentences that read badly out of context.
PENALTY_CONTEXT_OPENER = 0.1
PENALTY_QUESTION = 0.3
# Long sentences pack side detail into a summary: the score loses this much per word beyond
# LONG_SENTENCE_WORDS.
LONG_SENTENCE_WORDS = 25
PENALTY_PER_EXTRA_WORD = 0.01
# Bonus for what a sentence adds to those already chosen, per word (see _fresh): a third sentence
# that tells something new beats one that rephrases the first two.
NOVELTY_WEIGHT = 0.3
# A brief is read in a chat: past LONG_SUMMARY_WORDS words (about three sentences of news), a
# sentence beyond the first MIN_SUMMARY_SENTENCES is added only if at least MIN_NEWS_SHARE of its
# words are story words not said yet.
MIN_SUMMARY_SENTENCES = 2
LONG_SUMMARY_WORDS = 90
MIN_NEWS_SHARE = 0.2

_WORD = re.compile(r"\w+")
_TAIL_OPENERS = ",;:.)]}"
_QUOTE_OPEN = "\"“«„‘'"
_DANGLING_OPENER = re.compile(r"(?<=[.!?…])\s+[\"“«„‘']$")
_QUOTE_CLOSE = "\"”»“’'"
_CAPTION = re.compile(
    r"\b"
    + pruned(
        r"scroll down for video|click here|pictured|photo(?:graph)?s? (?:by|credit)|image:|"
        # "Click here" in the other languages: it points to a link the brief does not show.
        r"pinche aquí|haga clic aquí|pulse aquí|cliquez ici|klicken sie hier|нажмите здесь|"
        r"foto:|fotos:|bild:|фото:|en vídeo|en video|getty images|im video|watch the video"
    )
    + r"\b"
    # Photo captions glued into the text: "Stokes (left) clashed with ...", "(pictured, above)".
    r"|\((?:left|right|centre|center|pictured|above|below|top|bottom|inset|file(?: photo)?)"
    r"\b[^)]*\)",
    re.I,
)
# Words that open a sentence which leans on the one before it.
_CONTEXT_OPENERS = frozenset(
    " ".join(
        (
            "but and so also however meanwhile this that these those it he she they his her their",
            "aber und auch doch jedoch dies diese er sie es",
            "но и а также однако это он она они его ее их",
            "mais et aussi cependant ce cela il elle ils",
            "pero y también sin embargo esto eso él ella ellos",
        )
    ).split()
)


class _Tokenizer:
    """The tokenizer sumy asks for (it only calls `to_sentences` and `to_words`), on our splitter:
    sumy's own needs nltk punkt data that cannot be downloaded here."""

    def __init__(self, lang: str) -> None:
        self.language = SUPPORTED.get(lang, "english")
        self._lang = lang

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph, self._lang))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


class _Ratings(LexRankSummarizer):  # type: ignore[misc]
    """LexRank that returns every sentence's centrality instead of the best few.

    It computes what sumy 0.13's LexRankSummarizer computes, with the same floating-point
    operations in the same order (so the same scores to the last bit), but stems each distinct
    word once per document, counts document frequencies in one pass, and builds the similarity
    matrix from each sentence's word set and norm made once, not once per pair of sentences.
    """

    def __call__(self, document: ObjectDocumentModel, sentences_count: int) -> tuple[float, ...]:
        sentences = document.sentences
        sentences_words = self._words_sets(sentences)
        if not sentences_words:
            return ()
        tf_metrics = self._compute_tf(sentences_words)
        idf_metrics = self._compute_idf(sentences_words)
        matrix = self._create_matrix(sentences_words, self.threshold, tf_metrics, idf_metrics)
        scores = self.power_method(matrix, self.epsilon)
        # Equal sentences share one entry (sumy's Sentence compares by text): the last one's.
        ratings = dict(zip(sentences, scores, strict=True))
        return self._get_best_sentences(sentences, sentences_count, ratings)

    def _words_sets(self, sentences: Sequence[Sentence]) -> list[list[str]]:
        """_to_words_set of each sentence: its stemmed words that are no stop words."""
        stems: dict[str, str | None] = {}  # word -> its stem, None for a stop word
        out: list[list[str]] = []
        for sentence in sentences:
            words: list[str] = []
            for word in sentence.words:
                if word not in stems:
                    low = self.normalize_word(word)
                    stems[word] = None if low in self._stop_words else self.stem_word(low)
                stem = stems[word]
                if stem is not None:
                    words.append(stem)
            out.append(words)
        return out

    @staticmethod
    def _compute_idf(sentences: Sequence[list[str]]) -> dict[str, float]:
        count = len(sentences)
        documents: Counter[str] = Counter()
        for sentence in sentences:
            documents.update(set(sentence))
        return {term: math.log(count / (1 + n)) for term, n in documents.items()}

    def _create_matrix(
        self,
        sentences: Sequence[list[str]],
        threshold: float,
        tf_metrics: Sequence[dict[str, float]],
        idf_metrics: dict[str, float],
    ) -> np.ndarray[Any, np.dtype[np.float64]]:
        # cosine_similarity's word sets (made the same way, so iterated in the same order) and
        # the sums under its square roots, once per sentence.
        unique = [frozenset(words) for words in sentences]
        norms = [
            sum((tf[t] * idf_metrics[t]) ** 2 for t in words)
            for words, tf in zip(unique, tf_metrics, strict=True)
        ]
        rows: list[list[float]] = []
        for words1, tf1, norm1 in zip(unique, tf_metrics, norms, strict=True):
            row: list[float] = []
            for words2, tf2, norm2 in zip(unique, tf_metrics, norms, strict=True):
                common = words1 & words2
                similarity = 0.0
                if common and norm1 > 0 and norm2 > 0:
                    numerator = 0.0
                    for term in common:
                        numerator += tf1[term] * tf2[term] * idf_metrics[term] ** 2
                    similarity = numerator / (math.sqrt(norm1) * math.sqrt(norm2))
                row.append(1.0 if similarity > threshold else 0.0)
            degree = float(sum(1 for value in row if value) or 1)
            rows.append([value / degree for value in row])
        return np.array(rows, dtype=np.float64).reshape(len(sentences), len(sentences))

    def _get_best_sentences(
        self, sentences: Sequence[Sentence], count: Any, rating: Any, *args: Any, **kwargs: Any
    ) -> tuple[float, ...]:
        return tuple(float(rating[s]) for s in sentences)


@cache
def _stop_words(lang: str) -> frozenset[str]:
    if lang == "ru":
        data = resources.files("briefing").joinpath("data/stopwords_ru.txt").read_text("utf-8")
        return frozenset(
            w.strip() for w in data.splitlines() if w.strip() and not w.startswith("#")
        )
    if lang in SUPPORTED:
        return frozenset(get_stop_words(SUPPORTED[lang]))
    return frozenset()


@cache
def _ranker(lang: str) -> _Ratings:
    # Built once per language and never changed afterwards.
    stemmer = Stemmer(SUPPORTED[lang]) if lang in SUPPORTED else null_stemmer
    # Snowball stemming is most of LexRank's cost, and news repeats its words: remember the stems.
    ranker = _Ratings(lru_cache(maxsize=STEM_CACHE_WORDS)(stemmer))
    ranker.stop_words = _stop_words(lang)
    return ranker


@cache
def _tokenizer(lang: str) -> _Tokenizer:
    return _Tokenizer(lang)


def centrality(sentences: Sequence[str], lang: str) -> list[float]:
    """sumy's LexRank score of each sentence, scaled so the most central one has 1."""
    if len(sentences) < 2:
        return [1.0] * len(sentences)
    tokenizer = _tokenizer(lang)
    document = ObjectDocumentModel((Paragraph([Sentence(text, tokenizer) for text in sentences]),))
    with np.errstate(all="ignore"):
        scores: tuple[float, ...] = _ranker(lang)(document, len(sentences))
    clean = [s if math.isfinite(s) else 0.0 for s in scores]
    top = max(clean, default=0.0)
    return [s / top if top > 0 else 0.0 for s in clean]


def _is_bare_quote(sentence: str) -> bool:
    """A quotation with nobody saying it (or a piece of one): it needs its context to make sense.
    '"We will go," he said.' names its speaker after the last quotation mark; '"We will go."' and
    '"We will go. We are ready.' do not."""
    if sentence[:1] not in _QUOTE_OPEN:
        return False
    last = max(sentence.rfind(mark) for mark in _QUOTE_CLOSE)
    return last <= 0 or len(_WORD.findall(sentence[last + 1 :])) < 2


def _ends_like_sentence(sentence: str) -> bool:
    return sentence.rstrip(_QUOTE_CLOSE + ")]").rstrip()[-1:] in ".!?…"


def is_candidate(sentence: str) -> bool:
    """Is this a whole sentence of the article (not a fragment, dateline, caption or run-on)?"""
    words = _WORD.findall(sentence)
    return (
        MIN_SUMMARY_SENTENCE_WORDS <= len(words) <= MAX_SUMMARY_SENTENCE_WORDS
        and _ends_like_sentence(sentence)
        # The tail of a sentence cut by a broken page (", said the police chief.").
        and sentence[:1] not in _TAIL_OPENERS
        and not _CAPTION.search(sentence)
        and not is_meta_line(sentence)
    )


def is_eligible(sentence: str) -> bool:
    """Can this sentence stand in a summary on its own? (A bare quotation can only follow the
    sentence before it, which says who speaks.)"""
    return is_candidate(sentence) and not _is_bare_quote(sentence)


def _leans_back(sentence: str) -> bool:
    """Does it open with a word that points to the sentence before ("But", "He", "This")?"""
    first_word = next(iter(_WORD.findall(sentence[:40].lower())), "")
    return first_word in _CONTEXT_OPENERS


def _content(sentence: str, lang: str) -> frozenset[str]:
    stop = _stop_words(lang)
    words = _WORD.findall(sentence.lower())
    return frozenset(w for w in words if w not in stop and len(w) > 1) or frozenset(words)


def _repeats(candidate: frozenset[str], chosen: Sequence[frozenset[str]]) -> bool:
    """Does the candidate say what a chosen sentence says? (Sentences of stop words only are
    compared on all their words.)"""
    for other in chosen:
        if candidate == other:
            return True
        smaller = min(len(candidate), len(other))
        if smaller and len(candidate & other) / smaller > MAX_OVERLAP:
            return True
    return False


def _fresh(
    words: Sequence[str], seen: set[str], counts: Counter[str], stop: frozenset[str]
) -> float:
    """The share of a sentence's words that are content words of the story (used more than once)
    not said yet: what it adds per word, in the spirit of maximal marginal relevance."""
    if not words:
        return 0.0
    new = sum(1 for w in words if counts[w] > 1 and w not in seen and w not in stop and len(w) > 1)
    return new / len(words)


def score(sentence: str, position: int, central: float) -> float:
    """Higher is better: position first, then centrality, less for what reads badly alone."""
    prior = math.pow(0.5, position / POSITION_HALF_LIFE)
    value = POSITION_WEIGHT * prior + CENTRALITY_WEIGHT * central
    if sentence.rstrip(_QUOTE_CLOSE).endswith("?"):
        value -= PENALTY_QUESTION
    extra = len(_WORD.findall(sentence)) - LONG_SENTENCE_WORDS
    if extra > 0:
        value -= PENALTY_PER_EXTRA_WORD * extra
    return value


def _fit(sentence: str) -> str:
    """A summary sentence as shown: without a quotation mark left dangling at its end (it opens
    the next sentence: 'videos. "' ), and cut with an ellipsis if it is a wall of text."""
    sentence = _DANGLING_OPENER.sub("", sentence)
    if len(sentence) > MAX_SUMMARY_SENTENCE_CHARS:
        cut = sentence.rfind(" ", 0, MAX_SUMMARY_SENTENCE_CHARS)
        sentence = sentence[: cut if cut > 0 else MAX_SUMMARY_SENTENCE_CHARS].rstrip() + "…"
    return sentence


def summarize(sentences: Sequence[str], lang: str, count: int) -> list[str]:
    """At most `count` of the best sentences, in article order."""
    ranked = list(sentences[:MAX_RANKED_SENTENCES])
    candidates = [i for i, s in enumerate(ranked) if is_candidate(s)]
    # (is_eligible of a candidate: it is no bare quote)
    if all(_is_bare_quote(ranked[i]) for i in candidates):
        # Nothing reads as a full sentence (a list, a transcript): the start is the best guess.
        return [_fit(s) for s in dict.fromkeys(ranked)][:count]
    central = centrality([ranked[i] for i in candidates], lang)
    base = [score(ranked[i], k, central[k]) for k, i in enumerate(candidates)]
    chosen: set[int] = set()
    chosen_words: list[frozenset[str]] = []
    repeated: set[int] = set()
    # What each sentence would add: words of the story (said more than once in the first
    # sentences) that no chosen sentence has said yet.
    stop = _stop_words(lang)
    tokens = {i: _WORD.findall(ranked[i].lower()) for i in candidates}
    counts = Counter(w for words in tokens.values() for w in words)
    seen: set[str] = set()
    length = 0
    while len(chosen) < count:
        # Greedy, best first; a sentence that leans on the one before reads well only after it.
        best, best_value = -1, -math.inf
        for k, i in enumerate(candidates):
            if i in chosen or i in repeated:
                continue
            follows = i - 1 in chosen
            if not follows and _is_bare_quote(ranked[i]):
                continue
            value = base[k]
            value += NOVELTY_WEIGHT * _fresh(tokens[i], seen, counts, stop)
            if k > 0 and not follows and _leans_back(ranked[i]):
                value -= PENALTY_CONTEXT_OPENER
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            break
        if (
            len(chosen) >= MIN_SUMMARY_SENTENCES
            and length + len(tokens[best]) > LONG_SUMMARY_WORDS
            and _fresh(tokens[best], seen, counts, stop) < MIN_NEWS_SHARE
        ):
            # Two sentences already tell the story and this one makes the brief long without
            # adding much: stop here (`count` is a maximum).
            break
        words = _content(ranked[best], lang)
        if _repeats(words, chosen_words):
            repeated.add(best)
            continue
        chosen.add(best)
        chosen_words.append(words)
        seen.update(tokens[best])
        length += len(tokens[best])
    return [_fit(compress(ranked[i], lang, follows=i - 1 in chosen)) for i in sorted(chosen)]
