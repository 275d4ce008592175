"""Crash-safe file primitives: atomic replace, stale temporary files, quarantine of corrupt files.

A file is only ever replaced whole: the new bytes go to a temporary file in the same directory
(so `os.replace` stays on one file system and is atomic), the temporary file is fsynced, renamed
over the target, and the directory is fsynced so the rename itself survives a power cut. A kill at
any moment therefore leaves either the old file or the new one, plus at worst a stale temporary
file, which `sweep_stale` removes at the next start.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import logging
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

# Temporary files are hidden and carry this marker; nothing else in the data directory does.
TMP_MARK = ".tmp-"
# A corrupt file is renamed to "<name><CORRUPT_MARK><UTC timestamp>" and left for an operator.
CORRUPT_MARK = ".corrupt-"
# A user directory being deleted is first renamed to "<DELETING_MARK><name>" (atomic), then removed.
DELETING_MARK = ".deleting-"

_counter = itertools.count()
# The write batch open on this thread (see write_batch): temporary files waiting to be renamed.
_batches = threading.local()


# Linux's syncfs(2): flush one file system, not the whole machine as os.sync() does. Python has
# no binding for it; libc has had it since glibc 2.14. None elsewhere (then os.sync()).
_SYNCFS = getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)


def sync_filesystem(path: Path) -> None:
    """Make everything written to the file system holding `path` durable: syncfs(2) where the
    C library has it (only that file system is flushed), else os.sync() (all of them)."""
    if _SYNCFS is None:
        os.sync()
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        if _SYNCFS(fd) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"syncfs: {os.strerror(errno)}")
    finally:
        os.close(fd)


def fsync_dir(directory: Path) -> None:
    """Make a rename or unlink in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new content.

    `sync=False` skips both fsyncs (the replace stays atomic for a process crash, not for a power
    cut): only for bulk loads that end with `sync_filesystem`.
    """
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f".{path.name}{TMP_MARK}{os.getpid()}-{next(_counter)}"
    batch: list[tuple[Path, Path]] | None = getattr(_batches, "pending", None)
    if batch is not None:
        sync = False  # write_batch makes the whole batch durable at its end

    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if sync:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    if batch is not None:
        batch.append((tmp, path))
        return
    try:
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync:
        fsync_dir(directory)


@contextlib.contextmanager
def write_batch() -> Iterator[None]:
    """Make every `atomic_write` inside the block durable together, for two syncs in all.

    Inside the block each write only fills its temporary file. At the end one sync makes
    all the temporary files durable, they are renamed over their targets in order, and a second
    sync makes the renames durable; only then does the block return. So each file is still
    either wholly old or wholly new after a crash or power cut at any moment, and nothing is
    acknowledged before it is on disk; what a batch saves is one pair of fsyncs per file (about
    2.5 ms each here) for two syncs per batch (about 20 ms for 64 files). The syncs flush the
    whole file system holding the files (`sync_filesystem`: syncfs on Linux, `os.sync()`
    elsewhere), so keep batches for bursts of small writes.

    If the block raises (or the sync or a rename fails) the temporary files not yet renamed are
    removed and the error propagates: those writes did not happen, and the caller must forget
    anything it cached of them. Not reentrant; one batch per thread.
    """
    if getattr(_batches, "pending", None) is not None:
        raise RuntimeError("write batches do not nest")
    pending: list[tuple[Path, Path]] = []
    _batches.pending = pending
    try:
        yield
        _batches.pending = None
        if pending:
            anchor = pending[0][0].parent  # every file of a batch is in the data directory
            sync_filesystem(anchor)
            while pending:
                tmp, path = pending[0]
                tmp.replace(path)
                pending.pop(0)
            sync_filesystem(anchor)
    finally:
        _batches.pending = None
        for tmp, _ in pending:
            tmp.unlink(missing_ok=True)


def durable_unlink(path: Path) -> bool:
    """Remove a file durably; False when it did not exist."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    fsync_dir(path.parent)
    return True


def is_stale_tmp(name: str) -> bool:
    return name.startswith(".") and TMP_MARK in name


def sweep_stale(directory: Path) -> int:
    """Remove temporary files left by a crash in `directory` (not recursive). Returns the count.

    Only call this while holding the store's lock: a live writer's temporary file is not stale.
    """
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return 0
    for entry in entries:
        if is_stale_tmp(entry.name) and entry.is_file(follow_symlinks=False):
            Path(entry.path).unlink(missing_ok=True)
            removed += 1
    if removed:
        log.warning("removed %d stale temporary file(s) in %s", removed, directory)
    return removed


def quarantine(path: Path, reason: str) -> Path:
    """Move a corrupt file aside (never delete it) and log loudly. Returns its new path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}{CORRUPT_MARK}{stamp}")
    path.replace(target)
    fsync_dir(path.parent)
    log.error("corrupt store file %s moved aside to %s: %s", path, target.name, reason)
    return target


def is_quarantined(name: str) -> bool:
    return CORRUPT_MARK in name
