"""`aiperm hook claude`: Bash calls go to the broker and are blocked locally (exit 2),
also on any failure; other tools pass untouched."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from helpers.agent_fakes import FakeBroker

from aiperm_tui.agent.bridge import BridgeServer


def hook(payload: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aiperm_tui", "hook", "claude", *args],
        input=payload,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


def bash_call(command: str) -> str:
    return json.dumps(
        {
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command, "description": "look around"},
        }
    )


def test_bash_runs_remotely_and_is_blocked_locally(
    bridge: BridgeServer, broker: FakeBroker
) -> None:
    done = hook(bash_call("uptime"), bridge.env(), "--host", "web1")
    assert done.returncode == 2
    assert "not run locally" in done.stderr and "ran uptime" in done.stderr
    (plan,) = broker.plans
    assert plan.host == "web1" and plan.goal == "look around"


def test_denial_is_reported_to_claude(bridge: BridgeServer) -> None:
    done = hook(bash_call("deny-this"), bridge.env())
    assert done.returncode == 2 and "DENIED" in done.stderr


def test_other_tools_pass(bridge: BridgeServer, broker: FakeBroker) -> None:
    payload = json.dumps({"tool_name": "Read", "tool_input": {"file_path": "/etc/hosts"}})
    done = hook(payload, bridge.env())
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""
    assert broker.plans == []


@pytest.mark.parametrize(
    ("payload", "env", "why"),
    [
        (bash_call("uptime"), {}, "no running aiperm broker"),
        ("not json", {"AIPERM_SOCKET": "/x", "AIPERM_TOKEN": "t"}, "blocked, nothing ran"),
        (json.dumps({"tool_name": "Bash", "tool_input": {}}), {}, "without a command"),
    ],
)
def test_every_failure_blocks(payload: str, env: dict[str, str], why: str) -> None:
    done = hook(payload, env)
    assert done.returncode == 2 and why in done.stderr
