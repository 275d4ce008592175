"""The commands: each parses its arguments, calls the store or the engine, renders the answer."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.ext import ContextTypes

from bot.commands import help_lines
from bot.i18n import LANGUAGES, catalogue, plain, tr
from briefing import Brief
from handlers.delivery import send_html
from handlers.intake import brief_post
from handlers.render import dispute_key, dispute_line, list_line
from handlers.services import Services, services
from handlers.users import change_user, ensure_user, language_of
from sources.model import Post
from storage.base import RetentionPolicy, Subscription, UserSettings

# /history: briefs on one page.
HISTORY_PAGE_SIZE: Final = 5
# /summary alone and the /digest now fallback: how far back: hours.
RECENT_HOURS: Final = 24
# A topic is a few words: characters.
MAX_TOPIC_CHARS: Final = 100
# Topics and feeds one user may follow.
MAX_SUBSCRIPTIONS: Final = 50
# A feed URL: characters.
MAX_FEED_URL_CHARS: Final = 2000

_TIME_RE: Final = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")


def _message(update: Update) -> Message:
    message = update.effective_message
    if message is None:
        raise ValueError("a command without a message")
    return message


async def _reply(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    chat = update.effective_chat
    if chat is not None:
        await send_html(context.bot, chat.id, text, reply_markup=markup)


def _argument_text(message: Message) -> str:
    """What follows the command (/summary@bot rest…), with the message's own line breaks."""
    text = message.text or ""
    match = re.match(r"^/\S+\s?", text)
    return text[match.end() :] if match else text


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: what the bot does, with an example."""
    svc = services(context)
    settings = await ensure_user(svc, update)
    await _reply(update, context, tr(settings.language, "start.text"))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: how to use the bot and every command."""
    lang = await language_of(services(context), update.effective_user)
    lines = [html.escape(line, quote=False) for line in help_lines(lang)]
    text = tr(lang, "help.intro") + "\n" + "\n".join(lines) + "\n" + tr(lang, "help.examples")
    await _reply(update, context, text)


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/privacy: what is stored and for how long."""
    lang = await language_of(services(context), update.effective_user)
    policy = RetentionPolicy()
    text = tr(lang, "privacy.text", max_items=policy.max_items, max_days=policy.max_age_days)
    await _reply(update, context, text)


async def private_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A personal command sent in a group: point to the private chat."""
    lang = await language_of(services(context), update.effective_user)
    await _reply(update, context, tr(lang, "private.only", bot=context.bot.username or "bot"))


# --- /summary ------------------------------------------------------------------------------


def recent_overview(lang: str, briefs: list[tuple[Any, Brief]], header: str) -> str:
    """Briefs grouped by dispute, newest group first, one line each."""
    groups: dict[str | None, list[Brief]] = {}
    for _, result in briefs:
        groups.setdefault(dispute_key(result), []).append(result)
    parts = [header]
    for key, members in groups.items():
        title = dispute_line(lang, members[0]) if key else tr(lang, "summary.other")
        lines = [f"<b>{title}</b>"] + [f"• {list_line(b, lang)}" for b in members]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


async def recent_briefs(svc: Services, user_id: int) -> list[tuple[Any, Brief]]:
    """The user's briefs of the last `RECENT_HOURS`, newest first."""
    since = svc.clock() - timedelta(hours=RECENT_HOURS)
    items = await svc.store.history_since(user_id, since)
    items.sort(key=lambda item: item.created_at, reverse=True)
    return [(item, Brief.from_json(item.brief)) for item in items]


