"""The sandboxed agent's network, tried as a hostile agent would (docs/network.md): it has
no direct network (not to the test sshd on 127.0.0.1, not to any outside address), and
through the broker's proxy it reaches only what the allowlist names; every refusal is
recorded and shown.

The scenario (net_scenario.py: the proxy and the real `AgentProcess` in the real bwrap
sandbox, behind the relay) runs as the test's own user and, when that is root, also as
the unprivileged account, since root hides what an ordinary user cannot do. The last
tests run the real app and check what reaches the session log and the agent pane."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers.bwrap import bwrap_or_skip
from helpers.pilot import until
from helpers.sshd import SSHDServer
from helpers.tui_app import build_app
from helpers.unprivileged import Runner, as_root
from textual.widgets import RichLog

from aiperm_tui.agent.netproxy import probe_network
from aiperm_tui.agent.sandbox import SandboxSpec
from aiperm_tui.cli.tui import _network
from aiperm_tui.config import Config, parse_config
from aiperm_tui.errors import UsageError
from aiperm_tui.session import read_events
from aiperm_tui.tui.app import AgentSpec

pytestmark = pytest.mark.timeout(120)

HERE = Path(__file__).resolve().parent
OUTSIDE = "192.0.2.1:443"  # TEST-NET-1: no route from inside


def _bwrap() -> str:
    return bwrap_or_skip()


def scenario(runner: Runner, allow: list[str], probes: list[str]) -> dict[str, Any]:
    """Run net_scenario.py as `runner`'s user; its report."""
    _bwrap()
    root = runner.folder()
    try:
        done = subprocess.run(
            [
                *runner.prefix,
                str(runner.scripts / "net_scenario.py"),
                str(root),
                *(f"--allow={a}" for a in allow),
                *probes,
            ],
            env=runner.env,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["exit"] == 0, done.stderr
    return report


@pytest.fixture(scope="module", params=["self", "unprivileged"])
def report(request: pytest.FixtureRequest, sshd: SSHDServer) -> dict[str, Any]:
    """One run of every probe, as the test's user and as an unprivileged one."""
    runner = as_root() if request.param == "self" else request.getfixturevalue("unprivileged")
    return scenario(
        runner,
        ["127.0.0.2:ECHO", "localhost:ECHO"],
        [
            "env",
            f"direct:{sshd.host}:{sshd.port}",
            "direct:127.0.0.2:ECHO",
            f"direct:{OUTSIDE}",
            "direct:[::1]:22",
            "proxy:127.0.0.2:ECHO",
            "proxy:evil.example.com:443",
            "proxy:169.254.169.254:80",
            "proxy:localhost:ECHO",
            "plain:http://127.0.0.2:ECHO/",
            "flood:example.com:443",
        ],
    )


def _probe(report: dict[str, Any], prefix: str) -> dict[str, Any]:
    return next(p for p in report["probes"] if p["probe"].startswith(prefix))


def _refused(report: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [
        (e["host"], e["port"], e["reason"]) for e in report["events"] if e["type"] == "net_refused"
    ]


@pytest.mark.sshd
def test_no_direct_connection_leaves_the_sandbox(report: dict[str, Any]) -> None:
    """The sshd and the echo server listen on the host's loopback: inside, loopback is
    the sandbox's own, with nothing on it; an outside address has no route at all."""
    direct = [p for p in report["probes"] if p["probe"].startswith("direct:")]
    assert [p["connected"] for p in direct] == [False] * 4
    assert [p["error"] for p in direct[:2]] == ["ConnectionRefusedError"] * 2
    assert direct[2]["errno"] == 101  # ENETUNREACH


@pytest.mark.sshd
def test_the_agent_is_given_the_relay_and_nothing_else(report: dict[str, Any]) -> None:
    env = _probe(report, "env")
    assert env["HTTPS_PROXY"] == env["https_proxy"] == env["HTTP_PROXY"] == env["ALL_PROXY"]
    assert env["HTTPS_PROXY"].startswith("http://127.0.0.1:")
    assert env["NO_PROXY"] == env["no_proxy"] == ""


@pytest.mark.sshd
def test_the_proxy_reaches_the_allowed_host_only(report: dict[str, Any]) -> None:
    allowed = _probe(report, "proxy:127.0.0.2:")
    assert (allowed["status"], allowed["echo"]) == (200, "hello through the proxy")
    assert report["echo_accepted"] == 1  # the tunnel, and nothing else got through
    assert _probe(report, "proxy:evil.example.com")["status"] == 403
    assert _probe(report, "proxy:169.254.169.254")["status"] == 403
    assert _probe(report, "plain:")["status"] == 405


@pytest.mark.sshd
def test_a_listed_name_rebound_to_loopback_is_refused(report: dict[str, Any]) -> None:
    """`localhost` is on the list, but the broker resolves it, to loopback."""
    assert _probe(report, "proxy:localhost")["status"] == 403
    reasons = {host: reason for host, _, reason in _refused(report)}
    assert "resolves to" in reasons["localhost"] and "not a public address" in reasons["localhost"]


@pytest.mark.sshd
def test_a_header_flood_through_the_relay_is_bounded(report: dict[str, Any]) -> None:
    assert _probe(report, "flood:")["sent"] < 4 * 1024 * 1024  # not the 64 MiB it tried
    assert ("example.com", 443, "request head larger than 8192 bytes") in _refused(report)


@pytest.mark.sshd
def test_every_refusal_is_recorded_and_shown(report: dict[str, Any]) -> None:
    port = report["echo_port"]
    assert report["events"][0] == {
        "type": "net_allowlist",
        "allow": [f"127.0.0.2:{port}", f"localhost:{port}"],
    }
    assert [(h, p) for h, p, _ in _refused(report)] == [
        ("evil.example.com", 443),
        ("169.254.169.254", 80),
        ("localhost", port),
        ("127.0.0.2", port),
        ("example.com", 443),
    ]
    assert len(report["shown"]) == 5
    assert report["shown"][0] == (
        "network: refused evil.example.com:443: evil.example.com:443 "
        "is not on the agent's network allowlist"
    )


# --- the real app -----------------------------------------------------------------------


def _pane(app: Any) -> str:
    """The agent pane's text, its wrapped lines joined again."""
    log = app.agent_pane.query_one(RichLog)
    return "".join(strip.text for strip in log.lines)


@pytest.mark.timeout(60)
async def test_the_app_gives_the_sandboxed_agent_its_proxy_and_records_refusals(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    argv = [sys.executable, str(HERE / "net_agent.py"), "proxy:evil.example.com:443"]
    agent = AgentSpec(
        argv,
        "jsonl",
        cwd=project,
        sandbox=SandboxSpec(bwrap=_bwrap()),
        network=("api.example.com",),
    )
    app = build_app(tmp_path, agent=agent)
    async with app.run_test(size=(140, 30)) as pilot:
        await until(pilot, lambda: '"status": 403' in _pane(app), timeout=30)
        assert "network: refused evil.example.com:443" in _pane(app)
        await pilot.press("q")
    events = list(read_events(app.deps.recorder.path))
    assert [e["allow"] for e in events if e["type"] == "net_allowlist"] == [["api.example.com:443"]]
    [refused] = [e for e in events if e["type"] == "net_refused"]
    assert (refused["host"], refused["port"]) == ("evil.example.com", 443)


def test_allow_net_adds_to_the_agents_list_and_a_bad_entry_stops_aiperm(
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = parse_config({"agents": {"codex": {"network": ["api.openai.com"]}}})
    assert _network(config, ["/usr/bin/codex"], ["pypi.org"], True) == (
        "api.openai.com",
        "pypi.org",
    )
    assert _network(Config(), ["claude"], [], True) == ("api.anthropic.com:443",)
    with pytest.raises(UsageError, match=r"--allow-net: '\*': not a host name"):
        _network(Config(), ["claude"], ["*"], True)
    assert capsys.readouterr().err == ""
    _network(Config(), ["claude"], ["pypi.org"], False)
    assert "--allow-net has no effect with --sandbox off" in capsys.readouterr().err


@pytest.mark.timeout(60)
def test_the_doctors_probe_fails_when_the_sandbox_has_a_network(tmp_path: Path) -> None:
    """`aiperm doctor`'s network line is a real probe: a bwrap that leaves the network
    shared, or one that does not run, fails it (the passing case: test_sandbox_startup)."""
    real = _bwrap()
    leaky = tmp_path / "bwrap-share-net"
    leaky.write_text(
        f'#!/bin/sh\nfirst="$1"; shift\n'  # --unshare-all, then share the net
        f'exec {real} "$first" --share-net "$@"\n'
    )
    leaky.chmod(0o700)
    assert probe_network(str(leaky)) == (
        False,
        "the sandbox reached 127.0.0.1 directly: it has a network of its own",
    )
    ok, said = probe_network("/bin/false")
    assert not ok and said.startswith("the agent's proxy did not answer through the relay")
    assert probe_network(real)[0]
