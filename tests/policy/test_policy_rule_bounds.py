"""Prefix and glob rules are bounded by the preset: they never skip a deny, a typed
confirmation or a jail break; confirm/deny rules only tighten; exact rules win.

The dangerous commands are the ones a security review ran with no human after an
operator had remembered an innocent command of the same first word."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiperm_tui.config import Config, HostConfig, Rule, load_config
from aiperm_tui.policy import PolicyEngine

# (prefix the operator allowed, a command it must not let through unbounded)
ESCAPES = [
    ("chmod ", "chmod -R 777 /"),
    ("rm ", "rm -rf /"),
    ("sudo ", "sudo bash -c 'rm -rf /'"),
    ("ls ", "ls -la > /etc/passwd"),
    ("systemctl ", "systemctl poweroff"),
    ("git ", "git reset --hard"),
]


def _baseline(command: str, **kw: object) -> tuple[str, str]:
    d = PolicyEngine(Config(**kw)).decide(command)  # type: ignore[arg-type]
    return d.decision, d.confirm


def _allow_toml(match: str, pattern: str) -> str:
    return f'[[rules]]\naction = "allow"\nmatch = "{match}"\npattern = "{pattern}"\n'


@pytest.mark.parametrize(("prefix", "command"), ESCAPES)
@pytest.mark.parametrize("match", ["prefix", "glob"])
@pytest.mark.parametrize("origin", ["config", "remembered"])
def test_prefix_or_glob_allow_keeps_the_presets_deny_and_typed_level(
    prefix: str, command: str, match: str, origin: str
) -> None:
    pattern = prefix if match == "prefix" else prefix + "*"
    rules = (Rule("allow", match, pattern, origin=origin),)  # type: ignore[arg-type]
    d = PolicyEngine(Config(rules=rules)).decide(command)
    base = _baseline(command)
    assert base[0] == "deny" or base[1] == "typed"  # the examples are all dangerous
    assert (d.decision, d.confirm) == base
    assert d.layer.startswith("preset:")


@pytest.mark.parametrize(("prefix", "command"), ESCAPES)
@pytest.mark.parametrize("where", ["config", "remembered"])
def test_rules_read_from_config_and_remembered_files_are_bounded(
    tmp_path: Path, prefix: str, command: str, where: str
) -> None:
    config_file = tmp_path / "config.toml"
    rules = _allow_toml("prefix", prefix) + _allow_toml("glob", prefix + "*")
    config_file.write_text(rules if where == "config" else "")
    if where == "remembered":
        (tmp_path / "remembered.toml").write_text(rules)
    config = load_config(config_file)
    assert {r.origin for r in config.rules} == {where}
    d = PolicyEngine(config).decide(command)
    assert (d.decision, d.confirm) == _baseline(command)


def test_prefix_allow_still_lowers_a_routine_change_it_covers() -> None:
    e = PolicyEngine(Config(rules=(Rule("allow", "prefix", "chmod ", origin="remembered"),)))
    assert _baseline("chmod 600 ./y") == ("allow", "action")
    d = e.decide("chmod 600 ./y")
    assert (d.decision, d.confirm, d.layer) == ("allow", "none", "rule:remembered:0")
    assert e.decide("chmod -R 777 /").decision == "deny"


def test_prefix_allow_cannot_cross_the_jail() -> None:
    hosts = {"j": HostConfig(name="j", jail_root="/srv/app")}
    e = PolicyEngine(Config(hosts=hosts, rules=(Rule("allow", "prefix", "touch "),)))
    out = e.decide("touch /etc/cron.d/x", host="j")
    assert (out.decision, out.layer) == ("deny", "jail")
    assert e.decide("touch notes.txt", host="j").layer == "rule:config:0"


def test_prefix_allow_cannot_override_read_only() -> None:
    e = PolicyEngine(Config(preset="read_only", rules=(Rule("allow", "prefix", "systemctl "),)))
    d = e.decide("systemctl restart nginx")
    assert (d.decision, d.layer) == ("deny", "preset:read_only")
    assert e.decide("systemctl status nginx").decision == "allow"


def test_prefix_allow_does_not_cover_hidden_characters() -> None:
    e = PolicyEngine(Config(rules=(Rule("allow", "prefix", "echo "),)))
    d = e.decide("echo hi\u202e")
    assert d.confirm == "typed" and d.layer.startswith("preset:")


@pytest.mark.parametrize("match", ["prefix", "glob"])
def test_confirm_rules_only_tighten(match: str) -> None:
    pattern = "rm " if match == "prefix" else "rm *"
    e = PolicyEngine(Config(rules=(Rule("confirm", match, pattern, confirm="plan"),)))  # type: ignore[arg-type]
    assert e.decide("rm -rf /").decision == "deny"
    assert e.decide("rm old.log").confirm == "action"  # not lowered to plan
    assert e.decide("rm --help").confirm == "plan"  # raised from none
    typed = PolicyEngine(
        Config(rules=(Rule("confirm", match, pattern.replace("rm", "ls"), confirm="typed"),))
    )  # type: ignore[arg-type]
    assert typed.decide("ls -la").confirm == "typed"


def test_deny_rules_always_deny() -> None:
    e = PolicyEngine(Config(rules=(Rule("deny", "prefix", "ls "),)))
    d = e.decide("ls -la")
    assert (d.decision, d.layer) == ("deny", "rule:config:0")


def test_exact_rules_keep_the_operators_meaning() -> None:
    e = PolicyEngine(Config(rules=(Rule("allow", "exact", "systemctl poweroff"),)))
    d = e.decide("systemctl poweroff")
    assert (d.decision, d.confirm, d.layer) == ("allow", "none", "rule:config:0")
    assert e.decide("systemctl poweroff --force").layer.startswith("preset:")
