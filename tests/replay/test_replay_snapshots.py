"""Snapshots of the Replay screen: mid-session, and with the tamper banner.

Deterministic: the log has fixed times and a fixed session id, playback starts paused
and is moved by keys, and each snapshot waits for the verification worker and for the
panes' batched flush."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.audit_key import use_key
from helpers.replay_log import KEY, demo_events, write_session

from aiperm_tui.replay.recording import Recording
from aiperm_tui.tui.output import OutputPane
from aiperm_tui.tui.replay import ReplayApp
from aiperm_tui.tui.widgets import AgentPane

SIZE = (120, 36)


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    for pane in [*pilot.app.screen.query(AgentPane), *pilot.app.screen.query(OutputPane)]:
        pane.flush()  # what their timers do every few tens of ms: now, not after a sleep
    await pilot.pause()


@pytest.fixture(autouse=True)
def keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    use_key(monkeypatch, Path.home() / "keys", KEY)


def test_replay_snapshot_mid_session(tmp_path: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = ReplayApp(
        Recording.open(write_session(tmp_path, demo_events())), autoplay=False, theme="textual-dark"
    )

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("right_square_bracket", "right_square_bracket", *["n"] * 6)
        await _settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_replay_snapshot_tamper_banner(tmp_path: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    folder = write_session(tmp_path, demo_events())
    output = folder / "output.bin"  # where a command's output is recorded
    output.write_bytes(output.read_bytes().replace(b"removed 3 files", b"removed 0 files"))
    app = ReplayApp(Recording.open(folder), autoplay=False, theme="textual-dark")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("G")
        await _settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
