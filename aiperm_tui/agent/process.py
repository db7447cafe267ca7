"""The agent subprocess: spawn it, read what it says, answer it, stop it.

One class serves the TUI and headless tests alike, through callbacks. Every callback
runs on one of this object's reader threads, never on the caller's: a Textual app hops
back with `App.call_from_thread` (or `post_message`, which is thread-safe); a test
collects into a list or a queue.

    callbacks = AgentCallbacks(
        on_plan=lambda plan: ...,          # protocol.Plan from a JSON-Lines agent -> broker.submit
        on_line=lambda line: ...,          # AgentLine(stream, kind, text) for the agent pane
        on_malformed=lambda err, raw: ..., # protocol.ProtocolError; error reply already sent
        on_permission=lambda req: ...,     # PermissionRequest (claude adapter): answer below
        on_exit=lambda ex: ...,            # AgentExit(returncode, signal, crashed, terminated,
    )                                      #           message)
    agent = AgentProcess(argv, callbacks, adapter=JsonLinesAdapter(), extra_env=bridge.env())
    agent.start()                    # UsageError (exit 5) when argv[0] cannot be started
    agent.send(reply_dict)           # a broker reply (decision/result/plan_result/error) -> stdin
    agent.say("operator text")       # only when agent.can_talk (the claude adapter)
    agent.answer_permission(req.request_id, allow=True, message="")
    agent.terminate(grace=3.0)       # idempotent; on_exit still fires once, terminated=True
    agent.running, agent.returncode, agent.pid, agent.wait(timeout)

Wiring in `aiperm tui -- AGENT` (the socket first, so the agent's env can name it):

    bridge = BridgeServer(broker); bridge.start()                 # agent.bridge
    adapter = make_adapter(None, argv, bridge_env=bridge.env(), workdir=bridge.directory)
    agent = AgentProcess(argv, callbacks, adapter=adapter, extra_env=bridge.env())
    ... on quit: agent.terminate(); bridge.close()

`make_adapter(name, argv, bridge_env=..., workdir=...)` picks the adapter: "claude" when
asked for or when argv[0] is named `claude`, else JSON Lines. Adapters turn the agent's
stdout lines into events (`classify`) and the broker's answers into stdin lines.

The agent's environment is built from an allowlist (`scrubbed_env`): no tmux or screen
session, no ssh-agent socket, no display or D-Bus, no audit key, no `AIPERM_*` variable
except the socket path and token that `extra_env` gives it. It runs in a new session
(no controlling terminal) and its own process group, so `terminate` also stops whatever
it started (claude's MCP servers), and the kernel kills it when the broker dies. With
`sandbox=SandboxSpec(...)` it runs inside bubblewrap (aiperm_tui.agent.sandbox), which
is what keeps it from the operator's files and the broker's /proc; docs/trust-model.md
says which promise holds at which level. With `user=AgentUser` (agent.identity, a root
broker only) it runs as that separate account, inside the sandbox or alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Literal, Protocol

from aiperm_tui.agent import protocol
from aiperm_tui.agent.hardening import die_with_parent
from aiperm_tui.agent.identity import AgentUser
from aiperm_tui.agent.outbox import DEFAULT_LIMIT_BYTES, DEFAULT_STALL_SECONDS, Outbox
from aiperm_tui.agent.sandbox import SandboxSpec, agent_state_paths, prepare
from aiperm_tui.config import forbidden_agent_env
from aiperm_tui.errors import UsageError

MAX_LINE_BYTES = 1024 * 1024  # longer stdout lines are dropped with a notice, memory stays bounded
READER_BUSY_SECONDS = 0.005  # CPU a reader thread may spend before it rests...
READER_REST_SECONDS = 0.015  # ...this long: at most a quarter of a CPU for one agent
MAX_SHOWN_CHARS = 4000  # an agent-pane line is cut here: the pane is for reading, not storage

# The agent's environment is built from this allowlist (plus LC_*, the names the operator
# gives in config, and the broker's socket variables); PYTHONPATH only says where code is.
ENV_ALLOWED = frozenset(
    {
        "PATH",
        "HOME",
        "LANG",
        "LANGUAGE",
        "TERM",
        "COLORTERM",
        "USER",
        "LOGNAME",
        "SHELL",
        "TZ",
        "PYTHONPATH",
    }
)
PASSED_AIPERM_VARS = frozenset({"AIPERM_SOCKET", "AIPERM_TOKEN"})

LineKind = Literal[
    "chatter",
    "stderr",
    "assistant",
    "thinking",
    "tool_call",
    "tool_result",
    "system",
    "result",
    "unknown",
    "notice",
]


@dataclass(frozen=True)
class AgentLine:
    """One line for the agent pane. `stream` is where it came from; `kind` how to render it
    (stderr dimmed, tool calls and results marked). `text` is raw: escape before display."""

    stream: Literal["stdout", "stderr"]
    kind: LineKind
    text: str


@dataclass(frozen=True)
class Malformed:
    """A line that tried to be a request and failed; the agent already got the error reply."""

    error: protocol.ProtocolError
    raw: str


@dataclass(frozen=True)
class PermissionRequest:
    """The agent asks whether it may use one of its own tools (claude's can_use_tool).
    The operator answers with `AgentProcess.answer_permission(request_id, ...)`."""

    request_id: str
    tool_name: str
    tool_input: Mapping[str, Any]
    description: str = ""


@dataclass(frozen=True)
class RawReply:
    """A line the adapter wants written to the agent's stdin on its own (protocol chores)."""

    text: str


Event = protocol.Plan | AgentLine | Malformed | PermissionRequest | RawReply


@dataclass(frozen=True)
class AgentExit:
    """How the agent ended. `crashed`: it died of a signal or a non-zero status that we
    did not cause; `terminated`: we stopped it (quit, session end)."""

    returncode: int | None
    signal: str | None
    crashed: bool
    terminated: bool
    message: str


def _ignore(*_: Any) -> None:
    """Default for callbacks a caller does not need."""


@dataclass
class AgentCallbacks:
    """What the process reports; see the module docstring. All called from reader threads."""

    on_plan: Callable[[protocol.Plan], None] = _ignore
    on_line: Callable[[AgentLine], None] = _ignore
    on_malformed: Callable[[protocol.ProtocolError, str], None] = _ignore
    on_permission: Callable[[PermissionRequest], None] = _ignore
    on_exit: Callable[[AgentExit], None] = _ignore


class Adapter(Protocol):
    """How one kind of agent is started and spoken to."""

    name: str
    can_talk: bool  # the operator can type lines to the agent

    def command(self, argv: Sequence[str]) -> list[str]: ...
    def classify(self, line: str) -> list[Event]: ...
    def encode_reply(self, message: Mapping[str, Any]) -> str | None: ...
    def encode_error(self, error: protocol.ProtocolError) -> str | None: ...
    def encode_user(self, text: str) -> str | None: ...
    def encode_permission(
        self, request_id: str, allow: bool, message: str, tool_input: Mapping[str, Any] | None
    ) -> str | None: ...


@dataclass
class JsonLinesAdapter:
    """docs/protocol.md's JSON Lines: plan objects on stdout, replies as JSON lines on stdin."""

    name: str = "jsonl"
    can_talk: bool = False

    def command(self, argv: Sequence[str]) -> list[str]:
        return list(argv)

    def classify(self, line: str) -> list[Event]:
        try:
            plan = protocol.parse_line(line)
        except protocol.ProtocolError as exc:
            return [Malformed(exc, line)]
        if plan is None:
            return [AgentLine("stdout", "chatter", line)]
        return [plan]

    def encode_reply(self, message: Mapping[str, Any]) -> str | None:
        return json.dumps(message, ensure_ascii=False, separators=(",", ":"))

    def encode_error(self, error: protocol.ProtocolError) -> str | None:
        return self.encode_reply(protocol.error(error.id, error.code, error.message))

    def encode_user(self, text: str) -> str | None:
        return None

    def encode_permission(
        self, request_id: str, allow: bool, message: str, tool_input: Mapping[str, Any] | None
    ) -> str | None:
        return None


def scrubbed_env(
    extra: Mapping[str, str] | None = None,
    base: Mapping[str, str] | None = None,
    names: Sequence[str] = (),
) -> dict[str, str]:
    """The agent's environment, built from an allowlist: `ENV_ALLOWED` and `LC_*` from
    ours (or `base`), the variables the operator `names` in config (the agent's own API
    key), plus `extra` (the broker's socket path and token). Nothing else passes: not
    the tmux or screen session, the ssh-agent, the display, D-Bus, GPG, the runtime
    folder, nor any aiperm variable (the audit key)."""
    source = os.environ if base is None else base
    for name in names:
        check_agent_env_name(name)
    env = {
        k: v
        for k, v in source.items()
        if (k in ENV_ALLOWED or k.startswith("LC_") or k in names) and not forbidden_agent_env(k)
    }
    for key, value in (extra or {}).items():
        if key.startswith("AIPERM_") and key not in PASSED_AIPERM_VARS:
            raise ValueError(f"{key} must not be passed to an agent")
        env[key] = value
    return env


def check_agent_env_name(name: str) -> None:
    """A variable the operator may hand the agent: never a way to the broker's terminal,
    keys or display (ValueError names the reason)."""
    if forbidden_agent_env(name):
        raise ValueError(
            f"{name} must never be passed to an agent (it leads to the "
            "operator's terminal, keys, display or aiperm's secrets)"
        )


def make_adapter(
    name: str | None, argv: Sequence[str], *, bridge_env: Mapping[str, str], workdir: Path
) -> Adapter:
    """The adapter for this agent: `name` ("claude", "jsonl") or guessed from argv[0]."""
    if name is None:
        name = "claude" if argv and Path(argv[0]).name == "claude" else "jsonl"
    if name == "claude":
        from aiperm_tui.agent.claude import ClaudeAdapter

        return ClaudeAdapter(bridge_env=dict(bridge_env), workdir=workdir)
    if name == "jsonl":
        return JsonLinesAdapter()
    raise UsageError(f"unknown agent adapter {name!r} (known: claude, jsonl)")


@dataclass
class _State:
    proc: subprocess.Popen[bytes] | None = None
    terminated: bool = False
    exit_reported: bool = False
    threads: list[threading.Thread] = field(default_factory=list)


def _credentials(user: AgentUser | None) -> dict[str, Any]:
    """Popen's arguments that start the child as `user` (setgroups, setregid, setreuid
    before exec; the death signal is set after, since a change of credentials clears
    it); none for the broker's own user."""
    if user is None:
        return {}
    return {"user": user.uid, "group": user.gid, "extra_groups": list(user.groups)}


class AgentProcess:
    """One running agent; see the module docstring for the whole API."""

    def __init__(
        self,
        argv: Sequence[str],
        callbacks: AgentCallbacks,
        *,
        adapter: Adapter | None = None,
        extra_env: Mapping[str, str] | None = None,
        cwd: str | Path | None = None,
        sandbox: SandboxSpec | None = None,
        env_names: Sequence[str] = (),
        outbox_bytes: int = DEFAULT_LIMIT_BYTES,
        stall_seconds: float = DEFAULT_STALL_SECONDS,
        user: AgentUser | None = None,
    ) -> None:
        if not argv:
            raise UsageError("no agent command given (put it after --)")
        self.argv = list(argv)
        self.callbacks = callbacks
        self.adapter: Adapter = adapter or JsonLinesAdapter()
        try:
            self._env = scrubbed_env(extra_env, names=env_names)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        self.user = user
        if user is not None:  # its own HOME (and, sandboxed, its own state: ~/.claude)
            self._env.update(user.env())
            sandbox = sandbox and replace(sandbox, home=user.home, user=user)
        self._cwd = cwd
        self.sandbox = sandbox
        self._state = _State()
        self._outbox_limits = (outbox_bytes, stall_seconds)
        self._outbox: Outbox | None = None
        self._exit_lock = threading.Lock()
        self._permissions: dict[str, PermissionRequest] = {}
        self._last_exit: AgentExit | None = None

    # --- lifecycle -------------------------------------------------------------------

    def start(self) -> None:
        """Spawn the agent and its reader threads.

        The agent gets a new session (setsid: no controlling terminal, its own process
        group), pipes the broker owns, the allowlisted environment, and the kernel's
        promise to kill it when the broker goes (PR_SET_PDEATHSIG; bwrap's
        --die-with-parent in the sandbox). Call it from a thread that lives as long as
        the agent (the UI thread): the death signal follows the spawning thread."""
        command = self.adapter.command(self.argv)
        fds: tuple[int, ...] = ()
        if self.sandbox is not None:
            project = Path(self._cwd) if self._cwd is not None else Path.cwd()
            launch = prepare(
                self.sandbox,
                command,
                env=self._env,
                project=project,
                state=agent_state_paths(self.argv, self.sandbox.home),
            )
            command, fds = launch.argv, launch.fds
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=self._env,
                cwd=self._cwd,
                start_new_session=True,
                pass_fds=fds,
                preexec_fn=die_with_parent(os.getpid()),
                **_credentials(self.user),
            )
        except OSError as exc:
            raise UsageError(f"cannot start agent {command[0]!r}: {exc.strerror}") from None
        finally:
            for fd in fds:
                os.close(fd)
        self._state.proc = proc
        self._start_outbox(proc)
        readers = [
            threading.Thread(
                target=self._read_stdout, args=(proc.stdout,), daemon=True, name="agent-stdout"
            ),
            threading.Thread(
                target=self._read_stderr, args=(proc.stderr,), daemon=True, name="agent-stderr"
            ),
        ]
        waiter = threading.Thread(
            target=self._wait_exit, args=(readers,), daemon=True, name="agent-exit"
        )
        self._state.threads = [*readers, waiter]
        for thread in self._state.threads:
            thread.start()

    @property
    def can_talk(self) -> bool:
        return self.adapter.can_talk

    @property
    def pid(self) -> int | None:
        return self._state.proc.pid if self._state.proc else None

    @property
    def running(self) -> bool:
        return self._state.proc is not None and self._state.proc.poll() is None

    @property
    def returncode(self) -> int | None:
        return self._state.proc.poll() if self._state.proc else None

    def wait(self, timeout: float | None = None) -> AgentExit | None:
        """Block until the agent has ended and on_exit ran; None on timeout."""
        waiter = self._state.threads[-1] if self._state.threads else None
        if waiter is None:
            return None
        waiter.join(timeout)
        return None if waiter.is_alive() else self._last_exit

    def terminate(self, grace: float = 3.0) -> None:
        """Stop the agent: close its stdin, SIGTERM its process group, SIGKILL after `grace`."""
        proc = self._state.proc
        if proc is None or proc.poll() is not None:
            return
        self._state.terminated = True
        self._close_stdin()
        self._signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            self._signal_group(proc, signal.SIGKILL)
            proc.wait()

    # --- writing ---------------------------------------------------------------------

    def send(self, message: Mapping[str, Any]) -> bool:
        """Write one broker reply to the agent; False when the adapter has no use for it
        or the agent is gone."""
        return self._write(self.adapter.encode_reply(message))

    def say(self, text: str) -> bool:
        """Send an operator line to the agent (adapters with can_talk only)."""
        return self._write(self.adapter.encode_user(text))

    def answer_permission(self, request_id: str, allow: bool, message: str = "") -> bool:
        """Answer a PermissionRequest; a deny should say why, the agent reads it."""
        request = self._permissions.pop(request_id, None)
        tool_input = request.tool_input if request else None
        return self._write(self.adapter.encode_permission(request_id, allow, message, tool_input))

    def _start_outbox(self, proc: subprocess.Popen[bytes]) -> None:
        """The writer side of stdin: replies never block whoever sends them."""
        assert proc.stdin is not None
        limit, stall = self._outbox_limits
        self._outbox = Outbox(
            proc.stdin,
            limit_bytes=limit,
            stall_seconds=stall,
            on_drop=self._replies_dropped,
            on_stall=self._stalled,
        )
        self._outbox.start()

    def _write(self, line: str | None) -> bool:
        """Queue one line for the agent's stdin; False when it was not (no use for it, the
        agent is gone, or it does not read and its replies fill the outbox)."""
        outbox = self._outbox
        if line is None or outbox is None:
            return False
        return outbox.put((line.replace("\n", " ") + "\n").encode())

    def _replies_dropped(self) -> None:
        outbox = self._outbox
        dropped = outbox.dropped if outbox else 0
        self._emit_line(
            AgentLine(
                "stdout",
                "notice",
                (
                    f"the agent does not read its stdin: {dropped} "
                    f"repl{'y' if dropped == 1 else 'ies'} dropped so far; it is stopped if "
                    f"it reads nothing for {self._outbox_limits[1]:g} s"
                ),
            )
        )

    def _stalled(self) -> None:
        """Writer thread: the agent read nothing for too long while replies were dropped."""
        self._emit_line(
            AgentLine(
                "stdout",
                "notice",
                (
                    f"the agent read nothing for {self._outbox_limits[1]:g} s while its "
                    "replies were dropped: stopping it"
                ),
            )
        )
        threading.Thread(target=self.terminate, daemon=True, name="agent-stall-stop").start()

    def _close_stdin(self) -> None:
        if self._outbox is not None:
            self._outbox.close()

    @staticmethod
    def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)

    # --- reading (reader threads) ----------------------------------------------------

    def _read_stdout(self, stream: IO[bytes]) -> None:
        for line in _lines(stream):
            _yield_cpu()
            if line is None:
                notice = f"(a line longer than {MAX_LINE_BYTES} bytes was dropped)"
                self._emit_line(AgentLine("stdout", "notice", notice))
                continue
            for event in self.adapter.classify(line):
                self._dispatch(event, line)

    def _read_stderr(self, stream: IO[bytes]) -> None:
        for line in _lines(stream):
            _yield_cpu()
            text = "(an over-long stderr line was dropped)" if line is None else line
            self._emit_line(AgentLine("stderr", "stderr", text))

    def _dispatch(self, event: Event, raw: str) -> None:
        if isinstance(event, AgentLine):
            self._emit_line(event)
        elif isinstance(event, Malformed):
            self._write(self.adapter.encode_error(event.error))
            self.callbacks.on_malformed(event.error, raw)
        elif isinstance(event, PermissionRequest):
            self._permissions[event.request_id] = event
            self.callbacks.on_permission(event)
        elif isinstance(event, RawReply):
            self._write(event.text)
        else:
            self.callbacks.on_plan(event)

    def _emit_line(self, line: AgentLine) -> None:
        if len(line.text) > MAX_SHOWN_CHARS:  # bounded for the pane; the plan parse had it all
            cut = len(line.text) - MAX_SHOWN_CHARS
            line = AgentLine(
                line.stream, line.kind, f"{line.text[:MAX_SHOWN_CHARS]}… ({cut} more characters)"
            )
        self.callbacks.on_line(line)

    def _wait_exit(self, readers: list[threading.Thread]) -> None:
        for reader in readers:
            reader.join()
        proc = self._state.proc
        assert proc is not None
        code = proc.wait()
        self._close_stdin()
        for stream in (proc.stdout, proc.stderr):  # the readers are done with them: close
            if stream is not None:  # them now, not when the garbage collector gets there
                stream.close()
        # The agent is gone, but its children (an MCP server) may hold pipes: end them too.
        self._signal_group(proc, signal.SIGTERM)
        self._last_exit = _describe_exit(code, self._state.terminated)
        self.callbacks.on_exit(self._last_exit)


