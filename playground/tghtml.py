"""Telegram's text formatting, as the Bot API server applies it.

`parse_html` turns a `parse_mode=HTML` text into plain text plus message entities and fails the way
Telegram fails (the messages follow tdlib's HTML parser, so a bot sees the same "can't parse
entities" errors as in production). `auto_entities` finds what a Telegram client marks by itself in
what a user types (links and /commands). `entities_to_tree` turns text + entities into a nested,
JSON-friendly tree that the web page renders with DOM calls, never as raw HTML.
Entity offsets and lengths are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Tags Telegram accepts, and the entity type each one makes.
_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
# Entity types that carry no extra field and render as one element each.
_SIMPLE_TAGS = {
    "bold": "b",
    "italic": "i",
    "underline": "u",
    "strikethrough": "s",
    "spoiler": "tg-spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "expandable_blockquote": "blockquote",
}
# The attributes Telegram reads (the others are ignored, as Telegram ignores them).
_ARGUMENT_ATTRIBUTES = frozenset(
    {("a", "href"), ("tg-emoji", "emoji-id"), ("code", "class"), ("span", "class")}
)
_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\r\n\f\v"


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; str() is the part after "can't parse entities: "."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(slots=True)
class _Open:
    tag: str
    argument: str
    utf16_offset: int
    expandable: bool


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """The character an HTML entity at `pos` ('&...;') stands for, and the index after it."""
    end = text.find(";", pos + 1, pos + 12)
    if end == -1:
        return None
    name = text[pos + 1 : end]
    if name.startswith("#"):
        digits = name[1:]
        try:
            code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits, 10)
        except ValueError:
            return None
        if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        return chr(code), end + 1
    if name in _HTML_ENTITIES:
        return _HTML_ENTITIES[name], end + 1
    # Telegram knows only these four by name: "&nbsp;" stays "&nbsp;" in the message.
    return None


def _unescape(value: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&" and (decoded := _decode_entity(value, i)):
            out.append(decoded[0])
            i = decoded[1]
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _parse_attributes(text: str, i: int, tag: str, begin: int) -> tuple[int, str, bool]:
    """Reads attributes up to '>': returns the index of '>', the tag's argument, expandable."""
    argument = ""
    expandable = False
    n = len(text)
    while True:
        while i < n and text[i] in _SPACES:
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        if text[i] == ">":
            return i, argument, expandable
        name_start = i
        while i < n and text[i] not in _SPACES and text[i] not in "=>":
            i += 1
        name = text[name_start:i].lower()
        if not name:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
            )
        while i < n and text[i] in _SPACES:
            i += 1
        if i >= n or text[i] != "=":
            if tag == "blockquote" and name == "expandable":
                expandable = True
                continue
            raise EntityParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {begin}"
            )
        i += 1
        while i < n and text[i] in _SPACES:
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        if text[i] in "\"'":
            quote = text[i]
            end = text.find(quote, i + 1)
            if end == -1:
                raise EntityParseError(
                    f"Unclosed end tag at byte offset {_byte_offset(text, i)}"
                )
            value = text[i + 1 : end]
            i = end + 1
        else:
            value_start = i
            while i < n and (text[i].isalnum() or text[i] in ".-"):
                i += 1
            value = text[value_start:i]
        value = _unescape(value)
        wanted = (tag, name) in _ARGUMENT_ATTRIBUTES
        if (tag == "code" and not value.startswith("language-")) or (
            tag == "span" and value != "tg-spoiler"
        ):
            wanted = False
        if wanted:
            argument = value


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of an HTML-formatted message; raises EntityParseError."""
    out: list[str] = []
    utf16 = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "&" and (decoded := _decode_entity(text, i)):
            out.append(decoded[0])
            utf16 += utf16_len(decoded[0])
            i = decoded[1]
            continue
        if ch != "<":
            out.append(ch)
            utf16 += 2 if ord(ch) > 0xFFFF else 1
            i += 1
            continue
        begin = _byte_offset(text, i)
        i += 1
        if i < n and text[i] == "/":
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
            name_start = i + 1
            while i < n and text[i] not in _SPACES and text[i] != ">":
                i += 1
            end_name = text[name_start:i].lower()
            while i < n and text[i] in _SPACES:
                i += 1
            if i >= n or text[i] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
            i += 1
            opened = stack.pop()
            if end_name and end_name != opened.tag:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {begin}, expected "</{opened.tag}>", '
                    f'found "</{end_name}>"'
                )
            _close(opened, "".join(out), utf16, entities)
            continue
        name_start = i
        while i < n and text[i] not in _SPACES and text[i] != ">":
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        tag = text[name_start:i].lower()
        if tag not in _TAG_TYPES:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
        i, argument, expandable = _parse_attributes(text, i, tag, begin)
        i += 1
        if tag == "span" and argument != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
            )
        stack.append(_Open(tag, argument, utf16, expandable))
    if stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _close(opened: _Open, text_so_far: str, utf16: int, entities: list[dict[str, Any]]) -> None:
    length = utf16 - opened.utf16_offset
    if length <= 0:
        return  # Telegram drops empty entities
    kind = _TAG_TYPES[opened.tag]
    entity: dict[str, Any] = {"type": kind, "offset": opened.utf16_offset, "length": length}
    if kind == "text_link":
        url = opened.argument or _utf16_slice(text_so_far, opened.utf16_offset, length)
        url = url.strip()
        if not url:
            return
        if url.startswith("tg://user?id="):
            entity = {"type": "text_mention", "offset": opened.utf16_offset, "length": length}
            entity["user"] = {"id": int(url.split("=", 1)[1] or 0), "is_bot": False,
                              "first_name": ""}
        else:
            entity["url"] = url if "://" in url or url.startswith("tg:") else f"http://{url}"
    elif kind == "pre":
        # <pre><code class="language-x"> is one pre entity with a language, not two entities.
        inner = [e for e in entities if e["type"] == "code" and e["offset"] == opened.utf16_offset
                 and e["length"] == length and "language" in e]
        for code in inner:
            entities.remove(code)
            entity["language"] = code["language"]
    elif kind == "blockquote" and opened.expandable:
        entity["type"] = "expandable_blockquote"
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = opened.argument
    if kind == "code" and opened.argument.startswith("language-"):
        entity["language"] = opened.argument[len("language-") :]
    entities.append(entity)


_TRIMMED = " \t\r\n\v\f"


def trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """The text without leading and trailing whitespace, entities moved and clipped to match."""
    kept = text.strip(_TRIMMED)
    if kept == text:
        return text, entities
    start = utf16_len(text[: len(text) - len(text.lstrip(_TRIMMED))])
    end = start + utf16_len(kept)
    moved = []
    for entity in entities:
        e_start = max(int(entity["offset"]), start)
        e_end = min(int(entity["offset"]) + int(entity["length"]), end)
        if e_end > e_start:
            moved.append({**entity, "offset": e_start - start, "length": e_end - e_start})
    return kept, moved


def _utf16_slice(text: str, offset: int, length: int) -> str:
    raw = text.encode("utf-16-le")
    return raw[offset * 2 : (offset + length) * 2].decode("utf-16-le", errors="replace")


# What a Telegram client marks as a link or a command in what a user types.
_TLDS = (
    "com|org|net|int|edu|gov|info|news|io|co|me|app|dev|eu|uk|ru|su|ua|by|kz|de|fr|es|it|pl|"
    "nl|be|ch|at|se|no|fi|dk|pt|gr|tr|us|ca|au|in|cn|jp|tv|biz"
)
_URL_RE = re.compile(
    r"(?<![\w@/.])(?:https?://[^\s<>\"]+|(?:[a-z0-9-]+\.)+(?:" + _TLDS + r")(?:/[^\s<>\"]*)?)",
    re.IGNORECASE,
)
_COMMAND_RE = re.compile(r"(?<![\w/])/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/])")
_TRAILING = ".,;:!?)]}'\"»”’"


def auto_entities(text: str) -> list[dict[str, Any]]:
    """The `url` and `bot_command` entities a Telegram client attaches to typed text."""
    found: list[dict[str, Any]] = []
    for match in _URL_RE.finditer(text):
        url = match.group(0)
        # A closing bracket stays when the link itself opened one (Wikipedia style).
        while url and url[-1] in _TRAILING and not (url[-1] == ")" and "(" in url):
            url = url[:-1]
        if url:
            found.append(_span("url", text, match.start(), len(url)))
    for match in _COMMAND_RE.finditer(text):
        if not any(e["_start"] <= match.start() < e["_end"] for e in found):
            found.append(_span("bot_command", text, match.start(), len(match.group(0))))
    found.sort(key=lambda e: e["offset"])
    for entity in found:
        del entity["_start"], entity["_end"]
    return found


def _span(kind: str, text: str, start: int, length: int) -> dict[str, Any]:
    return {
        "type": kind,
        "offset": utf16_len(text[:start]),
        "length": utf16_len(text[start : start + length]),
        "_start": start,
        "_end": start + length,
    }


# A node of the render tree: a string, or {"tag": ..., "href"?: ..., "children": [...]}.
Node = str | dict[str, Any]


def entities_to_tree(text: str, entities: list[dict[str, Any]] | None) -> list[Node]:
    """Nested render nodes for text + entities. Overlapping entities are clipped to nest."""
    units = text.encode("utf-16-le")
    total = len(units) // 2

    def piece(start: int, end: int) -> str:
        return units[start * 2 : end * 2].decode("utf-16-le", errors="replace")

    spans = sorted(
        (e for e in entities or [] if e.get("length", 0) > 0),
        key=lambda e: (int(e["offset"]), -int(e["length"])),
    )

    def build(start: int, end: int, items: list[dict[str, Any]]) -> list[Node]:
        nodes: list[Node] = []
        cursor = start
        index = 0
        while index < len(items):
            entity = items[index]
            e_start = max(int(entity["offset"]), cursor)
            e_end = min(int(entity["offset"]) + int(entity["length"]), end)
            index += 1
            if e_start >= e_end:
                continue
            if e_start > cursor:
                nodes.append(piece(cursor, e_start))
            inner: list[dict[str, Any]] = []
            while index < len(items) and int(items[index]["offset"]) < e_end:
                inner.append(items[index])
                index += 1
            nodes.append(_element(entity, piece(e_start, e_end), build(e_start, e_end, inner)))
            cursor = e_end
        if cursor < end:
            nodes.append(piece(cursor, end))
        return nodes

    return build(0, total, spans)


def _element(entity: dict[str, Any], content: str, children: list[Node]) -> Node:
    kind = entity["type"]
    if kind in _SIMPLE_TAGS:
        node: dict[str, Any] = {"tag": _SIMPLE_TAGS[kind], "children": children}
        if kind == "pre" and entity.get("language"):
            node["language"] = entity["language"]
        return node
    if kind == "text_link":
        return {"tag": "a", "href": str(entity.get("url", "")), "children": children}
    if kind == "url":
        href = content if "://" in content else f"http://{content}"
        return {"tag": "a", "href": href, "children": children}
    if kind == "bot_command":
        return {"tag": "command", "children": children}
    return {"tag": "span", "children": children}
