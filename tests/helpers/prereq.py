"""A test's missing prerequisite (sshd, bubblewrap, the unprivileged account): skipped
with the reason on a developer's machine, but a failure under CI=true, where .ci/run
provides every one, so CI can never pass a test by skipping it."""

from __future__ import annotations

import os
from typing import NoReturn


def fail_or_skip(why: str) -> NoReturn:
    """Skip with `why`; under CI=true, fail instead."""
    import pytest  # here, not at the top: the benchmarks import helpers.sshd without pytest

    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {why}")
    pytest.skip(why)
