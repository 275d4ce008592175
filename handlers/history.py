"""/history (paged, with buttons to open a brief again) and the last-24-hours overview that
/summary alone and the /digest now fallback show."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.i18n import plain, tr
from briefing import Brief
from handlers.render import dispute_key, dispute_line, list_line
from handlers.replies import reply
from handlers.services import Services, services
from handlers.users import language_of

# /history: briefs on one page.
HISTORY_PAGE_SIZE: Final = 5
# /summary alone and the /digest now fallback: how far back: hours.
RECENT_HOURS: Final = 24


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
    await reply(update, context, *await history_view(svc, user.id, lang, 0))
