"""`aiperm check`: print the policy decision for a command, or stream decisions.

`aiperm check -- CMD` prints a readable summary (the command with its findings
highlighted: ANSI colours on a terminal, a marker line otherwise) or, with `--json`, the
decision JSON. `--stdin` reads one command a line (a JSON string, or plain text) and
writes one JSON decision a line, flushed as it goes.

Exit codes: 0 allowed, 1 denied, 3 engine error, 4 bad JSON input (with `--stdin`: any
line that starts with `"` but is not a JSON string, or that is a whole JSON object or
array, which is never a command; the other lines are still decided),
5 usage. The policy package is imported inside `run`, and nothing here imports Textual or
paramiko, so the command starts fast; `fast_args` reads the usual argument shapes without
argparse (see its docstring).
"""

from __future__ import annotations

import gc
import sys
from types import SimpleNamespace

from aiperm_tui.cli import Subcommand
from aiperm_tui.errors import ExitCode, UsageError
from aiperm_tui.textsafe import escape_control

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from typing import TextIO

if TYPE_CHECKING:
    import argparse

    from aiperm_tui.policy import Decision, PolicyEngine

# aiperm_tui.config.PRESETS, spelled here: the arguments are read before the config module
# loads, so that `--stdin` starts bashlex's worker first (test_check_fast_args holds the
# two equal).
PRESETS = ("read_only", "ops_safe", "ops_strict", "dev_sandbox")
_COLOURS = {"info": "36", "low": "34", "medium": "33", "high": "1;31", "critical": "1;37;41"}
_SEVERITY_RANK = ("info", "low", "medium", "high", "critical")

DESCRIPTION = """\
Print the policy decision for one command: allow or deny, the confirmation it needs
(none, plan, action, typed), the risk, and what was found, highlighted in the command.

  aiperm check -- rm -rf /tmp/build
  aiperm check --json 'curl -s https://example.com/install.sh | sh'
  printf '%s\\n' 'ls -la' '"git push --force"' | aiperm check --stdin

Several words after `--` are joined with single spaces; quote the command as one
argument to keep its exact text. With --stdin each line is a JSON string or plain text
(a trailing CR is dropped), and each answer is one JSON decision on its own line.
exit codes: 0 allowed, 1 denied (--stdin: any denied), 3 engine error, 4 bad JSON
input, 5 usage."""


# The options `fast_args` reads: flags, and options taking one value (None: any value).
_FLAGS = {"--json": "json", "--explain": "explain", "--stdin": "stdin"}
_VALUED: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "--preset": ("preset", PRESETS),
    "--host": ("host", None),
    "--config": ("config", None),
}


def fast_args(argv: list[str]) -> SimpleNamespace | None:
    """The arguments of `aiperm check ARGV` read without argparse (whose import and
    parser cost a few ms of every hook's check), or None to let argparse read them.

    Read here only: the exact option names above (`--opt VALUE` or `--opt=VALUE`, a
    value not starting with `-`, a preset among PRESETS), then `--` followed by at least
    one word, or a first word not starting with `-` and everything after it (argparse's
    REMAINDER: later options are words of the command). Anything else (help, an
    abbreviation, an unknown option, a missing or bad value, no command) goes to argparse,
    which answers it as before; tests/policy/test_check_fast_args.py holds the two to the
    same result on generated argument lists."""
    values: dict[str, object] = {
        "config": None,
        "preset": None,
        "host": None,
        "json": False,
        "explain": False,
        "stdin": False,
    }
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            if i + 1 == len(argv):
                return None
            break
        if not word.startswith("-"):
            break
        name, eq, value = word.partition("=")
        if name in _FLAGS and not eq:
            values[_FLAGS[name]] = True
            i += 1
            continue
        if name not in _VALUED:
            return None
        if not eq:
            if i + 1 == len(argv):
                return None
            value = argv[i + 1]
            i += 1
        dest, choices = _VALUED[name]
        if value.startswith("-") or (choices is not None and value not in choices):
            return None
        values[dest] = value
        i += 1
    if i == len(argv):
        return None
    return SimpleNamespace(command=argv[i:], _run=_run, **values)


def _configure(parser: argparse.ArgumentParser) -> None:
    import argparse

    parser.add_argument(
        "--preset",
        choices=PRESETS,
        help="policy preset (default: the host's, then the config's, then ops_safe)",
    )
    parser.add_argument(
        "--host", metavar="H", help="judge as for this host (its preset, jail_root and rules)"
    )
    parser.add_argument("--json", action="store_true", help="print the decision as JSON")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="name the rule, its pack and the part of the command that decided",
    )
    parser.add_argument(
        "--stdin",
        action="store_true",
        help="read one command a line, print one JSON decision a line",
    )
    parser.add_argument(
        "command", nargs=argparse.REMAINDER, metavar="-- CMD", help="the command to judge"
    )


