"""`Include` in ~/.ssh/config is followed as OpenSSH does (globs, `~`, paths relative to
~/.ssh, nesting), and a port that does not speak SSH is one line and exit 6, never a
paramiko traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.audit_key import write_key_file

from aiperm_tui.config import Config
from aiperm_tui.errors import ConfigError
from aiperm_tui.ssh.hosts import resolve

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def ssh_dir(isolated_home: Path) -> Path:
    folder = isolated_home / ".ssh"
    (folder / "config.d").mkdir(parents=True, mode=0o700)
    return folder


def test_include_with_glob_relative_to_ssh_dir(ssh_dir: Path) -> None:
    (ssh_dir / "config").write_text("Include config.d/*.conf\nHost *\n  User fallback\n")
    (ssh_dir / "config.d" / "10-web.conf").write_text(
        "Host web1\n  HostName 10.0.0.5\n  Port 2200\n  User deploy\n"
    )
    (ssh_dir / "config.d" / "20-db.conf").write_text("Host db1\n  HostName 10.0.0.9\n")
    (ssh_dir / "config.d" / "ignored.txt").write_text("Host web1\n  Port 1\n")
    web, db = resolve(Config(), "web1"), resolve(Config(), "db1")
    assert (web.hostname, web.port, web.user) == ("10.0.0.5", 2200, "deploy")
    assert (db.hostname, db.port, db.user) == ("10.0.0.9", 22, "fallback")


def test_nested_absolute_and_tilde_includes(ssh_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "team.conf"
    elsewhere.write_text("Include ~/.ssh/config.d/inner\n")
    (ssh_dir / "config.d" / "inner").write_text("Host bastion\n  HostName 192.0.2.1\n")
    (ssh_dir / "config").write_text(f"include = {elsewhere} missing-*.conf\n")
    assert resolve(Config(), "bastion").hostname == "192.0.2.1"


def test_include_loop_is_a_config_error(ssh_dir: Path) -> None:
    (ssh_dir / "config").write_text("Include config.d/a\n")
    (ssh_dir / "config.d" / "a").write_text("Include ~/.ssh/config\n")
    with pytest.raises(ConfigError, match="Include nested too deep"):
        resolve(Config(), "web1")


@pytest.fixture
def not_ssh() -> Iterator[int]:
    """A TCP server that answers like a web server, then hangs up."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(5)
    server.close()


def test_a_port_that_is_not_ssh_is_one_line(
    not_ssh: int, tmp_path: Path, isolated_home: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'default_host = "web"\n[hosts.web]\nhostname = "127.0.0.1"\nport = {not_ssh}\n'
    )
    plan = tmp_path / "plan.json"
    plan.write_text('{"type": "plan", "id": "p1", "actions": [{"cmd": "echo hi"}]}')
    env = {
        **os.environ,
        "AIPERM_AUDIT_KEY_FILE": str(write_key_file(isolated_home / "keys", "a1" * 32)),
        "HOME": str(isolated_home),
    }
    done = subprocess.run(
        [sys.executable, "-m", "aiperm_tui", "run", "--config", str(config), "--plan", str(plan)],
        capture_output=True,
        text=True,
        env=env,
        timeout=50,
    )
    assert done.returncode == 6
    assert "Traceback" not in done.stderr and "paramiko" not in done.stderr
    assert "is this port an SSH server?" in done.stderr
