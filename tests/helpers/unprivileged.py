"""Running the broker side as an unprivileged user.

CI runs as root, and root sees through what stops an ordinary user (a non-dumpable
process's /proc files, ptrace, file modes). So when the tests run as root, the scenarios
that must hold for an ordinary user run as the `aiperm-ci` account (.ci/run makes it),
with `runuser`. That account needs a Python it can execute (the test's own may sit in
root's 0700 home, as pyenv does): the first of sys.executable, /usr/bin/python3,
/usr/local/bin/python3 that it can run. The checkout may sit there too, so aiperm's
package, the scenario scripts and the one pure-Python dependency the core agent modules
import (platformdirs) are copied to a world-readable folder for it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import platformdirs
import pytest
from helpers.prereq import fail_or_skip

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "security"
ACCOUNT = "aiperm-ci"
CANDIDATES = (sys.executable, "/usr/bin/python3", "/usr/local/bin/python3")
# The venv .ci/run makes (as root) on a Python the account can run, with aiperm's test
# dependencies: where the tests that need the account to run aiperm's own Python go.
CI_VENV = Path("/opt/aiperm-ci/venv")


@dataclass(frozen=True)
class Runner:
    """How to run a Python script as the unprivileged user: `prefix + [script, ...]`,
    with `env`; `scripts` holds the scenario scripts and their agents; `uid` owns the folders
    the script works in."""

    prefix: tuple[str, ...]
    scripts: Path
    env: dict[str, str]
    uid: int
    gid: int

    def folder(self) -> Path:
        """A fresh folder in /tmp that the runner's user owns (pytest's own are 0700)."""
        path = Path(tempfile.mkdtemp(prefix="aiperm-security-"))
        os.chown(path, self.uid, self.gid)
        return path


def _as_account(python: str, code: str, env: dict[str, str]) -> bool:
    done = subprocess.run(
        ["runuser", "-u", ACCOUNT, "--", python, "-c", code],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return done.returncode == 0


def _minimal_env(pythonpath: str) -> dict[str, str]:
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin",
        "LANG": "C.UTF-8",
        "PYTHONPATH": pythonpath,
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def as_root() -> Runner:
    """The runner for the test's own user, whoever that is."""
    return Runner(
        (sys.executable,), HERE, {**os.environ, "PYTHONPATH": str(ROOT)}, os.getuid(), os.getgid()
    )


@pytest.fixture(scope="session")
def unprivileged() -> Iterator[Runner]:
    """The runner for the unprivileged side (the test's own user when it is not root)."""
    if os.geteuid() != 0:
        yield Runner((sys.executable,), HERE, _minimal_env(str(ROOT)), os.getuid(), os.getgid())
        return
    if shutil.which("runuser") is None:
        fail_or_skip("running as root needs `runuser` to act as an ordinary user")
    try:
        account = pwd.getpwnam(ACCOUNT)
    except KeyError:
        fail_or_skip(
            f"running as root, the security tests need an unprivileged account: "
            f"`useradd -m -s /bin/bash {ACCOUNT}` (.ci/run makes it)"
        )
    libs = Path(tempfile.mkdtemp(prefix="aiperm-security-lib-"))
    libs.chmod(0o755)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(Path(platformdirs.__file__).parent, libs / "platformdirs", ignore=ignore)
    shutil.copytree(ROOT / "aiperm_tui", libs / "aiperm_tui", ignore=ignore)
    (libs / "security").mkdir()
    for name in ("scenario.py", "hostile_agent.py", "net_scenario.py", "net_agent.py"):
        shutil.copy(HERE / name, libs / "security" / name)
    env = _minimal_env(str(libs))
    check = "import sys; assert sys.version_info >= (3, 11); import aiperm_tui.agent.process"
    python = next((p for p in CANDIDATES if os.path.exists(p) and _as_account(p, check, env)), None)
    try:
        if python is None:
            fail_or_skip(
                f"no Python >= 3.11 that {ACCOUNT} can run and import aiperm with "
                f"(tried {', '.join(CANDIDATES)})"
            )
        yield Runner(
            ("runuser", "-u", ACCOUNT, "--", str(python)),
            libs / "security",
            env,
            account.pw_uid,
            account.pw_gid,
        )
    finally:
        shutil.rmtree(libs, ignore_errors=True)
