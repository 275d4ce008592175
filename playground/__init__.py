"""Briefbot's local playground: a Telegram Bot API emulator and a web chat page.

`playground.emulator.Emulator` is the Bot API emulator used by end-to-end tests;
`playground.main(argv)` runs the real bot against it with a web chat at http://127.0.0.1:8080.
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """Runs the playground until Ctrl+C or SIGTERM; returns the process exit code."""
    from playground.app import main as run

    code: int = run(argv)
    return code


__all__ = ["main"]
