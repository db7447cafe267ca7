"""SVG snapshots of the broker screen (pytest-textual-snapshot). Deterministic: a fixed
session id and challenge secret (so the challenge code is fixed), pinned policy decisions
(`FrozenEngine`), no agent, no clock on screen; each picture is taken once the app shows
the state it is about (waited on, never slept for).

Update after an intended change: python -m pytest tests/tui/test_tui_snapshots.py
--snapshot-update, then look at the SVGs in __snapshots__ before committing (e.g.
`rsvg-convert -o x.png FILE.svg`)."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from helpers.pilot import until
from helpers.tui_app import EVASION, FrozenEngine, build_app, sample_config, submit
from textual.pilot import Pilot
from textual.widgets import Input

from aiperm_tui.tui.app import BrokerApp
from aiperm_tui.tui.modals import ChallengeModal, HostKeyModal
from aiperm_tui.tui.themes import load_themes

RunBefore = Callable[[Pilot], Awaitable[None]]

SIZE = (120, 38)
SMALL = (80, 24)  # the smallest terminal the layout is made for


async def _settle(pilot: Pilot, count: int) -> None:
    app: BrokerApp = pilot.app  # type: ignore[assignment]
    await until(pilot, lambda: len(app.review.requests) == count and app.review.current is not None)
    await pilot.pause()


def _review_danger(tmp_path: Path, theme: str = "dark") -> tuple[BrokerApp, RunBefore]:
    app = build_app(tmp_path, config=sample_config(theme=theme), engine_factory=FrozenEngine)

    async def run_before(pilot: Pilot) -> None:
        submit(app, "p7", EVASION, goal="list the data folder")
        submit(app, "p8", "cp config/app.conf config/app.conf.bak", goal="back up the config")
        await _settle(pilot, 2)

    return app, run_before


@pytest.mark.parametrize("theme", sorted(load_themes()))
def test_review_pane_highlights_a_hidden_deletion(snap_compare, tmp_path: Path, theme: str) -> None:
    app, run_before = _review_danger(tmp_path, theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_at_80x24_every_pane_and_key_is_there(snap_compare, tmp_path: Path) -> None:
    app, run_before = _review_danger(tmp_path)
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def _typed_code(tmp_path: Path) -> tuple[BrokerApp, RunBefore]:
    """A typed-level request pending, its code asked for."""
    app = build_app(tmp_path, engine_factory=FrozenEngine, challenge_secret=b"snapshot" * 4)

    async def run_before(pilot: Pilot) -> None:
        submit(app, "p5", "rm -rf logs/old", goal="delete the old rotated logs")
        await _settle(pilot, 1)
        await pilot.press("a")
        await until(
            pilot, lambda: isinstance(app.screen, ChallengeModal) and app.screen.query("#wrong")
        )
        app.screen.query_one(Input).cursor_blink = False  # no blink phase in the picture
        await pilot.pause()

    return app, run_before


def test_typed_confirmation_prompt(snap_compare, tmp_path: Path) -> None:
    app, run_before = _typed_code(tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_at_80x24_the_typed_code_dialog_fits(snap_compare, tmp_path: Path) -> None:
    app, run_before = _typed_code(tmp_path)
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_plan_with_every_action(snap_compare, tmp_path: Path) -> None:
    app = build_app(tmp_path, engine_factory=FrozenEngine)

    async def run_before(pilot: Pilot) -> None:
        submit(
            app,
            "p6",
            "du -sh logs",
            "gzip -kf logs/app.log",
            "truncate -s 0 logs/app.log",
            "rm -rf logs/old",
            goal="compress and rotate the app log",
        )
        await _settle(pilot, 1)

    assert snap_compare(app, terminal_size=(120, 44), run_before=run_before)


def test_history_shows_what_ran_without_asking(snap_compare, tmp_path: Path) -> None:
    app = build_app(tmp_path, engine_factory=FrozenEngine)

    async def run_before(pilot: Pilot) -> None:
        ran = submit(app, "p1", "du -sh logs", goal="how big are the logs")
        submit(app, "p2", "cp config/app.conf config/app.conf.bak", goal="back up the config")
        await until(pilot, lambda: ran.of("plan_result"))
        await _settle(pilot, 1)
        await pilot.press("h")
        await until(pilot, lambda: [r.id for r in app.review.requests] == ["p1"])
        await until(pilot, lambda: app.broker_screen.output.lines_shown >= 3)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_host_key_first_contact(snap_compare, tmp_path: Path) -> None:
    app = build_app(tmp_path, engine_factory=FrozenEngine)

    async def run_before(pilot: Pilot) -> None:
        threading.Thread(
            target=app.deps.prompts.trust_host,
            daemon=True,
            args=(
                "web1.example.com",
                22,
                "ssh-ed25519",
                "SHA256:n32If4GClu5H9sU4Okgbdo2NA+/V9wO3wJOmu+bpYKY",
            ),
        ).start()
        await until(pilot, lambda: isinstance(app.screen, HostKeyModal) and app.screen.armed)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
