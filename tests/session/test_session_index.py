"""The session index against the folders (deletion, truncation, re-chaining, rollback),
key swap and rotation, and the anchor hook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.audit_key import use_key
from helpers.session_fixture import KEY, OTHER_KEY, rechain

from aiperm_tui.config import AuditConfig
from aiperm_tui.replay.recording import check_integrity
from aiperm_tui.session import Recorder, verify_session
from aiperm_tui.session import ledger as ledger_mod
from aiperm_tui.session.audit import Finding, check_anchored, check_sessions
from aiperm_tui.session.keys import KeyRing, load_key_ring, read_key_file
from aiperm_tui.session.ledger import INDEX, read_ledger

RING = KeyRing(KEY)


def _session(
    root: Path, n: int = 3, *, key=KEY, audit: AuditConfig | None = None, close: bool = True
) -> Recorder:
    rec = Recorder.create(agent=["a"], hosts=["h"], preset="p", key=key, root=root, audit=audit)
    for i in range(n):
        rec.agent_line("stdout", "text", f"line {i}")
    if close:
        rec.close()
    return rec


def _problems(root: Path, ring: KeyRing = RING) -> list[tuple[str, str | None]]:
    return [(f.problem, f.session) for f in check_sessions(root, ring)]


def _only(root: Path, ring: KeyRing = RING) -> Finding:
    found = check_sessions(root, ring)
    assert len(found) == 1, found
    return found[0]


def test_intact_sessions_and_index_agree(tmp_path: Path) -> None:
    for _ in range(3):
        _session(tmp_path)
    assert _problems(tmp_path) == []
    state = read_ledger(tmp_path, RING)
    assert [e["type"] for e in state.entries] == ["start", "seal"] * 3
    assert state.problem is None


def test_session_delete_is_missing(tmp_path: Path) -> None:
    first, second = _session(tmp_path), _session(tmp_path)
    shutil.rmtree(first.path)
    found = _only(tmp_path)
    assert (found.problem, found.session) == ("missing", first.session_id)
    assert "deleted" in found.message
    assert second.path.exists()


def test_truncated_session_is_named_by_the_index(tmp_path: Path) -> None:
    rec = _session(tmp_path, 5)
    events = rec.path / "events.jsonl"
    events.write_bytes(b"".join(events.read_bytes().splitlines(keepends=True)[:3]))
    found = _only(tmp_path)
    assert (found.problem, found.session) == ("truncated", rec.session_id)
    assert "sealed with 8 events" in found.message and "verifies only 3" in found.message


def test_log_rewritten_by_a_key_holder_verifies_alone_but_not_against_the_index(
    tmp_path: Path,
) -> None:
    rec = _session(tmp_path)

    def forge(lines: list[dict]) -> None:
        lines[1]["text"] = "nothing to see"

    rechain(rec.path, KEY, forge)
    assert verify_session(rec.path, KEY).problem == "meta_missing"  # the chain itself holds
    assert ("rewritten", rec.session_id) in _problems(tmp_path)


def test_an_unsealed_log_rewritten_by_a_key_holder_is_caught_by_its_start(
    tmp_path: Path,
) -> None:
    """A session that never reached its seal (a crash) has only its start in the index:
    a key holder's rewrite of it shows there, with no seal entry to compare."""
    rec = _session(tmp_path, close=False)

    def forge(lines: list[dict]) -> None:
        lines[0]["user"] = "somebody-else"

    rechain(rec.path, KEY, forge)
    try:
        assert ("rewritten", rec.session_id) in _problems(tmp_path)
    finally:
        rec.close()


def test_index_rollback_to_an_older_copy(tmp_path: Path) -> None:
    _session(tmp_path)
    old = (tmp_path / INDEX).read_bytes()
    later = _session(tmp_path)
    (tmp_path / INDEX).write_bytes(old)  # the index as it was before `later`
    problems = _problems(tmp_path)
    assert ("rolled_back", later.session_id) in problems
    assert all(p == "rolled_back" for p, _ in problems)


