"""`make eval` part: who said what, scored by ../shared/eval/score.py attribution.

Runs the documented pipeline (score.py inputs -> briefbot brief --jsonl -> score.py attribution)
on the German Wikinews dev set and on the seed article, and keeps the per-item details under
bench/out/ for studying misses.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BRIEFBOT = Path(sys.executable).parent / "briefbot"
SETS = ("attribution/de_wikinews_dev.jsonl", "seed_gold.json")


def run(shared: Path, task: str, gold: str) -> int:
    """score.py inputs | briefbot brief --jsonl | score.py <task>; prints the scorer's table."""
    eval_dir = shared / "eval"
    OUT.mkdir(exist_ok=True)
    stem = Path(gold).stem
    inputs = OUT / f"{task}_{stem}_in.jsonl"
    preds = OUT / f"{task}_{stem}_out.jsonl"
    why = OUT / f"{task}_{stem}_why.jsonl"
    score = [sys.executable, str(eval_dir / "score.py")]
    with inputs.open("w") as fh:
        subprocess.run([*score, "inputs", str(eval_dir / gold)], stdout=fh, check=True)
    with inputs.open() as fin, preds.open("w") as fout:
        subprocess.run([str(BRIEFBOT), "brief", "--jsonl"], stdin=fin, stdout=fout, check=True)
    cmd = [*score, task, str(eval_dir / gold), str(preds), "--details", str(why)]
    return subprocess.run(cmd, check=False).returncode


def main(shared: Path) -> int:
    return max(run(shared, "attribution", gold) for gold in SETS)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared").resolve()))
