"""The sshd fixture's own promises: no sshd skips with the reason, but fails under
CI=true; a port taken between its pick and sshd's bind is picked again; the module
imports without pytest (the benchmark uses it); sshd dies with the process that started it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import sshd as fixture
from helpers.procs import wait_gone
from helpers.unprivileged import ROOT


@pytest.fixture
def no_sshd(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fixture, "SSHD", tmp_path / "no-such-sshd")


def test_missing_sshd_skips_with_the_reason(
    no_sshd: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-sshd is not installed"):
        fixture._start_or_skip(tmp_path / "srv")


def test_missing_sshd_fails_under_ci(
    no_sshd: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        fixture._start_or_skip(tmp_path / "srv")


@pytest.mark.sshd
def test_an_sshd_that_will_not_start_fails_under_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(fixture, "free_port", lambda: 1)  # port 1: sshd cannot bind it...
    if fixture.os.geteuid() == 0:  # ...unless root, so make its config unreadable instead
        monkeypatch.setattr(fixture.SSHDServer, "_write_config", lambda self, extra: None)
    with pytest.raises(pytest.fail.Exception, match="would not start"):
        fixture._start_or_skip(tmp_path / "srv")


@pytest.mark.sshd
def test_a_port_taken_before_sshd_binds_it_is_picked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race a busy machine can lose: free_port() gives a port back, then another
    socket (an outgoing connection's ephemeral port) takes it before sshd binds."""
    taken: list[socket.socket] = []
    pick = fixture.free_port

    def first_pick_taken() -> int:
        if taken:
            return pick()
        taker = socket.socket()
        taker.bind(("127.0.0.1", 0))
        taker.listen()
        taken.append(taker)
        return int(taker.getsockname()[1])

    monkeypatch.setenv("CI", "true")  # a start that gives up fails the test, not skips it
    monkeypatch.setattr(fixture, "free_port", first_pick_taken)
    server = fixture._start_or_skip(tmp_path / "srv")
    try:
        assert taken and server.port != taken[0].getsockname()[1]
        assert "Address already in use" in server.log()  # the first start did fail
        pool = server.pool()
        try:
            done = pool.run("test", "echo up", lambda _s, _d: None)
            assert done.ok, done.error
        finally:
            pool.close()
    finally:
        server.kill()
        taken[0].close()


def test_importable_without_pytest() -> None:
    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys; sys.modules['pytest'] = None; "
        f"sys.path[:0] = [{str(root)!r}, {str(root / 'tests')!r}]; "
        "import helpers.sshd as m; print(m.pytest, hasattr(m, 'SSHDServer'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["None", "True"], out.stderr


# Starts an sshd, opens a connection running a command, says the pids, then waits to be
# killed: the test run that SIGTERM or its timeout kills, where no teardown runs.
_STARTER = """
import sys, time
from pathlib import Path
from helpers.sshd import SSHDServer, descendants
server = SSHDServer.start(Path(sys.argv[1]))
pool = server.pool()
pool.run("test", "true", lambda _s, _d: None)  # a connection, with its own sshd child
print(server.proc.pid, *descendants(server.proc.pid), flush=True)
time.sleep(120)
"""


@pytest.mark.sshd
@pytest.mark.timeout(90)
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_sshd_dies_with_the_process_that_started_it(tmp_path: Path, how: int) -> None:
    if problem := fixture.sshd_missing():
        fixture.fail_or_skip(f"no usable sshd: {problem}")
    starter = subprocess.Popen(
        [sys.executable, "-c", _STARTER, str(tmp_path / "srv")],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(map(str, [ROOT / "tests", ROOT]))},
        stdout=subprocess.PIPE,
        text=True,
    )
    pids: list[int] = []
    try:
        assert starter.stdout is not None
        pids = [int(p) for p in starter.stdout.readline().split()]
        assert len(pids) >= 2, "no sshd, or no connection child, was started"
        starter.send_signal(how)
        starter.wait(timeout=30)
        assert wait_gone(pids) == []
    finally:
        starter.kill()
        starter.communicate()  # reaped, its pipe closed
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
