"""What a Telegram message offers to brief: its text or caption, its links, where it was
forwarded from. Pure functions over python-telegram-bot objects; no network, no bot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal
from urllib.parse import urlsplit

from telegram import (
    Message,
    MessageEntity,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
)

from sources.model import Post

# A post with at least this much text of its own (links not counted) is briefed itself; a
# shorter post with a link is a teaser and its linked article is briefed: characters.
LONG_POST_CHARS = 600
# Links to Telegram itself (a channel's "subscribe" link, another post) are not articles.
# (telegra.ph is not among them: channels publish real articles there.)
TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me", "telegram.dog"})
_LINK_TYPES: list[str | None] = [MessageEntity.URL, MessageEntity.TEXT_LINK]

TargetKind = Literal["link", "text"]

# Telegram's limit on one message's text (after its HTML is parsed), counted in UTF-16 code units
# as Telegram counts everything: an emoji outside the BMP counts two.
MESSAGE_LIMIT_UTF16 = 4096


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (entity offsets, the message limit): UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class Target(tuple[str, str]):
    """("link", url) or ("text", text), unpackable as a pair, plus `reason`: why, in words
    fit for the user ("The post is a short teaser, so I briefed the article it links to.")."""

    reason: str

    def __new__(cls, kind: TargetKind, value: str, reason: str) -> Target:
        target = super().__new__(cls, (kind, value))
        target.reason = reason
        return target

    @property
    def kind(self) -> TargetKind:
        return "link" if self[0] == "link" else "text"

    @property
    def value(self) -> str:
        return self[1]


def _normalise_link(raw: str) -> str | None:
    """An http(s) URL from an entity, or None for anything else (tg://, mailto:, Telegram)."""
    raw = raw.strip()
    if not raw:
        return None
    scheme = urlsplit(raw).scheme.lower()
    if not scheme or "://" not in raw:
        # Telegram marks "example.com/a" as a link; its apps open it over http, and so do we.
        raw, scheme = "http://" + raw, "http"
    if scheme not in ("http", "https"):
        return None
    host = (urlsplit(raw).hostname or "").lower()
    if not host or host in TELEGRAM_HOSTS or host.removeprefix("www.") in TELEGRAM_HOSTS:
        return None
    return raw


def _source(message: Message) -> tuple[str | None, str | None]:
    origin = message.forward_origin
    if isinstance(origin, MessageOriginChannel):
        chat = origin.chat
        if chat.username:
            url = f"https://t.me/{chat.username}/{origin.message_id}"
        else:
            # A private channel's id is -100XXXXXXXXXX; its post links use the XXXXXXXXXX part.
            url = f"https://t.me/c/{str(chat.id)[4:]}/{origin.message_id}"
        return chat.title or chat.username, url
    if isinstance(origin, MessageOriginChat):
        chat = origin.sender_chat
        link = f"https://t.me/{chat.username}" if chat.username else None
        return chat.title or chat.username, link
    if isinstance(origin, MessageOriginUser):
        return origin.sender_user.full_name, None
    if isinstance(origin, MessageOriginHiddenUser):
        return origin.sender_user_name, None
    return None, None


def parse_message(message: Message) -> Post:
    """The text (or caption), its links in order (from `url` and `text_link` entities, which
    PTB slices with Telegram's UTF-16 offsets), and the forward's origin."""
    if message.text is not None:
        text, entities = message.text, message.parse_entities(_LINK_TYPES)
    else:
        text, entities = message.caption or "", message.parse_caption_entities(_LINK_TYPES)
    links: list[str] = []
    for entity, entity_text in sorted(entities.items(), key=lambda item: item[0].offset):
        raw = entity.url if entity.type == MessageEntity.TEXT_LINK else entity_text
        link = _normalise_link(raw or "")
        if link and link not in links:
            links.append(link)
    name, url = _source(message)
    return Post(
        text=text,
        links=tuple(links),
        source_name=name,
        source_url=url,
        media_group_id=message.media_group_id,
        forwarded=message.forward_origin is not None,
    )


def merge_album(posts: Sequence[Post]) -> Post:
    """One Post for the messages of one album (same media_group_id): the captions (usually only
    one message has one) joined, the links of all, the first known source."""
    if not posts:
        return Post(text="")
    texts: list[str] = []
    links: list[str] = []
    for post in posts:
        if post.text.strip() and post.text not in texts:
            texts.append(post.text)
        links.extend(link for link in post.links if link not in links)
    with_source = next((p for p in posts if p.source_name or p.source_url), posts[0])
    return Post(
        text="\n\n".join(texts),
        links=tuple(links),
        source_name=with_source.source_name,
        source_url=with_source.source_url,
        media_group_id=posts[0].media_group_id,
        forwarded=any(p.forwarded for p in posts),
    )


def own_text_length(post: Post) -> int:
    """Characters of the post that are not its links (a bare URL is not something to brief)."""
    text = post.text
    for link in post.links:
        text = text.replace(link, "").replace(link.removeprefix("http://"), "")
    return len(text.strip())


def choose_target(post: Post) -> Target:
    """Brief the linked article when the post is a short teaser, the post when it says enough
    itself (LONG_POST_CHARS), and say which."""
    own = own_text_length(post)
    if post.links and own < LONG_POST_CHARS:
        return Target(
            "link",
            post.links[0],
            "The post is short, so this is a brief of the article it links to.",
        )
    if post.links:
        return Target(
            "text", post.text, "The post is long enough on its own, so this is a brief of the post."
        )
    return Target("text", post.text, "The post has no link, so this is a brief of its text.")
