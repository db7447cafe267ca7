"""The review pane shows why an unknown tool's read verb ran unasked: the finding that
names the convention (`aiperm_tui/policy/verbs.py`), on the real app and engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.pilot import until
from helpers.tui_app import build_app, submit

SIZE = (140, 45)


@pytest.mark.timeout(60)
async def test_the_review_pane_names_the_read_verb_convention(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        # a plan with a change in it waits for review, so both actions are in the pane
        submit(app, "p1", "acme-ctl stream ls", "systemctl restart nginx")
        await until(pilot, lambda: app.review.current is not None)
        detail = str(app.review.query_one("#detail").render())
        assert "$ acme-ctl stream ls" in detail
        assert "unknown.read_verb" in detail
        assert "an unknown tool: `ls` is read-only by convention" in detail
