"""Copy bytes both ways between two connected sockets: the tunnel under the network proxy
(`agent.netproxy`, broker side) and the relay inside the sandbox (`agent.relay`).

Standard library only: the relay runs inside the agent's sandbox, where nothing but
aiperm's own package and the Python running it is bound.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

CHUNK = 64 * 1024


def splice(a: socket.socket, b: socket.socket, idle_timeout: float, first: bytes = b"") -> None:
    """Forward `first` from a to b, then copy both ways until both directions have ended
    (each end's EOF is passed on as a half-close, so a client that shuts its sending side
    still gets the answer) or nothing moves for `idle_timeout` seconds. One thread per
    direction: a single thread blocked sending one way would stop reading the other, and
    full-duplex bulk traffic would stall. Never raises for a peer that goes away; the
    caller closes both sockets."""
    for sock in (a, b):
        sock.settimeout(idle_timeout)  # bounds sendall to a peer that stops reading
    tunnel = _Tunnel(idle_timeout)
    try:
        if first:
            b.sendall(first)
    except OSError:
        return
    back = threading.Thread(target=tunnel.pipe, args=(b, a), daemon=True, name="splice")
    back.start()
    tunnel.pipe(a, b)
    back.join()


class _Tunnel:
    """The state both directions share: when a byte last moved, and whether to stop."""

    def __init__(self, idle_timeout: float) -> None:
        self.idle_timeout = idle_timeout
        self.last = time.monotonic()
        self.broken = threading.Event()

    def pipe(self, src: socket.socket, dst: socket.socket) -> None:
        """Copy src to dst until src's EOF (then half-close dst), a broken socket, or the
        whole tunnel idle; the last two end both directions."""
        try:
            while not self.broken.is_set():
                try:
                    data = src.recv(CHUNK)
                except TimeoutError:
                    if time.monotonic() - self.last < self.idle_timeout:
                        continue  # this way is quiet, the other is not
                    break
                if not data:
                    with contextlib.suppress(OSError):
                        dst.shutdown(socket.SHUT_WR)
                    return
                self.last = time.monotonic()
                dst.sendall(data)
                self.last = time.monotonic()
        except OSError:
            pass
        self.broken.set()
        for sock in (src, dst):  # wakes the other direction
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def hang_up(sock: socket.socket) -> None:
    """Shut both directions and close, ignoring a peer that is already gone."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
