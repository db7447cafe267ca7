"""Thirteenth pass, false positives fixed by class (fp13).

Held-out v10's safe lines the engine gated, on tools and forms it describes, and the
seen parts' rest: each read-only form is described beside the same tool's writing,
running or destroying forms, so describing it opens no hole. Every case asserts the level
under the default preset `ops_safe`.
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
        # Hadoop's yarn, told apart from the JavaScript one by its single-dash options
        ("yarn application -list -appStates RUNNING,ACCEPTED", "none"),
        ("yarn application -status application_1733400000000_4412", "none"),
        ("yarn logs -applicationId application_1733400000000_4412 -log_files stderr", "none"),
        ("yarn node -list -all -showDetails | grep -E 'Node-State|Health'", "none"),
        ("yarn queue -status default", "none"),
        ("yarn rmadmin -getServiceState rm1", "none"),
        ("yarn application -kill application_1733400000000_4412", "action"),
        ("yarn logs -applicationId application_1 -out /srv/logs", "action"),
        ("yarn rmadmin -refreshQueues", "action"),
        ("yarn app -destroy sleeper-service", "typed"),
        ("yarn rmadmin -transitionToActive --forcemanual rm2", "typed"),
        ("yarn resourcemanager -format-state-store", "typed"),
        # the JavaScript yarn is unchanged
        ("yarn node server.js", "action"),
        ("yarn logs", "action"),
        ("yarn add -list", "action"),
        ("yarn why lodash", "none"),
        # airflow: a setting that names no credential reads; the secret ones stay typed
        ("airflow config get-value core parallelism", "none"),
        ("airflow config get-value scheduler dag_dir_list_interval", "none"),
        ("airflow config get-value core fernet_key", "typed"),
        ("airflow config get-value database sql_alchemy_conn", "typed"),
        ("airflow config get-value celery broker_url", "typed"),
        ("airflow config get-value webserver secret_key", "typed"),
        ("airflow config get-value elasticsearch host", "typed"),
        ("airflow config list", "typed"),
        ("airflow connections get core", "typed"),
        # airflow honours --dry-run (argparse refuses it where a subcommand lacks it)
        ("airflow db clean --clean-before-timestamp 2026-09-01 --dry-run", "none"),
        ("airflow db clean --clean-before-timestamp 2026-09-01 -y", "typed"),
        ("airflow db clean --clean-before-timestamp 2026-09-01 --dry-run=false -y", "typed"),
        # MinIO's client honours --dry-run on a copy, mirror or delete
        ("mc mirror --dry-run --remove /srv/ml/exports minio-prod/exports", "none"),
        ("mc rm --recursive --force --dry-run minio/tmp/", "none"),
        ("mc mirror --remove /srv/ml/exports minio-prod/exports", "typed"),
        ("mc mirror --remove minio-prod/a minio-prod/b", "typed"),
        ("mc mirror --dry-run=false /srv/www s3prod/www", "typed"),
        ("mc rm --recursive --force minio/tmp/", "typed"),
        ("tar c /etc | mc pipe --dry-run s3prod/etc.tar", "typed"),
        ("mc cp ./dump.sql minio/backups/", "typed"),
        # a report sent to the terminal is no file written
        ("goaccess /var/log/nginx/access.log --log-format=COMBINED -o /dev/stdout", "none"),
        ("goaccess /var/log/nginx/access.log -o csv", "none"),
        ("goaccess /var/log/nginx/access.log -o /etc/cron.d/x", "typed"),
        ("goaccess /var/log/nginx/access.log -o /var/www/html/report.html", "action"),
        ("vd --batch -f csv /srv/lake/exports/daily.csv -o /dev/stdout | head", "none"),
        ("vd -b x.csv -o -", "none"),
        ("vd -b x.csv -o /etc/cron.d/x", "typed"),
        ("vd --output=/root/.bashrc -b x.csv", "typed"),
        ("vd x.csv -b -o /srv/y.csv", "action"),
        ("vd -b -o /dev/stdout -p /srv/x.vdj x.csv", "action"),
        # ethtool: one action that only prints, the EEPROM dump with its range included
        ("ethtool -e ens1f0 length 64", "none"),
        ("ethtool -m eth0 hex on", "none"),
        ("ethtool --json -S eth0", "none"),
        ("ethtool eth0", "none"),
        ("ethtool -t eth0", "action"),
        ("ethtool -s eth0 speed 100 duplex full", "action"),
        ("ethtool -E eth0 magic 0x1 offset 0 value 0", "typed"),
        ("ethtool -f eth0 fw.bin", "typed"),
        # the number of IPsec security associations carries no key; the SAs do
        ("ip xfrm state count", "none"),
        ("ip xfrm state", "typed"),
        ("ip xfrm state list", "typed"),
        # a namespace or a section named `core` is no core dump in the working folder
        ("kubectl -n core get pods", "none"),
        ("kubectl --namespace=core get pods", "none"),
        ("helm -n core list", "none"),
        ("cat -n core", "typed"),
        ("strings core", "typed"),
        ("kubectl get pods -n /var/crash/core", "typed"),
        ("journalctl --unit=core -n 50", "none"),
        ("journalctl -u core -n 50", "none"),
        ("systemctl status core", "none"),
        ("docker logs core", "none"),
        ("kubectl describe pod core", "none"),
        ("cat status core", "typed"),
        ("docker cp core web:/x", "typed"),
        ("rclone cat core", "typed"),
        ("gdb /usr/bin/app core", "typed"),
        # step: the CA's public listings read; its tokens and revocations stay typed
        ("step ca provisioner list | jq -r '.[].name'", "none"),
        ("step ca admin list", "none"),
        # a provisioner added is a way to get certificates: typed (crit13's class)
        ("step ca provisioner add acme --type ACME", "typed"),
        ("step ca token shop.example.com", "typed"),
        ("step ca provisioner remove acme", "typed"),
        # kops previews a delete without --yes, as it does an update
        ("kops delete cluster --name k8s.staging.int.example", "none"),
        ("kops delete instancegroup nodes-b --name prod.k8s.example.com", "none"),
        ("kops delete cluster --name prod.k8s.example.com --yes", "typed"),
        ("kops delete ig nodes-b -y", "typed"),
        ("kops delete cluster --name x --yes=false", "none"),
        ("kops delete secret sshpublickey admin", "typed"),
        ("kops delete cluster --name prod.k8s.example.com --yes=1", "typed"),
        ("kops get secrets admin --type secret -oplaintext", "typed"),
        # the public half of a key
        ("openssl pkey -in /etc/ssl/ledger/api.key -pubout | openssl sha256", "none"),
        ("openssl rsa -in /etc/ssl/private/site.key -pubout", "none"),
        ("openssl pkey -in /etc/ssl/ledger/api.key -pubout -text", "typed"),
        ("openssl pkey -in /etc/ssl/ledger/api.key", "typed"),
        ("openssl rsa -in /etc/ssl/private/site.key", "typed"),
        # cargo-deny's checks read; its options with a value no longer hide the subcommand
        (
            "cargo deny --manifest-path /srv/repos/edge-agent/Cargo.toml check advisories bans",
            "none",
        ),
        ("cargo deny init", "action"),
        ("cargo --manifest-path /srv/x/Cargo.toml install --path .", "action"),
        ("cargo --manifest-path /srv/x/Cargo.toml tree", "none"),
        # bun's package manager reports, beside the scripts it runs
        ("bun pm ls", "none"),
        ("bun pm cache", "none"),
        ("bun outdated", "none"),
        ("bun pm cache rm", "action"),
        ("bun pm trust --all", "action"),
        ("bun run build", "action"),
        ("bun x.ts", "action"),
        ("bun outdated --preload ./x.ts", "action"),
        ("bun info ./x.ts", "action"),
        ('bun -e \'require("child_process").execSync("rm -rf /")\'', "deny"),
        # MySQL Shell's command-line API: checks and statuses read
        ("mysqlsh root@db-ml.data.int -- util checkForServerUpgrade --output-format=JSON", "none"),
        ("mysqlsh root@db1 -- cluster status", "none"),
        ("mysqlsh root@db1 -- util dump-instance /srv/dump", "action"),
        ("mysqlsh -e 'x' root@db1 -- cluster status", "action"),
        ("mysqlsh root@db1 -- cluster dissolve --force", "typed"),
        # an OpenSCAP evaluation of packaged content reports; a remediation rewrites SSH,
        # PAM, sudo and audit settings at once, each a typed write (crit14: typed)
        (
            "oscap xccdf eval --profile xccdf_org.ssgproject.content_profile_cis --report "
            "/dev/stdout /usr/share/xml/scap/ssg/content/ssg-debian12-ds.xml | grep -c fail",
            "none",
        ),
        ("oscap xccdf eval --remediate --profile cis /usr/share/xml/scap/ssg/x-ds.xml", "typed"),
        ("oscap xccdf eval --profile cis /srv/x-ds.xml", "action"),
        ("oscap xccdf eval --results /srv/r.xml /usr/share/xml/scap/ssg/x-ds.xml", "action"),
        # a count of a history's lines prints none of them
        ("grep -c 'userdel\\|rm -rf' /root/.bash_history", "none"),
        ("grep -c 'mysql -p' /root/.bash_history", "none"),
        ("grep 'userdel' /root/.bash_history", "typed"),
        ("grep -c password /root/.bash_history", "typed"),
        ("grep -c 'hunter2' /etc/shadow", "typed"),
        # files named by a PEM armour's words: names, not content
        ("find /etc /srv -xdev -name '*.pem' -exec grep -l 'PRIVATE KEY' {} +", "none"),
        ("grep -l 'BEGIN RSA PRIVATE KEY' /etc/ssl/private/site.key", "none"),
        ("grep -l 'MIIEvQIBADAN' /etc/ssl/private/site.key", "typed"),
        ("grep 'PRIVATE KEY' /etc/ssl/private/site.key", "typed"),
        # a read-only tool's output glued to a long output option is a write
        ("top --output=/etc/cron.d/x", "typed"),
        ("top --output=/tmp/top.txt", "none"),
        ("df --output=source,size", "none"),
        ("ls -o /srv", "none"),
        # a decrypted secret piped into a filter that keeps only its shape
        (
            "sops -d --output-type json secrets/ledger.enc.yaml"
            " | jq -r 'paths(scalars) | join(\".\")'",
            "none",
        ),
        ("sops -d secrets/ledger.enc.yaml | jq -r '.db.password'", "typed"),
        (
            "age -d -i /root/.config/age/backup.key /srv/backups/etc.tar.age | tar -tvf - | head",
            "none",
        ),
        ("age -d -i /root/.config/age/backup.key /srv/backups/etc.tar.age | tar -xOf -", "typed"),
        ("age -d -i k.txt /srv/backups/etc.tar.age | tar -tvf - --to-command=sh", "typed"),
        # cargo install --version names the version it installs
        ("cargo install --locked --version 0.10.2 fd-find", "action"),
        ("cargo --version", "none"),
        # a WireGuard peer removed loses its way in; one added gains it
        ("wg set wg0 peer hX1/2B0Qc1a2Ii3zuf8eK0mW6Ml7d0iN4s5wEo1Rd3E= remove", "action"),
        ("wg set wg0 peer hX1= remove peer kR2= allowed-ips 10.99.0.12/32", "typed"),
        ("wg set wg0 peer kR2= allowed-ips 10.99.0.12/32", "typed"),
    ],
)
def test_fp13_levels(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, cmd
