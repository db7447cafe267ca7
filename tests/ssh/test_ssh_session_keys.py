"""An encrypted key's passphrase is asked once a session: the unlocked key stays in the
pool's memory across reconnects (real sshd), is read again when the file changes, and is
dropped when the pool closes; the passphrase is never written anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers.ssh_prompts import ScriptedPrompts
from helpers.sshd import generate_key

from aiperm_tui.config import Config
from aiperm_tui.ssh import SSHPool
from aiperm_tui.values import replace

pytestmark = [pytest.mark.sshd, pytest.mark.timeout(60)]
PASSPHRASE = "correct horse battery"


def _run(pool: SSHPool) -> str:
    out = bytearray()
    result = pool.run("test", "echo $USER", lambda _s, d: out.extend(d))
    assert result.ok
    return out.decode().strip()


def _drop_connection(pool: SSHPool) -> None:
    """What a network blip does: the transport dies under the pool."""
    link = pool._hosts["test"].link
    assert link is not None
    link.transport.close()


@pytest.fixture
def locked_pool(sshd: Any, tmp_path: Path) -> tuple[SSHPool, ScriptedPrompts, Path]:
    key = tmp_path / "id_locked"
    generate_key(key, passphrase=PASSPHRASE)
    sshd.authorize(Path(f"{key}.pub").read_text())
    host = replace(sshd.config().hosts["test"], identity_files=(str(key),))
    prompts = ScriptedPrompts(passphrases=[PASSPHRASE, PASSPHRASE])
    return SSHPool(Config(hosts={"test": host}), prompts), prompts, key


def test_passphrase_is_asked_once_across_reconnects(
    sshd: Any, locked_pool: Any, tmp_path: Path
) -> None:
    pool, prompts, key = locked_pool
    try:
        assert _run(pool) == sshd.user
        for _ in range(2):
            _drop_connection(pool)
            assert _run(pool) == sshd.user  # reconnected with the key kept in memory
        assert prompts.questions("passphrase") == [(str(key),)]
    finally:
        pool.close()
    assert len(pool._connector.keys) == 0  # gone with the session
    written = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert PASSPHRASE.encode() not in written


def test_a_changed_key_file_is_unlocked_again(sshd: Any, locked_pool: Any) -> None:
    pool, prompts, key = locked_pool
    try:
        _run(pool)
        key.unlink()
        Path(f"{key}.pub").unlink()
        generate_key(key, passphrase=PASSPHRASE)
        sshd.authorize(Path(f"{key}.pub").read_text())
        _drop_connection(pool)
        assert _run(pool) == sshd.user
        assert prompts.questions("passphrase") == [(str(key),), (str(key),)]
    finally:
        pool.close()
