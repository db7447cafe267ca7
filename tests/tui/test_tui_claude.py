"""`aiperm tui -- claude` wiring, with the stand-in `claude` (tests/helpers/fake_claude.py):
the prompt given after the agent's name reaches claude as its first message, the
operator talks to the agent from the agent pane, its remote_exec call arrives through
the MCP server and the socket into the review queue, the approval runs it, and claude's
own tool-permission question becomes a modal showing the tool's path and content."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest
from helpers import fake_claude
from helpers.pilot import until
from helpers.tui_app import build_app
from textual.widgets import Input

from aiperm_tui.tui.app import AgentSpec
from aiperm_tui.tui.modals import PermissionModal

_until = partial(until, timeout=30.0)


def _agent_text(app: Any) -> str:
    shown = " ".join(line.text for line in app.agent_pane.query_one("#agent-log").lines)
    return " ".join(shown.split())


async def test_claude_through_the_tui(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # armed by the test, not by a clock: a loaded machine must not arm it early
    monkeypatch.setattr(PermissionModal, "ARM_SECONDS", 3600.0)
    claude = fake_claude.install(tmp_path / "bin")
    argv = [str(claude), "--model", "opus-test", "check disk space on web1"]
    app = build_app(tmp_path, agent=AgentSpec(argv, "claude"))
    async with app.run_test(size=(140, 45)) as pilot:
        box = app.agent_pane.query_one("#agent-input", Input)
        await _until(pilot, lambda: box.display and app._agent_state == "running")
        # the prompt after the agent's name is claude's first message, not dropped
        await _until(pilot, lambda: "you said: check disk space on web1" in _agent_text(app))
        assert box.has_focus  # a talking agent starts with the keyboard in its input
        await pilot.press(*"run web1: systemctl restart nginx", "enter")
        await _until(pilot, lambda: app.review.current is not None)
        assert box.has_focus  # a request arriving never takes the keyboard
        plan = app.review.current
        assert plan.source == "socket" and plan.actions[0].cmd == "systemctl restart nginx"
        await pilot.press("tab")
        assert app.focused is app.review.query_one("#queue")
        await pilot.press("a")
        await _until(pilot, lambda: "ran: systemctl restart nginx" in _agent_text(app))
        await pilot.press("tab")
        assert box.has_focus
        await pilot.press(*"ask Write: rm -rf / <ESC>]52;c;aGk=", "enter")
        await _until(pilot, lambda: isinstance(app.screen, PermissionModal))
        shown = " ".join(str(s.render()) for s in app.screen.query(".field"))
        assert "file_path: /x" in shown and "content:" in shown and "rm -rf /" in shown
        assert "\x1b" not in shown and "\\e]52" in shown  # escaped, never sent raw
        await pilot.press("y")  # too soon: a modal that can allow opens unarmed
        assert isinstance(app.screen, PermissionModal) and not app.screen.armed
        app.screen._arm()  # what the modal's timer does after ARM_SECONDS
        await pilot.press("n")
        await _until(pilot, lambda: "permission deny" in _agent_text(app))
