"""Every transition of the Broker state machine, with the real PolicyEngine and Recorder.

Commands used (ops_safe preset plus the rules in conftest.py):
`echo hi`/`ls` -> allow none (auto-run by rule); `echo plan ...` -> plan level and
`rm -rf old...` -> typed (config rules); `mkdir x` -> action level; `rm -rf /` -> policy
deny.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from helpers.session_fixture import recorded_output
from helpers.waiting import wait_until

from aiperm_tui.broker import BrokerError, WrongCode
from aiperm_tui.session import verify_session


def test_allowed_command_runs_by_rule_and_everything_is_recorded(harness) -> None:
    pid = harness.submit("echo hi")
    view = harness.finish(pid)
    assert (view.status, view.exit_code, view.actions[0].approved_by) == ("ok", 0, "rule")
    decision, result, end = (
        harness.sent("decision"),
        harness.sent("result"),
        harness.sent("plan_result"),
    )
    assert decision[0]["decision"] == "allow" and decision[0]["confirm"] == "none"
    assert result[0]["stdout"] == "hi\n" and result[0]["exit_status"] == 0
    assert result[0]["edited"] is False and result[0]["truncated"] is False
    assert end == [{"type": "plan_result", "id": pid, "status": "ok", "exit_code": 0}]
    kinds = [e["type"] for e in harness.events()]
    assert kinds[:1] == ["session_start"]
    for kind in (
        "request",
        "decision",
        "approval",
        "exec_start",
        "output",
        "exec_end",
        "result_sent",
        "plan_end",
    ):
        assert kind in kinds
    approval = harness.events("approval")[0]
    assert approval["by"] == "rule" and approval["rule"] == "preset:ops_safe"
    assert kinds.index("approval") < kinds.index("exec_start")
    live = verify_session(harness.recorder.path, harness.recorder.key)
    assert live.live and live.events == len(kinds)  # all verify; unsealed until closed
    harness.recorder.close()
    assert verify_session(harness.recorder.path, harness.recorder.key).ok


def test_listener_sees_the_whole_life_of_a_plan(harness) -> None:
    pid = harness.submit("echo hi")
    harness.finish(pid)
    kinds = harness.listener.kinds()
    for a, b in [
        ("exec_started", "output"),
        ("output", "exec_ended"),
        ("exec_ended", "plan_finished"),
    ]:
        assert kinds.index(a) < kinds.index(b)
    (exec_id, plan_id, index, host, cmd) = dict(harness.listener.seen)["exec_started"]
    assert (plan_id, index, host, cmd) == (pid, 0, "web1", "echo hi")
    assert dict(harness.listener.seen)["output"] == (exec_id, "stdout", b"hi\n")


def test_action_level_waits_for_the_human(harness) -> None:
    pid = harness.submit("mkdir made")
    view = harness.broker.plan(pid)
    assert view.state == "pending" and view.actions[0].needs == "action"
    assert harness.sent("decision") == [] and harness.pool.calls == []
    harness.broker.approve(pid, 0)
    assert harness.finish(pid).status == "ok"
    assert (harness.pool.root / "made").is_dir()
    assert harness.events("approval")[0]["by"] == "human"


def test_policy_deny_sends_suggestions_and_runs_nothing(harness) -> None:
    pid = harness.submit("rm -rf /")
    view = harness.finish(pid)
    assert (view.status, view.exit_code) == ("denied", 1)
    (deny,) = harness.sent("decision")
    assert deny["decision"] == "deny" and "suggestions" in deny and deny["message"] is None
    assert harness.pool.calls == []
    assert harness.events("deny")[0]["by"] == "policy"


def test_fail_fast_policy_deny_skips_the_whole_plan(harness) -> None:
    pid = harness.submit("echo a", "rm -rf /", "mkdir x")
    view = harness.finish(pid)
    assert [a.state for a in view.actions] == ["skipped", "denied", "skipped"]
    assert view.exit_code == 1 and harness.pool.calls == []
    reasons = {m["action"]: m["reason"] for m in harness.sent("decision")}
    assert reasons[0].startswith("skipped") and reasons[2].startswith("skipped")


def test_best_effort_runs_around_a_policy_deny(harness) -> None:
    pid = harness.submit("echo a", "rm -rf /", "echo b", strategy="best_effort")
    view = harness.finish(pid)
    assert [a.state for a in view.actions] == ["done", "denied", "done"]
    assert (view.status, view.exit_code) == ("denied", 1)
    assert [r["stdout"] for r in harness.sent("result")] == ["a\n", "b\n"]


def test_fail_fast_stops_at_the_first_failure(harness) -> None:
    pid = harness.submit("echo a", "false", "echo c")
    view = harness.finish(pid)
    assert [a.state for a in view.actions] == ["done", "done", "skipped"]
    assert (view.status, view.exit_code) == ("failed", 6)
    assert [c.cmd for c in harness.pool.calls] == ["echo a", "false"]
    assert harness.sent("decision")[-1]["reason"] == "skipped: an earlier action failed"


def test_best_effort_continues_after_a_failure(harness) -> None:
    pid = harness.submit("false", "echo c", strategy="best_effort")
    view = harness.finish(pid)
    assert [a.state for a in view.actions] == ["done", "done"]
    assert view.status == "failed" and len(harness.pool.calls) == 2


def test_all_confirmations_collected_before_the_first_action_runs(harness) -> None:
    pid = harness.submit("echo first", "mkdir second")
    # echo is allowed, but the plan waits for the mkdir: it was never handed to a worker
    view = harness.broker.plan(pid)
    assert view.state == "pending"
    assert [a.state for a in view.actions] == ["approved", "pending"]
    assert harness.pool.calls == []
    harness.broker.approve(pid, 1)
    harness.finish(pid)
    assert [c.cmd for c in harness.pool.calls] == ["echo first", "mkdir second"]


def test_plan_level_confirmation_once_approves_the_plan_level_actions(harness) -> None:
    pid = harness.submit("echo plan one", "echo plan two", "mkdir three")
    harness.broker.approve(pid, 0)
    view = harness.broker.plan(pid)
    assert [a.state for a in view.actions] == ["approved", "approved", "pending"]
    harness.broker.approve(pid, 2)
    assert harness.finish(pid).status == "ok"


def test_batch_approves_none_and_plan_levels_and_skips_action_and_typed(harness) -> None:
    p1 = harness.submit("echo plan x", plan_id="b1")
    p2 = harness.submit("mkdir y", plan_id="b2")
    p3 = harness.submit("rm -rf old", plan_id="b3")
    assert harness.broker.approve_batch() == 1
    assert harness.finish(p1).status == "ok"
    assert harness.broker.plan(p2).state == "pending"
    assert harness.broker.plan(p3).state == "pending"
    assert harness.events("approval")[0]["by"] == "batch"


def test_typed_confirmation_right_and_wrong(harness) -> None:
    (harness.pool.root / "old").mkdir()
    pid = harness.submit("rm -rf old")
    code = harness.broker.challenge(pid, 0)
    with pytest.raises(WrongCode):
        harness.broker.approve(pid, 0, code="WRONG1")
    with pytest.raises(WrongCode):
        harness.broker.approve(pid, 0)
    assert harness.broker.plan(pid).actions[0].state == "pending"
    assert harness.events("approval") == []
    assert all(code not in str(m) for m in harness.replies)
    harness.broker.approve(pid, 0, code=f" {code.lower()} ")
    assert harness.finish(pid).status == "ok" and not (harness.pool.root / "old").exists()
    assert all(code not in str(m) for m in harness.replies)  # never sent to the agent


def test_edit_that_lowers_risk_is_approved_with_the_original_recorded(harness) -> None:
    pid = harness.submit("mkdir a")
    harness.broker.approve(pid, 0, edited="echo safer")
    view = harness.finish(pid)
    assert view.actions[0].command == "echo safer"
    (result,) = harness.sent("result")
    assert result["cmd"] == "echo safer" and result["edited"] is True
    approval = harness.events("approval")[0]
    assert (approval["cmd"], approval["original"]) == ("echo safer", "mkdir a")
    assert harness.events("result_sent")[0]["edited"] is True


def test_edit_that_raises_risk_needs_confirming_again(harness) -> None:
    pid = harness.submit("mkdir a")
    view = harness.broker.approve(pid, 0, edited="rm -rf olda")
    assert (view.state, view.needs, view.edited) == ("pending", "typed", "rm -rf olda")
    with pytest.raises(WrongCode):
        harness.broker.approve(pid, 0)
    code = harness.broker.challenge(pid, 0)
    harness.broker.approve(pid, 0, code=code)
    harness.finish(pid)
    (approval,) = harness.events("approval")
    assert approval["original"] == "mkdir a" and approval["confirm"] == "typed"
    assert [e["cmd"] for e in harness.events("decision")] == ["mkdir a", "rm -rf olda"]


def test_edit_the_policy_denies_is_refused_and_nothing_changes(harness) -> None:
    pid = harness.submit("mkdir a")
    with pytest.raises(BrokerError, match="denies"):
        harness.broker.approve(pid, 0, edited="rm -rf /")
    view = harness.broker.plan(pid).actions[0]
    assert (view.state, view.edited) == ("pending", None)


def test_deny_with_message_reaches_the_agent_and_fail_fast_runs_nothing(harness) -> None:
    pid = harness.submit("echo first", "mkdir x", "mkdir y")
    harness.broker.deny(pid, 1, "use /srv instead")
    view = harness.finish(pid)
    assert (view.status, view.exit_code) == ("refused", 2)
    assert [a.state for a in view.actions] == ["skipped", "denied", "skipped"]
    deny = next(m for m in harness.sent("decision") if m["action"] == 1)
    assert deny["message"] == "use /srv instead" and deny["decision"] == "deny"
    assert harness.pool.calls == []
    (human,) = [e for e in harness.events("deny") if e["by"] == "human"]
    assert human["message"] == "use /srv instead"


def test_best_effort_deny_runs_the_rest(harness) -> None:
    pid = harness.submit("mkdir x", "mkdir y", strategy="best_effort")
    harness.broker.deny(pid, 0)
    harness.broker.approve(pid, 1)
    view = harness.finish(pid)
    assert [a.state for a in view.actions] == ["denied", "done"]
    assert view.status == "refused"


def test_deny_whole_plan(harness) -> None:
    pid = harness.submit("mkdir x", "rm -rf old", strategy="best_effort")
    harness.broker.deny(pid)
    assert [a.state for a in harness.finish(pid).actions] == ["denied", "denied"]


def test_remember_persists_a_rule_and_later_requests_are_approved_by_it(harness) -> None:
    pid = harness.submit("mkdir cache")
    harness.broker.remember(pid, 0)
    harness.finish(pid)
    path = Path(harness.config.path).with_name("remembered.toml")
    assert 'pattern = "mkdir cache"' in path.read_text()
    again = harness.submit("mkdir cache")
    view = harness.finish(again)
    assert view.actions[0].approved_by == "rule"
    rule_events = harness.events("rule_added")
    assert rule_events == [dict(rule_events[0], host="web1", match="exact", pattern="mkdir cache")]
    by_rule = harness.events("approval")[-1]
    assert by_rule["by"] == "rule" and by_rule["rule"].startswith("rule:remembered:")


def test_remember_prefix_and_refusals(harness) -> None:
    pid = harness.submit("mkdir a", "rm -rf old", strategy="best_effort")
    with pytest.raises(BrokerError, match="typed"):
        harness.broker.remember(pid, 1)
    with pytest.raises(Exception, match="does not start"):
        harness.broker.remember(pid, 0, match="prefix", pattern="rm ")
    harness.broker.remember(pid, 0, match="prefix")
    harness.broker.deny(pid, 1)
    harness.finish(pid)
    later = harness.submit("mkdir b")
    assert harness.finish(later).actions[0].approved_by == "rule"


def test_cancel_pending_plan(harness) -> None:
    pid = harness.submit("echo a", "mkdir b")
    harness.broker.cancel(pid)
    view = harness.finish(pid)
    assert [a.state for a in view.actions] == ["cancelled", "cancelled"]
    assert (view.status, view.exit_code) == ("refused", 2) and harness.pool.calls == []


def test_cancel_running_command(harness) -> None:
    pid = harness.submit("sleep 20", "echo after")
    wait_until(lambda: harness.pool.calls, "the command never started")
    exec_id = harness.broker.plan(pid).actions[0].exec_id
    harness.broker.cancel(exec_id=exec_id)
    view = harness.finish(pid)
    assert view.actions[0].result.error == "cancelled"
    assert [a.state for a in view.actions] == ["done", "skipped"]  # fail_fast
    assert harness.sent("result")[0]["error"] == "cancelled"


def test_cancel_whole_running_plan(harness) -> None:
    pid = harness.submit("sleep 20", "echo after", strategy="best_effort")
    wait_until(lambda: harness.pool.calls, "the command never started")
    harness.broker.cancel(pid)
    view = harness.finish(pid)
    assert [a.state for a in view.actions] == ["done", "cancelled"]
    assert len(harness.pool.calls) == 1


def test_one_host_in_order_different_hosts_in_parallel(harness) -> None:
    a = harness.submit("sleep 0.4; echo a1", host="web1")
    b = harness.submit("echo a2", host="web1")
    c = harness.submit("sleep 0.4; echo b1", host="db1")
    for pid in (a, b, c):
        harness.finish(pid)
    calls = {c.cmd: c for c in harness.pool.calls}
    assert calls["echo a2"].start >= calls["sleep 0.4; echo a1"].end  # same host: in turn
    assert calls["sleep 0.4; echo b1"].start < calls["sleep 0.4; echo a1"].end  # parallel


def test_output_capped_for_the_agent_but_recorded_whole(harness) -> None:
    pid = harness.submit("head -c 200000 /dev/zero | tr '\\0' x")
    harness.finish(pid)
    (result,) = harness.sent("result")
    assert result["truncated"] is True and len(result["stdout"]) < 70 * 1024
    (recorded,) = recorded_output(harness.recorder.path).values()
    assert recorded == b"x" * 200000


def test_connection_failure_is_a_failed_result_with_its_code(harness) -> None:
    from aiperm_tui.errors import ExecError, SecurityError

    harness.pool.fail_hosts["web1"] = ExecError("connection refused")
    harness.pool.fail_hosts["db1"] = SecurityError("host key changed")
    pid = harness.submit("echo a", host="web1")
    other = harness.submit("echo a", host="db1")
    assert harness.finish(pid).exit_code == 6
    assert harness.finish(other).exit_code == 5
    assert harness.sent("result", pid)[0]["error"] == "connection refused"
    assert any(k == "error" for k in harness.listener.kinds())


def test_request_refusals_get_an_error_reply(harness) -> None:
    assert harness.submit("echo a", host="nowhere") is None
    assert harness.submit("echo a", plan_id="dup") == "dup"
    assert harness.submit("echo b", plan_id="dup") is None
    errors = harness.sent("error")
    assert [e["code"] for e in errors] == [5, 5]
    assert "unknown host" in errors[0]["message"] and errors[1]["id"] == "dup"
    assert len(harness.events("error")) == 2


def test_operations_on_unknown_or_settled_actions_fail_cleanly(harness) -> None:
    pid = harness.submit("echo a")
    harness.finish(pid)
    with pytest.raises(BrokerError):
        harness.broker.approve(pid, 0)
    with pytest.raises(BrokerError):
        harness.broker.approve("nope", 0)
    with pytest.raises(BrokerError):
        harness.broker.deny(pid, 5)
    with pytest.raises(BrokerError):
        harness.broker.cancel(pid)


def test_ids_are_assigned_when_missing(harness) -> None:
    first, second = harness.submit("echo a"), harness.submit("echo b")
    assert first and second and first != second


def test_preview_runs_readonly_probes_and_records_them(harness) -> None:
    old = harness.pool.root / "old"
    old.mkdir()
    for i in range(3):
        (old / f"f{i}").write_text("x" * 1000)
    pid = harness.submit("rm -rf old")
    text = harness.broker.preview(pid, 0)
    assert "du -sh -- old" in text and "\n4\n" in text  # 3 files + the folder
    assert old.exists()  # the command itself did not run
    assert harness.broker.plan(pid).actions[0].preview == text
    (event,) = harness.events("preview")
    assert event["probes"][0] == "du -sh -- old" and event["output"] == text


def test_preview_for_a_harmless_command_runs_nothing(harness) -> None:
    pid = harness.submit("mkdir a")
    assert "no impact preview" in harness.broker.preview(pid, 0)
    assert harness.pool.calls == []


def test_shutdown_cancels_pending_and_refuses_new_requests(harness) -> None:
    pid = harness.submit("mkdir a")
    harness.broker.shutdown()
    assert harness.finish(pid).status == "refused"
    assert harness.submit("echo a") is None
    assert harness.sent("error")[-1]["code"] == 5


def test_a_failing_reply_or_listener_does_not_stop_execution(harness) -> None:
    from aiperm_tui.agent import protocol

    def broken(message: dict) -> None:
        raise BrokenPipeError

    harness.listener.output = lambda *a: (_ for _ in ()).throw(RuntimeError("ui bug"))
    plan = protocol.parse_plan({"actions": [{"cmd": "echo a"}]})
    pid = harness.broker.submit(plan, broken)
    assert harness.finish(pid).status == "ok"
    assert any("listener failed" in e["message"] for e in harness.events("error"))


def test_concurrent_approvals_run_each_action_exactly_once(harness) -> None:
    pids = [harness.submit("echo plan z", plan_id=f"c{i}") for i in range(20)]
    threads = [threading.Thread(target=harness.broker.approve_batch) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for pid in pids:
        harness.finish(pid)
    assert len(harness.pool.calls) == 20
    assert len(harness.events("approval")) == 20
