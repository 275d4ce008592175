"""The Bot API methods, over the emulator's in-memory state (no HTTP here).

`BotApi.call(method, params, files)` answers one Bot API request the way Telegram's server does:
the result object, or an `ApiError` with Telegram's code and description. Parameters arrive as the
HTTP layer decoded them: strings from a form (PTB JSON-encodes every non-string value), or typed
values from a JSON body. Every method is thread-safe: tests inject updates from their own thread
while the server answers the bot on its loop.
"""

from __future__ import annotations

import json
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playground.records import ApiError, Chat, ChatMessage, StoredFile, bad_request
from playground.tghtml import EntityParseError, parse_html, trim

# Telegram's limits, in characters after entity parsing.
MAX_TEXT_CHARS = 4096
MAX_CAPTION_CHARS = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_CHARS = 200
MAX_COMMANDS = 100
MAX_UPDATES_PER_CALL = 100
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note",
        "upload_video_note",
    }
)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Methods that count against the flood limits: the ones that post a message into a chat.
_THROTTLED = frozenset({"sendmessage", "senddocument", "sendphoto", "copymessage",
                        "forwardmessage"})


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


def _json_value(value: Any) -> Any:
    """A form field PTB JSON-encoded (numbers, booleans, objects); typed values pass through."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _opt_int(params: dict[str, Any], name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    try:
        return int(_json_value(value))
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified") from None


def _int_param(params: dict[str, Any], name: str) -> int:
    value = _opt_int(params, name)
    if value is None:
        raise bad_request(f"{name} is empty")
    return value


def _bool_param(params: dict[str, Any], name: str) -> bool:
    return bool(_json_value(params.get(name, False)))


def _str_param(params: dict[str, Any], name: str) -> str | None:
    value = params.get(name)
    return None if value is None else str(value)


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
        handler = _METHODS.get(name)
        with self.lock:
            self.calls.append(ApiCall(method, dict(params), self._clock()))
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        with self.lock:
            if name in _THROTTLED:
                self._throttle(params)
            result = handler(self, params, files or {})
        self.touch()
        return result

    def _throttle(self, params: dict[str, Any]) -> None:
        limits = self.flood_limits
        if limits is None:
            return
        chat_id = _int_param(params, "chat_id")
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
        chat_id = _int_param(params, "chat_id")
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
        parse_mode = _str_param(params, "parse_mode")
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
            entities = list(_json_value(params.get(key)) or [])
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
        markup = _json_value(params.get("reply_markup"))
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
        reply = _json_value(params.get("reply_parameters"))
        message_id = reply.get("message_id") if isinstance(reply, dict) else None
        if message_id is None:
            message_id = _opt_int(params, "reply_to_message_id")
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
        message_id = _int_param(params, "message_id")
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


# --- the methods ----------------------------------------------------------------------------

Handler = Callable[[BotApi, dict[str, Any], dict[str, StoredFile]], Any]


def _get_me(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    return dict(api.user)


def _get_webhook_info(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    return {
        "url": api.webhook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(api._updates),
        "max_connections": 40,
        **({"allowed_updates": api.webhook["allowed_updates"]}
           if api.webhook.get("allowed_updates") else {}),
    }


def _set_webhook(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    url = _str_param(params, "url") or ""
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if url and (urlsplit(url).hostname or "") not in LOOPBACK_HOSTS:
        # Tests and the playground never contact anything but this machine.
        raise bad_request("bad webhook: the emulator delivers only to 127.0.0.1 or localhost")
    allowed = _json_value(params.get("allowed_updates"))
    api.webhook = {"url": url, "secret_token": _str_param(params, "secret_token") or "",
                   "allowed_updates": allowed if isinstance(allowed, list) else None}
    if _bool_param(params, "drop_pending_updates"):
        api._updates.clear()
    return True


def _delete_webhook(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    api.webhook = {"url": ""}
    if _bool_param(params, "drop_pending_updates"):
        api._updates.clear()
    return True


def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = _json_value(params.get("scope")) or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope")
    key = scope["type"] + "".join(f":{scope[k]}" for k in ("chat_id", "user_id") if k in scope)
    return key, _str_param(params, "language_code") or ""


def _set_my_commands(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    commands = _json_value(params.get("commands"))
    if not isinstance(commands, list) or len(commands) > MAX_COMMANDS:
        raise bad_request("commands must be a list of at most 100 BotCommand")
    for command in commands:
        name = str(command.get("command", "")) if isinstance(command, dict) else ""
        description = str(command.get("description", "")) if isinstance(command, dict) else ""
        if not (1 <= len(name) <= 32) or not all(c.islower() or c.isdigit() or c == "_"
                                                for c in name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not (1 <= len(description) <= 256):
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    api.commands[_scope_key(params)] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


def _get_my_commands(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    return api.commands.get(_scope_key(params), [])


def _delete_my_commands(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    api.commands.pop(_scope_key(params), None)
    return True


def _description_setter(kind: str, limit: int) -> Handler:
    def setter(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
        text = _str_param(params, kind) or ""
        if len(text) > limit:
            raise bad_request(f"{kind.upper()}_INVALID")
        api.descriptions[(kind, _str_param(params, "language_code") or "")] = text
        return True

    return setter


def _description_getter(kind: str) -> Handler:
    def getter(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
        return {kind: api.descriptions.get((kind, _str_param(params, "language_code") or ""), "")}

    return getter


def _set_chat_menu_button(
    api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]
) -> Any:
    chat_id = _opt_int(params, "chat_id")
    button = _json_value(params.get("menu_button")) or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in ("default", "commands",
                                                                   "web_app"):
        raise bad_request("can't parse menu button")
    api.menu_buttons[chat_id] = button
    return True


def _get_chat_menu_button(
    api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]
) -> Any:
    chat_id = _opt_int(params, "chat_id")
    return api.menu_buttons.get(chat_id, api.menu_buttons.get(None, {"type": "default"}))


def _send_message(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    chat = api._writable_chat(params)
    text, entities, parse_mode = api._formatted(params, "text", MAX_TEXT_CHARS)
    preview = _json_value(params.get("link_preview_options"))
    message = ChatMessage(
        chat_id=chat.id,
        message_id=api.new_message_id(chat.id),
        from_bot=True,
        text=text,
        entities=entities,
        source=str(params.get("text", "")),
        parse_mode=parse_mode,
        reply_markup=api._reply_markup(params),
        reply_to_message_id=api._reply_to(params, chat),
        disable_notification=_bool_param(params, "disable_notification"),
        link_preview_options=preview if isinstance(preview, dict) else None,
    )
    api.add_message(message)
    api.last_action.pop(chat.id, None)  # a message ends the "typing…" status, as in Telegram
    return api.message_json(message)


def _send_document(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    chat = api._writable_chat(params)
    raw = params.get("document")
    upload: StoredFile | None
    if isinstance(raw, str) and raw.startswith("attach://"):
        upload = files.get(raw[len("attach://"):])
    elif isinstance(raw, str) and raw:
        upload = api.files.get(raw)
        if upload is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
    else:
        upload = files.get("document")
    if upload is None:
        raise bad_request("there is no document in the request")
    api.files[upload.file_id] = upload
    caption, entities, parse_mode = api._formatted(params, "caption", MAX_CAPTION_CHARS)
    message = ChatMessage(
        chat_id=chat.id,
        message_id=api.new_message_id(chat.id),
        from_bot=True,
        text=caption,
        entities=entities,
        source=str(params.get("caption", "")),
        parse_mode=parse_mode,
        document=upload,
        reply_markup=api._reply_markup(params),
        reply_to_message_id=api._reply_to(params, chat),
        disable_notification=_bool_param(params, "disable_notification"),
    )
    api.add_message(message)
    api.last_action.pop(chat.id, None)  # a message ends the "typing…" status, as in Telegram
    return api.message_json(message)


def _edit_message_text(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    message = api._editable(params)
    if message.is_caption:
        raise bad_request("there is no text in the message to edit")
    text, entities, parse_mode = api._formatted(params, "text", MAX_TEXT_CHARS)
    markup = api._reply_markup(params)
    if text == message.text and entities == message.entities and markup == message.reply_markup:
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    message.text, message.entities, message.parse_mode = text, entities, parse_mode
    message.source = str(params.get("text", ""))
    message.reply_markup = markup
    preview = _json_value(params.get("link_preview_options"))
    if isinstance(preview, dict):
        message.link_preview_options = preview
    message.edits += 1
    message.edit_date = int(time.time())
    return api.message_json(message)


def _edit_message_caption(
    api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]
) -> Any:
    message = api._editable(params)
    caption, entities, parse_mode = api._formatted(params, "caption", MAX_CAPTION_CHARS)
    message.text, message.entities, message.parse_mode = caption, entities, parse_mode
    message.reply_markup = api._reply_markup(params)
    message.edits += 1
    message.edit_date = int(time.time())
    return api.message_json(message)


def _edit_message_reply_markup(
    api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]
) -> Any:
    message = api._editable(params)
    markup = api._reply_markup(params)
    if markup == message.reply_markup:
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    message.reply_markup = markup
    message.edits += 1
    message.edit_date = int(time.time())
    return api.message_json(message)


def _delete_message(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    chat = api._writable_chat(params)
    message_id = _int_param(params, "message_id")
    message = api.find_message(chat.id, message_id)
    if message is None:
        raise bad_request("message to delete not found")
    message.deleted = True
    return True


def _send_chat_action(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    chat = api._writable_chat(params)
    action = _str_param(params, "action") or ""
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    api.chat_actions.append((chat.id, action))
    api.last_action[chat.id] = (action, time.monotonic())
    return True


def _answer_callback_query(
    api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]
) -> Any:
    query = api.callback_queries.get(_str_param(params, "callback_query_id") or "")
    if query is None or query.answered:
        raise bad_request(
            "query is too old and response timeout expired or query ID is invalid"
        )
    text = _str_param(params, "text") or ""
    if len(text) > MAX_CALLBACK_ANSWER_CHARS:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    query.answer = {"text": text, "show_alert": _bool_param(params, "show_alert"),
                    "url": _str_param(params, "url")}
    return True


def _get_file(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    stored = api.files.get(_str_param(params, "file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    return {**stored.to_api(), "file_path": f"documents/{stored.file_id}"}


def _get_chat(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    chat = api._writable_chat(params)
    return {**chat.to_api(), "accent_color_id": 0, "max_reaction_count": 11}


def _close(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    return True


_METHODS: dict[str, Handler] = {
    "getme": _get_me,
    "getwebhookinfo": _get_webhook_info,
    "setwebhook": _set_webhook,
    "deletewebhook": _delete_webhook,
    "setmycommands": _set_my_commands,
    "getmycommands": _get_my_commands,
    "deletemycommands": _delete_my_commands,
    "setmydescription": _description_setter("description", 512),
    "getmydescription": _description_getter("description"),
    "setmyshortdescription": _description_setter("short_description", 120),
    "getmyshortdescription": _description_getter("short_description"),
    "setchatmenubutton": _set_chat_menu_button,
    "getchatmenubutton": _get_chat_menu_button,
    "sendmessage": _send_message,
    "senddocument": _send_document,
    "editmessagetext": _edit_message_text,
    "editmessagecaption": _edit_message_caption,
    "editmessagereplymarkup": _edit_message_reply_markup,
    "deletemessage": _delete_message,
    "sendchataction": _send_chat_action,
    "answercallbackquery": _answer_callback_query,
    "getfile": _get_file,
    "getchat": _get_chat,
    "close": _close,
    "logout": _close,
}


def new_file(content: bytes, file_name: str | None, mime_type: str | None) -> StoredFile:
    return StoredFile(
        file_id="BQAC" + secrets.token_urlsafe(24),
        file_unique_id="AgAD" + secrets.token_urlsafe(8),
        content=content,
        file_name=file_name,
        mime_type=mime_type,
    )


__all__ = ["ApiCall", "BotApi", "CallbackQuery", "FloodLimits", "new_file"]
