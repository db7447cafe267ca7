"""Turning requests and decisions into styled `Content`, from plain data only.

Nothing here talks to the broker: the live review pane and the replay screen both feed
these functions with `broker.model.PlanView`s, plain frozen snapshots (taken from the
broker, or rebuilt from the recorded `request`/`decision` events). Agent text is never
parsed as markup: it is escaped with `textsafe.escape_control`, put into `Content` as
plain text, and styled with `stylize(start, end)` at the finding spans, mapped through
the escaping.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from textual.content import Content

from aiperm_tui.textsafe import escape_control

if TYPE_CHECKING:
    from aiperm_tui.broker.model import ActionView, PlanView
    from aiperm_tui.policy import Decision, Finding
    from aiperm_tui.ssh import ExecResult

SEVERITY_ORDER = ("info", "low", "medium", "high", "critical")
CONFIRM_ORDER = ("none", "plan", "action", "typed")

# Theme variables only, so every theme (ours and Textual's built-ins) can render them.
SEVERITY_STYLE = {
    "critical": "bold $text-error on $error-muted underline",
    "high": "bold $text-error underline",
    "medium": "bold $text-warning",
    "low": "$text-accent",
    "info": "italic $text-primary",
}
CONFIRM_STYLE = {
    "none": "$text-success",
    "plan": "$text-success",
    "action": "bold $text-warning",
    "typed": "bold $text-error",
}
STATUS_STYLE = {
    "pending": "$text-accent",
    "approved": "$text-success",
    "running": "bold $text-primary",
    "done": "$text-success",
    "failed": "bold $text-error",
    "denied": "bold $text-error",
    "cancelled": "$text-muted",
    "skipped": "$text-muted",
}


def plan_risk(plan: PlanView) -> int:
    """The worst risk score of a plan's actions."""
    return max((a.decision.risk.score for a in plan.actions if a.decision), default=0)


def plan_confirm(plan: PlanView) -> str:
    """The strictest confirmation level any of its actions needs."""
    return max(
        (a.decision.confirm for a in plan.actions if a.decision),
        key=CONFIRM_ORDER.index,
        default="none",
    )


def plan_denied(plan: PlanView) -> bool:
    """Whether the policy denies any of its actions."""
    return any(a.decision and a.decision.decision == "deny" for a in plan.actions)


def escape_with_offsets(text: str) -> tuple[str, list[int]]:
    """Escape `text` for a one-line view and map each original offset to the escaped one.

    `offsets[i]` is where original character i starts in the escaped string, and
    `offsets[len(text)]` is the escaped length, so a span [s, e) maps to
    [offsets[s], offsets[e]).
    """
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    for ch in text:
        offsets.append(pos)
        shown = escape_control(ch, keep_newlines=False)
        parts.append(shown)
        pos += len(shown)
    offsets.append(pos)
    return "".join(parts), offsets


def worst_severity(findings: Iterable[Finding]) -> str | None:
    """The most severe severity among `findings`."""
    sevs = [f.severity for f in findings]
    return max(sevs, key=SEVERITY_ORDER.index, default=None)


def highlight_command(cmd: str, findings: Sequence[Finding] = ()) -> Content:
    """The command, escaped, with each finding's span styled by its severity.

    Spans are applied from the least to the most severe so the worst style wins where
    findings overlap; spans outside the command are clipped, never an error.
    """
    shown, offsets = escape_with_offsets(cmd)
    content = Content(shown)
    ordered = sorted(findings, key=lambda f: SEVERITY_ORDER.index(f.severity))
    for finding in ordered:
        start, end = finding.span
        start, end = max(0, min(start, len(cmd))), max(0, min(end, len(cmd)))
        if end > start:
            content = content.stylize(
                SEVERITY_STYLE[finding.severity], offsets[start], offsets[end]
            )
    return content


# Badges are solid chips, their own text and background: a badge styled only by its text
# colour would sit on whatever the row's background is, and on the selected row (the
# theme's primary colour) that fell to 1.35:1. A chip keeps its contrast in every row
# state; tests/tui/test_tui_contrast.py checks it for every theme.
BADGE_STYLE = {
    "none": "$background on $success",
    "plan": "$background on $success",
    "action": "bold $background on $warning",
    "typed": "bold $background on $error",
}


