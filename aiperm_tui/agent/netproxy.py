"""The agent's only way out to the network: an HTTP CONNECT proxy the broker runs on a Unix
socket, letting the sandboxed agent reach only the hosts on its allowlist.

In the sandbox the agent has no network of its own (bwrap `--unshare-all`: a network
namespace with nothing but loopback). `agent.relay`, inside, listens on 127.0.0.1 and
passes each connection to this proxy's socket, bound into the sandbox; the agent finds
the relay through `HTTPS_PROXY`. The proxy then decides, on the broker's side, where the
agent may go:

- `CONNECT host:port` only (HTTPS and any TLS client that speaks to a proxy). Plain-HTTP
  requests (`GET http://...`) are refused, whatever the host: every provider API is HTTPS,
  and forwarding plain HTTP would mean parsing and re-writing requests the agent wrote.
- host:port must match an allowlist entry: an exact host name, `*.domain` (any name
  below domain, not domain itself), or an IP address; the port as listed (443 when the
  entry names none). An IP address is reached only when that address is listed.
- A listed name is resolved here, by the broker, and the proxy connects to exactly the
  addresses it checked (no second lookup, so DNS rebinding between check and use cannot
  happen). If any address is not public (loopback, private, link-local such as the
  169.254.169.254 cloud metadata service, CGNAT, multicast, reserved, unspecified, or an
  IPv6 form embedding one of those), the connection is refused unless that address is
  itself on the list: an allowed name cannot become a way to the operator's own
  machine or network.

Every refusal goes to `on_refused(host, port, reason)`: the broker records it as a
`net_refused` event and shows it in the agent pane. A hostile agent could refuse itself
a thousand times a second to flood both, so reports are rate-limited; the ones held
back are counted and the count rides on the next report (and on `close`).

Bounded: at most `Limits.max_connections` tunnels (more get 503), a request head of at
most `max_header_bytes` read within `header_timeout`, upstream connects within
`connect_timeout`, and a tunnel that moves nothing for `idle_timeout` is closed. One
thread per connection, none shared with the UI.

    proxy = NetProxy(Allowlist.parse(["api.anthropic.com"]), on_refused=report)
    path = proxy.start()            # or start(directory) to share the bridge's folder
    ... relay inside the sandbox connects to `path` ...
    proxy.close()                   # ends every tunnel, removes the socket
"""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from aiperm_tui.agent import unixserver
from aiperm_tui.agent.splice import hang_up, splice
from aiperm_tui.netrules import (
    Allowlist,
    IPAddress,
    NetRuleError,
    ip_of,
    is_public,
    normalise_name,
    parse_port,
    split_authority,
)

if TYPE_CHECKING:
    from aiperm_tui.agent.sandbox import SandboxSpec

