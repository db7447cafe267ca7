"""Shared test setup: every test runs with its own HOME, config, data and runtime folders,
so nothing reads or writes the developer's real ~/.ssh, config or session logs.

The suite also leaves the checkout as it found it (.ci/run checks `git status --ignored`
after it): the README's command runs `python -B` so this process writes no bytecode, and
the Python subprocesses the tests start inherit PYTHONDONTWRITEBYTECODE (the ones aiperm
starts with a minimal environment get it through `paths.bytecode_env`). Not
PYTHONPYCACHEPREFIX: a fresh prefix hides the interpreter's own cached bytecode too, and
every child would compile the standard library and its dependencies again. Hypothesis
keeps its example database in a scratch folder, pyproject turns the pytest cache off, and
a failed snapshot's report is written to the scratch folder too (its path is printed).
The scratch folder is removed at the end unless it holds that report.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

pytest_plugins = ["helpers.sshd"]

SCRATCH = Path(tempfile.mkdtemp(prefix="aiperm-tests-"))
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(SCRATCH / "hypothesis")
SNAPSHOT_REPORT = SCRATCH / "snapshot_report.html"


def pytest_configure(config: pytest.Config) -> None:
    """pytest-textual-snapshot writes its failure report into the working directory."""
    if config.getoption("--snapshot-report", None) == "snapshot_report.html":
        config.option.snapshot_report = str(SNAPSHOT_REPORT)


def pytest_unconfigure(config: pytest.Config) -> None:
    if not SNAPSHOT_REPORT.exists():
        shutil.rmtree(SCRATCH, ignore_errors=True)


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh HOME and XDG folders; aiperm's environment variables cleared."""
    root = tmp_path_factory.mktemp("home")
    for var in (
        "AIPERM_CONFIG",
        "AIPERM_DATA_DIR",
        "AIPERM_AUDIT_KEY",
        "AIPERM_AUDIT_KEY_FILE",
        "AIPERM_SOCKET",
        "AIPERM_TOKEN",
        "SSH_AUTH_SOCK",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(root))
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_RUNTIME_DIR", "run"),
    ):
        (root / sub).mkdir(parents=True, mode=0o700)
        monkeypatch.setenv(var, str(root / sub))
    return root
