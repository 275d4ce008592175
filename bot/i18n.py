"""Interface texts in five languages: a data-driven catalogue (bot/locales/<code>.json).

Texts may carry Telegram HTML (<b>, <i>); values put into them are escaped here, so a caller can
never inject markup through a user's topic or an article's title. `plain()` is for places that
are not HTML (button labels, callback answers, documents' captions sent without parse mode).
"""

from __future__ import annotations

import html
import json
import string
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Final

LANGUAGES: Final = ("en", "ru", "de", "fr", "es")
DEFAULT_LANGUAGE: Final = "en"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The texts of one language, loaded once."""
    raw = resources.files("bot").joinpath(f"locales/{lang}.json").read_text("utf-8")
    data = json.loads(raw)
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"bot/locales/{lang}.json must map keys to strings")
    return data


def pick_language(code: str | None) -> str:
    """The interface language for a Telegram `language_code` ("pt-br", "ru", None)."""
    if code:
        base = code.split("-", 1)[0].split("_", 1)[0].lower()
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE


def _text(lang: str, key: str) -> str:
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    texts = catalogue(lang)
    if key in texts:
        return texts[key]
    # A missing translation falls back to English rather than failing a conversation.
    return catalogue(DEFAULT_LANGUAGE)[key]


def tr(lang: str, key: str, **values: object) -> str:
    """The text `key` in `lang` as Telegram HTML, with `values` escaped and filled in."""
    escaped = {name: html.escape(str(value), quote=False) for name, value in values.items()}
    return _text(lang, key).format_map(escaped)


def plain(lang: str, key: str, **values: object) -> str:
    """The text `key` in `lang` for places without HTML; `values` are filled in as they are."""
    return _text(lang, key).format_map({name: str(value) for name, value in values.items()})


def why(lang: str, message: str, reason: str | None, params: Mapping[str, object]) -> str:
    """Why a link, file or feed could not be read, in `lang`: the catalogue's `why.<reason>`
    (`sources.model.FetchError.reason`) filled with `params`; `message` (English, from the
    code that refused) when the reason has no text here or its values do not fit it."""
    if reason and f"why.{reason}" in catalogue(DEFAULT_LANGUAGE):
        try:
            return plain(lang, f"why.{reason}", **params)
        except (KeyError, IndexError, ValueError):  # a text whose placeholders changed
            pass
    return message


def placeholders(text: str) -> set[str]:
    """The `{names}` a catalogue text expects (used by the catalogue's own tests)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
