"""The session log: recording, reading, verifying, listing (no Textual, no rich).

Public API (the format and what verify proves: docs/log-format.md):

- `Recorder.create(agent=, hosts=, preset=, key=None, root=None, record_cap_bytes=, warn=)`
  then `.event(type, **payload) -> seq`, `.output(exec_id, stream, data)`, `.close(reason)`;
  `.session_id`, `.path` (the session folder), `.key`.
- `read_events(path)`: the events (dicts, `mac` included) of a session folder or its
  events.jsonl; a torn last line is skipped. `OutputReader(path)(event)`: the bytes an
  `output` event records (from output.bin, or inline in format 1 logs).
- `verify_session(path, key) -> VerifyResult(ok, session_id, events, message, first_bad_seq,
  problem, torn_tail, closed)`; `events` is the number of events that verified (an int).
- `list_sessions(root=None) -> list[SessionInfo]`, oldest first.
- `resolve_session(ref, root=None) -> Path`: "latest"/None, an id, a unique id prefix.
"""

from aiperm_tui.session.keys import AuditKey, load_audit_key
from aiperm_tui.session.recorder import Recorder
from aiperm_tui.session.store import (
    OutputReader,
    SessionInfo,
    list_sessions,
    read_events,
    resolve_session,
)
from aiperm_tui.session.verify import VerifyResult, verify_session

__all__ = [
    "AuditKey",
    "OutputReader",
    "Recorder",
    "SessionInfo",
    "VerifyResult",
    "list_sessions",
    "load_audit_key",
    "read_events",
    "resolve_session",
    "verify_session",
]
