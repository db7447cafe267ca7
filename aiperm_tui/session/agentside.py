"""Bounds on recording the agent's side (its pane lines, the operator's messages, tool
permission prompts), so an agent flooding its pane cannot flood the log.

Two caps: one line is recorded up to `line_max` characters, the rest replaced by a
marker and counted (`cut`); and lines are admitted by a token bucket, `per_second`
sustained with bursts of `BURST_SECONDS` worth. Lines over the rate are not recorded but
counted, and the count goes into the log as one `agent_lines_dropped` event ("N lines
not recorded") before the next line that is, and at close: the record says where it has
a gap and how big. Operator messages and permission prompts are few and typed or
answered by a person; they are clipped but never rate-limited.

`agent_entry` says how each of these events reads in an agent pane (replay, export).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

BURST_SECONDS = 10.0
SHOWN_MAX = 16 * 1024  # characters of one agent-side entry shown (see agent_entry)


def clip(text: str, limit: int) -> tuple[str, int]:
    """(text, characters cut): at most `limit` characters, then a marker saying how many
    more there were."""
    if len(text) <= limit:
        return text, 0
    cut = len(text) - limit
    return f"{text[:limit]}…[{cut} more characters not recorded]", cut


@dataclass
class AgentBudget:
    """The rate cap on recorded agent lines (not thread-safe: the recorder's lock)."""

    per_second: float
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    tokens: float = 0.0
    stamp: float = 0.0
    dropped_lines: int = 0
    dropped_chars: int = 0

    def __post_init__(self) -> None:
        self.tokens = self.per_second * BURST_SECONDS
        self.stamp = self.clock()

    def admit(self, chars: int) -> bool:
        """Whether a line may be recorded now; a refused one is counted."""
        now = self.clock()
        cap = self.per_second * BURST_SECONDS
        self.tokens = min(cap, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.dropped_lines += 1
        self.dropped_chars += chars
        return False

    def take_dropped(self) -> dict[str, int] | None:
        """The payload of an `agent_lines_dropped` event for what was refused since the
        last one, or None."""
        if not self.dropped_lines:
            return None
        payload = {"lines": self.dropped_lines, "chars": self.dropped_chars}
        self.dropped_lines = self.dropped_chars = 0
        return payload


AGENT_TYPES = frozenset(
    {
        "agent_line",
        "operator_message",
        "permission_request",
        "permission_answer",
        "agent_lines_dropped",
    }
)
_NOTE_KINDS = frozenset({"exit", "malformed", "notice", "system"})


def agent_entry(event: dict[str, Any]) -> tuple[str, str]:
    """(look, text) of an agent-side event as the agent pane shows it: look is one of
    stdout, stderr, operator, permission, note; text is raw (escape it to show it).

    The text is cut at SHOWN_MAX characters with a marker: a recorded line is already
    bounded (`agent_line_max`), but a damaged log can hold a line of any size, and
    replay, its text form and the export's markers must not stall on one."""
    look, text = _entry(event)
    if len(text) > SHOWN_MAX:
        text = f"{text[:SHOWN_MAX]}…[{len(text) - SHOWN_MAX} more characters not shown]"
    return look, text


def _entry(event: dict[str, Any]) -> tuple[str, str]:
    kind = event.get("type")
    if kind == "operator_message":
        late = (
            ""
            if event.get("delivered", True)
            else "  (not delivered: the agent cannot be talked to)"
        )
        return "operator", f"you: {event.get('text', '')}{late}"
    if kind == "permission_request":
        what = event.get("description") or event.get("input") or ""
        return "permission", f"asks to use its tool {event.get('tool', '?')}: {what}"
    if kind == "permission_answer":
        verdict = "allowed" if event.get("allow") else "denied"
        return "permission", f"tool permission {verdict} by the operator"
    if kind == "agent_lines_dropped":
        return "note", (
            f"[{event.get('lines')} agent lines ({event.get('chars')} characters) "
            "not recorded: over the recording rate cap]"
        )
    text = str(event.get("text", ""))
    if event.get("stream") == "stderr":
        return "stderr", text
    return ("note" if event.get("kind") in _NOTE_KINDS else "stdout"), text
