"""Breadth (the eleventh pass, breadth11): the tools no pack described.

A tool no pack describes gets `unknown.command` (a plain yes) for its everyday reads and
misses its own destroying forms unless they follow the verb convention (`verbs.py`). The
packs `dbops.toml`, `dataplatform.toml`, `infra.toml` and `daemons.toml` describe some
hundreds of such tools, each read form beside the same tool's changing and destroying
ones. The cases below assert both sides for each family; the development set
`devset11.jsonl` (written before the engine was run on it; not a measured part, not in
`PARTS`) is measured so it cannot rot.
"""

from __future__ import annotations

import pytest
from helpers.devsets import gated_safe, measure, missed_critical
from helpers.policy_corpus import rules_of, verdict

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # PostgreSQL HA: reports read; a promotion or a dropped node with its data is typed
        ("pg_autoctl show state", "none"),
        ("pg_autoctl perform switchover", "action"),
        ("pg_autoctl perform promotion --name node2", "typed"),
        ("pg_autoctl drop node --destroy --pgdata /srv/pg", "typed"),
        ("pcp_node_info -h pgpool1 -U pcpadmin -n 0 -w", "none"),
        ("pcp_promote_node -h pgpool1 -n 1 -w", "typed"),
        ("pg_probackup show -B /srv/backups/pg", "none"),
        ("pg_probackup restore -B /srv/backups/pg --instance main -D /srv/pg", "typed"),
        # distributed SQL: the listings read, a forced failover or a keyspace drop is typed
        ("vtctldclient GetTablets --keyspace commerce", "none"),
        ("vtctldclient PlannedReparentShard commerce/0 --new-primary z1-101", "action"),
        ("vtctldclient EmergencyReparentShard commerce/0 --new-primary z1-101", "typed"),
        ("yb-admin -master_addresses m1:7100 list_tables", "none"),
        ("yb-admin -master_addresses m1:7100 delete_namespace ysql.appdb", "typed"),
        ("tiup cluster display prod-tidb", "none"),
        ("tiup cluster destroy prod-tidb", "typed"),
        ("tiup cluster exec prod-tidb --command 'rm -rf /var/lib/tidb'", "typed"),
        # brokers: describing reads, deleting a topic or moving a group's offsets is typed
        ("rpk topic describe orders", "none"),
        ("rpk topic create orders -p 12", "action"),
        ("rpk group seek billing --to end", "typed"),
        ("artemis queue purge --name orders", "typed"),
        ("mongoimport --uri mongodb://db1/app -c users --drop --file users.json", "typed"),
        ("mongoimport --uri mongodb://db1/app -c users --file users.json", "action"),
        # the data platform's SQL shells are judged as SQL
        ("hive -e 'show databases'", "none"),
        ("hive -e 'drop database sales cascade'", "typed"),
        ("snowsql -c prod -q 'select count(*) from orders'", "none"),
        ("snowsql -c prod -q 'truncate table orders'", "typed"),
        ("trino --server trino:8080 --execute 'delete from hive.sales.orders'", "typed"),
        ("beeline -u jdbc:hive2://hs2:10000 -f load.hql", "action"),
        # HDFS: listings read, a recursive delete or a name node format is typed
        ("hdfs dfs -ls /user/etl", "none"),
        ("hdfs dfs -put /srv/x.csv /data/in/", "action"),
        ("hdfs dfs -rm -r -skipTrash /data/warehouse", "typed"),
        ("hdfs namenode -format", "typed"),
        ("hdfs dfsadmin -report", "none"),
        ("hdfs dfsadmin -safemode enter", "action"),
        ("dbt compile", "none"),
        ("dbt run --full-refresh", "typed"),
        ("databricks clusters list", "none"),
        ("databricks secrets get-secret prod db_password", "typed"),
        # infrastructure: reads beside their destroying forms
        ("proxmox-backup-client snapshot list --repository r", "none"),
        ("proxmox-backup-client prune host/web1 --keep-last 1 --repository r", "typed"),
        ("linstor resource list", "none"),
        ("linstor resource delete node2 pvc-1", "typed"),
        ("xe vm-list", "none"),
        ("xe vm-shutdown vm=web1", "action"),
        ("xe vm-shutdown vm=web1 force=true", "typed"),
        ("vim-cmd vmsvc/getallvms", "none"),
        ("vim-cmd vmsvc/power.off 12", "typed"),
        ("esxcli storage core device list", "none"),
        ("esxcli system shutdown reboot --reason patch", "typed"),
        ("cinder list", "none"),
        ("cinder force-delete vol-1", "typed"),
        ("ovn-nbctl show", "none"),
        ("ovn-nbctl ls-del sw0", "typed"),
        ("headscale nodes list", "none"),
        ("headscale preauthkeys create --user ops --reusable", "typed"),
        ("kops get clusters", "none"),
        ("kops get secrets admin --type secret -oplaintext", "typed"),
        ("cephadm shell -- ceph -s", "none"),
        ("cephadm shell -- ceph osd pool rm rbd rbd --yes-i-really-really-mean-it", "typed"),
        ("omreport storage pdisk controller=0", "none"),
        ("omconfig storage vdisk action=deletevdisk controller=0 vdisk=1", "typed"),
        ("salt-cp 'web*' /srv/files/app.conf /etc/app/app.conf", "action"),
        ("salt-cp '*' /srv/files/sshd_config /etc/ssh/sshd_config", "typed"),
        ("vercel env ls", "none"),
        ("vercel env pull .env.production", "typed"),
        # daemons and application CLIs
        ("wp plugin list", "none"),
        ("wp config get DB_PASSWORD", "typed"),
        ("wp db reset --yes", "typed"),
        ("wp search-replace 'http://old' 'https://new' --dry-run", "none"),
        ("wp search-replace 'http://old' 'https://new' --all-tables", "typed"),
        ("drush status", "none"),
        ("drush sql:query 'TRUNCATE users'", "typed"),
        ("occ config:list", "none"),
        ("occ config:list --private", "typed"),
        ("cscli decisions list", "none"),
        ("cscli bouncers add firewall", "typed"),
        ("clamdscan --fdpass /srv/uploads", "none"),
        ("clamdscan --remove /srv/uploads", "typed"),
        ("wazuh-control stop", "typed"),
        ("zeekctl stop", "action"),
        ("doppler projects", "none"),
        ("doppler secrets get DB_PASSWORD --plain", "typed"),
        ("doppler run -- env", "typed"),
        ("doppler run -- ./server", "action"),
        ("aws-vault exec prod -- rm -rf /srv/data", "typed"),
        ("chamber list api", "none"),
        ("chamber read api db_password", "typed"),
        ("gitea admin user list", "none"),
        ("gitea admin user generate-access-token --username admin --scopes all", "typed"),
        ("gitlab-psql -c 'select count(*) from projects'", "none"),
        ("gitlab-psql -c 'DROP TABLE ci_builds'", "typed"),
        ("circusctl status", "none"),
        ("circusctl quit", "action"),
        ("elasticsearch-node unsafe-bootstrap", "typed"),
        ("kibana-keystore show elasticsearch.password", "typed"),
    ],
)
def test_breadth11_families(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "cmd",
    [
        # a read form that loads code first, chains a second command or names a secret
        "wp plugin list --exec='system(\"id\");'",
        "wp --require=/tmp/x.php core version",
        "wp user meta get 1 session_tokens",
        "drush status --include=/tmp/cmds",
        "ovn-nbctl show -- ls-add sw9",
        "clamscan -r -l /etc/cron.d/x /srv",
        "asinfo -v 'config-set:context=service;proto-fd-max=1'",
        "asadm -e 'info; manage truncate ns test'",
        "gfsh -e 'connect' -e 'list members' -e 'shutdown'",
        "spacecmd -- activationkey_list",
        "cobbler system dumpvars --name web1",
        "kea-shell --service dhcp4 config-get",
        "ipmiutil lan -e",
        "xe host-call-plugin host-uuid=1 plugin=x fn=y",
        "jx get secrets",
        "doppler secrets --only-names --plain",
        "esxcli --formatter=csv system account set -i root -p x",
        # a report sent to a file by the tool's own output option
        "pgmetrics -o /etc/cron.d/x appdb",
        "tpm2_pcrread -o /etc/cron.d/x sha256:0",
        "freeipa-healthcheck --output-file /etc/cron.d/x",
        "amcheck -w DailySet1",
    ],
)
def test_a_read_form_is_no_hole(cmd: str) -> None:
    """Describing a tool's reads must not let its code loaders, chained commands,
    secret-printing forms or writes through as reads."""
    assert verdict(ENGINE, cmd) != "none", (cmd, rules_of(ENGINE, cmd))


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # a confirmation demanded only before destroying says what the command does
        ("zztool osd evacuate 3 --yes-i-really-mean-it", "typed"),
        ("zztool node leave --yes-i-really-really-mean-it", "typed"),
        ("acme-ctl apply --i-know-what-i-am-doing", "typed"),
        ("fooadm migrate --accept-data-loss", "typed"),
        ("fooadm schema push --destroy-data", "typed"),
        # erasing and deprovisioning are destroy verbs
        ("zztool sanitize /dev/nvme0", "typed"),
        ("zztool node deprovision web1", "typed"),
        ("zztool zeroize --all", "typed"),
        # not as a setting, not switched off, not under an explicit dry run
        ("zztool render --sanitize", "action"),
        ("zztool apply --yes-i-really-mean-it=false", "action"),
        ("zztool apply --yes-i-really-mean-it --dry-run", "action"),
        ("zztool status", "none"),
        # an API verb in camelCase counts by its parts
        ("zzcli cvm TerminateInstances --InstanceIds ins-1", "typed"),
        ("zzcli vt DeleteKeyspace commerce", "typed"),
        ("zzcli cvm DescribeInstances", "action"),
        # a credential asked for by a word or a flag
        ("zztool user token", "typed"),
        ("zztool generate creds -a APP", "typed"),
        ("zztool accounts set-password -id a1", "typed"),
        ("zztool key info ops --show-secret", "typed"),
        ("zztool config get --reveal", "typed"),
        ("zztool key list", "action"),
        ("zztool status --reveal=false", "action"),
        # nouns before a listing verb
        ("zztool person list", "none"),
        ("zztool stack list", "none"),
        ("zztool scopes list", "none"),
        ("zztool registry list", "none"),
    ],
)
def test_destroy_convention_breadth11(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))


