"""Split Telegram HTML into messages under the length limit, never inside a tag or an entity.

Cuts are made, by preference, after a blank line (a paragraph), after a line break, after a
sentence, after a space, and only where no tag is open, so the chunks joined back give the input.
Only when a single element (one <b>…</b>) is longer than a whole message is a cut made inside it:
its open tags are closed at the end of the chunk and reopened at the start of the next.
"""

from __future__ import annotations

import re
from typing import Final

from sources.telegram import MESSAGE_LIMIT_UTF16, utf16_len

# Telegram's limit on one message, counted in UTF-16 code units (an emoji counts two).
MESSAGE_LIMIT: Final = MESSAGE_LIMIT_UTF16

# Tags and character references are atomic: no cut may fall inside one.
_TOKEN_RE: Final = re.compile(r"<[^<>]*>|&#?[A-Za-z0-9]+;")
_TAG_RE: Final = re.compile(r"<[^<>]*>")
_TAG_NAME_RE: Final = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9-]*)")
# Preferred cut points, best first: the cut falls right after the separator.
_SEPARATORS: Final = ("\n\n", "\n", ". ", " ")


def _prefix_fitting(text: str, limit: int) -> int:
    """The largest n such that text[:n] is at most `limit` UTF-16 code units."""
    if utf16_len(text) <= limit:
        return len(text)
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _scan(text: str, end: int) -> tuple[list[bool], list[list[tuple[str, str]]]]:
    """For each position 0..end: may we cut there (outside tags and entities), and which tags
    are open there (name, opening tag), outermost first."""
    safe = [True] * (end + 1)
    open_at: list[list[tuple[str, str]]] = [[] for _ in range(end + 1)]
    stack: list[tuple[str, str]] = []
    pos = 0
    for match in _TOKEN_RE.finditer(text, 0, len(text)):
        if match.start() > end:
            break
        for index in range(pos, min(match.start(), end) + 1):
            open_at[index] = list(stack)
        for index in range(match.start() + 1, min(match.end(), end + 1)):
            safe[index] = False
        token = match.group(0)
        name_match = _TAG_NAME_RE.match(token)
        if token.startswith("<") and name_match:
            name = name_match.group(1).lower()
            if token.startswith("</"):
                for depth in range(len(stack) - 1, -1, -1):
                    if stack[depth][0] == name:
                        del stack[depth:]
                        break
            elif not token.endswith("/>"):
                stack.append((name, token))
        pos = match.end()
    for index in range(min(pos, end + 1), end + 1):
        open_at[index] = list(stack)
    return safe, open_at


def _cut(text: str, limit: int) -> tuple[str, str]:
    """One chunk that fits, and the rest."""
    end = _prefix_fitting(text, limit)
    safe, open_at = _scan(text, end)
    for separator in _SEPARATORS:
        position = text.rfind(separator, 0, end)
        while position >= 0:
            cut = position + len(separator)
            if safe[cut] and not open_at[cut]:
                return text[:cut], text[cut:]
            position = text.rfind(separator, 0, position)
    for cut in range(end, 0, -1):
        if safe[cut] and not open_at[cut]:
            return text[:cut], text[cut:]
    # One element longer than a message: close its tags here and reopen them in the next chunk.
    for cut in range(end, 0, -1):
        if not safe[cut]:
            continue
        tags = open_at[cut]
        closers = "".join(f"</{name}>" for name, _ in reversed(tags))
        # The chunk must carry some text, or reopening the tags would never make progress.
        has_text = bool(_TOKEN_RE.sub("", text[:cut]).strip())
        if has_text and utf16_len(text[:cut]) + utf16_len(closers) <= limit:
            openers = "".join(opening for _, opening in tags)
            return text[:cut] + closers, openers + text[cut:]
    raise ValueError("the markup leaves no place to cut under the limit")


def split_html(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Chunks of at most `limit` UTF-16 code units each; joined, they give `text` back (unless a
    single element had to be cut: then only its closing and reopening tags were added; or a
    single tag was longer than a message: then the markup of the rest is dropped)."""
    if limit < 64:
        raise ValueError("a limit under 64 leaves no room for markup")
    chunks: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        try:
            head, rest = _cut(rest, limit)
        except ValueError:
            # A single tag longer than a message (a huge link): keep the words, drop the markup.
            rest = _TAG_RE.sub("", rest)
            continue
        chunks.append(head)
    if rest or not chunks:
        chunks.append(rest)
    return chunks
