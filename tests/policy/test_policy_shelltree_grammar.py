"""tree-sitter-bash's grammar as `aiperm check` loads it (its extension module, without
the package's `__init__`) is the grammar `import tree_sitter_bash` gives, and a check
loads none of what that `__init__` and dataclasses would bring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import tree_sitter
import tree_sitter_bash

from aiperm_tui.policy import shelltree

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "policy" / "corpus.jsonl"


def _commands() -> list[str]:
    rows = [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]
    return [row["cmd"] for row in rows][:400]


def test_the_grammar_loaded_directly_parses_as_the_package_does() -> None:
    direct = tree_sitter.Parser(tree_sitter.Language(shelltree._bash_grammar()))
    usual = tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))
    commands = _commands()
    assert len(commands) > 100
    for command in commands:
        text = command.encode("utf-8", "surrogatepass")
        assert str(direct.parse(text).root_node) == str(usual.parse(text).root_node), command


@pytest.mark.timeout(60)
def test_a_check_loads_neither_the_grammar_package_nor_dataclasses() -> None:
    """A hook's check: the grammar without tree_sitter_bash's `__init__` (nor the
    importlib.resources it imports), the value classes without dataclasses, and no
    typing (tree-sitter's `_binding` without its `__init__`, and the engine's modules
    import typing for mypy only)."""
    unwanted = ("tree_sitter_bash", "dataclasses", "inspect", "platformdirs", "typing")
    code = (
        "import sys; from aiperm_tui.cli import main; code = main(['check', '--', 'ls -la']);"
        f"print(sorted(m for m in {unwanted!r} if m in sys.modules), code)"
    )
    # -S, the site-packages on the path: no .pth file of this machine's imports for it
    packages = os.pathsep.join(p for p in sys.path if p.endswith("site-packages"))
    # The second check, as every hook's after the first (the first fills the pack cache,
    # reading the packs with tomllib, which imports typing)
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, "-S", "-c", code],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{packages}"},
            cwd=ROOT,
            timeout=60,
            check=True,
        ).stdout
    assert out.splitlines()[0].startswith("ALLOW")
    assert out.splitlines()[-1] == "[] 0"