def risk_badge(score: int, confirm: str, denied: bool = False) -> Content:
    """A short coloured chip: the risk score and the confirmation it needs."""
    if denied:
        return Content.styled(f" {score:>3} DENY  ", "bold underline $background on $error")
    label = {"none": "ok", "plan": "plan", "action": "confirm", "typed": "TYPED"}[confirm]
    return Content.styled(f" {score:>3} {label:<7}", BADGE_STYLE[confirm])


def badge(plan: PlanView) -> Content:
    """The risk badge of a whole plan."""
    return risk_badge(plan_risk(plan), plan_confirm(plan), plan_denied(plan))


def queue_line(request: PlanView) -> Content:
    """One row of the queue: badge, id, host and the goal or first command."""
    first = request.actions[0].command if request.actions else ""
    what = request.goal or first
    more = f" (+{len(request.actions) - 1})" if len(request.actions) > 1 else ""
    text = escape_control(f" {request.id} @{request.host} {what}", keep_newlines=False)
    return Content.assemble(
        badge(request),
        Content(text[:200]),
        Content.styled(more, "$text-muted"),
    )


def approval_note(action: ActionView) -> Content | None:
    """Who let the action run, or who stopped it: "allowed by rule preset:ops_safe" for a
    command that ran without asking (the decision's layer names the rule or preset)."""
    if action.approved_by == "rule":
        layer = (
            escape_control(action.decision.layer, keep_newlines=False)
            if action.decision
            else "a rule"
        )
        return Content.assemble(
            Content.styled("ran without asking: ", "bold $text-warning"), f"allowed by {layer}"
        )
    if action.approved_by in ("human", "batch"):
        how = "the operator" if action.approved_by == "human" else "the operator (batch: A)"
        return Content.styled(f"approved by {how}", "$text-success")
    if action.denied_by is not None:
        return Content.styled(f"denied by {action.denied_by}", "$text-error")
    return None


def allowed_by(plan: PlanView) -> str:
    """Short who-allowed-it of a plan for a history row: the rule layer, "operator",
    "denied" or the plan's state."""
    for action in plan.actions:
        if action.approved_by == "rule" and action.decision is not None:
            return f"rule {action.decision.layer}"
    if any(a.denied_by for a in plan.actions):
        return "denied"
    if any(a.approved_by in ("human", "batch") for a in plan.actions):
        return "operator"
    return plan.state


def history_line(plan: PlanView) -> Content:
    """One row of the history: the queue row, then who allowed it and how it ended."""
    ended = f" → {plan.status}" if plan.status else f" ({plan.state})"
    who = escape_control(allowed_by(plan), keep_newlines=False)
    # a chip, like the risk badge, so it keeps its contrast on the selected row; the
    # others in the row's own colour for the same reason
    style = "bold $background on $warning" if who.startswith("rule ") else ""
    return Content.assemble(queue_line(plan), "  ", Content.styled(f"[{who}]", style), ended)


def _label(name: str) -> Content:
    return Content.styled(f"{name:<10}", "bold $text-secondary")


def _decision_lines(decision: Decision | None) -> list[Content]:
    """Verdict, risk, reason, findings and suggestions; a replayed log may lack them."""
    if decision is None:
        return [Content.styled("   (no policy decision recorded)", "$text-muted")]
    verdict = "DENY" if decision.decision == "deny" else f"confirm: {decision.confirm}"
    style = "bold $text-error" if decision.decision == "deny" else CONFIRM_STYLE[decision.confirm]
    lines = [
        Content.assemble(
            "   ",
            Content.styled(verdict, style),
            f"  risk {decision.risk.score}/100  blast radius: {decision.risk.blast_radius}",
            Content.styled(
                f"  ({escape_control(decision.layer, keep_newlines=False)})", "$text-muted"
            ),
        )
    ]
    if decision.reason and all(f.message != decision.reason for f in decision.findings):
        lines.append(
            Content.assemble(
                "   ",
                Content.styled("reason: ", "$text-muted"),
                escape_control(decision.reason, keep_newlines=False),
            )
        )
    for f in sorted(decision.findings, key=lambda f: -SEVERITY_ORDER.index(f.severity)):
        lines.append(
            Content.assemble(
                "   ",
                Content.styled(f"{f.severity:<8}", SEVERITY_STYLE[f.severity]),
                Content.styled(f" {f.rule}: ", "$text-muted"),
                escape_control(f.message, keep_newlines=False),
            )
        )
    for suggestion in decision.suggestions:
        lines.append(
            Content.assemble(
                "   ",
                Content.styled("try: ", "$text-success"),
                escape_control(suggestion, keep_newlines=False),
            )
        )
    return lines


