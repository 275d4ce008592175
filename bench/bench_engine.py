"""Engine benchmark: time per brief, batch throughput, import + first brief, peak RSS, and sumy's
LexRank alone on the same texts as the baseline, all in one run.

Texts: the articles of ../shared/eval/summaries, concatenated per language and cut to ~800 words.
Targets (issue 2): p50 <= 50 ms warm in one process; batch >= 30 articles/s on this 2-core machine;
import + first brief <= 2 s in a fresh process; peak RSS <= 300 MB.

    .venv/bin/python bench/bench_engine.py [--shared ../shared] [--articles 60] [--batch 300]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from briefing import brief  # noqa: E402
from briefing.engine import split_article  # noqa: E402
from briefing.languages import SUPPORTED  # noqa: E402
from briefing.normalize import normalize  # noqa: E402
from briefing.summarize import _stop_words, _tokenizer  # noqa: E402

ARTICLE_WORDS = 800
SETS = ("cnndm_dev.jsonl", "cnn_stories20.jsonl", "mlsum_dev.jsonl")
TARGET_P50_MS = 50.0
TARGET_THROUGHPUT = 30.0
TARGET_STARTUP_S = 2.0
TARGET_RSS_MB = 300.0


def load_articles(shared: Path, count: int) -> list[tuple[str, str]]:
    """(lang, text) pairs of ~ARTICLE_WORDS words: eval articles of one language run together."""
    by_lang: dict[str, list[str]] = {}
    for name in SETS:
        path = shared / "eval" / "summaries" / name
        for line in path.read_text("utf-8").splitlines():
            row = json.loads(line)
            by_lang.setdefault(row["lang"], []).append(row["text"])
    out: list[tuple[str, str]] = []
    for lang, texts in sorted(by_lang.items()):
        pool = texts * 3
        for start in range(len(texts)):
            words: list[str] = []
            paragraphs: list[str] = []
            for text in pool[start:]:
                for paragraph in text.split("\n"):
                    take = paragraph.split()[: ARTICLE_WORDS - len(words)]
                    words.extend(take)
                    if take:
                        paragraphs.append(" ".join(take))
                if len(words) >= ARTICLE_WORDS:
                    break
            out.append((lang, "\n\n".join(paragraphs)))
    # Interleave the languages so any prefix of the list is a mix.
    out.sort(key=lambda item: zlib.crc32(item[1].encode()))
    return out[:count]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Timings:
    """Wall and CPU milliseconds of each run (CPU time tells how much of the wall time was ours
    when other processes share the cores)."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def run(self, work: Callable[[], object]) -> None:
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        self.wall.append((time.perf_counter() - start) * 1000)
        self.cpu.append((time.process_time() - start_cpu) * 1000)


