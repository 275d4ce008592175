"""Links end to end on 127.0.0.1: fetch, extract, brief; the fallbacks a user sees."""

from __future__ import annotations

import asyncio

import pytest

from sources.fetch import SafeFetcher
from sources.links import LinkBrief, brief_link, fetch_article
from sources.model import FetchError, TooShortError
from tests.sources.conftest import LocalServer
from tests.sources.pages import PARAGRAPHS, article_html
from tests.sources.pdfmaker import make_pdf

POST = (
    "Kremlin spokesman Dmitry Peskov said on Wednesday that Moscow regrets the new EU sanctions "
    "over the Navalny case and is looking for ways to normalise relations with Brussels."
)


async def test_a_link_becomes_a_brief_with_its_source(
    fetcher: SafeFetcher, server: LocalServer
) -> None:
    url = server.page("/news/story", article_html())
    result = await brief_link(fetcher, url, sentences=2)
    assert isinstance(result, LinkBrief) and not result.fallback and result.note is None
    assert result.title == "Moscow looks for ways to improve relations with EU despite differences"
    assert "Kremlin spokesman Dmitry Peskov" in result.text and result.summary
    # the brief carries the text exactly as extracted, whatever the engine cleans for itself
    assert result.text == (await fetch_article(fetcher, url)).text
    assert result.source.url == server.url("/news/moscow-eu")
    assert (result.source.site, result.source.author, result.source.date) == (
        "World Desk",
        "Jane Reporter",
        "2021-02-10",
    )


async def test_many_users_sending_one_link_cause_one_fetch(
    fetcher: SafeFetcher, server: LocalServer
) -> None:
    url = server.page("/popular", article_html(), delay_s=0.1)
    variants = [
        url,
        url + "#top",
        url + "?utm_source=telegram",
        url.upper().replace("/POPULAR", "/popular"),
    ]
    articles = await asyncio.gather(*(fetch_article(fetcher, variants[i % 4]) for i in range(40)))
    assert len({a.text for a in articles}) == 1
    assert server.hits["/popular"] == 1 and fetcher.articles.runs == 1
    await fetch_article(fetcher, url)  # still cached a moment later
    assert server.hits["/popular"] == 1


async def test_a_failed_fetch_is_not_cached(fetcher: SafeFetcher, server: LocalServer) -> None:
    url = server.page("/flaky", "down", status=503)
    with pytest.raises(FetchError):
        await fetch_article(fetcher, url)
    server.page("/flaky", article_html())
    assert "Peskov" in (await fetch_article(fetcher, url)).text


async def test_a_paywalled_link_falls_back_to_the_post(
    fetcher: SafeFetcher, server: LocalServer
) -> None:
    url = server.page("/paywall", article_html(paragraphs=["Subscribe to continue reading."]))
    with pytest.raises(TooShortError):
        await brief_link(fetcher, url)
    with pytest.raises(TooShortError):
        await brief_link(fetcher, url, fallback_text="Read this!")  # too short to stand in
    result = await brief_link(fetcher, url, fallback_text=POST, channel="World Desk")
    assert result.fallback and result.note is not None
    assert "paywall" in result.note and "post itself" in result.note
    assert result.text == POST and result.source.channel == "World Desk"


async def test_a_blocked_link_is_never_fetched_even_with_a_fallback(
    strict_fetcher: SafeFetcher,
) -> None:
    result = await brief_link(strict_fetcher, "http://169.254.169.254/", fallback_text=POST)
    assert result.fallback and result.note and "private" in result.note


async def test_pdf_image_and_charsets_over_http(fetcher: SafeFetcher, server: LocalServer) -> None:
    lines = [p[i : i + 80] for p in PARAGRAPHS for i in range(0, len(p), 80)]
    pdf = server.page("/report.pdf", make_pdf(lines), ctype="application/pdf")
    assert "Borrell" in (await fetch_article(fetcher, pdf)).text
    png = server.page("/photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, ctype="image/png")
    with pytest.raises(FetchError) as caught:
        await fetch_article(fetcher, png)
    assert caught.value.code == "unsupported_type" and "picture" in str(caught.value)
    russian = [
        "Кремль заявил, что Москва ищет пути нормализации отношений с Евросоюзом, "
        "несмотря на разногласия и новые санкции, объявленные Жозепом Боррелем."
    ] * 4
    page = article_html(paragraphs=russian, charset_meta=None).encode("cp1251")
    wrong = server.page("/ru-wrong", page, ctype="text/html; charset=utf-8")
    missing = server.page("/ru-missing", page, ctype="text/html")
    for url in (wrong, missing):
        assert "Москва ищет пути нормализации" in (await fetch_article(fetcher, url)).text
