"""Opening the record's files so that what is put in their place cannot hang a reader.

The agent runs as the operator's own Unix user; unsandboxed, it can replace any file of
the record with a FIFO (`open()` blocks until a writer comes, forever), a device
(`/dev/zero` never ends) or a symlink to either, to stop the operator from auditing.
Every reader of the record (events.jsonl, meta.toml, output.bin, index.jsonl, the key
files) opens through `open_regular`: non-blocking, so opening a FIFO returns at once;
without following a symlink where the recorder never makes one; and judged by `fstat`
on the open descriptor, so the file checked is the file read. A file that is not a
regular one raises `NotRegularFile`, an OSError, so every caller that already reports an
unreadable file reports this one too, with its name and what it is.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISDIR, "directory"),
    (stat.S_ISLNK, "symbolic link"),
)


class NotRegularFile(OSError):
    """A file of the record is not a regular file (damage: the recorder writes only
    regular files)."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file (a {kind})", str(path))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "special file")


def open_regular(path: Path, *, follow: bool = False) -> int:
    """A read-only descriptor on `path`, which must be a regular file (else
    NotRegularFile). A symlink is refused unless `follow` (only key files may be one)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    flags |= 0 if follow else os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise NotRegularFile(path, "symbolic link") from None
        raise
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotRegularFile(path, _kind(mode))
    return fd


def read_regular(path: Path, limit: int = -1, *, follow: bool = False) -> bytes:
    """The bytes of a regular file (at most `limit` when given); see `open_regular`."""
    with os.fdopen(open_regular(path, follow=follow), "rb") as fh:
        return fh.read(limit)


def is_regular(path: Path) -> bool:
    """Whether `path` itself (not a symlink's target) is a regular file; never blocks."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
