"""Waiting on state in plain (thread or process) tests: poll until something holds, or
fail the test. The deadline only bounds how long a failing test takes, so it is
generous: a loaded CI box may run the awaited thread or process many times slower than
an idle one, and a short deadline made that a failure."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

DEADLINE = 30.0


def wait_until(
    condition: Callable[[], Any], failure: str, timeout: float = DEADLINE, poll: float = 0.01
) -> None:
    """Return once `condition()` holds; an AssertionError saying `failure` after
    `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(failure)
        time.sleep(poll)
