"""The SSH layer: run approved commands on real servers over one reused connection per host.

Public names (the contract other layers code against, see /work/contracts.md):
`Prompts`, `HostKeyUnknown`, `HostKeyChanged`, `AuthFailed`, `ConnectFailed`,
`ExecResult`, `OutputSink`, `SSHPool`, `CappedOutput`, `EmbeddedServer`.
No Textual or Rich here: the TUI answers `Prompts` with modals, `aiperm run` on the terminal.
"""

from aiperm_tui.ssh.output import CappedOutput
from aiperm_tui.ssh.types import (
    AuthFailed,
    ConnectFailed,
    ExecResult,
    HostKeyChanged,
    HostKeyUnknown,
    OutputSink,
    Prompts,
    TrustAnswer,
)

__all__ = [
    "AuthFailed",
    "CappedOutput",
    "ConnectFailed",
    "ExecResult",
    "HostKeyChanged",
    "HostKeyUnknown",
    "OutputSink",
    "Prompts",
    "TrustAnswer",
]
