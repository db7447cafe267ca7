"""Writing a session log: `Recorder`.

Every event becomes one line of `events.jsonl`, sealed into the HMAC chain (`chain`). The
broker writes from several threads (agent reader, SSH executors, the UI), so one lock
(`_wlock`) orders seq numbers, macs and writes.

Durability: each line reaches the OS in one `os.writev` (so a SIGKILL leaves at worst a
torn last line, never a hole), and the events an auditor relies on (decision, approval, deny,
exec_end, session_end) are also fsynced to the disk.

Output is recorded in batches, not one event per chunk, and off the thread that streams it:
`output` only appends the bytes to a buffer per exec and stream under a short lock (the SSH
engine calls it for every chunk, so anything more would slow the command down). A
background flusher writes a buffer once it holds 64 KiB or its oldest byte waited 50 ms
(up to 256 KiB at once when it lags behind a flood): the bytes go raw to `output.bin` and
an `output` event records their offset, length and Poly1305 tag (see `chain`), so nothing
is escaped or base64-encoded and the only costs are a copy into the page cache and a MAC
at memory speed. It fdatasyncs output.bin every 32 MiB so the fsync at `exec_end` has
little left to do. At most 8 MiB may wait: beyond that `output` blocks until the flusher
catches up, so memory stays flat however fast the output comes. An `exec_end` first writes
what is still buffered of that exec (after any batch the flusher is writing), so an exec's
output always precedes its end. Bytes reach output.bin before the event that points at
them, so a crash leaves at worst unreferenced bytes at its end. Each exec records at most
`record_cap_bytes` (stdout and stderr together); the rest is dropped with one
`output_truncated` event.
"""

from __future__ import annotations

import getpass
import json
import json.encoder
import os
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiperm_tui import __version__, paths
from aiperm_tui.session import chain
from aiperm_tui.session.keys import AuditKey, load_audit_key
from aiperm_tui.session.store import (
    EVENTS,
    FORMAT,
    OUTPUT,
    Counters,
    new_session_id,
    write_meta,
)

Buffer = bytes | memoryview  # a chunk of output, or the part of one a batch takes
BATCH_BYTES = 64 * 1024
BATCH_SECONDS = 0.05
BATCH_GROWTH = 4  # a flusher that fell behind writes up to 4 batches in one event (256 KiB;
# 1 MiB measured no better)
MAX_BEHIND = 8 * 1024 * 1024  # output accepted but not written yet; `output` waits beyond it
MAX_PIECES = 64  # a batch in more chunks than this is joined before it is written
SYNC_BYTES = 32 * 1024 * 1024  # the flusher fdatasyncs output.bin after this much
FSYNC_TYPES = frozenset({"decision", "approval", "deny", "exec_end", "session_end"})
RESERVED = frozenset({"seq", "t", "ts", "type", "mac"})
SEAL_LABEL = b"aiperm-seal\0"



def _make_encode() -> Callable[[dict[str, Any]], str]:
    """Compact JSON with non-ASCII escaped. The C encoder is built once: `json.dumps` builds
    one per call, which doubles the cost of a line on the hot path."""
    make = json.encoder.c_make_encoder
    if make is None:  # a Python without the C accelerator
        return json.JSONEncoder(separators=(",", ":"), default=str).encode
    encoder = make(None, str, json.encoder.encode_basestring_ascii, None, ":", ",",
                   False, False, True)
    return lambda obj: "".join(encoder(obj, 0))


_encode = _make_encode()

def _write_all(fd: int, parts: Sequence[Buffer]) -> None:
    """Write `parts` in one `os.writev` (no copy into one buffer); a short write (disk
    full, a signal) is finished, so the file never holds a hole or half a line followed
    by the next one."""
    size = sum(map(len, parts))
    written = os.writev(fd, parts)
    if written < size:
        view = memoryview(b"".join(parts))[written:]
        while view:
            view = view[os.write(fd, view):]


