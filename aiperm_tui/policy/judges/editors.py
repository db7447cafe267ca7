"""What the editors do: sed's in-place edits and the files its scripts write, and the
scripts fed to ed, ex, vi and patch.

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

from aiperm_tui.policy import code
from aiperm_tui.policy.fspaths import classify
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.normalize import Cmd
from aiperm_tui.policy.parse import Word
from aiperm_tui.policy.sedscript import sed_effects
from aiperm_tui.policy.toolbox import (
    broker_opened,
    changes,
    handles,
    hit,
    option_write,
    protection_off,
    ships_outside,
    value_word,
)

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


@handles("sed")
def _sed(cmd: Cmd, an: Analysis) -> list[Hit]:
    in_place = any(
        a.text.startswith("-i")
        or a.text.startswith("--in-place")
        or (
            a.text.startswith("-")
            and not a.text.startswith("--")
            and "i" in a.text[1:]
            and a.text[1:].isalpha()
        )
        for a in cmd.args
    )
    scripts = _sed_expressions(cmd)
    pos = cmd.positional("ef")
    if not scripts and pos and cmd.option_value("f", "file") is None:
        scripts, pos = [pos[0].text], pos[1:]
    hits: list[Hit] = []
    if cmd.option_value("f", "file") is not None:
        hits += hit(
            cmd,
            "exec.script",
            "medium",
            "sed runs a script file the engine cannot see (it may run commands or write files)",
            "unknown",
        )
    for effect in (e for script in scripts if script for e in sed_effects(script)):
        if effect.kind == "exec" and effect.arg:
            an.payload(effect.arg, [cmd.word], "exec.sed_e", "sed e command")
            hits += hit(  # a text editor running a command: how a command is hidden
                cmd,
                "exec.sed_e",
                "high",
                f"sed runs the shell command {effect.arg!r} (e): a text filter made to run "
                "a command",
                "unknown",
            )
        elif effect.kind == "exec":
            hits += hit(
                cmd,
                "exec.sed_e",
                "high",
                "sed runs lines of its input as shell commands (e)",
                "unknown",
            )
        else:
            hits += option_write(cmd, effect.arg, "sed w writes", an)
    if in_place:
        hits += changes(cmd, pos, an, "edits in place")
        written = "\n".join(t for script in scripts for t in _sed_text(script))
        for target in pos if written else []:
            code.planted_code(an, written, target)
        replaced = "\n".join(m.group(0) for s in scripts for m in _SED_REPLACED.finditer(s))
        replaced = "\n".join(_sed_patterns(replaced))
        for target in pos if written else []:
            if opened := broker_opened(target.text, written):
                hits += hit(cmd, "fs.broker_opened", "high", f"sed: {opened}", "system")
                break
            if lost := protection_off(target.text, written):
                hits += hit(cmd, "fs.protection_off", "high", f"sed: {lost}", "system")
                break
            if (address := ships_outside(target.text, written, replaced)) is not None:
                hits += hit(
                    cmd,
                    "net.config_ships_outside",
                    "high",
                    f"sed points {target.text} at {address!r}, outside the site (the metrics, "
                    "logs, traces, alerts or messages the service handles go there, or its "
                    "clients boot from there)",
                    "system",
                )
                break
        logs = [p for p in pos if classify(p.text) == "log"]
        if logs:
            hits += hit(
                cmd,
                "log.edit",
                "high",
                f"sed rewrites {logs[0].text} in place (lines of a log removed or changed: "
                "the audit trail)",
                "single",
            )
    return hits


# The text a sed command puts in: `i`, `a` and `c` (GNU's one-line form) and an `s`
# replacement.
_SED_ADDED = lazy(r"(?:^|[;\n}])\s*(?:\d+|\$|/(?:[^/\\]|\\.)*/)?\s*[aic]\\?\s*(.+)")
_SED_REPLACED = lazy(r"\bs(.)(?:\\.|(?!\1).)*\1((?:\\.|(?!\1).)*)\1")


def _sed_text(script: str) -> list[str]:
    """What `script` writes into the file: inserted, appended or changed lines and
    replacements."""
    return [m.group(1) for m in _SED_ADDED.finditer(script)] + [
        m.group(2).replace("\\" + m.group(1), m.group(1)).replace("\\n", "\n")
        for m in _SED_REPLACED.finditer(script)
    ]


def _sed_patterns(text: str) -> list[str]:
    """The patterns (the text replaced) of the `s` commands in `text`."""
    return [m.group(0)[2:].split(m.group(1), 1)[0] for m in _SED_REPLACED.finditer(text)]


def _sed_expressions(cmd: Cmd) -> list[str]:
    """Every `-e SCRIPT`, `-eSCRIPT`, `--expression=SCRIPT` (sed joins them all)."""
    out: list[str] = []
    args = cmd.args
    for i, a in enumerate(args):
        t = a.text
        if t in ("-e", "--expression") and i + 1 < len(args):
            out.append(args[i + 1].text)
        elif t.startswith("--expression="):
            out.append(t.split("=", 1)[1])
        elif t.startswith("-e") and len(t) > 2:
            out.append(t[2:])
        elif (
            t.startswith("-")
            and not t.startswith("--")
            and t[1:].isalpha()
            and t.endswith("e")
            and i + 1 < len(args)
        ):
            out.append(args[i + 1].text)  # `-ne SCRIPT`
    return out


@handles("patch", "ed", "ex", "vi", "vim", "nvim", "view", "nano", "emacs", "pico", "joe", "mcedit")
def _editor(cmd: Cmd, an: Analysis) -> list[Hit]:
    script = _editor_script(cmd, an)
    if script is not None and not any(
        _EDITOR_WRITE.match(part) for line in script for part in line.split("|")
    ):
        return []  # a script without a write command only prints (`echo ,p | ed -s f`)
    if (
        cmd.has("dry-run")
        or (cmd.name in ("vi", "vim", "nvim") and cmd.has("R"))
        or (cmd.name == "view" and not cmd.has("e", "E", "s"))  # vim's read-only mode
        or (cmd.name == "nano" and cmd.has("v", "view"))  # nano's view mode: no saving
    ):
        return []
    named = [value_word(cmd, f) for f in _editor_write_targets(script or [])]
    return changes(cmd, [*cmd.positional("pido"), *named], an, "edits")


def _editor_write_targets(script: list[str]) -> list[str]:
    """The files an ed/ex script's write commands name (`w /etc/passwd`, `saveas X`):
    written whatever file was opened."""
    out: list[str] = []
    for line in script:
        for part in line.split("|"):
            m = _EDITOR_WRITE.match(part)
            rest = part[m.end() :].strip().lstrip("!") if m else ""
            if m and rest and not rest.startswith(("!", ">")):
                out.append(rest.split()[0])
    return out


def _command_options(cmd: Cmd) -> tuple[str, list[Word]] | None:
    """The ex commands an ex-mode vim is given as options (`view -es -c 'g/listen/p' -c
    'q!' FILE`, `+CMD`), one a line, when it is given some; vi's and ed's stdin scripts
    are read by `Analysis.literal_input`."""
    if cmd.name not in ("ex", "vi", "vim", "nvim", "view"):
        return None
    words = [
        w
        for i, w in enumerate(cmd.args)
        if (i and cmd.args[i - 1].text in ("-c", "--cmd")) or w.text.startswith("+")
    ]
    lines = [w.text.removeprefix("+") for w in words]
    if not words or not all(_PRINTS_OR_QUITS.fullmatch(line) for line in lines):
        return None  # `so FILE`, `normal`, `py3`, `call` run code the line does not show
    return "\n".join(lines), words


# The ex commands given as options that only print lines or quit (`g/re/p`, `%p`, `5,10nu`,
# `q!`): any other (`so`, `normal`, `py3`, `call`, `s///`) leaves the editor's judgement.
_PRINTS_OR_QUITS = lazy(
    r"\s*:*\s*(?:(?:[\d.,$%;+-]|'[a-z])*\s*(?:(?:g|global|v|vglobal)!?/[^/]*/\s*)?"
    r"(?:p|print|nu|number|#|l|list|=)?|q|quit|qa|qall|cq)!?\s*"
)


# A line of an ed/ex script that runs a shell command: `!cmd`, `r !cmd`, `w !cmd`,
# `e !cmd`, an address before (`1,$!sort`), ex's leading colons.
_EDITOR_BANG = lazy(
    r"^\s*:*\s*(?:[\d.,$%;+-]|'[a-z])*\s*(?:(?P<verb>r|w|e|read|write|edit)\s*)?!(?P<cmd>.+)$"
)


_SCRIPT_RUNNERS = frozenset(
    {"sh", "bash", "dash", "zsh", "ksh", "fish", "python", "python3", "perl", "ruby", "node"}
)


# A line of an ed/ex script that writes a file (`w`, `wq`, `x`, `:update`, `saveas`).
_EDITOR_WRITE = lazy(
    r"^\s*:*\s*(?:[\d.,$%;+-]|'[a-z])*\s*"
    # a global command runs its command on each matching line (`g/re/w FILE`)
    r"(?:(?:g|global|v|vglobal)!?(?P<sep>[^\w\s])(?:(?!(?P=sep)).)*(?P=sep)\s*)?"
    r"(w|wq|W|x|xit|exi|exit|wn|up|update|sav|saveas)\b"
)


def _editor_script(cmd: Cmd, an: Analysis) -> list[str] | None:
    """ed and ex read their commands on stdin: a script written on the line (a
    here-string, a here-doc, `echo ... |`) is judged, and its `!` lines as shell. Its
    lines, or None when the commands are not written on the line."""
    if cmd.name in ("vi", "vim", "nvim", "view") and not cmd.has("e", "E", "s"):
        return None  # visual mode: stdin is text to edit (`vim -`), not commands
    if cmd.name not in ("ed", "ex", "vi", "vim", "nvim", "view"):
        return None
    found = an.literal_input(cmd) or _command_options(cmd)
    if found is None:
        return None
    text, words = found
    for line in text.splitlines():
        m = _EDITOR_BANG.match(line)
        if m is None:
            continue
        an.payload(m.group("cmd"), words, "exec.editor_shell", f"{cmd.name} runs `!`")
        runner = m.group("cmd").split()[0].rsplit("/", 1)[-1] if m.group("cmd").split() else ""
        if m.group("verb") in ("w", "write") and runner in _SCRIPT_RUNNERS:
            an.add(
                Hit(
                    "exec.editor_shell",
                    "high",
                    f"{cmd.name} pipes the file into {runner}: its content runs as a program",
                    (words[0].start, words[-1].end),
                    "unknown",
                )
            )
    return text.splitlines()
