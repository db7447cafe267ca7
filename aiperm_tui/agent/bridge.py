"""The broker's Unix socket, and its client: how `aiperm ask`, `aiperm mcp` and the claude
hook reach the running broker.

Security: the socket lives in a fresh folder of mode 0700 under `paths.runtime_dir()`,
the socket itself is 0600, and every request carries a per-session token (compared in
constant time). Children learn both from `AIPERM_SOCKET` and `AIPERM_TOKEN`, which
`BridgeServer.env()` gives to the agent's environment; agents started elsewhere find them
in the 0600 discovery file the server publishes (`agent.discovery`). Anything wrong (no
broker, bad token, a session that has closed, a connection lost before the result) is an
error on the client side: it fails closed and never runs anything.

Wire format, one JSON object a line. The client sends one request:

    {"token": "...", "op": "plan", "plan": {<a plan as in docs/protocol.md>}}
    {"token": "...", "op": "hosts"}

For a plan the server streams the broker's replies (decision, result, plan_result, error
exactly as the JSON-Lines protocol has them) and closes after plan_result or error; the
caller blocks meanwhile, for as long as the human takes. A caller that hangs up first
(an interrupted `aiperm ask`, a cancelled MCP call, a killed hook) gets its plan
cancelled in the broker, so nothing runs that nobody waits for. For hosts it sends one
`{"type": "hosts", "default": NAME|null, "hosts": [{"name", "state"}...]}`.

Plan ids: each request gets a broker-wide unique id (`ask1`, `ask2`, ... or the client's id
with `~N` appended), so concurrent askers never collide; replies carry the client's own id.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hmac
import json
import os
import secrets
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from aiperm_tui import paths
from aiperm_tui.agent import discovery, protocol, unixserver
from aiperm_tui.agent.discovery import BrokerUnavailable
from aiperm_tui.errors import AipermError, ExecError, ExitCode

ENV_SOCKET = "AIPERM_SOCKET"
ENV_TOKEN = "AIPERM_TOKEN"
MAX_REQUEST_BYTES = 4 * 1024 * 1024  # a 32-action plan fits many times over
# How long a peer may take to send its one request line: a client sends it at once, so a
# peer that connects and sends nothing must not pin a server thread forever.
REQUEST_TIMEOUT = 10.0
_MAX_SUN_PATH = 100  # AF_UNIX paths are limited to ~107 bytes


class BrokerPort(Protocol):
    """What the bridge needs of the broker (`aiperm_tui.broker.Broker` has it)."""

    session_id: str

    def submit(self, plan: protocol.Plan, reply: protocol.Reply) -> str | None: ...

    def hosts(self) -> dict[str, Any]: ...

    def cancel(self, plan_id: str, *, reason: str = ...) -> None: ...


def _send(conn: socket.socket, message: Mapping[str, Any]) -> None:
    conn.sendall((json.dumps(message, ensure_ascii=False) + "\n").encode())


def _error(code: int, message: str, plan_id: str | None = None) -> dict[str, Any]:
    return protocol.error(plan_id, code, message)


@dataclass(eq=False)
class _Waiter:
    """One connection waiting for the end of its plan."""

    conn: socket.socket
    client_id: str | None
    done: threading.Event = field(default_factory=threading.Event)  # stop waiting
    finished: bool = False  # the plan's last reply came: nothing left to cancel
    lock: threading.Lock = field(default_factory=threading.Lock)

    def deliver(self, message: Mapping[str, Any]) -> None:
        """Forward one broker reply, with the client's own plan id; end after the last."""
        with self.lock:
            if self.done.is_set():
                return
            out = dict(message)
            if out.get("id") is not None:  # None: about the session, not this plan
                out["id"] = self.client_id
            self.finished = out.get("type") in ("plan_result", "error")
            try:
                _send(self.conn, out)
            except OSError:
                self.done.set()  # the asker went away: _serve_plan cancels what is left
                return
            if self.finished:
                self.done.set()


