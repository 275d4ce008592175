"""Briefs built by hand, as the engine returns them for the seed article."""

from __future__ import annotations

from briefing import Brief, Dispute, Source, Statement

SEED_BRIEF = Brief(
    language="en",
    text="(the article)",
    title="Moscow looks for ways to improve relations with EU despite differences",
    summary=(
        "Moscow wants to normalise relations with the EU despite differences, the Kremlin said.",
        "EU foreign policy chief Josep Borrell announced plans for new sanctions.",
    ),
    statements=(
        Statement(
            quote="We have repeatedly said that we regret this and that we are looking for ways "
            "to normalize relations.",
            kind="direct",
            speaker="Dmitry Peskov",
            role="Kremlin spokesman",
            side="Russia",
        ),
        Statement(
            quote="the Europeans switched to double standards",
            kind="indirect",
            speaker="Dmitry Peskov",
            side="Russia",
        ),
        Statement(
            quote="intends to initiate new sanctions on Russia over Navalny",
            kind="indirect",
            speaker="Josep Borrell",
            role="EU foreign policy chief",
            side="European Union",
        ),
    ),
    dispute=Dispute(
        parties=("Russia", "European Union"),
        issue="sanctions over the Navalny case",
        stance="conflict",
    ),
    source=Source(
        url="https://www.urdupoint.com/en/world/moscow-looks.html",
        site="UrduPoint",
        channel="World Desk",
        channel_url="https://t.me/worlddesk/77",
    ),
)
