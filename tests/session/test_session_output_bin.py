"""Output recorded in output.bin: the chain covers it through each event's Poly1305 tag, so
changing, cutting or moving its bytes is caught at the event that records them; bytes no
event records are damage after a seal, a note (a crash between the two writes) before one,
and never shown."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
from pathlib import Path

import pytest
from helpers.replay_log import output_tag
from helpers.session_fixture import KEY, end_exec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiperm_tui.replay.text import TextReplay
from aiperm_tui.session import OutputReader, Recorder, read_events, verify_session
from aiperm_tui.session.chain import ChunkTagger, Sealer
from aiperm_tui.session.export import DamagedLog, pane_frames

CHUNKS = [("x1", "stdout", b"A" * 5000), ("x1", "stderr", b"warn\n"), ("x2", "stdout", b"B" * 5000)]


@pytest.mark.parametrize("secret", [b"", b"k" * 32, b"long" * 40])
def test_sealer_is_hmac_sha256(secret: bytes) -> None:
    """The hand-rolled key schedule (chain.Sealer) computes standard HMAC-SHA256."""
    parts = (b"prev-mac", b'{"seq":1}', b"\x00\xff")
    want = hmac.new(secret, b"".join(parts), hashlib.sha256)
    assert Sealer(secret).mac(*parts) == want.hexdigest()
    assert Sealer(secret).digest(*parts) == want.digest()


def test_chunk_tag_follows_the_spec() -> None:
    """Poly1305 under HMAC(key, label ‖ nonce ‖ 0 ‖ offset), as the helper computes it
    from the docstring; another offset or nonce gives another tag."""
    tagger = ChunkTagger(Sealer(KEY.secret), "n1")
    data = b"output \x1b[31m\xff bytes"
    assert tagger.tag(4096, (data[:5], data[5:])) == output_tag(KEY, "n1", 4096, data)
    assert tagger.tag(0, (data,)) != tagger.tag(4096, (data,))
    assert ChunkTagger(Sealer(KEY.secret), "n2").tag(0, (data,)) != tagger.tag(0, (data,))


def test_each_session_draws_its_own_nonce(tmp_path: Path) -> None:
    """Two sessions (even with one key, even with one id elsewhere) never share the
    one-time keys: the nonce in session_start is what keys the tags."""
    nonces = set()
    for _ in range(2):
        with Recorder.create(agent=["a"], hosts=[], preset="p", key=KEY, root=tmp_path) as rec:
            pass
        start = next(read_events(rec.path))
        assert start["output_nonce"] == rec.output_nonce and len(rec.output_nonce) == 32
        nonces.add(rec.output_nonce)
    assert len(nonces) == 2


def _session(root: Path, close: bool = True) -> tuple[Path, list[dict]]:
    """A session with three output batches (each exec_end writes its exec's), closed
    unless told; (folder, its output events)."""
    rec = Recorder.create(agent=["a"], hosts=["h"], preset="p", key=KEY, root=root)
    for exec_id, stream, data in CHUNKS:
        rec.event("exec_start", exec=exec_id, id="r1", action=0, host="h", cmd="c")
        rec.output(exec_id, stream, data)
        end_exec(rec, exec_id, stdout_bytes=len(data))
    if close:
        rec.close()
    return rec.path, [e for e in read_events(rec.path) if e["type"] == "output"]


def test_output_reads_back_and_verifies(tmp_path: Path) -> None:
    folder, outputs = _session(tmp_path)
    with OutputReader(folder) as output:
        assert [output(e) for e in outputs] == [data for _, _, data in CHUNKS]
    result = verify_session(folder, KEY)
    assert result.ok and result.closed and "no event records" not in result.message


def test_edited_output_byte_names_its_event(tmp_path: Path) -> None:
    folder, outputs = _session(tmp_path)
    blob = bytearray((folder / "output.bin").read_bytes())
    blob[outputs[1]["offset"] + 2] ^= 0x20  # "warn" -> "wArn"
    (folder / "output.bin").write_bytes(blob)
    result = verify_session(folder, KEY)
    seq = outputs[1]["seq"]
    assert (result.ok, result.problem, result.first_bad_seq) == (False, "edited", seq)
    assert result.events == seq - 1 and "output.bin" in result.message


def test_swapped_output_regions_are_caught(tmp_path: Path) -> None:
    """Two batches of the same size traded places: each tag is bound to its offset."""
    folder, outputs = _session(tmp_path)
    first, last = outputs[0], outputs[2]
    blob = (folder / "output.bin").read_bytes()
    a = blob[first["offset"] : first["offset"] + first["length"]]
    b = blob[last["offset"] : last["offset"] + last["length"]]
    swapped = b + blob[len(a) : last["offset"]] + a
    (folder / "output.bin").write_bytes(swapped)
    result = verify_session(folder, KEY)
    assert (result.problem, result.first_bad_seq) == ("edited", first["seq"])


def test_cut_output_bin_is_truncated_at_the_first_event_missing_bytes(tmp_path: Path) -> None:
    folder, outputs = _session(tmp_path)
    with open(folder / "output.bin", "r+b") as fh:
        fh.truncate(outputs[2]["offset"] + 10)
    result = verify_session(folder, KEY)
    assert (result.problem, result.first_bad_seq) == ("truncated", outputs[2]["seq"])
    assert "ends before" in result.message


def test_missing_output_bin_is_truncated(tmp_path: Path) -> None:
    folder, outputs = _session(tmp_path)
    (folder / "output.bin").unlink()
    result = verify_session(folder, KEY)
    assert (result.problem, result.first_bad_seq) == ("truncated", outputs[0]["seq"])
    assert "missing" in result.message
    with OutputReader(folder) as output:  # readers stay tolerant
        assert output(outputs[0]) == b""


def test_bytes_after_the_seal_are_damage(tmp_path: Path) -> None:
    """The recorder cuts a failed write back, so bytes past what a sealed log's events
    record were added after the seal: damage, not a note."""
    folder, _ = _session(tmp_path)
    with open(folder / "output.bin", "ab") as fh:
        fh.write(b"appended after the seal!!!!")
    result = verify_session(folder, KEY)
    assert (result.ok, result.problem) == (False, "inserted")
    assert "output.bin has 27 bytes after the seal" in result.message


def test_bytes_no_event_records_in_an_unsealed_log_are_a_note(tmp_path: Path) -> None:
    """What a crash between writing output.bin and the event line leaves; readers go by
    offset, so these bytes are never shown."""
    folder, _ = _session(tmp_path, close=False)
    with open(folder / "output.bin", "ab") as fh:
        fh.write(b"written just before a crash")
    result = verify_session(folder, KEY)
    assert result.problem == "unsealed"
    assert "27 bytes no event records" in result.message


def test_a_tampered_length_reads_no_further_than_the_file(tmp_path: Path) -> None:
    """Readers show unverified logs too (replay marks them): an event claiming a terabyte
    reads what output.bin holds, instead of allocating the claim."""
    folder, outputs = _session(tmp_path)
    log = folder / "events.jsonl"
    last = outputs[-1]
    claim = f'"offset":{last["offset"]},"length":{last["length"]},'.encode()
    huge = f'"offset":{last["offset"]},"length":{2**40},'.encode()
    log.write_bytes(log.read_bytes().replace(claim, huge))
    hostile = [e for e in read_events(folder) if e["type"] == "output"][-1]
    assert hostile["length"] == 2**40
    with OutputReader(folder) as output:
        assert output(hostile) == CHUNKS[-1][2]
        assert output({**hostile, "offset": -5, "length": -1}) == b""
    result = verify_session(folder, KEY)
    assert (result.problem, result.first_bad_seq) == ("edited", last["seq"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    target=st.sampled_from(["events.jsonl", "output.bin"]),
    kind=st.sampled_from(["flip", "cut", "append"]),
    where=st.floats(0, 1, exclude_max=True),
    byte=st.integers(1, 255),
    extra=st.binary(min_size=1, max_size=40),
)
def test_verify_and_readers_survive_any_damage(
    tmp_path_factory: pytest.TempPathFactory,
    target: str,
    kind: str,
    where: float,
    byte: int,
    extra: bytes,
) -> None:
    """Fuzz: a flipped byte, a cut or appended bytes in either file never raises in
    verify or in the readers, and every change to bytes that events point at fails."""
    folder, outputs = _session(tmp_path_factory.mktemp("fuzz"))
    path = folder / target
    blob = bytearray(path.read_bytes())
    at = int(where * len(blob))
    if kind == "flip":
        blob[at] ^= byte
    elif kind == "cut":
        del blob[at:]
    else:
        blob += extra
    path.write_bytes(blob)
    result = verify_session(folder, KEY)
    with contextlib.suppress(DamagedLog):  # damage stops an export, one line, exit 1
        list(pane_frames(folder))
    list(pane_frames(folder, force=True))
    with OutputReader(folder) as output:
        list(TextReplay(output).lines(read_events(folder)))
    assert not result.ok, (target, kind, at)
    if target == "output.bin" and kind == "flip":
        hit = next(e for e in outputs if e["offset"] <= at < e["offset"] + e["length"])
        assert (result.problem, result.first_bad_seq) == ("edited", hit["seq"])
    if target == "output.bin" and kind == "append":
        assert result.problem == "inserted"
        assert f"{len(extra)} bytes after the seal" in result.message
    if target == "events.jsonl" and kind == "append":  # past the seal: never ok
        assert not result.ok


def test_output_cut_in_a_log_never_closed_is_crash_damage(tmp_path: Path) -> None:
    """A power loss can leave output.bin shorter than the events that point into it (the
    kernel wrote the lines back first); in a log never sealed, that is said beside
    "unsealed"; in a sealed one it is truncation. Changed bytes fail in both."""
    folder, outputs = _session(tmp_path, close=False)
    blob = (folder / "output.bin").read_bytes()
    with open(folder / "output.bin", "r+b") as fh:
        fh.truncate(outputs[1]["offset"])
    result = verify_session(folder, KEY)
    assert (result.problem, result.closed) == ("unsealed", False)
    assert f"output.bin ends before the output of seq {outputs[1]['seq']}" in result.message
    (folder / "output.bin").write_bytes(blob.replace(b"warn", b"WARN"))
    assert verify_session(folder, KEY).problem == "edited"


def test_a_fifo_or_a_huge_offset_does_not_hang_or_crash(tmp_path: Path) -> None:
    folder, outputs = _session(tmp_path)
    with OutputReader(folder) as output:
        assert output({**outputs[0], "offset": 10**20}) == b""
    (folder / "output.bin").unlink()
    os.mkfifo(folder / "output.bin")
    with OutputReader(folder) as output:  # would block opening a FIFO without O_NONBLOCK
        assert output(outputs[0]) == b""
    result = verify_session(folder, KEY)
    assert (result.problem, result.first_bad_seq) == ("truncated", outputs[0]["seq"])
    assert "not a file" in result.message
