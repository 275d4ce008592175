"""The emulator's HTTP surface as any Bot API client sees it (no PTB in between)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from playground.emulator import Emulator

SECRET = "s3cret"  # noqa: S105 - the webhook's shared secret in this test


def call(tg: Emulator, method: str, http_timeout: float = 5, **params: Any) -> httpx.Response:
    return httpx.post(f"{tg.base_url}{tg.token}/{method}", data=params, timeout=http_timeout)


def test_updates_are_confirmed_by_offset_and_errors_are_json(tg: Emulator) -> None:
    tg.send_text(7, "one")
    tg.send_text(7, "two")
    first = call(tg, "getUpdates").json()["result"]
    assert [u["message"]["text"] for u in first] == ["one", "two"]
    after = call(tg, "getUpdates", offset=first[-1]["update_id"] + 1, timeout=0).json()
    assert after == {"ok": True, "result": []}
    wrong = httpx.post(f"{tg.base_url}123:nope/getMe")
    assert (wrong.status_code, wrong.json()["description"]) == (401, "Unauthorized")
    unknown = call(tg, "sendSticker", chat_id=7)
    assert unknown.status_code == 404
    assert unknown.json() == {"ok": False, "error_code": 404,
                              "description": "Not Found: method not found"}
    long = call(tg, "sendMessage", chat_id=7, text="é" * 4097)
    assert long.json()["description"] == "Bad Request: message is too long"
    empty = call(tg, "sendMessage", chat_id=7, text="<b> </b>", parse_mode="HTML")
    assert empty.json()["description"] == "Bad Request: message text is empty"
    keyboard = {"inline_keyboard": [[{"text": "x", "callback_data": "d" * 65}]]}
    bad_button = call(tg, "sendMessage", chat_id=7, text="hi", reply_markup=json.dumps(keyboard))
    assert bad_button.json()["description"] == "Bad Request: BUTTON_DATA_INVALID"


def test_json_bodies_and_edits(tg: Emulator) -> None:
    tg.add_user(8)
    url = f"{tg.base_url}{tg.token}"
    sent = httpx.post(f"{url}/sendMessage", json={"chat_id": 8, "text": "<b>Reading…</b>",
                                                  "parse_mode": "HTML"}).json()["result"]
    assert sent["entities"] == [{"type": "bold", "offset": 0, "length": 8}]
    edit = {"chat_id": 8, "message_id": sent["message_id"], "text": "Brief", "parse_mode": "HTML"}
    assert httpx.post(f"{url}/editMessageText", json=edit).json()["result"]["text"] == "Brief"
    same = httpx.post(f"{url}/editMessageText", json=edit).json()
    assert same["description"].startswith("Bad Request: message is not modified")
    gone = {"chat_id": 8, "message_id": sent["message_id"]}
    assert httpx.post(f"{url}/deleteMessage", json=gone).json()["result"] is True
    again = httpx.post(f"{url}/deleteMessage", json=gone).json()
    assert again["description"] == "Bad Request: message to delete not found"
    assert tg.bot_messages(8) == []


def test_a_second_poller_ends_the_first_with_a_conflict(tg: Emulator) -> None:
    results: list[httpx.Response] = []
    first = threading.Thread(target=lambda: results.append(call(tg, "getUpdates", http_timeout=10,
                                                                 timeout=5)))
    first.start()
    while tg.last_poll is None:
        threading.Event().wait(0.01)
    second = call(tg, "getUpdates", timeout=0)
    first.join()
    assert second.json() == {"ok": True, "result": []}
    assert results[0].status_code == 409
    assert "terminated by other getUpdates request" in results[0].json()["description"]


def test_webhook_delivers_updates_with_the_secret_token(tg: Emulator) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []
    done = threading.Event()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append((self.headers.get("X-Telegram-Bot-Api-Secret-Token"), body))
            self.send_response(200)
            self.end_headers()
            done.set()

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        hook = f"http://127.0.0.1:{server.server_address[1]}/hook"
        assert call(tg, "setWebhook", url=hook, secret_token=SECRET).json()["result"] is True
        assert call(tg, "getUpdates").status_code == 409
        remote = call(tg, "setWebhook", url="https://example.com/hook").json()
        assert remote["error_code"] == 400
        tg.send_text(9, "via webhook")
        assert done.wait(5)
    finally:
        server.shutdown()
        server.server_close()
    secret, update = received[0]
    assert secret == SECRET
    assert update["message"]["text"] == "via webhook"


def test_whitespace_is_trimmed_so_an_edit_to_the_same_text_is_not_modified(tg: Emulator) -> None:
    tg.add_user(11)
    url = f"{tg.base_url}{tg.token}"
    sent = httpx.post(f"{url}/sendMessage", json={"chat_id": 11, "text": "\n<b>Brief</b>\n\n",
                                                  "parse_mode": "HTML"}).json()["result"]
    assert (sent["text"], sent["entities"][0]["offset"]) == ("Brief", 0)
    same = httpx.post(f"{url}/editMessageText", json={
        "chat_id": 11, "message_id": sent["message_id"], "text": "<b>Brief</b> ",
        "parse_mode": "HTML"}).json()
    assert same["description"].startswith("Bad Request: message is not modified")
