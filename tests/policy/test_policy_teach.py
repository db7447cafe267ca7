"""`aiperm rules teach` and `rules forget`: the operator teaches aiperm a tool it does not
know, from the command line (`aiperm_tui/policy/teach.py`).

The entry is narrow by construction (the tool, the leading plain words, only the
options seen, the bare name), and an operator's pack teaches but never relabels: what
a built-in rule or an unknown-tool convention raises stays raised, which a hostile
agent's best move (many harmless `foo status` calls, then `foo status --purge`) shows.
Each test runs in a temporary config folder (`AIPERM_CONFIG`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpers.policy_corpus import rules_of, verdict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiperm_tui.cli import main
from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine
from aiperm_tui.policy.packs import PackError, parse_pack

pytestmark = pytest.mark.timeout(120)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config folder with no packs (the user's own config must not leak in)."""
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("AIPERM_CONFIG", str(tmp_path / "config.toml"))
    return tmp_path


def engine(folder: Path) -> PolicyEngine:
    """A fresh engine reading `folder`'s packs (packs are read once per engine)."""
    return PolicyEngine(Config(path=folder / "config.toml"))


def taught(folder: Path) -> Path:
    return folder / "packs" / "taught.toml"


# (command, mode, decision under ops_safe once taught, the entry's id)
TAUGHT = [
    ("beegfs-df -p", "--reads", "none", "taught.beegfs-df._p"),
    ("zzmodule avail -t", "--reads", "none", "taught.zzmodule.avail._t"),
    ("zzq-stat --all web1", "--reads", "none", "taught.zzq-stat.web1._all"),
    ("kamzz core.version -P", "--reads", "none", "taught.kamzz.core.version._-p"),
    ("zzlsm /srv/data", "--reads", "none", "taught.zzlsm.operand"),
    ("zzctl rotate-logs web1", "--changes", "action", "taught.zzctl.rotate-logs.web1"),
]


@pytest.mark.parametrize(("cmd", "mode", "level", "rule"), TAUGHT)
def test_teach_writes_an_entry_that_decides_the_command(
    capsys: pytest.CaptureFixture[str], config: Path, cmd: str, mode: str, level: str, rule: str
) -> None:
    before = verdict(engine(config), cmd, "ops_safe")
    code, out, err = run(capsys, "rules", "teach", mode, "--", cmd)
    assert (code, err) == (0, "")
    assert f'id = "{rule}"' in out and f"allow / confirm {level}" in out
    assert f"decided by {rule} ({taught(config)})" in out
    rules, _ = parse_pack(taught(config).read_text(encoding="utf-8"), "t", builtin=False)
    assert [r.id for r in rules] == [rule] and rules[0].examples == (cmd,)
    assert (verdict(engine(config), cmd, "ops_safe"), rules_of(engine(config), cmd)) == (
        level,
        [rule],
    )
    assert before != "typed"  # teach replaces only the unknown-tool answer


def test_an_operand_first_form_covers_operands_not_subcommands(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    assert run(capsys, "rules", "teach", "--", "zzlsm -l /srv/data")[0] == 0
    e = engine(config)
    for covered in ("zzlsm -l /srv/data", "zzlsm -l /var/lib/x", "zzlsm -l ./rel"):
        assert rules_of(e, covered) == ["taught.zzlsm.operand._l"], covered
    for other in ("zzlsm -l upgrade", "zzlsm -l update /srv", "zzlsm -l -- mount", "zzlsm -l W1"):
        assert "taught.zzlsm.operand._l" not in rules_of(e, other), other
        assert verdict(e, other, "ops_safe") != "none", other


def test_a_taught_change_is_no_longer_unknown_for_ops_strict(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    cmd = "zzctl rotate-logs web1"
    assert verdict(engine(config), cmd, "ops_strict") == "typed"
    assert run(capsys, "rules", "teach", "--changes", "--", cmd)[0] == 0
    assert verdict(engine(config), cmd, "ops_strict") == "action"
    assert verdict(engine(config), "zzctl rotate-logs web2", "ops_strict") == "typed"


def test_a_taught_read_is_knowledge_read_only_runs_it(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    """read_only denies a convention (`unknown.read_verb`), but runs what it knows."""
    assert verdict(engine(config), "zzfoo status", "read_only") == "deny"
    assert run(capsys, "rules", "teach", "--", "zzfoo status")[0] == 0
    assert verdict(engine(config), "zzfoo status", "read_only") == "none"


# After teaching `foo status -v` as a read: the forms it covers run unasked ...
COVERED = [
    "foo status -v",
    "foo status -vv web1",
    "foo status web1 -v db2",
    "sudo foo status -v",
    "timeout 5 foo status -v",
]
# ... and none it does not cover is lowered: (command, decision, a rule that decides).
NOT_COVERED = [
    ("foo status", "none", "unknown.read_verb"),
    ("foo status -v 'web1 db2'", "action", "unknown.command"),
    ("foo status --purge", "typed", "unknown.destroy_verb"),
    ("foo status -v --force-delete", "typed", "unknown.destroy_verb"),
    ("foo status purge", "action", "unknown.command"),
    ("foo status -- --wipe", "action", "unknown.command"),
    ("foo status -vf", "action", "unknown.command"),
    ("foo status --verbose", "action", "unknown.command"),
    ("foo status -v --unsafe", "typed", "unknown.unsafe_flag"),
    ("foo restart", "action", "unknown.command"),
    ("./foo status", "action", "unknown.command"),
    ("/tmp/foo status", "typed", "exec.temp_program"),
    ("echo purge | foo status", "action", "unknown.command"),
    ("foo status < /tmp/cmds", "action", "unknown.command"),
    ("bash -c 'foo status'", "action", "unknown.command"),
    ("PATH=/tmp:$PATH foo status", "typed", "exec.path_hijack"),
    ("foo() { zzbar wipe; }; foo status", "typed", "unknown.destroy_verb"),
    ("foo status /etc/shadow", "typed", "secret.read"),
    ("foo status -v > /etc/cron.d/x", "typed", "fs.write"),
    # a file in a temp folder may hold anything (written unasked as a fresh report)
    ("foo status -v /tmp/x.ini", "action", "taught.temp_input"),
    ("foo status -v web1 /dev/shm/q", "action", "taught.temp_input"),
    ("printf 'hook=sh\\n' > /tmp/x.ini; foo status -v /tmp/x.ini", "action", "unknown.command"),
    ("foo status; rm -rf /", "deny", "fs.delete"),
]


@pytest.fixture
def foo_status(capsys: pytest.CaptureFixture[str], config: Path) -> PolicyEngine:
    assert run(capsys, "rules", "teach", "--reads", "--", "foo status -v")[0] == 0
    return engine(config)


@pytest.mark.parametrize("cmd", COVERED)
def test_the_taught_form_covers_its_own_words_and_options(
    foo_status: PolicyEngine, cmd: str
) -> None:
    assert verdict(foo_status, cmd, "ops_safe") == "none"
    assert "taught.foo.status._v" in rules_of(foo_status, cmd)


@pytest.mark.parametrize(("cmd", "level", "rule"), NOT_COVERED)
def test_what_the_taught_form_does_not_cover_is_judged_as_before(
    foo_status: PolicyEngine, cmd: str, level: str, rule: str
) -> None:
    """The hostile agent's best move: harmless `foo status` calls until the operator
    teaches it, then a raised variant. None rides on the entry (it may match beside a
    credential, a redirection or another command, but never decides them)."""
    assert verdict(foo_status, cmd, "ops_safe") == level
    assert rules_of(foo_status, cmd)[0] == rule


WORDS = st.sampled_from(
    [
        "status",
        "web1",
        "-v",
        "-f",
        "--purge",
        "purge",
        "--",
        "token",
        "/etc/shadow",
        "/dev/sda",
        "install",
        "http://198.51.100.7/x.sh",
        "/tmp/x.sh",
        "--unsafe",
        "-o",
        "/etc/cron.d/x",
        "down",
        "json",
    ]
)


@pytest.mark.timeout(300)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(WORDS, max_size=5))
def test_a_taught_pack_never_relabels_a_raised_form(
    tmp_path_factory: pytest.TempPathFactory, words: list[str]
) -> None:
    """Any form of the taught tool: where the decision changes, the entry decided it,
    and a form the engine raised (typed or denied) without the entry is raised alike."""
    folder = tmp_path_factory.mktemp("taught")
    (folder / "packs").mkdir()
    cmd = " ".join(["foo", "status", *words])
    untaught = verdict(engine(folder), cmd, "ops_safe")
    (folder / "packs" / "taught.toml").write_text(FOO_STATUS, encoding="utf-8")
    now = verdict(engine(folder), cmd, "ops_safe")
    if untaught in ("typed", "deny"):
        assert now == untaught, cmd
    if now != untaught:
        assert "taught.foo.status" in rules_of(engine(folder), cmd), cmd


FOO_STATUS = """\
[[rules]]
id = "taught.foo.status"
commands = ["foo"]
words = ["status"]
exact_options = ["v"]
effect = "none"
message = "taught by the operator: only reads"
examples = ["foo status -v"]
"""


def test_a_hand_written_operator_read_keeps_the_conventions(config: Path) -> None:
    """An operator rule with no `exact_options` still lowers nothing a convention
    raises, nor a renamed program or a later verb."""
    (config / "packs").mkdir()
    broad = FOO_STATUS.replace('exact_options = ["v"]\n', "")
    (config / "packs" / "site.toml").write_text(broad, encoding="utf-8")
    e = engine(config)
    assert verdict(e, "foo status --anything", "ops_safe") == "none"
    assert verdict(e, "foo status --purge", "ops_safe") == "typed"
    assert verdict(e, "foo status user token", "ops_safe") == "typed"
    assert verdict(e, "foo status reset", "ops_safe") == "action"
    assert verdict(e, "./foo status", "ops_safe") == "action"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (FOO_STATUS.replace('["v"]', '"v"'), ""),
        (FOO_STATUS.replace('["v"]', "[1]"), "'exact_options' must be"),
    ],
)
def test_exact_options_is_a_list_of_option_names(text: str, problem: str) -> None:
    if not problem:
        rules, _ = parse_pack(text, "t.toml", builtin=False)
        assert rules[0].exact_options == frozenset({"v"})
        return
    with pytest.raises(PackError, match=problem):
        parse_pack(text, "t.toml", builtin=False)


# (command, exit code, what the one-line error says)
REFUSED = [
    ("ls -l", 1, "ls is known to aiperm"),
    ("git status", 1, "git is known to aiperm"),
    ("sudo zzfoo status", 1, "sudo is known to aiperm"),
    ("zzfoo purge", 1, "unknown.destroy_verb"),
    ("zzfoo user token", 1, "unknown.secret_word"),
    ("zzfoo status /etc/shadow", 1, "secret.read"),
    ("zzdisk write /dev/sda", 1, "unknown.device_operand"),
    ("zzfoo status | cat", 1, "one simple command only"),
    ("zzfoo status; zzfoo list", 1, "one simple command only"),
    ("zzfoo $(id)", 1, "one simple command only"),
    ("zzfoo status $HOME", 1, "one simple command only"),
    ("X=1 zzfoo status", 1, "one simple command only"),
    ("zzfoo status > /tmp/out", 1, "one simple command only"),
    ("./zzfoo status", 1, "no bare program name"),
    ("'zzfoo' status", 1, "no bare program name"),
    ("", 5, "no command given"),
    ("zzfoo 'status", 5, "cannot read the command"),
]


@pytest.mark.parametrize(("cmd", "code", "says"), REFUSED)
def test_teach_refuses_in_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], config: Path, cmd: str, code: int, says: str
) -> None:
    got, out, err = run(capsys, "rules", "teach", "--", cmd)
    assert (got, out) == (code, "")
    assert says in err and err.count("\n") == 1
    assert not taught(config).exists()


