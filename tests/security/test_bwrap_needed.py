"""A CI image without bubblewrap fails the sandbox tests; a developer's machine skips them."""

from __future__ import annotations

import pytest
from helpers.bwrap import bwrap_or_skip


@pytest.mark.timeout(10)
def test_missing_bwrap_skips_off_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="bubblewrap is not installed"):
        bwrap_or_skip()


@pytest.mark.timeout(10)
def test_missing_bwrap_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        bwrap_or_skip()
