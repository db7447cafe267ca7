"""Recorded sessions for the replay tests, byte-for-byte in the Recorder's format.

The real `Recorder` stamps events with the wall clock, which would make timing tests and
snapshots flaky, so `write_session` seals lines itself the way docs/log-format.md says (HMAC-SHA256
over the previous mac and the line's body, compact JSON, the meta seal), at the times the
test chooses. A test in tests/replay checks that the real Recorder's logs replay too.

Tests give output events their text in `data`, for readability; in format 2 (the default)
the bytes are moved to output.bin and the event gets `offset`, `length` and the Poly1305
tag, computed here from the spec in `chain`'s docstring, not with its code. Format 1
keeps `data` inline, as the first release wrote it (readers still read that).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.poly1305 import Poly1305

from aiperm_tui.session import chain
from aiperm_tui.session.chain import seal_meta
from aiperm_tui.session.keys import AuditKey
from aiperm_tui.session.store import EVENTS, OUTPUT, write_meta

KEY = AuditKey(bytes(range(32)), "file")
SESSION_ID = "20260101T120000Z-abcdef"
_ENCODER = json.JSONEncoder(separators=(",", ":"), default=str)

Event = tuple[float, str, dict[str, Any]]


NONCE = "0123456789abcdef0123456789abcdef"  # session_start's output_nonce (format 2)


def output_tag(key: AuditKey, nonce: str, offset: int, data: bytes) -> str:
    """The tag of output bytes at `offset` in output.bin: Poly1305 under a one-time key."""
    one_time = hmac.new(
        key.secret,
        b"aiperm-output-v1\0" + nonce.encode() + b"\0" + str(offset).encode(),
        hashlib.sha256,
    ).digest()
    return Poly1305.generate_tag(one_time, data).hex()


def _to_output_bin(key: AuditKey, payload: dict[str, Any], output: bytearray) -> dict[str, Any]:
    """A format-2 output payload for one given with `data`: its bytes go to `output`."""
    data = str(payload["data"]).encode()
    offset = len(output)
    output += data
    rest = {k: v for k, v in payload.items() if k != "data"}
    return {
        **rest,
        "offset": offset,
        "length": len(data),
        "tag": output_tag(key, NONCE, offset, data),
    }


def sealed_lines(
    session_id: str, key: AuditKey, events: Sequence[Event], output: bytearray | None = None
) -> tuple[bytes, bytes]:
    """The bytes of events.jsonl for `events`, and the last mac. With `output`, the `data`
    of output events is moved to it (format 2); without, it stays inline (format 1)."""
    prev = chain.genesis(session_id)
    out = bytearray()
    for seq, (t, type_, given) in enumerate(events, 1):
        payload = (
            _to_output_bin(key, given, output)
            if output is not None and type_ == "output" and "data" in given
            else given
        )
        ts = f"2026-01-01T12:{int(t) // 60 % 60:02d}:{int(t) % 60:02d}.000Z"
        body = _ENCODER.encode({"seq": seq, "t": t, "ts": ts, "type": type_, **payload})
        body_bytes = body.encode()[:-1]
        prev = hmac.new(key.secret, prev + body_bytes, hashlib.sha256).hexdigest().encode()
        out += body_bytes + chain.MAC_KEY + prev + b'"}\n'
    return bytes(out), prev


def write_session(
    root: Path,
    events: Sequence[Event],
    *,
    session_id: str = SESSION_ID,
    key: AuditKey = KEY,
    closed: bool = True,
    ephemeral: bool = False,
    tail: bytes = b"",
    fmt: int = 2,
) -> Path:
    """A session folder under `root` holding `events` (a session_start comes first), in
    log format `fmt`."""
    folder = root / session_id
    folder.mkdir(parents=True)
    start: Event = (
        0.0,
        "session_start",
        {
            "agent": ["demo-agent", "--fast"],
            "hosts": ["web1"],
            "preset": "ops_safe",
            "user": "alice",
            "hostname": "desk",
            "version": "0.1.0",
            "key_id": key.key_id,
            "ephemeral": ephemeral,
            **({"output_nonce": NONCE} if fmt == 2 else {}),
        },
    )
    everything = [start, *events]
    if closed:
        everything.append((everything[-1][0] + 0.1, "session_end", {"reason": "normal"}))
    output = bytearray() if fmt == 2 else None
    data, last = sealed_lines(session_id, key, everything, output)
    (folder / EVENTS).write_bytes(data + tail)
    if output is not None:
        (folder / OUTPUT).write_bytes(output)
    meta: dict[str, Any] = {
        "format": fmt,
        "id": session_id,
        "start": "2026-01-01T12:00:00.000000Z",
        "agent": ["demo-agent", "--fast"],
        "hosts": ["web1"],
        "preset": "ops_safe",
        "version": "0.1.0",
        "key_id": key.key_id,
        "key_source": key.source,
        "ephemeral": ephemeral,
        "user": "alice",
        "hostname": "desk",
    }
    if closed:
        meta.update(
            {
                "end": "2026-01-01T12:01:00.000000Z",
                "events": len(everything),
                "seal": seal_meta(key.secret, last, len(everything)),
            }
        )
    write_meta(folder, meta)
    return folder


def decision(
    verdict: str = "allow",
    confirm: str = "none",
    score: int = 5,
    findings: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The inlined Decision fields of a `decision` event."""
    return {
        "decision": verdict,
        "confirm": confirm,
        "layer": "preset:ops_safe",
        "reason": "read-only" if verdict == "allow" else "destroys data",
        "risk": {"score": score, "blast_radius": "single" if score < 50 else "system"},
        "argv": None,
        "findings": list(findings),
        "suggestions": [],
    }


def demo_events() -> list[Event]:
    """A small session: chatter, an approved read, an edited approval, a denial."""
    rm_finding = {
        "rule": "rm-recursive",
        "severity": "high",
        "message": "recursive delete",
        "span": [0, 6],
    }
    return [
        (0.5, "agent_line", {"stream": "stdout", "text": "Looking at the disk usage"}),
        (
            1.0,
            "request",
            {
                "id": "p1",
                "host": "web1",
                "goal": "check disk",
                "strategy": "fail_fast",
                "source": "agent",
                "actions": ["df -h /"],
            },
        ),
        (1.01, "decision", {"id": "p1", "action": 0, "cmd": "df -h /", **decision()}),
        (
            2.0,
            "approval",
            {
                "id": "p1",
                "action": 0,
                "by": "human",
                "cmd": "df -h /",
                "original": None,
                "confirm": "none",
            },
        ),
        (
            2.01,
            "exec_start",
            {"exec": "x1", "id": "p1", "action": 0, "host": "web1", "cmd": "df -h /"},
        ),
        (
            2.2,
            "output",
            {
                "exec": "x1",
                "stream": "stdout",
                "data": "Filesystem Size Used Avail\n/dev/sda1 40G 39G 1G\n",
            },
        ),
        (
            2.3,
            "exec_end",
            {
                "exec": "x1",
                "exit_status": 0,
                "signal": None,
                "error": None,
                "duration_ms": 290,
                "stdout_bytes": 48,
                "stderr_bytes": 0,
            },
        ),
        (
            2.31,
            "result_sent",
            {"id": "p1", "action": 0, "exit_status": 0, "truncated": False, "edited": False},
        ),
        (2.32, "plan_end", {"id": "p1", "status": "ok", "exit_code": 0}),
        (3.0, "agent_line", {"stream": "stdout", "text": "Cleaning old logs \x1b[31mnow"}),
        (
            4.0,
            "request",
            {
                "id": "p2",
                "host": "web1",
                "goal": "free space",
                "strategy": "fail_fast",
                "source": "agent",
                "actions": ["rm -rf /var/log/old", "rm -rf /"],
            },
        ),
        (
            4.01,
            "decision",
            {
                "id": "p2",
                "action": 0,
                "cmd": "rm -rf /var/log/old",
                **decision("allow", "typed", 70, [rm_finding]),
            },
        ),
        (
            4.02,
            "decision",
            {
                "id": "p2",
                "action": 1,
                "cmd": "rm -rf /",
                **decision("deny", "typed", 100, [rm_finding]),
            },
        ),
        (
            30.0,
            "approval",
            {
                "id": "p2",
                "action": 0,
                "by": "human",
                "cmd": "rm -rf /var/log/old/*.gz",
                "original": "rm -rf /var/log/old",
                "confirm": "typed",
            },
        ),
        (
            30.01,
            "deny",
            {
                "id": "p2",
                "action": 1,
                "by": "policy",
                "cmd": "rm -rf /",
                "reason": "destroys data",
                "message": "never the root",
            },
        ),
        (
            30.02,
            "exec_start",
            {
                "exec": "x2",
                "id": "p2",
                "action": 0,
                "host": "web1",
                "cmd": "rm -rf /var/log/old/*.gz",
            },
        ),
        (30.5, "output", {"exec": "x2", "stream": "stderr", "data": "removed 3 files\n"}),
        (
            30.6,
            "exec_end",
            {
                "exec": "x2",
                "exit_status": 0,
                "signal": None,
                "error": None,
                "duration_ms": 580,
                "stdout_bytes": 0,
                "stderr_bytes": 16,
            },
        ),
        (30.7, "plan_end", {"id": "p2", "status": "denied", "exit_code": 1}),
        (31.0, "agent_line", {"stream": "stderr", "text": "done"}),
    ]
