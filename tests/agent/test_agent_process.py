"""AgentProcess with real subprocesses: lines classified, replies written, exits reported,
the environment scrubbed."""

from __future__ import annotations

import json
import os
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers.agent_fakes import Collector
from helpers.procs import wait_gone
from helpers.waiting import wait_until

from aiperm_tui.agent.process import (
    AgentExit,
    AgentLine,
    AgentProcess,
    JsonLinesAdapter,
    make_adapter,
    scrubbed_env,
)
from aiperm_tui.errors import UsageError


def script(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "agent.py"
    path.write_text(textwrap.dedent(body))
    return [sys.executable, "-u", str(path)]


def test_plans_chatter_stderr_and_replies(tmp_path: Path) -> None:
    argv = script(
        tmp_path,
        """
        import json, sys
        print("hello operator")
        print(json.dumps({"type": "plan", "id": "p1", "host": "web1",
                          "actions": [{"cmd": "uptime"}]}))
        reply = json.loads(sys.stdin.readline())
        print("got " + reply["type"] + " for " + reply["id"])
    """,
    )
    got = Collector()
    agent = AgentProcess(argv, got.callbacks, adapter=JsonLinesAdapter())
    agent.start()
    assert got.next("line") == AgentLine("stdout", "chatter", "hello operator")
    plan = got.next("plan")
    assert plan.id == "p1" and plan.actions[0].cmd == "uptime"
    assert agent.send({"type": "plan_result", "id": "p1", "status": "ok", "exit_code": 0})
    events = got.until_exit()
    lines = [v for k, v in events if k == "line"]
    assert AgentLine("stdout", "chatter", "got plan_result for p1") in lines
    exit_ = events[-1][1]
    assert exit_ == AgentExit(0, None, False, False, "agent exited (status 0)")


def test_stderr_is_delivered_separately(tmp_path: Path) -> None:
    argv = script(tmp_path, "import sys; print('warn', file=sys.stderr)")
    got = Collector()
    AgentProcess(argv, got.callbacks).start()
    assert got.next("line") == AgentLine("stderr", "stderr", "warn")


def test_malformed_request_gets_error_reply_and_is_reported(tmp_path: Path) -> None:
    argv = script(
        tmp_path,
        """
        import sys
        print('{"type": "plan", "id": "p9", "actions": []}')
        print("reply: " + sys.stdin.readline().strip())
    """,
    )
    got = Collector()
    AgentProcess(argv, got.callbacks).start()
    error, raw = got.next("malformed")
    assert error.code in (4, 5) and '"p9"' in raw
    reply_line = got.next("line").text
    reply = json.loads(reply_line.removeprefix("reply: "))
    assert reply["type"] == "error" and reply["code"] == error.code


def test_crash_is_reported_as_crash(tmp_path: Path) -> None:
    argv = script(tmp_path, "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    got = Collector()
    AgentProcess(argv, got.callbacks).start()
    exit_ = got.next("exit")
    assert exit_.crashed and exit_.signal == "SIGSEGV" and not exit_.terminated
    assert "crashed" in exit_.message


def test_nonzero_exit_status(tmp_path: Path) -> None:
    got = Collector()
    AgentProcess(script(tmp_path, "raise SystemExit(3)"), got.callbacks).start()
    exit_ = got.next("exit")
    assert exit_.returncode == 3 and exit_.crashed


def test_an_ended_agent_leaves_no_descriptor_open(tmp_path: Path) -> None:
    """Its pipes are closed once it exits and its output is read: a broker that left
    them to the garbage collector held two descriptors per agent started. The stdin
    pipe is closed by the outbox's writer thread within its poll interval, after the
    exit is reported, so the count is awaited rather than read once."""
    argv = script(tmp_path, "print('hi')")
    before = set(os.listdir("/proc/self/fd"))
    for _ in range(3):
        got = Collector()
        agent = AgentProcess(argv, got.callbacks, adapter=JsonLinesAdapter())
        agent.start()
        got.until_exit()
        assert agent.wait(30) is not None
    wait_until(
        lambda: not set(os.listdir("/proc/self/fd")) - before,
        "an ended agent left a descriptor open",
    )


def test_terminate_stops_agent_and_its_children(tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    argv = script(
        tmp_path,
        f"""
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        open({str(pidfile)!r}, "w").write(str(child.pid))
        print("ready")
        time.sleep(60)
    """,
    )
    got = Collector()
    agent = AgentProcess(argv, got.callbacks)
    agent.start()
    assert got.next("line").text == "ready"
    started = time.monotonic()
    agent.terminate(grace=2.0)
    exit_ = got.next("exit")
    assert exit_.terminated and not exit_.crashed
    assert time.monotonic() - started < 5
    child = int(pidfile.read_text())
    assert wait_gone([child], deadline=5) == [], f"the agent's child {child} outlived it"
    agent.terminate()  # idempotent


def test_environment_is_scrubbed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSH_AUTH_SOCK", "/tmp/agent.sock")
    monkeypatch.setenv("AIPERM_AUDIT_KEY_FILE", "/secret/audit.key")
    monkeypatch.setenv("AIPERM_CONFIG", "/secret/config.toml")
    monkeypatch.setenv("KEEP_ME", "yes")
    monkeypatch.setenv("KEEP_NOT", "not named in the config, so not passed")
    argv = script(
        tmp_path,
        """
        import json, os
        print("env", json.dumps({k: v for k, v in os.environ.items()
                                 if k.startswith(("AIPERM", "SSH_", "KEEP"))}))
    """,
    )
    got = Collector()
    extra = {"AIPERM_SOCKET": "/run/x.sock", "AIPERM_TOKEN": "t" * 64}
    AgentProcess(argv, got.callbacks, extra_env=extra, env_names=("KEEP_ME",)).start()
    env = json.loads(got.next("line").text.removeprefix("env "))
    assert env == {"AIPERM_SOCKET": "/run/x.sock", "AIPERM_TOKEN": "t" * 64, "KEEP_ME": "yes"}


@pytest.mark.parametrize("name", ["AIPERM_AUDIT_KEY", "AIPERM_AUDIT_KEY_FILE"])
def test_no_aiperm_secret_can_be_passed_on(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        scrubbed_env({name: "x"})


def test_over_long_line_is_dropped_with_notice(tmp_path: Path) -> None:
    argv = script(tmp_path, "print('x' * (2 * 1024 * 1024)); print('after')")
    got = Collector()
    AgentProcess(argv, got.callbacks).start()
    assert got.next("line").kind == "notice"
    assert got.next("line").text == "after"


def test_missing_agent_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot start agent"):
        AgentProcess([str(tmp_path / "nope")], Collector().callbacks).start()


def test_adapter_choice(tmp_path: Path) -> None:
    assert make_adapter(None, ["/usr/bin/claude"], bridge_env={}, workdir=tmp_path).name == "claude"
    assert (
        make_adapter(None, ["python3", "agent.py"], bridge_env={}, workdir=tmp_path).name == "jsonl"
    )
    assert make_adapter("claude", ["my-wrapper"], bridge_env={}, workdir=tmp_path).name == "claude"
    with pytest.raises(UsageError, match="unknown agent adapter"):
        make_adapter("gpt", ["x"], bridge_env={}, workdir=tmp_path)
