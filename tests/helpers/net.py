"""A TCP echo server and a proxy client, for the network proxy's tests."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

from aiperm_tui.agent.splice import hang_up

TIMEOUT = 10.0


class EchoServer:
    """Echoes every byte back, on 127.0.0.1 (or ::1) and a free port, one thread a client."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.port: int = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            threading.Thread(target=self._echo, args=(conn,), daemon=True).start()

    @staticmethod
    def _echo(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(TIMEOUT)
            with contextlib.suppress(OSError):
                while data := conn.recv(65536):
                    conn.sendall(data)

    def close(self) -> None:
        hang_up(self.sock)


@contextlib.contextmanager
def echo_server(host: str = "127.0.0.1") -> Iterator[EchoServer]:
    server = EchoServer(host)
    try:
        yield server
    finally:
        server.close()


def read_head(conn: socket.socket) -> bytes:
    """The proxy's answer head (up to its blank line); what follows stays unread."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        byte = conn.recv(1)
        if not byte:
            break
        buf += byte
    return buf


def read_all(conn: socket.socket) -> bytes:
    """Everything until the peer closes (the proxy's refusal body)."""
    out = b""
    while chunk := conn.recv(65536):
        out += chunk
    return out


def unix_connect(path: str) -> socket.socket:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(TIMEOUT)
    conn.connect(path)
    return conn


def status_of(head: bytes) -> int:
    """The status code of an HTTP answer head (0 when there is none)."""
    parts = head.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
