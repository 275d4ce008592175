"""Groups (only what is addressed to the bot), Telegram's errors, duplicate updates."""

from __future__ import annotations

import logging
import time

import pytest
from telegram import Update

from handlers import delivery
from tests.bot.conftest import SEED
from tests.bot.support import BOT_ID, Harness, channel_origin, forward, message

GROUP = {"id": -5005, "type": "supergroup", "title": "News club"}


async def test_group_ignores_chatter_and_plain_forwards(bot: Harness) -> None:
    await bot.send(message(SEED, chat=GROUP))
    await bot.send(forward(SEED, channel_origin(), chat=GROUP))
    assert bot.texts() == []


async def test_group_answers_commands_mentions_and_replies(bot: Harness) -> None:
    await bot.send(message("/help@briefbot_test_bot", chat=GROUP))
    assert "/summary – " in bot.texts(-5005)[-1]
    await bot.send(message("/help@other_bot", chat=GROUP))
    assert len(bot.texts()) == 1
    await bot.send(message("@briefbot_test_bot " + SEED, chat=GROUP))
    assert "Moscow is looking for ways" in bot.texts(-5005)[-1]
    reply_to_bot = {
        "message_id": 9,
        "date": 1_700_000_000,
        "chat": GROUP,
        "text": "…",
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Briefbot"},
    }
    await bot.send(forward(SEED, channel_origin(), chat=GROUP, reply_to_message=reply_to_bot))
    assert len(bot.texts(-5005)) == 3
    # Briefs asked for in a group are the asking user's.
    assert len(await bot.history(42)) == 2


@pytest.mark.parametrize("command", ["export", "history", "delete_my_data", "digest", "summary"])
async def test_personal_commands_stay_private(bot: Harness, command: str) -> None:
    await bot.send(message(f"/{command}@briefbot_test_bot", chat=GROUP))
    assert bot.texts(-5005) == [
        "Your data stays between us: send this command to me in a private chat, @briefbot_test_bot."
    ]
    assert bot.request.called("sendDocument") == []


async def test_group_summary_as_a_reply(bot: Harness) -> None:
    replied = message(SEED, chat=GROUP, user_id=9)["message"]
    await bot.send(message("/summary@briefbot_test_bot", chat=GROUP, reply_to_message=replied))
    assert "Moscow is looking for ways" in bot.texts(-5005)[-1]


async def test_markup_refused_is_resent_as_plain_text(bot: Harness) -> None:
    bot.request.fail_next("sendMessage", 400, "Bad Request: can't parse entities: boom")
    await bot.send(message(SEED))
    sends = bot.request.called("sendMessage")
    assert sends[0].params["parse_mode"] == "HTML"
    assert "parse_mode" not in sends[1].params
    assert "Moscow is looking for ways" in sends[1].params["text"]
    assert "<b>" not in sends[1].params["text"]


async def test_flood_limit_is_waited_for_and_nothing_is_lost(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(delivery, "flood_sleep", record)
    bot.request.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    bot.request.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    await bot.send(message("/help"))
    sends = bot.request.called("sendMessage")
    assert waits == [7.0, 3.0]
    assert len(sends) == 3
    assert sends[0].params["text"] == sends[1].params["text"]


async def test_blocked_user_is_marked_inactive_and_active_again_when_back(bot: Harness) -> None:
    await bot.send(message("/start"))
    assert (await bot.user(42)).active
    bot.request.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await bot.send(message("/help"))
    assert not (await bot.user(42)).active
    bot.request.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await bot.send(message(SEED))
    assert not (await bot.user(42)).active
    await bot.send(message("/start"))
    assert (await bot.user(42)).active


async def test_deleted_placeholder_falls_back_to_a_new_message(bot: Harness) -> None:
    import asyncio

    bot.services.placeholder_delay_s = 0.0
    real = bot.services.engine

    def slow(*args: object, **kwargs: object) -> object:
        import time

        time.sleep(0.4)
        return real(*args, **kwargs)

    bot.services.engine = slow  # type: ignore[assignment]
    bot.request.fail_next("editMessageText", 400, "Bad Request: message to edit not found")
    await bot.send(message(SEED))
    sends = bot.request.called("sendMessage")
    assert sends[0].params["text"] == "Reading the article…"
    assert "Moscow is looking for ways" in sends[-1].params["text"]
    await asyncio.sleep(0)


async def test_duplicate_update_is_handled_once(bot: Harness) -> None:
    update = message("/help")
    await bot.send(update)
    await bot.send(update)
    assert len(bot.request.called("sendMessage")) == 1


async def test_error_handler_logs_without_text_and_answers(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="handlers")
    bot.request.fail_next("sendMessage", 400, "Bad Request: chat not found")
    await bot.send(message("/privacy"))
    assert any("Telegram refused a request" in r.getMessage() for r in caplog.records)
    assert "What I store" not in caplog.text
    assert bot.last_text() == "Something went wrong on my side. Please try again in a minute."


async def test_long_brief_is_split_under_the_limit_buttons_under_the_last(
    bot: Harness,
) -> None:
    import dataclasses

    from briefing import Statement
    from tests.handlers.briefs import SEED_BRIEF

    speakers = [f"Minister {n} & <Co>" for n in range(60)]
    big = dataclasses.replace(
        SEED_BRIEF,
        statements=tuple(
            Statement(
                quote=f"Quote {n}: " + "we will not accept this & more " * 8,
                kind="direct",
                speaker=speakers[n],
                role="minister",
            )
            for n in range(60)
        ),
    )

    def slow(text: str, **kwargs: object) -> object:
        time.sleep(0.4)  # in the engine's thread: long enough for the placeholder
        return big

    bot.services.engine = slow  # type: ignore[assignment]
    bot.services.placeholder_delay_s = 0.01
    await bot.send(message(SEED))
    sends = bot.request.called("sendMessage")
    edits = bot.request.called("editMessageText")
    assert sends[0].params["text"] == "Reading the article…"
    parts = [edits[0], *sends[1:]]
    assert len(parts) >= 3
    assert all(len(p.params["text"]) <= 4096 for p in parts)
    markups = [bool(p.params.get("reply_markup")) for p in parts]
    assert markups == [False] * (len(parts) - 1) + [True]
    seen = " ".join(bot.texts())
    assert all(name in seen for name in speakers)


def test_update_json_round_trips() -> None:
    data = message("/start")
    assert Update.de_json(data, None).effective_message.text == "/start"  # type: ignore[union-attr]
