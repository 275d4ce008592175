"""Every kind of forward, a link, a pasted article: what the user sees."""

from __future__ import annotations

import asyncio
import dataclasses
import logging

import pytest
from telegram import Update

from briefing import Brief
from sources.fetch import SafeFetcher
from tests.bot.conftest import ARTICLE_URL, MISSING_URL, SEED
from tests.bot.support import (
    Harness,
    RecordingLinks,
    channel_origin,
    forward,
    message,
    photo_post,
)


def _brief_buttons(bot: Harness) -> dict[str, dict[str, str]]:
    return {b["text"]: b for b in bot.buttons()}


async def test_pasted_article_gets_typing_then_a_brief_with_buttons(bot: Harness) -> None:
    await bot.send(message(SEED))
    methods = [c.method for c in bot.request.calls if c.method in ("sendChatAction", "sendMessage")]
    assert methods == ["sendChatAction", "sendMessage"]
    assert bot.request.called("sendChatAction")[0].params["action"] == "typing"
    text = bot.last_text()
    assert "Moscow is looking for ways to normalize relations with the European Union" in text
    assert "Dmitry Peskov" in text
    buttons = _brief_buttons(bot)
    assert set(buttons) == {"Follow this dispute", "All statements", "Source"}
    history = await bot.history(42)
    assert len(history) == 1
    assert buttons["All statements"]["callback_data"] == f"a:{history[0].id}"
    # A pasted text has no link: the Source button says so instead of opening one.
    assert buttons["Source"]["callback_data"] == f"s:{history[0].id}"
    # The whole article is not kept in history, only the brief; and a pasted text (maybe
    # private) never enters the shared pool.
    assert history[0].brief["text"] == ""
    assert (await bot.articles()) == []


async def test_channel_forward_names_the_channel_with_its_link(bot: Harness) -> None:
    await bot.send(forward(SEED, channel_origin("World Desk", "worlddesk", 77)))
    last = bot.request.called("sendMessage")[-1].params["text"]
    assert '<a href="https://t.me/worlddesk/77">World Desk</a>' in last
    assert _brief_buttons(bot)["Source"]["url"] == "https://t.me/worlddesk/77"
    # A public channel's post is public: it goes to the shared pool, without the user.
    assert len(await bot.articles()) == 1
    article = (await bot.articles())[0]
    assert article.brief["source"]["channel_url"] == "https://t.me/worlddesk/77"
    # Nothing in it says who forwarded it: not the user's id, not their name.
    assert 42 not in [getattr(article, f) for f in ("id", "url", "fingerprint", "feed_url")]
    assert "Ann" not in str(article.brief) and "42" not in str(article.brief.get("source"))


async def test_private_channel_forward_links_with_the_c_form(bot: Harness) -> None:
    origin = channel_origin("Closed Desk", None, 5, chat_id=-1009876543210)
    await bot.send(forward(SEED, origin))
    assert _brief_buttons(bot)["Source"]["url"] == "https://t.me/c/9876543210/5"
    assert (await bot.articles()) == []


async def test_photo_post_with_caption_is_briefed_from_its_caption(bot: Harness) -> None:
    caption = SEED[:1000]
    await bot.send(photo_post(caption, channel_origin()))
    assert "Moscow is looking for ways to normalize" in bot.last_text()
    assert "World Desk" in bot.last_text()


async def test_album_is_briefed_once_when_complete(bot: Harness) -> None:
    origin = channel_origin()
    parts = [
        photo_post(SEED[:1000], origin, media_group_id="alb1"),
        photo_post("", origin, media_group_id="alb1"),
        photo_post("", origin, media_group_id="alb1"),
    ]
    await asyncio.gather(*(bot.app.process_update(Update.de_json(p, bot.app.bot)) for p in parts))
    await bot.settle()
    briefs = [c for c in bot.request.called("sendMessage") if c.params.get("reply_markup")]
    assert len(briefs) == 1
    assert "Moscow is looking for ways" in bot.last_text()
    assert len(await bot.history(42)) == 1


async def test_album_without_any_caption_gets_a_plain_answer(bot: Harness) -> None:
    await bot.send(photo_post("", media_group_id="alb2"))
    assert bot.last_text() == (
        "Send me an article, a link, or forward a post with text, and I will brief it."
    )


async def test_hidden_user_forward(bot: Harness) -> None:
    origin = {"type": "hidden_user", "date": 1_699_999_000, "sender_user_name": "Secret Sam"}
    await bot.send(forward(SEED, origin))
    assert "Moscow is looking for ways" in bot.last_text()
    assert (await bot.articles()) == []  # a person's forward is not public


async def test_link_is_fetched_and_briefed(bot: Harness) -> None:
    await bot.send(message(f"Look: {ARTICLE_URL}"))
    assert bot.links.asked == [ARTICLE_URL]
    assert "Moscow is looking for ways" in bot.last_text()
    assert _brief_buttons(bot)["Source"]["url"] == ARTICLE_URL
    assert len(await bot.articles()) == 1


async def test_text_link_entity_is_followed(bot: Harness) -> None:
    text = "Kremlin on EU relations"
    entity = {"type": "text_link", "offset": 0, "length": 7, "url": ARTICLE_URL}
    await bot.send(message(text, entities=[entity]))
    assert bot.links.asked == [ARTICLE_URL]


