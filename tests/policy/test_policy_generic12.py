"""The unknown-tool conventions, widened without opening holes (the twelfth pass, generic12).

Three classes, each asserted both ways (`aiperm_tui/policy/verbs.py`):

- an open first noun before a closed one (`stackit ske cluster list`) lists; never a
  word that acts (`zztool install cluster list`), a program the engine knows (an unknown
  wrapper would run it), nor directly before the verb (`zzwrap deluser list`);
- `show`/`describe`/`inspect` read after a closed list of nouns whose descriptions hold
  no secret (`zztool cluster show prod`), never as whole objects (`-o yaml`, `--json`);
- a destroying option an unknown tool is given (`--wipe-slot=all`, `--factory-reset`,
  `--format` on a block device) asks for the typed code;
- a pack table that opts in (`unlisted_destroy = "high"`) types a destroy word it does
  not list, as the convention would for an unknown tool.

Every read keeps the convention's conditions: nothing written, fed, run, no PATH or
alias on the line, not inside a payload, and read_only denies it. The development set
(`devset12_generic.jsonl`, written before the engine was run on it) is measured so it
cannot rot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.devsets import measure, missed_critical
from helpers.fuzz import FUZZ_DEADLINE
from helpers.policy_corpus import rules_of, verdict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine
from aiperm_tui.policy.packs import PackError, builtin_packs, parse_pack
from aiperm_tui.policy.verbs import (
    _ACT_VERBS,
    _AFTER_OPEN,
    _DESCRIBED,
    DESTROY_RULE,
    NOUNS,
    READ_VERBS,
    RULE,
    _open_noun,
)

ENGINE = PolicyEngine(Config())


OPEN_NOUN_READS = [
    "zzcloud ske cluster list --project-id abc",
    "zztool kafka topic list",
    "zztool postgresflex instance list -o json",
    "zztool vpc network ls --region eu-1",
    "zztool mongodb cluster status",
    "zztool iam role list",
    "zztool gpu node list-nodes",
    "zztool lb pool stats",
    "sudo zztool dns zone list",
    "timeout 5 zztool edge site ls",
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("cmd", OPEN_NOUN_READS)
def test_an_open_first_noun_before_a_closed_one_lists(cmd: str) -> None:
    assert verdict(ENGINE, cmd) == "none", ENGINE.decide(cmd)
    assert RULE in rules_of(ENGINE, cmd)
    assert ENGINE.decide(cmd, preset="read_only").decision == "deny"


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # a word that acts on what follows, by list or by its ending
        ("zztool install cluster list", "action"),
        ("zztool deploy cluster status", "action"),
        ("zztool bounce service status", "action"),
        ("zztool finalize node list", "action"),
        ("zztool activate node list", "action"),
        ("zztool notarise node list", "action"),
        ("zztool backup cluster list", "action"),
        ("zztool group node list", "action"),
        ("zztool set-mode node list", "action"),  # a part that acts
        # a verb glued to its object, as tools spell subcommands
        ("zztool flushall node list", "action"),
        ("zztool deletekeyspace cluster list", "action"),
        ("zztool rmpool node list", "action"),
        ("zztool setconfig node list", "action"),
        ("zztool restartall node list", "action"),
        ("zztool getpassword node list", "action"),
        ("zztool dbwipe cluster list", "action"),
        ("zztool token cluster list", "typed"),  # a credential word
        ("zztool purge cluster list", "typed"),  # a destroy word
        ("zztool get cluster list", "action"),  # a report word: what follows is its operand
        # a program the engine knows: an unknown wrapper would run it
        ("zzwrap userdel cluster list", "action"),
        ("zzwrap python3 cluster list", "action"),
        ("zzwrap curl cluster list", "action"),
        # only before a closed noun, and only a listing or a report after them
        ("zzwrap deluser list", "action"),
        # a singular open noun directly before the verb: a bare listing with options only
        # (thirteenth pass, `jupyter kernelspec list --json`), never an operand after it
        ("zztool tracingpolicy list prod", "action"),
        ("zztool tracingpolicy status", "action"),
        ("zztool ske cluster node list", "action"),  # three words before the verb
        ("zztool ske cluster version", "action"),  # `zztool bump cluster version`
        ("zztool ske cluster whoami", "action"),
        ("zztool ske cluster show prod", "action"),  # a database cluster's URI
        ("zztool ske cluster describe prod", "action"),
        ("zztool ske cluster get nodes", "action"),
        # not a plain lowercase identifier
        ("zztool Ske cluster list", "action"),
        ("zztool ske.io cluster list", "action"),
        ("zztool ske_x cluster list", "action"),
        ("zztool a-b-c cluster list", "action"),
        # destroy forms stay typed
        ("zztool ske cluster delete prod", "typed"),
        ("zztool ske cluster purge", "typed"),
        ("zztool ske cluster list --delete-all", "typed"),
    ],
)
def test_an_open_noun_never_lets_an_act_or_a_known_program_in(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))
    assert RULE not in rules_of(ENGINE, cmd)


# Each condition of the convention, on both new forms.
CONDITIONS = [
    ("{} | sh", "typed"),  # its output run
    ("{} > /etc/cron.d/zz", "typed"),  # a write
    ("{} /etc/shadow", "typed"),  # a credential path
    ("{} < cmds.txt", "action"),  # fed its input
    ("echo x | {}", "action"),
    ("{} <<< x", "action"),
    ("PATH=/tmp {}", "typed"),
    ("alias zztool=rm; {}", "action"),
    ("f() {{ :; }}; {}", "action"),
    ("bash -c '{}'", "action"),  # a payload: its caller's line is not seen
    ("ssh web1 {}", "action"),
    ("xargs -a list.txt {}", "action"),
    ("./{}", "action"),  # not a bare name
    ("{} --server evil.example", "action"),
    ("{} -f", "action"),
    ("{} --namespace=$(id)", "action"),
]


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "form", ["zztool ske cluster list", "zztool cluster show prod", "zztool describe node n1"]
)
@pytest.mark.parametrize(("shape", "expected"), CONDITIONS)
def test_the_new_reads_keep_every_condition(form: str, shape: str, expected: str) -> None:
    cmd = shape.format(form)
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))
    if expected != "typed":
        assert RULE not in rules_of(ENGINE, cmd), cmd


DESCRIBE_READS = [
    "zztool cluster show prod",
    "zztool node show n1",
    "zztool nodes describe",
    "zztool volume describe vol-1",
    "zztool network inspect backend",
    "zztool topic describe orders",
    "zztool zone show eu-1",
    "zztool region show eu-west",
    "zztool pool inspect p1 -o table",
    "zztool k8s cluster show prod",
    "zzcloud kubernetes show prod",
    "zztool describe cluster prod",
    "zztool show nodes",
    "zztool inspect volume vol-1 -o table",
    "zztool k8s describe cluster prod",
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("cmd", DESCRIBE_READS)
def test_a_description_of_a_harmless_noun_reads(cmd: str) -> None:
    assert verdict(ENGINE, cmd) == "none", ENGINE.decide(cmd)
    assert RULE in rules_of(ENGINE, cmd)
    assert ENGINE.decide(cmd, preset="read_only").decision == "deny"


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # nouns whose description may hold a secret
        ("zztool client show app1", "action"),
        ("zztool user show alice", "action"),
        ("zztool config show", "action"),
        ("zztool instance show web1", "action"),  # a cloud server's initial password
        ("zztool server describe web1", "action"),
        ("zztool database show pg1", "action"),
        ("zztool job inspect 42", "action"),
        ("zztool pod describe api", "action"),
        ("zztool database cluster show pg1", "action"),  # every noun must be harmless
        ("zztool show cluster-config", "action"),  # first, before no listed noun
        ("zztool show users", "action"),
        ("zztool describe instance web1", "action"),
        ("zztool show database cluster", "action"),
        ("zztool describe cluster prod -o yaml", "action"),
        ("zztool show nodes --json", "action"),
        ("zztool ske describe cluster prod", "action"),  # after an open noun
        ("zztool user describe cluster prod", "action"),  # after a noun not listed
        ("zztool secret show db", "typed"),
        ("zztool cluster token show", "typed"),
        # whole objects, or an option that reveals
        ("zztool cluster show prod -o yaml", "action"),
        ("zztool cluster show prod --output=json", "action"),
        ("zztool cluster show prod --json", "action"),
        ("zztool cluster show prod -j", "action"),
        ("zztool cluster show prod -aj", "action"),
        ("zztool cluster show prod --kubeconfig", "action"),
        ("zztool cluster show prod --no-redact", "action"),
        ("zztool cluster show prod --sensitive", "action"),
        ("zztool cluster show prod --raw", "action"),
        ("zztool cluster show prod --show-secrets", "typed"),
        ("zztool cluster show prod --reveal", "typed"),
        ("zztool node inspect n1 --decrypt", "typed"),
    ],
)
def test_show_stays_gated_where_it_may_print_a_secret(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))
    assert RULE not in rules_of(ENGINE, cmd)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "cmd",
    [
        "zzenroll --wipe-slot=all /dev/sda2",  # systemd-cryptenroll is described (breadth13)
        "zztool enroll --wipe-slot=recovery /dev/sdb2",
        "zztool device configure --factory-reset",
        "zztool provision node1 --reset-factory",
        "zztool disk prepare --wipe-signatures /dev/sdc",
        "zztool storage setup --erase-disks",
        "zztool init --format /dev/sdb",
        "zztool setup --format=/dev/nvme1n1",
        "zztool setup --device=/dev/sdb --format",
        "zztool disk init --format ext4 /dev/sdc",
        "zztool disk init -format=xfs /dev/sdc",
        "zztool volume attach vol1 --erase /dev/sde",
        "zztool cluster init --i-know-what-i-am-doing",
    ],
)
def test_a_destroying_option_asks_for_the_typed_code(cmd: str) -> None:
    assert verdict(ENGINE, cmd) == "typed", (cmd, rules_of(ENGINE, cmd))
    assert DESTROY_RULE in rules_of(ENGINE, cmd)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("zztool list --format=table", "none"),
        ("zztool status --format json", "none"),
        ("zztool stats --format json /dev/sdb", "action"),  # a format; a device read
        ("zztool export --format csv /srv/x", "action"),  # no block device
        ("zztool init --format /dev/sdb --dry-run", "action"),  # a rehearsal
        ("zztool enroll --wipe-slot=false /dev/sda2", "action"),  # switched off
        ("zztool provision --factory-defaults", "action"),  # no destroy word
        ("zztool logs --delete-after 7d", "action"),  # a setting
        ("zztool sync --slot 3 /dev/sda2", "action"),
    ],
)
def test_option_settings_named_like_a_destroy_stay_as_they_were(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))
    assert DESTROY_RULE not in rules_of(ENGINE, cmd)


@pytest.mark.timeout(60)
def test_no_subcommand_a_pack_says_acts_is_taken_for_an_open_noun() -> None:
    """The subcommands the built-in tables give a level other than read (387 words) are
    refused as open nouns, bar at most the 81 of today (closed nouns are judged on their
    own path): mostly nouns the tables name as groups or settings (`maxmemory`,
    `loglevel`, `module`, `package`, `ticket`) and a few single tools' commands
    (`swapdb`, `slaveof`). The bound keeps a later list edit from letting more in."""
    tools = builtin_packs().tools()
    acting = {
        sub.split()[-1]
        for tool in tools.values()
        if tool.table is not None
        for sub, level in tool.table.levels
        if level != "read"
    }
    taken = sorted(w for w in acting - NOUNS if _open_noun(w, lambda _: False))
    assert len(taken) <= 81, taken


@pytest.mark.timeout(30)
def test_the_word_lists_do_not_contradict_each_other() -> None:
    """A described noun is a closed noun (`_nouns_before` only reads those); an act verb
    is no noun and no read verb; what may follow an open noun is a read verb."""
    assert _DESCRIBED <= NOUNS
    assert not _ACT_VERBS & (NOUNS | READ_VERBS)
    assert _AFTER_OPEN <= READ_VERBS


@pytest.mark.timeout(120)
def test_devset12_generic_is_measured() -> None:
    """89 lines written before the engine was run on them: 38 of 45 reads gated and 27
    of 35 critical lines typed before this pass's classes, 9 and 33 after. The two
    critical lines left are single tools' verbs no convention names (`kubeshark clean`,
    `garage layout apply`): a pack's to describe. The reads left are the cost of the
    conditions (an open noun directly before the verb, `instance show`, `job show`,
    `route show`, a describing verb after an open noun); `civo instance show` is
    `paas.toml`'s since breadth12 (8 of 45 with it)."""
    metrics = measure("devset12_generic.jsonl", ENGINE)
    assert metrics.safe_false_positives.value <= 9 / 45
    assert metrics.critical_recall.value >= 33 / 35
    missed = set(missed_critical(metrics))
    assert missed <= {"kubeshark clean", "garage layout apply --version 3"}


