"""No secret in an environment variable or argv (issue 14): the audit key reaches aiperm
only as a path (`$AIPERM_AUDIT_KEY_FILE`), and the old `$AIPERM_AUDIT_KEY` stops every
command before it starts anything. A process's environment and argv are readable by any
process of the same user (`/proc/PID/environ`, `/proc/PID/cmdline`), the agent's too."""

from __future__ import annotations

import os
import pty
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.audit_key import write_key_file
from helpers.bwrap import bwrap_or_skip
from helpers.procs import wait_gone
from helpers.sshd import descendants
from helpers.unprivileged import ROOT

from aiperm_tui.session import read_events
from aiperm_tui.session.keys import AuditKey

# The agent writes its pid then renames the file into place, so a reader that sees
# `started` sees the whole pid (a plain write_text is visible empty for a moment).
AGENT = (
    "import os, pathlib, time; pathlib.Path('started.part').write_text(str(os.getpid())); "
    "os.rename('started.part', 'started'); time.sleep(300)"
)
HEX64 = re.compile(rb"(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])")
# The broker's token is the agent's own credential for the broker's socket: handed to the
# agent on purpose (docs/trust-model.md), so it is the one 64-hex value allowed.
GIVEN_TO_AGENT = b"AIPERM_TOKEN="


def tui(project: Path, level: str, env: dict[str, str], **kw: object) -> subprocess.Popen[bytes]:
    config = project.parent / "config.toml"
    config.write_text('default_host = "web1"\n[hosts.web1]\nhostname = "192.0.2.1"\n')
    argv = [sys.executable, "-m", "aiperm_tui", "tui", "--config", str(config)]
    argv += ["--sandbox", level, "--", sys.executable, "-c", AGENT]
    full = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", **env}
    return subprocess.Popen(argv, cwd=project, env=full, start_new_session=True, **kw)  # type: ignore[call-overload, no-any-return]


def secrets_shown(pid: int) -> tuple[bool, list[str]]:
    """(whether this process's environ could be read, the 64-hex values found in its
    environ and argv other than the broker's token for the agent)."""
    found = []
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except PermissionError:  # a non-dumpable broker, read by an ordinary user
        return False, []
    except FileNotFoundError:
        return False, []
    for item in (*environ.split(b"\0"), *cmdline.split(b"\0")):
        if HEX64.search(item) and not item.startswith(GIVEN_TO_AGENT):
            found.append(f"pid {pid}: {item[:40].decode(errors='replace')}...")
    return True, found


@pytest.mark.timeout(90)
@pytest.mark.parametrize("level", ["required", "off"])
def test_no_aiperm_process_holds_a_secret_in_its_environment(
    tmp_path: Path, isolated_home: Path, level: str
) -> None:
    if level == "required":
        bwrap_or_skip()
    key = secrets.token_hex(32)
    key_file = write_key_file(isolated_home / "keys", key)
    project = tmp_path / "project"
    project.mkdir()
    data = tmp_path / "data"
    master, slave = pty.openpty()
    env = {"AIPERM_AUDIT_KEY_FILE": str(key_file), "AIPERM_DATA_DIR": str(data)}
    proc = tui(project, level, env, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    try:
        end = time.monotonic() + 40
        os.set_blocking(master, False)
        while not (project / "started").exists():
            assert time.monotonic() < end and proc.poll() is None, "the agent did not start"
            try:
                os.read(master, 65536)  # keep the terminal drained
            except BlockingIOError:
                time.sleep(0.02)
        tree = [proc.pid, *descendants(proc.pid)]
        agent = int((project / "started").read_text())
        seen = {pid: secrets_shown(pid) for pid in tree}
        readable = [pid for pid, (read, _) in seen.items() if read]
        assert [hit for _, hits in seen.values() for hit in hits] == []
        # Root reads them all; an ordinary user cannot read the non-dumpable broker's
        # (that is the protection) nor, depending on the kernel, the sandbox's processes.
        assert readable and (os.getuid() != 0 or readable == tree)
        if level == "off":  # in the sandbox the agent has a pid of its own namespace
            assert agent in readable
        proc.terminate()
        while proc.poll() is None:
            try:
                os.read(master, 65536)
            except BlockingIOError:
                time.sleep(0.02)
            except OSError:
                break
        proc.wait(30)
        assert wait_gone(tree) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    (session,) = [p for p in (data / "sessions").iterdir() if p.is_dir()]
    start = next(iter(read_events(session)))
    assert start["key_id"] == AuditKey(bytes.fromhex(key), "file").key_id  # the file's key


@pytest.mark.timeout(60)
@pytest.mark.parametrize("command", [["tui", "--sandbox", "off"], ["verify", "--all"]])
def test_a_key_in_the_environment_stops_aiperm_before_it_starts_anything(
    tmp_path: Path, command: list[str]
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    key = secrets.token_hex(32)
    argv = [sys.executable, "-m", "aiperm_tui", *command]
    if command[0] == "tui":
        argv += ["--", sys.executable, "-c", AGENT]
    done = subprocess.run(
        argv,
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT), "AIPERM_AUDIT_KEY": key},
        capture_output=True,
        text=True,
        timeout=50,
    )
    assert done.returncode == 5, done.stderr
    assert done.stderr.count("\n") == 1 and key not in done.stderr + done.stdout
    assert "point AIPERM_AUDIT_KEY_FILE at it, and unset AIPERM_AUDIT_KEY" in done.stderr
    assert not (project / "started").exists()
