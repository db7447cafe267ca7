"""Writing and reading the log: every event type round-trips, output is batched and capped
and lands raw in output.bin, writers on many threads keep one chain."""

from __future__ import annotations

import os
import tempfile
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from helpers.session_fixture import KEY, end_exec, recorded_output
from helpers.waiting import wait_until
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiperm_tui.errors import UsageError
from aiperm_tui.session import (
    Recorder,
    list_sessions,
    read_events,
    resolve_session,
    verify_session,
)
from aiperm_tui.session import recorder as recorder_mod
from aiperm_tui.session.store import read_meta

text = st.text(max_size=40)
opt_text = st.none() | text
ident = st.text("abcdefxyz0123456789", min_size=1, max_size=6)
small = st.integers(min_value=0, max_value=10_000)
risk = st.fixed_dictionaries(
    {"score": st.integers(0, 100), "blast_radius": st.sampled_from(["single", "tree", "system"])}
)
finding = st.fixed_dictionaries(
    {
        "rule": text,
        "severity": st.sampled_from(["low", "high"]),
        "message": text,
        "span": st.lists(small, min_size=2, max_size=2),
    }
)

# The contract's event table: type -> payload strategy.
EVENTS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "agent_line": st.fixed_dictionaries(
        {"stream": st.sampled_from(["stdout", "stderr"]), "text": text}
    ),
    "request": st.fixed_dictionaries(
        {
            "id": ident,
            "host": text,
            "goal": text,
            "strategy": text,
            "source": st.sampled_from(["agent", "socket", "plan"]),
            "actions": st.lists(text, max_size=4),
        }
    ),
    "decision": st.fixed_dictionaries(
        {
            "id": ident,
            "action": small,
            "cmd": text,
            "decision": st.sampled_from(["allow", "deny"]),
            "confirm": st.sampled_from(["none", "plan", "action", "typed"]),
            "layer": text,
            "reason": text,
            "risk": risk,
            "findings": st.lists(finding, max_size=2),
            "suggestions": st.lists(text, max_size=2),
            "argv": st.none() | st.lists(text, max_size=3),
        }
    ),
    "approval": st.fixed_dictionaries(
        {
            "id": ident,
            "action": small,
            "by": st.sampled_from(["human", "rule", "batch"]),
            "cmd": text,
            "original": opt_text,
            "confirm": text,
            "rule": opt_text,
        }
    ),
    "deny": st.fixed_dictionaries(
        {
            "id": ident,
            "action": small,
            "by": st.sampled_from(["human", "rule", "policy"]),
            "cmd": text,
            "reason": text,
            "message": opt_text,
        }
    ),
    "preview": st.fixed_dictionaries(
        {"id": ident, "action": small, "probes": st.lists(text, max_size=3), "output": text}
    ),
    "rule_added": st.fixed_dictionaries(
        {"host": text, "match": st.sampled_from(["exact", "prefix"]), "pattern": text}
    ),
    "exec_start": st.fixed_dictionaries(
        {"exec": ident, "id": ident, "action": small, "host": text, "cmd": text}
    ),
    "output_truncated": st.fixed_dictionaries(
        {"exec": ident, "stream": text, "recorded_bytes": small, "cap": small}
    ),
    "exec_end": st.fixed_dictionaries(
        {
            "exec": ident,
            "exit_status": st.none() | st.integers(0, 255),
            "signal": opt_text,
            "error": opt_text,
            "duration_ms": small,
            "stdout_bytes": small,
            "stderr_bytes": small,
        }
    ),
    "result_sent": st.fixed_dictionaries(
        {
            "id": ident,
            "action": small,
            "exit_status": st.none() | small,
            "truncated": st.booleans(),
            "edited": st.booleans(),
        }
    ),
    "plan_end": st.fixed_dictionaries(
        {
            "id": ident,
            "status": st.sampled_from(["ok", "denied", "failed"]),
            "exit_code": st.integers(0, 6),
        }
    ),
    "error": st.fixed_dictionaries({"message": text}, optional={"code": small, "id": ident}),
}
any_event = st.sampled_from(sorted(EVENTS)).flatmap(
    lambda kind: st.tuples(st.just(kind), EVENTS[kind])
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_event, min_size=1, max_size=12))
def test_every_event_type_round_trips(events: list[tuple[str, dict[str, Any]]]) -> None:
    with tempfile.TemporaryDirectory() as root:
        rec = Recorder.create(
            agent=["a", "ü\x1b"], hosts=["h"], preset="p", key=KEY, root=Path(root)
        )
        seqs = [rec.event(kind, **payload) for kind, payload in events]
        rec.close("done")
        read = list(read_events(rec.path))
        assert seqs == list(range(2, len(events) + 2))
        assert read[0]["type"] == "session_start" and read[0]["agent"] == ["a", "ü\x1b"]
        assert read[-2] == {**read[-2], "type": "session_end", "reason": "done"}
        assert read[-1] == {**read[-1], "type": "seal", "events": len(events) + 2}
        for (kind, payload), got in zip(events, read[1:-2], strict=True):
            assert got["type"] == kind
            assert {k: got[k] for k in payload} == payload
            assert set(got) == {"seq", "t", "ts", "type", "kid", "mac", *payload}
            assert got["kid"] == KEY.key_id
        assert [e["seq"] for e in read] == list(range(1, len(read) + 1))
        assert verify_session(rec.path, KEY).ok


