"""End to end: `aiperm demo`'s world (embedded SSH server, sandbox, scripted agent
subprocess) driven by key presses through the whole tour; then the sandbox shows exactly
what was approved, the session log verifies and its events match what happened."""

from __future__ import annotations

from pathlib import Path

from helpers.pilot import until
from textual.pilot import Pilot

from aiperm_tui.demo.sandbox import start_demo_world
from aiperm_tui.session import load_audit_key, read_events, verify_session
from aiperm_tui.tui.app import AgentSpec, BrokerApp, make_app
from aiperm_tui.tui.modals import ChallengeModal, DenyMessageModal


async def wait_for(pilot: Pilot, app: BrokerApp, plan_id: str, timeout: float = 20) -> None:
    """Until `plan_id` is the request under review."""
    await until(pilot, lambda: app.review.current and app.review.current.id == plan_id, timeout)


async def finished(pilot: Pilot, app: BrokerApp, plan_id: str, timeout: float = 20) -> str:
    await until(pilot, lambda: app.broker.plan(plan_id).state == "finished", timeout)
    return str(app.broker.plan(plan_id).status)


async def typed(pilot: Pilot, app: BrokerApp, plan_id: str, index: int) -> None:
    code = app.broker.challenge(plan_id, index)
    await pilot.press("a")
    await until(pilot, lambda: isinstance(app.screen, ChallengeModal))
    await pilot.press(*str(code), "enter")


async def test_the_demo_tour_end_to_end(tmp_path: Path) -> None:
    with start_demo_world(tmp_path) as world:
        app = make_app(
            world.config(),
            AgentSpec(world.agent_argv(0.0), "jsonl"),
            known_hosts=world.known_hosts,
            recorder_root=tmp_path / "sessions",
        )
        async with app.run_test(size=(140, 45)) as pilot:
            await wait_for(pilot, app, "p1")
            await until(pilot, lambda: len(app.review.requests) >= 3)
            await pilot.press("A")  # the three reads, in one go
            assert [await finished(pilot, app, p) for p in ("p1", "p2", "p3")] == ["ok"] * 3
            await wait_for(pilot, app, "p4")
            await pilot.press("a")  # routine change
            assert await finished(pilot, app, "p4") == "ok"
            await wait_for(pilot, app, "p5")
            await typed(pilot, app, "p5", 0)  # rm -rf logs/old
            assert await finished(pilot, app, "p5") == "ok"
            await wait_for(pilot, app, "p6")  # the plan: du runs by rule, two need a
            await pilot.press("a")
            await until(pilot, lambda: len(app.broker.plan("p6").awaiting) == 1)
            await pilot.press("a")
            assert await finished(pilot, app, "p6") == "ok"
            await wait_for(pilot, app, "p7")  # the evasion
            await pilot.press("D")
            await until(pilot, lambda: isinstance(app.screen, DenyMessageModal))
            await pilot.press(*"no hidden deletions", "enter")
            assert await finished(pilot, app, "p7") == "refused"
            await wait_for(pilot, app, "p8")  # the honest retry
            await pilot.press("a")
            assert await finished(pilot, app, "p8") == "ok"
            await wait_for(pilot, app, "p9")  # sudo in a sandbox: fails
            await pilot.press("a")
            assert await finished(pilot, app, "p9") == "failed"
            await until(pilot, lambda: app._agent_state == "exited", 20)
            shown = " ".join(line.text for line in app.agent_pane.query_one("#agent-log").lines)
            assert "not approved: no hidden deletions" in " ".join(shown.split())
            await pilot.press("q")
            await until(pilot, lambda: not app.is_running)
        sandbox = world.sandbox
        assert not (sandbox / "logs" / "old").exists()
        assert (sandbox / "data" / "users.csv").exists()  # the evasion never ran
        assert (sandbox / "config" / "app.conf.bak").exists()
        assert (sandbox / "logs" / "app.log.gz").exists()
        assert (sandbox / "logs" / "app.log").stat().st_size == 0
        path = app.deps.recorder.path

    result = verify_session(path, load_audit_key(allow_ephemeral=False))
    assert result.ok, result.message
    events = list(read_events(path))
    ran = [e["cmd"] for e in events if e["type"] == "exec_start"]
    assert "ls $(rm -rf data; echo data)" not in ran and "rm -rf logs/old" in ran
    approvals = {(e["id"], e["by"]) for e in events if e["type"] == "approval"}
    assert {("p1", "batch"), ("p4", "human"), ("p6", "rule")} <= approvals
    deny = next(e for e in events if e["type"] == "deny" and e["id"] == "p7")
    assert deny["by"] == "human" and deny["message"] == "no hidden deletions"
    ends = {e["id"]: e["status"] for e in events if e["type"] == "plan_end"}
    assert ends == {
        "p1": "ok",
        "p2": "ok",
        "p3": "ok",
        "p4": "ok",
        "p5": "ok",
        "p6": "ok",
        "p7": "refused",
        "p8": "ok",
        "p9": "failed",
    }
    assert [e["type"] for e in events[-2:]] == ["session_end", "seal"]
