"""The SSH layer's public vocabulary: the prompt callbacks, the errors and the result.

Kept apart from the connection code so the broker, the TUI and tests can import the
types without pulling in paramiko's transport machinery.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from aiperm_tui.errors import ExecError, SecurityError

TrustAnswer = Literal["once", "always", "refuse"]

OutputSink = Callable[[str, bytes], None]
"""(stream "stdout"|"stderr", data): called from the executing thread, as data arrives."""


class Prompts(Protocol):
    """What the SSH layer asks the operator; the TUI answers with modals, `aiperm run`
    on the terminal. Both may be called from a worker thread."""

    def passphrase(self, key_path: str) -> str | None:
        """The passphrase for an encrypted key file; None skips the key."""
        ...

    def trust_host(self, host: str, port: int, key_type: str, fingerprint: str) -> TrustAnswer:
        """Whether to trust a host key never seen before (SHA256 fingerprint)."""
        ...


class HostKeyUnknown(SecurityError):
    """The host's key is in no known_hosts file and the operator did not trust it."""


class HostKeyChanged(SecurityError):
    """The host offered a key other than the one recorded: never accepted."""


class AuthFailed(ExecError):
    """No key (file or agent) was accepted by the server."""


class ConnectFailed(ExecError):
    """The TCP connection or the SSH handshake failed (refused, timeout, jump host)."""


@dataclass(frozen=True)
class ExecResult:
    """How a command ended. `error` is None, "timeout", "cancelled" or
    "connection lost: ..."; byte counts are what was received, whatever the end."""

    exit_status: int | None
    signal: str | None
    error: str | None
    duration_ms: int
    stdout_bytes: int
    stderr_bytes: int

    @property
    def ok(self) -> bool:
        return self.exit_status == 0 and self.error is None
