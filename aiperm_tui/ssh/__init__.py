"""The SSH layer: hosts, keys, known_hosts, connections and command execution.

`SSHPool.run(host, command, sink)` is what the broker calls: one Transport per host,
reused; a channel per command, stdout and stderr streamed to `sink` as they arrive;
an `ExecResult` at the end. The UI answers passphrase and host-key questions through
`Prompts`. `EmbeddedServer` is a loopback server for the demo and fast tests. No Textual.
"""

from aiperm_tui.ssh.base import (
    AuthFailed,
    ConnectFailed,
    ExecResult,
    HostKeyChanged,
    HostKeyUnknown,
    OutputSink,
    Prompts,
    Trust,
    fingerprint,
)
from aiperm_tui.ssh.embedded import EmbeddedServer
from aiperm_tui.ssh.output import CappedOutput
from aiperm_tui.ssh.pool import SSHPool
from aiperm_tui.ssh.prompts import TerminalPrompts

__all__ = [
    "AuthFailed",
    "CappedOutput",
    "ConnectFailed",
    "EmbeddedServer",
    "ExecResult",
    "HostKeyChanged",
    "HostKeyUnknown",
    "OutputSink",
    "Prompts",
    "SSHPool",
    "TerminalPrompts",
    "Trust",
    "fingerprint",
]