async def summary(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/summary: brief the replied-to message, or the text or link given, or the last 24 h."""
    svc = services(context)
    message = _message(update)
    lang = await language_of(svc, update.effective_user)
    target = message.reply_to_message
    if target is not None:
        post = svc.parse_message(target)
        if not post.text.strip() and not post.links:
            await _reply(update, context, tr(lang, "summary.reply_empty"))
            return
        await brief_post(update, context, post)
        return
    rest = _argument_text(message)
    if rest.strip():
        links = tuple(
            entity.url if entity.type == MessageEntity.TEXT_LINK and entity.url else text
            for entity, text in message.parse_entities(
                [MessageEntity.URL, MessageEntity.TEXT_LINK]
            ).items()
        )
        await brief_post(update, context, Post(text=rest, links=links))
        return
    chat = update.effective_chat
    if chat is not None and chat.type != "private":
        await private_only(update, context)
        return
    user = update.effective_user
    briefs = await recent_briefs(svc, user.id) if user else []
    if not briefs:
        await _reply(update, context, tr(lang, "summary.none"))
        return
    await _reply(
        update,
        context,
        recent_overview(lang, briefs, tr(lang, "summary.header", count=len(briefs))),
    )


# --- /subscribe, /unsubscribe -----------------------------------------------------------------


def subscriptions_view(
    lang: str, subs: list[Subscription]
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The list of what the user follows, a remove button for each."""
    if not subs:
        return tr(lang, "subscribe.empty"), None
    lines = [tr(lang, "subscribe.header")]
    buttons = []
    for sub in subs:
        kind = tr(lang, f"subscribe.{sub.kind}")
        lines.append(f"• {kind}: {html.escape(sub.value, quote=False)}")
        label = sub.value if len(sub.value) <= 40 else sub.value[:39] + "…"
        buttons.append(
            [
                InlineKeyboardButton(
                    plain(lang, "btn.remove", name=label), callback_data=f"u:{sub.id}"
                )
            ]
        )
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


def _is_url(text: str) -> bool:
    return bool(re.match(r"^https?://[^\s/$.?#][^\s]*$", text, flags=re.IGNORECASE))


async def follow(svc: Services, settings: UserSettings, kind: str, value: str) -> str:
    """Add a subscription; the answer to show (in the user's language)."""
    lang = settings.language
    subs = await svc.store.list_subscriptions(settings.user_id)
    if len(subs) >= MAX_SUBSCRIPTIONS:
        return tr(lang, "subscribe.too_many", limit=MAX_SUBSCRIPTIONS)
    sub = Subscription(
        kind="feed" if kind == "feed" else "topic", value=value, created_at=svc.clock()
    )
    added = await svc.store.add_subscription(settings.user_id, sub)
    if added is None:
        return tr(lang, "subscribe.already", value=value)
    if kind == "feed":
        return tr(lang, "subscribe.feed_added", url=value)
    return tr(lang, "subscribe.topic_added", topic=value)


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/subscribe: alone, the list; with a URL, follow a feed; with words, follow a topic."""
    svc = services(context)
    settings = await ensure_user(svc, update)
    lang = settings.language
    value = " ".join(_argument_text(_message(update)).split())
    if not value:
        subs = await svc.store.list_subscriptions(settings.user_id)
        await _reply(update, context, *subscriptions_view(lang, subs))
        return
    if value.lower().startswith(("http://", "https://")):
        if not _is_url(value) or len(value) > MAX_FEED_URL_CHARS:
            await _reply(update, context, tr(lang, "subscribe.bad_url"))
            return
        await _reply(update, context, await follow(svc, settings, "feed", value))
        return
    if len(value) > MAX_TOPIC_CHARS:
        await _reply(update, context, tr(lang, "subscribe.too_long", limit=MAX_TOPIC_CHARS))
        return
    await _reply(update, context, await follow(svc, settings, "topic", value))


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unsubscribe: with a topic or a feed URL, stop following it; alone, the list."""
    svc = services(context)
    user = update.effective_user
    lang = await language_of(svc, user)
    value = " ".join(_argument_text(_message(update)).split())
    subs = await svc.store.list_subscriptions(user.id) if user else []
    if not value:
        if not subs:
            await _reply(update, context, tr(lang, "unsubscribe.usage"))
            return
        await _reply(update, context, *subscriptions_view(lang, subs))
        return
    match = next((s for s in subs if s.value.casefold() == value.casefold()), None)
    if match is None or user is None:
        await _reply(update, context, tr(lang, "unsubscribe.not_found", value=value))
        return
    await svc.store.remove_subscription(user.id, match.id)
    await _reply(update, context, tr(lang, "unsubscribe.done", value=match.value))


# --- /history ------------------------------------------------------------------------------


async def history_view(
    svc: Services, user_id: int, lang: str, offset: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the user's history, newest first, with open and paging buttons."""
    total = await svc.store.history_count(user_id)
    if total == 0:
        return tr(lang, "history.empty"), None
    offset = max(0, min(offset, (total - 1) // HISTORY_PAGE_SIZE * HISTORY_PAGE_SIZE))
    items = await svc.store.history_page(user_id, offset, HISTORY_PAGE_SIZE)
    lines = [tr(lang, "history.header", first=offset + 1, last=offset + len(items), total=total)]
    numbers = []
    for number, item in enumerate(items, start=offset + 1):
        lines.append(f"{number}. {list_line(Brief.from_json(item.brief), lang, item.created_at)}")
        numbers.append(InlineKeyboardButton(str(number), callback_data=f"o:{item.id}"))
    paging = []
    if offset > 0:
        paging.append(
            InlineKeyboardButton(
                plain(lang, "btn.prev"), callback_data=f"h:{max(0, offset - HISTORY_PAGE_SIZE)}"
            )
        )
    if offset + HISTORY_PAGE_SIZE < total:
        paging.append(
            InlineKeyboardButton(
                plain(lang, "btn.next"), callback_data=f"h:{offset + HISTORY_PAGE_SIZE}"
            )
        )
    rows = [numbers] + ([paging] if paging else [])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def history(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/history: your past briefs, a page at a time."""
    svc = services(context)
    user = update.effective_user
    lang = await language_of(svc, user)
    if user is None:
        return
    await _reply(update, context, *await history_view(svc, user.id, lang, 0))


# --- /digest -------------------------------------------------------------------------------


def digest_settings_text(settings: UserSettings) -> str:
    lang = settings.language
    return tr(
        lang,
        "digest.settings",
        state=plain(lang, "digest.state_on" if settings.digest_enabled else "digest.state_off"),
        time=settings.digest_time,
        timezone=settings.timezone,
        sound=plain(lang, "digest.sound_off" if settings.digest_silent else "digest.sound_on"),
    )


def parse_time(text: str) -> str | None:
    """`8:30`, `08:30`, `08.30`, `8h30` -> `08:30`; None when it is no time of day."""
    match = _TIME_RE.match(text.strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


def valid_timezone(name: str) -> bool:
    if "/" not in name and name.upper() != "UTC":
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


async def digest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/digest: show the settings; HH:MM [Area/City], on, off, silent, now change them."""
    svc = services(context)
    settings = await ensure_user(svc, update)
    lang = settings.language
    args = _argument_text(_message(update)).split()
    word = args[0].lower() if args else ""
    if not args:
        await _reply(update, context, digest_settings_text(settings))
        return
    if word == "now":
        await send_digest_now(update, context, settings)
        return
    change: Callable[[UserSettings], UserSettings]
    if word == "on":
        change = lambda s: dataclasses.replace(s, digest_enabled=True)  # noqa: E731
    elif word == "off":
        change = lambda s: dataclasses.replace(s, digest_enabled=False)  # noqa: E731
    elif word == "silent":
        change = lambda s: dataclasses.replace(s, digest_silent=not s.digest_silent)  # noqa: E731
    else:
        time = parse_time(args[0])
        if time is None or len(args) > 2:
            await _reply(update, context, tr(lang, "digest.bad_time"))
            return
        zone = args[1] if len(args) == 2 else settings.timezone
        if not valid_timezone(zone):
            await _reply(update, context, tr(lang, "digest.bad_timezone", timezone=zone))
            return
        change = lambda s: dataclasses.replace(  # noqa: E731
            s, digest_time=time, timezone=zone, digest_enabled=True
        )
    settings = await change_user(svc, update, change)
    if word == "on":
        answer = tr(lang, "digest.on", time=settings.digest_time, timezone=settings.timezone)
    elif word == "off":
        answer = tr(lang, "digest.off")
    elif word == "silent":
        answer = tr(lang, "digest.silent_on" if settings.digest_silent else "digest.silent_off")
    else:
        answer = tr(lang, "digest.time_set", time=settings.digest_time, timezone=settings.timezone)
    if svc.digest is not None:
        await svc.digest.schedule(context.application, settings)
    await _reply(update, context, answer)


async def send_digest_now(
    update: Update, context: ContextTypes.DEFAULT_TYPE, settings: UserSettings
) -> None:
    """/digest now: the digest at once (issue 7's composer when wired, else the last 24 h
    of the user's own briefs, grouped by dispute)."""
    svc = services(context)
    lang = settings.language
    if svc.digest is not None:
        if not await svc.digest.send_now(context.application, settings):
            await _reply(update, context, tr(lang, "digest.empty"))
        return
    briefs = await recent_briefs(svc, settings.user_id)
    if not briefs:
        await _reply(update, context, tr(lang, "digest.empty"))
        return
    local = svc.clock().astimezone(ZoneInfo(settings.timezone))
    header = tr(lang, "digest.header", date=f"{local:%Y-%m-%d}")
    await _reply(update, context, recent_overview(lang, briefs, header))


# --- /language, /export, /delete_my_data ----------------------------------------------------


def language_keyboard(current: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            ("• " if code == current else "") + catalogue(code)["language.name"],
            callback_data=f"l:{code}",
        )
        for code in LANGUAGES
    ]
    return InlineKeyboardMarkup([buttons[:3], buttons[3:]])


async def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/language: choose the interface language."""
    lang = await language_of(services(context), update.effective_user)
    await _reply(update, context, tr(lang, "language.choose"), language_keyboard(lang))


def export_json(data: Any) -> bytes:
    """The user's data as indented JSON (dates as ISO 8601)."""

    def default(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if isinstance(value, tuple | set | frozenset):
            return list(value)
        raise TypeError(f"cannot export {type(value).__name__}")

    return json.dumps(data, default=default, ensure_ascii=False, indent=2).encode("utf-8")


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export: everything stored about the user, as a JSON document."""
    svc = services(context)
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    lang = await language_of(svc, user)
    data = await svc.store.export_user(user.id)
    await context.bot.send_document(
        chat.id,
        document=export_json(data),
        filename=f"briefbot-{user.id}.json",
        caption=plain(lang, "export.caption"),
        parse_mode=None,
    )


async def delete_my_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/delete_my_data: asks to confirm with a button."""
    lang = await language_of(services(context), update.effective_user)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(plain(lang, "btn.delete_yes"), callback_data="d:yes"),
                InlineKeyboardButton(plain(lang, "btn.cancel"), callback_data="d:no"),
            ]
        ]
    )
    await _reply(update, context, tr(lang, "delete.confirm"), keyboard)
