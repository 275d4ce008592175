"""Test helpers: a recording Bot API request object, real Update JSON builders, and a harness
running the real Application in-process (PTB's own testing approach, tests/auxil/)."""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.app import build_application
from bot.backends import FetchedLinks, link_to_fetch
from bot.config import Config
from briefing import Brief
from handlers.services import AnyApp, DigestPort, Services
from sources.fetch import SafeFetcher
from sources.telegram import merge_album, parse_message
from storage.base import Article, HistoryItem, Subscription, UserSettings
from storage.tinydb_store import TinyStore

TOKEN = "123456:TEST-token_for_tests"  # noqa: S105 (a fake)
BOT_ID = 123456
BOT_USERNAME = "briefbot_test_bot"

# Telegram's HTML: these tags, these named entities, everything else refused.
_ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "blockquote",
    "tg-emoji",
}
_TOKEN_RE = re.compile(r"<(/?)([a-zA-Z-]+)([^<>]*)>|&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);|[<>&]")


def telegram_html_error(text: str) -> str | None:
    """Why Telegram would refuse this HTML ("can't parse entities"), or None when it is valid."""
    stack: list[str] = []
    for match in _TOKEN_RE.finditer(text):
        piece = match.group(0)
        if piece in "<>&":
            return f"unexpected {piece!r} at {match.start()}"
        if match.group(4) is not None:
            continue
        closing, name = match.group(1), match.group(2).lower()
        if name not in _ALLOWED_TAGS:
            return f"unsupported start tag {name!r}"
        if closing:
            if not stack or stack[-1] != name:
                return f"unexpected end tag {name!r}"
            stack.pop()
        else:
            stack.append(name)
    return f"unclosed {stack[-1]!r}" if stack else None


def visible(text: str) -> str:
    """What the user reads of an HTML message."""
    return html.unescape(re.sub(r"<[^<>]*>", "", text))


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    # Uploaded files: part name -> (file name, content).
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


