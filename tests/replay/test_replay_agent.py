"""The agent's side is recorded and replayed: a real `aiperm tui -- claude` session (the
stand-in claude of tests/helpers/fake_claude.py) driven with Pilot, then the real replay
app on the log it left: the agent's lines, the operator's messages and the tool
permission prompt with its answer show in the agent pane, in order with the commands."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest
from helpers import fake_claude
from helpers.audit_key import use_key
from helpers.pilot import until
from helpers.session_fixture import KEY
from helpers.tui_app import build_app
from textual.widgets import Input

from aiperm_tui.replay.recording import Recording
from aiperm_tui.session import list_sessions, read_events, verify_session
from aiperm_tui.tui.app import AgentSpec
from aiperm_tui.tui.modals import PermissionModal
from aiperm_tui.tui.replay import ReplayApp, ReplayScreen

_until = partial(until, timeout=30.0)


def _agent_text(app: Any) -> str:
    shown = " ".join(line.text for line in app.agent_pane.query_one("#agent-log").lines)
    return " ".join(shown.split())


async def _record_a_claude_session(tmp_path: Path) -> Path:
    claude = fake_claude.install(tmp_path / "bin")
    app = build_app(tmp_path, agent=AgentSpec([str(claude)], "claude"), session_id=None)
    async with app.run_test(size=(140, 45)) as pilot:
        box = app.agent_pane.query_one("#agent-input", Input)
        await _until(pilot, lambda: box.display and app._agent_state == "running")
        box.focus()
        await pilot.press(*"run web1: systemctl restart nginx", "enter")
        await _until(pilot, lambda: app.review.current is not None)
        app.review.focus_queue()
        await pilot.press("a")
        await _until(pilot, lambda: "ran: systemctl restart nginx" in _agent_text(app))
        box.focus()
        await pilot.press(*"ask Write", "enter")
        await _until(pilot, lambda: isinstance(app.screen, PermissionModal))
        await pilot.press("n")
        await _until(pilot, lambda: "permission deny" in _agent_text(app))
        app.close_session()
    (session,) = list_sessions(tmp_path / "sessions")
    return session.path


@pytest.mark.timeout(90)
async def test_replay_shows_the_agents_side_of_a_recorded_tui_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_key(monkeypatch, Path.home() / "keys", KEY)
    folder = await _record_a_claude_session(tmp_path)
    assert verify_session(folder, KEY).ok
    events = list(read_events(folder))
    kinds = [e["type"] for e in events]
    said = next(e for e in events if e["type"] == "operator_message")
    assert (said["text"], said["delivered"]) == ("run web1: systemctl restart nginx", True)
    asked = next(e for e in events if e["type"] == "permission_request")
    answer = next(e for e in events if e["type"] == "permission_answer")
    assert asked["tool"] == "Write" and (answer["request"], answer["allow"]) == (
        asked["request"],
        False,
    )
    assert answer["message"] == "denied by the operator"  # what the agent was told
    lines = [e for e in events if e["type"] == "agent_line"]
    assert any("ran: systemctl restart nginx" in e["text"] for e in lines)
    assert all({"stream", "kind", "text"} <= e.keys() for e in lines)
    # in time order with the commands: told, then requested, then ran, then asked
    assert (
        kinds.index("operator_message")
        < kinds.index("request")
        < kinds.index("exec_start")
        < kinds.index("permission_request")
        < kinds.index("permission_answer")
    )

    app = ReplayApp(Recording.open(folder), speed=16.0, max_idle=0.05)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        await _until(pilot, lambda: screen.playback.at_end)
        await pilot.pause()
        shown = _agent_text(screen)
        for text in (
            "you: run web1: systemctl restart nginx",
            "ran: systemctl restart nginx",
            "asks to use its tool Write",
            "tool permission denied by the operator",
        ):
            assert text in shown, (text, shown)
        order = [
            shown.index(text)
            for text in (
                "you: run web1: systemctl restart nginx",
                "ran: systemctl restart nginx",
                "asks to use its tool Write",
            )
        ]
        assert order == sorted(order)
        await pilot.press("g")  # back to the start: the pane is rebuilt, empty again
        assert "ran: systemctl restart nginx" not in _agent_text(screen)
        await pilot.press("G")  # and to the end: rebuilt from the log
        assert "ran: systemctl restart nginx" in _agent_text(screen)
