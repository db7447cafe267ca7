"""Command execution against a real OpenSSH sshd: results, streams, big output, timeout,
cancel, a server killed mid-command and the reconnect after it."""

from __future__ import annotations

import os
import signal
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.procs import running
from helpers.sshd import _start_or_skip, descendants
from helpers.waiting import wait_until

from aiperm_tui.config import SSHConfig
from aiperm_tui.ssh import ConnectFailed, ExecResult, SSHPool

pytestmark = pytest.mark.sshd


class Collect:
    """A sink that keeps each stream and when its first chunk came."""

    def __init__(self) -> None:
        self.data: dict[str, bytearray] = {"stdout": bytearray(), "stderr": bytearray()}
        self.first: dict[str, float] = {}
        self.got = threading.Event()

    def __call__(self, stream: str, data: bytes) -> None:
        self.first.setdefault(stream, time.monotonic())
        self.data[stream] += data
        self.got.set()

    def text(self, stream: str) -> str:
        return self.data[stream].decode()


@pytest.fixture
def pool(sshd: Any) -> Iterator[SSHPool]:
    p = sshd.pool()
    yield p
    p.close()


def _wait_gone(marker: str, failure: str = "the remote command kept running") -> None:
    """The sshd is local, so the remote command is a local process we can look for."""
    wait_until(lambda: not running(marker), failure)


def test_success_reports_status_counts_and_duration(pool: SSHPool) -> None:
    out = Collect()
    res = pool.run("test", "printf hello; sleep 0.2", out)
    assert res == ExecResult(0, None, None, res.duration_ms, 5, 0)
    assert res.ok and out.text("stdout") == "hello"
    assert 200 <= res.duration_ms < 5000
    assert pool.state("test") == "connected"


def test_nonzero_exit_is_a_result_not_an_error(pool: SSHPool) -> None:
    res = pool.run("test", "echo nope >&2; exit 3", Collect())
    assert (res.exit_status, res.error, res.ok) == (3, None, False)


def test_stdout_and_stderr_stay_separate(pool: SSHPool) -> None:
    out = Collect()
    script = "for i in 1 2 3; do echo out$i; echo err$i >&2; done"
    res = pool.run("test", script, out)
    assert out.text("stdout") == "out1\nout2\nout3\n"
    assert out.text("stderr") == "err1\nerr2\nerr3\n"
    assert (res.stdout_bytes, res.stderr_bytes) == (15, 15)


def test_output_streams_while_the_command_runs(pool: SSHPool, tmp_path: Path) -> None:
    """The command prints "second" only once this side has received "first": output
    held back until the end would never let it finish (it would time out)."""
    seen = tmp_path / "first-seen"
    out = Collect()

    def sink(stream: str, data: bytes) -> None:
        out(stream, data)
        if out.text("stdout").startswith("first\n"):
            seen.touch()

    wait = f"while [ ! -e {seen} ]; do sleep 0.02; done"
    res = pool.run("test", f"echo first; {wait}; echo second", sink, timeout=60)
    assert res.ok, res.error
    assert out.text("stdout") == "first\nsecond\n"


def test_stdin_is_closed(pool: SSHPool) -> None:
    res = pool.run("test", "cat; echo done", out := Collect(), timeout=10)
    assert res.ok and out.text("stdout") == "done\n"


def test_one_transport_is_reused(pool: SSHPool) -> None:
    pool.run("test", "true", Collect())
    first = pool._hosts["test"].link.transport  # type: ignore[union-attr]
    for _ in range(5):
        assert pool.run("test", "true", Collect()).ok
    assert pool._hosts["test"].link.transport is first  # type: ignore[union-attr]


def test_concurrent_commands_share_the_connection(pool: SSHPool, tmp_path: Path) -> None:
    """Six commands at once: each checks in, then waits until all six have (a barrier), so
    they can only all finish if they run in parallel, not one after another (each would
    time out waiting for the others). It used to time them, which a loaded box failed."""
    results: list[tuple[ExecResult, str]] = []
    barrier = f"until [ $(ls {tmp_path} | wc -l) -ge 6 ]; do sleep 0.02; done"

    def one(i: int) -> None:
        out = Collect()
        command = f"touch {tmp_path}/{i}; {barrier}; echo {i}"
        results.append((pool.run("test", command, out, timeout=30), out.text("stdout")))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    assert sorted(text for _, text in results) == [f"{i}\n" for i in range(6)]
    assert all(r.ok for r, _ in results), [r.error for r, _ in results]


@pytest.mark.slow
def test_100_mb_output_keeps_memory_flat(pool: SSHPool) -> None:
    size = 100 * 1024 * 1024
    seen = [0]

    def sink(_stream: str, data: bytes) -> None:
        seen[0] += len(data)

    pool.connect("test")
    tracemalloc.start()
    try:
        res = pool.run("test", f"head -c {size} /dev/zero", sink)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert res.ok and res.stdout_bytes == size == seen[0]
    assert peak < 48 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB while streaming 100 MiB"


