"""Strict host-key checking against ~/.ssh/known_hosts and aiperm's own known_hosts.

The user's file is read, never written: aiperm only appends to its own file, and only
when the operator answered "always" to the trust prompt. A host presenting a key of a
type that is on record with different bytes is refused, both fingerprints named; there
is no setting that accepts a changed key. A host presenting a key of a type that is not
on record, while keys of other types are, is refused the same way: the handshake asks
for the recorded types first, so a server that offers none of them is either
reconfigured or an impostor that only holds a new key, and a first-use trust prompt
would invite the operator to accept it (OpenSSH warns loudly here). A key marked
`@revoked` is refused too.

The files are parsed line by line: paramiko's `HostKeys.load` gives up on the whole
file at the first line it cannot read (an `@cert-authority` line, a stray edit), which
would turn every known host into an unknown one. Lines aiperm cannot use are skipped;
`@cert-authority` lines are skipped because host certificates are not supported.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import paramiko
from paramiko.hostkeys import HostKeyEntry, InvalidHostKey

from aiperm_tui.ssh.base import HostKeyChanged, fingerprint


def host_entry(host: str, port: int) -> str:
    """The name known_hosts uses for a host: bare on port 22, else `[host]:port`."""
    return host if port == 22 else f"[{host}]:{port}"


@dataclass
class _Records:
    """Every usable line of the known_hosts files."""

    entries: list[HostKeyEntry] = field(default_factory=list)
    revoked: set[bytes] = field(default_factory=set)

    def read(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return  # an unreadable file is as good as an empty one
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            marker = line.split(None, 1)[0] if line.startswith("@") else ""
            entry = _parse(line[len(marker) :].strip(), number)
            if entry is None or marker == "@cert-authority":
                continue
            if marker == "@revoked":
                self.revoked.add(entry.key.asbytes())
            elif not marker:
                self.entries.append(entry)

    def keys_for(self, name: str) -> list[paramiko.PKey]:
        matcher = paramiko.HostKeys()
        return [e.key for e in self.entries if matcher._hostname_matches(name, e)]  # type: ignore[attr-defined]  # paramiko internal


def _parse(line: str, number: int) -> HostKeyEntry | None:
    try:
        return HostKeyEntry.from_line(line, number)
    except (InvalidHostKey, paramiko.SSHException, ValueError, TypeError):
        return None


class KnownHosts:
    """The host keys on record, re-read from disk on each check (files change under us)."""

    def __init__(self, own: Path, user: Path | None = None) -> None:
        self.own = own
        self.user = user if user is not None else Path.home() / ".ssh" / "known_hosts"
        self._lock = threading.Lock()

    def _load(self) -> _Records:
        records = _Records()
        for path in (self.user, self.own):
            records.read(path)
        return records

    def known_types(self, host: str, port: int) -> list[str]:
        """Key types on record for the host, so the handshake can prefer them."""
        return sorted({k.get_name() for k in self._load().keys_for(host_entry(host, port))})

    def check(self, host: str, port: int, key: paramiko.PKey) -> bool:
        """True when the key is on record; False when the host is not known at all;
        raises `HostKeyChanged` when other keys are on record for it (of this type or
        another), or when the key is revoked."""
        records = self._load()
        if key.asbytes() in records.revoked:
            raise HostKeyChanged(
                f"the host key of {host}:{port} ({key.get_name()} {fingerprint(key)}) is "
                f"marked @revoked in {self.user} or {self.own}; refusing to connect"
            )
        recorded = records.keys_for(host_entry(host, port))
        if not recorded:
            return False
        if any(k.asbytes() == key.asbytes() for k in recorded):
            return True
        same_type = [k for k in recorded if k.get_name() == key.get_name()]
        what = "HOST KEY CHANGED" if same_type else "HOST KEY TYPE NOT ON RECORD"
        listed = ", ".join(f"{k.get_name()} {fingerprint(k)}" for k in same_type or recorded)
        raise HostKeyChanged(
            f"{what} for {host}:{port}: recorded {listed}, server now presents "
            f"{key.get_name()} {fingerprint(key)}; refusing to connect (this may be an "
            f"attack; if the change is expected, remove the old entry from {self.user} "
            f"or {self.own})"
        )

    def add(self, host: str, port: int, key: paramiko.PKey) -> None:
        """Append the key to aiperm's own file (created 0600 in a 0700 folder)."""
        line = f"{host_entry(host, port)} {key.get_name()} {key.get_base64()}\n"
        with self._lock:
            self.own.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.own, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="ascii") as fh:
                fh.write(line)
