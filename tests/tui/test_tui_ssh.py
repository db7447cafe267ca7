"""The TUI against a real OpenSSH server: the unknown-host modal decides whether the
connection goes ahead, and the output pane shows what the host printed."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest
from helpers.pilot import until
from helpers.tui_app import build_app, submit
from textual.widgets import Log

from aiperm_tui.tui.modals import HostKeyModal

pytestmark = pytest.mark.sshd


_until = partial(until, timeout=15.0)


@pytest.mark.parametrize(("key", "status"), [("o", "ok"), ("r", "failed")])
async def test_unknown_host_key_asks_the_operator(
    sshd: Any, tmp_path: Path, key: str, status: str
) -> None:
    config = sshd.config(trusted=False, default_host="test")
    app = build_app(
        tmp_path, config=config, pool_factory=None, known_hosts=tmp_path / "known_hosts"
    )
    async with app.run_test(size=(140, 45)) as pilot:
        replies = submit(app, "p1", "echo hello from sshd")  # a read: runs by rule
        await _until(
            pilot,
            lambda: (
                isinstance(app.screen, HostKeyModal)
                and app.screen.query("#fingerprint")
                and app.screen.armed
            ),
        )
        assert "SHA256:" in str(app.screen.query_one("#fingerprint").render())
        await pilot.press(key)
        await _until(pilot, lambda: replies.of("plan_result"))
        assert replies.of("plan_result")[0]["status"] == status
        if status == "ok":
            assert replies.of("result")[0]["stdout"] == "hello from sshd\n"
            log = app.query_one(Log)
            await _until(pilot, lambda: "hello from sshd" in log.lines)
        else:
            assert replies.of("plan_result")[0]["exit_code"] == 5
