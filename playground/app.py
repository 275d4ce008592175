"""`python -m playground`: the real bot, the Bot API emulator and a web chat, on this machine.

It starts the emulator (with the web page) on 127.0.0.1, then the real bot as a child process
(`python -m bot.cli run`) with TELEGRAM_BOT_TOKEN set to the emulator's fake token and
TELEGRAM_API_BASE_URL pointing at the emulator. The bot runs exactly as in production: same
handlers, same store, same engine; only the server it polls is ours.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from bot.config import ENV_STOP_WITH_FD
from playground.botapi import FloodLimits
from playground.emulator import Emulator
from playground.web import PAGE_CHAT_ID

DEFAULT_PORT = 8080
PORT_ENV = "BRIEFBOT_PLAYGROUND_PORT"
# How long the bot may take to start polling before we say so: seconds.
BOT_START_TIMEOUT_S = 60.0
# How long the bot has to stop after SIGTERM before it is killed: seconds.
BOT_STOP_TIMEOUT_S = 10.0
# How often the supervisor looks at the bot process: seconds.
SUPERVISE_INTERVAL_S = 0.2
# Telegram lets bursts through; these are close to what a bot meets there.
PLAYGROUND_FLOOD_LIMITS = FloodLimits(per_chat_per_second=1.0, per_chat_burst=20,
                                      per_second=30.0, burst=30)
EXIT_BAD_SETUP = 2


def default_bot_command() -> list[str]:
    return [sys.executable, "-m", "bot.cli", "run"]


class Playground:
    """The emulator and the bot process; `start`, then `stop` (or use `with`)."""

    def __init__(
        self,
        *,
        port: int = DEFAULT_PORT,
        bot_command: Sequence[str] | None = None,
        data_dir: Path | None = None,
        flood_limits: FloodLimits | None = PLAYGROUND_FLOOD_LIMITS,
    ) -> None:
        self.emulator = Emulator(port=port, flood_limits=flood_limits)
        self.bot_command = list(bot_command or default_bot_command())
        self._own_dir: tempfile.TemporaryDirectory[str] | None = None
        if data_dir is None:
            self._own_dir = tempfile.TemporaryDirectory(prefix="briefbot-playground-")
            data_dir = Path(self._own_dir.name)
        self.data_dir = data_dir
        self.bot: subprocess.Popen[bytes] | None = None
        # Our end of the bot's stop pipe: it closes when we end, however we end (see start).
        self._stop_pipe: int | None = None

    @property
    def url(self) -> str:
        return f"{self.emulator.url}/"

    def bot_environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "TELEGRAM_BOT_TOKEN": self.emulator.token,
            "TELEGRAM_API_BASE_URL": self.emulator.base_url,
            "BRIEFBOT_DATA_DIR": str(self.data_dir),
        })
        return env

    def start(self) -> Playground:
        self.emulator.start()
        self.emulator.add_user(PAGE_CHAT_ID, first_name="You", username="playground_user",
                               language_code="en")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # Same process group: Ctrl+C or a closed terminal reaches the bot too; the bot stops
        # cleanly on SIGINT as on SIGTERM. A playground killed outright (SIGKILL, a crash) sends
        # nothing, so the bot also holds the read end of a pipe whose write end only we hold:
        # the kernel closes ours when we end, and the bot stops at the end of file.
        bot_end, self._stop_pipe = os.pipe()
        env = self.bot_environment() | {ENV_STOP_WITH_FD: str(bot_end)}
        try:
            self.bot = subprocess.Popen(  # noqa: S603
                self.bot_command, env=env, pass_fds=(bot_end,)
            )
        finally:
            os.close(bot_end)
        return self

    def wait_until_polling(self, timeout: float = BOT_START_TIMEOUT_S) -> bool:
        """True once the bot asked for updates; False if it exited or took too long."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.emulator.last_poll is not None:
                return True
            if self.bot is not None and self.bot.poll() is not None:
                return False
            time.sleep(SUPERVISE_INTERVAL_S)
        return False

    def stop(self) -> None:
        bot, self.bot = self.bot, None
        if bot is not None and bot.poll() is None:
            bot.send_signal(signal.SIGTERM)
            try:
                bot.wait(BOT_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                bot.kill()
                bot.wait()
        if self._stop_pipe is not None:
            os.close(self._stop_pipe)
            self._stop_pipe = None
        self.emulator.stop()
        if self._own_dir is not None:
            self._own_dir.cleanup()
            self._own_dir = None

    def __enter__(self) -> Playground:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _port(value: str) -> int:
    port = int(value)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError("a port is between 0 and 65535")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m playground",
        description="Try Briefbot in a browser: the real bot against a local Telegram emulator.",
    )
    parser.add_argument("--port", type=_port, default=None,
                        help=f"web page and Bot API port (default ${PORT_ENV} or {DEFAULT_PORT})")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="where the bot keeps its store (default: a temporary directory, "
                             "removed at exit)")
    parser.add_argument("--bot-command", default=None,
                        help="the command that starts the bot (default: python -m bot.cli run)")
    parser.add_argument("--no-flood-limits", action="store_true",
                        help="answer every request, never 429 Too Many Requests")
    return parser


class _Stop(Exception):
    """SIGTERM arrived: leave the supervision loop and clean up."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        port = args.port if args.port is not None else _port(
            os.environ.get(PORT_ENV, str(DEFAULT_PORT)))
    except (ValueError, argparse.ArgumentTypeError):
        print(f"playground: {PORT_ENV} must be a port number", file=sys.stderr)
        return EXIT_BAD_SETUP
    playground = Playground(
        port=port,
        bot_command=shlex.split(args.bot_command) if args.bot_command else None,
        data_dir=args.data_dir,
        flood_limits=None if args.no_flood_limits else PLAYGROUND_FLOOD_LIMITS,
    )
    try:
        playground.start()
    except OSError as exc:
        print(f"playground: cannot listen on 127.0.0.1:{port} ({exc.strerror}); "
              f"set {PORT_ENV} to another port", file=sys.stderr)
        playground.stop()
        return EXIT_BAD_SETUP
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        print(f"Briefbot playground: open {playground.url}  (Ctrl+C stops it)", flush=True)
        if not playground.wait_until_polling():
            code = playground.bot.poll() if playground.bot else None
            print(f"playground: the bot did not start (exit code {code})", file=sys.stderr)
            return 1
        while playground.bot is not None and playground.bot.poll() is None:
            time.sleep(SUPERVISE_INTERVAL_S)
        code = playground.bot.returncode if playground.bot else 0
        print(f"playground: the bot stopped (exit code {code})", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, _Stop):
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        playground.stop()
