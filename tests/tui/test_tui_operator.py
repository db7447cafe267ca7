"""The operator's day on the real app: the keymap (checked, remapped, in the help), the
"ran without asking" history, `q` under a failing teardown, failing workers said aloud,
and the ctrl+c hint as plain text."""

from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from helpers.audit_key import use_key
from helpers.pilot import screen_text, until, wait_for
from helpers.replay_log import KEY, demo_events, write_session
from helpers.tui_app import build_app, open_dialog, sample_config, submit
from textual.widgets import Button, Input, TextArea
from textual.widgets._toast import Toast

from aiperm_tui.cli import main
from aiperm_tui.errors import ConfigError
from aiperm_tui.replay.recording import Recording
from aiperm_tui.session import read_events
from aiperm_tui.tui.app import BrokerApp
from aiperm_tui.tui.modals import (
    ChallengeModal,
    ConfirmModal,
    EditModal,
    HelpModal,
    PermissionModal,
)
from aiperm_tui.tui.replay import ReplayApp

SIZE = (140, 45)


def _toasts(app: BrokerApp) -> list[str]:
    """The toasts on screen, as the operator reads them (the app runs with notifications
    shown, so a toast that would not render fails the test)."""
    return [str(toast.render()) for toast in app.screen.query(Toast)]


def _detail(app: BrokerApp) -> str:
    return str(app.review.query_one("#detail").render())


@pytest.mark.parametrize(
    ("keymap", "error"),
    [
        ({"review.aprove": "y"}, "keymap.review.aprove: unknown binding id"),
        (
            {"review.approve": "ctrl+shft+a"},
            "keymap.review.approve: 'ctrl+shft+a': unknown modifier 'shft'",
        ),
        ({"review.approve": "enterr"}, "unknown key name 'enterr'"),
        ({"review.approve": "d"}, "key 'd' is bound to both review.approve and review.deny"),
        ({"review.deny": "q"}, "key 'q' is bound to both review.deny and app.quit"),
    ],
)
def test_keymap_mistakes_name_the_entry(tmp_path: Path, keymap: dict[str, str], error: str) -> None:
    with pytest.raises(ConfigError) as raised:
        build_app(tmp_path, config=sample_config(keymap=keymap))
    assert error in str(raised.value)


@pytest.mark.timeout(30)  # a keymap let through starts the real app, which waits for keys
def test_keymap_typo_from_the_cli_is_one_line_and_exit_5(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'default_host = "web1"\n[hosts.web1]\nhostname = "192.0.2.1"\n'
        '[keymap]\n"review.aprove" = "y"\n'
    )
    python = shutil.which(os.path.basename(sys.executable)) or sys.executable
    assert main(["tui", "--config", str(config), "--", python]) == 5
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "keymap.review.aprove" in err


async def test_a_remapped_key_acts_and_the_help_shows_it(tmp_path: Path) -> None:
    app = build_app(tmp_path, config=sample_config(keymap={"review.approve": "y"}))
    async with app.run_test(size=SIZE) as pilot:
        replies = submit(app, "p1", "cp config/app.conf config/app.conf.bak")
        await until(pilot, lambda: app.review.current is not None)
        await pilot.press("a")  # the old key does nothing now
        assert app.broker.plan("p1").awaiting
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpModal))
        rows = dict((what, keys) for keys, what in app.screen.rows)
        approve = next(k for w, k in rows.items() if w.startswith("approve the selected"))
        assert approve == "y"
        assert any("ran without asking" in w for w in rows)  # history is documented
        await pilot.press("escape")
        await pilot.press("y")
        await until(pilot, lambda: replies.of("plan_result"))


