"""`briefbot run`: configure logging, build the application, poll or serve a webhook.

Stopping: PTB's run_polling/run_webhook turn SIGINT and SIGTERM into a clean stop (pending
updates finished, post_shutdown closes the store and the fetcher).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Final
from urllib.parse import urlsplit

from telegram import Update

from bot.app import Backends, build_application
from bot.config import Config

# Long polling: how long one getUpdates waits on the server: seconds.
POLL_TIMEOUT_S: Final = 30
# Where the webhook server listens unless told otherwise.
WEBHOOK_LISTEN: Final = "0.0.0.0"  # noqa: S104 (a webhook must be reachable from Telegram)


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
    if webhook_url is None:
        app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=POLL_TIMEOUT_S)
        return
    app.run_webhook(
        listen=listen,
        port=port or 8443,
        url_path=urlsplit(webhook_url).path.lstrip("/"),
        webhook_url=webhook_url,
        secret_token=webhook_secret(config),
        allowed_updates=Update.ALL_TYPES,
    )
