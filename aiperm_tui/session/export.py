"""Exporting a session: asciicast v2 (what the output pane showed) or the raw JSON Lines.

asciicast: one `[t, "o", text]` event per recorded output batch, at the time it was
recorded, after a bold `$ host: command` header per command and followed by a dim
`[exit N]` line. The command header is agent text, so its control characters are shown
as escapes (`textsafe.escape_control`). With `agent=True` the agent's side (its pane
lines, the operator's messages, tool permission prompts and answers) is added as
asciicast markers (`[t, "m", label]`), which players list beside the recording.

Remote output cannot rewrite the lines aiperm wrote. It is replayed by a terminal
emulator (`asciinema play` writes it to the viewer's own terminal), so only what stays
on the current line is kept: text, `\\r`, `\\b`, tabs, newlines (a bare `\\n` becomes
`\\r\\n`: the recording was not made through a pty, which would have done that), SGR
colours and attributes (`ESC [ ... m`) and the CSI sequences that move the cursor along
the line or erase in it (CUF, CUB, CHA, EL: `ESC [ n C/D/G/K`). Everything else is
dropped: cursor up and down, positioning, clear screen, scroll regions, insert/delete
line, modes (alternate screen), device status reports (whose answer the viewer's
terminal would type into its own input), every other escape sequence (save/restore
cursor, reverse index, string sequences such as OSC 52, which writes the clipboard),
8-bit C1 controls and the other C0 controls. Bidi overrides and zero-width characters
are shown as escapes (`\\u202e`), so they cannot reorder what a line appears to say. A
sequence cut off at the end of a batch is dropped too, so nothing incomplete can join
the next frame into a sequence. Every line aiperm writes starts on a fresh line with the
attributes reset, so colours left set by output (concealed, black on black, reverse)
cannot hide it. Bytes that are not UTF-8 are shown with U+FFFD.

Output cannot print a line that looks like aiperm's either (its header with the same
colours and words, `[exit 0]`): aiperm's lines start in column 0, and output is laid out
right of a dim `│ ` gutter that it can never write over (`Pane`): a carriage return,
backspace, CUB, CHA or tab goes at most to the gutter's edge, erasing the line redraws
the gutter, and lines are wrapped here, before the terminal would wrap them to column 0.

Damage: an event that is not what aiperm writes (`store.decode_event`) stops the export
with one line naming it (`DamagedLog`, exit 1). `aiperm export` first verifies the log
and refuses one that fails unless `--force`; a forced export is marked (`unverified`: in
the title, a first marker and a first line in reverse video, "UNVERIFIED: <reason>") and
shows damaged events as aiperm lines instead of stopping.

jsonl: the exact lines of events.jsonl, macs included (a torn last line is left out).
Output events point into the session's output.bin, which this does not carry: the
session folder is what verifies, and asciicast is the export with the output's text.
"""

from __future__ import annotations

import calendar
import codecs
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from aiperm_tui.errors import AipermError, ExitCode
from aiperm_tui.session.agentside import AGENT_TYPES, agent_entry
from aiperm_tui.session.store import (
    OutputReader,
    decode_event,
    first_line,
    iter_lines,
    read_events,
    read_meta,
)
from aiperm_tui.textsafe import INVISIBLE, escape_control

WIDTH, HEIGHT = 120, 40
# A string control sequence: its introducer, its text, and the terminator if present.
_STRING_SEQ = "(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"
# A CSI sequence (7- or 8-bit introducer, parameters, intermediates, final if present).
_CSI = "(?:\x1b\\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
# Any other escape sequence, or a lone ESC; then every control character not kept.
_OTHER = "\x1b[\x20-\x2f]*[\x30-\x7e]?|[\x00-\x07\x0b-\x0c\x0e-\x1f\x7f-\x9f]"
_CONTROL = re.compile(f"{_STRING_SEQ}|{_CSI}|{_OTHER}")
# The CSI kept: SGR, and cursor movement / erase within the line (progress bars).
_KEPT_CSI = re.compile("\x1b\\[[0-9;:]*[mCDGK]")
# Shown as escapes: what reorders or hides text without moving the cursor.
_INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE)) + "\u2028\u2029]")
_BOLD, _DIM, _RESET, _REVERSE = "\x1b[0;1m", "\x1b[0;2m", "\x1b[0m", "\x1b[0;7m"


def terminal_text(text: str) -> str:
    """Recorded output (decoded) made safe to replay (see the module docstring)."""
    text = _CONTROL.sub(_keep_if_harmless, text)
    text = _INVISIBLE.sub(lambda m: escape_control(m[0]), text)
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _keep_if_harmless(match: re.Match[str]) -> str:
    return match[0] if _KEPT_CSI.fullmatch(match[0]) else ""


