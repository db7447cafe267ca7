"""`aiperm tui` on a pseudo-terminal, as an operator runs it: for the tests that need the
real terminal driver (signals from a closed terminal, bytes the terminal sends)."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from helpers.audit_key import write_key_file
from helpers.procs import dies_with_parent
from helpers.unprivileged import ROOT


@dataclass
class PtyTui:
    proc: subprocess.Popen[bytes]
    master: int  # the terminal's side, non-blocking
    project: Path  # the agent's working folder
    data: Path  # AIPERM_DATA_DIR: the sessions are in data/sessions


def start_tui(tmp_path: Path, home: Path, agent_code: str, sandbox: str) -> PtyTui:
    """`aiperm tui --sandbox SANDBOX -- python -c AGENT_CODE` with one host (never
    contacted) and an audit key file, on a new pseudo-terminal."""
    project = tmp_path / "project"
    project.mkdir()
    config = tmp_path / "config.toml"
    config.write_text('default_host = "web1"\n[hosts.web1]\nhostname = "192.0.2.1"\n')
    data = tmp_path / "data"
    master, slave = pty.openpty()
    argv = [sys.executable, "-m", "aiperm_tui", "tui", "--config", str(config)]
    proc = subprocess.Popen(
        [*argv, "--sandbox", sandbox, "--", sys.executable, "-c", agent_code],
        cwd=project,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        preexec_fn=dies_with_parent(signal.SIGHUP),  # as if its terminal closed
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
            "AIPERM_DATA_DIR": str(data),
            "AIPERM_AUDIT_KEY_FILE": str(write_key_file(home / "keys", "ab" * 32)),
        },
    )
    os.close(slave)
    os.set_blocking(master, False)
    return PtyTui(proc, master, project, data)
