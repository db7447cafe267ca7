"""Every kind of tampering is caught, at the right seq, with a message naming it; a crash
is reported as unsealed, never as ok. (Deletion and index rollback: test_session_index.)"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.session_fixture import KEY, OTHER_KEY
from helpers.waiting import wait_until

from aiperm_tui.session import (
    Recorder,
    VerifyResult,
    chain,
    list_sessions,
    read_events,
    resolve_session,
    verify_session,
)
from aiperm_tui.session.keys import AuditKey, KeyRing
from aiperm_tui.session.store import EVENTS, read_meta, write_meta

# make_session(10) gives seq 1 session_start, 2..11 agent_line, 12 session_end, 13 seal.


def _lines(path: Path) -> list[bytes]:
    return (path / "events.jsonl").read_bytes().splitlines(keepends=True)


def _write(path: Path, lines: list[bytes]) -> None:
    (path / "events.jsonl").write_bytes(b"".join(lines))


def _tampered(
    make_session: Callable[..., Path], edit: Callable[[list[bytes]], object]
) -> VerifyResult:
    """Verify a fresh 13-event session after `edit` changed its lines (in place)."""
    path = make_session()
    lines = _lines(path)
    edit(lines)
    _write(path, lines)
    return verify_session(path, KEY)


def test_intact_log_verifies(make_session: Callable[..., Path]) -> None:
    result = verify_session(make_session(), KEY)
    assert result.ok and result.closed and result.events == 13
    assert result.problem is None and not result.torn_tail
    assert "sealed" in result.message and result.head and result.head in result.message


@pytest.mark.parametrize("target", [1, 5, 12, 13])
def test_edited_byte(make_session: Callable[..., Path], target: int) -> None:
    path = make_session()
    lines = _lines(path)
    line = lines[target - 1]
    pos = line.index(b'"type"') + 9  # a byte of the type name
    lines[target - 1] = line[:pos] + bytes([line[pos] ^ 1]) + line[pos + 1 :]
    _write(path, lines)
    result = verify_session(path, KEY)
    assert not result.ok
    assert (result.problem, result.first_bad_seq) == ("edited", target)
    assert result.events == target - 1
    assert f"seq {target}" in result.message


def test_edited_mac(make_session: Callable[..., Path]) -> None:
    def edit(lines: list[bytes]) -> None:
        flipped = b"0" if lines[6][-10:-9] != b"0" else b"1"
        lines[6] = lines[6][:-10] + flipped + lines[6][-9:]

    assert _tampered(make_session, edit).first_bad_seq == 7


def test_deleted_line(make_session: Callable[..., Path]) -> None:
    result = _tampered(make_session, lambda lines: lines.pop(4))  # seq 5
    assert (result.ok, result.problem, result.first_bad_seq) == (False, "deleted", 5)


def test_deleted_lines(make_session: Callable[..., Path]) -> None:
    def edit(lines: list[bytes]) -> None:
        del lines[4:7]  # seq 5, 6, 7

    result = _tampered(make_session, edit)
    assert (result.problem, result.first_bad_seq) == ("deleted", 5)
    assert "5..7" in result.message


@pytest.mark.parametrize("copy_of", [1, 3, 9])
def test_inserted_copy(make_session: Callable[..., Path], copy_of: int) -> None:
    result = _tampered(make_session, lambda lines: lines.insert(5, lines[copy_of - 1]))
    assert (result.ok, result.problem, result.first_bad_seq) == (False, "inserted", 6)


def test_inserted_forged_line(make_session: Callable[..., Path]) -> None:
    forged = (
        b'{"seq":6,"t":0.1,"ts":"2026-01-01T00:00:00.000Z","type":"agent_line",'
        b'"stream":"stdout","text":"all good","mac":"' + b"a" * 64 + b'"}\n'
    )
    result = _tampered(make_session, lambda lines: lines.insert(5, forged))  # before seq 6
    assert (result.problem, result.first_bad_seq) == ("inserted", 6)


def test_swapped_lines(make_session: Callable[..., Path]) -> None:
    def edit(lines: list[bytes]) -> None:
        lines[4], lines[5] = lines[5], lines[4]  # seq 5 and 6

    result = _tampered(make_session, edit)
    assert (result.ok, result.problem, result.first_bad_seq) == (False, "reordered", 5)


def test_moved_line(make_session: Callable[..., Path]) -> None:
    result = _tampered(make_session, lambda lines: lines.insert(9, lines.pop(3)))  # seq 4
    assert (result.problem, result.first_bad_seq) == ("reordered", 4)


@pytest.mark.parametrize("cut", [1, 3])
def test_truncated_with_the_seal(make_session: Callable[..., Path], cut: int) -> None:
    """Cutting the tail takes the seal with it: unsealed, never ok, naming the last event."""
    path = make_session()
    _write(path, _lines(path)[:-cut])
    result = verify_session(path, KEY)
    assert (result.ok, result.problem, result.first_bad_seq) == (False, "unsealed", 14 - cut)
    assert (
        f"unsealed: the broker crashed or the tail was cut after event {13 - cut}" in result.message
    )


def test_truncated_keeping_the_seal(make_session: Callable[..., Path]) -> None:
    """Cutting events before the seal and keeping the seal line: the seal no longer chains."""
    path = make_session()
    lines = _lines(path)
    _write(path, [*lines[:8], lines[-1]])
    result = verify_session(path, KEY)
    assert (result.ok, result.problem, result.first_bad_seq) == (False, "deleted", 9)
    assert "9..12" in result.message


def test_truncated_mid_line_of_closed_log(make_session: Callable[..., Path]) -> None:
    path = make_session()
    lines = _lines(path)
    _write(path, [*lines[:-1], lines[-1][:40]])
    result = verify_session(path, KEY)
    assert (result.problem, result.first_bad_seq) == ("unsealed", 13)
    assert result.torn_tail and "torn" in result.message


def test_seal_forged_without_the_key(make_session: Callable[..., Path]) -> None:
    """A seal line rewritten to claim fewer events does not chain."""
    path = make_session()
    lines = _lines(path)
    lines[-1] = lines[-1].replace(b'"events":12', b'"events":11')
    _write(path, lines)
    assert verify_session(path, KEY).problem == "edited"


@pytest.mark.parametrize("claim", [{"events": 11}, {"events": 99}, {"head": "0" * 64}])
def test_a_seal_that_chains_but_disagrees_with_the_chain_is_an_edit(
    make_session: Callable[..., Path], claim: dict[str, object]
) -> None:
    """A seal whose mac chains (written with the key: a key holder, or a recorder bug)
    but whose count or head is not the chain it closes: listings show the seal's counts,
    so it must not pass as intact."""
    path = make_session()
    lines = _lines(path)
    body = json.loads(lines[-1])
    del body["mac"]
    body.update(claim)
    raw = json.dumps(body, separators=(",", ":")).encode()[:-1]
    prev = chain.split_line(lines[-2].rstrip(b"\n"))
    assert prev is not None
    mac = chain.Sealer(KEY.secret).seal(prev[1], raw)
    lines[-1] = raw + b',"mac":"' + mac + b'"}\n'
    _write(path, lines)
    result = verify_session(path, KEY)
    assert (result.ok, result.problem, result.first_bad_seq) == (False, "edited", 13)
    assert "the seal does not match the chain it closes" in result.message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hosts", ["evil"]),
        ("user", "mallory"),
        ("isolation", "sandbox"),
        ("events", 99),
        ("session", "20200101T000000Z-abcdef"),
        ("end", "2031-01-01T00:00:00.000Z"),
        ("duration", 3600.0),
        ("counts", {"requests": 0, "commands_run": 7}),
        ("key_source", "ephemeral"),
    ],
)
def test_meta_edited(make_session: Callable[..., Path], field: str, value: object) -> None:
    path = make_session()
    meta = read_meta(path)
    meta[field] = value
    write_meta(path, meta)
    result = verify_session(path, KEY)
    assert (result.ok, result.problem) == (False, "meta_edited")
    assert f"meta.toml says {field} =" in result.message


def test_meta_cache_matches_the_seal_exactly(make_session: Callable[..., Path]) -> None:
    """meta.toml's end, duration and counts are the seal's own, so verify can hold them to it."""
    path = make_session()
    meta, seal = read_meta(path), list(read_events(path))[-1]
    assert (meta["end"], meta["duration"], meta["counts"]) == (
        seal["ts"],
        seal["t"],
        seal["counts"],
    )
    assert verify_session(path, KEY).ok


def test_meta_field_aiperm_never_writes(make_session: Callable[..., Path]) -> None:
    path = make_session()
    meta = read_meta(path)
    meta["verified"] = True
    write_meta(path, meta)
    result = verify_session(path, KEY)
    assert (result.ok, result.problem) == (False, "meta_edited")
    assert "meta.toml has verified, which aiperm never writes there" in result.message


def test_meta_deleted(make_session: Callable[..., Path]) -> None:
    path = make_session()
    (path / "meta.toml").unlink()
    result = verify_session(path, KEY)
    assert (result.ok, result.problem) == (False, "meta_missing")
    assert "meta.toml is missing" in result.message


def test_meta_is_only_a_cache(make_session: Callable[..., Path]) -> None:
    """What is listed comes from the chain: a forged meta.toml changes nothing shown."""
    path = make_session()
    meta = read_meta(path)
    meta.update(user="mallory", hosts=["evil"], preset="dev_sandbox")
    write_meta(path, meta)
    info = next(i for i in list_sessions(path.parent) if i.path == path)
    assert (info.user, info.hosts, info.preset) == (
        read_events_first(path)["user"],
        ["h"],
        "read_only",
    )


def read_events_first(path: Path) -> dict:
    return next(iter(read_events(path)))


def test_spliced_from_another_session(make_session: Callable[..., Path]) -> None:
    """Lines copied from another session beside this one are named as such."""
    donor, path = make_session(), make_session()
    lines = _lines(path)
    lines.insert(5, _lines(donor)[5])
    _write(path, lines)
    result = verify_session(path, KEY)
    assert (result.ok, result.problem, result.first_bad_seq) == (False, "spliced", 6)
    assert f"seq 6 of session {donor.name}" in result.message


def test_key_named_in_every_event(make_session: Callable[..., Path]) -> None:
    assert {e["kid"] for e in read_events(make_session())} == {KEY.key_id}


def test_wrong_key(make_session: Callable[..., Path]) -> None:
    result = verify_session(make_session(), OTHER_KEY)
    assert (result.ok, result.problem) == (False, "wrong_key")
    assert KEY.key_id in result.message and OTHER_KEY.key_id in result.message
    assert "not present" in result.message


def test_meta_key_id_lie_changes_nothing(make_session: Callable[..., Path]) -> None:
    """The key is chosen by the log's own session_start, not by meta.toml."""
    path = make_session()
    meta = read_meta(path)
    meta["key_id"] = OTHER_KEY.key_id
    write_meta(path, meta)
    assert verify_session(path, OTHER_KEY).problem == "wrong_key"
    both = KeyRing(OTHER_KEY, (KEY,))
    assert verify_session(path, both).problem == "meta_edited"


