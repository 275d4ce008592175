"""The two texts the extraction tests compare: trafilatura's own, and ours."""

from __future__ import annotations

import unicodedata
import warnings

from trafilatura import bare_extraction
from trafilatura.settings import Extractor

from sources.config import MAX_TEXT_CHARS
from sources.extract import article_from_html
from sources.model import TooShortError


def trafilatura_text(page: str, options: Extractor | None = None) -> str:
    """trafilatura's text of the page, loaded by trafilatura, as an Article holds it: with our
    settings said through its public arguments, or with `options`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if options is None:
            document = bare_extraction(
                page,
                include_comments=False,
                favor_precision=True,
                output_format="python",
                with_metadata=False,
            )
        else:
            document = bare_extraction(page, options=options)
    text = getattr(document, "text", None) or ""
    return unicodedata.normalize("NFC", text.replace("\x00", "")).strip()[:MAX_TEXT_CHARS]


def our_text(page: str) -> str:
    """The text of the Article we make of the page, short or not."""
    try:
        return article_from_html(page, "https://news.example/a").text
    except TooShortError as short:
        return short.article.text
