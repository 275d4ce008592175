"""The `briefbot` command line: `briefbot brief` (an article or a JSON-lines batch) and `run`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from briefing import Brief, BriefError, brief
from briefing.limits import DEFAULT_SUMMARY_SENTENCES, MAX_SUMMARY_SENTENCES
from briefing.render import render_text

# Exit codes: 2 for input we cannot brief (a clear message, never a traceback).
EXIT_BAD_INPUT = 2
# The environment does not describe a bot we can start (sysexits' EX_CONFIG).
EXIT_CONFIG = 78
# A file or stdin larger than this is refused before it is read whole: bytes.
MAX_READ_BYTES = 8 * 1024 * 1024


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
    from sources.cli import brief_url

    return brief_url(url, sentences=sentences, lang=lang)


def _batch(lines: Iterable[str], *, sentences: int) -> Iterator[dict[str, Any]]:
    """One output object per input line, in input order; a bad line never stops the batch."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
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
            yield {"id": item_id, **result.to_json()}
        except json.JSONDecodeError as exc:
            yield {"id": number, "error": f"Line {number} is not valid JSON: {exc.msg}."}
        except BriefError as exc:
            yield {"id": item_id if item_id is not None else number, "error": str(exc)}


def _cmd_brief(args: argparse.Namespace, out: TextIO) -> int:
    if args.jsonl:
        for row in _batch(sys.stdin, sentences=args.sentences):
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
    from bot.config import ConfigError, load_config
    from bot.main import configure_logging, run

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
    p_brief.add_argument("--lang", help="skip detection: en, ru, de, fr or es")
    p_brief.set_defaults(func=_cmd_brief)
    p_run = sub.add_parser(
        "run", help="run the bot: long polling, or a webhook server with --webhook URL --port P"
    )
    p_run.add_argument("--webhook", type=_webhook_url, metavar="URL",
                       help="serve a webhook Telegram calls at this https URL")
    p_run.add_argument("--port", type=_port, metavar="P", help="the webhook server's port")
    p_run.add_argument("--listen", default="0.0.0.0", metavar="ADDR",  # noqa: S104
                       help="the webhook server's address (default 0.0.0.0)")
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