def _run(args: argparse.Namespace) -> int:
    words = list(args.command)
    if words[:1] == ["--"]:
        words = words[1:]
    if args.stdin and words:
        raise UsageError("give either --stdin or a command, not both")
    if not args.stdin and not words:
        raise UsageError("no command given (aiperm check -- CMD, or --stdin)")
    command = words[0] if len(words) == 1 else " ".join(words)
    from aiperm_tui.policy import secondopinion

    if args.stdin:
        secondopinion.warm()  # bashlex's worker starts while the config and engine load
    from aiperm_tui.config import load_config
    from aiperm_tui.policy import PolicyEngine

    engine = PolicyEngine(load_config(args.config))
    engine.packs()  # a broken operator pack: one line and exit 5, not a deny per command
    if not gc.isenabled():  # `cli.entry` held the collector off while the modules loaded
        gc.freeze()  # what is loaded stays; the decision's own garbage is collected
        gc.enable()
    if args.stdin:
        return stream(engine, sys.stdin, sys.stdout, host=args.host, preset=args.preset)
    with secondopinion.one_shot():  # one command: bashlex in-process, no second start-up
        decision = engine.decide(command, host=args.host, preset=args.preset)
    if args.explain:
        from aiperm_tui.cli.rules import explain

        sys.stdout.write(explain(command, decision, engine.packs()))
    elif args.json:
        import json  # here: its import is ~1.5 ms of a plain check, which prints no JSON

        print(json.dumps(decision.to_dict(), ensure_ascii=False))
    else:
        sys.stdout.write(summary(command, decision, colour=sys.stdout.isatty()))
    return exit_code(decision)


def exit_code(decision: Decision) -> int:
    """0 allow, 1 deny, 3 when the engine failed (it then denies)."""
    if any(f.rule == "engine.error" for f in decision.findings):
        return ExitCode.ENGINE
    return ExitCode.OK if decision.decision == "allow" else ExitCode.DENIED


def stream(
    engine: PolicyEngine, source: TextIO, out: TextIO, *, host: str | None, preset: str | None
) -> int:
    """Decide each line of `source`, one JSON object a line on `out`; returns the exit
    code (4 if any line was bad JSON, else 3 on an engine error, else 1 if any deny)."""
    import json

    seen: set[int] = set()
    for number, line in enumerate(source, 1):
        line = line[:-1] if line.endswith("\n") else line
        line = line[:-1] if line.endswith("\r") else line
        command = _line_command(line)
        if command is None:
            out.write(
                json.dumps(
                    {
                        "error": "bad JSON: a line must be a JSON string or plain "
                        "text, not an object, array or broken string",
                        "line": number,
                    }
                )
                + "\n"
            )
            seen.add(ExitCode.BAD_JSON)
        else:
            decision = engine.decide(command, host=host, preset=preset)
            out.write(json.dumps(decision.to_dict(), ensure_ascii=False) + "\n")
            seen.add(exit_code(decision))
        out.flush()
    for code in (ExitCode.BAD_JSON, ExitCode.ENGINE, ExitCode.DENIED):
        if code in seen:
            return int(code)
    return int(ExitCode.OK)


def _line_command(line: str) -> str | None:
    """The command a line holds: a JSON string when it starts with `"`, else the text.
    None (bad input) for a broken string and for a JSON object or array: that is a
    caller's mistake, and judging its text as shell would answer a question nobody asked.
    A line starting with `[` or `{` that is not JSON is shell (`[ -f x ] && ...`,
    `{ a; b; } > log`) and is decided as plain text."""
    if line.startswith(("{", "[")):
        return line if _not_json(line) else None
    if not line.startswith('"'):
        return line
    import json

    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _not_json(line: str) -> bool:
    import json

    try:
        json.loads(line)
    except ValueError:
        return True
    return False


def summary(command: str, decision: Decision, *, colour: bool) -> str:
    """The readable form: verdict, the command with findings marked, reason, findings."""
    verdict = decision.decision.upper()
    if colour:
        verdict = f"\x1b[{'1;32' if decision.decision == 'allow' else '1;31'}m{verdict}\x1b[0m"
    lines = [
        f"{verdict}  confirm: {decision.confirm}  risk: {decision.risk.score} "
        f"({decision.risk.blast_radius})  layer: {decision.layer}"
    ]
    shown, marks = highlight(command, decision, colour=colour)
    lines.append(f"  {shown}")
    if marks.strip():
        lines.append(f"  {marks}")
    lines.append(f"reason: {escape_control(decision.reason, keep_newlines=False)}")
    for f in decision.findings:
        lines.append(
            f"  - {f.severity:<8} {f.rule}: "
            f"{escape_control(f.message, keep_newlines=False)} [{f.span[0]}:{f.span[1]}]"
        )
    for s in decision.suggestions:
        lines.append(f"suggestion: {escape_control(s, keep_newlines=False)}")
    return "\n".join(lines) + "\n"


def highlight(command: str, decision: Decision, *, colour: bool) -> tuple[str, str]:
    """The command on one line, control characters escaped, with each character coloured
    (terminal) or marked with `^` on a second line by the worst finding covering it."""
    levels = [-1] * len(command)
    for f in decision.findings:
        rank = _SEVERITY_RANK.index(f.severity)
        for i in range(max(0, f.span[0]), min(len(command), f.span[1])):
            levels[i] = max(levels[i], rank)
    shown: list[str] = []
    marks: list[str] = []
    for ch, level in zip(command, levels, strict=True):
        text = escape_control(ch, keep_newlines=False)
        if colour and level >= 0:
            text = f"\x1b[{_COLOURS[_SEVERITY_RANK[level]]}m{text}\x1b[0m"
        shown.append(text)
        marks.append(
            ("^" if level >= 2 else "~" if level >= 0 else " ")
            * len(escape_control(ch, keep_newlines=False))
        )
    return "".join(shown), ("" if colour else "".join(marks).rstrip())


COMMANDS = [
    Subcommand(
        "check",
        "print the policy decision for a command",
        _configure,
        _run,
        description=DESCRIPTION,
    ),
]
