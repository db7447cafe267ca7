"""An audit key file for tests, as a set-up machine has one: mode 0600, the user's own,
named by `$AIPERM_AUDIT_KEY_FILE` (aiperm never takes the key itself from the
environment, see aiperm_tui/session/keys.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from aiperm_tui.paths import KEY_FILE_ENV
from aiperm_tui.session.keys import AuditKey

if TYPE_CHECKING:  # benchmarks use write_key_file without pytest
    import pytest


def write_key_file(folder: Path, key: AuditKey | str) -> Path:
    """`folder`/audit.key holding `key` (an AuditKey or its 64 hex), mode 0600; returns
    its path, for an environment handed to a subprocess."""
    secret = key if isinstance(key, str) else key.secret.hex()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / "audit.key"
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secret + "\n")
    return path


def use_key(monkeypatch: pytest.MonkeyPatch, folder: Path, key: AuditKey | str) -> Path:
    """Write `key` to a key file under `folder` and point `$AIPERM_AUDIT_KEY_FILE` at it
    for this test; returns the file's path."""
    path = write_key_file(folder, key)
    monkeypatch.setenv(KEY_FILE_ENV, str(path))
    return path
