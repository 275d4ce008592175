"""The one place that wires the application: builder, handlers, start-up and shut-down.

Order matters and is kept here, commented:
1. the builder: token, Bot API address (any server: Telegram's, a local one, the emulator),
   HTML by default, no link previews, concurrent updates (one slow link must not hold up others);
2. handlers: drop duplicate updates first, then commands, buttons, messages; one error handler;
3. post_init: open the shared clients (store, fetcher), publish the command menu and the
   description in every interface language, rebuild the jobs from the store;
4. post_shutdown: close the shared clients.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import time
from typing import Any, Final, Protocol

from telegram import LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.commands import COMMANDS, PRIVATE_ONLY, bot_commands
from bot.config import Config
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, plain
from bot.request import AiohttpRequest
from handlers import buttons, commands, digest_settings, errors, following, history, intake
from handlers.documents import on_document
from handlers.services import SERVICES_KEY, AnyApp, Services

log = logging.getLogger(__name__)

# Updates handled at the same time (each waits mostly on the engine or a fetch).
CONCURRENT_UPDATES: Final = 64
# Connections to the Bot API (bot.request: aiohttp). PTB's default (256) made httpcore scan
# hundreds of idle connections on every request under load; requests beyond this wait for a
# free connection up to POOL_TIMEOUT_S.
CONNECTION_POOL_SIZE: Final = 16
POOL_TIMEOUT_S: Final = 30.0
# Update ids remembered to drop a webhook's duplicate deliveries.
SEEN_UPDATES: Final = 2048
# The retention job (history and article pool pruned) runs daily at this UTC time.
RETENTION_TIME: Final = time(3, 17)
# How often the digest service sends what is due: seconds (a digest is at most this late).
DIGEST_TICK_S: Final = 30
# How often the feed poller looks for feeds due (it polls each at most every 15 min): seconds.
FEEDS_POLL_S: Final = 60

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]

# Every command of bot.commands.COMMANDS, with its handler.
COMMAND_HANDLERS: Final[dict[str, Handler]] = {
    "start": commands.start,
    "help": commands.help_command,
    "summary": commands.summary,
    "subscribe": following.subscribe,
    "unsubscribe": following.unsubscribe,
    "history": history.history,
    "digest": digest_settings.digest,
    "language": commands.language,
    "export": commands.export,
    "delete_my_data": commands.delete_my_data,
    "privacy": commands.privacy,
}


class Backends(Protocol):
    """The shared clients: opened once the bot is initialised, closed when it stops."""

    async def open(self, app: AnyApp) -> Services: ...
    async def close(self) -> None: ...


class _AddressedToBot(filters.MessageFilter):
    """In a group: a reply to one of the bot's messages, or a message naming @the_bot."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
            return True
        mention = f"@{bot.username}".lower() if bot.username else None
        text = (message.text or message.caption or "").lower()
        return bool(mention and mention in text)


def _drop_duplicates() -> Handler:
    seen: deque[int] = deque(maxlen=SEEN_UPDATES)
    members: set[int] = set()

    async def drop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A webhook may deliver an update twice: handle it once."""
        if update.update_id in members:
            log.info("duplicate update %s dropped", update.update_id)
            raise ApplicationHandlerStop
        if len(seen) == seen.maxlen:
            members.discard(seen[0])
        seen.append(update.update_id)
        members.add(update.update_id)

    return drop


async def publish_profile(app: AnyApp) -> None:
    """The command menu and the description, in every interface language (the default menu,
    for clients in other languages, is English)."""
    bot = app.bot
    try:
        await bot.set_my_commands(bot_commands(DEFAULT_LANGUAGE))
        for lang in LANGUAGES:
            await bot.set_my_commands(bot_commands(lang), language_code=lang)
            await bot.set_my_description(plain(lang, "bot.description"), language_code=lang)
            await bot.set_my_short_description(
                plain(lang, "bot.short_description"), language_code=lang
            )
    except TelegramError as exc:
        # The bot still works without its menu; it is published again at the next start.
        log.warning("could not publish the command menu: %s", type(exc).__name__)


async def _purge(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Daily: apply the retention policy promised by /privacy."""
    svc = context.application.bot_data[SERVICES_KEY]
    removed = await svc.store.purge_expired()
    log.info("retention: %d briefs and articles removed", removed)


