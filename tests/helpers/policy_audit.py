"""The three tests every domain audit file (tests/policy/test_policy_audit*.py) runs over
its tables, written once: each file gives its rows and binds the tests to its own names,
so the test ids stay `test_policy_auditNN.py::<test>[<row>]`.

- `AUDITED` rows `(cmd, label)`: judged at the label (`assert_at_label`);
- `STRICTER` commands, labelled a change, that the engine types on purpose: never run
  unasked nor at a plain yes (`assert_gated_typed`);
- `LEFT` rows still misjudged: strict xfails, so a fix elsewhere that mends one fails
  the file until the row moves to `AUDITED`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from helpers.policy_corpus import assert_at_label, assert_gated_typed

LEFT_REASON = "left misjudged: see LEFT's comment"


def audit_tests(
    audited: Sequence[tuple[str, str]],
    stricter: Sequence[str],
    left: Sequence[tuple[str, str]],
    left_reason: str = LEFT_REASON,
) -> tuple[Callable[..., None], Callable[..., None], Callable[..., None]]:
    """The audit's three tests over its tables, for the module to bind by these names."""

    @pytest.mark.parametrize(("cmd", "level"), audited)
    def test_an_audited_form_is_judged_at_its_label(engine: Any, cmd: str, level: str) -> None:
        assert_at_label(engine, cmd, level)

    @pytest.mark.parametrize("cmd", stricter)
    def test_a_change_the_engine_types_on_purpose_is_never_run_unasked(
        engine: Any, cmd: str
    ) -> None:
        assert_gated_typed(engine, cmd)

    @pytest.mark.xfail(strict=True, reason=left_reason)
    @pytest.mark.parametrize(("cmd", "level"), left)
    def test_a_form_left_misjudged(engine: Any, cmd: str, level: str) -> None:
        assert_at_label(engine, cmd, level)

    return (
        test_an_audited_form_is_judged_at_its_label,
        test_a_change_the_engine_types_on_purpose_is_never_run_unasked,
        test_a_form_left_misjudged,
    )
