"""The digest text: matched briefs grouped by dispute, one line of who said what each, in HTML.

Pure: briefs in, messages out. Everything from a brief is HTML-escaped; the only markup is ours
(<b>, <a>, <i>), and messages are cut at paragraph boundaries, never inside a tag, each under
Telegram's 4096-character limit. Telegram applies that limit to the text the user sees, after it
has parsed the HTML (tags and link targets do not count, "&amp;" is one character), in UTF-16 code
units: we measure the same way, so a digest that fits is one message, not two.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from briefing.model import Brief, Statement
from digest.texts import text
from sources.telegram import MESSAGE_LIMIT_UTF16, utf16_len

# We measure exactly what Telegram measures (visible_len), so we may fill up to the limit: a
# margin would only split digests that fit (a second push for the same digest).
MESSAGE_BUDGET_UTF16 = MESSAGE_LIMIT_UTF16
MAX_DIGEST_ITEMS = 20  # briefs in one digest (about two screens); the rest are counted at the end
TITLE_CHARS = 160
QUOTE_CHARS = 120  # one statement's quote within the who-said-what line
WHO_SAID_WHAT_CHARS = 320  # the whole line
MAX_STATEMENTS_PER_LINE = 3
GROUP_ISSUE_CHARS = 160
MAX_LINK_CHARS = 1000  # a longer URL is not linked: it would crowd out the message
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One matched brief with where it can be read and when it was pooled."""

    brief: Brief
    url: str | None
    created_at: datetime


_TAG_RE = re.compile(r"<[^<>]*>")


def visible_len(html_text: str) -> int:
    """What Telegram counts against its limit: the text after HTML parsing, in UTF-16 units.
    Only for our own markup (escaped text, attribute values escaped with quote=True)."""
    return utf16_len(html.unescape(_TAG_RE.sub("", html_text)))


