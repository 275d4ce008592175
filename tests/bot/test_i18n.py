"""The catalogue: five complete languages, the same placeholders everywhere, and one command
list shared by the menu, /help and the README."""

from __future__ import annotations

import ast
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


def _reasons_raised() -> list[tuple[str, re.Pattern[str], set[str]]]:
    """Every `reason=` the code that refuses links, files and feeds passes, as a pattern (an
    f-string reason such as f"http_{kind}" matches any key of its shape), with where it is and
    the names of the `params=` passed beside it."""
    found = []
    for package in ("sources", "handlers", "digest", "bot"):
        for path in sorted((ROOT / package).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                keywords = {k.arg: k.value for k in node.keywords if k.arg}
                reason = keywords.get("reason")
                if isinstance(reason, ast.Constant) and isinstance(reason.value, str):
                    pattern = re.escape(reason.value)
                elif isinstance(reason, ast.JoinedStr):
                    pattern = "".join(
                        re.escape(part.value) if isinstance(part, ast.Constant) else r"\w+"
                        for part in reason.values
                    )
                else:
                    continue  # passed on from another error, or the text a template is filled with
                given = keywords.get("params")
                names = (
                    {k.value for k in given.keys if isinstance(k, ast.Constant)}
                    if isinstance(given, ast.Dict)
                    else set()
                )
                found.append((f"{path.name}:{node.lineno}", re.compile(pattern), names))
    return found


def test_every_reason_a_refusal_gives_has_a_text_with_its_values() -> None:
    from sources.extract import _SHORT_WHY

    english = catalogue("en")
    texts = {
        key.removeprefix("why."): text for key, text in english.items() if key.startswith("why.")
    }
    raised = _reasons_raised()
    assert len(raised) >= 30  # the walk found the call sites (it is not silently empty)
    for where, pattern, names in raised:
        keys = [key for key in texts if pattern.fullmatch(key)]
        assert keys, f"{where}: no why.* text for reason {pattern.pattern}"
        for key in keys:
            assert placeholders(texts[key]) == names, f"{where}: why.{key}"
    # The reasons found at run time (why a page is short) and those built from parts.
    for key in _SHORT_WHY:
        assert key in texts
    # No text is left behind when its reason goes.
    unused = {k for k in texts if not any(p.fullmatch(k) for _, p, _ in raised)}
    assert unused <= set(_SHORT_WHY)


def test_a_reason_is_said_in_the_users_language_and_falls_back_to_the_message() -> None:
    from bot.i18n import why

    params = {"status": 404}
    assert why("en", "x", "http_404", params) == "The site says the page does not exist (HTTP 404)."
    assert why("ru", "x", "http_404", params) == (
        "Сайт сообщает, что такой страницы нет (HTTP 404)."
    )
    assert why("de", "The message.", None, {}) == "The message."  # a caller's own message
    assert why("fr", "The message.", "no_such_reason", {}) == "The message."
    assert why("es", "The message.", "http_404", {}) == "The message."  # its values are missing


def test_the_english_texts_are_the_messages_the_cli_prints() -> None:
    from sources.model import FetchError
    from sources.urls import check_url

    for url in ("ftp://example.org/", "https:///nohost", "https://u:p@example.org/", "x" * 5000):
        with pytest.raises(FetchError) as caught:
            check_url(url)
        error = caught.value
        assert error.reason is not None
        assert plain("en", f"why.{error.reason}", **error.params) == str(error)
