"""`aiperm init`: write the starter config and create the audit key.

The starter config is the documented example, `config.example.toml` (the repository's
copy is the one source; the wheel carries it as `aiperm_tui/config.example.toml`, like
the themes), so a pip-installed aiperm writes the same commented file a checkout has.
Its sample hosts and rules are written commented out (`starter_text`): the new file
starts with the defaults only, the samples there to uncomment.

`--rotate-key` starts a new audit key, keeping the old one (under audit-keys/) so every
old session still verifies.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from aiperm_tui import paths
from aiperm_tui.cli import Subcommand
from aiperm_tui.errors import UsageError

EXAMPLE_NAME = "config.example.toml"
_PACKAGE_EXAMPLE = Path(__file__).resolve().parent.parent / EXAMPLE_NAME
_REPO_EXAMPLE = Path(__file__).resolve().parent.parent.parent / EXAMPLE_NAME
SAMPLES_START = "# One table per host."  # from here the example's samples…
SAMPLES_END = "# Remap TUI keys"  # …up to here are commented out in the starter
_DEFAULT_HOST = re.compile(r'^default_host = ".*"$', re.MULTILINE)


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite an existing config file (the audit key is never replaced)",
    )
    parser.add_argument(
        "--default-host", metavar="NAME", help="set default_host (a name from ~/.ssh/config works)"
    )
    parser.add_argument(
        "--rotate-key",
        action="store_true",
        help="start a new audit key; the old one is kept, so old sessions "
        "still verify (nothing else is touched)",
    )


def example_path() -> Path:
    """The shipped example: the package's copy (a wheel), else the repository's."""
    for path in (_PACKAGE_EXAMPLE, _REPO_EXAMPLE):
        if path.is_file():
            return path
    raise UsageError(f"{EXAMPLE_NAME} is missing from this installation of aiperm (reinstall it)")


def starter_text(example: str, default_host: str | None) -> str:
    """The example with its samples commented out and `default_host` set (or commented
    out when none is given); the example's layout is checked, not assumed."""
    if (
        not _DEFAULT_HOST.search(example)
        or SAMPLES_START not in example
        or SAMPLES_END not in example
    ):
        raise UsageError(f"{EXAMPLE_NAME} does not have the expected layout")
    if default_host:
        line = f"default_host = {_toml_string(default_host)}"
    else:
        line = '# default_host = "web1"'
    lines = _DEFAULT_HOST.sub(lambda _m: line, example, count=1).split("\n")
    inside = False
    for number, row in enumerate(lines):
        if row.startswith(SAMPLES_START) or row.startswith(SAMPLES_END):
            inside = row.startswith(SAMPLES_START)
        elif inside and row.strip() and not row.startswith("#"):
            lines[number] = f"# {row}"
    return "\n".join(lines)


def _toml_string(value: str) -> str:
    import json

    return json.dumps(value)  # a JSON string is a valid TOML basic string


def _rotate() -> int:
    """Retire the key file's key and write a new one; the index records the hand-over,
    sealed with the old key."""
    from aiperm_tui.session import ledger
    from aiperm_tui.session.keys import rotate_key_file

    path = paths.key_path()
    if not path.exists():
        raise UsageError(f"no audit key at {path} to rotate (run `aiperm init` first)")
    old, new = rotate_key_file(path)
    try:
        ledger.append(paths.sessions_dir(), old, "rotate", old=old.key_id, new=new.key_id)
    except OSError as exc:
        print(
            f"aiperm: warning: the rotation is not in the session index: {exc.strerror}",
            file=sys.stderr,
        )
    print(
        f"new audit key {new.key_id} in {path}; the old key {old.key_id} is kept in "
        f"{path.parent / 'audit-keys'} (sessions it sealed still verify)"
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.rotate_key:
        return _rotate()
    from aiperm_tui.session.keys import create_key_file

    path = paths.config_path(args.config)
    if path.exists() and not args.force:
        raise UsageError(f"{path} already exists (use --force to overwrite it)")
    text = starter_text(example_path().read_text(encoding="utf-8"), args.default_host)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    print(f"wrote {path} (every key, with comments; samples commented out)")
    key = paths.key_path()
    if key.exists():
        print(f"kept the existing audit key {key}")
    else:
        create_key_file(key)
        print(f"created the audit key {key} (mode 0600; back it up: logs verify only with it)")
    return 0


COMMANDS = [
    Subcommand("init", "write a starter config and create the audit key", _configure, _run),
]
