"""The sandboxed agent's network, tried as a hostile agent would: it has no direct
network (not to the test sshd on 127.0.0.1, not to any outside address), and through the
broker's proxy it reaches only what the allowlist names; every refusal is recorded in the
session log. Runs the real relay inside a real bwrap sandbox with its own network
namespace, and holds as an unprivileged user as well as root."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from helpers.net import echo_server
from helpers.session_fixture import KEY

from aiperm_tui.agent.netproxy import Limits, NetProxy, recording_refusals
from aiperm_tui.netrules import Allowlist
from aiperm_tui.session import Recorder, read_events

pytestmark = pytest.mark.timeout(90)

ROOT = Path(__file__).resolve().parents[2]
AGENT = ROOT / "tests" / "helpers" / "net_agent.py"
OUTSIDE = "192.0.2.1:443"  # TEST-NET-1: no route inside, and no answer outside either


def _bwrap() -> str:
    found = shutil.which("bwrap")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("bwrap is not installed (apt-get install bubblewrap)")
        pytest.skip("bwrap is not installed (apt-get install bubblewrap)")
    return found


def run_sandboxed(proxy: NetProxy, probes: Sequence[str]) -> list[dict[str, Any]]:
    """The probe agent behind the relay in a bwrap sandbox with no network of its own;
    one result a probe."""
    assert proxy.path is not None
    command = [_bwrap(), "--unshare-all", "--die-with-parent", "--new-session",
               "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
               "--ro-bind", str(proxy.path.parent), str(proxy.path.parent), "--",
               sys.executable, "-m", "aiperm_tui.agent.relay", "--unix", str(proxy.path),
               "--", sys.executable, str(AGENT), *probes]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env,
                          stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.fixture
def echo() -> Iterator[Any]:
    with echo_server() as server:
        yield server


@pytest.fixture
def session(tmp_path: Path) -> Iterator[tuple[Recorder, list[str]]]:
    recorder = Recorder.create(agent=["net_agent"], hosts=[], preset="ops_safe", key=KEY,
                               root=tmp_path / "sessions")
    yield recorder, []
    recorder.close("normal")


def _proxy(entries: list[str], session: tuple[Recorder, list[str]],
           **limits: Any) -> NetProxy:
    recorder, shown = session
    proxy = NetProxy(Allowlist.parse(entries), recording_refusals(recorder, shown.append),
                     limits=Limits(**limits))
    proxy.start()
    return proxy


def _refusals(recorder: Recorder) -> list[dict[str, Any]]:
    recorder.close("normal")
    return [e for e in read_events(recorder.path) if e["type"] == "net_refused"]


@pytest.mark.sshd
def test_no_direct_connection_leaves_the_sandbox(sshd: Any, echo: Any,
                                                 session: Any) -> None:
    """The test sshd and the echo server listen on the host's 127.0.0.1: inside, that
    loopback is the sandbox's own, with nothing on it; an outside address has no route."""
    proxy = _proxy([f"127.0.0.1:{echo.port}"], session)
    try:
        results = run_sandboxed(proxy, [f"direct:127.0.0.1:{sshd.port}",
                                        f"direct:127.0.0.1:{echo.port}", f"direct:{OUTSIDE}",
                                        "direct:[::1]:22"])
    finally:
        proxy.close()
    assert [r["connected"] for r in results] == [False, False, False, False]
    assert [r["error"] for r in results[:2]] == ["ConnectionRefusedError"] * 2
    assert results[2]["error"] == "OSError" and results[2]["errno"] == 101  # ENETUNREACH
    assert echo.accepted == 0


def test_the_proxy_reaches_an_allowed_host_and_refuses_the_rest(echo: Any,
                                                                session: Any) -> None:
    recorder, shown = session
    proxy = _proxy([f"127.0.0.1:{echo.port}"], session)
    try:
        results = run_sandboxed(proxy, ["env", f"proxy:127.0.0.1:{echo.port}",
                                        "proxy:evil.example.com:443", "proxy:169.254.169.254:80",
                                        f"plain:http://127.0.0.1:{echo.port}/"])
    finally:
        proxy.close()
    env, allowed, unlisted, metadata, plain = results
    assert env["HTTPS_PROXY"] == env["https_proxy"] == env["HTTP_PROXY"] == env["ALL_PROXY"]
    assert env["HTTPS_PROXY"].startswith("http://127.0.0.1:")
    assert env["NO_PROXY"] == env["no_proxy"] == ""
    assert allowed == {"probe": allowed["probe"], "status": 200,
                       "echo": "hello through the proxy"}
    assert (unlisted["status"], metadata["status"], plain["status"]) == (403, 403, 405)
    assert echo.accepted == 1
    refused = _refusals(recorder)
    assert [(e["host"], e["port"]) for e in refused] == [
        ("evil.example.com", 443), ("169.254.169.254", 80), ("127.0.0.1", echo.port)]
    assert all(e["reason"] for e in refused)
    assert shown[0] == ("network: refused evil.example.com:443: evil.example.com:443 is not "
                        "on the agent's network allowlist")


def test_a_listed_name_rebound_to_loopback_is_refused(echo: Any, session: Any) -> None:
    """`localhost` is on the list, but it resolves (on the broker's side) to loopback."""
    recorder, _ = session
    proxy = _proxy([f"localhost:{echo.port}"], session)
    try:
        [result] = run_sandboxed(proxy, [f"proxy:localhost:{echo.port}"])
    finally:
        proxy.close()
    assert result["status"] == 403
    assert echo.accepted == 0
    [refused] = _refusals(recorder)
    assert refused["host"] == "localhost" and "not a public address" in refused["reason"]


def test_a_header_flood_through_the_relay_is_bounded(session: Any) -> None:
    recorder, _ = session
    proxy = _proxy([], session, max_header_bytes=8192)
    try:
        [result] = run_sandboxed(proxy, ["flood:example.com:443"])
    finally:
        proxy.close()
    assert result["sent"] < 4 * 1024 * 1024  # relay buffers plus the limit, not 64 MiB
    [refused] = _refusals(recorder)
    assert (refused["host"], refused["port"]) == ("example.com", 443)
    assert "request head larger than 8192 bytes" in refused["reason"]
