"""What one plan came to, read from the broker's replies, and told as text.

`aiperm ask`, the MCP server and the claude hook all submit a plan over the socket and
get the same stream of replies (decision, result, plan_result, error); this module folds
them into an `Outcome` and renders it for a model to read: the exit status, whether the
operator edited the command and how, why it was denied, and the (capped) output.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiperm_tui.errors import ExitCode


@dataclass
class Outcome:
    """The folded replies of one plan."""

    status: str = "failed"  # ok | denied | refused | failed | error
    exit_code: int = ExitCode.EXEC
    results: list[Mapping[str, Any]] = field(default_factory=list)
    denials: list[Mapping[str, Any]] = field(default_factory=list)
    error: str | None = None
    submitted: list[str] = field(default_factory=list)  # the commands as asked, by action

    @classmethod
    def from_messages(
        cls, messages: Iterable[Mapping[str, Any]], submitted: Iterable[str] = ()
    ) -> Outcome:
        out = cls(submitted=list(submitted))
        for message in messages:
            kind = message.get("type")
            if kind == "result":
                out.results.append(message)
            elif kind == "decision" and message.get("decision") == "deny":
                out.denials.append(message)
            elif kind == "plan_result":
                out.status = str(message.get("status"))
                out.exit_code = int(message.get("exit_code", ExitCode.EXEC))
            elif kind == "error":
                out.status, out.error = "error", str(message.get("message"))
                out.exit_code = int(message.get("code", ExitCode.USAGE))
        return out

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def render(self) -> str:
        """The whole outcome as plain text for a model (MCP result, hook message)."""
        parts = [self._headline()]
        for denial in self.denials:
            parts.append(_denial_text(denial))
        for result in self.results:
            parts.append(_result_text(result, self._asked(result)))
        return "\n".join(parts)

    def _asked(self, result: Mapping[str, Any]) -> str | None:
        index = result.get("action")
        if isinstance(index, int) and 0 <= index < len(self.submitted):
            return self.submitted[index]
        return None

    def _headline(self) -> str:
        if self.error is not None:
            return f"aiperm error (nothing ran): {self.error}"
        names = {
            "ok": "ran and succeeded",
            "denied": "DENIED",
            "refused": "REFUSED by the operator",
            "failed": "FAILED",
        }
        return f"aiperm: {names.get(self.status, self.status)} (exit code {self.exit_code})"


def _denial_text(denial: Mapping[str, Any]) -> str:
    lines = [f"denied: {denial.get('reason') or 'no reason given'}"]
    if denial.get("message"):
        lines.append(f"operator's message: {denial['message']}")
    for suggestion in denial.get("suggestions") or ():
        lines.append(f"suggestion: {suggestion}")
    return "\n".join(lines)


def _result_text(result: Mapping[str, Any], asked: str | None) -> str:
    lines = []
    if result.get("edited"):
        lines.append("NOTE: the operator edited your command before it ran.")
        if asked is not None:
            lines.append(f"command you asked for: {asked}")
    lines.append(f"command as run: {result.get('cmd')}")
    status = result.get("exit_status")
    lines.append(
        f"exit status: {status if status is not None else 'none (see error)'}"
        f"  duration: {result.get('duration_ms')} ms"
    )
    if result.get("error"):
        lines.append(f"error: {result['error']}")
    if result.get("truncated"):
        lines.append("(output was truncated: head and tail kept)")
    lines.append(f"--- stdout ---\n{result.get('stdout', '')}")
    lines.append(f"--- stderr ---\n{result.get('stderr', '')}")
    return "\n".join(lines)
