"""Modal titles and bodies given as plain strings are shown as text, never parsed as
Textual markup, so text that reaches them cannot create styles or click actions."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Label, Static

from aiperm_tui.tui.modals import ConfirmModal, ErrorModal

HOSTILE = "[@click=app.quit]click me[/] [b]bold[/b]"


async def test_confirm_and_error_modals_show_markup_literally() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        for modal in (ConfirmModal(HOSTILE, HOSTILE), ErrorModal(HOSTILE, HOSTILE)):
            await app.push_screen(modal)
            await pilot.pause()
            shown = [w.render() for w in modal.query(Label)] + [
                w.render() for w in modal.query(Static) if HOSTILE[:9] in str(w.render())
            ]
            texts = [str(s) for s in shown]
            assert sum(HOSTILE in t for t in texts) >= 2, texts
            assert not any(
                "@click" in str(span.style) for s in shown for span in getattr(s, "spans", [])
            ), "markup became a link"
            modal.dismiss(None)
            await pilot.pause()
