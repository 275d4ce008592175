"""From real pages to an Article: text, metadata, and the pages that hold no article."""

from __future__ import annotations

import contextlib
import io
import logging

import pytest
from pypdf import PdfReader, PdfWriter

from sources.extract import article_from, article_from_html
from sources.fetch import Fetched
from sources.model import FetchError, TooShortError
from tests.sources.pages import PARAGRAPHS, article_html
from tests.sources.pdfmaker import make_pdf


def _fetched(body: bytes, ctype: str, url: str = "https://worlddesk.example/news/1") -> Fetched:
    return Fetched(url=url, status=200, content_type=ctype, charset=None, body=body)


def test_article_text_and_metadata() -> None:
    article = article_from_html(article_html(), "https://www.worlddesk.example/n?id=1")
    assert "Kremlin spokesman Dmitry Peskov" in article.text
    assert "Privacy" not in article.text and "Sport" not in article.text
    assert article.title == "Moscow looks for ways to improve relations with EU despite differences"
    assert article.site == "World Desk" and article.author == "Jane Reporter"
    assert article.date == "2021-02-10"
    assert article.url == "https://www.worlddesk.example/news/moscow-eu"


def test_a_canonical_url_on_another_site_is_not_believed() -> None:
    page = article_html(canonical="https://trusted-paper.example/real-story")
    article = article_from_html(page, "https://evil.example/fake")
    assert article.url == "https://evil.example/fake"


def test_a_paywalled_page_says_so() -> None:
    page = article_html(paragraphs=["Subscribe to continue reading. Already a subscriber?"])
    with pytest.raises(TooShortError) as caught:
        article_from_html(page, "https://paper.example/a")
    assert "paywall" in str(caught.value) and caught.value.code == "too_short"
    assert caught.value.article.title is not None


def test_a_script_only_page_says_so() -> None:
    scripts = "".join(f"<script src='/app{i}.js'></script>" for i in range(8))
    page = f"<html><head><title>App</title>{scripts}</head><body><div id=root></div></body></html>"
    with pytest.raises(TooShortError) as caught:
        article_from_html(page, "https://app.example/")
    assert "JavaScript" in str(caught.value)


def test_plain_text() -> None:
    body = "\n\n".join(PARAGRAPHS).encode("utf-8")
    article = article_from(_fetched(body, "text/plain"))
    assert article.text.startswith("The European Union announced")


def test_pdf_text_layer() -> None:
    lines = [p[i : i + 80] for p in PARAGRAPHS for i in range(0, len(p), 80)]
    article = article_from(_fetched(make_pdf(lines, title="Sanctions report"), "application/pdf"))
    assert "Dmitry Peskov" in article.text.replace("\n", " ")
    assert article.title == "Sanctions report" and article.author == "Test Author"


def test_pdf_behind_a_vague_content_type() -> None:
    lines = [p[i : i + 80] for p in PARAGRAPHS for i in range(0, len(p), 80)]
    article = article_from(_fetched(make_pdf(lines), "application/octet-stream"))
    assert "sanctions" in article.text


def test_a_damaged_pdf_gets_a_clear_answer() -> None:
    with pytest.raises(FetchError) as caught:
        article_from(_fetched(b"%PDF-1.4\n1 0 obj garbage", "application/pdf"))
    assert caught.value.code in ("pdf", "too_short")


@pytest.mark.parametrize(
    ("ctype", "words"),
    [
        ("image/png", "a picture"),
        ("video/mp4", "a video"),
        ("audio/mpeg", "a sound file"),
        ("application/zip", "not a web page"),
    ],
)
def test_binaries_get_a_polite_answer(ctype: str, words: str) -> None:
    with pytest.raises(FetchError) as caught:
        article_from(_fetched(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, ctype))
    assert caught.value.code == "unsupported_type"
    assert words in str(caught.value) and "PDF" in str(caught.value)


def test_broken_html_never_raises_anything_but_fetch_error() -> None:
    for page in ("", "<", "<html>", "\0\0\0", "<p>" * 5000, "<html><body>" + "x" * 10):
        with pytest.raises(FetchError):
            article_from_html(page, "https://x.example/")


def test_no_url_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    url = "https://secret-place.example/private-path"
    for page in (article_html(), "<html><body><p>tiny</p></body></html>", ""):
        with contextlib.suppress(FetchError):
            article_from_html(page, url)
    assert "secret-place" not in caplog.text


@pytest.mark.parametrize(("password", "readable"), [("", True), ("secret", False)])
def test_encrypted_pdfs(password: str, readable: bool) -> None:
    lines = [p[i : i + 80] for p in PARAGRAPHS for i in range(0, len(p), 80)]
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(lines))))
    owner = "owner-" + password  # a test fixture, not a secret
    writer.encrypt(user_password=password, owner_password=owner, algorithm="RC4-128")
    body = io.BytesIO()
    writer.write(body)
    fetched = _fetched(body.getvalue(), "application/pdf")
    if readable:  # an empty user password only restricts printing or copying
        assert "Borrell" in article_from(fetched).text
    else:
        with pytest.raises(FetchError) as caught:
            article_from(fetched)
        assert "password" in str(caught.value)
