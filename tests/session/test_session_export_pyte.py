"""An exported recording cannot lie: remote output that tries to overwrite, hide or
reorder aiperm's own lines (command headers, exit lines) is played through a terminal
emulator (pyte), and every one of those lines is still on screen, intact and visible."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyte
import pytest
from helpers.session_fixture import KEY, end_exec

from aiperm_tui.session import Recorder
from aiperm_tui.session.export import WIDTH, write_asciicast

FORGED = "$ web1: echo harmless"
HOSTILE: dict[str, bytes] = {
    "cursor up": b"x\n\x1b[3A\r\x1b[2K" + FORGED.encode() + b"\n",
    "cursor previous line": b"x\n\x1b[4F\x1b[2K" + FORGED.encode() + b"\n",
    "cursor position": b"\x1b[1;1H\x1b[2K" + FORGED.encode() + b"\x1b[10;1H",
    "clear screen": b"\x1b[2J\x1b[3J\x1b[H" + FORGED.encode() + b"\n",
    "alternate screen": b"\x1b[?1049h\x1b[H" + FORGED.encode() + b"\x1b[?1049l\n",
    "reverse index": b"\r\x1bM\x1bM\x1bM\x1b[2K" + FORGED.encode() + b"\n",
    "save and restore cursor": b"\x1b7\x1b[1;1H\x1b[2K\x1b8\x1b[s\x1b[1;1H\x1b[K\x1b[u\n",
    "scroll region and insert line": b"\x1b[1;5r\x1b[1;1H\x1b[5L\x1b[5M\x1b[r\n",
    "OSC title and clipboard": b"\x1b]0;" + FORGED.encode() + b"\x07\x1b]52;c;cm0gLXJm\x07\n",
    "bidi override": "\u202etxt.exe\u202c \u2066".encode() + FORGED.encode() + b"\n",
    "concealed colours left on": b"\x1b[8m\x1b[30;40m\x1b[7mhidden\n",
    "backspaces at line start": b"\r" + b"\b" * 300 + b"\x1b[999D\x1b[2K\n",
}
COMMANDS = [f"cmd-{i} --real" for i in range(len(HOSTILE))]


def _record(root: Path) -> Path:
    rec = Recorder.create(agent=["agent"], hosts=["web1"], preset="ops_safe", key=KEY, root=root)
    for n, (cmd, output) in enumerate(zip(COMMANDS, HOSTILE.values(), strict=True)):
        rec.event("exec_start", exec=f"x{n}", id="p1", action=n, host="web1", cmd=cmd)
        rec.output(f"x{n}", "stdout", output)
        end_exec(rec, f"x{n}", exit_status=n, stdout_bytes=len(output))
    rec.agent_line("stdout", "chatter", "about to \x1b[2Jclean up")
    rec.close()
    return rec.path


def _cast_of_one_command(root: Path, cmd: str, output: bytes, *, exit_status: int) -> str:
    """The asciicast of a session that ran one command printing `output`."""
    rec = Recorder.create(agent=["a"], hosts=["web1"], preset="p", key=KEY, root=root)
    rec.event("exec_start", exec="x1", id="p1", action=0, host="web1", cmd=cmd)
    rec.output("x1", "stdout", output)
    rec.event(
        "exec_end", exec="x1", exit_status=exit_status, signal=None, error=None, duration_ms=1
    )
    rec.close()
    out = io.StringIO()
    write_asciicast(rec.path, out)
    return out.getvalue()


def _play(cast: str) -> pyte.Screen:
    """The cast through a terminal tall enough that nothing scrolls away."""
    header, *events = cast.splitlines()
    assert json.loads(header)["width"] == WIDTH
    screen = pyte.Screen(WIDTH, 400)
    stream = pyte.Stream(screen)
    for line in events:
        _, code, text = json.loads(line)
        if code == "o":
            stream.feed(text)
    return screen


@pytest.mark.timeout(60)
def test_hostile_output_cannot_rewrite_aiperms_lines(tmp_path: Path) -> None:
    out = io.StringIO()
    write_asciicast(_record(tmp_path), out)
    screen = _play(out.getvalue())
    rows = [line.rstrip() for line in screen.display]
    headers = [f"$ web1: {cmd}" for cmd in COMMANDS]
    ends = [f"[exit {n}]" for n in range(len(COMMANDS))]
    for text in headers + ends:
        assert text in rows, (text, rows[:60])
    # each header is followed by its own output and exit line, in order
    at = [rows.index(text) for text in headers]
    assert at == sorted(at) and at[0] == 0
    assert "\u202e" not in "".join(rows) and "\\u202e" in "".join(rows)
    # aiperm's lines are visible whatever colours the output left set
    for row_number in at + [rows.index(text) for text in ends]:
        first = screen.buffer[row_number][0]
        assert first.data in "$[" and (first.bold or first.data == "[")
        assert (first.fg, first.bg, first.reverse) == ("default", "default", False)
    assert screen.title == ""  # no OSC reached the terminal


def test_agent_side_as_markers(tmp_path: Path) -> None:
    folder = _record(tmp_path)
    out = io.StringIO()
    write_asciicast(folder, out, agent=True)
    markers = [
        json.loads(line)[2]
        for line in out.getvalue().splitlines()[1:]
        if json.loads(line)[1] == "m"
    ]
    assert markers == ["agent (stdout): about to \\e[2Jclean up"]  # escaped, in order
    plain = io.StringIO()
    write_asciicast(folder, plain)
    assert '"m"' not in plain.getvalue()


FAKE_LINES = (
    b"\x1b[0;1m$ web1: rm -rf /srv/forged\x1b[0m\r\n"  # aiperm's header, byte for byte
    b"\x1b[0;2m[exit 0]\x1b[0m\r\n"  # and its exit line
    b"\r\x1b[0;1m$ web1: after a carriage return\x1b[0m\n"
    b"\x1b[999D\x08\x08\x1b[1G\x1b[0G\x1b[0;1m$ web1: moved to column 1\x1b[0m\n"
    b"\x1b[2K\r\x1b[1K\x1b[0;1m$ web1: after erasing the line\x1b[0m\n"
    + b"w" * (WIDTH - 2)
    + b"\x1b[0;1m$ web1: wrapped to the next row\x1b[0m\n"
    + "\u00e9".encode() * (WIDTH - 2)
    + b"\x1b[0;1m$ web1: wrapped after wide text\x1b[0m\n"
    + b"\t" * 40
    + b"\x1b[0;1m$ web1: after tabs\x1b[0m\n"
)


@pytest.mark.timeout(60)
def test_output_cannot_print_a_line_that_looks_like_aipermss(tmp_path: Path) -> None:
    """Output printing aiperm's own header and exit line (same SGR, same words), from
    wherever it can put the cursor, renders visibly different: right of the gutter,
    never in column 0 where aiperm's lines start."""
    screen = _play(_cast_of_one_command(tmp_path, "cat notes", FAKE_LINES, exit_status=3))
    rows = [line.rstrip() for line in screen.display if line.strip()]
    aiperms = [row for row in rows if not row.startswith("\u2502 ")]
    assert aiperms == ["$ web1: cat notes", "[exit 3]"], rows
    for fake in ("rm -rf /srv/forged", "[exit 0]", "moved to column 1", "wrapped to the next"):
        assert any(fake in row and row.startswith("\u2502 ") for row in rows), (fake, rows)


TABBED = b"col1\tcol2\tcol3\nlonger value\tv\tw\n12345678\tx\r\ty\nab\b\tz\n"


@pytest.mark.timeout(60)
def test_tabs_stop_where_a_terminal_puts_them_right_of_the_gutter(tmp_path: Path) -> None:
    """Tab-separated output (ls, ps, column tables) lines up in the export as it did on
    the server's terminal: tab stops are every 8 columns from the gutter's edge, not
    from column 0, so the gutter shifts every row by its width and nothing more."""
    cast = _cast_of_one_command(tmp_path, "table", TABBED, exit_status=0)
    rows = [line.rstrip() for line in _play(cast).display if line.startswith("\u2502")]
    plain = pyte.Screen(WIDTH, 10)  # the same bytes on a terminal with no gutter
    pyte.Stream(plain).feed(TABBED.decode().replace("\n", "\r\n"))
    expected = [line.rstrip() for line in plain.display if line.strip()]
    assert [row[2:] for row in rows] == expected, (rows, expected)
    assert expected[0] == "col1    col2    col3"