def time_engine_and_lexrank(articles: list[tuple[str, str]]) -> tuple[Timings, Timings]:
    """Each article briefed by the engine, then summarised by sumy's LexRank alone (3 sentences,
    split and tokenised like ours: sumy's own tokenizer needs nltk data that cannot be downloaded
    here), one after the other, so both see the same load on the machine."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer

    summarizers: dict[str, LexRankSummarizer] = {}
    for lang in sorted({lang for lang, _ in articles}):
        summarizers[lang] = LexRankSummarizer(Stemmer(SUPPORTED[lang]))
        summarizers[lang].stop_words = _stop_words(lang)
    for _, text in articles[:5]:  # warm the caches (Punkt models, profiles, stemmers)
        brief(text)
    engine, lexrank = Timings(), Timings()
    for lang, text in articles:
        sentences = split_article(normalize(text).paragraphs, lang)
        tokenizer = _tokenizer(lang)
        engine.run(lambda text=text: brief(text))
        lexrank.run(
            lambda lang=lang, sentences=sentences, tokenizer=tokenizer: summarizers[lang](
                ObjectDocumentModel((Paragraph([Sentence(s, tokenizer) for s in sentences]),)), 3
            )
        )
    return engine, lexrank


def batch_throughput(articles: list[tuple[str, str]], total: int) -> tuple[float, int]:
    """Articles per second through `briefbot brief --jsonl` (one process, start-up included)."""
    lines = [
        json.dumps({"id": i, "text": articles[i % len(articles)][1]}, ensure_ascii=False)
        for i in range(total)
    ]
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "brief", "--jsonl"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    elapsed = time.perf_counter() - start
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == list(range(total)), "batch output out of order or incomplete"
    return total / elapsed, total


def startup(text: str) -> tuple[float, float]:
    """Seconds (wall, CPU) for a fresh interpreter to import the engine and brief one article."""
    code = (
        "import sys, time; t = time.perf_counter(); from briefing import brief; "
        "brief(sys.stdin.read()); print(time.perf_counter() - t)"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--batch", type=int, default=300)
    args = parser.parse_args()
    if not (args.shared / "eval" / "summaries").is_dir():
        print(f"bench engine: {args.shared}/eval/summaries not found", file=sys.stderr)
        return 2
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    articles = load_articles(args.shared, args.articles)
    words = statistics.mean(len(text.split()) for _, text in articles)

    runs = [startup(articles[0][1]) for _ in range(3)]
    cold = [wall for wall, _ in runs]
    cold_cpu = statistics.median(cpu for _, cpu in runs)
    engine_t, lexrank_t = time_engine_and_lexrank(articles)
    engine, engine_cpu, lexrank = engine_t.wall, engine_t.cpu, lexrank_t.wall
    rate, total = batch_throughput(articles, args.batch)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    batch_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    p50, p95 = statistics.median(engine), percentile(engine, 0.95)
    l50, l95 = statistics.median(lexrank), percentile(lexrank, 0.95)
    c50, c95 = statistics.median(engine_cpu), percentile(engine_cpu, 0.95)
    rows = [
        ("brief p50 (warm, 1 process)", f"{p50:.1f} ms", f"<= {TARGET_P50_MS:.0f} ms", p50 <= 50),
        ("brief p95", f"{p95:.1f} ms", "", None),
        ("brief CPU time p50 / p95", f"{c50:.1f} / {c95:.1f} ms", "", None),
        ("sumy LexRank alone p50 / p95", f"{l50:.1f} / {l95:.1f} ms", "", None),
        ("sumy LexRank alone CPU time p50", f"{statistics.median(lexrank_t.cpu):.1f} ms", "", None),
        ("engine / LexRank (p50, wall)", f"{p50 / l50:.2f}x", "", None),
        ("engine / LexRank (p50, CPU)", f"{c50 / statistics.median(lexrank_t.cpu):.2f}x", "", None),
        (
            f"batch --jsonl ({total} articles)",
            f"{rate:.1f} articles/s",
            f">= {TARGET_THROUGHPUT:.0f}/s",
            rate >= TARGET_THROUGHPUT,
        ),
        (
            "import + first brief (median of 3)",
            f"{statistics.median(cold):.2f} s",
            f"<= {TARGET_STARTUP_S:.0f} s",
            statistics.median(cold) <= TARGET_STARTUP_S,
        ),
        ("import + first brief, CPU time", f"{cold_cpu:.2f} s", "", None),
        (
            "peak RSS (bench / batch process)",
            f"{rss_mb:.0f} / {batch_rss_mb:.0f} MB",
            f"<= {TARGET_RSS_MB:.0f} MB",
            max(rss_mb, batch_rss_mb) <= TARGET_RSS_MB,
        ),
    ]
    langs = sorted({lang for lang, _ in articles})
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{len(articles)} articles of {words:.0f} words on average ({', '.join(langs)})")
    print(f"{os.cpu_count()} cores; load average before the run {load_before}, after {load}")
    print(f"{'measure':38s} {'value':>22s}  {'target':>10s}")
    for name, value, target, ok in rows:
        verdict = "" if ok is None else ("met" if ok else "MISSED")
        print(f"{name:38s} {value:>22s}  {target:>10s}  {verdict}")
    return 0 if all(ok is not False for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
