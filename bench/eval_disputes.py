"""`make eval` part: about which dispute, scored by ../shared/eval/score.py disputes on the PLOVER
dev sentences and on the seed article (same pipeline as eval_attribution)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "eval_attribution", Path(__file__).with_name("eval_attribution.py")
)
assert _spec and _spec.loader
_attr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_attr)

SETS = ("disputes/plover_dev.jsonl", "seed_gold.json")


def main(shared: Path) -> int:
    return max(_attr.run(shared, "disputes", gold) for gold in SETS)


if __name__ == "__main__":
    sys.exit(
        main(Path(sys.argv[1] if len(sys.argv) > 1 else _attr.ROOT.parent / "shared").resolve())
    )
