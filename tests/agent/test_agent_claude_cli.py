"""The real Claude Code CLI (npm @anthropic-ai/claude-code, pinned in .ci/run), skipped
only when `claude` is not installed. No credentials are used: an init message still
lists the loaded tools, and a scripted Anthropic-compatible endpoint on 127.0.0.1 lets
the real CLI run a whole turn through aiperm's MCP server and socket, and through the
PreToolUse hook of a claude that has no aiperm environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.agent_fakes import Collector, FakeBroker
from helpers.fake_anthropic import FakeAnthropic

from aiperm_tui import paths
from aiperm_tui.agent.bridge import BridgeServer
from aiperm_tui.agent.claude import LIST_HOSTS_TOOL, REMOTE_EXEC_TOOL, ClaudeAdapter
from aiperm_tui.agent.process import AgentLine, AgentProcess

CLAUDE = shutil.which("claude")
ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CLAUDE is None, reason="the claude CLI is not installed"),
]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> dict[str, str]:
    """No credentials of any kind; the test's own HOME; aiperm importable from here."""
    for var in list(os.environ):
        if var.startswith(("ANTHROPIC_", "CLAUDE_")):
            monkeypatch.delenv(var)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("DISABLE_AUTOUPDATER", "1")
    return dict(os.environ)


def user_line(text: str) -> str:
    return (
        json.dumps(
            {
                "type": "user",
                "session_id": "",
                "parent_tool_use_id": None,
                "message": {"role": "user", "content": text},
            }
        )
        + "\n"
    )


def test_init_lists_remote_exec_and_not_bash(
    clean_env: dict[str, str], bridge: BridgeServer, isolated_home: Path
) -> None:
    command = ClaudeAdapter(bridge.env(), bridge.directory).command([CLAUDE])
    done = subprocess.run(
        command,
        input=user_line("hello"),
        capture_output=True,
        text=True,
        env={**clean_env, **bridge.env()},
        cwd=isolated_home,
        timeout=120,
    )
    messages = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    init = next(m for m in messages if m.get("type") == "system" and m.get("subtype") == "init")
    assert REMOTE_EXEC_TOOL in init["tools"] and LIST_HOSTS_TOOL in init["tools"]
    assert "Bash" not in init["tools"]
    assert {"name": "aiperm", "status": "connected"}.items() <= next(
        s for s in init["mcp_servers"] if s["name"] == "aiperm"
    ).items()
    assert init["permissionMode"] == "default"


def test_mcp_add_then_list_shows_connected(clean_env: dict[str, str], isolated_home: Path) -> None:
    # claude starts the server with a minimal environment: say where its bytecode goes
    bytecode = [f"--env={k}={v}" for k, v in paths.bytecode_env().items()]
    add = subprocess.run(
        [
            CLAUDE,
            "mcp",
            "add",
            *bytecode,
            "aiperm",
            "--",
            sys.executable,
            "-m",
            "aiperm_tui",
            "mcp",
        ],
        capture_output=True,
        text=True,
        env=clean_env,
        cwd=isolated_home,
        timeout=120,
    )
    assert add.returncode == 0, add.stderr
    listing = subprocess.run(
        [CLAUDE, "mcp", "list"],
        capture_output=True,
        text=True,
        env=clean_env,
        cwd=isolated_home,
        timeout=120,
    )
    line = next(x for x in listing.stdout.splitlines() if x.startswith("aiperm:"))
    assert "Connected" in line and "Failed" not in line, listing.stdout


def test_whole_turn_through_aiperm(
    clean_env: dict[str, str],
    bridge: BridgeServer,
    broker: FakeBroker,
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with FakeAnthropic.remote_exec("web1", "uptime") as api:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-dummy-for-a-local-fake")
        got = Collector()
        adapter = ClaudeAdapter(bridge.env(), bridge.directory)
        agent = AgentProcess(
            [CLAUDE],
            got.callbacks,
            adapter=adapter,
            extra_env=bridge.env(),
            cwd=isolated_home,
            env_names=("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", "DISABLE_AUTOUPDATER"),
        )
        agent.start()
        try:
            agent.say("how long has web1 been up?")
            lines: list[AgentLine] = []
            while not lines or lines[-1].kind != "result":
                lines.append(got.next("line", timeout=90))
        finally:
            agent.terminate()
    texts = [(line.kind, line.text) for line in lines]
    assert ("tool_call", "→ remote_exec on web1: uptime   (goal: scripted by the test)") in texts
    assert ("tool_result", "ran uptime") in texts
    assert lines[-1].text.startswith("turn finished: success")
    (plan,) = broker.plans
    assert plan.host == "web1" and plan.actions[0].cmd == "uptime" and plan.source == "socket"
    offered = api.tool_names(api.requests[0])
    assert REMOTE_EXEC_TOOL in offered and "Bash" not in offered
    assert "ran uptime" in api.tool_results[0]  # what the model was told
    assert "You are working under aiperm" in json.dumps(api.requests[0].get("system"))


def test_hook_in_claude_started_elsewhere_sends_bash_to_the_broker(
    clean_env: dict[str, str],
    bridge: BridgeServer,
    broker: FakeBroker,
    isolated_home: Path,
    tmp_path: Path,
) -> None:
    """claude's own screen and a hook: no AIPERM_* variable, the broker is found through
    its discovery file, and the Bash call runs remotely, never locally."""
    marker = tmp_path / "ran-locally"
    settings = isolated_home / ".claude" / "settings.json"
    settings.parent.mkdir(exist_ok=True)
    hook = f"{sys.executable} -m aiperm_tui hook claude --host web1"
    settings.write_text(
        json.dumps(
            {
                "hooks": {
                    "PreToolUse": [
                        {
                            "matcher": "Bash",
                            "hooks": [{"type": "command", "command": hook, "timeout": 600}],
                        }
                    ]
                }
            }
        )
    )
    env = {k: v for k, v in clean_env.items() if not k.startswith("AIPERM_")}
    with FakeAnthropic.bash(f"touch {marker}") as api:
        env.update(ANTHROPIC_BASE_URL=api.url, ANTHROPIC_API_KEY="sk-ant-dummy-for-a-fake")
        done = subprocess.run(
            [CLAUDE, "-p", "--allowedTools=Bash", "touch the marker"],
            capture_output=True,
            text=True,
            env=env,
            cwd=isolated_home,
            timeout=120,
        )
    assert not marker.exists(), "Bash ran locally"
    (plan,) = broker.plans
    assert plan.host == "web1" and plan.actions[0].cmd == f"touch {marker}"
    (told,) = api.tool_results
    assert "not run locally" in told and f"ran touch {marker}" in told, done.stdout
