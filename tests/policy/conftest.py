"""Fixtures shared by the policy tests."""

from __future__ import annotations

import pytest

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine


@pytest.fixture(scope="module")
def engine() -> PolicyEngine:
    """The engine with the default configuration (preset ops_safe, no rules)."""
    return PolicyEngine(Config())
