"""The anchor hook: each session start and seal handed to a command the operator chose,
so a copy of the heads lives outside this machine's reach (syslog forwarded elsewhere, a
server the operator owns). Whoever holds the audit key can rewrite and re-seal a log so
that it verifies, or delete a session and rebuild the index without it; they cannot
change a line that already left the machine.

The hook is `[audit] anchor = ["argv", "..."]` in the operator's config (off when empty).
It runs without a shell, with one line on its stdin: at a session's start

    aiperm-start v1 session=<id> head=<64 hex> index=<n> index_head=<64 hex> key=<key id>

and at its seal

    aiperm-seal v2 session=<id> events=<n> head=<64 hex> index=<n> index_head=<64 hex> key=<key id>

where `head` is the mac of session_start (or of the seal), `events` the log's event count
with the seal, and `index`/`index_head` the session index's entry count and head just
after the start (or seal) entered it. Anchored starts make a session deleted before it
was sealed show (its start is out there, its folder is not); the index heads make an
index rolled back or rebuilt show. `audit.check_anchored` compares such lines with the
folders and the index (`aiperm sessions --verify --anchored FILE`).

The hook runs in an environment without the audit key, with a timeout, in a thread of its
own so it never holds up the broker or its UI; its outcome goes into the session index
(`anchor` entries, `at` start or seal), which `report` shows. The agent cannot change
the hook: it is operator config, and under the sandbox the agent cannot even see the
config folder.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from aiperm_tui import paths
from aiperm_tui.config import AuditConfig
from aiperm_tui.session import ledger
from aiperm_tui.session.keys import AuditKey
from aiperm_tui.textsafe import escape_control

DETAIL_CHARS = 300  # of the hook's own output kept in the index on failure


@dataclass(frozen=True)
class Anchored:
    """One line for the hook: a session's start or seal, and where the index stood just
    after it entered it (entry count and head)."""

    at: Literal["start", "seal"]
    session: str
    head: str  # the mac of session_start, or of the seal
    index: tuple[int, str]
    events: int = 0  # (seal) the log's event count, the seal included

    def line(self, key_id: str) -> str:
        """What the hook reads on its stdin."""
        index = f"index={self.index[0]} index_head={self.index[1]} key={key_id}\n"
        if self.at == "start":
            return f"aiperm-start v1 session={self.session} head={self.head} {index}"
        return (
            f"aiperm-seal v2 session={self.session} events={self.events} head={self.head} {index}"
        )


def run_hook(argv: Sequence[str], line: str, timeout: float) -> tuple[bool, str]:
    """Run the hook once: (ok, detail). Never raises; detail is safe to show."""
    hidden = (paths.KEY_FILE_ENV, paths.REFUSED_KEY_ENV)  # the hook has no use for the key
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    try:
        done = subprocess.run(
            list(argv),
            input=line.encode(),
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
            start_new_session=True,
        )
    except subprocess.TimeoutExpired:
        return False, f"{argv[0]} did not finish within {timeout:g} s (killed)"
    except OSError as exc:
        return False, f"{argv[0]} could not run: {exc.strerror or exc}"
    if done.returncode == 0:
        return True, f"{argv[0]} exit 0"
    said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
    said = escape_control(said, keep_newlines=False)[:DETAIL_CHARS]
    return False, f"{argv[0]} exit {done.returncode}" + (f": {said}" if said else "")


def anchor_in_background(
    hook: AuditConfig,
    root: Path,
    key: AuditKey,
    anchored: Anchored,
    warn: Callable[[str], None],
) -> threading.Thread:
    """Run the hook on `anchored` in a thread and record its outcome in the index. The
    thread is not a daemon: a process exiting right after a seal still waits for it (at
    most the hook's timeout)."""

    def work() -> None:
        ok, detail = run_hook(hook.anchor, anchored.line(key.key_id), hook.anchor_timeout)
        if not ok:
            warn(
                f"the anchor hook failed for the {anchored.at} of session {anchored.session}: "
                f"{detail}"
            )
        with contextlib.suppress(OSError):
            ledger.append(
                root,
                key,
                "anchor",
                session=anchored.session,
                at=anchored.at,
                ok=ok,
                detail=detail,
                head=anchored.head,
            )

    thread = threading.Thread(target=work, name=f"aiperm-anchor-{anchored.at}-{anchored.session}")
    thread.start()
    return thread
