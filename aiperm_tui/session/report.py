"""The compliance report over recorded sessions: Markdown, self-contained HTML, JSON.

Per session: who ran it (local user, host name), the agent, target hosts, the agent's
isolation level, commands requested, approved (by a human, a rule, in a batch), edited,
denied, high-risk commands (risk score >= 70 or a typed confirmation) and how each was
confirmed, failures, the agent's side (lines it showed, lines not recorded, messages
from the operator, tool permission prompts and answers), whether the anchor hook was on
and what became of it (from the session index), and the verification result. Before
all that, an integrity section: the session index checked against the session folders as
`aiperm sessions --verify` does (a deleted, truncated or rewritten session, a rolled-back
index) and every session of the report that fails verification; `aiperm report` exits 1 when
it lists anything, so a report can never read "2 sessions" over a third that was deleted
with no trace. Then a table mapping that evidence to SOC 2 and ISO/IEC 27001:2022 Annex
A controls. The evidence is counted from the logs; the mapping says which control each
kind of evidence supports, it does not claim the control is met.

Everything from the logs is hostile text: HTML escapes it all, Markdown shows control
characters as escapes and escapes table pipes.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiperm_tui.session import ledger
from aiperm_tui.session.audit import check_sessions
from aiperm_tui.session.keys import AuditKey, KeyRing
from aiperm_tui.session.store import SessionInfo, read_events
from aiperm_tui.session.verify import VerifyResult, verify_session
from aiperm_tui.textsafe import escape_control

HIGH_RISK_SCORE = 70

CONTROLS: tuple[tuple[str, str, str, str], ...] = (
    # (framework, control, title, which evidence supports it: a key of the totals)
    ("SOC 2", "CC6.1", "Logical access security", "decisions"),
    ("SOC 2", "CC6.2", "Access is authorised before it is granted", "approved"),
    ("SOC 2", "CC6.3", "Access is authorised, modified or removed by role and need", "denied"),
    ("SOC 2", "CC7.2", "System components are monitored for anomalies", "high_risk"),
    ("SOC 2", "CC8.1", "Changes are authorised and approved before they are made", "edited"),
    ("ISO/IEC 27001:2022", "A.5.15", "Access control", "decisions"),
    ("ISO/IEC 27001:2022", "A.8.2", "Privileged access rights", "high_risk"),
    ("ISO/IEC 27001:2022", "A.8.15", "Logging", "verified"),
    ("ISO/IEC 27001:2022", "A.8.16", "Monitoring activities", "commands_run"),
)

EVIDENCE = {
    "decisions": "every requested command got a recorded policy decision before it could run",
    "approved": "commands ran only after an approval by a human, a remembered rule or a batch",
    "denied": "commands refused by the operator or by policy, with the reason",
    "high_risk": "high-risk commands flagged (risk score, findings) and how they were confirmed",
    "edited": "commands the operator edited before approving, with the original",
    "verified": "HMAC-chained, append-only session logs and their verification result",
    "commands_run": "every command run, its output and exit status, with timestamps",
}


@dataclass
class SessionReport:
    """What the report says about one session."""

    info: SessionInfo
    verification: dict[str, Any]
    decisions: int = 0
    approved: dict[str, int] = field(default_factory=lambda: {"human": 0, "rule": 0, "batch": 0})
    edited: list[dict[str, Any]] = field(default_factory=list)
    denied: list[dict[str, Any]] = field(default_factory=list)
    high_risk: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    permissions: dict[str, int] = field(default_factory=lambda: {"allowed": 0, "denied": 0})
    anchor: str = "off"

    def to_dict(self) -> dict[str, Any]:
        data = self.info.to_dict()
        data.update({k: v for k, v in self.__dict__.items() if k != "info"})
        return data


def _outcome(
    action_key: tuple[Any, Any],
    approvals: dict[tuple[Any, Any], dict[str, Any]],
    denials: dict[tuple[Any, Any], dict[str, Any]],
) -> str:
    if action_key in approvals:
        ev = approvals[action_key]
        return f"approved by {ev.get('by')} (confirm: {ev.get('confirm')})"
    if action_key in denials:
        ev = denials[action_key]
        return f"denied by {ev.get('by')}"
    return "not decided"


def _anchor_state(info: SessionInfo, start: dict[str, Any], anchors: dict[str, str]) -> str:
    """Whether the anchor hook was on for this session (its authenticated session_start
    says) and the outcome the index recorded."""
    argv = start.get("anchor")
    if start and not argv:
        return "off"
    if not argv:  # nothing authenticated to read it from
        return "unknown (format 2 log)" if info.format < 3 else "unknown (the log does not verify)"
    shown = " ".join(str(a) for a in argv)
    outcome = anchors.get(
        info.id, "no outcome recorded (the broker stopped first, or the session is not sealed)"
    )
    return f"{shown}: {outcome}"


def _anchor_outcomes(sessions: list[SessionInfo], ring: KeyRing) -> dict[str, str]:
    """Per session id, the anchor outcomes in the index of each sessions folder: the
    start's and the seal's (entries without `at` are seals)."""
    found: dict[str, dict[str, str]] = {}
    for root in {info.path.parent for info in sessions}:
        for entry in ledger.read_ledger(root, ring).entries:
            if entry.get("type") == "anchor":
                state = "anchored" if entry.get("ok") else "FAILED"
                at = "start" if entry.get("at") == "start" else "seal"
                outcome = f"{state} ({entry.get('detail')})"
                found.setdefault(str(entry.get("session")), {})[at] = outcome
    return {
        session: "; ".join(f"{at} {outcome}" for at, outcome in sorted(by.items(), reverse=True))
        for session, by in found.items()
    }


def _collect(
    info: SessionInfo, key: AuditKey | KeyRing | None, anchors: dict[str, str]
) -> tuple[SessionReport, VerifyResult]:
    result = verify_session(info.path, key)
    rep = SessionReport(
        info,
        {
            "ok": result.ok,
            "problem": result.problem,
            "first_bad_seq": result.first_bad_seq,
            "message": result.message,
        },
    )
    risky: list[dict[str, Any]] = []
    approvals: dict[tuple[Any, Any], dict[str, Any]] = {}
    denials: dict[tuple[Any, Any], dict[str, Any]] = {}
    runs: dict[Any, dict[str, Any]] = {}
    for ev in read_events(info.path):
        kind, where = ev.get("type"), (ev.get("id"), ev.get("action"))
        if kind == "decision":
            rep.decisions += 1
            score = int((ev.get("risk") or {}).get("score", 0))
            if score >= HIGH_RISK_SCORE or ev.get("confirm") == "typed":
                risky.append(
                    {
                        "id": ev.get("id"),
                        "action": ev.get("action"),
                        "cmd": ev.get("cmd"),
                        "score": score,
                        "confirm": ev.get("confirm"),
                        "findings": [f.get("rule") for f in ev.get("findings") or []],
                    }
                )
        elif kind == "approval":
            approvals[where] = ev
            by = str(ev.get("by"))
            rep.approved[by] = rep.approved.get(by, 0) + 1
            if ev.get("original") is not None:
                rep.edited.append({"cmd": ev.get("cmd"), "original": ev.get("original"), "by": by})
        elif kind == "deny":
            denials[where] = ev
            rep.denied.append(
                {
                    "cmd": ev.get("cmd"),
                    "by": ev.get("by"),
                    "reason": ev.get("reason"),
                    "message": ev.get("message"),
                }
            )
        elif kind == "exec_start":
            runs[ev.get("exec")] = ev
        elif kind == "exec_end" and (ev.get("exit_status") != 0 or ev.get("error")):
            start = runs.get(ev.get("exec"), {})
            rep.failures.append(
                {
                    "cmd": start.get("cmd"),
                    "host": start.get("host"),
                    "exit_status": ev.get("exit_status"),
                    "signal": ev.get("signal"),
                    "error": ev.get("error"),
                }
            )
        elif kind == "error":
            rep.errors.append(str(ev.get("message")))
        elif kind == "permission_answer":
            rep.permissions["allowed" if ev.get("allow") else "denied"] += 1
    rep.anchor = _anchor_state(info, result.start, anchors)
    for item in risky:
        item["outcome"] = _outcome((item["id"], item["action"]), approvals, denials)
    rep.high_risk = risky
    return rep, result


def _integrity(
    root: Path | None, ring: KeyRing, results: dict[str, VerifyResult]
) -> dict[str, Any]:
    """The integrity section: the index of `root` against its folders (every folder, not
    only the report's date range: a deletion must not hide behind a range), and the
    report's sessions that fail verification."""
    findings = check_sessions(root, ring, results) if root is not None else []
    failed = [
        {"session": sid, "problem": r.problem or "failed", "message": r.message}
        for sid, r in results.items()
        if not r.ok
    ]
    return {
        "index": str(root) if root is not None else None,
        "ok": not findings and not failed,
        "findings": [
            {"problem": f.problem, "session": f.session, "message": f.message} for f in findings
        ],
        "failed_verification": failed,
    }


def _parse_when(text: str | None, *, end: bool) -> datetime | None:
    """A --since/--until value: a date (an --until date includes that whole day) or a time."""
    if not text:
        return None
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if end and len(text) == 10:
        when = when.replace(hour=23, minute=59, second=59, microsecond=999999)
    return when


def _started(info: SessionInfo) -> datetime | None:
    try:
        return datetime.fromisoformat(info.start)
    except ValueError:
        return None


def build_report(
    sessions: list[SessionInfo],
    key: AuditKey | KeyRing | None,
    *,
    since: str | None = None,
    until: str | None = None,
    root: Path | None = None,
) -> dict[str, Any]:
    """The report as data (the JSON format); ValueError for a date that does not parse.

    `root`: the sessions folder whose index is cross-checked (None: no index check)."""
    lo, hi = _parse_when(since, end=False), _parse_when(until, end=True)
    picked = [
        info
        for info in sessions
        if (start := _started(info)) is not None
        and not (lo and start < lo)
        and not (hi and start > hi)
    ]
    ring = KeyRing.of(key)
    anchors = _anchor_outcomes(picked, ring)
    collected = [_collect(info, ring, anchors) for info in picked]
    chosen = [rep for rep, _ in collected]
    integrity = _integrity(root, ring, {rep.info.id: res for rep, res in collected})
    totals = {
        "sessions": len(chosen),
        "decisions": sum(r.decisions for r in chosen),
        "approved": sum(sum(r.approved.values()) for r in chosen),
        "denied": sum(len(r.denied) for r in chosen),
        "high_risk": sum(len(r.high_risk) for r in chosen),
        "edited": sum(len(r.edited) for r in chosen),
        "verified": sum(1 for r in chosen if r.verification["ok"]),
        "commands_run": sum(r.info.commands_run for r in chosen),
        "agent_lines": sum(r.info.agent_lines for r in chosen),
        "operator_messages": sum(r.info.operator_messages for r in chosen),
        "permission_prompts": sum(r.info.permission_prompts for r in chosen),
        "anchored": sum(1 for r in chosen if "seal anchored (" in r.anchor),
        "integrity_problems": len(integrity["findings"]) + len(integrity["failed_verification"]),
    }
    controls = [
        {
            "framework": fw,
            "control": ctl,
            "title": title,
            "evidence": EVIDENCE[ev],
            "count": totals[ev],
            "of": ev,
        }
        for fw, ctl, title, ev in CONTROLS
    ]
    return {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "since": since,
        "until": until,
        "totals": totals,
        "integrity": integrity,
        "controls": controls,
        "sessions": [r.to_dict() for r in chosen],
    }


# -- rendering ---------------------------------------------------------------------------


def render_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, default=str) + "\n"


