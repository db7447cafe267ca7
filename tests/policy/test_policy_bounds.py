"""The decision is total: bounded in time for any text, with bashlex (the second
opinion) in a worker process that is killed when it does not answer, and the two
parsers' disagreement reported as a finding."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.policy_timing import timed_decision

from aiperm_tui.config import Config
from aiperm_tui.policy import Decision, PolicyEngine, bashlex_worker, secondopinion
from aiperm_tui.policy.parse import parse

# name: (text, whether it must be gated); the harmless long lines are simply read.
PATHOLOGICAL = {
    "bashlex loop": ("echo a'\"${'", True),
    "bashlex loop, later in a list": ("ls -la; echo b'${x' && true", True),
    "1 MB of $(": ("$(" * 500_000, True),
    "16 KB line": ("echo " + "a " * 8190, False),
    "16 KB quoted": ("echo '" + "x" * 16370 + "'", False),
    # 910 read-only `ls $(id)`: within the parse bounds, so judged (not gated by size).
    "16 KB of substitutions and quotes": (("ls $(id) 'a' \"b\" " * 1000)[:16384], False),
    "500 nested $(": ("echo " + "$(" * 500 + "rm -rf /" + ")" * 500, True),
    "5000 nested (": ("(" * 5000 + "ls" + ")" * 5000, True),
    "3000 nested {": ("{ " * 3000 + "ls;" + " }" * 3000, True),
    "astral character after {": ("{\U000f2214", True),
}


@pytest.fixture
def ready_worker() -> Iterator[None]:
    """A started bashlex worker, so that a test times the decision and not the start
    of a Python process."""
    assert secondopinion.bashlex_argvs("echo 'warm'") == [["echo", "warm"]]
    yield


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_text_is_decided_in_under_a_second(ready_worker: None, name: str) -> None:
    cmd, gated = PATHOLOGICAL[name]
    decision, took = timed_decision(cmd)
    assert took.within(1.0), (name, took)
    assert not any(f.rule == "engine.error" for f in decision.findings)
    if gated:
        assert decision.decision == "deny" or decision.confirm in ("action", "typed")


@pytest.mark.timeout(30)
def test_a_second_parser_that_loops_is_killed_and_the_command_typed(
    ready_worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the pre-check, the known loop reaches the worker: the deadline kills it,
    the decision is typed 'could not be analysed', and the next command is answered by a
    new worker."""
    monkeypatch.setattr(secondopinion, "loops_bashlex", lambda src: False)
    looping = secondopinion._WORKER.proc
    decision, took = timed_decision("echo a'\"${'")
    assert took.within(1.0), took
    assert decision.confirm == "typed"
    assert any(
        f.rule == "parse.unanalysable" and "could not be analysed" in f.message
        for f in decision.findings
    )
    assert looping is not None and looping.poll() is not None  # killed, not abandoned
    assert secondopinion.bashlex_argvs("ls 'x'") == [["ls", "x"]]


