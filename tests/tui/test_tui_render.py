"""The review pane's rendering: spans land on the right characters, even after escaping,
and agent text is never interpreted as markup."""

from __future__ import annotations

from aiperm_tui.broker.model import ActionView, PlanView
from aiperm_tui.policy.model import Decision, Finding, Risk
from aiperm_tui.tui.render import (
    escape_with_offsets,
    highlight_command,
    plan_confirm,
    plan_risk,
    request_detail,
)


def _action(index: int, cmd: str, decision: Decision) -> ActionView:
    return ActionView(index, cmd, None, decision, "pending", decision.confirm)


def _styled(content, style_part: str) -> list[str]:
    """The plain text of every span whose style mentions `style_part`."""
    return [content.plain[s.start : s.end] for s in content.spans if style_part in str(s.style)]


def test_offsets_map_spans_through_escapes() -> None:
    shown, offsets = escape_with_offsets("a\x1bb\u202ec")
    assert shown == "a\\eb\\u202ec"
    assert shown[offsets[2] : offsets[3]] == "b"
    assert shown[offsets[3] : offsets[4]] == "\\u202e"
    assert offsets[-1] == len(shown)


def test_finding_after_control_char_highlights_the_dangerous_part() -> None:
    cmd = "echo \x1b[2J; rm -rf /"
    start = cmd.index("rm")
    content = highlight_command(
        cmd, [Finding("rm.root", "critical", "deletes /", (start, len(cmd)))]
    )
    assert content.plain == "echo \\e[2J; rm -rf /"
    assert _styled(content, "error-muted") == ["rm -rf /"]


def test_worst_severity_wins_where_spans_overlap() -> None:
    cmd = "sudo rm -rf /srv"
    findings = [
        Finding("wrap", "low", "sudo", (0, len(cmd))),
        Finding("rm", "critical", "rm", (5, len(cmd))),
    ]
    content = highlight_command(cmd, findings)
    # the critical style is applied last, so it is on top for the rm part
    assert content.spans[-1].style.startswith("bold $text-error on")
    assert content.plain[content.spans[-1].start : content.spans[-1].end] == "rm -rf /srv"


def test_out_of_range_spans_are_clipped_not_fatal() -> None:
    content = highlight_command(
        "ls", [Finding("x", "high", "m", (1, 99)), Finding("y", "high", "m", (50, 60))]
    )
    assert [content.plain[s.start : s.end] for s in content.spans] == ["s"]


def test_markup_in_agent_text_stays_literal() -> None:
    decision = Decision(
        "allow",
        "action",
        "preset:ops_safe",
        "[b]reason[/b]",
        Risk(40, "tree"),
        findings=(Finding("r", "medium", "[red]boom[/red]", (0, 4)),),
        suggestions=("[link=x]y[/link]",),
    )
    request = PlanView(
        "p1",
        "web[1]",
        "goal [i]x[/i]",
        "fail_fast",
        "agent",
        (_action(0, "echo [bold]hi[/bold]", decision),),
        "pending",
    )
    plain = request_detail(request).plain
    for literal in (
        "[b]reason[/b]",
        "[red]boom[/red]",
        "[link=x]y[/link]",
        "web[1]",
        "goal [i]x[/i]",
        "echo [bold]hi[/bold]",
    ):
        assert literal in plain


def test_plan_lists_every_action_and_the_strictest_confirm() -> None:
    low = Decision("allow", "none", "preset:ops_safe", "read", Risk(5, "single"))
    high = Decision("allow", "typed", "preset:ops_safe", "deletes", Risk(85, "tree"))
    request = PlanView(
        "p2",
        "web1",
        "rotate",
        "fail_fast",
        "agent",
        (_action(0, "du -sh logs", low), _action(1, "rm -rf logs/old", high)),
        "pending",
    )
    plain = request_detail(request, current=1).plain
    assert "#1" in plain and "#2" in plain and "▶ #2" in plain and "rm -rf logs/old" in plain
    assert plan_confirm(request) == "typed" and plan_risk(request) == 85


def test_an_edit_shows_both_commands() -> None:
    decision = Decision("allow", "action", "preset:ops_safe", "", Risk(30, "single"))
    action = ActionView(0, "rm -rf logs", "rm -rf logs/old", decision, "pending", "action")
    plain = request_detail(
        PlanView("p3", "h", "", "fail_fast", "agent", (action,), "pending")
    ).plain
    assert "$ rm -rf logs/old" in plain and "edited from: rm -rf logs" in plain
