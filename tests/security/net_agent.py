"""A hostile agent's network probes, run inside the sandbox behind the relay.

    python net_agent.py PROBE [PROBE...]    # one `probe {json}` line a probe on stdout

Probes: `direct:HOST:PORT` (a plain TCP connection), `proxy:TARGET` (CONNECT through
$HTTPS_PROXY, then an echo round trip when it is answered 200), `plain:URL` (a plain-HTTP
request through $HTTP_PROXY), `flood:TARGET` (a CONNECT whose headers never end), `env`
(the proxy variables it was given). Standard library only.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from typing import Any
from urllib.parse import urlsplit

TIMEOUT = 10.0


def _proxy(var: str) -> tuple[str, int]:
    url = urlsplit(os.environ[var])
    assert url.hostname is not None and url.port is not None
    return url.hostname, url.port


def _head(conn: socket.socket) -> bytes:
    buf = b""
    while b"\r\n\r\n" not in buf:
        byte = conn.recv(1)
        if not byte:
            break
        buf += byte
    return buf


def _status(head: bytes) -> int:
    parts = head.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def direct(target: str) -> dict[str, Any]:
    host, _, port = target.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=TIMEOUT):
            return {"connected": True}
    except OSError as exc:
        return {"connected": False, "error": type(exc).__name__, "errno": exc.errno}


def through_proxy(target: str) -> dict[str, Any]:
    with socket.create_connection(_proxy("HTTPS_PROXY"), timeout=TIMEOUT) as conn:
        conn.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
        status = _status(_head(conn))
        if status != 200:
            return {"status": status}
        conn.sendall(b"hello through the proxy")
        echoed = b""
        while len(echoed) < 23:
            chunk = conn.recv(64)
            if not chunk:
                break
            echoed += chunk
        return {"status": status, "echo": echoed.decode()}


def plain(url: str) -> dict[str, Any]:
    with socket.create_connection(_proxy("HTTP_PROXY"), timeout=TIMEOUT) as conn:
        conn.sendall(f"GET {url} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        return {"status": _status(_head(conn))}


def flood(target: str) -> dict[str, Any]:
    sent = 0
    with socket.create_connection(_proxy("HTTPS_PROXY"), timeout=TIMEOUT) as conn:
        try:
            conn.sendall(f"CONNECT {target} HTTP/1.1\r\n".encode())
            while sent < 64 * 1024 * 1024:
                conn.sendall(b"X-Flood: " + b"a" * 1000 + b"\r\n")
                sent += 1011
        except OSError:
            pass
        try:
            status = _status(_head(conn))
        except OSError:
            status = 0
    return {"sent": sent, "status": status}


def env() -> dict[str, Any]:
    names = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "no_proxy")
    return {name: os.environ.get(name) for name in names}


def main(probes: list[str]) -> int:
    kinds = {"direct": direct, "proxy": through_proxy, "plain": plain, "flood": flood}
    for probe in probes:
        kind, _, arg = probe.partition(":")
        result = env() if kind == "env" else kinds[kind](arg)
        # Not a line starting with "{": the broker would take it for a malformed request.
        print("probe " + json.dumps({"probe": probe, **result}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
