"""The `harness` fixture: a Broker on the real PolicyEngine and Recorder with a local-bash
pool (see helpers/broker_fakes.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers.broker_fakes import Events, Harness, LocalPool, make_config

from aiperm_tui.broker import Broker
from aiperm_tui.policy import PolicyEngine
from aiperm_tui.session import Recorder


@pytest.fixture
def harness(tmp_path: Path) -> Any:
    root = tmp_path / "box"
    root.mkdir()
    config = make_config(tmp_path)
    recorder = Recorder.create(
        agent=["test"],
        hosts=["web1"],
        preset="ops_safe",
        root=tmp_path / "sessions",
        warn=lambda _m: None,
    )
    pool = LocalPool(root)
    listener = Events()
    broker = Broker(config, PolicyEngine(config), pool, recorder, listener=listener)
    h = Harness(broker, recorder, pool, listener, config)
    yield h
    broker.shutdown()
    recorder.close()
