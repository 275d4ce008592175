"""Files sent as documents: a PDF or a .txt is downloaded through the Bot API (getFile, then the
file URL), read like a link's page would be, and briefed; other files are answered plainly."""

from __future__ import annotations

import itertools
import textwrap
from typing import Any

from handlers.documents import MAX_DOCUMENT_BYTES
from tests.bot.conftest import SEED
from tests.bot.support import Harness, channel_origin, forward, message
from tests.sources.pdfmaker import make_pdf

_ids = itertools.count(1)


def sent_file(
    bot: Harness, content: bytes, name: str, mime: str | None, size: int | None = None
) -> dict[str, Any]:
    """The document part of a message, with the file stored where getFile finds it."""
    file_id = f"BQACAgI{next(_ids)}"
    bot.request.files[file_id] = content
    document: dict[str, Any] = {
        "file_id": file_id,
        "file_unique_id": f"AgAD{file_id}",
        "file_name": name,
        "file_size": len(content) if size is None else size,
    }
    if mime is not None:
        document["mime_type"] = mime
    return document


def seed_pdf() -> bytes:
    lines = [line for para in SEED.split("\n") for line in textwrap.wrap(para, 90) or [""]]
    return make_pdf(lines[:60], title="Moscow looks for ways to improve relations with EU")


async def test_a_pdf_is_briefed(bot: Harness) -> None:
    await bot.send(message(None, document=sent_file(bot, seed_pdf(), "kremlin.pdf", None)))
    assert [c.method for c in bot.request.calls if c.method in ("getFile", "download")] == [
        "getFile",
        "download",
    ]
    text = bot.last_text()
    assert text.startswith("Moscow looks for ways to improve relations with EU")
    assert "Peskov" in text
    assert "Follow this dispute" in [b["text"] for b in bot.buttons()]
    (item,) = await bot.history(42)
    assert item.brief["title"] == "Moscow looks for ways to improve relations with EU"
    # A file someone sent is theirs: it never goes to the shared pool.
    assert await bot.articles() == []


async def test_a_forwarded_text_file_is_briefed_with_its_channel(bot: Harness) -> None:
    document = sent_file(bot, SEED.encode("utf-8"), "article.txt", "text/plain")
    await bot.send(forward("", channel_origin("World Desk", "worlddesk", 9), document=document))
    text = bot.last_text()
    assert "Peskov" in text
    assert "World Desk" in text
    (item,) = await bot.history(42)
    assert item.brief["title"] == "article.txt"


async def test_other_files_are_answered_plainly(bot: Harness) -> None:
    document = sent_file(bot, b"PK\x03\x04", "article.docx", "application/vnd.openxmlformats")
    await bot.send(message(None, document=document))
    assert bot.last_text() == (
        "I can read PDF and plain-text (.txt) files. Send this one's text, or a link to it."
    )
    assert bot.request.called("getFile") == []


async def test_a_file_over_the_limit_is_not_downloaded(bot: Harness) -> None:
    document = sent_file(
        bot, b"%PDF-1.4", "huge.pdf", "application/pdf", size=MAX_DOCUMENT_BYTES + 1
    )
    await bot.send(message(None, document=document))
    assert bot.last_text().startswith("That file is over 5 MB, more than I read.")
    assert bot.request.called("getFile") == []


async def test_a_pdf_without_text_gets_the_reason(bot: Harness) -> None:
    document = sent_file(bot, make_pdf([]), "scan.pdf", "application/pdf")
    await bot.send(message(None, document=document))
    text = bot.last_text()
    assert text.startswith("I couldn't read that file: ")
    assert "scanned images without a text layer" in text


async def test_a_damaged_pdf_gets_the_reason(bot: Harness) -> None:
    document = sent_file(bot, b"%PDF-1.4 not really", "broken.pdf", "application/pdf")
    await bot.send(message(None, document=document))
    assert bot.last_text() == (
        "I couldn't read that file: That PDF is damaged or in a form I cannot read."
    )
