"""Fixtures for the digest tests: a fake store, a movable clock, briefs like the engine's."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.model import Brief, Dispute, Source, Statement
from storage.base import DigestRecord
from storage.tinydb_store import TinyStore
from tests.digest.fakes import FakeClock

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SEED = SHARED / "seed" / "000_a8ffae15ca43724e.txt"
SEED_TITLE = "Moscow Looks For Ways To Improve Relations With EU Despite Differences - Kremlin"


def make_brief(
    title: str,
    summary: str = "",
    *,
    statements: tuple[tuple[str | None, str | None, str], ...] = (),
    parties: tuple[str, ...] = (),
    issue: str | None = None,
    language: str = "en",
    url: str | None = None,
    text: str | None = None,
) -> Brief:
    return Brief(
        language=language,
        text=text or f"{title}. {summary}",
        summary=(summary,) if summary else (),
        title=title,
        statements=tuple(
            Statement(quote=q, kind="direct", speaker=s, role=r) for s, r, q in statements
        ),
        dispute=Dispute(parties=parties, issue=issue, stance="conflict") if parties else None,
        source=Source(url=url, site="example.org" if url else None),
    )


def seed_illustration() -> Brief:
    """The brief the guide shows for the seed article, built by hand."""
    return make_brief(
        "Moscow looks for ways to improve relations with EU despite differences",
        "Moscow wants to normalise relations with the EU despite differences, the Kremlin said, "
        "after EU foreign policy chief Josep Borrell announced plans for new sanctions over the "
        "Navalny case.",
        statements=(
            ("Dmitry Peskov", "Kremlin spokesman", "We have repeatedly said that we regret this"),
            ("Josep Borrell", "EU foreign policy chief", "intends to initiate new sanctions"),
        ),
        parties=("Russia", "European Union"),
        issue="sanctions over the Navalny case",
        url="https://www.urdupoint.com/en/world/moscow-looks-for-ways.html",
    )


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the shared seed article is missing: {SEED}")
        pytest.skip("../shared is absent (outside CI)")
    return SEED.read_text(encoding="utf-8")


class RecordingStore(TinyStore):
    """The real TinyDB store, also remembering the order of digest-log writes."""

    def __init__(self, data_dir: Path, clock: FakeClock) -> None:
        super().__init__(data_dir, clock=clock)
        self.digest_writes: list[tuple[int, DigestRecord]] = []

    async def put_digest(self, user_id: int, record: DigestRecord) -> None:
        await super().put_digest(user_id, record)
        self.digest_writes.append((user_id, record))

    async def put_digests(self, records: Sequence[tuple[int, DigestRecord]]) -> list[int]:
        failed = await super().put_digests(records)
        self.digest_writes.extend(r for r in records if r[0] not in failed)
        return failed

    async def status(self, user_id: int, local_date: str) -> str | None:
        record = await self.get_digest(user_id, local_date)
        return None if record is None else record.status


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 27, 6, 0, tzinfo=UTC))


@pytest.fixture
async def store(tmp_path: Path, clock: FakeClock) -> AsyncIterator[RecordingStore]:
    """The real store in a temporary directory; it reads the test's clock."""
    s = RecordingStore(tmp_path / "data", clock)
    await s.open()
    yield s
    await s.close()