def _marker() -> str:
    return f"{uuid.uuid4().int % 10**6}.{uuid.uuid4().int % 1000}"


def test_timeout_stops_the_command(pool: SSHPool) -> None:
    """Closing the channel stops a command that keeps printing (SIGPIPE). The timeout
    leaves a loaded box time to start the command and print (0.7 s did not always); the
    bound on the whole is ten times the timeout, where a hang would be the test's own."""
    marker = _marker()
    out = Collect()
    pool.connect("test")
    started = time.monotonic()
    loop = f"echo before; while :; do echo {marker}; sleep 0.05; done"
    res = pool.run("test", loop, out, timeout=2.0)
    assert res.error == "timeout" and res.exit_status is None and not res.ok
    assert time.monotonic() - started < 20
    assert out.text("stdout").startswith(f"before\n{marker}\n")
    _wait_gone(marker, "the remote command outlived its timeout")
    assert pool.run("test", "echo again", Collect()).ok  # the connection is still good


@pytest.fixture(scope="module")
def user_pool(sshd_unprivileged: Any) -> Iterator[SSHPool]:
    """A pool logging in as a user that is not root: OpenSSH refuses signal requests on
    root sessions, and a silent command only stops on a signal."""
    p = sshd_unprivileged.pool()
    yield p
    p.close()


def test_timeout_signals_a_silent_command(user_pool: SSHPool) -> None:
    marker = f"sleep {_marker()}"
    res = user_pool.run("test", f"exec {marker}", Collect(), timeout=0.5)
    assert res.error == "timeout"
    _wait_gone(marker, "the TERM signal request did not stop the command")


class CancelOn:
    """A sink that sets `cancel` once what it collected satisfies `ready`: the command is
    surely running and what it printed first is in (a timer could fire before a loaded
    box had started it). `took()`: seconds from the cancel until now."""

    def __init__(self, ready: Callable[[Collect], bool], out: Collect) -> None:
        self.ready, self.out = ready, out
        self.cancel = threading.Event()
        self.at = 0.0

    def __call__(self, stream: str, data: bytes) -> None:
        self.out(stream, data)
        if self.ready(self.out) and not self.cancel.is_set():
            self.at = time.monotonic()
            self.cancel.set()

    def took(self) -> float:
        return time.monotonic() - self.at


def test_cancel_signals_a_silent_command(user_pool: SSHPool) -> None:
    marker = f"sleep {_marker()}"
    sink = CancelOn(lambda out: out.text("stdout") == "started\n", Collect())
    res = user_pool.run("test", f"echo started; exec {marker}", sink, cancel=sink.cancel)
    assert res.error == "cancelled" and sink.took() < 10
    _wait_gone(marker, "the TERM signal request did not stop the command")
    assert user_pool.run("test", "id -un", Collect()).ok


def test_cancel_stops_the_command_and_keeps_output(pool: SSHPool) -> None:
    out = Collect()
    sink = CancelOn(lambda out: out.text("stdout") == "partial\n" and bool(out.data["stderr"]), out)
    marker = _marker()
    loop = f"echo partial; while :; do echo {marker} >&2; sleep 0.05; done"
    res = pool.run("test", loop, sink, cancel=sink.cancel)
    assert res.error == "cancelled" and not res.ok and sink.took() < 10
    assert out.text("stdout") == "partial\n" and res.stdout_bytes == 8
    assert res.stderr_bytes == len(out.data["stderr"]) > 0
    _wait_gone(marker)


def test_config_command_timeout_applies(sshd: Any) -> None:
    pool = sshd.pool(ssh=SSHConfig(command_timeout=0.5))
    try:
        assert pool.run("test", "sleep 20", Collect()).error == "timeout"
        assert pool.run("test", "sleep 0.1", Collect(), timeout=0).ok  # 0: no timeout
    finally:
        pool.close()


def _started(pool: SSHPool, command: str) -> tuple[Collect, list[ExecResult], threading.Thread]:
    """Run `command` in a thread until its first output arrives: (its output, a list the
    result lands in, the thread)."""
    out = Collect()
    box: list[ExecResult] = []
    worker = threading.Thread(target=lambda: box.append(pool.run("test", command, out)))
    worker.start()
    assert out.got.wait(10)
    return out, box, worker


def test_server_killed_mid_command_then_next_command_reconnects(sshd_private: Any) -> None:
    pool = sshd_private.pool()
    try:
        out, box, worker = _started(pool, "echo start; sleep 30")
        sshd_private.kill()
        worker.join(15)
        assert not worker.is_alive()
        res = box[0]
        assert res.error is not None and res.error.startswith("connection lost")
        assert res.exit_status is None and res.stdout_bytes == 6
        assert out.text("stdout") == "start\n"
        assert pool.state("test") == "disconnected"
        sshd_private.restart()
        again = Collect()
        assert pool.run("test", "echo back", again).ok
        assert again.text("stdout") == "back\n" and pool.state("test") == "connected"
    finally:
        pool.close()


