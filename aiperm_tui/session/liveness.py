"""Whether an unsealed log is still being recorded, or was cut.

A recorder holds an exclusive `flock` on its events.jsonl while it writes, and verify
used to call any log with a lock held "live". But the agent runs as the operator's user
and can write the session folder: it can cut a log's tail (the seal with it) and take a
lock on what is left, so the cut reads as a session still being recorded. So a log is
live only when the lock is held by the broker that `session_start` records (`broker`:
its pid, and the process's start time and the boot it ran in, so a pid reused by another
process does not pass for it):

- on Linux, `/proc/locks` names the process holding each flock, by inode: the broker's
  pid must be among the holders of this file's lock, and `/proc/PID/stat` must give the
  start time recorded;
- elsewhere (no /proc), the recorded pid must be alive.

A lock held by any other process, or a log that records no broker (written before this
check existed), reads as cut.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Any

PROC = Path("/proc")


def this_process() -> dict[str, Any]:
    """The `broker` fact of a new session_start: who holds its lock while it is recorded."""
    pid = os.getpid()
    return {"pid": pid, "started": _start_time(pid), "boot": _boot_id()}


def _start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/PID/stat)."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()  # the command name may hold spaces or ")"
    try:
        return int(fields[19])
    except (IndexError, ValueError):
        return None


def _boot_id() -> str | None:
    try:
        return (PROC / "sys/kernel/random/boot_id").read_text().strip() or None
    except OSError:
        return None


def lock_held(path: Path) -> bool:
    """Whether some process holds an exclusive flock on `path`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False


def _lock_holders(path: Path) -> set[int] | None:
    """The pids /proc/locks names as holding a flock on `path`'s inode; None without
    /proc/locks."""
    try:
        inode = os.stat(path).st_ino
        table = (PROC / "locks").read_text()
    except OSError:
        return None
    holders: set[int] = set()
    for line in table.splitlines():
        # "1: FLOCK  ADVISORY  WRITE 4711 fe:00:2146442 0 EOF" (blocked waiters: "1: -> ...")
        parts = line.split()
        if len(parts) >= 6 and parts[1] == "FLOCK" and parts[5].rsplit(":", 1)[-1] == str(inode):
            try:
                holders.add(int(parts[4]))
            except ValueError:
                continue
    return holders


def _is_that_process(broker: dict[str, Any], pid: int) -> bool:
    """Whether `pid` is still the process `broker` recorded, not a reuse of its pid."""
    if broker.get("boot") is not None and broker.get("boot") != _boot_id():
        return False
    started = broker.get("started")
    if started is not None and _start_time(pid) != started:
        return False
    return alive(pid)


def alive(pid: int) -> bool:
    """Whether a process with this pid exists (as any user)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, as another user's process
    return True


def recorded_by_live_broker(path: Path, start: dict[str, Any]) -> bool:
    """Whether `path` (an events.jsonl) is locked by the broker its `start` records."""
    if not lock_held(path):
        return False
    broker = start.get("broker")
    pid = broker.get("pid") if isinstance(broker, dict) else None
    if not isinstance(broker, dict) or not isinstance(pid, int) or isinstance(pid, bool):
        return False
    holders = _lock_holders(path)
    if holders is not None and pid not in holders:
        return False
    return _is_that_process(broker, pid)
