"""The SSH layer's vocabulary: the prompts it needs from a UI, its errors and its result.

Kept apart from the machinery so the broker, the TUI and tests can import these names
without pulling in connections or threads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

import paramiko

from aiperm_tui.errors import ExecError, SecurityError

Trust = Literal["once", "always", "refuse"]
OutputSink = Callable[[str, bytes], None]  # (stream "stdout"|"stderr", data), executing thread


class Prompts(Protocol):
    """What the pool needs to ask a person while connecting (terminal, TUI modal)."""

    def passphrase(self, key_path: str) -> str | None:
        """The passphrase of an encrypted key file; None skips that key."""
        ...

    def trust_host(self, host: str, port: int, key_type: str, fingerprint: str) -> Trust:
        """The operator's verdict on a host key found in no known_hosts file."""
        ...


class HostKeyUnknown(SecurityError):
    """The host's key is in no known_hosts file and the operator did not trust it."""


class HostKeyChanged(SecurityError):
    """The host presented a key different from the one on record: never accepted."""


class AuthFailed(ExecError):
    """No offered key was accepted by the server."""


class ConnectFailed(ExecError):
    """The TCP connection or the SSH handshake failed (refused, timeout, bad jump host)."""


@dataclass(frozen=True)
class ExecResult:
    """How one command ended. `error` is None, "timeout", "cancelled" or
    "connection lost: ..."; the byte counts cover everything the sink received."""

    exit_status: int | None
    signal: str | None
    error: str | None
    duration_ms: int
    stdout_bytes: int
    stderr_bytes: int

    @property
    def ok(self) -> bool:
        return self.exit_status == 0 and self.error is None


def fingerprint(key: paramiko.PKey) -> str:
    """OpenSSH's SHA256 fingerprint (`ssh-keygen -l`), what people compare by eye."""
    return key.fingerprint
