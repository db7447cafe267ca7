"""Strict host-key checking against ~/.ssh/known_hosts and aiperm's own known_hosts.

The user's file is read, never written: aiperm only appends to its own file, and only
when the operator answered "always" to the trust prompt. A host presenting a key of a
type that is on record with different bytes is refused, both fingerprints named; there
is no setting that accepts a changed key.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import paramiko

from aiperm_tui.ssh.base import HostKeyChanged, fingerprint


def host_entry(host: str, port: int) -> str:
    """The name known_hosts uses for a host: bare on port 22, else `[host]:port`."""
    return host if port == 22 else f"[{host}]:{port}"


class KnownHosts:
    """The host keys on record, re-read from disk on each check (files change under us)."""

    def __init__(self, own: Path, user: Path | None = None) -> None:
        self.own = own
        self.user = user if user is not None else Path.home() / ".ssh" / "known_hosts"
        self._lock = threading.Lock()

    def _load(self) -> paramiko.HostKeys:
        keys = paramiko.HostKeys()
        for path in (self.user, self.own):
            if path.is_file():
                try:
                    keys.load(str(path))
                except (OSError, paramiko.SSHException):
                    continue  # an unreadable file is as good as an empty one
        return keys

    def known_types(self, host: str, port: int) -> list[str]:
        """Key types on record for the host, so the handshake can prefer them."""
        entry = self._load().lookup(host_entry(host, port))
        return list(entry.keys()) if entry else []

    def check(self, host: str, port: int, key: paramiko.PKey) -> bool:
        """True when the key is on record; False when the host (or this key type) is not
        known; raises `HostKeyChanged` when a different key of the same type is."""
        entry = self._load().lookup(host_entry(host, port))
        if not entry or key.get_name() not in entry:
            return False
        recorded = entry[key.get_name()]
        if recorded.asbytes() == key.asbytes():
            return True
        raise HostKeyChanged(
            f"HOST KEY CHANGED for {host}:{port}: recorded {key.get_name()} "
            f"{fingerprint(recorded)}, server now presents {fingerprint(key)}; refusing to "
            f"connect (this may be an attack; if the change is expected, remove the old "
            f"entry from {self.user} or {self.own})")

    def add(self, host: str, port: int, key: paramiko.PKey) -> None:
        """Append the key to aiperm's own file (created 0600 in a 0700 folder)."""
        line = f"{host_entry(host, port)} {key.get_name()} {key.get_base64()}\n"
        with self._lock:
            self.own.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.own, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="ascii") as fh:
                fh.write(line)
