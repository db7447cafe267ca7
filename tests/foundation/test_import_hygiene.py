"""The core never imports Textual or Rich: it must work headless and start fast.

Each core module is imported in a fresh interpreter and the test checks sys.modules,
so a stray import anywhere in the module's import graph fails here."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import aiperm_tui

UI_MODULES = ("aiperm_tui.tui", "aiperm_tui.cli.tui", "aiperm_tui.cli.replay")


def core_modules() -> list[str]:
    root = Path(aiperm_tui.__file__).parent
    names = [info.name for info in pkgutil.walk_packages([str(root)], "aiperm_tui.")]
    return sorted(n for n in names if not n.startswith(UI_MODULES) and not n.endswith("__main__"))


def test_there_are_core_modules_to_check() -> None:
    assert "aiperm_tui.config" in core_modules()


@pytest.mark.parametrize("module", core_modules())
def test_core_module_imports_no_textual(module: str) -> None:
    code = (
        f"import sys, {module}; print(sorted(m for m in ('textual', 'rich') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"{module} pulls in {result.stdout.strip()}"
