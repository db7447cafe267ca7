"""The real `aiperm tui` on a pseudo-terminal: bytes that are not UTF-8 arriving from the
terminal (a paste from a Latin-1 terminal, binary pasted back) are typed as "�", and
the app keeps answering the keyboard (Textual's driver alone dies on them with a
traceback: Textualize/textual#6456)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from helpers.pty_tui import start_tui

from aiperm_tui.session import read_events

AGENT = (
    "import pathlib, sys, time; pathlib.Path('started').write_text('1'); "
    "print('ready', flush=True); time.sleep(300)"
)
LEAVE_ALT_SCREEN = b"\x1b[?1049l"


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
    tui = start_tui(tmp_path, isolated_home, AGENT, "off")
    proc, master, project, data = tui.proc, tui.master, tui.project, tui.data
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
