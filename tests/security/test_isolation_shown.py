"""The level in force is shown for the whole session: `off` as "agent not isolated" in
the error colour; the sandboxed agent really runs inside bwrap under the real app."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from helpers.bwrap import needs_bwrap
from helpers.pilot import until
from helpers.tui_app import build_app
from textual.widgets import RichLog

from aiperm_tui.agent.sandbox import SandboxSpec
from aiperm_tui.tui.app import AgentSpec
from aiperm_tui.tui.widgets import StatusBar

SIZE = (140, 30)
# The marker is built at run time: the pane's "started: ..." line shows this source.
AGENT = "import os, time; print('pid' + '-in-agent', os.getpid(), flush=True); time.sleep(60)"


def header(app: object) -> str:
    return str(app.query_one(StatusBar).render())  # type: ignore[attr-defined]


def agent_lines(app: object) -> str:
    log = app.agent_pane.query_one(RichLog)  # type: ignore[attr-defined]
    return "\n".join(strip.text for strip in log.lines)


@pytest.mark.timeout(60)
async def test_off_says_agent_not_isolated(tmp_path: Path) -> None:
    app = build_app(tmp_path, agent=AgentSpec([sys.executable, "-c", AGENT], "jsonl", cwd=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "agent not isolated" in header(app), timeout=30)
        bar = app.query_one(StatusBar).render()
        spans = [str(s.style) for s in bar.spans if "error" in str(s.style)]
        assert spans, "the warning is not in the error colour"
        await pilot.press("q")


@pytest.mark.timeout(60)
@needs_bwrap
async def test_sandboxed_agent_runs_in_its_own_pid_namespace(tmp_path: Path) -> None:
    spec = SandboxSpec(bwrap=shutil.which("bwrap") or "bwrap")
    (tmp_path / "project").mkdir()
    app = build_app(
        tmp_path,
        agent=AgentSpec(
            [sys.executable, "-c", AGENT], "jsonl", cwd=tmp_path / "project", sandbox=spec
        ),
    )
    async with app.run_test(size=SIZE) as pilot:
        shown = re.compile(r"pid-in-agent\s+(\d+)")  # the pane may wrap at the space
        await until(pilot, lambda: shown.search(agent_lines(app)), timeout=30)
        # its own PID namespace: bwrap is 1, then the network relay (docs/network.md), then
        # the agent
        pid = int(shown.search(agent_lines(app)).group(1))  # type: ignore[union-attr]
        assert pid < 10, pid
        assert "isolation sandbox" in header(app)
        assert "not isolated" not in header(app)
        await pilot.press("q")
