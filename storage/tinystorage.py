"""A TinyDB `Storage` that writes atomically and keeps the last written state in memory.

TinyDB's own JSONStorage rewrites its file in place (a kill mid-write leaves a file that no longer
parses) and re-reads and re-parses the whole file on every query. This storage:

- reads the file once, then serves TinyDB from memory (write-through: memory always equals disk);
- serialises the whole state BEFORE touching the disk, so a value JSON cannot hold raises
  `StoreError` and leaves the file unchanged; the in-memory copy, which TinyDB has already
  mutated by then, is dropped and re-read from the intact file;
- writes through `atomic_write` (temporary file, fsync, rename, fsync of the directory);
- moves a file that does not parse aside and raises `CorruptFileError`; it never starts empty
  over it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from storage.atomic import atomic_write, quarantine
from storage.base import StoreError

Tables = dict[str, dict[str, Any]]


class CorruptFileError(StoreError):
    """A store file did not parse; it was moved aside to `moved_to`."""

    def __init__(self, path: Path, moved_to: Path, reason: str) -> None:
        super().__init__(f"corrupt store file {path} moved aside to {moved_to.name}: {reason}")
        self.path = path
        self.moved_to = moved_to


class QuarantinedError(StoreError):
    """Data that a file moved aside as corrupt (at `path`) belonged to; refused until resolved."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def encode(data: Any) -> bytes:
    """Compact JSON; raises StoreError for anything JSON cannot hold (sets, objects, NaN)."""
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError, RecursionError) as exc:
        raise StoreError(f"value cannot be stored as JSON: {exc}") from exc


def load_file(path: Path) -> Tables | None:
    """The parsed file, None when it does not exist; a corrupt file is quarantined."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise ValueError("not a TinyDB document (object of tables)")
    except (ValueError, UnicodeDecodeError) as exc:
        moved = quarantine(path, str(exc))
        raise CorruptFileError(path, moved, str(exc)) from exc
    return data


class AtomicJSONStorage(Storage):
    """See the module docstring. One instance per file; not thread-safe (the store serialises)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: Tables | None = None
        self._loaded = False

    def read(self) -> Tables | None:
        if not self._loaded:
            self._data = load_file(self.path)
            self._loaded = True
        return self._data

    def write(self, data: Tables) -> None:
        try:
            atomic_write(self.path, encode(data))
        except StoreError:
            self._forget()
            raise
        except OSError as exc:
            self._forget()
            raise StoreError(f"cannot write {self.path.name}: {exc}") from exc
        self._data = data
        self._loaded = True

    def _forget(self) -> None:
        # TinyDB mutated the dict we handed it before calling write(); the file is the truth.
        self._data = None
        self._loaded = False

    def close(self) -> None:
        self._forget()


def open_db(path: Path) -> TinyDB:
    """A TinyDB on `path` through AtomicJSONStorage (the file is created on the first write)."""
    return TinyDB(path, storage=AtomicJSONStorage)
