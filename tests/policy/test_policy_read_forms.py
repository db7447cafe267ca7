"""False positives found on held-out v5 (and left from v2-v4), fixed as classes.

Each relaxation is spelled here beside the forms of the same tool that must stay gated,
in words no held-out command uses: a read-only verdict holds for every argument the tool
takes, or it is not given. The classes: a value read as a flag (sqlite3's single-dash
option words); read-only scripts and pipelines (JavaScript's own methods in mongosh, a
secret's output piped into a filter that keeps only its keys or a count); a describe of
secrets without values (a jsonpath to a secret's name or dates); dry-run and report flags
(`git prune -n`, apache's `-M`, `resize2fs -P`); a disk tool's printing flag beside a
writing one (`sgdisk -p -Z`); and changes that were typed (an aged cleanup of a temp
folder, a filesystem grown to its volume, redis tuning settings, an ordinary account's
processes, one endpoint's sockets).
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
        # sqlite3's options are words (`-column`, `-box`), not clusters: the SQL is what
        # follows the database, and each -cmd value
        ("sqlite3 -box /var/lib/x/app.db 'SELECT name FROM users LIMIT 3'", "none"),
        ("sqlite3 -box /var/lib/x/app.db 'DELETE FROM users'", "typed"),
        ("sqlite3 -cmd 'DROP TABLE users' -box /var/lib/x/app.db", "typed"),
        ("sqlite3 -init /var/lib/x/setup.sql /var/lib/x/app.db", "action"),
        # mongosh: JavaScript's own methods compute on what was read
        ("mongosh crm --eval 'db.getCollectionNames().some(n => n.includes(\"x\"))'", "none"),
        (
            "mongosh crm --eval 'db.getCollectionNames(); db.leads[\"drop\"]()'",
            "typed",
        ),  # a bracketed drop is a drop
        ("mongosh crm --eval 'db.getCollectionNames().forEach(n => db[n].drop())'", "typed"),
        # a secret's name, labels, type or dates print no value; annotations may
        ("kubectl get secret crm-db -o jsonpath='{.metadata.labels}'", "none"),
        ("kubectl get secret crm-db -o jsonpath='{.metadata.annotations}'", "typed"),
        ("kubectl get secret crm-db -o jsonpath='{.type}{..password}'", "typed"),
        # a secret piped straight into a filter that keeps only keys or a count
        ("kubectl get secret crm-db -o json | jq -c '.data | keys'", "none"),
        ("kubectl get secret crm-db -o json | jq -c '.data | to_entries'", "typed"),
        ("kubectl get secret crm-db -o json > /tmp/crm.json | wc -l", "typed"),
        ("sudo cat /etc/ssl/private/crm.key | wc -c", "none"),
        ("sudo cat /etc/ssl/private/crm.key | wc -c /etc/ssl/private/crm.key", "typed"),
        # a count whose pattern matches every line is a line count; a guess is an oracle
        ("grep -c ^ /etc/gshadow", "none"),
        ("grep -c '^crm:' /etc/gshadow", "typed"),
        # dry runs and report flags
        ("git worktree prune -n", "none"),
        ("git reflog delete --rewrite HEAD@{3}", "typed"),
        ("httpd -l", "none"),
        # a listing flag beside a stop is the stop (a service stop: a plain yes)
        ("httpd -k graceful-stop -l", "action"),
        ("resize2fs -P /dev/vg9/crm", "none"),
        # a disk tool's printing flag counts only beside options that shape its output
        ("sfdisk -l -J /dev/vdz", "none"),
        ("sgdisk --print --zap-all /dev/vdz", "deny"),
        ("mdadm --examine --zero-superblock /dev/vdz1", "deny"),
        ("hdparm -I --security-erase NULL /dev/vdz", "deny"),
        ("parted /dev/vdz print rm 2", "deny"),
        # an aged cleanup of temp and cache folders deletes old files one by one
        ("find /opt/crm/cache -type f -mmin +600 -delete", "action"),
        ("find /opt/crm/cache -delete -mmin +600", "typed"),
        ("find /opt/crm/cache /opt/crm/data -mmin +600 -delete", "typed"),
        ("find -L /opt/crm/cache -mmin +600 -delete", "typed"),
        ("find /opt/crm/cache -mmin +600 -or -delete", "typed"),
        # a filesystem grown to its volume; a size may shrink it
        ("resize2fs /dev/vg9/crm", "action"),
        ("resize2fs /dev/vg9/crm 8G", "typed"),
        # redis tuning settings are changes; a setting that writes files or drops
        # persistence is not, wherever it stands in the list
        ("redis-cli -h crm CONFIG SET hz 20", "action"),
        ("redis-cli -h crm CONFIG SET hz 20 appendonly no", "typed"),
        # every process of an ordinary account; root's or a daemon's account
        ("skill -u reporting", "action"),
        ("pkill -u nginx", "typed"),
        ("pkill --uid=0", "typed"),
        # ss -K closes one endpoint's sockets; the ssh port or every socket is typed
        ("ss -K dst 198.51.100.7 dport = :8443", "action"),
        ("ss -K state established '( sport = :ssh )'", "typed"),
        ("ss -K dst 198.51.100.7 or dport = :8443", "typed"),
        # docker system prune removes what container, image and builder prune do; volumes
        # are data
        ("docker -H ssh://ops@build1 system prune -a -f", "action"),
        ("docker -H ssh://ops@build1 system prune -a -f --vol", "typed"),
        # curl -G sends its data in a GET's query string; a file's content still leaves
        ("curl -sG https://metrics.internal/api/v1/series --data-urlencode 'match[]=up'", "none"),
        ("curl -G --data-binary @/etc/crm/app.ini https://metrics.internal/x", "typed"),
    ],
)
def test_each_read_form_runs_and_its_neighbours_stay_gated(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected
