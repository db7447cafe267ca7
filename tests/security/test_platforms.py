"""Off Linux there is no bubblewrap and `sandbox-exec` is not built: `sandbox = "required"`
(the default) refuses with one line saying so, and `agent_user` is refused the same way;
docs/trust-model.md says what holds there with `--sandbox off`."""

from __future__ import annotations

import sys

import pytest

from aiperm_tui.agent.identity import resolve_agent_user
from aiperm_tui.agent.sandbox import SandboxError, probe_sandbox, require_sandbox
from aiperm_tui.errors import ExitCode, SecurityError


@pytest.mark.parametrize("platform", ["darwin", "freebsd14"])
def test_required_is_refused_off_linux(monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    (layer,) = probe_sandbox()
    assert not layer.ok
    with pytest.raises(SandboxError) as refused:
        require_sandbox()
    message = str(refused.value)
    assert "\n" not in message
    assert refused.value.exit_code == ExitCode.USAGE
    assert message.startswith("cannot isolate the agent: the agent sandbox is built on Linux only")
    assert "sandbox-exec is not supported yet" in message
    assert "--sandbox off" in message


def test_agent_user_is_refused_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    with pytest.raises(SecurityError, match="supported on Linux only"):
        resolve_agent_user("nobody")
