"""A link in, an Article or a Brief out: the path shared by the bot, the digest and the CLI."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

import httpx

from briefing import Brief, Source, brief
from sources.config import MIN_FALLBACK_CHARS
from sources.extract import article_from
from sources.fetch import SafeFetcher
from sources.model import Article, FetchError
from sources.urls import cache_key, check_url


@dataclass(frozen=True, slots=True)
class LinkBrief(Brief):
    """A Brief made from a link. `note` is set when the link could not be read and the post's
    own text was briefed instead; it says why, in words fit for the user."""

    note: str | None = None
    fallback: bool = False


async def fetch_article(fetcher: SafeFetcher, url: str, *, offload: bool = True) -> Article:
    """Fetch and extract one article. The same URL asked for by many users at once is fetched
    once, and reused for a few minutes (see `sources.config.ARTICLE_CACHE_TTL_S`).

    Extraction is CPU work (5-40 ms a page, seconds for a 5 MB page): with `offload` it runs in
    a worker thread so the event loop keeps serving other users; a caller with nobody else to
    serve (the CLI) saves the thread hop with `offload=False`."""
    parsed = check_url(url)
    key = cache_key(parsed)

    async def work() -> tuple[Article, Iterable[str]]:
        fetched = await fetcher.fetch(parsed)
        article = (
            await asyncio.to_thread(article_from, fetched) if offload else article_from(fetched)
        )
        # After a redirect the article is kept under its final address too.
        final = fetched.url
        return article, () if final == str(parsed) else {cache_key(httpx.URL(final))}

    return await fetcher.articles.get_or_run(key, work)


def source_of(
    article: Article, *, channel: str | None = None, channel_url: str | None = None
) -> Source:
    return Source(
        url=article.url,
        site=article.site,
        author=article.author,
        date=article.date,
        channel=channel,
        channel_url=channel_url,
    )


async def brief_link(
    fetcher: SafeFetcher,
    url: str,
    *,
    sentences: int = 3,
    lang: str | None = None,
    fallback_text: str | None = None,
    channel: str | None = None,
    channel_url: str | None = None,
) -> LinkBrief:
    """Fetch, extract and brief a link. When the link cannot be read (too little text, a
    picture, a dead site, a refused address) and `fallback_text` (the post's own text) is long
    enough, that text is briefed instead and `note` says why; otherwise FetchError is raised.
    The engine's BriefError propagates."""
    try:
        article = await fetch_article(fetcher, url)
    except FetchError as exc:
        if fallback_text is None or len(fallback_text.strip()) < MIN_FALLBACK_CHARS:
            raise
        result = await asyncio.to_thread(
            brief,
            fallback_text,
            lang=lang,
            sentences=sentences,
            source=Source(channel=channel, channel_url=channel_url),
        )
        return _as_link_brief(result, note=f"{exc} So this brief is of the post itself.")
    result = await asyncio.to_thread(
        brief,
        article.text,
        lang=lang,
        sentences=sentences,
        title=article.title,
        source=source_of(article, channel=channel, channel_url=channel_url),
    )
    # `text` is the article as extracted (the engine hands back its cleaned working copy), the
    # same contract as `briefbot brief URL`.
    return _as_link_brief(dataclasses.replace(result, text=article.text), note=None)


def _as_link_brief(result: Brief, *, note: str | None) -> LinkBrief:
    fields = {name: getattr(result, name) for name in Brief.__dataclass_fields__}
    return LinkBrief(**fields, note=note, fallback=note is not None)
