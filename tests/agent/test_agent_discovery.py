"""The running broker's discovery file: written 0600 while it runs, removed on close, used
by `aiperm ask`/`hook`/`mcp` when the environment names no broker, and refused unless it
is exactly what aiperm writes (owner, mode, live pid)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.agent_fakes import FakeBroker, mcp_server
from mcp import Client

from aiperm_tui import paths
from aiperm_tui.agent.bridge import BridgeClient, BridgeServer, BrokerUnavailable
from aiperm_tui.agent.discovery import discovery_path, read_published
from aiperm_tui.errors import SecurityError


def aiperm(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """A CLI run with no AIPERM_* variable: like an agent in another terminal."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIPERM_")}
    return subprocess.run(
        [sys.executable, "-m", "aiperm_tui", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_file_is_private_and_goes_with_the_broker(bridge: BridgeServer) -> None:
    path = discovery_path()
    assert path.parent == paths.runtime_dir()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.stat().st_uid == os.getuid()
    assert json.loads(path.read_text()) == {
        "socket": str(bridge.path),
        "token": bridge.token,
        "session": "fake-session",
        "pid": os.getpid(),
    }
    bridge.close()
    assert not path.exists()


def test_ask_and_hook_in_another_terminal_find_the_broker(
    bridge: BridgeServer, broker: FakeBroker
) -> None:
    done = aiperm("ask", "--", "uptime")
    assert done.returncode == 0 and done.stdout == "ran uptime\n", done.stderr
    call = json.dumps({"tool_name": "Bash", "tool_input": {"command": "hostname"}})
    hooked = aiperm("hook", "claude", stdin=call)
    assert hooked.returncode == 2 and "ran hostname" in hooked.stderr
    assert [p.actions[0].cmd for p in broker.plans] == ["uptime", "hostname"]


async def test_mcp_finds_the_broker(bridge: BridgeServer, broker: FakeBroker) -> None:
    async with Client(mcp_server({}), mode="legacy") as client:
        result = await client.call_tool("remote_exec", {"host": "web1", "command": "uptime"})
    assert not result.is_error and "ran uptime" in result.content[0].text


def test_environment_comes_first_then_socket_option(bridge: BridgeServer) -> None:
    other = BridgeServer(FakeBroker())
    other.start()  # started later: the file names it now
    try:
        assert read_published().socket == str(other.path)
        assert BridgeClient.discover(env=bridge.env()).socket_path == str(bridge.path)
        by_option = BridgeClient.discover(str(other.path), env={})
        assert by_option.token == other.token  # the file's token, for the socket it names
        with pytest.raises(BrokerUnavailable, match="not " + str(bridge.path)):
            BridgeClient.discover(str(bridge.path), env={})
        bridge.close()  # the earlier broker leaves the later one's file alone
        assert BridgeClient.discover(env={}).token == other.token
    finally:
        other.close()
    with pytest.raises(BrokerUnavailable, match="no running aiperm broker"):
        BridgeClient.discover(env={})


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize(
    ("spoil", "why"),
    [
        (lambda p: p.chmod(0o644), "mode is 0644, not 0600"),
        (
            lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "pid": _dead_pid()})),
            "stale",
        ),
        (lambda p: (p.rename(p.with_name("real.json")), p.symlink_to("real.json")), "cannot read"),
        (lambda p: p.write_text("{"), "not valid JSON"),
    ],
)
def test_untrustworthy_file_is_refused(
    bridge: BridgeServer, broker: FakeBroker, spoil, why: str
) -> None:
    spoil(discovery_path())
    with pytest.raises(BrokerUnavailable, match=why):
        BridgeClient.discover(env={})
    done = aiperm("ask", "--", "uptime")
    assert done.returncode == 5 and why in done.stderr and "Traceback" not in done.stderr
    assert broker.plans == []


def test_file_of_another_user_is_refused(
    bridge: BridgeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "getuid", lambda: os.stat(discovery_path()).st_uid + 1)
    with pytest.raises(BrokerUnavailable, match="not owned by you"):
        BridgeClient.discover(env={})


def test_no_token_is_published_into_a_folder_of_someone_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = paths.runtime_dir()
    folder.mkdir(parents=True, mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: folder.stat().st_uid + 1)
    server = BridgeServer(FakeBroker())
    with pytest.raises(SecurityError, match="not a folder you own"):
        server.start()
    assert not discovery_path().exists()
    assert server.directory is not None and not server.directory.exists()


def test_mode_is_exact_whatever_the_umask() -> None:
    old = os.umask(0o277)  # would leave 0400: the client would then refuse the file
    try:
        with BridgeServer(FakeBroker()):
            assert stat.S_IMODE(discovery_path().stat().st_mode) == 0o600
    finally:
        os.umask(old)
    assert not any(Path(paths.runtime_dir()).glob(".current.json.*"))
