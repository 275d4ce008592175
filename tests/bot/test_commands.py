"""Every command: what the user sees, and what is stored."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.commands import COMMANDS
from storage.base import HistoryItem
from tests.bot.conftest import ARTICLE_URL, SEED
from tests.bot.support import Harness, message
from tests.handlers.briefs import SEED_BRIEF


async def test_start_explains_with_an_example_and_registers_the_user(bot: Harness) -> None:
    await bot.send(message("/start", lang="de"))
    text = bot.last_text()
    assert text.startswith("Hallo!")
    assert "Russland (Dmitri Peskow) vs Europäische Union" in text
    settings = await bot.user(42)
    assert settings.language == "de"
    # No zone chosen: "" (the digest uses BRIEFBOT_DEFAULT_TZ); arrival time kept for the digest.
    assert settings.timezone == ""
    assert settings.created_at is not None


async def test_help_lists_every_command(bot: Harness) -> None:
    await bot.send(message("/help"))
    text = bot.last_text()
    for name in COMMANDS:
        assert f"/{name} – " in text
    assert "/subscribe Russia EU sanctions" in text


async def test_command_addressed_to_this_bot_by_name(bot: Harness) -> None:
    await bot.send(message("/help@briefbot_test_bot"))
    assert "/summary – " in bot.last_text()


async def test_privacy_says_what_and_how_long(bot: Harness) -> None:
    await bot.send(message("/privacy"))
    text = bot.last_text()
    assert "at most 1000, none older than 180 days" in text
    assert "/delete_my_data" in text


async def test_summary_of_a_replied_message(bot: Harness) -> None:
    replied = message(SEED)["message"]
    await bot.send(message("/summary", reply_to_message=replied))
    assert "Moscow is looking for ways" in bot.last_text()
    assert len(await bot.history(42)) == 1


async def test_summary_of_a_replied_message_without_text(bot: Harness) -> None:
    replied = {
        "message_id": 5,
        "date": 1_700_000_000,
        "chat": {"id": 42, "type": "private"},
        "sticker": {
            "file_id": "s",
            "file_unique_id": "s",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        },
    }
    await bot.send(message("/summary", reply_to_message=replied))
    assert bot.last_text() == "The message you replied to has no text or link I can brief."


async def test_summary_with_a_link(bot: Harness) -> None:
    await bot.send(message(f"/summary {ARTICLE_URL}"))
    assert bot.links.asked == [ARTICLE_URL]
    assert "Moscow is looking for ways" in bot.last_text()


async def test_summary_with_pasted_text(bot: Harness) -> None:
    await bot.send(message("/summary " + SEED))
    assert "Moscow is looking for ways" in bot.last_text()


async def test_summary_alone_groups_the_last_day_by_dispute(bot: Harness) -> None:
    now = bot.services.clock()
    brief = SEED_BRIEF.to_json()
    other = {**brief, "title": "Kremlin answers Borrell", "dispute": brief["dispute"]}
    unrelated = {**brief, "title": "Weather", "dispute": None, "statements": []}
    old = {**brief, "title": "Last week's news"}
    # Oldest first, as briefs arrive.
    for when, data in [
        (now - timedelta(days=3), old),
        (now - timedelta(hours=3), unrelated),
        (now - timedelta(hours=2), other),
        (now - timedelta(hours=1), brief),
    ]:
        await bot.store.add_history(42, HistoryItem(created_at=when, brief=data))
    await bot.send(message("/summary"))
    text = bot.last_text()
    assert text.startswith("Your last 24 hours: 3 briefs")
    assert text.count("Russia (Dmitry Peskov) vs European Union (Josep Borrell)") == 1
    assert "Kremlin answers Borrell" in text and "Weather" in text
    assert "Last week's news" not in text
    assert text.index("Kremlin answers Borrell") < text.index("Other news") < text.index("Weather")


async def test_summary_alone_with_nothing(bot: Harness) -> None:
    await bot.send(message("/summary"))
    assert bot.last_text().startswith("You have no briefs from the last 24 hours.")


async def test_subscribe_topic_feed_list_and_unsubscribe(bot: Harness) -> None:
    await bot.send(message("/subscribe"))
    assert bot.last_text().startswith("You follow nothing yet.")
    await bot.send(message("/subscribe Russia  EU sanctions"))
    assert bot.last_text() == (
        "Following the topic “Russia EU sanctions”. Matching news will be in your daily digest."
    )
    await bot.send(message("/subscribe Russia EU sanctions"))
    assert bot.last_text() == "You already follow “Russia EU sanctions”."
    await bot.send(message("/subscribe https://news.example.org/feed.xml"))
    assert "Following the feed https://news.example.org/feed.xml" in bot.last_text()
    subs = await bot.subs(42)
    assert [(s.kind, s.value) for s in subs] == [
        ("topic", "Russia EU sanctions"),
        ("feed", "https://news.example.org/feed.xml"),
    ]
    await bot.send(message("/subscribe"))
    assert bot.last_text() == (
        "You follow (press a button to stop):\n• Topic: Russia EU sanctions\n"
        "• Feed: https://news.example.org/feed.xml"
    )
    assert [b["callback_data"] for b in bot.buttons()] == [f"u:{s.id}" for s in subs]
    await bot.send(message("/unsubscribe russia eu SANCTIONS"))
    assert bot.last_text() == "Stopped following “Russia EU sanctions”."
    await bot.send(message("/unsubscribe Navalny"))
    assert bot.last_text().startswith("You don't follow “Navalny”.")
    assert [s.kind for s in (await bot.subs(42))] == ["feed"]


async def test_subscribe_refuses_bad_input(bot: Harness) -> None:
    await bot.send(message("/subscribe " + "word " * 40))
    assert bot.last_text() == "A topic is at most 100 characters. Use a few words."
    await bot.send(message("/subscribe the of and"))
    assert bot.last_text().startswith("“the of and” has no word I can match")
    await bot.send(message("/subscribe http://"))
    assert bot.last_text().startswith("That doesn't look like a feed address.")
    await bot.send(message("/subscribe <b>bold</b> & co"))
    assert bot.last_text() == (
        "Following the topic “<b>bold</b> & co”. Matching news will be in your daily digest."
    )


async def test_unsubscribe_alone_explains(bot: Harness) -> None:
    await bot.send(message("/unsubscribe"))
    assert bot.last_text().startswith("Send /unsubscribe with the topic")


async def test_history_is_paged(bot: Harness) -> None:
    now = bot.services.clock()
    for n in range(12):
        data = {**SEED_BRIEF.to_json(), "title": f"Story {n}"}
        await bot.store.add_history(
            42, HistoryItem(created_at=now + timedelta(minutes=n), brief=data)
        )
    await bot.send(message("/history"))
    text = bot.last_text()
    assert text.startswith("Your briefs 1–5 of 12:")
    assert "1. " in text and "Story 11" in text and "Story 7" in text and "Story 6" not in text
    labels = [b["text"] for b in bot.buttons()]
    assert labels == ["1", "2", "3", "4", "5", "Older ›"]


async def test_history_empty(bot: Harness) -> None:
    await bot.send(message("/history"))
    assert bot.last_text() == "Your history is empty. Forward me an article to start."


async def test_digest_settings_and_changes(bot: Harness) -> None:
    await bot.send(message("/digest"))
    assert bot.last_text().startswith("Daily digest: on, at 08:00 (UTC), with sound.")
    await bot.send(message("/digest 7:45 europe/berlin"))
    assert bot.last_text() == "Done: your digest comes daily at 07:45 (Europe/Berlin)."
    settings = await bot.user(42)
    assert (settings.digest_time, settings.timezone, settings.digest_enabled) == (
        "07:45",
        "Europe/Berlin",
        True,
    )
    await bot.send(message("/digest off"))
    assert not (await bot.user(42)).digest_enabled
    assert bot.last_text() == "Daily digest off. /digest on turns it back on."
    await bot.send(message("/digest on"))
    assert bot.last_text() == "Daily digest on, at 07:45 (Europe/Berlin)."
    await bot.send(message("/digest silent"))
    assert (await bot.user(42)).digest_silent
    assert bot.last_text() == "Your digest now arrives silently."
    await bot.send(message("/digest"))
    assert bot.last_text().startswith("Daily digest: on, at 07:45 (Europe/Berlin), silent.")
    await bot.send(message("/digest silent"))
    assert not (await bot.user(42)).digest_silent
    await bot.send(message("/digest 25:00"))
    assert bot.last_text().startswith("I could not read that time.")
    await bot.send(message("/digest 09:00 Mars/Olympus"))
    assert bot.last_text().startswith("Unknown time zone Mars/Olympus.")
    await bot.send(message("/digest weekly"))
    assert bot.last_text().startswith("Usage: /digest HH:MM [Area/City]")
    assert (await bot.user(42)).digest_time == "07:45"


async def test_digest_time_keeps_the_zone_and_escapes_what_the_user_typed(bot: Harness) -> None:
    await bot.send(message("/digest 06:15"))
    # No zone chosen yet: the configured default (UTC here) is shown, "" stays stored.
    assert bot.last_text() == "Done: your digest comes daily at 06:15 (UTC)."
    assert (await bot.user(42)).timezone == ""
    await bot.send(message("/digest 06:15 <b>Mars</b>"))
    assert bot.last_text().startswith("Unknown time zone <b>Mars</b>.")
    assert "&lt;b&gt;Mars" in bot.request.called("sendMessage")[-1].params["text"]


async def test_digest_in_the_users_language(bot: Harness) -> None:
    await bot.send(message("/digest 07:00 Europe/Moscow", lang="ru"))
    done = "Готово: дайджест будет приходить каждый день в 07:00 (Europe/Moscow)."
    assert bot.last_text() == done


async def test_digest_now_without_news(bot: Harness) -> None:
    await bot.send(message("/digest now"))
    assert bot.last_text() == "Nothing new in the last 24 hours."


async def test_digest_now_sends_the_last_day(bot: Harness) -> None:
    await bot.store.add_history(
        42, HistoryItem(created_at=bot.services.clock(), brief=SEED_BRIEF.to_json())
    )
    await bot.send(message("/digest now"))
    text = bot.last_text()
    assert text.startswith("Your digest · ")
    assert "Russia (Dmitry Peskov) vs European Union (Josep Borrell)" in text


async def test_language_offers_five(bot: Harness) -> None:
    await bot.send(message("/language"))
    assert bot.last_text() == "Choose the interface language:"
    assert [b["callback_data"] for b in bot.buttons()] == ["l:en", "l:ru", "l:de", "l:fr", "l:es"]
    assert bot.buttons()[0]["text"] == "• English"


async def test_export_sends_a_json_document_of_only_this_user(bot: Harness) -> None:
    await bot.send(message("/subscribe Navalny"))
    await bot.send(message("/subscribe Gaza", user_id=7))
    await bot.send(message(SEED))
    await bot.send(message("/export"))
    call = bot.request.called("sendDocument")[-1]
    assert int(call.params["chat_id"]) == 42
    ((filename, content),) = call.files.values()
    assert filename == "briefbot-42.json"
    assert call.params["caption"] == "Everything I keep about you."
    payload = json.loads(content)
    assert payload["settings"]["user_id"] == 42
    assert [s["value"] for s in payload["subscriptions"]] == ["Navalny"]
    assert len(payload["history"]) == 1
    assert "Gaza" not in json.dumps(payload)


async def test_delete_asks_first(bot: Harness) -> None:
    await bot.send(message("/delete_my_data"))
    assert bot.last_text().startswith("Delete all your data")
    assert [b["callback_data"] for b in bot.buttons()] == ["d:yes", "d:no"]
