"""How much an agent may ask of the broker: a token bucket for its request rate, and a
tally that turns a flood of refusals into a few log events and one notice.

Why a bucket: an agent works in bursts (a plan, then a few quick follow-ups) but a
hostile or looping one can write thousands of requests a second; each costs a policy
decision, log events and a line in the operator's queue. The bucket lets `burst`
requests through at once and `rate` a second after that; the rest are refused whole
with a protocol error, so nothing of them is queued or decided.

Why a tally: one log event and one notice per refused request would let the agent
flood the log and the operator's screen instead. A refusal is recorded in full when none
was in the last `REPORT_SECONDS`, else only counted; the count is recorded with the next
full one, when a request gets through, and at shutdown. The operator gets at most one
notice every `NOTICE_SECONDS`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

REPORT_SECONDS = 1.0  # at most one refusal recorded in full this often, the rest counted
NOTICE_SECONDS = 10.0  # at most one notice to the operator this often


class TokenBucket:
    """`burst` tokens, refilled at `rate` a second; `take` spends one if there is one.
    Not thread-safe: the broker calls it under its lock."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.burst = rate, burst
        self._clock = clock
        self._tokens = float(burst)
        self._at = clock()

    def take(self) -> bool:
        now = self._clock()
        self._tokens = min(float(self.burst), self._tokens + (now - self._at) * self.rate)
        self._at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


@dataclass(frozen=True)
class Report:
    """What to record about refusals now: `earlier` refusals counted since the last
    report, then (when `reason` is set) this one in full; `notify`: tell the operator."""

    earlier: int
    reason: str | None
    notify: bool


class RefusalTally:
    """Counts refused requests between reports; see the module docstring. Not
    thread-safe: the broker calls it under its lock."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._count = 0  # refusals not recorded yet
        self._recorded_at: float | None = None
        self._notified_at: float | None = None
        self.total = 0

    def refused(self, reason: str) -> Report | None:
        """One more refusal; a Report when something should be recorded now."""
        self.total += 1
        now = self._clock()
        if self._recorded_at is not None and now - self._recorded_at < REPORT_SECONDS:
            self._count += 1
            return None
        self._recorded_at = now
        notify = self._notified_at is None or now - self._notified_at >= NOTICE_SECONDS
        if notify:
            self._notified_at = now
        earlier, self._count = self._count, 0
        return Report(earlier, reason, notify)

    def flush(self) -> Report | None:
        """The refusals counted and not recorded yet (a request got through, or the
        broker stops)."""
        earlier, self._count = self._count, 0
        return Report(earlier, None, notify=False) if earlier else None
