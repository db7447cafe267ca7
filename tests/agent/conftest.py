"""Fixtures shared by the agent tests: a scripted broker behind a real socket bridge."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.agent_fakes import FakeBroker

from aiperm_tui.agent.bridge import BridgeServer


@pytest.fixture
def broker() -> FakeBroker:
    return FakeBroker()


@pytest.fixture
def bridge(broker: FakeBroker) -> Iterator[BridgeServer]:
    """A started BridgeServer (socket, token, discovery file) in front of `broker`."""
    with BridgeServer(broker) as server:
        yield server
