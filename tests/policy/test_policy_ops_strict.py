"""The ops_strict preset: ops_safe, except that a command no rule describes asks for the
typed code instead of a plain yes (a hostile agent's easiest way past a plain yes is a tool
the engine does not know). Everything the engine knows keeps its ops_safe level."""

from __future__ import annotations

import pytest

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())


@pytest.mark.parametrize(
    "command",
    [
        "zztool frob web1",  # an unknown tool, an unknown verb
        "zzboot set bootcmd 'run recovery'",
        "zzagent sync web1",
        "sudo zztool frob web1",  # behind a wrapper
        "ls /srv && zztool frob web1",  # one unknown command on a line
    ],
)
def test_an_unknown_command_asks_for_the_typed_code(command: str) -> None:
    safe = ENGINE.decide(command, preset="ops_safe")
    strict = ENGINE.decide(command, preset="ops_strict")
    assert safe.confirm == "action" and "unknown.command" in {f.rule for f in safe.findings}
    assert strict.allowed and strict.confirm == "typed"
    assert strict.layer == "preset:ops_strict" and "(ops_strict: typed)" in strict.reason


@pytest.mark.parametrize(
    "command",
    [
        "ls -la /var/log",  # a known read
        "zztool status",  # an unknown tool's read verb: the convention still holds
        "systemctl restart nginx",  # a known routine change
        "rm -rf /var/www/old",  # a known destroy
        "cat /etc/shadow",  # a credential read
    ],
)
def test_what_the_engine_knows_keeps_its_ops_safe_level(command: str) -> None:
    safe = ENGINE.decide(command, preset="ops_safe")
    strict = ENGINE.decide(command, preset="ops_strict")
    assert (strict.allowed, strict.confirm) == (safe.allowed, safe.confirm)


def test_a_denied_line_stays_denied() -> None:
    """ops_strict only raises a plain yes: a catastrophic line with an unknown tool on it
    is still denied, not offered a code."""
    line = "zztool frob web1; rm -rf --no-preserve-root /"
    assert not ENGINE.decide(line, preset="ops_safe").allowed
    assert not ENGINE.decide(line, preset="ops_strict").allowed


def test_read_only_still_denies_unknown_commands() -> None:
    decision = ENGINE.decide("zztool frob web1", preset="read_only")
    assert not decision.allowed