async def test_keys_typed_to_the_agent_are_text_and_the_panes_say_where_keys_go(
    tmp_path: Path,
) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.agent_pane.set_can_talk(True)  # the input line a talking agent (Claude) has
        replies = submit(app, "p1", "cp config/app.conf config/app.conf.bak")
        await until(pilot, lambda: app.review.current is not None)
        queue = app.review.query_one("#queue")
        box = app.agent_pane.query_one("#agent-input", Input)
        assert app.focused is queue and "keys act here" in app.review.border_subtitle
        await pilot.press("tab")
        await until(pilot, lambda: box.has_focus)
        assert "typing to the agent" in app.agent_pane.border_subtitle
        assert not app.review.border_subtitle
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "Approve" not in footer and "Deny" not in footer
        await pilot.press(*"adeAr")  # review keys are letters here: text, never a decision
        assert box.value == "adeAr"
        assert app.broker.plan("p1").awaiting and not replies.messages
        assert isinstance(app.screen, type(app.broker_screen))  # no dialog opened either
        submit(app, "p2", "cp config/app.conf config/app.conf.bak")
        await until(pilot, lambda: len(app.review.requests) == 2)
        assert box.has_focus  # a request arriving never takes the keyboard
        await pilot.press("tab")
        await until(pilot, lambda: app.focused is queue)
        assert "keys act here" in app.review.border_subtitle and not app.agent_pane.border_subtitle
        await until(pilot, lambda: "Approve" in screen_text(app).splitlines()[-1])
        await pilot.press("a")
        await until(pilot, lambda: replies.of("plan_result"))