SOCKET_NAME = "net.sock"
# Set inside the sandbox so an agent does not try hosts it does not need (each attempt
# would be one more refusal in the log): Claude Code's telemetry, error reports, updater.
QUIET_ENV: dict[str, dict[str, str]] = {"claude": {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"}}
MAX_TARGET = 300

Resolver = Callable[[str, int], list[str]]
RefusalHandler = Callable[[str, int, str], None]


class Refused(Exception):
    """The proxy will not make this connection; `status` is the HTTP answer."""

    def __init__(self, reason: str, status: int = 403, head: bytes = b"") -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.head = head  # what was read of an over-long or unfinished request


def resolve(host: str, port: int) -> list[str]:
    """The addresses of `host` (the system resolver, as the agent's own lookup would)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise Refused(f"cannot resolve {host}: {exc}", 502) from None
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def destinations(
    allowlist: Allowlist, host: str, port: int, resolver: Resolver = resolve
) -> list[IPAddress]:
    """Where a CONNECT to `host:port` may go (host already normalised); Refused with the
    reason otherwise."""
    literal = ip_of(host)
    if literal is not None:
        if allowlist.lists_address(literal, port):
            return [literal]
        raise Refused(
            f"{_show(host, port)} is not on the agent's network allowlist "
            "(an IP address is reached only when listed)"
        )
    if allowlist.match(host, port) is None:
        raise Refused(f"{_show(host, port)} is not on the agent's network allowlist")
    found = [a for a in map(ip_of, resolver(host, port)) if a is not None]
    if not found:
        raise Refused(f"{host} has no address", 502)
    for address in found:
        if not is_public(address) and not allowlist.lists_address(address, port):
            raise Refused(
                f"{host} resolves to {address}, which is not a public address "
                "(list that address to allow it)"
            )
    return found


def _show(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


# --- the request head -------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """The first line of what the agent sent: a CONNECT (host normalised) or not."""

    method: str
    host: str
    port: int

    @property
    def is_connect(self) -> bool:
        return self.method == "CONNECT"


def parse_request(head: bytes) -> Request:
    """The request line of an HTTP/1 proxy request head. Refused (400) when it is not one;
    a plain-HTTP request comes back with its URL's host and port so the refusal can name
    them."""
    line = head.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise Refused("not an HTTP/1 proxy request", 400)
    method, target = parts[0], parts[1]
    if len(target) > MAX_TARGET:  # a name is at most 253 characters; keep the log short
        raise Refused(f"request target longer than {MAX_TARGET} characters", 400)
    if method == "CONNECT":
        host, port = _authority(target)
        return Request(method, host, port)
    match = re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#@]*)(?:[/?#].*)?", target)
    if not match:
        raise Refused("not a proxy request (expected CONNECT host:port)", 400)
    scheme = target.split(":", 1)[0].lower()
    try:
        host, port = _authority(match.group(1), default=80 if scheme == "http" else 0)
    except Refused:
        host, port = "?", 0
    return Request(method, host, port)


def _authority(target: str, default: int | None = None) -> tuple[str, int]:
    """Normalised host and port of `host:port` (port may be left out when `default`)."""
    try:
        host, port_text = split_authority(target)
        if port_text is None:
            if default is None:
                raise NetRuleError("CONNECT needs a port")
            port = default
        else:
            port = parse_port(port_text, target)
        address = ip_of(host)
        return (str(address) if address else normalise_name(host, target)), port
    except NetRuleError as exc:
        raise Refused(f"bad CONNECT target: {exc}", 400) from None


# --- the proxy --------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """What one agent may use of the proxy."""

    max_connections: int = 64
    max_header_bytes: int = 8192
    header_timeout: float = 10.0
    connect_timeout: float = 10.0
    idle_timeout: float = 600.0  # a long model answer may be quiet for minutes
    reports_burst: int = 20  # refusals reported at once...
    reports_per_second: float = 2.0  # ...and then at this rate; the rest are counted


_REASONS = {
    400: "Bad Request",
    403: "Forbidden",
    405: "Method Not Allowed",
    408: "Request Timeout",
    431: "Request Header Fields Too Large",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class _ReportGate:
    """A token bucket over refusal reports, counting the ones it holds back."""

    burst: int
    rate: float
    tokens: float = 0.0
    stamp: float = field(default_factory=time.monotonic)
    held: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.tokens = float(self.burst)

    def admit(self) -> int | None:
        """None: hold this report back; else how many were held back before it."""
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.tokens < 1:
                self.held += 1
                return None
            self.tokens -= 1
            held, self.held = self.held, 0
            return held

    def drain(self) -> int:
        with self.lock:
            held, self.held = self.held, 0
            return held


class NetProxy:
    """The broker-side proxy; see the module docstring."""

    def __init__(
        self,
        allowlist: Allowlist,
        on_refused: RefusalHandler | None = None,
        *,
        resolver: Resolver = resolve,
        limits: Limits | None = None,
    ) -> None:
        self.allowlist = allowlist
        self.limits = limits or Limits()
        self.path: Path | None = None
        self._on_refused = on_refused
        self._resolver = resolver
        self._gate = _ReportGate(self.limits.reports_burst, self.limits.reports_per_second)
        self._slots = threading.BoundedSemaphore(self.limits.max_connections)
        self._sock: socket.socket | None = None
        self._own_dir: Path | None = None
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._live: set[socket.socket] = set()

    # --- lifecycle ---------------------------------------------------------------------

    def start(self, directory: Path | None = None) -> Path:
        """Listen on `directory`/net.sock (0600); without a directory, in a fresh 0700
        folder of the broker's runtime folder, removed on close. The socket path."""
        if directory is None:
            from aiperm_tui import paths
            from aiperm_tui.agent.bridge import private_dir

            directory = self._own_dir = private_dir(paths.runtime_dir())
        self.path = directory / SOCKET_NAME
        self._sock = unixserver.listen(self.path, 64)
        threading.Thread(target=self._accept_loop, daemon=True, name="netproxy-accept").start()
        return self.path

    def close(self) -> None:
        """Stop accepting, end every tunnel, remove the socket; report the refusals still
        held back by the rate limit."""
        if self._closed.is_set():
            return
        self._closed.set()
        if self._sock is not None:
            unixserver.stop(self._sock)
        with self._lock:
            live, self._live = list(self._live), set()
        for sock in live:
            hang_up(sock)
        held = self._gate.drain()
        if held and self._on_refused is not None:
            self._on_refused(
                "*", 0, f"{held} more refused connection(s) not reported one by one (rate limit)"
            )
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)
        elif self.path is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()

    def __enter__(self) -> NetProxy:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- serving -----------------------------------------------------------------------

    def _accept_loop(self) -> None:
        assert self._sock is not None
        for conn in unixserver.accepted(self._sock, self._closed):
            if not self._slots.acquire(blocking=False):
                self._answer(
                    conn,
                    Refused(
                        "too many connections through the proxy "
                        f"(at most {self.limits.max_connections})",
                        503,
                    ),
                    None,
                )
                hang_up(conn)
                continue
            threading.Thread(
                target=self._serve, args=(conn,), daemon=True, name="netproxy-conn"
            ).start()

    def _serve(self, conn: socket.socket) -> None:
        upstream: socket.socket | None = None
        request: Request | None = None
        try:
            if not self._track(conn):
                return
            head, rest = self._read_head(conn)
            request = parse_request(head)
            upstream = self._open(request)
            if not self._track(upstream):
                return
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            splice(conn, upstream, self.limits.idle_timeout, first=rest)
        except Refused as exc:
            if request is None and exc.head:  # name the target of a flood when it can
                with contextlib.suppress(Refused):
                    request = parse_request(exc.head)
            self._answer(conn, exc, request)
        except OSError:
            pass  # the agent hung up, or the proxy is closing
        finally:
            for sock in (conn, upstream):
                if sock is not None:
                    self._untrack(sock)
                    hang_up(sock)
            self._slots.release()

    def _track(self, sock: socket.socket) -> bool:
        """Register a socket for `close` to end; False once the proxy is closed."""
        with self._lock:
            if self._closed.is_set():
                return False
            self._live.add(sock)
            return True

    def _untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._live.discard(sock)

    def _read_head(self, conn: socket.socket) -> tuple[bytes, bytes]:
        """The request head up to its blank line, and whatever came after it (a client
        may send its TLS hello without waiting for the 200). Refused when it is too big
        or too slow: a trickling client gets no more than `header_timeout` in all."""
        limit = self.limits.max_header_bytes
        deadline = time.monotonic() + self.limits.header_timeout
        buf = bytearray()
        while (end := buf.find(b"\r\n\r\n")) < 0:
            if len(buf) > limit:
                raise Refused(f"request head larger than {limit} bytes", 431, bytes(buf))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Refused(
                    f"no complete request within {self.limits.header_timeout:g} s", 408, bytes(buf)
                )
            conn.settimeout(remaining)
            with contextlib.suppress(TimeoutError):
                chunk = conn.recv(4096)
                if not chunk:
                    raise OSError("the agent hung up before its request ended")
                buf += chunk
        if end > limit:
            raise Refused(f"request head larger than {limit} bytes", 431, bytes(buf))
        return bytes(buf[:end]), bytes(buf[end + 4 :])

    def _open(self, request: Request) -> socket.socket:
        """The upstream connection for an allowed CONNECT; Refused otherwise."""
        if not request.is_connect:
            raise Refused(
                f"plain {request.method} to {_show(request.host, request.port)} "
                "refused: only HTTPS (CONNECT) goes through the agent's proxy",
                405,
            )
        addresses = destinations(self.allowlist, request.host, request.port, self._resolver)
        errors = []
        for address in addresses:
            family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
            upstream = socket.socket(family, socket.SOCK_STREAM)
            upstream.settimeout(self.limits.connect_timeout)
            try:
                upstream.connect((str(address), request.port))
            except OSError as exc:
                upstream.close()
                errors.append(f"{address}: {exc.strerror or exc}")
                continue
            return upstream
        raise Refused(
            f"cannot connect to {_show(request.host, request.port)} ({'; '.join(errors)})", 502
        )

    def _answer(self, conn: socket.socket, refusal: Refused, request: Request | None) -> None:
        """Report the refusal, then tell the agent why (a short text/plain answer): by the
        time the agent learns of it, it is in the record. An allowed host that cannot be
        resolved or reached (502) is reported too: the operator then sees why the agent
        cannot reach its provider."""
        self._report(refusal.reason, request)
        body = (refusal.reason + "\n").encode()
        head = (
            f"HTTP/1.1 {refusal.status} {_REASONS.get(refusal.status, 'Error')}\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
        with contextlib.suppress(OSError):
            conn.settimeout(1.0)
            conn.sendall(head + body)

    def _report(self, reason: str, request: Request | None) -> None:
        held = self._gate.admit()
        if held is None or self._on_refused is None:
            return
        if held:
            reason += f" (and {held} earlier refusal(s) not reported one by one: rate limit)"
        host, port = (request.host, request.port) if request else ("?", 0)
        self._on_refused(host, port, reason)


class EventLog(Protocol):
    """What `recording_refusals` needs of the session recorder (`session.Recorder`)."""

    def event(self, type: str, **payload: Any) -> int: ...


def recording_refusals(log: EventLog, show: Callable[[str], None]) -> RefusalHandler:
    """The broker's `on_refused`: a `net_refused` event in the session log (host, port,
    reason), then one line for the operator (`show`, e.g. the agent pane; the text is the
    agent's, so the pane escapes it)."""

    def on_refused(host: str, port: int, reason: str) -> None:
        log.event("net_refused", host=host, port=port, reason=reason)
        target = f" {_show(host, port)}" if port else ""  # 0: no target could be read
        show(f"network: refused{target}: {reason}")

    return on_refused


# Runs the relay from this copy of aiperm whatever the sandbox's environment says: `-I`
# ignores PYTHON* variables, and the package root comes as the first argument.
_RELAY_BOOT = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "from aiperm_tui.agent.relay import main; sys.exit(main())"
)


def relay_prefix(socket_path: Path) -> tuple[str, ...]:
    """The wrapper the sandbox runs before the agent's argv: the relay (`agent.relay`)
    leading to the proxy at `socket_path`, with this Python and this copy of aiperm
    (both of which the sandbox binds read-only)."""
    root = str(Path(__file__).resolve().parents[2])
    return (sys.executable, "-I", "-c", _RELAY_BOOT, root, "--unix", str(socket_path), "--")


def start_agent_network(
    entries: Sequence[str],
    directory: Path,
    log: EventLog,
    show: Callable[[str], None],
    limits: Limits | None = None,
) -> NetProxy:
    """The broker's side of a sandboxed agent's network: a proxy on `directory`/net.sock
    for the allowlist `entries` (already validated: config, --allow-net), its refusals
    recorded and shown, and the allowlist itself recorded as a `net_allowlist` event so
    the log says what the agent could reach."""
    allowlist = Allowlist.parse(entries)
    log.event("net_allowlist", allow=[str(rule) for rule in allowlist.rules])
    proxy = NetProxy(allowlist, recording_refusals(log, show), limits=limits)
    proxy.start(directory)
    return proxy


def sandboxed_network(
    sandbox: SandboxSpec,
    entries: Sequence[str],
    directory: Path,
    log: EventLog,
    show: Callable[[str], None],
    agent: str = "",
) -> tuple[NetProxy, SandboxSpec]:
    """Give a sandboxed agent (program name `agent`) its network: the proxy in the
    broker's socket folder `directory` (the folder the sandbox binds in), and the sandbox
    changed to start the agent behind the relay. The caller closes the proxy after the
    agent has ended."""
    proxy = start_agent_network(entries, directory, log, show)
    assert proxy.path is not None
    return proxy, replace(
        sandbox,
        prefix=(*relay_prefix(proxy.path), *sandbox.prefix),
        env={**sandbox.env, **QUIET_ENV.get(agent, {})},
    )


_PROBE_AGENT = """\
import os, socket, sys
port = int(sys.argv[1])
try:
    socket.create_connection(("127.0.0.1", port), timeout=5).close()
    print("direct connection made")
except OSError:
    pass
relay = int(os.environ["HTTPS_PROXY"].rsplit(":", 1)[1])
with socket.create_connection(("127.0.0.1", relay), timeout=5) as conn:
    conn.sendall(f"CONNECT 127.0.0.1:{port} HTTP/1.1\\r\\n\\r\\n".encode())
    print(conn.recv(12).decode(errors="replace"))
"""
PROBE_TIMEOUT = 20.0


def probe_network(bwrap: str) -> tuple[bool, str]:
    """For `aiperm doctor`: a sandbox with no network of its own, the relay and this proxy,
    tried for real. A listener of ours on 127.0.0.1 must be out of the sandbox's reach
    directly, and reachable through the proxy once listed."""
    with (
        socket.create_server(("127.0.0.1", 0)) as listener,
        tempfile.TemporaryDirectory(prefix="aiperm-netprobe-") as folder,
    ):
        port = listener.getsockname()[1]  # the proxy's connect is taken by the backlog
        proxy = NetProxy(Allowlist.parse([f"127.0.0.1:{port}"]))
        path = proxy.start(Path(folder))
        command = [
            bwrap,
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--ro-bind",
            "/",
            "/",
            "--dev",
            "/dev",
            "--proc",
            "/proc",
            "--ro-bind",
            folder,
            folder,
            "--",
            *relay_prefix(path),
            sys.executable,
            "-I",
            "-c",
            _PROBE_AGENT,
            str(port),
        ]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                check=False,
                timeout=PROBE_TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return False, f"the network probe did not run: {exc}"
        finally:
            proxy.close()
    said = done.stdout.strip()
    if "direct connection made" in said:
        return False, "the sandbox reached 127.0.0.1 directly: it has a network of its own"
    if done.returncode != 0 or not said.startswith("HTTP/1.1 200"):
        why = (done.stderr.strip().splitlines() or [said or f"exit {done.returncode}"])[-1]
        return False, f"the agent's proxy did not answer through the relay ({why})"
    return True, "no direct network in the sandbox; the broker's proxy reaches only the allowlist"
