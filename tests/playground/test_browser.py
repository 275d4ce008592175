"""The playground in a real browser: Debian's headless Chromium driven by Playwright.

A person's tour: type a message, forward the seed article as a channel post, read the brief,
press "Follow this dispute", find it under /subscribe, press "Send my digest now".
With the real bot (skipped only while it is not on this branch) and with the stand-in bot,
which checks the page's own mechanics whatever the bot answers.
Set BRIEFBOT_SCREENSHOT=docs/playground.png to save what the page shows after the brief.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    Locator,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

from playground.app import Playground
from playground.emulator import Emulator
from playground.web import PAGE_CHAT_ID

CHROMIUM = Path("/usr/bin/chromium")
# Flags for a headless Chromium on a machine without network or GPU, as root.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SEED_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed"
# How long the page may take to show the bot's answer: milliseconds. Generous: CI's machine is
# shared, and a loaded Chromium can take seconds to draw.
ANSWER_TIMEOUT_MS = 30_000
expect.set_options(timeout=ANSWER_TIMEOUT_MS)
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Chromium is missing: apt-get install -y chromium (.ci/run does)"
    with sync_playwright() as playwright:
        # Playwright gives each launch a fresh, empty profile directory of its own.
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def seed_article() -> str:
    files = sorted(SEED_DIR.glob("*.txt"))
    assert files, f"no seed article in {SEED_DIR}"
    return files[0].read_text("utf-8")


def last_message_id(playground: Playground) -> int:
    return max((m.message_id for m in playground.emulator.transcript(PAGE_CHAT_ID)), default=0)


def next_reply(page: Page, playground: Playground, after: int) -> Locator:
    """The page's bubble for the bot's first message after message `after`."""
    reply = playground.emulator.wait_for(PAGE_CHAT_ID, None, ANSWER_TIMEOUT_MS / 1000,
                                         after=after)
    bubble = page.locator(f'.msg.bot[data-id="{reply.message_id}"]')
    expect(bubble).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    return bubble


def tour(page: Page, playground: Playground, brief_marker: str,
         followed: re.Pattern[str]) -> None:
    page.set_viewport_size(PHONE)
    page.goto(playground.url)
    expect(page.locator("#status")).to_have_text("bot", timeout=ANSWER_TIMEOUT_MS)

    page.locator("#input").fill("Hello from the browser")
    page.locator("#input").press("Enter")
    expect(page.locator(".msg.user").last).to_contain_text("Hello from the browser")

    page.locator("#forward-toggle").click()
    expect(page.locator("#fwd-hidden-row")).to_be_hidden()  # only for a hidden user's forward
    page.locator("#fwd-channel").fill("World Desk")
    page.locator("#fwd-username").fill("worlddesk")
    page.locator("#fwd-text").fill(seed_article())
    page.locator("#fwd-send").click()
    expect(page.locator(".msg.user .fwd").last).to_have_text("Forwarded from World Desk")
    brief = page.locator(".msg.bot", has_text=brief_marker).last
    expect(brief).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    # The bot's HTML is shown as formatting (bold, links, quotes), never as tags.
    expect(brief.locator(".bubble :is(b, i, a, blockquote)").first).to_be_visible()
    expect(brief).not_to_contain_text("</")
    # Nothing sticks out sideways at phone width, however long the brief.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if path := os.environ.get("BRIEFBOT_SCREENSHOT"):
        page.screenshot(path=path)

    brief.get_by_role("button", name="Follow this dispute").click()
    deadline = time.monotonic() + ANSWER_TIMEOUT_MS / 1000
    while not any(q.answered for q in playground.emulator.api.callback_queries.values()):
        assert time.monotonic() < deadline, "the bot never answered the button"
        time.sleep(0.05)
    after = last_message_id(playground)
    page.locator("#input").fill("/subscribe")
    page.locator("#input").press("Enter")
    expect(next_reply(page, playground, after)).to_contain_text(followed)

    after = last_message_id(playground)
    page.locator("#digest-now").click()
    expect(page.locator(".msg.user").last).to_contain_text("/digest now")
    expect(next_reply(page, playground, after)).to_be_visible()
    answered = [q.answered for q in playground.emulator.api.callback_queries.values()]
    assert answered == [True]


def test_tour_with_the_real_bot(browser: Browser, real_playground: Playground) -> None:
    page = browser.new_page()
    tour(page, real_playground, "Dmitry Peskov",
         re.compile(r"Russia|Kremlin|Peskov|European Union|\bEU\b|Borrell|Navalny"))
    page.close()


def test_tour_with_the_stand_in_bot(browser: Browser, standin_playground: Playground) -> None:
    page = browser.new_page()
    tour(page, standin_playground, "UrduPoint", re.compile("UrduPoint"))
    # The page drew the bot's HTML as elements, and the bot's markup never as markup.
    assert page.locator(".msg.bot .bubble a[href='https://t.me/worlddesk/100']").count() == 1
    page.close()


def test_page_draws_telegram_formatting_as_elements_never_as_markup(browser: Browser) -> None:
    with Emulator() as tg:
        tg.add_user(PAGE_CHAT_ID, first_name="You")
        keyboard = {"inline_keyboard": [[{"text": "Source", "url": "https://example.org/s"},
                                         {"text": "All statements", "callback_data": "st:1"}]]}
        sent = httpx.post(f"{tg.base_url}{tg.token}/sendMessage", json={
            "chat_id": PAGE_CHAT_ID, "parse_mode": "HTML", "reply_markup": keyboard,
            "text": ("<b>Title</b> <i>it</i> <u>un</u> <s>st</s> <code>c</code>\n"
                     "<pre>pre</pre><blockquote>quoted</blockquote>"
                     "<tg-spoiler>secret</tg-spoiler> <a href=\"https://example.org/\">link</a> "
                     "<a href=\"javascript:alert(1)\">js</a> "
                     "&lt;script&gt;alert(1)&lt;/script&gt;"),
        }, timeout=5)
        assert sent.json()["ok"]
        page = browser.new_page(color_scheme="dark")
        page.goto(f"{tg.url}/")
        bubble = page.locator(".msg.bot .bubble")
        for tag, text in [("b", "Title"), ("i", "it"), ("u", "un"), ("s", "st"), ("code", "c"),
                          ("pre", "pre"), ("blockquote", "quoted")]:
            expect(bubble.locator(tag)).to_have_text(text)
        expect(bubble.locator("a[href='https://example.org/']")).to_have_text("link")
        # javascript: never becomes a live link, and the bot's escaped <script> is just text.
        assert bubble.locator("a", has_text="js").get_attribute("href") == (
            "http://javascript:alert(1)")
        expect(bubble).to_contain_text("<script>alert(1)</script>")
        assert page.locator(".chat script").count() == 0
        spoiler = bubble.locator(".spoiler")
        expect(spoiler).not_to_have_class(re.compile("shown"))
        spoiler.click()
        expect(spoiler).to_have_class(re.compile("shown"))
        expect(page.locator(".keyboard a")).to_have_attribute("href", "https://example.org/s")
        page.locator(".keyboard button", has_text="All statements").click()
        # The page sends the press in the background: a long poll waits for it.
        update = httpx.post(f"{tg.base_url}{tg.token}/getUpdates", data={"timeout": "20"},
                            timeout=30).json()["result"]
        assert update[-1]["callback_query"]["data"] == "st:1"
        page.locator(".msg.bot .reply").click()  # Telegram's "Reply", then a command
        expect(page.locator("#reply-bar")).to_contain_text("Title it un")
        page.locator("#input").fill("/summary")
        page.locator("#input").press("Enter")
        expect(page.locator(".msg.user .quote")).to_contain_text("Title it un")
        expect(page.locator("#reply-bar")).to_be_hidden()
        (mine,) = [m for m in tg.transcript(PAGE_CHAT_ID) if not m.from_bot]
        assert (mine.text, mine.reply_to_message_id) == ("/summary", 1)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(14, 22, 33)"  # the dark palette follows the system
        page.close()
