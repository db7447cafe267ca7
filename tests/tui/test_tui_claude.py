"""`aiperm tui -- claude` wiring, with the stand-in `claude` (tests/helpers/fake_claude.py):
the operator talks to the agent from the agent pane, its remote_exec call arrives through
the MCP server and the socket into the review queue, the approval runs it, and claude's
own tool-permission question becomes a modal."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from helpers import fake_claude
from helpers.pilot import until
from helpers.tui_app import build_app
from textual.widgets import Input

from aiperm_tui.tui.app import AgentSpec
from aiperm_tui.tui.modals import ConfirmModal

_until = partial(until, timeout=30.0)

def _agent_text(app: Any) -> str:
    shown = " ".join(line.text for line in app.agent_pane.query_one("#agent-log").lines)
    return " ".join(shown.split())


async def test_claude_through_the_tui(tmp_path: Path) -> None:
    claude = fake_claude.install(tmp_path / "bin")
    app = build_app(tmp_path, agent=AgentSpec([str(claude)], "claude"))
    async with app.run_test(size=(140, 45)) as pilot:
        box = app.agent_pane.query_one("#agent-input", Input)
        await _until(pilot, lambda: box.display and app._agent_state == "running")
        box.focus()
        await pilot.press(*"run web1: systemctl restart nginx", "enter")
        await _until(pilot, lambda: app.review.current is not None)
        plan = app.review.current
        assert plan.source == "socket" and plan.actions[0].cmd == "systemctl restart nginx"
        app.review.focus_queue()
        await pilot.press("a")
        await _until(pilot, lambda: "ran: systemctl restart nginx" in _agent_text(app))
        box.focus()
        await pilot.press(*"ask Write", "enter")
        await _until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("n")
        await _until(pilot, lambda: "permission deny" in _agent_text(app))
