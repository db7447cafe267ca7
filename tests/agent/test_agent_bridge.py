"""The broker's socket: permissions, tokens, concurrent askers, a broker that goes away."""

from __future__ import annotations

import stat
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from helpers.agent_fakes import FakeBroker

from aiperm_tui.agent.bridge import BridgeClient, BridgeServer, BrokerUnavailable
from aiperm_tui.errors import ExitCode


def _plan(cmd: str, plan_id: str | None = "p1") -> dict:
    plan = {"type": "plan", "host": "web1", "actions": [{"cmd": cmd}]}
    if plan_id:
        plan["id"] = plan_id
    return plan


def test_socket_is_private_and_named_in_env(bridge: BridgeServer) -> None:
    assert stat.S_IMODE(bridge.directory.stat().st_mode) == 0o700
    assert stat.S_ISSOCK(bridge.path.stat().st_mode)
    assert stat.S_IMODE(bridge.path.stat().st_mode) == 0o600
    env = bridge.env()
    assert env == {"AIPERM_SOCKET": str(bridge.path), "AIPERM_TOKEN": bridge.token}
    assert len(bridge.token) >= 64


def test_plan_round_trip_keeps_client_id(bridge: BridgeServer, broker: FakeBroker) -> None:
    messages = BridgeClient.discover(env=bridge.env()).submit(_plan("uptime"))
    assert [m["type"] for m in messages] == ["result", "plan_result"]
    assert all(m["id"] == "p1" for m in messages)
    assert messages[0]["stdout"] == "ran uptime\n"
    (seen,) = broker.plans
    assert seen.source == "socket" and seen.id != "p1" and seen.id.startswith("p1")


def test_concurrent_askers_each_get_their_own_result(
    bridge: BridgeServer, broker: FakeBroker
) -> None:
    broker.gate.clear()  # hold every answer until all have been submitted
    client = BridgeClient.discover(env=bridge.env())
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(client.submit, _plan(f"echo {i}", "same")) for i in range(8)]
        while len(broker.plans) < 8:
            threading.Event().wait(0.01)
        broker.gate.set()
        outputs = sorted(f.result(timeout=10)[0]["stdout"] for f in futures)
    assert outputs == sorted(f"ran echo {i}\n" for i in range(8))
    assert len({p.id for p in broker.plans}) == 8  # the broker never sees a duplicate id


def test_bad_token_is_refused_and_nothing_is_submitted(
    bridge: BridgeServer, broker: FakeBroker
) -> None:
    client = BridgeClient(str(bridge.path), "0" * 64)
    with pytest.raises(BrokerUnavailable, match="bad token"):
        client.submit(_plan("uptime"))
    with pytest.raises(BrokerUnavailable, match="bad token"):
        client.hosts()
    assert broker.plans == []


def test_hosts(bridge: BridgeServer) -> None:
    listing = BridgeClient.discover(env=bridge.env()).hosts()
    assert listing["default"] == "web1"
    assert [h["name"] for h in listing["hosts"]] == ["web1", "db1"]


def test_broker_gone_fails_closed(bridge: BridgeServer) -> None:
    env = bridge.env()
    bridge.close()
    assert not bridge.path.exists()
    with pytest.raises(BrokerUnavailable, match="cannot reach") as info:
        BridgeClient.discover(env=env).submit(_plan("uptime"))
    assert info.value.exit_code == ExitCode.USAGE


def test_session_closing_while_a_request_waits_is_an_error(
    bridge: BridgeServer, broker: FakeBroker
) -> None:
    broker.gate.clear()
    client = BridgeClient.discover(env=bridge.env())
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(client.submit, _plan("sleep 100"))
        while not broker.plans:
            threading.Event().wait(0.01)
        bridge.close()
        with pytest.raises(BrokerUnavailable, match="closed"):
            future.result(timeout=10)


def test_no_broker_in_environment() -> None:
    with pytest.raises(BrokerUnavailable, match="AIPERM_SOCKET"):
        BridgeClient.discover(env={})
    with pytest.raises(BrokerUnavailable, match="AIPERM_TOKEN"):
        BridgeClient.discover(env={"AIPERM_SOCKET": "/nonexistent"})


def test_malformed_plan_gets_protocol_error(bridge: BridgeServer, broker: FakeBroker) -> None:
    messages = BridgeClient.discover(env=bridge.env()).submit(
        {"type": "plan", "id": "bad", "actions": []}
    )
    assert messages[-1]["type"] == "error" and messages[-1]["code"] in (4, 5)
    assert messages[-1]["id"] == "bad"
    assert broker.plans == []
