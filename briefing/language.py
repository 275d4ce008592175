"""Language detection with langdetect, made deterministic, and the checks that refuse input with no
prose in it (empty, digits, emoji, a bare link, binary garbage) with a message fit for a user."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

from briefing.detector import FastDetectorFactory
from briefing.languages import SUPPORTED
from briefing.limits import (
    LANGUAGE_SAMPLE_CHARS,
    MAX_MEAN_WORD_LETTERS,
    MIN_LETTER_SHARE,
    MIN_LETTERS,
    MIN_WORDS,
    PROSE_SAMPLE_CHARS,
)
from briefing.model import BriefError

_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_SPACE = re.compile(r"\s")
_WORD = re.compile(r"[^\W\d_]+")
_LANG_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$", re.I)
# The languages told apart: the supported five and the ones most often forwarded besides them.
# Text in a language outside this list is taken for the closest one in it: it is unsupported
# either way, only the code shown may be off.
DETECTED_LANGUAGES = frozenset(
    {
        *("en", "ru", "de", "fr", "es", "it", "pt", "nl", "pl", "uk", "tr", "ar", "zh-cn"),
        *("ja", "ko", "fa", "he", "cs", "sv", "bg", "ro", "hu", "el", "hi", "vi"),
    }
)
# langdetect's random walk is seeded so the same text always gets the same language.
_SEED = 0


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    supported: bool


@cache
def _factory() -> FastDetectorFactory:
    # A factory of our own (not langdetect's module-level one): loaded once, never mutated after.
    # Loading all 55 profiles costs about a second at start-up; these languages cost a tenth.
    # Its detectors give langdetect's results in less time (briefing/detector.py).
    factory = FastDetectorFactory()
    profiles = Path(PROFILES_DIRECTORY)
    factory.load_json_profile(
        [(profiles / code).read_text("utf-8") for code in sorted(DETECTED_LANGUAGES)]
    )
    factory.seed = _SEED
    return factory


def check_prose(text: str) -> None:
    """Raise BriefError unless the text holds enough words to brief."""
    if not text.strip():
        raise BriefError("The message is empty: send the text of an article.", code="empty")
    without_links = _URL.sub(" ", text)
    if not without_links.strip():
        raise BriefError(
            "That is only a link: send the article's text, or the link on its own to the bot.",
            code="bare_url",
        )
    visible = len(without_links) - len(_SPACE.findall(without_links))
    runs = _WORD.findall(without_links)  # runs of letters: the words below, and the letters
    letters = sum(map(len, runs))
    if letters < MIN_LETTERS:
        raise BriefError(
            f"The text is too short to brief (fewer than {MIN_LETTERS} letters).", code="too_short"
        )
    if letters < MIN_LETTER_SHARE * visible:
        raise BriefError(
            "This does not look like the text of an article (too few letters: binary data, "
            "numbers or symbols?).",
            code="not_text",
        )
    short = len(without_links) <= PROSE_SAMPLE_CHARS
    words = runs if short else _WORD.findall(without_links[:PROSE_SAMPLE_CHARS])
    if sum(map(len, words)) > MAX_MEAN_WORD_LETTERS * len(words):
        raise BriefError(
            "This does not look like the text of an article (its words are far too long).",
            code="not_text",
        )
    if len(words) < MIN_WORDS:
        raise BriefError(
            f"The text is too short to brief (fewer than {MIN_WORDS} words).", code="too_short"
        )


def detect_language(text: str, lang: str | None = None) -> Language:
    """The article's language; `lang` skips detection. Unsupported languages are marked so."""
    if lang:
        code = lang.strip().lower()
        if not _LANG_CODE.match(code):
            raise BriefError(f"Unknown language code {lang!r}: use en, ru, de, fr or es.")
        code = code.split("-")[0]
        return Language(code, code in SUPPORTED)
    sample = _URL.sub(" ", text[:LANGUAGE_SAMPLE_CHARS])
    try:
        detector = _factory().create()
        detector.append(sample)
        code = str(detector.detect())
    except LangDetectException as exc:
        raise BriefError(
            "Cannot tell the language of this text: is it an article?", code="no_language"
        ) from exc
    code = code.split("-")[0].lower()  # zh-cn -> zh
    return Language(code, code in SUPPORTED)
