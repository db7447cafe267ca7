"""Resolve a host name into where and how to connect.

The `[hosts.NAME]` table wins; what it leaves out comes from ~/.ssh/config (HostName,
Port, User, IdentityFile, ProxyJump, ConnectTimeout), so a host the operator already
reaches with `ssh NAME` works unchanged; then the defaults (port 22, the local user).
Jump hosts (`proxy_jump`, comma-separated like OpenSSH's ProxyJump) are resolved the
same way, so a jump host may be a [hosts] name, a ~/.ssh/config alias or `user@host:port`.

paramiko's SSHConfig does not know OpenSSH's `Include`, so `ssh_config_text` expands it
first: each `Include` line (several patterns per line, `~` and globs, a relative path
taken from ~/.ssh) is replaced by the matching files' text in lexical order, as
OpenSSH does, nested up to `MAX_INCLUDE_DEPTH`. A pattern matching nothing is skipped
(OpenSSH too); an unreadable file or a loop is a `ConfigError` naming it.
"""

from __future__ import annotations

import getpass
import glob
import re
from dataclasses import dataclass
from pathlib import Path

import paramiko

from aiperm_tui import values
from aiperm_tui.config import Config, HostConfig
from aiperm_tui.errors import ConfigError


@dataclass(frozen=True)
class Target:
    """Everything needed to open one SSH connection (after config + ~/.ssh/config)."""

    name: str
    hostname: str
    port: int
    user: str
    identity_files: tuple[str, ...]
    jumps: tuple[Target, ...]
    connect_timeout: float
    command_timeout: float  # 0: none


MAX_INCLUDE_DEPTH = 16  # OpenSSH's READCONF_MAX_DEPTH
_INCLUDE = re.compile(r"^\s*include(?:\s*=\s*|\s+)(.*)$", re.IGNORECASE)


def _include_paths(patterns: str, ssh_dir: Path) -> list[Path]:
    """The files one `Include` line names, each pattern's matches in lexical order."""
    found: list[Path] = []
    for pattern in patterns.split():
        pattern = pattern.strip('"')
        full = Path(pattern).expanduser()
        if not full.is_absolute():
            full = ssh_dir / full
        found += [Path(p) for p in sorted(glob.glob(str(full))) if Path(p).is_file()]
    return found


def ssh_config_text(path: Path, *, _depth: int = 0, _seen: tuple[Path, ...] = ()) -> str:
    """The text of an ssh config file with every `Include` expanded (module docstring)."""
    if _depth > MAX_INCLUDE_DEPTH or path.resolve() in _seen:
        raise ConfigError(f"{path}: Include nested too deep (a loop?)")
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    ssh_dir = Path.home() / ".ssh"
    out: list[str] = []
    for line in text.splitlines():
        match = _INCLUDE.match(line)
        if match is None:
            out.append(line)
            continue
        for included in _include_paths(match.group(1), ssh_dir):
            out.append(ssh_config_text(included, _depth=_depth + 1, _seen=(*_seen, path.resolve())))
    return "\n".join(out)


def _ssh_config() -> paramiko.SSHConfig | None:
    path = Path.home() / ".ssh" / "config"
    if not path.is_file():
        return None
    try:
        return paramiko.SSHConfig.from_text(ssh_config_text(path))
    except (paramiko.SSHException, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def _split_spec(spec: str) -> tuple[str | None, str, int | None]:
    """`[user@]host[:port]` of a ProxyJump entry."""
    user, _, rest = spec.rpartition("@")
    host, port = rest, None
    if rest.startswith("["):  # [v6addr]:port
        host, _, tail = rest[1:].partition("]")
        port = int(tail[1:]) if tail.startswith(":") and tail[1:].isdigit() else None
    elif rest.count(":") == 1:
        host, _, p = rest.partition(":")
        if not p.isdigit():
            raise ConfigError(f"proxy_jump {spec!r}: bad port {p!r}")
        port = int(p)
    return (user or None), host, port


def _ssh_port(name: str, value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ConfigError(f"~/.ssh/config: host {name}: bad Port {value!r}")
    return int(value)


def resolve(config: Config, name: str, *, _depth: int = 0) -> Target:
    """The connection target for `name` (a [hosts] name, an ssh alias or a hostname)."""
    hc = config.hosts.get(name) or HostConfig(name=name)
    return _resolve(config, hc, _ssh_config() if config.ssh.use_ssh_config else None, _depth)


def _resolve(
    config: Config, hc: HostConfig, sshcfg: paramiko.SSHConfig | None, depth: int
) -> Target:
    if depth > 8:
        raise ConfigError(f"host {hc.name}: proxy_jump chain too long (a loop?)")
    found = sshcfg.lookup(hc.name) if sshcfg is not None else {}
    port = hc.port or _ssh_port(hc.name, found.get("port", "22"))
    user = hc.user or found.get("user") or getpass.getuser()
    files = hc.identity_files or tuple(found.get("identityfile", ()))
    timeout = (
        hc.connect_timeout
        or float(found.get("connecttimeout", 0) or 0)
        or config.ssh.connect_timeout
    )
    jump_spec = hc.proxy_jump or found.get("proxyjump")
    jumps: tuple[Target, ...] = ()
    if jump_spec and jump_spec.lower() != "none":
        jumps = tuple(_jump(config, s.strip(), sshcfg, depth) for s in jump_spec.split(","))
    return Target(
        name=hc.name,
        hostname=hc.hostname or found.get("hostname") or hc.name,
        port=port,
        user=user,
        identity_files=tuple(str(Path(f).expanduser()) for f in files),
        jumps=jumps,
        connect_timeout=timeout,
        command_timeout=hc.command_timeout
        if hc.command_timeout is not None
        else config.ssh.command_timeout,
    )


def _jump(config: Config, spec: str, sshcfg: paramiko.SSHConfig | None, depth: int) -> Target:
    """One hop of a ProxyJump list: its own settings, the hop's user/port overriding."""
    user, host, port = _split_spec(spec)
    hc = config.hosts.get(host) or HostConfig(name=host)
    hop = _resolve(config, values.replace(hc, proxy_jump=None), sshcfg, depth + 1)
    return Target(
        name=hop.name,
        hostname=hop.hostname,
        port=port or hop.port,
        user=user or hop.user,
        identity_files=hop.identity_files,
        jumps=(),
        connect_timeout=hop.connect_timeout,
        command_timeout=0.0,
    )
