"""The policy engine's output: `Decision`, `Finding`, `Risk`, and the confirmation ladder.

These are plain frozen values (`aiperm_tui.values.Frozen`: a frozen dataclass's
behaviour without its start-up cost) so the broker, the session log and the TUI can pass
them around and serialise them (`to_dict`/`from_dict`) without knowing the engine.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiperm_tui.values import Frozen

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from typing import Any, Literal

    Severity = Literal["info", "low", "medium", "high", "critical"]
    Confirm = Literal["none", "plan", "action", "typed"]
    Blast = Literal["single", "tree", "system", "unknown"]
else:  # the names exist at run time, for imports; only mypy reads them
    Severity = object
    Confirm = object
    Blast = object


SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "critical")
CONFIRM_ORDER: tuple[Confirm, ...] = ("none", "plan", "action", "typed")  # stricter right
BLAST_ORDER: tuple[Blast, ...] = ("single", "tree", "unknown", "system")


def severity_rank(severity: str) -> int:
    """Position on the severity ladder (info 0 .. critical 4)."""
    return SEVERITIES.index(severity)


def stricter_confirm(a: Confirm, b: Confirm) -> Confirm:
    """The stricter of two confirmation levels."""
    return a if CONFIRM_ORDER.index(a) >= CONFIRM_ORDER.index(b) else b


class Finding(Frozen):
    """One thing the engine noticed; `span` is [start, end) in the original command."""

    __slots__ = ("message", "rule", "severity", "span")
    rule: str
    severity: Severity
    message: str
    span: tuple[int, int]

    def __init__(self, rule: str, severity: Severity, message: str, span: tuple[int, int]) -> None:
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "span", span)


class Risk(Frozen):
    """How bad it could be: a 0-100 score and how far the damage would reach."""

    __slots__ = ("blast_radius", "score")
    score: int
    blast_radius: Blast

    def __init__(self, score: int, blast_radius: Blast) -> None:
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "blast_radius", blast_radius)


class Decision(Frozen):
    """The verdict on one command string. `confirm` is the level a human must give
    before an allowed command runs; on a deny it is the level an operator override
    would need (always `typed`)."""

    __slots__ = (
        "argv",
        "confirm",
        "decision",
        "findings",
        "layer",
        "reason",
        "risk",
        "suggestions",
    )
    decision: Literal["allow", "deny"]
    confirm: Confirm
    layer: str
    reason: str
    risk: Risk
    argv: tuple[str, ...] | None
    findings: tuple[Finding, ...]
    suggestions: tuple[str, ...]

    def __init__(
        self,
        decision: Literal["allow", "deny"],
        confirm: Confirm,
        layer: str,
        reason: str,
        risk: Risk,
        argv: tuple[str, ...] | None = None,
        findings: tuple[Finding, ...] = (),
        suggestions: tuple[str, ...] = (),
    ) -> None:
        object.__setattr__(self, "decision", decision)
        object.__setattr__(self, "confirm", confirm)
        object.__setattr__(self, "layer", layer)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "risk", risk)
        object.__setattr__(self, "argv", argv)
        object.__setattr__(self, "findings", findings)
        object.__setattr__(self, "suggestions", suggestions)

    @property
    def allowed(self) -> bool:
        return self.decision == "allow"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape used by `aiperm check --json`, the agent protocol and the log."""
        return {
            "decision": self.decision,
            "confirm": self.confirm,
            "layer": self.layer,
            "reason": self.reason,
            "risk": {"score": self.risk.score, "blast_radius": self.risk.blast_radius},
            "argv": list(self.argv) if self.argv is not None else None,
            "findings": [
                {
                    "rule": f.rule,
                    "severity": f.severity,
                    "message": f.message,
                    "span": [f.span[0], f.span[1]],
                }
                for f in self.findings
            ],
            "suggestions": list(self.suggestions),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Decision:
        """Inverse of `to_dict` (used when reading a decision back from a session log)."""
        risk = d.get("risk") or {}
        argv = d.get("argv")
        return cls(
            decision=d["decision"],
            confirm=d["confirm"],
            layer=d.get("layer", ""),
            reason=d.get("reason", ""),
            risk=Risk(int(risk.get("score", 0)), risk.get("blast_radius", "unknown")),
            argv=tuple(argv) if argv is not None else None,
            findings=tuple(
                Finding(
                    f["rule"], f["severity"], f["message"], (int(f["span"][0]), int(f["span"][1]))
                )
                for f in d.get("findings", ())
            ),
            suggestions=tuple(d.get("suggestions", ())),
        )
