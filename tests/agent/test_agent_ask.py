"""`aiperm ask`: output and exit codes for each outcome, and failing closed."""

from __future__ import annotations

import pytest
from helpers.agent_fakes import FakeBroker, run_ask

from aiperm_tui.agent.bridge import BridgeServer


@pytest.mark.parametrize(
    ("cmd", "code", "stream", "text"),
    [
        ("uptime", 0, "stdout", "ran uptime\n"),
        ("deny-me", 1, "stderr", "aiperm: denied: policy: catastrophic"),
        ("refuse-me", 2, "stderr", "(operator: not today)"),
        ("fail-me", 6, "stderr", "boom"),
        ("edit-me", 0, "stderr", "aiperm: the operator edited the command; it ran as: echo safer"),
    ],
)
def test_exit_codes_follow_the_outcome(
    bridge: BridgeServer, cmd: str, code: int, stream: str, text: str
) -> None:
    done = run_ask("--host", "web1", "--goal", "g", "--", cmd, env=bridge.env())
    assert done.returncode == code, done.stderr
    assert text in getattr(done, stream)


def test_words_after_dashes_form_one_command(bridge: BridgeServer, broker: FakeBroker) -> None:
    done = run_ask("--", "ls", "-la", "/tmp", env=bridge.env())
    assert done.returncode == 0
    (plan,) = broker.plans
    assert plan.actions[0].cmd == "ls -la /tmp"
    assert plan.goal == ""


def test_socket_option_names_the_broker(bridge: BridgeServer) -> None:
    done = run_ask("--socket", str(bridge.path), "--", "uptime", env={"AIPERM_TOKEN": bridge.token})
    assert done.returncode == 0 and done.stdout == "ran uptime\n"


def test_no_broker_fails_closed_with_one_line() -> None:
    done = run_ask("--", "uptime")
    assert done.returncode == 5
    assert done.stderr.count("\n") == 1 and "no running aiperm broker" in done.stderr


def test_unreachable_broker_fails_closed(tmp_path) -> None:
    done = run_ask(
        "--", "uptime", env={"AIPERM_SOCKET": str(tmp_path / "gone.sock"), "AIPERM_TOKEN": "x" * 64}
    )
    assert done.returncode == 5
    assert done.stderr.startswith("aiperm: error: cannot reach the aiperm broker")
    assert done.stderr.count("\n") == 1


def test_bad_token_exit_5(bridge: BridgeServer, broker: FakeBroker) -> None:
    done = run_ask("--", "uptime", env={**bridge.env(), "AIPERM_TOKEN": "f" * 64})
    assert done.returncode == 5 and "bad token" in done.stderr
    assert broker.plans == []


def test_missing_command_is_usage_error(bridge: BridgeServer) -> None:
    done = run_ask("--host", "web1", env=bridge.env())
    assert done.returncode == 5 and "no command given" in done.stderr
