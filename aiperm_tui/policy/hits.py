"""What the judges report before the engine turns it into a `Decision`.

A `Hit` is a finding plus what the presets and the jail need: how far the damage
reaches, which paths the command writes or deletes (for `jail_root`), and a safer
alternative to suggest on deny.
"""

from __future__ import annotations

from aiperm_tui.policy.model import Blast, Severity
from aiperm_tui.values import Frozen, replace

SCORES: dict[str, int] = {"info": 0, "low": 15, "medium": 40, "high": 70, "critical": 92}

# Why a read of a credential is typed, the same for every one: the terminal is no private
# place, since everything the agent reads is sent to its model provider.
TO_PROVIDER = "what the agent reads goes to its model provider"


class Target(Frozen):
    """A path the command writes or deletes, as written, and the folder it ran in."""

    __slots__ = ("cwd", "path", "span")
    path: str
    span: tuple[int, int]
    cwd: str | None

    def __init__(self, path: str, span: tuple[int, int], cwd: str | None) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "cwd", cwd)


class Hit(Frozen):
    """One judged danger. `scoped` marks a plain file write whose `targets` say
    everything about it (the dev_sandbox preset may relax it inside the jail).
    `suggest` is a safer command, shown on deny; `reaches`, where a link this command
    makes leads (the jail)."""

    __slots__ = (
        "blast",
        "message",
        "reaches",
        "rule",
        "scoped",
        "severity",
        "span",
        "suggest",
        "targets",
    )
    rule: str
    severity: Severity
    message: str
    span: tuple[int, int]
    blast: Blast
    targets: tuple[Target, ...]
    suggest: str
    scoped: bool
    reaches: tuple[Target, ...]

    def __init__(
        self,
        rule: str,
        severity: Severity,
        message: str,
        span: tuple[int, int],
        blast: Blast = "single",
        targets: tuple[Target, ...] = (),
        suggest: str = "",
        scoped: bool = False,
        reaches: tuple[Target, ...] = (),
    ) -> None:
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "blast", blast)
        object.__setattr__(self, "targets", targets)
        object.__setattr__(self, "suggest", suggest)
        object.__setattr__(self, "scoped", scoped)
        object.__setattr__(self, "reaches", reaches)

    def moved(self, mapper: SpanMapper) -> Hit:
        """The same hit with its spans translated into the enclosing source."""
        return replace(
            self,
            span=mapper(self.span),
            targets=tuple(replace(t, span=mapper(t.span)) for t in self.targets),
            reaches=tuple(replace(t, span=mapper(t.span)) for t in self.reaches),
        )


class SpanMapper:
    """Translates spans in a re-parsed payload (`bash -c '...'`) back to the source
    it came from: exactly when the payload is a verbatim slice, else the whole word."""

    def __init__(self, offset: int | None, whole: tuple[int, int]) -> None:
        self.offset, self.whole = offset, whole

    def __call__(self, span: tuple[int, int]) -> tuple[int, int]:
        if self.offset is None:
            return self.whole
        start, end = span[0] + self.offset, span[1] + self.offset
        lo, hi = self.whole
        if lo <= start <= end <= hi:
            return (start, end)
        return self.whole
