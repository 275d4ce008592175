"""Direct quotations: where each quoted passage starts and ends in the text.

Handles “…”, "…", ‘…’ (never an apostrophe), «…», „…“, ‚…‘, »…«, French « … » with spaces,
quotes that run over several paragraphs, and Russian dialogue dashes ("— Текст, — сказал он.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Opening mark -> the closing marks that end it.
PAIRS: dict[str, str] = {
    "“": "”“",  # English “…”; some sources close with a second “
    "„": "“”",  # German „…“
    "‚": "‘’",  # German ‚…‘
    "«": "»",
    "»": "«",  # German »…«
    "‹": "›",
    '"': '"',
    "‘": "’",
    "'": "'",
}
# The marks that matter to _scan outside a quotation (openers), and inside one (the opener, which
# may nest, and its closers): it jumps from one to the next.
_ANY_OPENER = re.compile("[" + re.escape("".join(PAIRS)) + "]")
_INSIDE = {
    opener: re.compile("[" + re.escape(opener + closers) + "]") for opener, closers in PAIRS.items()
}
# Paragraph breaks: any newline (sources differ in blank lines).
_PARAGRAPH = re.compile(r"[^\n]+")
# A dialogue line: the paragraph opens with a dash; " — " separates speech from the author's words.
_DIALOGUE_OPEN = re.compile(r"\s*[—–]\s")
_DIALOGUE_SEP = re.compile(r"[,.!?…]?\s[—–]\s")
# Longest quotation we follow across paragraphs: paragraphs.
MAX_QUOTE_PARAGRAPHS = 6


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted passage: `pieces` are the (start, end) offsets of its words, marks excluded.

    A quote that runs over paragraphs has one piece per paragraph. `start`/`end` include the marks.
    """

    start: int
    end: int
    pieces: tuple[tuple[int, int], ...]
    dialogue: bool = False

    def text(self, source: str) -> str:
        return " ".join(" ".join(source[a:b].split()) for a, b in self.pieces).strip()


def paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def _opens(text: str, i: int, para_start: int) -> bool:
    """Whether the mark at i can open a quotation (what precedes it is a boundary)."""
    ch = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if not nxt or nxt in "\n":
        return False
    prev = text[i - 1] if i > para_start else " "
    if ch in "'‘’\"":
        # Straight and single marks are apostrophes or inch marks after a letter or digit.
        return not _is_letter(prev) and (nxt.isalnum() or nxt in "…([„“«‚")
    return ch in PAIRS


def _closes(text: str, i: int, opener: str, para_end: int) -> bool:
    ch = text[i]
    if ch not in PAIRS[opener]:
        return False
    nxt = text[i + 1] if i + 1 < para_end else " "
    prev = text[i - 1]
    if ch in "'’":
        # An apostrophe sits between letters (don’t, Kremlin’s); a closing mark does not.
        return not (_is_letter(prev) and _is_letter(nxt)) and prev != " "
    if ch == '"' or (ch == "“" and opener == "“"):
        return prev != " " or nxt in ".,;:!? "
    return True


def _scan(
    text: str, start: int, end: int, opener: str | None
) -> tuple[list[tuple[int, int, str]], int | None, str | None]:
    """Quote pieces in text[start:end]. An `opener` still open from the previous paragraph
    continues here. Returns the closed pieces as (start, end, opener), and the open piece's
    start and opener if the paragraph ends inside a quotation."""
    found: list[tuple[int, int, str]] = []
    open_at: int | None = start if opener else None
    depth = 0
    i = start
    while i < end:
        # Every other character leaves the state as it is: go to the next mark that may change it.
        m = (_ANY_OPENER if opener is None else _INSIDE[opener]).search(text, i, end)
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if opener is None:
            if ch in PAIRS and _opens(text, i, start):
                opener, open_at, depth = ch, i + 1, 0
        elif ch == opener and ch not in PAIRS[opener] and _opens(text, i, start):
            depth += 1  # nested quotation of the same kind: «… «…» …»
        elif _closes(text, i, opener, end):
            if depth:
                depth -= 1
            else:
                found.append((open_at if open_at is not None else start, i, opener))
                opener, open_at = None, None
        i += 1
    return found, open_at, opener


def _dialogue(text: str, start: int, end: int) -> list[Quote]:
    """A paragraph in dialogue style: "— Speech, — author's words. — More speech"."""
    m = _DIALOGUE_OPEN.match(text, start, end)
    if not m:
        return []
    parts: list[tuple[int, int]] = []
    pos = m.end()
    for sep in _DIALOGUE_SEP.finditer(text, pos, end):
        parts.append((pos, sep.start() + (1 if text[sep.start()] in ",.!?…" else 0)))
        pos = sep.end()
    parts.append((pos, end))
    # Speech, then the author's words, then speech again: even parts are quoted.
    quotes = []
    for k in range(0, len(parts), 2):
        a, b = parts[k]
        b = len(text[:b].rstrip(" ,"))
        if b > a:
            quotes.append(Quote(a, b, ((a, b),), dialogue=True))
    return quotes


def find_quotes(text: str) -> list[Quote]:
    """Every quoted passage of the text, in order."""
    quotes: list[Quote] = []
    paras = paragraphs(text)
    carry: list[tuple[int, int]] = []  # pieces of a quotation still open
    carry_opener: str | None = None
    carry_paras = 0
    for p_start, p_end in paras:
        if not carry and _DIALOGUE_OPEN.match(text, p_start, p_end):
            quotes.extend(_dialogue(text, p_start, p_end))
            continue
        scan_from = p_start
        opener: str | None = None
        if carry:
            lead = len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip())
            first = p_start + lead
            if text[first] in PAIRS and text[first] == carry_opener:
                scan_from, opener = first + 1, carry_opener  # the usual: each paragraph reopens
            elif _has_closer(text, first, p_end, carry_opener):
                scan_from, opener = first, carry_opener  # the closing mark comes in this paragraph
            else:
                quotes.append(_join(carry))
                carry, carry_opener = [], None
        found, open_at, open_mark = _scan(text, scan_from, p_end, opener)
        for k, (a, b, _mark) in enumerate(found):
            if k == 0 and carry:
                quotes.append(_join([*carry, (a, b)]))
                carry, carry_opener = [], None
            else:
                quotes.append(_join([(a, b)]))
        if open_at is not None:
            if carry:
                carry.append((open_at, p_end))
                carry_paras += 1
            else:
                carry, carry_opener, carry_paras = [(open_at, p_end)], open_mark, 1
            if carry_paras >= MAX_QUOTE_PARAGRAPHS:
                quotes.append(_join(carry))
                carry, carry_opener = [], None
    if carry:
        quotes.append(_join(carry))
    return [q for q in quotes if q.text(text)]


def _has_closer(text: str, start: int, end: int, opener: str | None) -> bool:
    if opener is None:
        return False
    found, _, _ = _scan(text, start, end, opener)
    return bool(found)


def _join(pieces: list[tuple[int, int]]) -> Quote:
    return Quote(pieces[0][0] - 1, pieces[-1][1] + 1, tuple(pieces))
