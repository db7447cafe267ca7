"""How the engine judges tools it does not know by the verbs they share (`verbs.py`).

`unknown.destroy_verb`: an unknown tool asked to `delete`, `purge`, `reset`, `promote`
... (as a subcommand, after nouns or a global option's value, or as a long option such
as `--drop`) destroys or overturns state: the typed code. The tool names are invented
(checked below, so a pack that later learns one cannot turn these tests vacuous).
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest
from helpers.fuzz import FUZZ_DEADLINE
from helpers.policy_corpus import rules_of, verdict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiperm_tui.cli import main
from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine
from aiperm_tui.policy.model import CONFIRM_ORDER
from aiperm_tui.policy.verbs import DESTROY_RULE, DESTROY_VERBS

ENGINE = PolicyEngine(Config())
UNKNOWN = ("zztool", "acme-ctl", "fooadm", "xq9", "qwopctl", "blorp_cli")


@pytest.mark.timeout(30)
def test_the_example_tools_are_unknown_to_the_engine() -> None:
    for name in UNKNOWN:
        assert rules_of(ENGINE, f"{name} frobnicate") == ["unknown.command"], name


DESTROYS = [
    # the verb first
    "zztool delete cluster --name prod-eu",
    "acme-ctl destroy --all --force",
    "fooadm reset -f",
    "xq9 purge",
    "qwopctl wipe node-3",
    "blorp_cli drop orders",
    "zztool rm shop-assets",
    "zztool uninstall billing",
    "zztool revoke ops-admin",
    "zztool terminate web-7",
    "zztool promote",
    "zztool failover",
    "zztool restore",
    "zztool rollback api",
    "zztool truncate events",
    "zztool empty failed",
    "zztool prune",
    "zztool reboot",
    "zztool poweroff",
    "zztool Delete x",
    # after nouns, or a global option's value (`-n NODE`, `-f CONF`, `-e ENV`)
    "zztool db reset -y",
    "zztool snapshot restore /var/backups/snap.db",
    "zztool -n 10.5.0.3 reset",
    "zztool -e prod destroy",
    "zztool -f /etc/zz.conf standby promote",
    "zztool --host es-1 delete_indices",
    # compounds, by their parts or whole
    "zztool bucket-flush --bucket sessions",
    "zztool delete_indices --older-than 30",
    "zztool db:drop",
    "zztool force-delete x",
    "zztool power-off",
    "zztool factory-reset",
    # long options naming the act
    "zztool --drop --db app /backup/app",
    "zztool --force-delete --recursive tank/data",
    "zztool --kill --match Query",
    "zztool sync --delete-all src dst",
    "zztool --purge=true",
    "zztool -purge old",
    # not a plain name as written, reached through a wrapper or a payload: still raised
    "./zztool delete x",
    "/opt/zz/bin/zztool purge",
    "sudo zztool wipe",
    "timeout 30 zztool reset",
    "PATH=/opt/zz zztool delete x",
    "bash -c 'zztool destroy'",
    "ssh web-1 zztool reset",
    "zztool 'delete' x",
    "echo y | zztool purge",
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("cmd", DESTROYS)
def test_destroy_verbs_ask_for_the_typed_code(cmd: str) -> None:
    d = ENGINE.decide(cmd)
    assert DESTROY_RULE in [f.rule for f in d.findings], d
    assert verdict(ENGINE, cmd) == "typed", d
    assert ENGINE.decide(cmd, preset="read_only").decision == "deny"


NOT_DESTROYS = [
    # read verbs, and the words after one (what it reads)
    "zztool list --show-deleted",
    "zztool status drop-job",
    "zztool logs purge-worker",
    "zztool get deleted",
    "zztool purge-status",
    "zztool list-deleted",
    "zztool history reset",
    # the word is an operand, not a verb: a path, an address, an image, a value
    "zztool copy /srv/delete/me",
    "zztool push registry.example/purge:1.0",
    "zztool sync purge.example.com",
    "zztool set mode=delete",
    # past the first three positional words
    "zztool job run nightly cleanup delete",
    # settings named after an act, switched off, or everyday
    "zztool serve --kill-timeout 30",
    "zztool sync --delete-after 7d",
    "zztool run --drop-privileges",
    "zztool sync --no-delete",
    "zztool copy --wipe=false x",
    "zztool run --rm job",
    "zztool show --format json",
    "zztool fetch --prune",
    "zztool -rm x",
    # after `--`, the tool's own options have ended
    "zztool exec -- rm x",
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("cmd", NOT_DESTROYS)
def test_words_outside_the_verb_position_do_not_raise(cmd: str) -> None:
    assert DESTROY_RULE not in rules_of(ENGINE, cmd), ENGINE.decide(cmd)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "cmd",
    [
        "zztool delete cluster prod --dry-run",
        "zztool --dryrun purge",
        "zztool reset --noop",
        "zztool destroy --what-if",
        "zztool wipe -dry-run",
    ],
)
def test_an_explicit_dry_run_leaves_a_plain_yes(cmd: str) -> None:
    """The tool may ignore a flag it lacks: a dry run is never lowered below the plain
    yes an unknown command gets."""
    assert rules_of(ENGINE, cmd) == ["unknown.command"]
    assert verdict(ENGINE, cmd) == "action"


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "cmd",
    ["zztool delete x --dry-run=false", "zztool purge --dry-ru", "zztool reset --check"],
)
def test_a_dry_run_switched_off_abbreviated_or_ambiguous_is_no_rehearsal(cmd: str) -> None:
    assert verdict(ENGINE, cmd) == "typed", ENGINE.decide(cmd)


@pytest.mark.timeout(60)
def test_a_tool_a_pack_describes_keeps_its_own_judgement() -> None:
    """`kubectl delete` and `docker rm` are judged by what their packs say, not by the
    convention."""
    for cmd in ("kubectl delete pod web-1", "docker rm web", "git rm -r --cached x"):
        assert DESTROY_RULE not in rules_of(ENGINE, cmd), cmd


@pytest.mark.timeout(60)
def test_check_explain_names_the_rule_and_the_word() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        main(["check", "--explain", "--", "acme-ctl -e prod bucket-flush --bucket x"])
    text = out.getvalue()
    assert f"decided by {DESTROY_RULE} (built-in judge), high" in text
    assert "asked to 'bucket-flush'" in text


WORDS = st.sampled_from(
    [
        "status",
        "list",
        "node",
        "db",
        "nginx",
        "prod",
        "-a",
        "-f",
        "-n",
        "--all",
        "--force",
        "--dry-run",
        "-o",
        "json",
        "/srv/x",
        "10.0.0.7",
        "a=b",
        "$X",
        "--",
        "|",
        "sh",
        ";",
        "ls",
    ]
)


@pytest.mark.timeout(300)
@settings(max_examples=300, deadline=FUZZ_DEADLINE, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(UNKNOWN),
    st.lists(WORDS, max_size=6),
    st.sampled_from(sorted(DESTROY_VERBS)),
    st.integers(min_value=0, max_value=6),
)
def test_adding_a_destroy_verb_never_lowers_the_level(
    name: str, words: list[str], verb: str, at: int
) -> None:
    """Whatever the line, putting a destroy verb among the unknown tool's own words (as
    a word or an option) never makes it run with less confirmation, under either
    preset. (After `|` or `;` the word would be another command, judged as itself.)"""
    before = " ".join([name, *words])
    ends = [i for i, w in enumerate(words) if w in ("|", ";")]
    at = min([at, *ends])
    for inserted in (verb, f"--{verb}"):
        after = " ".join([name, *words[:at], inserted, *words[at:]])
        for preset in ("ops_safe", "read_only"):
            a, b = ENGINE.decide(before, preset=preset), ENGINE.decide(after, preset=preset)
            assert (b.decision == "deny") >= (a.decision == "deny"), (before, after)
            if a.decision == b.decision == "allow":
                assert CONFIRM_ORDER.index(b.confirm) >= CONFIRM_ORDER.index(a.confirm), (
                    before,
                    after,
                )


READS = [
    # report verbs: what is wrong, activity, identity
    "zztool diagnose",
    "zztool analyze -a",
    "acme-ctl doctor",
    "zztool top",
    "zztool events",
    "zztool whoami",
    "zztool ping",
    # a compound of a read verb with nouns
    "zztool proxy-status",
    "zztool cluster-info",
    "zztool list-nodes",
    "acme-ctl node_status web-1",
    # `get` naming a collection, not as whole objects
    "zztool get nodes -o wide",
    "fooadm get clusters",
    "zztool get pods --all",
    # an absolute path outside the credential classes
    "zztool status /var/backups/snap-20261205.db",
    "zztool info /var/log/app/events.log",
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("cmd", READS)
def test_broadened_read_forms_run_unasked_and_stay_denied_under_read_only(cmd: str) -> None:
    d = ENGINE.decide(cmd)
    assert (d.decision, d.confirm) == ("allow", "none"), d
    assert ENGINE.decide(cmd, preset="read_only").decision == "deny"


NOT_READS = [
    # a compound with a part that may change, or no read verb
    "zztool set-status",
    "zztool push-list",
    "zztool reset-stats",
    "zztool sync-status",
    "zztool update-info x",
    # `get` of objects that may hold a credential, or whole objects
    "zztool get users",
    "zztool get secrets",
    "zztool get connections",
    "zztool get clients",
    "zztool get sessions",
    "zztool get password",
    "zztool get nodes -o yaml",
    "zztool get nodes --output=json",
    "zztool get",
    # paths: credentials, devices, the root, temp, relative, climbing, patterns
    "zztool status /etc/shadow",
    "zztool status /etc/ssl/private/web.pem",
    "zztool status /etc/zz/api.key",
    "zztool status /root/.ssh/id_rsa",
    "zztool status /home/ops/.aws/credentials",
    "zztool status /var/lib/../../etc/shadow",
    "zztool status /run/secrets/db",
    "zztool status /dev/sda",
    "zztool status /",
    "zztool status /tmp/x",
    "zztool status etc/x",
    "zztool status /etc/sha*",
    # the report verbs' repairs are options the rule refuses; `check` may run code
    "zztool doctor --fix",
    "zztool diagnose --repair",
    "zztool check",
    # input fed, a payload, a name the line redirects
    "echo x | zztool diagnose",
    "bash -c 'zztool proxy-status'",
    "PATH=/tmp zztool get nodes",
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("cmd", NOT_READS)
def test_forms_outside_the_broadened_convention_are_not_run_unasked(cmd: str) -> None:
    assert "unknown.read_verb" not in rules_of(ENGINE, cmd), ENGINE.decide(cmd)
    assert verdict(ENGINE, cmd) != "none", ENGINE.decide(cmd)
