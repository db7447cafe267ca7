"""WCAG AA contrast (4.5:1) for every piece of text aiperm draws, in every shipped theme:
the broker screen in each row state, the history, every dialog, the help panel, the
toasts, the replay screen and its session picker.

What is measured is what the running app puts on the terminal: the screen as Textual's
compositor renders it (after the theme, alpha, dim, the modal's veil over the screen
below and the selected row's cursor colours were resolved), cell by cell, never a copy
of the theme table. Box-drawing characters (borders) are not text and are left out.
Under a dialog, only the dialog is measured: the screen behind it is veiled on purpose.
Dialogs are measured armed (an unarmed dialog's greyed buttons are inactive controls,
which WCAG exempts)."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from helpers.audit_key import use_key
from helpers.pilot import until
from helpers.replay_log import KEY, demo_events, write_session
from helpers.tui_app import EVASION, FrozenEngine, build_app, sample_config, submit
from rich.color import Color as RichColor
from rich.segment import Segment
from textual._context import visible_screen_stack
from textual.app import App
from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import Input, OptionList, RichLog
from textual.widgets._toast import Toast

from aiperm_tui.agent.process import AgentLine, PermissionRequest
from aiperm_tui.agent.protocol import ProtocolError
from aiperm_tui.replay.recording import Recording
from aiperm_tui.tui.app import BrokerApp
from aiperm_tui.tui.modals import (
    AipermModal,
    ChallengeModal,
    ConfirmModal,
    DenyMessageModal,
    EditModal,
    ErrorModal,
    HelpModal,
    HostKeyModal,
    PassphraseModal,
    PermissionModal,
    QuitModal,
    RememberModal,
)
from aiperm_tui.tui.replay import ReplayApp, ReplayScreen
from aiperm_tui.tui.replay_picker import SessionPicker
from aiperm_tui.tui.themes import load_themes

AA = 4.5
THEMES = sorted(load_themes())
SIZE = (120, 38)
FINGERPRINT = "SHA256:n32If4GClu5H9sU4Okgbdo2NA+/V9wO3wJOmu+bpYKY"


def _color(color: RichColor | None) -> Color | None:
    if color is None or color.triplet is None:
        return None
    return Color(*color.triplet)


# Marks that are controls, not text (WCAG 1.4.11, not 1.4.3): a radio button's dot,
# drawn in the background's colour when off, and the replay timeline's cursor.
MARKS = {"●"}


def _is_text(text: str) -> bool:
    return any(
        not ch.isspace() and not 0x2500 <= ord(ch) <= 0x259F and ch not in MARKS for ch in text
    )


def _ratio(a: Color, b: Color) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def low_contrast(app: App[object], regions: list[Region] | None = None) -> list[str]:
    """Every text segment below AA in the composited screen (or in `regions` of it), as
    'text: ratio (fg on bg)'."""
    visible_screen_stack.set(app._background_screens)  # what the screen's render blends in
    strips = app.screen._compositor.render_strips()
    found = []
    for region in regions or [app.screen.region]:
        for y in range(region.y, region.bottom):
            for seg in strips[y].crop(region.x, region.right):
                found += _check(seg)
    return found


def _check(seg: Segment) -> list[str]:
    style = seg.style
    if style is None or not _is_text(seg.text):
        return []
    fg, bg = _color(style.color), _color(style.bgcolor)
    if fg is None or bg is None:  # a terminal colour (red, dim…): not the theme's
        return [f"{seg.text.strip()!r}: terminal colour {style}"]
    if style.reverse:
        fg, bg = bg, fg
    if style.dim:  # terminals draw dim at about half intensity
        fg = bg.blend(fg, 0.5)
    ratio = _ratio(fg, bg)
    if ratio < AA:
        return [f"{seg.text.strip()!r}: {ratio:.2f} ({fg.hex} on {bg.hex})"]
    return []


def test_the_measure_is_wcags() -> None:
    assert round(_ratio(Color(0, 0, 0), Color(255, 255, 255)), 1) == 21.0
    assert round(_ratio(Color(0x76, 0x76, 0x76), Color(255, 255, 255)), 2) == 4.54


async def test_a_low_contrast_theme_is_caught(tmp_path: Path) -> None:
    """The measure sees what is drawn: grey on grey fails, in a dialog and on the screen."""
    app = build_app(tmp_path, engine_factory=FrozenEngine)
    async with app.run_test(size=SIZE) as pilot:
        app.register_theme(
            Theme(name="murky", primary="#777777", foreground="#808080", background="#666666")
        )
        app.theme = "murky"
        await pilot.pause()
        assert low_contrast(app)
        app.push_screen(ErrorModal("cannot connect", "web1: connection refused"))
        await until(pilot, lambda: isinstance(app.screen, ErrorModal))
        await pilot.pause()
        failures = low_contrast(app, [_dialog(app)])
        assert any("connection refused" in f for f in failures), failures


# --- the broker screen --------------------------------------------------------------------


async def _busy_broker(app: BrokerApp, pilot: Pilot[int]) -> None:
    """Three requests (typed, confirm, a plan), the agent pane's every kind of line."""
    submit(app, "p1", EVASION, goal="list the data folder")  # typed
    submit(app, "p2", "cp config/app.conf config/app.conf.bak")  # confirm
    submit(app, "p3", "du -sh logs", "rm -rf logs/old")  # ok + typed, a plan
    await until(pilot, lambda: len(app.review.requests) == 3)
    for kind in ("stderr", "notice", "tool_call", "thinking", "system", "chatter"):
        app._on_line(AgentLine("stdout", kind, f"a {kind} line"))  # type: ignore[arg-type]
    app._on_malformed(ProtocolError(4, "p9", "not JSON"), "{oops")
    agent_log = app.agent_pane.query_one("#agent-log", RichLog)
    await until(pilot, lambda: len(agent_log.lines) >= 9)
    app.agent_pane.set_can_talk(True)  # its input line and placeholder (as for Claude)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("focus", ["queue", "output", "agent"])  # where the keyboard is
