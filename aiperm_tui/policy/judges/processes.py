"""What the process commands do: which signals stop a service, dump a secret-holding
process's memory or only ask for a reload, and the multiplexers that run commands unseen.

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

import re

from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.normalize import Cmd
from aiperm_tui.policy.packs import compiled
from aiperm_tui.policy.parse import Word
from aiperm_tui.policy.toolbox import _reloads, _table, handles, hit, vital_names

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


# `$(pgrep -o sshd)`, `$(pidof sshd)`, `` `pidof -s sshd` ``, `$(pgrep -d' ' -f
# 'node|java')`: the PIDs of the named process (a quoted pattern taken whole)
_PID_LOOKUP = lazy(r"^(?:\$\(|`)\s*(?:pgrep|pidof)\b[^)`]*?\s(['\"]?)([^'\"\s)`]+)\1\s*(?:\)|`)$")


def _looked_up(target: str) -> str:
    """A kill target that looks its PIDs up by name stands for that name."""
    m = _PID_LOOKUP.match(target)
    return m.group(2) if m else target


def _alternatives(pattern: str) -> list[str]:
    """The names a process pattern's alternation spells (`'node|python|java'`, `^redis$`):
    each is killed as if named alone."""
    return [n.strip("^$()") for n in pattern.strip("'\"").split("|") if n.strip("^$()")]


# Signals whose default action dumps core, by name or number.
_CORE_SIGNALS = lazy(
    r"^-(?:s\s*|-signal[= ]?)?(?:SIG)?(?:ABRT|IOT|SEGV|QUIT|BUS|FPE|ILL|SYS|TRAP|XCPU|XFSZ|"
    r"3|4|5|6|7|8|11|31)$",
    re.IGNORECASE,
)


# Processes that hold other programs' credentials in memory.
_SECRET_HOLDERS = lazy(
    r"(?i)\b(?:vault|ssh-agent|gpg-agent|sshd|keepass\w*|bitwarden\w*|1password|"
    r"gnome-keyring\w*|kwallet\w*|openbao|conjur\w*|consul|etcd|krb5kdc|slapd)\b"
)


def _core_dump(cmd: Cmd, an: Analysis) -> Hit | None:
    """A core-dumping signal (`kill -ABRT`, `-SEGV`, `-QUIT`) sent to a process that
    holds credentials, or on a line that lifts the core size limit (`ulimit -c
    unlimited`): the core file is the process's memory, its secrets included."""
    words = [a.text for a in cmd.args]
    signal = next((w for w in words if _CORE_SIGNALS.match(w)), None)
    if signal is None and cmd.option_value("s", "signal") is not None:
        value = cmd.option_value("s", "signal") or ""
        signal = value if _CORE_SIGNALS.match(f"-{value}") else None
    if signal is None:
        return None
    holder = _SECRET_HOLDERS.search(" ".join(words))
    if holder is None and not re.search(r"\bulimit\s+(?:-\w*c\w*\s+)?(?:-c\s*)?unlimited", an.src):
        return None
    return Hit(
        "secret.core_dump",
        "high",
        f"{cmd.name} {signal} makes the process dump core: the core file is its memory, "
        "with whatever credentials it holds",
        cmd.span,
        "single",
    )


