"""Classes of behaviour found missing on held-out v3 (fourth pass on issue 16).

Each case is a class, spelled in ways no rule and no held-out command names literally:
backups and object stores (listing reads; forgetting, pruning, deleting a bucket or a
prefix destroys the copies a recovery needs); GitOps controllers, LXD/Incus instances
and CRI tools (read forms run, deletes and uninstalls are typed, `exec` payloads are
judged); database servers' password hashes, SQL that makes an account an admin, and the
clients of more databases (influx, ZooKeeper, cockroach, cqlsh keyspaces, sqlcmd -Q); a
service's environment printed from a container or a pod; credentials named by the
environment (connection strings), by jq's `env`, by getent, git's credential helper, a
cloud CLI's configuration, `/proc/<computed pid>/environ` and saved network
connections; and reads that print only a count or a status. Counter-cases show the
everyday form of each still runs.
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
        # backups: listing reads; forgetting, pruning and deleting destroy
        ("restic --repo s3:minio/bk snapshots --json", "none"),
        ("restic --repo s3:minio/bk forget --keep-daily 1 --prune", "typed"),
        ("restic --repo s3:minio/bk forget --keep-daily 1 --dry-run", "none"),
        ("borg list --short /srv/borg", "none"),
        ("borg compact /srv/borg", "typed"),
        ("barman show-backup pg latest", "none"),
        ("pgbackrest --stanza=main --delta restore", "typed"),
        ("velero get backups", "none"),
        ("velero backup delete weekly-1 --confirm", "typed"),
        # object stores: a bucket or a prefix deleted, a local file sent
        ("mc ls --versions s3prod/logs", "none"),
        ("mc rb --force --dangerous s3prod/logs", "typed"),
        ("s3cmd del --recursive s3://logs-bucket/old/", "typed"),
        ("s3cmd del s3://logs-bucket/old/one.gz", "action"),
        ("mc mirror /var/www s3prod/www-copy", "typed"),
        # GitOps, LXD, CRI: read forms run, deletes are typed, exec payloads judged
        ("flux get sources git -A", "none"),
        ("flux delete helmrelease grafana -s", "typed"),
        ("argocd app manifests shop", "none"),
        ("argocd proj delete team-a", "typed"),
        ("incus list --format csv", "none"),
        ("incus storage delete pool2", "typed"),
        ("lxc exec ci-1 -- sh -c 'rm -rf /etc/ssh'", "deny"),
        ("lxc exec ci-1 -- df -h", "none"),
        ("crictl exec 9c1d rm -rf /var/lib/kubelet", "typed"),
        ("crictl inspect 9c1d", "none"),
        ("podman rm --all --force", "typed"),
        # a service's environment printed from a container or a pod
        ("docker exec -u 0 web printenv", "typed"),
        ("kubectl exec job/migrate -- env", "typed"),
        ("docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' cache", "typed"),
        ("docker exec web env FOO=1 ls", "none"),
        ("docker inspect -f '{{.State.Running}}' cache", "none"),
        # database servers: password hashes, admin grants, more clients
        ("psql -qAt -c 'select rolname, rolpassword from pg_catalog.pg_authid'", "typed"),
        ("redis-cli -a x CONFIG GET masterauth", "typed"),
        ("redis-cli CONFIG GET save", "none"),
        ("mysql -e \"UPDATE wp_users SET role = 'administrator' WHERE ID = 3\"", "typed"),
        ("psql -c \"CREATE ROLE ops LOGIN SUPERUSER PASSWORD 'x'\"", "typed"),
        ("psql -c \"UPDATE t SET seen = true WHERE role = 'admin'\"", "action"),
        ('mongosh admin --eval \'db.createUser({user: "u", pwd: "p", roles: ["root"]})\'', "typed"),
        ("mongosh --eval 'db.runCommand({ping: 1})'", "none"),
        ("cqlsh -e 'drop keyspace audit'", "typed"),
        ("sqlcmd -S sql2 -Q 'DROP DATABASE Staging'", "typed"),
        ("cockroach sql --insecure -e 'show databases'", "none"),
        ("influx delete -b logs --start 2020-01-01T00:00:00Z --stop 2027-01-01T00:00:00Z", "typed"),
        ("zookeeper-shell zk1:2181 deleteall /hbase", "typed"),
        ("zookeeper-shell zk1:2181 ls /", "none"),
        ("etcdctl get --prefix / -w json", "typed"),
        ("etcdctl --endpoints https://e1:2379 get /app/flag", "none"),
        ("postsuper -d ALL", "typed"),
        ("mysqladmin -h db1 -u mon status", "none"),
        # credentials named another way
        ("printenv MONGODB_URI", "typed"),
        ('echo "$DATABASE_DSN"', "typed"),
        ("printenv TERM", "none"),
        ("jq -n 'env.VAULT_TOKEN'", "typed"),
        ("jq -n 'env.USER'", "none"),
        ("getent shadow", "typed"),
        ("getent passwd root", "none"),
        ("git credential fill <<< 'protocol=https'", "typed"),
        ("aws configure export-credentials", "typed"),
        ("aws configure get region", "none"),
        ("xargs -0 -n1 < /proc/$(pgrep -n java)/environ", "typed"),
        ("cat /etc/NetworkManager/system-connections/lab.nmconnection", "typed"),
        # reads that print only a count, a status or names
        ("grep -c . ~/.aws/credentials", "none"),
        ("grep -q '^AWS_SECRET_ACCESS_KEY=' /srv/app/.env", "none"),
        ("grep -q 'wJalr' ~/.aws/credentials", "typed"),
        ("openssl pkey -in /etc/ssl/private/site.key -noout -check", "none"),
        ("openssl pkey -in /etc/ssl/private/site.key -noout -text", "typed"),
    ],
)
def test_each_class_is_judged_by_what_it_does(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, cmd
