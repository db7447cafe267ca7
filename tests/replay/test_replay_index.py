"""The offset index: positions, markers, time lookups and a torn tail, on real bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiperm_tui.session import index as index_mod
from aiperm_tui.session.index import EventIndex


def _write(path: Path, events: list[dict], *, compact: bool = True, tail: bytes = b"") -> Path:
    seps = (",", ":") if compact else (", ", ": ")
    with path.open("wb") as fh:
        for seq, event in enumerate(events):
            line = json.dumps(
                {"seq": seq, "t": event.pop("t", seq * 0.5), "ts": "x", **event}, separators=seps
            )
            fh.write(line.encode() + b"\n")
        fh.write(tail)
    return path


def _mixed(n: int) -> list[dict]:
    events = []
    for i in range(n):
        if i % 10 == 3:
            events.append({"type": "request", "id": f"p{i}", "actions": ["ls"]})
        elif i % 10 == 7:
            events.append({"type": "deny", "id": f"p{i - 4}", "reason": 'said "type":"request"'})
        else:
            events.append(
                {
                    "type": "output",
                    "exec": "x1",
                    "stream": "stdout",
                    "data": '{"type":"request"}\n' * (i % 3),
                }
            )
    return events


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny blocks so a few hundred events cross many checkpoints and reads."""
    monkeypatch.setattr(index_mod, "CHECKPOINT_BYTES", 256)
    monkeypatch.setattr(index_mod, "READ_BYTES", 1024)
    monkeypatch.setattr(index_mod, "_BLOCKS_PER_READ", 4)


@pytest.mark.parametrize("compact", [True, False])
def test_replay_index_positions_and_markers(tmp_path: Path, compact: bool) -> None:
    path = _write(tmp_path / "events.jsonl", _mixed(500), compact=compact)
    with EventIndex(path) as ix:
        assert len(ix) == 500 and not ix.torn_tail
        assert [ix[i]["seq"] for i in (0, 1, 255, 256, 499)] == [0, 1, 255, 256, 499]
        assert ix.markers["request"] == list(range(3, 500, 10))
        assert ix.markers["deny"] == list(range(7, 500, 10))
        assert [e["seq"] for e in ix.events(120, 125)] == [120, 121, 122, 123, 124]
        assert sum(1 for _ in ix.events()) == 500


def test_replay_index_searches_both_ways(tmp_path: Path) -> None:
    path = _write(tmp_path / "events.jsonl", _mixed(500))
    with EventIndex(path) as ix:
        needle = ix.type_needle("request")
        assert ix.find_forward(needle, 4, 500, limit=3) == [13, 23, 33]
        assert ix.find_backward(needle, 33, limit=3) == [23, 13, 3]
        assert ix.find_backward(needle, 3) == []
        assert ix.find_forward(ix.field_needle("id", "p493"), 0, 500) == [493]


def test_replay_index_time_lookup(tmp_path: Path) -> None:
    path = _write(tmp_path / "events.jsonl", _mixed(300))
    with EventIndex(path) as ix:
        assert ix.duration == 149.5
        assert ix.index_at_time(10.0) == 20
        assert ix.index_at_time(10.2) == 20
        assert ix.index_at_time(-1) == 0
        assert ix.index_at_time(1e9) == 299


def test_replay_index_stops_at_a_torn_tail(tmp_path: Path) -> None:
    path = _write(tmp_path / "events.jsonl", _mixed(40), tail=b'{"seq":40,"t":20.0,"ty')
    with EventIndex(path) as ix:
        assert len(ix) == 40 and ix.torn_tail
        assert ix[39]["seq"] == 39
        with pytest.raises(IndexError):
            ix.raw(40)


def test_replay_index_marks_unreadable_lines_and_long_lines(tmp_path: Path) -> None:
    events = _mixed(30)
    events[5] = {"type": "output", "exec": "x1", "stream": "stdout", "data": "z" * 5000}
    path = _write(tmp_path / "events.jsonl", events)
    with path.open("ab") as fh:
        fh.write(b"not json\n")
    with EventIndex(path) as ix:
        assert len(ix) == 31
        assert ix[5]["data"] == "z" * 5000
        assert ix[30]["type"] == "unreadable" and ix[30]["line"] == 31
        assert [e["seq"] for e in ix.events(4, 7)] == [4, 5, 6]


def test_replay_index_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"")
    with EventIndex(path) as ix:
        assert len(ix) == 0 and ix.duration == 0.0 and list(ix.events()) == []