async def test_unreadable_link_is_answered_plainly(bot: Harness) -> None:
    await bot.send(message(MISSING_URL))
    assert bot.last_text() == (
        "I couldn't read that link: The site says the page does not exist (HTTP 404)."
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "Не удалось прочитать ссылку: Сайт сообщает, что такой страницы нет (HTTP 404)."),
        (
            "de",
            "Ich konnte den Link nicht lesen: Laut der Website gibt es die Seite nicht (HTTP 404).",
        ),
        ("fr", "Je n'ai pas pu lire ce lien : Le site dit que la page n'existe pas (HTTP 404)."),
        ("es", "No pude leer ese enlace: El sitio dice que la página no existe (HTTP 404)."),
    ],
)
async def test_why_a_link_failed_is_said_in_the_users_language(
    bot: Harness, lang: str, expected: str
) -> None:
    await bot.send(message(MISSING_URL, lang=lang))
    assert bot.last_text() == expected


async def test_too_short_text(bot: Harness) -> None:
    await bot.send(message("Hello there"))
    assert bot.last_text().startswith("This text is too short to brief.")
    assert (await bot.history(42)) == []


async def test_sticker_or_bare_photo_gets_a_hint(bot: Harness) -> None:
    await bot.send(photo_post(""))
    assert bot.last_text().startswith("Send me an article, a link")


async def test_slow_brief_shows_a_placeholder_edited_into_the_brief(bot: Harness) -> None:
    bot.services.placeholder_delay_s = 0.01
    real = bot.services.link_briefer

    async def slow(url: str, *, fallback_text: str | None = None) -> Brief:
        await asyncio.sleep(0.4)
        return await real(url, fallback_text=fallback_text)

    bot.services.link_briefer = slow
    await bot.send(message(ARTICLE_URL))
    sends = bot.request.called("sendMessage")
    edits = bot.request.called("editMessageText")
    assert [s.params["text"] for s in sends] == ["Reading the article…"]
    assert len(edits) == 1
    assert edits[0].params["message_id"] == 1000
    assert "Moscow is looking for ways" in bot.last_text()
    assert edits[0].params["reply_markup"]


async def test_slow_failure_edits_the_placeholder_into_the_error(bot: Harness) -> None:
    bot.services.placeholder_delay_s = 0.01

    async def slow_fail(url: str, *, fallback_text: str | None = None) -> Brief:
        await asyncio.sleep(0.4)
        from sources.model import FetchError

        raise FetchError("The site took too long to answer.", code="timeout")

    bot.services.link_briefer = slow_fail
    await bot.send(message(ARTICLE_URL))
    assert bot.texts() == [
        "Reading the article…",
        "I couldn't read that link: The site took too long to answer.",
    ]


async def test_interface_language_follows_telegram(bot: Harness) -> None:
    await bot.send(message("Привет", lang="ru"))
    assert bot.last_text().startswith("Текст слишком короткий")


async def test_engine_crash_is_answered_and_logged_without_the_text(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(text: str, **kwargs: object) -> Brief:
        raise RuntimeError(f"cannot handle {text[:200]}")  # a message quoting the user's text

    bot.services.engine = broken
    caplog.set_level(logging.DEBUG)
    await bot.send(message(SEED))
    assert bot.last_text() == "Something went wrong on my side. Please try again in a minute."
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError at " in caplog.text
    assert "Moscow" not in logged and "Moscow" not in caplog.text


def test_brief_dataclass_round_trips_through_history() -> None:
    from tests.handlers.briefs import SEED_BRIEF

    assert Brief.from_json(SEED_BRIEF.to_json()) == SEED_BRIEF
    assert dataclasses.replace(SEED_BRIEF).title


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("too_short", "This text is too short to brief."),
        ("not_text", "Send me an article, a link, or forward a post with text"),
        ("no_language", "I can't tell which language this is."),
        ("something_new", "I can't brief this: The engine's own words."),
    ],
)
async def test_engine_refusals_are_answered_in_the_users_words(
    bot: Harness, code: str, expected: str
) -> None:
    from briefing import BriefError

    def refuse(*args: object, **kwargs: object) -> Brief:
        raise BriefError("The engine's own words.", code=code)

    bot.services.engine = refuse
    await bot.send(message(SEED))
    assert bot.last_text().startswith(expected)


async def test_a_link_to_an_internal_address_is_refused(bot: Harness) -> None:
    # Without BRIEFBOT_ALLOW_PRIVATE_HOSTS, nothing private is fetched: 127.0.0.1 included.
    guarded = RecordingLinks(SafeFetcher())
    bot.services.link_briefer = guarded
    try:
        await bot.send(message(ARTICLE_URL))
    finally:
        await guarded.fetcher.aclose()
    assert bot.last_text().startswith("I couldn't read that link: ")
    assert await bot.history(42) == []


async def test_video_post_with_caption(bot: Harness) -> None:
    video = {"file_id": "v1", "file_unique_id": "vu1", "width": 640, "height": 360, "duration": 12}
    entities_free = SEED[:1000]
    await bot.send(
        message(None, video=video, caption=entities_free, forward_origin=channel_origin())
    )
    assert "Moscow is looking for ways" in bot.last_text()
    assert "World Desk" in bot.last_text()


async def test_unsupported_language_gets_a_best_effort_brief_that_says_so(bot: Harness) -> None:
    italian = (
        "Il governo italiano ha annunciato ieri un nuovo piano per l'energia. Il ministro ha "
        "detto che i prezzi scenderanno entro l'estate, mentre l'opposizione ha criticato la "
        "proposta come insufficiente. Le associazioni dei consumatori chiedono misure più rapide "
        "e una riduzione delle tasse sulle bollette per le famiglie."
    )
    await bot.send(message(italian))
    text = bot.last_text()
    assert text.endswith(
        "This text is in a language I don't fully support (it): the brief is best effort."
    )
    assert "Il governo italiano ha annunciato" in text
