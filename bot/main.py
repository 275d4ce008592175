"""`briefbot run`: configure logging, build the application, poll or serve a webhook.

Stopping: SIGINT and SIGTERM start PTB's clean stop (pending updates finished, post_shutdown
closes the store and the fetcher) once; a second signal while stopping is only logged. PTB's own
handlers raise SystemExit at every signal, and a second one (Ctrl+C in a terminal reaches the
playground and the bot, and the playground then sends SIGTERM) broke off the stop halfway, with
tracebacks and pending tasks.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import signal
from typing import Final
from urllib.parse import urlsplit

from telegram import Update

from bot.app import Backends, build_application
from bot.config import Config
from handlers.services import AnyApp

log = logging.getLogger(__name__)

# Long polling: how long one getUpdates waits on the server: seconds.
POLL_TIMEOUT_S: Final = 30
# Where the webhook server listens unless told otherwise.
WEBHOOK_LISTEN: Final = "0.0.0.0"  # noqa: S104 (a webhook must be reachable from Telegram)
# The signals that stop the bot (SIGABRT too, as PTB's defaults).
STOP_SIGNALS: Final = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)
# A stop signal during start-up is carried out once the bot runs; checked this often: seconds.
STOP_RETRY_S: Final = 0.05
# What one read of the stop pipe takes (nothing is ever written to it): bytes.
PIPE_READ_BYTES: Final = 64


def configure_logging(config: Config) -> None:
    """Our logs at the configured level; httpx only from WARNING: its INFO lines carry the
    request URL, which contains the token."""
    logging.basicConfig(
        level=config.log_level_number,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # APScheduler logs every job run at INFO: noise, not news.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def webhook_secret(config: Config) -> str:
    """The secret Telegram sends back with every webhook call: stable across restarts,
    derived from the token, never the token itself."""
    return hashlib.sha256(b"briefbot-webhook:" + config.token.encode()).hexdigest()[:48]


def run(
    config: Config,
    backends: Backends,
    *,
    webhook_url: str | None = None,
    port: int | None = None,
    listen: str = WEBHOOK_LISTEN,
) -> None:
    """Run until SIGINT or SIGTERM."""
    app = build_application(config, backends)
    stop_once_on_signals(app, stop_with_fd=config.stop_with_fd)
    if webhook_url is None:
        app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=POLL_TIMEOUT_S, stop_signals=None)
        return
    app.run_webhook(
        stop_signals=None,
        listen=listen,
        port=port or 8443,
        url_path=urlsplit(webhook_url).path.lstrip("/"),
        webhook_url=webhook_url,
        secret_token=webhook_secret(config),
        allowed_updates=Update.ALL_TYPES,
    )


def stop_once_on_signals(app: AnyApp, *, stop_with_fd: int | None = None) -> None:
    """Make the first stop signal stop `app` cleanly and later ones wait for that stop.
    The handlers are installed in the running loop, first thing in `post_init` (before that,
    Python's KeyboardInterrupt stops it, which PTB handles).

    `stop_with_fd`: the read end of a pipe held open by the process that started the bot (the
    playground). Its end of file is a stop too: the kernel closes the other end however that
    process ends, SIGKILL included, so the bot never polls on for a parent that is gone."""
    then = app.post_init
    stopping = False

    def stop(why: str) -> None:
        nonlocal stopping
        if stopping:
            log.info("%s: already stopping", why)
            return
        stopping = True
        log.info("%s: stopping", why)
        stop_when_running()

    def on_signal(signum: int) -> None:
        stop(signal.Signals(signum).name)

    def on_pipe(fd: int) -> None:
        try:
            data = os.read(fd, PIPE_READ_BYTES)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if data:
            return  # nobody writes into it; anything read is not an end
        asyncio.get_running_loop().remove_reader(fd)
        os.close(fd)
        stop("the process that started the bot has ended")

    def stop_when_running() -> None:
        # `stop_running` stops the loop PTB runs the bot in, and PTB then stops it cleanly. A
        # signal during start-up waits until the bot runs: stopping the loop (or raising, as
        # PTB's own handler does) while PTB starts the updater leaves a broken task behind.
        if app.running:
            app.stop_running()
        else:
            asyncio.get_running_loop().call_later(STOP_RETRY_S, stop_when_running)

    async def post_init(application: AnyApp) -> None:
        loop = asyncio.get_running_loop()
        try:
            for signum in STOP_SIGNALS:
                loop.add_signal_handler(signum, on_signal, signum)
        except NotImplementedError:  # an event loop without signal handlers: Ctrl+C still stops
            log.info("stop signals: the event loop cannot handle them")
        if stop_with_fd is not None:
            try:
                os.set_blocking(stop_with_fd, False)
                loop.add_reader(stop_with_fd, on_pipe, stop_with_fd)
            except (OSError, ValueError):
                log.warning("the stop pipe (file descriptor %d) is not open: ignored", stop_with_fd)
        if then is not None:
            await then(application)

    app.post_init = post_init
