"""`make eval`: runs every bench/eval_*.py; each scores a part of the product on ../shared/eval."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("only", nargs="*", help="names of the parts to run (default: all)")
    args = parser.parse_args()
    shared = Path(args.shared).resolve()
    if not (shared / "eval" / "score.py").exists():
        print(f"eval: {shared}/eval/score.py not found", file=sys.stderr)
        return 2
    failed = 0
    for path in sorted(Path(__file__).parent.glob("eval_*.py")):
        name = path.stem.removeprefix("eval_")
        if args.only and name not in args.only:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"\n=== eval: {name} ===", flush=True)
        failed += int(module.main(shared) != 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