def _opted_in() -> list[str]:
    tools = builtin_packs().tools()
    return sorted(n for n, t in tools.items() if t.table and t.table.unlisted_destroy)


@pytest.mark.timeout(120)
def test_a_table_that_opts_in_types_an_unlisted_destroy_verb() -> None:
    """Every table with `unlisted_destroy`: a destroy word it does not list is typed
    (`TOOL obliterate x`, `TOOL frobnicate --force-delete`), an unlisted word that is
    no destroy stays the table's default (a change), and a rehearsal of the destroy is
    not typed (a change, or a read for a tool whose grammar knows `--dry-run`)."""
    names = _opted_in()
    assert len(names) >= 80
    wrong = []
    for name in names:
        levels = builtin_packs().levels(name)
        assert "obliterate" not in levels and "frobnicate" not in levels, name
        for cmd, expected in (
            (f"{name} obliterate x", "typed"),
            (f"{name} frobnicate x --force-delete", "typed"),
            (f"{name} obliterate x --dry-run", "action"),
            (f"{name} frobnicate x", "action"),
        ):
            if verdict(ENGINE, cmd) == "none" and cmd.endswith("--dry-run"):
                continue
            if verdict(ENGINE, cmd) != expected:
                wrong.append((cmd, verdict(ENGINE, cmd)))
    assert wrong == []


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("kapp app-group obliterate -g x", "typed"),  # after a group word
        ("multipass restore vm1.snap1", "typed"),
        # (`kubeadm token delete` is listed: a revoked bootstrap token is a change)
        ("kubeadm config images purge", "typed"),
        ("flyctl machine kill abc", "typed"),
        ("kapp deploy -a x -f app.yaml", "action"),  # unlisted, no destroy word
        ("kapp inspect -a x", "none"),  # a listed read is untouched
        # tables that do not opt in keep their default for unlisted words
        ("pct reboot 201", "action"),
        ("ceph crash prune 7", "action"),
        ("pcs resource clear web", "action"),
    ],
)
def test_unlisted_destroy_applies_only_where_a_table_opts_in(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))


