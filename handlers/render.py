"""A Brief as Telegram HTML: title and source, summary, who said what (per speaker), dispute.

Everything that comes from an article or a user is escaped with `html.escape`; links are only
ever http(s). The result is one string of paragraphs separated by blank lines, which
`handlers.split` cuts into messages at those boundaries.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from bot.i18n import tr
from briefing import Brief, Statement

# In the brief itself, per speaker: how many statements, and how long each may be (characters).
# "All statements" shows everything, uncut.
BRIEF_STATEMENTS_PER_SPEAKER: Final = 2
BRIEF_QUOTE_CHARS: Final = 300
# Titles, names and roles longer than this are cut with an ellipsis: characters.
MAX_LABEL_CHARS: Final = 200
# One line of a list (/history, /summary, digests): characters of the title or summary shown.
LIST_LINE_CHARS: Final = 160

_TAGS_RE: Final = re.compile(r"<[^<>]*>")


def esc(text: str) -> str:
    """Escape text for Telegram HTML (quotes too: the same helper serves attributes)."""
    return html.escape(text, quote=True)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary when one is near, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:") + "…"


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None: a link must never run a script or a deep link."""
    if url and re.match(r"^https?://[^\s<>\"]+$", url, flags=re.IGNORECASE):
        return url
    return None


def link(label: str, url: str | None) -> str:
    target = safe_url(url)
    if target is None:
        return esc(label)
    return f'<a href="{esc(target)}">{esc(label)}</a>'


def to_plain(markup: str) -> str:
    """What the user would read, for the plain-text resend when Telegram rejects our markup."""
    return html.unescape(_TAGS_RE.sub("", markup))


def source_line(result: Brief, lang: str) -> str:
    """`site, via <channel link>` or `<channel link>` or the site; empty when nothing is known."""
    source = result.source
    parts: list[str] = []
    site = source.site or _host(source.url)
    if site:
        parts.append(link(clip(site, MAX_LABEL_CHARS), source.url))
    if source.channel:
        channel = link(clip(source.channel, MAX_LABEL_CHARS), source.channel_url)
        parts.append(f"{tr(lang, 'brief.via')} {channel}" if parts else channel)
    return ", ".join(parts)


def _host(url: str | None) -> str | None:
    match = re.match(r"^https?://(?:www\.)?([^/:?#]+)", url or "", flags=re.IGNORECASE)
    return match.group(1) if match else None


@dataclass(slots=True)
class SpeakerGroup:
    """What one speaker said, in the order of the article."""

    speaker: str | None
    role: str | None = None
    side: str | None = None
    statements: list[Statement] = field(default_factory=list)


def group_by_speaker(statements: Iterable[Statement]) -> list[SpeakerGroup]:
    """Statements grouped per speaker, speakers in order of first appearance; unnamed last."""
    groups: dict[str | None, SpeakerGroup] = {}
    for statement in statements:
        key = statement.speaker.strip() if statement.speaker else None
        group = groups.setdefault(key, SpeakerGroup(key))
        group.role = group.role or statement.role
        group.side = group.side or statement.side
        group.statements.append(statement)
    named = [g for k, g in groups.items() if k is not None]
    return named + ([groups[None]] if None in groups else [])


def _quote(statement: Statement, limit: int | None) -> str:
    text = statement.quote if limit is None else clip(statement.quote, limit)
    return f"“{esc(text)}”" if statement.kind == "direct" else esc(text)


# A quote that already ends a sentence needs no full stop before "Also:".
_SENTENCE_ENDS = (".", "!", "?", "…", "»", "\"", "”")


def _direct_first(statements: Sequence[Statement]) -> list[Statement]:
    """The speaker's own words lead their line: the first direct quote goes first, the rest keep
    the attribution's order of importance."""
    for index, statement in enumerate(statements):
        if statement.kind == "direct":
            return [statement, *statements[:index], *statements[index + 1 :]]
    return list(statements)


def _speaker_line(
    lang: str, group: SpeakerGroup, per_speaker: int | None, chars: int | None
) -> str:
    name = esc(clip(group.speaker, MAX_LABEL_CHARS)) if group.speaker else tr(lang, "brief.unnamed")
    head = f"<b>{name}</b>"
    if group.role:
        head += f", {esc(clip(group.role, MAX_LABEL_CHARS))}"
    ordered = _direct_first(group.statements)
    shown = ordered if per_speaker is None else ordered[:per_speaker]
    quotes = _quote(shown[0], chars)
    if len(shown) > 1:
        # What else they said reads as a separate thought, as in the guide's example.
        if not shown[0].quote.rstrip().endswith(_SENTENCE_ENDS):
            quotes += "."
        quotes += f" {tr(lang, 'brief.also')} " + "; ".join(_quote(s, chars) for s in shown[1:])
    more = len(group.statements) - len(shown)
    return f"• {head}: {quotes}" + (f" (+{more})" if more > 0 else "")


