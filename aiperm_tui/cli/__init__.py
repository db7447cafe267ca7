"""The `aiperm` command.

Each group of subcommands lives in its own module of this package and exposes
`COMMANDS`, a list of `Subcommand`. Modules import only argparse-level things at the top
and defer heavy imports (Textual, paramiko) into their `run` functions, so that
`aiperm --version` and `aiperm check` start fast.

Errors: every `AipermError` prints as one line `aiperm: error: …` on stderr and exits
with its code; argparse usage errors exit 5 (`ExitCode.USAGE`), not argparse's 2, because
2 means "confirmation refused" in the exit-code convention of docs/configuration.md.

`aiperm check -- CMD` runs once per command from hooks, so this module imports neither
argparse nor dataclasses at the top: a check whose words are plain (`check.fast_args`)
never builds a parser, and anything else goes through argparse as before.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence

from aiperm_tui import __version__
from aiperm_tui.errors import AipermError, ExitCode, SecurityError

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:
    import argparse

# Modules holding subcommands, in the order `aiperm --help` lists them.
_MODULES = (
    "aiperm_tui.cli.tui",
    "aiperm_tui.cli.check",
    "aiperm_tui.cli.rules",
    "aiperm_tui.cli.run",
    "aiperm_tui.cli.sessions",
    "aiperm_tui.cli.replay",
    "aiperm_tui.cli.init",
    "aiperm_tui.cli.agent",
    "aiperm_tui.cli.doctor",
)

EPILOG = """\
exit codes: 0 ok, 1 denied by policy (verify: tampering found), 2 confirmation refused
or no terminal to ask, 3 policy engine error, 4 bad JSON, 5 usage, configuration or
startup security error, 6 execution failure.
Start with `aiperm demo`."""


class Subcommand:
    """One `aiperm NAME` subcommand. A plain class, not a dataclass: every command module
    makes these at import, and a dataclass costs its generated methods' compile."""

    __slots__ = ("configure", "description", "help", "name", "run")

    def __init__(
        self,
        name: str,
        help: str,
        configure: Callable[[argparse.ArgumentParser], None],
        run: Callable[[argparse.Namespace], int],
        description: str = "",
    ) -> None:
        self.name = name
        self.help = help
        self.configure = configure
        self.run = run
        self.description = description


def _parser_class() -> type[argparse.ArgumentParser]:
    """argparse with exit code 5 and a one-line error (argparse is imported here, on
    the paths that build a parser)."""
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # type: ignore[override]
            self.exit(ExitCode.USAGE, f"{self.prog}: error: {message} (see --help)\n")

    return _Parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $AIPERM_CONFIG, then the user config folder)",
    )


def build_parser(modules: Sequence[str] = _MODULES) -> argparse.ArgumentParser:
    """The parser for the subcommands of `modules` (default: all of them); importing
    each command module is cheap by construction."""
    import argparse
    import importlib  # here: its import (with warnings) is not a plain check's

    parser_class = _parser_class()
    parser = parser_class(
        prog="aiperm",
        description="A terminal session broker between AI agents "
        "and your servers: review, approve, run over SSH, record.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"aiperm {__version__}")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=parser_class)
    for module_name in modules:
        for cmd in importlib.import_module(module_name).COMMANDS:
            sub = subs.add_parser(
                cmd.name,
                help=cmd.help,
                description=cmd.description or cmd.help,
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
            _common(sub)
            cmd.configure(sub)
            sub.set_defaults(_run=cmd.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv in (["--version"], ["-V"]):  # the fast path: no parser, no imports
        print(f"aiperm {__version__}")
        return ExitCode.OK
    args = _parse(argv)
    if args is None:
        return ExitCode.USAGE
    try:
        from aiperm_tui import paths

        if refusal := paths.key_in_env_refusal():
            raise SecurityError(refusal)
        return int(args._run(args))
    except AipermError as exc:
        print(f"aiperm: error: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("aiperm: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return ExitCode.OK


def entry() -> None:
    """The console script (and `python -m aiperm_tui`): `main`, then exit with its code.

    A one-shot `aiperm check -- CMD` (a hook, once per command) is a short process that
    leaves nothing behind it: no thread, no child, no file open for writing. For it,
    the cyclic garbage collector is off while the engine's modules load (they are all
    kept: collecting while ~20,000 objects are made frees nothing; `check` turns it back
    on, those objects frozen, before deciding), and the process ends with `os._exit`
    once its output is flushed: tearing down the interpreter (every module freed) was
    ~4 ms of the check. Any other command, or a flush that fails, exits as usual."""
    argv = sys.argv[1:]
    one_shot = argv[:1] == ["check"] and "--stdin" not in argv
    if one_shot:
        gc.disable()
    code = main(argv)
    if one_shot:
        if (regexes := sys.modules.get("aiperm_tui.policy.recache")) is not None:
            regexes.flush()  # os._exit skips atexit, which writes its new entries
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass  # the usual exit reports it as before
        else:
            os._exit(code)
    sys.exit(code)


def _parse(argv: list[str]) -> Any:
    """The parsed arguments (with `_run`), or None after printing the help for no
    command. `aiperm check` runs once per command from hooks: plain words are read
    without a parser, else it builds only its own."""
    if argv[:1] == ["check"]:
        from aiperm_tui.cli import check

        if (fast := check.fast_args(argv[1:])) is not None:
            return fast
    parser = build_parser(("aiperm_tui.cli.check",) if argv[:1] == ["check"] else _MODULES)
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return None
    return args
