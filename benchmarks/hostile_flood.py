"""The real broker app, headless, against a hostile agent: does it stay responsive?

    python benchmarks/hostile_flood.py [--seconds 4] [--plans 10000] [--mib 500]

Each scenario runs the real `BrokerApp` (the CLI's `make_app`, a stand-in SSH pool) under
`App.run_test()` in a fresh subprocess (so peak RSS is the scenario's own), with the
agent `tests/helpers/hostile_agent.py` in one mode:

- `idle`: the reference, an agent that says one line and reads its stdin;
- `flood`: chatter as fast as it can plus a plan every 1000 lines, stdin never read;
- `burst`: `--plans` plans in one write, stdin never read;
- `noline`: `--mib` MiB without a newline, then one ordinary line.

While the agent does its worst, a key (`tab`, bound to "switch focus") is posted every 20 ms
the way the terminal driver posts it, and the time until its binding runs is measured.
Then `q` is pressed (and `y` when it asks about pending requests) and the time until the
app has exited, the agent stopped and the log closed is measured. Printed per scenario,
each next to the target and to the idle reference measured in the same run: worst key
latency (target < 200 ms), peak RSS (< 200 MB), time to quit (< 1 s), plus how many plans
were queued and refused.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout
sys.path.insert(0, str(ROOT / "tests"))  # the stand-in pool and the hostile agent

LATENCY_TARGET_MS = 200.0
RSS_TARGET_MB = 200.0
QUIT_TARGET_S = 1.0
HOSTILE = ROOT / "tests" / "helpers" / "hostile_agent.py"
SCENARIOS = ("idle", "flood", "burst", "noline")


def rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run_scenario(mode: str, count: int, seconds: float) -> dict[str, Any]:
    """One scenario in this process: keys during the flood, then quit."""
    from helpers.tui_app import build_app
    from textual import events

    from aiperm_tui.tui.app import AgentSpec
    from aiperm_tui.tui.modals import ConfirmModal

    root = Path(tempfile.mkdtemp(prefix="aiperm-hostile-"))
    app = build_app(root, agent=AgentSpec([sys.executable, str(HOSTILE), mode, str(count)]))
    arrived: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.broker_screen

        def switch_focus() -> None:
            arrived.append(time.perf_counter())  # the binding ran: that is what is timed

        screen.action_switch_focus = switch_focus  # type: ignore[method-assign]
        sent: list[float] = []
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            sent.append(time.perf_counter())
            app.post_message(events.Key("tab", "\t"))
            await asyncio.sleep(0.02)
        await pilot.pause(0.3)
        latencies = [(got - put) * 1000 for put, got in zip(sent, arrived, strict=False)]
        lost = len(sent) - len(arrived)
        plans = app.broker.open_plans()
        stats = app.broker.stats()
        started = time.perf_counter()
        await pilot.press("q")
        asked = False
        while app.return_code is None:  # "requests are waiting: quit?" comes when it may
            if not asked and isinstance(app.screen, ConfirmModal):
                asked = True
                await pilot.press("y")
            await asyncio.sleep(0.005)
        quit_s = time.perf_counter() - started
    return {
        "mode": mode,
        "worst_ms": max(latencies),
        "presses": len(sent),
        "lost": lost,
        "rss": rss_mb(),
        "quit_s": quit_s,
        "queued": len(plans),
        "refused": stats["refused"],
    }


def in_subprocess(mode: str, count: int, seconds: float) -> dict[str, Any]:
    """Run one scenario in a fresh interpreter; its JSON line back."""
    from helpers.audit_key import write_key_file

    home = tempfile.mkdtemp(prefix="aiperm-bench-home-")
    env = {
        **os.environ,
        "HOME": home,
        "XDG_RUNTIME_DIR": home,
        "XDG_CONFIG_HOME": home,
        "XDG_STATE_HOME": home,
        "AIPERM_AUDIT_KEY_FILE": str(write_key_file(Path(home), "b2" * 32)),
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--scenario",
            mode,
            "--count",
            str(count),
            "--seconds",
            str(seconds),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"scenario {mode} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def report(results: list[dict[str, Any]]) -> None:
    idle = results[0]
    print(
        f"{'scenario':9} {'worst key':>10} {'x target':>8} {'x idle':>7}  {'peak RSS':>9} "
        f"{'x target':>8} {'x idle':>6}  {'quit':>7} {'x target':>8} {'x idle':>6}  "
        f"queued/refused"
    )
    for r in results:
        print(
            f"{r['mode']:9} {r['worst_ms']:8.1f}ms {r['worst_ms'] / LATENCY_TARGET_MS:8.2f} "
            f"{r['worst_ms'] / idle['worst_ms']:7.2f}  {r['rss']:7.1f}MB "
            f"{r['rss'] / RSS_TARGET_MB:8.2f} {r['rss'] / idle['rss']:6.2f}  "
            f"{r['quit_s']:6.3f}s {r['quit_s'] / QUIT_TARGET_S:8.2f} "
            f"{r['quit_s'] / idle['quit_s']:6.2f}  {r['queued']}/{r['refused']}"
            + (f"  ({r['lost']} keys lost)" if r["lost"] else "")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="flood time per scenario")
    parser.add_argument("--plans", type=int, default=10_000, help="plans in the burst")
    parser.add_argument("--mib", type=int, default=500, help="MiB without a newline")
    parser.add_argument(
        "--only",
        choices=SCENARIOS,
        action="append",
        help="run only these scenarios (idle always runs)",
    )
    parser.add_argument("--scenario", choices=SCENARIOS, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scenario:
        result = asyncio.run(run_scenario(args.scenario, args.count, args.seconds))
        print(json.dumps(result))
        return
    counts = {"idle": 0, "flood": 0, "burst": args.plans, "noline": args.mib}
    wanted = ["idle", *[s for s in SCENARIOS[1:] if not args.only or s in args.only]]
    report([in_subprocess(mode, counts[mode], args.seconds) for mode in wanted])


if __name__ == "__main__":
    main()
