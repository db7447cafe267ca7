"""A recorded session as plain text: `aiperm replay --no-tui`.

The same content as the Replay screen (agent lines, requests with their findings, the
decision and who made it, an edit as a word diff, output), one event after another
with its time, no timing and no colour, so it pipes into `less` or `grep`. Everything
recorded from the agent or a server is escaped (`textsafe.escape_control`), so a log
holding terminal escapes cannot repaint the reader's terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from aiperm_tui.replay.scene import Scene, describe_other, edit_diff, exec_summary
from aiperm_tui.session.agentside import agent_entry
from aiperm_tui.textsafe import LineSplitter, escape_control

INDENT = " " * 11


def safe(text: Any) -> str:
    """Recorded agent/remote text as one inert line (the Replay screen uses it too)."""
    return escape_control(str(text), keep_newlines=False)


def diff_text(original: str, approved: str) -> str:
    """The edit in wdiff style: `rm -rf [-/var-]{+/var/tmp+}`."""
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(marks[op].format(safe(text)) for op, text in edit_diff(original, approved))


def decision_lines(decision: dict[str, Any]) -> list[str]:
    """The policy verdict on one action and its findings."""
    risk = decision.get("risk") or {}
    verdict = (
        "DENY"
        if decision.get("decision") == "deny"
        else f"allow, confirm {decision.get('confirm')}"
    )
    lines = [
        f"{verdict}, risk {risk.get('score', '?')}/100, blast radius "
        f"{risk.get('blast_radius', '?')} ({safe(decision.get('layer', ''))})"
    ]
    if decision.get("reason"):
        lines.append(f"reason: {safe(decision['reason'])}")
    for f in decision.get("findings") or ():
        span = f.get("span") or ["?", "?"]
        lines.append(
            f"finding {f.get('severity')} {safe(f.get('rule'))} "
            f"[{span[0]}:{span[1]}]: {safe(f.get('message'))}"
        )
    lines.extend(f"try: {safe(s)}" for s in decision.get("suggestions") or ())
    return lines


class TextReplay:
    """Turns events into lines; keeps just enough state (a Scene and partial output
    lines) to say which request an event is about."""

    def __init__(self, output: Callable[[dict[str, Any]], bytes]) -> None:
        """`output` gives the bytes of an output event (`Recording.output`)."""
        self.scene = Scene()
        self._output_bytes = output
        self._streams: dict[tuple[str, str], LineSplitter] = {}

    def lines(self, events: Iterable[dict[str, Any]]) -> Iterator[str]:
        for position, event in enumerate(events):
            self.scene.apply(event, position)
            stamp = f"[{float(event.get('t') or 0):9.3f}]"
            for n, line in enumerate(self.describe(event)):
                yield f"{stamp} {line}" if n == 0 else f"{INDENT} {line}"

    def describe(self, event: dict[str, Any]) -> list[str]:
        """The text of one event (its first line gets the time stamp)."""
        kind = event.get("type")
        method = getattr(self, f"_{kind}", None)
        return method(event) if method else [safe(describe_other(event))]

    def _session_start(self, e: dict[str, Any]) -> list[str]:
        key = f"key {safe(e.get('key_id', '?'))}" + (" (ephemeral)" if e.get("ephemeral") else "")
        return [
            f"session start: agent {safe(' '.join(map(str, e.get('agent') or [])))}",
            f"hosts {safe(', '.join(map(str, e.get('hosts') or [])))}, preset "
            f"{safe(e.get('preset', ''))}, by {safe(e.get('user', ''))}@"
            f"{safe(e.get('hostname', ''))}, aiperm {safe(e.get('version', ''))}, {key}"
            + (f", isolation {safe(e['isolation'])}" if "isolation" in e else ""),
        ]

    def _session_end(self, e: dict[str, Any]) -> list[str]:
        return [f"session end: {safe(e.get('reason', ''))}"]

    def _agent_line(self, e: dict[str, Any]) -> list[str]:
        look, text = agent_entry(e)
        tag = {
            "stderr": "agent!",
            "operator": "operator:",
            "permission": "permission:",
            "note": "agent pane:",
        }.get(look, "agent:")
        return [f"{tag} {safe(text)}"]

    _operator_message = _permission_request = _permission_answer = _agent_line
    _agent_lines_dropped = _agent_line

    def _seal(self, e: dict[str, Any]) -> list[str]:
        return [f"sealed: {safe(e.get('events'))} events, head {safe(e.get('head'))}"]

    def _request(self, e: dict[str, Any]) -> list[str]:
        request = self.scene.requests[str(e.get("id", "?"))]
        lines = [
            f"request {safe(request.id)} @{safe(request.host)} ({safe(request.source)}, "
            f"{safe(request.strategy)}): {safe(request.goal)}"
        ]
        lines.extend(f"#{a.index + 1} $ {safe(a.cmd)}" for a in request.actions)
        return lines

    def _ref(self, e: dict[str, Any]) -> str:
        action = e.get("action")
        return f"{safe(e.get('id', '?'))}#{action + 1 if isinstance(action, int) else '?'}"

    def _decision(self, e: dict[str, Any]) -> list[str]:
        action = self.scene.action_for(e)
        decision = action.decision if action and action.decision else e
        first, *rest = decision_lines(decision)
        return [f"policy {self._ref(e)}: {first}", *rest]

    def _approval(self, e: dict[str, Any]) -> list[str]:
        lines = [
            f"approved {self._ref(e)} by {safe(e.get('by'))}"
            + (f" ({safe(e['rule'])})" if e.get("rule") else "")
            + f": $ {safe(e.get('cmd', ''))}"
        ]
        if e.get("original") is not None:
            lines.append(f"edited: {diff_text(str(e['original']), str(e.get('cmd', '')))}")
        return lines

    def _deny(self, e: dict[str, Any]) -> list[str]:
        lines = [f"DENIED {self._ref(e)} by {safe(e.get('by'))}: $ {safe(e.get('cmd', ''))}"]
        if e.get("reason"):
            lines.append(f"reason: {safe(e['reason'])}")
        if e.get("message"):
            lines.append(f"told the agent: {safe(e['message'])}")
        return lines

    def _preview(self, e: dict[str, Any]) -> list[str]:
        return [
            f"impact preview {self._ref(e)}:",
            *(safe(line) for line in str(e.get("output") or "").splitlines()),
        ]

    def _exec_start(self, e: dict[str, Any]) -> list[str]:
        return [
            f"run {safe(e.get('exec'))} for {self._ref(e)} @{safe(e.get('host'))}: "
            f"$ {safe(e.get('cmd', ''))}"
        ]

    def _output(self, e: dict[str, Any]) -> list[str]:
        key = (str(e.get("exec")), str(e.get("stream")))
        splitter = self._streams.get(key)
        if splitter is None:
            splitter = self._streams[key] = LineSplitter()
        return [self._out_line(key, line) for line in splitter.feed(self._output_bytes(e))]

    def _out_line(self, key: tuple[str, str], line: str) -> str:
        tag = "err" if key[1] == "stderr" else "out"
        return f"{safe(key[0])} {tag}| {safe(line.removesuffix(chr(13)))}"

    def _output_truncated(self, e: dict[str, Any]) -> list[str]:
        return [
            f"{safe(e.get('exec'))} {safe(e.get('stream'))}: output beyond "
            f"{e.get('cap')} bytes was not recorded"
        ]

    def _exec_end(self, e: dict[str, Any]) -> list[str]:
        exec_id = str(e.get("exec"))
        ended = [key for key in self._streams if key[0] == exec_id]
        rests = [(key, self._streams.pop(key).rest()) for key in ended]
        lines = [self._out_line(key, rest) for key, rest in rests if rest]
        summary = (
            f"end {safe(exec_id)}: {safe(exec_summary(e))}, "
            f"{e.get('stdout_bytes')} B out, {e.get('stderr_bytes')} B err"
        )
        return [*lines, summary]

    def _result_sent(self, e: dict[str, Any]) -> list[str]:
        extra = ", edited" if e.get("edited") else ""
        extra += ", truncated for the agent" if e.get("truncated") else ""
        return [f"result {self._ref(e)} sent to the agent: exit {e.get('exit_status')}{extra}"]

    def _plan_end(self, e: dict[str, Any]) -> list[str]:
        return [
            f"plan {safe(e.get('id'))} {safe(e.get('status'))} (exit code {e.get('exit_code')})"
        ]

    def _rule_added(self, e: dict[str, Any]) -> list[str]:
        return [safe(describe_other(e))]
