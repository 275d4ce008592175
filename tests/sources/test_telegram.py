"""Telegram messages as the Bot API sends them (Update JSON), parsed into Posts."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Message, Update

from sources.model import Post
from sources.telegram import (
    LONG_POST_CHARS,
    choose_target,
    merge_album,
    parse_message,
    utf16_len,
)

CHANNEL = {"id": -1001234567890, "type": "channel", "title": "World Desk", "username": "worlddesk"}
PRIVATE_CHANNEL = {"id": -1009876543210, "type": "channel", "title": "Inside Sources"}
USER_CHAT = {"id": 42, "type": "private", "first_name": "Ola"}


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entity(kind: str, text: str, part: str, **extra: Any) -> dict[str, Any]:
    """An entity over `part` of `text`, with Telegram's UTF-16 offset and length."""
    start = text.index(part)
    return {"type": kind, "offset": utf16(text[:start]), "length": utf16(part), **extra}


def message(update_id: int = 1, **fields: Any) -> Message:
    data = {"message_id": 10 + update_id, "date": 1612950000, "chat": USER_CHAT, **fields}
    update = Update.de_json({"update_id": update_id, "message": data}, bot=None)
    assert update is not None and update.message is not None
    return update.message


def test_text_with_emoji_before_a_bare_link() -> None:
    text = "🇷🇺🇪🇺 Кремль отвечает Боррелю 👉 worlddesk.example/news/1 и https://t.me/worlddesk"
    msg = message(
        text=text,
        entities=[
            entity("url", text, "worlddesk.example/news/1"),
            entity("url", text, "https://t.me/worlddesk"),
        ],
    )
    post = parse_message(msg)
    assert post.links == (
        "http://worlddesk.example/news/1",
    )  # the channel's own link is no article
    assert post.text == text and not post.forwarded and post.source_name is None


def test_utf16_len_counts_as_telegram_does() -> None:
    samples = (
        "",
        "a",
        "\u00e9",
        "\u041a\u0440\u0435\u043c\u043b\u044c",
        "\U0001f600",
        "\U0001f1ea\U0001f1fa",
        "e\u0301",
    )
    assert [utf16_len(s) for s in samples] == [0, 1, 1, 6, 2, 4, 2]
    # PTB slices an entity by Telegram's offsets: ours land it on the link.
    text = (
        "\U0001f1f7\U0001f1fa \u041a\u0440\u0435\u043c\u043b\u044c \U0001f449 https://example.org/a"
    )
    link = "https://example.org/a"
    offset = utf16_len(text[: text.index(link)])
    msg = message(
        text=text, entities=[{"type": "url", "offset": offset, "length": utf16_len(link)}]
    )
    assert msg.entities and msg.parse_entity(msg.entities[0]) == link


def test_channel_photo_with_a_hidden_link_in_its_caption() -> None:
    caption = "EU readies new sanctions 🔥 Read more"
    msg = message(
        photo=[{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 60}],
        caption=caption,
        caption_entities=[
            entity("bold", caption, "EU"),
            entity("text_link", caption, "Read more", url="https://worlddesk.example/eu?x=1"),
        ],
        forward_origin={"type": "channel", "date": 1612940000, "chat": CHANNEL, "message_id": 777},
    )
    post = parse_message(msg)
    assert post.text == caption and post.links == ("https://worlddesk.example/eu?x=1",)
    assert post.forwarded and post.source_name == "World Desk"
    assert post.source_url == "https://t.me/worlddesk/777"
    target = choose_target(post)
    assert target == ("link", "https://worlddesk.example/eu?x=1")
    kind, value = target
    assert kind == "link" and value.startswith("https://") and "short" in target.reason


def test_private_channel_link_uses_the_c_form() -> None:
    msg = message(
        text="Inside story",
        forward_origin={
            "type": "channel",
            "date": 1612940000,
            "chat": PRIVATE_CHANNEL,
            "message_id": 5,
            "author_signature": "Editor",
        },
    )
    post = parse_message(msg)
    assert post.source_name == "Inside Sources"
    assert post.source_url == "https://t.me/c/9876543210/5"


