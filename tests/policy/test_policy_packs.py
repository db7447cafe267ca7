"""Rule packs: every example of every built-in rule and tool table, the format's errors,
operator packs.

Each rule carries commands that must match it and commands that must not, and each
subcommand table commands that must be decided at each of its levels; they run here
through the real engine, so knowledge that stops matching its own examples fails the suite.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest
from helpers.fuzz import FUZZ_DEADLINE
from helpers.policy_corpus import rules_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiperm_tui.cli.rules import check_table_examples
from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine
from aiperm_tui.policy.packs import (
    PackError,
    PackRule,
    builtin_packs,
    operator_packs,
    parse_pack,
    scan_names,
    scan_read_only,
)

RULES = builtin_packs().all_rules()
TOOLS = builtin_packs().tools()
TABLES = sorted(name for name, tool in TOOLS.items() if tool.table)
ENGINE = PolicyEngine(Config())
FOLDER = resources.files("aiperm_tui.policy") / "packs"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_example_matches_and_no_counter_example_does(rule: PackRule) -> None:
    for example in rule.examples:
        assert rule.id in rules_of(ENGINE, example), f"{rule.id} misses its example {example!r}"
    for counter in rule.counter_examples:
        assert rule.id not in rules_of(ENGINE, counter), f"{rule.id} matches {counter!r}"


@pytest.mark.parametrize("rule", [r for r in RULES if r.effect != "none"], ids=lambda r: r.id)
def test_a_danger_rule_needs_at_least_its_severity(rule: PackRule) -> None:
    """A rule's severity is a floor: the decision on its example is never laxer."""
    ladder = ("none", "plan", "action", "typed")
    need = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 3}[rule.severity]
    for example in rule.examples:
        d = ENGINE.decide(example)
        got = 3 if d.decision == "deny" else ladder.index(d.confirm)
        assert got >= need, f"{rule.id}: {example!r} -> {d.decision}/{d.confirm}"


def test_every_builtin_pack_is_strictly_valid() -> None:
    """The engine compiles built-in patterns lazily; here every one is compiled."""
    for entry in FOLDER.iterdir():
        if entry.name.endswith(".toml"):
            parse_pack(entry.read_text(encoding="utf-8"), entry.name, builtin=True)


def test_scan_finds_every_name() -> None:
    """The cheap scan that decides which pack to parse sees what the parser sees."""
    for entry in FOLDER.iterdir():
        if not entry.name.endswith(".toml"):
            continue
        text = entry.read_text(encoding="utf-8")
        rules, tools = parse_pack(text, entry.name, builtin=True)
        parsed = {n for r in rules for n in r.commands} | set(tools)
        assert scan_names(text) | scan_read_only(text) == parsed, entry.name
        assert scan_read_only(text) == {n for n, t in tools.items() if t.read_only}, entry.name


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", TABLES)
def test_every_tool_table_example_is_decided_at_its_level(name: str) -> None:
    assert check_table_examples(ENGINE, {name: TOOLS[name]}) == []


@pytest.mark.parametrize("name", TABLES)
def test_every_table_shows_a_read_and_a_change(name: str) -> None:
    table = TOOLS[name].table
    assert table is not None
    levels = {level for level, _ in table.examples}
    assert "read" in levels and levels - {"read"}, f"{name}: examples at {sorted(levels)}"


def test_a_wrong_table_example_is_reported() -> None:
    """The check itself can fail: an example at the wrong level is named."""
    _rules, tools = parse_pack(
        '[tools.snap]\nread = ["list"]\nexamples.read = ["snap remove hello"]\n',
        "mine.toml",
        builtin=False,
    )
    (failure,) = check_table_examples(ENGINE, tools)
    assert "mine.toml: tools.snap" in failure and "decided action" in failure


def test_rule_ids_are_unique_across_packs() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


def test_each_family_has_its_pack() -> None:
    names = {e.name for e in FOLDER.iterdir()}
    for family in (
        "coreutils",
        "git",
        "containers",
        "kubernetes",
        "databases",
        "cloud",
        "packages",
        "network",
        "shell",
    ):
        assert f"{family}.toml" in names
        assert tomllib.loads((FOLDER / f"{family}.toml").read_text(encoding="utf-8"))["rules"]


