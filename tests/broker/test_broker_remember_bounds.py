"""Remembering a prefix through the Broker never lets a later dangerous command of the
same first word skip the preset's deny or typed confirmation, whether the rule is in the
running broker or read back from remembered.toml by a new one.

The pool here records commands and never executes them: without the bound, these tests
would otherwise run `rm -rf /` on the test machine."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.broker_fakes import Call, Harness, LocalPool, make_config, start_harness

from aiperm_tui.config import load_config
from aiperm_tui.ssh import ExecResult

# (an innocent action-level command to remember as a prefix, a later dangerous one,
#  what the preset alone says about the dangerous one)
CASES = [
    ("chmod 644 ./x", "chmod -R 777 /", "deny"),
    ("rm ./x", "rm -rf /", "deny"),
    ("sudo touch ./made", "sudo bash -c 'rm -rf /'", "deny"),
    ("ls -la > out.txt", "ls -la > /etc/passwd", "typed"),
    ("systemctl restart aiperm-test.service", "systemctl poweroff", "typed"),
]


class RecordingPool(LocalPool):
    """LocalPool's bookkeeping without running anything: every command "succeeds"."""

    def run(
        self,
        host: str,
        command: str,
        sink: Callable[[str, bytes], None],
        *,
        cancel: threading.Event | None = None,
        timeout: float | None = None,
    ) -> ExecResult:
        self.calls.append(Call(host, command, 0.0))
        return ExecResult(0, None, None, 0, 0, 0)


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    h = start_harness(make_config(tmp_path), RecordingPool(tmp_path), tmp_path / "sessions")
    yield h
    h.close()


def _remember_prefix(h: Harness, innocent: str) -> None:
    pid = h.submit(innocent)
    assert h.broker.plan(pid).actions[0].needs == "action"
    h.broker.remember(pid, 0, match="prefix")
    h.finish(pid)
    assert h.events("rule_added")[-1]["pattern"] == innocent.split()[0] + " "


def _never_runs_unattended(h: Harness, command: str, expected: str) -> None:
    """The dangerous command is denied by policy, or waits for a typed confirmation."""
    pid = h.submit(command)
    if expected == "deny":
        view = h.finish(pid)
        assert (view.actions[0].state, view.actions[0].denied_by) == ("denied", "policy")
    else:
        view = h.broker.plan(pid)
        assert (view.state, view.actions[0].needs) == ("pending", "typed")
        h.broker.deny(pid)
        h.finish(pid)
    assert all(call.cmd != command for call in h.pool.calls)
    assert not [e for e in h.events("approval") if e["cmd"] == command]


@pytest.mark.parametrize(("innocent", "dangerous", "expected"), CASES)
def test_a_remembered_prefix_does_not_carry_a_dangerous_command(
    harness: Harness, innocent: str, dangerous: str, expected: str
) -> None:
    _remember_prefix(harness, innocent)
    _never_runs_unattended(harness, dangerous, expected)


@pytest.mark.parametrize(("innocent", "dangerous", "expected"), CASES)
def test_a_prefix_read_back_from_remembered_toml_is_bounded_too(
    harness: Harness, tmp_path: Path, innocent: str, dangerous: str, expected: str
) -> None:
    _remember_prefix(harness, innocent)
    config_file = Path(harness.config.path or "")
    config_file.write_text('default_host = "web1"\n[hosts.web1]\nhostname = "192.0.2.1"\n')
    config = load_config(config_file)
    assert [(r.origin, r.match) for r in config.rules] == [("remembered", "prefix")]
    fresh = start_harness(config, RecordingPool(tmp_path), tmp_path / "sessions2")
    try:
        _never_runs_unattended(fresh, dangerous, expected)
    finally:
        fresh.close()


def test_a_remembered_prefix_still_approves_a_routine_change(harness: Harness) -> None:
    _remember_prefix(harness, "chmod 644 ./x")
    view = harness.finish(harness.submit("chmod 600 ./y"))
    assert view.actions[0].approved_by == "rule"
    assert harness.events("approval")[-1]["rule"] == "rule:remembered:0"
    assert harness.pool.calls[-1].cmd == "chmod 600 ./y"
