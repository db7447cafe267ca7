"""The broker stays responsive whatever the agent does: the real app (Pilot) against the
hostile agent of helpers/hostile_agent.py. Each test floods, then checks that a key press
is handled within a deadline, that `q` quits (the agent stopped, the log closed) within a
deadline, and that memory stayed bounded. The deadlines here are generous for a loaded
CI machine; benchmarks/hostile_flood.py measures the real figures against the targets."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from helpers.pilot import until, wait_for
from helpers.tui_app import build_app, sample_config
from textual import events

from aiperm_tui.session import read_events
from aiperm_tui.tui.app import AgentSpec, BrokerApp
from aiperm_tui.tui.modals import ConfirmModal

HOSTILE = Path(__file__).resolve().parents[1] / "helpers" / "hostile_agent.py"
KEY_DEADLINE = 2.0
QUIT_DEADLINE = 10.0  # opening the "quit?" modal alone takes seconds on a loaded machine


def rss_mb() -> float:
    """This process's resident memory now (not the peak: earlier tests do not count)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def hostile_app(tmp_path: Path, mode: str, count: int = 0, **config: Any) -> BrokerApp:
    agent = AgentSpec([sys.executable, str(HOSTILE), mode, str(count)])
    return build_app(tmp_path, agent=agent, config=sample_config(**config))


def watch_lines(app: BrokerApp) -> list[str]:
    """Every agent line the app is given (before the pane coalesces them)."""
    seen: list[str] = []
    on_line = app._on_line

    def spy(line: Any) -> None:
        seen.append(line.text)
        on_line(line)

    app._on_line = spy  # type: ignore[method-assign]
    return seen


async def key_answers(app: BrokerApp, presses: int = 10) -> float:
    """Post `tab` (switch focus) as the terminal driver does; the worst wait until its
    binding runs."""
    arrived: list[float] = []
    screen = app.broker_screen

    def switch_focus() -> None:
        arrived.append(time.monotonic())  # the binding ran (its focus move is not the point)

    screen.action_switch_focus = switch_focus  # type: ignore[method-assign]
    worst = 0.0
    for _ in range(presses):
        sent = time.monotonic()
        app.post_message(events.Key("tab", "\t"))
        await wait_for(
            lambda: arrived and arrived[-1] >= sent,  # noqa: B023 (awaited in this iteration)
            KEY_DEADLINE,
            f"a key waited more than {KEY_DEADLINE} s",
        )
        worst = max(worst, arrived[-1] - sent)
    return worst


async def quits(app: BrokerApp, pilot: Any, key: str = "q") -> float:
    """Press `key` (and y when it asks); the time until the app, the agent and the log
    are done."""
    started = time.monotonic()
    await pilot.press(key)
    await wait_for(
        lambda: app.return_code is not None or isinstance(app.screen, ConfirmModal),
        QUIT_DEADLINE,
        f"{key} neither quit nor asked in time",
    )
    if app.return_code is None:
        await pilot.press("y")
        await wait_for(lambda: app.return_code is not None, QUIT_DEADLINE, "y did not quit")
    assert app._agent is not None and not app._agent.running
    return time.monotonic() - started


def log_events(app: BrokerApp) -> list[dict[str, Any]]:
    return list(read_events(app.deps.recorder.path))


@pytest.mark.timeout(90)
async def test_stdout_flood_with_stdin_unread(tmp_path: Path) -> None:
    app = hostile_app(tmp_path, "flood")
    seen = watch_lines(app)
    before = rss_mb()
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: len(seen) > 20_000 and app.broker.stats()["kept"] > 5, 30)
        await key_answers(app)
        await until(pilot, lambda: len(seen) > 60_000, 30)  # it is still flooding
        await key_answers(app)
        assert rss_mb() - before < 150
        await quits(app, pilot, "ctrl+c")


@pytest.mark.timeout(90)
async def test_ten_thousand_plans_in_a_burst(tmp_path: Path) -> None:
    app = hostile_app(
        tmp_path, "burst", 10_000, limits={"requests_per_second": 1e6, "request_burst": 10**6}
    )
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await until(
            pilot, lambda: sum(app.broker.stats()[k] for k in ("admitted", "refused")) >= 10_000, 60
        )
        stats = app.broker.stats()
        assert stats["open"] == 200 and stats["refused"] == 9_800  # the default cap
        await key_answers(app)
        await until(pilot, lambda: "200 pending" in str(app.review.border_title))
        # one notice (shown as a toast: notifications are on, so a toast that could
        # not render would fail the test; it may have timed out by now on a slow machine)
        notices = [n for n in app._notifications if "refused" in n.message]
        assert len(notices) == 1
        queue = app.review.query_one("#queue")
        assert queue.option_count == 31  # 30 listed, then "170 more"
        assert "170 more" in str(queue.get_option_at_index(30).prompt)
        await quits(app, pilot)
    refusals = [e for e in log_events(app) if e["type"] == "error" and e.get("refused")]
    assert sum(e["refused"] for e in refusals) == 9_800 and len(refusals) < 100


@pytest.mark.timeout(90)
async def test_a_line_of_hundreds_of_megabytes_without_newline(tmp_path: Path) -> None:
    app = hostile_app(tmp_path, "noline", 300)
    seen = watch_lines(app)
    before = rss_mb()
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "after the long line" in seen, 60)
        assert rss_mb() - before < 100  # without the bound: 300 MB and more
        assert any("was dropped" in line for line in seen)
        await key_answers(app)
        await quits(app, pilot)


@pytest.mark.timeout(90)
async def test_an_agent_that_stops_reading_is_stopped_and_keys_still_work(tmp_path: Path) -> None:
    app = hostile_app(
        tmp_path,
        "stall",
        400,
        limits={
            "requests_per_second": 1e6,
            "request_burst": 10**6,
            "agent_outbox_bytes": 4096,
            "agent_stall_seconds": 1.0,
        },
    )
    seen = watch_lines(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: any("does not read its stdin" in s for s in seen), 30)
        await key_answers(app)
        await until(pilot, lambda: app._agent is not None and not app._agent.running, 30)
        assert any("stopping it" in s for s in seen)
        await key_answers(app)
        await quits(app, pilot)
