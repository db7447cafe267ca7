"""What the broker shows its front ends: immutable views, the listener, its errors.

Views are frozen snapshots taken under the broker's lock, so a UI can hold and render
them on its own thread while the broker moves on; a later `plan_changed` brings a newer
snapshot of the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from aiperm_tui.errors import AipermError, ExitCode

if TYPE_CHECKING:
    from aiperm_tui.policy import Decision
    from aiperm_tui.ssh import ExecResult

ActionState = Literal["pending", "approved", "denied", "running", "done", "cancelled", "skipped"]
PlanState = Literal["pending", "running", "finished"]
PlanStatus = Literal["ok", "denied", "refused", "failed"]
ApprovedBy = Literal["human", "rule", "batch", "cli_flag"]
DeniedBy = Literal["human", "rule", "policy", "system"]
OriginKind = Literal["human", "rule", "grant", "batch", "cli_flag", "policy", "system"]
REMEMBERED_LAYER = "rule:remembered:"  # the policy layer of a rule the operator remembered


@dataclass(frozen=True)
class Origin:
    """Who made a decision, as the log and the agent are told (docs/log-format.md,
    "Decision origins"). `kind`: a person (`human`: a key in the TUI, an answer on
    `aiperm run`'s terminal), a `rule` of the policy or config, a remembered `grant`,
    the `batch` key, a `cli_flag` (`aiperm run --yes`: nobody answered), the `policy`
    (deny), or the `system` (skipped, cancelled, no terminal). `via` says exactly
    how: the key and its action ("key a: approve"), "terminal", "--yes", the policy
    layer ("preset:ops_safe", "rule:remembered:0")."""

    kind: str
    via: str | None = None

    @classmethod
    def of_rule(cls, layer: str) -> Origin:
        """A rule's approval: a remembered grant or any other rule."""
        return cls("grant" if layer.startswith(REMEMBERED_LAYER) else "rule", layer)

    def fields(self) -> dict[str, str | None]:
        """The event fields that carry it."""
        return {"origin": self.kind, "via": self.via}


@dataclass(frozen=True)
class ActionView:
    """One action of a plan as the broker sees it now.

    `decision` is the policy decision of the command as it will run (re-analysed after an
    edit); `needs` is the confirmation still missing ("none" once approved or decided);
    `command` is what runs (`edited` when the operator changed it, else `cmd`)."""

    index: int
    cmd: str
    edited: str | None
    decision: Decision
    state: ActionState
    needs: str
    approved_by: ApprovedBy | None = None
    denied_by: DeniedBy | None = None
    message: str | None = None  # the operator's deny message, or why it was skipped
    exec_id: str | None = None
    result: ExecResult | None = None
    preview: str | None = None
    origin: Origin | None = None  # who decided, once someone or something did

    @property
    def command(self) -> str:
        return self.edited if self.edited is not None else self.cmd


@dataclass(frozen=True)
class PlanView:
    """A plan: its request fields, every action, and where it is in its life."""

    id: str
    host: str
    goal: str
    strategy: str
    source: str
    actions: tuple[ActionView, ...]
    state: PlanState
    status: PlanStatus | None = None  # set when finished
    exit_code: int | None = None

    @property
    def awaiting(self) -> tuple[ActionView, ...]:
        """Actions still waiting for a human (what the review pane lists)."""
        return tuple(a for a in self.actions if a.state == "pending")


class BrokerListener:
    """Callbacks from the broker, made from ANY thread (the caller's, a host worker's):
    a UI must marshal them onto its own loop (Textual: `app.call_from_thread`). Subclass
    and override what you need; every default does nothing. Callbacks must not block and
    must not call back into the broker synchronously (post a message instead)."""

    def plan_changed(self, plan: PlanView) -> None:
        """A plan was added, or one of its actions changed state."""

    def exec_started(self, exec_id: str, plan_id: str, index: int, host: str, cmd: str) -> None:
        """A command starts on `host`."""

    def output(self, exec_id: str, stream: str, data: bytes) -> None:
        """A chunk of a running command's stdout or stderr (uncapped: batch it)."""

    def exec_ended(self, exec_id: str, result: ExecResult) -> None:
        """A command finished (exit, signal, timeout, cancel, lost connection)."""

    def plan_finished(self, plan: PlanView) -> None:
        """A plan ended; `plan.status`/`plan.exit_code` say how."""

    def error(self, message: str) -> None:
        """Something went wrong that the operator should see (a connection failure...)."""


class BrokerError(AipermError):
    """A front end asked for something impossible: unknown plan or action, an action
    that is not pending, an edit the policy denies. Nothing changed."""

    exit_code = ExitCode.USAGE


class Overloaded(BrokerError):
    """A request over the limits (limits.max_open_requests, the request rate): refused
    whole with a protocol error (code 5), nothing of it queued or decided."""


class WrongCode(BrokerError):
    """The typed challenge code did not match: the action stays pending, nothing is
    recorded as approved."""

    exit_code = ExitCode.REFUSED
