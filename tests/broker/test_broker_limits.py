"""What an agent may ask of the broker: the open-request cap and the request rate, each
refused whole with a protocol error (code 5) and nothing queued; refusals coalesced in the
log and on the operator's screen; a long session's finished plans let go."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.broker_fakes import Harness, LocalPool, make_config, start_harness

from aiperm_tui.broker import core
from aiperm_tui.broker.limits import RefusalTally, TokenBucket
from aiperm_tui.config import ConfigError, LimitsConfig, parse_config

PENDING = "mkdir z"  # needs an action-level confirmation: stays open until answered


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def limited(tmp_path: Path, **limits: Any) -> Iterator[Harness]:
    root = tmp_path / "box"
    root.mkdir()
    config = make_config(tmp_path, limits=LimitsConfig(**limits))
    h = start_harness(config, LocalPool(root), tmp_path / "sessions")
    yield h
    h.close()


@pytest.fixture
def capped(tmp_path: Path) -> Iterator[Harness]:
    """At most 5 open requests, no rate limit to speak of."""
    yield from limited(tmp_path, max_open_requests=5, requests_per_second=1e6, request_burst=10**6)


@pytest.fixture
def slow(tmp_path: Path) -> Iterator[Harness]:
    """A burst of 3, then one request every 1000 s: the fourth in a row is refused."""
    yield from limited(tmp_path, requests_per_second=0.001, request_burst=3)


def errors(h: Harness) -> list[dict[str, Any]]:
    return h.sent("error")


def notices(h: Harness) -> list[str]:
    return [m for kind, m in h.listener.seen if kind == "error"]


@pytest.mark.timeout(30)
def test_over_the_cap_the_agent_gets_code_5_and_nothing_is_queued(capped: Harness) -> None:
    ids = [capped.submit(PENDING, plan_id=f"p{i}") for i in range(7)]
    assert ids[:5] == ["p0", "p1", "p2", "p3", "p4"] and ids[5:] == [None, None]
    refused = errors(capped)
    assert [(m["id"], m["code"]) for m in refused] == [("p5", 5), ("p6", 5)]
    assert "max_open_requests = 5" in refused[0]["message"]
    assert [e["id"] for e in capped.events("request")] == ["p0", "p1", "p2", "p3", "p4"]
    assert capped.broker.stats() == {
        "open": 5,
        "admitted": 5,
        "refused": 2,
        "by_rule": 0,
        "kept": 5,
    }
    capped.broker.deny("p0")  # one finishes: there is room for one more
    assert capped.submit(PENDING, plan_id="p7") == "p7"
    assert capped.submit(PENDING, plan_id="p8") is None


@pytest.mark.timeout(30)
def test_over_the_rate_the_agent_gets_code_5(slow: Harness) -> None:
    ids = [slow.submit("echo hi", plan_id=f"r{i}") for i in range(5)]
    assert ids[:3] == ["r0", "r1", "r2"] and ids[3:] == [None, None]
    assert {m["code"] for m in errors(slow)} == {5}
    assert "requests_per_second" in errors(slow)[0]["message"]
    assert len(slow.events("request")) == 3


@pytest.mark.timeout(60)
def test_a_thousand_refusals_make_one_notice_and_a_few_log_events(capped: Harness) -> None:
    for i in range(5):
        capped.submit(PENDING, plan_id=f"p{i}")
    for i in range(1000):
        assert capped.submit(PENDING, plan_id=f"x{i}") is None
    assert len(errors(capped)) == 1000  # every asker gets its answer
    assert len(notices(capped)) == 1 and "refused" in notices(capped)[0]
    capped.broker.shutdown()  # the count not recorded yet is recorded now
    logged = [e for e in capped.events("error") if e.get("refused")]
    assert len(logged) <= 5
    assert sum(e["refused"] for e in logged) == 1000
    assert logged[0]["id"] == "x0" and "max_open_requests" in logged[0]["message"]


@pytest.mark.timeout(30)
def test_finished_requests_free_their_place(capped: Harness) -> None:
    """The cap counts open requests: finished ones free their place at once."""
    for i in range(20):
        plan_id = capped.submit("echo fine", plan_id=f"ok{i}")
        assert plan_id is not None
        capped.finish(plan_id)
    assert capped.broker.stats()["open"] == 0 and not errors(capped)


@pytest.mark.timeout(60)
def test_finished_plans_are_let_go_but_ids_stay_unique(
    capped: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core, "FINISHED_KEPT", 3)
    for i in range(6):
        capped.broker.deny(capped.submit(PENDING, plan_id=f"d{i}") or "")
    assert [p.id for p in capped.broker.plans()] == ["d3", "d4", "d5"]
    assert capped.submit(PENDING, plan_id="d0") is None  # an old id is still taken
    assert "duplicate plan id" in errors(capped)[-1]["message"]


@pytest.mark.timeout(60)
def test_shutdown_with_a_full_queue_syncs_the_log_once(
    capped: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        capped.submit(PENDING, plan_id=f"p{i}")
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    capped.broker.shutdown()
    assert len(synced) == 1  # not one per cancelled action
    denies = [e for e in capped.events("deny") if e["origin"] == "system"]
    assert sorted(e["id"] for e in denies) == [f"p{i}" for i in range(5)]


def test_token_bucket_lets_a_burst_through_then_the_rate() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=2.0, burst=3, clock=clock)
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    clock.now += 0.5  # one token back
    assert [bucket.take(), bucket.take()] == [True, False]
    clock.now += 100  # never more than the burst
    assert sum(bucket.take() for _ in range(10)) == 3


def test_refusal_tally_records_one_a_second_and_notifies_one_in_ten() -> None:
    clock = Clock()
    tally = RefusalTally(clock)
    first = tally.refused("full")
    assert first is not None and (first.earlier, first.notify) == (0, True)
    assert all(tally.refused("full") is None for _ in range(99))
    clock.now += 1.0
    second = tally.refused("full")
    assert second is not None and (second.earlier, second.notify) == (99, False)
    clock.now += 10.0
    third = tally.refused("full")
    assert third is not None and third.notify and tally.total == 102
    assert tally.flush() is None  # nothing counted since the last record


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("max_open_requests", 0),
        ("requests_per_second", 0),
        ("request_burst", -1),
        ("agent_stall_seconds", "soon"),
    ],
)
def test_bad_limits_are_config_errors(key: str, value: Any) -> None:
    with pytest.raises(ConfigError, match=f"limits.{key}"):
        parse_config({"limits": {key: value}})