@pytest.mark.parametrize("row", [0, 1, 2])  # typed; confirm; a plan with its "(+1)"
async def test_every_text_on_the_broker_screen_meets_aa(
    tmp_path: Path, theme: str, focus: str, row: int
) -> None:
    app = build_app(tmp_path, config=sample_config(theme=theme), engine_factory=FrozenEngine)
    async with app.run_test(size=SIZE) as pilot:
        await _busy_broker(app, pilot)
        await pilot.press(*["down"] * row)
        await until(pilot, lambda: app.review.selected == f"p{row + 1}")
        if focus == "output":
            app.broker_screen.output.focus()
        elif focus == "agent":
            app.agent_pane.query_one("#agent-input", Input).focus()
        await pilot.pause()
        assert app.theme == theme
        assert not low_contrast(app)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("row", [0, 1])  # ran without asking; denied
async def test_the_history_meets_aa(tmp_path: Path, theme: str, row: int) -> None:
    app = build_app(tmp_path, config=sample_config(theme=theme), engine_factory=FrozenEngine)
    async with app.run_test(size=SIZE) as pilot:
        ran = submit(app, "p1", "du -sh logs", goal="how big are the logs")  # without asking
        submit(app, "p2", "cp config/app.conf config/app.conf.bak")
        await until(pilot, lambda: ran.of("plan_result"))
        await until(pilot, lambda: app.review.selected == "p2")
        await pilot.press("d")
        await pilot.press("h", "f")  # the history, every request
        await until(pilot, lambda: [r.id for r in app.review.requests] == ["p1", "p2"])
        await pilot.press(*["down"] * row)
        await until(pilot, lambda: app.review.selected == f"p{row + 1}")
        await pilot.pause()
        assert not low_contrast(app)


@pytest.mark.parametrize("theme", THEMES)
async def test_the_toasts_meet_aa(tmp_path: Path, theme: str) -> None:
    app = build_app(tmp_path, config=sample_config(theme=theme), engine_factory=FrozenEngine)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify("closing: cancelling commands", timeout=60)
        app.notify("the agent exited with code 1", severity="warning", timeout=60)
        app.notify("web1: connection refused", title="SSH", severity="error", timeout=60)
        await until(pilot, lambda: len(app.screen.query(Toast)) == 3)
        await pilot.pause()
        assert not low_contrast(app, [toast.region for toast in app.screen.query(Toast)])


# --- every dialog -------------------------------------------------------------------------

Opens = Callable[[BrokerApp, Pilot[int]], Awaitable[None]]


def _dialog(app: App[object]) -> Region:
    """The dialog's box (the veiled screen behind it is not for reading)."""
    box = app.screen.children[0]
    assert isinstance(box, Widget)
    return box.region


async def _on_typed(app: BrokerApp, pilot: Pilot[int], key: str) -> None:
    submit(app, "p5", "rm -rf logs/old", goal="delete the old rotated logs")
    await until(pilot, lambda: app.review.current is not None)
    await pilot.press(key)


async def _challenge(app: BrokerApp, pilot: Pilot[int]) -> None:
    await _on_typed(app, pilot, "a")
    await until(pilot, lambda: isinstance(app.screen, ChallengeModal))
    await pilot.press(*"WRONG", "enter")  # the "not the code" line too
    await until(pilot, lambda: isinstance(app.screen, ChallengeModal) and app.screen.tries == 1)


async def _edit(app: BrokerApp, pilot: Pilot[int]) -> None:
    await _on_typed(app, pilot, "e")


async def _deny_message(app: BrokerApp, pilot: Pilot[int]) -> None:
    await _on_typed(app, pilot, "D")


async def _remember(app: BrokerApp, pilot: Pilot[int]) -> None:
    await _on_typed(app, pilot, "r")


async def _quit(app: BrokerApp, pilot: Pilot[int]) -> None:
    await _on_typed(app, pilot, "q")


