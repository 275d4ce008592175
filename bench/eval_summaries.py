"""Summaries: ROUGE of `briefbot brief --jsonl` against the reference summaries in ../shared/eval,
scored by ../shared/eval/score.py next to Lead-3 in the same run.

Targets: ROUGE-1 >= Lead-3 + 0.010 on cnndm_dev; not below Lead-3 in any language of mlsum_dev.
cnn_stories20 is a held-out sanity set (reported, no target).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

# (file, minimum ROUGE-1 gain over Lead-3 overall, minimum gain in every language), None: no target.
SETS: tuple[tuple[str, float | None, float | None], ...] = (
    ("cnndm_dev.jsonl", 0.010, None),
    ("mlsum_dev.jsonl", None, 0.0),
    ("cnn_stories20.jsonl", None, None),
)


def _score(shared: Path, gold: Path, work: Path) -> dict[str, object]:
    score = shared / "eval" / "score.py"
    inputs = work / f"{gold.stem}.in.jsonl"
    outputs = work / f"{gold.stem}.out.jsonl"
    with inputs.open("w", encoding="utf-8") as fh:
        subprocess.run([sys.executable, str(score), "inputs", str(gold)], stdout=fh, check=True)
    with inputs.open("rb") as src, outputs.open("wb") as dst:
        subprocess.run(
            [sys.executable, "-m", "bot.cli", "brief", "--jsonl"], stdin=src, stdout=dst, check=True
        )
    result = subprocess.run(
        [sys.executable, str(score), "summaries", str(gold), str(outputs)],
        capture_output=True,
        text=True,
        check=True,
    )
    print(result.stdout, end="")
    figures: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def _delta(fig: dict[str, object]) -> float:
    value = fig.get("delta_rouge1")
    return float(value) if isinstance(value, int | float) else float("-inf")


def main(shared: Path) -> int:
    failed = 0
    with tempfile.TemporaryDirectory(prefix="eval-summaries-") as tmp:
        for name, overall, per_lang in SETS:
            gold = shared / "eval" / "summaries" / name
            if not gold.exists():
                print(f"{name}: missing", file=sys.stderr)
                failed += 1
                continue
            figures = _score(shared, gold, Path(tmp))
            if overall is not None:
                ok = _delta(figures) >= overall
                print(
                    f"target {name}: ROUGE-1 - Lead-3 = {_delta(figures):+.4f} >= {overall:+.3f}: "
                    f"{'met' if ok else 'MISSED'}"
                )
                failed += not ok
            if per_lang is not None:
                by_lang = figures.get("by_lang")
                for lang, fig in by_lang.items() if isinstance(by_lang, dict) else ():
                    ok = _delta(fig) >= per_lang
                    print(
                        f"target {name} [{lang}]: ROUGE-1 - Lead-3 = {_delta(fig):+.4f} "
                        f">= {per_lang:+.3f}: {'met' if ok else 'MISSED'}"
                    )
                    failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared").resolve()))
