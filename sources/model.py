"""Types shared by the fetching layer, the CLI and the Telegram handlers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def _new_error(cls: type[FetchError]) -> FetchError:
    """An empty error of `cls` for unpickling; its state is restored right after."""
    return cls.__new__(cls)


class FetchError(Exception):
    """A link that cannot be briefed. `str(error)` is a plain English message fit to show a
    user (the CLI prints it); `code` is stable for tests and logs (blocked_address, too_large,
    timeout, http_status, unsupported_type, too_short, bad_url, ...). `reason` names the message
    itself, finer than `code` (http_404, short_paywall, ...; None for a message of the caller's
    own), and `params` holds the values in it,
    so an interface can say the same in its user's language (the bot's catalogue has a
    `why.<reason>` text for each, with `params` as its placeholders)."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        reason: str | None = None,
        params: Mapping[str, str | int] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.params: dict[str, str | int] = dict(params or {})

    def __reduce__(self) -> tuple[Any, ...]:
        # The default pickling calls `cls(*args)`, which drops the keyword-only fields (`code`,
        # `article`): errors crossing a process pool would lose them or fail to unpickle.
        return (_new_error, (type(self),), {"args": self.args, **self.__dict__})


@dataclass(frozen=True, slots=True)
class Article:
    """The text of a fetched page and what the page says about itself."""

    url: str  # canonical URL when the page names one, else the final URL after redirects
    text: str
    title: str | None = None
    site: str | None = None
    author: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """What a Telegram message (or an album) offers to brief, parsed by `sources.telegram`."""

    text: str  # the text or caption
    links: tuple[str, ...] = ()  # from `url` and `text_link` entities, in order
    source_name: str | None = None  # forwarded-from channel title, chat title or user name
    source_url: str | None = None  # t.me link of the original channel post
    media_group_id: str | None = None
    forwarded: bool = False


class TooShortError(FetchError):
    """The page was read but holds too little text (a paywall, a teaser, a script-only page).
    `article` keeps what little was found, so a caller may still show it or brief something else."""

    def __init__(self, message: str, *, article: Article, reason: str = "short") -> None:
        super().__init__(message, code="too_short", reason=reason)
        self.article = article
