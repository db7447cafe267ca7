"""The recorder under races and failures: close() against a command's end, a write to
output.bin that fails. Output never lands after its command's end, is a prefix of what
was given, and a failure is raised, never turned into a hang."""

from __future__ import annotations

import errno
import os
import random
import threading
from pathlib import Path

import pytest
from helpers.session_fixture import KEY, end_exec, recorded_output

from aiperm_tui.session import Recorder, read_events, verify_session
from aiperm_tui.session import recorder as recorder_mod


@pytest.mark.parametrize("seed", range(12))
def test_close_racing_a_commands_end_keeps_order_and_bytes(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    rec = Recorder.create(agent=["a"], hosts=["h"], preset="p", key=KEY, root=tmp_path)
    rec.batch_bytes = rng.choice([1, 512, 1 << 20])  # a batch per byte, ..., one batch
    sent = b"".join(bytes([65 + i % 26]) * rng.randint(1, 3000) for i in range(40))
    ended: list[int] = []

    def command() -> None:
        rec.event("exec_start", exec="x1", id="r1", action=0, host="h", cmd="c")
        for start in range(0, len(sent), 1000):
            rec.output("x1", "stdout", sent[start : start + 1000])
        ended.append(end_exec(rec, "x1"))

    worker = threading.Thread(target=command)
    worker.start()
    threading.Event().wait(rng.random() * 0.01)
    rec.close()
    worker.join(10)
    events = list(read_events(rec.path))
    types = [e["type"] for e in events if e.get("exec") == "x1"]
    if "exec_end" in types:
        assert types.index("exec_end") == len(types) - 1  # no output after the end
        assert ended == [next(e["seq"] for e in events if e["type"] == "exec_end")]
        assert recorded_output(rec.path)[("x1", "stdout")] == sent
    recorded = recorded_output(rec.path).get(("x1", "stdout"), b"")
    assert sent.startswith(recorded)  # whatever was taken before the close, in order
    assert verify_session(rec.path, KEY).ok


@pytest.mark.parametrize("close_first", [False, True])
def test_a_commands_end_waiting_on_the_lock_while_close_runs(
    tmp_path: Path, close_first: bool
) -> None:
    """Both queued behind the chain lock: whichever goes first, the open batch is sealed
    once, before the command's end if that is written at all."""
    rec = Recorder.create(agent=["a"], hosts=["h"], preset="p", key=KEY, root=tmp_path)
    rec.batch_bytes = 1 << 30  # open until the end or the close seals it
    rec.event("exec_start", exec="x1", id="r1", action=0, host="h", cmd="c")
    rec.output("x1", "stdout", b"the last words\n")
    ending = threading.Thread(target=end_exec, args=(rec, "x1"))
    closing = threading.Thread(target=rec.close)
    with rec._wlock:
        for thread in (closing, ending) if close_first else (ending, closing):
            thread.start()
            threading.Event().wait(0.1)  # queued on the lock
    ending.join(5)
    closing.join(5)
    assert recorded_output(rec.path) == {("x1", "stdout"): b"the last words\n"}
    types = [e["type"] for e in read_events(rec.path)]
    assert types[-2:] == ["session_end", "seal"] and types.count("output") == 1
    if "exec_end" in types:
        assert types.index("output") < types.index("exec_end")
    assert verify_session(rec.path, KEY).ok


def test_a_failed_write_raises_keeps_what_was_written_and_later_output_does_not_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Disk full mid-command: the batch written so far is sealed, an error event says where
    the output stops being recorded, and every later `output` raises at once."""
    rec = Recorder.create(agent=["a"], hosts=["h"], preset="p", key=KEY, root=tmp_path)
    rec.batch_bytes = 1 << 30  # one open batch
    real = os.writev

    def full_disk(fd: int, parts: list[bytes]) -> int:
        if fd == rec._out_fd:
            real(fd, [bytes(parts[0])[:2]])  # what still fit
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, parts)

    rec.output("x1", "stdout", b"a" * (1 << 20))
    monkeypatch.setattr(recorder_mod.os, "writev", full_disk)
    with pytest.raises(OSError, match="No space"):
        rec.output("x1", "stdout", b"lost")
    monkeypatch.setattr(recorder_mod.os, "writev", real)
    raised: list[BaseException] = []

    def more_output() -> None:
        try:
            rec.output("x2", "stdout", b"hello\n")
        except OSError as exc:
            raised.append(exc)

    later = threading.Thread(target=more_output)
    later.start()
    later.join(5)
    assert not later.is_alive(), "output() blocked after a failure"
    assert raised and "session log not written" in str(raised[0])
    end_exec(rec, "x1")
    rec.close()
    assert recorded_output(rec.path) == {("x1", "stdout"): b"a" * (1 << 20)}
    assert (rec.path / "output.bin").stat().st_size == 1 << 20  # the part write cut back
    errors = [e for e in read_events(rec.path) if e["type"] == "error"]
    assert len(errors) == 1 and errors[0]["exec"] == "x1"
    assert "No space left on device" in errors[0]["message"]
    assert verify_session(rec.path, KEY).ok  # what was written stays verifiable


def test_a_failed_seal_fails_the_recorder_and_loses_nothing_it_had(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """events.jsonl fails (half a line written, then EIO) as x2's first chunk seals x1's
    batch: x2's output raises and so does every later one, the half line is cut back,
    x1's batch stays open until a seal gets through, and the log verifies."""
    rec = Recorder.create(agent=["a"], hosts=["h"], preset="p", key=KEY, root=tmp_path)
    rec.output("x1", "stdout", b"rm -rf /important ... done\n")
    real, failures = os.writev, [1]

    def flaky(fd: int, parts: list[bytes]) -> int:
        if fd == rec._fd and failures[0]:
            failures[0] -= 1
            real(fd, parts[:1])  # half a line reaches the file
            raise OSError(errno.EIO, "Input/output error")
        return real(fd, parts)

    monkeypatch.setattr(recorder_mod.os, "writev", flaky)
    with pytest.raises(OSError, match="Input/output"):
        rec.output("x2", "stdout", b"x2 says hi\n")
    with pytest.raises(OSError, match="session log not written"):
        rec.output("x1", "stdout", b"more x1\n")
    rec.close()
    assert recorded_output(rec.path) == {("x1", "stdout"): b"rm -rf /important ... done\n"}
    errors = [e for e in read_events(rec.path) if e["type"] == "error"]
    assert [e["exec"] for e in errors] == ["x2"]
    assert "not recorded past here" in errors[0]["message"]
    assert verify_session(rec.path, KEY).ok


def test_a_ticker_that_cannot_start_leaves_a_recorder_that_still_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No thread to be had (a process at its limit): that output raises, the next one
    starts the ticker, and close() neither joins a thread that never ran nor leaks."""
    rec = Recorder.create(agent=["a"], hosts=["h"], preset="p", key=KEY, root=tmp_path)
    real_start = threading.Thread.start

    def no_thread(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", no_thread)
    with pytest.raises(RuntimeError):
        rec.output("x1", "stdout", b"first\n")
    monkeypatch.setattr(threading.Thread, "start", real_start)
    rec.output("x1", "stdout", b"second\n")
    rec.close()
    assert recorded_output(rec.path) == {("x1", "stdout"): b"second\n"}
    assert verify_session(rec.path, KEY).ok
