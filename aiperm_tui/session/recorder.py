"""Writing a session log: `Recorder`.

Every event becomes one line of `events.jsonl`, sealed into the HMAC chain (`chain`). The
broker writes from several threads (agent reader, SSH executors, the UI), so one lock
orders seq numbers, macs and writes.

Durability: each line reaches the OS in one `os.write` (so a SIGKILL leaves at worst a torn
last line, never a hole), and the events an auditor relies on (decision, approval, deny,
exec_end, session_end) are also fsynced to the disk.

Output is recorded in batches, not one event per chunk: per exec and stream, bytes are
buffered until 64 KiB or 50 ms (a background thread flushes the quiet ones), and always at
that exec's `exec_end` and at close. Bytes go in `data` as text when they are UTF-8 and in
`b64` when not; a multibyte character split between batches is held back for the next batch
so it is not mistaken for binary. Each exec records at most `record_cap_bytes` (stdout and
stderr together); the rest is dropped with one `output_truncated` event.
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


@dataclass
class _Pending:
    """Output of one exec and stream not yet written."""

    data: bytearray = field(default_factory=bytearray)
    since: float = 0.0  # monotonic time of the first buffered byte


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
        self._cond = threading.Condition(threading.Lock())
        self._pending: dict[tuple[str, str], _Pending] = {}
        self._recorded: dict[str, int] = {}
        self._truncated: set[str] = set()
        self._counts = Counters()
        self._flusher: threading.Thread | None = None
        self._flusher_idle = False  # waiting with nothing pending: needs a notify
        self._closed = False

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
        with self._cond:
            if self._closed:
                return 0
            if type == "exec_end":
                self._flush_exec(str(payload.get("exec")))
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
        """Seal and write one line. Caller holds the lock.

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
        """Record output of a running exec (batched; see the module docstring)."""
        if not data:
            return
        with self._cond:
            if self._closed or exec_id in self._truncated:
                return
            done = self._recorded.get(exec_id, 0)
            room = self.record_cap_bytes - done
            over = len(data) > room
            if over:
                data = data[:room]
            self._recorded[exec_id] = done + len(data)
            pending = self._pending.get((exec_id, stream))
            if pending is None:
                pending = self._pending[(exec_id, stream)] = _Pending()
            if not pending.data:
                pending.since = time.monotonic()
                self._wake_flusher()
            pending.data += data
            if over:
                self._truncated.add(exec_id)
                self._flush_exec(exec_id)
                self._write("output_truncated", {"exec": exec_id, "stream": stream,
                                                 "recorded_bytes": done + len(data),
                                                 "cap": self.record_cap_bytes})
            elif len(pending.data) >= self.batch_bytes:
                self._flush_one(exec_id, stream, pending, final=False)

    def _flush_exec(self, exec_id: str) -> None:
        """Write everything buffered for one exec (its end, its truncation). Lock held."""
        for (ex, stream), pending in list(self._pending.items()):
            if ex == exec_id:
                self._flush_one(ex, stream, pending, final=True)
                del self._pending[(ex, stream)]

    def _flush_one(self, exec_id: str, stream: str, pending: _Pending, *, final: bool) -> None:
        """Write one buffer as an `output` event, keeping back a split UTF-8 character."""
        data = bytes(pending.data)
        pending.data.clear()
        head = {"exec": exec_id, "stream": stream}
        try:
            data.decode()
        except UnicodeDecodeError as exc:
            split = (not final and exc.end == len(data) and len(data) - exc.start < 4
                     and exc.reason == "unexpected end of data")
            if not split:
                self._write("output", {**head, "b64": base64.b64encode(data).decode()})
                return
            pending.data += data[exc.start:]
            pending.since = time.monotonic()
            data = data[:exc.start]
            if not data:
                return
        self._write("output", head, (b',"data":"', _json_text(data), b'"'))

    def _wake_flusher(self) -> None:
        """Start the background flusher on first use, or wake it. Lock held."""
        if self._flusher is None:
            self._flusher = threading.Thread(target=self._flush_loop, daemon=True,
                                             name=f"aiperm-rec-{self.session_id}")
            self._flusher.start()
        elif self._flusher_idle:
            self._cond.notify()

    def _flush_loop(self) -> None:
        """Write output that waited BATCH_SECONDS, so quiet streams still show up promptly."""
        with self._cond:
            while not self._closed:
                for name in [k for k, p in self._pending.items() if not p.data]:
                    del self._pending[name]
                if not self._pending:
                    self._flusher_idle = True
                    self._cond.wait()
                    self._flusher_idle = False
                    continue
                now = time.monotonic()
                oldest = min(p.since for p in self._pending.values())
                if now - oldest < BATCH_SECONDS:
                    self._cond.wait(BATCH_SECONDS - (now - oldest))
                    continue
                for (ex, stream), pending in list(self._pending.items()):
                    if now - pending.since >= BATCH_SECONDS:
                        self._flush_one(ex, stream, pending, final=False)

    # -- end ------------------------------------------------------------------------------

    def close(self, reason: str = "normal") -> None:
        """Flush output, write `session_end`, seal meta.toml. Safe to call twice."""
        with self._cond:
            if self._closed:
                return
            for (ex, stream), pending in list(self._pending.items()):
                self._flush_one(ex, stream, pending, final=True)
            self._pending.clear()
            self._write("session_end", {"reason": reason})
            self._closed = True
            self._cond.notify_all()
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
        if self._flusher is not None and self._flusher is not threading.current_thread():
            self._flusher.join(timeout=1)

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close("error" if exc_type else "normal")
