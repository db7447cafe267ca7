"""The audit key that chains the session log's HMACs.

Looked up in order: `$AIPERM_AUDIT_KEY` (64 hex characters), the key file made by
`aiperm init` (mode 0600), else an ephemeral key that lives only as long as the process:
such a log verifies only in that process, so the caller warns with the word "ephemeral".
Only the key id (a hash of the key, never the key) is written anywhere.

Rotation (`aiperm init --rotate-key`) moves the key file's key to `audit-keys/<key id>.key`
beside it and writes a new one: logs name the key id they were written with in every
event, and a verifier looks the key up in the `KeyRing` (the current key plus the retired
ones), so a rotation invalidates nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from aiperm_tui import paths
from aiperm_tui.errors import SecurityError

KeySource = Literal["env", "file", "ephemeral"]
ENV_VAR = "AIPERM_AUDIT_KEY"


@dataclass(frozen=True)
class AuditKey:
    """A secret HMAC key and its public id. The secret never appears in repr()."""

    secret: bytes = field(repr=False)
    source: KeySource

    @property
    def key_id(self) -> str:
        """A short public name for the key: the start of SHA-256 over a label and the key."""
        return hashlib.sha256(b"aiperm-audit-key-id\0" + self.secret).hexdigest()[:16]

    @property
    def ephemeral(self) -> bool:
        return self.source == "ephemeral"


def _parse_hex(text: str, where: str) -> bytes:
    text = text.strip()
    if len(text) != 64:
        raise SecurityError(f"{where}: the audit key must be 64 hex characters, got {len(text)}")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise SecurityError(f"{where}: the audit key must be 64 hex characters") from None


def read_key_file(path: Path) -> AuditKey:
    """Read a key file, refusing one that others can read."""
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SecurityError(
                f"{path}: audit key file is readable by others "
                f"(mode {stat.S_IMODE(mode):04o}); run: chmod 600 {path}"
            )
        return AuditKey(_parse_hex(path.read_text(), str(path)), "file")
    except OSError as exc:
        raise SecurityError(f"{path}: cannot read the audit key: {exc.strerror}") from None


def load_audit_key(
    *, allow_ephemeral: bool = True, key_file: Path | None = None
) -> AuditKey | None:
    """The key to write or verify with (see the module docstring for the order).

    Returns None when there is no key and `allow_ephemeral` is False (verification).
    """
    env = os.environ.get(ENV_VAR)
    if env:
        return AuditKey(_parse_hex(env, ENV_VAR), "env")
    path = key_file or paths.key_path()
    if path.exists():
        return read_key_file(path)
    if allow_ephemeral:
        return AuditKey(secrets.token_bytes(32), "ephemeral")
    return None


def retired_dir(key_file: Path | None = None) -> Path:
    """Where rotated-out keys are kept (one `<key id>.key` file each, mode 0600)."""
    return (key_file or paths.key_path()).parent / "audit-keys"


@dataclass(frozen=True)
class KeyRing:
    """Every audit key this machine holds: the current one and the retired ones, by id."""

    current: AuditKey | None
    retired: tuple[AuditKey, ...] = ()

    @classmethod
    def of(cls, keys: AuditKey | KeyRing | None) -> KeyRing:
        """A ring from one key (or none): what older callers pass."""
        return keys if isinstance(keys, KeyRing) else cls(keys)

    def find(self, key_id: str | None) -> AuditKey | None:
        """The key with this id, or None when it is not present."""
        for key in self.all():
            if key.key_id == key_id:
                return key
        return None

    def all(self) -> tuple[AuditKey, ...]:
        return ((self.current,) if self.current else ()) + self.retired

    def ids(self) -> str:
        """The ids present, for messages ("none" when the ring is empty)."""
        return ", ".join(k.key_id for k in self.all()) or "none"


def load_key_ring(key_file: Path | None = None) -> KeyRing:
    """The current key (never an ephemeral one) and every retired key.

    A retired key file that is unreadable or readable by others raises SecurityError,
    like the key file itself: a verifier must not quietly trust a key others could read.
    """
    current = load_audit_key(allow_ephemeral=False, key_file=key_file)
    folder = retired_dir(key_file)
    retired = (
        tuple(read_key_file(p) for p in sorted(folder.glob("*.key"))) if folder.is_dir() else ()
    )
    return KeyRing(
        current, tuple(k for k in retired if current is None or k.key_id != current.key_id)
    )


def rotate_key_file(path: Path | None = None) -> tuple[AuditKey, AuditKey]:
    """Retire the key file's key (kept under `retired_dir`) and write a new one in its
    place; returns (old, new). The old key is stored before the new one replaces it, so a
    crash in between loses nothing."""
    path = path or paths.key_path()
    old = read_key_file(path)
    folder = retired_dir(path)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    kept = folder / f"{old.key_id}.key"
    if not kept.exists():
        _write_secret(kept, old.secret)
    new = AuditKey(secrets.token_bytes(32), "file")
    tmp = path.with_name(path.name + ".new")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    _write_secret(tmp, new.secret)
    os.replace(tmp, path)
    return old, new


def _write_secret(path: Path, secret: bytes) -> None:
    """A new key file: mode 0600 from its creation, never over an existing file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secret.hex() + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def create_key_file(path: Path | None = None) -> AuditKey:
    """Create a new random key file with mode 0600 (never overwrites: the caller checks)."""
    path = path or paths.key_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = AuditKey(secrets.token_bytes(32), "file")
    _write_secret(path, key.secret)
    return key
