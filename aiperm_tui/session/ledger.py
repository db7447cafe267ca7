"""The session index: `index.jsonl` in the sessions folder, its own append-only HMAC chain.

A session log can prove it was not edited, but not that it still exists: deleting a whole
folder leaves nothing to verify. So every session start and every seal also goes into one
shared index, one line each, chained like the events of a log (`chain`):

    {"n":7,"ts":…,"type":"start","session":ID,"head":<mac of session_start>,"kid":…,"mac":…}
    {"n":8,"ts":…,"type":"seal","session":ID,"events":N,"head":<mac of the seal>,…}
    {"n":9,"ts":…,"type":"anchor","session":ID,"ok":true,"detail":…,"head":…,…}
    {"n":10,"ts":…,"type":"rotate","old":<key id>,"new":<key id>,"kid":<old id>,…}

mac(n) = HMAC-SHA256(key named by `kid`, mac(n-1) ‖ body(n)), from the genesis value
`GENESIS`; a `rotate` entry is sealed with the old key and names the new one, so the chain
runs on across a rotation. The index is written under an exclusive `flock`, so brokers
running side by side append in turn; a torn last line (a crash mid-write) is cut off by
the next writer. The cross-checks with the session logs are in `audit`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiperm_tui.session import chain
from aiperm_tui.session.files import read_regular
from aiperm_tui.session.keys import AuditKey, KeyRing

# The index holds a few hundred bytes a session; a bigger file (a sparse one put in its
# place) is damage, refused before it is read into memory.
MAX_INDEX_BYTES = 256 << 20

INDEX = "index.jsonl"
GENESIS = hashlib.sha256(b"aiperm-session-index-v1\0").hexdigest()
_TAIL_BYTES = 64 * 1024  # an entry is far smaller: the last one is within this


def _now() -> str:
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z"


class LedgerWriter:
    """Appends to the index while its lock is held (see `locked`)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self.n, self.head = self._read_tail()

    def _read_tail(self) -> tuple[int, str]:
        """(n, mac) of the last complete entry, (0, GENESIS) for an empty index. A torn
        last line is cut off: it is not an entry, and what follows must start on a line."""
        size = os.fstat(self._fd).st_size
        start = max(size - _TAIL_BYTES, 0)
        data = os.pread(self._fd, size - start, start)
        end = data.rfind(b"\n") + 1
        if start + end < size:
            os.ftruncate(self._fd, start + end)
        lines = data[:end].splitlines()
        if not lines:
            return 0, GENESIS
        last = lines[-1]
        parts = chain.split_line(last)
        try:
            n = int(json.loads(last)["n"])
        except (ValueError, KeyError, TypeError):
            n = None
        if parts is None or n is None:  # damaged: `audit` says so; keep the chain going
            return len(data[:end].splitlines()), GENESIS
        return n, parts[1].decode()

    def append(self, key: AuditKey, type_: str, **fields: Any) -> str:
        """Write one entry sealed with `key`; returns its mac."""
        record = {"n": self.n + 1, "ts": _now(), "type": type_, **fields, "kid": key.key_id}
        body = json.dumps(record, separators=(",", ":"), ensure_ascii=True).encode()[:-1]
        mac = chain.Sealer(key.secret).seal(self.head.encode(), body)
        os.write(self._fd, body + chain.MAC_KEY + mac + b'"}\n')
        os.fsync(self._fd)
        self.n, self.head = self.n + 1, mac.decode()
        return self.head


@contextlib.contextmanager
def locked(root: Path) -> Iterator[LedgerWriter]:
    """The index of the sessions folder `root`, locked for appending."""
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(root / INDEX, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield LedgerWriter(fd)
    finally:
        os.close(fd)  # releases the lock


def append(root: Path, key: AuditKey, type_: str, **fields: Any) -> str:
    """One entry, with the lock held only for it."""
    with locked(root) as writer:
        return writer.append(key, type_, **fields)


@dataclass
class LedgerState:
    """The index as verified: the entries that chain, and the first problem if any."""

    entries: list[dict[str, Any]] = field(default_factory=list)  # n = position + 1
    heads: list[str] = field(default_factory=list)  # the mac of each entry
    problem: str | None = None  # one line, naming the entry and what is wrong
    exists: bool = True

    def head_at(self, n: int) -> str | None:
        """The mac of entry n (GENESIS for 0), None past the end."""
        if n == 0:
            return GENESIS
        return self.heads[n - 1] if 0 < n <= len(self.heads) else None


def read_ledger(root: Path, ring: KeyRing) -> LedgerState:
    """Walk the index chain; stop at the first entry that does not verify."""
    state = LedgerState()
    try:
        data = read_regular(root / INDEX, MAX_INDEX_BYTES + 1)
    except FileNotFoundError:
        state.exists = False
        return state
    except OSError as exc:  # a FIFO in its place must not hang `sessions --verify`
        state.problem = f"{INDEX} cannot be read: {exc.strerror}"
        return state
    if len(data) > MAX_INDEX_BYTES:
        state.problem = (
            f"{INDEX} is over {MAX_INDEX_BYTES >> 20} MiB: not read (a few hundred bytes a session)"
        )
        return state
    prev = GENESIS.encode()
    lines = data.split(b"\n")
    if lines[-1]:
        state.problem = f"the index ends in a torn line after entry {len(lines) - 1}"
    for line in lines[:-1]:
        expected = len(state.entries) + 1
        why = _entry_problem(line, prev, expected, ring)
        if why:
            state.problem = f"index entry {expected}: {why}"
            break
        parts = chain.split_line(line)
        assert parts is not None
        state.entries.append(json.loads(line))
        prev = parts[1]
        state.heads.append(prev.decode())
    return state


def _entry_problem(line: bytes, prev: bytes, expected: int, ring: KeyRing) -> str | None:
    """Why one index line does not verify as entry `expected`, or None."""
    parts = chain.split_line(line)
    try:
        entry = json.loads(line)
        n, kid = int(entry["n"]), str(entry["kid"])
    except (ValueError, KeyError, TypeError):
        return "edited: not an index entry"
    if parts is None:
        return "edited: not an index entry"
    key = ring.find(kid)
    if key is None:
        return (
            f"written with key id {kid}, which is not present (keys here: {ring.ids()}): "
            "the key was swapped, or restore it to verify"
        )
    if chain.Sealer(key.secret).seal(prev, parts[0]) == parts[1]:
        return None
    if n > expected:
        return f"deleted: entries {expected}..{n - 1} are missing"
    if n < expected:
        return f"inserted or reordered: entry {n} appears again"
    return "edited: its bytes were changed"
