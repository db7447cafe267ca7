"""CI runs what the README tells a newcomer to run, and gates what it says it gates."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = "# The README's test command"


def _ci_test_command() -> str:
    """The first command after the marker comment in .ci/run."""
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(MARKER))
    return next(line for line in lines[start:] if line and not line.startswith(("#", "echo")))


def test_the_readme_test_command_is_the_one_ci_runs() -> None:
    command = _ci_test_command()
    assert "pytest" in command
    readme = (ROOT / "README.md").read_text()
    assert command in readme, f"README.md does not show CI's test command: {command}"


def test_ci_runs_every_gate_before_the_tests() -> None:
    text = (ROOT / ".ci" / "run").read_text()
    gates = re.findall(r'^gate "[^"]*" (\S+(?: \S+)?)', text, re.M)
    assert [g.split(" --")[0] for g in gates] == [
        "ruff check",
        "ruff format",
        "mypy",
        "lint-imports",
    ]
    assert text.index("\ngate ") < text.index(_ci_test_command())
    assert re.search(r"^set -euo pipefail$", text, re.M)  # a failing gate stops the run
