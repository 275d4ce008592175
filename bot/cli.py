"""The `briefbot` command line: `briefbot brief` (an article or a JSON-lines batch) and `run`."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from briefing import Brief, BriefError, brief
from briefing.engine import warm_up
from briefing.limits import DEFAULT_SUMMARY_SENTENCES, MAX_SUMMARY_SENTENCES
from briefing.render import render_text

# Exit codes: 2 for input we cannot brief (a clear message, never a traceback).
EXIT_BAD_INPUT = 2
# The environment does not describe a bot we can start (sysexits' EX_CONFIG).
EXIT_CONFIG = 78
# A file or stdin larger than this is refused before it is read whole: bytes.
MAX_READ_BYTES = 8 * 1024 * 1024
# Batch mode: at most this many worker processes; lines read ahead and handed to them at a time;
# lines sent to a worker in one go.
MAX_BATCH_WORKERS = 4
BATCH_WINDOW_LINES = 64
BATCH_CHUNK_LINES = 4


def _read_input(source: str) -> str:
    raw = sys.stdin.buffer.read(MAX_READ_BYTES + 1) if source == "-" else _read_file(source)
    if len(raw) > MAX_READ_BYTES:
        raise BriefError(f"The input is larger than {MAX_READ_BYTES // (1024 * 1024)} MB.")
    return raw.decode("utf-8", errors="replace")


def _read_file(path: str) -> bytes:
    try:
        with Path(path).open("rb") as fh:
            return fh.read(MAX_READ_BYTES + 1)
    except OSError as exc:
        raise BriefError(f"Cannot read {path}: {exc.strerror or exc}.", code="io") from exc


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _brief_url(url: str, *, sentences: int, lang: str | None) -> Brief:
    # The fetching layer lives in `sources`; imported lazily so text briefs pay nothing for it.
    try:
        module = importlib.import_module("sources.cli")
    except ModuleNotFoundError as exc:
        raise BriefError("Links are not supported in this build: send the article's text.") from exc
    fetch: Callable[..., Brief] = module.brief_url
    return fetch(url, sentences=sentences, lang=lang)


def _brief_line(job: tuple[int, str, int]) -> dict[str, Any]:
    """The output object of one input line (run in a worker process in batch mode)."""
    number, line, sentences = job
    item_id: Any = None
    try:
        item = json.loads(line)
        if not isinstance(item, dict):
            raise BriefError("Each line must be a JSON object.")
        item_id = item.get("id", number)
        lang = item.get("lang") if isinstance(item.get("lang"), str) else None
        if isinstance(item.get("url"), str):
            result = _brief_url(item["url"], sentences=sentences, lang=lang)
        elif isinstance(item.get("text"), str):
            result = brief(item["text"], lang=lang, sentences=sentences)
        else:
            raise BriefError('Each line needs a "text" or a "url".')
        return {"id": item_id, **result.to_json()}
    except json.JSONDecodeError as exc:
        return {"id": number, "error": f"Line {number} is not valid JSON: {exc.msg}."}
    except BriefError as exc:
        row = {"id": item_id if item_id is not None else number, "error": str(exc)}
        # A link read but not briefed still reports its text (sources.cli.LinkBriefError).
        return {**row, **getattr(exc, "extra", {})}
    except Exception as exc:
        # A bug must not cost the rest of the batch its answers: report it on this line, and the
        # traceback (no article text) on stderr.
        traceback.print_exc(file=sys.stderr)
        item = item_id if item_id is not None else number
        return {"id": item, "error": f"Internal error ({type(exc).__name__}): please report it."}


def _jobs(lines: Iterable[str], sentences: int) -> Iterator[tuple[int, str, int]]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, line, sentences


def _batch(lines: Iterable[str], *, sentences: int, workers: int = 1) -> Iterator[dict[str, Any]]:
    """One output object per input line, in input order; a bad line never stops the batch.
    With several workers, lines are briefed in parallel a window at a time (so memory stays
    bounded on an endless stream) and still written in input order."""
    jobs = _jobs(lines, sentences)
    if workers <= 1:
        yield from map(_brief_line, jobs)
        return
    # Workers are forked after the models are loaded, so each starts warm.
    warm_up()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        while window := list(islice(jobs, BATCH_WINDOW_LINES)):
            yield from pool.map(_brief_line, window, chunksize=BATCH_CHUNK_LINES)


def _cmd_brief(args: argparse.Namespace, out: TextIO) -> int:
    if args.jsonl:
        workers = (
            min(os.cpu_count() or 1, MAX_BATCH_WORKERS) if args.workers is None else args.workers
        )
        for row in _batch(sys.stdin, sentences=args.sentences, workers=workers):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
        return 0
    if args.source is None:
        raise BriefError("Give a file, '-' for standard input, or a URL.")
    if _is_url(args.source):
        result = _brief_url(args.source, sentences=args.sentences, lang=args.lang)
    else:
        result = brief(_read_input(args.source), lang=args.lang, sentences=args.sentences)
    if args.json:
        out.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(render_text(result) + "\n")
    return 0


def _cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    # The bot's modules are imported here so `briefbot brief` pays nothing for them.
    from bot.backends import ProductionBackends
    from bot.config import ENV_TOKEN, ConfigError, load_config
    from bot.main import configure_logging, run

    if not os.environ.get(ENV_TOKEN, "").strip() and args.webhook is None:
        # No token: the local playground, which runs this same command against its own Bot API
        # emulator with a fake token (so this branch cannot recurse).
        from playground import main as playground_main

        return playground_main([])
    try:
        config = load_config()
    except ConfigError as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if args.port is not None and args.webhook is None:
        print("briefbot: --port only makes sense with --webhook URL.", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(config)
    run(
        config,
        ProductionBackends(config),
        webhook_url=args.webhook,
        port=args.port,
        listen=args.listen,
    )
    return 0


def _port(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError("must be between 1 and 65535")
    return number


def _webhook_url(value: str) -> str:
    if not value.startswith("https://") and not value.startswith("http://127.0.0.1"):
        raise argparse.ArgumentTypeError("Telegram only calls https:// webhooks")
    return value


def _sentences(value: str) -> int:
    number = int(value)
    if not 1 <= number <= MAX_SUMMARY_SENTENCES:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_SUMMARY_SENTENCES}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefbot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_brief = sub.add_parser("brief", help="brief an article (a file, '-' for stdin, or a URL)")
    p_brief.add_argument("source", nargs="?", help="PATH, '-' or URL")
    p_brief.add_argument("--json", action="store_true", help="print the Brief as JSON")
    p_brief.add_argument(
        "--jsonl", action="store_true", help='batch: {"id","text"|"url"} lines on stdin'
    )
    p_brief.add_argument("--sentences", type=_sentences, default=DEFAULT_SUMMARY_SENTENCES)
    p_brief.add_argument(
        "--workers", type=int, help="--jsonl: processes briefing in parallel (default: the cores)"
    )
    p_brief.add_argument("--lang", help="skip detection: en, ru, de, fr or es")
    p_brief.set_defaults(func=_cmd_brief)
    p_run = sub.add_parser(
        "run", help="run the bot: long polling, or a webhook server with --webhook URL --port P"
    )
    p_run.add_argument(
        "--webhook",
        type=_webhook_url,
        metavar="URL",
        help="serve a webhook Telegram calls at this https URL",
    )
    p_run.add_argument("--port", type=_port, metavar="P", help="the webhook server's port")
    p_run.add_argument(
        "--listen",
        default="0.0.0.0",  # noqa: S104
        metavar="ADDR",
        help="the webhook server's address (default 0.0.0.0)",
    )
    p_run.set_defaults(func=_cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args, sys.stdout)
    except BriefError as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


if __name__ == "__main__":
    sys.exit(main())
