"""Timing one policy decision for the bounds tests.

The bound the engine promises is its own work: under a second of CPU for any text. On a
shared machine (CI, or eight engineers on two cores) the wall time of the same work
stretches with the load, so the tests assert the CPU time against the bound and the wall
time against `WALL_SLACK` times it: a hang, or waiting on the bashlex worker beyond its
deadline, still fails.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from aiperm_tui.config import Config
from aiperm_tui.policy import Decision, PolicyEngine

WALL_SLACK = 4.0


@dataclass(frozen=True)
class Elapsed:
    cpu: float
    wall: float

    def within(self, seconds: float) -> bool:
        return self.cpu < seconds and self.wall < seconds * WALL_SLACK


def timed_decision(cmd: str) -> tuple[Decision, Elapsed]:
    """The decision for `cmd` by a fresh engine (a cold cache), and what it took."""
    engine = PolicyEngine(Config())
    cpu, wall = time.thread_time(), time.perf_counter()
    decision = engine.decide(cmd)
    return decision, Elapsed(time.thread_time() - cpu, time.perf_counter() - wall)
