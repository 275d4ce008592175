"""The catalogue: five complete languages, the same placeholders everywhere, and one command
list shared by the menu, /help and the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.commands import COMMANDS, bot_commands
from bot.i18n import LANGUAGES, catalogue, pick_language, placeholders, plain
from tests.bot.support import telegram_html_error

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_text_with_the_same_placeholders(lang: str) -> None:
    english = catalogue("en")
    texts = catalogue(lang)
    assert set(texts) == set(english)
    for key, text in texts.items():
        assert placeholders(text) == placeholders(english[key]), key
        filled = text.format_map(dict.fromkeys(placeholders(text), "x"))
        assert telegram_html_error(filled) is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plain_texts_carry_no_markup(lang: str) -> None:
    for key, text in catalogue(lang).items():
        if key.startswith(("btn.", "cmd.", "bot.", "language.", "digest.state", "digest.sound")):
            assert "<" not in text, key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_menu_fits_telegrams_limits(lang: str) -> None:
    commands = bot_commands(lang)
    assert [c.command for c in commands] == list(COMMANDS)
    assert all(3 <= len(c.description) <= 256 for c in commands)
    assert len(plain(lang, "bot.description")) <= 512
    assert len(plain(lang, "bot.short_description")) <= 120


def test_language_from_telegram() -> None:
    assert pick_language("ru") == "ru"
    assert pick_language("pt-br") == "en"
    assert pick_language("de-AT") == "de"
    assert pick_language(None) == "en"


def test_readme_lists_exactly_the_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## The bot", 1)[1]
    listed = re.findall(r"^\| `/(\w+)", section, flags=re.MULTILINE)
    assert listed == list(COMMANDS)
    for name in COMMANDS:
        assert plain("en", f"cmd.{name}") in section, name
