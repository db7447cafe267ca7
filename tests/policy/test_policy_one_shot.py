"""A one-shot `aiperm check -- CMD` asks bashlex in its own process (no worker start),
under the same bounds as the worker: the deadline, the address-space cap, and the same
answers."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from helpers.policy_corpus import PARTS, load_corpus

from aiperm_tui.policy import bashlex_worker, secondopinion


def _run_python(code: str) -> dict[str, object]:
    """`code` run in a new Python process (it prints one JSON object)."""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    value = json.loads(out.splitlines()[-1])
    assert isinstance(value, dict)
    return value


@pytest.mark.timeout(60)
def test_a_one_shot_check_reads_twice_without_starting_a_worker() -> None:
    """bashlex reads `$(reboot)` in the assignment as a command, tree-sitter as text: the
    differential is found in-process, and no worker process was started."""
    result = _run_python(
        textwrap.dedent(
            """
            import contextlib, io, json
            from aiperm_tui.cli import main
            from aiperm_tui.policy import secondopinion as s
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                code = main(["check", "--json", "--", "X='$(reboot)' ls"])
            print(json.dumps({
                "code": code,
                "decision": json.loads(out.getvalue()),
                "worker": s._WORKER.proc is not None,
            }))
            """
        )
    )
    decision = result["decision"]
    assert isinstance(decision, dict)
    assert any(f["rule"] == "parse.differential" for f in decision["findings"])
    assert decision["confirm"] == "typed"
    assert result["worker"] is False


@pytest.mark.timeout(60)
def test_a_looping_in_process_parse_is_interrupted_and_typed() -> None:
    """The known bashlex loop, let through: the timer stops it at the deadline, the
    command is typed "could not be analysed", bashlex is not asked in-process again
    (its state is not trusted after an interruption), and the limits are put back."""
    result = _run_python(
        textwrap.dedent(
            """
            import json, resource, signal, time
            from aiperm_tui.config import Config
            from aiperm_tui.policy import PolicyEngine, secondopinion as s
            s.loops_bashlex = lambda src: False
            limit = resource.getrlimit(resource.RLIMIT_AS)
            start = time.monotonic()
            with s.one_shot():
                local = s._IN_PROCESS
                d = PolicyEngine(Config()).decide("echo a'\\"${'")
            print(json.dumps({
                "took": time.monotonic() - start,
                "confirm": d.confirm,
                "messages": [f.message for f in d.findings],
                "broken": local.broken,
                "limit": resource.getrlimit(resource.RLIMIT_AS) == limit,
                "handler": signal.getsignal(signal.SIGALRM) == signal.SIG_DFL,
                "worker": s._WORKER.proc is not None,
            }))
            """
        )
    )
    took = result["took"]
    assert isinstance(took, float) and took < secondopinion.START_DEADLINE + 1.0
    assert result["confirm"] == "typed"
    messages = result["messages"]
    assert isinstance(messages, list)
    assert any("could not be analysed" in m and "did not answer" in m for m in messages)
    assert result["broken"] is True
    assert result["limit"] is True and result["handler"] is True
    assert result["worker"] is False


def test_the_in_process_parse_is_capped_in_memory() -> None:
    """Inside the bound, an allocation past the allowance fails (MemoryError, which
    bashlex's answer reads as "cannot read this"); after it the limit is as before."""
    before = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(MemoryError), secondopinion._bounded(5.0, 64 * 1024 * 1024):
        bytearray(256 * 1024 * 1024)
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_the_bound_never_loosens_a_tighter_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    tight = 8 * 1024 * 1024 * 1024  # 8 GiB: far above this process, below "unlimited"
    resource.setrlimit(resource.RLIMIT_AS, (tight, hard))
    try:
        with secondopinion._bounded(5.0, 64 * 1024 * 1024 * 1024):
            inside = resource.getrlimit(resource.RLIMIT_AS)[0]
        assert inside == tight
        assert resource.getrlimit(resource.RLIMIT_AS) == (tight, hard)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_the_bound_gives_back_a_timer_already_set() -> None:
    """pytest-timeout (and any caller) keeps its own SIGALRM timer and handler."""

    def theirs(_signum: int, _frame: object) -> None:
        raise AssertionError("their timer fired inside the bound")

    previous = signal.signal(signal.SIGALRM, theirs)
    try:
        timer = signal.setitimer(signal.ITIMER_REAL, 30.0)
        with secondopinion._bounded(1.0, 64 * 1024 * 1024):
            pass
        left, _ = signal.setitimer(signal.ITIMER_REAL, 0)
        assert 25.0 < left <= 30.0
        assert signal.getsignal(signal.SIGALRM) is theirs
    finally:
        signal.signal(signal.SIGALRM, previous)
        if timer[0] > 0:
            signal.setitimer(signal.ITIMER_REAL, *timer)


@pytest.mark.timeout(120)
def test_in_process_and_worker_read_the_corpus_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every corpus command that gets a second opinion gets the same one in-process as
    from the worker (so a hook's decision is the broker's). What is compared is the
    answer, not its speed: a loaded CI machine may take longer than a check's 0.3 s
    deadline on one of the thousands of commands, so the deadline is widened here."""
    monkeypatch.setattr(secondopinion, "DEADLINE", 5.0)
    commands = [
        c
        for c in dict.fromkeys(e.cmd for part in PARTS for e in load_corpus(part))
        if not secondopinion.is_plain(c) and not secondopinion.loops_bashlex(c) and len(c) <= 16384
    ]
    assert len(commands) > 100
    from_worker = [secondopinion._WORKER.ask(c) for c in commands]
    in_process = secondopinion._InProcess()
    deadline = time.monotonic() + 60
    for command, expected in zip(commands, from_worker, strict=True):
        assert in_process.ask(command) == expected, command
        assert time.monotonic() < deadline
    assert "bashlex" in sys.modules and bashlex_worker.TABLES.is_file()
