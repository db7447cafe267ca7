"""An opened recorded session: its folder, offset index, and the events needed to draw
any point of it (nothing from meta.toml, which the chain does not cover).

Seeking to event 900 000 of a million must not replay 900 000 events. The panes have
bounded scroll-back anyway, so `context(cursor)` picks only what they can show: the last
`WINDOW` events, the agent lines and the request (with everything about it) that came
before that window, and the start of any command whose output is in it. Folding those
few thousand events into a fresh `Scene` gives the same picture as playing from the
start, within the panes' limits, in milliseconds.
"""

from __future__ import annotations

import bisect
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from aiperm_tui.errors import AipermError, UsageError
from aiperm_tui.session.index import EventIndex
from aiperm_tui.session.keys import load_key_ring
from aiperm_tui.session.store import OutputReader, events_path, session_dir
from aiperm_tui.session.verify import verify_session

WINDOW = 2000  # events folded before the cursor on a seek
REQUESTS_BACK = 1  # requests before the window brought back with their decisions
AGENT_BACK = 100  # agent lines brought back from before the window
AGENT_BACK_BYTES = 16 * 1024 * 1024  # and how far back they are looked for
ABOUT_A_REQUEST = 400  # at most this many events about one request are fetched
EXECS_BACK = 32  # exec_start/exec_end events searched before the window


@dataclass
class Recording:
    """A session opened for replay."""

    folder: Path
    index: EventIndex
    output: OutputReader  # the bytes of an `output` event

    @classmethod
    def open(cls, path: Path) -> Recording:
        """Open a session folder (or its events.jsonl); a missing log is a UsageError."""
        folder = session_dir(path)
        try:
            index = EventIndex(events_path(path))
        except OSError as exc:
            raise UsageError(f"{folder}: cannot read the session log: {exc.strerror}") from None
        return cls(folder, index, OutputReader(folder))

    @property
    def session_id(self) -> str:
        return self.folder.name  # the chain is bound to it (genesis); meta.toml is not

    @property
    def start(self) -> dict[str, Any]:
        """The session_start event ({} if the log does not begin with one)."""
        if not len(self.index):
            return {}
        first = self.index[0]
        return first if first.get("type") == "session_start" else {}

    def close(self) -> None:
        self.index.close()
        self.output.close()

    def context(self, cursor: int) -> list[tuple[int, dict[str, Any]]]:
        """(position, event) pairs to fold into an empty Scene to draw events
        `0..cursor-1`, in order; bounded whatever the session's size."""
        cursor = min(max(cursor, 0), len(self.index))
        lo = max(cursor - WINDOW, 0)
        picked: dict[int, dict[str, Any]] = dict(enumerate(self.index.events(lo, cursor), start=lo))
        if lo > 0:
            picked.update(self._before_window(lo, picked))
            picked.setdefault(0, self.index[0])  # the session_start, for the header
        return sorted(picked.items())

    def _fetch(self, positions: list[int]) -> dict[int, dict[str, Any]]:
        return {pos: self.index[pos] for pos in positions}

    def _match_execs(
        self, found: dict[int, dict[str, Any]], type_: str, execs: set[Any], lo: int
    ) -> None:
        """Add the last `type_` events before `lo` that belong to `execs`."""
        if not execs:
            return
        for pos in self.index.find_backward(self.index.type_needle(type_), lo, EXECS_BACK):
            event = self.index[pos]
            if event.get("exec") in execs:
                found[pos] = event

    def _before_window(
        self, lo: int, window: dict[int, dict[str, Any]]
    ) -> dict[int, dict[str, Any]]:
        """Agent lines, recent requests and command starts from before position `lo`."""
        index = self.index
        found: dict[int, dict[str, Any]] = {}
        agent_in_window = sum(1 for e in window.values() if e.get("type") == "agent_line")
        if agent_in_window < AGENT_BACK:
            found.update(
                self._fetch(
                    index.find_backward(
                        index.type_needle("agent_line"),
                        lo,
                        AGENT_BACK - agent_in_window,
                        max_bytes=AGENT_BACK_BYTES,
                    )
                )
            )
        requests = index.markers["request"]
        for pos in requests[
            max(bisect.bisect_left(requests, lo) - REQUESTS_BACK, 0) : bisect.bisect_left(
                requests, lo
            )
        ]:
            request = found[pos] = index[pos]
            needle = index.field_needle("id", str(request.get("id", "")))
            found.update(self._fetch(index.find_forward(needle, pos + 1, lo, ABOUT_A_REQUEST)))
        # exec_end names only its exec: bring back the ends of commands started above.
        self._match_execs(
            found,
            "exec_end",
            {e.get("exec") for e in found.values() if e.get("type") == "exec_start"},
            lo,
        )
        # Output in the window of a command that started before it needs its header.
        started = {e.get("exec") for e in window.values() if e.get("type") == "exec_start"}
        outputs = {e.get("exec") for e in window.values() if e.get("type") == "output"}
        started |= {e.get("exec") for e in found.values() if e.get("type") == "exec_start"}
        self._match_execs(found, "exec_start", outputs - started, lo)
        return found


@dataclass(frozen=True)
class Integrity:
    """What verification said, in the terms the replay shows.

    `first_bad` is the position (0-based) of the first event that cannot be trusted;
    None when all verified, 0 when nothing could be checked (no key, ephemeral key).
    """

    state: Literal["ok", "unverified"]
    message: str
    first_bad: int | None = None
    torn_tail: bool = False

    @property
    def ok(self) -> bool:
        return self.state == "ok"


def check_integrity(folder: Path) -> Integrity:
    """Verify a session with this machine's audit keys, the current one and those
    retired by `aiperm init --rotate-key`, as `aiperm verify` does (slow on huge logs:
    the replay runs it in a child process and shows the result when it is done)."""
    try:
        ring = load_key_ring()  # the retired keys too: a rotation must not unverify a log
    except AipermError as exc:
        return Integrity("unverified", f"cannot load the audit key: {exc}", 0)
    result = verify_session(folder, ring)
    if result.ok:
        return Integrity("ok", result.message, torn_tail=result.torn_tail)
    first = result.first_bad_seq - 1 if result.first_bad_seq else 0
    return Integrity("unverified", result.message, first, result.torn_tail)


def check_integrity_in_child(folder: Path) -> Integrity:
    """`check_integrity` in a child Python process.

    HMAC over a million lines is a Python loop that holds the GIL for seconds; in a
    thread it would slow every seek and frame of the replay it runs beside. A process
    runs on another core. The key reaches the child the way it reaches this process
    (environment or key file), never on its command line.
    """
    package_root = str(Path(__file__).resolve().parent.parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__, str(folder)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=3600,
        )
        return Integrity(**json.loads(done.stdout))
    except (OSError, ValueError, TypeError, subprocess.SubprocessError) as exc:
        return Integrity("unverified", f"verification could not run: {exc}", 0)


if __name__ == "__main__":  # the child of check_integrity_in_child
    print(json.dumps(asdict(check_integrity(Path(sys.argv[1])))))
