"""langdetect's Detector with its per-character Python loops done in fewer steps: the same n-grams
in the same order, the same seeded random walk, the same floating-point operations in the same
order, so the same probabilities to the last bit (tests/briefing/test_detector.py compares the two
on the seed, the eval texts and generated text). langdetect spends a brief's detection in
`append`, `cleaning_text` and `_extract_ngrams` (a method call, a Unicode block search and a string
copy per character) and in `_update_lang_prob` (an indexed loop per step of the walk); here the
characters are normalised once per distinct character, the n-grams found once per distinct word
(remembered by the factory, bounded) and each step of the walk is one list comprehension.

Written against langdetect 1.0.9 (pinned in pyproject.toml): it overrides that version's methods.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from langdetect.detector import Detector
from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

# Distinct characters whose n-gram form (NGram.normalize) is remembered; a text uses a few dozen:
# characters.
NORMALIZED_CHARS_CACHE = 4096
# Words whose n-grams a factory remembers: news repeats its words (on the eval texts of five
# languages, 73% of the words looked up are found), and a full cache holds about 5 MB: words.
WORD_NGRAMS_CACHE = 4096
# Longer words (rare; garbage or a URL's remains) are not remembered, so no entry is large:
# characters.
MAX_CACHED_WORD_CHARS = 30
# Runs of spaces (the character ' ' only) that Detector.append keeps one space of.
_SPACES = re.compile(r" {2,}")


@lru_cache(maxsize=NORMALIZED_CHARS_CACHE)
def _normalized(ch: str) -> str:
    result: str = NGram.normalize(ch)
    return result


class FastDetectorFactory(DetectorFactory):  # type: ignore[misc]
    """A DetectorFactory whose detectors are FastDetectors. Load its profiles first, then change
    it no more: it remembers the n-grams of the words it has seen."""

    def __init__(self) -> None:
        super().__init__()
        self.word_ngrams = lru_cache(maxsize=WORD_NGRAMS_CACHE)(self._word_ngrams)

    def add_profile(self, *args: object) -> None:
        super().add_profile(*args)
        self.word_ngrams.cache_clear()  # the n-grams worth taking depend on the profiles

    def _create_detector(self) -> FastDetector:
        if not self.langlist:
            raise LangDetectException(ErrorCode.NeedLoadProfileError, "Need to load profiles.")
        return FastDetector(self)

    def _word_ngrams(self, word: str, spaced: bool) -> tuple[str, ...]:
        """The n-grams Detector._extract_ngrams takes from a word after a space, in its order:
        at each character the 1-, 2- and 3-gram ending there that the profiles know, none while
        two capitals in a row make a capitalised word; `spaced`: a space follows the word."""
        known = self.word_lang_prob_map
        padded = " " + word + (" " if spaced else "")
        out: list[str] = []
        for j in range(1, len(padded)):
            ch = padded[j]
            if ch.isupper() and padded[j - 1].isupper():
                continue
            if ch != " " and ch in known:
                out.append(ch)
            if padded[j - 1 : j + 1] in known:
                out.append(padded[j - 1 : j + 1])
            if j >= 2 and padded[j - 2 : j + 1] in known:
                out.append(padded[j - 2 : j + 1])
        return tuple(out)


class FastDetector(Detector):  # type: ignore[misc]
    """A Detector of a FastDetectorFactory: detects as langdetect's does."""

    text: str  # the text appended so far (Detector's attribute)

    def __init__(self, factory: FastDetectorFactory) -> None:
        super().__init__(factory)
        self._cached_ngrams = factory.word_ngrams
        self._word_ngrams = factory._word_ngrams

    def append(self, text: str) -> None:
        text = self.URL_RE.sub(" ", text)
        text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        # Detector.append: a space right after a space is dropped (per call, the first one kept).
        self.text += _SPACES.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        latin_count = non_latin_count = 0
        for ch, n in Counter(self.text).items():
            if "A" <= ch <= "z":
                latin_count += n
            elif ch >= "\u0300":
                # Detector.cleaning_text also asks that the character's Unicode block is not
                # "Latin Extended Additional", but unicode_block() returns a block number, never
                # that name: every character from U+0300 counts.
                non_latin_count += n
        if latin_count * 2 < non_latin_count:
            self.text = "".join(ch for ch in self.text if ch < "A" or ch > "z")

    def _extract_ngrams(self) -> list[str]:
        # NGram.add_char starts afresh after every space, so a word's n-grams depend on the word
        # alone (and whether a space follows it): the factory remembers them per word.
        table = {ord(ch): _normalized(ch) for ch in set(self.text)}
        words = self.text.translate(table).split(" ")
        last = len(words) - 1
        cached, uncached = self._cached_ngrams, self._word_ngrams
        result: list[str] = []
        for index, word in enumerate(words):
            if word:  # (a space after a space adds nothing)
                ngrams = cached if len(word) <= MAX_CACHED_WORD_CHARS else uncached
                result += ngrams(word, index < last)
        return result

    def _detect_block(self) -> None:
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        self.langprob = [0.0] * len(self.langlist)
        probabilities = self.word_lang_prob_map
        self.random.seed(self.seed)
        choice = self.random.choice
        for _ in range(self.n_trial):
            prob = self._init_probability()
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            i = 0
            while True:
                # _update_lang_prob: every n-gram is in the map, so it always multiplies.
                word_prob = probabilities[choice(ngrams)]
                prob = [p * (weight + q) for p, q in zip(prob, word_prob, strict=True)]
                if i % 5 == 0:
                    # _normalize_prob: the same divisions; max(0.0, ...) keeps the first largest
                    # as its `if maxp < p` loop does.
                    total = sum(prob)
                    prob = [p / total for p in prob]
                    if max(0.0, *prob) > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                        break
                i += 1
            for j in range(len(self.langprob)):
                self.langprob[j] += prob[j] / self.n_trial
