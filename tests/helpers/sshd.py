"""A real OpenSSH sshd on 127.0.0.1 for tests and benchmarks (also a pytest plugin).

`SSHDServer.start(folder)` runs /usr/sbin/sshd as the current user (root in CI or not)
on a free port with its own sshd_config: a host key generated per server, key-only
login against a generated authorized_keys file, no PAM, no strict modes. It is plain
Python so `benchmarks/ssh_bench.py` can use it without pytest.

Fixtures: `sshd` (one server for the whole session) and `sshd_private` (a server of the
test's own, for tests that kill or restart it, or a second server such as a jump host).
Under CI=true a missing sshd fails the test; elsewhere it skips with the reason.

sshd dies with the process that started it (a SIGKILLed or SIGTERMed test run, where
no teardown runs, would otherwise leave it listening); its per-connection children end
when that process's connections close.

`sshd_unprivileged` logs in as a user that is not root: OpenSSH refuses signal requests
on root sessions (it runs them without post-auth privilege separation), so the tests of
signalling a silent command need one. Not root, that is the current user; as root (CI),
the account LOGIN_USER, which `.ci/run` creates.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import pwd
import re
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paramiko
from helpers.prereq import fail_or_skip
from helpers.procs import dies_with_parent
from helpers.ssh_prompts import ScriptedPrompts

try:
    import pytest
except ImportError:  # the benchmark runs without pytest
    pytest = None  # type: ignore[assignment]

from aiperm_tui.config import Config, HostConfig
from aiperm_tui.ssh import SSHPool

SSHD = Path("/usr/sbin/sshd")
SSH_KEYGEN = "ssh-keygen"
READY_SECONDS = 30.0  # a loaded CI box may take seconds to start sshd
PORT_ATTEMPTS = 5  # another socket may take the picked port before sshd binds it
LOGIN_USER = "aiperm-ci"  # the unprivileged account `sshd_unprivileged` uses as root


def sshd_missing() -> str | None:
    """Why a real sshd cannot run here, or None when it can."""
    if not SSHD.is_file() or not os.access(SSHD, os.X_OK):
        return f"{SSHD} is not installed (apt-get install openssh-server)"
    if subprocess.run(["which", SSH_KEYGEN], capture_output=True).returncode != 0:
        return "ssh-keygen is not installed (apt-get install openssh-client)"
    return None


def generate_key(path: Path, passphrase: str = "", kind: str = "ed25519") -> paramiko.PKey:
    """An OpenSSH key pair made by ssh-keygen (path and path.pub); the private key loaded."""
    args = [SSH_KEYGEN, "-q", "-t", kind, "-N", passphrase, "-C", "aiperm-test", "-f", str(path)]
    if kind == "rsa":
        args[4:4] = ["-b", "2048"]
    subprocess.run(args, check=True, capture_output=True)
    return paramiko.PKey.from_path(str(path), passphrase.encode() or None)


def free_port() -> int:
    """A port nothing listens on right now (the kernel's pick)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sshd_version() -> tuple[int, int]:
    out = subprocess.run([str(SSHD), "-V"], capture_output=True, text=True)
    found = re.search(r"OpenSSH_(\d+)\.(\d+)", out.stdout + out.stderr)
    return (int(found[1]), int(found[2])) if found else (0, 0)


def descendants(pid: int) -> list[int]:
    """Every process below `pid`: sshd forks one child per connection, and each child
    calls setsid(), so a process-group kill would miss them."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def known_hosts_line(host: str, port: int, key: paramiko.PKey) -> str:
    name = host if port == 22 else f"[{host}]:{port}"
    return f"{name} {key.get_name()} {key.get_base64()}\n"


class PortTaken(RuntimeError):
    """sshd could not bind its port: something took it after `free_port` picked it."""


@dataclass
class SSHDServer:
    """One running sshd; `kill()` drops it with every connection, `restart()` brings it
    back on the same port with the same host key (so clients may reconnect)."""

    folder: Path
    port: int
    user: str
    client_key_path: Path
    host_key: paramiko.PKey
    known_hosts_path: Path
    authorized_keys_path: Path
    host: str = "127.0.0.1"
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @classmethod
    def start(
        cls,
        folder: Path,
        client_key_path: Path | None = None,
        extra_config: Sequence[str] = (),
        user: str | None = None,
    ) -> SSHDServer:
        """Generate keys and config in `folder` (created), start sshd, wait until ready;
        `extra_config` are more sshd_config lines. `user` logs in as another account
        (sshd must run as root): sshd reads authorized_keys as that user, so the file
        then goes in a folder of its own that anyone may read."""
        folder.mkdir(parents=True, exist_ok=True)
        if client_key_path is None:
            client_key_path = folder / "client_ed25519"
            generate_key(client_key_path)
        host_key = generate_key(folder / "host_ed25519")
        keys_folder = folder
        if user is not None and user != getpass.getuser():
            keys_folder = Path(tempfile.mkdtemp(prefix="aiperm-sshd-keys-"))
            keys_folder.chmod(0o755)
        server = cls(
            folder=folder,
            port=0,
            user=user or getpass.getuser(),
            client_key_path=client_key_path,
            host_key=host_key,
            known_hosts_path=folder / "known_hosts",
            authorized_keys_path=keys_folder / "authorized_keys",
        )
        server.authorized_keys_path.write_text(Path(f"{client_key_path}.pub").read_text())
        server.authorized_keys_path.chmod(0o644)
        attempts = PORT_ATTEMPTS
        while True:
            server.port = free_port()
            server.known_hosts_path.write_text(known_hosts_line(server.host, server.port, host_key))
            server._write_config(extra_config)
            try:
                server._launch()
                return server
            except PortTaken:  # between free_port() and sshd's bind: pick again
                attempts -= 1
                if not attempts:
                    raise

    def _write_config(self, extra: Sequence[str]) -> None:
        """sshd keeps the first value it reads for a keyword, so `extra` goes first and
        overrides the defaults below it."""
        lines = [
            *extra,
            f"Port {self.port}",
            f"ListenAddress {self.host}",
            f"HostKey {self.folder / 'host_ed25519'}",
            f"PidFile {self.folder / 'sshd.pid'}",
            f"AuthorizedKeysFile {self.authorized_keys_path}",
            "UsePAM no",
            "StrictModes no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "PermitRootLogin prohibit-password",
            "AllowTcpForwarding yes",
            "MaxSessions 100",
            "MaxStartups 100",
            "MaxAuthTries 20",
            "PrintMotd no",
            "LogLevel ERROR",
            # bash sources ~/.bashrc for every ssh command unless SHLVL says it is nested;
            # a developer's .bashrc (pyenv init...) would add ~100 ms to every command
            "SetEnv SHLVL=1",
        ]
        if _sshd_version() >= (9, 8):
            lines.append("PerSourcePenalties no")  # wrong-key tests must not lock us out
        (self.folder / "sshd_config").write_text("\n".join(lines) + "\n")

    def _launch(self) -> None:
        if os.geteuid() == 0:  # root sshd insists on its privilege separation folder
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        log = (self.folder / "sshd.log").open("ab")
        self.proc = subprocess.Popen(
            [str(SSHD), "-D", "-e", "-f", str(self.folder / "sshd_config")],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            preexec_fn=dies_with_parent(),  # a killed test run leaves no sshd behind
        )
        log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        """Until sshd answers with its banner (it binds a moment after starting)."""
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                log = self.log()
                if f"port {self.port} on {self.host} failed: Address already in use" in log:
                    raise PortTaken(f"sshd exited at start: {log}")
                raise RuntimeError(f"sshd exited at start: {log}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection((self.host, self.port), timeout=1) as s,
            ):
                if s.recv(64).startswith(b"SSH-"):
                    return
            time.sleep(0.02)
        raise RuntimeError(f"sshd not ready after {READY_SECONDS}s: {self.log()}")

    def log(self) -> str:
        """sshd's own log (stderr), for failure messages."""
        path = self.folder / "sshd.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def authorize(self, public_key_line: str) -> None:
        """Allow one more public key to log in (an ssh-agent or passphrase test key)."""
        with self.authorized_keys_path.open("a") as fh:
            fh.write(public_key_line.rstrip("\n") + "\n")

    def host_toml(self, port: int | None = None) -> str:
        """The `[hosts.test]` table for this server, for tests that need a config file
        (a subprocess, `aiperm run`); `port` overrides it, e.g. with a closed one."""
        return (
            f'[hosts.test]\nhostname = "{self.host}"\nport = {port or self.port}\n'
            f'user = "{self.user}"\nidentity_file = "{self.client_key_path}"\n'
        )

    def config(self, *, trusted: bool = True, **extra: Any) -> Config:
        """A Config whose host "test" is this server. `trusted` also records the host key
        in ~/.ssh/known_hosts of the current HOME, so any SSHPool accepts it; `extra` are
        Config fields (default_host="test", ssh=SSHConfig(...), ...)."""
        host = HostConfig(
            name="test",
            hostname=self.host,
            port=self.port,
            user=self.user,
            identity_files=(str(self.client_key_path),),
        )
        if trusted:
            ssh_dir = Path.home() / ".ssh"
            ssh_dir.mkdir(mode=0o700, exist_ok=True)
            with (ssh_dir / "known_hosts").open("a") as fh:
                fh.write(known_hosts_line(self.host, self.port, self.host_key))
        hosts = {"test": host, **extra.pop("hosts", {})}
        return Config(hosts=hosts, **extra)

    def pool(self, **extra: Any) -> SSHPool:
        """An SSHPool on this server (host "test", its host key trusted through the
        server's own known_hosts file), answering prompts from a script; `extra` as for
        `config`. Close it when done."""
        return SSHPool(
            self.config(trusted=False, **extra),
            ScriptedPrompts(),
            known_hosts=self.known_hosts_path,
        )

    def kill(self) -> None:
        """SIGKILL the listener and every per-connection child: connections drop at once."""
        if self.proc is None:
            return
        for pid in [*descendants(self.proc.pid), self.proc.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=5)
        self.proc = None

    def restart(self) -> None:
        """Kill (if running), then start again on the same port with the same keys."""
        self.kill()
        self._launch()

    stop = kill


def _start_or_skip(
    folder: Path,
    client_key_path: Path | None = None,
    user: str | None = None,
    extra_config: Sequence[str] = (),
) -> SSHDServer:
    """Missing or failing to start: skip with the reason, but fail under CI=true."""
    problem = sshd_missing()
    if problem is None:
        try:
            return SSHDServer.start(folder, client_key_path, user=user, extra_config=extra_config)
        except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
            problem = f"sshd would not start: {exc}"
    fail_or_skip(f"no usable sshd: {problem}")


if pytest is not None:  # benchmarks import this module without needing pytest

    @pytest.fixture(scope="session")
    def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SSHDServer]:
        """One sshd for the whole session; don't kill it (use `sshd_private` for that)."""
        server = _start_or_skip(tmp_path_factory.mktemp("sshd"))
        yield server
        server.kill()

    @pytest.fixture(scope="session")
    def sshd_unprivileged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SSHDServer]:
        """An sshd whose login is not root (see the module docstring)."""
        user = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(LOGIN_USER)
            except KeyError:
                why = (
                    f"running as root, the test needs an unprivileged account to log in "
                    f"as: `useradd -m -s /bin/bash {LOGIN_USER}` (.ci/run makes it)"
                )
                fail_or_skip(why)
            user = LOGIN_USER
        server = _start_or_skip(tmp_path_factory.mktemp("sshd_unprivileged"), user=user)
        yield server
        server.kill()

    @pytest.fixture
    def sshd_private(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SSHDServer]:
        """An sshd of the test's own, free to kill and restart."""
        server = _start_or_skip(tmp_path_factory.mktemp("sshd_private"))
        yield server
        server.kill()
