"""The output pane: live output of running commands, fed from SSH threads.

SSH threads call `OutputBuffer.feed` (thread-safe, cheap: it appends to a buffer under
a lock and never touches the UI). A timer on the UI thread drains the buffer every
`FLUSH_SECONDS` and writes all new lines to the `Log` in one call, so a flood of a
million lines costs a few dozen UI updates a second, not one per chunk. Between two
flushes the buffer keeps at most `MAX_BATCH` lines: during a flood faster than anyone
can read, older ones are counted and replaced by one marker line (the full output is in
the session log), which keeps each flush short, so keys stay responsive, and memory
bounded whatever the remote prints.
"""

from __future__ import annotations

import threading
from collections import deque

from textual.widgets import Log

from aiperm_tui.textsafe import LineSplitter, escape_control

FLUSH_SECONDS = 0.04
MAX_BATCH = 2000  # lines written per flush: 50 000 lines/s on screen, more is a blur


def safe_line(line: str) -> str:
    """One output line made safe to show; `isprintable` is the fast path for plain text."""
    return line if line.isprintable() else escape_control(line)


class OutputBuffer:
    """Thread-safe line buffer between producer threads and the UI thread.

    Kept apart from the widget so the replay screen and the benchmark can use it too.
    """

    def __init__(self, max_lines: int) -> None:
        self.max_lines = max_lines
        self._lock = threading.Lock()
        self._lines: deque[str] = deque(maxlen=max_lines)
        self._streams: dict[tuple[str, str], LineSplitter] = {}
        self._dropped = 0
        self._last_exec: str | None = None
        self.lines_in = 0  # complete lines received, for the header and the benchmark
        self.skipped = 0  # lines coalesced away before they reached the view

    def _append(self, line: str) -> None:
        if len(self._lines) == self.max_lines:
            self._dropped += 1
        self._lines.append(line)
        self.lines_in += 1

    def _switch(self, exec_id: str) -> None:
        """Mark where interleaved output of parallel commands changes command."""
        if self._last_exec not in (None, exec_id):
            self._append(f"── {exec_id} (continued) ──")
        self._last_exec = exec_id

    def header(self, exec_id: str, host: str, cmd: str) -> None:
        """The line that opens a command's section."""
        with self._lock:
            self._last_exec = exec_id
            self._append(
                f"━━ {exec_id} @{escape_control(host, keep_newlines=False)} $ "
                f"{escape_control(cmd, keep_newlines=False)}"
            )

    def footer(self, exec_id: str, summary: str) -> None:
        """The closing line of a command: flushes its partial lines first."""
        with self._lock:
            for (ex, _stream), splitter in list(self._streams.items()):
                if ex == exec_id:
                    tail = splitter.rest()
                    if tail:
                        self._switch(exec_id)
                        self._append(safe_line(tail))
                    del self._streams[(ex, _stream)]
            self._append(f"── {exec_id} {summary}")
            self._last_exec = None

    def feed(self, exec_id: str, stream: str, data: bytes) -> None:
        """Add a chunk of a command's output (any thread)."""
        with self._lock:
            splitter = self._streams.get((exec_id, stream))
            if splitter is None:
                splitter = self._streams[(exec_id, stream)] = LineSplitter()
            lines = splitter.feed(data)
            if lines:
                self._switch(exec_id)
            for line in lines:
                self._append(safe_line(line))

    def note(self, text: str) -> None:
        """A line of our own (already safe text) in the pane."""
        with self._lock:
            self._append(text)

    @property
    def pending(self) -> int:
        """Lines waiting for the next flush."""
        return len(self._lines)

    def drain(self) -> list[str]:
        """Everything buffered since the last drain, with a marker for skipped lines."""
        with self._lock:
            lines = list(self._lines)
            self._lines.clear()
            dropped, self._dropped = self._dropped, 0
            self.skipped += dropped
        if dropped:
            lines.insert(0, f"… {dropped} lines skipped in the view (all are in the session log)")
        return lines


class OutputPane(Log):
    """A `Log` with bounded scroll-back, fed in batches from an `OutputBuffer`."""

    DEFAULT_CSS = """
    OutputPane { border: round $secondary; border-title-color: $text-secondary; }
    OutputPane:focus { border: round $primary; }
    """

    def __init__(self, max_lines: int = 10_000, *, id: str | None = None) -> None:
        super().__init__(max_lines=max_lines, id=id, auto_scroll=True)
        self.buffer = OutputBuffer(min(max_lines, MAX_BATCH))
        self.lines_shown = 0
        self.writes = 0
        self.following = True  # the view shows the end of the output

    def on_mount(self) -> None:
        self.border_title = "output"
        self.set_interval(FLUSH_SECONDS, self.flush)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Remember whether the view is at the end: `Log` follows new lines only while
        it is, and a resize that shrinks the view (or brings a horizontal scrollbar)
        leaves the offset where it was, above the new end, so without this the pane
        stopped following after the terminal was resized."""
        super().watch_scroll_y(old_value, new_value)
        self.following = self.is_vertical_scroll_end

    def on_resize(self) -> None:
        self._catch_up()

    def _catch_up(self) -> None:
        """Back to the end if the view was following it before its size changed."""
        if self.following and not self.is_vertical_scroll_end:
            self.scroll_end(animate=False, immediate=True, x_axis=False)

    def flush(self) -> None:
        """Write everything buffered to the Log in one call (UI thread)."""
        lines = self.buffer.drain()
        if lines:
            self._catch_up()  # a flush can run before the Resize event arrives
            self.write_lines(lines)
            self.lines_shown += len(lines)
            self.writes += 1
