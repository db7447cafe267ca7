"""Process hardening that needs no privilege: the layer that holds even with `--sandbox off`.

- `make_non_dumpable()`: the broker calls it first thing (`aiperm tui`, `demo`, `run`).
  A non-dumpable process's /proc/<pid>/{environ,mem,fd,maps,root,...} become owned by
  root and ptrace is refused, so another process of the same user (the agent) can read
  neither the broker's environment nor its memory nor write to its terminal through
  /proc/<pid>/fd/1. Root, holding CAP_SYS_PTRACE, is not stopped by it.
- `die_with_parent()`: run in the agent's child between fork and exec, it asks the
  kernel to SIGKILL the agent when the broker's spawning thread dies, however it dies
  (SIGKILL, a crash, a closed terminal). bwrap's --die-with-parent does the same for
  the sandbox, whose PID namespace then takes every process of the agent with it.

On macOS neither exists: `make_non_dumpable` returns False (macOS already refuses
task_for_pid to unprivileged same-user processes unless the target is debuggable, and
has no /proc), and `die_with_parent` does nothing; the broker then relies on killing
the agent's process group when it exits normally.
This module uses the standard library only.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1
PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4


def _prctl() -> Callable[..., int] | None:
    """libc's prctl, resolved once before any fork (nothing is looked up in the child)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None
    function: Callable[..., int] = libc.prctl
    return function


_PRCTL = _prctl()


def make_non_dumpable() -> bool:
    """Close this process's /proc files and ptrace to same-user processes; True when the
    kernel says it holds."""
    if _PRCTL is None:
        return False
    if _PRCTL(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        return False
    return is_dumpable() is False


def is_dumpable() -> bool | None:
    """The kernel's answer for this process (None where there is no prctl)."""
    if _PRCTL is None:
        return None
    return _PRCTL(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0


def die_with_parent(parent: int) -> Callable[[], None]:
    """A preexec_fn for the agent's child: SIGKILL when `parent` (the broker) goes. A
    parent already gone before the prctl took effect is caught by the getppid check."""

    def preexec() -> None:
        if _PRCTL is None:
            return
        _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec
