"""Security review regressions in the broker: typed codes the agent cannot compute, an
edit that stays typed-level, a cancel that lands between the stop check and the start of
the next action, and remembered rules written durably."""

from __future__ import annotations

import base64
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from helpers.broker_fakes import Events, LocalPool, quiet_recorder

from aiperm_tui import paths
from aiperm_tui.broker import Broker, WrongCode, rules
from aiperm_tui.policy import PolicyEngine


def _second_broker(harness: Any, tmp_path: Path) -> Broker:
    """Another broker run of the same session id (e.g. the agent's guess from the
    discovery file), with its own recorder."""
    return Broker(
        harness.config,
        PolicyEngine(harness.config),
        LocalPool(harness.pool.root),
        quiet_recorder(tmp_path / "other"),
        listener=Events(),
        session_id=harness.broker.session_id,
    )


def test_challenge_code_is_keyed_per_broker_and_bound_to_the_command(
    harness, tmp_path: Path
) -> None:
    first = harness.submit("rm -rf old", "rm -rf old2", strategy="best_effort")
    other = _second_broker(harness, tmp_path)
    try:
        second = other.submit(_plan("rm -rf old"), lambda _m: None)
        assert second is not None
        mine, theirs = harness.broker.challenge(first, 0), other.challenge(second, 0)
        assert mine is not None and theirs is not None
        assert mine != theirs  # same session id, same command: the secret decides
        assert mine != harness.broker.challenge(first, 1)  # and so does the command
        with pytest.raises(WrongCode):
            harness.broker.approve(first, 0, code=theirs)
    finally:
        other.shutdown()
        other._recorder.close()


def _plan(*cmds: str) -> Any:
    from aiperm_tui.agent import protocol

    return protocol.parse_plan({"actions": [{"cmd": c} for c in cmds]})


def test_neither_the_code_nor_the_secret_leaves_the_broker(harness) -> None:
    (harness.pool.root / "old").mkdir()
    pid = harness.submit("rm -rf old")
    code = harness.broker.challenge(pid, 0)
    harness.broker.approve(pid, 0, code=code)
    assert harness.finish(pid).status == "ok"
    harness.recorder.close()
    secret = harness.broker._challenge_secret
    log = b"".join(f.read_bytes() for f in harness.recorder.path.rglob("*") if f.is_file())
    sent = json.dumps(harness.replies)
    for text in (code, secret.hex(), base64.b64encode(secret).decode()):
        assert text not in sent and text.encode() not in log
    assert secret not in log


def test_edit_that_stays_typed_waits_for_the_new_code_instead_of_failing(harness) -> None:
    (harness.pool.root / "old2").mkdir()
    pid = harness.submit("rm -rf old")
    old_code = harness.broker.challenge(pid, 0)
    view = harness.broker.approve(pid, 0, edited="rm -rf old2")  # no WrongCode
    assert (view.state, view.needs, view.edited) == ("pending", "typed", "rm -rf old2")
    assert [e["cmd"] for e in harness.events("decision")] == ["rm -rf old", "rm -rf old2"]
    assert harness.events("approval") == [] and harness.sent("decision") == []
    new_code = harness.broker.challenge(pid, 0)
    assert new_code != old_code
    with pytest.raises(WrongCode):
        harness.broker.approve(pid, 0, code=old_code)  # the code of the old text
    harness.broker.approve(pid, 0, code=new_code)
    assert harness.finish(pid).status == "ok" and not (harness.pool.root / "old2").exists()
    (approval,) = harness.events("approval")
    assert (approval["cmd"], approval["original"]) == ("rm -rf old2", "rm -rf old")


class _CancelAfterCheck(threading.Event):
    """The plan's stop flag: the first time the host worker reads it, a cancel is sent
    from another thread, so it lands right after the check."""

    def __init__(self, broker: Broker) -> None:
        super().__init__()
        self.broker, self.plan_id = broker, ""
        self.canceller: threading.Thread | None = None

    def is_set(self) -> bool:
        value = super().is_set()
        if self.canceller is None and threading.current_thread().name.startswith("broker-"):
            self.canceller = threading.Thread(target=self.broker.cancel, args=(self.plan_id,))
            self.canceller.start()
        return value


def test_cancel_right_after_the_stop_check_still_stops_the_action(harness, monkeypatch) -> None:
    """Before the fix the worker checked `stop`, released the lock and then marked the
    action running; a cancel in between skipped only pending actions and the approved
    one ran uncancelled."""
    pid = harness.submit("mkdir made")
    stop = _CancelAfterCheck(harness.broker)
    stop.plan_id = pid
    harness.broker._plans[pid].stop = stop
    execute = harness.broker._execute
    cancelled_at_start: list[bool] = []
    run = harness.pool.run

    def run_seen(host: str, command: str, sink: Any, **kw: Any) -> Any:
        cancelled_at_start.append(kw["cancel"].is_set())
        return run(host, command, sink, **kw)

    def execute_after_cancel(p: Any, a: Any) -> None:
        assert stop.canceller is not None
        stop.canceller.join(5)  # the cancel is done before the command starts
        execute(p, a)

    monkeypatch.setattr(harness.pool, "run", run_seen)
    monkeypatch.setattr(harness.broker, "_execute", execute_after_cancel)
    harness.broker.approve(pid, 0)
    view = harness.finish(pid)
    assert cancelled_at_start == [True]  # the cancel reached the command it was meant for
    assert view.state == "finished" and harness.events("plan_end")


def test_remembered_rules_reach_the_disk_before_and_after_the_rename(harness, monkeypatch) -> None:
    synced: list[str] = []
    fsync = os.fsync

    def seen(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", seen)
    config = rules.append_remembered(harness.config, "web1", "exact", "uptime")
    target = paths.remembered_rules_path(harness.config.path)
    assert config.rules[-1].pattern == "uptime" and "uptime" in target.read_text()
    assert [Path(p).parent for p in synced] == [target.parent, target.parent.parent]
    assert Path(synced[0]).name.startswith(".remembered-")  # the data, before the rename
    assert synced[1] == str(target.parent)  # then the folder holding the new name
