"""`make bench`: runs every bench/bench_*.py in turn (each prints its own figures)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    only = set(sys.argv[1:])
    failed = 0
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"\n=== bench: {name} ===", flush=True)
        failed += int(subprocess.run([sys.executable, str(path)], check=False).returncode != 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