class BridgeServer:
    """The listening side, owned by whoever owns the broker (the TUI, or a test)."""

    def __init__(self, broker: BrokerPort, base: Path | None = None) -> None:
        self._broker = broker
        self._base = base  # where its folder goes; None: the runtime folder
        self.token = secrets.token_hex(32)
        self.directory: Path | None = None
        self.path: Path | None = None
        self._sock: socket.socket | None = None
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._waiters: set[_Waiter] = set()
        self._counter = 0

    # --- lifecycle -------------------------------------------------------------------

    def start(self) -> Path:
        """Make the 0700 folder, bind the 0600 socket, publish the discovery file, accept
        in a thread; the socket path."""
        self.directory = private_dir(self._base or paths.runtime_dir())
        self.path = self.directory / "broker.sock"
        self._sock = unixserver.listen(self.path, 32)
        try:
            discovery.publish(self.path, self.token, self._broker.session_id)
        except AipermError:
            self.close()
            raise
        threading.Thread(target=self._accept_loop, daemon=True, name="bridge-accept").start()
        return self.path

    def env(self) -> dict[str, str]:
        """What a child needs to reach this broker."""
        if self.path is None:
            raise RuntimeError("BridgeServer.start() first")
        return {ENV_SOCKET: str(self.path), ENV_TOKEN: self.token}

    def close(self) -> None:
        """Stop accepting, answer every waiting asker with an error, remove the socket and
        the discovery file."""
        if self._closed.is_set():
            return
        self._closed.set()
        discovery.unpublish(self.token)
        if self._sock is not None:
            unixserver.stop(self._sock)
        with self._lock:
            waiters = list(self._waiters)
        for waiter in waiters:
            waiter.deliver(_error(5, "the aiperm session closed before this request finished"))
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> BridgeServer:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- serving ---------------------------------------------------------------------

    def _accept_loop(self) -> None:
        assert self._sock is not None
        for conn in unixserver.accepted(self._sock, self._closed):
            threading.Thread(
                target=self._serve, args=(conn,), daemon=True, name="bridge-conn"
            ).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                request = _read_request(conn)
                conn.settimeout(None)  # the wait for the human's decision has no limit
                self._check_token(request)
                if request.get("op") == "hosts":
                    _send(conn, self._host_list())
                elif request.get("op") == "plan":
                    self._serve_plan(conn, request.get("plan"))
                else:
                    raise protocol.ProtocolError(5, None, "unknown op (expected plan or hosts)")
            except protocol.ProtocolError as exc:
                with contextlib.suppress(OSError):
                    _send(conn, _error(exc.code, exc.message, exc.id))
            except TimeoutError:
                with contextlib.suppress(OSError):
                    _send(
                        conn,
                        _error(ExitCode.USAGE, f"no request within {REQUEST_TIMEOUT:g} s; closing"),
                    )
            except OSError:
                return
            except Exception as exc:  # a bug here must still answer the asker, not hang it
                with contextlib.suppress(OSError):
                    _send(conn, _error(ExitCode.USAGE, f"aiperm bridge failed: {exc!r}"))

    def _check_token(self, request: Mapping[str, Any]) -> None:
        token = request.get("token")
        if not isinstance(token, str) or not hmac.compare_digest(
            token.encode(), self.token.encode()
        ):
            raise protocol.ProtocolError(5, None, "bad token: this is not your aiperm session")
        if self._closed.is_set():
            raise protocol.ProtocolError(5, None, "the aiperm session is closed")

    def _host_list(self) -> dict[str, Any]:
        return {"type": "hosts", **self._broker.hosts()}

    def _serve_plan(self, conn: socket.socket, raw: Any) -> None:
        if not isinstance(raw, dict):
            raise protocol.ProtocolError(4, None, "plan must be a JSON object")
        client_id = raw.get("id") if isinstance(raw.get("id"), str) else None
        plan = protocol.parse_plan(raw, "socket")
        waiter = _Waiter(conn, client_id)
        plan = dataclasses.replace(plan, id=self._unique_id(client_id))
        with self._lock:
            if self._closed.is_set():
                raise protocol.ProtocolError(5, client_id, "the aiperm session is closed")
            self._waiters.add(waiter)
        plan_id = None
        try:
            plan_id = self._broker.submit(plan, waiter.deliver)
            _wait_or_hangup(conn, waiter.done)
        except AipermError as exc:
            waiter.deliver(_error(int(exc.exit_code), str(exc), client_id))
        finally:
            with self._lock:
                self._waiters.discard(waiter)
            if plan_id is not None and not waiter.finished:
                self._abandon(plan_id)

    def _abandon(self, plan_id: str) -> None:
        """The asker hung up before its plan ended: nobody would read the result, and an
        approval given later must not run a command nobody waits for."""
        with contextlib.suppress(AipermError):  # BrokerError: it finished meanwhile
            self._broker.cancel(plan_id, reason="cancelled: the asker hung up")

    def _unique_id(self, client_id: str | None) -> str:
        with self._lock:
            self._counter += 1
            return f"{client_id}~{self._counter}" if client_id else f"ask{self._counter}"


