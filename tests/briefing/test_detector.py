"""briefing/detector.py gives langdetect's answers exactly: the same probabilities, to the last bit,
on real articles and on generated text, and its caches stay bounded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

from briefing.detector import NORMALIZED_CHARS_CACHE, WORD_NGRAMS_CACHE, _normalized
from briefing.language import _factory
from briefing.limits import LANGUAGE_SAMPLE_CHARS

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
# Characters that exercise every branch of langdetect's normalisation and cleaning: Latin with
# capitals and accents, Cyrillic, CJK, kana, Hangul, Arabic/Farsi yeh, Romanian comma letters,
# a combining mark (Vietnamese), punctuation, digits and runs of spaces.
ALPHABET = "abcXYZ ..,éüßÀжЖщ中文國한국어ひらカタئی\u0219\u021b\u0301\u1ea1 -'0\n"


def _answer(detector: Detector, text: str) -> tuple[object, str]:
    """(the languages with their probabilities, or the error) and the text the detector kept."""
    detector.append(text)
    try:
        found: object = [(lang.lang, lang.prob) for lang in detector.get_probabilities()]
    except LangDetectException as exc:
        found = ("error", str(exc))
    return found, detector.text


def _same_as_langdetect(text: str) -> None:
    factory = _factory()
    assert _answer(factory.create(), text) == _answer(Detector(factory), text)


def _eval_texts() -> list[str]:
    paths = sorted((SHARED / "eval" / "summaries").glob("*.jsonl"))
    paths += [SHARED / "eval" / "attribution" / "de_wikinews_dev.jsonl"]
    texts: list[str] = []
    for path in paths:
        if path.exists():
            lines = path.read_text("utf-8").splitlines()
            texts += [json.loads(line)["text"] for line in lines[:15]]
    return texts


def test_the_seed_gets_langdetects_exact_probabilities(seed_text: str) -> None:
    for chars in (40, 200, LANGUAGE_SAMPLE_CHARS, 5000):
        _same_as_langdetect(seed_text[:chars])


def test_eval_articles_get_langdetects_exact_probabilities() -> None:
    texts = _eval_texts()
    if not texts:
        pytest.skip("../shared/eval is absent")
    for text in texts:
        for chars in (60, LANGUAGE_SAMPLE_CHARS):
            _same_as_langdetect(text[:chars])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12345 !!!",
        "NATO USA EU UN",
        "Hello",
        "Он сказал: «Мы готовы». The minister said Russia was ready to talk.",
        "Tiếng Việt có dấu",
        "中文新闻报道说政府今天宣布",
        "https://example.com/a and mail me@example.com now",
        # A word longer than MAX_CACHED_WORD_CHARS is read without the factory's word cache.
        "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft sagte",
    ],
)
def test_odd_and_short_text_gets_langdetects_answer(text: str) -> None:
    _same_as_langdetect(text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=120))
def test_generated_text_gets_langdetects_answer(text: str) -> None:
    _same_as_langdetect(text)


def test_the_caches_are_bounded(seed_text: str) -> None:
    factory = _factory()
    factory.create().append(seed_text)
    assert factory.word_ngrams.cache_info().maxsize == WORD_NGRAMS_CACHE
    assert _normalized.cache_info().maxsize == NORMALIZED_CHARS_CACHE
    detector = factory.create()
    detector.append(seed_text)
    detector.detect()
    assert 0 < factory.word_ngrams.cache_info().currsize <= WORD_NGRAMS_CACHE
