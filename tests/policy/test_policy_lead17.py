"""Two classes the metamorphic test found once v16's lines joined the seen parts (lead17):
a dump piped through a command that prints its lines still reaches the terminal, and
`xargs -a FILE` takes its items from FILE, never from what the line pipes into it."""

from __future__ import annotations

import pytest
from helpers.policy_corpus import verdict

from aiperm_tui.policy import PolicyEngine


@pytest.mark.parametrize(
    "cmd",
    [
        "mysqldump --defaults-extra-file=/root/.my.cnf crm contacts | cat",
        "pg_dump billing | grep -i 'insert into'",
        "mariadb-dump shop users | tee /dev/stderr | tail -n 20",
        "pg_dump -t accounts ledger | sed -n '1,400p'",
        "printf '%s\\0' -a /srv/refs.txt git push origin --delete | xargs -0 xargs",
        "echo main | xargs -a /srv/stale.txt -r git push origin --delete",
    ],
)
def test_typed(engine: PolicyEngine, cmd: str) -> None:
    assert verdict(engine, cmd, "ops_safe") in ("typed", "deny"), cmd


@pytest.mark.parametrize(
    "cmd",
    [
        "pg_dump billing | grep -c 'INSERT INTO'",
        "mysqldump shop | wc -l",
        "pg_dump --schema-only ledger | less",
        "echo feature/old | xargs git push origin --delete",
    ],
)
def test_not_typed(engine: PolicyEngine, cmd: str) -> None:
    assert verdict(engine, cmd, "ops_safe") in ("none", "plan", "action"), cmd


def test_a_dump_piped_on_into_a_file_is_a_write_not_a_print(engine: PolicyEngine) -> None:
    assert (
        verdict(engine, "pg_dump billing | cat > /srv/backup/billing.sql", "ops_safe") == "action"
    )