@handles("kill", "pkill", "killall", "killall5", "skill", "slay", "xkill")
def _kill(cmd: Cmd, an: Analysis) -> list[Hit]:
    # listing signals or processes; only these exact words (`-KILL` is a signal name,
    # not a cluster holding -L)
    if any(a.text in ("-l", "-L", "--list", "-0", "-s0") for a in cmd.args):
        return []
    if (dump := _core_dump(cmd, an)) is not None:
        return [dump]
    if cmd.name == "killall5":
        return hit(
            cmd, "proc.kill_all", "critical", "killall5 kills every process", suggest="ps aux"
        )
    signal = _signal(cmd)
    forced = _forced(cmd)
    if cmd.name != "kill":
        cmd = _without_signal_words(cmd)
    pos = (
        _kill_targets(cmd)
        if cmd.name == "kill"
        else [a for a in cmd.positional("snuUgGtPF") if not a.text.startswith("-")]
    )
    if (cmd.name == "kill" and any(a.text == "-1" for a in cmd.args[1:])) or any(
        a.text == "-1" for a in pos
    ):
        return hit(
            cmd,
            "proc.kill_all",
            "critical",
            "kill -1 kills every process you can reach",
            suggest="ps aux",
        )
    users = cmd.option_value("u", "U", "euid", "uid", "user")
    if cmd.name in ("pkill", "killall", "skill") and users is not None and not pos:
        return _kill_user(cmd, users, forced)
    source = _pid_source(cmd, pos)
    if forced and (looked := _PID_OF_ACCOUNT.search(source)) is not None:
        return _kill_user(cmd, looked.group(1), forced)  # `kill -9 $(ps -o pid= -u app)`
    if forced and (langs := _interpreters_searched(source)):
        return hit(  # `kill -9 $(pgrep -f 'node|python|java')`, as `killall -9 python3`
            cmd,
            "proc.kill_interpreter",
            "high",
            f"{cmd.name} -9 of every process a search for {', '.join(dict.fromkeys(langs))} "
            "lists: every program the host runs in that language, none of them cleaning up",
            suggest="pgrep -a PATTERN",
        )
    if forced and _PID_OF_SESSIONS.search(source):
        return hit(
            cmd,
            "proc.kill_stateful",
            "high",
            f"{cmd.name} -9 of a database's session processes (their pids listed from the "
            "server): the database must recover from a crash and drops every connection",
            suggest="SELECT pg_terminate_backend(pid) ... (a clean end of each session)",
        )
    if _PID_OF_GPU_JOBS.search(source):
        return hit(  # `nvidia-smi --query-compute-apps=pid ... | xargs kill`
            cmd,
            "proc.kill_gpu_jobs",
            "high",
            f"{cmd.name} of every process on the GPUs (their pids listed by nvidia-smi): "
            "every user's training and inference jobs on the node end",
            suggest="nvidia-smi --query-compute-apps=pid,process_name,used_memory --format=csv",
        )
    if cmd.name in ("pkill", "killall") and any(_matches_everything(a.text) for a in pos):
        return hit(
            cmd,
            "proc.kill_all",
            "critical",
            f"{cmd.name}: the pattern matches every process (the shell, sshd and init too)",
            suggest="pgrep -a PATTERN",
        )
    # `pkill -f 'ssh|kiln'` matches each alternative: sshd's own command line among them
    named = [n for a in pos for n in _alternatives(_looked_up(a.text))]
    vital = vital_names("kill", named)
    if vital and _reloads(signal, vital):
        return hit(
            cmd,
            "proc.signal",
            "medium",
            f"{cmd.name} sends {signal} to {', '.join(vital)}: the daemon reloads or "
            "reports and keeps running",
            "single",
        )
    if vital:
        return hit(
            cmd,
            "proc.kill_vital",
            "high",
            f"{cmd.name} stops {', '.join(vital)} (may cut off access or take the host down)",
            suggest="ps aux",
        )
    pattern = _table("kill").stateful
    # `$(pidof redis-server)` is redis-server; `'node|java'` names both
    stateful = [n for n in named if pattern and compiled(pattern).match(n)]
    if forced and stateful:
        return hit(
            cmd,
            "proc.kill_stateful",
            "high",
            f"{cmd.name} -9 {' '.join(stateful)}: "
            "a database killed without shutting down must recover from a crash and "
            "drops every connection",
            suggest=f"systemctl stop {stateful[0]}",
        )
    if forced and (langs := [n for n in named if _INTERPRETER_PROCESS.match(n)]):
        return hit(
            cmd,
            "proc.kill_interpreter",
            "high",
            f"{cmd.name} -9 {' '.join(langs)}: kills every program the host runs in that "
            "language (services, agents, the package tools), none of them cleaning up",
            suggest=f"pgrep -a {langs[0]}",
        )
    if cmd.name == "pkill" and forced and cmd.has("f", "full"):
        return hit(
            cmd,
            "proc.kill_force",
            "high",
            f"pkill -9 -f kills every process whose "
            f"command line matches {' '.join(a.text for a in pos)}, without letting "
            "it clean up",
            suggest=f"pgrep -a {pos[0].text}" if pos else "ps aux",
        )
    names = " ".join(a.text for a in pos)
    if forced:
        return hit(
            cmd,
            "proc.kill",
            "medium",
            f"{cmd.name} -9 {names}: kills them without "
            "letting them clean up (stopped until restarted)",
            "single",
        )
    return hit(
        cmd, "proc.kill", "medium", f"{cmd.name} signals processes {names}".rstrip(), "single"
    )


