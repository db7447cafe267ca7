"""Held-out v15's misses, fixed by class (sixteenth pass).

Each table holds the class, not the line: other tools, option spellings and wrappers
beside the form v15 had, and the read or change forms the class must leave alone.
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import rules_of, verdict

from aiperm_tui.policy import PolicyEngine

pytestmark = pytest.mark.timeout(60)

# A rehearsal switched off again by a later word is a real run: the last spelling wins.
REHEARSAL_UNDONE = [
    ("kubectl delete ns shop --dry-run=client --dry-run=none", "deny"),
    ("rsync -an --no-dry-run --delete /var/empty/ /srv/app/shared/", "typed"),
    ("helm uninstall web --dry-run --dry-run=false", "typed"),
    ("sudo terraform destroy --dry-run --no-dry-run", "typed"),
    ("kubectl delete ns shop --dry-run=client", "none"),
    ("rsync -an --delete /var/empty/ /srv/app/shared/", "none"),
    ("kubectl -n shop delete pod api-1 --dry-run=server --dry-run=none", "action"),
]

# The node's container runtime or kubelet removed by the package manager: every container
# stops, as stopping the vital unit does.
NODE_RUNTIME_REMOVED = [
    ("sudo apt-get -o Debug::NoLocking=--dry-run -y purge kubelet", "typed"),
    ("apt-get -s upgrade & sudo apt-get -y purge containerd.io docker-ce", "typed"),
    ("dnf remove -y docker-ce docker-ce-cli containerd.io", "typed"),
    ("sudo yum erase -y kubelet kubeadm", "typed"),
    ("apk del docker", "typed"),
    ("apt-get remove -y docker-ce-cli", "action"),
    ("apt-get purge -y kubectl", "action"),
    ("apt-get -s purge kubelet", "none"),
]

# A service's configuration or a backup emptied (not edited): the service fails at its
# next reload, the backup is gone.
EMPTIED = [
    ("sudo bash -c '> /etc/nginx/nginx.conf' && sudo systemctl restart nginx", "typed"),
    ("sudo sh -c '> /etc/postgresql/16/main/postgresql.conf'", "typed"),
    ("echo > /etc/haproxy/haproxy.cfg", "typed"),
    ("printf '' | sudo tee /etc/redis/redis.conf", "action"),
    ("cat /dev/null > /etc/mysql/my.cnf", "typed"),
    ("sudo truncate -s 0 /etc/nginx/sites-available/shop", "typed"),
    ("sudo cp /dev/null /etc/prometheus/prometheus.yml", "typed"),
    ("find /etc/nginx -maxdepth 0 -fprint /etc/nginx/nginx.conf", "typed"),
    ("echo > /var/backups/shop/shop-2026-12-07.dump", "typed"),
    (": > /srv/backups/nightly.sql.gz", "typed"),
    ("echo 'worker_processes 4;' > /etc/nginx/conf.d/workers.conf", "action"),
    ("> /etc/motd", "action"),
    ("> /etc/nginx/nginx.conf.bak", "action"),
    ("find /var/log -name '*.gz' -fprint /tmp/old-logs.txt", "none"),
    ("truncate -s 10M /srv/app/test.img", "action"),
]

CASES = REHEARSAL_UNDONE + NODE_RUNTIME_REMOVED + EMPTIED


@pytest.mark.parametrize(("cmd", "confirm"), CASES)
def test_a_class_of_v15_is_judged_at_its_level(
    engine: PolicyEngine, cmd: str, confirm: str
) -> None:
    got = verdict(engine, cmd, "ops_safe")
    assert got == confirm, (cmd, got, rules_of(engine, cmd, "ops_safe"))