def test_idle_connection_dropped_is_reopened_transparently(sshd_private: Any) -> None:
    pool = sshd_private.pool()
    try:
        assert pool.run("test", "true", Collect()).ok
        sshd_private.restart()  # every connection dropped while nothing ran
        assert pool.run("test", "echo ok", out := Collect()).ok
        assert out.text("stdout") == "ok\n"
    finally:
        pool.close()


def test_closed_pool_refuses(pool: SSHPool) -> None:
    pool.close()
    with pytest.raises(ConnectFailed):
        pool.run("test", "true", Collect())


def test_commands_ending_during_rekeys_do_not_freeze(pool: SSHPool) -> None:
    """paramiko answered a channel close from its reader thread while a key exchange was
    running, which froze the connection for 30 s; re-key every 256 KiB to provoke it."""
    pool.connect("test")
    transport = pool._hosts["test"].link.transport  # type: ignore[union-attr]
    transport.packetizer.REKEY_BYTES = 256 * 1024
    first_kex = transport.H
    for _ in range(25):  # a freeze (30 s) would end a command at its timeout, not ok
        res = pool.run("test", "head -c 200000 /dev/zero", lambda _s, _d: None, timeout=20)
        assert res.ok and res.stdout_bytes == 200000, res.error
    assert first_kex != transport.H  # keys really were exchanged again
    assert pool._hosts["test"].link.transport is transport  # type: ignore[union-attr]


def test_a_channel_refused_on_a_live_connection_ends_no_other_command(tmp_path: Path) -> None:
    """With `MaxSessions 1` the server refuses a second channel while one command runs:
    that second command fails to start, and the connection the first runs on stays up
    (the pool closed it to reconnect, ending the running command as "connection lost")."""
    server = _start_or_skip(tmp_path / "srv", extra_config=["MaxSessions 1"])
    pool = server.pool()
    try:
        out, box, worker = _started(pool, "echo start; sleep 2; echo done")
        transport = pool._hosts["test"].link.transport  # type: ignore[union-attr]
        with pytest.raises(ConnectFailed, match="cannot start the command"):
            pool.run("test", "echo second", Collect())
        worker.join(20)
        assert not worker.is_alive()
        assert box[0].ok, box[0].error
        assert out.text("stdout") == "start\ndone\n"
        assert pool.run("test", "echo after", after := Collect()).ok
        assert after.text("stdout") == "after\n"
        assert pool._hosts["test"].link.transport is transport  # type: ignore[union-attr]
    finally:
        pool.close()
        server.kill()


def test_a_server_that_stops_answering_is_detected(sshd_private: Any) -> None:
    """Freeze the server's connection processes (TCP stays up, SSH goes silent): the
    keepalive probes go unanswered, the command ends as lost, the next one reconnects."""
    pool = sshd_private.pool(ssh=SSHConfig(keepalive_interval=1))
    try:
        _, box, worker = _started(pool, "echo start; sleep 60")
        frozen = descendants(sshd_private.proc.pid)
        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)
        started = time.monotonic()
        worker.join(60)
        assert not worker.is_alive()
        assert box[0].error is not None and "no answer from the server" in box[0].error
        # 3 to 4 s of unanswered probes; the upper bound only tells "seconds, not TCP's
        # minutes", with room for a loaded box's late threads
        assert 2 < time.monotonic() - started < 30
        assert pool.run("test", "echo fresh", again := Collect()).ok
        assert again.text("stdout") == "fresh\n"
    finally:
        pool.close()


def test_a_killed_command_reports_the_signal(pool: SSHPool) -> None:
    res = pool.run("test", "echo bye; kill -KILL $$", out := Collect())
    assert (res.exit_status, res.signal, res.error) == (None, "KILL", None)
    assert out.text("stdout") == "bye\n" and not res.ok


def test_a_slow_consumer_holds_back_the_server_not_memory(pool: SSHPool) -> None:
    """While the sink dawdles, the channel window stops the server: at most one window
    (16 MiB) waits in memory, never the whole output."""
    size, calls = 48 * 1024 * 1024, [0]

    def slow(_stream: str, _data: bytes) -> None:
        calls[0] += 1
        if calls[0] % 4 == 1:
            time.sleep(0.25)

    pool.connect("test")
    tracemalloc.start()
    try:
        res = pool.run("test", f"head -c {size} /dev/zero", slow, timeout=60)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert res.ok and res.stdout_bytes == size
    assert peak < 24 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB with a slow consumer"
