"""Decisions say who made them: every approval and deny event carries `origin` and `via`,
every decision reply its `origin`; `aiperm run --yes` is a `cli_flag`, never `human`."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from helpers.broker_fakes import Harness, LocalPool, make_config

from aiperm_tui.agent.protocol import parse_plan
from aiperm_tui.cli.run import run_plan
from aiperm_tui.session import list_sessions, read_events


def origins(h: Harness, kind: str) -> list[tuple[Any, Any, Any]]:
    return [(e["by"], e["origin"], e["via"]) for e in h.events(kind)]


def replied(h: Harness) -> list[tuple[Any, Any]]:
    return [(m["decision"], m["origin"]) for m in h.sent("decision")]


@pytest.mark.timeout(30)
def test_rule_policy_and_system_origins(harness: Harness) -> None:
    harness.finish(harness.submit("echo hi") or "")
    harness.finish(harness.submit("rm -rf /", "echo never") or "")
    assert origins(harness, "approval") == [("rule", "rule", "preset:ops_safe")] * 2
    assert origins(harness, "deny") == [
        ("policy", "policy", "preset:ops_safe"),
        ("system", "system", None),
    ]
    assert replied(harness) == [("allow", "rule"), ("deny", "policy"), ("deny", "system")]


@pytest.mark.timeout(30)
def test_human_origins_carry_how_the_operator_answered(harness: Harness) -> None:
    pid = harness.submit("mkdir a", "mkdir b", strategy="best_effort") or ""
    harness.broker.approve(pid, 0, via="key a: approve")
    harness.broker.deny(pid, 1, "no", via="key d: deny")
    harness.finish(pid)
    assert origins(harness, "approval") == [("human", "human", "key a: approve")]
    assert origins(harness, "deny") == [("human", "human", "key d: deny")]
    assert replied(harness) == [("allow", "human"), ("deny", "human")]
    assert harness.broker.plan(pid).actions[0].origin is not None


@pytest.mark.timeout(30)
def test_a_remembered_rule_is_a_grant_and_batch_is_batch(harness: Harness) -> None:
    first = harness.submit("mkdir cache") or ""
    harness.broker.remember(first, 0, via="key r: remember")
    harness.finish(first)
    harness.finish(harness.submit("mkdir cache") or "")
    batch = harness.submit("echo plan a") or ""
    harness.broker.approve_batch(via="key A: approve_all")
    harness.finish(batch)
    (human, grant, batched) = harness.events("approval")
    assert (human["origin"], human["via"]) == ("human", "key r: remember")
    assert grant["origin"] == "grant" and grant["via"].startswith("rule:remembered:")
    assert grant["by"] == "rule" and grant["rule"] == grant["via"]
    assert (batched["by"], batched["origin"], batched["via"]) == (
        "batch",
        "batch",
        "key A: approve_all",
    )


@pytest.mark.timeout(60)
def test_run_yes_is_recorded_as_cli_flag_not_human(tmp_path: Path) -> None:
    box = tmp_path / "box"
    box.mkdir()
    plan = parse_plan({"host": "web1", "actions": [{"cmd": "echo plan a"}]}, source="plan")
    code = run_plan(
        make_config(tmp_path),
        plan,
        terminal=None,
        yes=True,
        pool=LocalPool(box),
        out=io.StringIO(),
        err=io.StringIO(),
    )
    assert code == 0
    events = list(read_events(list_sessions()[-1].path))
    (approval,) = [e for e in events if e["type"] == "approval"]
    assert (approval["by"], approval["origin"], approval["via"]) == (
        "cli_flag",
        "cli_flag",
        "--yes",
    )
