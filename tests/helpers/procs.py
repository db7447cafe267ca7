"""Waiting for processes to be gone (a zombie counts as gone: it runs nothing), and
making the helpers the tests start die with them."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_gone(pids: list[int], deadline: float = 30.0) -> list[int]:
    """The pids still running after `deadline` seconds (empty when all ended; generous,
    as it only bounds how long a failing test takes)."""
    end = time.monotonic() + deadline
    left = [p for p in pids if alive(p)]
    while left and time.monotonic() < end:
        time.sleep(0.05)
        left = [p for p in left if alive(p)]
    return left


_PR_SET_PDEATHSIG = 1
_prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before any fork


def dies_with_parent(sig: int = signal.SIGKILL) -> Callable[[], None]:
    """A `preexec_fn` that makes the child get `sig` when the process starting it dies,
    even by SIGKILL or SIGTERM, when no teardown runs: a helper (sshd, a TUI) must not
    outlive the test run. The kernel sends it when the *thread* that forked exits, so
    start the child from a thread that outlives it (the main one, as fixtures do). The
    child checks its parent is still there after asking, or it would miss the death."""
    parent = os.getpid()

    def preexec() -> None:
        if _prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0) != 0 or os.getppid() != parent:
            os._exit(127)

    return preexec


def running(marker: str) -> bool:
    """A process whose command line holds `marker` runs: for a command the local sshd
    started, whose pid the test never learns (`pgrep -f`)."""
    return subprocess.run(["pgrep", "-f", marker], capture_output=True).returncode == 0
