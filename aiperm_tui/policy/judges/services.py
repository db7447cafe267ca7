"""What the service, package and job commands do: systemctl and service (vital units),
package managers (vital packages), run-parts, make, crontab and at.

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

from aiperm_tui.policy.dataflow import same_file
from aiperm_tui.policy.fspaths import classify
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.model import Severity
from aiperm_tui.policy.normalize import Cmd
from aiperm_tui.policy.toolbox import (
    _MESSAGES,
    _piped_text,
    _reloads,
    _table,
    handles,
    hit,
    level_of,
    table_hits,
    tuning_text,
    vital_names,
)

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


# Units named by a substitution that lists them (`systemctl stop $(systemctl list-units
# --state=running ...)`): every one of them, the vital ones included.
_EVERY_UNIT = lazy(r"(?:\$\(|`)[^)`]*\bsystemctl\b[^)`]*\blist-unit(?:s|-files)\b")


@handles("systemctl")
def _systemctl(cmd: Cmd, an: Analysis) -> list[Hit]:
    """Stopping a vital unit (the pack's `vital`, after a `vital_when` subcommand) may cut
    the operator off the host; anything else is judged by the subcommand table."""
    pos = cmd.positional()
    sub = pos[0].text.lower() if pos else ""
    units = [a.text for a in pos[1:]]
    if sub == "kill" and units and _reloads(_unit_signal(cmd), units):
        return hit(
            cmd,
            "systemctl.signal",
            "medium",
            f"systemctl kill: signals {' '.join(units)} with a signal daemons handle"
            " (a reload, log reopening); nothing stops",
            "single",
        )
    if sub in _table("systemctl").vital_when and _EVERY_UNIT.search(
        " ".join(a.raw for a in cmd.args)
    ):
        return hit(
            cmd,
            "systemctl.every_unit",
            "high",
            f"systemctl {sub} every unit a listing prints (`systemctl list-units`): the "
            "running services, sshd and the network among them",
            suggest="systemctl list-units --state=running",
        )
    if sub in _table("systemctl").vital_when and vital_names("systemctl", units):
        return hit(
            cmd,
            "systemctl.vital",
            "high",
            f"systemctl {sub} {' '.join(units)}: may cut off access to the host",
            suggest=f"systemctl status {' '.join(units)}",
        )
    if sub == "edit" and cmd.has("stdin"):
        return _unit_from_input(cmd, an, units)
    return table_hits(cmd, an)


def _unit_from_input(cmd: Cmd, an: Analysis, units: list[str]) -> list[Hit]:
    """`systemctl edit --stdin UNIT` writes its input as a drop-in (`--full`: as the unit
    itself): judged as the same text written to the file, so only a drop-in the line shows
    tuning the unit is a change; anything else may run a program as root."""
    fed = an.literal_input(cmd)
    if not cmd.has("full") and tuning_text(fed[0] if fed else None):
        return hit(
            cmd,
            "systemctl.edit",
            "medium",
            "systemctl edit: a drop-in that only sets the unit's limits, resources or timeouts",
            "single",
        )
    return hit(
        cmd,
        "systemctl.edit_unit",
        "high",
        f"systemctl edit --stdin {' '.join(units)}: writes a unit or drop-in from input the "
        "line does not show as tuning only (it may run any program as root)",
    )


def _unit_signal(cmd: Cmd) -> str:
    """The signal of `systemctl kill` (`-s HUP`, `-sHUP`, `--signal=SIGHUP`; the last
    given wins, as getopt reads them), without `SIG`; TERM when none is given."""
    signal = "TERM"
    args = [a.text for a in cmd.args]
    for i, t in enumerate(args):
        if t == "--":
            break
        if t in ("-s", "--signal") and i + 1 < len(args):
            signal = args[i + 1]
        elif t.startswith("--signal="):
            signal = t.split("=", 1)[1]
        elif t.startswith("-s") and len(t) > 2:
            signal = t[2:]
    return signal.upper().removeprefix("SIG")


# An init script's actions that only report: its state, and the daemon's test of its
# configuration (`service nginx configtest` runs `nginx -t`; fourteenth pass).
_SERVICE_REPORTS = frozenset({"status", "--status-all", "configtest", "checkconfig", "configcheck"})


# Every process pm2 runs deleted, or its daemon killed, earlier on the line
# (`pm2 delete all`, `pm2 del /.*/`, `pm2 kill`): a `pm2 save` after it writes the empty
# list over the one `pm2 resurrect` and the boot script restore.
_PM2_EMPTIED = lazy(r"\bpm2\s+(?:(?:delete|del)\s+(?:all|['\"]?/\.\*/['\"]?)(?=\s|$|[;&|])|kill\b)")


@handles("pm2")
def _pm2(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`pm2 delete all && pm2 save --force` (left18): each alone is a change (the saved
    list brings the apps back at boot; a save keeps what runs), but together every app
    is gone and stays gone after the next reboot: an outage nobody restarts, typed.
    Anything else is judged by the pm2 table."""
    words = [w.text for w in cmd.positional()[:2]]
    if words in (["delete", "all"], ["del", "all"]) or words[:1] == ["kill"]:
        an.emptied.add("pm2")  # however the name was spelt (`"pm2"`, `$C`)
    if words[:1] == ["save"] and (
        "pm2" in an.emptied or _PM2_EMPTIED.search(an.src[: cmd.span[0]])
    ):
        return hit(
            cmd,
            "pm2.saved_empty",
            "high",
            "pm2 save: every process pm2 ran was deleted earlier on this line, and saving "
            "makes that the list restored at boot: the apps stay down",
            suggest="pm2 ls",
        )
    return table_hits(cmd, an)


@handles("service")
def _service(cmd: Cmd, an: Analysis) -> list[Hit]:
    pos = cmd.positional()
    if cmd.has("status-all") or len(pos) < 2 or pos[1].text in _SERVICE_REPORTS:
        return []
    unit, action = pos[0].text, pos[1].text
    severity: Severity = (
        "high" if action in ("stop",) and vital_names("systemctl", [unit]) else "medium"
    )
    return hit(
        cmd,
        f"service.{action}",
        severity,
        f"service {unit} {action}: {_MESSAGES[severity]}",
        suggest=f"service {unit} status",
    )


@handles("apt", "dnf", "zypper", "apk")
def _packages(cmd: Cmd, an: Analysis) -> list[Hit]:
    """A package manager: its pack's dry-run options rehearse; removing a vital package
    (the pack's `vital`) is denied; anything else is judged by the subcommand table."""
    table = _table(cmd.name)
    if table.dry_run and cmd.has(*table.dry_run):
        return []
    pos = cmd.positional()
    sub = pos[0].text.lower() if pos else ""
    if sub in table.vital_when and (names := vital_names(cmd.name, [p.text for p in pos[1:]])):
        return hit(
            cmd,
            f"{cmd.name}.remove_vital",
            "critical",
            f"{cmd.name} {sub} "
            f"{' '.join(names)}: removes a package the system needs to run or be reached",
            suggest=f"{cmd.name} {sub} --simulate {' '.join(names)}" if table.dry_run else "",
        )
    return table_hits(cmd, an)


@handles("pacman", "dpkg", "rpm")
def _dash_packages(cmd: Cmd, an: Analysis) -> list[Hit]:
    """dpkg/rpm/pacman take their action as a flag, not a subcommand: their tables list
    the flags that only query and those that remove."""
    table = _table(cmd.name)
    if table.dry_run and cmd.has(*table.dry_run) and not cmd.has("y", "refresh"):
        return []  # `pacman -Rs --print nginx`: the targets printed, nothing changed
    # the action flag may follow modifiers (`dpkg --force-depends --purge libc6`)
    listed = [a.text for a in cmd.args if level_of(cmd.name, [a.text]) is not None]
    first = listed[0] if listed else (cmd.args[0].text if cmd.args else "")
    level = level_of(cmd.name, [first])
    if level == "read":
        return []
    removing = level == "high"
    names = [a.text for a in cmd.args if not a.text.startswith("-")]
    if removing and (vital := vital_names("apt", names)):
        return hit(
            cmd,
            f"{cmd.name}.remove_vital",
            "critical",
            f"{cmd.name} {first} {' '.join(vital)}: removes a package the system needs to run "
            "or be reached",
        )
    return hit(
        cmd,
        f"{cmd.name}.change",
        "high" if removing else "medium",
        f"{cmd.name} {first}: {'removes' if removing else 'installs or changes'} packages",
    )


@handles("run-parts")
def _run_parts(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`run-parts DIR` runs every program in DIR (cron's daily jobs): code the engine
    cannot see, and a program the same line wrote into DIR is unreviewed code run.
    `--test` and `--list` only print the names."""
    if cmd.has("test", "list", "h", "help", "V", "version"):
        return []
    for folder in cmd.positional("ua"):
        inside = folder.text.rstrip("/") + "/"
        planted = next((w for w in an.written if same_file(w, inside)), None)
        if planted is not None:
            return hit(
                cmd,
                "exec.written_then_run",
                "high",
                f"run-parts runs {planted}, written earlier on this line into "
                f"{folder.text}: code nobody has reviewed",
                "unknown",
                suggest=f"run-parts --test {folder.text}",
            )
    return hit(
        cmd,
        "exec.run_parts",
        "medium",
        "run-parts runs every program in the folder: code the engine cannot see",
        "unknown",
        suggest=f"run-parts --test {' '.join(w.text for w in cmd.positional('ua'))}",
    )


# GNU make's `$(shell CMD)`: runs while the makefile is read, even under `-n`.
_MAKE_SHELL = lazy(r"\$[({]shell\s+([^)}]*)[)}]")


def _make_eval(cmd: Cmd, an: Analysis, dry: bool) -> None:
    """`make --eval=$'x:\\n\\trm -rf /srv' x`: the text is makefile, so its recipe lines
    (a tab first; `-`, `@`, `+` only say how to run them) are commands, and its `$(shell
    CMD)` runs when make reads it, dry run or not."""
    text = cmd.option_value("eval", "E")
    if not text:
        return
    word = next((w for w in cmd.args if text in w.text), cmd.word)
    lines = [m.group(1) for m in _MAKE_SHELL.finditer(text)]
    if not dry:
        lines += [ln.lstrip("\t").lstrip("-@+") for ln in text.splitlines() if ln[:1] == "\t"]
    for line in lines:
        an.payload(line, [word], "make.eval", "make --eval runs")


@handles("make")
def _make(cmd: Cmd, an: Analysis) -> list[Hit]:
    make = _table("make")
    _make_eval(cmd, an, cmd.has(*make.dry_run))
    source = cmd.option_value("f", "file", "makefile") or cmd.option_value("C", "directory")
    if source and classify(source) in ("temp", "dynamic"):
        # reading a makefile runs its `$(shell ...)` and `!=` lines, dry run or not: one
        # from a temp folder is code any account (the agent's included) may have written
        return hit(
            cmd,
            "exec.temp_script",
            "high",
            f"make reads {source}, a makefile from a temp folder: its $(shell ...) lines run "
            "even with -n, and any account may have written it",
            "unknown",
            suggest=f"cat {source}",
        )
    if cmd.has(*make.dry_run):
        return []
    target = cmd.sub("".join(sorted(make.positional_value_options)))
    return hit(
        cmd,
        "make.run",
        "medium",
        f"make {target}: runs recipes the engine cannot see".replace("  ", " "),
        "unknown",
        suggest=f"make -n {target}".strip(),
    )


def _cron_command(line: str) -> str:
    """The command part of a crontab line (after the five time fields or an @word)."""
    parts = line.split()
    if not parts or parts[0].startswith("#"):
        return ""
    skip = 1 if parts[0].startswith("@") else 5
    return " ".join(parts[skip:])


@handles("crontab", "at", "batch", "atrm", "systemd-tmpfiles")
def _schedule(cmd: Cmd, an: Analysis) -> list[Hit]:
    payload = _piped_text(cmd)
    if payload is not None and (
        cmd.name in ("at", "batch") or (cmd.name == "crontab" and "-" in cmd.argv)
    ):
        words = cmd.simple.upstream.words[1:] if cmd.simple.upstream else cmd.args
        lines = (
            payload
            if cmd.name != "crontab"
            else "\n".join(_cron_command(line) for line in payload.splitlines())
        )
        an.payload(lines, words, "cron.payload", f"{cmd.name} job")
    if cmd.name == "crontab":
        if cmd.has("l", "list") and not cmd.has("r"):
            return []
        if cmd.has("r", "remove"):
            return hit(
                cmd,
                "cron.remove",
                "high",
                "crontab -r deletes every scheduled job",
                "single",
                suggest="crontab -l",
            )
        if cmd.option_value("u", "user") == "root" and not cmd.has("e", "edit"):
            # root's whole crontab replaced (from a file or a pipe): what runs as root from
            # now on, as a file written to /etc/cron.d is, and the jobs it had are gone
            return hit(
                cmd,
                "cron.root_replaced",
                "high",
                "crontab replaces root's whole crontab: its jobs run as root, the old ones go",
                "system",
                suggest="crontab -l -u root",
            )
        return hit(
            cmd,
            "cron.edit",
            "medium",
            "crontab replaces or edits scheduled jobs",
            "single",
            suggest="crontab -l",
        )
    if cmd.name == "at" and cmd.has("l", "c"):
        return []
    if cmd.name == "systemd-tmpfiles" and cmd.has("dry-run", "cat-config"):
        return []  # `--dry-run` (systemd 256) prints what it would create or remove
    return hit(
        cmd, f"cron.{cmd.name}", "medium", f"{cmd.name}: schedules or removes jobs", "single"
    )
