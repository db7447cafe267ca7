"""Replies to the agent never block the broker: a bounded outbox drained by a writer thread.
An agent that never reads gets its replies dropped (one notice) and, after
`stall_seconds` of reading nothing, is stopped; one that reads gets every reply in order."""

from __future__ import annotations

import os
import queue
import sys
import threading
import time

import pytest
from helpers.waiting import wait_until

from aiperm_tui.agent.outbox import Outbox
from aiperm_tui.agent.process import AgentCallbacks, AgentExit, AgentLine, AgentProcess

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]
# Echoes each stdin line back prefixed, so it is chatter (not a request) on our side.
ECHO = [
    sys.executable,
    "-c",
    "import sys\nfor line in sys.stdin:\n    print('got', line, end='', flush=True)",
]


def collecting() -> tuple[AgentCallbacks, queue.Queue[AgentLine], list[AgentExit]]:
    lines: queue.Queue[AgentLine] = queue.Queue()
    exits: list[AgentExit] = []
    return AgentCallbacks(on_line=lines.put, on_exit=exits.append), lines, exits


def drained(lines: queue.Queue[AgentLine]) -> list[AgentLine]:
    out = []
    while not lines.empty():
        out.append(lines.get_nowait())
    return out


@pytest.mark.timeout(30)
def test_sending_to_an_agent_that_never_reads_never_blocks_and_stops_it() -> None:
    callbacks, lines, _ = collecting()
    agent = AgentProcess(SLEEPER, callbacks, outbox_bytes=256 * 1024, stall_seconds=1.0)
    agent.start()
    reply = {"type": "result", "stdout": "x" * 1000}
    started = time.monotonic()
    sent = [agent.send(reply) for _ in range(5000)]  # 5 MB against 64 KiB + 256 KiB
    assert time.monotonic() - started < 2.0
    assert sent[0] and not sent[-1]  # the first ones fit, later ones are refused whole
    assert agent._outbox is not None and agent._outbox.pending_bytes <= 256 * 1024
    exit_ = agent.wait(timeout=15)
    assert exit_ is not None and exit_.terminated  # stopped for not reading
    notices = [line.text for line in drained(lines) if line.kind == "notice"]
    assert len(notices) == 2, notices  # one "dropped" notice, one "stopping it"
    assert "does not read its stdin" in notices[0] and "stopping it" in notices[1]


@pytest.mark.timeout(30)
def test_an_agent_that_reads_gets_every_reply_in_order() -> None:
    callbacks, lines, _ = collecting()
    agent = AgentProcess(ECHO, callbacks)
    agent.start()
    try:
        for i in range(2000):  # more than the pipe holds: the writer thread drains it
            assert agent.send({"n": i, "pad": "y" * 200})
        got: list[str] = []
        deadline = time.monotonic() + 20
        while len(got) < 2000 and time.monotonic() < deadline:
            try:
                got.append(lines.get(timeout=0.5).text)
            except queue.Empty:
                continue
        assert [int(t.split('"n":')[1].split(",")[0]) for t in got] == list(range(2000))
    finally:
        agent.terminate()


@pytest.mark.timeout(30)
def test_close_while_the_pipe_is_full_does_not_hang() -> None:
    read_fd, write_fd = os.pipe()
    outbox = Outbox(os.fdopen(write_fd, "wb", buffering=0), limit_bytes=1 << 20)
    outbox.start()
    assert outbox.put(b"z" * 500_000)  # far more than the pipe takes
    # the writer has filled the pipe, and blocks writing the rest
    wait_until(lambda: outbox.pending_bytes < 500_000, "the writer never wrote")
    started = time.monotonic()
    outbox.close()
    assert not outbox.put(b"late\n")
    outbox._thread.join(5)
    assert not outbox._thread.is_alive() and time.monotonic() - started < 1.0
    os.close(read_fd)


@pytest.mark.timeout(30)
def test_an_agent_that_closed_its_stdin_is_not_written_to() -> None:
    read_fd, write_fd = os.pipe()
    outbox = Outbox(os.fdopen(write_fd, "wb", buffering=0))
    outbox.start()
    os.close(read_fd)  # EPIPE on the next write (Python ignores SIGPIPE)
    outbox.put(b"first\n")
    outbox._thread.join(5)
    assert not outbox._thread.is_alive() and not outbox.put(b"second\n")


@pytest.mark.timeout(30)
def test_many_threads_sending_at_once_never_wait_for_the_agent() -> None:
    callbacks, _, _ = collecting()
    agent = AgentProcess(SLEEPER, callbacks, outbox_bytes=64 * 1024)
    agent.start()
    try:
        times: list[float] = []

        def send_many() -> None:
            for _ in range(500):
                t0 = time.monotonic()
                agent.send({"type": "decision", "pad": "p" * 500})
                times.append(time.monotonic() - t0)

        threads = [threading.Thread(target=send_many) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert len(times) == 2000 and max(times) < 0.5
    finally:
        agent.terminate()


@pytest.mark.timeout(30)
def test_refusals_before_the_writer_fills_the_pipe_still_end_a_stalled_agent() -> None:
    """The race CI met under load: every refusal happened before the writer thread had
    filled the pipe, and the writes that followed used to clear the stall clock."""
    read_fd, write_fd = os.pipe()
    stalls: list[float] = []
    outbox = Outbox(
        os.fdopen(write_fd, "wb", buffering=0),
        limit_bytes=256 * 1024,
        stall_seconds=0.5,
        on_stall=lambda: stalls.append(time.monotonic()),
    )
    sent = [outbox.put(b"r" * 1000) for _ in range(400)]  # writer not started yet
    assert sent[0] and not sent[-1]
    outbox.start()  # now it writes 64 KiB into the pipe, then nothing: nobody reads
    wait_until(lambda: stalls, "no stall was reported")
    outbox.close()
    os.close(read_fd)
    assert len(stalls) == 1
