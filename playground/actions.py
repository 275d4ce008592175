"""Playing the user against the bot, and reading back what the bot did (the Emulator's half
that tests call): messages with the entities a Telegram client attaches, channel forwards,
albums, documents, button presses, blocking; transcripts, chat actions and `wait_for`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import secrets
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from playground.botapi import BotApi, CallbackQuery
from playground.records import Chat, ChatMessage, new_file
from playground.tghtml import auto_entities, parse_html, utf16_len

# How long wait_for waits by default: seconds.
DEFAULT_WAIT_S = 10.0
# Channel ids look like -100xxxxxxxxxx.
_CHANNEL_ID_BASE = -1001000000000

Predicate = Callable[[ChatMessage], bool]


class UserActions:
    """What a user can do in a chat with the bot, and what a test reads back."""

    api: BotApi
    _async_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]

    def __init__(self) -> None:
        self._query_ids: Iterator[int] = itertools.count(1)
        self._post_ids: Iterator[int] = itertools.count(100)
        self._album_ids: Iterator[int] = itertools.count(1)

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
                "id": channel_id or _CHANNEL_ID_BASE - zlib.crc32(channel.encode()) % 10**9,
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
