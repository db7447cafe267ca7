"""`SSHPool`: one Transport per host, opened on first use, reused, reopened after a drop.

Commands on the same host share the Transport (each gets its own channel), so a warm
command costs one channel open and no handshake. `run` is blocking and thread-safe; the
per-host lock only covers connecting, never a running command. A connection found dead
when a command starts is reopened once, transparently (a live one whose channel would
not open is tried once more, never closed under the other commands running on it); a
connection lost while a command runs ends that command with `error="connection lost: ..."`
and the next `run` reconnects.
"""

from __future__ import annotations

import threading
from pathlib import Path

from aiperm_tui import paths
from aiperm_tui.config import Config
from aiperm_tui.ssh.base import ConnectFailed, ExecResult, OutputSink, Prompts
from aiperm_tui.ssh.connect import Connector, Link
from aiperm_tui.ssh.exec import NotStarted, execute
from aiperm_tui.ssh.hosts import Target, resolve
from aiperm_tui.ssh.knownhosts import KnownHosts


class _Host:
    """One host's connection and its state for the UI."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.link: Link | None = None
        self.target: Target | None = None  # as resolved when `link` was opened
        self.state = "idle"  # idle|connecting|connected|failed|disconnected


class SSHPool:
    """Connections to every host the broker talks to (see the module docstring)."""

    def __init__(
        self, config: Config, prompts: Prompts, *, known_hosts: Path | None = None
    ) -> None:
        self.config = config
        known = KnownHosts(known_hosts or paths.known_hosts_path())
        self._connector = Connector(
            known, prompts, use_agent=config.ssh.use_agent, keepalive=config.ssh.keepalive_interval
        )
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        self._closed = False

    def _host(self, name: str) -> _Host:
        with self._lock:
            if self._closed:
                raise ConnectFailed("the SSH pool is closed")
            return self._hosts.setdefault(name, _Host())

    def target(self, host: str) -> Target:
        """Where `host` resolves to (config, then ~/.ssh/config, then defaults)."""
        return resolve(self.config, host)

    def _link(self, host: str) -> tuple[Link, Target]:
        """The open connection to `host`, connecting when there is none or it died."""
        h = self._host(host)
        with h.lock:
            if h.link is not None and not h.link.transport.is_active():
                h.link.close()
                h.link, h.state = None, "disconnected"
            if h.link is None or h.target is None:
                # resolved per connection, not per command: ~/.ssh/config is parsed
                # once, and an edit to it applies from the next connection on
                h.state = "connecting"
                try:
                    h.target = self.target(host)
                    h.link = self._connector.open(h.target)
                except BaseException:
                    h.state = "failed"
                    raise
                h.state = "connected"
            return h.link, h.target

    def connect(self, host: str) -> None:
        """Open the connection now (host-key and passphrase prompts happen here)."""
        self._link(host)

    def state(self, host: str) -> str:
        """idle | connecting | connected | failed | disconnected."""
        with self._lock:
            h = self._hosts.get(host)
        if h is None:
            return "idle"
        if h.state == "connected" and h.link is not None and not h.link.transport.is_active():
            return "disconnected"
        return h.state

    def run(
        self,
        host: str,
        command: str,
        sink: OutputSink,
        *,
        cancel: threading.Event | None = None,
        timeout: float | None = None,
    ) -> ExecResult:
        """Run `command` on `host`, streaming to `sink`; blocks until it ends.
        Raises `ConnectFailed`/`AuthFailed`/`HostKeyUnknown`/`HostKeyChanged` when the
        command could not be started; once started, every outcome is an ExecResult."""
        link, target = self._link(host)
        if timeout is None and target.command_timeout:
            timeout = target.command_timeout

        def start(link: Link) -> ExecResult:
            return execute(
                link.transport,
                command,
                sink,
                cancel=cancel,
                timeout=timeout,
                open_timeout=target.connect_timeout or None,
            )

        try:
            return start(link)
        except NotStarted:
            pass  # nothing ran, so trying once more is safe
        # A dead connection (dropped while idle) is replaced; a live one is kept: its open
        # failed for a reason of its own (a slow key exchange, the server's MaxSessions),
        # and closing it would end every other command running on it.
        try:
            return start(self._link(host)[0])
        except NotStarted as exc:
            raise ConnectFailed(f"{host}: cannot start the command: {exc}") from None

    def close(self) -> None:
        """Close every connection; later calls to `run` fail with ConnectFailed."""
        with self._lock:
            self._closed = True
            hosts = list(self._hosts.values())
        for h in hosts:
            with h.lock:
                if h.link is not None:
                    h.link.close()
                    h.link, h.state = None, "disconnected"
        self._connector.keys.clear()