# Output is drawn right of this gutter; aiperm's lines start in column 0, where output
# can never write, so no output can look like one of them (see the module docstring).
GUTTER = f"{_DIM}\u2502{_RESET} "
GUTTER_WIDTH = 2
_TOKEN = re.compile("(\x1b\\[([0-9;:]*)([mCDGK]))|(\r\n|\n)|(\r)|(\x08)|(\t)|([^\x1b\r\n\x08\t]+)")
_SGR_KEPT = 16  # SGR sequences remembered to redraw colours after the gutter


class Pane:
    """Lays out sanitized output (`terminal_text`) right of the gutter, on one screen
    shared by every command and stream, tracking the cursor column.

    The column is an upper bound of the real one (every non-ASCII character counts two
    cells, the most one takes), so wrapping here, before the terminal would, keeps every
    row's first two cells the gutter's; every leftward move (`\\r`, `\\b`, CUB, CHA,
    tab) is sent as an absolute column, so the terminal's cursor is where this counts
    it, and never left of the gutter. Erasing the line (EL 1, 2) redraws the gutter.
    """

    def __init__(self) -> None:
        self.col = 0  # 0: at the start of a row, gutter not drawn yet
        self._sgr: list[str] = []

    def aiperm(self, line: str) -> str:
        """One of aiperm's own lines (ending in a newline), from column 0."""
        start = "\r\n" if self.col else ""
        self.col, self._sgr = 0, []
        return start + line

    def output(self, text: str) -> str:
        """Sanitized output text, laid out right of the gutter."""
        parts: list[str] = []
        for m in _TOKEN.finditer(text):
            if m[4]:
                parts.append("\r\n")
                self.col = 0
                continue
            if not self.col:
                parts.append(self._gutter())
            if m[8]:
                self._text(m[8], parts)
            elif m[1]:
                self._csi(m[1], m[2], m[3], parts)
            else:
                back = 1 if m[6] else self.col  # \b, or \r (to the gutter)
                tab = (self.col - GUTTER_WIDTH) // 8 * 8 + 8 + GUTTER_WIDTH if m[7] else 0
                self._move(tab or self.col - back, parts)
        return "".join(parts)

    def _gutter(self) -> str:
        self.col = GUTTER_WIDTH
        return GUTTER + "".join(self._sgr)

    def _move(self, col: int, parts: list[str]) -> None:
        self.col = min(max(col, GUTTER_WIDTH), WIDTH - 1)
        parts.append(f"\x1b[{self.col + 1}G")

    def _text(self, text: str, parts: list[str]) -> None:
        while text:
            room = WIDTH - self.col
            fits = len(text) if text.isascii() else len(text) + sum(c > "\x7f" for c in text)
            if fits <= room:
                parts.append(text)
                self.col += fits
                return
            cut, used = 0, 0
            for ch in text:
                width = 2 if ch > "\x7f" else 1
                if used + width > room:
                    break
                cut, used = cut + 1, used + width
            parts.append(text[:cut] + "\r\n" + self._gutter())
            text = text[cut:]

    def _csi(self, seq: str, params: str, final: str, parts: list[str]) -> None:
        n = int(params) if params.isdigit() else 0
        if final == "m":
            reset = params in ("", "0") or params.startswith(("0;", ";"))
            self._sgr = ([] if reset else self._sgr[-_SGR_KEPT + 1 :]) + [seq]
            parts.append(seq)
        elif final == "K":
            parts.append(seq)
            if n in (1, 2):  # erased the gutter too: draw it again
                col = self.col
                parts.append("\r" + self._gutter())
                self._move(col, parts)
        else:
            step = max(n, 1)
            target = {"C": self.col + step, "D": self.col - step}.get(
                final, GUTTER_WIDTH + step - 1
            )
            self._move(target, parts)


