"""The real `aiperm tui` on a pseudo-terminal: bytes that are not UTF-8 arriving from the
terminal (a paste from a Latin-1 terminal, binary pasted back) are typed as "�", and
the app keeps answering the keyboard (Textual's driver alone dies on them with a
traceback: Textualize/textual#6456)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.audit_key import write_key_file
from helpers.unprivileged import ROOT

from aiperm_tui.session import read_events

AGENT = (
    "import pathlib, sys, time; pathlib.Path('started').write_text('1'); "
    "print('ready', flush=True); time.sleep(300)"
)
LEAVE_ALT_SCREEN = b"\x1b[?1049l"
AIPERM_TUI = [sys.executable, "-m", "aiperm_tui", "tui"]


def _drain(master: int, until: float) -> bytes:
    """What the app wrote so far (the pty must be drained or the app blocks)."""
    shown = b""
    while time.monotonic() < until:
        try:
            chunk = os.read(master, 65536)
        except BlockingIOError:
            return shown
        except OSError:  # EIO: the app is gone
            return shown
        shown += chunk
    return shown


@pytest.mark.timeout(90)
def test_bytes_that_are_not_utf8_do_not_take_the_keyboard(
    tmp_path: Path, isolated_home: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('default_host = "web1"\n[hosts.web1]\nhostname = "192.0.2.1"\n')
    data = tmp_path / "data"
    project = tmp_path / "project"
    project.mkdir()
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [
            *AIPERM_TUI,
            "--config",
            str(config),
            "--sandbox",
            "off",
            "--",
            sys.executable,
            "-c",
            AGENT,
        ],
        cwd=project,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
            "AIPERM_DATA_DIR": str(data),
            "AIPERM_AUDIT_KEY_FILE": str(write_key_file(isolated_home / "keys", "ab" * 32)),
        },
    )
    os.close(slave)
    os.set_blocking(master, False)
    shown = b""
    try:
        end = time.monotonic() + 40
        while not (project / "started").exists():
            assert time.monotonic() < end and proc.poll() is None, shown[-2000:]
            shown += _drain(master, end)
            time.sleep(0.02)
        os.write(master, b"\x83\xff\xfe")  # no UTF-8 can start with these
        while proc.poll() is None and time.monotonic() < end:  # `q` until it quits
            os.write(master, b"q")
            shown += _drain(master, end)
            time.sleep(0.2)
        shown += _drain(master, time.monotonic() + 5)
        assert proc.wait(30) == 0, shown[-3000:]
        assert b"UnicodeDecodeError" not in shown and b"Traceback" not in shown
        assert LEAVE_ALT_SCREEN in shown[-400:]  # the terminal given back restored
        (session,) = [p for p in (data / "sessions").iterdir() if p.is_dir()]
        ends = [e for e in read_events(session) if e["type"] == "session_end"]
        assert [e.get("reason") for e in ends] == ["normal"]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