@pytest.mark.timeout(30)
def test_the_lock_is_never_held_for_ever(
    ready_worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four threads deciding looping commands at once all get an answer, each after at
    most its turn: the engine (and the TUI holding it) cannot freeze on bashlex."""
    monkeypatch.setattr(secondopinion, "loops_bashlex", lambda src: False)
    engine = PolicyEngine(Config())
    answers: list[Decision] = []

    def decide(i: int) -> None:
        answers.append(engine.decide(f"echo a{i}'\"${{'"))

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(4)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert len(answers) == 4 and all(d.confirm == "typed" for d in answers)
    assert time.perf_counter() - start < 4 * (
        secondopinion.LOCK_DEADLINE + secondopinion.START_DEADLINE
    )


def test_the_worker_is_capped_and_gets_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIPERM_TEST_SECRET", "hunter2")
    monkeypatch.setenv("SSH_AUTH_SOCK", "/tmp/agent.sock")
    secondopinion._WORKER.kill()
    assert secondopinion.bashlex_argvs("echo 'x'") == [["echo", "x"]]
    proc = secondopinion._WORKER.proc
    assert proc is not None
    environ = Path(f"/proc/{proc.pid}/environ").read_bytes()
    assert b"hunter2" not in environ and b"SSH_AUTH_SOCK" not in environ
    limits = Path(f"/proc/{proc.pid}/limits").read_text()
    line = next(x for x in limits.splitlines() if x.startswith("Max address space"))
    assert str(512 * 1024 * 1024) in line
    assert os.getpgid(proc.pid) != os.getpgid(0)  # its own session: our signals are ours


def test_a_disagreement_on_what_runs_is_a_finding(engine: PolicyEngine) -> None:
    """bashlex reads `$(reboot)` inside single quotes in an assignment as a command;
    tree-sitter as text. What bash really does here is run it (PS4 is expanded by -x):
    the disagreement raises the confirmation whatever the judges say."""
    d = engine.decide("PS4='$(reboot)' bash -x -c ':'")
    assert d.confirm == "typed"
    assert any(f.rule == "parse.differential" and "reboot" in f.message for f in d.findings)


@pytest.mark.parametrize(
    "ours, theirs, expected",
    [
        ([["ls"]], [["ls"]], ([], [])),
        ([["ls"], ["id"]], [["ls"]], (["id"], [])),
        ([["ls"]], [["ls"], ["rm", "-rf", "/"]], ([], ["rm -rf /"])),
        ([["ssh", "-o", 'X=sh -c "a"']], [["ssh", "-o", "X=sh -c a"]], ([], [])),
        ([], [["a[$(reboot)]=1"]], ([], [])),
        ([["echo", 'a"b']], [["echo", "ab"]], (['echo a"b'], ["echo ab"])),
    ],
)
def test_what_counts_as_a_disagreement(
    ours: list[list[str]], theirs: list[list[str]], expected: tuple[list[str], list[str]]
) -> None:
    assert secondopinion.differ(ours, theirs) == expected


@pytest.mark.parametrize(
    "cmd, plain",
    [
        ("ls -la /var/log | grep x && df -h > out 2>&1", True),
        ("kubectl get pods -A", True),
        ("echo 'x'", True),
        ('grep -r "a b" .', True),
        ("echo 'a\"b'", False),
        ('echo "$x"', False),
        ("echo '$(id)'", False),
        ('echo "a!"', False),
        ("echo $HOME", False),
        ("time ls", False),
        ("ls # x", False),
        ("if true; then ls; fi", False),
        ("a=(1)", False),
        ("cat <<E", False),
        ("echo é", False),
        ("ls\\ x", False),
    ],
)
def test_only_plain_text_skips_the_second_opinion(cmd: str, plain: bool) -> None:
    assert secondopinion.is_plain(cmd) is plain


def test_plain_commands_never_start_the_worker() -> None:
    secondopinion._WORKER.kill()
    for cmd in ("ls -la", "git status", "kubectl get pods -n web | grep Running"):
        assert parse(cmd).complete
    assert secondopinion._WORKER.proc is None


def _in_a_new_worker_process(expression: str) -> object:
    """`expression` (over `w`, the worker module loaded as the worker runs it: from its
    file, without the package) evaluated in a new Python process, as JSON."""
    code = (
        "import importlib.util as u, json; "
        f"s = u.spec_from_file_location('w', {bashlex_worker.__file__!r}); "
        "w = u.module_from_spec(s); s.loader.exec_module(w); "
        f"print(json.dumps({expression}))"
    )
    out = subprocess.run(
        [sys.executable, "-P", "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    return json.loads(out)


@pytest.mark.timeout(120)
def test_the_shipped_bashlex_tables_are_what_bashlex_builds() -> None:
    """The tables the worker reads instead of building them (its start-up) are exactly
    those bashlex builds from its grammar, and the worker does use them."""
    shipped = json.loads(bashlex_worker.TABLES.read_text())
    assert _in_a_new_worker_process("w.build_tables()") == shipped
    assert _in_a_new_worker_process("w.import_bashlex()[1] is None") is True
    assert _in_a_new_worker_process("w.answer('a | b $(c)')") == {
        "argvs": [["a"], ["b", "$(c)"], ["c"]]
    }
