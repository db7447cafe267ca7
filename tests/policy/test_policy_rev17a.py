"""Hostile review of fp17's lowerings (seventeenth pass, rev17a).

Each bypass class found in what fp17 made less strict is a row that must stay gated
(`BYPASSES`: the command, the least it must get), and the honest forms the lowering was
for stay where fp17 put them (`KEPT`). docs/policy.md, "Review of fp17's lowerings
(seventeenth pass, rev17a)".
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import rules_of, verdict

from aiperm_tui.policy import PolicyEngine

BYPASSES = [
    # git's path listings handed on: what reads the names reads the credentials
    ("git ls-files -- .env | xargs cat", "typed"),
    ("git ls-files -z config/.env.production | xargs -0 cat", "typed"),
    ("git check-ignore -v .env.local | cut -f2 | xargs cat", "typed"),
    ("git ls-files ~/.npmrc | xargs -I{} cp {} /tmp/n", "typed"),
    # a plain setting's name found anywhere in a line finds the host-keyed secret lines
    ("grep registry ~/.npmrc", "typed"),
    ("rg -i Registry ~/.npmrc", "typed"),
    ("grep -e username ~/.pypirc ~/.netrc", "typed"),
    ("grep -E '^\\[|repository' ~/.pypirc ~/.git-credentials", "typed"),
    ("grep -E '\\[|email' ~/.npmrc", "typed"),
    ("rg -i 'registry|always-auth' ~/.npmrc", "typed"),
]

KEPT = [
    ("git ls-files -- .npmrc config/.env.example", "none"),
    ("git ls-files -- .env | wc -l", "none"),
    ("grep -E '^\\[|repository' ~/.pypirc", "none"),
    ("grep -E '^registry|^always-auth' ~/.npmrc", "none"),
    ("grep -c registry ~/.npmrc", "none"),
]

_RANK = {"none": 0, "plan": 1, "action": 2, "typed": 3, "deny": 4}


@pytest.mark.parametrize(("cmd", "floor"), BYPASSES)
def test_a_bypass_of_fp17s_lowerings_stays_gated(
    engine: PolicyEngine, cmd: str, floor: str
) -> None:
    got = verdict(engine, cmd, "ops_safe")
    assert _RANK[got] >= _RANK[floor], (cmd, got, rules_of(engine, cmd, "ops_safe"))


@pytest.mark.parametrize(("cmd", "confirm"), KEPT)
def test_the_honest_form_keeps_its_level(engine: PolicyEngine, cmd: str, confirm: str) -> None:
    got = verdict(engine, cmd, "ops_safe")
    assert got == confirm, (cmd, got, rules_of(engine, cmd, "ops_safe"))
