"""Presets, the jail, operator rules, the decision's JSON shape, challenge codes, cache."""

from __future__ import annotations

from aiperm_tui.config import Config, HostConfig, Rule
from aiperm_tui.policy import CONFIRM_ORDER, Decision, PolicyEngine, challenge_code
from aiperm_tui.policy.challenge import ALPHABET, matches


def engine(**kw: object) -> PolicyEngine:
    return PolicyEngine(Config(**kw))  # type: ignore[arg-type]


def test_read_only_preset_allows_reads_and_denies_the_rest_with_a_suggestion() -> None:
    e = engine()
    assert e.decide("ls -la", preset="read_only").decision == "allow"
    d = e.decide("systemctl restart nginx", preset="read_only")
    assert (d.decision, d.layer) == ("deny", "preset:read_only")
    assert d.suggestions == ("systemctl status nginx",)
    assert e.decide("ls; ;", preset="read_only").decision == "deny"  # not understood


def test_ops_safe_ladder() -> None:
    e = engine()
    assert e.decide("cat /etc/hosts").confirm == "none"
    assert e.decide("apt install nginx").confirm == "action"
    assert e.decide("git reset --hard").confirm == "typed"
    d = e.decide("rm -rf /")
    assert d.decision == "deny" and d.suggestions


def test_dev_sandbox_relaxes_writes_inside_the_jail_only() -> None:
    hosts = {"dev": HostConfig(name="dev", preset="dev_sandbox", jail_root="/srv/sandbox")}
    e = engine(hosts=hosts)
    inside = e.decide("touch notes.txt && rm -r build", host="dev")
    assert (inside.decision, inside.confirm, inside.layer) == (
        "allow",
        "plan",
        "preset:dev_sandbox",
    )
    assert e.decide("ls", host="dev").confirm == "none"
    outside = e.decide("echo x > /etc/motd", host="dev")
    assert (outside.decision, outside.layer) == ("deny", "jail")
    assert "/etc/motd" in outside.reason


def test_jail_follows_cd_and_refuses_unknowable_targets() -> None:
    hosts = {"j": HostConfig(name="j", jail_root="/srv/app")}
    e = engine(hosts=hosts)
    assert e.decide("cd /srv/app/sub && touch x", host="j").decision == "allow"
    assert e.decide("cd / && touch x", host="j").layer == "jail"
    assert e.decide("touch ../escape", host="j").layer == "jail"
    assert e.decide("touch $HOME/x", host="j").layer == "jail"
    assert e.decide("cat /etc/passwd", host="j").decision == "allow"


def test_rules_come_first_and_name_their_layer() -> None:
    rules = (
        Rule("deny", "prefix", "git push", reason="no pushes"),
        Rule("allow", "exact", "rm -rf /tmp/cache"),
        Rule("confirm", "glob", "docker *", confirm="typed"),
        Rule("allow", "prefix", "ls"),
        Rule("allow", "exact", "reboot", host="lab"),
    )
    e = engine(rules=rules)
    d = e.decide("git push origin main")
    assert (d.decision, d.layer, d.reason) == ("deny", "rule:config:0", "no pushes")
    assert e.decide("rm -rf /tmp/cache").layer == "rule:config:1"
    assert e.decide("rm -rf /tmp/cache").confirm == "none"
    assert e.decide("docker ps").confirm == "typed"
    assert e.decide("lsblk").layer.startswith("preset")  # prefix at a word boundary
    assert e.decide("reboot", host="lab").layer == "rule:config:4"
    assert e.decide("reboot", host="web").layer.startswith("preset")


def test_prefix_allow_cannot_carry_a_chained_command() -> None:
    e = engine(rules=(Rule("allow", "prefix", "ls"),))
    d = e.decide("ls /tmp; rm -rf /")
    assert d.decision == "deny" and d.layer == "preset:ops_safe"


def test_remembered_rules_are_named_by_origin() -> None:
    e = engine(rules=(Rule("allow", "exact", "make deploy", origin="remembered"),))
    assert e.decide("make deploy").layer == "rule:remembered:0"


def test_decision_json_shape_and_round_trip() -> None:
    d = engine().decide("sudo rm -rf /")
    data = d.to_dict()
    assert set(data) == {
        "decision",
        "confirm",
        "layer",
        "reason",
        "risk",
        "argv",
        "findings",
        "suggestions",
    }
    assert set(data["risk"]) == {"score", "blast_radius"}
    assert data["argv"] == ["sudo", "rm", "-rf", "/"]
    assert set(data["findings"][0]) == {"rule", "severity", "message", "span"}
    assert Decision.from_dict(data) == d
    assert 0 <= d.risk.score <= 100 and d.risk.blast_radius == "system"


def test_argv_only_for_a_single_simple_command() -> None:
    assert engine().decide("ls | wc -l").argv is None
    assert engine().decide("ls 'a b'").argv == ("ls", "a b")


def test_confirm_order() -> None:
    assert CONFIRM_ORDER == ("none", "plan", "action", "typed")


def test_challenge_codes_are_short_unambiguous_and_bound_to_command_session_and_key() -> None:
    key = b"k" * 32
    code = challenge_code("rm -rf /srv", "s1", key)
    assert len(code) == 6 and set(code) <= set(ALPHABET)
    assert not set("01OIL25SZB8") & set(ALPHABET)
    assert code == challenge_code("rm -rf /srv", "s1", key)
    assert code != challenge_code("rm -rf /srv ", "s1", key)
    assert code != challenge_code("rm -rf /srv", "s2", key)
    assert code != challenge_code("rm -rf /srv", "s1", b"j" * 32)
    assert matches(f" {code.lower()} ", "rm -rf /srv", "s1", key)
    assert not matches("ÄÄÄÄÄÄ", "rm -rf /srv", "s1", key)


def test_cache_serves_the_same_decision_and_keeps_presets_apart() -> None:
    e = engine()
    first = e.decide("systemctl restart nginx")
    assert e.decide("systemctl restart nginx") is first
    assert e.decide("systemctl restart nginx", preset="read_only").decision == "deny"


def test_engine_fails_closed_on_non_strings() -> None:
    d = engine().decide(None)  # type: ignore[arg-type]
    assert d.decision == "deny" and d.findings[0].rule == "engine.error"