def test_missing_key(make_session: Callable[..., Path]) -> None:
    result = verify_session(make_session(), None)
    assert (result.ok, result.problem) == (False, "missing_key")
    assert "AIPERM_AUDIT_KEY_FILE" in result.message


def test_ephemeral_session_cannot_be_verified_later(tmp_path: Path) -> None:
    warnings: list[str] = []
    rec = Recorder.create(
        agent=["a"], hosts=["h"], preset="read_only", root=tmp_path, warn=warnings.append
    )
    assert rec.key.ephemeral and "ephemeral" in warnings[0]
    rec.close()
    assert read_meta(rec.path)["ephemeral"] is True
    assert verify_session(rec.path, rec.key).ok  # the same process still holds the key
    for later in (None, KEY):
        result = verify_session(rec.path, later)
        assert not result.ok and "ephemeral" in result.message


def test_copied_under_another_id_fails_at_seq_1(make_session: Callable[..., Path]) -> None:
    first, second = make_session(), make_session()
    (second / "events.jsonl").write_bytes((first / "events.jsonl").read_bytes())
    result = verify_session(second, KEY)
    assert (result.ok, result.problem, result.first_bad_seq) == (False, "spliced", 1)
    assert f"this log is session {first.name}'s (it chains from that id)" in result.message


