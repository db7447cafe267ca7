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

from aiperm_tui.session.agentside import AGENT_TYPES, agent_entry
from aiperm_tui.session.store import (
    OutputReader,
    first_line,
    iter_lines,
    parse_event,
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
_BOLD, _DIM, _RESET = "\x1b[0;1m", "\x1b[0;2m", "\x1b[0m"


def terminal_text(text: str) -> str:
    """Recorded output (decoded) made safe to replay (see the module docstring)."""
    text = _CONTROL.sub(_keep_if_harmless, text)
    text = _INVISIBLE.sub(lambda m: escape_control(m[0]), text)
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _keep_if_harmless(match: re.Match[str]) -> str:
    return match[0] if _KEPT_CSI.fullmatch(match[0]) else ""


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


def pane_frames(path: Path, *, agent: bool = False) -> Iterator[tuple[float, str, str]]:
    """(t, code, text) asciicast events in recording order: "o" for each piece of the
    output pane, and with `agent` an "m" marker for each agent-side event."""
    with OutputReader(path) as output:
        yield from _frames(path, output, agent)


def _marker(event: dict[str, Any]) -> str:
    look, text = agent_entry(event)
    label = {"operator": "", "permission": "permission: ", "note": "aiperm: "}.get(
        look, f"agent ({look}): "
    )
    return escape_control(label + text, keep_newlines=False)


def _frames(path: Path, output: OutputReader, agent: bool) -> Iterator[tuple[float, str, str]]:
    at_line_start = True
    # Batches are cut anywhere, so a character may straddle two: decode per stream.
    decoders: dict[tuple[Any, Any], codecs.IncrementalDecoder] = {}
    for event in read_events(path):
        kind, t = event.get("type"), float(event.get("t", 0.0))
        if kind in AGENT_TYPES:
            if agent:
                yield t, "m", _marker(event)
            continue
        if kind == "exec_start":
            cmd = escape_control(str(event.get("cmd", "")), keep_newlines=False)
            host = escape_control(str(event.get("host", "")), keep_newlines=False)
            text = f"{_BOLD}$ {host}: {cmd}{_RESET}\r\n"
        elif kind == "output":
            key = (event.get("exec"), event.get("stream"))
            decoder = decoders.get(key) or decoders.setdefault(
                key, codecs.getincrementaldecoder("utf-8")("replace")
            )
            text = terminal_text(decoder.decode(output(event)))
        elif kind == "output_truncated":
            text = (
                f"{_DIM}[output not recorded past {event.get('recorded_bytes')} bytes: "
                f"the cap is {event.get('cap')}]{_RESET}\r\n"
            )
        elif kind == "exec_end":
            # A character cut off at the end of the output shows as U+FFFD, as it would live.
            rest = "".join(
                d.decode(b"", final=True) for k, d in decoders.items() if k[0] == event.get("exec")
            )
            if rest:
                yield t, "o", rest
                at_line_start = False
            text = _end_line(event)
        else:
            continue
        if not text:
            continue
        if kind != "output" and not at_line_start:
            text = "\r\n" + text
        at_line_start = text.endswith("\n")
        yield t, "o", text


def write_asciicast(path: Path, out: TextIO, *, agent: bool = False) -> None:
    """asciicast v2 of a session's output pane to `out` (with `agent`, the agent's side
    as markers)."""
    start = parse_event(first_line(path))
    meta = start if start.get("type") == "session_start" else read_meta(path)  # format 2
    argv = " ".join(str(a) for a in meta.get("agent", [])) or "agent"
    hosts = ", ".join(str(h) for h in meta.get("hosts", []))
    title = escape_control(f"aiperm {path.name}: {argv} on {hosts}", keep_newlines=False)
    header = {
        "version": 2,
        "width": WIDTH,
        "height": HEIGHT,
        "timestamp": _start_epoch(meta),
        "title": title,
        "env": {"TERM": "xterm-256color", "SHELL": "/bin/sh"},
    }
    out.write(json.dumps(header) + "\n")
    for t, code, text in pane_frames(path, agent=agent):
        out.write(json.dumps([round(t, 6), code, text]) + "\n")


def write_jsonl(path: Path, out: TextIO) -> None:
    """The complete lines of events.jsonl, unchanged (they are UTF-8, so text is exact)."""
    for line in iter_lines(path):
        out.write(line.decode("utf-8", errors="replace") + "\n")