def _wait_or_hangup(conn: socket.socket, done: threading.Event) -> None:
    """Wait for the plan's end; notice an asker that hung up (its ask was interrupted)."""
    while not done.wait(0.2):
        try:
            if conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
                done.set()
        except BlockingIOError:
            continue
        except OSError:
            done.set()


def _read_request(conn: socket.socket) -> dict[str, Any]:
    """The request line, read within REQUEST_TIMEOUT (the caller clears the timeout)."""
    deadline = time.monotonic() + REQUEST_TIMEOUT
    buf = bytearray()
    while b"\n" not in buf:
        remaining = deadline - time.monotonic()  # a peer trickling bytes gets no longer
        if remaining <= 0:
            raise TimeoutError
        conn.settimeout(remaining)
        chunk = conn.recv(65536)
        if not chunk:
            break
        buf += chunk
        if len(buf) > MAX_REQUEST_BYTES:
            raise protocol.ProtocolError(4, None, "request too large")
    try:
        request = json.loads(bytes(buf).split(b"\n", 1)[0])
    except ValueError:
        raise protocol.ProtocolError(4, None, "request is not valid JSON") from None
    if not isinstance(request, dict):
        raise protocol.ProtocolError(4, None, "request must be a JSON object")
    return request


def private_dir(base: Path) -> Path:
    """A fresh 0700 folder for the socket; under /tmp when `base` would make the socket
    path too long for AF_UNIX. A `base` made here is 0700 whatever the umask (0277 would
    leave it 0500, with no room for the socket folder)."""
    with contextlib.suppress(FileExistsError):
        base.mkdir(parents=True, mode=0o700)
        os.chmod(base, 0o700)
    if len(str(base)) + 40 > _MAX_SUN_PATH:
        base = Path(tempfile.gettempdir())
    path = Path(tempfile.mkdtemp(prefix="broker-", dir=base))
    os.chmod(path, 0o700)
    return path


# --- client -------------------------------------------------------------------------