def test_live_session_is_said_live_not_ok(tmp_path: Path) -> None:
    rec = Recorder.create(agent=["a"], hosts=["h"], preset="p", key=KEY, root=tmp_path)
    rec.event("agent_line", stream="stdout", kind="text", text="hi")
    result = verify_session(rec.path, KEY)
    assert (result.ok, result.problem, result.live) == (False, "unsealed", True)
    assert "still being recorded" in result.message and "after event 2" in result.message
    rec.close()
    assert verify_session(rec.path, KEY).ok


def test_torn_tail_is_reported(tmp_path: Path) -> None:
    rec = Recorder.create(agent=["a"], hosts=["h"], preset="p", key=KEY, root=tmp_path)
    rec.event("agent_line", stream="stdout", kind="text", text="hi")
    with open(rec.path / "events.jsonl", "ab") as fh:
        fh.write(b'{"seq":3,"t":0.5,"ts":"2026-')
    result = verify_session(rec.path, KEY)
    assert (result.ok, result.problem) == (False, "unsealed")
    assert result.torn_tail and result.events == 2 and "torn" in result.message
    assert len(list(read_events(rec.path))) == 2
    rec.close()


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from aiperm_tui.session import Recorder
    from aiperm_tui.session.keys import AuditKey
    rec = Recorder.create(agent=["w"], hosts=["h"], preset="p", root=Path(sys.argv[1]),
                          key=AuditKey(bytes(range(32)), "env"))
    print(rec.path, flush=True)
    i = 0
    while True:
        i += 1
        rec.event("agent_line", stream="stdout", text="x" * (i % 3000))
        rec.output("x1", "stdout", b"y" * (i % 70000))
        if i % 50 == 0:
            rec.event("exec_end", exec="x1", exit_status=0, signal=None, error=None,
                      duration_ms=1, stdout_bytes=0, stderr_bytes=0)