async def _help(app: BrokerApp, pilot: Pilot[int]) -> None:
    await pilot.press("question_mark")


async def _host_key(app: BrokerApp, pilot: Pilot[int]) -> None:
    args = ("web1.example.com", 22, "ssh-ed25519", FINGERPRINT)
    threading.Thread(target=app.deps.prompts.trust_host, args=args, daemon=True).start()
    await until(pilot, lambda: isinstance(app.screen, HostKeyModal) and app.screen.armed)
    await pilot.click("#remember")  # the check box and its message
    await until(pilot, lambda: app.screen.query_one("#check", Input).has_focus)
    remember = app.screen.query_one("#remember")
    await until(pilot, lambda: not remember.has_class("-active"))  # the press's flash


async def _passphrase(app: BrokerApp, pilot: Pilot[int]) -> None:
    threading.Thread(
        target=app.deps.prompts.passphrase, args=("~/.ssh/id_ed25519",), daemon=True
    ).start()


async def _permission(app: BrokerApp, pilot: Pilot[int]) -> None:
    request = PermissionRequest(
        "t1",
        "Write",
        {"file_path": "/srv/app/notes.md", "content": "# notes\nline two\n"},
        "Claude wants to write a file",
    )
    threading.Thread(target=app._on_permission, args=(request,), daemon=True).start()


async def _confirm(app: BrokerApp, pilot: Pilot[int]) -> None:
    app.push_screen(ConfirmModal("The edit raised the risk", "from 0 to 70: approve it?"))


async def _error(app: BrokerApp, pilot: Pilot[int]) -> None:
    app.push_screen(ErrorModal("The agent could not start", "claude: command not found"))


DIALOGS: dict[str, tuple[type[AipermModal], Opens]] = {
    "challenge": (ChallengeModal, _challenge),
    "edit": (EditModal, _edit),
    "deny-message": (DenyMessageModal, _deny_message),
    "remember": (RememberModal, _remember),
    "quit": (QuitModal, _quit),
    "help": (HelpModal, _help),
    "host-key": (HostKeyModal, _host_key),
    "passphrase": (PassphraseModal, _passphrase),
    "permission": (PermissionModal, _permission),
    "confirm": (ConfirmModal, _confirm),
    "error": (ErrorModal, _error),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(
    ("dialog", "size"),
    [*((name, SIZE) for name in sorted(DIALOGS)), ("host-key", (80, 24))],  # its short look
)
async def test_every_dialog_meets_aa(
    tmp_path: Path, theme: str, dialog: str, size: tuple[int, int]
) -> None:
    kind, open_it = DIALOGS[dialog]
    app = build_app(
        tmp_path,
        config=sample_config(theme=theme),
        engine_factory=FrozenEngine,
        challenge_secret=b"contrast" * 4,
    )
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: app.review.is_attached)
        await open_it(app, pilot)
        await until(pilot, lambda: isinstance(app.screen, kind) and app.screen.armed)
        await pilot.pause()
        assert not low_contrast(app, [_dialog(app)])
        app.screen.dismiss(kind.CANCEL_RESULT)  # a worker thread waiting on it goes home


# --- aiperm replay ------------------------------------------------------------------------


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_key(monkeypatch, tmp_path / "keys", KEY)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("tampered", [False, True], ids=["verified", "tampered"])
async def test_the_replay_screen_meets_aa(
    tmp_path: Path, keyed: None, theme: str, tampered: bool
) -> None:
    folder = write_session(tmp_path, demo_events())
    if tampered:  # the red banner
        output = folder / "output.bin"
        output.write_bytes(output.read_bytes().replace(b"removed 3 files", b"removed 0 files"))
    app = ReplayApp(Recording.open(folder), autoplay=False, theme=theme)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await pilot.press("right_square_bracket", "right_square_bracket", *["n"] * 6)
        await app.workers.wait_for_complete()  # the verification's answer is on screen
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        await until(pilot, lambda: screen.has_class("-unverified") == tampered)
        await pilot.pause()
        assert not low_contrast(app)


@pytest.mark.parametrize("theme", THEMES)
async def test_the_session_picker_meets_aa(
    tmp_path: Path, keyed: None, monkeypatch: pytest.MonkeyPatch, theme: str
) -> None:
    root = tmp_path / "data"
    monkeypatch.setenv("AIPERM_DATA_DIR", str(root))
    write_session(root / "sessions", demo_events(), session_id="20260101T120000Z-aaaaaa")
    write_session(root / "sessions", demo_events()[:3], session_id="20260102T120000Z-bbbbbb")
    app = ReplayApp(autoplay=False, theme=theme)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SessionPicker))
        assert not low_contrast(app)  # the filter's placeholder, the first row highlighted
        await pilot.press("down")  # the list focused: its highlighted row's colours
        await until(pilot, lambda: app.screen.query_one(OptionList).has_focus)
        await pilot.pause()
        assert not low_contrast(app)