# An interpreter's process name: every program written in the language has it (`killall
# -9 python3` ends every Python service and agent on the host).
_INTERPRETER_PROCESS = lazy(r"^(?:python[\d.]*|node(?:js)?|ruby[\d.]*|perl[\d.]*|php[\d.]*)$")


# A signal named as an option (`-STOP`, `-SIGHUP`, `-RTMIN+3`, `-9`): pkill's and
# killall's own options are single letters, so `-STOP` is no cluster (its `P` would take
# the next word as a parent pid).
_SIGNAL_WORD = lazy(r"^-(?:SIG)?[A-Z]{2,}[A-Z0-9+-]*$|^-\d+$")


def _without_signal_words(cmd: Cmd) -> Cmd:
    """`pkill -STOP -u mysql` read without its signal word: `-u mysql` is the account."""
    args = [a for a in cmd.args if not _SIGNAL_WORD.match(a.text)]
    return Cmd(cmd.name, cmd.word, args, cmd.simple, cmd.privileged, cmd.value_opts)


def _forced(cmd: Cmd) -> bool:
    """SIGKILL given (`-9`, `-KILL`, `--signal=KILL`): nothing the process does to clean up
    runs."""
    return any(
        a.text in ("-9", "-KILL", "-SIGKILL", "--signal=KILL") or a.text.endswith("KILL")
        for a in cmd.args
    )


# Where a kill's pids come from, when a command lists them: every process of an account
# (`ps -o pid= -u app`, `pgrep -u app`), or a database's own list of its sessions
# (`psql -Atc "select pid from pg_stat_activity ..."`, `SHOW PROCESSLIST`).
_PID_OF_ACCOUNT = lazy(
    r"\b(?:pgrep|ps)\b[^|;&)`]*?(?:\s-[a-zA-Z]*[uU]\s*|\s--user[= ])['\"]?([\w.@-]+)"
)
# A pid search's pattern, its last word (`pgrep -d' ' -f 'node|python|java'`).
_PGREP_PATTERN = lazy(r"\bpgrep\b[^)`;|]*?\s(?:'([^']*)'|\"([^\"]*)\"|([^\s'\")`]+))\s*(?:\)|`|$)")


def _interpreters_searched(source: str) -> list[str]:
    """The interpreters a pid search's pattern names, when it names nothing else: each
    alternative of `node|python|java` is one (a program's own command line, `python
    manage.py runserver`, is not)."""
    m = _PGREP_PATTERN.search(source)
    if m is None:
        return []
    alternatives = (m.group(1) or m.group(2) or m.group(3) or "").split("|")
    langs = [a for a in alternatives if _INTERPRETER_PROCESS.match(a) or a == "java"]
    return langs if len(langs) == len(alternatives) else []


# The pids of every process using the node's GPUs (twentieth pass, audit20a): whatever
# nvidia-smi lists as compute or accounted apps, or fuser finds on a GPU device.
_PID_OF_GPU_JOBS = lazy(
    r"\bnvidia-smi\b[^|;&)`]*--query-(?:compute|accounted)-apps\b|\bfuser\b[^|;&)`]*\s/dev/nvidia"
)
_PID_OF_SESSIONS = lazy(r"(?i)\bpg_stat_activity\b|\bprocesslist\b|\bpg_locks\b")


def _pid_source(cmd: Cmd, pos: list[Word]) -> str:
    """The commands that list a kill's pids: its `$(...)` targets, and what feeds it
    through `xargs` (`pgrep -u app | xargs kill -9`). '' when none does."""
    texts = [a.raw for a in pos if a.raw.lstrip('"').startswith(("$(", "`"))]
    up = cmd.simple.upstream
    words = cmd.simple.words
    if up is not None and words and words[0].text != cmd.word.text:  # reached by xargs
        texts.append(" ".join(w.text for w in up.words))
    return " ".join(texts)