def action_lines(action: ActionView, numbered: bool, current: bool = False) -> list[Content]:
    """The lines describing one action: command, decision, findings, suggestions, outcome.

    `action.decision` may be None for a replayed log that lacks the decision event."""
    marker = Content.styled("▶ " if current else "  ", "bold $text-accent")
    head = Content.styled(f"#{action.index + 1} " if numbered else "", "bold")
    status = Content.styled(f"[{action.state}] ", STATUS_STYLE.get(action.state, ""))
    findings = action.decision.findings if action.decision else ()
    lines = [
        Content.assemble(
            marker,
            head,
            status,
            Content.styled("$ ", "bold $text-muted"),
            highlight_command(action.command, findings),
        )
    ]
    if action.edited is not None:
        lines.append(
            Content.assemble(
                "   ", Content.styled("edited from: ", "$text-muted"), highlight_command(action.cmd)
            )
        )
    lines += _decision_lines(action.decision)
    note = approval_note(action)
    if note is not None:
        lines.append(Content.assemble("   ", note))
    if action.message:
        lines.append(
            Content.assemble(
                "   ",
                Content.styled("note: ", "$text-muted"),
                escape_control(action.message, keep_newlines=False),
            )
        )
    if action.result is not None:
        lines.append(Content.styled(f"   {result_summary(action.result)}", "$text-muted"))
    if action.preview:
        lines.append(Content.styled("   impact preview:", "bold $text-primary"))
        lines.extend(
            Content("     " + escape_control(line).expandtabs(8))
            for line in action.preview.splitlines()[:40]
        )
    return lines


def result_summary(result: ExecResult) -> str:
    """One line on how a command ended."""
    if result.error:
        how = escape_control(result.error, keep_newlines=False)
    elif result.signal:
        how = f"killed by {result.signal}"
    else:
        how = f"exit {result.exit_status}"
    return f"{how} in {result.duration_ms} ms, {result.stdout_bytes + result.stderr_bytes} bytes"


def request_detail(request: PlanView | None, current: int | None = None) -> Content:
    """The full description of the selected request for the review pane."""
    return Content("\n").join(detail_lines(request, current)[0])


def detail_lines(
    request: PlanView | None, current: int | None = None
) -> tuple[list[Content], slice]:
    """The lines of `request_detail`, and which of them are the current action of a plan
    (an empty slice for a single command): the pane scrolls them into view."""
    if request is None:
        return [Content.styled("No request selected. Waiting for the agent…", "$text-muted")], (
            slice(0, 0)
        )
    lines = [
        Content.assemble(
            _label("request"),
            Content.styled(request.id, "bold"),
            Content.styled(f"  ({request.source}, {request.strategy})", "$text-muted"),
            "  ",
            badge(request),
        ),
        Content.assemble(
            _label("host"),
            Content.styled(escape_control(request.host, keep_newlines=False), "bold $text-primary"),
        ),
    ]
    if request.goal:
        lines.append(
            Content.assemble(_label("goal"), escape_control(request.goal, keep_newlines=False))
        )
    numbered = len(request.actions) > 1
    if numbered:
        lines.append(Content.styled(f"plan of {len(request.actions)} actions:", "bold"))
    shown = slice(0, 0)
    for action in request.actions:
        lines.append(Content(""))
        is_current = numbered and action.index == current
        block = action_lines(action, numbered, current=is_current)
        if is_current:
            shown = slice(len(lines), len(lines) + len(block))
        lines.extend(block)
    return lines, shown