""")


@pytest.mark.parametrize("wait", [0.2, 0.5, 0.9])
def test_sigkill_while_writing_leaves_a_verifiable_log(tmp_path: Path, wait: float) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
    )
    assert proc.stdout is not None
    path = Path(proc.stdout.readline().strip())
    events = path / EVENTS
    # Some events in first (a loaded box may start the writer late), then `wait` more
    # seconds of writing, so the kill lands at a different point each time.
    wait_until(lambda: events.read_bytes().count(b"\n") > 20, "the writer wrote nothing")
    time.sleep(wait)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    result = verify_session(path, KEY)
    assert (result.ok, result.problem, result.live) == (False, "unsealed", False), result.message
    assert "the broker crashed or the tail was cut" in result.message
    assert not result.closed and result.events > 10
    assert result.first_bad_seq == result.events + 1  # every event before it verified
    assert sum(1 for _ in read_events(path)) == result.events


def test_recorder_key_is_used(tmp_path: Path) -> None:
    key = AuditKey(b"\x07" * 32, "file")
    rec = Recorder.create(agent=["a"], hosts=[], preset="p", key=key, root=tmp_path)
    rec.close()
    assert read_meta(rec.path)["key_id"] == key.key_id
    assert verify_session(rec.path, key).ok


def _edit_start(path: Path, old: bytes, new: bytes) -> None:
    lines = _lines(path)
    assert old in lines[0]
    lines[0] = lines[0].replace(old, new)
    _write(path, lines)


def test_edited_key_id_is_an_edit_of_event_1(make_session: Callable[..., Path]) -> None:
    """session_start's key_id names the key to verify with, so changing it must not read
    as "wrong key": the key present still chains seq 2 from seq 1's mac."""
    path = make_session()
    _edit_start(path, f'"key_id":"{KEY.key_id}"'.encode(), f'"key_id":"{"0" * 16}"'.encode())
    result = verify_session(path, KEY)
    assert (result.ok, result.problem, result.first_bad_seq) == (False, "edited", 1)
    assert f'it says key_id "{"0" * 16}"' in result.message
    assert f"sealed with key {KEY.key_id}" in result.message


def test_edited_key_id_and_kid_is_an_edit_of_event_1(make_session: Callable[..., Path]) -> None:
    path = make_session()
    _edit_start(path, KEY.key_id.encode(), OTHER_KEY.key_id.encode())  # key_id and kid
    result = verify_session(path, KEY)
    assert (result.problem, result.first_bad_seq) == ("edited", 1)
    assert f'key_id "{OTHER_KEY.key_id}", kid "{OTHER_KEY.key_id}"' in result.message


def test_edited_ephemeral_is_an_edit_of_event_1(make_session: Callable[..., Path]) -> None:
    """A log claiming an ephemeral key would say it "cannot be verified"; the stored key
    that chains it shows the claim was edited in."""
    path = make_session()
    _edit_start(path, b'"ephemeral":false', b'"ephemeral":true')
    for ring in (KeyRing(KEY), KeyRing(OTHER_KEY, (KEY,))):
        result = verify_session(path, ring)
        assert (result.problem, result.first_bad_seq) == ("edited", 1), result.message
        assert "it says ephemeral true" in result.message
        assert "cannot be verified" not in result.message


