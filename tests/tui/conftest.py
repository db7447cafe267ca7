"""TUI tests run with a configured audit key, as a set-up machine would: no "ephemeral
key" toast on screen, and the recorded sessions verify."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.audit_key import use_key

TEST_AUDIT_KEY = "a1" * 32


@pytest.fixture(autouse=True)
def audit_key(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> str:
    use_key(monkeypatch, isolated_home / "keys", TEST_AUDIT_KEY)
    return TEST_AUDIT_KEY
