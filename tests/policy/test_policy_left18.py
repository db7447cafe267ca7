"""The seventeenth pass's leftovers, closed by class (left18).

Each row is a form and the confirmation it gets under `ops_safe`, with its siblings (the
other spellings and neighbours of the same class) and the forms that must stay where
they were. docs/policy.md ("The seventeenth pass's leftovers (eighteenth pass, left18)"
and the Labelling rules) says why.
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import rules_of, verdict

from aiperm_tui.policy import PolicyEngine

pytestmark = pytest.mark.timeout(60)

# A project's build outputs deleted recursively: typed whatever the folder's name (the
# lead's labelling rule); a tool's own clean command and a home cache stay where they were.
BUILD_OUTPUTS = [
    ("rm -r out/", "typed"),
    ("rm -rf .next .svelte-kit", "typed"),
    ("sudo rm -rf -- target coverage", "typed"),
    ("find apps -type d -name .turbo -prune -exec rm -r {} \\;", "typed"),
    ("find . -name __pycache__ -type d | xargs rm -rf", "typed"),
    ("git clean -fdX -- packages/ui/dist", "typed"),
    ("env rm -rf ./lib ./es", "typed"),
    ("timeout 60 rm -fr _build deps", "typed"),
    ("make clean", "action"),
    ("cargo clean -p engine-core", "action"),
    ("go clean -testcache", "action"),
    ("rm -rf ~/.cache/go-build", "action"),
]

# Listings that run a module's code to introspect it: a change, as v10 labels it.
MODULE_LISTINGS = [
    ("dagger functions", "action"),
    ("dagger --mod ./pipelines functions", "action"),
    ("dagger -m ./ci call --help", "action"),
    ("dagger call -h", "action"),
    ("dagger --help", "none"),
    ("dagger version", "none"),
]

CASES = [
    *BUILD_OUTPUTS,
    *MODULE_LISTINGS,
]


@pytest.mark.parametrize(("cmd", "confirm"), CASES)
def test_a_leftover_form_is_judged_at_its_level(
    engine: PolicyEngine, cmd: str, confirm: str
) -> None:
    got = verdict(engine, cmd, "ops_safe")
    assert got == confirm, (cmd, got, rules_of(engine, cmd, "ops_safe"))