class RecordingRequest(BaseRequest):
    """Answers the Bot API like Telegram would, records every call, and fails on demand."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: dict[str, deque[dict[str, Any]]] = {}
        self._message_ids = itertools.count(1000)
        # Files users sent, by file_id: answered by getFile and downloaded like Telegram's.
        self.files: dict[str, bytes] = {}

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def fail_next(self, method: str, code: int, description: str, **parameters: Any) -> None:
        """The next call of `method` gets this error answer."""
        answer: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if parameters:
            answer["parameters"] = parameters
        self.failures.setdefault(method, deque()).append(answer)

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        """What the user sees, in order: sent messages and the final text of edits."""
        out: list[str] = []
        for call in self.calls:
            mine = chat_id is None or int(call.params.get("chat_id", 0)) == chat_id
            if call.method in ("sendMessage", "editMessageText") and mine:
                text = str(call.params["text"])
                out.append(visible(text) if call.params.get("parse_mode") == "HTML" else text)
        return out

    def last_markup(self) -> dict[str, Any] | None:
        for call in reversed(self.calls):
            if "reply_markup" in call.params:
                markup = call.params["reply_markup"]
                return markup if isinstance(markup, dict) else json.loads(markup)
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        if "/file/bot" in url:  # a download from base_file_url: file_path is documents/<id>
            self.calls.append(Call("download", {"file_id": name}))
            stored = self.files.get(name)
            return (200, stored) if stored is not None else (404, b"Not Found")
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, tuple[str, bytes]] = {}
        if request_data and request_data.contains_files:
            for part, value in request_data.multipart_data.items():
                content = value[1]
                files[part] = (str(value[0]), content if isinstance(content, bytes) else b"")
        self.calls.append(Call(name, params, files))
        queue = self.failures.get(name)
        if queue:
            answer = queue.popleft()
            return answer["error_code"], json.dumps(answer).encode()
        result = self._result(name, params)
        if isinstance(result, tuple):
            return result
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Briefbot",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if name in ("sendMessage", "editMessageText"):
            text = str(params.get("text", ""))
            if params.get("parse_mode") == "HTML":
                problem = telegram_html_error(text)
                if problem:
                    description = f"Bad Request: can't parse entities: {problem}"
                    return 400, json.dumps(
                        {"ok": False, "error_code": 400, "description": description}
                    ).encode()
            if len(visible(text) if params.get("parse_mode") == "HTML" else text) > 4096:
                too_long = "Bad Request: message is too long"
                return 400, json.dumps(
                    {"ok": False, "error_code": 400, "description": too_long}
                ).encode()
            message_id = (
                int(params["message_id"]) if name == "editMessageText" else next(self._message_ids)
            )
            return self._message(params, message_id, text=text)
        if name == "sendDocument":
            message = self._message(params, next(self._message_ids))
            message["document"] = {"file_id": "f1", "file_unique_id": "u1", "file_name": "x.json"}
            return message
        if name == "getFile":
            file_id = str(params.get("file_id", ""))
            if file_id not in self.files:
                return 400, json.dumps(
                    {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}
                ).encode()
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(self.files[file_id]),
                "file_path": f"documents/{file_id}",
            }
        if name == "getUpdates":
            return []
        return True

    def _message(self, params: dict[str, Any], message_id: int, **extra: Any) -> dict[str, Any]:
        chat_id = int(params.get("chat_id", 0))
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": 1_700_000_000,
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Briefbot"},
            **extra,
        }
        markup = params.get("reply_markup")
        if markup:
            message["reply_markup"] = markup if isinstance(markup, dict) else json.loads(markup)
        return message


# --- Update JSON -----------------------------------------------------------------------------

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def url_entities(text: str) -> list[dict[str, Any]]:
    """`url` entities for every http(s) link, with UTF-16 offsets as Telegram sends them."""
    return [
        {"type": "url", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group(0))}
        for m in re.finditer(r"https?://\S+", text)
    ]


def user(user_id: int = 42, lang: str = "en") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Ann", "language_code": lang}


def message(
    text: str | None = None,
    *,
    user_id: int = 42,
    lang: str = "en",
    chat: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A message update; commands and links get their entities, as Telegram sends them."""
    body: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": 1_700_000_000,
        "chat": chat or {"id": user_id, "type": "private", "first_name": "Ann"},
        "from": user(user_id, lang),
        **fields,
    }
    if text is not None:
        body["text"] = text
        found = list(entities or [])
        command = re.match(r"^/[A-Za-z_]+(@\w+)?", text)
        if command:
            found.insert(0, {"type": "bot_command", "offset": 0, "length": len(command.group(0))})
        if entities is None:
            found += url_entities(text)
        if found:
            body["entities"] = found
    return {"update_id": next(_update_ids), "message": body}


def channel_origin(
    title: str = "World Desk",
    username: str | None = "worlddesk",
    post_id: int = 77,
    chat_id: int = -1001234567890,
) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": chat_id, "type": "channel", "title": title}
    if username:
        chat["username"] = username
    return {"type": "channel", "date": 1_699_999_000, "chat": chat, "message_id": post_id}


def forward(text: str, origin: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return message(text, forward_origin=origin, **kw)


def photo_post(
    caption: str, origin: dict[str, Any] | None = None, media_group_id: str | None = None, **kw: Any
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "photo": [{"file_id": "p1", "file_unique_id": "pu1", "width": 90, "height": 90}],
    }
    if caption:
        fields["caption"] = caption
        entities = url_entities(caption)
        if entities:
            fields["caption_entities"] = entities
    if origin:
        fields["forward_origin"] = origin
    if media_group_id:
        fields["media_group_id"] = media_group_id
    return message(None, **fields, **kw)


def callback(
    data: str, *, user_id: int = 42, message_id: int = 1000, lang: str = "en"
) -> dict[str, Any]:
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"q{next(_update_ids)}",
            "from": user(user_id, lang),
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": 1_700_000_000,
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Briefbot"},
                "text": "…",
            },
        },
    }