async def rebuild_jobs(app: AnyApp, svc: Services) -> None:
    """Jobs live in memory only: rebuilt from the store at every start, named so a job is
    never doubled."""
    queue = app.job_queue
    if queue is None:
        return
    for job in queue.get_jobs_by_name("retention"):
        job.schedule_removal()
    queue.run_daily(_purge, RETENTION_TIME, name="retention")
    # The daily digests are issue 7's: its service rebuilds the schedule from the store (and
    # catches up a digest missed while we were down), then a repeating job sends what is due.
    if svc.digest is not None:
        digest = svc.digest
        due = await digest.start()
        log.info("digest: %d due at start", due)

        async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
            """Send the digests that are due."""
            await digest.tick()

        for job in queue.get_jobs_by_name("digest"):
            job.schedule_removal()
        queue.run_repeating(tick, interval=DIGEST_TICK_S, first=1, name="digest")
    if svc.feeds is not None:
        feeds = svc.feeds

        async def poll(context: ContextTypes.DEFAULT_TYPE) -> None:
            """Poll the followed feeds that are due (each at most every 15 minutes)."""
            await feeds.poll_due()

        for job in queue.get_jobs_by_name("feeds"):
            job.schedule_removal()
        queue.run_repeating(poll, interval=FEEDS_POLL_S, first=5, name="feeds")


def build_application(
    config: Config,
    backends: Backends,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> AnyApp:
    """The application, wired; `request` replaces the HTTP client (tests record calls)."""

    async def post_init(app: AnyApp) -> None:
        svc = await backends.open(app)
        app.bot_data[SERVICES_KEY] = svc
        await publish_profile(app)
        await rebuild_jobs(app, svc)
        log.info("bot %s ready", config.bot_id)

    async def post_shutdown(app: AnyApp) -> None:
        app.bot_data.pop(SERVICES_KEY, None)
        await backends.close()

    builder = (
        ApplicationBuilder()
        .token(config.token)
        .base_url(config.api_base_url)
        .base_file_url(config.api_base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    # The Bot API client: aiohttp unless a test records the calls (bot.request says why).
    if request is None:
        request = AiohttpRequest(CONNECTION_POOL_SIZE, pool_timeout=POOL_TIMEOUT_S)
    # getUpdates has its own connection, as in PTB's default.
    if get_updates_request is None:
        get_updates_request = AiohttpRequest(1)
    builder = builder.request(request).get_updates_request(get_updates_request)
    app: AnyApp = builder.build()
    register_handlers(app)
    return app


def register_handlers(app: AnyApp) -> None:
    """Every handler, in the order updates meet them."""
    if set(COMMAND_HANDLERS) != set(COMMANDS):
        raise RuntimeError("bot.commands.COMMANDS and the command handlers disagree")
    app.add_handler(TypeHandler(Update, _drop_duplicates()), group=-1)
    private = filters.ChatType.PRIVATE
    for name in COMMANDS:
        if name in PRIVATE_ONLY:
            app.add_handler(CommandHandler(name, COMMAND_HANDLERS[name], filters=private))
            app.add_handler(CommandHandler(name, commands.private_only, filters=~private))
        else:
            app.add_handler(CommandHandler(name, COMMAND_HANDLERS[name]))
    app.add_handler(CallbackQueryHandler(buttons.on_button))
    incoming = filters.UpdateType.MESSAGE & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    addressed = filters.ChatType.PRIVATE | (filters.ChatType.GROUPS & _AddressedToBot())
    # Files first (a PDF's caption is not the article), then everything else one sends.
    app.add_handler(MessageHandler(incoming & addressed & filters.Document.ALL, on_document))
    app.add_handler(MessageHandler(incoming & addressed, intake.on_message))
    app.add_error_handler(errors.on_error)
