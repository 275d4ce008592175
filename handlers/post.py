"""What a Telegram message offers to brief: its text or caption, its links, where it was
forwarded from.

Interim: `sources.telegram` (being written on branch `sources`) owns this parsing; until it
lands on main the bot uses this small version with the same signatures, and then switches.
"""

from __future__ import annotations

import re
from typing import Final

from telegram import (
    Message,
    MessageEntity,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
)

from sources.model import Post

# A text with at least this many letters besides its links is an article, not a link post.
ARTICLE_MIN_LETTERS: Final = 280
_URL_RE: Final = re.compile(r"https?://\S+", re.IGNORECASE)


def _links(message: Message) -> tuple[str, ...]:
    found: list[str] = []
    kinds: list[str | None] = [MessageEntity.URL, MessageEntity.TEXT_LINK]
    entities = (
        message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
    )
    for entity, text in entities.items():
        url = entity.url if entity.type == MessageEntity.TEXT_LINK else text
        if url and not url.lower().startswith(("http://", "https://")):
            url = "http://" + url
        if url and url not in found:
            found.append(url)
    return tuple(found)


def _origin(message: Message) -> tuple[str | None, str | None]:
    origin = message.forward_origin
    if isinstance(origin, MessageOriginChannel):
        chat = origin.chat
        if chat.username:
            return chat.title, f"https://t.me/{chat.username}/{origin.message_id}"
        return chat.title, f"https://t.me/c/{str(chat.id)[4:]}/{origin.message_id}"
    if isinstance(origin, MessageOriginChat):
        return origin.sender_chat.title, None
    if isinstance(origin, MessageOriginUser):
        return origin.sender_user.full_name, None
    if isinstance(origin, MessageOriginHiddenUser):
        return origin.sender_user_name, None
    return None, None


def parse_message(message: Message) -> Post:
    """The Post of one message."""
    name, url = _origin(message)
    return Post(
        text=message.text or message.caption or "",
        links=_links(message),
        source_name=name,
        source_url=url,
        media_group_id=message.media_group_id,
        forwarded=message.forward_origin is not None,
    )


def merge_album(posts: list[Post]) -> Post:
    """One Post of an album: the captions joined, all the links, the first origin."""
    if not posts:
        raise ValueError("an album has at least one message")
    texts = [p.text for p in posts if p.text.strip()]
    links: list[str] = []
    for post in posts:
        links += [link for link in post.links if link not in links]
    first = posts[0]
    return Post(
        text="\n\n".join(texts),
        links=tuple(links),
        source_name=next((p.source_name for p in posts if p.source_name), None),
        source_url=next((p.source_url for p in posts if p.source_url), None),
        media_group_id=first.media_group_id,
        forwarded=any(p.forwarded for p in posts),
    )


def choose_target(post: Post) -> str | None:
    """The link to fetch, or None to brief the post's own text (it is an article)."""
    letters = sum(ch.isalpha() for ch in _URL_RE.sub("", post.text))
    if post.links and letters < ARTICLE_MIN_LETTERS:
        return post.links[0]
    return None
