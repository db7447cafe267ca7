"""`EmbeddedServer`: a small SSH server on 127.0.0.1 for `aiperm demo` and fast tests.

paramiko's ServerInterface with key-only authentication (the given public keys) and
exec requests run by bash with the sandbox folder as working directory, output streamed
back as it comes. The sandbox is a working directory, not a jail: the commands run as
the local user, so only ever point it at throwaway folders (the demo and the tests do).
Closing the channel or a `signal` request ends the command's whole process group.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import signal
import socket
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import paramiko
from paramiko.common import (
    AUTH_FAILED,
    AUTH_SUCCESSFUL,
    MSG_CHANNEL_REQUEST,
    OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED,
    OPEN_SUCCEEDED,
)

from aiperm_tui.config import HostConfig

READ_SIZE = 256 * 1024


class _Exec:
    """One command: a bash process whose stdout and stderr are pumped into a channel."""

    def __init__(self, chan: paramiko.Channel, command: str, root: Path) -> None:
        self.chan, self.command, self.root = chan, command, root

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["bash", "-c", self.command],
            cwd=self.root,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        threading.Thread(target=self._finish, daemon=True, name="embedded-exec").start()
        threading.Thread(target=self._watch, daemon=True, name="embedded-watch").start()

    def _watch(self) -> None:
        """A closed channel (cancel, lost client) ends a command even if it is silent."""
        while self.proc.poll() is None:
            transport = self.chan.get_transport()
            if self.chan.closed or transport is None or not transport.is_active():
                self.kill(signal.SIGKILL)
                return
            try:
                self.proc.wait(0.1)
            except subprocess.TimeoutExpired:
                continue

    def _pump(self, fh: object, send: object) -> None:
        read = fh.read1  # type: ignore[attr-defined]
        try:
            while data := read(READ_SIZE):
                send(data)  # type: ignore[operator]
        except (OSError, EOFError, paramiko.SSHException):
            self.kill(signal.SIGKILL)  # the client went away: stop the command

    def _finish(self) -> None:
        err = threading.Thread(
            target=self._pump, args=(self.proc.stderr, self.chan.sendall_stderr), daemon=True
        )
        err.start()
        self._pump(self.proc.stdout, self.chan.sendall)
        err.join()
        code = self.proc.wait()
        with contextlib.suppress(OSError, EOFError, paramiko.SSHException):
            if code >= 0:
                self.chan.send_exit_status(code)
            else:
                self._send_exit_signal(-code)
            self.chan.shutdown_write()
            self.chan.close()

    def _send_exit_signal(self, signum: int) -> None:
        m = paramiko.Message()
        m.add_byte(bytes([MSG_CHANNEL_REQUEST]))
        m.add_int(self.chan.remote_chanid)
        m.add_string("exit-signal")
        m.add_boolean(False)
        m.add_string(signal.Signals(signum).name.removeprefix("SIG"))
        m.add_boolean(False)
        m.add_string("")
        m.add_string("")
        self.chan.transport._send_user_message(m)  # type: ignore[union-attr]

    def kill(self, signum: int) -> None:
        if not hasattr(self, "proc"):
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signum)


class _Interface(paramiko.ServerInterface):
    """Key-only auth, session channels, exec (and `signal`) requests."""

    def __init__(self, server: EmbeddedServer) -> None:
        self.server = server
        self.execs: dict[int, _Exec] = {}

    def get_allowed_auths(self, username: str) -> str:
        return "publickey"

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        ok = key.asbytes() in self.server.authorized
        return AUTH_SUCCESSFUL if ok else AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return OPEN_SUCCEEDED
        return OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_exec_request(self, channel: paramiko.Channel, command: bytes) -> bool:
        text = command.decode("utf-8", errors="surrogateescape")
        self.execs[channel.get_id()] = _Exec(channel, text, self.server.root)
        return True  # started by _ServerTransport once this reply is on the wire


def _deliver_signal(pending: _Exec | None, m: paramiko.Message) -> None:
    """RFC 4254 "signal" (paramiko's server ignores it): TERM, INT, HUP... to the
    command's process group; unknown names are ignored, as OpenSSH does."""
    m.get_boolean()  # want_reply: never set for "signal"
    name = m.get_text()
    signum = getattr(signal, f"SIG{name}", None)
    if pending is not None and isinstance(signum, signal.Signals):
        pending.kill(signum)


def _request_then_start(chan: paramiko.Channel, m: paramiko.Message) -> None:
    """Start an accepted exec only after paramiko has sent its success reply: a fast
    command's exit and close must not overtake the reply (the client would see the
    channel closed before its request was answered)."""
    server = chan.transport.server_object  # type: ignore[union-attr]
    execs = server.execs if isinstance(server, _Interface) else {}
    start = m.packet.tell()
    if m.get_text() == "signal":
        _deliver_signal(execs.get(chan.get_id()), m)
        return
    m.packet.seek(start)
    paramiko.Channel._handle_request(chan, m)  # type: ignore[attr-defined]  # paramiko internal
    pending = execs.get(chan.get_id())
    if pending is not None and not hasattr(pending, "proc"):
        pending.start()


class _ServerTransport(paramiko.Transport):
    _channel_handler_table = {  # noqa: RUF012 - the same shape as paramiko's own table
        **paramiko.Transport._channel_handler_table,  # type: ignore[attr-defined]  # paramiko internal
        MSG_CHANNEL_REQUEST: _request_then_start,
    }


@dataclass(frozen=True)
class ClientSetup:
    """What a client needs to reach a started EmbeddedServer: a key it accepts and a
    known_hosts file that already trusts it (so no prompt, and still strict checking)."""

    port: int
    user: str
    key_path: Path
    known_hosts_path: Path

    def host_config(self, name: str = "demo") -> HostConfig:
        """The `[hosts.NAME]` entry pointing at the server."""
        return HostConfig(
            name=name,
            hostname="127.0.0.1",
            port=self.port,
            user=self.user,
            identity_files=(str(self.key_path),),
        )


class EmbeddedServer:
    """See the module docstring. `start()` returns the port; `stop()` ends everything."""

    @classmethod
    def with_client(cls, root: Path, keys_dir: Path) -> tuple[EmbeddedServer, ClientSetup]:
        """A started server for `root` plus a fresh client key (0600) and a known_hosts
        file in `keys_dir`: the demo and tests get a ready, strictly checked setup."""
        keys_dir.mkdir(parents=True, exist_ok=True)
        key = paramiko.ECDSAKey.generate(bits=256)
        key_path = keys_dir / "client_ecdsa"
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            key.write_private_key(fh)
        server = cls(root, [key])
        port = server.start()
        known = keys_dir / "known_hosts"
        known.write_text(
            f"[127.0.0.1]:{port} {server.host_key.get_name()} {server.host_key.get_base64()}\n"
        )
        return server, ClientSetup(port, getpass.getuser(), key_path, known)

    def __init__(self, root: Path, authorized_keys: Sequence[paramiko.PKey]) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.authorized = {k.asbytes() for k in authorized_keys}
        self.host_key: paramiko.PKey = paramiko.ECDSAKey.generate(bits=256)
        self.port = 0
        self._sock: socket.socket | None = None
        self._transports: list[paramiko.Transport] = []
        self._interfaces: list[_Interface] = []
        self._lock = threading.Lock()

    def start(self) -> int:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        self._sock, self.port = sock, sock.getsockname()[1]
        threading.Thread(
            target=self._accept, args=(sock,), daemon=True, name="embedded-sshd"
        ).start()
        return self.port

    def _accept(self, sock: socket.socket) -> None:
        """The listening socket is passed in, not read from `self`: `stop` clears the
        attribute while this thread may be between two accepts."""
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return  # stopped
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            t = _ServerTransport(conn)
            t.add_server_key(self.host_key)
            iface = _Interface(self)
            with self._lock:
                self._transports.append(t)
                self._interfaces.append(iface)
            try:
                t.start_server(server=iface)
            except (paramiko.SSHException, EOFError, OSError):
                t.close()

    def stop(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
            self._sock.close()
            self._sock = None
        with self._lock:
            transports, interfaces = list(self._transports), list(self._interfaces)
            self._transports.clear()
            self._interfaces.clear()
        for iface in interfaces:
            for ex in iface.execs.values():
                ex.kill(signal.SIGKILL)
        for t in transports:
            t.close()

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()
