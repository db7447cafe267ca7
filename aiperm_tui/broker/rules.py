"""Host names the broker accepts, and remembered rules ("always allow this").

Remembered rules are appended to `remembered.toml` beside the config file (never to the
hand-written config, so its comments survive), written whole to a temporary file and
renamed, so a crash leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from aiperm_tui import paths, values
from aiperm_tui.config import Config, Rule
from aiperm_tui.errors import ConfigError


def host_known(config: Config, name: str) -> bool:
    """A host is known when it has a [hosts] table or an exact `Host` entry in
    ~/.ssh/config (when the config honours it); anything else is a typo or a guess."""
    if name in config.hosts:
        return True
    if not config.ssh.use_ssh_config:
        return False
    ssh_config = Path.home() / ".ssh" / "config"
    if not ssh_config.is_file():
        return False
    import paramiko

    try:
        return name in paramiko.SSHConfig.from_path(str(ssh_config)).get_hostnames()
    except (OSError, ValueError):
        return False


def pattern_for(command: str, match: str, pattern: str | None) -> str:
    """The rule's pattern: the command itself for "exact"; for "prefix" the given
    pattern (which must start the command) or, by default, the command up to and with
    the blank after its first word, so "systemctl status nginx" remembers "systemctl "
    (the remember modal shows this same default, so what is offered is what is saved).
    The engine bounds such a rule: it never skips a typed confirmation or a deny."""
    if match == "exact":
        return command
    if match != "prefix":
        raise ConfigError(f"remember: match must be exact or prefix, got {match!r}")
    if pattern is None:
        first = re.match(r"\s*\S+\s", command)
        pattern = first.group() if first else command
    if not pattern.strip() or not command.startswith(pattern):
        raise ConfigError(f"remember: prefix {pattern!r} does not start {command!r}")
    return pattern


def _write_durably(target: Path, data: dict[str, Any]) -> None:
    """Temp file, fsync, rename, fsync the folder: without the syncs a power cut after
    the rename can leave an empty or missing remembered.toml (the rename reaches the
    disk before the data), and the operator's rules would be gone."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".remembered-")
    with os.fdopen(fd, "wb") as fh:
        tomli_w.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def append_remembered(config: Config, host: str, match: str, pattern: str) -> Config:
    """Persist an allow rule for `host` and return the config with it appended."""
    config_file = config.path or paths.config_path()
    target = paths.remembered_rules_path(config_file)
    data = tomllib.loads(target.read_text()) if target.exists() else {}
    entry = {
        "action": "allow",
        "match": match,
        "pattern": pattern,
        "host": host,
        "reason": "remembered by the operator",
    }
    data.setdefault("rules", []).append(entry)
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_durably(target, data)
    rule = Rule(
        action="allow",
        match=match,  # type: ignore[arg-type]
        pattern=pattern,
        host=host,
        reason=entry["reason"],
        origin="remembered",
    )
    return values.replace(config, rules=(*config.rules, rule))
