"""The TinyDB backend of `Store`: one directory, many small files, one writer thread.

Layout under the data directory (see README, "Storage"):

    store.json                    schema version (storage.schema)
    .lock                         flock: one process owns the directory
    users/<hh>/<user_id>/         hh = first two hex digits of sha256(user id): 256 shards
        user.json                 settings, subscriptions, digest log
        h-<seq>.jsonl             history, append-only, 200 briefs a segment (storage.history)
    articles/<day>/<b>.jsonl      the shared pool, append-only (storage.pool)
    feeds/<hh>.json               feed state, 256 shards by sha256(url)
    index/feeds-<hh>.json         feed url -> follower ids (storage.feedindex)

Every operation runs on one worker thread, in the order it was called: writes never interleave,
a read sees every write acknowledged before it, and the event loop never waits on the disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import functools
import logging
import os
import secrets
import shutil
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import ParamSpec, TypeVar

from storage.atomic import (
    CORRUPT_MARK,
    DELETING_MARK,
    fsync_dir,
    is_quarantined,
    sweep_stale,
    write_batch,
)
from storage.base import (
    Article,
    DeletionReport,
    DigestRecord,
    FeedState,
    HistoryItem,
    RetentionPolicy,
    Store,
    StoreError,
    StoreHealth,
    Subscription,
    UserExport,
    UserSettings,
)
from storage.feedindex import FeedIndex, shard
from storage.feedstate import FeedStates
from storage.pool import ArticlePool
from storage.schema import Migration, prepare
from storage.tinystorage import CorruptFileError, QuarantinedError
from storage.userfiles import UserFiles

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

# Users whose files stay in memory (least recently used go first). A user costs at most two
# history segments (~400 KB of raw lines) and their parsed user.json.
CACHED_USERS = 64


def utcnow() -> datetime:
    return datetime.now(UTC)


class TinyStore:
    """`Store` on TinyDB files; see the module docstring."""

    def __init__(
        self,
        data_dir: Path,
        retention: RetentionPolicy | None = None,
        *,
        cached_users: int = CACHED_USERS,
        clock: Callable[[], datetime] = utcnow,
        migrations: dict[int, Migration] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.retention = retention or RetentionPolicy()
        self._cached_users = max(1, cached_users)
        self._clock = clock
        self._migrations = migrations
        self._executor: ThreadPoolExecutor | None = None
        self._lock_fd: int | None = None
        self._schema = 0
        self._segment = 0
        self._users: OrderedDict[int, UserFiles] = OrderedDict()
        self._feeds = FeedStates(self.data_dir / "feeds")
        self._followers = FeedIndex(self.data_dir, self._scan_feed_urls)
        # Every user id with a directory, listed once per process and kept up to date by the
        # writes that create users and by delete_user (the digest scheduler asks often).
        self._user_ids: set[int] | None = None
        self._pool = ArticlePool(self.data_dir / "articles", self.retention.article_days)
        self._quarantined: set[str] = set()

    # --- lifecycle --------------------------------------------------------------------------
    async def open(self) -> None:
        if self._executor is not None:
            raise StoreError("store is already open")
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        try:
            await asyncio.get_running_loop().run_in_executor(executor, self._open_sync)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        self._executor = executor

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        # Runs after every operation already queued: nothing acknowledged is cut short.
        await asyncio.get_running_loop().run_in_executor(executor, self._close_sync)
        executor.shutdown(wait=False)

    async def __aenter__(self) -> TinyStore:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def _open_sync(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.data_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(fd)
            raise StoreError(f"{self.data_dir} is in use by another process") from exc
        self._lock_fd = fd
        try:
            stamp = prepare(self.data_dir, self._migrations)
            self._schema = int(stamp["schema"])
            self._segment = int(stamp["history_segment"])
            self._sweep()
            with os.scandir(self.data_dir / "users") as entries:
                no_users = next(entries, None) is None
            self._followers.start(no_users=no_users)
        except BaseException:
            self._close_sync()
            raise

    def _sweep(self) -> None:
        """Stale temporary files and half-deleted directories left by a crash go; files moved
        aside as corrupt are reported. User directories are swept when first opened."""
        sweep_stale(self.data_dir)
        for sub in ("users", "articles", "feeds", "index"):
            top = self.data_dir / sub
            top.mkdir(exist_ok=True)
            dirs = [top]
            if sub == "users":
                dirs += [Path(e.path) for e in os.scandir(top) if e.is_dir()]
            for directory in dirs:
                sweep_stale(directory)
                for entry in os.scandir(directory):
                    if entry.name.startswith(DELETING_MARK):
                        shutil.rmtree(entry.path, ignore_errors=True)
                    elif is_quarantined(entry.name):
                        self._note_quarantine(Path(entry.path))
        for name in sorted(self._quarantined):
            log.error("store file %s was moved aside as corrupt and needs an operator", name)

    def _close_sync(self) -> None:
        self._users.clear()
        self._feeds.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None

    def _note_quarantine(self, path: Path) -> None:
        with contextlib.suppress(ValueError):
            self._quarantined.add(str(path.relative_to(self.data_dir)))

    async def _call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if self._executor is None:
            raise StoreError("the store is not open")
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, functools.partial(self._guarded, fn, *args, **kwargs)
        )

    def _guarded(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except CorruptFileError as exc:
            self._note_quarantine(exc.moved_to)
            self._users.clear()  # the user's next access sees the quarantine and refuses
            raise
        except QuarantinedError as exc:
            if str(exc.path.relative_to(self.data_dir)) not in self._quarantined:
                log.error("%s", exc)  # found by this process for the first time: say so loudly
                self._note_quarantine(exc.path)
            raise
        except StoreError:
            raise
        except OSError as exc:
            raise StoreError(f"store I/O failed: {exc}") from exc

    # --- users --------------------------------------------------------------------------------
    def user_dir(self, user_id: int) -> Path:
        return self.data_dir / "users" / shard(str(user_id)) / str(user_id)

    def _user(self, user_id: int) -> UserFiles:
        if not isinstance(user_id, int) or isinstance(user_id, bool):
            raise StoreError(f"user id must be an int, not {type(user_id).__name__}")
        files = self._users.get(user_id)
        if files is not None:
            self._users.move_to_end(user_id)
            return files
        files = UserFiles(user_id, self.user_dir(user_id), self._segment, self.retention)
        self._users[user_id] = files
        while len(self._users) > self._cached_users:
            self._users.popitem(last=False)
        return files

    def _with_user(self, user_id: int, fn: Callable[[UserFiles], T]) -> T:
        files = self._user(user_id)
        try:
            return fn(files)
        except StoreError:
            # The files are the truth: forget whatever the failed call left in memory.
            self._users.pop(user_id, None)
            raise
        finally:
            files.trim_cache()
            if files.exists and self._user_ids is not None:
                self._user_ids.add(user_id)  # a first write created the user

    async def get_user(self, user_id: int) -> UserSettings | None:
        return await self._call(self._with_user, user_id, UserFiles.get_settings)

    async def save_user(self, settings: UserSettings) -> None:
        await self._call(self._with_user, settings.user_id, lambda f: f.save_settings(settings))

    async def update_user(
        self, user_id: int, change: Callable[[UserSettings | None], UserSettings | None]
    ) -> UserSettings | None:
        def run(files: UserFiles) -> UserSettings | None:
            current = files.get_settings()
            new = change(current)
            if new is None:
                return current
            if new.user_id != user_id:
                raise StoreError("update_user cannot move settings to another user")
            if new != current:
                files.save_settings(new)
            return new

        return await self._call(self._with_user, user_id, run)

    async def delete_user(self, user_id: int) -> DeletionReport:
        return await self._call(self._delete_user_sync, user_id)

    def _delete_user_sync(self, user_id: int) -> DeletionReport:
        directory = self.user_dir(user_id)
        self._users.pop(user_id, None)
        if not directory.exists():
            return DeletionReport()
        feeds: set[str] | None
        try:
            files = UserFiles(user_id, directory, self._segment, self.retention)
            report = DeletionReport(
                settings=int(files.get_settings() is not None),
                subscriptions=len(files.subscriptions()),
                history=files.history.total(),  # every line on disk, hidden ones too
                digests=len(files.digests()),
            )
            feeds = files.feed_urls()
        except StoreError:
            # Unreadable (quarantined or corrupt): the user's right to deletion still holds.
            names = [e.name for e in os.scandir(directory)]
            report = DeletionReport(
                unreadable_files=sum(1 for n in names if CORRUPT_MARK in n),
            )
            feeds = None  # unknown: the index looks in every shard
        with self._followers.changing():
            # One rename makes the user disappear atomically; a crash during the removal leaves
            # a ".deleting-" directory that the next open finishes removing.
            doomed = directory.with_name(f"{DELETING_MARK}{user_id}-{secrets.token_hex(4)}")
            directory.replace(doomed)
            fsync_dir(directory.parent)
            self._followers.forget_user(user_id, feeds)
        shutil.rmtree(doomed)
        if self._user_ids is not None:
            self._user_ids.discard(user_id)
        self._quarantined = {
            q for q in self._quarantined if not q.startswith(str(directory.relative_to(
                self.data_dir)) + os.sep)
        }
        log.info("deleted user data: %d records", report.total)
        return report

    async def export_user(self, user_id: int) -> UserExport:
        def run(files: UserFiles) -> UserExport:
            return UserExport(
                settings=files.get_settings(),
                subscriptions=files.subscriptions(),
                history=files.history.all(self._clock()),
                digests=files.digests(),
            )

        return await self._call(self._with_user, user_id, run)

    # --- subscriptions ----------------------------------------------------------------------
    async def add_subscription(self, user_id: int, sub: Subscription) -> Subscription | None:
        def run(files: UserFiles) -> Subscription | None:
            if sub.kind != "feed":
                return files.add_subscription(sub, secrets.token_hex(6))
            with self._followers.changing():
                stored = files.add_subscription(sub, secrets.token_hex(6))
                if stored is not None:
                    self._followers.set_following(stored.value, user_id, True)
            return stored

        return await self._call(self._with_user, user_id, run)

    async def remove_subscription(self, user_id: int, sub_id: str) -> bool:
        def run(files: UserFiles) -> bool:
            found = files.find_subscription(sub_id)
            if found is None:
                return False
            if found.kind != "feed":
                return files.remove_subscription(sub_id) is not None
            with self._followers.changing():
                files.remove_subscription(sub_id)
                # Another subscription to the same URL (spelled with spaces) may remain.
                if found.value not in files.feed_urls():
                    self._followers.set_following(found.value, user_id, False)
            return True

        return await self._call(self._with_user, user_id, run)

    async def list_subscriptions(self, user_id: int) -> list[Subscription]:
        return await self._call(self._with_user, user_id, UserFiles.subscriptions)

    # --- history ----------------------------------------------------------------------------
    async def add_history(self, user_id: int, item: HistoryItem) -> HistoryItem:
        now = self._clock()
        return await self._call(self._with_user, user_id, lambda f: f.add_history(item, now))

    async def history_page(self, user_id: int, offset: int, limit: int) -> list[HistoryItem]:
        now = self._clock()
        return await self._call(
            self._with_user, user_id, lambda f: f.history.page(offset, limit, now)
        )

    async def history_count(self, user_id: int) -> int:
        now = self._clock()
        return await self._call(self._with_user, user_id, lambda f: f.history.count(now))

    async def history_since(self, user_id: int, since: datetime) -> list[HistoryItem]:
        now = self._clock()
        return await self._call(self._with_user, user_id, lambda f: f.history.since(since, now))

    # --- digest log -------------------------------------------------------------------------
    async def get_digest(self, user_id: int, local_date: str) -> DigestRecord | None:
        return await self._call(self._with_user, user_id, lambda f: f.get_digest(local_date))

    async def put_digest(self, user_id: int, record: DigestRecord) -> None:
        await self._call(self._with_user, user_id, lambda f: f.put_digest(record))

    async def put_digests(self, records: Sequence[tuple[int, DigestRecord]]) -> list[int]:
        return await self._call(self._put_digests_sync, list(records))

    def _put_digests_sync(self, records: list[tuple[int, DigestRecord]]) -> list[int]:
        failed: list[int] = []
        written: list[int] = []
        try:
            with write_batch():
                for user_id, record in records:
                    try:
                        self._guarded(
                            self._with_user, user_id, lambda f, r=record: f.put_digest(r)
                        )
                    except StoreError as exc:
                        log.warning("digest log of user %s not written: %s", user_id, exc)
                        failed.append(user_id)
                    else:
                        written.append(user_id)
        except BaseException:
            # Nothing of the batch may be on disk: the files are the truth, drop what we cached.
            for user_id in written:
                self._users.pop(user_id, None)
            raise
        return failed

    # --- cross-user, no user text -------------------------------------------------------------
    async def list_user_ids(self) -> list[int]:
        return await self._call(self._list_user_ids_sync)

    def _list_user_ids_sync(self) -> list[int]:
        if self._user_ids is None:
            self._user_ids = set(self._scan_user_ids())
        return sorted(self._user_ids)

    def _scan_user_ids(self) -> Iterator[int]:
        """Every user directory on disk (256 shard directories: ~10 ms a 10,000 users)."""
        for shard_entry in os.scandir(self.data_dir / "users"):
            if not shard_entry.is_dir() or shard_entry.name.startswith("."):
                continue
            for entry in os.scandir(shard_entry.path):
                with contextlib.suppress(ValueError):
                    yield int(entry.name)

    async def feed_followers(self, feed_url: str) -> list[int]:
        return await self._call(self._followers.followers, feed_url)

    def _scan_feed_urls(self) -> Iterator[tuple[int, set[str]]]:
        """(user id, feed URLs) of every readable user: what the follower index is rebuilt from.
        Bypasses the user cache so a rebuild does not evict the active users."""
        for user_id in self._list_user_ids_sync():
            files = self._users.get(user_id)
            try:
                if files is None:
                    files = UserFiles(user_id, self.user_dir(user_id), self._segment,
                                      self.retention)
                urls = files.feed_urls()
            except CorruptFileError as exc:
                self._note_quarantine(exc.moved_to)
                continue
            except StoreError as exc:
                log.error("feed index skips user %d: %s", user_id, exc)
                continue
            if urls:
                yield user_id, urls

    # --- article pool -----------------------------------------------------------------------
    async def put_article(self, article: Article) -> Article:
        return await self._call(self._pool.put, article, self._clock())

    async def get_article(self, article_id: str) -> Article | None:
        return await self._call(self._pool.get, article_id, self._clock())

    async def articles_since(self, since: datetime) -> Sequence[Article]:
        return await self._call(self._pool.since, since, self._clock())

    # --- feed state ---------------------------------------------------------------------------
    async def get_feed(self, url: str) -> FeedState | None:
        return await self._call(self._feeds.get, url)

    async def save_feed(self, state: FeedState) -> None:
        await self._call(self._feeds.save, state)

    async def list_feeds(self) -> list[FeedState]:
        return await self._call(self._feeds.all)

    # --- maintenance --------------------------------------------------------------------------
    async def purge_expired(self) -> int:
        return await self._call(self._purge_sync)

    def _purge_sync(self) -> int:
        now = self._clock()
        removed = self._pool.purge(now)
        for user_id in self._list_user_ids_sync():
            try:
                removed += self._with_user(user_id, lambda f: f.history.purge(now))
            except StoreError as exc:
                log.error("retention skipped user %d: %s", user_id, exc)
        return removed

    async def health(self) -> StoreHealth:
        def run() -> StoreHealth:
            return StoreHealth(
                location=str(self.data_dir),
                schema=self._schema,
                is_open=self._executor is not None,
                quarantined=tuple(sorted(self._quarantined)),
            )

        # Through the worker while open: the quarantine set is the worker's to change.
        return await self._call(run) if self._executor is not None else run()

    # --- benchmark support --------------------------------------------------------------------
    async def bulk_load_user(
        self, settings: UserSettings, items: Sequence[HistoryItem], *, sync: bool = True
    ) -> None:
        """Write a new user's settings and history as whole files through the store's own
        layout and atomic writes: one write per file instead of one per brief (for `make
        bench`'s million briefs). `sync=False` skips the fsyncs; then call `os.sync()`."""
        await self._call(
            self._with_user,
            settings.user_id,
            lambda f: f.bulk_load(settings, list(items), sync=sync),
        )


def open_store(data_dir: Path, retention: RetentionPolicy | None = None) -> Store:
    """The application's store (not yet opened: `await store.open()` in post_init)."""
    # Returning it as `Store` makes mypy check that TinyStore implements the whole protocol.
    return TinyStore(data_dir, retention)
