"""What the panes show at a point of a recorded session, folded from its events.

`Scene.apply(event)` is the one place that knows how each event type changes the
picture: the Replay screen and `aiperm replay --no-tui` both go through it, so the
terminal and the text show the same things. It holds plain data only (no Textual):
the agent's recent lines, the recent requests with the state of each action (decision,
who decided, an edit, the exit status) and the commands whose output is running.
Output itself is not kept here: `apply` says which pane an event belongs to and the
caller streams output to wherever it shows it, with bounded scroll-back.
"""

from __future__ import annotations

import difflib
import re
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any, Literal

from aiperm_tui.session.agentside import agent_entry

Pane = Literal["session", "agent", "request", "output", "note", "none"]

AGENT_KEEP = 500  # agent lines kept for the agent pane
REQUESTS_KEEP = 50  # requests kept for the queue list

# Which pane each event type changes (the rest: "note").
PANES: dict[str, Pane] = {
    "session_start": "session",
    "session_end": "session",
    "seal": "session",
    "agent_line": "agent",
    "operator_message": "agent",
    "permission_request": "agent",
    "permission_answer": "agent",
    "agent_lines_dropped": "agent",
    "request": "request",
    "decision": "request",
    "approval": "request",
    "deny": "request",
    "preview": "request",
    "rule_added": "request",
    "result_sent": "request",
    "plan_end": "request",
    "exec_start": "output",
    "output": "output",
    "output_truncated": "output",
    "exec_end": "output",
}


@dataclass
class ActionState:
    """One action of a recorded request, as known at the current event."""

    index: int
    cmd: str
    decision: dict[str, Any] | None = None  # Decision.to_dict() fields
    status: str = "pending"  # pending approved denied running done failed
    by: str | None = None  # who approved or denied: human rule batch policy system
    original: str | None = None  # the command before an edit
    rule: str | None = None  # the rule layer, when approved by a rule
    reason: str | None = None  # why it was denied
    message: str | None = None  # what the operator told the agent on a deny
    preview: str | None = None
    exit_status: int | None = None
    ended: str | None = None  # how its command ended: "exit 0 in 290 ms"


@dataclass
class RequestState:
    """A recorded request (a plan) with its actions."""

    id: str
    host: str
    goal: str
    strategy: str
    source: str
    actions: list[ActionState]
    position: int  # the event index of the request
    status: str = "pending"  # pending, then the plan_end status


@dataclass
class ExecInfo:
    """A command that ran: what the output pane heads its section with."""

    exec: str
    request: str | None
    action: int | None
    host: str
    cmd: str