GOOD = """
[[rules]]
id = "x.one"
commands = ["x"]
effect = "write"
message = "writes"
examples = ["x a"]
"""


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("rules = [", "not valid TOML"),
        ("[[rules]]\nid = 'Bad Id'", "'id' must be"),
        (GOOD.replace('effect = "write"', 'effect = "explode"'), "'effect' must be one of"),
        (GOOD.replace('examples = ["x a"]', ""), "needs at least one example"),
        (GOOD.replace('message = "writes"', ""), "'message'"),
        (GOOD + 'args = "("\n', "not a valid regular expression"),
        (GOOD + 'colour = "red"\n', "unknown keys colour"),
        (GOOD + 'payload = "option"\n', "needs the 'options'"),
        (GOOD + 'payload = "value"\nargs = "x"\n', "(?P<payload"),
        (GOOD + "[tools.x]\nmetadata = 1\n", "'metadata' must be true or false"),
        ("[other]\na = 1\n", "unknown top-level keys other"),
        ("read_only = [1]\n", "'read_only' must be"),
        ('[tools.x]\nread = ["a"]\nhigh = ["a"]\n', "'a' is listed as both read and high"),
        ('[tools.x]\nread = ["a"]\n', "needs 'examples'"),
        ('[tools.x]\nread = ["a"]\nexamples.maybe = ["x a"]\n', "'examples' must map a level"),
        ('[tools.x]\nbare = "maybe"\n', "'bare' must be one of"),
        ('[tools.x]\nvital = "("\n', "'vital' is not a valid regular expression"),
        ("[tools.x]\nexplain.a = 1\n", "'explain' must map"),
    ],
)
def test_a_broken_pack_names_file_rule_and_problem(text: str, problem: str) -> None:
    with pytest.raises(PackError) as info:
        parse_pack(text, "mine.toml", builtin=False)
    message = str(info.value)
    assert message.startswith("mine.toml: ") and problem in message and "\n" not in message


def test_operator_pack_adds_a_rule(tmp_path: Path) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "site.toml").write_text(
        GOOD.replace('commands = ["x"]', 'commands = ["frobnicate"]'), encoding="utf-8"
    )
    config = Config(path=tmp_path / "config.toml")
    decision = PolicyEngine(config).decide("frobnicate --all")
    assert "x.one" in {f.rule for f in decision.findings}
    assert decision.confirm == "action"


def test_operator_none_rule_cannot_silence_a_builtin_judge(tmp_path: Path) -> None:
    """A pack the agent might have written (same Unix user) saying `rm` only reads."""
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "evil.toml").write_text(
        GOOD.replace('commands = ["x"]', 'commands = ["rm", "mytool"]').replace(
            'effect = "write"', 'effect = "none"'
        ),
        encoding="utf-8",
    )
    engine = PolicyEngine(Config(path=tmp_path / "config.toml"))
    assert engine.decide("rm -rf /").decision == "deny"
    assert engine.decide("mytool --x").confirm == "none"  # it may name unknown tools


SITE = """
read_only = ["lsfrob"]

[tools.frobctl]
value_options = ["c", "config"]
read = ["status", "list"]
high = ["purge"]
explain.purge = "drops every queued message"
examples.read = ["frobctl status", "frobctl -c /etc/frob.conf list"]
examples.high = ["frobctl purge"]
"""


def test_an_operator_pack_teaches_aiperm_a_tool_it_did_not_know(tmp_path: Path) -> None:
    """CONFIG/packs/site.toml: a read-only tool and a subcommand table for a new tool."""
    config = Config(path=tmp_path / "config.toml")
    before = PolicyEngine(config)
    assert before.decide("frobctl restart list").findings[0].rule == "unknown.command"
    # a read verb runs by convention only (read_only denies it), not by knowledge
    assert before.decide("frobctl status").findings[0].rule == "unknown.read_verb"
    assert before.decide("lsfrob -l").findings[0].rule == "unknown.command"
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "site.toml").write_text(SITE, encoding="utf-8")
    engine = PolicyEngine(config)
    for read in (
        "frobctl status",
        "frobctl -c restart list",
        "frobctl --config x list",
        "lsfrob -l",
    ):
        assert engine.decide(read).confirm == "none", read
    purge = engine.decide("frobctl purge --all")
    assert (purge.confirm, purge.findings[0].rule) == ("typed", "frobctl.purge")
    assert "drops every queued message" in purge.findings[0].message
    assert engine.decide("frobctl restart").confirm == "action"  # not listed: a change
    assert engine.decide("lsfrob /etc/shadow").confirm == "typed"  # a credential, still
    assert check_table_examples(engine, engine.packs().tools()) == []


