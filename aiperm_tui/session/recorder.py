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
background flusher writes a buffer as an `output` event once it holds 64 KiB or its oldest
byte waited 50 ms (up to 256 KiB in one event when it lags behind a flood); it does the
UTF-8 checks, JSON escaping, HMAC and write, and fdatasyncs every 32 MiB so the fsync at
`exec_end` has little left to do. At most 8 MiB may wait: beyond that `output` blocks until
the flusher catches up, so memory stays flat however fast the output comes. An `exec_end`
first writes what is still buffered of that exec (after any batch the flusher is writing),
so an exec's output always precedes its end. Bytes go in `data` as text when they are UTF-8
and in `b64` when not; a batch never ends inside a multibyte character (it is kept for the
next one) so a split character is not mistaken for binary. Each exec records at most
`record_cap_bytes` (stdout and stderr together); the rest is dropped with one
`output_truncated` event.
"""

from __future__ import annotations

import base64
import getpass
import json
import json.encoder
import os
import re
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
from aiperm_tui.session.store import EVENTS, FORMAT, Counters, new_session_id, write_meta

BATCH_BYTES = 64 * 1024
BATCH_SECONDS = 0.05
BATCH_GROWTH = 4  # a flusher that fell behind writes up to 4 batches in one event (256 KiB:
# bigger ones fall out of the CPU cache between the escaping passes and cost more)
MAX_BEHIND = 8 * 1024 * 1024  # output accepted but not written yet; `output` waits beyond it
SYNC_BYTES = 32 * 1024 * 1024  # the flusher fdatasyncs after writing this much output
FSYNC_TYPES = frozenset({"decision", "approval", "deny", "exec_end", "session_end"})
RESERVED = frozenset({"seq", "t", "ts", "type", "mac"})
SEAL_LABEL = b"aiperm-seal\0"



def _make_encode() -> Callable[[dict[str, Any]], str]:
    """Compact JSON with non-ASCII escaped (output data alone is written as raw UTF-8, by
    `_json_text`). The C encoder is built once: `json.dumps` builds one per call, which
    doubles the cost of a line on the hot path."""
    make = json.encoder.c_make_encoder
    if make is None:  # a Python without the C accelerator
        return json.JSONEncoder(separators=(",", ":"), default=str).encode
    encoder = make(None, str, json.encoder.encode_basestring_ascii, None, ":", ",",
                   False, False, True)
    return lambda obj: "".join(encoder(obj, 0))


_encode = _make_encode()

# JSON must escape `"`, `\\` and U+0000..U+001F, nothing else: valid UTF-8 passes as is.
_COMMON_ESCAPES = ((b"\\", b"\\\\"), (b'"', b'\\"'), (b"\n", b"\\n"), (b"\t", b"\\t"),
                   (b"\r", b"\\r"), (b"\x1b", b"\\u001b"))
_OTHER_CONTROLS = bytes(c for c in range(0x20) if c not in b"\n\t\r\x1b")
_CONTROL = re.compile(b"[\x00-\x1f]")


def _json_text(data: bytes) -> bytes:
    """The inside of a JSON string for valid UTF-8 `data`, escaped at bytes speed.

    The C JSON encoder escapes about 270 MB/s; a few `bytes.replace` passes run several
    times faster, which is what keeps recording a flood of output cheap. A test checks
    the result against `json.loads` for all control characters.
    """
    for raw, escaped in _COMMON_ESCAPES:
        if raw in data:
            data = data.replace(raw, escaped)
    if len(data.translate(None, _OTHER_CONTROLS)) != len(data):
        data = _CONTROL.sub(lambda m: b"\\u%04x" % m[0][0], data)
    return data


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


def _cut(data: bytes | bytearray, limit: int, final: bool) -> int:
    """How many leading bytes of `data` (at most about `limit`) make the next batch: never
    ending inside a UTF-8 character unless `final` takes it all. 0: keep it all for now (a
    character still incomplete). Bytes that are not UTF-8 are cut anywhere (b64 anyway)."""
    size = len(data)
    cut = min(size, limit)
    if final and cut == size:
        return cut
    for back in range(1, min(cut, 4) + 1):
        byte = data[cut - back]
        if byte < 0x80:  # ASCII: the cut is on a character boundary
            return cut
        if byte >= 0xC0:  # the lead byte of the character the cut falls in or after
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            if back >= need:
                return cut
            start = cut - back
            return start or (need if size >= need else 0)  # a batch holds a whole character
    return cut


def _output_fields(data: bytes) -> tuple[dict[str, str], tuple[bytes, ...]]:
    """The payload of an output event for `data`: JSON-escaped text when it is UTF-8,
    base64 otherwise (see `Recorder._write` for the raw tail)."""
    if not data.isascii():
        try:
            data.decode()
        except UnicodeDecodeError:
            return {"b64": base64.b64encode(data).decode()}, ()
    return {}, (b',"data":"', _json_text(data), b'"')


@dataclass
class _Pending:
    """Output of one exec and stream not yet written: the chunks as `output` got them (kept,
    not copied, on the streaming thread; the flusher joins them)."""

    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    since: float = 0.0  # monotonic time of the first buffered byte
    busy: bool = False  # the flusher is writing a batch taken from it

    def take(self, limit: int, final: bool) -> bytes:
        """The next batch: about `limit` bytes from the front, cut by `_cut` (b"": keep
        waiting for the rest of a character); `final` with a big limit takes it all."""
        count, joined = 0, 0
        while count < len(self.chunks) and joined < limit:
            joined += len(self.chunks[count])
            count += 1
        head = self.chunks[0] if count == 1 else b"".join(self.chunks[:count])
        cut = _cut(head, limit, final and count == len(self.chunks))
        self.chunks[:count] = [head[cut:]] if cut < len(head) else []
        self.size -= cut
        return head if cut == len(head) else head[:cut]


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
        self._fd = os.open(folder / EVENTS, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_EXCL,
                           0o600)
        self._sealer = chain.Sealer(key.secret)
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
                       key_id=key.key_id, ephemeral=key.ephemeral)
        return recorder

    # -- events ---------------------------------------------------------------------------

    def event(self, type: str, **payload: Any) -> int:
        """Append one event; returns its seq (0 once the recorder is closed: dropped).

        An `exec_end` first writes what is still buffered of that exec's output.
        """
        if not RESERVED.isdisjoint(payload):
            bad = ", ".join(sorted(RESERVED.intersection(payload)))
            raise ValueError(f"reserved event field(s): {bad}")
        taken = self._take_exec(str(payload.get("exec"))) if type == "exec_end" else []
        with self._wlock:
            if self._closed:
                return 0
            if taken:
                self._write_taken(taken)
            return self._write(type, payload)

    def _ts(self) -> str:
        """ISO-8601 UTC with milliseconds; the formatted second is cached (hot path)."""
        now = time.time()
        second = int(now)
        if second != self._ts_second:
            self._ts_second = second
            self._ts_prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._ts_prefix}.{int((now - second) * 1000):03d}Z"

    def _write(self, type_: str, payload: dict[str, Any],
               raw_tail: Sequence[bytes] = ()) -> int:
        """Seal and write one line. Caller holds `_wlock`.

        `raw_tail` is more payload already encoded as JSON (`,"k":v...`), in pieces, after
        `payload`'s members: output data takes that path (see `_json_text`).
        """
        seq = self._seq + 1
        record = {"seq": seq, "t": round(time.monotonic() - self._t0, 6), "ts": self._ts(),
                  "type": type_}
        record.update(payload)
        parts = [_encode(record).encode()[:-1], *raw_tail]
        mac = self._sealer.seal(self._prev, *parts)
        parts += (chain.MAC_KEY, mac, b'"}\n')
        size = sum(map(len, parts))
        written = os.writev(self._fd, parts)  # one syscall, no copy into a joined line
        if written < size:  # rare (disk full, signal): finish the line, never leave a hole
            view = memoryview(b"".join(parts))[written:]
            while view:
                view = view[os.write(self._fd, view):]
        if type_ in FSYNC_TYPES:
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
            taken = self._take_exec(exec_id)
            with self._wlock:
                self._write_taken(taken)
                self._write("output_truncated", {"exec": exec_id, "stream": stream,
                                                 "recorded_bytes": done + len(data),
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

    def _take_exec(self, exec_id: str | None) -> list[tuple[str, str, _Pending]]:
        """The buffers of one exec (every exec for None), once the flusher is done with the
        batch it may be writing from them; they are removed, to be written by the caller."""
        with self._lock:
            while True:
                mine = [k for k in self._pending if exec_id is None or k[0] == exec_id]
                if not any(self._pending[k].busy for k in mine):
                    return [(ex, stream, self._pending.pop((ex, stream))) for ex, stream in mine]
                self._room.wait()

    def _write_taken(self, taken: list[tuple[str, str, _Pending]]) -> None:
        """Write removed buffers as output events, to the last byte. Caller holds _wlock."""
        written = 0
        for exec_id, stream, pending in taken:
            written += pending.size
            while pending.size:
                self._write_output(exec_id, stream,
                                   pending.take(self.batch_bytes * BATCH_GROWTH, final=True))
        with self._lock:
            self._behind -= written
            self._room.notify_all()

    def _write_output(self, exec_id: str, stream: str, data: bytes) -> None:
        extra, tail = _output_fields(data)
        self._write("output", {"exec": exec_id, "stream": stream, **extra}, tail)

    def _next_batch(self) -> tuple[_Pending, str, str, bytes] | None:
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
                data = pending.take(self.batch_bytes * BATCH_GROWTH, final=False)
                if not data:  # only the start of a character so far: give it time
                    pending.since = now
                    wait = BATCH_SECONDS
                    continue
                pending.busy = True
                return pending, exec_id, stream, data
            self._flusher_idle = wait is None
            self._work.wait(wait)
            self._flusher_idle = False
        return None

    def _flush_loop(self) -> None:
        """The flusher thread: write batches until the recorder closes or a write fails."""
        unsynced = 0
        while True:
            with self._lock:
                batch = self._next_batch()
            if batch is None:
                return
            pending, exec_id, stream, data = batch
            try:
                extra, tail = _output_fields(data)  # the costly part, outside both locks
                with self._wlock:
                    self._write("output", {"exec": exec_id, "stream": stream, **extra}, tail)
                unsynced += len(data)
                if unsynced >= SYNC_BYTES:
                    os.fdatasync(self._fd)  # the fd stays open until this thread is done
                    unsynced = 0
            except OSError as exc:
                with self._lock:
                    self._failure = exc
                    self._room.notify_all()
                return
            finally:
                with self._lock:
                    pending.busy = False
                    self._behind -= len(data)
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
        taken = self._take_exec(None)  # waits for the flusher's last batch
        if self._flusher is not None and self._flusher is not threading.current_thread():
            self._flusher.join()
        with self._wlock:
            self._write_taken(taken)
            self._write("session_end", {"reason": reason})
            self._closed = True
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
