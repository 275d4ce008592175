"""`make bench` part: the cost of who-said-what and the dispute per ~800-word article.

Prints p50/p95 of extract_statements + extract_dispute alone, and of the whole engine with and
without them, in the same run on the same texts (articles built from the summaries dev sets when
../shared is present, else from the bundled sample article).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from importlib import resources
from pathlib import Path

from briefing import engine
from briefing.attribution import extract_statements
from briefing.disputes import extract_dispute
from briefing.model import Statement

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ARTICLE_WORDS = 800
ARTICLES = 40
REPEATS = 3


def articles() -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for name in ("cnndm_dev.jsonl", "mlsum_dev.jsonl"):
        path = SHARED / "eval" / "summaries" / name
        if path.exists():
            for line in path.read_text("utf-8").splitlines():
                row = json.loads(line)
                texts.append((row["text"], row.get("lang") or "en"))
    if not texts:
        sample = resources.files("bot").joinpath("data/sample_article.txt").read_text("utf-8")
        texts = [(sample, "en")]
    out = []
    for n in range(ARTICLES):
        text, lang = texts[n % len(texts)]
        words = text.split(" ")
        while len(words) < ARTICLE_WORDS:
            words += words
        out.append((" ".join(words[:ARTICLE_WORDS]), lang))
    return out


def timed(fn, docs: list[tuple[str, str]]) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(REPEATS):
        for text, lang in docs:
            t0 = time.perf_counter()
            fn(text, lang)
            times.append((time.perf_counter() - t0) * 1000)
    return times


def attribution_only(text: str, lang: str) -> None:
    extract_dispute(text, lang, extract_statements(text, lang))


def whole(text: str, lang: str) -> None:
    engine.brief(text, lang=lang)


def _no_statements(text: str, lang: str) -> list[Statement]:
    return []


def main() -> int:
    docs = articles()
    whole(*docs[0])  # warm caches (lexicons, models)
    part = timed(attribution_only, docs)
    full = timed(whole, docs)
    saved = engine.extract_statements
    engine.extract_statements = _no_statements  # type: ignore[assignment]
    try:
        bare = timed(whole, docs)
    finally:
        engine.extract_statements = saved  # type: ignore[assignment]

    def row(name: str, xs: list[float]) -> str:
        q = statistics.quantiles(xs, n=20)
        return f"{name:44s} p50 {statistics.median(xs):7.2f} ms   p95 {q[18]:7.2f} ms"

    print(f"{len(docs)} articles of ~{ARTICLE_WORDS} words x {REPEATS}")
    print(row("attribution + dispute alone", part))
    print(row("whole brief (engine with attribution)", full))
    print(row("whole brief without attribution (baseline)", bare))
    print(
        f"attribution share of the whole brief (p50): "
        f"{statistics.median(part) / statistics.median(full):.0%}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
