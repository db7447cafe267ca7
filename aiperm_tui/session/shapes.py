"""What each field of an event holds, checked once where events are decoded.

Readers (export, replay, report, listing) use event fields as the recorder wrote them: `t`
as a number, `exec` as a dict key, `findings` as a list of objects with a two-number
`span`. A log that does not verify can hold anything in them, and so can one re-chained
by a holder of the key; a reader must not then crash with a traceback, or loop on
`"action": 10**18`. `field_problem` names the first field that is not what aiperm
writes, and `store.decode_event` turns such an event into an `unreadable` one (what a
line that is not JSON already became), which every reader shows or skips as damage.

Fields not listed here are never used as anything but text by the readers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]
MAX_INDEX = 100_000  # an action's index: a request holds far fewer, and readers fill up to it


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: Any) -> bool:
    return _int(value) and value >= 0


def _index(value: Any) -> bool:
    return _count(value) and value < MAX_INDEX


def _number(value: Any) -> bool:
    return (_int(value) or isinstance(value, float)) and math.isfinite(value)


def _str(value: Any) -> bool:
    return isinstance(value, str)


def _bool(value: Any) -> bool:
    return isinstance(value, bool)


def _optional(check: Check) -> Check:
    return lambda value: value is None or check(value)


def _either(*checks: Check) -> Check:
    return lambda value: any(check(value) for check in checks)


def _list_of(check: Check, length: int | None = None) -> Check:
    return lambda value: (
        isinstance(value, list)
        and (length is None or len(value) == length)
        and all(check(item) for item in value)
    )


def _object(**fields: Check) -> Check:
    """A JSON object whose listed fields, where present, pass their checks."""
    return lambda value: (
        isinstance(value, dict)
        and all(name not in value or check(value[name]) for name, check in fields.items())
    )


_TEXT = _optional(_str)
_FINDING = _object(rule=_TEXT, severity=_TEXT, message=_TEXT, span=_list_of(_count, 2))
_DECISION_FIELDS: dict[str, Check] = {
    "decision": _str,
    "confirm": _TEXT,
    "layer": _TEXT,
    "reason": _TEXT,
    "risk": _optional(_object(score=_number, blast_radius=_TEXT)),
    "findings": _optional(_list_of(_FINDING)),
    "suggestions": _optional(_list_of(_str)),
}
FIELDS: dict[str, Check] = {
    **_DECISION_FIELDS,
    "decision": _either(_str, _object(**_DECISION_FIELDS)),  # inlined; nested in old logs
    "seq": _count,
    "t": _number,
    "ts": _str,
    "type": _str,
    "id": _TEXT,
    "action": _index,
    "actions": _list_of(_either(_str, _object(cmd=_str))),
    "host": _TEXT,
    "goal": _TEXT,
    "strategy": _TEXT,
    "source": _TEXT,
    "status": _TEXT,
    "cmd": _TEXT,
    "original": _TEXT,
    "by": _TEXT,
    "rule": _TEXT,
    "message": _TEXT,
    "output": _TEXT,
    "exec": _str,
    "stream": _str,
    "offset": _count,
    "length": _count,
    "tag": _str,
    "data": _str,
    "b64": _str,
    "exit_status": _optional(_int),
    "exit_code": _optional(_int),
    "signal": _optional(_either(_int, _str)),
    "error": _TEXT,
    "duration_ms": _optional(_number),
    "stdout_bytes": _optional(_count),
    "stderr_bytes": _optional(_count),
    "cap": _optional(_count),
    "recorded_bytes": _optional(_count),
    "text": _str,
    "kind": _TEXT,
    "tool": _TEXT,
    "description": _TEXT,
    "delivered": _bool,
    "edited": _bool,
    "truncated": _bool,
    "lines": _count,
    "chars": _count,
    "events": _count,
    "head": _TEXT,
    "counts": _object(),
    "format": _count,
    "agent": _list_of(_str),
    "hosts": _list_of(_str),
    "anchor": _optional(_list_of(_str)),
    "preset": _TEXT,
    "user": _TEXT,
    "hostname": _TEXT,
    "version": _TEXT,
    "key_id": _TEXT,
    "isolation": _TEXT,
    "ephemeral": _bool,
    "output_nonce": _str,
    "record_cap_bytes": _optional(_count),
    "match": _TEXT,
    "pattern": _TEXT,
    "port": _optional(_int),
}
# Where one name holds different things in different events.
BY_TYPE: dict[tuple[str, str], Check] = {
    ("permission_answer", "allow"): _bool,
    ("net_allowlist", "allow"): _list_of(_str),
}


# The exact types that pass a field's check at once (most values of most lines), so
# replay's seeks, which decode thousands of events, pay a set lookup, not a call.
_PLAIN: dict[str, frozenset[type]] = {
    **{name: frozenset({str}) for name, check in FIELDS.items() if check is _str},
    **{name: frozenset({str, type(None)}) for name, check in FIELDS.items() if check is _TEXT},
}


def field_problem(event: dict[str, Any]) -> str | None:
    """The first field of `event` that is not what aiperm writes, as "field NAME holds
    TYPE", or None when every known field is as expected."""
    kind = str(event.get("type"))
    for name, value in event.items():
        if type(value) in _PLAIN.get(name, ()):
            continue
        check = BY_TYPE.get((kind, name)) or FIELDS.get(name)
        if check is not None and not check(value):
            return f"field {name!r} holds {_describe(value)}, not what aiperm writes there"
    return None


def _describe(value: Any) -> str:
    shown = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    if value is None:
        return "null"
    if isinstance(value, list | dict):
        return "a list" if isinstance(value, list) else "an object"
    return shown.get(type(value), "a value") + (
        f" ({value!r:.40})" if not isinstance(value, str) else ""
    )
