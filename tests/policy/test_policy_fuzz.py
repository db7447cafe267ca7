"""Any string gives a valid Decision quickly: never an exception, spans in bounds, and
never a hang (each example has a hypothesis deadline, each test a hard timeout). The
pathological texts are in test_policy_bounds.py."""

from __future__ import annotations

import pytest
from helpers.fuzz import FUZZ_DEADLINE
from helpers.policy_timing import timed_decision
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiperm_tui.config import Config
from aiperm_tui.policy import CONFIRM_ORDER, Decision, PolicyEngine

ENGINE = PolicyEngine(Config())
PIECES = [
    *"ab rm-f/|&;()$`'\"\\<>{}[]*#\n\r\t=~!",
    "\u202e",
    "\u200b",
    "\x1b",
    "$(",
    "<<",
    "sh -c ",
    "$'",
    "${",
    "$((",
    "[[",
    "case ",
    "<<<",
    "find / -exec ",
    "| sh",
    "EOF\n",
    "<<EOF\n",
    " in ",
    "esac",
    "((",
    "))",
    "{a,b}",
    "f() ",
    "\U000f2214",
    "\x00",
]
SHELLISH = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def check(cmd: str) -> Decision:
    d = ENGINE.decide(cmd)
    assert d.decision in ("allow", "deny") and d.confirm in CONFIRM_ORDER
    assert 0 <= d.risk.score <= 100
    for f in d.findings:
        assert 0 <= f.span[0] <= f.span[1] <= len(cmd)
    assert Decision.from_dict(d.to_dict()) == d
    assert not any(f.rule == "engine.error" for f in d.findings), d.findings
    return d


@pytest.mark.timeout(300)
@settings(max_examples=300, deadline=FUZZ_DEADLINE, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120))
def test_any_text(cmd: str) -> None:
    check(cmd)


@pytest.mark.timeout(300)
@settings(max_examples=400, deadline=FUZZ_DEADLINE, suppress_health_check=[HealthCheck.too_slow])
@given(SHELLISH)
def test_shell_like_text(cmd: str) -> None:
    d = check(cmd)
    if "\u202e" in cmd or "\x1b" in cmd or "\r" in cmd:
        assert any(f.rule == "text.invisible" for f in d.findings)


def test_ten_kilobyte_command_answers_in_under_a_second() -> None:
    for cmd in (
        "echo " + "a " * 5000,
        "ls;" * 3400,
        "echo '" + "x" * 10240 + "'",
        "rm -rf /tmp/x " + "&& ls " * 1700,
    ):
        _, took = timed_decision(cmd)
        assert took.within(1.0), (cmd[:20], took)
        check(cmd)


def test_five_hundred_nested_substitutions_answer_in_under_a_second() -> None:
    for cmd in (
        "echo " + "$(" * 500 + "rm -rf /" + ")" * 500,
        "echo " + "`echo " * 50 + "x" + "`" * 50,
        "(" * 500 + "ls" + ")" * 500,
    ):
        d, took = timed_decision(cmd)
        assert took.within(1.0), (cmd[:20], took)
    d, _ = timed_decision("echo " + "$(" * 500 + "rm -rf /" + ")" * 500)
    assert d.decision == "deny" or d.confirm in ("action", "typed")
