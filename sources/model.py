"""Types shared by the fetching layer, the CLI and the Telegram handlers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _new_error(cls: type[FetchError]) -> FetchError:
    """An empty error of `cls` for unpickling; its state is restored right after."""
    return cls.__new__(cls)


class FetchError(Exception):
    """A link that cannot be briefed. `str(error)` is a plain message fit to show a user;
    `code` is stable for tests and logs (blocked_address, too_large, timeout, http_status,
    unsupported_type, too_short, bad_url, ...)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code

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

    def __init__(self, message: str, *, article: Article) -> None:
        super().__init__(message, code="too_short")
        self.article = article