# --- the harness -----------------------------------------------------------------------------


class RecordingLinks:
    """The production link briefer (the safe fetcher, 127.0.0.1 allowed), noting each URL."""

    def __init__(self, fetcher: SafeFetcher) -> None:
        self.fetcher = fetcher
        self.real = FetchedLinks(fetcher)
        self.asked: list[str] = []

    async def __call__(self, url: str, *, fallback_text: str | None = None) -> Brief:
        self.asked.append(url)
        return await self.real(url, fallback_text=fallback_text)


@dataclass
class FakeBackends:
    services: Services
    closed: bool = False

    async def open(self, app: AnyApp) -> Services:
        await self.services.store.open()
        return self.services

    async def close(self) -> None:
        await self.services.store.close()
        links = self.services.link_briefer
        if isinstance(links, RecordingLinks):
            await links.fetcher.aclose()
        self.closed = True


@dataclass
class Harness:
    app: AnyApp
    request: RecordingRequest
    store: TinyStore
    services: Services
    links: RecordingLinks
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The application's own long-lived tasks (update fetcher, job queue) are not "work".
        self.baseline = set(asyncio.all_tasks())

    async def send(self, update: dict[str, Any]) -> None:
        """Feed one update and wait for everything it started (albums, background tasks)."""
        await self.app.process_update(Update.de_json(update, self.app.bot))
        await self.settle()

    async def settle(self, wait_s: float = 5.0) -> None:
        current = asyncio.current_task()
        for _ in range(100):
            pending = [
                t
                for t in asyncio.all_tasks()
                if t is not current and not t.done() and t not in self.baseline
            ]
            if not pending and not self.services.albums:
                return
            await asyncio.wait(
                pending or [asyncio.ensure_future(asyncio.sleep(0.01))], timeout=wait_s
            )
        raise AssertionError("background work did not settle")

    async def user(self, user_id: int) -> UserSettings:
        settings = await self.store.get_user(user_id)
        assert settings is not None, f"no settings for user {user_id}"
        return settings

    async def subs(self, user_id: int) -> list[Subscription]:
        return await self.store.list_subscriptions(user_id)

    async def history(self, user_id: int) -> list[HistoryItem]:
        """Newest first."""
        return await self.store.history_page(user_id, 0, 10_000)

    async def articles(self) -> list[Article]:
        return list(await self.store.articles_since(datetime(2000, 1, 1, tzinfo=UTC)))

    def texts(self, chat_id: int | None = None) -> list[str]:
        return self.request.sent_texts(chat_id)

    def last_text(self) -> str:
        return self.texts()[-1]

    def buttons(self) -> list[dict[str, Any]]:
        markup = self.request.last_markup() or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]


def config(**overrides: Any) -> Config:
    values: dict[str, Any] = {"token": TOKEN, "api_base_url": "http://127.0.0.1:9/bot"}
    values.update(overrides)
    return Config(**values)


async def start_harness(
    data_dir: Path,
    *,
    digest: DigestPort | None = None,
    make_digest: Callable[[TinyStore], DigestPort] | None = None,
    default_tz: str = "UTC",
    clock: Callable[[], datetime] | None = None,
) -> Harness:
    """The real application on a recording request; `make_digest` builds a digest service
    around the harness's own store (for tests with the real DigestService)."""
    store = TinyStore(data_dir)
    if make_digest is not None:
        digest = make_digest(store)
    links = RecordingLinks(SafeFetcher(allow_private=("127.0.0.1",)))
    svc = Services(
        store=store,
        link_briefer=links,
        parse_message=parse_message,
        merge_album=merge_album,
        choose_target=link_to_fetch,
        placeholder_delay_s=5.0,
        album_wait_s=0.05,
        digest=digest,
        default_tz=default_tz,
    )
    if clock is not None:
        svc.clock = clock
    request = RecordingRequest()
    app = build_application(
        config(), FakeBackends(svc), request=request, get_updates_request=RecordingRequest()
    )
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    return Harness(app, request, store, svc, links)
