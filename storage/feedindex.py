"""Which users follow a feed: a small on-disk index, so the feed poller's question costs
O(followers of that feed) instead of a read of every user's file.

Layout: `index/feeds-<hh>.json` holds {feed url: [user ids]} for the URLs whose sha256 starts with
`hh` (256 shards, so one subscription rewrites 1/256 of the index), and `index/state.json` says
which index version the shards follow and whether a change was in flight.

The users' own files stay the truth; the index is derived from them. It can be stale in three
ways, all detected through `state.json`, and then rebuilt from the user files once, on first use:
- missing (a directory from before the index, or the index removed by an operator);
- an older `INDEX_VERSION` (the shard format changed);
- a crash between a user's file and the index being written: every change first marks the state
  `pending` (durably), then writes the user file and the shard, then clears the mark. A pending
  mark found at start means one change may be half done.
Subscription changes are rare (a person typing /subscribe), so the two extra small writes a
change costs buy an index that survives kills without a rebuild.

Not thread-safe: the store calls it from its single worker thread.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storage.atomic import atomic_write, quarantine
from storage.tinystorage import encode

log = logging.getLogger(__name__)

INDEX_DIR = "index"
STATE_FILE = "state.json"
# Bump when the shard format changes: the next start rebuilds the index from the user files.
INDEX_VERSION = 1


def shard(key: str) -> str:
    """Two hex digits of sha256: 256 shards (shared with the user and feed-state layouts)."""
    return hashlib.sha256(key.encode()).hexdigest()[:2]


class FeedIndex:
    """Feed URL -> ids of the users who follow it (see the module docstring)."""

    def __init__(self, data_dir: Path, scan: Callable[[], Iterable[tuple[int, set[str]]]]) -> None:
        """`scan` yields (user id, feed URLs) for every readable user: the rebuild's source."""
        self.dir = data_dir / INDEX_DIR
        self._scan = scan
        self._shards: dict[str, dict[str, list[int]]] = {}
        self._trusted: bool | None = None  # None: state.json not read yet

    def start(self, *, no_users: bool) -> None:
        """At open: a directory without users has a trivially complete (empty) index."""
        if no_users and self._read_state() is None:
            self.dir.mkdir(exist_ok=True)
            self._write_state(pending=False)
            self._trusted = True

    # --- state -------------------------------------------------------------------------------
    def _read_state(self) -> dict[str, Any] | None:
        path = self.dir / STATE_FILE
        try:
            state = json.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except ValueError as exc:
            # Derived data, and the cleared mark is written without a sync (`_write_state`), so
            # a power cut may leave it empty: no operator needed, the rebuild replaces it.
            log.warning("feed follower index state unreadable (%s): rebuilding the index", exc)
            return None
        return state if isinstance(state, dict) else None

    def _write_state(self, *, pending: bool) -> None:
        # The pending mark must be on disk before the change it covers. Clearing it needs no
        # sync: if a power cut loses the clearing, the next start merely rebuilds the index.
        atomic_write(
            self.dir / STATE_FILE,
            encode({"version": INDEX_VERSION, "pending": pending}),
            sync=pending,
        )

    def _ensure(self) -> None:
        """Trust the shards, or rebuild them from the user files."""
        if self._trusted is None:
            state = self._read_state()
            self._trusted = (
                state is not None
                and state.get("version") == INDEX_VERSION
                and state.get("pending") is False
            )
            if not self._trusted:
                why = "missing" if state is None else f"stale ({state})"
                log.warning("feed follower index is %s: rebuilding it from the user files", why)
        if not self._trusted:
            self.rebuild()

    def rebuild(self) -> None:
        started = time.perf_counter()
        shards: dict[str, dict[str, list[int]]] = {}
        for user_id, urls in self._scan():
            for url in urls:
                shards.setdefault(shard(url), {}).setdefault(url, []).append(user_id)
        self._write_state(pending=True)
        for old in self.dir.glob("feeds-*.json"):
            key = old.name.removeprefix("feeds-").removesuffix(".json")
            if key not in shards:
                old.unlink()
        for key, feeds in shards.items():
            self._write_shard(key, {url: sorted(set(ids)) for url, ids in feeds.items()})
        self._shards = {key: self._shards[key] for key in shards}
        self._write_state(pending=False)
        self._trusted = True
        log.info("feed follower index rebuilt: %d feeds in %.2f s",
                 sum(len(f) for f in shards.values()), time.perf_counter() - started)

    # --- shards ------------------------------------------------------------------------------
    def _path(self, key: str) -> Path:
        return self.dir / f"feeds-{key}.json"

    def _load_shard(self, key: str) -> dict[str, list[int]]:
        feeds = self._shards.get(key)
        if feeds is not None:
            return feeds
        try:
            raw = json.loads(self._path(key).read_bytes())
            if not isinstance(raw, dict):
                raise ValueError("not an object")
            feeds = {str(url): [int(i) for i in ids] for url, ids in raw.items()}
        except FileNotFoundError:
            feeds = {}
        except (ValueError, TypeError) as exc:
            # Written atomically, so this is damage from outside: rebuild everything.
            quarantine(self._path(key), str(exc))
            self._trusted = False
            self.rebuild()
            return self._load_shard(key)
        self._shards[key] = feeds
        return feeds

    def _write_shard(self, key: str, feeds: dict[str, list[int]]) -> None:
        atomic_write(self._path(key), encode(feeds))
        self._shards[key] = feeds

    # --- queries and changes -------------------------------------------------------------------
    def followers(self, url: str) -> list[int]:
        self._ensure()
        return list(self._load_shard(shard(url)).get(url, []))

    @contextmanager
    def changing(self) -> Iterator[None]:
        """Wrap a write of a user's file together with the index updates it implies: a crash
        inside leaves the index marked pending, hence rebuilt at the next start."""
        self._ensure()
        self._write_state(pending=True)
        try:
            yield
        except BaseException:
            # The user file and the index may disagree now: the mark stays pending on disk and
            # the next use rebuilds (rare: a failed write).
            self._trusted = False
            raise
        self._write_state(pending=False)

    def set_following(self, url: str, user_id: int, following: bool) -> None:
        """Call inside `changing()`."""
        key = shard(url)
        feeds = self._load_shard(key)
        ids = set(feeds.get(url, []))
        if (user_id in ids) == following:
            return
        if following:
            ids.add(user_id)
        else:
            ids.discard(user_id)
        new = dict(feeds)
        if ids:
            new[url] = sorted(ids)
        else:
            new.pop(url, None)
        self._write_shard(key, new)

    def forget_user(self, user_id: int, urls: Iterable[str] | None) -> None:
        """Call inside `changing()` with the feed URLs the user followed; None when they are
        unknown (the user's file was unreadable): then every shard is checked."""
        if urls is not None:
            for url in urls:
                self.set_following(url, user_id, False)
            return
        for path in sorted(self.dir.glob("feeds-*.json")):
            key = path.name.removeprefix("feeds-").removesuffix(".json")
            for url, ids in list(self._load_shard(key).items()):
                if user_id in ids:
                    self.set_following(url, user_id, False)
