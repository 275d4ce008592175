"""Small helpers every command uses: the message, its argument text, a reply."""

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from handlers.delivery import send_html


def message_of(update: Update) -> Message:
    message = update.effective_message
    if message is None:
        raise ValueError("a command without a message")
    return message


async def reply(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Answer in the chat the update came from (HTML, split under the limit)."""
    chat = update.effective_chat
    if chat is not None:
        await send_html(context.bot, chat.id, text, reply_markup=markup)


def argument_text(message: Message) -> str:
    """What follows the command (/summary@bot rest…), with the message's own line breaks."""
    text = message.text or ""
    match = re.match(r"^/\S+\s?", text)
    return text[match.end() :] if match else text
