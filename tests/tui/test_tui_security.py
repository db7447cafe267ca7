"""Security review regressions in the broker app: agent text in a toast stays text, and an
edit that keeps a command typed-level asks for the new command's code."""

from __future__ import annotations

from pathlib import Path

from helpers.pilot import until
from helpers.tui_app import build_app, open_dialog, submit
from textual.widgets import TextArea
from textual.widgets._toast import Toast

from aiperm_tui.session import read_events
from aiperm_tui.tui.modals import ChallengeModal, EditModal

SIZE = (140, 45)
MARKUP_ID = "[@click=app.approve_all]details[/]"


async def test_markup_in_an_agent_plan_id_is_shown_literally_without_an_action(
    tmp_path: Path,
) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        waiting = submit(app, "p1", "rm -rf logs/old")  # something approve_all could touch
        refused = submit(app, MARKUP_ID, "ls", host="no-such-host")  # refused: unknown host
        assert refused.of("error")
        await until(pilot, lambda: app.screen.query(Toast))
        (toast,) = app.screen.query(Toast)
        content = toast.render()
        assert MARKUP_ID in content.plain  # the brackets are shown, not parsed
        assert not any("click" in repr(span.style) for span in content.spans)
        await pilot.click(toast)  # clicking the toast only dismisses it
        await until(pilot, lambda: not app.screen.query(Toast))
        assert app.broker.plan("p1").state == "pending" and not waiting.of("decision")


async def test_edit_that_stays_typed_opens_the_challenge_for_the_edited_command(
    tmp_path: Path,
) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        replies = submit(app, "p1", "rm -rf logs/old")
        await open_dialog(pilot, app, "e", EditModal)
        app.screen.query_one(TextArea).text = "rm -rf logs/older"
        await until(pilot, lambda: "logs/older" in str(app.screen.query_one("#analysis").render()))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ChallengeModal))
        assert app.screen.cmd == "rm -rf logs/older"
        action = app.broker.plan("p1").actions[0]
        assert (action.state, action.needs, action.edited) == (
            "pending",
            "typed",
            "rm -rf logs/older",
        )
        code = app.broker.challenge("p1", 0)
        assert code is not None
        await pilot.press(*code, "enter")
        await until(pilot, lambda: replies.of("plan_result"))
        assert replies.of("result")[0]["cmd"] == "rm -rf logs/older"
        approvals = [e for e in read_events(app.deps.recorder.path) if e["type"] == "approval"]
        assert [(e["cmd"], e["original"]) for e in approvals] == [
            ("rm -rf logs/older", "rm -rf logs/old")
        ]


async def test_unchanged_edit_of_a_typed_command_asks_for_its_code(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        submit(app, "p1", "rm -rf logs/old")
        await open_dialog(pilot, app, "e", EditModal)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ChallengeModal))
        assert app.screen.cmd == "rm -rf logs/old"
        assert app.broker.plan("p1").actions[0].state == "pending"
