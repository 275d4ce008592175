"""bot.request.AiohttpRequest: a real `telegram.Bot` over it, against the Bot API emulator and
small servers on 127.0.0.1 that fail the way networks do."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatAction, ParseMode
from telegram.error import NetworkError, TimedOut

from bot.request import AiohttpRequest
from playground.emulator import Emulator

CHAT = 4242


@pytest.fixture
def tg() -> Iterator[Emulator]:
    with Emulator() as emulator:
        emulator.send_text(CHAT, "hello")  # the chat exists: the user wrote first
        yield emulator


@pytest.fixture
async def bot(tg: Emulator) -> AsyncIterator[Bot]:
    async with Bot(
        tg.token,
        base_url=tg.base_url,
        base_file_url=tg.base_file_url,
        request=AiohttpRequest(4),
        get_updates_request=AiohttpRequest(1),
    ) as started:
        yield started


async def test_html_with_buttons_reaches_the_chat_as_sent(tg: Emulator, bot: Bot) -> None:
    text = "<b>Кремль</b> & “Borrell” — 🇪🇺 <i>a + b = c?</i> 100%"
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Follow", callback_data="f:1.1")]])
    await bot.send_chat_action(CHAT, ChatAction.TYPING)
    sent = await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML, reply_markup=markup)
    shown = tg.transcript(CHAT)[-1]
    assert shown.message_id == sent.message_id
    assert shown.text == "Кремль & “Borrell” — 🇪🇺 a + b = c? 100%"
    assert shown.button_texts == ["Follow"]
    assert sent.text == shown.text


async def test_a_file_is_uploaded_whole(tg: Emulator, bot: Bot) -> None:
    content = bytes(range(256)) * 40
    await bot.send_document(CHAT, content, filename="export.json", caption="your data")
    shown = tg.transcript(CHAT)[-1]
    assert shown.document is not None
    assert shown.document.content == content
    assert shown.document.file_name == "export.json"
    assert shown.text == "your data"


async def test_long_poll_returns_the_users_message(tg: Emulator, bot: Bot) -> None:
    updates = await bot.get_updates(timeout=5)
    assert [u.message.text for u in updates if u.message] == ["hello"]


async def test_bot_api_errors_are_telegram_errors(bot: Bot) -> None:
    with pytest.raises(NetworkError, match=r"(?i)chat not found"):
        await bot.send_message(999_999, "to nobody")


async def _silent_server() -> tuple[asyncio.Server, int]:
    """Accepts connections and never answers."""

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def test_a_server_that_never_answers_times_out() -> None:
    server, port = await _silent_server()
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"http://127.0.0.1:{port}/bot1:x/getMe")
    finally:
        await request.shutdown()
        server.close()
        await server.wait_closed()


async def test_a_refused_connection_is_a_network_error() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{port}/bot1:x/getMe")
        assert not isinstance(caught.value, TimedOut)
    finally:
        await request.shutdown()


async def test_not_initialized_or_shut_down_refuses() -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/x", "POST")
    await request.initialize()
    await request.shutdown()
    await request.shutdown()  # twice is harmless, as PTB may do
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/x", "POST")


def test_proxy_variables_are_honoured_like_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    request = AiohttpRequest()
    assert request._proxy("https://api.telegram.org/bot1:x/getMe") == "http://proxy.internal:3128"
    assert request._proxy("http://127.0.0.1:8081/bot1:x/getMe") is None
    assert request._proxy("http://example.org/bot1:x/getMe") is None  # no HTTP_PROXY set


def test_read_timeout_is_the_default_ptb_adds_the_long_poll_to() -> None:
    assert AiohttpRequest().read_timeout == 5.0
    assert AiohttpRequest(read_timeout=None).read_timeout is None
    with pytest.raises(ValueError, match="at least 1"):
        AiohttpRequest(0)


async def test_a_long_download_that_keeps_coming_is_not_cut() -> None:
    """The read timeout is between two reads (as httpx's): a file that takes longer than all
    the timeouts together still arrives whole, as a PDF a user sent must."""
    chunks = [b"%PDF-" + bytes([n]) * 1000 for n in range(8)]

    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        size = sum(len(c) for c in chunks)
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode())
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
            await asyncio.sleep(0.1)
        writer.close()

    server = await asyncio.start_server(slow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest(
        read_timeout=0.3, write_timeout=0.1, connect_timeout=0.1, pool_timeout=0.1
    )
    await request.initialize()
    try:
        body = await request.retrieve(f"http://127.0.0.1:{port}/file/bot1:x/doc.pdf")
    finally:
        await request.shutdown()
        server.close()
        await server.wait_closed()
    assert body == b"".join(chunks)  # 0.8 s, where the timeouts add up to 0.6 s


async def test_parameters_travel_as_a_form_as_with_ptbs_own_request_class() -> None:
    """Any Bot API server reads forms (PTB's default sends them); not every stand-in reads JSON."""
    seen: list[tuple[bytes, bytes]] = []  # (head, body) of each call

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            seen.append((head, await reader.readexactly(length)))
            me = b'{"id":1,"is_bot":true,"first_name":"Brief","username":"brief_bot"}'
            body = b'{"ok":true,"result":%s}' % (me if b"/getMe " in head else b"true")
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
            )
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with (
        server,
        Bot("1:x", base_url=f"http://127.0.0.1:{port}/bot", request=AiohttpRequest(1)) as bot,
    ):
        assert await bot.send_chat_action(CHAT, ChatAction.TYPING)
    head, body = seen[-1]
    assert b"/bot1:x/sendChatAction " in head
    assert b"content-type: application/x-www-form-urlencoded" in head.lower()
    assert sorted(body.split(b"&")) == [b"action=typing", b"chat_id=4242"]