def _clip(s: str, limit: int) -> str:
    s = " ".join(s.split())
    if len(s) <= limit:
        return s
    cut = s[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + ELLIPSIS


def _statement(st: Statement) -> str:
    who = st.speaker or st.side or ""
    if st.role and st.speaker:
        who = f"{who} ({st.role})"
    quote = _clip(st.quote, QUOTE_CHARS)
    said = f"“{quote}”" if st.kind == "direct" else quote
    return f"{who}: {said}" if who else said


def who_said_what(brief: Brief) -> str:
    """One line: up to three statements, one per speaker, else the first summary sentence."""
    parts: list[str] = []
    speakers: set[str] = set()
    for st in brief.statements:
        key = (st.speaker or st.side or "").casefold()
        if key in speakers:
            continue
        speakers.add(key)
        parts.append(_statement(st))
        if len(parts) == MAX_STATEMENTS_PER_LINE:
            break
    line = "; ".join(parts) if parts else (brief.summary[0] if brief.summary else "")
    return _clip(line, WHO_SAID_WHAT_CHARS)


def dispute_key(brief: Brief) -> tuple[tuple[str, ...], str] | None:
    """Briefs about the same sides and issue share a group; None when the brief names no dispute."""
    d = brief.dispute
    if d is None or not d.parties:
        return None
    parties = tuple(sorted({" ".join(p.casefold().split()) for p in d.parties if p.strip()}))
    return parties, " ".join((d.issue or "").casefold().split())


def _item_html(item: DigestItem) -> str:
    b = item.brief
    title = _clip(b.title or (b.summary[0] if b.summary else "") or "…", TITLE_CHARS)
    url = item.url or b.source.url
    head = html.escape(title)
    if url and url.startswith(("http://", "https://")) and len(url) <= MAX_LINK_CHARS:
        head = f'<a href="{html.escape(url, quote=True)}">{head}</a>'
    site = b.source.channel or b.source.site
    if site:
        head += f" · {html.escape(_clip(site, 60))}"
    line = who_said_what(b)
    return f"• {head}" + (f"\n{html.escape(line)}" if line and line != title else "")


def _group_heading(brief: Brief | None, language: str) -> str:
    if brief is None or brief.dispute is None:
        return f"<b>{html.escape(text('other', language))}</b>"
    d = brief.dispute
    heading = f"<b>{html.escape(_clip(' vs '.join(d.parties), GROUP_ISSUE_CHARS))}</b>"
    if d.issue:
        heading += f" · {html.escape(_clip(d.issue, GROUP_ISSUE_CHARS))}"
    return heading


def group_by_dispute(items: Sequence[DigestItem]) -> list[list[DigestItem]]:
    """Groups with the newest items first; the group of briefs without a dispute comes last."""
    groups: dict[object, list[DigestItem]] = {}
    for item in sorted(items, key=lambda i: i.created_at, reverse=True):
        groups.setdefault(dispute_key(item.brief), []).append(item)
    ordered = [g for k, g in groups.items() if k is not None]
    ordered.sort(key=lambda g: (-len(g), -g[0].created_at.timestamp()))
    if None in groups:
        ordered.append(groups[None])
    return ordered


def split_paragraphs(
    paragraphs: Sequence[str],
    budget: int = MESSAGE_BUDGET_UTF16,
    measure: Callable[[str], int] = utf16_len,
) -> list[str]:
    """Pack paragraphs into messages of at most `budget` (by `measure`), joined by blank lines.

    A paragraph longer than the budget (ours never are: every part is clipped) is cut at line
    boundaries; the caller guarantees no markup spans a line. `measure` must add up over whole
    paragraphs (no tag or entity spans two), so each paragraph is measured once.
    """
    messages: list[str] = []
    pieces: list[str] = []
    for p in paragraphs:
        if measure(p) <= budget:
            pieces.append(p)
        else:
            pieces.extend(_cut_lines(p, budget, measure))
    separator = "\n\n"
    gap = measure(separator)
    current: list[str] = []
    size = 0
    for p in filter(None, pieces):
        n = measure(p)
        if current and size + gap + n <= budget:
            current.append(p)
            size += gap + n
        else:
            if current:
                messages.append(separator.join(current))
            current, size = [p], n
    if current:
        messages.append(separator.join(current))
    return messages


def _cut_lines(paragraph: str, budget: int, measure: Callable[[str], int]) -> list[str]:
    out: list[str] = []
    current = ""
    for line in paragraph.split("\n"):
        while measure(line) > budget:  # a single line over budget: plain text only, cut it
            head = line[: budget // 2]
            out.append(head)
            line = line[len(head) :]
        candidate = f"{current}\n{line}" if current else line
        if measure(candidate) <= budget:
            current = candidate
        else:
            out.append(current)
            current = line
    if current:
        out.append(current)
    return out


def compose_digest(
    items: Sequence[DigestItem],
    *,
    language: str,
    local_date: date,
    force: bool = False,
    has_subscriptions: bool = True,
) -> list[str]:
    """The digest as Telegram HTML messages; [] when there is nothing to send and not `force`."""
    if not items:
        if not force:
            return []
        key = "empty" if has_subscriptions else "no_subscriptions"
        return [html.escape(text(key, language))]
    shown = sorted(items, key=lambda i: i.created_at, reverse=True)[:MAX_DIGEST_ITEMS]
    groups = group_by_dispute(shown)
    disputes = sum(1 for g in groups if g[0].brief.dispute and g[0].brief.dispute.parties)
    paragraphs = [
        f"<b>{html.escape(text('heading', language, date=local_date.isoformat()))}</b>\n"
        + html.escape(text("counts", language, briefs=len(items), disputes=disputes))
    ]
    for group in groups:
        has_dispute = dispute_key(group[0].brief) is not None
        heading = _group_heading(group[0].brief if has_dispute else None, language)
        # The heading travels with the group's first item so a message never ends on a heading.
        paragraphs.append(heading + "\n" + _item_html(group[0]))
        paragraphs.extend(_item_html(item) for item in group[1:])
    if len(items) > len(shown):
        paragraphs.append(html.escape(text("more", language, n=len(items) - len(shown))))
    return split_paragraphs(paragraphs, measure=visible_len)
