"""Impact preview: read-only probes that show what a destructive command would touch.

The probes are built from the command's argv (the policy's parse of a single simple
command), never from re-reading the raw text, so nothing of the original command's
syntax can leak into a probe. Targets are shell-quoted unless they are plain words with
glob characters, which stay unquoted so the probe sees the same files the command would.
The broker still puts every probe through the policy before running it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence

_PLAIN_GLOB = re.compile(r"[A-Za-z0-9_./~+@%:,=*?-]+")
_WRAPPERS = {"sudo", "doas", "nice", "nohup", "command", "exec"}
_SERVICE_VERBS = {
    "restart",
    "stop",
    "reload",
    "disable",
    "mask",
    "kill",
    "try-restart",
    "reload-or-restart",
}
_GIT_DESTRUCTIVE = {"reset", "clean", "checkout", "restore", "stash", "rebase"}


def _word(arg: str) -> str:
    """A target as the probe writes it (see the module docstring). A target that starts
    with "-" gets "./" so no probe (`find` above all) can read it as an option."""
    if arg.startswith("-"):
        arg = "./" + arg
    return arg if _PLAIN_GLOB.fullmatch(arg) else shlex.quote(arg)


def _strip_wrappers(argv: Sequence[str]) -> list[str]:
    words = list(argv)
    while words and words[0].rsplit("/", 1)[-1] in _WRAPPERS:
        words = words[1:]
        while words and words[0].startswith("-"):
            words = words[1:]
    if words:
        words[0] = words[0].rsplit("/", 1)[-1]
    return words


def _operands(args: Sequence[str]) -> list[str]:
    """Arguments that are not options (everything after `--` counts)."""
    out, options = [], True
    for arg in args:
        if options and arg == "--":
            options = False
        elif not (options and arg.startswith("-") and arg != "-"):
            out.append(arg)
    return out


def preview_probes(argv: Sequence[str] | None) -> list[str]:
    """The probe commands for `argv`, or [] when there is nothing to measure."""
    if not argv:
        return []
    words = _strip_wrappers(argv)
    if not words:
        return []
    name, args = words[0], words[1:]
    operands = _operands(args)
    targets = " ".join(_word(t) for t in operands)
    if name in ("rm", "shred", "unlink", "rmdir") and operands:
        return [f"du -sh -- {targets}", f"find {targets} 2>/dev/null | wc -l"]
    if name in ("chmod", "chown", "chgrp") and len(operands) > 1:
        rest = " ".join(_word(t) for t in operands[1:])
        return [f"stat -c '%A %U:%G %n' -- {rest}"]
    if name in ("mv", "truncate", "dd") and operands:
        return [f"ls -ld -- {targets}"]
    if name == "systemctl" and len(operands) > 1 and operands[0] in _SERVICE_VERBS:
        units = " ".join(_word(t) for t in operands[1:])
        return [f"systemctl status --no-pager --lines=5 -- {units}"]
    if name == "git" and operands and operands[0] in _GIT_DESTRUCTIVE:
        return ["git status --short --branch", "git stash list"]
    return []
