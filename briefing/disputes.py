"""About which dispute: the parties, the issue and the stance."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.model import Dispute, Statement


def extract_dispute(
    text: str, lang: str, statements: Sequence[Statement], *, title: str | None = None
) -> tuple[Dispute | None, list[Statement]]:
    """The dispute of the article, and the statements with each speaker's side filled in."""
    return None, list(statements)
