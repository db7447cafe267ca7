"""The anchor hook: each seal's chain head handed to a command the operator chose, so a copy
of it lives outside this machine's reach (syslog forwarded elsewhere, a server the
operator owns). Whoever holds the audit key can rewrite and re-seal a log so that it
verifies; they cannot change a head that already left the machine.

The hook is `[audit] anchor = ["argv", "..."]` in the operator's config (off when empty).
It runs without a shell, with the seal on its stdin as one line

    aiperm-seal v1 session=<id> events=<n> head=<64 hex> key=<key id>

in an environment without the audit key, with a timeout, in a thread of its own so it
never holds up the broker or its UI; its outcome goes into the session index (`anchor`
entries), which `report` shows. The agent cannot change the hook: it is operator
config, and under the sandbox the agent cannot even see the config folder.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from aiperm_tui import paths
from aiperm_tui.session import ledger
from aiperm_tui.session.keys import AuditKey
from aiperm_tui.textsafe import escape_control

DETAIL_CHARS = 300  # of the hook's own output kept in the index on failure


def seal_line(session_id: str, events: int, head: str, key_id: str) -> str:
    """What the hook reads on its stdin."""
    return f"aiperm-seal v1 session={session_id} events={events} head={head} key={key_id}\n"


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
    argv: Sequence[str],
    timeout: float,
    root: Path,
    key: AuditKey,
    session_id: str,
    events: int,
    head: str,
    warn: Callable[[str], None],
) -> threading.Thread:
    """Run the hook in a thread and record its outcome in the index. The thread is not a
    daemon: a process exiting right after a seal still waits for it (at most `timeout`)."""

    def work() -> None:
        ok, detail = run_hook(argv, seal_line(session_id, events, head, key.key_id), timeout)
        if not ok:
            warn(f"the anchor hook failed for session {session_id}: {detail}")
        with contextlib.suppress(OSError):
            ledger.append(root, key, "anchor", session=session_id, ok=ok, detail=detail, head=head)

    thread = threading.Thread(target=work, name=f"aiperm-anchor-{session_id}")
    thread.start()
    return thread