def test_every_other_forward_origin() -> None:
    group = {"id": -1005550001, "type": "supergroup", "title": "Debate Club", "username": "debate"}
    origins = {
        "chat": {"type": "chat", "date": 1, "sender_chat": group},
        "user": {
            "type": "user",
            "date": 1,
            "sender_user": {"id": 7, "is_bot": False, "first_name": "Anna", "last_name": "Kay"},
        },
        "hidden_user": {"type": "hidden_user", "date": 1, "sender_user_name": "Secret Source"},
    }
    got = {
        kind: parse_message(message(text="hello", forward_origin=origin))
        for kind, origin in origins.items()
    }
    assert (got["chat"].source_name, got["chat"].source_url) == (
        "Debate Club",
        "https://t.me/debate",
    )
    assert (got["user"].source_name, got["user"].source_url) == ("Anna Kay", None)
    assert (got["hidden_user"].source_name, got["hidden_user"].source_url) == (
        "Secret Source",
        None,
    )
    assert all(post.forwarded for post in got.values())


def test_an_album_is_one_post() -> None:
    origin = {"type": "channel", "date": 1, "chat": CHANNEL, "message_id": 900}
    photo = [{"file_id": "p", "file_unique_id": "u", "width": 9, "height": 9}]
    caption = "Borrell in Moscow: photos. Full story: worlddesk.example/borrell"
    album = [
        message(i, photo=photo, media_group_id="g1", forward_origin=origin, **extra)
        for i, extra in enumerate(
            [
                {},
                {
                    "caption": caption,
                    "caption_entities": [entity("url", caption, "worlddesk.example/borrell")],
                },
                {},
            ],
            start=1,
        )
    ]
    post = merge_album([parse_message(m) for m in album])
    assert post.media_group_id == "g1" and post.text == caption
    assert post.links == ("http://worlddesk.example/borrell",)
    assert post.source_url == "https://t.me/worlddesk/900"
    assert merge_album([]) == Post(text="")


def test_telegraph_articles_count_but_channel_links_do_not() -> None:
    text = "Full text: telegra.ph/Sanctions-explained-02-10 · subscribe t.me/worlddesk"
    ents = [
        entity("url", text, "telegra.ph/Sanctions-explained-02-10"),
        entity("url", text, "t.me/worlddesk"),
    ]
    post = parse_message(message(text=text, entities=ents))
    assert post.links == ("http://telegra.ph/Sanctions-explained-02-10",)


def test_a_long_post_is_briefed_itself_and_a_post_without_link_too() -> None:
    long_text = "The foreign ministers argued for hours about the new sanctions. " * 12
    assert len(long_text) > LONG_POST_CHARS
    post = Post(
        text=long_text + " https://worlddesk.example/a", links=("https://worlddesk.example/a",)
    )
    target = choose_target(post)
    assert target.kind == "text" and target.value == post.text and "long enough" in target.reason
    # a short post whose only text is its link still goes to the link
    bare = Post(text="https://worlddesk.example/a", links=("https://worlddesk.example/a",))
    assert choose_target(bare) == ("link", "https://worlddesk.example/a")
    assert choose_target(Post(text="just words")).kind == "text"


@settings(deadline=None)  # a loaded machine must not fail a property
@given(
    before=st.text(max_size=40),
    after=st.text(max_size=40),
    path=st.from_regex(r"[a-z0-9/_-]{0,20}", fullmatch=True),
)
def test_links_survive_any_surrounding_text(before: str, after: str, path: str) -> None:
    """Offsets are UTF-16 code units: astral characters (emoji) before a link count twice."""
    link = f"https://news.example/{path}"
    text = f"{before} {link} {after}"
    ent = {"type": "text_link", "offset": utf16(before + " "), "length": utf16(link), "url": link}
    url_ent = {"type": "url", "offset": utf16(before + " "), "length": utf16(link)}
    for ents in ([ent], [url_ent]):
        post = parse_message(message(text=text, entities=ents))
        assert post.links == (link,)
