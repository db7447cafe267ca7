"""The `harness` fixture: a Broker on the real PolicyEngine and Recorder with a local-bash
pool (see helpers/broker_fakes.py).

A file or pipe left for the garbage collector fails the broker tests (a broker that leaks
one per command runs out of descriptors in a long session): the ResourceWarning it raises
is an error, and so is the unraisable exception that error becomes inside `__del__`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers.broker_fakes import LocalPool, make_config, start_harness

LEAKS_FAIL = pytest.mark.filterwarnings(
    "error::ResourceWarning", "error::pytest.PytestUnraisableExceptionWarning"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The hook sees the whole run's items: mark only this folder's."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(LEAKS_FAIL)


@pytest.fixture
def harness(tmp_path: Path) -> Any:
    root = tmp_path / "box"
    root.mkdir()
    h = start_harness(make_config(tmp_path), LocalPool(root), tmp_path / "sessions")
    yield h
    h.close()
