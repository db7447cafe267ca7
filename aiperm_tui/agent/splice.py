"""Copy bytes both ways between two connected sockets: the tunnel under the network proxy
(`agent.netproxy`, broker side) and the relay inside the sandbox (`agent.relay`).

Standard library only: the relay runs inside the agent's sandbox, where nothing but
aiperm's own package and the Python running it is bound.
"""

from __future__ import annotations

import contextlib
import selectors
import socket

CHUNK = 64 * 1024


def splice(a: socket.socket, b: socket.socket, idle_timeout: float, first: bytes = b"") -> None:
    """Forward `first` from a to b, then copy both ways until both directions have ended
    (each end's EOF is passed on as a half-close, so a client that shuts its sending side
    still gets the answer) or nothing moves for `idle_timeout` seconds. Never raises for
    a peer that goes away; the caller closes both sockets."""
    for sock in (a, b):
        sock.settimeout(idle_timeout)  # bounds sendall to a peer that stops reading
    with selectors.DefaultSelector() as selector:
        try:
            if first:
                b.sendall(first)
            selector.register(a, selectors.EVENT_READ, b)
            selector.register(b, selectors.EVENT_READ, a)
            while selector.get_map():
                ready = selector.select(idle_timeout)
                if not ready:
                    return  # idle: the caller closes both ends
                for key, _ in ready:
                    _forward(key.fileobj, key.data, selector)  # type: ignore[arg-type]
        except OSError:
            return


def _forward(src: socket.socket, dst: socket.socket, selector: selectors.BaseSelector) -> None:
    """Move one chunk from src to dst; on src's EOF, half-close dst (OSError: broken)."""
    data = src.recv(CHUNK)
    if data:
        dst.sendall(data)
        return
    selector.unregister(src)
    with contextlib.suppress(OSError):  # the other side may already be gone
        dst.shutdown(socket.SHUT_WR)


def hang_up(sock: socket.socket) -> None:
    """Shut both directions and close, ignoring a peer that is already gone."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
