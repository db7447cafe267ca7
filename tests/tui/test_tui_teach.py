"""`t` in the review pane: after the operator approves a command no rule describes, the
footer offers to teach aiperm that its form only reads; the entry is shown, asked for,
and written by the same code as `aiperm rules teach` (`aiperm_tui/policy/teach.py`), and
the broker decides with it from then on (recorded as `policy_reloaded`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers.pilot import screen_text, until
from helpers.tui_app import build_app, submit

from aiperm_tui.config import Config, load_config
from aiperm_tui.policy import PolicyEngine
from aiperm_tui.policy.packs import parse_pack
from aiperm_tui.session import read_events
from aiperm_tui.tui.app import BrokerApp
from aiperm_tui.tui.modals import ConfirmModal

SIZE = (140, 45)
pytestmark = pytest.mark.timeout(60)


def _app(tmp_path: Path) -> BrokerApp:
    """An app whose config comes from a file, so CONFIG/packs is under `tmp_path`."""
    config_file = tmp_path / "config.toml"
    config_file.write_text('default_host = "web1"\n[hosts.web1]\nhostname = "192.0.2.10"\n')
    return build_app(tmp_path, config=load_config(config_file))


def _events(app: BrokerApp, kind: str) -> list[dict[str, Any]]:
    return [e for e in read_events(app.deps.recorder.path) if e["type"] == kind]


def _offered(app: BrokerApp) -> bool:
    return bool(app.broker_screen.check_action("teach", ()))


async def _approve(app: BrokerApp, pilot: object, cmd: str, plan_id: str) -> None:
    submit(app, plan_id, cmd)
    await until(pilot, lambda: app.review.current is not None)  # type: ignore[arg-type]
    await pilot.press("a")  # type: ignore[attr-defined]
    await until(pilot, lambda: app.review.current is None)  # type: ignore[arg-type]


async def test_teach_after_approving_an_unknown_command(tmp_path: Path) -> None:
    app = _app(tmp_path)
    pack = tmp_path / "packs" / "taught.toml"
    async with app.run_test(size=SIZE) as pilot:
        assert not _offered(app)
        await _approve(app, pilot, "zzfoo frob --fast", "p1")
        await until(pilot, lambda: _offered(app))
        assert "Teach" in screen_text(app)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        text = screen_text(app)
        assert 'id = "taught.zzfoo.frob._fast"' in text and 'exact_options = ["fast"]' in text
        assert not pack.exists()  # shown, not written, until the operator says yes
        await pilot.pause(0.6)  # the dialog arms after a pause (key-ahead)
        await pilot.press("y")
        await until(pilot, pack.exists)
        assert not _offered(app)
        # the broker decides with it from now on: the same form runs unasked
        again = submit(app, "p2", "zzfoo frob --fast")
        await until(pilot, lambda: again.of("plan_result"))
        by = [(e["id"], e["by"]) for e in _events(app, "approval")]
        assert by == [("p1", "human"), ("p2", "rule")]
        reloaded = _events(app, "policy_reloaded")
        assert [e["reason"] for e in reloaded] == [f"taught taught.zzfoo.frob._fast in {pack}"]
    rules, _ = parse_pack(pack.read_text(encoding="utf-8"), str(pack), builtin=False)
    assert [(r.id, r.examples) for r in rules] == [
        ("taught.zzfoo.frob._fast", ("zzfoo frob --fast",))
    ]
    engine = PolicyEngine(Config(path=tmp_path / "config.toml"))
    assert engine.decide("zzfoo frob --fast", preset="ops_safe").confirm == "none"
    assert engine.decide("zzfoo frob --fast --purge", preset="ops_safe").confirm == "typed"


async def test_not_now_writes_nothing(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _approve(app, pilot, "zzfoo frob", "p1")
        await until(pilot, lambda: _offered(app))
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("n")
        await until(pilot, lambda: not isinstance(app.screen, ConfirmModal))
        assert not _offered(app)
    assert not (tmp_path / "packs").exists()


@pytest.mark.parametrize("cmd", ["systemctl restart nginx", "zzfoo frob --output /srv/x"])
async def test_no_offer_for_a_command_a_rule_decides(tmp_path: Path, cmd: str) -> None:
    """A known tool's change, or an unknown tool's write of a file, is approved as
    usual, with nothing to teach: `unknown.command` did not decide it."""
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _approve(app, pilot, cmd, "p1")
        await pilot.pause(0.1)
        assert not _offered(app)
