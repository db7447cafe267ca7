"""`aiperm demo` never refuses: its scripted agent runs in the sandbox where bwrap works,
and without one (said on stderr) where it does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.bwrap import needs_bwrap
from helpers.pilot import until

from aiperm_tui.cli.tui import _demo_sandbox
from aiperm_tui.demo.sandbox import start_demo_world
from aiperm_tui.tui.app import AgentSpec, make_app
from aiperm_tui.tui.widgets import StatusBar


def test_demo_says_which_level(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap here
    assert _demo_sandbox() is None
    assert capsys.readouterr().err.startswith(
        "aiperm demo: the demo agent runs without a sandbox (cannot isolate the agent: "
        "bwrap not found"
    )


@pytest.mark.timeout(60)
@needs_bwrap
async def test_demo_agent_works_in_the_sandbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _demo_sandbox()
    assert spec is not None
    assert capsys.readouterr().err == "aiperm demo: the demo agent runs in the bubblewrap sandbox\n"
    project = tmp_path / "agent"
    project.mkdir()
    with start_demo_world(tmp_path) as world:
        agent = AgentSpec(world.agent_argv(0.0), "jsonl", cwd=project, sandbox=spec)
        app = make_app(
            world.config(),
            agent,
            known_hosts=world.known_hosts,
            recorder_root=tmp_path / "sessions",
        )
        async with app.run_test(size=(140, 45)) as pilot:
            await until(pilot, lambda: app.review.requests)  # the sandboxed agent's first plan
            assert "isolation sandbox" in str(app.query_one(StatusBar).render())
            await pilot.press("q")
