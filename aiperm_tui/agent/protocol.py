"""The JSON-Lines agent protocol of docs/protocol.md: plans in, replies out.

An agent writes one JSON object per line; every line that is not a JSON object is
chatter (`parse_line` returns None). An object is a plan request: `type` is "plan" or
omitted when `actions` is present. Problems answer with a `ProtocolError` whose `code`
is the exit code the agent gets back in the `error` reply: 4 for a line that looks like
an object but is not valid JSON, 5 for a valid object of the wrong shape (wrong field
types, no or more than 32 actions, an empty command, an unknown strategy).

Unknown fields are ignored (forward compatible); known fields are checked strictly,
because a plan that is silently reinterpreted could run something nobody reviewed.

The reply builders produce exactly the messages docs/protocol.md lists. The typed challenge code
is never a parameter of any builder: the agent must not be able to confirm for the human.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from aiperm_tui.errors import AipermError, ExitCode

if TYPE_CHECKING:
    from aiperm_tui.policy import Decision

MAX_ACTIONS = 32
STRATEGIES = ("fail_fast", "best_effort")
Strategy = Literal["fail_fast", "best_effort"]
Source = Literal["agent", "socket", "plan"]
PlanStatus = Literal["ok", "denied", "refused", "failed"]

# The agent channel: where the broker sends one asker's replies (the agent's stdin through
# `AgentProcess.send`, a socket client through the bridge, a test's list). It is called on
# broker threads, in order per plan; what it returns is ignored.
Reply = Callable[[dict[str, Any]], object]


class ProtocolError(AipermError):
    """A malformed request. `code` is 4 (bad JSON) or 5 (bad shape); `id` is the plan id
    when the request carried a readable one, so the agent can match the error."""

    def __init__(self, code: int, id: str | None, message: str) -> None:
        super().__init__(message, ExitCode(code))
        self.code = int(code)
        self.id = id


@dataclass(frozen=True)
class Action:
    """One command of a plan, exactly as the agent asked for it."""

    cmd: str


@dataclass(frozen=True)
class Plan:
    """A request: 1-32 actions for one host. `id` may be "" when the agent gave none (the
    broker then assigns one); `host` None means the configured default host; `source` is
    the channel it came through ("agent", "socket", "plan"); `origin` is the optional
    free-text `source` field of the forced-command plan format (who wrote the plan)."""

    id: str
    host: str | None
    goal: str
    strategy: Strategy
    actions: tuple[Action, ...]
    source: Source = "agent"
    origin: str | None = None


def parse_line(line: str, source: Source = "agent") -> Plan | None:
    """One agent stdout line: a Plan, None for chatter, or ProtocolError."""
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        raise ProtocolError(ExitCode.BAD_JSON, None, "bad JSON in a request line") from None
    return parse_plan(obj, source)  # text starting with "{" decodes to an object


def parse_plan(obj: Any, source: Source = "agent") -> Plan:
    """Validate a decoded plan object (the JSON-Lines form, the socket's, `aiperm run`'s)."""
    if not isinstance(obj, Mapping):
        raise ProtocolError(ExitCode.BAD_JSON, None, "a plan must be a JSON object")
    raw_id = obj.get("id")
    plan_id = raw_id if isinstance(raw_id, str) else None

    def bad(message: str) -> ProtocolError:
        return ProtocolError(ExitCode.USAGE, plan_id, message)

    if raw_id is not None and not isinstance(raw_id, str):
        raise bad("id: expected a string")
    kind = obj.get("type")
    if kind is None and "actions" not in obj:
        raise bad('not a request: a JSON object needs "type": "plan" or "actions"')
    if kind is not None and kind != "plan":
        raise bad(f'unknown message type {_short(kind)} (agents send "plan")')
    host = _optional_string(obj, "host", bad)
    goal = _optional_string(obj, "goal", bad) or ""
    origin = _optional_string(obj, "source", bad)
    strategy = obj.get("strategy", "fail_fast")
    if strategy not in STRATEGIES:
        raise bad(f"strategy: must be fail_fast or best_effort, got {_short(strategy)}")
    return Plan(
        id=plan_id or "",
        host=host or None,
        goal=goal,
        strategy=strategy,
        actions=_actions(obj.get("actions"), bad),
        source=source,
        origin=origin,
    )


def _optional_string(obj: Mapping[str, Any], key: str, bad: Any) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise bad(f"{key}: expected a string")
    return value


def _actions(value: Any, bad: Any) -> tuple[Action, ...]:
    if not isinstance(value, list) or not value:
        raise bad('actions: expected a list of 1 to 32 {"cmd": ...} objects')
    if len(value) > MAX_ACTIONS:
        raise bad(f"actions: {len(value)} actions, at most {MAX_ACTIONS} are allowed")
    out = []
    for index, item in enumerate(value):
        cmd = item.get("cmd") if isinstance(item, Mapping) else None
        if not isinstance(cmd, str):
            raise bad(f"actions[{index}].cmd: expected a string")
        if not cmd.strip():
            raise bad(f"actions[{index}].cmd: empty command")
        out.append(Action(cmd))
    return tuple(out)


def _short(value: Any) -> str:
    """A bounded, printable rendering of an offending value for an error message."""
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."


# --- replies ------------------------------------------------------------------------------


def decision(
    plan_id: str,
    action: int,
    verdict: Literal["allow", "deny"],
    dec: Decision,
    *,
    reason: str | None = None,
    message: str | None = None,
    origin: str | None = None,
) -> dict[str, Any]:
    """A `decision` reply. `verdict` is what was decided (a human can deny what policy
    allowed); `reason` overrides the policy's reason; a deny carries the operator's
    `message` and the policy's `suggestions`; `origin` says who decided (human, rule,
    grant, batch, cli_flag, policy, system)."""
    out: dict[str, Any] = {
        "type": "decision",
        "id": plan_id,
        "action": action,
        "decision": verdict,
        "confirm": dec.confirm,
        "risk": {"score": dec.risk.score, "blast_radius": dec.risk.blast_radius},
        "reason": reason if reason is not None else dec.reason,
    }
    if origin is not None:
        out["origin"] = origin
    if verdict == "deny":
        out["message"] = message
        out["suggestions"] = list(dec.suggestions)
    return out


def result(
    plan_id: str,
    action: int,
    *,
    cmd: str,
    edited: bool,
    exit_status: int | None,
    stdout: str,
    stderr: str,
    truncated: bool,
    duration_ms: int,
    error: str | None = None,
    signal: str | None = None,
) -> dict[str, Any]:
    """A `result` reply; `error` and `signal` appear only when set (timeout, cancel, lost
    connection, killed by a signal), so a plain success has exactly docs/protocol.md's keys."""
    out: dict[str, Any] = {
        "type": "result",
        "id": plan_id,
        "action": action,
        "cmd": cmd,
        "edited": edited,
        "exit_status": exit_status,
        "stdout": stdout,
        "stderr": stderr,
        "truncated": truncated,
        "duration_ms": duration_ms,
    }
    if error is not None:
        out["error"] = error
    if signal is not None:
        out["signal"] = signal
    return out


def plan_result(plan_id: str, status: PlanStatus, exit_code: int) -> dict[str, Any]:
    """The last reply of a plan."""
    return {"type": "plan_result", "id": plan_id, "status": status, "exit_code": int(exit_code)}


def error(plan_id: str | None, code: int, message: str) -> dict[str, Any]:
    """A malformed or refused request: nothing of it ran."""
    return {"type": "error", "id": plan_id, "code": int(code), "message": message}
