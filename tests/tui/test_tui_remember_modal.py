"""The remember modal offers the same default prefix the broker saves (`pattern_for`),
and its hint says what a prefix rule can and cannot do."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Input, Static

from aiperm_tui.broker.rules import pattern_for
from aiperm_tui.tui.modals import RememberChoice, RememberModal


class ModalHost(App[None]):
    """Shows one RememberModal and keeps its answer."""

    def __init__(self, cmd: str) -> None:
        super().__init__()
        self.cmd = cmd
        self.answers: list[RememberChoice | None] = []

    def on_mount(self) -> None:
        self.push_screen(RememberModal(self.cmd, "web1"), self.answers.append)


@pytest.mark.parametrize(
    "cmd", ["make", "systemctl restart nginx", "mkdir\tbuild", "  ls -la > out.txt"]
)
async def test_the_offered_prefix_is_the_one_the_broker_accepts(cmd: str) -> None:
    app = ModalHost(cmd)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        offered = app.screen.query_one("#pattern", Input).value
        assert offered == pattern_for(cmd, "prefix", None)
        hint = " ".join(str(s.content) for s in app.screen.query(Static).filter(".hint"))
        assert "never skips a typed confirmation or a policy deny" in hint
        await pilot.click("#prefix")
        await pilot.click("#ok")
        await pilot.pause()
    assert app.answers == [("prefix", offered)]
    assert pattern_for(cmd, "prefix", offered) == offered
