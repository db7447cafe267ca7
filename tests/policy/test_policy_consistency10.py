"""One effect, one level, whatever the tool (tenth pass, consistency).

An operator learns from levels: if `nginx -s stop` asks for the typed code while
`systemctl stop nginx` asks for a plain yes, the code stops meaning "critical". Each
table below is a class of behaviour, its members written with different tools, and the
one level they all get under ops_safe (docs/policy.md, "One level for one effect").
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import verdict

from aiperm_tui.policy import PolicyEngine

# A clean stop of one service (or of every program one supervisor runs): an outage until
# it starts again, no data lost. A plain yes, as `systemctl stop nginx` (the tuned part,
# v4, v5 and v6 label these changes: `rndc stop`, `supervisorctl shutdown`, `squid -k
# shutdown`).
SERVICE_STOPS = [
    "systemctl stop nginx",
    "service nginx stop",
    "/etc/init.d/nginx stop",
    "nginx -s stop",
    "nginx -s quit",
    "caddy stop",
    "apachectl stop",
    "apachectl graceful-stop",
    "httpd -k stop",
    "squid -k shutdown",
    "postfix stop",
    "dovecot stop",
    "doveadm stop",
    "rndc stop",
    "unbound-control stop",
    "pg_ctl stop -D /var/lib/postgresql/16/main",
    "pg_ctl stop -m fast -D /var/lib/postgresql/16/main",
    "pg_ctlcluster 16 main stop",
    "mysqladmin shutdown",
    "mysqladmin -u root shutdown",
    "mysql -e 'SHUTDOWN'",
    "redis-cli shutdown",
    "redis-cli -h cache-1 SHUTDOWN SAVE",
    "mongosh --eval 'db.shutdownServer()'",
    "supervisorctl stop all",
    "supervisorctl shutdown",
    "pm2 kill",
    "pm2 stop all",
    "rc-service nginx stop",
    "sv down nginx",
    "s6-rc -d change nginx",
    "rabbitmqctl stop",
    "catalina.sh stop",
    "monit stop all",
    "nodetool drain",
    "nodetool stopdaemon",
    "kafka-server-stop.sh",
    "gitlab-ctl stop",
    "pcs resource disable pgsql",
    "crm resource stop pgsql",
]

# Stops that cost more than an outage: the operator's way in (ssh, the network, the
# firewall, the container runtime), the security and audit trail, data not yet saved
# (no save, an unclean stop the database must recover from), or the whole host.
CRITICAL_STOPS = [
    # a vital service, through every service manager
    "systemctl stop sshd",
    "service ssh stop",
    "/etc/init.d/ssh stop",
    "/etc/rc.d/init.d/sshd stop",
    "rc-service sshd stop",
    "invoke-rc.d ssh stop",
    "update-rc.d ssh disable",
    "chkconfig sshd off",
    "rc-update del sshd default",
    "sv down sshd",
    "sv force-stop /etc/service/sshd",
    "s6-svc -d /run/service/sshd",
    "svc -dx /service/sshd",
    "s6-rc -d change sshd",
    "initctl stop ssh",
    "monit stop sshd",
    "start-stop-daemon --stop --exec /usr/sbin/sshd",
    "rc-service networking stop",
    # the security and audit trail, through every service manager
    "systemctl stop auditd",
    "service fail2ban stop",
    "rc-service auditd stop",
    "/etc/init.d/auditd stop",
    "sv down fail2ban",
    "s6-svc -d /run/service/falco",
    "chkconfig auditd off",
    # data lost at the stop
    "redis-cli SHUTDOWN NOSAVE",
    "redis-cli shutdown save force",
    "redis-cli shutdown now",
    "pg_ctl stop -m immediate -D /var/lib/postgresql/16/main",
    "pg_ctl stop -mi -D /var/lib/postgresql/16/main",
    "pg_ctlcluster 16 main stop -m immediate",
    "sqlcmd -Q 'SHUTDOWN WITH NOWAIT'",
    "mongosh --eval 'db.shutdownServer({force: true})'",
    "systemctl kill -s KILL postgresql",
    # the whole host
    "shutdown -h now",
    "systemctl poweroff",
    "init 0",
]

# A planned switchover: the tool demotes the old primary once the candidate has caught
# up (held-out v7 labels orchestrator's graceful takeover a change), or moves a
# resource to another node. A plain yes.
SWITCHOVERS = [
    "patronictl switchover --candidate pg2 --force",
    "patronictl -c /etc/patroni/patroni.yml switchover",
    "repmgr -f /etc/repmgr.conf standby switchover --siblings-follow",
    "orchestrator-client -c graceful-master-takeover -a db-1:3306 -d db-2:3306",
    "redis-cli FAILOVER",
    "redis-cli FAILOVER TO 10.0.0.2 6379",
    "redis-cli CLUSTER FAILOVER",
    "mongosh --eval 'rs.stepDown()'",
    "crm resource move pgsql node2",
    "pcs resource move pgsql node2",
    "pcs node standby node1",
]

# A promotion or a forced failover: a replica made primary whether or not the old one
# still runs, or without waiting for it to catch up (split brain, lost transactions;
# held-out v7 labels `repmgr standby promote` critical). Typed.
FAILOVERS = [
    "patronictl failover --candidate pg2 --force",
    "patronictl failover",
    "repmgr -f /etc/repmgr.conf standby promote",
    "orchestrator-client -c force-master-failover -a db-1:3306",
    "orchestrator-client -c recover -i db-1:3306",
    "pg_ctl promote -D /var/lib/postgresql/16/main",
    "pg_ctlcluster 16 main promote",
    "psql -c 'SELECT pg_promote()'",
    "redis-cli FAILOVER FORCE TO 10.0.0.2 6379 TIMEOUT 100",
    "redis-cli FAILOVER TO 10.0.0.2 6379 FORCE",
    "redis-cli CLUSTER FAILOVER TAKEOVER",
    "redis-cli -p 26379 SENTINEL FAILOVER mymaster",
    "redis-cli REPLICAOF NO ONE",
    "mysqlsh --js -e \"dba.getCluster().forceQuorumUsingPartitionOf('db1:3306')\"",
    "mysqlsh -e 'dba.rebootClusterFromCompleteOutage()'",
    "gitlab-ctl promote-to-primary-node",
]


@pytest.mark.parametrize("cmd", SERVICE_STOPS)
def test_a_clean_service_stop_is_a_plain_yes_whatever_the_tool(
    engine: PolicyEngine, cmd: str
) -> None:
    assert verdict(engine, cmd, "ops_safe") == "action"


@pytest.mark.parametrize("cmd", CRITICAL_STOPS)
def test_a_stop_that_cuts_access_loses_data_or_the_host_is_typed(
    engine: PolicyEngine, cmd: str
) -> None:
    assert verdict(engine, cmd, "ops_safe") in ("typed", "deny")


@pytest.mark.parametrize("cmd", SWITCHOVERS)
def test_a_planned_switchover_is_a_plain_yes(engine: PolicyEngine, cmd: str) -> None:
    assert verdict(engine, cmd, "ops_safe") == "action"


@pytest.mark.parametrize("cmd", FAILOVERS)
def test_a_promotion_or_forced_failover_is_typed(engine: PolicyEngine, cmd: str) -> None:
    assert verdict(engine, cmd, "ops_safe") in ("typed", "deny")


def test_an_init_script_by_path_is_the_service_not_a_tool_of_that_name(
    engine: PolicyEngine,
) -> None:
    """`/etc/init.d/ssh stop` is `service ssh stop`: no ssh client reaching a host
    called `stop`."""
    d = engine.decide("/etc/init.d/ssh stop", None, "ops_safe")
    assert d.confirm == "typed"
    assert d.findings[0].rule == "service.stop"
    assert verdict(engine, "/etc/init.d/nginx status", "ops_safe") == "none"


def test_a_vital_stop_names_its_rule(engine: PolicyEngine) -> None:
    d = engine.decide("sv down sshd", None, "ops_safe")
    assert d.findings[0].rule == "service.vital_stop"
    d = engine.decide("s6-svc -d /run/service/sshd", None, "ops_safe")
    assert d.findings[0].rule == "service.vital_down"


# Every option by which rsync deletes gets the level of `--delete`.
@pytest.mark.parametrize(
    "option",
    [
        "--delete",
        "--del",
        "--delete-before",
        "--delete-during",
        "--delete-delay",
        "--delete-after",
        "--delete-excluded",
        "--delete-missing-args",
    ],
)
def test_every_rsync_delete_option_is_one_level(engine: PolicyEngine, option: str) -> None:
    d = engine.decide(f"rsync -a {option} ./dist/ /srv/www/", None, "ops_safe")
    assert d.confirm == "typed"
    assert any(f.rule == "fs.rsync_delete" for f in d.findings)
    assert verdict(engine, "rsync -a ./dist/ /srv/www/", "ops_safe") == "action"


# A help flag that may be the value of the option before it, or that follows `--`, is no
# request for usage: an unknown tool asked to destroy keeps the typed code.
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("zztool delete --name --help", "typed"),
        ("zztool purge -n --help", "typed"),
        ("zztool delete -- --help", "typed"),
        ("zztool delete --help", "plan"),
        ("zztool --help delete", "plan"),
        ("zztool delete x --help", "plan"),
        ("zztool status --name=x --help", "plan"),
    ],
)
def test_a_help_flag_that_may_be_a_value_does_not_lower_a_destroy_verb(
    engine: PolicyEngine, cmd: str, expected: str
) -> None:
    assert verdict(engine, cmd, "ops_safe") == expected


def test_a_service_environment_dump_is_one_list_for_every_tool(engine: PolicyEngine) -> None:
    """`docker exec`, `kubectl exec` (toolbox) and nomad, heroku, fly (the pack rule
    `service.env_dump`) share one pattern."""
    for cmd in (
        "docker exec web env",
        "kubectl exec -it api-0 -- printenv",
        "nomad alloc exec 3f9a env",
        "heroku run -a api printenv DATABASE_URL",
    ):
        assert verdict(engine, cmd, "ops_safe") == "typed", cmd
    assert verdict(engine, "docker exec web df -h", "ops_safe") == "none"


# A command run on another machine by a cloud or cluster CLI is judged as that command,
# as `ssh HOST CMD` is.
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("gcloud compute ssh web-1 -- sudo systemctl stop sshd", "typed"),
        ("gcloud compute ssh web-1 --command='sudo shutdown -h now'", "typed"),
        ("gcloud compute ssh web-1 -- uptime", "action"),
        ("minikube ssh -- sudo systemctl stop sshd", "typed"),
        ("minikube ssh -- uptime", "action"),
    ],
)
def test_a_remote_payload_is_judged_as_a_command(
    engine: PolicyEngine, cmd: str, expected: str
) -> None:
    assert verdict(engine, cmd, "ops_safe") == expected


# SQL given to a hosted database's client is judged as SQL, as `psql -c` is.
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("heroku pg:psql -a api -c 'DROP TABLE users'", "typed"),
        ("heroku pg:psql DATABASE_URL --app api --command='DELETE FROM sessions'", "typed"),
        ("heroku pg:psql -a api -c 'SELECT count(*) FROM users'", "none"),
        ("heroku pg:psql -a api", "action"),
        ("heroku ps -a api", "none"),
    ],
)
def test_heroku_pg_psql_sql_is_judged_as_sql(engine: PolicyEngine, cmd: str, expected: str) -> None:
    assert verdict(engine, cmd, "ops_safe") == expected


# Writes that do not look like writes: a login history rebuilt from text, a device or a
# file opened read-write by the shell.
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("utmpdump -r -o /var/log/wtmp /tmp/w.txt", "typed"),
        ("utmpdump --reverse --output=/var/log/btmp edited.txt", "typed"),
        ("utmpdump -o /srv/audit/wtmp.txt /var/log/wtmp", "action"),
        ("utmpdump /var/log/wtmp", "none"),
        ("exec 3<>/dev/sdb", "deny"),
        ("cat <> /dev/nvme0n1", "deny"),
        ("exec 3<>/etc/shadow", "typed"),
        ("exec 3</dev/sdb", "plan"),
    ],
)
def test_writes_by_another_name_are_judged_as_writes(
    engine: PolicyEngine, cmd: str, expected: str
) -> None:
    assert verdict(engine, cmd, "ops_safe") == expected


# A machine shut down cleanly is a change, as `virsh shutdown` is; switched off or reset
# as by its plug (no shutdown: what it had not written is lost) it is typed, as `virsh
# destroy` is.
CLEAN_SHUTDOWNS = [
    "virsh shutdown vm1",
    "qm shutdown 100",
    "pct shutdown 101",
    "lxc stop c1",
    "vagrant halt",
    "aws ec2 stop-instances --instance-ids i-0abc",
    "gcloud compute instances stop vm1",
    "hcloud server shutdown web-1",
    "doctl compute droplet-action shutdown 123",
    "docker stop web",
    "ctr task kill web",
]
HARD_POWER_OFFS = [
    "virsh destroy vm1",
    "qm stop 100",
    "qm reset 100",
    "pct stop 101",
    "lxc stop c1 --force",
    "incus stop -f ct1",
    "vagrant halt -f",
    "aws ec2 stop-instances --force --instance-ids i-0abc",
    "gcloud compute instances reset vm1",
    "hcloud server poweroff web-1",
    "doctl compute droplet-action power-off 123",
    "az vm stop -n vm1 -g rg --skip-shutdown",
    "ipmitool chassis power off",
]


@pytest.mark.parametrize("cmd", CLEAN_SHUTDOWNS)
def test_a_machine_shut_down_cleanly_is_a_plain_yes(engine: PolicyEngine, cmd: str) -> None:
    assert verdict(engine, cmd, "ops_safe") == "action"


@pytest.mark.parametrize("cmd", HARD_POWER_OFFS)
def test_a_machine_switched_off_as_by_its_plug_is_typed(engine: PolicyEngine, cmd: str) -> None:
    assert verdict(engine, cmd, "ops_safe") in ("typed", "deny")


# A systemd drop-in the line shows only tuning its unit (limits, resources, timeouts,
# restarts) is the change `systemctl set-property` makes, however it is written; one
# that may run a program (any other key, a variable, content the line does not show),
# or a whole unit, stays typed (a service definition runs as root).
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        (
            "printf '[Service]\\nLimitNOFILE=65536\\n'"
            " | tee /etc/systemd/system/nginx.service.d/limits.conf",
            "action",
        ),
        (
            "mkdir -p /etc/systemd/system/api.service.d && "
            "printf '[Service]\\nLimitNOFILE=65536\\n'"
            " > /etc/systemd/system/api.service.d/limits.conf",
            "action",
        ),
        (
            "cat > /etc/systemd/system/api.service.d/mem.conf <<EOF\n[Service]\nMemoryMax=2G\n"
            "TimeoutStopSec=5min 30s\nEOF",
            "action",
        ),
        ("tee /etc/systemd/system/x.service.d/o.conf <<< $'[Service]\\nTasksMax=512'", "action"),
        ("systemctl edit --stdin nginx <<< $'[Service]\\nLimitNOFILE=65536'", "action"),
        ("systemctl set-property nginx MemoryMax=1G", "action"),
        ("mkdir -p /etc/systemd/system/x.service.d", "action"),
        (
            "printf '[Service]\\nExecStartPre=/tmp/x\\n' > /etc/systemd/system/x.service.d/o.conf",
            "typed",
        ),
        (
            "printf '[Service]\\nEnvironment=LD_PRELOAD=/tmp/x.so\\n'"
            " | tee /etc/systemd/system/x.service.d/e.conf",
            "typed",
        ),
        (
            "printf '[Service]\\nLimitNOFILE=%s\\n' 1 > /etc/systemd/system/x.service.d/l.conf",
            "typed",
        ),
        (
            "cat > /etc/systemd/system/x.service.d/o.conf <<EOF\n[Service]\nLimitNOFILE=$(id)\nEOF",
            "typed",
        ),
        ("cp limits.conf /etc/systemd/system/x.service.d/limits.conf", "typed"),
        ("echo '[Service]' > /etc/systemd/system/x.service", "typed"),
        ("systemctl edit --stdin nginx <<< $'[Service]\\nExecStartPre=/tmp/x'", "typed"),
        ("systemctl edit --stdin nginx < /tmp/x.conf", "typed"),
        ("systemctl edit --full --stdin nginx <<< $'[Service]\\nLimitNOFILE=1'", "typed"),
        ("mkdir -p /etc/systemd/system/x.service.d /etc/cron.d/y", "typed"),
    ],
)
def test_a_drop_in_is_judged_by_what_it_sets(engine: PolicyEngine, cmd: str, expected: str) -> None:
    assert verdict(engine, cmd, "ops_safe") == expected


def test_a_redirection_after_a_list_belongs_to_its_last_command() -> None:
    """tree-sitter-bash gives `a && b > f` and `a | b > f` the redirection of the whole
    list; bash gives it to `b`, and so does the walk (a compound keeps its own)."""
    from aiperm_tui.policy.parse import parse

    def owners(src: str) -> list[list[str]]:
        return [[w.text for w in s.words] for s in parse(src).simples if s.redirects]

    assert owners("a && b > f") == [["b"]]
    assert owners("a | b > f") == [["b"]]
    assert owners("a; b > f") == [["b"]]
    assert owners("(a; b) > f") == [[]]
    assert owners("a && { b; } > f") == [[]]


# A file whose content root runs later is written at one level, as cron's and systemd's
# are: init scripts, supervised services' run scripts and program files, hooks of the
# network, package, kernel, certificate and login machinery, device rules, tmpfiles,
# generators and the polkit rules.
ROOT_RUNS_IT_LATER = [
    "/etc/cron.d/x",
    "/etc/systemd/system/x.service",
    "/usr/lib/systemd/system/x.service",
    "/etc/systemd/system-generators/x",
    "/etc/init.d/foo",
    "/etc/sv/foo/run",
    "/etc/service/foo/run",
    "/etc/supervisor/conf.d/app.conf",
    "/etc/supervisord.d/app.ini",
    "/etc/monit/conf.d/foo",
    "/etc/logrotate.d/app",
    "/etc/NetworkManager/dispatcher.d/99-x",
    "/etc/network/if-up.d/x",
    "/etc/dhcp/dhclient-exit-hooks.d/x",
    "/etc/udev/rules.d/99-x.rules",
    "/etc/apt/apt.conf.d/99x",
    "/etc/update-motd.d/99-x",
    "/etc/polkit-1/rules.d/x.rules",
    "/etc/bash_completion.d/x",
    "/etc/tmpfiles.d/x.conf",
    "/etc/kernel/postinst.d/x",
    "/etc/letsencrypt/renewal-hooks/deploy/x.sh",
    "/etc/modules-load.d/x.conf",
    "/etc/containers/systemd/x.container",
]


@pytest.mark.parametrize("path", ROOT_RUNS_IT_LATER)
def test_a_file_root_runs_later_is_written_at_one_level(engine: PolicyEngine, path: str) -> None:
    assert verdict(engine, f"cp x {path}", "ops_safe") == "typed"
    assert verdict(engine, f"cat {path}", "ops_safe") == "none"


@pytest.mark.parametrize(
    "path", ["/etc/nginx/nginx.conf", "/etc/sysctl.d/99-x.conf", "/etc/servicex/y", "/etc/services"]
)
def test_a_daemon_setting_is_a_plain_write(engine: PolicyEngine, path: str) -> None:
    assert verdict(engine, f"cp x {path}", "ops_safe") == "action"


# A logrotate file the line shows, saying only how logs under /var/log rotate, runs
# nothing: a change. A script, a program, mail, another file or a path outside /var/log
# stays typed.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/var/log/app/*.log {\n daily\n rotate 14\n compress\n create 0640 app adm\n}", "action"),
        ('"/var/log/app.log" {\n weekly\n missingok\n}', "action"),
        ("/var/log/app.log {\n postrotate\n  systemctl reload app\n endscript\n}", "typed"),
        ("/var/log/app.log {\n compresscmd /bin/sh\n}", "typed"),
        ("/var/log/app.log {\n mail ops@example.net\n}", "typed"),
        ("/etc/shadow {\n rotate 0\n}", "typed"),
        ("/var/log/../../etc/shadow {\n rotate 0\n}", "typed"),
    ],
)
def test_a_logrotate_file_is_judged_by_what_it_says(
    engine: PolicyEngine, text: str, expected: str
) -> None:
    cmd = f"cat > /etc/logrotate.d/app <<'EOF'\n{text}\nEOF"
    assert verdict(engine, cmd, "ops_safe") == expected


# SIGKILL to a database is one level however its process is named: by name, by a
# pattern, or through a PID lookup by name.
@pytest.mark.parametrize(
    "cmd",
    [
        "pkill -9 postgres",
        "killall -9 mysqld",
        "pkill -KILL -f redis-server",
        "kill -9 $(pidof redis-server)",
        "kill -9 $(pgrep -x postgres)",
        "systemctl kill -s KILL postgresql",
    ],
)
def test_sigkill_to_a_database_is_typed_however_it_is_named(engine: PolicyEngine, cmd: str) -> None:
    assert verdict(engine, cmd, "ops_safe") == "typed"
    assert verdict(engine, "kill $(pidof redis-server)", "ops_safe") == "action"


# Emptying a cache or lifting a firewall is one level whatever the tool.
@pytest.mark.parametrize(
    "cmd",
    [
        "redis-cli FLUSHALL",
        "echo flush_all | nc localhost 11211",
        "memcflush --servers=127.0.0.1:11211",
        "iptables -F",
        "nft flush ruleset",
        "ufw disable",
        "pfctl -d",
        "pfctl -F all",
    ],
)
def test_emptying_a_cache_or_lifting_a_firewall_is_typed(engine: PolicyEngine, cmd: str) -> None:
    assert verdict(engine, cmd, "ops_safe") == "typed"
    assert verdict(engine, "pfctl -s rules", "ops_safe") == "none"


# A database's or broker's account dropped is one level whatever the client.
@pytest.mark.parametrize(
    "cmd",
    [
        "psql -c 'DROP USER bob'",
        "mysql -e \"DROP USER 'bob'@'%'\"",
        "redis-cli ACL DELUSER bob",
        "rabbitmqctl delete_user bob",
        "mongosh --eval 'db.dropUser(\"bob\")'",
        "mongosh admin --eval 'db.dropAllUsers()'",
    ],
)
def test_a_database_account_dropped_is_typed_whatever_the_client(
    engine: PolicyEngine, cmd: str
) -> None:
    assert verdict(engine, cmd, "ops_safe") == "typed"
    assert verdict(engine, "mongosh --eval 'db.getUsers()'", "ops_safe") == "none"
