"""What the log and history commands do: which read, which rotate, vacuum or clear what an
audit needs (journalctl, logrotate, history -c, unset HISTFILE).

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

import re

from aiperm_tui.policy.dataflow import hides_history
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.normalize import Cmd
from aiperm_tui.policy.parse import Word
from aiperm_tui.policy.toolbox import handles, hit

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


@handles("history")
def _history(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.has("c", "w", "d", "r", "a", "n"):
        return hit(
            cmd,
            "log.history_wipe",
            "high",
            "history -c/-w/-d rewrites the shell history (hides what was done)",
            "single",
        )
    return []


@handles(
    "unset",
    "export",
    "set",
    "alias",
    "unalias",
    "setopt",
    "declare",
    "typeset",
    "readonly",
    "local",
    "setenv",
)
def _shell_state(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name == "setenv":
        _csh_setenv(cmd, an)
        return []
    text = " ".join(cmd.argv)
    unsets = cmd.name == "unset" and any(hides_history(a.text, None) for a in cmd.args)
    if unsets or re.search(r"\+o\s+history", text):
        return hit(
            cmd,
            "log.history_off",
            "high",
            "turns off the shell history (hides what was done)",
            "single",
        )
    namerefs = cmd.name in ("declare", "typeset", "local") and cmd.has("n")
    for a in cmd.args:
        if "=" not in a.text:
            continue
        if cmd.name == "alias":  # `alias ls='rm -rf /srv'`: the value runs as `ls`
            name, _, value = a.text.partition("=")
            an.payload(value, [a], "exec.alias", f"alias {name}")
        elif namerefs and not a.text.startswith("-"):
            name, _, target = a.text.partition("=")
            an.refs[name] = target  # `declare -n r=x`: $r reads x from here on
        else:
            an.assignment(
                a, remember=cmd.name in ("export", "declare", "typeset", "readonly", "local")
            )
    return []


def _csh_setenv(cmd: Cmd, an: Analysis) -> None:
    """csh's and tcsh's `setenv NAME VALUE`: `export NAME=VALUE` written another way, the
    value carried to later words (`setenv X /etc/sudoers.d; echo ... > $X/90-x`)."""
    args = cmd.args
    if len(args) == 2 and "=" not in args[0].text:
        name, value = args
        an.assignment(
            Word(f"{name.text}={value.text}", name.start, value.end, f"{name.raw}={value.raw}"),
            remember=True,
        )


@handles("logrotate", "journalctl", "dmesg", "auditctl", "logger")
def _logs(cmd: Cmd, an: Analysis) -> list[Hit]:
    name = cmd.name
    if name == "journalctl":
        _, long = cmd.options()
        if any(x.startswith("vacuum") for x in long):
            if _vacuums_everything(cmd):
                return hit(
                    cmd,
                    "log.vacuum_all",
                    "high",
                    "journalctl --vacuum with a tiny limit deletes (nearly) the whole journal",
                    "single",
                    suggest="journalctl --disk-usage",
                )
            return hit(
                cmd,
                "log.vacuum",
                "medium",
                "journalctl --vacuum deletes old journal files",
                "single",
                suggest="journalctl --disk-usage",
            )
        if "setup-keys" in long:
            # the sealing key pair is made and the verification key printed: whoever
            # reads it can check (and, holding the seed, forge) the sealed journal
            return hit(
                cmd,
                "log.journal_keys",
                "high",
                "journalctl --setup-keys replaces the journal's sealing keys and prints the "
                "verification key",
                "single",
            )
        if long & {
            "rotate",
            "flush",
            "sync",
            "relinquish-var",
            "smart-relinquish-var",
            "update-catalog",
        }:
            return hit(
                cmd,
                "log.journal",
                "medium",
                "journalctl rotates or flushes the journal (changes the journal's files)",
                "single",
            )
        return []
    if name == "dmesg":
        # clearing the ring buffer erases the kernel's record (a logwipe, like emptying a
        # log file); -n/-D/-E only change what reaches the console
        if cmd.has("c", "C", "clear", "read-clear"):
            return hit(cmd, "log.clear", "high", "dmesg -c/-C clears the kernel log", "single")
        return (
            hit(cmd, "log.console", "medium", "dmesg changes what reaches the console", "single")
            if cmd.has("n", "D", "E", "console-level", "console-off", "console-on")
            else []
        )
    if name == "logger":
        return hit(cmd, "log.write", "low", "writes a line to the system log", "single")
    if name == "auditctl":
        if cmd.has("l", "s", "list", "status") and not cmd.has("D", "e"):
            return []
        if cmd.has("w") and not cmd.has("D", "d", "W", "e", "a", "A", "b", "f", "r", "R"):
            # `auditctl -w /etc/nginx -p wa -k conf`: one more watch, more in the record
            return hit(cmd, "log.audit_watch", "medium", "auditctl adds a watch to the audit rules")
        return hit(cmd, "log.audit_rules", "high", "auditctl changes or deletes audit rules")
    return hit(cmd, "log.rotate", "medium", "logrotate rotates (and may delete) logs", "single")


def _vacuums_everything(cmd: Cmd) -> bool:
    """--vacuum-time under a day, --vacuum-size under 10M, --vacuum-files of 0 or 1."""
    for a in cmd.args:
        name, _, value = a.text.partition("=")
        m = re.fullmatch(r"(\d+)\s*([a-zA-Z]*)", value.strip())
        if not m:
            continue
        number, unit = int(m.group(1)), m.group(2).lower()
        if name == "--vacuum-time" and (
            unit
            in (
                "",
                "s",
                "sec",
                "second",
                "seconds",
                "m",
                "min",
                "minutes",
                "h",
                "hour",
                "hours",
                "ms",
                "us",
            )
        ):
            return True
        if name == "--vacuum-size" and (
            unit in ("", "b", "k", "kb", "kib") or (unit in ("m", "mb", "mib") and number < 10)
        ):
            return True
        if name == "--vacuum-files" and number <= 1:
            return True
    return False
