"""The audit key that chains the session log's HMACs.

Looked up in order: `$AIPERM_AUDIT_KEY` (64 hex characters), the key file made by
`aiperm init` (mode 0600), else an ephemeral key that lives only as long as the process:
such a log verifies only in that process, so the caller warns with the word "ephemeral".
Only the key id (a hash of the key, never the key) is written anywhere.
"""

from __future__ import annotations

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
            raise SecurityError(f"{path}: audit key file is readable by others "
                                f"(mode {stat.S_IMODE(mode):04o}); run: chmod 600 {path}")
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


def create_key_file(path: Path | None = None) -> AuditKey:
    """Create a new random key file with mode 0600 (never overwrites: the caller checks)."""
    path = path or paths.key_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = AuditKey(secrets.token_bytes(32), "file")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key.secret.hex() + "\n")
    return key
