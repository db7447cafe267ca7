"""`aiperm init`: write a starter config and create the audit key; `--rotate-key` starts a
new audit key, keeping the old one (under audit-keys/) so every old session still verifies."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from aiperm_tui import paths
from aiperm_tui.cli import Subcommand
from aiperm_tui.config import OutputConfig, SSHConfig
from aiperm_tui.errors import UsageError


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true",
                        help="overwrite an existing config file (the audit key is never replaced)")
    parser.add_argument("--default-host", metavar="NAME",
                        help="set default_host (a name from ~/.ssh/config works)")
    parser.add_argument("--rotate-key", action="store_true",
                        help="start a new audit key; the old one is kept, so old sessions "
                        "still verify (nothing else is touched)")


def starter_config(default_host: str | None) -> dict[str, Any]:
    """The starter config: every default spelled out, so it is easy to edit."""
    data: dict[str, Any] = {"preset": "ops_safe", "theme": "dark"}
    if default_host:
        data["default_host"] = default_host
    data["output"] = vars(OutputConfig()).copy()
    data["ssh"] = vars(SSHConfig()).copy()
    return data


def _rotate() -> int:
    """Retire the key file's key and write a new one; the index records the hand-over,
    sealed with the old key."""
    from aiperm_tui.session import ledger
    from aiperm_tui.session.keys import ENV_VAR, rotate_key_file

    path = paths.key_path()
    if not path.exists():
        raise UsageError(f"no audit key at {path} to rotate (run `aiperm init` first)")
    old, new = rotate_key_file(path)
    try:
        ledger.append(paths.sessions_dir(), old, "rotate", old=old.key_id, new=new.key_id)
    except OSError as exc:
        print(f"aiperm: warning: the rotation is not in the session index: {exc.strerror}",
              file=sys.stderr)
    print(f"new audit key {new.key_id} in {path}; the old key {old.key_id} is kept in "
          f"{path.parent / 'audit-keys'} (sessions it sealed still verify)")
    if os.environ.get(ENV_VAR):
        print(f"note: {ENV_VAR} is set and takes precedence over the key file", file=sys.stderr)
    return 0


def _run(args: argparse.Namespace) -> int:
    import tomli_w

    if args.rotate_key:
        return _rotate()
    from aiperm_tui.session.keys import create_key_file

    path = paths.config_path(args.config)
    if path.exists() and not args.force:
        raise UsageError(f"{path} already exists (use --force to overwrite it)")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        tomli_w.dump(starter_config(args.default_host), fh)
    os.replace(tmp, path)
    print(f"wrote {path}")
    key = paths.key_path()
    if key.exists():
        print(f"kept the existing audit key {key}")
    else:
        create_key_file(key)
        print(f"created the audit key {key} (mode 0600; back it up: logs verify only with it)")
    print("see config.example.toml for every key, with comments")
    return 0


COMMANDS = [
    Subcommand("init", "write a starter config and create the audit key", _configure, _run),
]