async def test_what_ran_without_asking_is_in_the_history(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        read = submit(app, "p1", "df -h .", goal="disk space")  # ops_safe: runs by preset
        submit(app, "p2", "cp config/app.conf config/app.conf.bak")
        await until(pilot, lambda: read.of("plan_result") and app.review.requests)
        assert [r.id for r in app.review.requests] == ["p2"]  # the queue: what waits
        await until(pilot, lambda: "unasked 1" in str(app.query_one("#status").render()))
        await pilot.press("h")
        await until(pilot, lambda: [r.id for r in app.review.requests] == ["p1"])
        assert "a" not in app.screen.active_bindings  # no approving from the history
        row = str(app.review.query_one("#queue").get_option_at_index(0).prompt)
        assert "[rule preset:ops_safe]" in row and "→ ok" in row
        assert "ran without asking: allowed by preset:ops_safe" in _detail(app)
        await pilot.press("f")  # unasked → all
        await pilot.press("f")  # → operator: nothing was approved by hand yet
        await until(pilot, lambda: not app.review.requests)
        await pilot.press("h")
        await until(pilot, lambda: [r.id for r in app.review.requests] == ["p2"])
    approvals = [e for e in read_events(app.deps.recorder.path) if e["type"] == "approval"]
    assert [(e["id"], e["by"], e["rule"]) for e in approvals] == [
        ("p1", "rule", "preset:ops_safe")
    ]  # what replay shows it from


async def test_replay_shows_what_ran_without_asking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = demo_events()
    for _, kind, payload in events:  # p1's read ran by the preset, as the broker records it
        if kind == "approval" and payload["id"] == "p1":
            payload.update(by="rule", rule="preset:ops_safe")
    use_key(monkeypatch, tmp_path / "keys", KEY)
    app = ReplayApp(Recording.open(write_session(tmp_path, events)), autoplay=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", *["n"] * 4)  # p1, then its approval
        await until(pilot, lambda: "ran without asking" in screen_text(app))
        shown = screen_text(app)
        assert "ran without asking: allowed by preset:ops_safe" in shown
        assert "approved by rule (preset:ops_safe)" in shown


async def test_q_quits_even_when_closing_the_log_fails(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    recorder = app.deps.recorder
    real_close = recorder.close
    pool_closed: list[bool] = []

    def failing_close(reason: str = "normal") -> None:
        raise OSError(28, "No space left on device")

    recorder.close = failing_close  # type: ignore[method-assign]
    app.deps.pool.close = lambda: pool_closed.append(True)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, timeout=15)
        said = " ".join(map(str, app._exit_renderables))  # printed after the screen goes
    assert app.return_code == 6 and pool_closed == [True]
    assert "closing the session failed: OSError: [Errno 28] No space left on device" in said
    real_close()


async def test_q_quits_even_when_closing_hangs(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    recorder = app.deps.recorder
    real_close = recorder.close
    disk = threading.Event()  # a log on a disk that stopped answering

    def hanging_close(reason: str = "normal") -> None:
        disk.wait(60)

    recorder.close = hanging_close  # type: ignore[method-assign]
    app.QUIT_GRACE_SECONDS = 0.5
    # The teardown worker, kept as it starts: the press may return before it has started,
    # and once the app has quit it is no longer among app.workers (a busy machine sees both)
    started: list[Any] = []
    start_teardown = app._teardown

    def recorded_teardown() -> Any:
        started.append(start_teardown())
        return started[-1]

    app._teardown = recorded_teardown  # type: ignore[method-assign]
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("q")
            await wait_for(lambda: started, 10, "q started no teardown")
            (closing,) = started
            assert closing.name == "closing the session"
            await until(pilot, lambda: not app.is_running, timeout=15)
            said = " ".join(map(str, app._exit_renderables))
            disk.set()  # the close ends after all, too late: the exit stays what it said
            await wait_for(lambda: closing.is_finished, 10, "the teardown did not end")
    finally:
        disk.set()
    assert app.return_code == 6
    assert "closing took over 0 s; quit without waiting" in said
    real_close()


async def test_a_crash_in_textual_itself_does_not_exit_0(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.panic("the input thread died")  # what Textual's driver does when it does
        await wait_for(lambda: not app.is_running, 10, "the app did not end")
    assert app.return_code == 1


async def test_a_failing_worker_is_said_and_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app(tmp_path)

    def broken_preview(plan_id: str, index: int) -> Any:
        raise RuntimeError("probe runner exploded")

    monkeypatch.setattr(app.broker, "preview", broken_preview)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        submit(app, "p1", "rm -rf logs/old")
        await until(pilot, lambda: app.review.current is not None)
        await pilot.press("p")
        await until(pilot, lambda: any("probe runner exploded" in m for m in _toasts(app)))
        assert "probe runner exploded" in app.failures[0]
        logged = [e for e in read_events(app.deps.recorder.path) if e["type"] == "ui_error"]
        assert "probe runner exploded" in logged[0]["message"]


async def test_ctrl_c_quits_like_q(tmp_path: Path) -> None:
    """Ctrl-C quits (issue 14: q and Ctrl-C always work), asking first like q when
    requests wait; docs/responsiveness.md."""
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+c")
        await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0


OSC52 = "printf ok\x1b]52;c;cm0gLXJmIH4=\x07"


async def test_the_editor_never_sends_raw_escapes_to_the_terminal(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        replies = submit(app, "p1", OSC52)
        await open_dialog(pilot, app, "e", EditModal)
        editor = app.screen.query_one(TextArea)
        assert "\x1b" not in editor.text and "\x07" not in editor.text
        assert editor.text == "printf ok\\e]52;c;cm0gLXJmIH4=\\x07"
        editor.insert("\x1b[2J")  # a paste with a control character in it
        await until(pilot, lambda: "\x1b" not in editor.text)
        assert "\\e[2J" in editor.text
        editor.text = "printf ok\\e]52;c;cm0gLXJmIH4=\\x07"  # back to what was shown
        await pilot.press("ctrl+s")
        # unchanged: the original is what gets approved, at its own level (control
        # characters make it typed), never a literal "\e" version of it
        await until(pilot, lambda: isinstance(app.screen, ChallengeModal))
        assert app.screen.cmd == OSC52
        assert app.broker.plan("p1").actions[0].edited is None and not replies.of("result")


@pytest.mark.timeout(60)
async def test_dialog_buttons_name_the_remapped_keys(tmp_path: Path) -> None:
    keymap = {"modal.yes": "j", "modal.no": "escape,k", "permission.allow": "ctrl+y"}
    app = build_app(tmp_path, config=sample_config(keymap=keymap))
    async with app.run_test(size=SIZE) as pilot:
        answers: list[object] = []
        app.push_screen(ConfirmModal("Approve it?", "body", "Approve", "Not now"), answers.append)
        await until(pilot, lambda: len(app.screen.query(Button)) == 2)
        labels = {b.id: str(b.label) for b in app.screen.query(Button)}
        assert labels == {"yes": "Approve (j)", "no": "Not now (k)"}
        await until(pilot, lambda: app.screen.armed)
        await pilot.press("y")  # the default key does nothing now
        assert isinstance(app.screen, ConfirmModal) and not answers
        await pilot.press("j")
        await until(pilot, lambda: answers == [True])
        app.push_screen(PermissionModal("Write", [("file_path", "/tmp/x")]), answers.append)
        await until(
            pilot,
            lambda: isinstance(app.screen, PermissionModal) and len(app.screen.query(Button)) == 2,
        )
        labels = {b.id: str(b.label) for b in app.screen.query(Button)}
        assert labels == {"allow": "Allow (^y)", "deny": "Deny (n)"}
