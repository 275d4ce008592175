"""Plain-text rendering of a Brief, for the command line."""

from __future__ import annotations

from briefing.limits import MAX_INPUT_CHARS
from briefing.model import Brief


def render_text(result: Brief) -> str:
    lines: list[str] = []
    if result.title:
        lines.append(result.title)
        lines.append("")
    lines.append(" ".join(result.summary))
    if result.statements:
        lines.append("")
        lines.append("Who said what")
        for st in result.statements:
            who = st.speaker or "Unknown speaker"
            if st.role:
                who = f"{who}, {st.role}"
            quote = f"\u201c{st.quote}\u201d" if st.kind == "direct" else st.quote
            lines.append(f"  - {who}: {quote}")
    if result.dispute and result.dispute.parties:
        lines.append("")
        parts = [" vs ".join(result.dispute.parties)]
        if result.dispute.issue:
            parts.append(result.dispute.issue)
        if result.dispute.stance:
            parts.append(result.dispute.stance)
        lines.append("Dispute: " + " · ".join(parts))
    if result.truncated:
        lines.append("")
        lines.append(f"(The text was cut to the first {MAX_INPUT_CHARS:,} characters.)")
    if not result.language_supported:
        lines.append("")
        lines.append(f"(Language '{result.language}' is not fully supported: best effort.)")
    return "\n".join(lines)
