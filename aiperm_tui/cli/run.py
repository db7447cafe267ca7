"""Placeholder for: aiperm run (being built)."""

from __future__ import annotations

import argparse

from aiperm_tui.cli import Subcommand
from aiperm_tui.errors import AipermError


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rest", nargs=argparse.REMAINDER)


def _run(args: argparse.Namespace) -> int:
    raise AipermError("this command is not implemented yet")


COMMANDS = [
    Subcommand("run", "(not implemented yet)", _configure, _run),
]
