"""asciicast export keeps what a coloured listing or a progress bar needs (SGR, cursor
movement and erase within the line) and drops every other escape sequence: `asciinema
play` writes the frames to the viewer's own terminal, which must not be cleared,
reconfigured or made to answer a query into its own input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.session_fixture import KEY, end_exec

from aiperm_tui.session import Recorder, read_events
from aiperm_tui.session.export import GUTTER, terminal_text, write_asciicast

PROGRESS = b"10%\r\x1b[2K\x1b[4C\x1b[5D\x1b[G\x1b[K50%"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (b"\x1b[1;38;5;208mcolour\x1b[0m\n", "\x1b[1;38;5;208mcolour\x1b[0m\r\n"),
        (PROGRESS, PROGRESS.decode()),
        (b"a\x1b[2Jb\x1b[Hc\x1b[3;4rd", "abcd"),  # clear, home, scroll region
        (b"a\x1b[1Ab\x1b[3Bc\x1b[2Fd\x1bMe\x1b[5Lf", "abcdef"),  # up, down, prev line, RI, IL
        (b"a\xe2\x80\xaeb\xe2\x80\x8bc", "a\\u202eb\\u200bc"),  # bidi, zero-width: escaped
        (b"a\x1b[6nb\x1b[cc\x1b[>0cd\x1b[21te", "abcde"),  # DSR, DA, DA2, window report
        (b"a\x1b[?1049hb\x1b[?25lc\x1b[4hd", "abcd"),  # alternate screen, modes
        (b"a\x1bcb\x1b7c\x1b(0d\x1b#8e\x1bZf", "abcdef"),  # RIS, DECSC, charset, DECALN
        (b"a\xc2\x9b6nb\xc2\x9b2Jc", "abc"),  # 8-bit CSI
        (b"a\x1b]52;c;ZXZpbA==\x07b\x1bP+q544e\x1b\\c", "abc"),  # OSC 52, DCS query
        (b"a\x0e\x0fb\x07c\x00d\x08\te", "abcd\x08\te"),  # SO/SI, BEL, NUL; BS, tab kept
        (b"a\x1b\x1b[6nb\x1b[\x1b[2Jc", "abc"),  # a broken sequence hides none
        (b"tail\x1b[3", "tail"),  # cut off at the batch's end
        (b"tail\x1b", "tail"),
    ],
)
def test_only_harmless_sequences_are_kept(raw: bytes, shown: str) -> None:
    assert terminal_text(raw.decode("utf-8", "replace")) == shown


def test_exported_cast_replays_no_query_or_clear(tmp_path: Path) -> None:
    rec = Recorder.create(
        agent=["a"], hosts=["web1"], preset="read_only", key=KEY, root=tmp_path / "sessions"
    )
    rec.event("exec_start", exec="x1", id="p1", action=0, host="web1", cmd="hostile")
    rec.output("x1", "stdout", b"\x1b[2J\x1b[6n\x1b[?1049h\x1b[32mok\x1b[0m\n")
    end_exec(rec, "x1")
    rec.close()
    out = io.StringIO()
    write_asciicast(rec.path, out)
    cast = tmp_path / "s.cast"
    cast.write_text(out.getvalue())
    frames = "".join(json.loads(line)[2] for line in out.getvalue().splitlines()[1:])
    assert "\x1b[32mok\x1b[0m\r\n" in frames
    for bad in ("\x1b[2J", "\x1b[6n", "\x1b[?1049h"):
        assert bad not in frames
    played = subprocess.run(
        [sys.executable, "-m", "asciinema", "cat", str(cast)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    assert b"\x1b[32mok" in played and b"\x1b[6n" not in played and b"\x1b[2J" not in played


def test_a_character_cut_between_batches_exports_whole(tmp_path: Path) -> None:
    """output.bin batches are cut anywhere; the cast decodes per stream, so a character
    split across two batches shows once, and one cut off at the end shows as U+FFFD."""
    rec = Recorder.create(
        agent=["a"], hosts=["web1"], preset="read_only", key=KEY, root=tmp_path / "sessions"
    )
    rec.batch_bytes = 1  # each byte becomes its own output event
    rec.event("exec_start", exec="x1", id="p1", action=0, host="web1", cmd="echo")
    for chunk in (b"caf\xc3", b"\xa9 \xe2\x82", b"\xac\n\xf0\x9f"):
        rec.output("x1", "stdout", chunk)
    end_exec(rec, "x1")
    rec.close()
    assert sum(e["type"] == "output" for e in read_events(rec.path)) == 12
    out = io.StringIO()
    write_asciicast(rec.path, out)
    frames = "".join(json.loads(line)[2] for line in out.getvalue().splitlines()[1:])
    assert f"café €\r\n{GUTTER}\ufffd" in frames
