"""The listening Unix socket both broker-side servers stand on: the bridge (`agent.bridge`,
the agent's requests) and the network proxy (`agent.netproxy`, the agent's way out).

Both bind a 0600 socket in a 0700 folder (`bridge.private_dir`), accept on one thread
until closed, and stop by shutting the socket down, which wakes that thread's `accept`.
One copy of that lifecycle, so the two servers cannot drift apart on how they stop or
what mode their socket has.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path


def listen(path: Path, backlog: int) -> socket.socket:
    """A stream socket bound at `path`, mode 0600 (only the operator's user may connect;
    the folder around it is 0700 as well), listening."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    os.chmod(path, 0o600)
    sock.listen(backlog)
    return sock


def accepted(sock: socket.socket, closed: threading.Event) -> Iterator[socket.socket]:
    """Each connection `sock` accepts, until `closed` is set or the socket fails (`stop`
    shuts it down, which ends a blocked `accept` with OSError)."""
    while not closed.is_set():
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        yield conn


def stop(sock: socket.socket) -> None:
    """Stop listening: shut the socket down first, so the thread blocked in `accept` wakes
    (closing alone does not wake it on Linux), then close it."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
