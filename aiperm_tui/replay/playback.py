"""The playback model: a cursor over a recorded session, its clock and its jumps.

No Textual here, so the timing rules are tested without a terminal and the screen only
draws. The cursor counts the events shown: events `0..cursor-1` are on screen and
`cursor == len(index)` is the end. Time between events is the recorded time divided by
the speed, each idle gap first capped at `max_idle` seconds, so a session where the
operator went to lunch does not replay the lunch.

The screen calls `tick(elapsed)` from a timer with the wall-clock seconds since the
last call; it returns how many events became due, several per tick at high speed, so
a fast burst of output does not replay slower than it happened.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from aiperm_tui.session.index import EventIndex

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
DEFAULT_MAX_IDLE = 2.0
MAX_EVENTS_PER_TICK = 5000  # the UI stays responsive even if a tick came very late


def check_speed(speed: float) -> float:
    """`--speed` must be one of the steps between 0.25x and 16x, or in that range."""
    if not SPEEDS[0] <= speed <= SPEEDS[-1]:
        raise ValueError(f"speed must be between {SPEEDS[0]:g} and {SPEEDS[-1]:g}, got {speed:g}")
    return speed


@dataclass
class Playback:
    """Cursor, clock and markers over one session's index."""

    index: EventIndex
    speed: float = 1.0
    max_idle: float = DEFAULT_MAX_IDLE
    cursor: int = 0
    playing: bool = True
    _carry: float = field(default=0.0, repr=False)  # session seconds already waited

    def __post_init__(self) -> None:
        check_speed(self.speed)
        if self.max_idle < 0:
            raise ValueError("max idle must not be negative")

    @property
    def total(self) -> int:
        return len(self.index)

    @property
    def at_end(self) -> bool:
        return self.cursor >= self.total

    @property
    def fraction(self) -> float:
        """Where the cursor is, 0..1, for the timeline."""
        return self.cursor / self.total if self.total else 1.0

    def gap(self, position: int) -> float:
        """Session seconds to wait before event `position` is shown, idle capped."""
        if position <= 0 or position >= self.total:
            return 0.0
        raw = self.index.time(position) - self.index.time(position - 1)
        return min(max(raw, 0.0), self.max_idle)

    def wait(self) -> float:
        """Wall-clock seconds until the next event is due (at the current speed)."""
        return max(self.gap(self.cursor) - self._carry, 0.0) / self.speed

    def tick(self, elapsed: float) -> int:
        """Advance the clock by `elapsed` wall seconds; returns how many events became
        due (the cursor has moved past them; the caller applies them)."""
        if not self.playing or self.at_end:
            return 0
        budget = self._carry + elapsed * self.speed
        due = 0
        while not self.at_end and due < MAX_EVENTS_PER_TICK:
            gap = self.gap(self.cursor)
            if gap > budget:
                break
            budget -= gap
            self.cursor += 1
            due += 1
        self._carry = 0.0 if self.at_end else budget
        if self.at_end:
            self.playing = False
        return due

    # ---- the keys ------------------------------------------------------------------

    def toggle(self) -> bool:
        """Pause or resume; resuming at the end starts over."""
        if not self.playing and self.at_end:
            self.seek(0)
        self.playing = not self.playing
        return self.playing

    def seek(self, cursor: int) -> int:
        """Put the cursor anywhere; the caller rebuilds the picture."""
        self.cursor = min(max(cursor, 0), self.total)
        self._carry = 0.0
        return self.cursor

    def step(self, delta: int) -> int:
        """n / N: one event forward or back (pauses: stepping is looking closely)."""
        self.playing = False
        return self.seek(self.cursor + delta)

    def seek_fraction(self, fraction: float) -> int:
        """A click on the timeline."""
        return self.seek(round(min(max(fraction, 0.0), 1.0) * self.total))

    def seek_time(self, t: float) -> int:
        """Show everything recorded up to `t` seconds after the start."""
        return self.seek(self.index.index_at_time(t) + 1 if self.total else 0)

    def next_request_cursor(self) -> int:
        """]: where the cursor goes to show the next request after the current one."""
        requests = self.index.markers["request"]
        i = bisect.bisect_left(requests, self.cursor)
        return requests[i] + 1 if i < len(requests) else self.cursor

    def prev_request_cursor(self) -> int:
        """[: where the cursor goes to show the request before the one on screen."""
        requests = self.index.markers["request"]
        i = bisect.bisect_left(requests, self.cursor - 1) - 1
        return requests[i] + 1 if i >= 0 else 0

    def faster(self) -> float:
        self.speed = SPEEDS[min(bisect.bisect_right(SPEEDS, self.speed), len(SPEEDS) - 1)]
        return self.speed

    def slower(self) -> float:
        self.speed = SPEEDS[max(bisect.bisect_left(SPEEDS, self.speed) - 1, 0)]
        return self.speed

    def markers(self) -> dict[str, list[float]]:
        """Request and denial positions as timeline fractions."""
        total = self.total or 1
        return {
            name: [(pos + 1) / total for pos in positions]
            for name, positions in self.index.markers.items()
        }
