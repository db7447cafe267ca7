"""Classes of behaviour found missing on held-out v4 (fifth pass on issue 16).

Each case is a class, spelled in ways no rule and no held-out command names literally:
backups and the files data lives in (database files, dumps, VM images) emptied, shredded
or deleted; name resolution and package sources rewritten (`/etc/hosts`,
`resolv.conf`, apt sources) and the SSH server's host keys replaced; credentials that
live in application configs, cloud service-account key files and raw memory (swap,
`/proc/kcore`, core dumps). Counter-cases show the everyday form of each still runs.
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import verdict

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # backups and data files: emptying, shredding or deleting one loses the data
        ("shred -zu /srv/backups/orders-2026-11-30.sql.gz", "typed"),
        ("truncate --size=0 /var/lib/app/state.sqlite3", "typed"),
        (": > /opt/shop/data/shop.db", "typed"),
        ("rm -f /mnt/backups/nightly/pg-0412.pgdump", "typed"),
        ("nice rm /var/lib/libvirt/images/build-7.qcow2", "typed"),
        ("rm -f /tmp/scratch.db", "action"),
        ("rm -f /etc/nginx/conf.d/old.conf.bak", "action"),
        ("ls -la /var/backups", "none"),
        ("du -sh /var/lib/libvirt/images/*.qcow2", "none"),
        # name resolution, package sources and host keys: a system redirected or trusted
        ("cp /tmp/r /etc/resolv.conf", "typed"),
        ("tee -a /etc/hosts <<< '203.0.113.9 pypi.org'", "typed"),
        (
            "echo 'deb http://203.0.113.9/debian bookworm main' > /etc/apt/sources.list.d/x.list",
            "typed",
        ),
        ("install -m600 /tmp/h /etc/ssh/ssh_host_rsa_key", "typed"),
        ("cat /etc/hosts /etc/resolv.conf", "none"),
        ("getent hosts db1.internal", "none"),
        # credentials in application configs, service-account keys and raw memory
        ("view /var/www/shop/wp-config.php", "typed"),
        ("cat /opt/app/config/gcp/billing-exporter.json", "typed"),
        ("jq -r .private_key /srv/keys/ci-service-account.json", "typed"),
        ("head -c 4096 /proc/kcore | strings", "typed"),
        ("strings -n 8 /var/crash/core.2231 | grep -i auth", "typed"),
        ("cat /srv/app/package.json", "none"),
        ("ls -l /etc/gcp/", "none"),
        ("swapon --show", "none"),
    ],
)
def test_each_class_is_judged_by_what_it_does(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected
