"""`aiperm rules list|test|explain` and `aiperm check --explain` (in-process)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aiperm_tui.cli import main

GOOD = """
[[rules]]
id = "site.flush_cache"
commands = ["cachectl"]
words = ["flush"]
effect = "destroy"
severity = "high"
message = "empties the shared cache"
examples = ["cachectl flush --all"]
counter_examples = ["cachectl stats"]
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config folder with no packs (the user's own config must not leak in)."""
    path = tmp_path / "config.toml"
    path.write_text("", encoding="utf-8")
    monkeypatch.setenv("AIPERM_CONFIG", str(path))
    return tmp_path


def test_list_shows_every_pack_and_filters_by_command(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    code, out, _ = run(capsys, "rules", "list")
    assert code == 0
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
        assert f"packs/{family}.toml:" in out
    code, out, _ = run(capsys, "rules", "list", "--command", "git")
    assert code == 0 and "git.ext_url" in out and "tar.runs_program" not in out
    assert "tools.git " in out and "tools.systemctl" not in out  # its subcommand table
    code, out, _ = run(capsys, "rules", "list", "--command", "systemctl")
    assert code == 0 and re.search(r"tools\.systemctl +read \d+, (low \d+, )?high \d+ ", out), out


def test_test_runs_every_example(capsys: pytest.CaptureFixture[str], config: Path) -> None:
    code, out, _ = run(capsys, "rules", "test")
    assert code == 0 and out.rstrip().endswith(", 0 failed")


def test_a_built_in_pack_is_tested_by_its_path(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    """A built-in pack named by its path is the one already loaded, not a clashing copy."""
    from aiperm_tui.policy import packs

    path = Path(packs.__file__).parent / "packs" / "egress.toml"
    code, out, _ = run(capsys, "rules", "test", str(path))
    count = path.read_text(encoding="utf-8").count("[[rules]]")
    assert code == 0 and out.startswith(f"{count} rules, 0 tool tables, "), out
    assert out.rstrip().endswith(" examples, 0 failed"), out


def test_an_operator_pack_is_listed_tested_and_applied(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    (config / "packs").mkdir()
    pack = config / "packs" / "site.toml"
    pack.write_text(GOOD, encoding="utf-8")
    assert "site.flush_cache" in run(capsys, "rules", "list")[1]
    code, out, _ = run(capsys, "rules", "test", str(pack))
    assert code == 0 and "1 rules, 0 tool tables, 2 examples, 0 failed" in out
    code, out, _ = run(capsys, "check", "--explain", "--", "cachectl flush --all")
    assert code == 0 and "decided by site.flush_cache" in out and str(pack) in out
    assert "at [9:14] 'flush'" in out


def test_a_failing_example_exits_1_and_names_the_rule(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    pack = config / "wrong.toml"
    pack.write_text(GOOD.replace('"cachectl stats"', '"cachectl flush now"'), encoding="utf-8")
    code, out, _ = run(capsys, "rules", "test", str(pack))
    assert code == 1
    assert "rule 'site.flush_cache' matches its counter-example 'cachectl flush now'" in out


def test_a_broken_operator_pack_is_one_line_exit_5(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    (config / "packs").mkdir()
    (config / "packs" / "bad.toml").write_text(
        GOOD.replace('effect = "destroy"', 'effect = "maybe"'), encoding="utf-8"
    )
    code, _, err = run(capsys, "rules", "list")
    assert code == 5
    assert "bad.toml: rule 'site.flush_cache': 'effect' must be one of" in err
    assert err.count("\n") == 1


def test_explain_names_the_rule_and_the_span(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    code, out, _ = run(capsys, "rules", "explain", "--", "git -c core.pager='sh -c id' log")
    assert code == 0
    assert "decided by git.config_runs_program (packs/git.toml), high" in out
    code, out, _ = run(capsys, "rules", "explain", "--", "pwd")
    assert "no finding" in out


def test_explain_without_a_command_is_usage(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    assert run(capsys, "rules", "explain")[0] == 5


def test_check_with_a_broken_operator_pack_is_one_line_exit_5(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    (config / "packs").mkdir()
    (config / "packs" / "bad.toml").write_text("rules = [", encoding="utf-8")
    code, _, err = run(capsys, "check", "--", "ls")
    assert code == 5 and "bad.toml: not valid TOML" in err and err.count("\n") == 1