def seal_meta(key: AuditKey, last_mac: bytes, count: int) -> str:
    """The meta seal written at close: binds the event count to the last mac, so cutting
    events off the end of a closed log is told apart from a crash (see verify)."""
    return chain.Sealer(key.secret).mac(SEAL_LABEL, last_mac, b"\0", str(count).encode())


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return f"uid {os.getuid()}"


def _stderr_warn(message: str) -> None:
    print(f"aiperm: warning: {message}", file=sys.stderr)


@dataclass
class _Pending:
    """Output of one exec and stream not yet written: the chunks as `output` got them (kept,
    not copied, on the streaming thread; the flusher writes them as they are)."""

    chunks: list[Buffer] = field(default_factory=list)
    size: int = 0
    since: float = 0.0  # monotonic time of the first byte buffered, or of the last batch
    busy: bool = False  # the flusher is writing a batch taken from it

    def take(self, limit: int) -> list[Buffer]:
        """The next batch: at most `limit` bytes from the front, as the chunks that hold
        them (not joined: `writev` and the MAC take the pieces, so the bytes are copied
        once, into the page cache). The cut is anywhere, inside a character too: output.bin
        holds raw bytes."""
        count, size = 0, 0
        while count < len(self.chunks) and size < limit:
            size += len(self.chunks[count])
            count += 1
        batch = self.chunks[:count]
        if size > limit:
            last = memoryview(batch[-1])
            keep = len(last) - (size - limit)
            batch[-1] = last[:keep]
            self.chunks[:count] = [last[keep:]]
            size = limit
        else:
            del self.chunks[:count]
        self.size -= size
        return batch


class Recorder:
    """The writer of one session's log (see the module docstring)."""

    def __init__(self, folder: Path, key: AuditKey, meta: dict[str, Any],
                 record_cap_bytes: int) -> None:
        """Use `Recorder.create`; this opens the files of an already-made folder."""
        self.path = folder
        self.session_id: str = meta["id"]
        self.key = key
        self.record_cap_bytes = record_cap_bytes
        self.batch_bytes = BATCH_BYTES  # an output event once this much is buffered
        self._meta = meta
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_EXCL
        self._fd = os.open(folder / EVENTS, flags, 0o600)
        self._out_fd = os.open(folder / OUTPUT, flags, 0o600)
        self._out_at = 0  # the size of output.bin: where the next batch goes
        self._out_synced = 0  # how much of output.bin an fdatasync has finished with
        self._sealer = chain.Sealer(key.secret)
        self.output_nonce = secrets.token_hex(16)  # in session_start; keys the output tags
        self._tagger = chain.ChunkTagger(self._sealer, self.output_nonce)
        self._prev = chain.genesis(self.session_id)
        self._seq = 0
        self._t0 = time.monotonic()
        self._ts_second = -1
        self._ts_prefix = ""
        # Two locks: `_wlock` orders the chain (seq, mac, writes); `_lock` guards the output
        # buffers, so `output` never waits for a write. `_lock` may be taken inside `_wlock`,
        # never the other way round.
        self._wlock = threading.Lock()
        self._lock = threading.Lock()
        self._work = threading.Condition(self._lock)  # the flusher waits for output
        self._room = threading.Condition(self._lock)  # producers wait for the flusher
        self._pending: dict[tuple[str, str], _Pending] = {}
        self._behind = 0  # bytes accepted by `output` and not yet written
        self._recorded: dict[str, int] = {}
        self._truncated: set[str] = set()
        self._counts = Counters()
        self._flusher: threading.Thread | None = None
        self._flusher_idle = False  # waiting with nothing pending: needs a notify
        self._failure: OSError | None = None  # why the flusher stopped
        self._closing = False  # `close` started: no more output is taken
        self._closed = False  # session_end written, file closed

    @classmethod
    def create(cls, *, agent: Sequence[str], hosts: Sequence[str], preset: str,
               key: AuditKey | None = None, root: Path | None = None,
               record_cap_bytes: int = 1024**3,
               warn: Callable[[str], None] | None = None) -> Recorder:
        """Start a new session: make its folder, write meta.toml and `session_start`.

        Without a key, `keys.load_audit_key()` picks one; an ephemeral key is announced
        through `warn` (default: a line on stderr) because such a log cannot be verified
        once this process is gone.
        """
        key = key or load_audit_key()
        assert key is not None  # allow_ephemeral=True always yields a key
        root = root or paths.sessions_dir()
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        now = time.time()
        session_id = new_session_id(now)
        folder = root / session_id
        folder.mkdir(mode=0o700)
        if key.ephemeral:
            (warn or _stderr_warn)(
                "no audit key (set AIPERM_AUDIT_KEY or run `aiperm init`): this session is "
                "recorded with an ephemeral key, so it cannot be verified after aiperm exits")
        meta: dict[str, Any] = {
            "format": FORMAT, "id": session_id,
            "start": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now))
            + f".{int(now % 1 * 1e6):06d}Z",
            "agent": list(agent), "hosts": list(hosts), "preset": preset,
            "version": __version__, "key_id": key.key_id, "key_source": key.source,
            "ephemeral": key.ephemeral, "user": _user(), "hostname": socket.gethostname(),
            "record_cap_bytes": record_cap_bytes,
        }
        write_meta(folder, meta)
        recorder = cls(folder, key, meta, record_cap_bytes)
        recorder.event("session_start", agent=meta["agent"], hosts=meta["hosts"], preset=preset,
                       user=meta["user"], hostname=meta["hostname"], version=__version__,
                       key_id=key.key_id, ephemeral=key.ephemeral,
                       output_nonce=recorder.output_nonce)
        return recorder

    # -- events ---------------------------------------------------------------------------

    def event(self, type: str, **payload: Any) -> int:
        """Append one event; returns its seq (0 once the recorder is closed: dropped).

        An `exec_end` first writes what is still buffered of that exec's output.
        """
        if not RESERVED.isdisjoint(payload):
            bad = ", ".join(sorted(RESERVED.intersection(payload)))
            raise ValueError(f"reserved event field(s): {bad}")
        if type == "exec_end":
            return self._after_output(str(payload.get("exec")), type, payload)
        with self._wlock:
            if self._closed:
                return 0
            return self._write(type, payload)

    def _ts(self) -> str:
        """ISO-8601 UTC with milliseconds; the formatted second is cached (hot path)."""
        now = time.time()
        second = int(now)
        if second != self._ts_second:
            self._ts_second = second
            self._ts_prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._ts_prefix}.{int((now - second) * 1000):03d}Z"

    def _write(self, type_: str, payload: dict[str, Any]) -> int:
        """Seal and write one line. Caller holds `_wlock`."""
        seq = self._seq + 1
        record = {"seq": seq, "t": round(time.monotonic() - self._t0, 6), "ts": self._ts(),
                  "type": type_}
        record.update(payload)
        body = _encode(record).encode()[:-1]
        mac = self._sealer.seal(self._prev, body)
        durable = type_ in FSYNC_TYPES
        if durable and self._out_at > self._out_synced:
            os.fdatasync(self._out_fd)  # the output an exec_end vouches for is on disk first
            self._out_synced = self._out_at
        _write_all(self._fd, (body, chain.MAC_KEY, mac, b'"}\n'))
        if durable:
            os.fsync(self._fd)
        self._seq = seq
        self._prev = mac
        self._counts.feed(type_, payload)
        return seq

    # -- output ---------------------------------------------------------------------------

    def output(self, exec_id: str, stream: str, data: bytes) -> None:
        """Record output of a running exec: buffered here, written by the flusher (see the
        module docstring). Raises OSError once the flusher could not write."""
        if not data:
            return
        if type(data) is not bytes:  # kept until written: a caller's buffer may change
            data = bytes(data)
        with self._lock:
            while self._behind >= MAX_BEHIND and self._failure is None and not self._closing:
                self._room.wait()  # backpressure: the flusher is too far behind
            if self._failure is not None:
                raise OSError(f"session log not written: {self._failure}") from self._failure
            if self._closing or exec_id in self._truncated:
                return
            done = self._recorded.get(exec_id, 0)
            room = self.record_cap_bytes - done
            over = len(data) > room
            if over:
                data = data[:room]
                self._truncated.add(exec_id)
            self._recorded[exec_id] = done + len(data)
            self._buffer(exec_id, stream, data)
        if over:
            self._after_output(exec_id, "output_truncated", {
                "exec": exec_id, "stream": stream, "recorded_bytes": done + len(data),
                "cap": self.record_cap_bytes})

    def _buffer(self, exec_id: str, stream: str, data: bytes) -> None:
        """Append to the exec's buffer and wake the flusher when it has work. Lock held."""
        pending = self._pending.get((exec_id, stream))
        if pending is None:
            pending = self._pending[(exec_id, stream)] = _Pending()
        before = pending.size
        if not before:
            pending.since = time.monotonic()
        pending.chunks.append(data)
        pending.size += len(data)
        self._behind += len(data)
        if self._flusher is None:
            self._flusher = threading.Thread(target=self._flush_loop, daemon=True,
                                             name=f"aiperm-rec-{self.session_id}")
            self._flusher.start()
        elif (not before and self._flusher_idle) or before < self.batch_bytes <= pending.size:
            self._work.notify()

    def _after_output(self, exec_id: str, type_: str, payload: dict[str, Any]) -> int:
        """Write what is buffered of `exec_id`, then the event: one step under `_wlock`,
        so `close` comes wholly before or after it (output is never written after its
        exec's end, nor lost to a close). A batch the flusher is writing from that exec
        goes first: the lock is let go while waiting for it. 0 once closed."""
        while True:
            with self._wlock:
                if self._closed:
                    return 0
                taken = self._take_idle(exec_id)
                if taken is not None:
                    self._write_taken(taken)
                    return self._write(type_, payload)
            with self._lock:
                while self._writing(exec_id) and self._failure is None:
                    self._room.wait()

    def _writing(self, exec_id: str | None) -> bool:
        """Whether the flusher is writing a batch of `exec_id` (any exec: None). Lock held."""
        return any(p.busy for (ex, _), p in self._pending.items()
                   if exec_id is None or ex == exec_id)

    def _take_idle(self, exec_id: str | None) -> list[tuple[str, str, _Pending]] | None:
        """The buffers of one exec (every exec for None), removed to be written by the
        caller; None while the flusher is writing a batch from one of them."""
        with self._lock:
            if self._writing(exec_id):
                return None
            mine = [k for k in self._pending if exec_id is None or k[0] == exec_id]
            return [(ex, stream, self._pending.pop((ex, stream))) for ex, stream in mine]

    def _write_taken(self, taken: list[tuple[str, str, _Pending]]) -> None:
        """Write removed buffers as output events, to the last byte. Caller holds _wlock.
        Whatever happens, the bytes no longer count as waiting (a failed write must not
        leave `output` callers blocked on room that never comes)."""
        total = sum(pending.size for _, _, pending in taken)
        try:
            for exec_id, stream, pending in taken:
                while pending.size:
                    self._write_output(exec_id, stream,
                                       pending.take(self.batch_bytes * BATCH_GROWTH))
        except OSError as exc:
            with self._lock:
                self._failure = self._failure or exc
            raise
        finally:
            with self._lock:
                self._behind -= total
                self._room.notify_all()

    def _write_output(self, exec_id: str, stream: str, batch: list[Buffer]) -> None:
        """Append a batch to output.bin, then the `output` event pointing at it. Caller
        holds `_wlock`. After a failed write the offset follows the file,
        so a later batch is still recorded where it really is."""
        if len(batch) > MAX_PIECES:  # many small chunks: one buffer is cheaper (and IOV_MAX)
            batch = [b"".join(batch)]
        offset, size = self._out_at, sum(map(len, batch))
        tag = self._tagger.tag(offset, batch)
        try:
            _write_all(self._out_fd, batch)
        except OSError:
            # Never backwards (output.bin shortened behind our back): an offset already
            # tagged must not be tagged again under the same one-time key.
            self._out_at = max(self._out_at, os.fstat(self._out_fd).st_size)
            raise
        self._out_at += size
        self._write("output", {"exec": exec_id, "stream": stream, "offset": offset,
                               "length": size, "tag": tag})

    def _next_batch(self) -> tuple[_Pending, str, str, list[Buffer]] | None:
        """Wait for a buffer that is full or old enough and take a batch from it (marked
        busy); None once the recorder is closing. Lock held."""
        while not self._closing:
            now = time.monotonic()
            wait: float | None = None
            for (exec_id, stream), pending in list(self._pending.items()):
                if not pending.size:
                    del self._pending[(exec_id, stream)]
                    continue
                age = now - pending.since
                if pending.size < self.batch_bytes and age < BATCH_SECONDS:
                    wait = min(wait or BATCH_SECONDS, BATCH_SECONDS - age)
                    continue
                batch = pending.take(self.batch_bytes * BATCH_GROWTH)
                pending.busy = True
                pending.since = now
                # to the back of the queue: a flood in one stream does not starve the rest
                self._pending[(exec_id, stream)] = self._pending.pop((exec_id, stream))
                return pending, exec_id, stream, batch
            self._flusher_idle = wait is None
            self._work.wait(wait)
            self._flusher_idle = False
        return None

    def _flush_loop(self) -> None:
        """The flusher thread: write batches until the recorder closes or a write fails."""
        while True:
            with self._lock:
                batch = self._next_batch()
            if batch is None:
                return
            pending, exec_id, stream, pieces = batch
            size = sum(map(len, pieces))
            try:
                with self._wlock:
                    self._write_output(exec_id, stream, pieces)
                    written = self._out_at
                if written - self._out_synced >= SYNC_BYTES:
                    # Outside the lock: events go on while the disk catches up. The fd
                    # stays open until this thread is done (close joins it).
                    os.fdatasync(self._out_fd)
                    with self._wlock:
                        self._out_synced = max(self._out_synced, written)
            except OSError as exc:
                with self._lock:
                    self._failure = exc
                    self._room.notify_all()
                return
            finally:
                with self._lock:
                    pending.busy = False
                    self._behind -= size
                    self._room.notify_all()

    # -- end ------------------------------------------------------------------------------

    def close(self, reason: str = "normal") -> None:
        """Stop the flusher, write what is buffered and `session_end`, seal meta.toml.
        Safe to call twice."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
            self._work.notify_all()
            self._room.notify_all()
        if self._flusher is not None and self._flusher is not threading.current_thread():
            self._flusher.join()  # it finishes the batch it is writing, then stops
        with self._wlock:
            if self._closed:
                return
            try:
                self._write_taken(self._take_idle(None) or [])
                self._write("session_end", {"reason": reason})
            finally:
                self._closed = True
                os.close(self._out_fd)  # session_end's fsync took what was left of it
                os.close(self._fd)
            duration = round(time.monotonic() - self._t0, 3)
            now = time.time()
            self._meta.update({
                "end": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now))
                + f".{int(now % 1 * 1e6):06d}Z",
                "duration": duration, "events": self._seq,
                "seal": seal_meta(self.key, self._prev, self._seq),
                "counts": self._counts.as_meta(),
            })
            write_meta(self.path, self._meta)

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close("error" if exc_type else "normal")
