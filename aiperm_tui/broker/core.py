"""The Broker state machine (see the package docstring for how front ends drive it).

Concurrency: one lock guards every plan's state and the session-log writes that go with
a transition, so the log order is the order things happened. Replies to the asker and
listener callbacks are made outside that lock (an agent that does not read its stdin must
not freeze the operator's UI); a per-plan lock keeps one plan's replies in order.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import itertools
import queue
import shlex
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiperm_tui.agent import protocol
from aiperm_tui.broker import rules
from aiperm_tui.broker.limits import RefusalTally, Report, TokenBucket
from aiperm_tui.broker.model import (
    ActionView,
    BrokerError,
    BrokerListener,
    Origin,
    Overloaded,
    PlanView,
    WrongCode,
)
from aiperm_tui.broker.preview import preview_probes
from aiperm_tui.errors import AipermError, ExitCode
from aiperm_tui.policy import CONFIRM_ORDER, challenge_code
from aiperm_tui.policy.challenge import matches, new_secret

if TYPE_CHECKING:
    from aiperm_tui.broker.ports import EventLog, HostPool, Policy
    from aiperm_tui.config import Config
    from aiperm_tui.policy import Decision
    from aiperm_tui.ssh import ExecResult

Reply = protocol.Reply

PREVIEW_CAP_BYTES = 16 * 1024
FINISHED_KEPT = 1000  # finished plans kept for plan()/wait(); older ones are let go
CANCELLED = "cancelled by the operator"


def _rank(level: str) -> int:
    return CONFIRM_ORDER.index(level)


@dataclass
class _Action:
    index: int
    cmd: str
    decision: Decision
    state: str = "pending"
    needs: str = "none"
    edited: str | None = None
    approved_by: str | None = None
    denied_by: str | None = None
    message: str | None = None
    exec_id: str | None = None
    result: ExecResult | None = None
    preview: str | None = None
    origin: Origin | None = None
    cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def command(self) -> str:
        return self.edited if self.edited is not None else self.cmd

    def view(self) -> ActionView:
        return ActionView(
            self.index,
            self.cmd,
            self.edited,
            self.decision,
            self.state,  # type: ignore[arg-type]
            self.needs,
            self.approved_by,  # type: ignore[arg-type]
            self.denied_by,  # type: ignore[arg-type]
            self.message,
            self.exec_id,
            self.result,
            self.preview,
            self.origin,
        )


@dataclass
class _Plan:
    plan: protocol.Plan
    host: str
    reply: Reply
    actions: list[_Action]
    state: str = "pending"
    status: str | None = None
    exit_code: int | None = None
    failure_code: int | None = None  # set by the first failed command
    stop: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    send_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def id(self) -> str:
        return self.plan.id

    def view(self) -> PlanView:
        p = self.plan
        return PlanView(
            p.id,
            self.host,
            p.goal,
            p.strategy,
            p.source,
            tuple(a.view() for a in self.actions),
            self.state,  # type: ignore[arg-type]
            self.status,  # type: ignore[arg-type]
            self.exit_code,
        )


class Broker:
    """Requests in, decisions and results out; see the package docstring."""

    def __init__(
        self,
        config: Config,
        engine: Policy,
        pool: HostPool,
        recorder: EventLog,
        *,
        listener: BrokerListener | None = None,
        session_id: str | None = None,
        challenge_secret: bytes | None = None,
    ) -> None:
        self._config = config
        self._engine = engine
        self._pool = pool
        self._recorder = recorder
        self._listener = listener or BrokerListener()
        self.session_id = session_id or recorder.session_id
        # keys the typed codes; memory only, never logged or sent (a fixed one is for
        # deterministic test pictures only)
        self._challenge_secret = challenge_secret or new_secret()
        self._lock = threading.RLock()
        self._plans: dict[str, _Plan] = {}  # the open ones and the last FINISHED_KEPT
        self._open: dict[str, _Plan] = {}  # not finished yet, in submission order
        self._finished: collections.deque[str] = collections.deque()
        self._used_ids: set[str] = set()  # ids stay unique after their plan is let go
        limits = config.limits
        self._bucket = TokenBucket(limits.requests_per_second, limits.request_burst)
        self._refusals = RefusalTally()
        self._admitted = 0
        self._by_rule = 0  # actions approved without asking (rules, presets, grants)
        self._ids = itertools.count(1)
        self._execs = itertools.count(1)
        self._workers: dict[str, tuple[threading.Thread, queue.Queue[_Plan | None]]] = {}
        self._closed = False

    # --- requests -----------------------------------------------------------------------

    def submit(self, plan: protocol.Plan, reply: Reply) -> str | None:
        """Take a request: decide every action, answer what rules decide, queue the rest
        for the operator. Returns the plan id, or None when the request was refused with
        an `error` reply (unknown host, duplicate id, broker closed, engine failure, or
        `Overloaded`: too many open requests or too many too fast)."""
        try:
            p = self._admit(plan, reply)
        except Overloaded as exc:
            self._refuse_overload(plan.id or None, exc, reply)
            return None
        except AipermError as exc:
            self._refuse_request(plan.id or None, exc, reply)
            return None
        self._after(p)
        return p.id

    def _admit(self, plan: protocol.Plan, reply: Reply) -> _Plan:
        with self._lock:
            if self._closed:
                raise BrokerError("the broker is shutting down")
            self._check_load()
            self._record_refusals(self._refusals.flush())
            plan = self._with_id(plan)
            host = self._host_of(plan)
            self._recorder.event(
                "request",
                id=plan.id,
                host=host,
                goal=plan.goal,
                strategy=plan.strategy,
                source=plan.source,
                actions=[a.cmd for a in plan.actions],
            )
            decisions = [self._decide_or_fail(a.cmd, host) for a in plan.actions]
            p = _Plan(
                plan,
                host,
                reply,
                [
                    _Action(i, a.cmd, d)
                    for i, (a, d) in enumerate(zip(plan.actions, decisions, strict=True))
                ],
            )
            self._plans[plan.id] = self._open[plan.id] = p
            self._used_ids.add(plan.id)
            self._admitted += 1
            out = [self._first_decision(p, a) for a in p.actions]
            if plan.strategy == "fail_fast" and any(a.denied_by == "policy" for a in p.actions):
                first = next(a.index for a in p.actions if a.denied_by == "policy")
                out = [m for a, m in zip(p.actions, out, strict=True) if a.denied_by == "policy"]
                out += self._skip(p, f"skipped: action {first} was denied by policy")
        self._send(p, [m for m in out if m is not None])
        return p

    def _check_load(self) -> None:
        """Refuse a request the limits do not let in (caller holds the lock). The queue
        cap is checked first, so a full queue does not spend the rate's tokens."""
        limits = self._config.limits
        if len(self._open) >= limits.max_open_requests:
            raise Overloaded(
                f"too many open requests ({len(self._open)}, the limit is "
                f"limits.max_open_requests = {limits.max_open_requests}): "
                "refused, nothing queued; wait for results first"
            )
        if not self._bucket.take():
            raise Overloaded(
                f"too many requests too fast (limits.request_burst = "
                f"{limits.request_burst} at once, then "
                f"limits.requests_per_second = {limits.requests_per_second:g}): "
                "refused, nothing queued; slow down"
            )

    def _refuse_overload(self, plan_id: str | None, exc: Overloaded, reply: Reply) -> None:
        """Refuse a request over the limits: the asker always gets its error; the log
        and the operator get the tally's few reports (limits.RefusalTally)."""
        with self._lock:
            report = self._refusals.refused(str(exc))
            self._record_refusals(report, plan_id)
        if report is not None and report.notify:
            self._call(
                lambda: self._listener.error(
                    f"the agent's requests are being refused: {exc} (one notice per "
                    "10 s; the session log counts them)"
                )
            )
        reply(protocol.error(plan_id, int(exc.exit_code), str(exc)))

    def _record_refusals(self, report: Report | None, plan_id: str | None = None) -> None:
        """Caller holds the lock."""
        if report is None:
            return
        if report.earlier:
            self._recorder.event(
                "error",
                message=f"{report.earlier} more request(s) refused over the limits",
                code=int(ExitCode.USAGE),
                id=None,
                refused=report.earlier,
            )
        if report.reason is not None:
            self._recorder.event(
                "error",
                message=f"request {plan_id or ''} refused: {report.reason}",
                code=int(ExitCode.USAGE),
                id=plan_id,
                refused=1,
            )

    def stats(self) -> dict[str, int]:
        """Load figures for front ends and benchmarks: requests open now, admitted and
        refused (over the limits) since the start, actions approved by rule since the
        start, plans kept in memory."""
        with self._lock:
            return {
                "open": len(self._open),
                "admitted": self._admitted,
                "refused": self._refusals.total,
                "by_rule": self._by_rule,
                "kept": len(self._plans),
            }

    def _with_id(self, plan: protocol.Plan) -> protocol.Plan:
        if not plan.id:
            plan_id = f"p{next(self._ids)}"
            while plan_id in self._used_ids:
                plan_id = f"p{next(self._ids)}"
            return dataclasses.replace(plan, id=plan_id)
        if plan.id in self._used_ids:
            raise BrokerError(f"duplicate plan id {plan.id!r} (ids must be unique per session)")
        return plan

    def _host_of(self, plan: protocol.Plan) -> str:
        host = plan.host or self._config.default_host
        if not host:
            raise BrokerError("no host in the plan and no default_host configured")
        if not rules.host_known(self._config, host):
            raise BrokerError(f"unknown host {host!r} (not in [hosts] nor ~/.ssh/config)")
        return host

    def _decide_or_fail(self, command: str, host: str) -> Decision:
        try:
            return self.decide(command, host)
        except Exception as exc:  # the engine promises never to raise; if it does, stop
            raise AipermError(f"policy engine error: {exc!r}", ExitCode.ENGINE) from exc

    def decide(self, command: str, host: str | None = None) -> Decision:
        """The policy decision for `command` on `host` (also for live re-analysis)."""
        host = host or self._config.default_host
        return self._engine.decide(command, host, self._config.preset_for(host))

    def _first_decision(self, p: _Plan, a: _Action) -> dict[str, Any] | None:
        """Record the policy's decision and act on what a rule settles on its own."""
        d = a.decision
        self._recorder.event("decision", id=p.id, action=a.index, cmd=a.cmd, **d.to_dict())
        if d.decision == "deny":
            return self._deny_one(p, a, Origin("policy", d.layer), d.reason, None)
        if d.confirm == "none":
            self._by_rule += 1
            return self._approve_one(p, a, Origin.of_rule(d.layer), rule=d.layer)
        a.needs = d.confirm
        return None

    def _refuse_request(self, plan_id: str | None, exc: AipermError, reply: Reply) -> None:
        code = int(exc.exit_code)
        self._recorder.event("error", message=str(exc), code=code, id=plan_id)
        self._call(lambda: self._listener.error(f"request {plan_id or ''} refused: {exc}"))
        reply(protocol.error(plan_id, code, str(exc)))

    # --- the operator's answers ------------------------------------------------------

    def approve(
        self,
        plan_id: str,
        index: int,
        *,
        edited: str | None = None,
        code: str | None = None,
        by: str = "human",
        via: str | None = None,
    ) -> ActionView:
        """Approve one pending action (a plan-level one approves every plan-level action of
        its plan). With `edited`, the new text is analysed again and recorded: if its
        risk rose, or it still needs a typed code, the action stays pending at the new
        level and the returned view says so (the code is for the edited text, which the
        operator has to see first, so an edit never approves a typed level at once). A
        typed level needs `code` == `challenge(...)`, else WrongCode and nothing changes.
        `by` and `via` say who decided and how (model.Origin; docs/log-format.md)."""
        out: list[dict[str, Any]] = []
        with self._lock:
            p, a = self._pending(plan_id, index)
            changed = rose = False
            if edited is not None and edited != a.command:
                changed, rose = True, self._edit(p, a, edited)
            if not rose and not (changed and a.needs == "typed"):
                self._check_code(a, code)
                out = self._approve_level(p, a, Origin(by, via))
            view = a.view()
        self._send(p, out)
        self._after(p)
        return view

    def _edit(self, p: _Plan, a: _Action, edited: str) -> bool:
        """Apply an edit; True when its risk rose so it must be confirmed again."""
        if not edited.strip():
            raise BrokerError("the edited command is empty")
        new = self._decide_or_fail(edited, p.host)
        if new.decision == "deny":
            raise BrokerError(f"the policy denies the edited command: {new.reason}")
        old = a.decision
        rose = _rank(new.confirm) > _rank(old.confirm) or new.risk.score > old.risk.score
        a.edited, a.decision = (edited if edited != a.cmd else None), new
        self._recorder.event("decision", id=p.id, action=a.index, cmd=edited, **new.to_dict())
        a.needs = CONFIRM_ORDER[max(_rank(new.confirm), _rank("plan"))] if rose else new.confirm
        return rose

    def _check_code(self, a: _Action, code: str | None) -> None:
        if a.needs == "typed" and not matches(
            code or "", a.command, self.session_id, self._challenge_secret
        ):
            raise WrongCode("wrong challenge code: the command stays pending")

    def _approve_level(self, p: _Plan, a: _Action, by: Origin) -> list[dict[str, Any]]:
        targets = [a]
        if a.needs == "plan":
            targets += [
                b
                for b in p.actions
                if b is not a and b.state == "pending" and b.needs in ("none", "plan")
            ]
        return [self._approve_one(p, b, by) for b in targets]

    def _approve_one(
        self, p: _Plan, a: _Action, by: Origin, rule: str | None = None
    ) -> dict[str, Any]:
        """Approve one action: record it and return the agent's reply. The one place an
        approval is written, whoever gave it, so the log, the view and the reply never
        disagree. `rule` is the policy layer that approved it unasked (its first
        decision): it is logged `by` "rule" even when the origin is a remembered grant."""
        a.state, a.needs, a.origin = "approved", "none", by
        a.approved_by = "rule" if rule is not None else by.kind
        self._recorder.event(
            "approval",
            id=p.id,
            action=a.index,
            by=a.approved_by,
            cmd=a.command,
            original=a.cmd if a.edited is not None else None,
            confirm=a.decision.confirm,
            rule=rule,
            **by.fields(),
        )
        return protocol.decision(p.id, a.index, "allow", a.decision, origin=by.kind)

    def approve_plan(self, plan_id: str, *, by: str = "human", via: str | None = None) -> int:
        """Approve every pending none/plan-level action of one plan; returns how many.
        `by` "cli_flag" is `aiperm run --yes`: no person answered."""
        origin = Origin(by, via)
        with self._lock:
            p = self._get(plan_id)
            out = [
                self._approve_one(p, a, origin)
                for a in p.actions
                if a.state == "pending" and a.needs in ("none", "plan")
            ]
        self._send(p, out)
        self._after(p)
        return len(out)

    def approve_batch(self, via: str | None = None) -> int:
        """Key `A`: approve every pending action whose level is none or plan, in every
        plan; action and typed levels are left for one-by-one review. Returns how many."""
        with self._lock:
            ids = [p.id for p in self._open.values() if p.state == "pending"]
        return sum(self.approve_plan(plan_id, by="batch", via=via) for plan_id in ids)

    def deny(
        self,
        plan_id: str,
        index: int | None = None,
        message: str | None = None,
        *,
        by: str = "human",
        via: str | None = None,
    ) -> None:
        """Deny one pending action, or (index None) every pending action of the plan.
        `message` goes to the agent with the decision. Under fail_fast the plan ends here
        and nothing of it runs."""
        with self._lock:
            p = self._get(plan_id)
            targets = (
                [self._pending(plan_id, index)[1]]
                if index is not None
                else [a for a in p.actions if a.state == "pending"]
            )
            if not targets:
                raise BrokerError(f"plan {plan_id}: nothing pending to deny")
            reason = "denied by the operator" if by == "human" else "no terminal to confirm"
            out = [self._deny_one(p, a, Origin(by, via), reason, message) for a in targets]
            if p.plan.strategy == "fail_fast":
                out += self._skip(p, f"skipped: action {targets[0].index} was denied")
        self._send(p, out)
        self._after(p)

    def _deny_one(
        self,
        p: _Plan,
        a: _Action,
        by: Origin,
        reason: str,
        message: str | None,
        state: str = "denied",
    ) -> dict[str, Any]:
        """Deny one action (`state` says how: denied, skipped, cancelled): record it and
        return the agent's reply. The one place a deny is written, whoever decided it
        (the policy, the operator, the system), so the log, the view and the reply never
        disagree. `message` is the operator's, for the agent."""
        a.state, a.denied_by, a.needs, a.message, a.origin = state, by.kind, "none", message, by
        self._recorder.event(
            "deny",
            id=p.id,
            action=a.index,
            by=by.kind,
            cmd=a.command,
            reason=reason,
            message=message,
            **by.fields(),
        )
        return protocol.decision(
            p.id, a.index, "deny", a.decision, reason=reason, message=message, origin=by.kind
        )

    def _skip(
        self,
        p: _Plan,
        reason: str,
        states: Iterable[str] = ("pending", "approved"),
        new_state: str = "skipped",
    ) -> list[dict[str, Any]]:
        """Every action in `states` will not run: record and report it as denied by the
        system, with `reason` saying why (skipped, cancelled)."""
        out = []
        for a in p.actions:
            if a.state in states:
                out.append(self._deny_one(p, a, Origin("system", None), reason, None, new_state))
                a.message = reason  # the view shows why; the agent has it as the reason
        return out

    def remember(
        self,
        plan_id: str,
        index: int,
        match: str = "exact",
        pattern: str | None = None,
        *,
        via: str | None = None,
    ) -> ActionView:
        """Always allow this exact command (or this prefix) on this host: the rule goes to
        remembered.toml, is recorded (`rule_added`), and this action is approved by the
        human. Later matching requests are approved by rule. Refused for typed-level and
        denied commands: a typed challenge exists so that each run is typed by a person."""
        with self._lock:
            p, a = self._pending(plan_id, index)
            if a.decision.confirm == "typed" or a.needs == "typed":
                raise BrokerError("a command that needs a typed confirmation cannot be remembered")
            pattern = rules.pattern_for(a.command, match, pattern)
            self._config = rules.append_remembered(self._config, p.host, match, pattern)
            self._engine = self._engine.for_config(self._config)
            self._recorder.event("rule_added", host=p.host, match=match, pattern=pattern)
            out = self._approve_level(p, a, Origin("human", via))
            view = a.view()
        self._send(p, out)
        self._after(p)
        return view

    def reload_policy(self, reason: str) -> None:
        """Decide later requests with the packs as they are now: the operator changed
        them from the keyboard (`t` teaches a tool). Recorded (`policy_reloaded`), so a
        later decision by a new rule is explained by the log; requests decided before
        keep their decisions."""
        with self._lock:
            self._engine = self._engine.for_config(self._config)
            self._recorder.event("policy_reloaded", reason=reason)

    def challenge(self, plan_id: str, index: int) -> str | None:
        """The typed challenge code of a pending action, for the OPERATOR only (never
        send it to the agent); None when the action does not need one."""
        with self._lock:
            _, a = self._pending(plan_id, index)
            if a.needs != "typed":
                return None
            command = a.command
        return challenge_code(command, self.session_id, self._challenge_secret)

    def cancel(
        self, plan_id: str | None = None, *, exec_id: str | None = None, reason: str = CANCELLED
    ) -> None:
        """Cancel a whole plan (its pending actions are dropped, the running command is
        stopped, nothing more of it runs), or only the running command `exec_id` (the
        plan then goes on as its strategy says). `reason` is recorded and sent: who
        cancelled (the operator, an asker that hung up, an agent that exited)."""
        if exec_id is not None:
            with self._lock:
                a = next(
                    (
                        a
                        for p in self._open.values()
                        for a in p.actions
                        if a.exec_id == exec_id and a.state == "running"
                    ),
                    None,
                )
            if a is None:
                raise BrokerError(f"no running command {exec_id}")
            a.cancel.set()
            return
        with self._lock:
            p = self._get(plan_id or "")
            if p.state == "finished":
                raise BrokerError(f"plan {p.id} has already finished")
            p.stop.set()
            for a in p.actions:
                if a.state == "running":
                    a.cancel.set()
            # a queued or running plan: its worker drops the approved actions itself
            states = ("pending", "approved") if p.state == "pending" else ("pending",)
            out = self._skip(p, reason, states, "cancelled")
        self._send(p, out)
        self._after(p)

    # --- views ----------------------------------------------------------------------

    def plans(self) -> list[PlanView]:
        """Every plan kept (the open ones and the last FINISHED_KEPT finished ones), in
        submission order."""
        with self._lock:
            return [p.view() for p in self._plans.values()]

    def open_plans(self) -> list[PlanView]:
        """The plans not finished yet, in submission order (what a review queue shows;
        cheap however long the session, unlike `plans`)."""
        with self._lock:
            return [p.view() for p in self._open.values()]

    def plan(self, plan_id: str) -> PlanView:
        with self._lock:
            return self._get(plan_id).view()

    def wait(self, plan_id: str, timeout: float | None = None) -> PlanView | None:
        """Block until the plan finished (its plan_result was sent); None on timeout."""
        with self._lock:
            p = self._get(plan_id)
        return p.view() if p.done.wait(timeout) else None

    def hosts(self) -> dict[str, Any]:
        """The hosts the broker knows and their connection state (for `list_hosts`)."""
        with self._lock:
            names = sorted(set(self._config.hosts) | {p.host for p in self._plans.values()})
        return {
            "default": self._config.default_host,
            "hosts": [{"name": n, "state": self._pool.state(n)} for n in names],
        }

    def _get(self, plan_id: str) -> _Plan:
        p = self._plans.get(plan_id)
        if p is None:
            raise BrokerError(f"no plan {plan_id!r}")
        return p

    def _pending(self, plan_id: str, index: int) -> tuple[_Plan, _Action]:
        p = self._get(plan_id)
        if not 0 <= index < len(p.actions):
            raise BrokerError(f"plan {plan_id} has no action {index}")
        a = p.actions[index]
        if a.state != "pending":
            raise BrokerError(f"plan {plan_id} action {index} is {a.state}, not pending")
        return p, a

    # --- impact preview -------------------------------------------------------------

    def preview(self, plan_id: str, index: int) -> str:
        """Run generated read-only probes for a destructive command on its host and
        return what they printed (blocking: call it from a worker thread). Each probe is
        itself decided by the policy and runs only if a rule allows it without asking."""
        with self._lock:
            p = self._get(plan_id)
            if not 0 <= index < len(p.actions):
                raise BrokerError(f"plan {plan_id} has no action {index}")
            a = p.actions[index]
            probes = preview_probes(a.decision.argv)
        if not probes:
            return "no impact preview for this command (nothing destructive to measure)"
        text = "\n".join(self._probe(p.host, probe) for probe in probes)
        with self._lock:
            a.preview = text
            self._recorder.event("preview", id=p.id, action=index, probes=probes, output=text)
        self._notify(p)
        return text

    def _probe(self, host: str, probe: str) -> str:
        from aiperm_tui.ssh import CappedOutput

        d = self.decide(probe, host)
        if d.decision != "allow" or d.confirm != "none":
            return f"$ {probe}\n(not run: the policy does not allow it without asking)"
        out = CappedOutput(PREVIEW_CAP_BYTES)
        try:
            res = self._pool.run(
                host,
                self._remote(host, probe),
                lambda _s, data: out.feed(data),
                timeout=self._timeout(host) or 30.0,
            )
        except AipermError as exc:
            return f"$ {probe}\n(failed: {exc})"
        tail = f"(exit {res.exit_status})" if res.error is None else f"({res.error})"
        return f"$ {probe}\n{out.text()}{tail}"

    # --- execution ------------------------------------------------------------------

    def _after(self, p: _Plan) -> None:
        """After any transition: tell the UI; start or finish the plan when nothing is
        left for the operator."""
        with self._lock:
            ready = p.state == "pending" and not any(a.state == "pending" for a in p.actions)
            runnable = ready and any(a.state == "approved" for a in p.actions)
            if runnable:
                p.state = "running"
        self._notify(p)
        if runnable:
            self._worker(p.host).put(p)
        elif ready:
            self._finish(p)

    def _worker(self, host: str) -> queue.Queue[_Plan | None]:
        with self._lock:
            if host not in self._workers:
                q: queue.Queue[_Plan | None] = queue.Queue()
                t = threading.Thread(
                    target=self._work, args=(q,), daemon=True, name=f"broker-{host}"
                )
                self._workers[host] = (t, q)
                t.start()
            return self._workers[host][1]

    def _work(self, q: queue.Queue[_Plan | None]) -> None:
        while (p := q.get()) is not None:
            try:
                self._run_plan(p)
            except Exception as exc:  # a bug must not leave the agent waiting forever
                failure = f"broker failure: {exc!r}"
                self._recorder.event("error", message=failure, id=p.id)
                self._call(functools.partial(self._listener.error, failure))
                p.failure_code = p.failure_code or ExitCode.EXEC
            self._finish(p)

    def _run_plan(self, p: _Plan) -> None:
        for a in p.actions:
            started, stopped = self._start(p, a)
            if stopped:
                self._send(p, stopped)
                self._notify(p)
                return
            if started:
                self._execute(p, a)

    def _start(self, p: _Plan, a: _Action) -> tuple[bool, list[dict[str, Any]]]:
        """Mark an approved action running (True), unless the plan was stopped (cancelled,
        or an earlier failure under fail_fast): then skip what is left and return the
        replies. The check and the transition are one locked step: a cancel landing
        between them would find the action neither pending nor running, and it would
        run anyway."""
        with self._lock:
            if a.state != "approved":
                return False, []
            if p.stop.is_set():
                return False, self._skip(p, CANCELLED, ("approved",), "cancelled")
            if p.failure_code is not None and p.plan.strategy == "fail_fast":
                return False, self._skip(p, "skipped: an earlier action failed", ("approved",))
            a.exec_id, a.state = f"x{next(self._execs)}", "running"
            self._recorder.event(
                "exec_start",
                exec=a.exec_id,
                id=p.id,
                action=a.index,
                host=p.host,
                cmd=a.command,
                cwd=self._jail(p.host),
            )
            return True, []

    def _execute(self, p: _Plan, a: _Action) -> None:
        """Run an action `_start` marked running and report its result."""
        from aiperm_tui.ssh import CappedOutput

        exec_id, command = a.exec_id or "", a.command
        self._notify(p)
        self._call(lambda: self._listener.exec_started(exec_id, p.id, a.index, p.host, command))
        cap = self._config.output.agent_cap_bytes
        caps = {"stdout": CappedOutput(cap), "stderr": CappedOutput(cap)}

        def sink(stream: str, data: bytes) -> None:
            self._recorder.output(exec_id, stream, data)
            caps[stream].feed(data)
            self._call(lambda: self._listener.output(exec_id, stream, data))

        res, code = self._run_command(p.host, command, sink, a.cancel)
        self._conclude(p, a, res, code, caps)

    def _run_command(
        self, host: str, command: str, sink: Callable[[str, bytes], None], cancel: threading.Event
    ) -> tuple[ExecResult, int | None]:
        """Run on the pool; a connection/auth/host-key failure becomes a failed result
        carrying its exit code (6, or 5 for a refused host key)."""
        from aiperm_tui.ssh import ExecResult

        started = time.monotonic()
        try:
            res = self._pool.run(
                host, self._remote(host, command), sink, cancel=cancel, timeout=self._timeout(host)
            )
            return res, (None if res.ok else ExitCode.EXEC)
        except AipermError as exc:
            error, code = str(exc), int(exc.exit_code)
        except Exception as exc:  # the pool promises AipermErrors; report anything else
            error, code = f"execution failed: {exc!r}", ExitCode.EXEC
        self._recorder.event("error", message=error, code=code)
        self._call(lambda: self._listener.error(f"{host}: {error}"))
        ms = int((time.monotonic() - started) * 1000)
        return ExecResult(None, None, error, ms, 0, 0), code

    def _conclude(
        self, p: _Plan, a: _Action, res: ExecResult, code: int | None, caps: dict[str, Any]
    ) -> None:
        with self._lock:
            a.result, a.state = res, "done"
            if code is not None and p.failure_code is None:
                p.failure_code = code
            self._recorder.event(
                "exec_end",
                exec=a.exec_id,
                exit_status=res.exit_status,
                signal=res.signal,
                error=res.error,
                duration_ms=res.duration_ms,
                stdout_bytes=res.stdout_bytes,
                stderr_bytes=res.stderr_bytes,
            )
            truncated = caps["stdout"].truncated or caps["stderr"].truncated
            message = protocol.result(
                p.id,
                a.index,
                cmd=a.command,
                edited=a.edited is not None,
                exit_status=res.exit_status,
                stdout=caps["stdout"].text(),
                stderr=caps["stderr"].text(),
                truncated=truncated,
                duration_ms=res.duration_ms,
                error=res.error,
                signal=res.signal,
            )
        exec_id = a.exec_id or ""
        self._call(lambda: self._listener.exec_ended(exec_id, res))
        self._send(p, [message])
        self._recorder.event(
            "result_sent",
            id=p.id,
            action=a.index,
            exit_status=res.exit_status,
            truncated=truncated,
            edited=a.edited is not None,
        )
        self._notify(p)

    def _jail(self, host: str) -> str | None:
        """The host's jail_root, as the policy engine looks it up."""
        host_cfg = self._config.hosts.get(host)
        return host_cfg.jail_root if host_cfg else None

    def _remote(self, host: str, command: str) -> str:
        """The text sent to `host`. On a jailed host the command starts in the jail root,
        because that is where the policy resolved its relative paths (`rm -rf build` was
        judged as JAIL/build; run from the login directory it would delete ~/build). It is
        `cd JAIL || exit` on a line of its own rather than `cd JAIL && CMD`: with `&&` a
        failing cd would still let the rest of a list run (`cd J && a; b` runs b), while
        here the command runs as its own lines, parsed exactly as it was judged, or not at
        all."""
        jail = self._jail(host)
        return command if jail is None else f"cd {shlex.quote(jail)} || exit\n{command}"

    def _timeout(self, host: str) -> float | None:
        per_host = self._config.host(host).command_timeout
        seconds = per_host if per_host is not None else self._config.ssh.command_timeout
        return seconds or None

    def _finish(self, p: _Plan) -> None:
        with self._lock:
            if p.state == "finished":
                return
            p.status, p.exit_code = _outcome(p)
            p.state = "finished"
            self._recorder.event("plan_end", id=p.id, status=p.status, exit_code=p.exit_code)
            self._let_go(p)
        self._send(p, [protocol.plan_result(p.id, p.status, p.exit_code)])  # type: ignore[arg-type]
        p.done.set()
        view = p.view()
        self._call(lambda: self._listener.plan_finished(view))

    def _let_go(self, p: _Plan) -> None:
        """A plan finished: off the open list; the oldest finished one beyond
        FINISHED_KEPT is forgotten, so a long session's memory stays bounded."""
        self._open.pop(p.id, None)
        self._finished.append(p.id)
        if len(self._finished) > FINISHED_KEPT:
            self._plans.pop(self._finished.popleft(), None)

    # --- plumbing ---------------------------------------------------------------------

    def _send(self, p: _Plan, messages: list[dict[str, Any]]) -> None:
        """Replies to the asker, in order; a gone asker must not break the broker."""
        with p.send_lock:
            for message in messages:
                try:
                    p.reply(message)
                except Exception as exc:
                    self._recorder.event("error", message=f"reply failed: {exc!r}", id=p.id)
                    return

    def _notify(self, p: _Plan) -> None:
        with self._lock:
            view = p.view()
        self._call(lambda: self._listener.plan_changed(view))

    def _call(self, callback: Callable[[], None]) -> None:
        """A listener callback; its bug is logged, never allowed to stop a command."""
        try:
            callback()
        except Exception as exc:
            self._recorder.event("error", message=f"listener failed: {exc!r}")

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop: pending plans are cancelled, running commands are cancelled, the host
        workers end. New requests are refused. The recorder is the caller's to close."""
        with self._lock:
            self._closed = True
            self._record_refusals(self._refusals.flush())
            live = list(self._open)
        with self._recorder.one_sync():  # one fsync for every pending action's deny
            for plan_id in live:
                try:
                    self.cancel(plan_id)
                except BrokerError:
                    continue  # finished meanwhile
        with self._lock:
            workers = list(self._workers.values())
        for _, q in workers:
            q.put(None)
        deadline = time.monotonic() + timeout
        for t, _ in workers:
            t.join(max(0.0, deadline - time.monotonic()))


def _outcome(p: _Plan) -> tuple[str, int]:
    """A plan's status and exit code (precedence in the package docstring)."""
    if p.failure_code is not None:
        return "failed", int(p.failure_code)
    if any(a.denied_by == "policy" for a in p.actions):
        return "denied", int(ExitCode.DENIED)
    if any(a.denied_by in ("human", "system") for a in p.actions):
        return "refused", int(ExitCode.REFUSED)
    return "ok", int(ExitCode.OK)
