"""The command list: one source of truth for the menu (set_my_commands), /help and the README.

Each command's description is the catalogue text `cmd.<name>` in every interface language.
"""

from __future__ import annotations

from typing import Final

from telegram import BotCommand

from bot.i18n import plain

# In menu order. A test checks that the README's commands table lists exactly these.
COMMANDS: Final = (
    "start",
    "help",
    "summary",
    "subscribe",
    "unsubscribe",
    "history",
    "digest",
    "language",
    "export",
    "delete_my_data",
    "privacy",
)

# Commands that show or change one user's data: answered only in a private chat, so a group
# never sees someone's history, export or settings.
PRIVATE_ONLY: Final = frozenset(
    {"subscribe", "unsubscribe", "history", "digest", "language", "export", "delete_my_data"}
)


def bot_commands(lang: str) -> list[BotCommand]:
    """The menu in one language."""
    return [BotCommand(name, plain(lang, f"cmd.{name}")) for name in COMMANDS]


def help_lines(lang: str) -> list[str]:
    """One line per command for /help: `/name - description`."""
    return [f"/{name} – {plain(lang, f'cmd.{name}')}" for name in COMMANDS]
