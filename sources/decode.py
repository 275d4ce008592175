"""Bounded decompression of a response body, and text decoding that never raises."""

from __future__ import annotations

import codecs
import contextlib
import re
import zlib
from collections.abc import Iterator

import charset_normalizer

from sources.model import FetchError

# Content-Encoding values we decode ourselves, so the size cap applies to what is decompressed.
SUPPORTED_ENCODINGS = frozenset({"identity", "gzip", "x-gzip", "deflate"})
# Bytes of an HTML page searched for a <meta charset>: bytes.
META_SNIFF_BYTES = 4096
# Bytes given to the statistical charset guesser: bytes.
SNIFF_BYTES = 200_000

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
# WHATWG: browsers read these labels as windows-1252, and so do we.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "latin-1": "cp1252",
}


def too_large(limit: int) -> FetchError:
    return FetchError(
        f"That page is larger than {limit // (1024 * 1024)} MB, more than I read.",
        code="too_large",
        reason="too_large",
        params={"mb": limit // (1024 * 1024)},
    )


class BoundedDecoder:
    """Undo one Content-Encoding while counting the decompressed bytes against `limit`.

    zlib's `max_length` keeps each step's output bounded, so a gzip bomb is stopped after
    `limit` bytes of output, not after it has filled memory.
    """

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1:
            raise FetchError(
                "The site sent the page compressed twice over; I do not unpack that.",
                code="bad_encoding",
                reason="stacked_encoding",
            )
        self.coding = codings[0] if codings else "identity"
        if self.coding not in SUPPORTED_ENCODINGS:
            raise FetchError(
                f"The site sent the page in an encoding I do not read ({self.coding}).",
                code="bad_encoding",
                reason="unknown_encoding",
                params={"coding": self.coding},
            )
        self._limit = limit
        self._size = 0
        self._chunks: list[bytes] = []
        self._zlib: zlib._Decompress | None = None
        self._pending = b""  # the first bytes of a deflate body, until we know its framing

    def feed(self, data: bytes) -> None:
        if self.coding == "identity":
            self._keep(data)
            return
        if self._zlib is None:
            if self.coding == "deflate":
                # "deflate" is zlib-wrapped by the standard and raw in practice: look at the header.
                self._pending += data
                if len(self._pending) < 2:
                    return
                data, self._pending = self._pending, b""
                wbits = (
                    zlib.MAX_WBITS
                    if (data[0] & 0x0F) == 8 and int.from_bytes(data[:2], "big") % 31 == 0
                    else -zlib.MAX_WBITS
                )
            else:
                wbits = 16 + zlib.MAX_WBITS
            self._zlib = zlib.decompressobj(wbits)
        self._inflate(data)

    def _inflate(self, data: bytes) -> None:
        if self._zlib is None:
            return
        try:
            while data:
                out = self._zlib.decompress(data, self._limit - self._size + 1)
                self._keep(out)
                data = self._zlib.unconsumed_tail
                if self._zlib.eof:
                    # Trailing bytes after the compressed stream (another gzip member) are ignored.
                    break
        except zlib.error as exc:
            raise FetchError(
                "The site sent a damaged compressed page.",
                code="bad_encoding",
                reason="damaged_encoding",
            ) from exc

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise too_large(self._limit)
        if data:
            self._chunks.append(data)

    def finish(self) -> bytes:
        if self._pending:
            pending, self._pending = self._pending, b""
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            self._inflate(pending)
        if self._zlib is not None:
            self._keep(self._zlib.flush())
        return b"".join(self._chunks)


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label, or None when the label means nothing to us."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
        # Python also knows bytes-to-bytes codecs (base64, zlib) and "undefined", which always
        # fails: only a codec that decodes text is a charset.
        b"a".decode(name, errors="replace")
    except (LookupError, ValueError):  # ValueError: a NUL in the label; UnicodeError: undefined
        return None
    return name


def sniff_meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:META_SNIFF_BYTES])
    return match.group(1).decode("ascii") if match else None


def decode_text(body: bytes, declared: str | None = None, *, html: bool = True) -> str:
    """Decode a page whatever its charset: the BOM, then the declared charset, then the
    <meta charset>, then UTF-8, then a statistical guess; the last resort replaces bad bytes."""
    return _decode(body, declared, html=html)[0]


def decode_page(body: bytes, declared: str | None = None) -> tuple[str, bytes]:
    """An HTML page as text (as `decode_text` decodes it) and as the same text in UTF-8 bytes,
    which is what the HTML parser reads fastest. A page that is valid UTF-8 already (most of
    them) is handed back as it came, without a second copy."""
    text, as_is = _decode(body, declared, html=True)
    if as_is:
        return text, body[len(codecs.BOM_UTF8) :] if body.startswith(codecs.BOM_UTF8) else body
    return text, text.encode("utf-8", "surrogatepass")


def _decode(body: bytes, declared: str | None, *, html: bool) -> tuple[str, bool]:
    """The text, and whether it is exactly `body` read as UTF-8 (apart from a UTF-8 BOM)."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if body.startswith(bom):
            rest = body[len(bom) :]
            if name == "utf-8":
                with contextlib.suppress(UnicodeDecodeError):
                    return rest.decode(name), True
            return rest.decode(name, errors="replace"), False
    tried: list[str] = []
    for codec in _candidates(body, declared, html=html):
        if codec is None or codec in tried:
            continue
        tried.append(codec)
        try:
            return body.decode(codec), codec == "utf-8"
        except (UnicodeDecodeError, LookupError):
            continue
    guess = _guess(body)
    if guess is not None:
        return body.decode(guess, errors="replace"), False
    return body.decode(tried[0], errors="replace"), False


def _candidates(body: bytes, declared: str | None, *, html: bool) -> Iterator[str | None]:
    # Lazily: the <meta charset> is looked for only when the declared charset fails.
    yield _codec(declared)
    if html:
        yield _codec(sniff_meta_charset(body))
    yield "utf-8"


def _guess(body: bytes) -> str | None:
    """charset-normalizer's guess; on a tie, windows-1252, the web's default for unlabeled
    Western pages (the normalizer alone may pick cp1250 and turn "très" into "trčs")."""
    matches = list(charset_normalizer.from_bytes(body[:SNIFF_BYTES]))
    if not matches:
        return None
    best = matches[0]
    tied = [m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    choice = "cp1252" if "cp1252" in tied else best.encoding
    return _codec(choice)
