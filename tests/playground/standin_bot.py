"""A stand-in for the real bot, for testing the playground's own mechanics.

A small python-telegram-bot program configured the way `briefbot run` is (TELEGRAM_BOT_TOKEN,
TELEGRAM_API_BASE_URL): it answers forwards with an HTML "brief" (headline and first sentence),
buttons, /subscribe and /digest now. The real bot replaces it wherever it is importable.
"""

from __future__ import annotations

import html
import os
import re
from typing import Any

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageOriginChannel,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

Ctx = ContextTypes.DEFAULT_TYPE
briefs: list[str] = []
follows: list[str] = []


def _headline(text: str) -> tuple[str, str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines[0] if lines else text
    body = " ".join(lines[1:]) or title
    first = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0]
    return title[:120], first[:400]


async def on_post(update: Update, context: Ctx) -> None:
    message = update.effective_message
    assert message is not None
    await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
    placeholder = await message.reply_text("Reading the article…")
    title, first = _headline(message.text or message.caption or "")
    origin = message.forward_origin
    source = ""
    buttons = [[InlineKeyboardButton("Follow this dispute", callback_data=f"follow:{len(briefs)}")]]
    if isinstance(origin, MessageOriginChannel) and origin.chat.username:
        link = f"https://t.me/{origin.chat.username}/{origin.message_id}"
        source = f' · <a href="{html.escape(link)}">{html.escape(origin.chat.title or "")}</a>'
        buttons.append([InlineKeyboardButton("Source", url=link)])
    briefs.append(title)
    await placeholder.edit_text(
        f"<b>{html.escape(title)}</b>{source}\n{html.escape(first)}\n<i>stand-in brief</i>",
        parse_mode=ParseMode.HTML, reply_markup=InlineKeyboardMarkup(buttons))


async def on_button(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    index = int(query.data.split(":")[1])
    follows.append(briefs[index])
    await query.answer("Following")


async def on_subscribe(update: Update, context: Ctx) -> None:
    assert update.effective_message is not None
    if context.args:
        follows.append(" ".join(context.args))
    lines = [f"• {html.escape(topic)}" for topic in follows] or ["Nothing yet."]
    await update.effective_message.reply_text("<b>You follow</b>\n" + "\n".join(lines),
                                              parse_mode=ParseMode.HTML)


async def on_digest(update: Update, context: Ctx) -> None:
    assert update.effective_message is not None
    lines = [f"• {html.escape(title)}" for title in briefs] or ["No briefs today."]
    await update.effective_message.reply_text("<b>Your digest</b>\n" + "\n".join(lines),
                                              parse_mode=ParseMode.HTML)


async def on_start(update: Update, context: Ctx) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text("Forward me an article.")


async def post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await app.bot.set_my_commands([
        BotCommand("start", "What this bot does"),
        BotCommand("subscribe", "Your topics"),
        BotCommand("digest", "Your daily digest"),
    ])


def main() -> None:
    app = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_BASE_URL"])
        .post_init(post_init)
        .build()
    )
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CommandHandler("subscribe", on_subscribe))
    app.add_handler(CommandHandler("digest", on_digest))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler((filters.TEXT | filters.CAPTION) & ~filters.COMMAND, on_post))
    app.run_polling(poll_interval=0.0, timeout=5)


if __name__ == "__main__":
    main()