def test_line_layout(tmp_path: Path) -> None:
    rec = Recorder.create(agent=["a"], hosts=[], preset="p", key=KEY, root=tmp_path)
    rec.close()
    first = (rec.path / "events.jsonl").read_bytes().splitlines()[0]
    assert first.startswith(b'{"seq":1,"t":') and b'"ts":"' in first
    assert first.endswith(b'"}') and first[-74:-66] == b',"mac":"'
    assert next(read_events(rec.path))["ts"].endswith("Z")


def test_reserved_fields_are_refused(tmp_path: Path) -> None:
    rec = Recorder.create(agent=["a"], hosts=[], preset="p", key=KEY, root=tmp_path)
    with pytest.raises(ValueError, match="mac"):
        rec.event("error", message="x", mac="00")
    rec.close()
    assert rec.event("error", message="after close") == 0
    assert verify_session(rec.path, KEY).ok


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["x1", "x2"]),
            st.sampled_from(["stdout", "stderr"]),
            st.binary(max_size=300) | st.text(max_size=100).map(str.encode),
        ),
        max_size=20,
    )
)
def test_output_bytes_round_trip(chunks: list[tuple[str, str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as root:
        rec = Recorder.create(agent=["a"], hosts=[], preset="p", key=KEY, root=Path(root))
        want: dict[tuple[str, str], bytes] = defaultdict(bytes)
        for exec_id, stream, data in chunks:
            rec.output(exec_id, stream, data)
            want[(exec_id, stream)] += data
        rec.close()
        assert recorded_output(rec.path) == {k: v for k, v in want.items() if v}


@given(st.text(min_size=1, max_size=200), st.data())
@settings(max_examples=40, deadline=None)
def test_output_lands_raw_and_contiguous_in_output_bin(value: str, data: st.DataObject) -> None:
    """Chunks cut anywhere (inside a UTF-8 character too) are stored byte for byte: the
    events tile output.bin in order, with nothing escaped and nothing in between."""
    raw = value.encode() + b"\xff\x00\x1b[2J"
    cuts = sorted(data.draw(st.lists(st.integers(0, len(raw)), max_size=6)))
    with tempfile.TemporaryDirectory() as root:
        rec = Recorder.create(agent=["a"], hosts=[], preset="p", key=KEY, root=Path(root))
        rec.batch_bytes = 1  # every chunk is written at once, wherever it was cut
        for start, end in zip([0, *cuts], [*cuts, len(raw)], strict=True):
            rec.output("x1", "stdout", raw[start:end])
        rec.close()
        outputs = [e for e in read_events(rec.path) if e["type"] == "output"]
        assert [e["offset"] for e in outputs] == [
            sum(e["length"] for e in outputs[:i]) for i in range(len(outputs))
        ]
        assert all("data" not in e and len(e["tag"]) == 32 for e in outputs)
        assert (rec.path / "output.bin").read_bytes() == raw
        assert verify_session(rec.path, KEY).ok


def test_batching_by_size_and_time(tmp_path: Path) -> None:
    rec = Recorder.create(agent=["a"], hosts=[], preset="p", key=KEY, root=tmp_path)
    for _ in range(400):
        rec.output("x1", "stdout", b"a" * 10_000)  # 4 MB in 400 chunks
    rec.output("x2", "stdout", b"quiet\n")

    def quiet() -> list[dict[str, Any]]:
        return [e for e in read_events(rec.path) if e.get("exec") == "x2"]

    # The ticker's 50 ms, however late a loaded machine runs it (a fixed sleep was not).
    wait_until(quiet, "the quiet batch was never sealed by time")
    assert quiet()[0]["length"] == len(b"quiet\n")  # sealed by time, before exec_end
    end_exec(rec, "x1", stdout_bytes=4 * 10**6)
    rec.close()
    big = [
        e["length"]
        for e in read_events(rec.path)
        if e.get("exec") == "x1" and e["type"] == "output"
    ]
    full, rest = divmod(4 * 10**6, recorder_mod.BATCH_BYTES)
    assert full and big == [recorder_mod.BATCH_BYTES] * full + [rest]  # by size, not 400
    types = [e["type"] for e in read_events(rec.path)]
    assert types.index("exec_end") > max(
        i
        for i, e in enumerate(read_events(rec.path))
        if e.get("exec") == "x1" and e["type"] == "output"
    )


def test_output_is_written_before_output_returns_and_keeps_its_interleaving(tmp_path: Path) -> None:
    """Bytes are in output.bin when `output` returns; a batch is sealed when another stream
    writes, so the events tile output.bin in the order the output came, across streams
    and execs."""
    rec = Recorder.create(agent=["a"], hosts=[], preset="p", key=KEY, root=tmp_path)
    sent = [
        ("x1", "stdout", b"compiling\n"),
        ("x1", "stdout", b"linking\n"),
        ("x1", "stderr", b"warning: unused\n"),
        ("x2", "stdout", b"other host\n"),
        ("x1", "stdout", b"done\n"),
    ]
    on_disk = b""
    for exec_id, stream, data in sent:
        rec.output(exec_id, stream, data)
        on_disk += data
        assert (rec.path / "output.bin").read_bytes() == on_disk
    rec.close()
    outputs = [e for e in read_events(rec.path) if e["type"] == "output"]
    assert [(e["exec"], e["stream"], e["length"]) for e in outputs] == [
        ("x1", "stdout", 18),
        ("x1", "stderr", 16),
        ("x2", "stdout", 11),
        ("x1", "stdout", 5),
    ]
    assert [e["offset"] for e in outputs] == [0, 18, 34, 45]
    assert verify_session(rec.path, KEY).ok


def test_synced_output_is_dropped_from_the_page_cache_never_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every byte of output.bin is handed to POSIX_FADV_DONTNEED, each range only after an
    fdatasync covered it (dropping dirty pages would start a write-back, not drop)."""
    monkeypatch.setattr(recorder_mod, "SYNC_BYTES", 64 * 1024)  # the ticker syncs too
    rec = Recorder.create(agent=["a"], hosts=[], preset="p", key=KEY, root=tmp_path)
    synced = [0]
    dropped: list[tuple[int, int]] = []
    real_sync, real_advise = os.fdatasync, os.posix_fadvise

    def fdatasync(fd: int) -> None:
        size = os.fstat(fd).st_size
        real_sync(fd)
        if fd == rec._out_fd:
            synced[0] = max(synced[0], size)

    def posix_fadvise(fd: int, offset: int, length: int, advice: int) -> None:
        assert fd == rec._out_fd and advice == os.POSIX_FADV_DONTNEED and length > 0
        assert offset + length <= synced[0]
        dropped.append((offset, offset + length))
        real_advise(fd, offset, length, advice)

    monkeypatch.setattr(recorder_mod.os, "fdatasync", fdatasync)
    monkeypatch.setattr(recorder_mod.os, "posix_fadvise", posix_fadvise)
    for i in range(256):
        rec.output("x1", "stdout", b"b" * 4096)  # 1 MiB
        if i == 63:  # 256 KiB, past SYNC_BYTES: the ticker syncs and drops (it used to
            # be given 0.5 ms sleeps and could miss them all on a loaded machine)
            wait_until(lambda: dropped, "the ticker never synced output.bin")
    end_exec(rec, "x1", stdout_bytes=1 << 20)
    rec.close()
    covered = 0
    for start, end in sorted(dropped):
        assert start <= covered
        covered = max(covered, end)
    assert covered == 1 << 20 and len(dropped) > 1  # by the ticker, then at exec_end


def test_record_cap_truncates_with_an_event(tmp_path: Path) -> None:
    rec = Recorder.create(
        agent=["a"], hosts=[], preset="p", key=KEY, root=tmp_path, record_cap_bytes=1000
    )
    for _ in range(5):
        rec.output("x1", "stdout", b"o" * 300)
        rec.output("x1", "stderr", b"e" * 100)
    rec.output("x2", "stdout", b"other")
    rec.close()
    got = recorded_output(rec.path)
    assert len(got[("x1", "stdout")]) + len(got[("x1", "stderr")]) == 1000
    assert got[("x2", "stdout")] == b"other"
    marks = [e for e in read_events(rec.path) if e["type"] == "output_truncated"]
    assert len(marks) == 1
    assert marks[0] | {} == {**marks[0], "exec": "x1", "recorded_bytes": 1000, "cap": 1000}


def test_threads_share_one_chain(tmp_path: Path) -> None:
    rec = Recorder.create(agent=["a"], hosts=[], preset="p", key=KEY, root=tmp_path)

    def work(n: int) -> None:
        for i in range(300):
            rec.event("agent_line", stream="stdout", text=f"{n}:{i}")
            rec.output(f"x{n}", "stdout", b"z" * 50)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rec.close()
    result = verify_session(rec.path, KEY)
    assert result.ok
    lines = [e for e in read_events(rec.path) if e["type"] == "agent_line"]
    assert len(lines) == 1800
    assert all(len(v) == 300 * 50 for v in recorded_output(rec.path).values())


def test_meta_and_listing(tmp_path: Path) -> None:
    rec = Recorder.create(
        agent=["claude"], hosts=["web1"], preset="ops_safe", key=KEY, root=tmp_path
    )
    rec.event(
        "request", id="r1", host="web1", goal="g", strategy="s", source="agent", actions=["a", "b"]
    )
    rec.event("exec_start", exec="x1", id="r1", action=0, host="web1", cmd="a")
    rec.event("deny", id="r1", action=1, by="human", cmd="b", reason="no", message=None)
    live = Recorder.create(agent=["other"], hosts=[], preset="p", key=KEY, root=tmp_path)
    live.event("request", id="r1", host="h", goal="g", strategy="s", source="agent", actions=["c"])
    rec.close()
    meta = read_meta(rec.path)
    for name in (
        "id",
        "start",
        "agent",
        "hosts",
        "preset",
        "version",
        "key_id",
        "ephemeral",
        "user",
        "hostname",
        "isolation",
        "end",
        "events",
        "head",
    ):
        assert name in meta, name
    assert KEY.secret.hex() not in (rec.path / "meta.toml").read_text()
    infos = {i.id: i for i in list_sessions(tmp_path)}
    closed, open_ = infos[rec.session_id], infos[live.session_id]
    assert (
        closed.requests,
        closed.commands_requested,
        closed.commands_run,
        closed.denied,
        closed.closed,
    ) == (1, 2, 1, 1, True)
    assert (open_.commands_requested, open_.closed) == (1, False)  # counted from the events
    assert resolve_session("latest", tmp_path) == live.path
    assert resolve_session(rec.session_id[:-2], tmp_path) == rec.path
    with pytest.raises(UsageError, match="ambiguous"):
        resolve_session(rec.session_id[:8], tmp_path)
    with pytest.raises(UsageError, match="no session"):
        resolve_session("19990101", tmp_path)
    live.close()
