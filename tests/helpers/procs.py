"""Waiting for processes to be gone (a zombie counts as gone: it runs nothing)."""

from __future__ import annotations

import time
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
