"""The JSON-Lines agent protocol: parsing plans, chatter, errors, reply shapes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiperm_tui.agent import protocol
from aiperm_tui.agent.protocol import ProtocolError, parse_line, parse_plan
from aiperm_tui.policy import Decision, Risk


def test_full_plan() -> None:
    line = json.dumps(
        {
            "type": "plan",
            "id": "p7",
            "host": "web1",
            "goal": "free disk",
            "strategy": "best_effort",
            "source": "claude",
            "actions": [{"cmd": "du -sh /var/log"}, {"cmd": "df -h"}],
        }
    )
    plan = parse_line(line)
    assert plan == protocol.Plan(
        "p7",
        "web1",
        "free disk",
        "best_effort",
        (protocol.Action("du -sh /var/log"), protocol.Action("df -h")),
        "agent",
        "claude",
    )


def test_type_may_be_omitted_when_actions_present_and_defaults_apply() -> None:
    plan = parse_line('  {"actions": [{"cmd": "ls"}]}  ', source="plan")
    assert plan is not None
    assert (plan.id, plan.host, plan.goal, plan.strategy, plan.source) == (
        "",
        None,
        "",
        "fail_fast",
        "plan",
    )


@pytest.mark.parametrize(
    "line", ["hello", "", "   ", "[1, 2]", '"{x}"', "42", "null", "thinking about {it}"]
)
def test_chatter(line: str) -> None:
    assert parse_line(line) is None


@pytest.mark.parametrize("line", ['{"actions": [', "{bad json}", '{"a": 1} trailing'])
def test_bad_json_is_code_4(line: str) -> None:
    with pytest.raises(ProtocolError) as info:
        parse_line(line)
    assert info.value.code == 4 and info.value.exit_code == 4


@pytest.mark.parametrize(
    "obj,needle",
    [
        ({"id": "p1", "actions": [{"cmd": ""}]}, "empty command"),
        ({"id": "p1", "actions": [{"cmd": "  \t"}]}, "empty command"),
        ({"id": "p1", "actions": [{"cmd": "ls"}] * 33}, "at most 32"),
        ({"id": "p1", "actions": []}, "1 to 32"),
        ({"id": "p1", "actions": "ls"}, "1 to 32"),
        ({"id": "p1", "actions": [{"cmd": 3}]}, "actions[0].cmd"),
        ({"id": "p1", "actions": ["ls"]}, "actions[0].cmd"),
        ({"id": "p1", "strategy": "yolo", "actions": [{"cmd": "ls"}]}, "strategy"),
        ({"id": "p1", "host": 5, "actions": [{"cmd": "ls"}]}, "host"),
        ({"id": "p1", "goal": ["x"], "actions": [{"cmd": "ls"}]}, "goal"),
        ({"id": "p1", "type": "hello"}, "unknown message type"),
        ({"id": "p1"}, "not a request"),
    ],
)
def test_bad_shape_is_code_5_with_the_id(obj: dict, needle: str) -> None:
    with pytest.raises(ProtocolError) as info:
        parse_line(json.dumps(obj))
    assert info.value.code == 5 and info.value.id == "p1" and needle in info.value.message


def test_bad_id_type_has_no_id() -> None:
    with pytest.raises(ProtocolError) as info:
        parse_plan({"id": 7, "actions": [{"cmd": "ls"}]})
    assert info.value.code == 5 and info.value.id is None


def test_32_actions_is_fine_and_unknown_fields_are_ignored() -> None:
    plan = parse_plan({"actions": [{"cmd": "ls", "why": 1}] * 32, "extra": {"x": 1}})
    assert len(plan.actions) == 32


def test_parse_plan_rejects_non_objects_as_bad_json() -> None:
    with pytest.raises(ProtocolError) as info:
        parse_plan([1])
    assert info.value.code == 4


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
plan_like = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["plan", "x"]) | json_values,
        "id": st.text() | json_values,
        "host": st.text() | json_values,
        "strategy": st.sampled_from(list(protocol.STRATEGIES)),
        "actions": st.lists(st.fixed_dictionaries({"cmd": st.text()}) | json_values, max_size=40),
    },
)


@settings(max_examples=400, deadline=None)
@given(st.text() | plan_like.map(json.dumps) | json_values.map(json.dumps))
def test_fuzz_parse_line_raises_only_protocol_errors(line: str) -> None:
    try:
        plan = parse_line(line)
    except ProtocolError as exc:
        assert exc.code in (4, 5) and exc.message
        return
    if plan is not None:
        assert 1 <= len(plan.actions) <= 32 and all(a.cmd.strip() for a in plan.actions)
        assert plan.strategy in protocol.STRATEGIES


DECISION = Decision(
    "allow",
    "typed",
    "preset:ops_safe",
    "recursive delete",
    Risk(70, "tree"),
    ("rm", "-rf", "/x"),
    (),
    ("mv /x /x.bak",),
)


def test_reply_builders_match_design() -> None:
    allow = protocol.decision("p7", 0, "allow", DECISION)
    assert allow == {
        "type": "decision",
        "id": "p7",
        "action": 0,
        "decision": "allow",
        "confirm": "typed",
        "risk": {"score": 70, "blast_radius": "tree"},
        "reason": "recursive delete",
    }
    deny = protocol.decision("p7", 1, "deny", DECISION, reason="no", message="use mv")
    assert (deny["message"], deny["suggestions"], deny["reason"]) == (
        "use mv",
        ["mv /x /x.bak"],
        "no",
    )
    result = protocol.result(
        "p7",
        0,
        cmd="ls",
        edited=False,
        exit_status=0,
        stdout="a",
        stderr="",
        truncated=False,
        duration_ms=3,
    )
    assert set(result) == {
        "type",
        "id",
        "action",
        "cmd",
        "edited",
        "exit_status",
        "stdout",
        "stderr",
        "truncated",
        "duration_ms",
    }
    assert (
        protocol.result(
            "p7",
            0,
            cmd="x",
            edited=True,
            exit_status=None,
            stdout="",
            stderr="",
            truncated=False,
            duration_ms=1,
            error="timeout",
        )["error"]
        == "timeout"
    )
    assert protocol.plan_result("p7", "ok", 0) == {
        "type": "plan_result",
        "id": "p7",
        "status": "ok",
        "exit_code": 0,
    }
    assert protocol.error(None, 4, "bad") == {
        "type": "error",
        "id": None,
        "code": 4,
        "message": "bad",
    }
