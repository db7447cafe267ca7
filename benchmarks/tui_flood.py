"""Flood the TUI's output pane with a million lines and see that it stays responsive.

    python benchmarks/tui_flood.py [--lines 1000000] [--chunk 65536]

A producer thread feeds the pane the way SSH threads do (`OutputBuffer.feed` with chunks
of bytes), while the test presses a key every 20 ms and measures how long each takes to
reach its binding. Printed, each with its ratio to the target:

- lines/s shown: lines through the pane per second, until the last of them is on screen
  (lines that would scroll out of the bounded Log before a frame shows them are
  coalesced into one marker line, so the rate actually written to the Log is given too);
- worst key-press latency during the flood (target < 200 ms);
- peak RSS after the flood (target < 200 MB).

References measured in the same run: the feed rate of the bare buffer with no UI at all
(the ceiling for lines/s), and the RSS of the idle app before the flood.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from aiperm_tui.tui.output import OutputBuffer, OutputPane

LATENCY_TARGET_MS = 200.0
RSS_TARGET_MB = 200.0


def rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_chunks(lines: int, chunk: int) -> list[bytes]:
    """The flood, pre-built so the producer measures the pane, not string formatting."""
    line = b"2026-11-23T09:31:07Z INFO  request served in 3ms path=/api/orders status=200\n"
    per_chunk = max(1, chunk // len(line))
    block = line * per_chunk
    full, rest = divmod(lines, per_chunk)
    return [block] * full + ([line * rest] if rest else [])


class FloodApp(App[None]):
    """The output pane plus a widget whose binding records when each key arrived."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "ping", "ping", id="bench.ping")]

    def __init__(self) -> None:
        super().__init__()
        self.arrived: list[float] = []

    def compose(self) -> ComposeResult:
        yield Static("flood benchmark")
        yield OutputPane(max_lines=10_000, id="out")

    def action_ping(self) -> None:
        self.arrived.append(time.perf_counter())


def bare_buffer_rate(chunks: list[bytes], lines: int) -> float:
    """Reference: lines/s through the buffer alone, draining as fast as possible."""
    buffer = OutputBuffer(10_000)
    start = time.perf_counter()
    for data in chunks:
        buffer.feed("x1", "stdout", data)
        buffer.drain()
    return lines / (time.perf_counter() - start)


async def flood(lines: int, chunk: int) -> dict[str, float]:
    """Run the flood under Pilot and collect the numbers."""
    chunks = make_chunks(lines, chunk)
    app = FloodApp()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(OutputPane)
        await pilot.pause(0.2)
        idle_rss = rss_mb()
        pane.buffer.header("x1", "bench", "yes-like flood")
        done = threading.Event()

        def produce() -> None:
            for data in chunks:
                pane.buffer.feed("x1", "stdout", data)
            done.set()

        start = time.perf_counter()
        threading.Thread(target=produce, daemon=True).start()
        sent: list[float] = []
        while not done.is_set() or pane.buffer.pending:
            sent.append(time.perf_counter())  # a key as the terminal driver posts it
            app.post_message(events.Key("x", "x"))
            await asyncio.sleep(0.02)
        await pilot.pause(0.3)
        elapsed = time.perf_counter() - start
        latencies = [(got - put) * 1000 for put, got in zip(sent, app.arrived, strict=False)]
        if len(app.arrived) != len(sent):
            raise SystemExit(f"{len(sent) - len(app.arrived)} key presses were lost")
        return {
            "lines": float(pane.buffer.lines_in),
            "elapsed": elapsed,
            "worst_ms": max(latencies),
            "presses": float(len(latencies)),
            "rss": rss_mb(),
            "idle_rss": idle_rss,
            "writes": float(pane.writes),
            "skipped": float(pane.buffer.skipped),
            "shown": float(pane.lines_shown),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=65536, help="bytes per feed call")
    args = parser.parse_args()
    chunks = make_chunks(args.lines, args.chunk)
    ceiling = bare_buffer_rate(chunks, args.lines)
    del chunks
    r = asyncio.run(flood(args.lines, args.chunk))
    rate = r["lines"] / r["elapsed"]
    print(
        f"lines flooded:        {int(r['lines']):,} in {r['elapsed']:.2f} s "
        f"({int(r['writes'])} Log writes, {int(r['skipped']):,} coalesced past the view)"
    )
    print(
        f"lines/s shown:        {rate:,.0f}  ({rate / ceiling:.2f}x the bare buffer's "
        f"{ceiling:,.0f}/s, no UI); {r['shown'] / r['elapsed']:,.0f}/s written to the Log"
    )
    print(
        f"worst key latency:    {r['worst_ms']:.1f} ms over {int(r['presses'])} presses  "
        f"({r['worst_ms'] / LATENCY_TARGET_MS:.2f}x the {LATENCY_TARGET_MS:.0f} ms target)"
    )
    print(
        f"peak RSS:             {r['rss']:.1f} MB  ({r['rss'] / RSS_TARGET_MB:.2f}x the "
        f"{RSS_TARGET_MB:.0f} MB target; idle app {r['idle_rss']:.1f} MB, "
        f"{r['rss'] / r['idle_rss']:.2f}x)"
    )


if __name__ == "__main__":
    main()
