"""The emulator's in-memory state of one bot's Bot API server (no HTTP here).

`BotApi.call(method, params, files)` answers one Bot API request the way Telegram's server does
(the methods themselves are in `playground.methods`): the result object, or an `ApiError` with
Telegram's code and description. Every method is thread-safe: tests inject updates from their
own thread while the server answers the bot on its loop.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playground.methods import METHODS
from playground.params import (
    MAX_CALLBACK_DATA_BYTES,
    THROTTLED_METHODS,
    int_param,
    json_value,
    opt_int,
    str_param,
)
from playground.records import ApiError, Chat, ChatMessage, StoredFile, bad_request
from playground.tghtml import EntityParseError, parse_html, trim


@dataclass(frozen=True, slots=True)
class FloodLimits:
    """Token buckets like Telegram's flood control: per chat and for the whole bot."""

    per_chat_per_second: float = 1.0
    per_chat_burst: int = 3
    per_second: float = 30.0
    burst: int = 30
    # Groups (negative chat ids) also get at most this many messages a minute.
    per_group_per_minute: int = 20


@dataclass(slots=True)
class _Bucket:
    rate: float
    capacity: int
    tokens: float
    stamp: float

    def wait(self, now: float) -> float:
        """Seconds until a token is available (0: now); refills, takes nothing."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass(slots=True)
class CallbackQuery:
    id: str
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    answer: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ApiCall:
    method: str
    params: dict[str, Any]
    at: float


class BotApi:
    """The state of one bot's Bot API server: chats, messages, updates, files, settings."""

    def __init__(
        self,
        token: str,
        *,
        username: str = "briefbot_playground_bot",
        first_name: str = "Briefbot",
        flood_limits: FloodLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("a bot token looks like '123456:secret'")
        self.token = token
        self.user: dict[str, Any] = {
            "id": int(bot_id),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.flood_limits = flood_limits
        self._clock = clock
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.version = 0
        self.chats: dict[int, Chat] = {}
        self.messages: dict[int, list[ChatMessage]] = {}
        self._next_message_id: dict[int, int] = {}
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1
        self.callback_queries: dict[str, CallbackQuery] = {}
        self.files: dict[str, StoredFile] = {}
        self.calls: list[ApiCall] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.last_action: dict[int, tuple[str, float]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.webhook: dict[str, Any] = {"url": ""}
        self._chat_buckets: dict[int, _Bucket] = {}
        self._group_buckets: dict[int, _Bucket] = {}
        self._global_bucket: _Bucket | None = None
        # Called (outside the lock) after every change: the server wakes its long polls with it.
        self.listeners: list[Callable[[], None]] = []

    # --- bookkeeping ------------------------------------------------------------------------

    def touch(self) -> None:
        """Marks a change: bumps the version, wakes waiting threads and the listeners."""
        with self.lock:
            self.version += 1
            self.changed.notify_all()
        for listener in list(self.listeners):
            listener()

    def chat(self, chat_id: int) -> Chat:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def new_message_id(self, chat_id: int) -> int:
        number = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = number + 1
        return number

    def add_message(self, message: ChatMessage) -> None:
        self.messages.setdefault(message.chat_id, []).append(message)

    def find_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        for message in self.messages.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def message_json(self, message: ChatMessage) -> dict[str, Any]:
        """The Message object, with the message it replies to (one level, as Telegram does)."""
        chat = self.chat(message.chat_id)
        data = message.to_api(chat, self.user)
        if message.reply_to_message_id is not None:
            replied = self.find_message(message.chat_id, message.reply_to_message_id)
            if replied is not None:
                data["reply_to_message"] = replied.to_api(chat, self.user)
        return data

    def queue_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            update = {"update_id": self._next_update_id, kind: payload}
            self._next_update_id += 1
            self._updates.append(update)
        return update

    def pending_updates(
        self, offset: int | None, limit: int, allowed: list[str] | None
    ) -> list[dict[str, Any]]:
        """getUpdates without the wait: confirms updates below `offset`, returns the next ones."""
        with self.lock:
            if offset is not None and offset < 0:
                self._updates = self._updates[offset:]
            elif offset is not None:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            updates = self._updates
            if allowed:
                updates = [u for u in updates if any(kind in u for kind in allowed)]
            return [dict(u) for u in updates[:limit]]

    def has_updates(self) -> bool:
        with self.lock:
            return bool(self._updates)

    # --- dispatch ---------------------------------------------------------------------------

    def call(
        self, method: str, params: dict[str, Any], files: dict[str, StoredFile] | None = None
    ) -> Any:
        name = method.lower()
        handler = METHODS.get(name)
        with self.lock:
            self.calls.append(ApiCall(method, dict(params), self._clock()))
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        with self.lock:
            if name in THROTTLED_METHODS:
                self._throttle(params)
            result = handler(self, params, files or {})
        self.touch()
        return result

    def _throttle(self, params: dict[str, Any]) -> None:
        limits = self.flood_limits
        if limits is None:
            return
        chat_id = int_param(params, "chat_id")
        now = self._clock()
        if self._global_bucket is None:
            self._global_bucket = _Bucket(limits.per_second, limits.burst, limits.burst, now)
        bucket = self._chat_buckets.setdefault(
            chat_id,
            _Bucket(limits.per_chat_per_second, limits.per_chat_burst, limits.per_chat_burst, now),
        )
        buckets = [self._global_bucket, bucket]
        if chat_id < 0:
            buckets.append(self._group_buckets.setdefault(chat_id, _Bucket(
                limits.per_group_per_minute / 60, limits.per_group_per_minute,
                limits.per_group_per_minute, now)))
        wait = max(b.wait(now) for b in buckets)
        if wait == 0:
            # A refused request costs nothing, as with Telegram.
            for b in buckets:
                b.tokens -= 1
        else:
            retry_after = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}",
                           retry_after=retry_after)

    # --- message helpers --------------------------------------------------------------------

    def _writable_chat(self, params: dict[str, Any]) -> Chat:
        raw = params.get("chat_id")
        if isinstance(raw, str) and raw.startswith("@"):
            raise bad_request("chat not found")
        chat_id = int_param(params, "chat_id")
        chat = self.chat(chat_id)
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.migrated_to is not None:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           migrate_to_chat_id=chat.migrated_to)
        return chat

    def _formatted(
        self, params: dict[str, Any], text_key: str, limit: int
    ) -> tuple[str, list[dict[str, Any]], str | None]:
        raw = params.get(text_key)
        source = "" if raw is None else str(raw)
        parse_mode = str_param(params, "parse_mode")
        if parse_mode and parse_mode.lower() == "html":
            try:
                text, entities = parse_html(source)
            except EntityParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        elif parse_mode and parse_mode.lower() not in ("markdown", "markdownv2"):
            raise bad_request(f"unsupported parse_mode {parse_mode!r}")
        else:
            # Markdown is not emulated: the text is kept as sent (this bot speaks HTML).
            text = source
            key = "entities" if text_key == "text" else "caption_entities"
            entities = list(json_value(params.get(key)) or [])
        # Telegram drops leading and trailing whitespace (an edit to "Brief\n" from "Brief" is
        # "not modified").
        text, entities = trim(text, entities)
        if text_key == "text" and not text:
            raise bad_request("message text is empty")
        if len(text) > limit:
            raise bad_request("message is too long" if text_key == "text"
                              else "message caption is too long")
        return text, entities, parse_mode

    def _reply_markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
        markup = json_value(params.get("reply_markup"))
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        keyboard = markup.get("inline_keyboard")
        if keyboard is None:
            return markup  # reply keyboards and ForceReply are kept as they are
        if not isinstance(keyboard, list) or not all(isinstance(r, list) for r in keyboard):
            raise bad_request("can't parse inline keyboard button: InlineKeyboardButton must be "
                              "an Object")
        for row in keyboard:
            for button in row:
                _check_button(button)
        return markup

    def _reply_to(self, params: dict[str, Any], chat: Chat) -> int | None:
        reply = json_value(params.get("reply_parameters"))
        message_id = reply.get("message_id") if isinstance(reply, dict) else None
        if message_id is None:
            message_id = opt_int(params, "reply_to_message_id")
        if message_id is None:
            return None
        allow = isinstance(reply, dict) and reply.get("allow_sending_without_reply")
        if self.find_message(chat.id, int(message_id)) is None and not allow:
            raise bad_request("message to be replied not found")
        return int(message_id)

    def _editable(self, params: dict[str, Any]) -> ChatMessage:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not emulated")
        chat = self._writable_chat(params)
        message_id = int_param(params, "message_id")
        message = self.find_message(chat.id, message_id)
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not str(button.get("text", "")).strip():
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the "
                          "inline keyboard")
    kinds = [k for k in ("url", "callback_data", "switch_inline_query", "web_app", "login_url",
                         "switch_inline_query_current_chat", "copy_text", "pay") if k in button]
    if len(kinds) != 1:
        raise bad_request("can't parse inline keyboard button: exactly one of the optional "
                          "fields must be used")
    if "callback_data" in button:
        data = str(button["callback_data"])
        if not data or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = str(button["url"])
        if not url.startswith(("http://", "https://", "tg://")) or " " in url:
            raise bad_request("inline keyboard button URL '" + url + "' is invalid: "
                              "Wrong HTTP URL")


__all__ = ["ApiCall", "BotApi", "CallbackQuery", "FloodLimits"]