@dataclass(frozen=True)
class BridgeClient:
    """Talks to a running broker; every failure raises, nothing is ever run on its own."""

    socket_path: str
    token: str

    @classmethod
    def discover(
        cls, socket_path: str | None = None, env: Mapping[str, str] | None = None
    ) -> BridgeClient:
        """The broker to talk to: the environment's first (an agent started by a broker
        always talks to that broker), then `--socket`, then the discovery file of the
        broker running for this user; BrokerUnavailable if none."""
        env = os.environ if env is None else env
        if env.get(ENV_SOCKET):
            return cls(env[ENV_SOCKET], _env_token(env))
        if socket_path:
            return cls(socket_path, env.get(ENV_TOKEN) or _published_token(socket_path))
        try:
            found = discovery.read_published()
        except BrokerUnavailable as exc:
            raise BrokerUnavailable(
                f"{exc}; ${ENV_SOCKET} is not set either (start "
                "`aiperm tui`, or run the agent under it)"
            ) from None
        return cls(found.socket, found.token)

    def submit(
        self,
        plan: Mapping[str, Any],
        on_message: Callable[[dict[str, Any]], None] | None = None,
        hangup: Hangup | None = None,
    ) -> list[dict[str, Any]]:
        """Send a plan and block until its plan_result (or error); every reply, in order.
        Calling `hangup` from another thread abandons the wait and the plan."""
        messages: list[dict[str, Any]] = []
        for message in self._exchange({"op": "plan", "plan": dict(plan)}, hangup):
            messages.append(message)
            if on_message:
                on_message(message)
            if message.get("type") in ("plan_result", "error"):
                return messages
        raise ExecError(
            "the aiperm broker went away before the result (the command may "
            "have run: see the session log)"
        )

    def hosts(self) -> dict[str, Any]:
        """The broker's hosts: {"default": NAME|None, "hosts": [{"name", "state"}]}."""
        for message in self._exchange({"op": "hosts"}):
            if message.get("type") == "error":
                raise BrokerUnavailable(f"aiperm broker: {message.get('message')}")
            return message
        raise BrokerUnavailable("the aiperm broker closed the connection without an answer")

    def _exchange(
        self, request: dict[str, Any], hangup: Hangup | None = None
    ) -> Iterator[dict[str, Any]]:
        conn = self._connect()
        if hangup is not None:
            hangup.attach(conn)
        with conn, conn.makefile("rb") as reader:
            conn.sendall((json.dumps({"token": self.token, **request}) + "\n").encode())
            for line in reader:
                try:
                    message = json.loads(line)
                except ValueError:
                    raise ExecError("the aiperm broker sent something that is not JSON") from None
                if isinstance(message, dict):
                    _raise_if_refused(message)
                    yield message

    def _connect(self) -> socket.socket:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(self.socket_path)
        except OSError as exc:
            conn.close()
            raise BrokerUnavailable(
                f"cannot reach the aiperm broker at {self.socket_path}: "
                f"{exc.strerror or exc} (is `aiperm tui` still running?)"
            ) from None
        return conn


class Hangup:
    """Ends a blocking `submit` from another thread: the connection is shut, so the broker
    sees its asker leave and cancels the plan (a cancelled MCP tool call)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: socket.socket | None = None
        self._called = False

    def attach(self, conn: socket.socket) -> None:
        with self._lock:
            self._conn = conn
            called = self._called
        if called:
            _shut(conn)

    def __call__(self) -> None:
        with self._lock:
            self._called = True
            conn = self._conn
        if conn is not None:
            _shut(conn)


def _shut(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: the plan ended anyway
        conn.shutdown(socket.SHUT_RDWR)


def _env_token(env: Mapping[str, str]) -> str:
    token = env.get(ENV_TOKEN)
    if not token:
        raise BrokerUnavailable(
            f"${ENV_TOKEN} is not set: the broker's token comes with "
            f"${ENV_SOCKET} in the agent's environment"
        )
    return token


def _published_token(socket_path: str) -> str:
    """`--socket` without $AIPERM_TOKEN: the token of the published broker, if it is that
    socket's."""
    try:
        found = discovery.read_published()
    except BrokerUnavailable as exc:
        raise BrokerUnavailable(
            f"${ENV_TOKEN} is not set and no token was found for {socket_path}: {exc}"
        ) from None
    if found.socket != socket_path:
        raise BrokerUnavailable(
            f"${ENV_TOKEN} is not set and the running broker's socket "
            f"is {found.socket}, not {socket_path}"
        )
    return found.token


def _raise_if_refused(message: Mapping[str, Any]) -> None:
    """Errors about the connection itself (token, closed session) are not plan outcomes."""
    if (
        message.get("type") == "error"
        and message.get("code") == ExitCode.USAGE
        and message.get("id") is None
    ):
        raise BrokerUnavailable(f"aiperm broker: {message.get('message')}")
