"""Operator rules, presets and the jail: turning judged hits into allow/deny + confirm.

Order of the layers (the first that decides names itself in `Decision.layer`):
1. config and remembered rules (`rule:<origin>:<index>`), first match wins;
2. the host's `jail_root` (`jail`): a write whose target resolves outside is denied; a
   link made inside that leads outside needs a typed confirmation;
3. the preset (`preset:<name>`), or `parse` when what was not understood decides.

A rule matched by `prefix` or `glob` covers commands nobody has seen, so it is bounded
by the preset: a `confirm` or `deny` rule only tightens, and an `allow` rule only lowers
the confirmation of one fully parsed command the preset allows below `typed` (no deny,
typed level or jail break is skipped; `ls; rm -rf /` or `rm -rf /` never ride on an
`allow prefix`). An `exact` rule matches text the operator has seen in full, so it wins
outright.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiperm_tui.config import Rule
from aiperm_tui.policy.fspaths import inside, resolve
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.model import Confirm, severity_rank
from aiperm_tui.values import Frozen

# Findings that are `info` under ops_safe but no read: a convention, not knowledge
# (`verbs.py`: an unknown tool's `status`), or a report saved to a new temp file
# (`tempreport.py`: a write all the same). read_only runs only what the engine knows to read.
BY_CONVENTION = frozenset({"unknown.read_verb", "fs.temp_report"})
# The finding that says only "no rule describes this command". Under ops_strict it asks
# for the typed code rather than a plain yes: a hostile agent's easiest way past a plain
# yes is a tool no rule describes (`fw_setenv`, `jffs2reset -y`), and the operator
# cannot tell its routine forms from its destroying ones any better than the engine.
UNKNOWN_RULE = "unknown.command"
# How the ops_safe preset maps the worst severity to a confirmation (critical: deny).
SEVERITY_CONFIRM: dict[str, Confirm] = {
    "info": "none",
    "low": "plan",
    "medium": "action",
    "high": "typed",
    "critical": "typed",
}


class Verdict(Frozen):
    """A layer's answer before it becomes a `Decision`."""

    __slots__ = ("allow", "confirm", "layer", "reason")
    allow: bool
    confirm: Confirm
    layer: str
    reason: str

    def __init__(self, allow: bool, confirm: Confirm, layer: str, reason: str) -> None:
        object.__setattr__(self, "allow", allow)
        object.__setattr__(self, "confirm", confirm)
        object.__setattr__(self, "layer", layer)
        object.__setattr__(self, "reason", reason)


def rule_matches(rule: Rule, command: str, host: str | None) -> bool:
    """Does `rule` apply to `command` on `host`?

    `prefix` matches at a word boundary: `systemctl status` matches
    `systemctl status nginx` but `ls` does not match `lsblk`."""
    if rule.host is not None and rule.host != host:
        return False
    text, pattern = command.strip(), rule.pattern.strip()
    if rule.match == "exact":
        return text == pattern
    if rule.match == "prefix":
        if not text.startswith(pattern):
            return False
        rest = text[len(pattern) :]
        return not rest or rest[0].isspace() or not pattern[-1:].isalnum()
    import fnmatch  # here: only a glob rule needs it

    return fnmatch.fnmatchcase(text, pattern)


def first_rule(rules: Sequence[Rule], command: str, host: str | None) -> tuple[int, Rule] | None:
    """The first matching rule and its index within its origin (config or remembered)."""
    counters: dict[str, int] = {}
    for rule in rules:
        index = counters.get(rule.origin, 0)
        counters[rule.origin] = index + 1
        if rule_matches(rule, command, host):
            return index, rule
    return None


def rule_verdict(index: int, rule: Rule) -> Verdict:
    layer = f"rule:{rule.origin}:{index}"
    reason = rule.reason or f"{rule.action} by {rule.match} rule {rule.pattern!r}"
    if rule.action == "deny":
        return Verdict(False, "typed", layer, reason)
    if rule.action == "allow":
        return Verdict(True, "none", layer, reason)
    confirm = rule.confirm if rule.confirm in SEVERITY_CONFIRM.values() else "action"
    return Verdict(True, confirm, layer, reason)  # type: ignore[arg-type]


def jail_breaks(hits: Sequence[Hit], jail_root: str) -> list[tuple[Hit, str]]:
    """Hits writing outside `jail_root`, each with the path it resolved to (or why not)."""
    out = []
    for h in hits:
        for target in h.targets:
            path = resolve(target.path, target.cwd if target.cwd is not None else None)
            if path is None:
                out.append((h, f"{target.path} (cannot tell where it points)"))
            elif not inside(path, jail_root):
                out.append((h, path))
    return out


def jail_exits(hits: Sequence[Hit], jail_root: str) -> list[tuple[Hit, str]]:
    """Links made on the line that lead outside `jail_root` (or somewhere unknown): any
    later command through them writes outside, and the engine will not see it then."""
    out = []
    for h in hits:
        for place in h.reaches:
            path = resolve(place.path, place.cwd)
            if path is None or not inside(path, jail_root):
                out.append((h, place.path))
    return out


def preset_verdict(
    preset: str, hits: Sequence[Hit], complete: bool, jail_root: str | None
) -> Verdict:
    """What the preset says about the judged hits."""
    worst = max((h for h in hits), key=lambda h: severity_rank(h.severity), default=None)
    rank = severity_rank(worst.severity) if worst else 0
    layer = f"preset:{preset}"
    convention = next((h for h in hits if h.rule in BY_CONVENTION), None)
    if preset == "read_only":
        if rank <= severity_rank("low") and complete and convention is None:
            return Verdict(True, "none" if rank == 0 else "plan", layer, "read-only")
        why = (
            worst.message
            if worst and rank > 1
            else (convention.message if convention else "not fully analysed")
        )
        return Verdict(False, "typed", layer, f"read_only preset: only reads may run ({why})")
    if worst is not None and worst.severity == "critical":
        return Verdict(False, "typed", layer, worst.message)
    relaxed = [
        h
        for h in hits
        if not (preset == "dev_sandbox" and jail_root and _inside_jail(h, jail_root))
    ]
    top = max(relaxed, key=lambda h: severity_rank(h.severity), default=None)
    confirm = SEVERITY_CONFIRM[top.severity] if top else "none"
    if preset == "dev_sandbox" and len(relaxed) < len(hits) and confirm == "none":
        confirm = "plan"
    if preset == "ops_strict" and confirm != "typed":
        unknown = next((h for h in hits if h.rule == UNKNOWN_RULE), None)
        if unknown is not None:
            return Verdict(True, "typed", layer, f"{unknown.message} (ops_strict: typed)")
    reason = (
        top.message
        if top and top.severity != "info"
        else (
            "writes only inside the jail"
            if len(relaxed) < len(hits)
            else (convention.message if convention else "read-only")
        )
    )
    return Verdict(True, confirm, layer, reason)


def _inside_jail(h: Hit, jail_root: str) -> bool:
    """A scoped write whose every target resolves inside the jail."""
    if not h.scoped or not h.targets or h.severity == "critical":
        return False
    for t in h.targets + h.reaches:
        path = resolve(t.path, t.cwd)
        if path is None or not inside(path, jail_root):
            return False
    return True
