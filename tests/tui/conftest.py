"""TUI tests run with a configured audit key, as a set-up machine would: no "ephemeral
key" toast on screen, and the recorded sessions verify."""

from __future__ import annotations

import pytest

TEST_AUDIT_KEY = "a1" * 32


@pytest.fixture(autouse=True)
def audit_key(monkeypatch: pytest.MonkeyPatch, isolated_home: object) -> str:
    monkeypatch.setenv("AIPERM_AUDIT_KEY", TEST_AUDIT_KEY)
    return TEST_AUDIT_KEY
