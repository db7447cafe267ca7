"""The per-example deadline of the hypothesis tests.

A deadline is there to catch an input that makes the code under test take seconds
(catastrophic backtracking, a loop that does not end), not to time it: speed is measured
in benchmarks/. Hypothesis fails a test when one example overruns the deadline, even
once, and a loaded CI box can pause a process for a good part of a second between two
clock readings (the XDG test failed at 2 s, the fuzz tests had 0.5 to 3 s). Five seconds
is far above any example's own work, and above the policy engine's own bounded waits
(a new bashlex worker's START_DEADLINE plus one answer's DEADLINE, 2.3 s together), so an
example that starts the worker on a slow box is not a failure either.
"""

from __future__ import annotations

from datetime import timedelta

FUZZ_DEADLINE = timedelta(seconds=5)