@pytest.mark.timeout(60)
def test_unlisted_destroy_takes_a_level_and_an_operator_table_may_use_it(
    tmp_path: Path,
) -> None:
    table = '[tools.zzctl]\nread = ["list"]\nunlisted_destroy = "{}"\n'
    table += 'examples.read = ["zzctl list"]\nexamples.medium = ["zzctl sync"]\n'
    with pytest.raises(PackError, match="unlisted_destroy"):
        parse_pack(table.format("typed"), "mine.toml", builtin=False)
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "site.toml").write_text(table.format("high"), encoding="utf-8")
    engine = PolicyEngine(Config(path=tmp_path / "config.toml"))
    assert verdict(engine, "zzctl purge-all") == "typed"
    assert verdict(engine, "zzctl sync") == "action"
    assert verdict(engine, "zzctl list") == "none"


WORDS = st.sampled_from(
    [
        "ske",
        "kafka",
        "install",
        "deluser",
        "cluster",
        "node",
        "user",
        "instance",
        "list",
        "status",
        "show",
        "describe",
        "inspect",
        "delete",
        "prod",
        "-o",
        "yaml",
        "--json",
        "-j",
        "--format",
        "/dev/sdb",
        "--wipe-slot=all",
        "--reveal",
        "/etc/shadow",
        "$X",
        "|",
        "sh",
        ">",
        "/etc/x",
        "<",
        "PATH=/tmp",
    ]
)


@pytest.mark.timeout(300)
@settings(max_examples=300, deadline=FUZZ_DEADLINE, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=7))
def test_the_new_forms_keep_the_engine_total_and_never_relax_read_only(words: list[str]) -> None:
    """Whatever the words, the engine decides; a read by convention is denied under
    read_only and never names a device, a credential path, a value or a revealing flag."""
    cmd = " ".join(["zztool", *words])
    ops = ENGINE.decide(cmd)
    assert not any(f.rule == "engine.error" for f in ops.findings)
    if RULE in [f.rule for f in ops.findings]:
        assert ENGINE.decide(cmd, preset="read_only").decision == "deny"
        if not any(w in ("|", ">", "<") for w in words):  # one simple command
            risky = {"/dev/sdb", "--reveal", "/etc/shadow", "$X", "--wipe-slot=all"}
            assert not risky & set(words), cmd
    if any(w in ("/etc/shadow", "--reveal", "--wipe-slot=all", "PATH=/tmp") for w in words):
        assert ops.confirm != "none" or ops.decision == "deny", cmd