@pytest.mark.timeout(60)
def test_a_table_tools_output_file_is_still_a_write() -> None:
    """A read subcommand whose report an output option sends to a path writes it."""
    assert verdict(ENGINE, "rpk topic describe orders -o /etc/cron.d/x") != "none"


@pytest.mark.timeout(60)
def test_a_read_form_feeds_no_hole_through_the_line() -> None:
    """Describing a read leaves the rest of the line judged: a pipe into a shell, a
    redirection over a system file."""
    assert verdict(ENGINE, "ovn-nbctl show | sh") in ("typed", "deny")
    assert verdict(ENGINE, "xe vm-list > /etc/profile.d/x.sh") in ("action", "typed", "deny")


@pytest.mark.timeout(120)
def test_devset11_is_measured() -> None:
    """The development set's first round (tools the packs now describe): safe false
    positives and critical recall stay at least as good as at the end of the pass
    (before the packs: 69.1 % FP, 52.8 % critical recall; after: 9 of 556 gated, 392 of
    393 critical lines typed). Left: Hadoop's `yarn` shares its name with JavaScript's
    (`yarn application` runs a package script there), `snyk test` and `clairctl report`
    send the project's or image's contents to a service, `elastic-agent inspect` prints
    the policy with its outputs' credentials, `wp core version`'s `core` reads as a core
    dump, `knotc conf-read` is left to the verb convention (its `read` is no read verb).

    The second round (32 tools no pack describes, written after the packs) measures the
    conventions alone: 30 of 52 reads gated and 21 of 30 critical lines typed before the
    pass's generic classes (credential words and flags, camelCase verbs, more nouns), 26
    and 26 after."""
    first = measure("devset11.jsonl", ENGINE, round_=1)
    assert first.safe_false_positives.value <= 0.02, gated_safe(first)
    assert first.critical_recall.value >= 0.99, missed_critical(first)
    second = measure("devset11.jsonl", ENGINE, round_=2)
    assert second.safe_false_positives.value <= 0.51
    assert second.critical_recall.value >= 0.86
