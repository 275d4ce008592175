"""What the emulator keeps: chats, the messages in them (the user's and the bot's), uploads.

These are plain records: the Bot API JSON a bot receives is built from them by `to_api`, and tests
read them back through the emulator's Python API.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from playground.tghtml import Node, entities_to_tree


class ApiError(Exception):
    """A Bot API error answer: {"ok": false, "error_code": code, "description": ...}."""

    def __init__(
        self,
        code: int,
        description: str,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        parameters = {
            key: value
            for key, value in (("retry_after", self.retry_after),
                               ("migrate_to_chat_id", self.migrate_to_chat_id))
            if value is not None
        }
        if parameters:
            body["parameters"] = parameters
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(slots=True)
class Chat:
    """A chat and, for a private chat, the user in it (`user` is who sends in any chat)."""

    id: int
    type: str
    user: dict[str, Any]
    title: str | None = None
    blocked: bool = False
    # Set when a group became a supergroup: sending here then fails with its new id.
    migrated_to: int | None = None

    def to_api(self) -> dict[str, Any]:
        if self.type == "private":
            chat = {"id": self.id, "type": "private", "first_name": self.user["first_name"]}
            for key in ("last_name", "username"):
                if self.user.get(key):
                    chat[key] = self.user[key]
            return chat
        return {"id": self.id, "type": self.type, "title": self.title or "Group"}


@dataclass(slots=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str | None
    mime_type: str | None

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }
        if self.file_name:
            data["file_name"] = self.file_name
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data


@dataclass(slots=True)
class ChatMessage:
    """One message of a chat transcript, sent by the user or by the bot.

    `text` is the text or the caption (after HTML parsing for the bot's messages) and
    `entities` its entities; `source` is what the bot sent before parsing (its HTML).
    """

    chat_id: int
    message_id: int
    from_bot: bool
    text: str = ""
    entities: list[dict[str, Any]] = field(default_factory=list)
    source: str = ""
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    document: StoredFile | None = None
    photo: list[dict[str, Any]] | None = None
    forward_origin: dict[str, Any] | None = None
    media_group_id: str | None = None
    reply_to_message_id: int | None = None
    disable_notification: bool = False
    link_preview_options: dict[str, Any] | None = None
    date: int = field(default_factory=lambda: int(time.time()))
    edit_date: int | None = None
    edits: int = 0
    deleted: bool = False

    @property
    def is_caption(self) -> bool:
        return self.document is not None or self.photo is not None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard's buttons, row after row."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard", [])
        return [button for row in rows for button in row]

    @property
    def button_texts(self) -> list[str]:
        return [str(button.get("text", "")) for button in self.buttons]

    def button(self, label: str) -> dict[str, Any]:
        """The button whose text or callback_data is `label` (exact, then case-insensitive)."""
        for button in self.buttons:
            if label in (button.get("text"), button.get("callback_data")):
                return button
        for button in self.buttons:
            if label.casefold() in str(button.get("text", "")).casefold():
                return button
        raise KeyError(f"no button {label!r} under message {self.message_id}: {self.button_texts}")

    def tree(self) -> list[Node]:
        return entities_to_tree(self.text, self.entities)

    def to_api(self, chat: Chat, bot_user: dict[str, Any]) -> dict[str, Any]:
        """The Message object as the Bot API shows it."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": chat.to_api(),
            "from": _sender(bot_user) if self.from_bot else chat.user,
        }
        key_text, key_entities = ("caption", "caption_entities") if self.is_caption else (
            "text",
            "entities",
        )
        if self.text:
            message[key_text] = self.text
        if self.entities:
            message[key_entities] = self.entities
        if self.document is not None:
            message["document"] = self.document.to_api()
        if self.photo is not None:
            message["photo"] = self.photo
        if self.forward_origin is not None:
            message["forward_origin"] = self.forward_origin
        if self.media_group_id is not None:
            message["media_group_id"] = self.media_group_id
        if self.reply_markup is not None:
            message["reply_markup"] = self.reply_markup
        if self.link_preview_options is not None and not self.is_caption:
            message["link_preview_options"] = self.link_preview_options
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        return message

    def to_view(self) -> dict[str, Any]:
        """What the web page needs to draw this message as Telegram would."""
        view: dict[str, Any] = {
            "id": self.message_id,
            "from_bot": self.from_bot,
            "date": self.date,
            "tree": self.tree(),
            "edited": self.edits > 0,
            "silent": self.disable_notification,
            "buttons": (self.reply_markup or {}).get("inline_keyboard", []),
        }
        if self.forward_origin is not None:
            view["forwarded_from"] = _origin_name(self.forward_origin)
        if self.photo is not None:
            view["photo"] = True
        if self.media_group_id is not None:
            view["album"] = self.media_group_id
        if self.document is not None:
            view["document"] = {
                "file_id": self.document.file_id,
                "name": self.document.file_name or "file",
                "size": len(self.document.content),
            }
        if self.reply_to_message_id is not None:
            view["reply_to"] = self.reply_to_message_id
        return view


def _sender(bot_user: dict[str, Any]) -> dict[str, Any]:
    # A message's "from" carries the bot's identity only, not getMe's capability flags.
    return {key: bot_user[key] for key in ("id", "is_bot", "first_name", "username")}


def _origin_name(origin: dict[str, Any]) -> str:
    kind = origin.get("type")
    if kind in ("channel", "chat"):
        chat = origin.get("chat") or origin.get("sender_chat") or {}
        return str(chat.get("title", "a channel"))
    if kind == "hidden_user":
        return str(origin.get("sender_user_name", "a hidden user"))
    user = origin.get("sender_user") or {}
    return " ".join(filter(None, [user.get("first_name"), user.get("last_name")])) or "a user"


def new_file(content: bytes, file_name: str | None, mime_type: str | None) -> StoredFile:
    return StoredFile(
        file_id="BQAC" + secrets.token_urlsafe(24),
        file_unique_id="AgAD" + secrets.token_urlsafe(8),
        content=content,
        file_name=file_name,
        mime_type=mime_type,
    )
