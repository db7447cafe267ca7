"""SVG snapshots of the broker screen (pytest-textual-snapshot). Deterministic: a fixed
session id and challenge secret (so the challenge code is fixed), pinned policy decisions
(`FrozenEngine`), no agent, no clock on screen.

Update after an intended change: python -m pytest tests/tui/test_tui_snapshots.py
--snapshot-update, then look at the SVGs in __snapshots__ before committing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from helpers.tui_app import EVASION, FrozenEngine, build_app, sample_config, submit
from textual.pilot import Pilot
from textual.widgets import Input

from aiperm_tui.tui.app import BrokerApp
from aiperm_tui.tui.modals import ChallengeModal

RunBefore = Callable[[Pilot], Awaitable[None]]

SIZE = (120, 38)


async def _settle(pilot: Pilot, count: int) -> None:
    app = pilot.app
    while len(app.review.requests) < count:  # type: ignore[attr-defined]
        await pilot.pause(0.02)
    await pilot.pause(0.1)


def _review_danger(tmp_path: Path, theme: str = "dark") -> tuple[BrokerApp, RunBefore]:
    app = build_app(tmp_path, config=sample_config(theme=theme), engine_factory=FrozenEngine)

    async def run_before(pilot: Pilot) -> None:
        submit(app, "p7", EVASION, goal="list the data folder")
        submit(app, "p8", "cp config/app.conf config/app.conf.bak", goal="back up the config")
        await _settle(pilot, 2)

    return app, run_before


def test_review_pane_highlights_a_hidden_deletion(snap_compare, tmp_path: Path) -> None:
    app, run_before = _review_danger(tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_light_theme(snap_compare, tmp_path: Path) -> None:
    app, run_before = _review_danger(tmp_path, "light")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_high_contrast_theme(snap_compare, tmp_path: Path) -> None:
    app, run_before = _review_danger(tmp_path, "high-contrast")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_typed_confirmation_prompt(snap_compare, tmp_path: Path) -> None:
    app = build_app(tmp_path, engine_factory=FrozenEngine, challenge_secret=b"snapshot" * 4)

    async def run_before(pilot: Pilot) -> None:
        submit(app, "p5", "rm -rf logs/old", goal="delete the old rotated logs")
        await _settle(pilot, 1)
        await pilot.press("a")
        while not (isinstance(app.screen, ChallengeModal) and app.screen.query("#wrong")):
            await pilot.pause(0.02)
        app.screen.query_one(Input).cursor_blink = False  # no blink phase in the picture
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_plan_with_every_action(snap_compare, tmp_path: Path) -> None:
    app = build_app(tmp_path, engine_factory=FrozenEngine)

    async def run_before(pilot: Pilot) -> None:
        submit(app, "p6", "du -sh logs", "gzip -kf logs/app.log", "truncate -s 0 logs/app.log",
               "rm -rf logs/old", goal="compress and rotate the app log")
        await _settle(pilot, 1)

    assert snap_compare(app, terminal_size=(120, 44), run_before=run_before)
