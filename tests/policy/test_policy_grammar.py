"""Option grammar as data: which tools have a dry-run option, where `-h` is not help,
where a tool's own options end, which options name a login credential (`[tools.NAME]`
keys `rehearsal`, `h_is_help`, `options_end`, `auth_options`, with `grammar_examples`
beside them; docs/rule-packs.md); and the cloud CLIs' word patterns (`read_words`...,
whose table examples run in test_policy_packs.py).

Every grammar example of every built-in pack is read as its kind says; a wrong one is
reported; a bad key is a one-line `PackError`; an operator pack may give the grammar of
a tool aiperm does not know, never of one it does. Engine level: any Unix user.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aiperm_tui.cli.rules import check_grammar_examples
from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine
from aiperm_tui.policy.packs import PackError, builtin_packs, parse_pack

TOOLS = builtin_packs().tools()
WITH_GRAMMAR = sorted(name for name, tool in TOOLS.items() if tool.grammar_examples)
ENGINE = PolicyEngine(Config())


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", WITH_GRAMMAR)
def test_every_grammar_example_is_read_as_its_kind(name: str) -> None:
    assert check_grammar_examples({name: TOOLS[name]}) == []


def test_each_grammar_key_has_tools_and_examples() -> None:
    assert sum(t.rehearsal for t in TOOLS.values()) >= 40
    assert {"shutdown", "ip", "ssh-keygen"} <= {n for n, t in TOOLS.items() if not t.h_is_help}
    assert {TOOLS[n].options_end for n in ("terraform", "redis-cli")} == {"subcommand", "argument"}
    assert {"ssh", "curl", "openssl", "kubectl"} <= {n for n, t in TOOLS.items() if t.auth_options}
    kinds = {kind for t in TOOLS.values() for kind, _ in t.grammar_examples}
    assert kinds == {"rehearsal", "not_rehearsal", "help", "not_help", "auth", "not_auth"}


def test_auth_options_of_a_built_in_pack_need_an_example() -> None:
    with pytest.raises(PackError, match=r"'auth_options' needs grammar_examples\.auth"):
        parse_pack('[tools.x]\nauth_options = ["key"]\n', "packs/x.toml", builtin=True)


def test_a_wrong_grammar_example_is_reported() -> None:
    """The check itself can fail: each kind, given a command it does not describe."""
    _rules, tools = parse_pack(
        "[tools.frobctl]\nrehearsal = true\nh_is_help = false\n"
        'grammar_examples.rehearsal = ["frobctl purge"]\n'
        'grammar_examples.not_rehearsal = ["frobctl --dry-run purge"]\n'
        'grammar_examples.help = ["frobctl -h"]\n'
        'grammar_examples.not_help = ["frobctl --help"]\n',
        "mine.toml",
        builtin=False,
    )
    failures = check_grammar_examples(tools)
    assert len(failures) == 4
    assert all(f.startswith("mine.toml: tools.frobctl: grammar example") for f in failures)


@pytest.mark.parametrize(
    ("cmd", "confirm"),
    [
        ("rsync -av --delete --dry-run build/ /srv/app/", "none"),
        ("rm -rf /srv/www --dry-run", "typed"),  # rm has no dry run: a file name
        ("kubectl delete ns prod --dry-run=none", "deny"),
        ("kubectl delete ns prod --dry-run=client", "none"),
        ("ip -h rule flush", "typed"),  # -h is "human" to ip
        ("shutdown -h now", "typed"),
        ("terraform apply tfplan --help", "action"),  # an argument, not a flag
        ("terraform plan --help", "none"),
        ("redis-cli FLUSHALL --help", "typed"),  # a command's argument, not a mode
        ("redis-cli -n 2 DEL session --scan", "action"),
        ("redis-cli -h r1 --scan --pattern 'user:*'", "none"),
        ("redis-cli --help", "none"),
        ("ssh -i ~/.ssh/id_rsa web1 uptime", "none"),  # the key is used, not shown
        ("ssh -o IdentityFile=~/.ssh/id_rsa web1 uptime", "none"),
        ("ssh web1 uptime < ~/.ssh/id_rsa", "typed"),
        ("curl --key /etc/ssl/private/c.key https://api.internal/", "none"),
        ("curl -d @/etc/ssl/private/c.key https://api.internal/", "typed"),
    ],
)
def test_the_grammar_decides(cmd: str, confirm: str) -> None:
    d = ENGINE.decide(cmd, preset="ops_safe")
    assert ("deny" if d.decision == "deny" else d.confirm) == confirm, d


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[tools.x]\nrehearsal = "yes"\n', "'rehearsal' and 'h_is_help' must be true or false"),
        ("[tools.x]\nrehearsal = true\n", "'rehearsal' needs grammar_examples.rehearsal"),
        ("[tools.x]\nh_is_help = false\n", "'h_is_help' needs grammar_examples.not_help"),
        ('[tools.x]\noptions_end = "middle"\n', "'options_end' must be one of"),
        ('[tools.x]\noptions_end = "argument"\n', "'options_end' needs grammar_examples"),
        ('[tools.x]\ngrammar_examples.maybe = ["x"]\n', "'grammar_examples' must map"),
        ("[tools.x]\ngrammar_examples.help = [1]\n", "'grammar_examples.help' must be"),
        ('[tools.x]\nauth_options = ["key"]\n', "'auth_options' is read from the built-in"),
        ('[tools.x]\nread_words = "("\n', "'read_words' is not a valid regular expression"),
        ('[tools.x]\ndelete_level = "low"\n', "'delete_level' must be one of medium, high"),
    ],
)
def test_a_broken_grammar_is_a_one_line_error(text: str, problem: str) -> None:
    with pytest.raises(PackError) as info:
        parse_pack(text, "mine.toml", builtin=False)
    message = str(info.value)
    assert message.startswith("mine.toml: tools.x: ") and problem in message, message
    assert "\n" not in message


SITE = """
[tools.frobctl]
rehearsal = true
grammar_examples.rehearsal = ["frobctl --dry-run purge"]

[tools.rm]
rehearsal = true
grammar_examples.rehearsal = ["rm --dry-run -rf /srv"]
"""


@pytest.mark.parametrize(
    ("cmd", "confirm"),
    [
        ("gsutil rm gs://b/old.log", "action"),  # gsutil's own delete level
        ("gsutil rm -r gs://b/logs", "typed"),  # recursive: like aws's pattern
        ("doctl compute droplet delete web-1", "typed"),  # doctl's delete level
        ("rclone lsd remote:", "none"),
        ("az vm list --query '[].name'", "none"),
    ],
)
def test_cloud_patterns_are_taken_from_the_tool_it_is_like(cmd: str, confirm: str) -> None:
    assert ENGINE.decide(cmd, preset="ops_safe").confirm == confirm


def test_an_operator_grammar_teaches_but_never_relabels(tmp_path: Path) -> None:
    """An operator's pack (which the agent could write) can say a tool aiperm does not
    know has a dry run; for `rm`, which aiperm judges, it changes nothing."""
    config = Config(path=tmp_path / "config.toml")
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "site.toml").write_text(SITE, encoding="utf-8")
    engine = PolicyEngine(config)
    assert engine.decide("frobctl --dry-run purge", preset="ops_safe").confirm == "none"
    # no rule describes the real run: a destroy verb by convention (unknown.destroy_verb)
    assert engine.decide("frobctl purge", preset="ops_safe").confirm == "typed"
    assert engine.decide("frobctl sync", preset="ops_safe").confirm == "action"
    assert engine.decide("rm --dry-run -rf /srv", preset="ops_safe").confirm == "typed"
