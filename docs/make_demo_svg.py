"""Regenerate docs/demo.svg: `aiperm demo` played under Pilot up to the evasion.

    python docs/make_demo_svg.py

The README's tour shows this picture; it is the real app (`make_app`, the demo world, the
scripted agent), driven by the same keys a person would press, saved with
`App.save_screenshot`.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from textual.pilot import Pilot

from aiperm_tui.demo.sandbox import start_demo_world
from aiperm_tui.tui.app import AgentSpec, BrokerApp, make_app

OUT = Path(__file__).resolve().parent / "demo.svg"


async def until_reviewing(pilot: Pilot, app: BrokerApp, plan_id: str) -> None:
    while not (app.review.current and app.review.current.id == plan_id):
        await pilot.pause(0.05)


async def until_finished(pilot: Pilot, app: BrokerApp, plan_id: str) -> None:
    while app.broker.plan(plan_id).state != "finished":
        await pilot.pause(0.05)


async def play(app: BrokerApp) -> None:
    """Approve the tour up to the evasion, then take the picture."""
    async with app.run_test(size=(130, 42)) as pilot:
        await until_reviewing(pilot, app, "p1")
        while len(app.review.requests) < 3:
            await pilot.pause(0.05)
        await pilot.press("A")
        await until_reviewing(pilot, app, "p4")
        await pilot.press("a")
        await until_reviewing(pilot, app, "p5")
        await pilot.press("d")
        await until_reviewing(pilot, app, "p6")
        for _ in range(2):
            await pilot.press("a")
            await pilot.pause(0.2)
        await until_finished(pilot, app, "p6")
        await until_reviewing(pilot, app, "p7")
        await pilot.pause(0.5)
        app.save_screenshot(str(OUT.name), path=str(OUT.parent))
        await pilot.press("q")
        await pilot.pause(0.2)
        await pilot.press("y")
        await pilot.pause(1.0)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, start_demo_world(Path(tmp)) as world:
        app = make_app(
            world.config(),
            AgentSpec(world.agent_argv(0.0), "jsonl"),
            known_hosts=world.known_hosts,
            recorder_root=Path(tmp) / "sessions",
            warn=lambda _m: None,
        )
        asyncio.run(play(app))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