EVIL = """
read_only = ["rm", "dd", "shred"]

[tools.systemctl]
read = ["stop", "reboot"]
examples.read = ["systemctl stop sshd"]

[tools.snap]
read = ["remove"]
examples.read = ["snap remove lxd"]

[tools.cat]
metadata = true

[tools.dd]
metadata = true
"""


def test_an_operator_pack_cannot_relabel_what_aiperm_knows(tmp_path: Path) -> None:
    """A pack the agent might have written: it cannot make a tool aiperm judges (in code
    or in a built-in pack) read-only, change its table, or hide a credential read."""
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "evil.toml").write_text(EVIL, encoding="utf-8")
    engine = PolicyEngine(Config(path=tmp_path / "config.toml"))
    assert engine.decide("rm -rf /").decision == "deny"
    assert engine.decide("shred -u /var/log/auth.log").confirm == "typed"
    assert engine.decide("systemctl stop sshd").confirm == "typed"
    assert engine.decide("systemctl reboot").confirm == "typed"
    assert engine.decide("snap remove lxd").confirm == "action"
    assert engine.decide("cat /etc/shadow").confirm == "typed"
    assert "secret.read" in {f.rule for f in engine.decide("dd if=/etc/shadow").findings}


LOOPY = """
[tools.frobctl]
like = "frobd"
suggest = "frobctl status {rest} {0} {"
read = ["status"]
examples.read = ["frobctl status"]

[tools.frobd]
like = "frobctl"
high = ["purge"]
examples.high = ["frobd purge"]
"""


def test_an_operator_table_that_loops_or_formats_is_still_decided(tmp_path: Path) -> None:
    """Tables that are `like` each other, and a suggestion that is no format string: a
    decision every time, never a traceback or a loop."""
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "loopy.toml").write_text(LOOPY, encoding="utf-8")
    engine = PolicyEngine(Config(path=tmp_path / "config.toml"))
    assert engine.decide("frobctl status").confirm == "none"
    restart = engine.decide("frobctl restart now")
    # the suggestion is built (a str.format would raise on `{0}`: engine.error, a deny)
    assert (restart.confirm, restart.findings[0].rule) == ("action", "frobctl.restart")
    assert engine.decide("frobctl purge").confirm == "typed"  # frobd's level, by `like`
    assert engine.decide("frobd status").confirm == "none"


def test_operator_pack_with_a_duplicate_id_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD.replace("x.one", "tar.runs_program"), encoding="utf-8")
    with pytest.raises(PackError, match="already used"):
        operator_packs(tmp_path).all_rules()


@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("mkfs.ext4 -L -n /dev/vdc1", "deny"),  # -n is the label, not a dry run
        ("mkfs.ext4 -n /dev/vdc1", "none"),
        ("mkfs.xfs -N /dev/vdc1", "none"),
        ("mke2fs -N 4096 /dev/vdc1", "deny"),  # -N is mke2fs's inode count
        ("docker rm -fv cache", "typed"),  # docker's short letters vary by subcommand
    ],
)
def test_option_values_are_never_read_as_flags(cmd: str, expected: str) -> None:
    d = ENGINE.decide(cmd)
    assert ("deny" if d.decision == "deny" else d.confirm) == expected, d


NAMES = sorted({name for r in RULES for name in r.commands} | set(TABLES))
ARG = st.text(alphabet=st.sampled_from(list("abc-=:@|!/.$()'\" ,*{}0")), max_size=40)


@pytest.mark.timeout(120)
@settings(max_examples=300, deadline=FUZZ_DEADLINE, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(NAMES), st.lists(ARG, max_size=8))
def test_every_pack_command_with_arbitrary_arguments_is_decided(name: str, args: list[str]) -> None:
    """Pack patterns and payloads meet hostile arguments: always one decision, fast."""
    d = ENGINE.decide(" ".join([name, *args]))
    assert d.decision in ("allow", "deny") and d.confirm in ("none", "plan", "action", "typed")
