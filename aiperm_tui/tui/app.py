"""The broker app: `aiperm tui -- AGENT` and `aiperm demo`.

The app gets resolved dependencies: `make_app` is the one factory the
CLI and the tests share; it builds the policy engine, the SSH pool (whose prompts are
this app's modals), the session recorder and the broker, and hands them to `BrokerApp`.
The app reads no files itself.

Threads: the broker calls `TuiListener` from any thread (host workers, agent readers,
and the UI thread itself when a key approves something). The listener only stores what
happened under a lock; a timer on the UI thread (`PUMP_SECONDS`) redraws whatever
changed, and the output pane drains its own buffer. So no callback ever blocks on the UI
and a flood of output costs a few redraws a second.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from tempfile import gettempdir
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import RenderableType
from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.notifications import SeverityLevel
from textual.theme import Theme
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from aiperm_tui import values
from aiperm_tui.broker import BrokerError, BrokerListener, PlanView
from aiperm_tui.errors import AipermError, ConfigError, ExitCode
from aiperm_tui.textsafe import escape_control
from aiperm_tui.tui.broker_screen import HELP, BrokerScreen
from aiperm_tui.tui.keys import check_keymap, help_rows
from aiperm_tui.tui.modals import ErrorModal, HelpModal, PermissionModal, QuitModal
from aiperm_tui.tui.prompts import TuiPrompts
from aiperm_tui.tui.render import result_summary
from aiperm_tui.tui.terminal import tolerate_invalid_utf8
from aiperm_tui.tui.widgets import AgentPane, ReviewPane, Status

if TYPE_CHECKING:
    from aiperm_tui.agent.bridge import BridgeServer
    from aiperm_tui.agent.identity import AgentUser
    from aiperm_tui.agent.netproxy import NetProxy
    from aiperm_tui.agent.process import AgentExit, AgentLine, AgentProcess, PermissionRequest
    from aiperm_tui.agent.protocol import Plan, ProtocolError
    from aiperm_tui.agent.sandbox import SandboxSpec
    from aiperm_tui.broker import Broker
    from aiperm_tui.broker.ports import HostPool, Policy, PoolFactory
    from aiperm_tui.config import Config
    from aiperm_tui.session import Recorder
    from aiperm_tui.ssh import ExecResult
    from aiperm_tui.tui.output import OutputPane

PUMP_SECONDS = 0.05
HOSTS_EVERY = 10  # pump ticks between connection-state polls


class TuiListener(BrokerListener):
    """Collects the broker's callbacks (any thread) for the UI thread's next pump.

    It keeps no plan views: callbacks from different threads may arrive out of order, so
    the pump reads a fresh, consistent snapshot from `Broker.plans()` instead."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: dict[str, str] = {}  # exec id -> plan id
        self.errors: list[str] = []
        self.dirty = True
        self.pane: OutputPane | None = None  # set when the pane exists

    def plan_changed(self, plan: PlanView) -> None:
        with self.lock:
            self.dirty = True

    plan_finished = plan_changed

    def exec_started(self, exec_id: str, plan_id: str, index: int, host: str, cmd: str) -> None:
        with self.lock:
            self.running[exec_id] = plan_id
            self.dirty = True
        if self.pane is not None:
            self.pane.buffer.header(exec_id, host, cmd)

    def output(self, exec_id: str, stream: str, data: bytes) -> None:
        if self.pane is not None:
            self.pane.buffer.feed(exec_id, stream, data)

    def exec_ended(self, exec_id: str, result: ExecResult) -> None:
        with self.lock:
            self.running.pop(exec_id, None)
            self.dirty = True
        if self.pane is not None:
            self.pane.buffer.footer(exec_id, result_summary(result))

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)
            self.dirty = True

    def take(self) -> tuple[list[str], int] | None:
        """None when nothing changed since the last call, else new errors and how many
        commands run."""
        with self.lock:
            if not self.dirty:
                return None
            self.dirty = False
            errors, self.errors = self.errors, []
            return errors, len(self.running)


