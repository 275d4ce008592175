"""From a fetched body to an Article: HTML through trafilatura, plain text, PDF through pypdf."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from sources.cascade import extract_text
from sources.config import MAX_PDF_PAGES, MAX_TEXT_CHARS, MIN_ARTICLE_CHARS
from sources.decode import decode_page, decode_text
from sources.fetch import Fetched
from sources.htmltree import parse_page
from sources.metadata import PageMeta, read_meta, read_meta_tree
from sources.model import Article, FetchError, TooShortError
from sources.urls import same_site

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/xml", "text/xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown"})
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
# Generic types that say nothing: the body's first bytes decide.
VAGUE_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})

_PAYWALL = re.compile(
    r'isAccessibleForFree"?\s*[:=]\s*"?false|paywall|subscribe to (?:continue|read)|'
    r"subscribers only|premium content|already a subscriber",
    re.I,
)
_SCRIPT = re.compile(r"<script\b", re.I)

_KIND_WORDS = {"image": "a picture", "audio": "a sound file", "video": "a video"}
# Why a page gave too little text, by `TooShortError.reason`: the end of the message.
_SHORT_WHY = {
    "short": "",
    "short_paywall": ": it looks like it is behind a paywall",
    "short_script": ": it seems to build its text with JavaScript, which I do not run",
    "short_pdf": ": it may be scanned images without a text layer",
}


def article_from(fetched: Fetched) -> Article:
    """Extract the article from a fetched body; FetchError for what cannot be read."""
    kind = _kind(fetched)
    if kind == "pdf":
        return _pdf(fetched)
    if kind == "text":
        text = decode_text(fetched.body, fetched.charset, html=False)
        return _checked(Article(url=fetched.url, text=_tidy(text)), reason="short")
    if kind == "html":
        page, utf8 = decode_page(fetched.body, fetched.charset)
        return _article_from_page(page, utf8, fetched.url)
    major = fetched.content_type.split("/", 1)[0]
    what = _KIND_WORDS.get(major, "a file that is not a web page")
    media = fetched.content_type or "unknown type"
    raise FetchError(
        f"That link leads to {what} ({media}); I can only read web pages, plain text and PDF.",
        code="unsupported_type",
        reason=f"unsupported_{major if major in _KIND_WORDS else 'file'}",
        params={"type": media},
    )


def _kind(fetched: Fetched) -> str:
    ctype = fetched.content_type
    if ctype in PDF_TYPES:
        return "pdf"
    if ctype in HTML_TYPES or (ctype.endswith("+xml") and "html" in ctype):
        return "html"
    if ctype in TEXT_TYPES:
        return "text"
    if ctype in VAGUE_TYPES:
        head = fetched.body[:512].lstrip().lower()
        if head.startswith(b"%pdf-"):
            return "pdf"
        if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")):
            return "html"
    return "other"


def article_from_html(page: str, url: str) -> Article:
    """trafilatura on the decoded page (it never fetches anything itself), plus metadata."""
    return _article_from_page(page, page.encode("utf-8", "surrogatepass"), url)


def _article_from_page(page: str, utf8: bytes, url: str) -> Article:
    # One parse serves both readers, the metadata first: trafilatura prunes the tree in place.
    # A page our parse leaves alone goes to trafilatura as text, to be loaded its own way.
    tree = parse_page(page, utf8)
    meta = (read_meta_tree(tree, page) if tree is not None else None) or read_meta(page)
    text = _tidy(extract_text(tree if tree is not None else page))
    article = Article(
        url=_canonical(meta, url),
        text=text,
        title=meta.title,
        site=meta.site or _host_name(url),
        author=meta.author,
        date=meta.date,
    )
    return _checked(article, reason=lambda: _why_short(page))


def _checked(article: Article, *, reason: Callable[[], str] | str) -> Article:
    """`article`, or TooShortError with `reason` (a `_SHORT_WHY` key, or what finds one)."""
    if len(article.text) >= MIN_ARTICLE_CHARS:
        return article
    # The reason is looked for only now: scanning a whole page for paywall words costs
    # as much as a third of the extraction.
    why = reason() if callable(reason) else reason
    raise TooShortError(
        f"I found almost no article text on that page{_SHORT_WHY[why]}.",
        article=article,
        reason=why,
    )


def _why_short(page: str) -> str:
    if _PAYWALL.search(page):
        return "short_paywall"
    if len(_SCRIPT.findall(page, 0, 2_000_000)) >= 5:
        return "short_script"
    return "short"


def _canonical(meta: PageMeta, url: str) -> str:
    # A page may claim any canonical URL; only one on the same site is believed, so a page
    # cannot pass itself off as another site's article.
    if meta.canonical:
        canonical = urljoin(url, meta.canonical)
        parts = urlsplit(canonical)
        if parts.scheme in ("http", "https") and same_site(
            parts.hostname or "", urlsplit(url).hostname or ""
        ):
            return canonical
    return url


def _host_name(url: str) -> str | None:
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def _tidy(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\x00", ""))
    return text.strip()[:MAX_TEXT_CHARS]


def _pdf(fetched: Fetched) -> Article:
    from pypdf import PdfReader  # imported on demand: most links are web pages

    try:
        reader = PdfReader(io.BytesIO(fetched.body))
        # Many PDFs are "encrypted" with an empty password only to restrict printing or copying.
        if reader.is_encrypted and not reader.decrypt(""):
            raise FetchError(
                "That PDF is password-protected, so I cannot read it.",
                code="pdf",
                reason="pdf_locked",
            )
        parts = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
        info = reader.metadata
        title = str(info.title) if info is not None and info.title else None
        author = str(info.author) if info is not None and info.author else None
    except FetchError:
        raise
    except Exception as exc:  # pypdf raises many types on a damaged file; all mean "cannot read"
        log.info("unreadable PDF: %s", type(exc).__name__)
        raise FetchError(
            "That PDF is damaged or in a form I cannot read.", code="pdf", reason="pdf_damaged"
        ) from exc
    text = _tidy("\n\n".join(p.strip() for p in parts if p.strip()))
    article = Article(
        url=fetched.url, text=text, title=title, author=author, site=_host_name(fetched.url)
    )
    return _checked(article, reason="short_pdf")
