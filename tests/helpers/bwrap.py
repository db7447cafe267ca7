"""Whether the sandbox tests can run: bubblewrap missing skips them with the reason on a
developer's machine, but under CI=true (where .ci/run installs it) they run and fail, so a
CI image without bwrap can never pass the security suite by skipping it."""

from __future__ import annotations

import os
import shutil

import pytest
from helpers.prereq import fail_or_skip

MISSING = "bubblewrap is not installed (apt-get install bubblewrap; CI installs it)"


def _skippable() -> bool:
    return shutil.which("bwrap") is None and os.environ.get("CI") != "true"


needs_bwrap = pytest.mark.skipif(_skippable(), reason=MISSING)


def bwrap_or_skip() -> str:
    """The bwrap to run: skips the test where it may be absent, fails it under CI=true."""
    found = shutil.which("bwrap")
    if found is None:
        fail_or_skip(MISSING)
    return found
