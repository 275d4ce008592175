"""`briefbot run --webhook URL --port P`: the emulator delivers updates by POST, with the secret
header the bot asked for; a request without it is refused."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from playground.emulator import Emulator


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_webhook_serves_the_same_bot(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    with Emulator() as tg:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE_URL": tg.base_url,
            "BRIEFBOT_DATA_DIR": str(tmp_path),
        }
        bot = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "run",
                "--webhook",
                url,
                "--port",
                str(port),
                "--listen",
                "127.0.0.1",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            while tg.api.webhook.get("url") != url:
                assert bot.poll() is None, bot.stderr.read() if bot.stderr else ""
                assert time.monotonic() < deadline, "the webhook was never set"
                time.sleep(0.05)
            assert tg.api.webhook["secret_token"]
            assert tg.token.split(":")[1] not in tg.api.webhook["secret_token"]
            tg.send_text(77, "/privacy")
            assert tg.wait_for(77, timeout=20).text.startswith("What I store")
            forged = httpx.post(url, json={"update_id": 1, "message": {}}, timeout=5)
            assert forged.status_code == 403
        finally:
            bot.send_signal(signal.SIGTERM)
            assert bot.wait(timeout=30) == 0
