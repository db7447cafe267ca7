"""The relay inside the agent's sandbox: a proxy port on 127.0.0.1 that leads to the
broker's network proxy (`agent.netproxy`), and the agent started behind it.

    python -m aiperm_tui.agent.relay --unix /run/.../net.sock [--port N] -- AGENT ARGS...

The sandbox has its own network namespace with only loopback up (bwrap brings `lo` up),
and most agents reach a proxy by TCP, not by a Unix socket; so the relay listens on
127.0.0.1:N (N = 0: a free port) and pipes every connection it accepts, unread, to the
Unix socket, where the broker decides. It then runs the agent as its child, with stdin,
stdout and stderr inherited (the broker's pipes: the relay never writes to stdout) and
`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` (and their lower-case forms) naming the port,
`NO_PROXY` empty; it forwards the signals a supervisor sends and exits with the agent's
status (128 + N when a signal ended it).

It adds no capability: it runs inside the same sandbox as the agent, which could open
the same Unix socket itself; the allowlist is enforced on the broker's side only.
Standard library only, since only aiperm's package and its Python are bound inside.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from aiperm_tui.agent.splice import hang_up, splice

LISTEN_HOST = "127.0.0.1"
MAX_TUNNELS = 128  # the broker's proxy has its own, lower bound; two threads a tunnel
IDLE_TIMEOUT = 3600.0  # the broker's proxy closes idle tunnels sooner
PROXY_VARS = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY")
FORWARDED = (
    signal.SIGTERM,
    signal.SIGINT,
    signal.SIGHUP,
    signal.SIGQUIT,
    signal.SIGUSR1,
    signal.SIGUSR2,
    signal.SIGWINCH,
)
EXIT_USAGE = 5  # aiperm_tui.errors.ExitCode.USAGE (not imported: standard library only)
EXIT_NOT_FOUND = 127  # as a shell says of a command it cannot find


def proxy_env(port: int, base: dict[str, str] | None = None) -> dict[str, str]:
    """The agent's environment: `base` (ours) with every proxy variable naming the relay."""
    env = dict(os.environ if base is None else base)
    url = f"http://{LISTEN_HOST}:{port}"
    for name in PROXY_VARS:
        env[name] = env[name.lower()] = url
    env["NO_PROXY"] = env["no_proxy"] = ""
    return env


def listen(port: int) -> socket.socket:
    """The relay's listening socket on 127.0.0.1 (OSError when it cannot bind)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LISTEN_HOST, port))
    sock.listen(64)
    return sock


def serve(listener: socket.socket, unix_path: str) -> None:
    """Accept forever (a daemon thread), one tunnel thread per connection."""
    slots = threading.BoundedSemaphore(MAX_TUNNELS)
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        if not slots.acquire(blocking=False):
            hang_up(conn)
            continue
        threading.Thread(target=_tunnel, args=(conn, unix_path, slots), daemon=True).start()


def _tunnel(conn: socket.socket, unix_path: str, slots: threading.BoundedSemaphore) -> None:
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        upstream.connect(unix_path)
        splice(conn, upstream, IDLE_TIMEOUT)
    except OSError as exc:
        _say(f"cannot reach the broker's network proxy at {unix_path}: {exc.strerror or exc}")
    finally:
        hang_up(upstream)
        hang_up(conn)
        slots.release()


def run_agent(argv: Sequence[str], env: dict[str, str]) -> int:
    """Run the agent with our stdio, forwarding signals; its exit status, shell-style."""
    try:
        child = subprocess.Popen(list(argv), env=env)
    except OSError as exc:
        _say(f"cannot start agent {argv[0]!r}: {exc.strerror or exc}")
        return EXIT_NOT_FOUND

    def forward(signum: int, _frame: FrameType | None) -> None:
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signum)

    for sig in FORWARDED:
        signal.signal(sig, forward)
    code = child.wait()
    return 128 - code if code < 0 else code


def _say(message: str) -> None:
    """A line on stderr (the agent pane shows it); stdout belongs to the agent."""
    with contextlib.suppress(OSError):
        print(f"aiperm relay: {message}", file=sys.stderr, flush=True)


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m aiperm_tui.agent.relay",
        description="Run AGENT behind a proxy port on 127.0.0.1 "
        "that leads to the broker's network proxy.",
    )
    parser.add_argument("--unix", required=True, help="the broker's proxy socket")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("agent", nargs=argparse.REMAINDER, metavar="-- AGENT ARGS")
    args = parser.parse_args(argv)
    if args.agent[:1] == ["--"]:
        args.agent = args.agent[1:]
    if not args.agent:
        parser.error("no agent command given (put it after --)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, listen, run the agent; the exit status."""
    try:
        args = _parse(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:  # argparse said why on stderr
        return EXIT_USAGE if exc.code else 0
    try:
        listener = listen(args.port)
    except OSError as exc:
        _say(f"cannot listen on {LISTEN_HOST}:{args.port}: {exc.strerror or exc}")
        return EXIT_USAGE
    port = listener.getsockname()[1]
    threading.Thread(
        target=serve, args=(listener, args.unix), daemon=True, name="relay-accept"
    ).start()
    return run_agent(args.agent, proxy_env(port))


if __name__ == "__main__":
    sys.exit(main())
