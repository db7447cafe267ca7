"""Hardening of the agent side: a silent socket peer cannot pin a server thread, the
discovery file is trusted only in a private folder of ours, `aiperm ask` tells how the
remote command ended and escapes remote output on a terminal, and a missing
XDG_RUNTIME_DIR prints nothing on stderr."""

from __future__ import annotations

import json
import os
import pty
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import agent_fakes
from helpers.agent_fakes import FakeBroker, plan_result, result, run_ask

from aiperm_tui import paths
from aiperm_tui.agent import bridge as bridge_module
from aiperm_tui.agent import protocol
from aiperm_tui.agent.bridge import BridgeClient, BridgeServer, BrokerUnavailable
from aiperm_tui.agent.discovery import discovery_path, read_published

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b[6nhi\n"


# --- the socket's request timeout ---------------------------------------------------


def _read_until_closed(peer: socket.socket) -> bytes:
    data = b""
    while chunk := peer.recv(4096):
        data += chunk
    return data


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(bridge_module, "REQUEST_TIMEOUT", 0.3)
    return 0.3


def test_silent_peer_is_dropped(bridge: BridgeServer, short_timeout: float) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as peer:
        peer.connect(str(bridge.path))
        peer.settimeout(5)  # the server, not this, must end the connection
        started = time.monotonic()
        answer = json.loads(_read_until_closed(peer))
    assert time.monotonic() - started < 3
    assert answer["type"] == "error" and "no request within 0.3 s" in answer["message"]


def test_trickling_peer_gets_no_more_time(bridge: BridgeServer, short_timeout: float) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as peer:
        peer.connect(str(bridge.path))
        started = time.monotonic()
        with pytest.raises(OSError):  # the server hangs up on the trickle
            while time.monotonic() - started < 5:
                peer.sendall(b" ")
                time.sleep(0.05)
    assert time.monotonic() - started < 3


def test_waiting_for_the_human_is_not_cut_short(
    bridge: BridgeServer, broker: FakeBroker, short_timeout: float
) -> None:
    broker.gate.clear()  # the operator takes longer than the request timeout
    client = BridgeClient.discover(env=bridge.env())
    plan = {"type": "plan", "id": "p1", "host": "web1", "actions": [{"cmd": "uptime"}]}
    releaser = threading.Timer(1.0, broker.gate.set)
    releaser.start()
    messages = client.submit(plan)
    assert messages[-1] == {"type": "plan_result", "id": "p1", "status": "ok", "exit_code": 0}


# --- the discovery file's folder ----------------------------------------------------


def test_folder_open_to_others_is_refused(bridge: BridgeServer, broker: FakeBroker) -> None:
    discovery_path().parent.chmod(0o755)
    with pytest.raises(BrokerUnavailable, match="mode is 0755, not 0700"):
        BridgeClient.discover(env={})
    assert broker.plans == []


def test_folder_that_is_a_symlink_is_refused(bridge: BridgeServer) -> None:
    folder = discovery_path().parent
    real = folder.with_name("elsewhere")
    folder.rename(real)
    folder.symlink_to(real)  # the file is still ours, 0600; its folder is not what we made
    with pytest.raises(BrokerUnavailable, match="not a folder"):
        read_published()


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder away needs root")
def test_folder_of_another_user_is_refused(bridge: BridgeServer) -> None:
    os.chown(discovery_path().parent, 65534, -1)
    with pytest.raises(BrokerUnavailable, match="folder is not owned by you"):
        read_published()


# --- aiperm ask ------------------------------------------------------------------------


def _replies(script: dict[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the fake broker answer the commands in `script` with those replies."""
    fallback = agent_fakes.outcome_for

    def outcome(plan: Any) -> list[dict[str, Any]]:
        replies = script.get(plan.actions[0].cmd)
        return [{**m, "id": plan.id} for m in replies] if replies else fallback(plan)

    monkeypatch.setattr(agent_fakes, "outcome_for", outcome)


def _ask_env(bridge: BridgeServer) -> dict[str, str]:
    return {**os.environ, **bridge.env(), "PYTHONPATH": str(ROOT)}


def test_failure_note_tells_the_remote_exit_status(bridge: BridgeServer) -> None:
    done = run_ask("--", "fail-me", env=_ask_env(bridge))
    assert done.returncode == 6
    assert done.stderr.endswith("aiperm: failed (exit code 6; remote exit status 3)\n")


def test_failure_note_tells_the_signal_and_error(
    bridge: BridgeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    killed = protocol.result(
        "p",
        0,
        cmd="sleep 99",
        edited=False,
        exit_status=None,
        stdout="",
        stderr="",
        truncated=False,
        duration_ms=5,
        signal="KILL",
        error="connection lost: eof",
    )
    _replies({"sleep 99": [killed, plan_result("p", "failed", 6)]}, monkeypatch)
    done = run_ask("--", "sleep 99", env=_ask_env(bridge))
    assert done.returncode == 6
    assert done.stderr == (
        "aiperm: failed (exit code 6; remote signal KILL; error: connection lost: eof)\n"
    )


def _ask_on_a_terminal(bridge: BridgeServer, cmd: str) -> tuple[int, bytes]:
    """`aiperm ask` with stdout and stderr on a pseudo-terminal; exit code, what it showed."""
    master, slave = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "aiperm_tui", "ask", "--", cmd],
        env=_ask_env(bridge),
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    return child.wait(timeout=60), shown


def test_remote_output_is_escaped_on_a_terminal(
    bridge: BridgeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _replies(
        {
            "banner": [
                result("p", "banner", exit_status=1, stdout=HOSTILE, stderr=HOSTILE),
                plan_result("p", "failed", 6),
            ]
        },
        monkeypatch,
    )
    code, shown = _ask_on_a_terminal(bridge, "banner")
    assert code == 6
    assert b"\x1b" not in shown and b"\x07" not in shown
    assert shown.count(b"\\e]0;pwned\\x07\\e[2J\\e[6nhi") == 2  # stdout and stderr


def test_remote_output_stays_raw_in_a_pipe(
    bridge: BridgeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _replies(
        {"banner": [result("p", "banner", stdout=HOSTILE), plan_result("p", "ok", 0)]}, monkeypatch
    )
    done = run_ask("--", "banner", env=_ask_env(bridge))
    assert done.returncode == 0 and done.stdout == HOSTILE


# --- XDG_RUNTIME_DIR unset --------------------------------------------------------------


def test_no_runtime_dir_warning_on_stderr(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    env.update(PYTHONPATH=str(ROOT), PYTHONWARNINGS="always")
    done = subprocess.run(
        [sys.executable, "-c", "from aiperm_tui import paths; print(paths.runtime_dir())"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.strip().endswith("/aiperm")
    assert paths.runtime_dir() != Path(done.stdout.strip())  # the test's own one was set
