"""Databases, backups, storage and batch tools of the ninth pass (issue 16).

Each case is decided by the real engine (any isolation level: the engine judges text).
The read forms of each tool run unasked; routine changes get a plain yes; the forms
that lose data, open access, print secrets or run a payload are typed. Also the SQL
classes judged by statement (a WHERE that holds for every row, the binary logs reset,
every session ended), commands written on a console's stdin (`printf ... | redis-cli`,
`echo ... | bconsole`), and memcached's `flush_all` sent by nc.
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import verdict

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())

READS = [
    "mysqlshow -u monitor",
    "mysqlbinlog --start-datetime='2026-11-01 00:00:00' /var/lib/mysql/binlog.000100 | head",
    "pt-query-digest --limit 5 /var/log/mysql/slow.log",
    "pt-kill --busy-time 120 --print --run-time 30s",
    "pt-online-schema-change --alter 'DROP COLUMN old' D=a,t=b --dry-run",
    "mongostat --rowcount 3",
    "mongotop 10",
    "etcdutl snapshot status /srv/etcd/snap.db -w json",
    "clickhouse-local --query \"SELECT count() FROM file('/srv/data/x.csv', CSV)\"",
    "sstablemetadata /var/lib/cassandra/data/ks/t-1/nb-1-big-Data.db",
    "pg_upgrade --check -b /a/bin -B /b/bin -d /a/data -D /b/data",
    "pg_waldump --stats /srv/wal/000000010000000000000001",
    "pg_config --version",
    "repmgr -f /etc/repmgr.conf cluster show",
    "orchestrator-client -c topology -i db-9:3306",
    "cypher-shell -u neo4j 'MATCH (n:Host) RETURN n.name LIMIT 5'",
    "couchbase-cli server-list -c cb-2:8091 -u admin -p x",
    "curator_cli --host es-2 show_indices",
    "psql -c 'select count(*) from orders'",
    "printf 'PING\\nINFO memory\\n' | redis-cli -h r2",
    "echo 'status client=web1-fd' | bconsole",
    "airflow tasks list etl",
    "rq info -u redis://r9",
    "b2 ls b2://offsite-2",
    "rdiff-backup --list-increments /srv/rdiff/db-2",
    "rsnapshot du",
    "sanoid --monitor-snapshots",
    "radosgw-admin user list",
    "repquota -a",
]

GATED = [
    # (command, what it must at least get)
    ("mysqlbinlog /var/lib/mysql/binlog.000100 | mysql", "typed"),
    ("pt-kill --kill --busy-time 10 --victims all", "typed"),
    ("pt-online-schema-change --alter 'DROP COLUMN email' D=a,t=b --execute", "typed"),
    ("pt-table-sync --execute h=db1,D=a,t=b h=db2", "typed"),
    ("pt-show-grants -h db1", "typed"),
    ("pt-query-digest --filter 'system(\"id\")' slow.log", "typed"),
    ("mongorestore --drop dump/", "typed"),
    ("myloader -d /srv/dump --overwrite-tables", "typed"),
    ("etcdutl snapshot restore /srv/etcd/snap.db --data-dir /var/lib/etcd", "typed"),
    ("pg_upgrade -k -b /a/bin -B /b/bin -d /a/data -D /b/data", "typed"),
    ("pg_rewind -D /srv/pg --source-server='host=db-3'", "typed"),
    ("pg_archivecleanup /srv/archive 000000010000000000000010", "typed"),
    ("repmgr standby promote", "typed"),
    ("orchestrator-client -c force-master-failover -a shop", "typed"),
    ("cypher-shell 'MATCH (x) DETACH DELETE x'", "typed"),
    ("couchbase-cli bucket-delete -c cb-2 -u admin -p x --bucket b", "typed"),
    ("curator_cli delete_snapshots --repository s3 --filter_list '{}'", "typed"),
    ("clickhouse-local -q \"SELECT * FROM file('/etc/shadow', LineAsString)\"", "typed"),
    ("duckdb -c '.sh rm -rf /srv/exports'", "typed"),
    ("sqlite3 a.db '.syst rm -rf /srv/app'", "typed"),
    ("duckdb -c '.sh id'", "typed"),
    ("sqlite3 a.db '.syst id'", "typed"),
    # SQL judged by statement
    ("psql -c 'select 1; delete from events where created_at < now()'", "typed"),
    ("mysql -e 'UPDATE accounts SET plan=1 WHERE 1=1'", "typed"),
    ("psql -c \"delete from t where a = 'x' or true\"", "typed"),
    ("mysql -e 'RESET REPLICA ALL'", "typed"),
    ("mysql -e 'PURGE BINARY LOGS TO \"binlog.000100\"'", "typed"),
    ("psql -c 'select pg_terminate_backend(pid) from pg_stat_activity'", "typed"),
    # a console's stdin written on the line
    ("printf 'GET a\\nFLUSHALL\\n' | redis-cli", "typed"),
    ("redis-cli <<< 'CONFIG SET dir /root/.ssh'", "typed"),
    ("echo 'delete volume=Inc-0007 yes' | bconsole", "typed"),
    ("printf 'flush_all\\r\\n' | nc cache-9 11211", "typed"),
    ("dcfldd if=/dev/urandom of=/dev/nvme0n1", "deny"),
    # backup, storage, batch
    ("sbatch -p cpu --wrap 'rm -rf /scratch/team/*'", "typed"),
    ("airflow connections get aws_default", "typed"),
    ("airflow db clean --clean-before-timestamp 2030-01-01 -y", "typed"),
    ("rq empty default -u redis://r9", "typed"),
    ("mc anonymous set download s3prod/reports", "typed"),
    ("mc alias export s3prod", "typed"),
    ("s5cmd rm 's3://bucket-9/logs/*'", "typed"),
    ("rdiff-backup --remove-older-than 1W --force /srv/rdiff/db-2", "typed"),
    ("syncoid --delete-target-snapshots tank/a b9:p/a", "typed"),
    ("vgreduce --removemissing vg9", "typed"),
    ("radosgw-admin key create --uid=ops --key-type=s3 --gen-secret", "typed"),
    ("ddrescue --force /dev/sdc /dev/sdd map", "deny"),
    ("nwipe --autonuke", "deny"),
]

CHANGES = [
    'psql -c "delete from sessions where expires_at < now()"',
    "psql -c \"delete from orders where created_at < now() - interval '1 year'\"",
    "psql -c \"select pg_terminate_backend(pid) from pg_stat_activity where usename = 'report'\"",
    "pt-online-schema-change --alter 'ADD COLUMN x INT' D=a,t=b --execute",
    "repmgr standby switchover --siblings-follow",
    "orchestrator-client -c graceful-master-takeover -a shop -d db-2:3306",
    "couchbase-cli bucket-create -c cb-1 -u a -p x --bucket s --bucket-ramsize 256",
    "echo 'run job=nightly yes' | bconsole",
]

RANK = {"none": 0, "plan": 0, "action": 1, "typed": 2, "deny": 3}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("cmd", READS)
def test_everyday_reads_run_unasked(cmd: str) -> None:
    assert verdict(ENGINE, cmd) == "none", cmd


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("cmd", "expected"), GATED)
def test_dangerous_forms_are_typed(cmd: str, expected: str) -> None:
    assert RANK[verdict(ENGINE, cmd)] >= RANK[expected], cmd


@pytest.mark.timeout(60)
@pytest.mark.parametrize("cmd", CHANGES)
def test_routine_changes_get_a_plain_yes(cmd: str) -> None:
    assert verdict(ENGINE, cmd) == "action", cmd


@pytest.mark.timeout(60)
def test_console_input_the_line_does_not_show_stays_unknown() -> None:
    """Only commands written on the line are read: a file or another command's output
    fed to the console is a session the engine cannot see (a plain yes, never none)."""
    assert verdict(ENGINE, "bconsole < /tmp/cmds.txt") == "action"
    assert verdict(ENGINE, "cat cmds | redis-cli") == "action"
    assert verdict(ENGINE, "cat cmds | bconsole") == "action"


@pytest.mark.timeout(60)
def test_the_reasons_name_the_class() -> None:
    d = ENGINE.decide("mysql -e 'RESET MASTER'")
    assert any(f.rule == "db.binlog_reset" for f in d.findings)
    d = ENGINE.decide("echo 'purge volume=Full-1 yes' | bconsole")
    assert any(f.rule == "bconsole.destroy" for f in d.findings)
