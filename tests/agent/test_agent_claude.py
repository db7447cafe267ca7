"""The Claude Code adapter against a stand-in `claude` that checks its flags, starts
aiperm's MCP server from the generated config and speaks stream-json."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from helpers import fake_claude
from helpers.agent_fakes import Collector, FakeBroker

from aiperm_tui.agent.bridge import BridgeServer
from aiperm_tui.agent.claude import (
    REMOTE_EXEC_TOOL,
    ClaudeAdapter,
    claude_flags,
    mcp_server_entry,
)
from aiperm_tui.agent.process import AgentLine, AgentProcess, make_adapter

pytestmark = pytest.mark.slow


@pytest.fixture
def claude_agent(tmp_path: Path, bridge: BridgeServer):
    exe = fake_claude.install(tmp_path / "bin")
    argv = [str(exe), "--model=opus-test"]
    got = Collector()
    adapter = make_adapter(None, argv, bridge_env=bridge.env(), workdir=bridge.directory)
    agent = AgentProcess(argv, got.callbacks, adapter=adapter, extra_env=bridge.env())
    agent.start()
    yield agent, got
    agent.terminate()


def lines_until(got: Collector, kind: str) -> list[AgentLine]:
    seen = []
    while True:
        line = got.next("line", timeout=30)
        seen.append(line)
        if line.kind == kind:
            return seen


def test_flags_use_equals_form_and_user_args_follow(tmp_path: Path) -> None:
    flags = claude_flags(tmp_path / "m.json")
    assert all(f.startswith("-") for f in flags)
    assert "--disallowedTools=Bash" in flags and "--permission-prompt-tool=stdio" in flags
    assert any(f.startswith("--allowedTools=") and REMOTE_EXEC_TOOL in f for f in flags)
    adapter = ClaudeAdapter(
        bridge_env={"AIPERM_SOCKET": "/s", "AIPERM_TOKEN": "t"}, workdir=tmp_path
    )
    command = adapter.command(["claude", "--model", "x"])
    assert command[0] == "claude" and command[-2:] == ["--model", "x"]
    config = json.loads(adapter.mcp_config.read_text())["mcpServers"]["aiperm"]
    assert config["alwaysLoad"] is True and config["timeout"] >= 3600_000
    assert config["args"][-1] == "mcp" and config["env"]["AIPERM_SOCKET"] == "/s"
    assert stat.S_IMODE(adapter.mcp_config.stat().st_mode) == 0o600


def test_mcp_server_writes_bytecode_where_the_broker_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """claude starts MCP servers with a minimal environment; the entry carries the two
    bytecode settings when they are set, and nothing else of the broker's environment."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)
    monkeypatch.setenv("AIPERM_AUDIT_KEY_FILE", "/secret/audit.key")
    env = mcp_server_entry({"AIPERM_SOCKET": "/s"})["env"]
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert set(env) == {"AIPERM_SOCKET", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH"}


def test_remote_exec_turn_through_the_broker(claude_agent, broker: FakeBroker) -> None:
    agent, got = claude_agent
    init = lines_until(got, "system")[-1]
    assert "aiperm remote_exec available: yes" in init.text
    assert agent.say("run web1: uptime")
    seen = lines_until(got, "result")
    texts = [(line.kind, line.text) for line in seen]
    assert ("tool_call", "→ remote_exec on web1: uptime   (goal: asked by the test)") in texts
    results = "\n".join(t for k, t in texts if k == "tool_result")
    assert "ran and succeeded" in results and "ran uptime" in results
    assert any(k == "unknown" and "mystery_event" in t for k, t in texts)  # shown, not dropped
    (plan,) = broker.plans
    assert plan.host == "web1" and plan.actions[0].cmd == "uptime"


def test_edited_and_denied_results_reach_claude(claude_agent) -> None:
    agent, got = claude_agent
    lines_until(got, "system")
    agent.say("run web1: edit-this")
    edited = "\n".join(line.text for line in lines_until(got, "result"))
    assert "the operator edited your command" in edited and "command as run: echo safer" in edited
    assert "command you asked for: edit-this" in edited
    agent.say("run web1: deny-this")
    denied = "\n".join(line.text for line in lines_until(got, "result"))
    assert "← error: Error executing tool remote_exec: aiperm: DENIED" in denied
    assert "denied: policy: catastrophic" in denied


def test_permission_question_is_surfaced_and_answered(claude_agent) -> None:
    agent, got = claude_agent
    lines_until(got, "system")
    agent.say("ask Write")
    request = got.next("permission", timeout=30)
    assert request.tool_name == "Write" and request.tool_input == {"file_path": "/x"}
    assert agent.answer_permission(request.request_id, allow=False, message="not on my laptop")
    answer = lines_until(got, "assistant")[-1]
    assert answer.text == "permission deny: not on my laptop"
    agent.say("ask Edit")
    request = got.next("permission", timeout=30)
    agent.answer_permission(request.request_id, allow=True)
    assert lines_until(got, "assistant")[-1].text == "permission allow: {'file_path': '/x'}"


def test_operator_text_is_a_user_message(claude_agent) -> None:
    agent, got = claude_agent
    assert agent.can_talk
    lines_until(got, "system")
    agent.say("hello there")
    assert lines_until(got, "assistant")[-1].text == "you said: hello there"


def test_bad_flags_are_caught_by_the_stand_in(tmp_path: Path) -> None:
    exe = fake_claude.install(tmp_path / "bin")
    got = Collector()
    AgentProcess([str(exe), "--verbose"], got.callbacks).start()  # no adapter: no flags
    seen = got.until_exit(timeout=30)
    # no adapter means JSON Lines: the stand-in's JSON error line is a malformed request
    raws = [raw for kind, (_, raw) in ((k, v) for k, v in seen if k == "malformed")]
    assert any("bad flags" in raw and "--mcp-config=VALUE" in raw for raw in raws)
    assert seen[-1][1].returncode == 3
