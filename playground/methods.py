"""The Bot API methods the emulator answers, one function each, over `BotApi`'s state.

Each takes the state, the request's parameters and its uploaded files, and returns the result
object or raises `ApiError` as Telegram would. `METHODS` maps lower-case method names to them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from playground.params import (
    CHAT_ACTIONS,
    LOOPBACK_HOSTS,
    MAX_CALLBACK_ANSWER_CHARS,
    MAX_CAPTION_CHARS,
    MAX_COMMANDS,
    MAX_TEXT_CHARS,
    bool_param,
    int_param,
    json_value,
    opt_int,
    str_param,
)
from playground.records import ChatMessage, StoredFile, bad_request

if TYPE_CHECKING:
    from playground.botapi import BotApi

Handler = Callable[["BotApi", dict[str, Any], dict[str, StoredFile]], Any]


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
    url = str_param(params, "url") or ""
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if url and (urlsplit(url).hostname or "") not in LOOPBACK_HOSTS:
        # Tests and the playground never contact anything but this machine.
        raise bad_request("bad webhook: the emulator delivers only to 127.0.0.1 or localhost")
    allowed = json_value(params.get("allowed_updates"))
    api.webhook = {"url": url, "secret_token": str_param(params, "secret_token") or "",
                   "allowed_updates": allowed if isinstance(allowed, list) else None}
    if bool_param(params, "drop_pending_updates"):
        api._updates.clear()
    return True


def _delete_webhook(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    api.webhook = {"url": ""}
    if bool_param(params, "drop_pending_updates"):
        api._updates.clear()
    return True


def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = json_value(params.get("scope")) or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope")
    key = scope["type"] + "".join(f":{scope[k]}" for k in ("chat_id", "user_id") if k in scope)
    return key, str_param(params, "language_code") or ""


def _set_my_commands(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    commands = json_value(params.get("commands"))
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
        text = str_param(params, kind) or ""
        if len(text) > limit:
            raise bad_request(f"{kind.upper()}_INVALID")
        api.descriptions[(kind, str_param(params, "language_code") or "")] = text
        return True

    return setter


def _description_getter(kind: str) -> Handler:
    def getter(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
        return {kind: api.descriptions.get((kind, str_param(params, "language_code") or ""), "")}

    return getter


def _set_chat_menu_button(
    api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]
) -> Any:
    chat_id = opt_int(params, "chat_id")
    button = json_value(params.get("menu_button")) or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in ("default", "commands",
                                                                   "web_app"):
        raise bad_request("can't parse menu button")
    api.menu_buttons[chat_id] = button
    return True


def _get_chat_menu_button(
    api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]
) -> Any:
    chat_id = opt_int(params, "chat_id")
    return api.menu_buttons.get(chat_id, api.menu_buttons.get(None, {"type": "default"}))


def _send_message(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    chat = api._writable_chat(params)
    text, entities, parse_mode = api._formatted(params, "text", MAX_TEXT_CHARS)
    preview = json_value(params.get("link_preview_options"))
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
        disable_notification=bool_param(params, "disable_notification"),
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
        disable_notification=bool_param(params, "disable_notification"),
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
    preview = json_value(params.get("link_preview_options"))
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
    message_id = int_param(params, "message_id")
    message = api.find_message(chat.id, message_id)
    if message is None:
        raise bad_request("message to delete not found")
    message.deleted = True
    return True


def _send_chat_action(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    chat = api._writable_chat(params)
    action = str_param(params, "action") or ""
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    api.chat_actions.append((chat.id, action))
    api.last_action[chat.id] = (action, time.monotonic())
    return True


def _answer_callback_query(
    api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]
) -> Any:
    query = api.callback_queries.get(str_param(params, "callback_query_id") or "")
    if query is None or query.answered:
        raise bad_request(
            "query is too old and response timeout expired or query ID is invalid"
        )
    text = str_param(params, "text") or ""
    if len(text) > MAX_CALLBACK_ANSWER_CHARS:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    query.answer = {"text": text, "show_alert": bool_param(params, "show_alert"),
                    "url": str_param(params, "url")}
    return True


def _get_file(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    stored = api.files.get(str_param(params, "file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    return {**stored.to_api(), "file_path": f"documents/{stored.file_id}"}


def _get_chat(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    chat = api._writable_chat(params)
    return {**chat.to_api(), "accent_color_id": 0, "max_reaction_count": 11}


def _close(api: BotApi, params: dict[str, Any], files: dict[str, StoredFile]) -> Any:
    return True


METHODS: dict[str, Handler] = {
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
