"""`TerminalPrompts`: the SSH prompts answered on the controlling terminal.

Reads and writes /dev/tty, never stdin/stdout (a plan or a pipe may be there). With no
terminal every question gets the safe answer: skip the key, refuse the host, so an
unknown host ends in `HostKeyUnknown` (exit 5) naming the fingerprint.

An unknown host key is shown with its fingerprint and visual key (randomart). `o` trusts
it for this run; remembering it for good is not one easy key: the operator types the
fingerprint's last four characters as the server's administrator gave them, which makes
the comparison happen. Anything else refuses.
"""

from __future__ import annotations

import contextlib
import getpass
import io
from collections.abc import Iterator
from typing import TextIO

from aiperm_tui.ssh.base import Trust
from aiperm_tui.ssh.randomart import randomart
from aiperm_tui.textsafe import escape_control

CHECK_CHARS = 4  # fingerprint characters typed to remember a host key


def trust_answer(answer: str, fingerprint: str) -> Trust:
    """The verdict a typed answer gives: see the module docstring."""
    answer = answer.strip()
    if answer.lower() in ("o", "once"):
        return "once"
    if len(fingerprint) > CHECK_CHARS and answer == fingerprint[-CHECK_CHARS:]:
        return "always"
    return "refuse"


def _picture(fingerprint: str, key_type: str) -> str:
    try:
        return randomart(fingerprint, key_type)
    except ValueError:
        return "(no visual key: not a SHA256 fingerprint)"


def open_tty() -> TextIO | None:
    """The controlling terminal, to read and write, or None when there is none (cron, CI,
    a pipe). Unbuffered underneath: a buffered "r+" file must be seekable, which a tty is
    not, so `open("/dev/tty", "r+")` always fails on a real terminal."""
    try:
        raw = open("/dev/tty", "r+b", buffering=0)  # noqa: SIM115
    except OSError:
        return None
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", write_through=True)


class TerminalPrompts:
    """`Prompts` on a terminal; `tty` is for tests (default: open /dev/tty per question,
    closed again after it, so a long session holds no terminal descriptor)."""

    def __init__(self, tty: TextIO | None = None) -> None:
        self._tty = tty

    @contextlib.contextmanager
    def _terminal(self) -> Iterator[TextIO | None]:
        if self._tty is not None:
            yield self._tty
            return
        tty = open_tty()
        try:
            yield tty
        finally:
            if tty is not None:
                tty.close()

    def passphrase(self, key_path: str) -> str | None:
        """Unechoed; an empty answer or no terminal skips the key."""
        with self._terminal() as tty:
            if tty is None:
                return None
            prompt = f"passphrase for {escape_control(key_path, keep_newlines=False)}: "
            try:
                return getpass.getpass(prompt, stream=tty) or None
            except (EOFError, OSError):
                return None

    def trust_host(self, host: str, port: int, key_type: str, fingerprint: str) -> Trust:
        """Shows the fingerprint and its picture; see the module docstring."""
        with self._terminal() as tty:
            if tty is None:
                return "refuse"
            shown = escape_control(f"{host}:{port}", keep_newlines=False)
            key = escape_control(f"{key_type} {fingerprint}", keep_newlines=False)
            tty.write(
                f"The host key of {shown} is not known.\n  {key}\n"
                f"{escape_control(_picture(fingerprint, key_type))}\n"
                "Compare it with the one your administrator gives you.\n"
                "  o       trust it for this run only\n"
                f"  ....    type the fingerprint's last {CHECK_CHARS} characters to "
                "remember it for good\n"
                "  enter   refuse\n> "
            )
            tty.flush()
            answer = tty.readline()
        return trust_answer(answer, fingerprint)
