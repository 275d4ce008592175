"""Every button, pressed by its owner and by somebody else."""

from __future__ import annotations

from datetime import timedelta

from storage.base import HistoryItem
from tests.bot.conftest import SEED
from tests.bot.support import Harness, callback, message
from tests.handlers.briefs import SEED_BRIEF


async def _seed_history(bot: Harness, user_id: int = 42) -> str:
    item = await bot.store.add_history(
        user_id, HistoryItem(created_at=bot.services.clock(), brief=SEED_BRIEF.to_json())
    )
    return item.id


def _answer(bot: Harness) -> dict[str, object]:
    return bot.request.called("answerCallbackQuery")[-1].params


async def test_follow_this_dispute_subscribes_to_its_topic(bot: Harness) -> None:
    item_id = await _seed_history(bot)
    await bot.send(callback(f"f:{item_id}"))
    topic = "Russia vs European Union"
    assert _answer(bot)["text"] == (
        f"Following the topic “{topic}”. Matching news will be in your daily digest."
    )
    assert [s.value for s in (await bot.subs(42))] == [topic]
    await bot.send(callback(f"f:{item_id}"))
    assert _answer(bot)["text"] == f"You already follow “{topic}”."
    await bot.send(message("/subscribe"))
    assert topic in bot.last_text()


async def test_follow_on_a_brief_without_dispute(bot: Harness) -> None:
    await bot.send(message(SEED))
    plain = await bot.store.add_history(
        42,
        HistoryItem(
            created_at=bot.services.clock(), brief={**SEED_BRIEF.to_json(), "dispute": None}
        ),
    )
    await bot.send(callback(f"f:{plain.id}"))
    assert str(_answer(bot)["text"]).startswith("This brief names no dispute to follow.")


async def test_all_statements_sends_every_statement(bot: Harness) -> None:
    item_id = await _seed_history(bot)
    await bot.send(callback(f"a:{item_id}"))
    text = bot.last_text()
    assert text.startswith("All statements · Moscow looks for ways")
    assert "Josep Borrell, EU foreign policy chief\n– intends to initiate new sanctions" in text


async def test_source_of_a_pasted_text(bot: Harness) -> None:
    await bot.send(message(SEED))
    item_id = (await bot.history(42))[0].id
    await bot.send(callback(f"s:{item_id}"))
    assert _answer(bot)["text"] == "This text was sent without a link, so I have no source to show."


async def test_buttons_never_reach_another_users_brief(bot: Harness) -> None:
    item_id = await _seed_history(bot, user_id=42)
    for action in "fasoh":
        await bot.send(callback(f"{action}:{item_id}", user_id=7))
    answers = [c.params.get("text") for c in bot.request.called("answerCallbackQuery")]
    assert answers[:4] == ["That brief is no longer in your history."] * 4
    assert (await bot.subs(7)) == []
    assert "Moscow" not in " ".join(bot.texts())


async def test_open_from_history_resends_the_brief_with_its_buttons(bot: Harness) -> None:
    item_id = await _seed_history(bot)
    await bot.send(callback(f"o:{item_id}"))
    assert "Who said what" in bot.last_text()
    assert {b["text"] for b in bot.buttons()} == {"Follow this dispute", "All statements", "Source"}


async def test_history_paging_buttons_edit_the_page(bot: Harness) -> None:
    now = bot.services.clock()
    for n in range(7):
        data = {**SEED_BRIEF.to_json(), "title": f"S{n}"}
        await bot.store.add_history(
            42, HistoryItem(created_at=now + timedelta(minutes=n), brief=data)
        )
    await bot.send(callback("h:5"))
    edit = bot.request.called("editMessageText")[-1]
    assert bot.last_text().startswith("Your briefs 6–7 of 7:")
    assert "S1" in bot.last_text() and "S0" in bot.last_text()
    assert [b["text"] for b in bot.buttons()] == ["6", "7", "‹ Newer"]
    assert edit.params["message_id"] == 1000
    await bot.send(callback("h:0"))
    assert bot.last_text().startswith("Your briefs 1–5 of 7:")
    await bot.send(callback("h:9999"))
    assert bot.last_text().startswith("Your briefs 6–7 of 7:")


async def test_remove_buttons_unsubscribe(bot: Harness) -> None:
    await bot.send(message("/subscribe Navalny"))
    await bot.send(message("/subscribe Gaza"))
    navalny = (await bot.subs(42))[0].id
    await bot.send(callback(f"u:{navalny}"))
    assert bot.last_text() == "You follow (press a button to stop):\n• Topic: Gaza"
    await bot.send(callback(f"u:{navalny}"))
    assert _answer(bot)["text"] == "You no longer follow that."
    # Another user's remove button cannot touch these subscriptions.
    gaza = (await bot.subs(42))[0].id
    await bot.send(callback(f"u:{gaza}", user_id=7))
    assert [s.value for s in (await bot.subs(42))] == ["Gaza"]


async def test_language_button_switches_the_interface(bot: Harness) -> None:
    await bot.send(callback("l:fr"))
    assert bot.last_text() == "Langue de l'interface : français."
    assert (await bot.user(42)).language == "fr"
    await bot.send(message("/help"))
    assert "/summary – Résumer un message" in bot.last_text()
    await bot.send(callback("l:xx"))
    assert (await bot.user(42)).language == "fr"


async def test_delete_confirmed_removes_everything_and_a_second_run_finds_nothing(
    bot: Harness,
) -> None:
    await bot.send(message("/subscribe Navalny"))
    await bot.send(message(SEED))
    await bot.send(message("/subscribe Gaza", user_id=7))
    await bot.send(callback("d:yes"))
    assert bot.last_text() == (
        "Deleted: 1 settings, 1 subscriptions, 1 briefs, 0 digest records. "
        "Nothing about you is left."
    )
    assert (await bot.store.get_user(42)) is None and (await bot.history(42)) == []
    await bot.send(callback("d:yes"))
    assert bot.last_text() == "I hold no data about you: nothing to delete."
    assert (await bot.store.get_user(42)) is None  # answering did not create a new record
    assert [s.value for s in (await bot.subs(7))] == ["Gaza"]


async def test_delete_cancelled(bot: Harness) -> None:
    await bot.send(message("/subscribe Navalny"))
    await bot.send(callback("d:no"))
    assert bot.last_text() == "Cancelled: nothing was deleted."
    assert await bot.subs(42)


async def test_every_callback_data_fits_64_bytes(bot: Harness) -> None:
    await bot.send(message(SEED))
    await bot.send(message("/subscribe " + "ü" * 100))
    await bot.send(message("/subscribe"))
    await bot.send(message("/history"))
    await bot.send(message("/language"))
    await bot.send(message("/delete_my_data"))
    for call in bot.request.calls:
        markup = call.params.get("reply_markup")
        if isinstance(markup, dict):
            for row in markup["inline_keyboard"]:
                for button in row:
                    assert len(button.get("callback_data", "").encode()) <= 64
