"""The typed result of the engine: a Brief, and the error it raises for input it cannot brief.

`Brief.to_json()` is the contract of `briefbot brief --json/--jsonl`; the outside evaluation
reads it,
so its keys only ever grow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

StatementKind = Literal["direct", "indirect"]
Stance = Literal["conflict", "cooperation"]


class BriefError(ValueError):
    """Input the engine cannot brief; the message is fit to show to a user."""

    def __init__(self, message: str, *, code: str = "bad_input") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Statement:
    """One thing somebody said: a direct quote or reported (indirect) speech."""

    quote: str
    kind: StatementKind
    speaker: str | None = None
    role: str | None = None
    cue: str | None = None
    # The dispute party the speaker stands for ("Russia" for Peskov), when the text says so.
    side: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "role": self.role,
            "quote": self.quote,
            "kind": self.kind,
            "cue": self.cue,
            "side": self.side,
        }


@dataclass(frozen=True, slots=True)
class Dispute:
    """The sides of a dispute, what it is about, and whether they clash or cooperate."""

    parties: tuple[str, ...]
    issue: str | None = None
    stance: Stance | None = None

    def to_json(self) -> dict[str, Any]:
        return {"parties": list(self.parties), "issue": self.issue, "stance": self.stance}


@dataclass(frozen=True, slots=True)
class Source:
    """Where the article came from, filled by the fetching layer or the Telegram forward."""

    url: str | None = None
    site: str | None = None
    author: str | None = None
    date: str | None = None
    channel: str | None = None
    channel_url: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "site": self.site,
            "author": self.author,
            "date": self.date,
            "channel": self.channel,
            "channel_url": self.channel_url,
        }


@dataclass(frozen=True, slots=True)
class Brief:
    """What happened, who said what, and about which dispute."""

    language: str
    text: str
    summary: tuple[str, ...]
    title: str | None = None
    statements: tuple[Statement, ...] = ()
    dispute: Dispute | None = None
    # False when the language is outside the supported five: the brief is then best effort.
    language_supported: bool = True
    source: Source = field(default_factory=Source)
    # True when the input was longer than the engine reads (MAX_INPUT_CHARS) and only its start,
    # cut at a paragraph boundary, was briefed.
    truncated: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "language_supported": self.language_supported,
            "title": self.title,
            "text": self.text,
            "summary": list(self.summary),
            "statements": [s.to_json() for s in self.statements],
            "dispute": self.dispute.to_json() if self.dispute else None,
            "source": self.source.to_json(),
            "truncated": self.truncated,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Brief:
        """Rebuild a Brief stored as JSON (history, the article pool)."""
        dispute = data.get("dispute")
        return cls(
            language=str(data.get("language") or "und"),
            language_supported=bool(data.get("language_supported", True)),
            title=data.get("title"),
            text=str(data.get("text") or ""),
            summary=tuple(data.get("summary") or ()),
            statements=tuple(
                Statement(
                    quote=str(s["quote"]),
                    kind="direct" if s.get("kind") == "direct" else "indirect",
                    speaker=s.get("speaker"),
                    role=s.get("role"),
                    cue=s.get("cue"),
                    side=s.get("side"),
                )
                for s in data.get("statements") or ()
            ),
            dispute=(
                Dispute(
                    parties=tuple(dispute.get("parties") or ()),
                    issue=dispute.get("issue"),
                    stance=dispute.get("stance")
                    if dispute.get("stance") in ("conflict", "cooperation")
                    else None,
                )
                if isinstance(dispute, dict)
                else None
            ),
            source=Source(
                **{k: v for k, v in (data.get("source") or {}).items() if k in Source.__slots__}
            ),
            truncated=data.get("truncated") is True,
        )
