"""Damage in a log reaches the operator as one line and an exit code, never a traceback:
an export of a log that fails verification is refused (or, with --force, marked
UNVERIFIED); an event whose fields are not what aiperm writes (`"t": "x"`, `null`, any
JSON at all) is named as damage by export and shown as such by replay and report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyte
import pytest
from helpers.session_fixture import KEY, rechain, sync_meta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiperm_tui.cli import main
from aiperm_tui.session import verify_session
from aiperm_tui.session.export import WIDTH
from aiperm_tui.session.store import decode_event

LINE = 3  # seq of the fixture's third event


def _edit_byte(folder: Path) -> None:
    lines = (folder / "events.jsonl").read_bytes().splitlines(keepends=True)
    lines[LINE - 1] = lines[LINE - 1].replace(b'"text"', b'"TEXT"', 1)
    (folder / "events.jsonl").write_bytes(b"".join(lines))


def _frames(cast: Path) -> tuple[dict[str, Any], list[list[Any]]]:
    header, *events = cast.read_text().splitlines()
    return json.loads(header), [json.loads(line) for line in events]


# -- E: a tampered log is not exported quietly ---------------------------------------------


@pytest.mark.timeout(60)
def test_export_of_a_tampered_log_fails_like_verify(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit_byte(recorded)
    cast = tmp_path / "s.cast"
    for fmt in ("asciicast", "jsonl"):
        assert main(["export", "latest", "--format", fmt, "-o", str(cast)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and f"{recorded.name}: FAILED: seq {LINE}: edited" in err[0]
        assert "--force" in err[0]
        assert not cast.exists() and list(tmp_path.glob(".s.cast*")) == []


@pytest.mark.timeout(60)
def test_forced_export_of_a_tampered_log_is_marked_unverified(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit_byte(recorded)
    cast = tmp_path / "s.cast"
    assert main(["export", "latest", "--force", "-o", str(cast)]) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and f"does not verify: seq {LINE}: edited" in err
    header, frames = _frames(cast)
    assert header["title"].startswith(f"UNVERIFIED: seq {LINE}: edited")
    assert frames[0][1:] == ["m", f"UNVERIFIED: seq {LINE}: edited: the event's bytes were changed"]
    screen = pyte.Screen(WIDTH, 200)
    stream = pyte.Stream(screen)
    for _, code, text in frames:
        if code == "o":
            stream.feed(text)
    assert screen.display[0].startswith(f"UNVERIFIED: seq {LINE}: edited")
    assert screen.buffer[0][0].reverse  # drawn in reverse video, at the top


@pytest.mark.timeout(60)
def test_forced_jsonl_export_is_refused_it_cannot_carry_the_mark(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A jsonl export is the log's exact lines: an UNVERIFIED mark would have to be a
    line aiperm never wrote, so --force is refused for it (usage, exit 5) before anything
    is written, whether the log verifies or not."""
    out = tmp_path / "s.jsonl"
    for damaged in (False, True):
        if damaged:
            _edit_byte(recorded)
        assert main(["export", "latest", "--format", "jsonl", "--force", "-o", str(out)]) == 5
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "--force is for --format asciicast" in err[0], err
        assert not out.exists() and list(tmp_path.glob(".s.jsonl*")) == []


# -- D: malformed events are damage, named ---------------------------------------------------


def _malform(folder: Path, seq: int, field: str, value: Any) -> None:
    """A key holder (or a bug) writes an event whose field is not what aiperm writes."""

    def edit(lines: list[dict[str, Any]]) -> None:
        lines[seq - 1][field] = value

    rechain(folder, KEY, edit)
    sync_meta(folder)


@pytest.mark.parametrize("value", ["x", None, [1], {"a": 1}, True])
def test_decode_event_names_a_field_of_the_wrong_type(value: Any) -> None:
    raw = json.dumps({"seq": 4, "t": value, "type": "agent_line", "text": "hi"}).encode()
    event = decode_event(raw, 3)
    assert event["type"] == "unreadable" and (event["line"], event["seq"]) == (4, 4)
    assert event["problem"].startswith("field 't' holds ")


@pytest.mark.timeout(60)
def test_export_and_replay_name_a_malformed_event(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exec_start = next(
        n
        for n, line in enumerate((recorded / "events.jsonl").read_text().splitlines(), 1)
        if '"type":"exec_start"' in line
    )
    _malform(recorded, exec_start, "t", "x")
    assert verify_session(recorded, KEY).ok  # the chain holds: a key holder wrote it
    cast = tmp_path / "s.cast"
    assert main(["export", "latest", "-o", str(cast)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0]
    assert (
        f"seq {exec_start} (line {exec_start}): damaged event: field 't' holds a string" in err[0]
    )
    assert not cast.exists()
    assert main(["replay", "--no-tui", "latest"]) == 0
    out = capsys.readouterr().out
    assert f"line {exec_start} is not a readable event: field 't' holds a string" in out
    assert main(["report", "--format", "json"]) == 1  # the index: rewritten by a key holder
    assert "rewritten" in capsys.readouterr().out


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)


@pytest.mark.timeout(300)
@settings(
    max_examples=100,
    deadline=5000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), resealed=st.booleans())
def test_any_json_in_any_field_never_gives_a_traceback(
    recorded: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    data: st.DataObject,
    resealed: bool,
) -> None:
    """verify, export, report and replay --no-tui, in-process: documented exit codes only
    (0, or 1 for damage), and at most one line on stderr."""
    folder = recorded
    original = (recorded / "events.jsonl").read_bytes()
    meta = (recorded / "meta.toml").read_bytes()
    try:
        lines = [json.loads(line) for line in original.splitlines()]
        seq = data.draw(st.integers(1, len(lines)), label="seq")
        field = data.draw(st.sampled_from(sorted(set(lines[seq - 1]) - {"mac"})), label="field")
        value = data.draw(JSON, label="value")
        if resealed:
            _malform(folder, seq, field, value)
        else:
            event = {**lines[seq - 1], field: value}
            body = json.dumps(event, separators=(",", ":")).encode()
            raw = original.splitlines(keepends=True)
            raw[seq - 1] = body + b"\n"
            (folder / "events.jsonl").write_bytes(b"".join(raw))
        cast = tmp_path / "fuzz.cast"
        for argv, codes in (
            (["verify", "latest"], {0, 1}),
            (["export", "latest", "--force", "--agent", "-o", str(cast)], {0, 1}),
            (["export", "latest", "-o", str(cast)], {0, 1}),
            (["replay", "--no-tui", "latest"], {0}),
            (["report", "--format", "json", "-o", str(tmp_path / "r.json")], {0, 1}),
            (["sessions", "--verify"], {0, 1}),
        ):
            code = main(argv)
            err = capsys.readouterr().err
            assert code in codes, (argv, code, err)
            assert "Traceback" not in err and len(err.strip().splitlines()) <= 2, (argv, err)
    finally:
        (folder / "events.jsonl").write_bytes(original)
        (folder / "meta.toml").write_bytes(meta)
