"""The policy engine: how dangerous is a shell command, and who must confirm it.

Public API (docs/policy.md): `PolicyEngine(config).decide(cmd, host, preset)` returns a
`Decision`; `challenge_code(command, session_id, secret)` gives the typed-confirmation code.
Nothing here imports Textual or rich.
"""

from aiperm_tui.policy.challenge import challenge_code
from aiperm_tui.policy.engine import PolicyEngine
from aiperm_tui.policy.model import (
    CONFIRM_ORDER,
    Confirm,
    Decision,
    Finding,
    Risk,
    Severity,
    stricter_confirm,
)

__all__ = [
    "CONFIRM_ORDER",
    "Confirm",
    "Decision",
    "Finding",
    "PolicyEngine",
    "Risk",
    "Severity",
    "challenge_code",
    "stricter_confirm",
]
