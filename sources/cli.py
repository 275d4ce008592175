"""`briefbot brief URL` and the `{"id","url"}` lines of `--jsonl`: a synchronous door onto the
same async path the bot uses (`sources.links`).

One event loop and one SafeFetcher serve every call of the process, so a batch reuses
connections and the article cache instead of building a client per line.
"""

from __future__ import annotations

import asyncio
import atexit
import dataclasses
from typing import Any

from briefing import Brief, BriefError, brief
from sources.config import allowed_private_hosts_from_env
from sources.fetch import SafeFetcher
from sources.links import fetch_article, source_of
from sources.model import Article, FetchError, TooShortError


class LinkBriefError(BriefError):
    """A link that could not be briefed. `extra` carries what was read anyway (the extracted
    text, title and source), which `briefbot brief --jsonl` adds to the error line."""

    def __init__(self, message: str, *, code: str, article: Article | None = None) -> None:
        super().__init__(message, code=code)
        self.extra: dict[str, Any] = {}
        if article is not None and article.text:
            self.extra = {
                "text": article.text,
                "title": article.title,
                "source": source_of(article).to_json(),
            }


class _Session:
    """The process's event loop and fetcher, opened on first use and closed at exit."""

    def __init__(self) -> None:
        self.runner = asyncio.Runner()
        self.fetcher: SafeFetcher | None = None
        atexit.register(self.close)

    def run_brief(self, url: str, *, sentences: int, lang: str | None) -> Brief:
        return self.runner.run(self._brief(url, sentences=sentences, lang=lang))

    async def _brief(self, url: str, *, sentences: int, lang: str | None) -> Brief:
        if self.fetcher is None:
            self.fetcher = SafeFetcher(allow_private=allowed_private_hosts_from_env())
        try:
            article = await fetch_article(self.fetcher, url, offload=False)
        except TooShortError as exc:
            raise LinkBriefError(str(exc), code=exc.code, article=exc.article) from exc
        except FetchError as exc:
            raise LinkBriefError(str(exc), code=exc.code) from exc
        try:
            result = brief(
                article.text,
                lang=lang,
                sentences=sentences,
                title=article.title,
                source=source_of(article),
            )
        except BriefError as exc:
            raise LinkBriefError(str(exc), code=exc.code, article=article) from exc
        # The engine returns the text it worked on (cleaned of page furniture); the contract of
        # a URL brief is the text as extracted from the page.
        return dataclasses.replace(result, text=article.text)

    def close(self) -> None:
        if self.fetcher is not None:
            self.runner.run(self.fetcher.aclose())
            self.fetcher = None
        self.runner.close()


_session: _Session | None = None


def brief_url(url: str, *, sentences: int, lang: str | None) -> Brief:
    """Fetch, extract and brief one URL; LinkBriefError (a BriefError) when that fails."""
    global _session
    if _session is None:
        _session = _Session()
    return _session.run_brief(url, sentences=sentences, lang=lang)
