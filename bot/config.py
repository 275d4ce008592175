"""The bot's configuration: read once from the environment into a frozen, checked object.

Every problem is reported at start with the variable's name and what to do, never later as a
traceback in the middle of a conversation. The token is never part of any message or repr.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATA_DIR = "./data"
DEFAULT_TZ = "UTC"
DEFAULT_LOG_LEVEL = "INFO"

# The variables, in the order .env.example and the README document them.
ENV_TOKEN = "TELEGRAM_BOT_TOKEN"  # noqa: S105 (the variable's name, not a secret)
ENV_BASE_URL = "TELEGRAM_API_BASE_URL"
ENV_DATA_DIR = "BRIEFBOT_DATA_DIR"
ENV_ALLOW_PRIVATE = "BRIEFBOT_ALLOW_PRIVATE_HOSTS"
ENV_DEFAULT_TZ = "BRIEFBOT_DEFAULT_TZ"
ENV_LOG_LEVEL = "BRIEFBOT_LOG_LEVEL"
# Not for users: the playground sets it to the read end of a pipe whose write end only it holds.
# When that pipe reaches its end, whatever way the playground ended (even SIGKILL), the bot stops.
ENV_STOP_WITH_FD = "BRIEFBOT_STOP_WITH_FD"

# A bot token as BotFather issues it: the bot's numeric id, a colon, a secret.
_TOKEN_RE = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{1,100}$")
_HOST_RE = re.compile(r"^[A-Za-z0-9.:\[\]_-]+(/[0-9]{1,3})?$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(ValueError):
    """The environment does not describe a bot we can start; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything the bot reads from the environment, checked."""

    token: str = field(repr=False)
    api_base_url: str = TELEGRAM_API_BASE_URL
    data_dir: Path = Path(DEFAULT_DATA_DIR)
    # Hosts and networks the link fetcher may reach although they are private (tests, local use).
    allow_private_hosts: tuple[str, ...] = ()
    default_tz: str = DEFAULT_TZ
    log_level: str = DEFAULT_LOG_LEVEL
    # A file descriptor whose end of file stops the bot (set by the playground, its parent).
    stop_with_fd: int | None = None

    @property
    def bot_id(self) -> str:
        """The public part of the token, safe to log."""
        return self.token.split(":", 1)[0]

    @property
    def api_base_file_url(self) -> str:
        """Files are served next to the API: `.../bot` becomes `.../file/bot`."""
        head, _, tail = self.api_base_url.rpartition("/")
        return f"{head}/file/{tail}"

    @property
    def log_level_number(self) -> int:
        return int(logging.getLevelName(self.log_level))


def _base_url(raw: str) -> str:
    url = raw.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{ENV_BASE_URL} must be an http(s) URL such as {TELEGRAM_API_BASE_URL} "
            f"or http://127.0.0.1:8081/bot, not {raw!r}."
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"{ENV_BASE_URL} must not carry a query or a fragment.")
    # A bare server address means the standard layout of a Bot API server: `/bot<token>/method`.
    if parts.path in ("", "/"):
        url += "/bot"
    return url


def _host_list(raw: str) -> tuple[str, ...]:
    entries = tuple(part.strip() for part in raw.split(",") if part.strip())
    for entry in entries:
        if not _HOST_RE.match(entry):
            raise ConfigError(
                f"{ENV_ALLOW_PRIVATE} is a comma-separated list of host names, addresses or "
                f"networks (127.0.0.1, 10.0.0.0/8, intranet.local), not {entry!r}."
            )
    return entries


def _timezone(raw: str) -> str:
    name = raw.strip() or DEFAULT_TZ
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"{ENV_DEFAULT_TZ} must be an IANA time zone such as Europe/Berlin, not {raw!r}."
        ) from exc
    return name


def _log_level(raw: str) -> str:
    level = raw.strip().upper() or DEFAULT_LOG_LEVEL
    if level not in LOG_LEVELS:
        raise ConfigError(f"{ENV_LOG_LEVEL} must be one of {', '.join(LOG_LEVELS)}, not {raw!r}.")
    return level


def _fd(raw: str) -> int | None:
    if not raw.strip():
        return None
    if not raw.strip().isdigit():
        raise ConfigError(f"{ENV_STOP_WITH_FD} is a file descriptor number, not {raw!r}.")
    return int(raw)


def load_config(env: Mapping[str, str] | None = None) -> Config:
    """Read and check the configuration; raise ConfigError naming the first bad variable."""
    env = os.environ if env is None else env
    token = env.get(ENV_TOKEN, "").strip()
    if not token:
        raise ConfigError(
            f"{ENV_TOKEN} is not set. Ask @BotFather for a token and put it in the environment "
            "(see .env.example)."
        )
    if not _TOKEN_RE.match(token):
        # The value itself is a secret (perhaps mistyped): never echo it.
        raise ConfigError(
            f"{ENV_TOKEN} does not look like a bot token (digits, a colon, a secret)."
        )
    data_dir = Path(env.get(ENV_DATA_DIR, "").strip() or DEFAULT_DATA_DIR)
    if data_dir.exists() and not data_dir.is_dir():
        raise ConfigError(f"{ENV_DATA_DIR} ({data_dir}) exists and is not a directory.")
    return Config(
        token=token,
        api_base_url=_base_url(env.get(ENV_BASE_URL, "") or TELEGRAM_API_BASE_URL),
        data_dir=data_dir,
        allow_private_hosts=_host_list(env.get(ENV_ALLOW_PRIVATE, "")),
        default_tz=_timezone(env.get(ENV_DEFAULT_TZ, "")),
        log_level=_log_level(env.get(ENV_LOG_LEVEL, "")),
        stop_with_fd=_fd(env.get(ENV_STOP_WITH_FD, "")),
    )
