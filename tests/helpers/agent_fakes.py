"""A scripted stand-in for the broker's submit(), for socket tests that are about the
socket (ids, tokens, concurrency, closing) and not about policy or SSH; the MCP and
end-to-end tests use the real Broker."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcp.client.stdio import StdioServerParameters

from aiperm_tui import paths
from aiperm_tui.agent.process import AgentCallbacks

ROOT = Path(__file__).resolve().parents[2]

Reply = Callable[[dict[str, Any]], None]


def mcp_server(env: dict[str, str]) -> StdioServerParameters:
    """`aiperm mcp` as the MCP SDK's client starts it: this checkout, the test's own HOME
    and runtime folder (where a broker's discovery file would be), plus `env`."""
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "aiperm_tui", "mcp"],
        env={
            "PYTHONPATH": str(ROOT),
            "HOME": os.environ["HOME"],
            "XDG_RUNTIME_DIR": os.environ["XDG_RUNTIME_DIR"],
            **paths.bytecode_env(),
            **env,
        },
    )


def run_ask(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`aiperm ask ARGS` run to its end, as an agent's shell runs it: this process's
    environment plus `env` (a bridge's socket and token), its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "aiperm_tui", "ask", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def result(
    plan_id: str,
    cmd: str,
    *,
    exit_status: int = 0,
    stdout: str = "",
    stderr: str = "",
    edited: bool = False,
) -> dict[str, Any]:
    return {
        "type": "result",
        "id": plan_id,
        "action": 0,
        "cmd": cmd,
        "edited": edited,
        "exit_status": exit_status,
        "stdout": stdout,
        "stderr": stderr,
        "truncated": False,
        "duration_ms": 1,
    }


def plan_result(plan_id: str, status: str, exit_code: int) -> dict[str, Any]:
    return {"type": "plan_result", "id": plan_id, "status": status, "exit_code": exit_code}


def deny(plan_id: str, reason: str, message: str | None = None) -> dict[str, Any]:
    return {
        "type": "decision",
        "id": plan_id,
        "action": 0,
        "decision": "deny",
        "confirm": "none",
        "risk": {"score": 90, "blast_radius": "system"},
        "reason": reason,
        "message": message,
        "suggestions": [],
    }


def outcome_for(plan: Any) -> list[dict[str, Any]]:
    """Replies chosen by the command text: `deny…`, `refuse…`, `fail…`, `edit…`, else ok."""
    pid, cmd = plan.id, plan.actions[0].cmd
    if cmd.startswith("deny"):
        return [deny(pid, "policy: catastrophic"), plan_result(pid, "denied", 1)]
    if cmd.startswith("refuse"):
        return [deny(pid, "operator", "not today"), plan_result(pid, "refused", 2)]
    if cmd.startswith("fail"):
        return [result(pid, cmd, exit_status=3, stderr="boom\n"), plan_result(pid, "failed", 6)]
    if cmd.startswith("edit"):
        return [result(pid, "echo safer", stdout="safer\n", edited=True), plan_result(pid, "ok", 0)]
    return [result(pid, cmd, stdout=f"ran {cmd}\n"), plan_result(pid, "ok", 0)]


@dataclass
class FakeBroker:
    """submit() answers from a thread, after `gate` is set (so tests can hold requests);
    cancel() records the plan id, and a cancelled plan is never answered."""

    gate: threading.Event = field(default_factory=threading.Event)
    plans: list[Any] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    cancel_reasons: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    session_id: str = "fake-session"

    def __post_init__(self) -> None:
        self.gate.set()

    def submit(self, plan: Any, reply: Reply) -> str:
        with self.lock:
            self.plans.append(plan)

        def answer() -> None:
            self.gate.wait()
            for message in outcome_for(plan):
                with self.lock:
                    if plan.id in self.cancelled:
                        return
                reply(message)

        threading.Thread(target=answer, daemon=True).start()
        return plan.id

    def cancel(self, plan_id: str, *, reason: str = "cancelled by the operator") -> None:
        with self.lock:
            self.cancelled.append(plan_id)
            self.cancel_reasons.append(reason)

    def hosts(self) -> dict[str, Any]:
        return {
            "default": "web1",
            "hosts": [{"name": "web1", "state": "connected"}, {"name": "db1", "state": "idle"}],
        }


class Collector:
    """Every callback into one queue, in arrival order."""

    def __init__(self) -> None:
        self.events: queue.Queue = queue.Queue()
        self.callbacks = AgentCallbacks(
            on_plan=lambda p: self.events.put(("plan", p)),
            on_line=lambda line: self.events.put(("line", line)),
            on_malformed=lambda e, raw: self.events.put(("malformed", (e, raw))),
            on_permission=lambda r: self.events.put(("permission", r)),
            on_exit=lambda x: self.events.put(("exit", x)),
        )

    # The waits are for an agent subprocess, which a loaded CI box may start seconds late:
    # the deadlines only bound how long a failing test takes.
    def next(self, kind: str, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while True:
            got, value = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            if got == kind:
                return value

    def until_exit(self, timeout: float = 30.0) -> list:
        seen = []
        while True:
            item = self.events.get(timeout=timeout)
            seen.append(item)
            if item[0] == "exit":
                return seen
