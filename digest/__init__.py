"""Subscriptions, feeds and the daily digest.

What the bot wires (see README, "Subscriptions and the digest"):

* `ArticlePool(store, clock).add(brief, url=...)` after every brief it sends, so forwards feed the
  topic matching (the pool keeps articles once, without who sent them);
* `FeedPoller(...).follow(url)` for /subscribe URL, `poll_due()` from a repeating job;
* `DigestService(...)`: `start()` in post_init, `tick()` from a repeating job,
  `settings_changed(user_id)` after /digest changes, `send_now(user_id)` for /digest now;
* `parse_digest_command`, `apply_action`, `reply_for` for the /digest handler;
* `parse_topic(text)` to validate /subscribe words (a topic with no terms is refused).
"""

from digest.broadcast import Broadcaster, Delivery, Pacer
from digest.compose import DigestItem, compose_digest
from digest.feeds import FeedError, FeedFetcher, FeedInfo, FeedPoller, resolve_feed
from digest.pool import ArticlePool, canonical_url
from digest.schedule import (
    DigestAction,
    Invalid,
    SendNow,
    SetTime,
    ShowSettings,
    ToggleSilent,
    TurnOff,
    TurnOn,
    apply_action,
    describe_settings,
    parse_digest_command,
    reply_for,
)
from digest.service import TICK_INTERVAL_S, DigestService, TickReport
from digest.topics import parse_topic, topic_matches

__all__ = [
    "TICK_INTERVAL_S",
    "ArticlePool",
    "Broadcaster",
    "Delivery",
    "DigestAction",
    "DigestItem",
    "DigestService",
    "FeedError",
    "FeedFetcher",
    "FeedInfo",
    "FeedPoller",
    "Invalid",
    "Pacer",
    "SendNow",
    "SetTime",
    "ShowSettings",
    "TickReport",
    "ToggleSilent",
    "TurnOff",
    "TurnOn",
    "apply_action",
    "canonical_url",
    "compose_digest",
    "describe_settings",
    "parse_digest_command",
    "parse_topic",
    "reply_for",
    "resolve_feed",
    "topic_matches",
]
