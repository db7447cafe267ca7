"""Writing a session log: `Recorder`.

Every event becomes one line of `events.jsonl`, sealed into the HMAC chain (`chain`). The
broker writes from several threads (agent reader, SSH executors, the UI), so one lock
(`_wlock`) orders seq numbers, macs and writes.

Durability: each line reaches the OS in one `os.writev` (so a SIGKILL leaves at worst a
torn last line, never a hole), and the events an auditor relies on (decision, approval, deny,
exec_end, session_end) are also fsynced to the disk.

Output bytes go raw to `output.bin`, written by `output` on the thread that streams them,
as they come: a chunk just received is still in the CPU cache, and handing chunks to a
writer thread cost more CPU (0.17-0.20 CPU s per 256 MB against 0.09-0.14 written in
place: wake-ups, a second pass over cold memory; benchmarks/log_bench.py). They are
recorded in batches, not one event per chunk: the bytes of one exec and stream written
one after the other form the open batch, tagged with Poly1305 as they are written (see
`chain`), and one `output` event records its offset, length and tag when it is sealed:
once it holds `batch_bytes` (1 MiB: a quarter of the events, HMACs and line writes of
256 KiB batches, 0.068 against 0.080 CPU s per 128 MB streamed through SSH), when another
stream writes (so the events tile output.bin in the order the output came), when its exec
ends, or by the ticker thread once its first byte waited 50 ms. The ticker also
fdatasyncs output.bin every 8 MiB, so the fsync at `exec_end` has little left to do (a
64 MB command at 100 MB/s: 5.9 ms at its end against 23 with every 32 MiB, for the same
CPU), and synced output is dropped from the page cache (`_drop_cached`). Bytes reach output.bin
before the event that points at them, so a crash leaves at worst unreferenced bytes at
its end. What recording costs is mostly per byte and not this module's: the kernel's
copy into the page cache with its page and ext4 bookkeeping, write-back and dropping
(about 0.045 CPU s per 128 MB) and the Poly1305 tag (0.015); writing the aligned middle
of each chunk with O_DIRECT instead (the tail buffered, so output still reaches the OS
before `output` returns) measured 0.04-0.047 against 0.047-0.05 CPU s, slower in wall
time, since the copy into an aligned buffer replaces the kernel's: not kept. Each exec
records at most `record_cap_bytes` (stdout and stderr together); the rest is dropped with
one `output_truncated` event.

Format 3 (docs/log-format.md): the first event, `session_start`, carries every fact shown
about the session (user, hosts, preset, jail, isolation level, agent argv, version, key
id, where the session index stood); every event names its key (`kid`, last before the
mac); the last event is a `seal` with the event count and the chain head. Each start and
seal also goes into the session index (`ledger`), and each seal to the anchor hook
(`anchor`) when one is configured. The agent's side (its pane lines, the operator's
messages, tool permission prompts and answers) is recorded too, within `agentside`'s caps.
While the recorder is open it holds a `flock` on events.jsonl, so a verifier can tell a
live session from one whose tail was cut.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import json.encoder
import os
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.poly1305 import Poly1305

from aiperm_tui import __version__, paths
from aiperm_tui.config import AuditConfig
from aiperm_tui.session import chain, ledger, liveness
from aiperm_tui.session.agentside import AgentBudget, clip
from aiperm_tui.session.anchor import Anchored, anchor_in_background
from aiperm_tui.session.keys import AuditKey, load_audit_key
from aiperm_tui.session.store import (
    EVENTS,
    FORMAT,
    OUTPUT,
    Counters,
    iso_utc,
    new_session_id,
    write_meta,
)

BATCH_BYTES = 1024 * 1024  # an open batch is sealed into an output event at this size
BATCH_SECONDS = 0.05  # ... or once its first byte waited this long
SYNC_BYTES = 8 * 1024 * 1024  # the ticker fdatasyncs output.bin after this much
FSYNC_TYPES = frozenset(
    {"decision", "approval", "deny", "exec_end", "session_end", "seal", "permission_answer"}
)
RESERVED = frozenset({"seq", "t", "ts", "type", "kid", "mac"})


def _make_encode() -> Callable[[dict[str, Any]], str]:
    """Compact JSON with non-ASCII escaped. The C encoder is built once: `json.dumps` builds
    one per call, which doubles the cost of a line on the hot path."""
    make = getattr(json.encoder, "c_make_encoder", None)  # private: not in the stubs
    if make is None:  # a Python without the C accelerator
        return json.JSONEncoder(separators=(",", ":"), default=str).encode
    encoder = make(
        None, str, json.encoder.encode_basestring_ascii, None, ":", ",", False, False, True
    )
    return lambda obj: "".join(encoder(obj, 0))


_encode = _make_encode()


def _write_all(fd: int, parts: Sequence[bytes | memoryview], at: int) -> int:
    """Append `parts` to a file `at` bytes long, in one `os.writev` (no copy into one
    buffer); returns how many bytes. A short write (a signal) is finished, and a failed
    one (disk full) is cut back to `at`, so the file never holds half a line with the
    next one after it, nor output bytes that no event could point at."""
    size = sum(map(len, parts))
    try:
        written = os.writev(fd, parts)
        if written < size:
            view = memoryview(b"".join(parts))[written:]
            while view:
                view = view[os.write(fd, view) :]
    except OSError:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, at)
        raise
    return size


def _drop_cached(fd: int, start: int, end: int) -> None:
    """Drop the pages of output.bin in [start, end), just synced, from the page cache.

    Nothing reads them back soon (the output pane has its own copy, a replay comes
    later), and a page cache that grows by every byte of output needs a fresh page for
    each: on the 2-core VM of benchmarks/log_bench.py, writing 256 MB cost about 1 CPU s
    instead of 0.15 once half a gigabyte of earlier output stayed cached. Dropped, the
    pages are reused, and aiperm's logs do not push the operator's useful cache out.
    """
    if end > start:
        os.posix_fadvise(fd, start, end - start, os.POSIX_FADV_DONTNEED)


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return f"uid {os.getuid()}"


def _stderr_warn(message: str) -> None:
    print(f"aiperm: warning: {message}", file=sys.stderr)


@dataclass
class _Batch:
    """The open batch: output of one exec and stream at the end of output.bin, from
    `offset`, with the MAC of its bytes so far."""

    exec_id: str
    stream: str
    offset: int
    mac: Poly1305
    opened: float  # monotonic time it was opened, as its first byte came
    size: int = 0
    tag: str | None = None  # once finalized (a seal whose line failed is tried again)


class Recorder:
    """The writer of one session's log (see the module docstring)."""

    def __init__(
        self,
        folder: Path,
        key: AuditKey,
        meta: dict[str, Any],
        record_cap_bytes: int,
        audit: AuditConfig | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        """Use `Recorder.create`; this opens the files of an already-made folder."""
        self.path = folder
        self.session_id: str = meta["id"]
        self.key = key
        self.record_cap_bytes = record_cap_bytes
        self.audit = audit or AuditConfig()
        self._warn = warn or _stderr_warn
        self._kid = key.key_id
        self._budget = AgentBudget(self.audit.agent_lines_per_second)
        self.anchor_threads: list[threading.Thread] = []  # the hook's runs: start, seal
        self.batch_bytes = BATCH_BYTES  # an open batch is sealed at this size
        self._meta = meta
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_EXCL
        self._fd = os.open(folder / EVENTS, flags, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # "live" to verifiers
        self._events_at = 0  # the size of events.jsonl
        self._out_fd = os.open(folder / OUTPUT, flags, 0o600)
        self._out_at = 0  # the size of output.bin: where the next bytes go
        self._out_synced = 0  # how much of output.bin an fdatasync has finished with
        self._sealer = chain.Sealer(key.secret)
        self.output_nonce = secrets.token_hex(16)  # in session_start; keys the output tags
        self._tagger = chain.ChunkTagger(self._sealer, self.output_nonce)
        self._prev = chain.genesis(self.session_id)
        self._seq = 0
        self._last_t, self._last_ts = 0.0, ""  # of the last event written (meta's end)
        self._t0 = time.monotonic()
        self._ts_second = -1
        self._ts_prefix = ""
        self._wlock = threading.Lock()
        self._tick = threading.Condition(self._wlock)  # the ticker waits for a batch
        self._batch: _Batch | None = None
        self._recorded: dict[str, int] = {}
        self._truncated: set[str] = set()
        self._counts = Counters()
        self._ticker: threading.Thread | None = None
        self._ticker_idle = False  # waiting with no open batch: needs a notify
        self._failure: OSError | None = None  # why output could not be recorded
        self._closing = False  # `close` started: the ticker stops
        self._closed = False  # session_end written, file closed
        self._sync_deferred = 0  # inside `one_sync`: durable events wait for its fsync
        self._sync_owed = False

    @classmethod
    def create(
        cls,
        *,
        agent: Sequence[str],
        hosts: Sequence[str],
        preset: str,
        key: AuditKey | None = None,
        root: Path | None = None,
        record_cap_bytes: int = 1024**3,
        warn: Callable[[str], None] | None = None,
        isolation: str = "unknown",
        jail: dict[str, str] | None = None,
        audit: AuditConfig | None = None,
    ) -> Recorder:
        """Start a new session: make its folder, write meta.toml and `session_start`, and
        enter the start in the session index.

        `isolation` is the agent's isolation level in force ("sandbox", "off", ...),
        `jail` the jail_root of each host that has one; both are facts of the session.
        Without a key, `keys.load_audit_key()` picks one; an ephemeral key is announced
        through `warn` (default: a line on stderr) because such a log cannot be verified
        once this process is gone, and it stays out of the index (whose chain would then
        not verify either).
        """
        key = key or load_audit_key()
        assert key is not None  # allow_ephemeral=True always yields a key
        warn = warn or _stderr_warn
        audit = audit or AuditConfig()
        root = root or paths.sessions_dir()
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        now = time.time()
        session_id = new_session_id(now)
        folder = root / session_id
        folder.mkdir(mode=0o700)
        if key.ephemeral:
            warn(
                "no audit key (run `aiperm init`, or set AIPERM_AUDIT_KEY_FILE): this session is "
                "recorded with an ephemeral key, so it cannot be verified after aiperm exits"
            )
        facts: dict[str, Any] = {
            "format": FORMAT,
            "session": session_id,
            "start": iso_utc(now),
            "agent": list(agent),
            "hosts": list(hosts),
            "preset": preset,
            "jail": dict(jail or {}),
            "isolation": isolation,
            "user": _user(),
            "hostname": socket.gethostname(),
            "version": __version__,
            "key_id": key.key_id,
            "ephemeral": key.ephemeral,
            "record_cap_bytes": record_cap_bytes,
            "anchor": list(audit.anchor),
            "broker": liveness.this_process(),  # whose lock says "live" (`liveness`)
        }
        meta = {"id": session_id, **facts, "key_source": key.source}
        write_meta(folder, meta)
        recorder = cls(folder, key, meta, record_cap_bytes, audit, warn)
        facts["output_nonce"] = recorder.output_nonce
        if key.ephemeral:
            recorder.event("session_start", **facts, index=None)
            return recorder
        try:
            with ledger.locked(root) as index:
                recorder.event("session_start", **facts, index={"n": index.n, "head": index.head})
                index.append(key, "start", session=session_id, head=recorder.head)
                anchored = Anchored("start", session_id, recorder.head, (index.n, index.head))
            recorder._anchor(anchored)
        except OSError as exc:
            message = f"the session index in {root} was not written: {exc}"
            warn(message + " (deleting this session would go unnoticed)")
            if recorder._seq == 0:
                recorder.event("session_start", **facts, index=None)
            recorder.event("error", message=message)
        return recorder

    @property
    def head(self) -> str:
        """The chain head: the mac of the last event written (hex)."""
        return self._prev.decode()

    # -- events ---------------------------------------------------------------------------

    def event(self, type: str, **payload: Any) -> int:
        """Append one event; returns its seq (0 once the recorder is closed: dropped).

        An `exec_end` first seals its exec's open batch (see `_seal`).
        """
        if not RESERVED.isdisjoint(payload):
            bad = ", ".join(sorted(RESERVED.intersection(payload)))
            raise ValueError(f"reserved event field(s): {bad}")
        with self._wlock:
            if self._closed:
                return 0
            if type == "exec_end":
                self._seal(str(payload.get("exec")))
            return self._write(type, payload)

    @contextlib.contextmanager
    def one_sync(self) -> Iterator[None]:
        """Durable events written inside share one fsync at the end instead of one each:
        for the broker's shutdown, which records a deny for every pending action (200
        fsyncs of a few ms each would hold the operator's quit for a second). Each line
        still reaches the OS in order with its own writev."""
        with self._wlock:
            self._sync_deferred += 1
        try:
            yield
        finally:
            with self._wlock:
                self._sync_deferred -= 1
                if not self._sync_deferred and self._sync_owed and not self._closed:
                    os.fsync(self._fd)
                    self._sync_owed = False

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
        t, ts = round(time.monotonic() - self._t0, 6), self._ts()
        record: dict[str, Any] = {"seq": seq, "t": t, "ts": ts, "type": type_}
        record.update(payload)
        record["kid"] = self._kid
        body = _encode(record).encode()[:-1]
        mac = self._sealer.seal(self._prev, body)
        durable = type_ in FSYNC_TYPES
        if durable and self._out_at > self._out_synced:
            os.fdatasync(self._out_fd)  # the output an exec_end vouches for is on disk first
            _drop_cached(self._out_fd, self._out_synced, self._out_at)
            self._out_synced = self._out_at
        self._events_at += _write_all(
            self._fd, (body, chain.MAC_KEY, mac, b'"}\n'), self._events_at
        )
        if durable and self._sync_deferred:
            self._sync_owed = True
        elif durable:
            os.fsync(self._fd)
        self._seq = seq
        self._prev = mac
        self._last_t, self._last_ts = t, ts
        self._counts.feed(type_, payload)
        return seq

    # -- the agent's side ---------------------------------------------------------------

    def agent_line(self, stream: str, kind: str, text: str) -> int:
        """A line the agent showed in its pane; returns its seq, 0 when not recorded (over
        the rate cap: counted, see `agentside`; or closed). Long lines are clipped."""
        with self._wlock:
            if self._closed or not self._budget.admit(len(text)):
                return 0
            self._write_dropped()
            text, cut = clip(text, self.audit.agent_line_max)
            payload: dict[str, Any] = {"stream": stream, "kind": kind, "text": text}
            if cut:
                payload["cut"] = cut
            return self._write("agent_line", payload)

    def operator_message(self, text: str, *, delivered: bool) -> int:
        """A line the operator typed to the agent, and whether the agent could take it."""
        text, cut = clip(text, self.audit.agent_line_max)
        return self.event(
            "operator_message", text=text, delivered=delivered, **({"cut": cut} if cut else {})
        )

    def permission_request(
        self, request_id: str, tool: str, description: str, tool_input: Any
    ) -> int:
        """The agent asked to use one of its own tools (shown to the operator as a prompt)."""
        shown, _ = clip(
            _encode(tool_input) if not isinstance(tool_input, str) else tool_input,
            self.audit.agent_line_max,
        )
        desc, _ = clip(description, self.audit.agent_line_max)
        return self.event(
            "permission_request", request=request_id, tool=tool[:200], description=desc, input=shown
        )

    def permission_answer(self, request_id: str, allow: bool, message: str = "") -> int:
        """The operator's answer to a permission prompt."""
        return self.event(
            "permission_answer",
            request=request_id,
            allow=allow,
            message=clip(message, self.audit.agent_line_max)[0],
        )

    def _write_dropped(self) -> None:
        """The count of agent lines refused since the last one recorded, if any. Caller
        holds `_wlock`."""
        dropped = self._budget.take_dropped()
        if dropped:
            self._write("agent_lines_dropped", dropped)

    # -- output ---------------------------------------------------------------------------

    def output(self, exec_id: str, stream: str, data: bytes | memoryview) -> None:
        """Record output of a running exec: written to output.bin before this returns (see
        the module docstring). Raises OSError when it could not be recorded, and from then
        on (`_fail`): the broker fails the command rather than run it unrecorded."""
        if not data:
            return
        with self._wlock:
            if self._failure is not None:
                raise OSError(f"session log not written: {self._failure}") from self._failure
            if self._closed or exec_id in self._truncated:
                return
            done = self._recorded.get(exec_id, 0)
            room = self.record_cap_bytes - done
            over = len(data) > room
            if over:
                data = data[:room]
                self._truncated.add(exec_id)
            self._recorded[exec_id] = done + len(data)
            try:
                self._append(exec_id, stream, data)
                if over:
                    self._seal(exec_id)
                    self._write(
                        "output_truncated",
                        {
                            "exec": exec_id,
                            "stream": stream,
                            "recorded_bytes": done + len(data),
                            "cap": self.record_cap_bytes,
                        },
                    )
            except OSError as exc:
                self._fail(
                    exc, f"output of {exec_id} ({stream}) not recorded past here: {exc}", exec_id
                )
                raise

    def _append(self, exec_id: str, stream: str, data: bytes | memoryview) -> None:
        """Write `data` to output.bin as part of the open batch, sealing batches as they
        fill. Caller holds `_wlock`."""
        while data:
            batch = self._batch
            if batch is None or batch.exec_id != exec_id or batch.stream != stream:
                batch = self._open(exec_id, stream)
            piece = data
            if len(data) > self.batch_bytes - batch.size:  # rare: a chunk over a batch
                data = memoryview(data)
                piece = data[: self.batch_bytes - batch.size]
            self._out_at += _write_all(self._out_fd, (piece,), self._out_at)
            batch.mac.update(piece)
            batch.size += len(piece)
            if batch.size >= self.batch_bytes:
                self._seal(exec_id)
            data = data[len(piece) :]

    def _open(self, exec_id: str, stream: str) -> _Batch:
        """Seal the open batch (another stream's) and open one at the end of output.bin.
        Caller holds `_wlock`."""
        self._seal(None)
        batch = self._batch = _Batch(
            exec_id, stream, self._out_at, self._tagger.start(self._out_at), time.monotonic()
        )
        if self._ticker is None:
            ticker = threading.Thread(
                target=self._tick_loop, daemon=True, name=f"aiperm-rec-{self.session_id}"
            )
            ticker.start()  # kept only once started: close() joins it
            self._ticker = ticker
        elif self._ticker_idle:
            self._tick.notify()
        return batch

    def _seal(self, exec_id: str | None) -> None:
        """Write the `output` event of the open batch, if it is of `exec_id` (of any exec:
        None); the batch stays open if that write fails, for a later seal to try again.
        An empty batch (its first write failed) is dropped. Caller holds `_wlock`."""
        batch = self._batch
        if batch is None or exec_id not in (None, batch.exec_id):
            return
        if batch.size:
            batch.tag = batch.tag or batch.mac.finalize().hex()
            self._write(
                "output",
                {
                    "exec": batch.exec_id,
                    "stream": batch.stream,
                    "offset": batch.offset,
                    "length": batch.size,
                    "tag": batch.tag,
                },
            )
        self._batch = None

    def _fail(self, exc: OSError, message: str, exec_id: str | None = None) -> None:
        """Mark the recorder failed: every later `output` raises. Then, best effort on a
        disk that may be full, seal what the open batch holds and write an error event
        saying what is lost. No batch opens after this, so an offset is never tagged
        twice. Caller holds `_wlock`."""
        self._failure = self._failure or exc
        with contextlib.suppress(OSError):
            self._seal(None)
            self._write(
                "error",
                {"message": message} if exec_id is None else {"message": message, "exec": exec_id},
            )

    def _tick_loop(self) -> None:
        """The ticker thread: seal a batch whose first byte waited BATCH_SECONDS, and
        fdatasync output.bin every SYNC_BYTES (then drop those pages from the cache),
        outside the lock so output and events go on while the disk catches up (the fd
        stays open until this thread is done: close joins it). Stops when the recorder
        closes or recording fails."""
        while True:
            with self._tick:
                upto, start = self._next_tick(), self._out_synced
            if upto is None:
                return
            try:
                os.fdatasync(self._out_fd)
                _drop_cached(self._out_fd, start, upto)
            except OSError as exc:
                with self._wlock:
                    self._fail(
                        exc, f"output.bin not synced to disk (its output so far may be lost): {exc}"
                    )
                return
            with self._wlock:
                self._out_synced = max(self._out_synced, upto)

    def _next_tick(self) -> int | None:
        """Seal batches as they come of age until output.bin has SYNC_BYTES not synced:
        then the size to sync up to; None once closing or failed. Caller holds `_wlock`."""
        while not self._closing and self._failure is None:
            if self._out_at - self._out_synced >= SYNC_BYTES:
                return self._out_at
            batch = self._batch
            if batch is None:
                self._ticker_idle = True
                self._tick.wait()
                self._ticker_idle = False
                continue
            wait = batch.opened + BATCH_SECONDS - time.monotonic()
            if wait > 0:
                self._tick.wait(wait)
                continue
            try:
                self._seal(None)
            except OSError as exc:
                self._fail(exc, f"output not recorded: {exc}")
        return None

    # -- end ------------------------------------------------------------------------------

    def close(self, reason: str = "normal") -> None:
        """Stop the ticker, seal the open batch, write `session_end` and the `seal`, update
        meta.toml, enter the seal in the index and hand it to the anchor hook (in a thread
        of its own, in `anchor_threads`). Safe to call twice."""
        with self._tick:
            if self._closing:
                return
            self._closing = True
            self._tick.notify()
        if self._ticker is not None and self._ticker is not threading.current_thread():
            self._ticker.join()  # it finishes the fdatasync it is in, then stops
        with self._wlock:
            if self._closed:
                return
            try:
                self._seal(None)
                self._write_dropped()
                self._write("session_end", {"reason": reason})
                self._write(
                    "seal",
                    {"events": self._seq, "head": self.head, "counts": self._counts.as_meta()},
                )
            finally:
                self._closed = True
                os.close(self._out_fd)  # session_end's fsync took what was left of it
                os.close(self._fd)
            self._meta.update(
                {
                    "end": self._last_ts,  # the seal's: verify checks meta against it
                    "duration": self._last_t,
                    "events": self._seq,
                    "head": self.head,
                    "counts": self._counts.as_meta(),
                }
            )
            write_meta(self.path, self._meta)
        self._index_seal()

    def _index_seal(self) -> None:
        """The seal into the session index, then to the anchor hook if there is one."""
        if self.key.ephemeral:
            return
        try:
            with ledger.locked(self.path.parent) as index:
                index.append(
                    self.key, "seal", session=self.session_id, events=self._seq, head=self.head
                )
                at = (index.n, index.head)
        except OSError as exc:
            self._warn(f"the seal of session {self.session_id} is not in the session index: {exc}")
            at = (0, ledger.GENESIS)  # not in the index: the anchored line says so
        self._anchor(Anchored("seal", self.session_id, self.head, at, self._seq))

    def _anchor(self, anchored: Anchored) -> None:
        """Hand a start or a seal to the anchor hook, when one is configured, in a thread
        (`anchor_threads`) that records its outcome in the index."""
        if self.audit.anchor:
            self.anchor_threads.append(
                anchor_in_background(self.audit, self.path.parent, self.key, anchored, self._warn)
            )

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close("error" if exc_type else "normal")
