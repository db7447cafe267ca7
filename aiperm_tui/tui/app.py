"""The broker app: `aiperm tui -- AGENT` and `aiperm demo`.

The app gets resolved dependencies (R2 of STYLE.md): `make_app` is the one factory the
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

import functools
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.css.query import NoMatches
from textual.notifications import SeverityLevel
from textual.theme import Theme
from textual.widgets import Footer

from aiperm_tui.broker import BrokerError, BrokerListener, PlanView, WrongCode
from aiperm_tui.errors import AipermError, ConfigError
from aiperm_tui.textsafe import escape_control
from aiperm_tui.tui.modals import (
    ChallengeModal,
    ConfirmModal,
    DenyMessageModal,
    EditModal,
    ErrorModal,
    HelpModal,
    RememberModal,
)
from aiperm_tui.tui.output import OutputPane
from aiperm_tui.tui.prompts import TuiPrompts
from aiperm_tui.tui.render import highlight_command, result_summary
from aiperm_tui.tui.widgets import AgentPane, ReviewPane, Status, StatusBar

if TYPE_CHECKING:
    from aiperm_tui.agent.bridge import BridgeServer
    from aiperm_tui.agent.process import AgentExit, AgentLine, AgentProcess, PermissionRequest
    from aiperm_tui.agent.protocol import Plan, ProtocolError
    from aiperm_tui.agent.sandbox import SandboxSpec
    from aiperm_tui.broker import ActionView, Broker
    from aiperm_tui.broker.ports import HostPool, Policy, PoolFactory
    from aiperm_tui.config import Config
    from aiperm_tui.session import Recorder
    from aiperm_tui.ssh import ExecResult

PUMP_SECONDS = 0.05
HOSTS_EVERY = 10  # pump ticks between connection-state polls
OUTPUT_LINES = 10_000


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

    @property
    def isolation(self) -> str:
        """The level the header and the session log name."""
        return "sandbox" if self.sandbox is not None else "off"


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
    """The full-screen broker: agent pane, review pane, output pane."""

    CSS_PATH = "app.tcss"
    TITLE = "aiperm"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", "Approve", id="review.approve"),
        Binding("A", "approve_all", "All safe", id="review.approve_all"),
        Binding("e", "edit", "Edit", id="review.edit"),
        Binding("d", "deny", "Deny", id="review.deny"),
        Binding("D", "deny_message", "Deny+msg", id="review.deny_message"),
        Binding("p", "preview", "Preview", id="review.preview"),
        Binding("r", "remember", "Remember", id="review.remember"),
        Binding("c", "cancel", "Cancel", id="review.cancel"),
        Binding("right_square_bracket", "next_action", "Next action", show=False,
                id="review.next_action"),
        Binding("left_square_bracket", "prev_action", "Prev action", show=False,
                id="review.prev_action"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit_app", "Quit", id="app.quit"),
        # Ctrl-C quits the same way (Textual's default only says how to quit); a priority
        # binding, so no focused widget can swallow it.
        Binding("ctrl+c", "quit_app", "Quit", show=False, priority=True,
                id="app.quit_ctrl_c"),
    ]

    def __init__(self, deps: Deps, *, theme: str = "dark") -> None:
        super().__init__()
        self.deps = deps
        self.broker = deps.broker
        self.listener = deps.listener
        self._theme_name = theme
        self._agent: AgentProcess | None = None
        self._bridge: BridgeServer | None = None
        self._agent_state = "none" if not deps.agent.argv else "starting"
        self._host_states = {h: "idle" for h in deps.hosts}
        self._ticks = 0
        self._quitting = False
        self._session_closed = False
        deps.prompts.attach(self)
        for t in deps.themes.values():
            self.register_theme(t)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Textual's toast, but plain text by default: messages carry agent, host and
        remote text (a plan id, an error), and markup in them must not style the toast
        or turn into a clickable `@click=app.…` action."""
        super().notify(message, title=title, severity=severity, timeout=timeout,
                       markup=markup)

    # --- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="main"):
            yield AgentPane(id="agent")
            yield ReviewPane(id="review")
        yield OutputPane(OUTPUT_LINES, id="output")
        yield Footer()

    def on_mount(self) -> None:
        self.theme = self._theme_name
        if self.deps.config.keymap:
            self.set_keymap(dict(self.deps.config.keymap))
        self.listener.pane = self.query_one(OutputPane)
        self._review = self.query_one(ReviewPane)
        self._agent_pane = self.query_one(AgentPane)
        self._status = self.query_one(StatusBar)
        self.set_interval(PUMP_SECONDS, self._pump)
        self._review.focus_queue()
        for warning in self.deps.warnings:
            self.notify(warning, severity="warning", timeout=10)
        if self.deps.agent.argv:
            self._start_agent()
        else:
            self.agent_pane.add_line("(no agent running)", "dim italic")
        self._pump()

    @property
    def review(self) -> ReviewPane:
        return self._review

    @property
    def agent_pane(self) -> AgentPane:
        return self._agent_pane

    # --- the agent ---------------------------------------------------------------------

    def _start_agent(self) -> None:
        """Open the socket, then spawn the agent with the socket in its environment."""
        from aiperm_tui.agent.bridge import BridgeServer
        from aiperm_tui.agent.process import AgentCallbacks, AgentProcess, make_adapter

        spec = self.deps.agent
        bridge = BridgeServer(self.broker)
        bridge.start()
        self._bridge = bridge
        assert bridge.directory is not None
        adapter = make_adapter(spec.adapter, spec.argv, bridge_env=bridge.env(),
                               workdir=bridge.directory)
        callbacks = AgentCallbacks(on_plan=self._on_plan, on_line=self._on_line,
                                   on_malformed=self._on_malformed,
                                   on_permission=self._on_permission, on_exit=self._on_exit)
        sandbox = spec.sandbox and replace(spec.sandbox, sockets=bridge.directory)
        limits = self.deps.config.limits
        agent = AgentProcess(spec.argv, callbacks, adapter=adapter, extra_env=bridge.env(),
                             cwd=spec.cwd, sandbox=sandbox, env_names=spec.env_names,
                             outbox_bytes=limits.agent_outbox_bytes,
                             stall_seconds=limits.agent_stall_seconds)
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

    def _on_plan(self, plan: Plan) -> None:
        """Agent reader thread: the broker takes it (it answers the agent itself)."""
        agent = self._agent
        if agent is not None:
            self.broker.submit(plan, agent.send)

    def _on_line(self, line: AgentLine) -> None:
        self.deps.recorder.agent_line(line.stream, line.kind, line.text)
        style = {"stderr": "dim", "notice": "italic", "tool_call": "bold",
                 "thinking": "dim italic", "system": "dim"}.get(line.kind, "")
        self.agent_pane.add_line(line.text, style)

    def _on_malformed(self, error: ProtocolError, raw: str) -> None:
        self.deps.recorder.agent_line("stdout", "malformed", raw)
        self.agent_pane.add_line(f"malformed request (code {error.code}): {error}", "bold red")
        self.agent_pane.add_line(raw[:500], "dim")

    def _on_permission(self, request: PermissionRequest) -> None:
        """Claude asks to use one of its own tools: the operator decides (UI thread)."""
        self.deps.recorder.permission_request(request.request_id, request.tool_name,
                                              request.description, dict(request.tool_input))

        def ask() -> None:
            body = Content.assemble(
                "The agent wants to use its tool ",
                (escape_control(request.tool_name, keep_newlines=False), "bold"), ":\n",
                escape_control(request.description or str(dict(request.tool_input))[:500]))

            def answer(allow: bool | None) -> None:
                self.deps.recorder.permission_answer(request.request_id, bool(allow))
                if self._agent is not None:
                    self._agent.answer_permission(request.request_id, bool(allow),
                                                  "" if allow else "denied by the operator")

            self.push_screen(ConfirmModal("Agent tool permission", body, "Allow", "Deny"),
                             answer)

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
        self.notify(f"{exit_.message}{tail}. The session stays open for review.",
                    severity="error" if exit_.crashed else "information", timeout=8)

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
        if not self._review.is_attached:  # the app is tearing its screen down
            return
        self._ticks += 1
        if self._ticks % HOSTS_EVERY == 1:
            self._poll_hosts()
        change = self.listener.take()
        if change is None:
            return
        errors, running = change
        awaiting = [p for p in self.broker.open_plans() if p.state == "pending" and p.awaiting]
        try:
            self.review.show(awaiting)
        except NoMatches:  # the pane is attached but its children are already torn down
            return
        self._status.update_status(Status(
            session_id=self.broker.session_id, agent=self._agent_state, hosts=self._host_states,
            preset=self.deps.preset, queue=len(awaiting), running=running,
            isolation=self.deps.agent.isolation if self.deps.agent.argv else ""))
        for message in errors:
            self.notify(escape_control(message, keep_newlines=False), severity="error",
                        timeout=8)

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

    # --- helpers for the keys ----------------------------------------------------------

    def _target(self) -> tuple[PlanView, ActionView] | None:
        """The selected plan and the action the keys act on: the cursor's, if it is still
        waiting, else the first waiting one."""
        plan = self.review.current
        if plan is None or not plan.awaiting:
            self.notify("nothing selected to act on", severity="warning")
            return None
        cursor = self.review.action_cursor
        action = plan.actions[cursor] if 0 <= cursor < len(plan.actions) else None
        if action is None or action.state != "pending":
            action = plan.awaiting[0]
        return plan, action

    def _call(self, what: Callable[[], Any]) -> Any:
        """Run a broker call; its refusal becomes a notification, never a crash."""
        try:
            return what()
        except WrongCode as exc:
            self.notify(str(exc), severity="error")
        except BrokerError as exc:
            self.notify(str(exc), severity="error")
        finally:
            self.refresh_now()
        return None

    def _key(self, action: str) -> str:
        """How the operator asked for `action`, for the log's `via` (the keymap may have
        moved it): "key a: approve"."""
        keys = [key for key, active in self.active_bindings.items()
                if active.binding.action == action]
        return f"key {keys[0] if keys else '?'}: {action}"

    def _approve(self, plan: PlanView, action: ActionView, edited: str | None = None, *,
                 via: str) -> None:
        """Approve at the level the action needs; typed levels ask for the code first."""
        if edited == action.command:  # an edit that changed nothing is a plain approval
            edited = None
        if action.needs == "typed" and edited is None:
            code = self._call(lambda: self.broker.challenge(plan.id, action.index))
            if code is None:
                return

            def typed(ok: bool | None) -> None:
                if ok:
                    self._call(lambda: self.broker.approve(plan.id, action.index, code=code,
                                                           via=f"{via} + code"))
                else:
                    self.notify("challenge code not confirmed: the command stays pending",
                                severity="warning")

            self.push_screen(ChallengeModal(action.command, action.decision, code), typed)
            return
        view = self._call(lambda: self.broker.approve(plan.id, action.index, edited=edited,
                                                      via=via))
        if view is not None and view.state == "pending" and edited is not None:
            self._confirm_again(plan, view, via)

    def _confirm_again(self, plan: PlanView, view: ActionView, via: str) -> None:
        """The edited command needs its own confirmation: the code of the new text when
        it is typed-level, else a look at what made it riskier."""
        if view.needs == "typed":
            self.notify("the edited command needs its own challenge code", severity="warning")
            self._approve(plan, view, via=via)
            return
        self.notify(f"the edit raised the risk to {view.decision.risk.score}: confirm again",
                    severity="warning")
        body = Content.assemble("The edited command is riskier than the original:\n\n",
                                highlight_command(view.command, view.decision.findings),
                                f"\n\nrisk {view.decision.risk.score}/100, "
                                f"confirm: {view.decision.confirm}")

        def answer(yes: bool | None) -> None:
            if yes:
                self._call(lambda: self.broker.approve(plan.id, view.index,
                                                       via=f"{via} + confirmed"))

        self.push_screen(ConfirmModal("Risk rose: approve the edited command?", body,
                                      "Approve", "Not now"), answer)

    # --- key actions -------------------------------------------------------------------

    def action_approve(self) -> None:
        target = self._target()
        if target is not None:
            plan, action = target
            if action.decision.decision == "deny":
                self.notify("the policy denies this command: it cannot be approved or "
                            "edited; deny the request (d, or D with a message)",
                            severity="warning")
                return
            self._approve(plan, action, via=self._key("approve"))

    def action_approve_all(self) -> None:
        via = self._key("approve_all")
        count = self._call(lambda: self.broker.approve_batch(via=via)) or 0
        left = sum(len(p.awaiting) for p in self.broker.open_plans() if p.state == "pending")
        note = f"; {left} need one-by-one review" if left else ""
        self.notify(f"approved {count} action(s) needing none/plan confirmation{note}")

    def action_edit(self) -> None:
        target = self._target()
        if target is None:
            return
        plan, action = target
        via = self._key("edit")

        def edited(text: str | None) -> None:
            if text is not None:
                self._approve(plan, action, edited=text, via=via)

        self.push_screen(EditModal(action.command,
                                   lambda cmd: self.broker.decide(cmd, plan.host)), edited)

    def action_deny(self) -> None:
        plan = self.review.current
        if plan is None:
            self.notify("nothing selected to deny", severity="warning")
            return
        via = self._key("deny")
        self._call(lambda: self.broker.deny(plan.id, via=via))

    def action_deny_message(self) -> None:
        plan = self.review.current
        if plan is None:
            self.notify("nothing selected to deny", severity="warning")
            return
        via = self._key("deny_message")

        def deny(message: str | None) -> None:
            if message is not None:
                self._call(lambda: self.broker.deny(plan.id, None, message, via=via))

        self.push_screen(DenyMessageModal(), deny)

    def action_remember(self) -> None:
        target = self._target()
        if target is None:
            return
        plan, action = target
        via = self._key("remember")

        def remember(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                match, pattern = choice
                if self._call(lambda: self.broker.remember(plan.id, action.index, match,
                                                           pattern, via=via)):
                    self.notify(f"remembered ({match}) on {plan.host}")

        self.push_screen(RememberModal(action.command, plan.host), remember)

    def action_preview(self) -> None:
        target = self._target()
        if target is not None:
            plan, action = target
            self.notify("running read-only impact probes…")
            self._preview(plan.id, action.index)

    @work(thread=True, exit_on_error=False, group="preview")
    def _preview(self, plan_id: str, index: int) -> None:
        """Probes run over SSH: a thread worker, the result arrives via plan_changed."""
        try:
            self.broker.preview(plan_id, index)
        except BrokerError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error")

    def action_cancel(self) -> None:
        with self.listener.lock:
            running = list(self.listener.running)
        if not running:
            self.notify("no command is running", severity="warning")
            return
        for exec_id in running:
            self._call(functools.partial(self.broker.cancel, exec_id=exec_id))
        self.notify(f"cancelling {', '.join(running)}")

    def action_next_action(self) -> None:
        self.review.move_action(1)

    def action_prev_action(self) -> None:
        self.review.move_action(-1)

    def action_help(self) -> None:
        self.push_screen(HelpModal())

    async def action_quit(self) -> None:
        """Textual's own quit (ctrl+q) asks the same way as `q`."""
        self.action_quit_app()

    def action_quit_app(self) -> None:
        """Quit; while commands run or requests wait, ask first (they get cancelled)."""
        with self.listener.lock:
            running = len(self.listener.running)
        pending = sum(1 for p in self.broker.open_plans() if p.state == "pending")
        if not running and not pending:
            self._begin_quit()
            return
        body = (f"{running} command(s) running and {pending} request(s) waiting.\n"
                "Quitting cancels them cleanly (the agent is told) and closes the session.")

        def answer(yes: bool | None) -> None:
            if yes:
                self._begin_quit()

        self.push_screen(ConfirmModal("Quit aiperm?", body, "Quit", "Stay"), answer)

    def _begin_quit(self) -> None:
        if self._quitting:
            return
        self._quitting = True
        self.notify("closing: cancelling commands, stopping the agent…")
        self._teardown()

    @work(thread=True, exit_on_error=False, group="shutdown")
    def _teardown(self) -> None:
        """Blocking teardown off the UI thread, then exit."""
        self.close_session()
        self.call_from_thread(self.exit, 0)

    def close_session(self, reason: str = "normal") -> None:
        """Cancel everything, stop the agent, close the socket, pool and log (idempotent)."""
        if self._session_closed:
            return
        self._quitting = self._session_closed = True
        self.deps.prompts.close()
        self.broker.shutdown()
        if self._agent is not None:
            self._agent.terminate()
        if self._bridge is not None:
            self._bridge.close()
        self.deps.pool.close()
        self.deps.recorder.close(reason)

    def on_unmount(self) -> None:
        self.close_session("interrupted")


def make_app(config: Config, agent: AgentSpec, *, host: str | None = None,
             preset: str | None = None, pool_factory: PoolFactory | None = None,
             known_hosts: Path | None = None, recorder_root: Path | None = None,
             session_id: str | None = None, warn: Callable[[str], None] | None = None,
             engine_factory: Callable[[Config], Policy] | None = None,
             challenge_secret: bytes | None = None) -> BrokerApp:
    """Build the app and everything it drives (the CLI and the tests both call this).

    `pool_factory` and `engine_factory` default to `SSHPool` and `PolicyEngine`;
    `session_id` overrides the one the broker shows (by default the recorder's);
    `challenge_secret` fixes the key of the typed codes, for deterministic snapshots only
    (by default the broker draws a random one). Raises `ConfigError`
    (exit 5) for a bad theme before anything starts.
    """
    from aiperm_tui.broker import Broker
    from aiperm_tui.policy import PolicyEngine
    from aiperm_tui.session import Recorder
    from aiperm_tui.tui.themes import load_themes, resolve_theme

    themes = load_themes()
    try:
        theme = resolve_theme(config.theme, themes)
    except ConfigError as exc:
        raise ConfigError(f"{config.path}: {exc}" if config.path else str(exc)) from None
    if host:
        config = replace(config, default_host=host)
    if preset:
        config = replace(config, preset=preset)
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

    recorder = Recorder.create(agent=list(agent.argv), hosts=hosts, preset=config.preset,
                               root=recorder_root, warn=warned,
                               record_cap_bytes=config.output.record_cap_bytes,
                               audit=config.audit, jail={h: c.jail_root for h, c in
                                                         config.hosts.items() if c.jail_root})
    broker = Broker(config, (engine_factory or PolicyEngine)(config), pool, recorder,
                    listener=listener, session_id=session_id,
                    challenge_secret=challenge_secret)
    deps = Deps(config=config, broker=broker, recorder=recorder, pool=pool, prompts=prompts,
                listener=listener, agent=agent, preset=config.preset, hosts=hosts,
                themes=themes, warnings=warnings)
    return BrokerApp(deps, theme=theme)