def _start_epoch(meta: dict[str, Any]) -> int:
    start = str(meta.get("start", ""))[:19]
    try:
        return calendar.timegm(time.strptime(start, "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return 0


def _end_line(event: dict[str, Any]) -> str:
    if event.get("error"):
        status = f"error: {event['error']}"
    elif event.get("signal"):
        status = f"signal {event['signal']}"
    else:
        status = f"exit {event.get('exit_status')}"
    return f"{_DIM}[{escape_control(status, keep_newlines=False)}]{_RESET}\r\n"


def pane_frames(
    path: Path, *, agent: bool = False, force: bool = False
) -> Iterator[tuple[float, str, str]]:
    """(t, code, text) asciicast events in recording order: "o" for each piece of the
    output pane, and with `agent` an "m" marker for each agent-side event.

    A damaged event (`store.decode_event`) raises DamagedLog; with `force` it is shown
    as an aiperm line and skipped."""
    with OutputReader(path) as output:
        yield from _frames(path, output, agent, force)


class DamagedLog(AipermError):
    """An event a reader cannot use: damage, reported like verify's (exit 1)."""

    exit_code = ExitCode.DENIED


def _marker(event: dict[str, Any]) -> str:
    look, text = agent_entry(event)
    label = {"operator": "", "permission": "permission: ", "note": "aiperm: "}.get(
        look, f"agent ({look}): "
    )
    return escape_control(label + text, keep_newlines=False)


def _damaged(path: Path, event: dict[str, Any]) -> str:
    seq = (
        f"seq {event['seq']} (line {event['line']})" if "seq" in event else f"line {event['line']}"
    )
    return f"{path.name}: {seq}: damaged event: {event['problem']}"


def _aiperm_line(event: dict[str, Any], kind: Any) -> str:
    """The line aiperm itself writes for a command's start, truncation or end."""
    if kind == "exec_start":
        cmd = escape_control(str(event.get("cmd", "")), keep_newlines=False)
        host = escape_control(str(event.get("host", "")), keep_newlines=False)
        return f"{_BOLD}$ {host}: {cmd}{_RESET}\r\n"
    if kind == "output_truncated":
        return (
            f"{_DIM}[output not recorded past {event.get('recorded_bytes')} bytes: "
            f"the cap is {event.get('cap')}]{_RESET}\r\n"
        )
    return _end_line(event)


def _frames(
    path: Path, output: OutputReader, agent: bool, force: bool
) -> Iterator[tuple[float, str, str]]:
    pane = Pane()
    # Batches are cut anywhere, so a character may straddle two: decode per stream.
    decoders: dict[tuple[Any, Any], codecs.IncrementalDecoder] = {}
    t = 0.0
    for event in read_events(path):
        kind, t = event.get("type"), float(event.get("t", t))  # decode_event checked `t`
        if kind == "unreadable":
            if not force:
                raise DamagedLog(_damaged(path, event))
            text = f"{_DIM}[aiperm: {escape_control(_damaged(path, event))}]{_RESET}\r\n"
        elif kind in AGENT_TYPES:
            if agent:
                yield t, "m", _marker(event)
            continue
        elif kind == "output":
            key = (event.get("exec"), event.get("stream"))
            decoder = decoders.get(key) or decoders.setdefault(
                key, codecs.getincrementaldecoder("utf-8")("replace")
            )
            if body := pane.output(terminal_text(decoder.decode(output(event)))):
                yield t, "o", body
            continue
        elif kind in ("exec_start", "output_truncated", "exec_end"):
            if kind == "exec_end":
                # A character cut off at the end of the output shows as U+FFFD, as live.
                rest = "".join(
                    d.decode(b"", final=True)
                    for k, d in decoders.items()
                    if k[0] == event.get("exec")
                )
                if rest:
                    yield t, "o", pane.output(rest)
            text = _aiperm_line(event, kind)
        else:
            continue
        yield t, "o", pane.aiperm(text)


def _words(value: Any, sep: str) -> str:
    """A list of words from the header facts (anything else, in a damaged format 2
    meta.toml, is no words)."""
    return sep.join(str(word) for word in value) if isinstance(value, list) else ""


def write_asciicast(
    path: Path, out: TextIO, *, agent: bool = False, unverified: str | None = None
) -> None:
    """asciicast v2 of a session's output pane to `out` (with `agent`, the agent's side
    as markers). `unverified` (why the log does not verify) marks the export: in its
    title, as a first marker and as a first line; damaged events are then shown and
    skipped rather than refused."""
    start = decode_event(first_line(path) or b"", 0)
    meta = start if start.get("type") == "session_start" else read_meta(path)  # format 2
    argv = _words(meta.get("agent"), " ") or "agent"
    hosts = _words(meta.get("hosts"), ", ")
    title = f"aiperm {path.name}: {argv} on {hosts}"
    mark = escape_control(f"UNVERIFIED: {unverified}", keep_newlines=False) if unverified else ""
    header = {
        "version": 2,
        "width": WIDTH,
        "height": HEIGHT,
        "timestamp": _start_epoch(meta),
        "title": escape_control((f"{mark} | " if mark else "") + title, keep_newlines=False),
        "env": {"TERM": "xterm-256color", "SHELL": "/bin/sh"},
    }
    out.write(json.dumps(header) + "\n")
    if mark:
        out.write(json.dumps([0.0, "m", mark]) + "\n")
        out.write(json.dumps([0.0, "o", f"{_REVERSE}{mark}{_RESET}\r\n"]) + "\n")
    for t, code, text in pane_frames(path, agent=agent, force=unverified is not None):
        out.write(json.dumps([round(t, 6), code, text]) + "\n")


def write_jsonl(path: Path, out: TextIO) -> None:
    """The complete lines of events.jsonl, unchanged (they are UTF-8, so text is exact)."""
    for line in iter_lines(path):
        out.write(line.decode("utf-8", errors="replace") + "\n")
