"""An asker that goes away before its plan ends (killed or interrupted `aiperm ask`, a
cancelled MCP call, a hung-up client) gets its plan cancelled in the broker: a later
approval cannot run a command that nobody waits for."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import anyio
import pytest
from helpers.agent_fakes import FakeBroker, mcp_server
from helpers.waiting import wait_until
from mcp import Client

from aiperm_tui.agent.bridge import BridgeClient, BridgeServer, Hangup
from aiperm_tui.broker import Broker, BrokerError
from aiperm_tui.errors import ExecError
from aiperm_tui.session import read_events


def pending_plan(broker: Broker) -> str:
    wait_until(lambda: any(p.awaiting for p in broker.plans()), "no plan awaited")
    (plan,) = broker.plans()
    return plan.id


@pytest.mark.sshd
@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_killed_ask_cancels_its_pending_plan(sshd, tmp_path: Path, how: int) -> None:
    from helpers.live_broker import live_broker

    with (
        live_broker(sshd, tmp_path / "sessions", None, ["ask"]) as (broker, recorder),
        BridgeServer(broker) as bridge,
    ):
        ask = subprocess.Popen(
            [sys.executable, "-m", "aiperm_tui", "ask", "--", "touch", "made-by-nobody"],
            env={**os.environ, **bridge.env()},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        plan_id = pending_plan(broker)
        ask.send_signal(how)
        _, err = ask.communicate(timeout=30)
        view = broker.wait(plan_id, timeout=10)
        assert view is not None, "the plan was left in the queue"
        with pytest.raises(BrokerError):
            broker.approve(plan_id, 0)
        log = list(read_events(recorder.path / "events.jsonl"))
    assert view.status == "refused" and [a.state for a in view.actions] == ["cancelled"]
    if how == signal.SIGINT:
        assert ask.returncode == 130 and "Traceback" not in err
    assert not [e for e in log if e["type"] in ("approval", "exec_start")]
    (deny,) = [e for e in log if e["type"] == "deny"]
    assert deny["by"] == "system" and deny["cmd"] == "touch made-by-nobody"
    assert deny["reason"] == "cancelled: the asker hung up"
    assert [(e["id"], e["status"]) for e in log if e["type"] == "plan_end"] == [
        (plan_id, "refused")
    ]


def test_hung_up_client_cancels_and_a_finished_one_does_not(
    bridge: BridgeServer, broker: FakeBroker
) -> None:
    client = BridgeClient.discover(env=bridge.env())
    assert client.submit({"actions": [{"cmd": "uptime"}]})[-1]["status"] == "ok"
    broker.gate.clear()
    hangup, errors = Hangup(), []

    def ask() -> None:
        try:
            client.submit({"actions": [{"cmd": "sleep 1"}]}, hangup=hangup)
        except ExecError as exc:
            errors.append(exc)

    asker = threading.Thread(target=ask)
    asker.start()
    wait_until(lambda: len(broker.plans) == 2, "the two plans never arrived")
    hangup()
    asker.join(10)
    wait_until(lambda: broker.cancelled, "nothing was cancelled")
    assert broker.cancelled == [broker.plans[1].id] and len(errors) == 1
    assert broker.cancel_reasons == ["cancelled: the asker hung up"]


async def test_cancelled_mcp_call_cancels_the_plan(
    bridge: BridgeServer, broker: FakeBroker
) -> None:
    broker.gate.clear()  # the operator never answers
    async with Client(mcp_server(bridge.env()), mode="legacy") as client:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(
                client.call_tool, "remote_exec", {"host": "web1", "command": "uptime", "goal": ""}
            )
            with anyio.fail_after(20):
                while not broker.plans:
                    await anyio.sleep(0.02)
            tasks.cancel_scope.cancel()
        with anyio.fail_after(20):
            while not broker.cancelled:
                await anyio.sleep(0.02)
        assert not (await client.call_tool("list_hosts", {})).is_error  # still serving
    assert broker.cancelled == [broker.plans[0].id]
