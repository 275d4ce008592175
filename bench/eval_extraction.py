"""`make eval` part: article extraction end to end, by URL, through `briefbot brief --jsonl`.

Serves ../shared/eval/extraction pages on 127.0.0.1 with `score.py serve` (a free port), lists
their URLs with `score.py urls`, briefs them with the real CLI (BRIEFBOT_ALLOW_PRIVATE_HOSTS=
127.0.0.1, the only exemption) and scores the `text` fields with `score.py extraction`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Token F1 (Zyte shingle metric) the product must reach end to end.
TARGET_F1 = 0.96
# Seconds allowed for the page server to start, and for the whole batch.
SERVER_START_S = 20
BATCH_TIMEOUT_S = 1800


def _briefbot() -> list[str]:
    script = Path(sys.executable).parent / "briefbot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def _start_server(eval_dir: Path) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "score.py", "serve", "extraction", "--port", "0"],
        cwd=eval_dir,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + SERVER_START_S
    assert server.stderr is not None
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if match:
            return server, f"http://127.0.0.1:{match.group(1)}"
        if not line and server.poll() is not None:
            break
    server.kill()
    raise RuntimeError("score.py serve did not start")


def main(shared: Path) -> int:
    eval_dir = shared / "eval"
    server, base = _start_server(eval_dir)
    try:
        with tempfile.TemporaryDirectory(prefix="eval-extraction-") as tmp:
            urls, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
            listing = subprocess.run(
                [sys.executable, "score.py", "urls", "extraction", "--base", base],
                cwd=eval_dir,
                capture_output=True,
                text=True,
                check=True,
            )
            urls.write_text(listing.stdout, encoding="utf-8")
            env = {**os.environ, "BRIEFBOT_ALLOW_PRIVATE_HOSTS": "127.0.0.1"}
            started = time.perf_counter()
            with urls.open("rb") as stdin, out.open("wb") as stdout:
                subprocess.run(
                    [*_briefbot(), "brief", "--jsonl"],
                    stdin=stdin,
                    stdout=stdout,
                    env=env,
                    check=True,
                    timeout=BATCH_TIMEOUT_S,
                )
            elapsed = time.perf_counter() - started
            rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
            errors = [row for row in rows if "error" in row]
            scored = subprocess.run(
                [sys.executable, "score.py", "extraction", "extraction", str(out)],
                cwd=eval_dir,
                capture_output=True,
                text=True,
                check=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(scored.stdout, end="")
    figures = json.loads(scored.stdout.strip().splitlines()[-1])
    print(
        f"briefbot brief --jsonl: {len(rows)} pages in {elapsed:.1f} s, "
        f"{len(errors)} error lines ({sum('text' in r for r in errors)} of them with text)"
    )
    for row in errors:
        print(f"  {row['id'][:16]}: {row['error']}")
    met = figures["f1"] >= TARGET_F1
    verdict = "met" if met else "MISSED"
    print(f"extraction f1 {figures['f1']:.4f} (target >= {TARGET_F1}): {verdict}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared").resolve()))
