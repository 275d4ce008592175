"""Bot API request parameters and Telegram's limits.

Parameters arrive as the HTTP layer decoded them: strings from a form (python-telegram-bot
JSON-encodes every non-string value since v20), or typed values from a JSON body.
"""

from __future__ import annotations

import json
from typing import Any

from playground.records import bad_request

# Telegram's limits: texts and captions in characters after entity parsing.
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
THROTTLED_METHODS = frozenset(
    {"sendmessage", "senddocument", "sendphoto", "copymessage", "forwardmessage"}
)


def json_value(value: Any) -> Any:
    """A form field PTB JSON-encoded (numbers, booleans, objects); typed values pass through."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def opt_int(params: dict[str, Any], name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    try:
        return int(json_value(value))
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified") from None


def int_param(params: dict[str, Any], name: str) -> int:
    value = opt_int(params, name)
    if value is None:
        raise bad_request(f"{name} is empty")
    return value


def bool_param(params: dict[str, Any], name: str) -> bool:
    return bool(json_value(params.get(name, False)))


def str_param(params: dict[str, Any], name: str) -> str | None:
    value = params.get(name)
    return None if value is None else str(value)