def _md(value: Any) -> str:
    text = escape_control(str(value if value is not None else ""), keep_newlines=False)
    return text.replace("|", "\\|")


def _code(value: Any) -> str:
    text = _md(value)
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _session_facts(s: dict[str, Any]) -> list[tuple[str, str]]:
    approved = s["approved"]
    return [
        ("Local user", f"{s['user']} on {s['hostname']}"),
        ("Agent", " ".join(str(a) for a in s["agent"])),
        ("Target hosts", ", ".join(str(h) for h in s["hosts"])),
        ("Agent isolation", str(s["isolation"])),
        ("Start / end", f"{s['start']} / {s['end'] or 'not closed'}"),
        ("Commands requested", str(s["commands_requested"])),
        ("Commands run", str(s["commands_run"])),
        (
            "Approved",
            f"{approved.get('human', 0)} by a human, {approved.get('rule', 0)} by a "
            f"rule, {approved.get('batch', 0)} in a batch",
        ),
        ("Edited", str(len(s["edited"]))),
        ("Denied", str(len(s["denied"]))),
        ("Failures", str(len(s["failures"]) + len(s["errors"]))),
        (
            "Agent side",
            f"{s['agent_lines']} lines shown ({s['agent_lines_dropped']} more not "
            f"recorded: over the rate cap), {s['operator_messages']} messages from "
            f"the operator, {s['permission_prompts']} tool permission prompts "
            f"({s['permissions']['allowed']} allowed, "
            f"{s['permissions']['denied']} denied)",
        ),
        ("Anchor hook", str(s["anchor"])),
        (
            "Verification",
            s["verification"]["message"]
            if s["verification"]["ok"]
            else f"FAILED: {s['verification']['message']}",
        ),
    ]


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _integrity_rows(integrity: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(problem, session, what was found) for every line of the integrity section."""
    rows = [(f["problem"], f["session"] or "", f["message"]) for f in integrity["findings"]]
    rows += [
        (f"fails verification ({x['problem']})", x["session"], x["message"])
        for x in integrity["failed_verification"]
    ]
    return rows


def _problems_note(totals: dict[str, Any]) -> str:
    n = totals["integrity_problems"]
    return f"; {n} INTEGRITY PROBLEM(S), listed below" if n else ""


def _integrity_ok_text(integrity: dict[str, Any]) -> str:
    where = integrity["index"]
    checked = (
        f"the session index of {where} matches its session folders: none missing, "
        "truncated or rewritten, the index not rolled back as far as the logs can tell; "
        if where
        else "no session index was checked; "
    )
    return f"ok: {checked}every session in this report verifies."


def _md_integrity(integrity: dict[str, Any]) -> list[str]:
    rows = _integrity_rows(integrity)
    if not rows:
        return ["## Integrity", "", _md(_integrity_ok_text(integrity)), ""]
    out = [
        f"## INTEGRITY: {len(rows)} PROBLEM(S) FOUND",
        "",
        "**The record is not intact: sessions below are missing, cut, rewritten or fail "
        "verification. Nothing else in this report can vouch for them.**",
        "",
    ]
    return out + _md_table(
        ["Problem", "Session", "What was found"],
        [[_md(a), _md(b), _md(c)] for a, b, c in rows],
    )


def render_md(report: dict[str, Any]) -> str:
    t = report["totals"]
    out = [
        "# aiperm compliance report",
        "",
        f"Generated {report['generated']}; sessions from {report['since'] or 'the first'} "
        f"to {report['until'] or 'the last'}: {t['sessions']} "
        f"({t['verified']} verified intact){_problems_note(t)}.",
        "",
        *_md_integrity(report["integrity"]),
        "## Controls",
        "",
    ]
    out += _md_table(
        ["Framework", "Control", "Evidence in the logs", "Count"],
        [
            [c["framework"], f"{c['control']} {c['title']}", c["evidence"], str(c["count"])]
            for c in report["controls"]
        ],
    )
    for s in report["sessions"]:
        out += [f"## Session {_md(s['id'])}", ""]
        out += _md_table(["", ""], [[k, _md(v)] for k, v in _session_facts(s)])
        if s["high_risk"]:
            out += ["### High-risk commands", ""]
            out += _md_table(
                ["Command", "Risk", "Confirm", "Outcome"],
                [
                    [_code(h["cmd"]), str(h["score"]), _md(h["confirm"]), _md(h["outcome"])]
                    for h in s["high_risk"]
                ],
            )
        if s["edited"]:
            out += ["### Edited before approval", ""]
            out += _md_table(
                ["Original", "Ran as"],
                [[_code(e["original"]), _code(e["cmd"])] for e in s["edited"]],
            )
        if s["denied"]:
            out += ["### Denied", ""]
            out += _md_table(
                ["Command", "By", "Reason"],
                [[_code(d["cmd"]), _md(d["by"]), _md(d["reason"])] for d in s["denied"]],
            )
        if s["failures"]:
            out += ["### Failures", ""]
            out += _md_table(
                ["Command", "Host", "Exit", "Error"],
                [
                    [
                        _code(f["cmd"]),
                        _md(f["host"]),
                        _md(f["exit_status"]),
                        _md(f["error"] or f["signal"]),
                    ]
                    for f in s["failures"]
                ],
            )
    return "\n".join(out) + "\n"


_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #111; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #999; }
h3 { font-size: 1.05em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eee; }
code { font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }
.bad { color: #a00; font-weight: bold; } .ok { color: #060; }
@media print { body { margin: 0; max-width: none; } section { break-inside: avoid; }
  h2 { break-after: avoid; } }
"""


def _h(value: Any) -> str:
    return html.escape(escape_control(str(value if value is not None else ""), keep_newlines=False))


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    """A table; header cells are plain text, row cells are already-escaped HTML."""
    head = "".join(f"<th>{_h(c)}</th>" for c in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"


def _html_session(s: dict[str, Any]) -> str:
    ok = s["verification"]["ok"]
    parts = [f"<section><h2>Session <code>{_h(s['id'])}</code></h2>\n"]
    rows = [
        [
            _h(k),
            f'<span class="{"ok" if ok else "bad"}">{_h(v)}</span>'
            if k == "Verification"
            else _h(v),
        ]
        for k, v in _session_facts(s)
    ]
    parts.append(_html_table(["Fact", "Value"], rows))
    code = "<code>{}</code>".format
    if s["high_risk"]:
        parts.append(
            "<h3>High-risk commands</h3>\n"
            + _html_table(
                ["Command", "Risk", "Confirm", "Outcome"],
                [
                    [code(_h(x["cmd"])), _h(x["score"]), _h(x["confirm"]), _h(x["outcome"])]
                    for x in s["high_risk"]
                ],
            )
        )
    if s["edited"]:
        parts.append(
            "<h3>Edited before approval</h3>\n"
            + _html_table(
                ["Original", "Ran as"],
                [[code(_h(e["original"])), code(_h(e["cmd"]))] for e in s["edited"]],
            )
        )
    if s["denied"]:
        parts.append(
            "<h3>Denied</h3>\n"
            + _html_table(
                ["Command", "By", "Reason"],
                [[code(_h(d["cmd"])), _h(d["by"]), _h(d["reason"])] for d in s["denied"]],
            )
        )
    if s["failures"]:
        parts.append(
            "<h3>Failures</h3>\n"
            + _html_table(
                ["Command", "Host", "Exit", "Error"],
                [
                    [
                        code(_h(f["cmd"])),
                        _h(f["host"]),
                        _h(f["exit_status"]),
                        _h(f["error"] or f["signal"]),
                    ]
                    for f in s["failures"]
                ],
            )
        )
    parts.append("</section>\n")
    return "".join(parts)


def _html_integrity(integrity: dict[str, Any]) -> str:
    rows = _integrity_rows(integrity)
    if not rows:
        return f'<h2>Integrity</h2>\n<p class="ok">{_h(_integrity_ok_text(integrity))}</p>\n'
    return (
        f'<h2 class="bad">INTEGRITY: {len(rows)} PROBLEM(S) FOUND</h2>\n'
        '<p class="bad">The record is not intact: sessions below are missing, cut, '
        "rewritten or fail verification. Nothing else in this report can vouch for them.</p>\n"
        + _html_table(
            ["Problem", "Session", "What was found"],
            [[f'<span class="bad">{_h(a)}</span>', _h(b), _h(c)] for a, b, c in rows],
        )
    )


def render_html(report: dict[str, Any]) -> str:
    t = report["totals"]
    controls = _html_table(
        ["Framework", "Control", "Evidence in the logs", "Count"],
        [
            [
                _h(c["framework"]),
                _h(f"{c['control']} {c['title']}"),
                _h(c["evidence"]),
                _h(c["count"]),
            ]
            for c in report["controls"]
        ],
    )
    summary = (
        f"Generated {report['generated']}; sessions from "
        f"{report['since'] or 'the first'} to {report['until'] or 'the last'}: "
        f"{t['sessions']} ({t['verified']} verified intact){_problems_note(t)}."
    )
    body = "".join(_html_session(s) for s in report["sessions"])
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>aiperm compliance report</title>"
        f"<style>{_CSS}</style></head>\n<body><h1>aiperm compliance report</h1>\n"
        f"<p>{_h(summary)}</p>\n{_html_integrity(report['integrity'])}"
        f"<h2>Controls</h2>\n{controls}{body}</body></html>\n"
    )


RENDERERS = {"md": render_md, "html": render_html, "json": render_json}
