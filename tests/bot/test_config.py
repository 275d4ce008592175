"""Configuration: read once, checked at start with messages that say what to fix."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.config import TELEGRAM_API_BASE_URL, ConfigError, load_config
from tests.bot.processes import alive, descendants

TOKEN = "123456:ABCdef_-ghi"  # noqa: S105 (a fake)
ROOT = Path(__file__).resolve().parents[2]


def test_defaults() -> None:
    config = load_config({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert config.api_base_url == TELEGRAM_API_BASE_URL
    assert config.api_base_file_url == "https://api.telegram.org/file/bot"
    assert config.data_dir == Path("data")
    assert config.allow_private_hosts == ()
    assert config.default_tz == "UTC"
    assert config.log_level == "INFO"
    assert TOKEN not in repr(config)
    assert config.bot_id == "123456"


def test_every_variable_is_read() -> None:
    config = load_config(
        {
            "TELEGRAM_BOT_TOKEN": f" {TOKEN} ",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081",
            "BRIEFBOT_DATA_DIR": "var/briefbot",
            "BRIEFBOT_ALLOW_PRIVATE_HOSTS": "127.0.0.1, 10.0.0.0/8,intranet.local",
            "BRIEFBOT_DEFAULT_TZ": "Europe/Berlin",
            "BRIEFBOT_LOG_LEVEL": "debug",
        }
    )
    assert config.token == TOKEN
    assert config.api_base_url == "http://127.0.0.1:8081/bot"
    assert config.api_base_file_url == "http://127.0.0.1:8081/file/bot"
    assert config.allow_private_hosts == ("127.0.0.1", "10.0.0.0/8", "intranet.local")
    assert (config.default_tz, config.log_level) == ("Europe/Berlin", "DEBUG")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"TELEGRAM_BOT_TOKEN": "nonsense secret"}, "does not look like a bot token"),
        ({"TELEGRAM_API_BASE_URL": "ftp://x"}, "TELEGRAM_API_BASE_URL must be an http(s) URL"),
        ({"BRIEFBOT_DEFAULT_TZ": "Mars/Olympus"}, "BRIEFBOT_DEFAULT_TZ must be an IANA"),
        ({"BRIEFBOT_LOG_LEVEL": "LOUD"}, "BRIEFBOT_LOG_LEVEL must be one of"),
        ({"BRIEFBOT_ALLOW_PRIVATE_HOSTS": "a b"}, "BRIEFBOT_ALLOW_PRIVATE_HOSTS is a comma"),
        ({"BRIEFBOT_STOP_WITH_FD": "stdin"}, "BRIEFBOT_STOP_WITH_FD is a file descriptor"),
    ],
)
def test_bad_values_are_named(env: dict[str, str], message: str) -> None:
    full = {"TELEGRAM_BOT_TOKEN": TOKEN, **env} if "TELEGRAM_BOT_TOKEN" not in env else env
    if not env:
        full = {}
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(full)


def test_a_bad_token_is_never_echoed() -> None:
    with pytest.raises(ConfigError) as info:
        load_config({"TELEGRAM_BOT_TOKEN": "my secret token"})
    assert "my secret token" not in str(info.value)


def test_data_dir_must_be_a_directory(tmp_path: Path) -> None:
    file = tmp_path / "f"
    file.write_text("x")
    with pytest.raises(ConfigError, match="is not a directory"):
        load_config({"TELEGRAM_BOT_TOKEN": TOKEN, "BRIEFBOT_DATA_DIR": str(file)})


def test_run_with_a_bad_token_says_what_to_do(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TELEGRAM_BOT_TOKEN": "not-a-token"}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 78
    assert "TELEGRAM_BOT_TOKEN does not look like a bot token" in done.stderr
    assert "not-a-token" not in done.stderr
    assert "Traceback" not in done.stderr


def _playground(
    home: Path, *, stdout: int, log_level: str | None = None, start_new_session: bool = False
) -> tuple[subprocess.Popen[str], int]:
    """`briefbot run` without a token, as on a fresh machine, on a free port; its stderr piped."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "BRIEFBOT_PLAYGROUND_PORT": str(port)}
    if log_level is not None:
        env["BRIEFBOT_LOG_LEVEL"] = log_level
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        env=env,
        cwd=home,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=start_new_session,
    )
    return proc, port


