"""The playground end to end over its web API: a bot process polls the emulator, the page's
requests play the user. (The browser drives the same API in test_browser.py.)"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import httpx

from playground.app import Playground
from playground.web import PAGE_CHAT_ID


def state(playground: Playground) -> dict[str, Any]:
    response = httpx.get(f"{playground.emulator.url}/api/state", timeout=5)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def post(playground: Playground, action: str, **body: Any) -> dict[str, Any]:
    response = httpx.post(f"{playground.emulator.url}/api/{action}", json=body, timeout=5)
    result: dict[str, Any] = response.json()
    return result


def bot_text(playground: Playground, needle: str, timeout: float = 10) -> dict[str, Any]:
    message = playground.emulator.wait_for(PAGE_CHAT_ID, lambda m: needle in m.text, timeout)
    view: dict[str, Any] = message.to_view()
    return view


def test_page_forward_reaches_the_bot_and_its_html_comes_back(
    standin_playground: Playground,
) -> None:
    pg = standin_playground
    page = httpx.get(pg.url, timeout=5)
    assert page.status_code == 200 and "Briefbot playground" in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert post(pg, "forward", text="Kremlin <b>regrets</b>\nMoscow wants talks. More.",
                channel="World Desk", username="worlddesk",
                hidden_link="https://example.com/k")["ok"]
    brief = bot_text(pg, "stand-in brief")
    assert brief["tree"][0] == {"tag": "b", "children": ["Kremlin <b>regrets</b>"]}
    assert [b["text"] for row in brief["buttons"] for b in row] == [
        "Follow this dispute", "Source"]
    seen = state(pg)
    assert seen["messages"][0]["forwarded_from"] == "World Desk"
    assert seen["bot_online"] is True
    assert [c["command"] for c in seen["commands"]] == ["start", "subscribe", "digest"]
    assert post(pg, "press", message_id=brief["id"], button="follow:0")["ok"]
    assert post(pg, "send", text="/subscribe")["ok"]
    assert bot_text(pg, "You follow")["tree"][-1] == "\n• Kremlin <b>regrets</b>"
    assert post(pg, "send", text="/digest now")["ok"]
    bot_text(pg, "Your digest")


def test_page_requests_are_checked(standin_playground: Playground) -> None:
    pg = standin_playground
    assert post(pg, "send", text="   ") == {"ok": False, "error": "Type something first."}
    refused = post(pg, "forward", text="x", hidden_link="javascript:alert(1)")
    assert refused["ok"] is False
    form = httpx.post(f"{pg.emulator.url}/api/send", data={"text": "hi"}, timeout=5)
    assert form.status_code == 415  # another site's form cannot post into the chat
    assert post(pg, "press", message_id=999, button="x")["ok"] is False


def test_python_m_playground_prints_the_url_and_stops_on_sigterm() -> None:
    bot = f"{sys.executable} tests/playground/standin_bot.py"
    process = subprocess.Popen(
        [sys.executable, "-m", "playground", "--port", "0", "--bot-command", bot],
        stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Briefbot playground: open http://127.0.0.1:")
        url = line.split()[3]
        deadline = time.monotonic() + 30
        while not httpx.get(f"{url}api/state", timeout=5).json()["bot_online"]:
            assert time.monotonic() < deadline, "the bot never polled"
            time.sleep(0.1)
        process.terminate()
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_busy_port_is_a_clear_message(standin_playground: Playground) -> None:
    busy = str(standin_playground.emulator.port)
    result = subprocess.run(
        [sys.executable, "-m", "playground", "--port", busy, "--bot-command", "true"],
        capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{busy}" in result.stderr
    assert "BRIEFBOT_PLAYGROUND_PORT" in result.stderr


def test_page_forwards_albums_photos_and_hidden_users(standin_playground: Playground) -> None:
    pg = standin_playground
    album = post(pg, "forward", text="Album caption", channel="Pics", username="", album=3)
    photo = post(pg, "forward", text="Photo caption", channel="World Desk", photo=True)
    hidden = post(pg, "forward", text="Pasted by someone", hidden_user="Ivan P.")
    assert album["ok"] and photo["ok"] and hidden["ok"]
    messages = {m.message_id: m for m in pg.emulator.transcript(PAGE_CHAT_ID)}
    parts = [messages[i] for i in album["message_ids"]]
    assert len({m.media_group_id for m in parts}) == 1 and parts[0].media_group_id
    assert [m.text for m in parts] == ["Album caption", "", ""]
    assert all(m.photo and m.forward_origin for m in parts)
    assert "username" not in parts[0].forward_origin["chat"]  # a private channel
    (photo_post,) = [messages[i] for i in photo["message_ids"]]
    assert photo_post.to_api(pg.emulator.api.chats[PAGE_CHAT_ID], {})["caption"] == (
        "Photo caption")
    (forward,) = [messages[i] for i in hidden["message_ids"]]
    assert forward.forward_origin == {"type": "hidden_user", "date": forward.forward_origin[
        "date"], "sender_user_name": "Ivan P."}
    bot_text(pg, "Photo caption")  # captions reach the bot like texts
