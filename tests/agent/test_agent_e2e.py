"""End to end: a scripted JSON-Lines agent subprocess, AgentProcess, the real Broker,
PolicyEngine, Recorder and SSHPool against the real sshd fixture; the operator is driven
programmatically. The agent must receive every result, the session log must verify, and
its events must match what happened."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
from helpers.agent_fakes import Collector
from helpers.session_fixture import recorded_output

from aiperm_tui.agent.process import AgentProcess
from aiperm_tui.session import read_events, verify_session

pytestmark = [pytest.mark.sshd, pytest.mark.slow]

AGENT = """
import json, sys
def send(obj):
    print(json.dumps(obj), flush=True)
def wait_end(plan_id):
    while True:
        reply = json.loads(sys.stdin.readline())
        print("got " + json.dumps(reply), flush=True)
        if reply["type"] in ("plan_result", "error") and reply["id"] == plan_id:
            return reply
print("hello, I will look around", flush=True)
send({"type": "plan", "id": "p1", "goal": "greet", "actions": [{"cmd": "echo hello"}]})
wait_end("p1")
send({"type": "plan", "id": "p2", "goal": "make a file", "actions": [{"cmd": "touch made.txt"}]})
wait_end("p2")
send({"type": "plan", "id": "p3", "goal": "clean up", "actions": [{"cmd": "rm -rf ./old-build"}]})
wait_end("p3")
send({"type": "plan", "id": "p4", "actions": []})
wait_end("p4")
print("done", flush=True)
"""


def test_scripted_agent_end_to_end(sshd, tmp_path: Path) -> None:
    from helpers.live_broker import edits_touch_denies_rm, live_broker

    script = tmp_path / "agent.py"
    script.write_text(textwrap.dedent(AGENT))
    argv = [sys.executable, "-u", str(script)]
    got = Collector()
    operator = edits_touch_denies_rm("touch edited.txt", "not on a Friday")
    with live_broker(sshd, tmp_path / "sessions", operator, argv) as (broker, recorder):
        show = got.callbacks.on_line

        def on_line(line) -> None:  # what the TUI does too: record, then show
            recorder.agent_line(line.stream, line.kind, line.text)
            show(line)

        got.callbacks.on_line = on_line
        agent = AgentProcess(argv, got.callbacks)
        got.callbacks.on_plan = lambda plan: broker.submit(plan, agent.send)
        agent.start()
        events = got.until_exit(timeout=60)
        log_path = recorder.path
    exit_ = events[-1][1]
    assert exit_.returncode == 0, events
    replies = [
        json.loads(v.text[4:]) for k, v in events if k == "line" and v.text.startswith("got ")
    ]
    by_plan: dict[str, list[dict]] = {}
    for reply in replies:
        by_plan.setdefault(reply["id"], []).append(reply)

    (r1,) = [m for m in by_plan["p1"] if m["type"] == "result"]
    assert r1["stdout"] == "hello\n" and r1["exit_status"] == 0 and not r1["edited"]
    assert by_plan["p1"][-1] == {"type": "plan_result", "id": "p1", "status": "ok", "exit_code": 0}
    (r2,) = [m for m in by_plan["p2"] if m["type"] == "result"]
    assert r2["edited"] and r2["cmd"] == "touch edited.txt" and r2["exit_status"] == 0
    denial = next(m for m in by_plan["p3"] if m["type"] == "decision")
    assert denial["decision"] == "deny" and denial["message"] == "not on a Friday"
    assert by_plan["p3"][-1]["status"] == "refused" and by_plan["p3"][-1]["exit_code"] == 2
    assert by_plan["p4"][-1]["type"] == "error" and by_plan["p4"][-1]["code"] == 5

    folder = log_path if log_path.is_dir() else log_path.parent
    verdict = verify_session(folder, recorder.key)
    assert verdict.ok, verdict.message
    log = list(read_events(folder / "events.jsonl"))
    kinds = [e["type"] for e in log]
    assert kinds[0] == "session_start" and kinds[-2:] == ["session_end", "seal"]
    assert [e["actions"] for e in log if e["type"] == "request"] == [
        ["echo hello"],
        ["touch made.txt"],
        ["rm -rf ./old-build"],
    ]
    approvals = {e["cmd"]: e for e in log if e["type"] == "approval"}
    assert approvals["touch edited.txt"]["by"] == "human"
    assert approvals["touch edited.txt"]["original"] == "touch made.txt"
    (deny,) = [e for e in log if e["type"] == "deny"]
    assert deny["by"] == "human" and deny["message"] == "not on a Friday"
    assert [e["cmd"] for e in log if e["type"] == "exec_start"] == [
        "echo hello",
        "touch edited.txt",
    ]
    assert [e["exit_status"] for e in log if e["type"] == "exec_end"] == [0, 0]
    assert recorded_output(folder)[("x1", "stdout")] == b"hello\n"
    assert {"stream": "stdout", "kind": "chatter", "text": "done"}.items() <= next(
        e for e in log if e["type"] == "agent_line" and e["text"] == "done"
    ).items()
    assert [e["status"] for e in log if e["type"] == "plan_end"] == ["ok", "ok", "refused"]
