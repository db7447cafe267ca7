"""The broker's replies to the agent: a bounded buffer drained by a writer thread.

Why: a write into a pipe the agent does not read blocks as soon as the pipe's 64 KiB are
full. Replies are sent from the reader thread, the host workers and the UI thread (a key
that approves sends a decision), so one blocking write would freeze the operator's keys.
Here `put` never blocks: it appends a whole line to a bounded buffer, or refuses it when
the buffer is full, and a writer thread drains the buffer with non-blocking writes.

Policy when the agent stops reading (documented in docs/responsiveness.md):

- up to `limit_bytes` of replies wait in memory (the pipe holds 64 KiB more);
- past that, a reply is refused whole (never a torn line) and counted; the first refusal
  calls `on_drop`, then at most one call every NOTICE_SECONDS, so the operator sees
  one notice, not one per reply;
- from the first refusal until the buffer is empty again, the agent must keep reading:
  `stall_seconds` without one byte taken calls `on_stall` once (the agent process ends
  the agent): an agent that misses its replies cannot follow the protocol any more, and
  its requests would wait forever. (The clock restarts on each write, so a slow reader
  survives; it is not cleared by a write while a backlog remains, so the refusals that
  happen while the writer is still filling the pipe cannot make the stall go unseen.)
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import IO

DEFAULT_LIMIT_BYTES = 8 * 1024 * 1024  # a capped result (2 x 64 KiB, escaped) fits many times
DEFAULT_STALL_SECONDS = 10.0
POLL_SECONDS = 0.1  # how soon the writer notices close() while the pipe is full
NOTICE_SECONDS = 5.0  # at most one "replies dropped" notice this often


def _ignore() -> None:
    """Default for callbacks a caller does not need."""


class Outbox:
    """Lines for one writable pipe; see the module docstring."""

    def __init__(
        self,
        stream: IO[bytes],
        *,
        limit_bytes: int = DEFAULT_LIMIT_BYTES,
        stall_seconds: float = DEFAULT_STALL_SECONDS,
        on_drop: Callable[[], None] = _ignore,
        on_stall: Callable[[], None] = _ignore,
    ) -> None:
        self._stream = stream
        self._fd = stream.fileno()
        os.set_blocking(self._fd, False)
        self.limit_bytes = limit_bytes
        self.stall_seconds = stall_seconds
        self._on_drop, self._on_stall = on_drop, on_stall
        self._cond = threading.Condition()
        self._queue: deque[memoryview] = deque()
        self._bytes = 0
        self._closed = False
        self._stalled_since: float | None = None  # since a refusal: the last progress
        self._noticed_at: float | None = None
        self.dropped = 0
        self._thread = threading.Thread(target=self._drain, daemon=True, name="agent-stdin")

    def start(self) -> None:
        self._thread.start()

    @property
    def pending_bytes(self) -> int:
        with self._cond:
            return self._bytes

    def put(self, data: bytes) -> bool:
        """Queue one whole line; False when the pipe is closed or the buffer is full."""
        with self._cond:
            if self._closed:
                return False
            if self._bytes + len(data) <= self.limit_bytes:
                self._queue.append(memoryview(data))
                self._bytes += len(data)
                self._cond.notify()
                return True
            self.dropped += 1
            now = time.monotonic()
            notice = self._noticed_at is None or now - self._noticed_at > NOTICE_SECONDS
            if notice:
                self._noticed_at = now
            if self._stalled_since is None:
                self._stalled_since = now
        if notice:
            self._on_drop()
        return False

    def close(self) -> None:
        """Stop writing: what is queued is discarded, the pipe is closed (the agent reads
        EOF) within POLL_SECONDS. Safe from any thread, also the writer's own callbacks."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._queue.clear()
            self._bytes = 0
            self._cond.notify()
            started = self._thread.is_alive() or self._thread.ident is not None
        if not started:  # no writer thread owns the pipe: close it here
            with contextlib.suppress(OSError, ValueError):
                self._stream.close()

    # --- the writer thread ---------------------------------------------------------

    def _drain(self) -> None:
        try:
            while self._write_some():
                pass
        finally:
            with contextlib.suppress(OSError, ValueError):
                self._stream.close()

    def _write_some(self) -> bool:
        """Write what the pipe takes now, or wait a little for it; False when done."""
        with self._cond:
            while not self._queue and not self._closed:
                self._cond.wait()
            if self._closed:
                return False
            chunk = self._queue[0]
        try:
            _, writable, _ = select.select([], [self._fd], [], POLL_SECONDS)
            written = os.write(self._fd, chunk) if writable else 0
        except BlockingIOError:
            written = 0
        except (OSError, ValueError):  # the agent closed its stdin or died
            self.close_quietly()
            return False
        self._advance(written)
        return True

    def _advance(self, written: int) -> None:
        """Account for `written` bytes; a stall that lasts too long ends the agent."""
        stalled = False
        with self._cond:
            if self._closed:
                return
            if written:
                head = self._queue[0]
                if written < len(head):
                    self._queue[0] = head[written:]
                else:
                    self._queue.popleft()
                self._bytes -= written
                if self._stalled_since is not None:  # a backlog: the clock restarts
                    self._stalled_since = time.monotonic() if self._queue else None
            elif (
                self._stalled_since is not None
                and time.monotonic() - self._stalled_since > self.stall_seconds
            ):
                self._stalled_since = None
                stalled = True
        if stalled:
            self._on_stall()

    def close_quietly(self) -> None:
        """The pipe broke: nothing more can be written."""
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._bytes = 0
