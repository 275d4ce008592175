"""What a page says about itself (title, site, author, date, canonical URL), read cheaply.

trafilatura's own metadata pass (htmldate, author heuristics) costs about half of the extraction
again; the <meta> tags and JSON-LD of the <head> give the same fields on news pages for a tenth
of that, so this reads them directly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html
from lxml.html import HtmlElement

# Bytes of the page scanned for the end of <head>: characters.
MAX_HEAD_CHARS = 400_000
# JSON-LD blocks read per page, and nesting followed inside one: blocks, levels.
MAX_JSONLD_BLOCKS = 8
MAX_JSONLD_DEPTH = 6
# A title, site or author longer than this is not one: characters.
MAX_FIELD_CHARS = 300

_HEAD_END = re.compile(r"</head\s*>", re.I)
_JSONLD_TYPE = "application/ld+json"
# The elements metadata is read from.
_TAGS = ("meta", "link", "script", "title")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_BY = re.compile(r"^\s*(?:by|von|par|por|автор:?)\s+", re.I)

_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "headline")
_SITE_KEYS = ("og:site_name", "application-name", "twitter:site")
_AUTHOR_KEYS = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
    "twitter:creator",
)
_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dc.date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "published_time",
)


@dataclass(frozen=True, slots=True)
class PageMeta:
    title: str | None = None
    site: str | None = None
    author: str | None = None
    date: str | None = None  # YYYY-MM-DD
    canonical: str | None = None


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(value.split())
    return value if 0 < len(value) <= MAX_FIELD_CHARS else None


def _date(value: str | None) -> str | None:
    match = _DATE.search(value or "")
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return match.group(0) if 1990 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31 else None


def _jsonld_objects(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > MAX_JSONLD_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            yield from _jsonld_objects(item, depth + 1)
    elif isinstance(node, dict):
        yield node
        if "@graph" in node:
            yield from _jsonld_objects(node["@graph"], depth + 1)


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else None
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value[:5]) if n]
        return ", ".join(names) or None
    return None


def read_meta(page: str) -> PageMeta:
    """Metadata from the page's <head> (the whole page when it has no recognisable head)."""
    end = _HEAD_END.search(page, 0, MAX_HEAD_CHARS)
    meta = _read(page[: end.start()] + "</head><body></body></html>" if end else page)
    if end and meta.title is None:
        # Some pages write "</head>" inside a script first; read the whole page then.
        meta = _read(page)
    return meta


def read_meta_tree(root: HtmlElement, page: str) -> PageMeta | None:
    """`read_meta` from the page's tree, already parsed (`page` is its text): the same fields
    from the same elements, those before the first </head>, at a fraction of the cost.

    libxml2 ends the head at the first tag that does not belong there (a tracking pixel's <img>,
    a <div>) and puts the rest of the head into the body, so the body's elements count too, up
    to the </head>, told by their source line. None (use `read_meta`) when that cannot be told
    (tags before and after the </head> on its line, as on minified pages), when the page has no
    </head>, and when no title is found (`read_meta` then reads the whole page)."""
    end = _HEAD_END.search(page, 0, MAX_HEAD_CHARS)
    head = root.find("head")
    if end is None or head is None:
        return None
    end_line = page.count("\n", 0, end.start()) + 1
    line_start = page.rfind("\n", 0, end.start()) + 1
    line_end = page.find("\n", end.end())
    tag_before = "<" in page[line_start : end.start()]
    tag_after = "<" in page[end.end() : line_end if line_end >= 0 else len(page)]
    scope = list(head.iter(*_TAGS))
    body = root.find("body")
    for child in body if body is not None else ():
        if child.sourceline is None or child.sourceline > end_line:
            break
        for element in child.iter(*_TAGS):
            line = element.sourceline
            if line is None or line > end_line:
                break
            if line == end_line:
                if tag_before and tag_after:
                    return None  # on the line of the </head>, before it or after it?
                if tag_after:
                    break  # everything on that line came after the </head>
            scope.append(element)
    meta = _from(scope)
    return meta if meta.title is not None else None


def _read(markup: str) -> PageMeta:
    try:
        tree = lxml_html.document_fromstring(markup)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return PageMeta()
    return _from(list(tree.iter(*_TAGS)))


def _from(elements: list[HtmlElement]) -> PageMeta:
    """The fields from `elements`, the page's <meta>, <link>, <script> and <title> elements
    in document order."""
    found: dict[str, str] = {}
    for element in (e for e in elements if e.tag == "meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        content = element.get("content")
        key = key.strip().lower()
        if key and content and key not in found:
            found[key] = content
    ld: dict[str, str] = {}
    scripts = [e for e in elements if e.tag == "script" and e.get("type") == _JSONLD_TYPE]
    for script in scripts[:MAX_JSONLD_BLOCKS]:
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for obj in _jsonld_objects(data):
            for key, field in (("headline", "title"), ("datePublished", "date")):
                if isinstance(obj.get(key), str):
                    ld.setdefault(field, obj[key])
            author = _name(obj.get("author"))
            if author:
                ld.setdefault("author", author)
            publisher = _name(obj.get("publisher"))
            if publisher:
                ld.setdefault("site", publisher)
    title_el = next((e for e in elements if e.tag == "title"), None)
    title = next((found[k] for k in _TITLE_KEYS if k in found), None) or ld.get("title")
    if not title and title_el is not None:
        title = title_el.text_content()
    author = next(
        (
            found[k]
            for k in _AUTHOR_KEYS
            if k in found and not found[k].startswith(("http://", "https://", "@"))
        ),
        None,
    )
    author = author or ld.get("author")
    canonical = None
    for link in (e for e in elements if e.tag == "link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href")
            break
    return PageMeta(
        title=_clean(title),
        site=_clean(next((found[k] for k in _SITE_KEYS if k in found), None) or ld.get("site")),
        author=_clean(_BY.sub("", author)) if author else None,
        date=next((d for d in (_date(found.get(k)) for k in _DATE_KEYS) if d), None)
        or _date(ld.get("date")),
        canonical=_clean(canonical or found.get("og:url")),
    )
