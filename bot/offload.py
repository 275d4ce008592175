"""The CPU work the bot hands to its engine processes: extraction and the engine.

Module-level functions, so they pickle into a `ProcessPoolExecutor`, and light imports, so a
worker does not load Telegram. Errors come back as `Refused` values and are raised again in the
bot process by `unwrap`: `FetchError` and `BriefError` take keyword-only `code`s, which pickling
an exception drops (a refused too-short text would reach the user as a generic error).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from briefing import Brief, BriefError
from sources.extract import article_from
from sources.fetch import Fetched
from sources.model import Article, FetchError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Refused:
    """A FetchError or BriefError raised in a worker, as plain data."""

    kind: Literal["fetch", "brief"]
    message: str
    code: str
    reason: str | None = None  # FetchError's, so the bot can say why in the user's language
    params: dict[str, str | int] = field(default_factory=dict)


def unwrap(result: T | Refused) -> T:
    """The worker's value, or its error raised again here."""
    if isinstance(result, Refused):
        if result.kind == "fetch":
            raise FetchError(
                result.message, code=result.code, reason=result.reason, params=result.params
            )
        raise BriefError(result.message, code=result.code)
    return result


def extract(fetched: Fetched) -> Article | Refused:
    """`sources.extract.article_from` (HTML, plain text, PDF), errors as data."""
    try:
        return article_from(fetched)
    except FetchError as exc:
        return Refused("fetch", str(exc), exc.code, exc.reason, exc.params)


def run_engine(engine: Callable[..., Brief], text: str, **options: Any) -> Brief | Refused:
    """`engine(text, **options)` (the engine is `briefing.brief`), errors as data."""
    try:
        return engine(text, **options)
    except BriefError as exc:
        return Refused("brief", str(exc), exc.code)


@dataclass(frozen=True, slots=True)
class Fingerprinted:
    """A brief and the shared pool's fingerprint of its text, from one call to a worker."""

    brief: Brief
    fingerprint: int | None


def run_engine_fingerprinted(
    engine: Callable[..., Brief],
    fingerprint: Callable[[str], int | None],
    text: str,
    **options: Any,
) -> Fingerprinted | Refused:
    """`run_engine`, then `fingerprint(brief.text)` in the same worker: a brief bound for the
    shared pool needs both, and each trip to a worker costs the bot's process CPU too."""
    result = run_engine(engine, text, **options)
    if isinstance(result, Refused):
        return result
    return Fingerprinted(result, fingerprint(result.text))
