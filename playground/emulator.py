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
import json
import logging
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web

from playground.actions import DEFAULT_WAIT_S, Predicate, UserActions
from playground.botapi import BotApi, FloodLimits
from playground.params import MAX_UPDATES_PER_CALL, json_value, opt_int
from playground.records import ApiError
from playground.server import ApiHandler, FileHandler, log_request

log = logging.getLogger(__name__)

# A token of the right shape; the emulator accepts only the one it was created with.
DEFAULT_TOKEN = "7000000001:AAplaygroundLOCALemulatorTOKENxxxxxx"  # noqa: S105 - fake
# getUpdates waits at most this long, whatever the bot asks: seconds (Telegram caps it at 50).
MAX_POLL_TIMEOUT_S = 50.0
# A webhook delivery that takes longer than this is abandoned and retried: seconds.
WEBHOOK_TIMEOUT_S = 10.0
WEBHOOK_RETRY_S = 1.0
__all__ = ["DEFAULT_TOKEN", "DEFAULT_WAIT_S", "Emulator", "FloodLimits", "Predicate"]


class Emulator(UserActions):
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
        super().__init__()
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
                (r"/bot([^/]+)/([A-Za-z]+)/?", ApiHandler, {"emulator": self}),
                (r"/file/bot([^/]+)/(.+)", FileHandler, {"emulator": self}),
                *web_routes(self),
            ],
            log_function=log_request,
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
        offset = opt_int(params, "offset")
        limit = min(max(opt_int(params, "limit") or MAX_UPDATES_PER_CALL, 1), MAX_UPDATES_PER_CALL)
        timeout = min(max(float(opt_int(params, "timeout") or 0), 0.0), MAX_POLL_TIMEOUT_S)
        allowed = json_value(params.get("allowed_updates"))
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
