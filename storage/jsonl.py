"""Append-only JSON Lines files, as the history and the article pool keep them.

A record is acknowledged once its line is fully written and fdatasynced (`append_durably`); a
file's first record is written with `atomic_write`, so a file never exists without one whole
line. A kill or power cut during an append can only leave an unfinished last line, never
acknowledged: `read_lines` cuts it off. A file with bytes but no whole line is damage: it is
moved aside (quarantined) and `CorruptFileError` raised.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import NoReturn

from storage.atomic import quarantine
from storage.tinystorage import CorruptFileError

log = logging.getLogger(__name__)


def append_durably(path: Path, data: bytes) -> None:
    """Append `data` and fdatasync; on failure the file is cut back to its previous length."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        size = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fdatasync(fd)
        except BaseException:
            os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)


def read_lines(path: Path, what: str) -> list[bytes]:
    """The file's whole lines, without their newlines; `what` names the file in the logs
    ("history segment"). An unfinished last line is cut off the file, durably."""
    raw = path.read_bytes()
    body, newline, tail = raw.rpartition(b"\n")
    lines = body.split(b"\n") if newline else []
    torn = bool(tail)
    if lines and not parses(lines[-1]):
        lines.pop()
        torn = True
    if not lines and raw:
        # A file starts with a line written atomically: nothing whole means damage.
        corrupt(path, "no complete line")
    if torn:
        keep = sum(len(line) + 1 for line in lines)
        log.warning(
            "%s %s: cut an unfinished last line (%d bytes) left by a crash; it had not been "
            "acknowledged",
            what,
            path.name,
            len(raw) - keep,
        )
        os.truncate(path, keep)
        fd = os.open(path, os.O_WRONLY)
        try:
            os.fdatasync(fd)
        finally:
            os.close(fd)
    return lines


def corrupt(path: Path, reason: str) -> NoReturn:
    """Move the damaged file aside (logged at ERROR) and raise CorruptFileError."""
    moved = quarantine(path, reason)
    raise CorruptFileError(path, moved, reason)


def parses(line: bytes) -> bool:
    """Whether `line` is a whole record: a JSON object."""
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False
