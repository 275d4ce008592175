"""A fetched HTML page parsed once, for the metadata reader and trafilatura to share.

Parsing is a tenth of an extraction. trafilatura parses a page it is given as text itself
(`trafilatura.utils.load_html`), after two repairs that each scan the whole string; given a tree
it only copies it. So the page is parsed here, from its UTF-8 bytes (what libxml2 reads fastest),
with trafilatura's parser settings (and a faster class lookup) and the same repairs as
trafilatura's, done on bytes: the extracted text is the same as from trafilatura's own loading.
Anything unusual (control characters, a self-closing <html/>, a page that does not parse as a
document) is left to trafilatura's loader.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)

# trafilatura's parser settings (trafilatura.utils.HTML_PARSER): comments and processing
# instructions dropped, no implied doctype, no id table.
_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
# Which Python class each node of the tree gets. lxml.html's own lookup is a Python method that
# lxml calls for every element it hands to Python code, and trafilatura's XPath pruning hands it
# thousands a page (an attribute string comes with its element): 5 % of an extraction. This one
# is lxml's table lookup, done in C. Every element is an HtmlElement as before; only lxml.html's
# form classes (FormElement, InputElement, ...) are gone, whose form helpers neither
# trafilatura nor the metadata reader use. The same text is checked in tests/sources.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement,
        comment=HtmlComment,
        pi=HtmlProcessingInstruction,
        entity=HtmlEntity,
    )
)
# trafilatura deletes characters XML cannot hold (C0 controls but tab and newlines, U+FFFE,
# U+FFFF) before parsing. In UTF-8 the controls are single bytes and U+FFFE/U+FFFF start with
# 0xEF; this table turns all of those bytes into NUL, so one C-speed pass and one `in` tell
# whether a page may hold any (almost no page does).
_SUSPECT_BYTES = bytes([*(b for b in range(32) if b not in (9, 10, 13)), 0xEF])
_TO_NUL = bytes.maketrans(_SUSPECT_BYTES, b"\x00" * len(_SUSPECT_BYTES))
_INVALID_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# trafilatura removes a doctype with a slash in it from the first line (an lxml/libxml2 bug,
# https://bugs.launchpad.net/lxml/+bug/1955915).
_DOCTYPE_TAG = re.compile(rb"^< ?! ?DOCTYPE[^>]*/[^<>]*>", re.IGNORECASE)
# Characters of the page looked at for a self-closing <html/>, and lines: characters, lines.
_HTML_TAG_SCAN_CHARS = 4096
_HTML_TAG_SCAN_LINES = 4


def parse_page(page: str, utf8: bytes) -> HtmlElement | None:
    """The page's tree, parsed as trafilatura would parse `page`; `utf8` is `page` in UTF-8.

    None when the page needs one of trafilatura's rarer repairs or fallbacks: hand trafilatura
    the text then, and it does them."""
    beginning = page[:50].lower()
    if _needs_cleaning(utf8, page) or _self_closing_html(page):
        return None
    if "doctype" in beginning:
        first, _, rest = utf8.partition(b"\n")
        utf8 = _DOCTYPE_TAG.sub(b"", first, count=1) + b"\n" + rest
    try:
        tree = fromstring(utf8, parser=_PARSER)
    except (ValueError, etree.ParserError):
        return None
    if tree is None or len(tree) < 1:
        return None  # trafilatura would try again from bytes, and so will it here
    if "html" not in beginning and len(tree) < 2:
        return None  # trafilatura refuses this as "not valid HTML"; let it say so
    return tree


def _needs_cleaning(utf8: bytes, page: str) -> bool:
    if b"\x00" not in utf8.translate(_TO_NUL):
        return False
    return _INVALID_XML_CHARS.search(page) is not None


def _self_closing_html(page: str) -> bool:
    for line in page[:_HTML_TAG_SCAN_CHARS].splitlines()[:_HTML_TAG_SCAN_LINES]:
        if "<html" in line and line.endswith("/>"):
            return True
    return False