@dataclass
class AgentSpec:
    """How to start the agent; empty argv means no agent (tests, review only)."""

    argv: Sequence[str] = ()
    adapter: str | None = None
    cwd: Path | None = None
    sandbox: SandboxSpec | None = None  # None: the agent is not isolated ("off")
    env_names: Sequence[str] = ()  # config's agent_env
    network: Sequence[str] = ()  # what a sandboxed agent may reach (docs/network.md)
    user: AgentUser | None = None  # a separate account (agent_user), None: the operator's

    @property
    def isolation(self) -> str:
        """The level the header and the session log name: `sandbox` or `off`, then
        `+user:ACCOUNT` when the agent runs as a separate account."""
        level = "sandbox" if self.sandbox is not None else "off"
        return level if self.user is None else f"{level}+user:{self.user.name}"


@dataclass
class Deps:
    """Everything the app drives, resolved before it starts."""

    config: Config
    broker: Broker
    recorder: Recorder
    pool: HostPool
    prompts: TuiPrompts
    listener: TuiListener
    agent: AgentSpec
    preset: str
    hosts: list[str]
    themes: dict[str, Theme] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # shown once the screen is up


class BrokerApp(App[int]):
    """The session: it owns the broker, the agent and the recorder, and shows them on
    one `BrokerScreen`; modals go on top. `q` always quits (see `action_quit_app`)."""

    CSS_PATH = "app.tcss"
    TITLE = "aiperm"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit_app", "Quit", id="app.quit"),
        # Ctrl-C quits the same way (Textual's default only says how to quit); a priority
        # binding, so no focused widget can swallow it.
        Binding("ctrl+c", "quit_app", "Quit", show=False, priority=True, id="app.quit_ctrl_c"),
    ]
    QUIT_GRACE_SECONDS = 15.0  # teardown longer than this: exit anyway, and say so

    def __init__(self, deps: Deps, *, theme: str = "dark") -> None:
        super().__init__()
        tolerate_invalid_utf8()
        self.deps = deps
        self.broker = deps.broker
        self.listener = deps.listener
        self._theme_name = theme
        self._agent: AgentProcess | None = None
        self._bridge: BridgeServer | None = None
        self._netproxy: NetProxy | None = None
        self._agent_state = "none" if not deps.agent.argv else "starting"
        self._host_states = {h: "idle" for h in deps.hosts}
        self._ticks = 0
        self._quitting = False
        self._gave_up = False  # the grace period ran out: the app left without the teardown
        self._session_closed = False
        self.failures: list[str] = []  # worker failures, as shown to the operator
        deps.prompts.attach(self)
        for t in deps.themes.values():
            self.register_theme(t)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Textual's toast, but plain text by default: messages carry agent, host and
        remote text (a plan id, an error), and markup in them must not style the toast
        or turn into a clickable `@click=app.…` action."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def panic(self, *renderables: RenderableType) -> None:
        """Textual's own machinery failed (its input thread died): Textual ends the app
        without an exit code, which `aiperm tui` would report as success. It is a crash
        like an unhandled exception, so the same code, 1."""
        self.exit(return_code=1)
        super().panic(*renderables)

    def key_for(self, action: str) -> str:
        """The key bound to `action` now (the keymap may move it), as the footer shows
        it; "?" when none is."""
        for key, active in self.active_bindings.items():
            if active.binding.action == action:
                return self.get_key_display(active.binding) or key
        return "?"

    # --- layout ------------------------------------------------------------------------

    def get_default_screen(self) -> BrokerScreen:
        screen = BrokerScreen()
        # the output buffer takes commands' output from now on, before the screen mounts
        self.listener.pane = screen.output
        return screen

    @property
    def broker_screen(self) -> BrokerScreen:
        return self.screen_stack[0]  # type: ignore[return-value]

    @property
    def review(self) -> ReviewPane:
        return self.broker_screen.review

    @property
    def agent_pane(self) -> AgentPane:
        return self.broker_screen.agent_pane

    def on_mount(self) -> None:
        self.theme = self._theme_name
        if self.deps.config.keymap:
            self.set_keymap(dict(self.deps.config.keymap))

    def screen_ready(self) -> None:
        """The broker screen is composed (its on_mount): start the pump and the agent."""
        self.set_interval(PUMP_SECONDS, self._pump)
        for warning in self.deps.warnings:
            self.notify(warning, severity="warning", timeout=10)
        if self.deps.agent.argv:
            self._start_agent()
        else:
            self.agent_pane.add_line("(no agent running)", "dim italic")
        if self._agent is not None and self._agent.can_talk:
            self.agent_pane.query_one("#agent-input", Input).focus()
        else:
            self.review.focus_queue()
        self._pump()

    # --- the agent ---------------------------------------------------------------------

    def _start_agent(self) -> None:
        """Open the socket, then spawn the agent with the socket in its environment."""
        from aiperm_tui.agent.bridge import BridgeServer
        from aiperm_tui.agent.identity import share_folder
        from aiperm_tui.agent.process import AgentCallbacks, AgentProcess, make_adapter

        spec = self.deps.agent
        # a separate account cannot enter root's runtime folder: the system's temporary one
        bridge = BridgeServer(self.broker, base=None if spec.user is None else Path(gettempdir()))
        bridge.start()
        self._bridge = bridge
        assert bridge.directory is not None
        adapter = make_adapter(
            spec.adapter, spec.argv, bridge_env=bridge.env(), workdir=bridge.directory
        )
        callbacks = AgentCallbacks(
            on_plan=self._on_plan,
            on_line=self._on_line,
            on_malformed=self._on_malformed,
            on_permission=self._on_permission,
            on_exit=self._on_exit,
        )
        sandbox = spec.sandbox and replace(spec.sandbox, sockets=bridge.directory)
        if sandbox is not None:  # its only network: the broker's proxy (docs/network.md)
            from aiperm_tui.agent.netproxy import sandboxed_network

            self._netproxy, sandbox = sandboxed_network(
                sandbox,
                spec.network,
                bridge.directory,
                self.deps.recorder,
                lambda text: self.agent_pane.add_line(text, "bold red"),
                Path(spec.argv[0]).name,
            )
        limits = self.deps.config.limits
        agent = AgentProcess(
            spec.argv,
            callbacks,
            adapter=adapter,
            extra_env=bridge.env(),
            cwd=spec.cwd,
            sandbox=sandbox,
            env_names=spec.env_names,
            outbox_bytes=limits.agent_outbox_bytes,
            stall_seconds=limits.agent_stall_seconds,
            user=spec.user,
        )
        if spec.user is not None:
            share_folder(bridge.directory, spec.user)
        self._agent = agent
        self.agent_pane.set_can_talk(agent.can_talk)
        try:
            agent.start()
        except AipermError as exc:  # a missing program, a bad adapter
            self._set_agent_state("crashed")
            self.push_screen(ErrorModal("The agent could not start", str(exc)))
            return
        self._set_agent_state("running")
        shown = " ".join([Path(spec.argv[0]).name, *spec.argv[1:]])
        self.agent_pane.add_line(f"started: {shown}", "dim italic")
        opening = getattr(adapter, "opening_prompt", None)
        if opening:  # the prompt given after the agent's name: the operator's first line
            delivered = agent.say(opening)
            self.deps.recorder.operator_message(opening, delivered=delivered)
            if delivered:
                self.agent_pane.add_line(f"you: {opening}", "bold")

    def _on_plan(self, plan: Plan) -> None:
        """Agent reader thread: the broker takes it (it answers the agent itself)."""
        agent = self._agent
        if agent is not None:
            self.broker.submit(plan, agent.send)

    def _on_line(self, line: AgentLine) -> None:
        self.deps.recorder.agent_line(line.stream, line.kind, line.text)
        if self._session_closed:  # a reader still draining after quit: no pane to show it
            return
        style = {
            "stderr": "dim",
            "notice": "italic",
            "tool_call": "bold",
            "thinking": "dim italic",
            "system": "dim",
        }.get(line.kind, "")
        self.agent_pane.add_line(line.text, style)

    def _on_malformed(self, error: ProtocolError, raw: str) -> None:
        self.deps.recorder.agent_line("stdout", "malformed", raw)
        self.agent_pane.add_line(f"malformed request (code {error.code}): {error}", "bold red")
        self.agent_pane.add_line(raw[:500], "dim")

    def _on_permission(self, request: PermissionRequest) -> None:
        """Claude asks to use one of its own tools: the operator decides (UI thread)."""
        from aiperm_tui.agent.claude import permission_fields

        self.deps.recorder.permission_request(
            request.request_id, request.tool_name, request.description, dict(request.tool_input)
        )

        def ask() -> None:
            def answer(allow: bool | None) -> None:
                message = "" if allow else "denied by the operator"  # what the agent is told
                self.deps.recorder.permission_answer(request.request_id, bool(allow), message)
                if self._agent is not None:
                    self._agent.answer_permission(request.request_id, bool(allow), message)

            self.push_screen(
                PermissionModal(
                    request.tool_name, permission_fields(request.tool_input), request.description
                ),
                answer,
            )

        self._from_thread(ask)

    def _on_exit(self, exit_: AgentExit) -> None:
        if not self._quitting:
            self._from_thread(self._agent_exited, exit_)

    def _from_thread(self, callback: Callable[..., Any], *args: Any) -> None:
        """Hop to the UI thread; once the app is gone there is nobody left to tell."""
        try:
            self.call_from_thread(callback, *args)
        except RuntimeError:
            return

    def _agent_exited(self, exit_: AgentExit) -> None:
        """Show how the agent ended and cancel the requests it left pending; the session
        stays open. Socket requests are not touched: the bridge cancels each one whose
        asker hangs up, and an asker in another terminal may still be waiting."""
        if self._quitting:
            return
        self._set_agent_state("crashed" if exit_.crashed else "exited")
        self.deps.recorder.agent_line("aiperm", "exit", exit_.message)
        self.agent_pane.add_line(exit_.message, "bold red" if exit_.crashed else "italic")
        cancelled = 0
        for plan in self.broker.open_plans():
            if plan.state == "pending" and plan.source == "agent":
                try:
                    self.broker.cancel(plan.id, reason="cancelled: the agent exited")
                    cancelled += 1
                except BrokerError:
                    continue
        tail = f"; {cancelled} pending request(s) cancelled" if cancelled else ""
        self.notify(
            f"{exit_.message}{tail}. The session stays open for review.",
            severity="error" if exit_.crashed else "information",
            timeout=8,
        )

    def _set_agent_state(self, state: str) -> None:
        self._agent_state = state
        self.refresh_now()

    def on_agent_pane_said(self, message: AgentPane.Said) -> None:
        delivered = self._agent is not None and self._agent.say(message.text)
        self.deps.recorder.operator_message(message.text, delivered=delivered)
        if not delivered:
            self.notify("this agent cannot be talked to", severity="warning")

    # --- redraw ------------------------------------------------------------------------

    def _pump(self) -> None:
        """UI thread, every PUMP_SECONDS: redraw what the listener collected."""
        if not self.screen_stack:  # the app is shutting down: the timer may fire once more
            return
        screen = self.broker_screen
        if not screen.review.is_attached:  # the screen is being torn down
            return
        self._ticks += 1
        if self._ticks % HOSTS_EVERY == 1:
            self._poll_hosts()
        change = self.listener.take()
        if change is None:
            return
        errors, running = change
        # the queue needs the open plans only: cheap however long the session
        plans = self.broker.plans() if screen.view == "history" else self.broker.open_plans()
        awaiting = sum(1 for p in plans if p.state == "pending" and p.awaiting)
        unasked = self.broker.stats()["by_rule"]
        try:
            screen.show(
                plans,
                Status(
                    session_id=self.broker.session_id,
                    agent=self._agent_state,
                    hosts=self._host_states,
                    preset=self.deps.preset,
                    queue=awaiting,
                    running=running,
                    auto=unasked,
                    isolation=self.deps.agent.isolation if self.deps.agent.argv else "",
                ),
            )
        except NoMatches:  # the pane is attached but its children are already torn down
            return
        for message in errors:
            self.notify(escape_control(message, keep_newlines=False), severity="error", timeout=8)

    def _poll_hosts(self) -> None:
        try:
            states = {h["name"]: h["state"] for h in self.broker.hosts()["hosts"]}
        except Exception:  # a pool that cannot say: keep the last known states
            return
        if states != self._host_states:
            self._host_states = states
            with self.listener.lock:
                self.listener.dirty = True

    def refresh_now(self) -> None:
        """Redraw at once (after a key), not at the next tick."""
        with self.listener.lock:
            self.listener.dirty = True
        self._pump()

    # --- workers -----------------------------------------------------------------------

    @work(thread=True, exit_on_error=False, group="preview")
    def preview(self, plan_id: str, index: int) -> None:
        """Probes run over SSH: a thread worker, the result arrives via plan_changed."""
        try:
            self.broker.preview(plan_id, index)
        except BrokerError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed is said on screen and in the session log, never
        swallowed (Textual's `exit_on_error=False` alone drops the error silently)."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        message = escape_control(
            f"{event.worker.name or 'a background task'} failed: {type(error).__name__}: {error}",
            keep_newlines=False,
        )
        self.failures.append(message)
        self.notify(message, severity="error", timeout=15)
        with contextlib.suppress(Exception):  # the recorder may be what failed
            self.deps.recorder.event("ui_error", message=message)

    # --- help and quitting -------------------------------------------------------------

    def action_help(self) -> None:
        screen = self.broker_screen
        rows = help_rows(
            screen.active_bindings if self.screen is screen else self.active_bindings,
            HELP,
            {k: self.get_key_display(b.binding) for k, b in screen.active_bindings.items()},
        )
        self.push_screen(HelpModal(rows))

    async def action_quit(self) -> None:
        """Textual's own quit (ctrl+q) asks the same way as `q`."""
        self.action_quit_app()

    def action_quit_app(self) -> None:
        """Quit; while commands run or requests wait, ask first (they get cancelled).
        `q` in that question quits, so `q q` always gets the operator out."""
        with self.listener.lock:
            running = len(self.listener.running)
        pending = sum(1 for p in self.broker.open_plans() if p.state == "pending")
        if not running and not pending:
            self._begin_quit()
            return
        if isinstance(self.screen, QuitModal):
            return
        counts = [_count(running, "command", "running"), _count(pending, "request", "waiting")]
        body = (
            " and ".join(c for c in counts if c) + ".\n"
            "Quitting cancels them cleanly (the agent is told) and closes the session."
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self._begin_quit()

        self.push_screen(QuitModal(body), answer)

    def _begin_quit(self) -> None:
        if self._quitting:
            return
        self._quitting = True
        self.notify("closing: cancelling commands, stopping the agent…")
        self.set_timer(self.QUIT_GRACE_SECONDS, self._quit_anyway)
        self._teardown()

    def _quit_anyway(self) -> None:
        """The teardown is stuck (a hung connection, a blocked disk): leave anyway."""
        self._gave_up = True
        self.exit(
            int(ExitCode.EXEC),
            return_code=int(ExitCode.EXEC),
            message=f"aiperm: closing took over {self.QUIT_GRACE_SECONDS:.0f} s; "
            "quit without waiting (the session log may lack its end)",
        )

    @work(thread=True, exit_on_error=False, group="shutdown", name="closing the session")
    def _teardown(self) -> None:
        """Blocking teardown off the UI thread, then exit, whatever happened: a failure
        is said after the app leaves the terminal, with exit code 6."""
        try:
            self.close_session()
        except Exception as exc:
            text = escape_control(f"{type(exc).__name__}: {exc}", keep_newlines=False)
            self.call_from_thread(
                self._end_after_teardown,
                int(ExitCode.EXEC),
                f"aiperm: closing the session failed: {text}",
            )
            return
        self.call_from_thread(self._end_after_teardown, 0)

    def _end_after_teardown(self, code: int, message: str | None = None) -> None:
        """The teardown's outcome (UI thread), unless the app already left without it: a
        close that ends after the grace period must not turn that exit's 6 into a 0."""
        if not self._gave_up:
            self.exit(code, return_code=code, message=message)

    def close_session(self, reason: str = "normal") -> None:
        """Cancel everything, stop the agent, close the socket, pool and log (idempotent:
        each step runs once even when an earlier one raised)."""
        if self._session_closed:
            return
        self._quitting = self._session_closed = True
        steps: list[Callable[[], Any]] = [self.deps.prompts.close, self.broker.shutdown]
        if self._agent is not None:
            steps.append(self._agent.terminate)
        if self._netproxy is not None:
            steps.append(self._netproxy.close)
        if self._bridge is not None:
            steps.append(self._bridge.close)
        steps += [self.deps.pool.close, lambda: self.deps.recorder.close(reason)]
        failure: Exception | None = None
        for step in steps:
            try:
                step()
            except Exception as exc:  # the rest must still close
                failure = failure or exc
        if failure is not None:
            raise failure

    def on_unmount(self) -> None:
        with contextlib.suppress(Exception):  # already said by the teardown
            self.close_session("interrupted")


def _count(n: int, thing: str, state: str) -> str:
    """ "1 request waiting", "2 commands running"; "" for none."""
    return f"{n} {thing}{'s' if n != 1 else ''} {state}" if n else ""


def keymap_groups() -> dict[str, list[BindingType]]:
    """The bindings a `[keymap]` may rebind, per screen: the broker screen shares the
    keyboard with the app's own keys; each modal has its own."""
    from aiperm_tui.tui import modals

    groups: dict[str, list[BindingType]] = {"broker": [*BrokerScreen.BINDINGS, *BrokerApp.BINDINGS]}
    for name in (
        "HostKeyModal",
        "ConfirmModal",
        "QuitModal",
        "PermissionModal",
        "EditModal",
        "ErrorModal",
        "HelpModal",
    ):
        groups[name] = list(getattr(modals, name).BINDINGS)
    return groups


def make_app(
    config: Config,
    agent: AgentSpec,
    *,
    host: str | None = None,
    preset: str | None = None,
    pool_factory: PoolFactory | None = None,
    known_hosts: Path | None = None,
    recorder_root: Path | None = None,
    session_id: str | None = None,
    warn: Callable[[str], None] | None = None,
    engine_factory: Callable[[Config], Policy] | None = None,
    challenge_secret: bytes | None = None,
) -> BrokerApp:
    """Build the app and everything it drives (the CLI and the tests both call this).

    `pool_factory` and `engine_factory` default to `SSHPool` and `PolicyEngine`;
    `session_id` overrides the one the broker shows (by default the recorder's);
    `challenge_secret` fixes the key of the typed codes, for deterministic snapshots only
    (by default the broker draws a random one). Raises `ConfigError`
    (exit 5) for a bad theme or keymap before anything starts.
    """
    from aiperm_tui.broker import Broker
    from aiperm_tui.policy import PolicyEngine
    from aiperm_tui.session import Recorder
    from aiperm_tui.tui.themes import load_themes, resolve_theme

    themes = load_themes()
    try:
        theme = resolve_theme(config.theme, themes)
        check_keymap(config.keymap, keymap_groups())
    except ConfigError as exc:
        raise ConfigError(f"{config.path}: {exc}" if config.path else str(exc)) from None
    if host:
        config = values.replace(config, default_host=host)
    if preset:
        config = values.replace(config, preset=preset)
    hosts = sorted(set(config.hosts) | ({config.default_host} if config.default_host else set()))
    listener = TuiListener()
    prompts = TuiPrompts()
    if pool_factory is None:
        from aiperm_tui.ssh import SSHPool

        pool_factory = SSHPool
    pool = pool_factory(config, prompts, known_hosts=known_hosts)
    warnings: list[str] = []

    def warned(message: str) -> None:
        warnings.append(message)
        if warn is not None:
            warn(message)

    recorder = Recorder.create(
        agent=list(agent.argv),
        hosts=hosts,
        preset=config.preset,
        root=recorder_root,
        warn=warned,
        record_cap_bytes=config.output.record_cap_bytes,
        audit=config.audit,
        jail={h: c.jail_root for h, c in config.hosts.items() if c.jail_root},
        isolation=agent.isolation,
    )
    broker = Broker(
        config,
        (engine_factory or PolicyEngine)(config),
        pool,
        recorder,
        listener=listener,
        session_id=session_id,
        challenge_secret=challenge_secret,
    )
    deps = Deps(
        config=config,
        broker=broker,
        recorder=recorder,
        pool=pool,
        prompts=prompts,
        listener=listener,
        agent=agent,
        preset=config.preset,
        hosts=hosts,
        themes=themes,
        warnings=warnings,
    )
    return BrokerApp(deps, theme=theme)
