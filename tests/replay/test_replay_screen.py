"""The Replay screen driven by Pilot: playback, pause, step, jumps, timeline clicks, the
tamper banner and the session picker, on sealed logs in the recorder's format."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.audit_key import use_key
from helpers.pilot import until
from helpers.replay_log import KEY, demo_events, write_session
from textual.widgets import OptionList, Static

from aiperm_tui.replay.recording import Recording
from aiperm_tui.tui.output import OutputPane
from aiperm_tui.tui.replay import ReplayApp, ReplayScreen, Timeline
from aiperm_tui.tui.replay_picker import SessionPicker

SIZE = (120, 40)


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    use_key(monkeypatch, Path.home() / "keys", KEY)


def _app(folder: Path, **options: object) -> ReplayApp:
    return ReplayApp(Recording.open(folder), **options)  # type: ignore[arg-type]


def _output_text(screen: ReplayScreen) -> str:
    pane = screen.query_one(OutputPane)
    pane.flush()
    return "\n".join(pane.lines)


async def test_replay_plays_to_the_end_with_capped_idle(tmp_path: Path, keyed: None) -> None:
    app = _app(write_session(tmp_path, demo_events()), speed=16.0, max_idle=0.2)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        # 31 s recorded, the 26 s idle gap capped: at 16x well under a second (the cap
        # itself is held without a clock in test_replay_core; this deadline is not it).
        await until(pilot, lambda: screen.playback.at_end)
        assert screen.scene.end is not None and not screen.playback.playing
        text = _output_text(screen)
        assert "━━ x1 @web1 $ df -h /" in text and "/dev/sda1 40G 39G 1G" in text
        assert "removed 3 files" in text
        await until(pilot, lambda: screen.integrity is not None)
        assert screen.integrity.ok and not screen.has_class("-unverified")


async def test_replay_pause_holds_the_cursor(tmp_path: Path, keyed: None) -> None:
    app = _app(write_session(tmp_path, demo_events()), speed=0.25)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.playback.cursor >= 1)
        await pilot.press("space")
        held = screen.playback.cursor
        assert not screen.playback.playing
        await pilot.pause(0.6)  # the next event was due after 2 s at 0.25x; paused: never
        assert screen.playback.cursor == held
        await pilot.press("space")
        assert screen.playback.playing


async def test_replay_steps_forward_and_back(tmp_path: Path, keyed: None) -> None:
    app = _app(write_session(tmp_path, demo_events()), autoplay=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("n", "n", "right")
        assert screen.playback.cursor == 3
        assert [t for _, t in screen.scene.agent] == ["Looking at the disk usage"]
        assert screen.scene.request is not None and screen.scene.request.id == "p1"
        await pilot.press("N", "left")  # back twice: rebuilt, the request is gone again
        assert screen.playback.cursor == 1 and screen.scene.request is None
        assert screen.scene.start["preset"] == "ops_safe"


async def test_replay_jumps_between_requests_and_ends(tmp_path: Path, keyed: None) -> None:
    app = _app(write_session(tmp_path, demo_events()), autoplay=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("right_square_bracket")
        assert screen.playback.cursor == 3 and screen.scene.request.id == "p1"
        await pilot.press("right_square_bracket")
        assert screen.playback.cursor == 12 and screen.scene.request.id == "p2"
        await pilot.press("G")
        assert screen.playback.at_end
        p2 = screen.scene.requests["p2"]
        assert [a.status for a in p2.actions] == ["done", "denied"]
        decided = str(screen.query_one("#decided", Static).render())
        assert "approved by human" in decided and "denied by policy" in decided
        assert "[-/var/log/old-]{+/var/log/old/*.gz+}" in decided
        await pilot.press("left_square_bracket")
        assert screen.playback.cursor == 12
        await pilot.press("g")
        assert screen.playback.cursor == 0 and not screen.scene.requests
        await pilot.press("plus", "plus", "minus")
        assert screen.playback.speed == 2.0


async def test_replay_timeline_click_jumps(tmp_path: Path, keyed: None) -> None:
    app = _app(write_session(tmp_path, demo_events()), autoplay=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        timeline = screen.query_one(Timeline)
        width = timeline.content_region.width
        await pilot.click(Timeline, offset=(1 + width - 1, 0))
        assert screen.playback.at_end
        await pilot.click(Timeline, offset=(1 + width // 2, 0))
        assert abs(screen.playback.cursor - screen.playback.total / 2) <= 1
        assert screen.scene.request is not None


async def test_replay_tamper_banner_names_the_event(tmp_path: Path, keyed: None) -> None:
    folder = write_session(tmp_path, demo_events())
    log = folder / "events.jsonl"
    log.write_bytes(log.read_bytes().replace(b"never the root", b"sure, go ahead"))
    app = _app(folder, speed=16.0, max_idle=0.1)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.integrity is not None)
        assert screen.has_class("-unverified")
        banner = str(screen.query_one("#banner", Static).render())
        assert "UNVERIFIED" in banner and "seq 16" in banner and "from event 16 on" in banner
        await until(pilot, lambda: screen.playback.at_end)  # still replays
        assert screen.scene.requests["p2"].actions[1].message == "sure, go ahead"


async def test_replay_banner_for_an_ephemeral_key(tmp_path: Path) -> None:
    app = _app(write_session(tmp_path, demo_events(), ephemeral=True), autoplay=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.integrity is not None)
        assert "ephemeral" in str(screen.query_one("#banner", Static).render())


async def test_replay_torn_log_replays_up_to_the_tear(tmp_path: Path, keyed: None) -> None:
    folder = write_session(
        tmp_path, demo_events()[:6], closed=False, tail=b'{"seq":8,"t":2.4,"ts":"x","type":"out'
    )
    app = _app(folder, autoplay=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("G")
        assert screen.playback.total == 7
        await until(pilot, lambda: screen.integrity is not None)
        assert screen.integrity.ok and screen.integrity.torn_tail
        assert "torn line" in _output_text(screen)


async def test_replay_picker_filters_and_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keyed: None
) -> None:
    root = tmp_path / "data"
    monkeypatch.setenv("AIPERM_DATA_DIR", str(root))
    write_session(root / "sessions", demo_events(), session_id="20260101T120000Z-aaaaaa")
    write_session(root / "sessions", demo_events()[:3], session_id="20260102T120000Z-bbbbbb")
    app = ReplayApp(autoplay=False)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SessionPicker)
        options = app.screen.query_one("#sessions", OptionList)
        assert options.option_count == 2
        assert options.get_option_at_index(0).id.endswith("bbbbbb")  # newest first
        await pilot.press(*"aaaa")
        assert options.option_count == 1
        await pilot.press("enter")
        assert isinstance(app.screen, ReplayScreen)
        assert app.screen.recording.session_id == "20260101T120000Z-aaaaaa"
        picker = app.screen_stack[-2]
        await pilot.press("escape")
        assert app.screen is picker  # back where the user came from, filter kept
        assert options.option_count == 1 and len(app.screen_stack) == 2


async def test_replay_escape_from_a_session_opened_by_name_shows_the_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keyed: None
) -> None:
    root = tmp_path / "data"
    monkeypatch.setenv("AIPERM_DATA_DIR", str(root))
    folder = write_session(root / "sessions", demo_events())
    app = _app(folder, autoplay=False)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, SessionPicker)  # never a blank screen
        assert app.screen.query_one("#sessions", OptionList).option_count == 1
        await pilot.press("escape")  # and Esc on the list quits
        await until(pilot, lambda: not app.is_running)
