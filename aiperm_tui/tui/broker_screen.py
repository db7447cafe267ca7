"""The broker screen: status bar, agent pane, review pane, output pane, footer, and the
review keys.

Which keys work is decided in one place, `check_action`, so the footer shows only keys
that would do something now (Textual hides the others) and the help panel lists the
live bindings. The app (`app.BrokerApp`) owns the session and the agent; this screen
shows them and turns keys into broker calls.

Focus is the operator's, never the agent's: `tab` moves between the agent's input line
and the review queue (the pane with focus has a heavy accent border and says where keys
go), and nothing the agent does moves it. A request arriving while the operator types to
the agent does not steal the keyboard, so a keystroke meant as text can never approve it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input

from aiperm_tui.broker import BrokerError, WrongCode
from aiperm_tui.textsafe import escape_control
from aiperm_tui.tui.modals import (
    ChallengeModal,
    ConfirmModal,
    DenyMessageModal,
    EditModal,
    RememberModal,
)
from aiperm_tui.tui.output import OutputPane
from aiperm_tui.tui.render import highlight_command, history_line
from aiperm_tui.tui.widgets import AgentPane, ReviewPane, Status, StatusBar

if TYPE_CHECKING:
    from collections.abc import Callable

    from aiperm_tui.broker import ActionView, Broker, PlanView
    from aiperm_tui.tui.app import BrokerApp

OUTPUT_LINES = 10_000
View = Literal["queue", "history"]
HISTORY_FILTERS = ("unasked", "all", "operator", "denied")
# actions that need a selected request waiting for a human
NEEDS_TARGET = frozenset({"approve", "edit", "remember", "preview"})
QUEUE_ONLY = NEEDS_TARGET | {"deny", "deny_message", "approve_all", "next_action", "prev_action"}

# what each key does, for the help panel (the footer shows the short descriptions)
HELP = {
    "approve": "approve the selected request (typed-level ones ask for the code)",
    "approve_all": "approve every pending action needing only none/plan confirmation",
    "edit": "edit the command, see it re-analysed live, then approve it",
    "deny": "deny the selected request",
    "deny_message": "deny with a message to the agent",
    "preview": "impact preview: read-only probes on the host",
    "remember": "remember: always allow this exact command or prefix on this host",
    "teach": "teach: the last approved command of a tool no rule describes only reads "
    "(shows the entry, asks, writes CONFIG/packs/taught.toml; it decides from then on)",
    "cancel": "cancel the running command(s)",
    "next_action": "next action of a multi-action plan",
    "prev_action": "previous action of a multi-action plan",
    "switch_focus": "move between the agent's input line and the review queue",
    "toggle_history": "history: what ran, and what ran without asking (rule / preset)",
    "cycle_filter": "history filter: unasked, all, operator, denied",
    "app.help": "this help",
    "app.quit_app": "quit (asks first while commands run or requests wait)",
}


def matches(plan: PlanView, how: str) -> bool:
    """Whether a plan belongs in the history under filter `how`."""
    if how == "unasked":
        return any(a.approved_by == "rule" for a in plan.actions)
    if how == "operator":
        return any(a.approved_by in ("human", "batch") for a in plan.actions)
    if how == "denied":
        return any(a.denied_by is not None for a in plan.actions)
    return plan.state != "pending" or any(a.state != "pending" for a in plan.actions)


class BrokerScreen(Screen[None]):
    """The one screen of a live session (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab", "switch_focus", "Pane", priority=True, show=False, id="app.switch_focus"
        ),  # said in the focused pane's subtitle instead
        Binding("a", "approve", "Approve", id="review.approve"),
        Binding("A", "approve_all", "All", id="review.approve_all"),
        Binding("e", "edit", "Edit", id="review.edit"),
        Binding("d", "deny", "Deny", id="review.deny"),
        Binding("D", "deny_message", "Deny+msg", show=False, id="review.deny_message"),
        Binding("p", "preview", "Preview", id="review.preview"),
        Binding("r", "remember", "Remember", id="review.remember"),
        Binding("t", "teach", "Teach", id="review.teach"),
        Binding("c", "cancel", "Cancel", id="review.cancel"),
        Binding("h", "toggle_history", "History", id="review.history"),
        Binding("f", "cycle_filter", "Filter", id="review.filter"),
        Binding(
            "right_square_bracket",
            "next_action",
            "Next action",
            show=False,
            id="review.next_action",
        ),
        Binding(
            "left_square_bracket", "prev_action", "Prev action", show=False, id="review.prev_action"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: View = "queue"
        self.history_filter = HISTORY_FILTERS[0]
        # the last command the operator approved that no rule describes (`t` teaches it)
        self.teachable: str | None = None
        # made here, not found on mount: the app wires them up in its own on_mount,
        # which runs before this screen's
        self.status_bar = StatusBar(id="status")
        self.agent_pane = AgentPane(id="agent")
        self.review = ReviewPane(id="review")
        self.output = OutputPane(OUTPUT_LINES, id="output")

    @property
    def owner(self) -> BrokerApp:
        return self.app  # type: ignore[return-value]

    @property
    def broker(self) -> Broker:
        return self.owner.broker

    def compose(self) -> ComposeResult:
        yield self.status_bar
        with Horizontal(id="main"):
            yield self.agent_pane
            yield self.review
        yield self.output
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.owner.screen_ready()

    # --- what is shown -----------------------------------------------------------------

    def show(self, plans: list[PlanView], status: Status) -> None:
        """Redraw the review pane and the status bar from a fresh broker snapshot."""
        awaiting = [p for p in plans if p.state == "pending" and p.awaiting]
        if self.view == "queue":
            self.review.show(awaiting)
        else:
            shown = [p for p in plans if matches(p, self.history_filter)]
            self.review.show(
                shown,
                title=f"history: {self.history_filter} ({len(shown)}) "
                "· h: back to the queue · f: filter",
                line=history_line,
            )
        self.status_bar.update_status(status)
        self.refresh_bindings()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Say where keys go in the focused pane's title."""
        typing = self._typing()
        self.agent_pane.border_subtitle = "typing to the agent · tab: review" if typing else ""
        self.review.border_subtitle = "" if typing else "keys act here · tab: agent"
        self.refresh_bindings()

    # --- key availability ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the keys that would do nothing now (Textual hides them in the footer).
        While the operator types to the agent, letters are text: no review key shows."""
        if action in QUEUE_ONLY | {"toggle_history", "cycle_filter", "cancel"} and self._typing():
            return False
        if action in QUEUE_ONLY and self.view != "queue":
            return False
        current = self.review.current
        if action in NEEDS_TARGET | {"deny", "deny_message"} and (
            current is None or not current.awaiting
        ):
            return False
        if action in ("next_action", "prev_action"):
            return current is not None and len(current.actions) > 1
        if action == "approve_all":
            return any(p.state == "pending" and p.awaiting for p in self.review.requests)
        if action == "cancel":
            with self.owner.listener.lock:
                return bool(self.owner.listener.running)
        if action == "cycle_filter":
            return self.view == "history"
        if action == "teach":
            return self.teachable is not None and not self._typing()
        return True

    # --- focus and views ---------------------------------------------------------------

    def _typing(self) -> bool:
        focused = self.focused
        return isinstance(focused, Input) and focused.id == "agent-input"

    def action_switch_focus(self) -> None:
        box = self.agent_pane.query_one("#agent-input", Input)
        if box.has_focus:
            self.review.focus_queue()
        elif box.display:
            box.focus()
        else:
            self.owner.notify(
                "this agent takes no typed input; the review queue keeps the keys",
                severity="warning",
            )
            self.review.focus_queue()

    def action_toggle_history(self) -> None:
        self.view = "history" if self.view == "queue" else "queue"
        self.owner.refresh_now()
        self.review.focus_queue()

    def action_cycle_filter(self) -> None:
        index = HISTORY_FILTERS.index(self.history_filter)
        self.history_filter = HISTORY_FILTERS[(index + 1) % len(HISTORY_FILTERS)]
        self.owner.refresh_now()

    # --- helpers for the keys ----------------------------------------------------------

    def _target(self) -> tuple[PlanView, ActionView] | None:
        """The selected plan and the action the keys act on: the cursor's, if it is still
        waiting, else the first waiting one."""
        plan = self.review.current
        if plan is None or not plan.awaiting:
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
        except (WrongCode, BrokerError) as exc:
            self.owner.notify(str(exc), severity="error")
        finally:
            self.owner.refresh_now()
        return None

    def _key(self, action: str) -> str:
        """How the operator asked for `action`, for the log's `via` (the keymap may have
        moved it): "key a: approve" (docs/log-format.md, "Decision origins")."""
        return f"key {self.owner.key_for(action)}: {action}"

    def _approve(
        self, plan: PlanView, action: ActionView, edited: str | None = None, *, via: str
    ) -> None:
        """Approve at the level the action needs; typed levels ask for the code first."""
        if edited == action.command:  # an edit that changed nothing is a plain approval
            edited = None
        if action.needs == "typed" and edited is None:
            code = self._call(lambda: self.broker.challenge(plan.id, action.index))
            if code is None:
                return

            def typed(ok: bool | None) -> None:
                if ok:
                    done = self._call(
                        lambda: self.broker.approve(
                            plan.id, action.index, code=code, via=f"{via} + code"
                        )
                    )
                    self._offer_teach(action, done)
                else:
                    self.owner.notify(
                        "challenge code not confirmed: the command stays pending",
                        severity="warning",
                    )

            self.app.push_screen(ChallengeModal(action.command, action.decision, code), typed)
            return
        view = self._call(
            lambda: self.broker.approve(plan.id, action.index, edited=edited, via=via)
        )
        if view is not None and view.state == "pending" and edited is not None:
            self._confirm_again(plan, view, via)
        elif edited is None:
            self._offer_teach(action, view)

    def _offer_teach(self, action: ActionView, done: ActionView | None) -> None:
        """After the operator approved a command no rule describes (`unknown.command`
        decided it), offer `t`: teach aiperm that its form only reads."""
        findings = action.decision.findings
        if done is None or done.state == "pending" or not findings:
            return
        if findings[0].rule != "unknown.command":
            return
        self.teachable = action.command
        self.refresh_bindings()
        shown = escape_control(action.command, keep_newlines=False)
        self.owner.notify(f"{self.owner.key_for('teach')}: teach aiperm that {shown!r} only reads")

    def _confirm_again(self, plan: PlanView, view: ActionView, via: str) -> None:
        """The edited command needs its own confirmation: the code of the new text when
        it is typed-level, else a look at what made it riskier."""
        if view.needs == "typed":
            self.owner.notify("the edited command needs its own challenge code", severity="warning")
            self._approve(plan, view, via=via)
            return
        self.owner.notify(
            f"the edit raised the risk to {view.decision.risk.score}: confirm again",
            severity="warning",
        )
        body = Content.assemble(
            "The edited command is riskier than the original:\n\n",
            highlight_command(view.command, view.decision.findings),
            f"\n\nrisk {view.decision.risk.score}/100, confirm: {view.decision.confirm}",
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self._call(
                    lambda: self.broker.approve(plan.id, view.index, via=f"{via} + confirmed")
                )

        self.app.push_screen(
            ConfirmModal("Risk rose: approve the edited command?", body, "Approve", "Not now"),
            answer,
        )

    # --- key actions -------------------------------------------------------------------

    def action_approve(self) -> None:
        target = self._target()
        if target is None:
            return
        plan, action = target
        if action.decision.decision == "deny":
            self.owner.notify(
                "the policy denies this command: it cannot be approved or "
                "edited; deny the request (d, or D with a message)",
                severity="warning",
            )
            return
        self._approve(plan, action, via=self._key("approve"))

    def action_approve_all(self) -> None:
        via = self._key("approve_all")
        count = self._call(lambda: self.broker.approve_batch(via=via)) or 0
        left = sum(len(p.awaiting) for p in self.broker.open_plans() if p.state == "pending")
        note = f"; {left} need one-by-one review" if left else ""
        self.owner.notify(f"approved {count} action(s) needing none/plan confirmation{note}")

    def action_edit(self) -> None:
        target = self._target()
        if target is None:
            return
        plan, action = target
        via = self._key("edit")

        def edited(text: str | None) -> None:
            if text is not None:
                self._approve(plan, action, edited=text, via=via)

        self.app.push_screen(
            EditModal(action.command, lambda cmd: self.broker.decide(cmd, plan.host)), edited
        )

    def action_deny(self) -> None:
        plan = self.review.current
        if plan is not None:
            via = self._key("deny")
            self._call(lambda: self.broker.deny(plan.id, via=via))

    def action_deny_message(self) -> None:
        plan = self.review.current
        if plan is None:
            return
        via = self._key("deny_message")

        def deny(message: str | None) -> None:
            if message is not None:
                self._call(lambda: self.broker.deny(plan.id, None, message, via=via))

        self.app.push_screen(DenyMessageModal(), deny)

    def action_remember(self) -> None:
        target = self._target()
        if target is None:
            return
        plan, action = target
        via = self._key("remember")

        def remember(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                match, pattern = choice
                if self._call(
                    lambda: self.broker.remember(plan.id, action.index, match, pattern, via=via)
                ):
                    self.owner.notify(f"remembered ({match}) on {plan.host}")

        self.app.push_screen(RememberModal(action.command, plan.host), remember)

    def action_teach(self) -> None:
        """Show the entry `aiperm rules teach` would write for the last approved unknown
        command, and write it (the same code path) when the operator says yes; the
        broker then decides with it (`Broker.reload_policy`, recorded)."""
        from aiperm_tui.errors import AipermError
        from aiperm_tui.policy import PolicyEngine, teach

        command, self.teachable = self.teachable, None
        self.refresh_bindings()
        if command is None:
            return
        config = self.owner.deps.config
        engine = PolicyEngine(config)
        try:
            lesson = teach.plan(engine, command, "reads", teach.default_pack(config))
        except AipermError as exc:
            self.owner.notify(str(exc), severity="warning")
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                wrote = teach.teach(engine, lesson)
            except AipermError as exc:
                self.owner.notify(str(exc), severity="error")
                return
            if wrote:
                self.broker.reload_policy(f"taught {lesson.id} in {lesson.pack}")
            said = "taught" if wrote else "already taught"
            self.owner.notify(f"{said}: {lesson.id} in {lesson.pack}; it decides from now on")

        body = Content(
            escape_control(lesson.block, keep_newlines=True)
            + f"\nIt goes to {lesson.pack} and decides the requests that come after. Only "
            "this form runs unasked: other words or options, a path, a pipe or a raised "
            "form are judged as before. `aiperm rules forget ID` removes it."
        )
        self.app.push_screen(
            ConfirmModal("Teach aiperm that this form only reads?", body, "Teach", "Not now"),
            answer,
        )

    def action_preview(self) -> None:
        target = self._target()
        if target is not None:
            plan, action = target
            self.owner.notify("running read-only impact probes…")
            self.owner.preview(plan.id, action.index)

    def action_cancel(self) -> None:
        with self.owner.listener.lock:
            running = list(self.owner.listener.running)
        for exec_id in running:
            self._call(partial(self.broker.cancel, exec_id=exec_id))
        if running:
            self.owner.notify(f"cancelling {', '.join(running)}")

    def action_next_action(self) -> None:
        self.review.move_action(1)

    def action_prev_action(self) -> None:
        self.review.move_action(-1)