def dispute_line(lang: str, result: Brief, groups: Sequence[SpeakerGroup] | None = None) -> str:
    """`Russia (Dmitry Peskov) vs European Union (Josep Borrell) · issue · stance`, or empty."""
    dispute = result.dispute
    if dispute is None or not dispute.parties:
        return ""
    groups = group_by_speaker(result.statements) if groups is None else groups
    sides: list[str] = []
    for party in dispute.parties:
        names = [g.speaker for g in groups if g.speaker and g.side == party]
        label = esc(clip(party, MAX_LABEL_CHARS))
        if names:
            label += " (" + ", ".join(esc(clip(n, MAX_LABEL_CHARS)) for n in names) + ")"
        sides.append(label)
    parts = [" vs ".join(sides)]
    if dispute.issue:
        parts.append(esc(clip(dispute.issue, MAX_LABEL_CHARS)))
    if dispute.stance:
        parts.append(tr(lang, f"brief.{dispute.stance}"))
    return " · ".join(parts)


def render_brief(result: Brief, lang: str) -> str:
    """The brief as one HTML text; paragraphs separated by blank lines."""
    paragraphs: list[str] = []
    head = f"<b>{esc(clip(result.title, MAX_LABEL_CHARS))}</b>" if result.title else ""
    source = source_line(result, lang)
    if head or source:
        paragraphs.append(" · ".join(p for p in (head, source) if p))
    summary = " ".join(s.strip() for s in result.summary if s.strip())
    paragraphs.append(esc(summary) if summary else tr(lang, "brief.no_summary"))
    groups = group_by_speaker(result.statements)
    if groups:
        lines = [f"<b>{tr(lang, 'brief.who_said_what')}</b>"]
        lines += [
            _speaker_line(lang, g, BRIEF_STATEMENTS_PER_SPEAKER, BRIEF_QUOTE_CHARS) for g in groups
        ]
        paragraphs.append("\n".join(lines))
    dispute = dispute_line(lang, result, groups)
    if dispute:
        paragraphs.append(f"<b>{tr(lang, 'brief.dispute')}</b>: {dispute}")
    if not result.language_supported:
        paragraphs.append(
            "<i>" + tr(lang, "brief.unsupported_language", language=result.language) + "</i>"
        )
    if result.truncated:
        paragraphs.append(f"<i>{tr(lang, 'brief.truncated')}</i>")
    # A link that could not be read, whose post was briefed instead, says so (sources.links).
    note = getattr(result, "note", None)
    if isinstance(note, str) and note.strip():
        paragraphs.append(f"<i>{esc(note)}</i>")
    return "\n\n".join(paragraphs)


def render_statements(result: Brief, lang: str) -> str:
    """Every statement of the brief, uncut, one per line, grouped per speaker."""
    groups = group_by_speaker(result.statements)
    if not groups:
        return tr(lang, "statements.none")
    head = tr(lang, "statements.title")
    if result.title:
        head += f" · {esc(clip(result.title, MAX_LABEL_CHARS))}"
    blocks = [head]
    for group in groups:
        if group.speaker:
            who = f"<b>{esc(clip(group.speaker, MAX_LABEL_CHARS))}</b>"
        else:
            who = f"<b>{tr(lang, 'brief.unnamed')}</b>"
        if group.role:
            who += f", {esc(clip(group.role, MAX_LABEL_CHARS))}"
        lines = [who] + [f"– {_quote(s, None)}" for s in group.statements]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def list_line(result: Brief, lang: str, when: datetime | None = None) -> str:
    """One line about a brief for lists: its title (or summary) and its dispute."""
    label = (
        result.title
        or (result.summary[0] if result.summary else "")
        or tr(lang, "history.untitled")
    )
    line = esc(clip(label, LIST_LINE_CHARS))
    if when is not None:
        line = f"{when:%d.%m %H:%M} · {line}"
    speakers = [g.speaker for g in group_by_speaker(result.statements) if g.speaker][:3]
    if speakers:
        line += " — " + ", ".join(esc(clip(s, MAX_LABEL_CHARS)) for s in speakers)
    return line


def topic_of(result: Brief) -> str | None:
    """The topic "Follow this dispute" subscribes to: its parties ("Russia vs European Union").
    Not the issue: a topic matches only a brief that has all of its words, and the next article
    on the same dispute words its issue differently."""
    dispute = result.dispute
    if dispute is None or not dispute.parties:
        return None
    return clip(" vs ".join(dispute.parties), MAX_LABEL_CHARS)


def dispute_key(result: Brief) -> str | None:
    """Briefs about the same dispute share this key (order of the parties ignored)."""
    dispute = result.dispute
    if dispute is None or not dispute.parties:
        return None
    return " | ".join(sorted(p.strip().casefold() for p in dispute.parties))
