"""Fast tests on the embedded server (no OpenSSH needed): the ready client setup, bash in
the sandbox, exit status and signals, key-only auth, cancel, signal requests and the
pool's connection states."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.procs import running
from helpers.ssh_prompts import ScriptedPrompts
from helpers.waiting import wait_until

from aiperm_tui.config import Config
from aiperm_tui.ssh import AuthFailed, EmbeddedServer, ExecResult, SSHPool
from aiperm_tui.ssh.embedded import ClientSetup
from aiperm_tui.ssh.exec import send_signal
from aiperm_tui.values import replace


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[EmbeddedServer, ClientSetup, SSHPool]]:
    server, setup = EmbeddedServer.with_client(tmp_path / "sandbox", tmp_path / "keys")
    pool = SSHPool(
        Config(hosts={"demo": setup.host_config()}),
        ScriptedPrompts(),
        known_hosts=setup.known_hosts_path,
    )
    yield server, setup, pool
    pool.close()
    server.stop()


def _run(pool: SSHPool, command: str, **kw: object) -> tuple[ExecResult, dict[str, bytes]]:
    out = {"stdout": b"", "stderr": b""}

    def sink(stream: str, data: bytes) -> None:
        out[stream] += data

    return pool.run("demo", command, sink, **kw), out  # type: ignore[arg-type]


def test_with_client_gives_a_strict_ready_setup(world: tuple, tmp_path: Path) -> None:
    server, setup, pool = world
    assert setup.port == server.port and setup.key_path.stat().st_mode & 0o077 == 0
    assert f"[127.0.0.1]:{server.port} ecdsa-sha2-nistp256" in setup.known_hosts_path.read_text()
    assert pool.state("demo") == "idle"
    res, out = _run(pool, "pwd; echo oops >&2; exit 5")
    assert (res.exit_status, res.error) == (5, None)
    assert out == {"stdout": f"{tmp_path / 'sandbox'}\n".encode(), "stderr": b"oops\n"}
    assert pool.state("demo") == "connected"


def test_bytes_pass_through_unchanged(world: tuple) -> None:
    res, out = _run(world[2], r"printf '\377\000abc\r\n'")
    assert res.ok and out["stdout"] == b"\xff\x00abc\r\n" and res.stdout_bytes == 7


def test_killed_command_reports_its_signal(world: tuple) -> None:
    res, _ = _run(world[2], "kill -TERM $$")
    assert res == ExecResult(None, "TERM", None, res.duration_ms, 0, 0)
    assert not res.ok


def test_only_the_authorized_key_gets_in(world: tuple, tmp_path: Path) -> None:
    setup = world[1]
    other, other_setup = EmbeddedServer.with_client(tmp_path / "x", tmp_path / "other_keys")
    other.stop()
    host = replace(setup.host_config(), identity_files=(str(other_setup.key_path),))
    stranger = Config(hosts={"demo": host})
    pool = SSHPool(stranger, ScriptedPrompts(), known_hosts=setup.known_hosts_path)
    with pytest.raises(AuthFailed):
        pool.run("demo", "true", lambda _s, _d: None)
    pool.close()


def test_cancel_ends_a_silent_command(world: tuple) -> None:
    """Cancelled once it printed (a timer could fire before a loaded box had started it,
    and the cancel then proved nothing)."""
    marker = f"sleep 9{uuid.uuid4().int % 1000}.{uuid.uuid4().int % 1000}"
    cancel = threading.Event()
    at = [0.0]

    def sink(_stream: str, _data: bytes) -> None:
        at[0] = at[0] or time.monotonic()
        cancel.set()

    res = world[2].run("demo", f"echo started; exec {marker}", sink, cancel=cancel)
    assert res.error == "cancelled" and res.stdout_bytes == 8
    assert time.monotonic() - at[0] < 10
    wait_until(lambda: not running(marker), "the cancelled command kept running")


def test_signal_request_reaches_the_command(world: tuple) -> None:
    _, _, pool = world
    pool.connect("demo")
    chan = pool._hosts["demo"].link.transport.open_session()  # type: ignore[union-attr]
    chan.exec_command("trap 'echo got INT; kill $!; exit 7' INT; echo armed; sleep 60 & wait")
    assert _recv_line(chan) == b"armed\n"  # the trap is set before the signal is sent
    send_signal(chan, "INT")
    assert chan.status_event.wait(30)  # the trap kills the sleep: long before 60 s
    assert chan.recv_exit_status() == 7 and _recv_line(chan) == b"got INT\n"
    chan.close()


def test_state_follows_the_connection(world: tuple) -> None:
    server, _, pool = world
    assert _run(pool, "true")[0].ok
    server.stop()
    wait_until(lambda: pool.state("demo") == "disconnected", "the pool never saw the drop")


def test_a_command_is_never_sent_twice(
    world: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the connection fails right after the exec request went out, the command may
    have run: it is reported as lost, not retried on a fresh connection."""
    import paramiko

    _, _, pool = world
    pool.connect("demo")
    sent = paramiko.Channel.exec_command

    def exec_then_fail(chan: paramiko.Channel, command: str) -> None:
        sent(chan, command)
        ran = tmp_path / "sandbox" / "runs.txt"
        # it ran on the server before the connection "fails"
        wait_until(ran.exists, "the command never ran")
        raise paramiko.SSHException("Channel closed.")

    monkeypatch.setattr(paramiko.Channel, "exec_command", exec_then_fail)
    res, _ = _run(pool, "echo once >> runs.txt")
    assert res.error is not None and "may or may not have run" in res.error
    assert (tmp_path / "sandbox" / "runs.txt").read_text() == "once\n"


def _recv_line(chan: Any, timeout: float = 5) -> bytes:
    """One line from the channel's stdout, waiting at most `timeout` seconds."""
    chan.settimeout(timeout)
    line = b""
    while not line.endswith(b"\n"):
        chunk = chan.recv(1)
        assert chunk, f"the channel closed after {line!r}"
        line += chunk
    return line
