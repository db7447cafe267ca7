"""Shared test setup: every test runs with its own HOME, config, data and runtime folders,
so nothing reads or writes the developer's real ~/.ssh, config or session logs."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["helpers.sshd"]


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh HOME and XDG folders; aiperm's environment variables cleared."""
    root = tmp_path_factory.mktemp("home")
    for var in ("AIPERM_CONFIG", "AIPERM_DATA_DIR", "AIPERM_AUDIT_KEY", "AIPERM_SOCKET",
                "AIPERM_TOKEN", "SSH_AUTH_SOCK"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(root))
    for var, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                     ("XDG_RUNTIME_DIR", "run")):
        (root / sub).mkdir(parents=True, mode=0o700)
        monkeypatch.setenv(var, str(root / sub))
    return root