def _kill_user(cmd: Cmd, users: str, forced: bool = False) -> list[Hit]:
    """`pkill -u NAME`: every process of an ordinary account ends (its sessions and jobs),
    a routine change; root's, a daemon's account (the pack's `accounts`, or named like a
    vital or stateful process), or one known only at run time may take the host, a
    service or a database down. SIGKILL to every process of any account (sixteenth pass:
    every labelled part has it critical) ends a service's daemon, workers and jobs with
    nothing cleaned up: half-written files, lost queues, locks left held."""
    names = users.split(",")
    table = _table("kill")
    risky = [
        n
        for n in names
        if forced
        or not re.fullmatch(r"[a-z_][a-z0-9_.-]*", n)
        or n == "root"
        or any(p and compiled(p).match(n) for p in (table.vital, table.stateful, table.accounts))
    ]
    if risky:
        return hit(
            cmd,
            "proc.kill_user",
            "high",
            f"{cmd.name} kills every process of {', '.join(risky)} "
            + (
                "with SIGKILL (a service's daemon, workers and jobs end with nothing cleaned up)"
                if forced
                else "(root's, a daemon's or a database's account: may take the host or the "
                "database down)"
            ),
        )
    return hit(
        cmd,
        "proc.kill_user",
        "medium",
        f"{cmd.name} signals every process of {', '.join(names)} (their sessions and jobs end)",
        "single",
    )


def _signal(cmd: Cmd) -> str:
    """The signal given (`-HUP`, `-s HUP`, `--signal=SIGHUP`, `-1`), without `SIG`."""
    for i, a in enumerate(cmd.args):
        t = a.text
        if t in ("-s", "-n", "--signal") and i + 1 < len(cmd.args):
            value = cmd.args[i + 1].text
        elif t.startswith("--signal="):
            value = t.split("=", 1)[1]
        elif t.startswith("-") and not t.startswith("--") and (t[1:].isupper() or t[1:].isdigit()):
            value = t[1:]
        else:
            continue
        return value.upper().removeprefix("SIG")
    return "TERM"


def _matches_everything(pattern: str) -> bool:
    """A process pattern that every name or command line matches (`.`, `.*`, `^`, `''`)."""
    return pattern.strip() in ("", ".", ".*", "^", "$", "^.*", ".+", "^.", "[a-z]*", "\\w*")


def _kill_targets(cmd: Cmd) -> list[Word]:
    """The process ids of `kill`: `-STOP`, `-9`, `-s SIG`, `-n NUM` name the signal (a
    signal name is not a cluster of flags, so `-STOP 1` is signal STOP to PID 1)."""
    out: list[Word] = []
    ended = False
    args = cmd.args
    i = 0
    while i < len(args):
        t = args[i].text
        if ended or not t.startswith("-") or (t == "-1" and i > 0):
            out.append(args[i])  # a later `-1` is the pid -1: every process
        elif t == "--":
            ended = True
        elif t in ("-s", "-n", "--signal"):
            i += 1
        i += 1
    return out


@handles("renice")
def _renice(cmd: Cmd, an: Analysis) -> list[Hit]:
    return hit(cmd, "proc.priority", "medium", "changes the priority of running processes")


def _tmux_format_shell(cmd: Cmd) -> list[Hit]:
    return hit(
        cmd,
        "exec.interactive",
        "medium",
        f"{cmd.name}: a format's #(...) runs a shell command the engine does not judge",
        "unknown",
    )


@handles(
    "xdg-open",
    "open",
    "screen",
    "tmux",
    "nohup-shell",
    "expect",
    "script",
    "mc",
    "ranger",
    "nnn",
    "byobu",
)
def _interactive(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name in ("tmux", "byobu", "byobu-tmux") and cmd.sub() in (
        "ls",
        "list-sessions",
        "list-windows",
        "list-panes",
        "lsp",
        "has-session",
        "capture-pane",
        "show-options",
        "display-message",
        "display",
    ):
        # a format's `#(CMD)` runs CMD in a shell (`tmux display -p '#(id)'`)
        return [] if not any("#(" in a.text for a in cmd.args) else _tmux_format_shell(cmd)
    if cmd.name == "screen" and any(a.text in ("-ls", "-list", "--list") for a in cmd.args):
        return []
    return hit(
        cmd,
        "exec.interactive",
        "medium",
        f"{cmd.name}: runs commands the engine cannot see",
        "unknown",
    )
