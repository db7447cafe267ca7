"""Recorded sessions for the replay tests, byte-for-byte in the Recorder's format.

The real `Recorder` stamps events with the wall clock, which would make timing tests and
snapshots flaky, so `write_session` seals lines itself the way DESIGN.md says (HMAC-SHA256
over the previous mac and the line's body, compact JSON, the meta seal), at the times the
test chooses. A test in tests/replay checks that the real Recorder's logs replay too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiperm_tui.session import chain
from aiperm_tui.session.keys import AuditKey
from aiperm_tui.session.recorder import seal_meta
from aiperm_tui.session.store import EVENTS, write_meta

KEY = AuditKey(bytes(range(32)), "env")
SESSION_ID = "20260101T120000Z-abcdef"
_ENCODER = json.JSONEncoder(separators=(",", ":"), default=str)

Event = tuple[float, str, dict[str, Any]]


def sealed_lines(session_id: str, key: AuditKey, events: Sequence[Event]) -> tuple[bytes, bytes]:
    """The bytes of events.jsonl for `events`, and the last mac."""
    prev = chain.genesis(session_id)
    out = bytearray()
    for seq, (t, type_, payload) in enumerate(events, 1):
        ts = f"2026-01-01T12:{int(t) // 60 % 60:02d}:{int(t) % 60:02d}.000Z"
        body = _ENCODER.encode({"seq": seq, "t": t, "ts": ts, "type": type_, **payload})
        body_bytes = body.encode()[:-1]
        prev = hmac.new(key.secret, prev + body_bytes, hashlib.sha256).hexdigest().encode()
        out += body_bytes + chain.MAC_KEY + prev + b'"}\n'
    return bytes(out), prev


def write_session(root: Path, events: Sequence[Event], *, session_id: str = SESSION_ID,
                  key: AuditKey = KEY, closed: bool = True, ephemeral: bool = False,
                  tail: bytes = b"") -> Path:
    """A session folder under `root` holding `events` (a session_start comes first)."""
    folder = root / session_id
    folder.mkdir(parents=True)
    start: Event = (0.0, "session_start", {
        "agent": ["demo-agent", "--fast"], "hosts": ["web1"], "preset": "ops_safe",
        "user": "alice", "hostname": "desk", "version": "0.1.0", "key_id": key.key_id,
        "ephemeral": ephemeral})
    everything = [start, *events]
    if closed:
        everything.append((everything[-1][0] + 0.1, "session_end", {"reason": "normal"}))
    data, last = sealed_lines(session_id, key, everything)
    (folder / EVENTS).write_bytes(data + tail)
    meta: dict[str, Any] = {
        "format": 1, "id": session_id, "start": "2026-01-01T12:00:00.000000Z",
        "agent": ["demo-agent", "--fast"], "hosts": ["web1"], "preset": "ops_safe",
        "version": "0.1.0", "key_id": key.key_id, "key_source": key.source,
        "ephemeral": ephemeral, "user": "alice", "hostname": "desk"}
    if closed:
        meta.update({"end": "2026-01-01T12:01:00.000000Z", "events": len(everything),
                     "seal": seal_meta(key, last, len(everything))})
    write_meta(folder, meta)
    return folder


def decision(verdict: str = "allow", confirm: str = "none", score: int = 5,
             findings: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """The inlined Decision fields of a `decision` event."""
    return {"decision": verdict, "confirm": confirm, "layer": "preset:ops_safe",
            "reason": "read-only" if verdict == "allow" else "destroys data",
            "risk": {"score": score, "blast_radius": "single" if score < 50 else "system"},
            "argv": None, "findings": list(findings), "suggestions": []}


def demo_events() -> list[Event]:
    """A small session: chatter, an approved read, an edited approval, a denial."""
    rm_finding = {"rule": "rm-recursive", "severity": "high",
                  "message": "recursive delete", "span": [0, 6]}
    return [
        (0.5, "agent_line", {"stream": "stdout", "text": "Looking at the disk usage"}),
        (1.0, "request", {"id": "p1", "host": "web1", "goal": "check disk", "strategy":
                          "fail_fast", "source": "agent", "actions": ["df -h /"]}),
        (1.01, "decision", {"id": "p1", "action": 0, "cmd": "df -h /", **decision()}),
        (2.0, "approval", {"id": "p1", "action": 0, "by": "human", "cmd": "df -h /",
                           "original": None, "confirm": "none"}),
        (2.01, "exec_start", {"exec": "x1", "id": "p1", "action": 0, "host": "web1",
                              "cmd": "df -h /"}),
        (2.2, "output", {"exec": "x1", "stream": "stdout",
                         "data": "Filesystem Size Used Avail\n/dev/sda1 40G 39G 1G\n"}),
        (2.3, "exec_end", {"exec": "x1", "exit_status": 0, "signal": None, "error": None,
                           "duration_ms": 290, "stdout_bytes": 48, "stderr_bytes": 0}),
        (2.31, "result_sent", {"id": "p1", "action": 0, "exit_status": 0,
                               "truncated": False, "edited": False}),
        (2.32, "plan_end", {"id": "p1", "status": "ok", "exit_code": 0}),
        (3.0, "agent_line", {"stream": "stdout", "text": "Cleaning old logs \x1b[31mnow"}),
        (4.0, "request", {"id": "p2", "host": "web1", "goal": "free space", "strategy":
                          "fail_fast", "source": "agent",
                          "actions": ["rm -rf /var/log/old", "rm -rf /"]}),
        (4.01, "decision", {"id": "p2", "action": 0, "cmd": "rm -rf /var/log/old",
                            **decision("allow", "typed", 70, [rm_finding])}),
        (4.02, "decision", {"id": "p2", "action": 1, "cmd": "rm -rf /",
                            **decision("deny", "typed", 100, [rm_finding])}),
        (30.0, "approval", {"id": "p2", "action": 0, "by": "human",
                            "cmd": "rm -rf /var/log/old/*.gz", "original": "rm -rf /var/log/old",
                            "confirm": "typed"}),
        (30.01, "deny", {"id": "p2", "action": 1, "by": "policy", "cmd": "rm -rf /",
                         "reason": "destroys data", "message": "never the root"}),
        (30.02, "exec_start", {"exec": "x2", "id": "p2", "action": 0, "host": "web1",
                               "cmd": "rm -rf /var/log/old/*.gz"}),
        (30.5, "output", {"exec": "x2", "stream": "stderr", "data": "removed 3 files\n"}),
        (30.6, "exec_end", {"exec": "x2", "exit_status": 0, "signal": None, "error": None,
                            "duration_ms": 580, "stdout_bytes": 0, "stderr_bytes": 16}),
        (30.7, "plan_end", {"id": "p2", "status": "denied", "exit_code": 1}),
        (31.0, "agent_line", {"stream": "stderr", "text": "done"}),
    ]