def test_index_rollback_seen_from_a_session_that_began_later(tmp_path: Path) -> None:
    """Cut the index back past a seal: the sealed log and a later session both notice."""
    first = _session(tmp_path)
    second = _session(tmp_path)
    lines = (tmp_path / INDEX).read_bytes().splitlines(keepends=True)
    (tmp_path / INDEX).write_bytes(b"".join(lines[:3]))  # start, seal, start of second
    found = {f.session: f for f in check_sessions(tmp_path, RING)}
    assert found[second.session_id].problem == "rolled_back"
    assert "no seal" in found[second.session_id].message
    assert first.session_id not in found


def test_index_edited_is_named(tmp_path: Path) -> None:
    _session(tmp_path)
    index = tmp_path / INDEX
    index.write_bytes(index.read_bytes().replace(b'"type":"seal"', b'"type":"sEal"'))
    found = check_sessions(tmp_path, RING)
    assert found[0].problem == "index_damaged"
    assert "index entry 2: edited" in found[0].message


def test_index_deleted(tmp_path: Path) -> None:
    _session(tmp_path)
    (tmp_path / INDEX).unlink()
    problems = _problems(tmp_path)
    assert ("rolled_back", None) in problems


def test_key_swap_is_named(tmp_path: Path) -> None:
    """The key replaced by another one (not rotated): every log and the index say which
    key they need and that it is not present."""
    rec = _session(tmp_path)
    swapped = KeyRing(OTHER_KEY)
    result = verify_session(rec.path, swapped)
    assert (result.ok, result.problem) == (False, "wrong_key")
    assert f"written with key id {KEY.key_id}, which is not present" in result.message
    found = check_sessions(tmp_path, swapped)
    assert found[0].problem == "index_damaged"
    assert f"written with key id {KEY.key_id}, which is not present" in found[0].message


def test_a_log_rechained_with_a_swapped_key_is_rewritten(tmp_path: Path) -> None:
    rec = _session(tmp_path)
    rechain(rec.path, OTHER_KEY, lambda lines: None)
    both = KeyRing(OTHER_KEY, (KEY,))
    assert ("rewritten", rec.session_id) in _problems(tmp_path, both)


