"""The audit key that chains the session log's HMACs.

The key is read from a file: `$AIPERM_AUDIT_KEY_FILE` when set (it must exist), else the
key file made by `aiperm init` (`paths.key_path()`); with neither, a writer gets an
ephemeral key that lives only as long as the process: such a log verifies only in that
process, so the caller warns with the word "ephemeral". Either file must be the user's own
and readable by nobody else (mode 0600). Only the key id (a hash of the key, never the
key) is written anywhere.

The key itself is never taken from an environment variable: a process's environment is
readable by every process of the same user through `/proc/PID/environ` (the operator's
shell's included, and the agent runs as that user), so a secret there is a secret handed
to the agent. The old `$AIPERM_AUDIT_KEY` is refused outright (`paths.key_in_env_refusal`),
rather than ignored while the user thinks it is in use.

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
from aiperm_tui.session.files import open_regular

KeySource = Literal["file", "ephemeral"]


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
    """Read a key file, refusing one that is not the user's own or that others can read.

    The checks are made on the open file (fstat), so the file judged is the file read;
    it is opened with `files.open_regular`, so a FIFO in its place is refused, not waited on."""
    try:
        fd = open_regular(path, follow=True)
        with os.fdopen(fd, "rb") as fh:
            _check_private(path, os.fstat(fd))
            text = fh.read(256).decode("ascii", "replace")
    except OSError as exc:
        raise SecurityError(f"{path}: cannot read the audit key: {exc.strerror}") from None
    return AuditKey(_parse_hex(text, str(path)), "file")


def _check_private(path: Path, info: os.stat_result) -> None:
    if info.st_uid != os.getuid():
        raise SecurityError(
            f"{path}: audit key file is owned by uid {info.st_uid}, not by you "
            f"(uid {os.getuid()}); use a key file of your own (aiperm init)"
        )
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecurityError(
            f"{path}: audit key file is readable by others "
            f"(mode {stat.S_IMODE(info.st_mode):04o}); run: chmod 600 {path}"
        )


def load_audit_key(
    *, allow_ephemeral: bool = True, key_file: Path | None = None
) -> AuditKey | None:
    """The key to write or verify with (see the module docstring for the order).

    Returns None when there is no key and `allow_ephemeral` is False (verification).
    """
    if refusal := paths.key_in_env_refusal():
        raise SecurityError(refusal)
    path = key_file or paths.key_path()
    if path.exists() or (key_file is None and os.environ.get(paths.KEY_FILE_ENV)):
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