@dataclass
class Scene:
    """The folded state of a session up to the current event."""

    start: dict[str, Any] = field(default_factory=dict)  # the session_start event
    end: dict[str, Any] | None = None
    seal: dict[str, Any] | None = None
    # The agent pane: (look, text) from `agent_entry`; text raw (escape to show).
    agent: deque[tuple[str, str]] = field(default_factory=lambda: deque(maxlen=AGENT_KEEP))
    requests: OrderedDict[str, RequestState] = field(default_factory=OrderedDict)
    execs: dict[str, ExecInfo] = field(default_factory=dict)
    current: str | None = None  # id of the request last touched
    notes: deque[str] = field(default_factory=lambda: deque(maxlen=50))

    def apply(self, event: dict[str, Any], position: int) -> Pane:
        """Fold one event in; returns the pane it changed."""
        kind = str(event.get("type", ""))
        handler = getattr(self, f"_on_{kind}", None)
        if handler is None:
            self.notes.append(describe_other(event))
            return "note"
        handler(event, position)
        return PANES.get(kind, "note")

    # ---- session and agent ---------------------------------------------------------

    def _on_session_start(self, event: dict[str, Any], _pos: int) -> None:
        self.start = event

    def _on_session_end(self, event: dict[str, Any], _pos: int) -> None:
        self.end = event

    def _on_seal(self, event: dict[str, Any], _pos: int) -> None:
        self.seal = event

    def _on_agent_line(self, event: dict[str, Any], _pos: int) -> None:
        self.agent.append(agent_entry(event))

    _on_operator_message = _on_permission_request = _on_permission_answer = _on_agent_line
    _on_agent_lines_dropped = _on_agent_line

    # ---- requests ------------------------------------------------------------------

    def _on_request(self, event: dict[str, Any], pos: int) -> None:
        rid = str(event.get("id", "?"))
        actions = [ActionState(i, _cmd(a)) for i, a in enumerate(event.get("actions") or ())]
        self.requests[rid] = RequestState(
            rid,
            str(event.get("host") or ""),
            str(event.get("goal") or ""),
            str(event.get("strategy") or "fail_fast"),
            str(event.get("source") or "agent"),
            actions,
            pos,
        )
        self.requests.move_to_end(rid)
        while len(self.requests) > REQUESTS_KEEP:
            self.requests.popitem(last=False)
        self.current = rid

    def action_for(self, event: dict[str, Any]) -> ActionState | None:
        """The action an event is about (None when its request is not in view)."""
        request = self.requests.get(str(event.get("id")))
        index = event.get("action")
        if request is None or not isinstance(index, int):
            return None
        self.current = request.id
        while len(request.actions) <= index:  # an action the request did not list
            request.actions.append(ActionState(len(request.actions), str(event.get("cmd", ""))))
        return request.actions[index]

    def _on_decision(self, event: dict[str, Any], _pos: int) -> None:
        action = self.action_for(event)
        if action is not None:
            inner = event.get("decision")
            # The Decision fields are inlined; tolerate them nested under "decision" too.
            action.decision = inner if isinstance(inner, dict) else event
            cmd = event.get("cmd")
            if isinstance(cmd, str) and cmd != action.cmd:  # an edit, re-analysed: the
                action.original = action.original or action.cmd  # spans are the new cmd's
                action.cmd = cmd
            if action.decision.get("decision") == "deny":
                action.status = "denied"

    def _on_approval(self, event: dict[str, Any], _pos: int) -> None:
        action = self.action_for(event)
        if action is not None:
            action.status, action.by = "approved", event.get("by")
            action.original = event.get("original")
            action.rule = event.get("rule")
            action.cmd = str(event.get("cmd") or action.cmd)

    def _on_deny(self, event: dict[str, Any], _pos: int) -> None:
        action = self.action_for(event)
        if action is not None:
            action.status, action.by = "denied", event.get("by")
            action.reason, action.message = event.get("reason"), event.get("message")

    def _on_preview(self, event: dict[str, Any], _pos: int) -> None:
        action = self.action_for(event)
        if action is not None:
            action.preview = str(event.get("output") or "")

    def _on_rule_added(self, event: dict[str, Any], _pos: int) -> None:
        self.notes.append(describe_other(event))

    def _on_result_sent(self, event: dict[str, Any], _pos: int) -> None:
        action = self.action_for(event)
        if action is not None and action.status in ("approved", "running"):
            # The exec_end may be out of view after a seek; the result says how it ended.
            action.exit_status = event.get("exit_status")
            action.status = "done" if action.exit_status == 0 else "failed"

    def _on_plan_end(self, event: dict[str, Any], _pos: int) -> None:
        request = self.requests.get(str(event.get("id")))
        if request is not None:
            request.status = str(event.get("status") or "done")
            self.current = request.id

    # ---- commands ------------------------------------------------------------------

    def _on_exec_start(self, event: dict[str, Any], _pos: int) -> None:
        info = ExecInfo(
            str(event.get("exec", "?")),
            event.get("id"),
            event.get("action"),
            str(event.get("host") or ""),
            str(event.get("cmd") or ""),
        )
        self.execs[info.exec] = info
        action = self.action_for(event)
        if action is not None:
            action.status = "running"

    def _on_exec_end(self, event: dict[str, Any], _pos: int) -> None:
        info = self.execs.pop(str(event.get("exec")), None)
        if info is None:
            return
        action = self.action_for({"id": info.request, "action": info.action})
        if action is not None:
            action.exit_status = event.get("exit_status")
            ok = action.exit_status == 0 and not event.get("error")
            action.status = "done" if ok else "failed"
            action.ended = exec_summary(event)

    def _on_output(self, _event: dict[str, Any], _pos: int) -> None:
        """Output goes to the caller's output pane; nothing to fold."""

    def _on_output_truncated(self, _event: dict[str, Any], _pos: int) -> None:
        """Shown in the output pane by the caller."""

    @property
    def request(self) -> RequestState | None:
        """The request the review pane shows: the one last touched."""
        return self.requests.get(self.current) if self.current else None


def _cmd(action: Any) -> str:
    """An action as recorded: a command string, or `{"cmd": …}` from a plan."""
    if isinstance(action, dict):
        return str(action.get("cmd", ""))
    return str(action)


def exec_summary(event: dict[str, Any]) -> str:
    """How a command ended, from its exec_end (raw text: escape before showing)."""
    how = (
        f"exit {event.get('exit_status')}"
        if event.get("signal") is None
        else f"signal {event.get('signal')}"
    )
    if event.get("error"):
        how += f", {event.get('error')}"
    return f"{how} in {event.get('duration_ms')} ms"


def describe_other(event: dict[str, Any]) -> str:
    """One line for an event that has no pane of its own (raw text: escape before showing)."""
    kind = event.get("type", "?")
    if kind == "rule_added":
        return (
            f"rule added: always allow {event.get('match')} {event.get('pattern')!r}"
            f" on {event.get('host')}"
        )
    if kind == "error":
        return f"error: {event.get('message', '')}"
    if kind == "unreadable":
        return f"line {event.get('line')} is not a readable event: {event.get('problem')}"
    if kind == "seal":
        return f"sealed: {event.get('events')} events before it, head {event.get('head')}"
    if kind == "net_refused":  # docs/network.md
        return f"network: refused {event.get('host')}:{event.get('port')}: {event.get('reason')}"
    if kind == "net_allowlist":
        return f"network: the agent may reach {', '.join(event.get('allow') or []) or 'nothing'}"
    return f"{kind} event"


EditOp = tuple[Literal["equal", "delete", "insert"], str]
_TOKEN = re.compile(r"\s+|[^\s]+")


def edit_diff(original: str, approved: str) -> list[EditOp]:
    """The edit as word-level operations, so `rm -rf /var` -> `rm -rf /var/tmp` reads as
    one replaced word rather than a jumble of characters."""
    old, new = _TOKEN.findall(original), _TOKEN.findall(approved)
    ops: list[EditOp] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("equal", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("delete", "".join(old[i1:i2])))
        if j2 > j1:
            ops.append(("insert", "".join(new[j1:j2])))
    return ops
