"""/subscribe and /unsubscribe: topics and feeds a user follows (the feeds are polled and the
topics matched by the digest)."""

from __future__ import annotations

import html
import re
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.i18n import plain, tr, why
from digest import parse_topic
from handlers.replies import argument_text, message_of, reply
from handlers.services import FeedRefused, Services, services
from handlers.users import ensure_user, language_of
from storage.base import Subscription, UserSettings

# A topic is a few words: characters.
MAX_TOPIC_CHARS: Final = 100
# Topics and feeds one user may follow.
MAX_SUBSCRIPTIONS: Final = 50
# A feed URL: characters.
MAX_FEED_URL_CHARS: Final = 2000


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
    value = " ".join(argument_text(message_of(update)).split())
    if not value:
        subs = await svc.store.list_subscriptions(settings.user_id)
        await reply(update, context, *subscriptions_view(lang, subs))
        return
    if value.lower().startswith(("http://", "https://")):
        if not _is_url(value) or len(value) > MAX_FEED_URL_CHARS:
            await reply(update, context, tr(lang, "subscribe.bad_url"))
            return
        if svc.feeds is not None:
            # The feed poller finds the feed a page names, and refuses what is no feed.
            try:
                value = await svc.feeds.follow(value)
            except FeedRefused as exc:
                await reply(
                    update,
                    context,
                    tr(
                        lang,
                        "subscribe.feed_refused",
                        reason=why(lang, str(exc), exc.reason, exc.params),
                    ),
                )
                return
        await reply(update, context, await follow(svc, settings, "feed", value))
        return
    if len(value) > MAX_TOPIC_CHARS:
        await reply(update, context, tr(lang, "subscribe.too_long", limit=MAX_TOPIC_CHARS))
        return
    if not parse_topic(value).terms:
        # Only stop words ("the of and"): it would match nothing, ever.
        await reply(update, context, tr(lang, "subscribe.no_terms", topic=value))
        return
    await reply(update, context, await follow(svc, settings, "topic", value))


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unsubscribe: with a topic or a feed URL, stop following it; alone, the list."""
    svc = services(context)
    user = update.effective_user
    lang = await language_of(svc, user)
    value = " ".join(argument_text(message_of(update)).split())
    subs = await svc.store.list_subscriptions(user.id) if user else []
    if not value:
        if not subs:
            await reply(update, context, tr(lang, "unsubscribe.usage"))
            return
        await reply(update, context, *subscriptions_view(lang, subs))
        return
    match = next((s for s in subs if s.value.casefold() == value.casefold()), None)
    if match is None or user is None:
        await reply(update, context, tr(lang, "unsubscribe.not_found", value=value))
        return
    await svc.store.remove_subscription(user.id, match.id)
    await reply(update, context, tr(lang, "unsubscribe.done", value=match.value))
