"""`aiperm init` writes the shipped, commented example config: the user's new file is
valid, sets the default host asked for, keeps every documented key and comment, and
has the example's sample hosts and rules commented out."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from aiperm_tui import paths
from aiperm_tui.cli import main
from aiperm_tui.cli.init import example_path, starter_text
from aiperm_tui.config import load_config
from aiperm_tui.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]


def test_init_writes_the_commented_example(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AIPERM_CONFIG", raising=False)
    assert main(["init", "--default-host", "db-1"]) == 0
    text = paths.config_path().read_text()
    example = (ROOT / "config.example.toml").read_text()
    comments = [line for line in example.splitlines() if line.startswith("# ")]
    assert all(line in text for line in comments)  # the documentation came along
    config = load_config()
    assert config.default_host == "db-1" and not config.hosts and not config.rules
    assert '# hostname = "web1.example.com"' in text  # samples there to uncomment


def test_without_a_default_host_the_line_is_commented_out() -> None:
    text = starter_text(example_path().read_text(), None)
    assert "default_host" not in tomllib.loads(text)


def test_a_host_name_is_quoted_as_toml() -> None:
    text = starter_text(example_path().read_text(), 'we"b')
    assert tomllib.loads(text)["default_host"] == 'we"b'


def test_an_example_of_another_shape_is_refused() -> None:
    with pytest.raises(UsageError, match="expected layout"):
        starter_text('preset = "ops_safe"\n', "web1")


def test_the_wheel_ships_the_example() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["config.example.toml"] == "aiperm_tui/config.example.toml"
