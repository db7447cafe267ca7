"""The `aiperm` command.

Each group of subcommands lives in its own module of this package and exposes
`COMMANDS`, a list of `Subcommand`. Modules import only argparse-level things at the top
and defer heavy imports (Textual, paramiko) into their `run` functions, so that
`aiperm --version` and `aiperm check` start fast.

Errors: every `AipermError` prints as one line `aiperm: error: …` on stderr and exits
with its code; argparse usage errors exit 5 (`ExitCode.USAGE`), not argparse's 2, because
2 means "confirmation refused" in the exit-code convention of docs/configuration.md.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aiperm_tui import __version__, paths
from aiperm_tui.errors import AipermError, ExitCode, SecurityError

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


@dataclass(frozen=True)
class Subcommand:
    """One `aiperm NAME` subcommand."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    description: str = ""


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 5 and a one-line error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $AIPERM_CONFIG, then the user config folder)",
    )


def build_parser(modules: Sequence[str] = _MODULES) -> argparse.ArgumentParser:
    """The parser for the subcommands of `modules` (default: all of them); importing
    each command module is cheap by construction."""
    parser = _Parser(
        prog="aiperm",
        description="A terminal session broker between AI agents "
        "and your servers: review, approve, run over SSH, record.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"aiperm {__version__}")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
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
    # `aiperm check` runs once per command from hooks: it builds only its own parser.
    parser = build_parser(("aiperm_tui.cli.check",) if argv[:1] == ["check"] else _MODULES)
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return ExitCode.USAGE
    try:
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
