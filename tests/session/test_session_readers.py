"""The record's readers hold up against what a hostile agent can leave in the record:
replay verifies with the key ring (a rotated key still verifies), and a FIFO (or other
non-regular file) in place of meta.toml, index.jsonl or a neighbour's events.jsonl is
reported as damage by name, never waited on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.audit_key import use_key
from helpers.session_fixture import KEY

from aiperm_tui.cli import main
from aiperm_tui.errors import UsageError
from aiperm_tui.replay.recording import Recording
from aiperm_tui.session import Recorder, verify_session
from aiperm_tui.session.files import NotRegularFile, open_regular
from aiperm_tui.session.keys import KeyRing, rotate_key_file
from aiperm_tui.session.ledger import INDEX, read_ledger
from aiperm_tui.session.store import write_meta

RING = KeyRing(KEY)
ROOT = Path(__file__).resolve().parents[2]


def _session(root: Path, n: int = 3) -> Path:
    rec = Recorder.create(agent=["a"], hosts=["h"], preset="p", key=KEY, root=root)
    for i in range(n):
        rec.agent_line("stdout", "text", f"line {i}")
    rec.close()
    return rec.path


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Path:
    """The sessions folder the CLI reads, with KEY in the key file."""
    monkeypatch.setenv("AIPERM_DATA_DIR", str(tmp_path / "data"))
    use_key(monkeypatch, isolated_home / "keys", KEY)
    return tmp_path / "data" / "sessions"


# -- A: replay verifies with the key ring ---------------------------------------------------


@pytest.mark.timeout(60)
def test_replay_verifies_a_session_recorded_before_a_key_rotation(
    data: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _session(data)
    key_file = isolated_home / "keys" / "audit.key"
    old, new = rotate_key_file(key_file)
    assert old.key_id == KEY.key_id != new.key_id
    assert main(["replay", "--no-tui", folder.name]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"# session {folder.name}: verified: intact"), first
    (key_file.parent / "audit-keys" / f"{old.key_id}.key").unlink()
    assert main(["replay", "--no-tui", folder.name]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert ": UNVERIFIED: wrong key:" in first
    assert f"written with key id {KEY.key_id}, which is not present" in first


# -- B: non-regular files are damage, not a hang --------------------------------------------


def _fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (_fifo, "FIFO"),
        (lambda p: (p.unlink(), p.symlink_to("/dev/zero")), "symbolic link"),
        (lambda p: (p.unlink(), p.mkdir()), "directory"),
    ],
)
@pytest.mark.timeout(10)
def test_open_regular_refuses_what_is_not_a_regular_file(tmp_path: Path, make, kind) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x")
    make(path)
    with pytest.raises(NotRegularFile, match=f"not a regular file \\(a {kind}\\)"):
        open_regular(path)


@pytest.mark.timeout(30)
def test_a_fifo_as_meta_toml_is_reported_not_waited_on(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _session(data)
    _fifo(folder / "meta.toml")
    result = verify_session(folder, RING)
    assert (result.ok, result.problem) == (False, "unreadable")
    assert "meta.toml cannot be read: not a regular file (a FIFO)" in result.message
    assert main(["verify", folder.name]) == 1
    assert "meta.toml cannot be read: not a regular file (a FIFO)" in capsys.readouterr().out
    assert main(["sessions"]) == 0
    assert "unreadable" in capsys.readouterr().out
    assert main(["report", "--format", "json"]) == 1
    assert "not a regular file (a FIFO)" in capsys.readouterr().out


@pytest.mark.timeout(30)
def test_a_fifo_as_the_session_index_is_reported_not_waited_on(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _session(data)
    _fifo(data / INDEX)
    state = read_ledger(data, RING)
    assert state.problem == f"{INDEX} cannot be read: not a regular file (a FIFO)"
    assert main(["sessions", "--verify"]) == 1
    out = capsys.readouterr().out
    assert f"index_damaged: session index: {INDEX} cannot be read: not a regular file" in out
    assert main(["report", "--format", "json"]) == 1
    assert "not a regular file (a FIFO)" in capsys.readouterr().out


@pytest.mark.timeout(30)
def test_a_fifo_in_a_neighbour_does_not_hang_the_splice_search(data: Path) -> None:
    damaged, neighbour = _session(data), _session(data)
    _fifo(neighbour / "events.jsonl")
    lines = (damaged / "events.jsonl").read_bytes().splitlines(keepends=True)
    lines[1] = lines[1].replace(b"line 0", b"line X")
    (damaged / "events.jsonl").write_bytes(b"".join(lines))
    result = verify_session(damaged, RING)  # the search reads every neighbour
    assert (result.ok, result.problem, result.first_bad_seq) == (False, "edited", 2)


@pytest.mark.timeout(30)
def test_a_fifo_as_the_log_is_reported(data: Path) -> None:
    folder = _session(data)
    _fifo(folder / "events.jsonl")
    result = verify_session(folder, RING)
    assert result.problem == "unreadable" and "events.jsonl: not a regular file" in result.message
    with pytest.raises(
        UsageError, match=r"cannot read the session log: not a regular file \(a FIFO\)"
    ):
        Recording.open(folder)


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (_fifo, "not a regular file (a FIFO)"),
        (lambda p: (p.unlink(), p.mkdir()), "not a regular file (a directory)"),
        (lambda p: (p.unlink(), p.symlink_to("/dev/zero")), "not a regular file (a symbolic"),
        (Path.unlink, "No such file or directory"),
    ],
)
@pytest.mark.timeout(60)
def test_a_session_whose_log_is_not_a_file_is_listed_as_damaged_not_missing(
    data: Path, capsys: pytest.CaptureFixture[str], damage, said: str
) -> None:
    """A session folder whose events.jsonl is gone or not a regular file is still a
    session: listed as unreadable, failed by `verify --all`, and named by the index
    check as a log holding no event, never as a deleted folder (which it is not)."""
    folder, other = _session(data), _session(data)
    damage(folder / "events.jsonl")
    assert main(["sessions", "--verify"]) == 1
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith(folder.name))
    assert row.rstrip().endswith("unreadable"), row
    assert f"truncated: {folder.name}: truncated: the index records its start" in out
    assert f"{folder.name}: missing" not in out
    assert main(["verify", "--all"]) == 1
    out = capsys.readouterr().out
    assert f"{folder.name}: FAILED: unreadable: cannot read events.jsonl: {said}" in out
    assert f"{other.name}: ok" in out
    assert main(["verify", str(folder)]) == 1
    assert "FAILED: unreadable" in capsys.readouterr().out
    assert main(["report", "--format", "json"]) == 1


@pytest.mark.timeout(30)
def test_every_file_of_the_record_is_private_whatever_the_umask(tmp_path: Path) -> None:
    """meta.toml was written with the umask's mode (0644) beside 0600 logs; and its
    temporary file is never written through a symlink left in its place."""
    old = os.umask(0o022)
    try:
        folder = _session(tmp_path)
        target = tmp_path / "elsewhere"
        (folder / "meta.toml.tmp").symlink_to(target)
        with pytest.raises(OSError):
            write_meta(folder, {"id": folder.name})
        assert not target.exists()
    finally:
        os.umask(old)
    for name in ("events.jsonl", "output.bin", "meta.toml"):
        assert (folder / name).stat().st_mode & 0o777 == 0o600, name


def _peak_rss_mb(argv: list[str]) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the CLI in a child process; its output and its peak resident memory (MB)."""
    script = (
        "import resource, subprocess, sys; "
        f"done = subprocess.run({argv!r}, capture_output=True, text=True); "
        "print(done.returncode); print(done.stdout, end=''); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return done, int(done.stderr.strip().splitlines()[-1]) / 1024


@pytest.mark.timeout(180)
def test_a_gigabyte_line_is_damage_read_in_bounded_memory(data: Path) -> None:
    """A sparse file makes a 'line' of a gigabyte appear in a log, or an index, at no cost
    to whoever plants it. The readers take at most 64 MiB of a line (256 MiB of the
    index), name it as damage, and stay far below the file's size in memory."""
    folder = _session(data)
    os.truncate(folder / "events.jsonl", (folder / "events.jsonl").stat().st_size + (1 << 30))
    verify = [sys.executable, "-m", "aiperm_tui", "verify", folder.name]
    done, peak = _peak_rss_mb(verify)
    code, *out = done.stdout.splitlines()
    assert code == "1" and "inserted: a line over 64 MiB follows: aiperm writes none" in out[0]
    assert peak < 400, peak
    os.truncate(data / INDEX, 1 << 30)
    sessions = [sys.executable, "-m", "aiperm_tui", "sessions", "--verify"]
    done, peak = _peak_rss_mb(sessions)
    assert done.stdout.splitlines()[0] == "1"
    assert f"index_damaged: session index: {INDEX} is over 256 MiB: not read" in done.stdout
    assert peak < 400, peak