def test_rotate_key_keeps_old_sessions_verifiable(tmp_path: Path, monkeypatch) -> None:
    config, data = tmp_path / "config", tmp_path / "data"
    monkeypatch.setenv("AIPERM_CONFIG", str(config / "config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("AIPERM_DATA_DIR", str(data))
    env = {"PYTHONPATH": str(Path.cwd())}

    def aiperm(*args: str) -> subprocess.CompletedProcess[str]:
        import os

        return subprocess.run(
            [sys.executable, "-m", "aiperm_tui", *args],
            text=True,
            capture_output=True,
            env={**os.environ, **env},
            timeout=60,
        )

    assert aiperm("init").returncode == 0
    key_file = next(config.rglob("audit.key"))
    old = read_key_file(key_file)
    rec = _session(data / "sessions", key=old)
    done = aiperm("init", "--rotate-key")
    assert done.returncode == 0, done.stderr
    new = read_key_file(key_file)
    assert new.key_id != old.key_id and old.key_id in done.stdout
    ring = load_key_ring(key_file)
    assert ring.current == new and ring.find(old.key_id) is not None
    assert verify_session(rec.path, ring).ok
    assert check_integrity(rec.path).state == "ok"  # replay's check uses the retired keys
    after = _session(data / "sessions", key=new)
    assert check_sessions(data / "sessions", ring) == []
    assert [e["type"] for e in read_ledger(data / "sessions", ring).entries][-3:] == [
        "rotate",
        "start",
        "seal",
    ]
    verify_all = aiperm("verify", "--all")
    assert verify_all.returncode == 0, verify_all.stdout
    assert verify_all.stdout.count(": ok:") == 2 and after.session_id in verify_all.stdout
    (key_file.parent / "audit-keys" / f"{old.key_id}.key").unlink()
    missing = aiperm("verify", rec.session_id)
    assert missing.returncode == 1
    assert f"written with key id {old.key_id}, which is not present" in missing.stdout


HOOK = """
import os, sys
line = sys.stdin.read()
with open(sys.argv[1], "a") as fh:
    fh.write(line + ("KEY LEAKED" if any(k.startswith("AIPERM_AUDIT") for k in os.environ) else ""))
sys.exit(int(sys.argv[2]))
"""


def _join(rec: Recorder) -> None:
    for thread in rec.anchor_threads:
        thread.join(30)


@pytest.mark.timeout(60)
def test_anchor_hook_gets_each_start_and_seal_and_its_outcome_is_indexed(
    tmp_path: Path, monkeypatch, isolated_home: Path
) -> None:
    use_key(monkeypatch, isolated_home / "keys", KEY)
    got = tmp_path / "anchored.txt"
    root = tmp_path / "sessions"
    audit = AuditConfig(anchor=(sys.executable, "-c", HOOK, str(got), "0"))
    rec = _session(root, audit=audit)
    _join(rec)
    start_head = json.loads((rec.path / "events.jsonl").read_bytes().splitlines()[0])["mac"]
    state = read_ledger(root, RING)  # the start's anchor outcome may precede the seal
    seal_n = next(e["n"] for e in state.entries if e["type"] == "seal")
    heads = state.heads
    assert sorted(got.read_text().splitlines(keepends=True)) == [
        f"aiperm-seal v2 session={rec.session_id} events=6 head={rec.head} "
        f"index={seal_n} index_head={heads[seal_n - 1]} key={KEY.key_id}\n",
        f"aiperm-start v1 session={rec.session_id} head={start_head} "
        f"index=1 index_head={heads[0]} key={KEY.key_id}\n",
    ]
    assert verify_session(rec.path, KEY).head == rec.head
    failing = _session(root, audit=AuditConfig(anchor=(sys.executable, "-c", HOOK, str(got), "3")))
    _join(failing)
    anchors = [e for e in read_ledger(root, RING).entries if e["type"] == "anchor"]
    assert sorted((a["session"], a["at"], a["ok"]) for a in anchors) == sorted(
        [
            (rec.session_id, "start", True),
            (rec.session_id, "seal", True),
            (failing.session_id, "start", False),
            (failing.session_id, "seal", False),
        ]
    )
    assert all("exit 3" in a["detail"] for a in anchors if not a["ok"])
    assert check_sessions(root, RING) == []


@pytest.mark.timeout(60)
def test_anchor_hook_that_hangs_is_killed_and_recorded(tmp_path: Path) -> None:
    audit = AuditConfig(
        anchor=(sys.executable, "-c", "import time; time.sleep(60)"), anchor_timeout=2.0
    )  # 2 s: the hook is still running when close() returns, even on a loaded box
    rec = _session(tmp_path, audit=audit)  # close() returns at once: the hook is threaded
    assert rec.anchor_threads[-1].is_alive()
    _join(rec)
    anchors = [e for e in read_ledger(tmp_path, RING).entries if e["type"] == "anchor"]
    assert [(a["ok"], "did not finish within 2 s" in a["detail"]) for a in anchors] == [
        (False, True),
        (False, True),
    ]


def test_anchor_program_missing_is_recorded(tmp_path: Path) -> None:
    warned: list[str] = []
    rec = Recorder.create(
        agent=["a"],
        hosts=[],
        preset="p",
        key=KEY,
        root=tmp_path,
        audit=AuditConfig(anchor=("/nonexistent/anchor",)),
        warn=warned.append,
    )
    rec.close()
    _join(rec)
    assert "could not run" in read_ledger(tmp_path, RING).entries[-1]["detail"]
    assert any("anchor hook failed" in w for w in warned)


def test_ephemeral_sessions_stay_out_of_the_index(tmp_path: Path) -> None:
    rec = Recorder.create(agent=["a"], hosts=[], preset="p", root=tmp_path, warn=lambda _: None)
    rec.close()
    assert not (tmp_path / INDEX).exists() or not read_ledger(tmp_path, RING).entries
    assert rec.key.ephemeral


def test_concurrent_recorders_share_one_index(tmp_path: Path) -> None:
    import threading

    def run() -> None:
        for _ in range(5):
            _session(tmp_path, 1)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    state = read_ledger(tmp_path, RING)
    assert state.problem is None and len(state.entries) == 40
    assert check_sessions(tmp_path, RING) == []


def test_a_torn_index_line_is_cut_by_the_next_writer(tmp_path: Path) -> None:
    _session(tmp_path)
    with open(tmp_path / INDEX, "ab") as fh:
        fh.write(b'{"n":3,"ts":"20')
    assert "torn" in (read_ledger(tmp_path, RING).problem or "")
    _session(tmp_path)
    assert check_sessions(tmp_path, RING) == []


def test_ledger_module_appends_under_its_lock(tmp_path: Path) -> None:
    mac = ledger_mod.append(tmp_path, KEY, "note", text="x")
    with ledger_mod.locked(tmp_path) as writer:
        assert (writer.n, writer.head) == (1, mac)


def _edit_first_line(folder: Path) -> None:
    """One byte of seq 1 changed: the log fails verification at seq 1."""
    events = folder / "events.jsonl"
    data = events.read_bytes()
    events.write_bytes(data.replace(b'"preset":"p"', b'"preset":"q"', 1))


def test_a_log_failing_at_seq_1_is_still_compared_with_the_index(tmp_path: Path) -> None:
    """Verification stops at seq 1, but the index still vouches for the first mac and
    the seal: a cut tail shows beside the edit."""
    rec = _session(tmp_path, 5)
    _edit_first_line(rec.path)
    assert verify_session(rec.path, KEY).first_bad_seq == 1
    assert _problems(tmp_path) == []  # the edit is verify's finding; the rest agrees
    events = rec.path / "events.jsonl"
    events.write_bytes(b"".join(events.read_bytes().splitlines(keepends=True)[:4]))
    found = _only(tmp_path)
    assert (found.problem, found.session) == ("truncated", rec.session_id)
    assert "sealed with 8 events" in found.message and "holds only 4" in found.message


def test_a_log_replaced_from_seq_1_is_rewritten(tmp_path: Path) -> None:
    """Another session's log (from elsewhere) put in a folder: seq 1 fails, and its first
    mac is not the one the index recorded."""
    rec, donor = _session(tmp_path), _session(tmp_path / "elsewhere")
    shutil.copy(donor.path / "events.jsonl", rec.path / "events.jsonl")
    assert verify_session(rec.path, KEY).first_bad_seq == 1
    assert ("rewritten", rec.session_id) in _problems(tmp_path)


def test_index_deleted_and_grown_again(tmp_path: Path) -> None:
    """The index deleted, then a new session grows a fresh one: its entries are not the
    ones the older sessions' session_start recorded."""
    first, second = _session(tmp_path), _session(tmp_path)
    (tmp_path / INDEX).unlink()
    third = _session(tmp_path)
    found = {f.session: f for f in check_sessions(tmp_path, RING)}
    assert set(found) == {first.session_id, second.session_id}
    assert found[second.session_id].problem == "rolled_back"
    assert "entry 2 is not the one this session saw" in found[second.session_id].message
    assert found[first.session_id].problem == "rolled_back"
    assert f"is now a start entry of {third.session_id}" in found[first.session_id].message


def test_a_start_entered_at_the_wrong_place_is_rewritten(tmp_path: Path) -> None:
    """A key holder who rebuilds the index with every entry, but in another order, is
    caught by where each session_start says its start went."""
    first, second = _session(tmp_path), _session(tmp_path)
    entries = read_ledger(tmp_path, RING).entries
    (tmp_path / INDEX).unlink()
    for entry in [entries[2], entries[3], entries[0], entries[1]]:  # second's before first's
        fields = {k: v for k, v in entry.items() if k not in ("n", "ts", "type", "kid", "mac")}
        ledger_mod.append(tmp_path, KEY, entry["type"], **fields)
    problems = _problems(tmp_path)
    assert ("rolled_back", first.session_id) in problems
    assert ("rolled_back", second.session_id) in problems


STARTER = """
import sys, time
from pathlib import Path
from aiperm_tui.config import AuditConfig
from aiperm_tui.replay.recording import check_integrity
from aiperm_tui.session import Recorder
from aiperm_tui.session.keys import AuditKey
hook = (sys.executable, "-c", sys.argv[3], sys.argv[2], "0")
rec = Recorder.create(agent=["a"], hosts=["h"], preset="p", root=Path(sys.argv[1]),
                      key=AuditKey(bytes(range(32)), "file"), audit=AuditConfig(anchor=hook))
rec.agent_line("stdout", "text", "about to be deleted")
for thread in rec.anchor_threads:
    thread.join(30)
print(rec.session_id, flush=True)
time.sleep(120)
"""


@pytest.mark.timeout(90)
def test_a_session_deleted_before_its_seal_with_its_index_entries_shows_from_the_anchor(
    tmp_path: Path,
) -> None:
    """The case no local check can catch: a session started and never sealed, deleted
    together with its index entries (the index put back as it was). Its anchored start
    names it, and the index entry anchored with it is gone."""
    root, anchored = tmp_path / "sessions", tmp_path / "anchored.log"
    audit = AuditConfig(anchor=(sys.executable, "-c", HOOK, str(anchored), "0"))
    kept = _session(root, audit=audit)
    _join(kept)
    before = (root / INDEX).read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-c", STARTER, str(root), str(anchored), HOOK],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
    )
    try:
        assert proc.stdout is not None
        gone = proc.stdout.readline().strip()
    finally:
        proc.kill()  # never sealed
        proc.wait(30)
    shutil.rmtree(root / gone)
    (root / INDEX).write_bytes(before)
    assert check_sessions(root, RING) == []  # a consistent older state
    lines = anchored.read_text().splitlines()
    found = {(f.problem, f.session) for f in check_anchored(root, RING, lines)}
    assert found == {("missing", gone), ("rolled_back", gone)}


def test_a_log_rewritten_with_its_index_by_a_key_holder_shows_from_the_anchor(
    tmp_path: Path,
) -> None:
    """A key holder re-chains a log and rebuilds the index to match: every local check
    passes; the anchored start and seal do not."""
    anchored = tmp_path / "anchored.log"
    root = tmp_path / "sessions"
    rec = _session(root, audit=AuditConfig(anchor=(sys.executable, "-c", HOOK, str(anchored), "0")))
    _join(rec)

    def forge(lines: list[dict]) -> None:
        lines[1]["text"] = "nothing to see"

    rechain(rec.path, KEY, forge)
    (root / INDEX).unlink()  # and an index to match it
    lines = [json.loads(line) for line in (rec.path / "events.jsonl").read_bytes().splitlines()]
    ledger_mod.append(root, KEY, "start", session=rec.session_id, head=lines[0]["mac"])
    ledger_mod.append(root, KEY, "seal", session=rec.session_id, events=6, head=lines[-1]["mac"])
    assert _problems(root) == []
    found = check_anchored(root, RING, anchored.read_text().splitlines())
    assert {(f.problem, f.message.split(": ")[1].split()[0]) for f in found} == {
        ("rewritten", "seal"),  # the seal head is not the one anchored
        ("rolled_back", "start"),  # the index entries anchored with both are gone
        ("rolled_back", "seal"),
    }


def test_a_session_copied_in_from_another_sessions_folder_is_named(tmp_path: Path) -> None:
    """A log that verifies but that this index never recorded (copied in from another
    machine or folder) is reported, never passed as part of this record."""
    here, there = tmp_path / "here", tmp_path / "there"
    _session(here), _session(here)
    stranger = _session(there)
    shutil.copytree(stranger.path, here / stranger.session_id)
    assert verify_session(here / stranger.session_id, RING).ok  # authentic on its own
    found = _only(here)
    assert found.session == stranger.session_id and found.problem in ("rolled_back", "unindexed")


def test_with_the_index_unreadable_sessions_are_not_called_copied_in(tmp_path: Path) -> None:
    """When the index cannot be read (here: the key was swapped), every session is outside
    the part of it that verifies; the finding says so instead of blaming the sessions."""
    rec = _session(tmp_path)
    found = check_sessions(tmp_path, KeyRing(OTHER_KEY))
    assert [f.problem for f in found] == ["index_damaged", "unindexed"]
    assert found[1].session == rec.session_id
    assert "not in the part of the session index that verifies (the index is damaged" in (
        found[1].message
    )
    assert "copied in from elsewhere" not in found[1].message


def test_an_emptied_log_is_truncated_not_rewritten(tmp_path: Path) -> None:
    """A log emptied to 0 bytes holds no first event to compare: the index says its
    start was recorded and the log holds nothing (a cut), not that a key holder
    re-chained it."""
    rec, _ = _session(tmp_path), _session(tmp_path)
    (rec.path / "events.jsonl").write_bytes(b"")
    found = _only(tmp_path)
    assert (found.problem, found.session) == ("truncated", rec.session_id)
    assert "the index records its start (entry 1), but its log holds no event" in found.message
