"""`CappedOutput`: what the agent gets back from a command, with bounded memory.

An agent needs the beginning of an output (headers, the first error) and its end (the
summary, the last error), rarely the middle; the full stream goes to the session log.
So the first half of the cap is kept as it arrives and the last half in a rolling tail,
and `text()` joins them with a marker saying how many bytes were cut.
"""

from __future__ import annotations


class CappedOutput:
    """Keeps at most `cap_bytes` of a stream: head and tail, joined by a cut marker."""

    def __init__(self, cap_bytes: int) -> None:
        self.cap = max(0, cap_bytes)
        self._head_cap = self.cap - self.cap // 2
        self._tail_cap = self.cap // 2
        self._head = bytearray()
        self._tail = bytearray()
        self.total = 0

    @property
    def truncated(self) -> bool:
        return self.total > self.cap

    def feed(self, data: bytes) -> None:
        """Add a chunk; O(len(data)) and never more than the cap kept."""
        self.total += len(data)
        room = self._head_cap - len(self._head)
        if room > 0:
            self._head += data[:room]
            data = data[room:]
        if not data or not self._tail_cap:
            return
        if len(data) >= self._tail_cap:
            self._tail[:] = data[-self._tail_cap :]
        else:
            self._tail += data
            excess = len(self._tail) - self._tail_cap
            if excess > 0:
                del self._tail[:excess]

    def text(self) -> str:
        """The kept bytes as text (invalid UTF-8 replaced), with the marker when cut."""
        if not self.truncated:
            return bytes(self._head + self._tail).decode("utf-8", errors="replace")
        head = bytes(self._head).decode("utf-8", errors="replace")
        cut = self.total - len(self._head) - len(self._tail)
        tail = bytes(self._tail).decode("utf-8", errors="replace")
        sep = "" if head.endswith("\n") or not head else "\n"
        return f"{head}{sep}[... {cut} bytes cut by aiperm ...]\n{tail}"