_busy = threading.local()


def _yield_cpu() -> None:
    """Keep a reader thread to about a quarter of a CPU. An agent can write lines faster
    than we can look at them (5 us each), and a reader that never waits holds the GIL
    so much that the UI thread, which must answer the operator's keys, waits for it at
    every turn of its event loop. Resting here only slows the agent: its pipe fills and
    its own writes wait. Thread CPU time is measured, so a quiet agent never rests."""
    now = time.thread_time()
    since = getattr(_busy, "since", None)
    if since is None:
        _busy.since = now
    elif now - since > READER_BUSY_SECONDS:
        time.sleep(READER_REST_SECONDS)
        _busy.since = time.thread_time()


def _lines(stream: IO[bytes]) -> Any:
    """Decoded lines without their newline; None stands for a dropped over-long line."""
    dropping = False
    while True:
        chunk = stream.readline(MAX_LINE_BYTES)
        if not chunk:
            return
        complete = chunk.endswith(b"\n")
        if dropping:
            dropping = not complete
            continue
        if not complete and len(chunk) >= MAX_LINE_BYTES:
            dropping = True
            yield None
            continue
        yield chunk.decode("utf-8", errors="replace").rstrip("\r\n")


def _describe_exit(code: int, terminated: bool) -> AgentExit:
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        crashed = not terminated
        verb = "was stopped by aiperm" if terminated else "crashed"
        return AgentExit(None, name, crashed, terminated, f"agent {verb} ({name})")
    if code == 0:
        return AgentExit(0, None, False, terminated, "agent exited (status 0)")
    crashed = not terminated
    return AgentExit(code, None, crashed, terminated, f"agent exited with status {code}")
