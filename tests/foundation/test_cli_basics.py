"""The `aiperm` command itself: version, help, usage errors, `aiperm init`."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from aiperm_tui import __version__, paths
from aiperm_tui.cli import build_parser, main
from aiperm_tui.config import load_config


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aiperm_tui", *args], capture_output=True, text=True, timeout=60
    )


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"aiperm {__version__}"


def test_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for name in (
        "tui",
        "demo",
        "check",
        "run",
        "sessions",
        "replay",
        "verify",
        "export",
        "report",
        "init",
        "ask",
        "mcp",
    ):
        assert f"\n    {name}" in result.stdout, name
    assert "exit codes" in result.stdout


def test_every_subcommand_has_help_with_config_option() -> None:
    parser = build_parser()
    subs = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subs.choices.items():
        text = sub.format_help()
        assert "--config" in text, name
        assert "not implemented" not in text, f"aiperm {name} is still a placeholder"


def test_usage_error_exits_5_with_one_line() -> None:
    result = run_cli("no-such-command")
    assert result.returncode == 5
    assert result.stderr.strip().count("\n") == 0 or "usage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_command_prints_help_and_exits_5(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 5
    assert "usage: aiperm" in capsys.readouterr().out


def test_init_writes_config_and_key_then_refuses_to_overwrite(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["init", "--default-host", "web1"]) == 0
    config_file, key_file = paths.config_path(), paths.key_path()
    assert load_config().default_host == "web1"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    assert key.strip() not in capsys.readouterr().out  # the key is never printed

    assert main(["init"]) == 5
    assert "already exists" in capsys.readouterr().err
    assert main(["init", "--force"]) == 0
    assert key_file.read_text() == key  # --force never replaces the audit key
    assert "default_host" not in tomllib.loads(config_file.read_text())


def test_init_honours_config_option(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "aiperm.toml"
    assert main(["init", "--config", str(target)]) == 0
    assert load_config(target).preset == "ops_safe"
    assert not paths.config_path().exists()


def test_version_is_fast_and_imports_nothing_heavy() -> None:
    code = (
        "import sys, runpy; sys.argv=['aiperm','--version'];"
        "from aiperm_tui.cli import main; main();"
        "print([m for m in ('textual','paramiko','bashlex','rich') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ}, timeout=60
    ).stdout
    assert out.splitlines()[-1] == "[]"
