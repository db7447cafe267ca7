"""Helpers for the TUI tests and snapshot apps: the real app from the real factory, with a
declarative stand-in for the SSH pool (fabric's `MockRemote` idea) so key flows run fast
and deterministically. The unknown-host and end-to-end tests use the real SSHPool."""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.pilot import until
from textual.pilot import Pilot
from textual.screen import Screen

from aiperm_tui.agent.protocol import Action, Plan
from aiperm_tui.config import Config, parse_config
from aiperm_tui.policy import Decision, Finding, Risk
from aiperm_tui.tui.app import AgentSpec, BrokerApp, make_app

SNAPSHOT_SESSION = "20261123T090000-demo0000"
EVASION = "echo \x1b[2Jcleaning && ls $(rm -rf data; echo data)"


def _decision(
    confirm: str,
    score: int,
    blast: str,
    reason: str,
    *findings: tuple[str, str, str, int, int],
    suggestions: tuple[str, ...] = (),
) -> Decision:
    return Decision(
        "allow",
        confirm,
        "preset:ops_safe",
        reason,  # type: ignore[arg-type]
        Risk(score, blast),
        None,  # type: ignore[arg-type]
        tuple(Finding(r, sev, m, (a, b)) for r, sev, m, a, b in findings),  # type: ignore[arg-type]
        suggestions,
    )


# Decisions pinned for the snapshots, so a change of wording in the policy engine does not
# repaint the TUI's pictures (the engine has its own tests).
FROZEN = {
    EVASION: _decision(
        "typed",
        72,
        "unknown",
        "control characters in the command (\\x1b)",
        ("text.invisible", "high", "control characters in the command (\\x1b)", 5, 6),
        ("fs.delete", "critical", "rm deletes data, hidden in a $( ) substitution", 26, 37),
        suggestions=("ls -la data",),
    ),
    "cp config/app.conf config/app.conf.bak": _decision(
        "action",
        40,
        "single",
        "cp copies to config/app.conf.bak",
        ("fs.cp", "medium", "cp copies to config/app.conf.bak", 0, 38),
    ),
    "rm -rf logs/old": _decision(
        "typed",
        70,
        "tree",
        "rm deletes logs/old",
        ("fs.delete", "high", "rm deletes logs/old", 0, 15),
    ),
    "du -sh logs": _decision("none", 0, "single", "read-only: du"),
    "gzip -kf logs/app.log": _decision(
        "action",
        40,
        "single",
        "gzip writes or replaces files for logs/app.log",
        ("fs.gzip", "medium", "gzip writes or replaces files for logs/app.log", 0, 21),
    ),
    "truncate -s 0 logs/app.log": _decision(
        "action",
        40,
        "single",
        "truncate empties logs/app.log",
        ("fs.delete", "medium", "truncate empties logs/app.log", 0, 26),
        ("fs.size", "low", "the log's content is gone for good", 9, 13),
    ),
}


class FrozenEngine:
    """`PolicyEngine`'s interface answering from FROZEN (snapshots only)."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def for_config(self, config: Config) -> FrozenEngine:
        return FrozenEngine(config)

    def decide(self, command: str, host: str | None = None, preset: str | None = None) -> Decision:
        return FROZEN[command]


@dataclass
class Script:
    """What the fake host prints for a command (exact match, else echo the command)."""

    outputs: dict[str, tuple[str, int]] = field(default_factory=dict)
    block: set[str] = field(default_factory=set)  # these run until cancelled


class FakePool:
    """`SSHPool`'s interface without a network: prints scripted output, honours cancel."""

    script = Script()

    def __init__(self, config: Config, prompts: Any, *, known_hosts: Path | None = None) -> None:
        self.config, self.prompts = config, prompts
        self.ran: list[tuple[str, str]] = []
        self.started = threading.Event()

    def run(
        self,
        host: str,
        command: str,
        sink: Callable[[str, bytes], None],
        *,
        cancel: threading.Event | None = None,
        timeout: float | None = None,
    ) -> Any:
        from aiperm_tui.ssh import ExecResult

        self.ran.append((host, command))
        self.started.set()
        t0 = time.monotonic()
        if command in self.script.block:
            sink("stdout", b"working...\n")
            while cancel is not None and not cancel.wait(0.02):
                pass
            return ExecResult(None, None, "cancelled", int((time.monotonic() - t0) * 1000), 11, 0)
        text, status = self.script.outputs.get(command, (f"ran: {command}\n", 0))
        sink("stdout", text.encode())
        return ExecResult(status, None, None, 1, len(text.encode()), 0)

    def connect(self, host: str) -> None:
        """Nothing to connect to."""

    def state(self, host: str) -> str:
        return "connected" if self.ran else "idle"

    def close(self) -> None:
        """Nothing to close."""


def sample_config(**extra: Any) -> Config:
    """One host `web1` (never contacted: the pool is fake), the default preset."""
    data: dict[str, Any] = {
        "default_host": "web1",
        "hosts": {"web1": {"hostname": "192.0.2.10", "user": "ops"}},
    }
    data.update(extra)
    return parse_config(data)


def build_app(
    root: Path | None = None,
    *,
    agent: AgentSpec | None = None,
    config: Config | None = None,
    pool_factory: Any = FakePool,
    session_id: str | None = SNAPSHOT_SESSION,
    **kwargs: Any,
) -> BrokerApp:
    """The app exactly as the CLI builds it, minus the network."""
    root = root or Path(tempfile.mkdtemp(prefix="aiperm-tui-test-"))
    return make_app(
        config or sample_config(),
        agent or AgentSpec(),
        pool_factory=pool_factory,
        recorder_root=root / "sessions",
        session_id=session_id,
        warn=lambda _m: None,
        **kwargs,
    )


class Replies:
    """Collects what the broker answers a submitted plan (thread-safe)."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def __call__(self, message: dict[str, Any]) -> None:
        with self.lock:
            self.messages.append(message)

    def of(self, kind: str) -> list[dict[str, Any]]:
        with self.lock:
            return [m for m in self.messages if m.get("type") == kind]


def submit(
    app: BrokerApp,
    plan_id: str,
    *cmds: str,
    goal: str = "",
    host: str | None = None,
    strategy: str = "fail_fast",
) -> Replies:
    """Submit a plan straight to the app's broker, as the agent reader thread would."""
    replies = Replies()
    plan = Plan(plan_id, host, goal, strategy, tuple(Action(c) for c in cmds))  # type: ignore[arg-type]
    app.broker.submit(plan, replies)
    return replies


async def open_dialog(
    pilot: Pilot[Any], app: BrokerApp, key: str, dialog: type[Screen[Any]]
) -> None:
    """Wait for a request under review, press `key` on it and let the app run until
    `dialog` is up: how the operator's flows begin (`a` on a typed command opens the
    challenge, `e` the editor, `r` the remember dialog)."""
    await until(pilot, lambda: app.review.current is not None)
    await pilot.press(key)
    await until(pilot, lambda: isinstance(app.screen, dialog))
