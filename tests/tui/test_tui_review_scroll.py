"""Where the review pane's detail is scrolled: the current action is placed for the sizes
as finally laid out, whatever order Textual runs the placing and the layout in."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.audit_key import use_key
from helpers.pilot import until
from helpers.replay_log import KEY, demo_events, write_session
from textual.widgets import Static

from aiperm_tui.replay.recording import Recording
from aiperm_tui.tui.replay import ReplayApp, ReplayScreen
from aiperm_tui.tui.widgets import DetailScroll, ReviewPane


def _first_detail_line(app: ReplayApp) -> str:
    """The detail's top visible line."""
    scroll = app.screen.query_one("#detail-scroll", DetailScroll)
    detail = app.screen.query_one("#detail", Static)
    return detail.render_line(int(scroll.scroll_y)).text.strip()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("placed", ["after the layout", "before the layout"])
async def test_the_current_action_is_placed_for_the_final_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, placed: str
) -> None:
    """The replay snapshot that failed under load: its after-refresh callback ran before
    the layout of the queue and detail it had just filled, so the detail was left at the
    top (its old, empty size) instead of at the action. "before the layout" makes that
    order certain by placing with `call_later`."""
    use_key(monkeypatch, Path.home() / "keys", KEY)
    if placed == "before the layout":
        monkeypatch.setattr(ReviewPane, "call_after_refresh", ReviewPane.call_later)
    app = ReplayApp(
        Recording.open(write_session(tmp_path, demo_events())), autoplay=False, verify=False
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await pilot.press("G")  # the last request: its detail is taller than the pane
        scroll = app.screen.query_one("#detail-scroll", DetailScroll)
        await until(pilot, lambda: scroll.max_scroll_y > 0)
        await pilot.pause()
        assert _first_detail_line(app).startswith("▶ #1 [done] $ rm -rf /var/log/old/*.gz")
