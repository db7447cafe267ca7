"""Hostile review of audit19b's lowerings (nineteenth pass, rev19c).

First the lead's decision: a delete of backups by age (`find` in a backup folder with
`-mtime +N -delete` or `-exec rm -f {} +`, `rclone delete --min-age`, duplicity's
`remove-older-than`) is typed again: if the backup job has failed for N days every copy
is older than N, and all of them go. Retention by count (restic `forget --keep-*`, borg
`prune --keep-*`), restic `prune` and borg `compact` keep the newest copies: changes.

Then the bypass classes found in the other lowerings, each with the forms that must stay
lowered:

- a retention policy an option undoes: a keep option given twice (the last wins, borg's
  abbreviations included), restic's `--group-by` without host and paths (several hosts'
  snapshots ranked together), borg's `--keep-within` alone (it counts back from now);
- radmin's `show config` spaced or cased otherwise, and `show module config NAME` (they
  print the modules' passwords);
- Kea's control commands through curl in a body glued to its option, given with
  `--json`, or beside a second body; `config-test` naming a hook library (it loads it);
- tcpdump's `-z gzip` beside a second `-z` (the last one runs);
- `borg extract --dry-run --stdout` (the files' content is still written out);
- an iptables DROP whose `--match-set` is negated (everything outside the set).
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import assert_level

from aiperm_tui.policy import PolicyEngine

AGE_DELETES_TYPED = [
    "find /backup -name '*.tar.gz' -mtime +30 -delete",
    "find /backup/cust42 -type f -mtime +30 -exec rm -f {} +",
    "find /backup -mtime +30 -delete",
    "find /var/backups/mysql -name '*.sql.gz' -mtime +14 -delete",
    "cd /backup/cust42 && find . -name '*.tar.gz' -mtime +30 -delete",
    "rclone delete hostfolk-b2:backups/web7 --min-age 90d",
    "rclone delete --min-age 2M hostfolk-b2:dumps/web7",
    "duplicity remove-older-than 6M --force file:///backup/duplicity/cust42",
    "duplicity remove-older-than 30D --force sftp://bk@bk1/x",
]
COUNT_RETENTION_CHANGES = [
    "restic -r /backup/restic forget --keep-daily 7 --keep-weekly 4 --keep-monthly 6 --prune",
    "restic -r /backup/restic forget --keep-daily 7 --keep-last 1 --prune",
    "restic forget --keep-daily 7 --group-by host,paths --prune",
    "restic forget --keep-daily 7 --group-by paths,host,tags --prune",
    "restic forget --keep-within 14d --prune",
    "borg prune --keep-daily 7 --keep-weekly 4 --keep-monthly 6 /backup/borg",
    "borg prune --keep-within 14d --keep-daily 7 /backup/borg",
    "restic -r /backup/restic prune",
    "borg compact /backup/borg",
]
RETENTION_UNDONE_TYPED = [
    "restic -r /backup/restic forget --keep-daily 7 --keep-daily 1 --prune",
    "restic forget -d 7 --keep-daily=2 --prune",
    "borg prune --keep-daily 7 --keep-da 1 /backup/borg",
    "borg prune --keep-daily=7 --keep-daily=1 /backup/borg",
    "restic forget --keep-daily 7 --group-by '' --prune",
    "restic forget --keep-daily 7 -g paths --prune",
    "restic forget --keep-daily 7 --group-by=tags --prune",
    "borg prune --keep-within 14d /backup/borg",
    "borg prune --keep-within=1m /backup/borg",
    "borg prune --keep-within 7d --keep-within 1H /backup/borg",
]
RADMIN = [
    ("radmin -e 'show  config modules.sql.password'", "typed"),
    ("radmin -e 'show module config sql'", "typed"),
    ("radmin -e 'show Config modules.ldap.password'", "typed"),
    ("radmin -e 'show config modules.sql.password'", "typed"),
    ("radmin -e 'show client list'", "none"),
    ("radmin -e 'show module list'", "none"),
    ("radmin -e 'stats client auth 10.0.0.5'", "none"),
]
KEA = [
    ('curl -s -d\'{"command":"config-set","arguments":{}}\' http://127.0.0.1:8000/', "typed"),
    ('curl -s --data-binary=\'{"command":"config-set"}\' http://127.0.0.1:8000/', "typed"),
    ('curl -s --json \'{"command":"config-set"}\' http://127.0.0.1:8000/', "typed"),
    (
        'curl -s -d \'{"command": "status-get"}\' http://127.0.0.1:8000/ '
        '-d \'{"command":"config-set"}\'',
        "typed",
    ),
    (
        'curl -s -d \'{"command": "status-get"}\' --data-raw \'{"command":"config-write",'
        '"arguments":{"filename":"/etc/cron.d/x"}}\' http://127.0.0.1:8000/',
        "typed",
    ),
    (
        'curl -s -d \'{"command": "config-test", "arguments": {"Dhcp4": '
        '{"hooks-libraries": [{"library": "/tmp/x.so"}]}}}\' http://127.0.0.1:8000/',
        "typed",
    ),
    ('curl -s -d \'{"command": "status-get"}\' http://127.0.0.1:8000/', "none"),
    (
        "curl -s -X POST -H 'Content-Type: application/json' -d '{\"command\": "
        '"lease4-get-all", "service": ["dhcp4"]}\' http://127.0.0.1:8000/',
        "none",
    ),
    (
        'curl -s -d \'{"command": "config-test", "arguments": {"Dhcp4": {}}}\' '
        "http://127.0.0.1:8000/",
        "none",
    ),
]
OTHERS = [
    ("tcpdump -i eth0 -w /tmp/c.pcap -G 60 -z gzip -z ./x.sh", "typed"),
    ("tcpdump -i eth0 -w /tmp/c.pcap -G 60 -z ./x.sh -z gzip", "typed"),
    ("tcpdump -w c.pcap -G 60 -nz ./x.sh -z gzip", "typed"),
    ("tcpdump -i eth0 -w /tmp/c.pcap -G 60 -z gzip", "action"),
    ("tcpdump -w c.pcap -G 60 -z /usr/bin/xz", "action"),
    ("borg extract --dry-run --stdout /backup/borg::x etc/shadow", "typed"),
    ("borg extract -n --stdout /backup/borg::x", "typed"),
    ("borg extract --dry-run --list /backup/borg::web7-2026-12-06", "none"),
    ("iptables -A INPUT -m set ! --match-set allow src -j DROP", "typed"),
    ("iptables -A INPUT -m set --match-set ddos src -j DROP", "action"),
]


@pytest.mark.parametrize("cmd", AGE_DELETES_TYPED)
def test_a_delete_of_backups_by_age_is_typed(engine: PolicyEngine, cmd: str) -> None:
    assert_level(engine, cmd, "typed")


@pytest.mark.parametrize("cmd", COUNT_RETENTION_CHANGES)
def test_retention_by_count_stays_a_change(engine: PolicyEngine, cmd: str) -> None:
    assert_level(engine, cmd, "action")


@pytest.mark.parametrize("cmd", RETENTION_UNDONE_TYPED)
def test_a_retention_policy_an_option_undoes_is_typed(engine: PolicyEngine, cmd: str) -> None:
    assert_level(engine, cmd, "typed")


@pytest.mark.parametrize(("cmd", "confirm"), RADMIN + KEA + OTHERS)
def test_a_lowering_ridden_by_a_hostile_spelling_is_gated(
    engine: PolicyEngine, cmd: str, confirm: str
) -> None:
    assert_level(engine, cmd, confirm)