def test_a_known_tool_is_refused_naming_the_rule(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    code, _, err = run(capsys, "rules", "teach", "--", "systemctl restart nginx")
    assert code == 1 and "decided by systemctl.restart (" in err


def test_teaching_again_changes_nothing_and_other_options_are_another_form(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    assert run(capsys, "rules", "teach", "--", "beegfs-df -p")[0] == 0
    first = taught(config).read_bytes()
    code, out, _ = run(capsys, "rules", "teach", "--", "beegfs-df -p")
    assert code == 0 and out.startswith("already taught in")
    assert taught(config).read_bytes() == first
    assert run(capsys, "rules", "teach", "--", "beegfs-df -v")[0] == 0
    rules, _ = parse_pack(taught(config).read_text(encoding="utf-8"), "t", builtin=False)
    assert [(r.id, r.exact_options) for r in rules] == [
        ("taught.beegfs-df._p", frozenset({"p"})),
        ("taught.beegfs-df._v", frozenset({"v"})),
    ]
    assert verdict(engine(config), "beegfs-df -pv", "ops_safe") == "action"
    assert verdict(engine(config), "beegfs-df", "ops_safe") == "action"


def test_an_option_left_out_is_not_covered(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    """The agent's move the other way: the operator teaches `foo apply --dry-run` (a
    rehearsal), the agent then runs `foo apply`."""
    assert run(capsys, "rules", "teach", "--", "zzapp apply --dry-run")[0] == 0
    assert verdict(engine(config), "zzapp apply --dry-run", "ops_safe") == "none"
    assert rules_of(engine(config), "zzapp apply") == ["unknown.command"]


def test_teach_keeps_what_the_pack_held(capsys: pytest.CaptureFixture[str], config: Path) -> None:
    (config / "packs").mkdir()
    old = '# our site\'s tools\nread_only = ["zzsite-report"]\n\n' + FOO_STATUS
    taught(config).write_text(old, encoding="utf-8")
    assert run(capsys, "rules", "teach", "--", "zzbar list -a")[0] == 0
    text = taught(config).read_text(encoding="utf-8")
    assert text.startswith(old) and 'id = "taught.zzbar.list._a"' in text
    assert verdict(engine(config), "zzsite-report", "ops_safe") == "none"


@pytest.mark.parametrize(
    ("text", "says"),
    [("[[rules]\nid = ", "not valid TOML"), ('[[rules]]\nid = "x.y"\n', "'effect' must be")],
)
def test_a_broken_pack_file_is_left_as_it_is(
    capsys: pytest.CaptureFixture[str], config: Path, text: str, says: str
) -> None:
    (config / "packs").mkdir()
    taught(config).write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "rules", "teach", "--pack", str(taught(config)), "--", "zzfoo ls")
    assert code == 5 and says in err
    assert taught(config).read_text(encoding="utf-8") == text


def test_a_pack_path_under_a_file_is_exit_5(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    blocker = config / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    pack = blocker / "taught.toml"
    code, _, err = run(capsys, "rules", "teach", "--pack", str(pack), "--", "zzfoo frob")
    assert code == 5 and "cannot read" in err and err.count("\n") == 1


def test_a_failed_write_leaves_the_pack_and_no_temporary_file(
    capsys: pytest.CaptureFixture[str], config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rename is the only write of the pack (root may write anywhere, so the
    refusal is the rename's)."""
    assert run(capsys, "rules", "teach", "--", "beegfs-df -p")[0] == 0
    before = taught(config).read_bytes()

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("aiperm_tui.policy.teach.os.replace", refuse)
    code, _, err = run(capsys, "rules", "teach", "--", "zzfoo frob")
    assert code == 5 and "cannot write: Permission denied" in err
    assert taught(config).read_bytes() == before
    assert sorted(p.name for p in (config / "packs").iterdir()) == ["taught.toml"]


def test_another_pack_file_and_its_note(capsys: pytest.CaptureFixture[str], config: Path) -> None:
    elsewhere = config / "elsewhere.toml"
    code, out, _ = run(capsys, "rules", "teach", "--pack", str(elsewhere), "--", "zzfoo frob")
    assert code == 0 and "allow / confirm none" in out
    assert f"aiperm reads operator packs from {config / 'packs'} only" in out
    assert elsewhere.exists() and verdict(engine(config), "zzfoo frob", "ops_safe") == "action"


def test_forget_removes_the_entry_and_keeps_the_rest(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    assert run(capsys, "rules", "teach", "--", "beegfs-df -p")[0] == 0
    assert run(capsys, "rules", "teach", "--changes", "--", "zzctl rotate-logs")[0] == 0
    code, out, _ = run(capsys, "rules", "forget", "taught.beegfs-df._p")
    assert code == 0 and 'id = "taught.beegfs-df._p"' in out
    rules, _ = parse_pack(taught(config).read_text(encoding="utf-8"), "t", builtin=False)
    assert [r.id for r in rules] == ["taught.zzctl.rotate-logs"]
    assert rules_of(engine(config), "beegfs-df -p") == ["unknown.command"]
    code, _, err = run(capsys, "rules", "forget", "taught.beegfs-df._p")
    assert code == 5 and "no taught entry 'taught.beegfs-df._p'" in err


def test_forget_removes_only_taught_entries(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    (config / "packs").mkdir()
    site = FOO_STATUS.replace("taught.foo.status", "site.foo.status")
    taught(config).write_text(site, encoding="utf-8")
    code, _, err = run(capsys, "rules", "forget", "site.foo.status")
    assert code == 5 and "no taught entry" in err
    assert taught(config).read_text(encoding="utf-8") == site


def test_rules_test_runs_the_taught_examples(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    assert run(capsys, "rules", "teach", "--", "zzmodule avail -t")[0] == 0
    code, out, _ = run(capsys, "rules", "test", str(taught(config)))
    assert code == 0 and "1 rules, 0 tool tables, 2 examples, 0 failed" in out
    data = tomllib.loads(taught(config).read_text(encoding="utf-8"))
    assert data["rules"][0]["counter_examples"] == ["zzmodule avail --zz-untaught"]


def test_help_names_teach_and_forget(capsys: pytest.CaptureFixture[str], config: Path) -> None:
    with pytest.raises(SystemExit):
        main(["rules", "--help"])
    out = capsys.readouterr().out
    assert "aiperm rules teach [--reads | --changes] [--pack FILE] -- CMD" in out
    assert "forget" in out and "CMD cannot be taught" in out
    with pytest.raises(SystemExit):
        main(["rules", "teach", "--help"])
    out = capsys.readouterr().out
    for part in ("--reads", "--changes", "--pack FILE", "exit 1", "Exit 5", "taught.toml"):
        assert part in out


def test_only_the_operators_cli_and_screen_write_a_taught_entry() -> None:
    """The agent cannot cause an entry: nothing on the broker's or the agent's path
    imports the module that writes one, and only the TUI's key reloads the packs."""
    root = Path(__file__).resolve().parents[2] / "aiperm_tui"
    texts = {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in root.rglob("*.py")}
    writers = {
        name for name, text in texts.items() if "policy.teach" in text or "import teach" in text
    }
    reloaders = {name for name, text in texts.items() if "reload_policy(" in text}
    assert writers <= {"cli/rules.py", "tui/broker_screen.py"}
    assert reloaders == {"broker/core.py", "tui/broker_screen.py"}
