"""The real `aiperm tui`, on a pseudo-terminal: the agent runs in the sandbox (or not),
and SIGTERM or SIGHUP end the session like `q` does: the agent is stopped, the session
log is closed and the terminal is given back restored."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from helpers.bwrap import bwrap_or_skip
from helpers.procs import wait_gone
from helpers.pty_tui import start_tui
from helpers.sshd import descendants

from aiperm_tui.session import read_events

AGENT = (
    "import os, pathlib, time; pathlib.Path('started').write_text(str(os.getpid())); "
    "time.sleep(300)"
)
LEAVE_ALT_SCREEN = b"\x1b[?1049l"


def read_until_exit(master: int, proc: subprocess.Popen[bytes], deadline: float) -> bytes:
    """Everything the app wrote to its terminal until it exits (the pty must be drained
    or the app blocks on a full terminal)."""
    shown = b""
    end = time.monotonic() + deadline
    os.set_blocking(master, False)
    while time.monotonic() < end:
        try:
            shown += os.read(master, 65536)
        except BlockingIOError:
            if proc.poll() is not None:
                break
            time.sleep(0.02)
        except OSError:  # EIO: the other side is closed
            break
    return shown


@pytest.mark.timeout(90)
@pytest.mark.parametrize("level", ["required", "off"])
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP])
def test_signal_ends_the_session_cleanly(
    tmp_path: Path, isolated_home: Path, level: str, how: signal.Signals
) -> None:
    if level == "required":
        bwrap_or_skip()
    tui = start_tui(tmp_path, isolated_home, AGENT, level)
    proc, master, project, data = tui.proc, tui.master, tui.project, tui.data
    try:
        end = time.monotonic() + 30
        shown = b""
        while not (project / "started").exists():
            assert time.monotonic() < end and proc.poll() is None, shown[-2000:]
            try:
                shown += os.read(master, 65536)
            except BlockingIOError:
                time.sleep(0.02)
        tree = descendants(proc.pid)
        proc.send_signal(how)
        shown += read_until_exit(master, proc, 30)
        assert proc.wait(30) == 128 + how
        assert shown.rstrip().endswith(LEAVE_ALT_SCREEN) or LEAVE_ALT_SCREEN in shown[-200:]
        assert wait_gone(tree) == []
        (session,) = [p for p in (data / "sessions").iterdir() if p.is_dir()]
        events = list(read_events(session))
        assert events[0]["isolation"] == ("sandbox" if level == "required" else "off")
        assert "session_end" in [event["type"] for event in events[-2:]]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
