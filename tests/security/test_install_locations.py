"""The sandbox starts the agent wherever aiperm and the agent are installed: a venv (its
`bin/python` a symlink to the base interpreter), a checkout or a script under /tmp (a
fresh tmpfs inside), a path reached through a symlinked folder. It binds what the
programs need at their real paths, re-creating the symlinks on the way, and still never
binds a protected folder or socket, nor one that contains or lies in one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest
from helpers.bwrap import needs_bwrap
from helpers.unprivileged import HERE, ROOT
from security.sandboxed_run import run_sandboxed

from aiperm_tui.agent.sandbox import (
    SandboxError,
    SandboxSpec,
    bwrap_command,
    check_bind,
    runtime_paths,
    symlinks_on_the_way,
)

# Reports where it runs from, and whether it can read a file beside its own script.
AGENT = """\
import json, pathlib, sys
here = pathlib.Path(sys.argv[0])
try:
    beside = (here.parent / "secret.txt").read_text()
except OSError as exc:
    beside = type(exc).__name__
print("report", json.dumps({"prefix": sys.prefix, "argv0": sys.argv[0], "beside": beside}),
      flush=True)
"""


@pytest.fixture
def under_tmp() -> Iterator[Path]:
    """A folder directly under /tmp (pytest's own may be elsewhere), removed after."""
    path = Path(tempfile.mkdtemp(prefix="aiperm-install-", dir="/tmp"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def copy_agent(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "agent.py"
    script.write_text(AGENT)
    (folder / "secret.txt").write_text("not for the agent\n")
    return script


@pytest.mark.timeout(60)
@needs_bwrap
def test_script_copied_under_tmp(under_tmp: Path, tmp_path: Path) -> None:
    script = copy_agent(under_tmp / "scripts")
    project = tmp_path / "project"
    project.mkdir()
    report = run_sandboxed([sys.executable, str(script)], project)
    assert report["argv0"] == str(script)
    # the script is bound alone, not its folder
    assert report["beside"] == "FileNotFoundError"


@pytest.mark.timeout(90)
@needs_bwrap
def test_venv_interpreter_under_tmp_through_a_symlinked_folder(
    under_tmp: Path, tmp_path: Path
) -> None:
    env_dir = under_tmp / "real" / "venv"
    venv.create(env_dir, with_pip=False, symlinks=True)
    (under_tmp / "link").symlink_to(under_tmp / "real")
    python = under_tmp / "link" / "venv" / "bin" / "python"
    assert python.is_symlink() or python.parent.is_symlink() or (under_tmp / "link").is_symlink()
    script = copy_agent(under_tmp / "scripts")
    project = tmp_path / "project"
    project.mkdir()
    report = run_sandboxed([str(python), str(script)], project)
    # Python found the venv's pyvenv.cfg through the re-created symlinks
    assert report["prefix"] == str(python.parent.parent)


@pytest.mark.timeout(90)
@needs_bwrap
def test_broker_running_from_a_venv_under_tmp(under_tmp: Path, tmp_path: Path) -> None:
    """The broker's own Python is a venv under /tmp (CI's clean clone): the agent it starts
    with that Python (as the demo starts its scripted agent) runs in the sandbox."""
    env_dir = under_tmp / "venv"
    venv.create(env_dir, with_pip=False, symlinks=True)
    python = str(env_dir / "bin" / "python")
    project = tmp_path / "project"
    project.mkdir()
    site_packages = Path(platformdirs.__file__).parent.parent  # aiperm's one dependency here
    done = subprocess.run(
        [python, str(HERE / "sandboxed_run.py"), str(project), python, "-c", AGENT],
        env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{site_packages}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["prefix"] == str(env_dir)


def test_symlinks_on_the_way(tmp_path: Path) -> None:
    (tmp_path / "real" / "bin").mkdir(parents=True)
    (tmp_path / "real" / "bin" / "tool").write_text("")
    (tmp_path / "link").symlink_to(tmp_path / "real")  # absolute
    (tmp_path / "real" / "bin" / "alias").symlink_to("tool")  # relative
    (tmp_path / "up").symlink_to("link/bin/../bin/alias")  # relative, with ..
    met, real = symlinks_on_the_way(tmp_path / "up")
    assert real == (tmp_path / "real" / "bin" / "tool").resolve()
    assert [where.name for where, _ in met] == ["up", "link", "alias"]
    (tmp_path / "loop").symlink_to("loop")
    met, _ = symlinks_on_the_way(tmp_path / "loop")
    assert len(met) == 40  # a loop ends at the kernel's own limit


def test_runtime_binds_real_paths_and_recreates_links(under_tmp: Path) -> None:
    script = copy_agent(under_tmp / "real")
    (under_tmp / "link").symlink_to(under_tmp / "real")
    runtime = runtime_paths([sys.executable, str(under_tmp / "link" / "agent.py")])
    assert runtime.files == (script,)
    assert (under_tmp / "link", str(under_tmp / "real")) in runtime.links
    assert Path(__file__).resolve().parents[2] in runtime.folders
    assert not any(str(f).startswith("/usr/") for f in runtime.folders)


def test_no_bind_of_tmp_or_run_whole_nor_inside_a_protected_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    spec = SandboxSpec(home=home, protected=(tmp_path / "data",))
    for whole in ("/tmp", "/run", "/var/tmp"):
        with pytest.raises(SandboxError, match="the whole home, root or a temporary folder"):
            check_bind(Path(whole), spec)
    for inside in (home / ".ssh" / "keys", tmp_path / "data" / "sessions"):
        with pytest.raises(SandboxError, match="it lies in"):
            check_bind(inside, spec)


def test_a_folder_under_tmp_holding_a_live_socket_is_refused(
    under_tmp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout under /tmp that happens to hold the operator's ssh-agent or tmux socket
    does not open it up: the bind is refused with the socket named."""
    spec = SandboxSpec(home=tmp_path / "home", protected=())
    for variable, value in (
        ("SSH_AUTH_SOCK", under_tmp / "ssh-x" / "agent.1"),
        ("TMUX", f"{under_tmp}/tmux-0/default,123,0"),
        ("DBUS_SESSION_BUS_ADDRESS", f"unix:path={under_tmp}/bus,guid=1"),
    ):
        monkeypatch.setenv(variable, str(value))
        with pytest.raises(SandboxError, match=f"it contains {under_tmp}/"):
            check_bind(under_tmp, spec)
        monkeypatch.delenv(variable)
    check_bind(under_tmp, spec)  # with none of them live, the folder itself is fine


def test_a_script_in_a_protected_folder_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    key = home / ".ssh" / "id_ed25519"
    key.parent.mkdir(parents=True)
    key.write_text("PRIVATE\n")
    spec = SandboxSpec(bwrap="bwrap", home=home)
    with pytest.raises(SandboxError, match=r"\.ssh; name a script outside it"):
        bwrap_command(
            spec, [sys.executable, str(key)], project=tmp_path / "p", seccomp_fd=3, env_fd=4
        )
