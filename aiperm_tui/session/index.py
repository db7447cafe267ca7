"""An offset index over a session's `events.jsonl`, for replaying huge sessions.

Replay must open a million-event session in well under a second and seek anywhere in
a fraction of that, without holding the events in memory. So the file is read once in
large blocks and only scanned by C-speed byte searches (`count`, `find`), never split
into lines in Python:

- a *checkpoint* is kept every `CHECKPOINT_BYTES` bytes: the offset of the first line
  starting after that point, its line number and its `t`. Finding event `i` is a bisect
  over the checkpoints plus one read of at most a block;
- the events replay jumps between (requests, denials) are found in the same pass,
  because the timeline shows them all;
- a line is parsed (json) only when it is asked for.

Memory is the checkpoints (three numbers per 32 KiB of log) and the marker lists.
Reads use `os.pread` rather than mmap: copying a mapped file page-faults on every page,
which made opening a 300 MB log twice as slow.

A crash leaves at worst a torn last line (no trailing newline): it is not an event and
the index ends before it (`torn_tail` says so). Byte searches must spell the JSON the
way the recorder does: compact (`json.dumps(..., separators=(",", ":"))`); the default
spacing (`", "`, `": "`) is detected from the first line.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aiperm_tui.session.files import open_regular
from aiperm_tui.session.store import MAX_LINE_BYTES, decode_event

CHECKPOINT_BYTES = 32 * 1024
READ_BYTES = 1024 * 1024  # one read while building or searching
_BLOCKS_PER_READ = READ_BYTES // CHECKPOINT_BYTES
# Types the timeline marks and `[`/`]` jump between.
MARKER_TYPES = ("request", "deny")
_T_FIELD = re.compile(rb'"t":\s*(-?[0-9][0-9.eE+-]*)')
_HEAD_BYTES = 120  # `t` sits near the start of a line: {"seq":N,"t":...


class EventIndex:
    """Random access to the events of one `events.jsonl` by position (0-based line)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = open_regular(path)
        self._size = os.fstat(self._fd).st_size
        self._compact = self._read(0, 8) != b'{"seq": '
        self._cp_offsets: list[int] = []
        self._cp_lines: list[int] = []
        self._cp_times: list[float] = []
        self.markers: dict[str, list[int]] = {name: [] for name in MARKER_TYPES}
        self.count = 0
        self._end = 0
        self._build()
        self.torn_tail = self._end < self._size  # bytes after the last newline

    # ---- building ---------------------------------------------------------------------

    def _read(self, lo: int, hi: int) -> bytes:
        return os.pread(self._fd, max(hi - lo, 0), lo)

    def _build(self) -> None:
        """Read the file in big line-aligned chunks and index each chunk."""
        offset, want = 0, READ_BYTES
        while offset < self._size:
            chunk = self._read(offset, offset + want)
            cut = chunk.rfind(b"\n") + 1
            if not cut:
                if offset + len(chunk) >= self._size or want >= MAX_LINE_BYTES:
                    break  # the torn tail, or a line no recorder writes: replay stops here
                want *= 2  # a line longer than one read
                continue
            self._index_chunk(chunk, cut, offset)
            offset, want = offset + cut, READ_BYTES
        self._end = offset

    def _index_chunk(self, chunk: bytes, cut: int, base: int) -> None:
        """Checkpoints and markers of `chunk[:cut]`; lines are counted in C."""
        needles = [self._needle("type", name) for name in MARKER_TYPES]
        start, line = 0, self.count
        while start < cut:
            self._cp_offsets.append(base + start)
            self._cp_lines.append(line)
            self._cp_times.append(_time_of(chunk[start : start + _HEAD_BYTES]))
            stop = chunk.find(b"\n", min(start + CHECKPOINT_BYTES, cut - 1), cut) + 1
            hits = sorted(
                (pos, name)
                for name, needle in zip(MARKER_TYPES, needles, strict=True)
                for pos in _find_all(chunk, needle, start, stop)
            )
            counted = start
            for pos, name in hits:  # count each byte once, however many needles
                line += chunk.count(b"\n", counted, pos)
                counted = pos
                self.markers[name].append(line)
            line += chunk.count(b"\n", counted, stop)
            start = stop
        self.count = line

    def _needle(self, key: str, value: str) -> bytes:
        sep = ":" if self._compact else ": "
        return (json.dumps(key) + sep + json.dumps(value)).encode()

    # ---- positions and offsets -----------------------------------------------------------

    def _block(self, cp: int) -> tuple[int, int, bytes]:
        """(offset, first line, bytes) of checkpoint block `cp`."""
        lo = self._cp_offsets[cp]
        hi = self._cp_offsets[cp + 1] if cp + 1 < len(self._cp_offsets) else self._end
        return lo, self._cp_lines[cp], self._read(lo, hi)

    def offset(self, index: int) -> int:
        """Byte offset where event `index` starts (`count` gives the end of the last event)."""
        if index >= self.count:
            return self._end
        index = max(index, 0)
        lo, line, block = self._block(bisect.bisect_right(self._cp_lines, index) - 1)
        pos = 0
        for _ in range(index - line):
            pos = block.find(b"\n", pos) + 1
        return lo + pos

    def index_at(self, offset: int) -> int:
        """The position of the event whose line contains byte `offset`."""
        cp = bisect.bisect_right(self._cp_offsets, offset) - 1
        lo = self._cp_offsets[cp]
        return self._cp_lines[cp] + self._read(lo, offset).count(b"\n")

    def raw(self, index: int) -> bytes:
        """The exact bytes of event `index`, without the newline."""
        if not 0 <= index < self.count:
            raise IndexError(index)
        return self._line_at(self.offset(index))

    def _line_at(self, offset: int) -> bytes:
        want = 4096
        while True:
            data = self._read(offset, min(offset + want, self._end))
            nl = data.find(b"\n")
            if nl >= 0:
                return data[:nl]
            want *= 4

    # ---- events ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> dict[str, Any]:
        return decode_event(self.raw(index), index)

    def events(self, start: int = 0, stop: int | None = None) -> Iterator[dict[str, Any]]:
        """Events `start..stop-1` in order, read block by block from one seek."""
        stop = self.count if stop is None else min(stop, self.count)
        index = max(start, 0)
        offset = self.offset(index)
        while index < stop:
            chunk = self._read(offset, min(offset + READ_BYTES, self._end))
            cut = chunk.rfind(b"\n") + 1
            if not cut:  # one line longer than a read
                chunk = self._line_at(offset) + b"\n"
                cut = len(chunk)
            pos = 0
            while pos < cut and index < stop:
                nl = chunk.find(b"\n", pos)
                yield decode_event(chunk[pos:nl], index)
                index, pos = index + 1, nl + 1
            offset += pos

    def time(self, index: int) -> float:
        """`t` of event `index` (seconds since the session started)."""
        if not 0 <= index < self.count:
            return 0.0
        offset = self.offset(index)
        return _time_of(self._read(offset, offset + _HEAD_BYTES))

    @property
    def duration(self) -> float:
        return self.time(self.count - 1) if self.count else 0.0

    def index_at_time(self, t: float) -> int:
        """The last event with `t` <= the given time (0 when none is); `t` never decreases."""
        if not self.count:
            return 0
        cp = max(bisect.bisect_right(self._cp_times, t) - 1, 0)
        _, index, block = self._block(cp)
        pos = block.find(b"\n") + 1
        while pos < len(block) and _time_of(block[pos : pos + _HEAD_BYTES]) <= t:
            index, pos = index + 1, block.find(b"\n", pos) + 1
        return index

    # ---- searching -------------------------------------------------------------------------

    def find_forward(self, needle: bytes, start: int, stop: int, limit: int = 1) -> list[int]:
        """Positions in `start..stop-1` of the first `limit` events whose line has `needle`."""
        hits: list[int] = []
        cp = max(bisect.bisect_right(self._cp_lines, start) - 1, 0)
        while cp < len(self._cp_offsets) and self._cp_lines[cp] < stop and len(hits) < limit:
            found = self._search(needle, cp, cp + _BLOCKS_PER_READ)
            hits.extend(i for i in found if start <= i < stop)
            cp += _BLOCKS_PER_READ
        return hits[:limit]

    def find_backward(
        self, needle: bytes, stop: int, limit: int = 1, max_bytes: int | None = None
    ) -> list[int]:
        """Positions of the last `limit` events before `stop` whose line has `needle`,
        newest first; `max_bytes` bounds how far back to look."""
        hits: list[int] = []
        cp = bisect.bisect_right(self._cp_lines, stop - 1) if stop > 0 else 0
        floor = self.offset(stop) - max_bytes if max_bytes is not None else 0
        while cp > 0 and len(hits) < limit and self._cp_offsets[cp - 1] >= floor:
            found = self._search(needle, max(cp - _BLOCKS_PER_READ, 0), cp)
            hits.extend(i for i in reversed(found) if i < stop)
            cp -= _BLOCKS_PER_READ
        return hits[:limit]

    def _search(self, needle: bytes, cp_lo: int, cp_hi: int) -> list[int]:
        """Lines holding `needle` in checkpoint blocks `cp_lo..cp_hi-1`, read at once."""
        cp_hi = min(cp_hi, len(self._cp_offsets))
        lo = self._cp_offsets[cp_lo]
        hi = self._cp_offsets[cp_hi] if cp_hi < len(self._cp_offsets) else self._end
        return _lines_with(self._read(lo, hi), needle, self._cp_lines[cp_lo])

    def type_needle(self, type_: str) -> bytes:
        """The bytes that mark an event of `type_` in this file."""
        return self._needle("type", type_)

    def field_needle(self, key: str, value: str) -> bytes:
        """The bytes of `"key":"value"` as this file spells them."""
        return self._needle(key, value)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> EventIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _time_of(head: bytes) -> float:
    """The `t` of the line starting `head` (0.0 when it has none)."""
    match = _T_FIELD.search(head.split(b"\n", 1)[0])
    try:
        return float(match.group(1)) if match else 0.0
    except ValueError:
        return 0.0


def _find_all(data: bytes, needle: bytes, start: int, stop: int) -> Iterator[int]:
    """Offsets in `data[start:stop]` of `needle`, at most one per line.

    A JSON string never contains a bare `"`, so a `"type":"request"` needle cannot match
    inside agent text or output.
    """
    pos = data.find(needle, start, stop)
    while pos >= 0:
        yield pos
        nl = data.find(b"\n", pos, stop)
        if nl < 0:
            return
        pos = data.find(needle, nl, stop)


def _lines_with(data: bytes, needle: bytes, first_line: int) -> list[int]:
    """Line numbers (counting from `first_line`) of the lines of `data` holding `needle`."""
    found, line, counted = [], first_line, 0
    for pos in _find_all(data, needle, 0, len(data)):
        line += data.count(b"\n", counted, pos)
        counted = pos
        found.append(line)
    return found
