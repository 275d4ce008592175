"""The Bot API state machine without HTTP: flood limits on a fake clock, method details."""

from __future__ import annotations

import pytest

from playground.botapi import BotApi, FloodLimits
from playground.emulator import DEFAULT_TOKEN
from playground.records import ApiError, Chat


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def api_with_chats(limits: FloodLimits, clock: Clock, *chat_ids: int) -> BotApi:
    api = BotApi(DEFAULT_TOKEN, flood_limits=limits, clock=clock)
    for chat_id in chat_ids:
        kind = "group" if chat_id < 0 else "private"
        api.chats[chat_id] = Chat(chat_id, kind, {"id": abs(chat_id), "is_bot": False,
                                                  "first_name": "A"}, title="G")
    return api


def send(api: BotApi, chat_id: int) -> None:
    api.call("sendMessage", {"chat_id": str(chat_id), "text": "hi"})


def test_per_chat_limit_refills_at_one_message_a_second() -> None:
    clock = Clock()
    api = api_with_chats(FloodLimits(per_chat_burst=2), clock, 1, 2)
    send(api, 1)
    send(api, 1)
    with pytest.raises(ApiError) as refused:
        send(api, 1)
    assert (refused.value.code, refused.value.retry_after) == (429, 1)
    assert refused.value.to_json()["description"] == "Too Many Requests: retry after 1"
    send(api, 2)  # another chat is not held back
    clock.now += 1.0
    send(api, 1)


def test_overall_and_group_limits() -> None:
    clock = Clock()
    api = api_with_chats(FloodLimits(per_chat_burst=100, per_chat_per_second=100, burst=30),
                         clock, *range(1, 32), -5)
    for chat_id in range(1, 31):
        send(api, chat_id)
    with pytest.raises(ApiError):
        send(api, 31)
    clock.now += 1.0
    for _ in range(20):
        send(api, -5)
        clock.now += 0.05  # well within the overall and per-chat rates
    with pytest.raises(ApiError) as refused:
        send(api, -5)
    assert refused.value.retry_after is not None and refused.value.retry_after >= 2


def test_refused_requests_cost_nothing() -> None:
    clock = Clock()
    api = api_with_chats(FloodLimits(per_chat_burst=1), clock, 1)
    send(api, 1)
    for _ in range(5):
        with pytest.raises(ApiError):
            send(api, 1)
    clock.now += 1.0
    send(api, 1)


def test_method_names_are_case_insensitive_and_unknown_ones_are_404() -> None:
    api = BotApi(DEFAULT_TOKEN)
    assert api.call("GETME", {})["username"] == "briefbot_playground_bot"
    with pytest.raises(ApiError) as missing:
        api.call("sendPoll", {})
    assert missing.value.code == 404
    with pytest.raises(ValueError, match="token"):
        BotApi("not-a-token")
