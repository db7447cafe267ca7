"""Broker test helpers: a pool that runs commands with local bash in a sandbox folder, a
listener that keeps every callback, and `Harness`, which drives a Broker built on the real
PolicyEngine and Recorder.

`LocalPool` keeps the state-machine tests fast (no handshake per test); the same flows
run over the real SSHPool against the OpenSSH `sshd` fixture in
tests/broker/test_broker_sshd.py."""

from __future__ import annotations

import os
import re
import select
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.procs import dies_with_parent

from aiperm_tui.agent import protocol
from aiperm_tui.broker import Broker, BrokerListener
from aiperm_tui.config import Config, HostConfig, Rule
from aiperm_tui.policy import PolicyEngine
from aiperm_tui.session import Recorder, read_events
from aiperm_tui.ssh import ExecResult


@dataclass
class Call:
    host: str
    cmd: str
    start: float
    end: float = 0.0


class LocalPool:
    """SSHPool's run() with local bash: real processes, real streams, cancel and timeout."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.calls: list[Call] = []
        self.fail_hosts: dict[str, Exception] = {}

    def run(
        self,
        host: str,
        command: str,
        sink: Callable[[str, bytes], None],
        *,
        cancel: threading.Event | None = None,
        timeout: float | None = None,
    ) -> ExecResult:
        if host in self.fail_hosts:
            raise self.fail_hosts[host]
        call = Call(host, command, time.monotonic())
        self.calls.append(call)
        proc = subprocess.Popen(
            ["bash", "-c", command],
            cwd=self.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=dies_with_parent(),  # this thread waits for it, so it outlives it
        )
        counts = {"stdout": 0, "stderr": 0}

        def pump(stream: str, pipe: Any) -> None:
            while chunk := pipe.read1(65536):
                counts[stream] += len(chunk)
                sink(stream, chunk)

        readers = [
            threading.Thread(target=pump, args=(n, getattr(proc, n))) for n in ("stdout", "stderr")
        ]
        for t in readers:
            t.start()
        error = None
        while proc.poll() is None:
            if cancel is not None and cancel.wait(0.01):
                error = "cancelled"
            elif timeout and time.monotonic() - call.start > timeout:
                error = "timeout"
            if error:
                proc.kill()
                proc.wait()
        for t in readers:
            t.join()
        for pipe in (proc.stdout, proc.stderr):  # a fake that leaked them hid the broker's own
            pipe.close()
        call.end = time.monotonic()
        status = None if error else proc.returncode
        return ExecResult(
            status,
            None,
            error,
            int((call.end - call.start) * 1000),
            counts["stdout"],
            counts["stderr"],
        )

    def close(self) -> None:
        self.closed = True

    def state(self, host: str) -> str:
        return "connected" if any(c.host == host for c in self.calls) else "idle"


class Events(BrokerListener):
    """Every listener callback, in order."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, Any]] = []

    def plan_changed(self, plan: Any) -> None:
        self.seen.append(("plan_changed", plan))

    def exec_started(self, exec_id: str, plan_id: str, index: int, host: str, cmd: str) -> None:
        self.seen.append(("exec_started", (exec_id, plan_id, index, host, cmd)))

    def output(self, exec_id: str, stream: str, data: bytes) -> None:
        self.seen.append(("output", (exec_id, stream, data)))

    def exec_ended(self, exec_id: str, result: Any) -> None:
        self.seen.append(("exec_ended", (exec_id, result)))

    def plan_finished(self, plan: Any) -> None:
        self.seen.append(("plan_finished", plan))

    def error(self, message: str) -> None:
        self.seen.append(("error", message))

    def kinds(self) -> list[str]:
        return [k for k, _ in self.seen]


RULES = (
    Rule(action="confirm", match="prefix", pattern="echo plan", confirm="plan"),
    Rule(action="confirm", match="prefix", pattern="rm -rf old", confirm="typed"),
)


@dataclass
class Harness:
    broker: Broker
    recorder: Recorder
    pool: LocalPool
    listener: Events
    config: Config
    replies: list[dict[str, Any]] = field(default_factory=list)

    def submit(
        self, *cmds: str, strategy: str = "fail_fast", host: str | None = None, plan_id: str = ""
    ) -> str | None:
        plan = protocol.parse_plan(
            {
                "id": plan_id or None,
                "host": host,
                "strategy": strategy,
                "actions": [{"cmd": c} for c in cmds],
            }
        )
        return self.broker.submit(plan, self.replies.append)

    def finish(self, plan_id: str) -> Any:
        view = self.broker.wait(plan_id, 10)
        assert view is not None, "plan did not finish"
        return view

    def sent(self, kind: str, plan_id: str | None = None) -> list[dict[str, Any]]:
        return [
            m for m in self.replies if m["type"] == kind and (plan_id is None or m["id"] == plan_id)
        ]

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        return [e for e in read_events(self.recorder.path) if kind is None or e["type"] == kind]

    def close(self) -> None:
        """Stop the broker (its pending plans cancelled, its workers ended), then close
        the log it wrote."""
        self.broker.shutdown()
        self.recorder.close()


def quiet_recorder(root: Path, host: str = "web1", preset: str = "ops_safe") -> Recorder:
    """A broker test's session recorder under `root`, its warnings dropped: the tests read
    the log, and a warning on stderr would only be noise."""
    return Recorder.create(
        agent=["test"], hosts=[host], preset=preset, root=root, warn=lambda _m: None
    )


def start_harness(config: Config, pool: LocalPool, sessions: Path) -> Harness:
    """A Broker on the real PolicyEngine over `pool`, recording under `sessions`, with a
    listener that keeps every callback: what the broker tests drive. `close` it."""
    recorder = quiet_recorder(sessions)
    listener = Events()
    broker = Broker(config, PolicyEngine(config), pool, recorder, listener=listener)
    return Harness(broker, recorder, pool, listener, config)


def make_config(tmp_path: Path, **extra: Any) -> Config:
    hosts = {n: HostConfig(name=n) for n in ("web1", "db1")}
    return Config(
        default_host="web1", hosts=hosts, rules=RULES, path=tmp_path / "config.toml", **extra
    )


# --- a child on a pseudo-terminal -------------------------------------------------


def read_until(fd: int, pattern: str, timeout: float = 20) -> str:
    """Everything the child wrote on its terminal up to `pattern` (fails after timeout)."""
    seen, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            seen += chunk
            if re.search(pattern, seen.decode(errors="replace")):
                return seen.decode(errors="replace")
    raise AssertionError(f"never saw {pattern!r} in {seen!r}")


def exit_code(pid: int) -> int:
    """The child's exit code, once it ended."""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)
