"""Where the sandbox cannot be had, `aiperm tui` refuses to start the agent (exit 5, one
line with the cause and the fix); `aiperm doctor` reports each layer; `off` is said."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.bwrap import needs_bwrap
from helpers.unprivileged import ROOT
from helpers.waiting import wait_until

from aiperm_tui.agent.sandbox import (
    SandboxError,
    SandboxSpec,
    bwrap_command,
    check_bind,
    env_args,
)


def aiperm(
    *args: str, path: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "aiperm_tui", *args],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def fake_bwrap(folder: Path, said: str) -> str:
    """A `bwrap` that fails the way a machine without user namespaces makes it fail."""
    folder.mkdir()
    program = folder / "bwrap"
    program.write_text(f"#!/bin/sh\necho 'bwrap: {said}' >&2\nexit 1\n")
    program.chmod(stat.S_IRWXU)
    return f"{folder}{os.pathsep}/usr/bin:/bin"


def tui(project: Path, *extra: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    config = project / "config.toml"
    config.write_text('default_host = "web1"\n[hosts.web1]\nhostname = "192.0.2.1"\n')
    return aiperm(
        "tui",
        "--config",
        str(config),
        *extra,
        "--",
        sys.executable,
        "-c",
        "pass",
        path=path,
        cwd=project,
    )


@pytest.mark.timeout(60)
def test_refuses_when_user_namespaces_fail(tmp_path: Path) -> None:
    path = fake_bwrap(tmp_path / "bin", "setting up uid map: Permission denied")
    (tmp_path / "project").mkdir()
    done = tui(tmp_path / "project", path=path)
    assert done.returncode == 5
    (line,) = done.stderr.splitlines()
    assert line.startswith(
        "aiperm: error: cannot isolate the agent: bwrap cannot create its "
        "namespaces (bwrap: setting up uid map: Permission denied)"
    )
    assert "user namespaces" in line or "userns" in line
    assert "--sandbox off" in line


@pytest.mark.timeout(60)
def test_refuses_without_bwrap(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "project").mkdir()
    done = tui(tmp_path / "project", path=str(tmp_path / "empty"))
    assert done.returncode == 5
    assert done.stderr.splitlines() == [
        "aiperm: error: cannot isolate the agent: bwrap not found: install bubblewrap "
        "(Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap; Arch: "
        "pacman -S bubblewrap) (or run with --sandbox off, and the agent is not isolated)"
    ]


@pytest.mark.timeout(60)
@needs_bwrap
def test_refuses_to_bind_home_as_the_project(isolated_home: Path) -> None:
    done = tui(isolated_home)
    assert done.returncode == 5
    (line,) = done.stderr.splitlines()
    assert f"will not bind {isolated_home} into the agent's sandbox" in line


def test_no_bind_may_hold_aiperm_files_or_keys(tmp_path: Path) -> None:
    home = tmp_path / "home"
    spec = SandboxSpec(home=home, protected=(tmp_path / "data",))
    for bad in (home, tmp_path, tmp_path / "data", Path("/"), home / ".ssh"):
        with pytest.raises(SandboxError, match="will not bind"):
            check_bind(bad, spec)
    check_bind(home / "project", spec)  # a project folder in HOME is fine


def test_command_line_shape(tmp_path: Path) -> None:
    spec = SandboxSpec(
        bwrap="/usr/bin/bwrap",
        home=tmp_path / "home",
        protected=(),
        read_only=(tmp_path / "ro",),
        read_write=(tmp_path / "rw",),
        env={"HTTPS_PROXY": "http://127.0.0.1:3128"},
        prefix=("relay", "--"),
        sockets=tmp_path / "sock",
    )
    argv = bwrap_command(
        spec, ["agent", "--flag"], project=tmp_path / "project", seccomp_fd=7, env_fd=8
    )
    text = " ".join(argv)
    assert argv[:9] == [
        "/usr/bin/bwrap",
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--clearenv",
        "--args",
        "8",
    ]
    assert env_args(spec, {"PATH": "/usr/bin", "AIPERM_TOKEN": "t"}) == [
        "--setenv",
        "PATH",
        "/usr/bin",
        "--setenv",
        "AIPERM_TOKEN",
        "t",
        "--setenv",
        "HTTPS_PROXY",
        "http://127.0.0.1:3128",
    ]
    assert "--share-net" not in argv
    assert argv[-4:] == ["relay", "--", "agent", "--flag"]
    for fragment in (
        f"--tmpfs {tmp_path / 'home'}",
        "--tmpfs /tmp",
        "--tmpfs /run",
        f"--ro-bind-try {tmp_path / 'ro'}",
        f"--bind {tmp_path / 'rw'}",
        f"--bind {tmp_path / 'project'}",
        f"--ro-bind {tmp_path / 'sock'}",
        f"--chdir {tmp_path / 'project'}",
        "--seccomp 7",
        "--proc /proc",
    ):
        assert fragment in text
    # the home tmpfs comes before the binds that re-open parts of it
    assert argv.index(str(tmp_path / "home")) < argv.index(str(tmp_path / "project"))


@pytest.mark.timeout(60)
@needs_bwrap
def test_doctor_reports_each_layer() -> None:
    done = aiperm("doctor")
    assert done.returncode == 0, done.stdout + done.stderr
    names = [line.split(":")[0] for line in done.stdout.splitlines()[:-1]]
    assert names == [
        "ok    bwrap",
        "ok    user namespaces",
        "ok    seccomp",
        "ok    network by allowlist",
        "ok    non-dumpable broker",
        "ok    dies with the broker",
    ]


@pytest.mark.timeout(60)
def test_doctor_fails_with_the_cause(tmp_path: Path) -> None:
    done = aiperm(
        "doctor", path=fake_bwrap(tmp_path / "bin", "No permissions to create a new namespace")
    )
    assert done.returncode == 5
    assert "FAIL  user namespaces: bwrap cannot create its namespaces" in done.stdout


@pytest.mark.timeout(60)
@needs_bwrap
def test_no_secret_in_any_command_line(tmp_path: Path) -> None:
    """The socket token and the agent's API key reach the agent's environment only:
    bwrap reads them from a file descriptor, so no /proc/<pid>/cmdline shows them (any
    local user can read those)."""
    from aiperm_tui.agent.process import AgentCallbacks, AgentProcess

    token, api_key = "tok-" + "7" * 60, "sk-test-" + "9" * 40
    lines: list[str] = []
    agent = AgentProcess(
        [
            sys.executable,
            "-c",
            "import os, time; print(os.environ['AIPERM_TOKEN'][:4], flush=True); time.sleep(60)",
        ],
        AgentCallbacks(on_line=lambda line: lines.append(line.text)),
        extra_env={"AIPERM_SOCKET": "/nowhere", "AIPERM_TOKEN": token},
        cwd=tmp_path,
        sandbox=SandboxSpec(bwrap=shutil.which("bwrap") or "bwrap", env={"KEY": api_key}),
    )
    agent.start()
    try:
        wait_until(lambda: lines, "the agent printed nothing")
        assert lines == ["tok-"]  # the agent has its token
        for entry in Path("/proc").iterdir():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            assert token.encode() not in cmdline and api_key.encode() not in cmdline
    finally:
        agent.terminate()
