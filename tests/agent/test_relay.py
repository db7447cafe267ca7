"""The in-sandbox relay as a process: it runs the agent with our stdio and the proxy
variables, passes signals on, exits with the agent's status, and says what went wrong
on stderr only (stdout is the agent's protocol channel)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from aiperm_tui.agent.relay import EXIT_NOT_FOUND, EXIT_USAGE, proxy_env

pytestmark = pytest.mark.timeout(60)
ROOT = Path(__file__).resolve().parents[2]


def _relay(
    *args: str, unix: str = "/nonexistent/net.sock", **kwargs: object
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "aiperm_tui.agent.relay", "--unix", unix, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        **kwargs,
    )  # type: ignore[call-overload]


def _py(code: str) -> list[str]:
    return ["--", sys.executable, "-c", code]


def test_the_agent_gets_the_relay_port_and_the_relay_passes_its_status() -> None:
    code = (
        "import os, socket, sys; from urllib.parse import urlsplit\n"
        "u = urlsplit(os.environ['HTTPS_PROXY'])\n"
        "socket.create_connection((u.hostname, u.port), timeout=5).close()\n"
        "print(os.environ['https_proxy'], repr(os.environ['NO_PROXY'])); sys.exit(3)"
    )
    proc = _relay(*_py(code))
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 3, err
    url, no_proxy = out.split()
    assert url.startswith("http://127.0.0.1:") and no_proxy == "''"


def test_stdin_and_stdout_are_the_agents_own() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "aiperm_tui.agent.relay", "--unix", "/x", "--", "cat"],
        input="a plan line\n",
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "a plan line\n", "")


def test_signals_reach_the_agent() -> None:
    code = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGTERM, lambda *_: sys.exit(42))\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)"
    )
    proc = _relay(*_py(code))
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 42


def test_an_agent_killed_by_a_signal_exits_shell_style() -> None:
    proc = _relay(*_py("import os, signal; os.kill(os.getpid(), signal.SIGKILL)"))
    proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGKILL


def test_a_missing_agent_is_one_line_on_stderr() -> None:
    proc = _relay("--", "/no/such/agent")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == EXIT_NOT_FOUND and out == ""
    assert err.strip().splitlines() == [
        "aiperm relay: cannot start agent '/no/such/agent': No such file or directory"
    ]


def test_no_agent_or_a_busy_port_is_a_usage_error() -> None:
    proc = _relay()
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == EXIT_USAGE and "no agent command given" in err
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        proc = _relay("--port", str(busy.getsockname()[1]), "--", "true")
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == EXIT_USAGE and "cannot listen on 127.0.0.1:" in err


def test_a_proxy_socket_that_is_gone_is_said_and_the_connection_closed() -> None:
    code = (
        "import os, socket; from urllib.parse import urlsplit\n"
        "u = urlsplit(os.environ['HTTPS_PROXY'])\n"
        "c = socket.create_connection((u.hostname, u.port), timeout=5)\n"
        "c.sendall(b'CONNECT a:443 HTTP/1.1\\r\\n\\r\\n')\n"
        "print(repr(c.recv(100)), flush=True)"
    )  # the relay says why before it hangs up
    proc = _relay(*_py(code), unix="/nonexistent/net.sock")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and out == "b''\n"
    assert "cannot reach the broker's network proxy at /nonexistent/net.sock" in err


def test_proxy_env_overrides_inherited_proxies() -> None:
    env = proxy_env(3128, {"HTTPS_PROXY": "http://evil:1", "no_proxy": "*", "PATH": "/bin"})
    assert env["HTTPS_PROXY"] == env["http_proxy"] == env["all_proxy"] == "http://127.0.0.1:3128"
    assert env["no_proxy"] == env["NO_PROXY"] == "" and env["PATH"] == "/bin"
