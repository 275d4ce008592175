"""A small Telegram Bot API emulator on 127.0.0.1, for end-to-end tests and the playground.

A real bot (python-telegram-bot or anything else) talks to it over HTTP, as it would to Telegram:
point `ApplicationBuilder().base_url(...)` or `TELEGRAM_API_BASE_URL` at `Emulator.base_url`.
Tests play the user through the Python API (send text, forward channel posts, albums, press
buttons) and read back what the bot sent, edited and deleted::

    with Emulator() as tg:
        ...start the bot with base_url=tg.base_url...
        tg.send_text(42, "/start")
        reply = tg.wait_for(42, lambda m: "Welcome" in m.text)

The server runs in a thread of its own (`start`/`stop`, or `with`) or in the running asyncio loop
(`await start_async()`/`await stop_async()`, or `async with`). The web page's JSON API and the
page itself are served by the same server (see `playground.web`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web

from playground.botapi import BotApi, CallbackQuery, FloodLimits, new_file
from playground.records import ApiError, Chat, ChatMessage, StoredFile, bad_request
from playground.tghtml import auto_entities, parse_html, utf16_len

log = logging.getLogger(__name__)

# A token of the right shape; the emulator accepts only the one it was created with.
DEFAULT_TOKEN = "7000000001:AAplaygroundLOCALemulatorTOKENxxxxxx"  # noqa: S105 - fake
# getUpdates waits at most this long, whatever the bot asks: seconds (Telegram caps it at 50).
MAX_POLL_TIMEOUT_S = 50.0
# How long wait_for waits by default: seconds.
DEFAULT_WAIT_S = 10.0
# A webhook delivery that takes longer than this is abandoned and retried: seconds.
WEBHOOK_TIMEOUT_S = 10.0
WEBHOOK_RETRY_S = 1.0
# Channel ids look like -100xxxxxxxxxx.
_CHANNEL_ID_BASE = -1001000000000

Predicate = Callable[[ChatMessage], bool]


class Emulator:
    """The Bot API emulator: one bot, any number of chats, an HTTP server on 127.0.0.1."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        port: int = 0,
        flood_limits: FloodLimits | None = None,
        bot_username: str = "briefbot_playground_bot",
        bot_name: str = "Briefbot",
    ) -> None:
        self.api = BotApi(token, username=bot_username, first_name=bot_name,
                          flood_limits=flood_limits)
        self._requested_port = port
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: tornado.httpserver.HTTPServer | None = None
        self._wakeups: set[asyncio.Event] = set()
        self._async_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._poll_generation = 0
        self._closing = False
        self._webhook_task: asyncio.Task[None] | None = None
        self._query_ids = itertools.count(1)
        self._post_ids = itertools.count(100)
        self._album_ids = itertools.count(1)
        self.last_poll: float | None = None
        self.api.listeners.append(self._on_change)

    # --- addresses ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """For TELEGRAM_API_BASE_URL / ApplicationBuilder().base_url: the token is appended."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def token(self) -> str:
        return self.api.token

    # --- life cycle -----------------------------------------------------------------------

    def start(self) -> Emulator:
        """Serves from a thread of its own; returns once the port is bound."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start_async())
            except BaseException as exc:  # reported to the starting thread
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(target=run, name="bot-api-emulator", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = self._loop = None
            raise failure[0]
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self.stop_async(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        self._thread = None

    async def start_async(self) -> Emulator:
        """Serves from the running asyncio loop."""
        from playground.web import web_routes

        self._closing = False
        app = tornado.web.Application(
            [
                (r"/bot([^/]+)/([A-Za-z]+)/?", _ApiHandler, {"emulator": self}),
                (r"/file/bot([^/]+)/(.+)", _FileHandler, {"emulator": self}),
                *web_routes(self),
            ],
            log_function=_log_request,
        )
        sockets = tornado.netutil.bind_sockets(self._requested_port, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self._loop = asyncio.get_running_loop()
        # Large uploads (an /export of a big history) must fit: bytes.
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=64 * 1024 * 1024)
        self._server.add_sockets(sockets)
        log.info("Bot API emulator on %s", self.url)
        return self

    async def stop_async(self) -> None:
        self._closing = True
        self._wake_all()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
        if self._server is not None:
            self._server.stop()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.close_all_connections(), 5)
            self._server = None
        if self._thread is None:
            self._loop = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> Emulator:
        return await self.start_async()

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop_async()

    # --- waking long polls ----------------------------------------------------------------

    def _on_change(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            _call_in(loop, self._wake_all)
        # Coroutines in wait_for_async, whatever loop (or thread) they run in: one wake-up per
        # loop, however many coroutines wait there (each wake-up writes to the loop's pipe).
        by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Event]] = {}
        for waiter_loop, event in list(self._async_waiters):
            by_loop.setdefault(waiter_loop, []).append(event)
        for waiter_loop, events in by_loop.items():
            _call_in(waiter_loop, _set_all, events)

    def _wake_all(self) -> None:
        for event in list(self._wakeups):
            event.set()
        idle = self._webhook_task is None or self._webhook_task.done()
        if self.api.webhook.get("url") and self.api.has_updates() and idle:
            self._webhook_task = asyncio.ensure_future(self._deliver_webhook())

    async def wait_change(self, wait_s: float) -> None:
        """Returns after the next change of the state, or after `wait_s` seconds."""
        event = asyncio.Event()
        self._wakeups.add(event)
        try:
            await asyncio.wait_for(event.wait(), wait_s)
        except TimeoutError:
            pass
        finally:
            self._wakeups.discard(event)

    async def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.api.webhook.get("url"):
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                           "use deleteWebhook to delete the webhook first")
        offset = _opt_int(params.get("offset"))
        limit = min(max(_opt_int(params.get("limit")) or 100, 1), 100)
        timeout = min(max(float(_opt_int(params.get("timeout")) or 0), 0.0), MAX_POLL_TIMEOUT_S)
        allowed = _json(params.get("allowed_updates"))
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_all()  # an older poll still waiting is now in conflict with this one
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self.last_poll = time.monotonic()
            updates = self.api.pending_updates(
                offset, limit, allowed if isinstance(allowed, list) else None
            )
            if updates or self._closing or loop.time() >= deadline:
                return updates
            if generation != self._poll_generation:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; make sure "
                               "that only one bot instance is running")
            # Later offsets only confirm; the next poll starts where this one would have.
            offset = None if offset is None or offset < 0 else offset
            await self.wait_change(deadline - loop.time())

    async def _deliver_webhook(self) -> None:
        async with httpx.AsyncClient(timeout=WEBHOOK_TIMEOUT_S, trust_env=False) as client:
            while not self._closing and (url := self.api.webhook.get("url")):
                updates = self.api.pending_updates(None, 1, self.api.webhook.get(
                    "allowed_updates"))
                if not updates:
                    return
                update = updates[0]
                headers = {"Content-Type": "application/json"}
                if secret := self.api.webhook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = secret
                try:
                    response = await client.post(url, content=json.dumps(update),
                                                 headers=headers)
                    delivered = response.status_code < 300
                except httpx.HTTPError:
                    delivered = False
                if delivered:
                    self.api.pending_updates(update["update_id"] + 1, 0, None)
                else:
                    await asyncio.sleep(WEBHOOK_RETRY_S)

    # --- playing the user -----------------------------------------------------------------

    def add_user(
        self,
        chat_id: int,
        *,
        first_name: str = "Alex",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        user_id: int | None = None,
        chat_type: str = "private",
        title: str | None = None,
    ) -> Chat:
        """Registers a chat (private by default, the user's id = the chat id) and its user."""
        user: dict[str, Any] = {"id": user_id or abs(chat_id), "is_bot": False,
                                "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        with self.api.lock:
            chat = Chat(id=chat_id, type=chat_type, user=user, title=title)
            self.api.chats[chat_id] = chat
        return chat

    def _chat(self, chat_id: int) -> Chat:
        with self.api.lock:
            chat = self.api.chats.get(chat_id)
        return chat if chat is not None else self.add_user(chat_id)

    def _post(self, chat_id: int, **fields: Any) -> ChatMessage:
        """Records a user's message in the chat and queues its update."""
        self._chat(chat_id)
        with self.api.lock:
            message = ChatMessage(chat_id=chat_id,
                                  message_id=self.api.new_message_id(chat_id),
                                  from_bot=False, **fields)
            self.api.add_message(message)
            self.api.queue_update("message", self.api.message_json(message))
        self.api.touch()
        return message

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        entities: list[dict[str, Any]] | None = None,
        html: bool = False,
        reply_to: int | None = None,
    ) -> ChatMessage:
        """A message typed by the user; links and /commands get their entities as in a client.

        With `html=True` the text is written in Telegram's HTML (e.g. `<a href=...>` for a
        text_link entity) and converted to text + entities, as a client does with formatting.
        """
        text, entities = _compose(text, entities, html)
        return self._post(chat_id, text=text, entities=entities, reply_to_message_id=reply_to)

    send_command = send_text

    def forward_channel_post(
        self,
        chat_id: int,
        text: str,
        *,
        channel: str = "World Desk",
        username: str | None = "worlddesk",
        channel_id: int | None = None,
        post_id: int | None = None,
        photo: bool = False,
        hidden_link: str | None = None,
        author_signature: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        html: bool = False,
        media_group_id: str | None = None,
    ) -> ChatMessage:
        """A post forwarded from a channel (MessageOriginChannel; t.me/username/post_id).

        `photo=True` makes it a photo post (the text is its caption). `hidden_link` puts a
        text_link entity with that URL over the first line, as channels link their headlines.
        """
        text, entities = _compose(text, entities, html)
        if hidden_link:
            entities = [*entities, _first_line_link(text, hidden_link)]
        origin: dict[str, Any] = {
            "type": "channel",
            "date": int(time.time()) - 60,
            "chat": {
                "id": channel_id or _CHANNEL_ID_BASE - abs(hash(channel)) % 10**9,
                "type": "channel",
                "title": channel,
                **({"username": username} if username else {}),
            },
            "message_id": post_id or next(self._post_ids),
        }
        if author_signature:
            origin["author_signature"] = author_signature
        return self._post(chat_id, text=text, entities=entities, forward_origin=origin,
                          photo=_photo_sizes() if photo else None,
                          media_group_id=media_group_id)

    def forward_from_hidden_user(
        self, chat_id: int, text: str, *, sender_name: str = "Anonymous reader",
        entities: list[dict[str, Any]] | None = None, html: bool = False,
    ) -> ChatMessage:
        """A forward from a user who hides their account (MessageOriginHiddenUser)."""
        text, entities = _compose(text, entities, html)
        origin = {"type": "hidden_user", "date": int(time.time()) - 60,
                  "sender_user_name": sender_name}
        return self._post(chat_id, text=text, entities=entities, forward_origin=origin)

    def forward_from_user(
        self, chat_id: int, text: str, *, first_name: str = "Maria", user_id: int = 555_000_111,
    ) -> ChatMessage:
        """A forward from a user whose account is visible (MessageOriginUser)."""
        text, entities = _compose(text, None, False)
        origin = {"type": "user", "date": int(time.time()) - 60,
                  "sender_user": {"id": user_id, "is_bot": False, "first_name": first_name}}
        return self._post(chat_id, text=text, entities=entities, forward_origin=origin)

    def send_photo(
        self, chat_id: int, caption: str = "", *, html: bool = False,
        entities: list[dict[str, Any]] | None = None,
    ) -> ChatMessage:
        """A photo the user sends, with a caption (caption + caption_entities, no text)."""
        caption, entities = _compose(caption, entities, html) if caption else ("", [])
        return self._post(chat_id, text=caption, entities=entities, photo=_photo_sizes())

    def send_album(
        self,
        chat_id: int,
        captions: list[str],
        *,
        channel: str | None = None,
        username: str | None = None,
    ) -> list[ChatMessage]:
        """Several photo messages sharing one media_group_id (usually only the first has a
        caption: pass "" for the others); forwarded from `channel` when given."""
        group = f"1330{next(self._album_ids):010d}"
        post_id = next(self._post_ids)
        sent = []
        for index, caption in enumerate(captions):
            if channel:
                sent.append(self.forward_channel_post(
                    chat_id, caption, channel=channel, username=username, photo=True,
                    post_id=post_id + index, media_group_id=group))
            else:
                text, entities = _compose(caption, None, False) if caption else ("", [])
                sent.append(self._post(chat_id, text=text, entities=entities,
                                       photo=_photo_sizes(), media_group_id=group))
        return sent

    def send_document(
        self, chat_id: int, content: bytes, *, file_name: str = "article.pdf",
        mime_type: str = "application/pdf", caption: str = "",
    ) -> ChatMessage:
        """A file the user sends; the bot can getFile and download it from `base_file_url`."""
        stored = new_file(content, file_name, mime_type)
        with self.api.lock:
            self.api.files[stored.file_id] = stored
        text, entities = _compose(caption, None, False) if caption else ("", [])
        return self._post(chat_id, text=text, entities=entities, document=stored)

    def press(self, chat_id: int, message: int | ChatMessage, button: str) -> str:
        """Presses an inline button (by its text or callback_data) under a bot's message.

        Returns the callback query id; see `callback_answer`.
        """
        message_id = message if isinstance(message, int) else message.message_id
        chat = self._chat(chat_id)
        with self.api.lock:
            found = self.api.find_message(chat_id, message_id)
            if found is None or not found.from_bot:
                raise KeyError(f"no bot message {message_id} in chat {chat_id}")
            pressed = found.button(button)
            if "callback_data" not in pressed:
                raise ValueError(f"button {pressed.get('text')!r} is not a callback button")
            query_id = f"{next(self._query_ids)}{secrets.randbelow(10**9):09d}"
            self.api.callback_queries[query_id] = CallbackQuery(
                query_id, chat_id, message_id, str(pressed["callback_data"]))
            self.api.queue_update("callback_query", {
                "id": query_id,
                "from": chat.user,
                "message": self.api.message_json(found),
                "chat_instance": str(abs(chat_id) * 7919),
                "data": pressed["callback_data"],
            })
        self.api.touch()
        return query_id

    def block(self, chat_id: int, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot: sending to them fails with 403 Forbidden,
        and the bot gets a my_chat_member update ("kicked", or "member" again)."""
        chat = self._chat(chat_id)
        with self.api.lock:
            chat.blocked = blocked
            old, new = ("member", "kicked") if blocked else ("kicked", "member")
            bot_member = {k: self.api.user[k] for k in ("id", "is_bot", "first_name",
                                                        "username")}
            self.api.queue_update("my_chat_member", {
                "chat": chat.to_api(),
                "from": chat.user,
                "date": int(time.time()),
                "old_chat_member": {"status": old, "user": bot_member,
                                    **({"until_date": 0} if old == "kicked" else {})},
                "new_chat_member": {"status": new, "user": bot_member,
                                    **({"until_date": 0} if new == "kicked" else {})},
            })
        self.api.touch()

    def migrate_group(self, chat_id: int, new_chat_id: int) -> Chat:
        """A group becomes a supergroup: the bot sees migrate_to_chat_id / migrate_from_chat_id
        service messages, and sending to the old id fails with ChatMigrated."""
        old = self._chat(chat_id)
        new = self.add_user(new_chat_id, first_name=old.user["first_name"],
                            user_id=old.user["id"], chat_type="supergroup", title=old.title)
        with self.api.lock:
            old.migrated_to = new_chat_id
            for chat, field, value in ((old, "migrate_to_chat_id", new_chat_id),
                                       (new, "migrate_from_chat_id", chat_id)):
                self.api.queue_update("message", {
                    "message_id": self.api.new_message_id(chat.id),
                    "date": int(time.time()),
                    "chat": chat.to_api(),
                    "from": old.user,
                    field: value,
                })
        self.api.touch()
        return new

    # --- reading back ---------------------------------------------------------------------

    def transcript(self, chat_id: int) -> list[ChatMessage]:
        """Every message of the chat, the user's and the bot's, deleted ones excluded."""
        with self.api.lock:
            return [m for m in self.api.messages.get(chat_id, []) if not m.deleted]

    def bot_messages(self, chat_id: int) -> list[ChatMessage]:
        return [m for m in self.transcript(chat_id) if m.from_bot]

    def chat_actions(self, chat_id: int) -> list[str]:
        with self.api.lock:
            return [action for chat, action in self.api.chat_actions if chat == chat_id]

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """How the bot answered a button press (text, show_alert, url), None if not yet."""
        with self.api.lock:
            query = self.api.callback_queries.get(query_id)
            return dict(query.answer) if query is not None and query.answered else None

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """The parameters of every request the bot made (to one method, case-insensitive)."""
        with self.api.lock:
            return [c.params for c in self.api.calls
                    if method is None or c.method.lower() == method.lower()]

    def wait_for(
        self,
        chat_id: int,
        predicate: Predicate | None = None,
        timeout: float = DEFAULT_WAIT_S,
        *,
        after: int = 0,
    ) -> ChatMessage:
        """The first bot message in the chat (newer than message id `after`) for which
        `predicate` holds, waiting up to `timeout` seconds; edits count. TimeoutError otherwise.
        Blocking: call it from a thread that is not running the emulator's loop."""
        deadline = time.monotonic() + timeout
        with self.api.changed:
            while True:
                found = self._match(chat_id, predicate, after)
                if found is not None:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(self._timeout_message(chat_id, timeout))
                self.api.changed.wait(remaining)

    async def wait_for_async(
        self,
        chat_id: int,
        predicate: Predicate | None = None,
        timeout: float = DEFAULT_WAIT_S,  # noqa: ASYNC109 - the same signature as wait_for
        *,
        after: int = 0,
    ) -> ChatMessage:
        """`wait_for` for coroutines (whichever loop the emulator runs in)."""
        deadline = time.monotonic() + timeout
        waiter = (asyncio.get_running_loop(), asyncio.Event())
        self._async_waiters.add(waiter)
        try:
            while True:
                waiter[1].clear()
                found = self._match(chat_id, predicate, after)
                if found is not None:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(self._timeout_message(chat_id, timeout))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter[1].wait(), remaining)
        finally:
            self._async_waiters.discard(waiter)

    def _match(self, chat_id: int, predicate: Predicate | None, after: int) -> ChatMessage | None:
        for message in self.bot_messages(chat_id):
            if message.message_id > after and (predicate is None or predicate(message)):
                return message
        return None

    def _timeout_message(self, chat_id: int, timeout: float) -> str:
        seen = [m.text[:80] for m in self.bot_messages(chat_id)]
        return f"no matching bot message in chat {chat_id} after {timeout}s; bot sent: {seen}"


def _call_in(loop: asyncio.AbstractEventLoop, callback: Callable[..., None], *args: Any) -> None:
    """Schedules `callback` in `loop`: directly from its own thread, else through its pipe."""
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
        if running is loop:
            loop.call_soon(callback, *args)
        else:
            loop.call_soon_threadsafe(callback, *args)


def _set_all(events: list[asyncio.Event]) -> None:
    for event in events:
        event.set()


def _log_request(handler: tornado.web.RequestHandler) -> None:
    # Tornado's default access log prints the path, and the path holds the bot token.
    status = handler.get_status()
    method = handler.path_args[1] if len(handler.path_args) > 1 else handler.request.method
    log.debug("%s %s %.1f ms", status, method, 1000 * handler.request.request_time())


def _compose(
    text: str, entities: list[dict[str, Any]] | None, html: bool
) -> tuple[str, list[dict[str, Any]]]:
    if html:
        return parse_html(text)
    return text, list(entities) if entities is not None else auto_entities(text)


def _first_line_link(text: str, url: str) -> dict[str, Any]:
    line = text.split("\n", 1)[0].rstrip() or text
    return {"type": "text_link", "offset": 0, "length": utf16_len(line), "url": url}


def _photo_sizes() -> list[dict[str, Any]]:
    unique = secrets.token_urlsafe(8)
    return [
        {"file_id": f"AgAC{unique}{size}", "file_unique_id": f"AQAD{unique}{size}",
         "width": size, "height": size * 3 // 4, "file_size": size * 60}
        for size in (90, 320, 800)
    ]


def _opt_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(_json(value))
    except (TypeError, ValueError):
        raise bad_request("wrong parameter value") from None


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class _ApiHandler(tornado.web.RequestHandler):
    """/bot<token>/<method>: query string, form, multipart or JSON body, as Telegram accepts."""

    def initialize(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def check_xsrf_cookie(self) -> None:
        return None

    async def get(self, token: str, method: str) -> None:
        await self._answer(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._answer(token, method)

    async def _answer(self, token: str, method: str) -> None:
        self.set_header("Content-Type", "application/json")
        try:
            if token != self.emulator.api.token:
                raise ApiError(401, "Unauthorized")
            params, files = self._parameters()
            if method.lower() == "getupdates":
                result: Any = await self.emulator.get_updates(params)
            else:
                result = self.emulator.api.call(method, params, files)
            self.write(json.dumps({"ok": True, "result": result}))
        except ApiError as exc:
            self.set_status(exc.code)
            self.write(json.dumps(exc.to_json()))

    def _parameters(self) -> tuple[dict[str, Any], dict[str, StoredFile]]:
        params: dict[str, Any] = {
            name: values[-1].decode("utf-8", errors="replace")
            for name, values in self.request.arguments.items()
            if values
        }
        if self.request.headers.get("Content-Type", "").startswith("application/json"):
            try:
                body = json.loads(self.request.body or b"{}")
            except ValueError:
                raise bad_request("can't parse JSON body") from None
            if isinstance(body, dict):
                params.update(body)
        files = {
            name: new_file(parts[-1]["body"], parts[-1].get("filename") or None,
                           parts[-1].get("content_type") or None)
            for name, parts in self.request.files.items()
            if parts
        }
        return params, files


class _FileHandler(tornado.web.RequestHandler):
    """/file/bot<token>/<file_path>: downloads of files the user sent (getFile's file_path)."""

    def initialize(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def get(self, token: str, path: str) -> None:
        api = self.emulator.api
        stored = api.files.get(path.rsplit("/", 1)[-1]) if token == api.token else None
        if stored is None:
            self.set_status(404)
            self.write({"ok": False, "error_code": 404, "description": "Not Found"})
            return
        self.set_header("Content-Type", stored.mime_type or "application/octet-stream")
        self.write(stored.content)