def test_latest_follows_the_chain_not_meta(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sessions started in the same second are ordered by their session_start; swapping
    their meta.toml starts changes neither the order nor `latest`, and verify reports it."""
    clock = iter(1_800_000_000.1 + i / 1000 for i in range(10_000))
    monkeypatch.setattr(time, "time", lambda: next(clock))
    first, second = (
        Recorder.create(agent=["a"], hosts=["h"], preset="p", key=KEY, root=tmp_path)
        for _ in range(2)
    )
    for rec in (first, second):
        rec.close()
    monkeypatch.undo()
    assert first.session_id[:16] == second.session_id[:16]  # the same second
    a, b = read_meta(first.path), read_meta(second.path)
    a["start"], b["start"] = b["start"], a["start"]
    write_meta(first.path, a)
    write_meta(second.path, b)
    assert resolve_session("latest", tmp_path) == second.path
    assert [i.id for i in list_sessions(tmp_path)] == [first.session_id, second.session_id]
    result = verify_session(first.path, KEY)
    assert result.problem == "meta_edited" and "meta.toml says start =" in result.message


def test_replay_names_the_session_from_its_folder_not_meta(
    make_session: Callable[..., Path],
) -> None:
    from aiperm_tui.replay.recording import Recording

    path = make_session()
    meta = read_meta(path)
    meta["id"] = "20200101T000000Z-000000"
    write_meta(path, meta)
    recording = Recording.open(path)
    try:
        assert recording.session_id == path.name
    finally:
        recording.close()
    assert verify_session(path, KEY).problem == "meta_edited"


LOCKER = textwrap.dedent("""
    import fcntl, os, sys
    fd = os.open(sys.argv[1], os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    print("locked", flush=True)
    sys.stdin.read()  # hold the lock until the test closes our stdin
""")


@pytest.mark.timeout(60)
def test_a_cut_log_locked_by_another_process_is_cut_not_live(
    make_session: Callable[..., Path],
) -> None:
    """The agent can cut a log's tail and hold a flock on it so the cut passes for a live
    session: only a lock held by the broker that session_start records means live."""
    path = make_session()
    _write(path, _lines(path)[:-2])  # session_end and the seal cut off
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(path / "events.jsonl")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert locker.stdout is not None and locker.stdout.readline() == "locked\n"
        result = verify_session(path, KEY)
        assert (result.ok, result.problem, result.live) == (False, "unsealed", False)
        assert "the broker crashed or the tail was cut" in result.message
        assert "held, but not by the broker that recorded it" in result.message
    finally:
        assert locker.stdin is not None
        locker.stdin.close()
        locker.wait(30)


def test_a_lock_by_a_reused_pid_is_not_the_broker(tmp_path: Path) -> None:
    """The pid the broker had, held by a process that started at another time (the pid
    reused), is not the broker: the start time recorded must match too."""
    from aiperm_tui.session import liveness

    log = tmp_path / "events.jsonl"
    log.write_bytes(b"")
    me = liveness.this_process()
    fd = os.open(log, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert liveness.recorded_by_live_broker(log, {"broker": me})
        if me["started"] is not None:  # Linux: /proc gives the start time
            other = {**me, "started": me["started"] + 1}
            assert not liveness.recorded_by_live_broker(log, {"broker": other})
        assert not liveness.recorded_by_live_broker(log, {})  # no broker recorded
    finally:
        os.close(fd)
    assert not liveness.recorded_by_live_broker(log, {"broker": me})  # no lock held


def test_a_damaged_first_event_does_not_hand_the_listing_to_meta(
    make_session: Callable[..., Path],
) -> None:
    """session_start made unreadable, meta.toml forged: the listing shows no facts rather
    than meta's, and verify names the edit."""
    path = make_session()
    lines = _lines(path)
    lines[0] = b"not json\n"
    _write(path, lines)
    meta = read_meta(path)
    meta.update(id="20200101T000000Z-000000", user="mallory", hosts=["evil"])
    write_meta(path, meta)
    info = next(i for i in list_sessions(path.parent) if i.path == path)
    assert (info.id, info.user, info.hosts) == (path.name, "", [])
    assert verify_session(path, KEY).first_bad_seq == 1
