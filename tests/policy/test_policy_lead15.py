"""What the lead mended when the fifteenth pass's branches were merged (lead15).

A read rule's rehearsal option switched off by its value is a real run; deleting every
event of a namespace wipes its record (typed) while one event is a change; a database
client's shell escape is typed whatever it runs, as every labelled part has it.
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import assert_level

from aiperm_tui.policy import PolicyEngine

pytestmark = pytest.mark.timeout(60)

CASES = [
    ("podman auto-update --dry-run", "none"),
    ("podman auto-update --dry-run=true", "none"),
    ("podman auto-update --dry-run=false", "action"),
    ("sudo podman auto-update --dry-run=0", "action"),
    ("docker auto-update --dry-run=no", "action"),
    ("kubectl delete event api-7f.17a2 -n shop", "action"),
    ("kubectl delete events --all -n checkout", "typed"),
    ("kubectl delete events -A", "typed"),
    ("kubectl -n shop delete ev --field-selector reason=BackOff", "typed"),
    ("kubectl delete events -l app=api -n shop", "typed"),
    ("sqlite3 /var/lib/app/state.db '.shell id > /tmp/.o'", "typed"),
    ("psql -d shop -c '\\! uptime'", "typed"),
    ("mysql -e 'system hostname'", "typed"),
    ("echo '.sh id' | sqlite3 x.db", "typed"),
    ("sqlite3 x.db '.tables'", "none"),
    ("pass ls infra", "typed"),
]


@pytest.mark.parametrize(("cmd", "confirm"), CASES)
def test_a_merged_form_is_judged_at_its_level(engine: PolicyEngine, cmd: str, confirm: str) -> None:
    assert_level(engine, cmd, confirm)
