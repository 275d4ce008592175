"""The web chat page and its JSON API, served by the emulator's own HTTP server.

    GET  /                      the chat page (static/index.html, app.js, style.css)
    GET  /api/state?chat=&version=&wait=   the chat as the page draws it; long-polls when
                                the page already has `version` (at most MAX_STATE_WAIT_S)
    POST /api/send      {"chat"?, "text", "reply_to"?}     the user types a message
    POST /api/forward   {"chat"?, "text", "channel"?, "username"?, "photo"?, "hidden_link"?,
                         "hidden_user"?, "album"?}         the user forwards a post
    POST /api/press     {"chat"?, "message_id", "button"}  the user presses an inline button
    GET  /api/file/<file_id>                               a document the bot sent

POST bodies must be JSON: a page on another site cannot send that to 127.0.0.1 without a CORS
preflight, which this server never grants.
"""

from __future__ import annotations

import json
import time
from importlib import resources
from typing import TYPE_CHECKING, Any

import tornado.web

if TYPE_CHECKING:
    from playground.emulator import Emulator

# The chat the page plays in; a private chat with this user id.
PAGE_CHAT_ID = 1_000_001
# A state request waits at most this long for something to change: seconds.
MAX_STATE_WAIT_S = 25.0
# "typing…" shows this long after the bot's last sendChatAction, as in Telegram: seconds.
TYPING_SHOWN_S = 5.0
# Longest text the page accepts in one message: characters (Telegram's own limit for users).
MAX_USER_TEXT_CHARS = 4096
# An album forwarded from the page has at most this many photos (Telegram's limit).
MAX_ALBUM_PHOTOS = 10
_STATIC = {"index.html": "text/html", "app.js": "text/javascript", "style.css": "text/css"}


def web_routes(emulator: Emulator) -> list[tuple[str, type[tornado.web.RequestHandler],
                                              dict[str, Any]]]:
    args = {"emulator": emulator}
    return [
        (r"/", _StaticHandler, {"name": "index.html"}),
        (r"/static/(app\.js|style\.css)", _StaticHandler, {}),
        (r"/api/state", _StateHandler, args),
        (r"/api/(send|forward|press)", _ActionHandler, args),
        (r"/api/file/([A-Za-z0-9_-]+)", _DownloadHandler, args),
    ]


class _StaticHandler(tornado.web.RequestHandler):
    def initialize(self, name: str = "") -> None:
        self.name = name

    def get(self, name: str = "") -> None:
        name = self.name or name
        content = resources.files("playground").joinpath("static", name).read_bytes()
        self.set_header("Content-Type", f"{_STATIC[name]}; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        # The page builds every message with DOM calls; nothing inline, nothing from elsewhere.
        self.set_header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
        )
        self.write(content)


class _JsonHandler(tornado.web.RequestHandler):
    def initialize(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def check_xsrf_cookie(self) -> None:
        return None

    def reply(self, body: dict[str, Any], status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps(body, ensure_ascii=False))

    def chat_id(self, body: dict[str, Any] | None = None) -> int:
        raw = (body or {}).get("chat", self.get_query_argument("chat", str(PAGE_CHAT_ID)))
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise tornado.web.HTTPError(400, "chat must be a number") from None


class _StateHandler(_JsonHandler):
    async def get(self) -> None:
        chat_id = self.chat_id()
        try:
            known = int(self.get_query_argument("version", "-1"))
            wait = min(float(self.get_query_argument("wait", "0")), MAX_STATE_WAIT_S)
        except ValueError:
            raise tornado.web.HTTPError(400, "version and wait must be numbers") from None
        if known == self.emulator.api.version and wait > 0:
            await self.emulator.wait_change(wait)
        self.reply(page_state(self.emulator, chat_id))


def page_state(emulator: Emulator, chat_id: int) -> dict[str, Any]:
    api = emulator.api
    with api.lock:
        messages = [m.to_view() for m in emulator.transcript(chat_id)]
        commands = api.commands.get(("default", ""), [])
        action = api.last_action.get(chat_id)
        version = api.version
    typing = action is not None and time.monotonic() - action[1] < TYPING_SHOWN_S
    polling = emulator.last_poll is not None and time.monotonic() - emulator.last_poll < 60
    return {
        "version": version,
        "bot": {"name": api.user["first_name"], "username": api.user["username"]},
        "commands": commands,
        "messages": messages,
        "typing": typing,
        "bot_online": polling,
    }


class _ActionHandler(_JsonHandler):
    def post(self, action: str) -> None:
        if not self.request.headers.get("Content-Type", "").startswith("application/json"):
            raise tornado.web.HTTPError(415, "send JSON")
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            raise tornado.web.HTTPError(400, "bad JSON") from None
        if not isinstance(body, dict):
            raise tornado.web.HTTPError(400, "send a JSON object")
        chat_id = self.chat_id(body)
        try:
            sent = _act(self.emulator, action, chat_id, body)
        except (KeyError, ValueError) as exc:
            self.reply({"ok": False, "error": str(exc)}, 400)
            return
        self.reply({"ok": True, "message_ids": sent})


def _text(body: dict[str, Any], key: str = "text", *, required: bool = True) -> str:
    text = str(body.get(key) or "").strip()
    if required and not text:
        raise ValueError("Type something first.")
    if len(text) > MAX_USER_TEXT_CHARS:
        raise ValueError(f"Telegram lets a user send at most {MAX_USER_TEXT_CHARS} characters.")
    return text


def _act(emulator: Emulator, action: str, chat_id: int, body: dict[str, Any]) -> list[int]:
    if action == "send":
        reply_to = body.get("reply_to")
        message = emulator.send_text(chat_id, _text(body),
                                     reply_to=int(reply_to) if reply_to else None)
        return [message.message_id]
    if action == "press":
        emulator.press(chat_id, int(body.get("message_id", 0)), str(body.get("button", "")))
        return []
    text = _text(body)
    if body.get("hidden_user"):
        name = str(body["hidden_user"]).strip()[:64]
        return [emulator.forward_from_hidden_user(chat_id, text, sender_name=name).message_id]
    channel = str(body.get("channel") or "World Desk").strip()[:128]
    username = str(body.get("username") or "").strip().lstrip("@")[:32] or None
    album = min(max(int(body.get("album") or 0), 0), MAX_ALBUM_PHOTOS)
    if album > 1:
        sent = emulator.send_album(chat_id, [text] + [""] * (album - 1), channel=channel,
                                   username=username)
        return [m.message_id for m in sent]
    link = str(body.get("hidden_link") or "").strip() or None
    if link and not link.startswith(("http://", "https://")):
        raise ValueError("A hidden link starts with http:// or https://.")
    message = emulator.forward_channel_post(
        chat_id, text, channel=channel, username=username, photo=bool(body.get("photo")),
        hidden_link=link)
    return [message.message_id]


class _DownloadHandler(_JsonHandler):
    def get(self, file_id: str) -> None:
        stored = self.emulator.api.files.get(file_id)
        if stored is None:
            raise tornado.web.HTTPError(404)
        name = (stored.file_name or "file").replace('"', "")
        self.set_header("Content-Type", stored.mime_type or "application/octet-stream")
        self.set_header("Content-Disposition", f'attachment; filename="{name}"')
        self.write(stored.content)
