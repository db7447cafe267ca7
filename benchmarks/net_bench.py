"""The sandboxed agent's network path: what the relay and the broker's proxy cost.

    python benchmarks/net_bench.py [--mb MB] [--connects N] [--rounds R]

The path a sandboxed agent's HTTPS takes (docs/network.md): a TCP connection to the
relay on 127.0.0.1, the relay's pipe to the proxy's Unix socket, the proxy's allowlist
check and its connection to the host, then the bytes spliced both ways. Here the relay
runs in this process (`relay.serve`, as inside the sandbox) and the "host" is a TCP echo
server on 127.0.0.1, listed by address; the sandbox itself adds nothing per byte.

1. throughput: MB megabytes sent and echoed back through the path, against the same
   through a direct TCP connection to the echo server (the reference).
2. connect: the time from connect() to a usable tunnel (CONNECT answered 200) against a
   direct TCP connect; median of N each.

Off and on alternate R times, so both see the same machine load; the result is the ratio
of the medians. Targets: throughput >= 0.3 of direct (the agent's traffic is an API's
JSON, far below either), connect < 5 ms.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from helpers.net import EchoServer, read_head  # noqa: E402

from aiperm_tui.agent import relay  # noqa: E402
from aiperm_tui.agent.netproxy import NetProxy  # noqa: E402
from aiperm_tui.netrules import Allowlist  # noqa: E402

CHUNK = 64 * 1024


def _pump(conn: socket.socket, total: int) -> None:
    """Send `total` bytes and read as many back (the echo), writing from a thread."""
    block = b"x" * CHUNK

    def send() -> None:
        left = total
        while left > 0:
            conn.sendall(block[: min(CHUNK, left)])
            left -= CHUNK

    writer = threading.Thread(target=send)
    writer.start()
    got = 0
    while got < total:
        data = conn.recv(1 << 20)
        if not data:
            raise RuntimeError("the connection ended early")
        got += len(data)
    writer.join()


def _via_proxy(relay_port: int, target: str) -> socket.socket:
    conn = socket.create_connection(("127.0.0.1", relay_port))
    conn.sendall(f"CONNECT {target} HTTP/1.1\r\n\r\n".encode())
    head = read_head(conn)
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"the proxy said {head!r}")
    return conn


def _timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--connects", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    echo = EchoServer()
    target = f"127.0.0.1:{echo.port}"
    with tempfile.TemporaryDirectory(prefix="aiperm-netbench-") as folder:
        proxy = NetProxy(Allowlist.parse([target]))
        path = proxy.start(Path(folder))
        listener = relay.listen(0)
        threading.Thread(target=relay.serve, args=(listener, str(path)), daemon=True).start()
        relay_port = listener.getsockname()[1]
        direct: Callable[[], socket.socket] = lambda: socket.create_connection(  # noqa: E731
            ("127.0.0.1", echo.port)
        )
        proxied: Callable[[], socket.socket] = lambda: _via_proxy(relay_port, target)  # noqa: E731
        total = args.mb * 1024 * 1024
        rates: dict[str, list[float]] = {"direct": [], "proxy": []}
        setups: dict[str, list[float]] = {"direct": [], "proxy": []}
        for _ in range(args.rounds):
            for name, opener in (("direct", direct), ("proxy", proxied)):
                with opener() as conn:
                    rates[name].append(args.mb / _timed(lambda c=conn: _pump(c, total)))
                for _ in range(args.connects // args.rounds):
                    setups[name].append(_timed(lambda o=opener: o().close()))
        proxy.close()
        listener.close()
    echo.close()
    rate = {k: statistics.median(v) for k, v in rates.items()}
    setup = {k: statistics.median(v) * 1000 for k, v in setups.items()}
    print(
        f"throughput, {args.mb} MB echoed, median of {args.rounds}: direct "
        f"{rate['direct']:.0f} MB/s, through relay + proxy {rate['proxy']:.0f} MB/s "
        f"(ratio {rate['proxy'] / rate['direct']:.2f}; target >= 0.3)"
    )
    print(
        f"connect, median of {len(setups['proxy'])}: direct {setup['direct']:.3f} ms, "
        f"tunnel ready {setup['proxy']:.3f} ms (ratio {setup['proxy'] / setup['direct']:.1f}; "
        f"target < 5 ms)"
    )
    ok = rate["proxy"] / rate["direct"] >= 0.3 and setup["proxy"] < 5
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
