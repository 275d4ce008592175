"""Dump the engine's briefs of every eval text as sorted-key JSON lines, to check that a change to
the engine (a speed-up, a refactoring) leaves its output byte-identical:

    .venv/bin/python bench/dump_briefs.py --out /tmp/engfast/before.jsonl    # on the old code
    .venv/bin/python bench/dump_briefs.py --out /tmp/engfast/after.jsonl     # on the new code
    cmp /tmp/engfast/before.jsonl /tmp/engfast/after.jsonl

(To dump the old code, export it with `git archive OLD | tar -x -C DIR` and run DIR's copy of this
script with `--shared`: it briefs with the `briefing/` next to it.)

Texts: every text of ../shared/eval (summaries: cnndm, mlsum, cnn stories; attribution: de_wikinews;
disputes: PLOVER sentences; extraction: the ground-truth article bodies; seed_gold) and the seed
article; each briefed with its language hint (as `make eval` does) and without it (as the bot does,
so language detection runs). Besides: long texts (articles of one language run together, beyond
the language detector's sample), huge ones (past every limit of briefing/limits.py), prefixes of a
few sizes (short text is where detection is fragile), two languages mixed, the seed with a title
and with 1 and 5 summary sentences, and input the engine refuses (the BriefError code and message
are dumped). `--reverse` briefs them in the opposite order into the same file: a brief must not
depend on the ones before it. Each line is {"set", "id", "variant", "brief" | "error"}. The dump
holds third-party text: keep it outside the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from briefing import BriefError, brief  # noqa: E402

SUMMARY_SETS = ("cnndm_dev.jsonl", "mlsum_dev.jsonl", "cnn_stories20.jsonl")
# Prefix lengths of the short-text variants: characters.
PREFIX_CHARS = (60, 150, 400, 900)
# Long variants: texts of one language run together up to this many characters (several times
# the language detector's sample, and past the ranker's sentence cap).
LONG_CHARS = 12_000
# Huge variants: English texts run together (and repeated) to these lengths, past the prose check's
# sample, the splitter's budget and the input cap: characters.
HUGE_CHARS = (70_000, 210_000)
# Refused or odd input, to check that errors stay the same.
ODD_INPUTS = (
    "",
    "   \n\n ",
    "https://example.com/news/1",
    "12345 67890 12345 67890 12345 67890 12345 67890 12345 67890",
    "Hello",
    "😀😀😀 😀😀😀 😀😀😀 😀😀😀",
    "x" * 300,
    "Short text here with just about enough words to pass the prose checks, maybe.",
    "Он сказал: «Мы готовы». The minister said Russia was ready to talk, according to reports.",
)

Job = tuple[str, str, str, str, dict[str, Any]]  # set, id, variant, text, keyword arguments


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _both(set_name: str, item_id: str, text: str, lang: str | None) -> Iterator[Job]:
    yield set_name, item_id, "nolang", text, {}
    if lang:
        yield set_name, item_id, f"lang={lang}", text, {"lang": lang}


def jobs(shared: Path) -> Iterator[Job]:
    """Every (set, id, variant, text, kwargs) briefed, in a fixed order."""
    eval_dir = shared / "eval"
    by_lang: dict[str, list[str]] = {}
    for name in SUMMARY_SETS:
        for row in _rows(eval_dir / "summaries" / name):
            by_lang.setdefault(row["lang"], []).append(row["text"])
            yield from _both(name, str(row["id"]), row["text"], row.get("lang"))
            if row.get("title"):
                yield name, str(row["id"]), "title", row["text"], {"title": row["title"]}
    for row in _rows(eval_dir / "attribution" / "de_wikinews_dev.jsonl"):
        by_lang.setdefault(row["lang"], []).append(row["text"])
        yield from _both("de_wikinews_dev", str(row["id"]), row["text"], row.get("lang"))
    for row in _rows(eval_dir / "disputes" / "plover_dev.jsonl"):
        yield from _both("plover_dev", str(row["id"]), row["text"], row.get("lang"))
    truth = json.loads((eval_dir / "extraction" / "ground-truth.json").read_text("utf-8"))
    for key in sorted(truth):
        yield from _both("extraction", key, truth[key]["articleBody"], None)
    gold = json.loads((eval_dir / "seed_gold.json").read_text("utf-8"))
    yield from _both("seed_gold", str(gold["id"]), gold["text"], gold.get("lang"))
    for path in sorted((shared / "seed").glob("*.txt")):
        seed = path.read_text("utf-8")
        yield from _both("seed", path.name, seed, "en")
        yield "seed", path.name, "title", seed, {"title": gold.get("title")}
        yield "seed", path.name, "sentences=1", seed, {"sentences": 1}
        yield "seed", path.name, "sentences=5", seed, {"sentences": 5}
        by_lang.setdefault("en", []).append(seed)
    for lang, texts in sorted(by_lang.items()):
        for start in range(0, len(texts), 5):
            long_text = "\n\n".join(texts[start:])[:LONG_CHARS]
            yield from _both("long", f"{lang}-{start}", long_text, lang)
        for index, text in enumerate(texts[:6]):
            for chars in PREFIX_CHARS:
                yield from _both("prefix", f"{lang}-{index}-{chars}", text[:chars], None)
    for chars in HUGE_CHARS:
        english = "\n\n".join(by_lang["en"])
        huge = (english * (chars // len(english) + 1))[:chars]
        yield from _both("huge", str(chars), huge, "en")
    langs = sorted(by_lang)
    for first, second in zip(langs, langs[1:] + langs[:1], strict=True):
        mixed = by_lang[first][0][:700] + "\n\n" + by_lang[second][0][:1500]
        yield from _both("mixed", f"{first}+{second}", mixed, None)
    for index, text in enumerate(ODD_INPUTS):
        yield from _both("odd", str(index), text, None)


def dump_line(set_name: str, item_id: str, variant: str, text: str, kwargs: dict[str, Any]) -> str:
    row: dict[str, Any] = {"set": set_name, "id": item_id, "variant": variant}
    try:
        row["brief"] = brief(text, **kwargs).to_json()
    except BriefError as exc:
        row["error"] = {"code": exc.code, "message": str(exc)}
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--reverse",
        action="store_true",
        help="brief the texts in reverse order (same file): state left by one brief must not "
        "change the next",
    )
    args = parser.parse_args()
    if not (args.shared / "eval").is_dir():
        print(f"dump briefs: {args.shared}/eval not found", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    todo = list(jobs(args.shared))
    order = range(len(todo) - 1, -1, -1) if args.reverse else range(len(todo))
    lines = [""] * len(todo)
    for index in order:
        lines[index] = dump_line(*todo[index])
    args.out.write_text("".join(line + "\n" for line in lines), "utf-8")
    print(f"{len(lines)} briefs in {time.perf_counter() - start:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
