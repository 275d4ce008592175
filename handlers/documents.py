"""Files users send as documents: a PDF or a plain-text file is downloaded through the Bot API,
read with the same extraction links use (`sources.extract`), and briefed like an article."""

from __future__ import annotations

import asyncio
from typing import Final

from telegram import Document, Update
from telegram.ext import ContextTypes

from bot.i18n import tr
from bot.offload import extract, unwrap
from briefing import Brief, Source
from handlers.intake import deliver
from handlers.replies import reply
from handlers.services import Services, run_brief, services
from handlers.users import language_of
from sources.extract import PDF_TYPES, TEXT_TYPES
from sources.fetch import Fetched
from sources.model import FetchError

# The largest file downloaded: bytes (a long report is well under; scans are refused anyway).
MAX_DOCUMENT_BYTES: Final = 5 * 1024 * 1024
_SUFFIX_TYPES: Final = {".pdf": "application/pdf", ".txt": "text/plain", ".md": "text/markdown"}


def readable_type(document: Document) -> str | None:
    """The media type the extractor reads the file as, or None for a file it cannot read."""
    mime = (document.mime_type or "").lower()
    if mime in PDF_TYPES or mime in TEXT_TYPES:
        return mime
    name = (document.file_name or "").lower()
    for suffix, media_type in _SUFFIX_TYPES.items():
        if name.endswith(suffix):
            return media_type
    return None


async def _read_and_brief(
    svc: Services, document: Document, media_type: str, channel: Source
) -> Brief:
    data = await (await document.get_file()).download_as_bytearray()
    if len(data) > MAX_DOCUMENT_BYTES:  # file_size is optional in the Bot API
        raise FetchError(
            _too_large_text(),
            code="too_large",
            reason="file_too_large",
            params={"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)},
        )
    fetched = Fetched(url="", status=200, content_type=media_type, charset=None, body=bytes(data))
    loop = asyncio.get_running_loop()
    article = unwrap(await loop.run_in_executor(svc.executor, extract, fetched))
    source = Source(author=article.author, channel=channel.channel, channel_url=channel.channel_url)
    return await run_brief(
        svc.executor,
        svc.engine,
        article.text,
        title=article.title or document.file_name,
        source=source,
    )


def _too_large_text() -> str:
    return f"The file is over {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB."


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file sent or forwarded: brief it, or say plainly why not."""
    svc = services(context)
    message = update.effective_message
    document = message.document if message is not None else None
    if message is None or document is None:
        return
    post = svc.parse_message(message)
    media_type = readable_type(document)
    if media_type is None:
        lang = await language_of(svc, update.effective_user)
        await reply(update, context, tr(lang, "err.document"))
        return
    if document.file_size is not None and document.file_size > MAX_DOCUMENT_BYTES:
        lang = await language_of(svc, update.effective_user)
        mb = MAX_DOCUMENT_BYTES // (1024 * 1024)
        await reply(update, context, tr(lang, "err.document_too_large", mb=mb))
        return
    channel = Source(channel=post.source_name, channel_url=post.source_url)
    await deliver(
        update,
        context,
        _read_and_brief(svc, document, media_type, channel),
        channel=channel,
        fetch_key="err.file",
    )
