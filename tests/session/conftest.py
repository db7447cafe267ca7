"""Fixtures for the session tests (the recorded fixture session is in
helpers/session_fixture.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.audit_key import use_key
from helpers.session_fixture import KEY, record_fixture

from aiperm_tui.session import Recorder
from aiperm_tui.session.keys import AuditKey


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> AuditKey:
    """KEY, also in the key file that AIPERM_AUDIT_KEY_FILE names, so CLI commands
    verify with it."""
    use_key(monkeypatch, isolated_home / "keys", KEY)
    return KEY


@pytest.fixture
def recorded(tmp_path: Path, key: AuditKey, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture session, under AIPERM_DATA_DIR so the CLI finds it."""
    monkeypatch.setenv("AIPERM_DATA_DIR", str(tmp_path / "data"))
    return record_fixture(tmp_path / "data" / "sessions", key)


@pytest.fixture
def make_session(tmp_path: Path) -> Callable[..., Path]:
    """A small closed session of n agent_line events (plus start and end)."""

    def make(n: int = 10, *, close: bool = True, key: AuditKey = KEY) -> Path:
        rec = Recorder.create(
            agent=["a"], hosts=["h"], preset="read_only", key=key, root=tmp_path / "sessions"
        )
        for i in range(n):
            rec.event("agent_line", stream="stdout", text=f"line {i}")
        if close:
            rec.close()
        return rec.path

    return make
