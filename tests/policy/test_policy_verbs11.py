"""The unknown-tool conventions, generic classes (the eleventh pass, verbs11).

Each class is asserted both ways: the read runs unasked (`none`), and its dangerous
look-alikes stay gated (a write, a path of the credential/device/root classes, piped
input, a destroy word among the nouns). The development set's third round
(`devset11.jsonl`, written before the engine was run on it) is measured so it cannot rot.
"""

from __future__ import annotations

import pytest
from helpers.devsets import measure
from helpers.policy_corpus import rules_of, verdict

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # two nouns before the verb
        ("exoscale compute instance list", "none"),
        ("zztool cluster node list", "none"),
        ("zztool object-storage bucket list -o json", "none"),
        ("zztool cluster node ls --namespace prod", "none"),
        ("zztool cluster purge list", "typed"),  # a destroy word among the nouns
        ("zztool cluster node delete web1", "typed"),
        ("zztool cluster node list | sh", "typed"),
        ("zztool cluster node list < cmds.txt", "action"),  # fed its input
        ("zztool cluster node list /etc/shadow", "typed"),
        ("zztool cluster node list > /etc/profile.d/x.sh", "typed"),
        ("zztool node cluster pod list", "action"),  # three nouns: no longer a convention
        ("zztool install cluster list", "action"),  # an open word before the nouns
        ("zztool load-balancer list", "action"),  # a compound with a verb part
        ("PATH=/tmp zztool cluster node list", "typed"),
        # Go's single-dash long options, and `=` values
        ("boundary targets list -scope-id p_1234", "none"),
        ("zztool sessions list -scope-id p_1 -format json", "none"),
        ("zztool scopes list -recursive", "none"),
        ("zztool status --namespace=prod", "none"),
        ("zztool status -scope-id=p_1", "none"),
        ("zztool status -xupdate-grub", "action"),  # getopt: `-x update-grub`
        ("zztool status -address=https://evil.example", "action"),
        ("zztool status --server=evil.example:443", "action"),
        # a host of the fleet is harmless as the next word since the thirteenth pass
        ("zztool status --limit=203.0.113.9", "action"),
        ("zztool status --limit=10.0.0.1", "none"),
        ("zztool status --namespace=$(id)", "action"),
        ("zztool status -a=/srv/x", "action"),  # a short cluster takes no `=`
        ("zztool status --namespace=/etc/shadow", "typed"),
        ("zztool list -o=/etc/x", "action"),
        ("zztool list -delete-id x", "action"),  # a danger word: no read
        ("zztool get pods --output=yaml", "action"),  # whole objects
        ("zztool status -scope-id p_1 < cmds", "action"),
        # `--version VALUE` names a version to apply, not a usage request
        ("zztool layout apply --version 3", "action"),
        ("zztool wipe disk0 --version 3", "typed"),
        ("zztool --version", "plan"),
        ("zztool --help cluster", "plan"),
        # a forced stop with no grace period
        ("zztool instance stop web1 --force --grace-period 0", "typed"),
        ("zztool stop web1 --force --grace-period=0", "typed"),
        ("zztool stop web1 -force -grace=0s", "typed"),
        ("zztool stop web1 --grace-period 0", "action"),
        ("zztool stop web1 --force --grace-period 30", "action"),
        ("zztool stop web1 --force=false --grace-period=0", "action"),
        ("zztool stop web1 --force --grace-period=0 --dry-run", "action"),
    ],
)
def test_unknown_tool_convention_verbs11(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))


@pytest.mark.timeout(60)
def test_the_new_classes_name_their_rules() -> None:
    """The reads are the convention's, the hard kill a destroy by convention."""
    assert "unknown.read_verb" in rules_of(ENGINE, "zztool cluster node list")
    assert "unknown.read_verb" in rules_of(ENGINE, "boundary targets list -scope-id p_1")
    assert "unknown.destroy_verb" in rules_of(ENGINE, "zztool stop web1 --force --grace-period 0")
    assert "unknown.help" not in rules_of(ENGINE, "zztool layout apply --version 3")


@pytest.mark.timeout(60)
def test_read_only_still_denies_the_new_reads() -> None:
    """An unknown command is never read-only: the convention only lowers ops_safe."""
    engine = PolicyEngine(Config(preset="read_only"))
    for cmd in ("zztool cluster node list", "boundary targets list -scope-id p_1"):
        assert verdict(engine, cmd) == "deny", cmd


@pytest.mark.timeout(120)
def test_devset11_round3_is_measured() -> None:
    """Round 3 (59 lines of tools no pack describes, written before the engine was run
    on them): 13 of 31 reads gated and 20 of 22 critical lines typed before this pass's
    classes, 8 and 22 after (round 2: 26 and 26 of 52 and 30 before, 24 and 27 after).
    `cloud.toml` began describing `upctl` and `ionosctl` in the same pass: their five
    reads are that pack's to judge now (13 of 31 gated with it)."""
    metrics = measure("devset11.jsonl", ENGINE, round_=3)
    assert metrics.safe_false_positives.value <= 0.42
    assert metrics.critical_recall.value >= 0.99
