"""End to end: `briefbot run` as a real process, polling the Bot API emulator over HTTP on
127.0.0.1, driven the way Telegram users drive it. Every chat is its own user."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from playground.emulator import Emulator
from playground.records import ChatMessage
from tests.bot.conftest import ARTICLE_URL, MISSING_URL, SEED
from tests.bot.processes import alive, descendants
from tests.sources.pdfmaker import make_pdf

# How long the bot process may take to start polling, and to answer: seconds.
START_TIMEOUT_S = 60.0
ANSWER_TIMEOUT_S = 20.0


@dataclass
class Running:
    tg: Emulator
    process: subprocess.Popen[bytes]
    data_dir: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")


def _start(tg: Emulator, data_dir: Path, log_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "BRIEFBOT_DATA_DIR": str(data_dir),
        "BRIEFBOT_ALLOW_PRIVATE_HOSTS": "127.0.0.1",
        "BRIEFBOT_LOG_LEVEL": "INFO",
    }
    tg.last_poll = None
    log = log_path.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"], env=env, stdout=log, stderr=log
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while tg.last_poll is None:
        if process.poll() is not None:
            raise AssertionError(f"the bot exited: {log_path.read_text()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("the bot did not start polling")
        time.sleep(0.05)
    return process


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> int:
    process.send_signal(sig)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    base = tmp_path_factory.mktemp("e2e")
    with Emulator() as tg:
        process = _start(tg, base / "data", base / "bot.log")
        run = Running(tg, process, base / "data", base / "bot.log")
        try:
            yield run
        finally:
            if run.process.poll() is None:
                _stop(run.process)


def _wait(run: Running, chat: int, predicate: object = None, after: int = 0) -> ChatMessage:
    return run.tg.wait_for(chat, predicate, timeout=ANSWER_TIMEOUT_S, after=after)  # type: ignore[arg-type]


def _last_id(run: Running, chat: int) -> int:
    messages = run.tg.transcript(chat)
    return messages[-1].message_id if messages else 0


def _brief(run: Running, chat: int, after: int) -> ChatMessage:
    """The brief (the bot message carrying the brief's buttons), once final."""
    return _wait(run, chat, lambda m: "Follow this dispute" in m.button_texts, after)


def test_start_publishes_the_menu_in_five_languages(running: Running) -> None:
    calls = running.tg.calls("setMyCommands")
    languages = sorted(c.get("language_code") or "" for c in calls)
    assert languages == ["", "de", "en", "es", "fr", "ru"]
    assert running.tg.calls("setMyDescription")
    running.tg.send_text(1001, "/start")
    reply = _wait(running, 1001)
    assert reply.text.startswith("Hello!")
    assert "Follow this dispute" in reply.text


def test_forwarded_channel_post_becomes_a_brief(running: Running) -> None:
    chat = 1002
    sent = running.tg.forward_channel_post(
        chat, SEED[:3500], channel="World Desk", username="worlddesk", post_id=77
    )
    brief = _brief(running, chat, sent.message_id)
    assert "typing" in running.tg.chat_actions(chat)
    assert "Moscow is looking for ways to normalize relations" in brief.text
    assert "Who said what\n• Dmitry Peskov, Kremlin spokesman: " in brief.text
    assert "Dispute: Russia (Dmitry Peskov) vs European Union (Josep Borrell)" in brief.text
    assert "World Desk" in brief.text
    assert '<a href="https://t.me/worlddesk/77">World Desk</a>' in brief.source
    urls = [b.get("url") for b in brief.buttons]
    assert "https://t.me/worlddesk/77" in urls
    # Buttons: All statements sends them; Follow this dispute answers the press.
    after = _last_id(running, chat)
    query = running.tg.press(chat, brief, "All statements")
    statements = _wait(running, chat, None, after)
    assert statements.text.startswith(("All statements", "Nobody is quoted"))
    deadline = time.monotonic() + ANSWER_TIMEOUT_S
    while running.tg.callback_answer(query) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.tg.callback_answer(query) is not None


def test_photo_caption_album_and_hidden_user_forwards(running: Running) -> None:
    chat = 1003
    sent = running.tg.forward_channel_post(chat, SEED[:1000], photo=True)
    assert "Moscow is looking for ways" in _brief(running, chat, sent.message_id).text
    after = _last_id(running, chat)
    running.tg.send_album(chat, [SEED[:1000], "", ""], channel="World Desk", username="worlddesk")
    album_brief = _brief(running, chat, after)
    time.sleep(1.5)  # an album is answered once, not once per photo
    assert [
        m.message_id
        for m in running.tg.bot_messages(chat)
        if m.message_id > after and "Follow this dispute" in m.button_texts
    ] == [album_brief.message_id]
    after = _last_id(running, chat)
    running.tg.forward_from_hidden_user(chat, SEED[:2000], sender_name="Secret Sam")
    assert "Moscow is looking for ways" in _brief(running, chat, after).text


def test_link_to_a_page_is_fetched_and_briefed(running: Running) -> None:
    chat = 1007
    sent = running.tg.send_text(chat, f"Read this: {ARTICLE_URL}")
    brief = _brief(running, chat, sent.message_id)
    assert brief.text.startswith(
        "Moscow looks for ways to improve relations with EU despite differences · UrduPoint"
    )
    assert "Dispute: Russia (Dmitry Peskov) vs European Union (Josep Borrell)" in brief.text
    assert ARTICLE_URL in [b.get("url") for b in brief.buttons]
    after = _last_id(running, chat)
    running.tg.send_text(chat, MISSING_URL)
    assert _wait(running, chat, None, after).text.startswith("I couldn't read that link: ")


def test_short_text_is_answered_plainly(running: Running) -> None:
    chat = 1004
    running.tg.send_text(chat, "Hi!")
    assert _wait(running, chat).text.startswith("This text is too short to brief.")


def test_a_pdf_sent_as_a_file_is_briefed(running: Running) -> None:
    chat = 1008
    lines = [line for para in SEED.split("\n") for line in textwrap.wrap(para, 90)]
    pdf = make_pdf(lines[:60], title="Moscow looks for ways to improve relations with EU")
    sent = running.tg.send_document(chat, pdf, file_name="kremlin.pdf")
    brief = _brief(running, chat, sent.message_id)
    assert brief.text.startswith("Moscow looks for ways to improve relations with EU")
    assert "Dmitry Peskov" in brief.text
    after = _last_id(running, chat)
    running.tg.send_document(chat, b"%PDF-1.4 broken", file_name="broken.pdf")
    assert _wait(running, chat, None, after).text == (
        "I couldn't read that file: That PDF is damaged or in a form I cannot read."
    )


def test_subscribe_history_digest_language_export_delete(running: Running) -> None:
    tg, chat = running.tg, 1005
    sent = tg.forward_channel_post(chat, SEED[:3500])
    brief = _brief(running, chat, sent.message_id)
    query = tg.press(chat, brief, "Follow this dispute")
    deadline = time.monotonic() + ANSWER_TIMEOUT_S
    while tg.callback_answer(query) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    answer = tg.callback_answer(query) or {}
    assert answer.get("text", "").startswith("Following the topic “Russia vs European Union”")

    # /digest now: the digest service composes from the shared pool, where the forwarded
    # public post went, matched by the topic just followed.
    after = _last_id(running, chat)
    tg.send_text(chat, "/digest now")
    digest = _wait(running, chat, None, after)
    assert "Peskov" in digest.text

    tg.send_text(chat, "/subscribe Russia EU sanctions")
    assert (
        "Following the topic “Russia EU sanctions”"
        in _wait(running, chat, lambda m: "Russia EU sanctions" in m.text, sent.message_id).text
    )
    after = _last_id(running, chat)
    tg.send_text(chat, "/subscribe")
    listing = _wait(running, chat, None, after)
    assert "Topic: Russia EU sanctions" in listing.text
    remove = next(b["text"] for b in listing.buttons if "Russia EU sanctions" in b["text"])
    tg.press(chat, listing, remove)
    _wait(
        running,
        chat,
        # The list is edited in place, without the removed topic (the followed dispute stays).
        lambda m: (
            m.message_id == listing.message_id
            and m.edits > 0
            and "Topic: Russia EU sanctions\n" not in m.text + "\n"
        ),
        after,
    )

    after = _last_id(running, chat)
    tg.send_text(chat, "/history")
    assert _wait(running, chat, None, after).text.startswith("Your briefs 1–1 of 1:")

    after = _last_id(running, chat)
    tg.send_text(chat, "/digest 07:30 Europe/Berlin")
    assert _wait(running, chat, None, after).text == (
        "Done: your digest comes daily at 07:30 (Europe/Berlin)."
    )

    after = _last_id(running, chat)
    tg.send_text(chat, "/language")
    chooser = _wait(running, chat, None, after)
    tg.press(chat, chooser, "Deutsch")
    _wait(running, chat, lambda m: m.text == "Sprache der Oberfläche: Deutsch.", after)

    after = _last_id(running, chat)
    tg.send_text(chat, "/export")
    document = _wait(running, chat, lambda m: m.document is not None, after).document
    assert document is not None
    exported = json.loads(document.content)
    assert exported["settings"]["language"] == "de"
    assert exported["settings"]["timezone"] == "Europe/Berlin"
    assert len(exported["history"]) == 1

    after = _last_id(running, chat)
    tg.send_text(chat, "/delete_my_data")
    confirm = _wait(running, chat, None, after)
    assert confirm.text.startswith("Alle deine Daten löschen")
    tg.press(chat, confirm, "d:yes")
    done = _wait(
        running,
        chat,
        lambda m: m.message_id == confirm.message_id and m.text.startswith("Gelöscht"),
        after,
    )
    assert "1 Kurzfassungen" in done.text


def test_logs_hold_no_text_url_or_token(running: Running) -> None:
    log = running.log()
    assert "ready" in log
    assert running.tg.token.split(":", 1)[1] not in log
    assert "Moscow" not in log
    assert "t.me/worlddesk" not in log
    assert "kremlin-eu" not in log and "/missing" not in log


def test_sigkill_and_restart_keep_the_history_then_sigterm_stops_cleanly(
    running: Running,
) -> None:
    tg, chat = running.tg, 1006
    sent = tg.forward_channel_post(chat, SEED[:3500])
    _brief(running, chat, sent.message_id)
    helpers = descendants(running.process.pid)
    assert helpers, "the engine runs in worker processes"
    running.process.kill()
    running.process.wait(timeout=10)
    # The engine workers (forkserver children, not the bot's) leave with the killed bot.
    deadline = time.monotonic() + 20
    while alive(helpers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(helpers), "engine workers outlived a SIGKILLed bot"
    running.process = _start(tg, running.data_dir, running.log_path)
    after = _last_id(running, chat)
    tg.send_text(chat, "/history")
    assert _wait(running, chat, None, after).text.startswith("Your briefs 1–1 of 1:")
    assert _stop(running.process) == 0
    assert "Traceback" not in running.log()
