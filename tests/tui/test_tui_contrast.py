"""WCAG AA contrast (4.5:1) for every piece of text the broker screen draws, in every
shipped theme and every row state: the real app is rendered, and each text segment's
final foreground and background colours (after Textual resolved the theme, alpha and
the selected row's cursor colours) are measured. Box-drawing characters (borders) are
not text and are left out."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.pilot import until
from helpers.tui_app import EVASION, FrozenEngine, build_app, sample_config, submit
from rich.color import Color as RichColor
from rich.segment import Segment
from textual.color import Color
from textual.widget import Widget
from textual.widgets import RichLog

from aiperm_tui.agent.process import AgentLine
from aiperm_tui.agent.protocol import ProtocolError
from aiperm_tui.tui.themes import load_themes

AA = 4.5
THEMES = sorted(load_themes())


def _color(color: RichColor | None) -> Color | None:
    if color is None or color.triplet is None:
        return None
    return Color(*color.triplet)


def _is_text(text: str) -> bool:
    return any(not ch.isspace() and not 0x2500 <= ord(ch) <= 0x259F for ch in text)


def low_contrast(widget: Widget) -> list[str]:
    """Every text segment of `widget` below AA, as 'text: ratio (fg on bg)'."""
    found = []
    for y in range(widget.size.height):
        for seg in widget.render_line(y):
            assert isinstance(seg, Segment)
            style = seg.style
            if style is None or not _is_text(seg.text):
                continue
            fg, bg = _color(style.color), _color(style.bgcolor)
            if fg is None or bg is None:  # a terminal colour (red, dim…): not the theme's
                found.append(f"{seg.text.strip()!r}: terminal colour {style}")
                continue
            if style.reverse:
                fg, bg = bg, fg
            if style.dim:  # terminals draw dim at about half intensity
                fg = bg.blend(fg, 0.5)
            ratio = _ratio(fg, bg)
            if ratio < AA:
                found.append(f"{seg.text.strip()!r}: {ratio:.2f} ({fg.hex} on {bg.hex})")
    return found


def _ratio(a: Color, b: Color) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def test_the_measure_is_wcags() -> None:
    assert round(_ratio(Color(0, 0, 0), Color(255, 255, 255)), 1) == 21.0
    assert round(_ratio(Color(0x76, 0x76, 0x76), Color(255, 255, 255)), 2) == 4.54


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("focus", ["queue", "output"])  # the selected row, focused or not
async def test_every_text_meets_aa(tmp_path: Path, theme: str, focus: str) -> None:
    app = build_app(tmp_path, config=sample_config(theme=theme), engine_factory=FrozenEngine)
    async with app.run_test(size=(120, 38)) as pilot:
        submit(app, "p1", EVASION, goal="list the data folder")  # typed
        submit(app, "p2", "cp config/app.conf config/app.conf.bak")  # confirm
        submit(app, "p3", "du -sh logs", "rm -rf logs/old")  # ok + typed, a plan
        await until(pilot, lambda: len(app.review.requests) == 3)
        for kind in ("stderr", "notice", "tool_call", "thinking", "system", "chatter"):
            app._on_line(AgentLine("stdout", kind, f"a {kind} line"))  # type: ignore[arg-type]
        app._on_malformed(ProtocolError(4, "p9", "not JSON"), "{oops")
        agent_log = app.agent_pane.query_one("#agent-log", RichLog)
        await until(pilot, lambda: len(agent_log.lines) >= 9)
        if focus == "output":
            app.broker_screen.output.focus()
        await pilot.press("down")  # the cursor on a middle row: rows above and below
        await until(pilot, lambda: app.review.current is not None)
        screen = app.broker_screen
        parts = {
            "queue": screen.review.query_one("#queue"),
            "detail": screen.review.query_one("#detail"),
            "status": screen.status_bar,
            "footer": screen.query_one("Footer"),
            "agent": agent_log,
        }
        failures = {name: low_contrast(w) for name, w in parts.items()}
        assert not any(failures.values()), failures
