"""Property tests: any JSON brief comes back as it went in; any sequence of operations on two
users matches a plain in-memory model, and neither user ever sees the other's data."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import HistoryItem, RetentionPolicy, Subscription, TinyStore
from tests.storage.conftest import START, small_segments

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
briefs = st.dictionaries(st.text(max_size=10), json_values, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(brief=briefs, user_id=st.integers(-(2**40), 2**40))
def test_any_json_brief_round_trips(brief: dict[str, Any], user_id: int) -> None:
    async def run(directory: Path) -> None:
        # the clock matters: retention hides briefs older than 180 days
        async with TinyStore(directory, clock=lambda: START) as store:
            stored = await store.add_history(user_id, HistoryItem(created_at=START, brief=brief))
        async with TinyStore(directory, clock=lambda: START) as store:
            assert await store.history_page(user_id, 0, 5) == [stored]
            assert stored.brief == brief

    with tempfile.TemporaryDirectory() as d:
        asyncio.run(run(Path(d)))


ops = st.lists(
    st.tuples(
        st.sampled_from(["history", "subscribe", "unsubscribe", "delete"]),
        st.sampled_from([1, 2]),
        st.integers(0, 5),
    ),
    max_size=40,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=ops)
def test_two_users_match_a_model(ops: list[tuple[str, int, int]]) -> None:
    history: dict[int, list[int]] = {1: [], 2: []}
    topics: dict[int, dict[str, str]] = {1: {}, 2: {}}  # value -> id

    async def run(directory: Path) -> None:
        # A cap of 7 over segments of 3: retention and the segment arithmetic are in the model.
        async with TinyStore(directory, RetentionPolicy(max_items=7), clock=lambda: START) as store:
            for n, (op, uid, arg) in enumerate(ops):
                if op == "history":
                    await store.add_history(uid, HistoryItem(created_at=START, brief={"n": n}))
                    history[uid] = ([*history[uid], n])[-7:]
                elif op == "subscribe":
                    got = await store.add_subscription(
                        uid, Subscription(kind="topic", value=f"t{arg}", created_at=START))
                    assert (got is None) == (f"t{arg}" in topics[uid])
                    if got is not None:
                        topics[uid][f"t{arg}"] = got.id
                elif op == "unsubscribe":
                    other = 3 - uid
                    # naming the other user's subscription id never touches it
                    for sub_id in list(topics[other].values()):
                        assert await store.remove_subscription(uid, sub_id) is False
                    value = f"t{arg}"
                    removed = await store.remove_subscription(uid, topics[uid].get(value, "-"))
                    assert removed == (value in topics[uid])
                    topics[uid].pop(value, None)
                else:
                    report = await store.delete_user(uid)
                    # lines hidden by retention but not yet purged go too
                    assert report.history >= len(history[uid])
                    assert report.subscriptions == len(topics[uid])
                    history[uid], topics[uid] = [], {}
                for u in (1, 2):
                    page = await store.history_page(u, 0, 100)
                    assert [h.brief["n"] for h in page] == history[u][::-1]
                    assert await store.history_count(u) == len(history[u])
                    subs = await store.list_subscriptions(u)
                    assert {s.value: s.id for s in subs} == topics[u]

    with tempfile.TemporaryDirectory() as d:
        asyncio.run(run(small_segments(Path(d), 3)))
