"""`aiperm mcp` driven by the MCP SDK's own client over stdio."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.agent_fakes import FakeBroker
from helpers.agent_fakes import mcp_server as server
from mcp import Client

from aiperm_tui.agent.bridge import BridgeServer


def text(result) -> str:
    return "\n".join(c.text for c in result.content)


async def test_tools_are_listed_with_descriptions(bridge: BridgeServer) -> None:
    async with Client(server(bridge.env()), mode="legacy") as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) == {"remote_exec", "list_hosts"}
    described = tools["remote_exec"].description
    for promise in ("human reviews", "over SSH", "EDIT", "DENY"):
        assert promise in described
    assert set(tools["remote_exec"].input_schema["required"]) == {"host", "command"}


async def test_remote_exec_ok_edited_denied(bridge: BridgeServer, broker: FakeBroker) -> None:
    async with Client(server(bridge.env()), mode="legacy") as client:
        ok = await client.call_tool(
            "remote_exec", {"host": "web1", "command": "uptime", "goal": "check load"}
        )
        edited = await client.call_tool(
            "remote_exec", {"host": "web1", "command": "edit x", "goal": ""}
        )
        denied = await client.call_tool(
            "remote_exec", {"host": "web1", "command": "deny x", "goal": ""}
        )
    assert not ok.is_error and "ran uptime" in text(ok)
    assert ok.content[0].type == "text"
    assert "edited your command" in text(edited) and "command as run: echo safer" in text(edited)
    assert denied.is_error and "DENIED" in text(denied)
    assert [p.goal for p in broker.plans] == ["check load", "", ""]


async def test_list_hosts(bridge: BridgeServer) -> None:
    async with Client(server(bridge.env()), mode="legacy") as client:
        listing = text(await client.call_tool("list_hosts", {}))
    assert listing.splitlines() == ["web1  (connected)  [default]", "db1  (idle)"]


async def test_without_broker_calls_fail_and_nothing_runs(tmp_path: Path) -> None:
    async with Client(server({}), mode="legacy") as client:
        tools = (await client.list_tools()).tools  # the server still starts and lists
        result = await client.call_tool(
            "remote_exec", {"host": "web1", "command": "uptime", "goal": ""}
        )
    assert len(tools) == 2
    assert result.is_error and "no running aiperm broker" in text(result)


@pytest.mark.sshd
@pytest.mark.slow
async def test_remote_exec_through_real_broker_and_sshd(sshd, tmp_path: Path) -> None:
    from helpers.live_broker import edits_touch_denies_rm, live_broker

    operator = edits_touch_denies_rm("echo edited by the operator", "keep the build")
    with (
        live_broker(sshd, tmp_path / "sessions", operator, ["mcp-client"]) as (broker, _),
        BridgeServer(broker) as bridge,
    ):
        async with Client(server(bridge.env()), mode="legacy") as client:
            ok = await client.call_tool(
                "remote_exec", {"host": "test", "command": "echo hi", "goal": "say hi"}
            )
            edited = await client.call_tool(
                "remote_exec", {"host": "", "command": "touch x", "goal": "make x"}
            )
            denied = await client.call_tool(
                "remote_exec", {"host": "test", "command": "rm -rf ./build", "goal": "clean"}
            )
            hosts = text(await client.call_tool("list_hosts", {}))
    assert not ok.is_error and "exit status: 0" in text(ok) and "hi\n" in text(ok)
    assert "edited your command" in text(edited)
    assert "command as run: echo edited by the operator" in text(edited)
    assert "edited by the operator\n" in text(edited)
    assert denied.is_error and "keep the build" in text(denied)
    assert "test" in hosts and "[default]" in hosts
