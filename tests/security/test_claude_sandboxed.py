"""The real Claude Code CLI inside the sandbox: it starts, and aiperm's MCP server (run
by claude inside the sandbox, `python -m aiperm_tui mcp`) reaches the broker's socket
through the read-only bind of the socket folder."""

from __future__ import annotations

import os
import queue
import shutil
from pathlib import Path

import pytest
from helpers.agent_fakes import FakeBroker
from helpers.bwrap import needs_bwrap

from aiperm_tui.agent.bridge import BridgeServer
from aiperm_tui.agent.claude import ClaudeAdapter
from aiperm_tui.agent.process import AgentCallbacks, AgentLine, AgentProcess
from aiperm_tui.agent.sandbox import SandboxSpec

CLAUDE = shutil.which("claude")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CLAUDE is None, reason="the claude CLI is not installed"),
    needs_bwrap,
]


@pytest.mark.timeout(120)
def test_claude_starts_with_its_mcp_server_connected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in list(os.environ):
        if var.startswith(("ANTHROPIC_", "CLAUDE_")):
            monkeypatch.delenv(var)
    monkeypatch.setenv("DISABLE_AUTOUPDATER", "1")
    lines: queue.Queue[AgentLine] = queue.Queue()
    project = tmp_path / "project"
    project.mkdir()
    with BridgeServer(FakeBroker()) as bridge:
        assert bridge.directory is not None and CLAUDE is not None
        agent = AgentProcess(
            [CLAUDE],
            AgentCallbacks(on_line=lines.put),
            adapter=ClaudeAdapter(bridge.env(), bridge.directory),
            extra_env=bridge.env(),
            cwd=project,
            sandbox=SandboxSpec(bwrap=shutil.which("bwrap") or "bwrap", sockets=bridge.directory),
            env_names=("DISABLE_AUTOUPDATER",),
        )
        agent.start()
        try:
            agent.say("hello")
            seen = []
            while not any(line.kind == "system" for line in seen):
                seen.append(lines.get(timeout=90))
        finally:
            agent.terminate()
    started = next(line.text for line in seen if line.kind == "system")
    assert "aiperm (connected)" in started, seen
