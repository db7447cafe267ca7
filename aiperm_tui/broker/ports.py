"""What the broker needs of the layers below it, as `typing.Protocol`s.

The broker is driven by the TUI, `aiperm run` and the tests, and each hands it a different
pool (real SSH, local bash, a scripted fake) and sometimes a different engine (frozen
decisions for snapshot pictures). Naming the few methods the broker calls makes that
contract checkable by mypy instead of a comment, and keeps `Any` off the boundary.
`SSHPool`, `PolicyEngine` and `Recorder` satisfy these structurally; nothing inherits.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pathlib import Path

    from aiperm_tui.config import Config
    from aiperm_tui.policy import Decision
    from aiperm_tui.ssh import ExecResult, OutputSink, Prompts


class HostPool(Protocol):
    """Runs approved commands on hosts (`aiperm_tui.ssh.SSHPool`)."""

    def run(
        self,
        host: str,
        command: str,
        sink: OutputSink,
        *,
        cancel: threading.Event | None = None,
        timeout: float | None = None,
    ) -> ExecResult:
        """Run to the end, streaming to `sink`; raise an AipermError if it cannot start."""

    def state(self, host: str) -> str:
        """idle | connecting | connected | failed | disconnected, for the host list."""

    def close(self) -> None:
        """Close every connection; later runs fail."""


class PoolFactory(Protocol):
    """How a front end builds its pool (`SSHPool` itself, or a test's fake)."""

    def __call__(
        self, config: Config, prompts: Prompts, *, known_hosts: Path | None = None
    ) -> HostPool: ...


class Policy(Protocol):
    """Decides a command (`aiperm_tui.policy.PolicyEngine`)."""

    def decide(
        self, command: str, host: str | None = None, preset: str | None = None
    ) -> Decision: ...

    def for_config(self, config: Config) -> Policy:
        """The same kind of policy for a changed configuration (a remembered rule)."""


class EventLog(Protocol):
    """The session's tamper-evident record (`aiperm_tui.session.Recorder`)."""

    session_id: str

    def event(self, type: str, **payload: Any) -> int:
        """Append one event; returns its sequence number."""

    def output(self, exec_id: str, stream: str, data: bytes | memoryview) -> None:
        """Record bytes a running command wrote."""

    def one_sync(self) -> AbstractContextManager[None]:
        """Durable events written inside share one fsync at its end (shutdown)."""

    def close(self, reason: str = "normal") -> None: ...