def test_run_without_token_starts_the_playground(tmp_path: Path) -> None:
    """`make run` on a fresh machine: no token means the local playground, not an error."""
    proc, port = _playground(tmp_path, stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        first_line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first_line
        deadline = time.monotonic() + 60
        page = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    page = answer.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.2)
        assert "<html" in page.lower()
    finally:
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "Traceback" not in stderr


@pytest.mark.parametrize(
    "after",
    [
        " ready",  # the end of post_init: PTB is about to start polling
        "Application started",  # the bot runs
    ],
)
def test_ctrl_c_in_a_terminal_stops_the_playground_and_its_bot_cleanly(
    tmp_path: Path, after: str
) -> None:
    """Ctrl+C signals the whole foreground group: the playground, which then sends the bot
    SIGTERM, and the bot itself. The bot's second signal must not break off its stop, and a
    signal during start-up must not leave a broken task behind."""
    proc, _ = _playground(
        tmp_path,
        stdout=subprocess.DEVNULL,
        log_level="INFO",
        start_new_session=True,  # its own group, as a terminal's foreground job
    )
    try:
        assert proc.stderr is not None
        seen = ""
        deadline = time.monotonic() + 60
        while after not in seen and time.monotonic() < deadline and proc.poll() is None:
            seen += proc.stderr.readline()
        assert after in seen
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        _, rest = proc.communicate(timeout=60)
    stderr = seen + rest
    assert proc.returncode == 0
    assert "SIGINT: stopping" in stderr and "already stopping" in stderr
    assert "Application.stop() complete" in stderr
    for trouble in ("Traceback", "Event loop is closed", "never awaited", "destroyed but"):
        assert trouble not in stderr, trouble


def test_a_killed_playground_takes_its_bot_along(tmp_path: Path) -> None:
    """SIGKILL gives the playground no chance to stop its bot: the bot sees the stop pipe end
    and stops cleanly itself, instead of polling a dead emulator forever."""
    proc, _ = _playground(
        tmp_path, stdout=subprocess.DEVNULL, log_level="INFO", start_new_session=True
    )
    bots: set[int] = set()
    try:
        assert proc.stderr is not None
        seen = ""
        deadline = time.monotonic() + 60
        while "Application started" not in seen and time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            seen += proc.stderr.readline()
        assert "Application started" in seen
        bots = descendants(proc.pid)
        assert bots, "the playground runs the bot as its child"
        proc.kill()
        proc.wait(timeout=10)
        deadline = time.monotonic() + 30
        while alive(bots) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(bots), "the bot outlived its SIGKILLed playground"
    finally:
        for pid in alive(bots):
            os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # The bot inherited the playground's stderr: its last words come through the same pipe,
    # whose writers are all gone now.
    assert proc.stderr is not None
    rest = proc.stderr.read()
    assert "the process that started the bot has ended: stopping" in rest
    assert "Application.stop() complete" in rest
    # The Bot API server died with the playground, so PTB's calls to it fail: its last
    # getUpdates (marking updates read), which it logs and suppresses, and at times the poll in
    # flight, which PTB's retry loop leaves unretrieved when it stops in the same instant.
    # Those tracebacks are the only ones allowed: each must end in the lost connection.
    records = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", seen + rest)
    for record in records:
        if "Traceback" in record:
            assert record.strip().splitlines()[-1].startswith("telegram.error.NetworkError: aio")
    for trouble in ("Event loop is closed", "never awaited", "destroyed but"):
        assert trouble not in rest, trouble


def test_env_example_documents_every_variable() -> None:
    example = (ROOT / ".env.example").read_text("utf-8")
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_BASE_URL",
        "BRIEFBOT_DATA_DIR",
        "BRIEFBOT_ALLOW_PRIVATE_HOSTS",
        "BRIEFBOT_DEFAULT_TZ",
        "BRIEFBOT_LOG_LEVEL",
    ):
        assert f"\n{name}=" in example
