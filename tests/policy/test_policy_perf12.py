"""toolbox's judges live in `judges/`, one module per family, loaded the first time a
command they judge is (perf12). The static table that says which module judges which
command is held here to what the modules register, so it cannot drift; and a check
imports only the families its commands need. What the engine decides is unchanged (the
corpus parts and `aiperm rules test` hold it)."""

from __future__ import annotations

import os
import pkgutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from aiperm_tui.policy import judges, toolbox

ROOT = Path(__file__).resolve().parents[2]
JUDGES = "aiperm_tui.policy.judges."

pytestmark = pytest.mark.timeout(60)


def _registered() -> dict[str, set[str]]:
    """Each family module's command names, as its `handles` decorators register them."""
    for family in toolbox._FAMILIES:
        __import__(JUDGES + family)
    found: dict[str, set[str]] = {}
    for name, fn in toolbox._HANDLERS.items():
        found.setdefault(fn.__module__.removeprefix(JUDGES), set()).add(name)
    return found


def test_the_family_table_names_what_each_module_registers() -> None:
    table = {family: set(names.split()) for family, names in toolbox._FAMILIES.items()}
    assert table == _registered()


def test_no_command_is_listed_under_two_families() -> None:
    listed = [name for names in toolbox._FAMILIES.values() for name in names.split()]
    assert len(listed) == len(set(listed)) == len(toolbox._FAMILY_OF)


def test_every_module_of_the_judges_package_is_a_family() -> None:
    modules = {m.name for m in pkgutil.iter_modules(judges.__path__)}
    assert modules == set(toolbox._FAMILIES)


def test_every_listed_command_finds_its_judge() -> None:
    assert all(toolbox.handler_of(name) is not None for name in toolbox._FAMILY_OF)
    assert toolbox.handler_of("zztool") is None
    assert toolbox.judged_in_code("rm") and not toolbox.judged_in_code("ls")


def _families_loaded(command: str) -> list[str]:
    """The judges' modules one `aiperm check -- command` imports, in a fresh process."""
    code = (
        "import sys; from aiperm_tui.cli import main; main(['check', '--', "
        f"{command!r}]); print(' '.join(sorted(m.removeprefix({JUDGES!r}) for m in "
        f"sys.modules if m.startswith({JUDGES!r}))))"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/root"),
        "PYTHONPATH": os.pathsep.join([str(ROOT), *site.getsitepackages()]),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    out = subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    ).stdout.splitlines()
    return out[-1].split()


@pytest.mark.parametrize(
    ("command", "families"),
    [
        ("ls -la /var/log", []),
        ("rm -rf /srv/app", ["files"]),
        ("git push --force origin main", ["git"]),
        ("kubectl delete namespace prod", ["containers"]),
        ("psql -c 'drop database app'", ["databases"]),
    ],
)
def test_a_check_loads_only_the_families_its_commands_need(
    command: str, families: list[str]
) -> None:
    assert _families_loaded(command) == families
