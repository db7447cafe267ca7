"""What a plain `aiperm check -- CMD` (a hook, once per command) does not import.

pathlib (with urllib.parse, ipaddress, fnmatch's neighbours and ntpath: ~4 ms) and
threading (~1 ms) were imported by every check; paths.py, config.py, the pack cache and
the regex cache now name files by string and take their locks from `_thread`. The check
runs with `-S` (site-packages on the path, no `.pth` file run): this machine's `.pth`
files import pathlib before any program starts, which would hide a regression.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AVOIDED = ("pathlib", "threading", "urllib.parse", "ipaddress", "ntpath")

pytestmark = pytest.mark.timeout(60)


def _check(command: str, home: Path) -> list[str]:
    """The output lines of one check in a fresh `python -S`, then the avoided modules it
    imported (the last line)."""
    code = (
        "import sys; from aiperm_tui.cli import main; code = main(['check', '--', "
        f"{command!r}]); print(sorted(m for m in {AVOIDED!r} if m in sys.modules), code)"
    )
    import_path = os.pathsep.join([str(ROOT), *site.getsitepackages()])
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PYTHONPATH": import_path,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=True,
    ).stdout.splitlines()


@pytest.mark.parametrize(
    ("command", "confirm"), [("ls -la /var/log", "none"), ("rm -rf /srv/app", "typed")]
)
def test_a_plain_check_imports_no_pathlib_nor_threading(
    command: str, confirm: str, tmp_path: Path
) -> None:
    """Cold (the caches written) and warm (read), the decision is the usual one."""
    cold, warm = _check(command, tmp_path), _check(command, tmp_path)
    assert cold == warm
    assert warm[-1] == "[] 0"
    assert f"confirm: {confirm} " in warm[0]
    assert list((tmp_path / "cache" / "aiperm").glob("packs-*.json"))


def test_a_config_file_is_still_read(tmp_path: Path) -> None:
    """With a config file, pathlib is imported to read it (as tomllib is), and its rules
    decide: a deny rule of the operator's denies."""
    folder = tmp_path / "config" / "aiperm"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text(
        '[[rules]]\npattern = "ls -la /var/log"\nmatch = "exact"\naction = "deny"\n'
    )
    out = _check("ls -la /var/log", tmp_path)
    assert out[0].startswith("DENY") and out[-1].endswith(" 1")
