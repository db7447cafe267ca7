"""Breadth (the twelfth pass, breadth12): observability, message brokers, service meshes,
CI/CD and registries, the Kubernetes ecosystem and smaller clouds' CLIs.

The packs `telemetry.toml`, `messaging.toml`, `mesh.toml`, `delivery.toml`,
`k8stools.toml` and `paas.toml` describe the forms no pack knew, each read form beside
the same tool's deleting, credential-printing or code-running ones. The development set
`devset12.jsonl` (written before the engine was run on it; not a measured part, not in
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
        # observability: checks and listings read; a temp configuration, an inline exec
        # pipeline, a plugin from a URL or a credential file read are typed
        ("loki -verify-config -config.file=/etc/loki/config.yaml", "none"),
        ("loki -verify-config -config.file=/tmp/x.yaml", "action"),
        ("fluent-bit -c /etc/fluent-bit/fluent-bit.conf", "action"),
        ("fluent-bit -c /tmp/fb.conf", "typed"),
        ("telegraf --config /tmp/t.conf --test", "typed"),
        ("otelcol-contrib --config=/var/tmp/otel.yaml", "typed"),
        ("fluent-bit -i exec -p 'command=id' -o stdout", "typed"),
        ("logstash -e 'input { exec { command => \"id\" interval => 5 } }'", "typed"),
        ("grafana cli plugins ls", "none"),
        ("grafana-cli --pluginUrl https://x.example.net/p.zip plugins install p", "typed"),
        ("influx -execute 'SHOW DATABASES'", "none"),
        ("influx -execute 'SELECT * INTO copy FROM cpu'", "action"),
        ("influx -execute 'DROP DATABASE telegraf'", "typed"),
        ("zabbix_get -s db1 -k 'vfs.file.contents[/etc/shadow]'", "typed"),
        ("zabbix_get -s web1 -k 'vfs.file.contents[/etc/zabbix/zabbix_agentd.conf]'", "action"),
        ("alloy fmt /etc/alloy/config.alloy", "none"),
        ("alloy fmt -w /etc/alloy/config.alloy", "action"),
        ("whisper-info.py /var/lib/graphite/whisper/web1/cpu.wsp", "none"),
        ("vmbackupmanager backup list", "none"),
        ("sensuctl api-key grant admin", "typed"),
        # message brokers
        ("echo 'DISPLAY QLOCAL(*) CURDEPTH' | runmqsc QM1", "none"),
        ("echo 'CLEAR QLOCAL(ORDERS)' | runmqsc QM1", "typed"),
        ("runmqsc QM1", "action"),
        ("dspmq -m QM1 -o all", "none"),
        ("dltmqm QM1", "typed"),
        ("endmqm -i QM1", "action"),
        ("endmqm -p QM1", "typed"),
        ("lavinmqctl list_queues", "none"),
        ("lavinmqctl purge_queue orders", "typed"),
        ("rabbitmqctl await_startup", "none"),
        ("rabbitmq-diagnostics os_env", "action"),
        (
            "kafka-leader-election.sh --election-type unclean --all-topic-partitions",
            "typed",
        ),
        (
            "kafka-leader-election.sh --election-type preferred --all-topic-partitions",
            "action",
        ),
        ("rpk redpanda admin brokers decommission 2", "typed"),
        ("mosquitto_ctrl dynsec deleteClient operator", "typed"),
        ("emqx_ctl retainer clean", "typed"),
        ("artemis user list", "none"),
        # meshes and gateways
        ("consul intention create -allow '*' '*'", "typed"),
        ("consul intention create -allow web api", "action"),
        ("consul kv get app/db/password", "typed"),
        ("consul kv get app/config/feature_x", "none"),
        ("linkerd multicluster link --cluster-name east", "typed"),
        ("istioctl kube-inject -f /srv/app/deploy.yaml", "none"),
        ("tetra getevents -o compact", "none"),
        ("tetra tracingpolicy delete block-shells", "typed"),
        # CI/CD and registries
        ("gh extension install acme/gh-tools", "typed"),
        ("helm plugin install https://github.com/someone/helm-tools", "typed"),
        ("helm plugin update diff", "action"),
        ("helm secrets decrypt secrets.prod.yaml", "typed"),
        ("helm unittest ./charts/api", "none"),
        ("helm unittest -u ./charts/api", "action"),
        ("jf c export", "typed"),
        ("jf rt curl -XDELETE /api/repositories/libs-release", "typed"),
        ("harbor artifact list library/api", "none"),
        ("harbor project delete library", "typed"),
        ("gitlab-rake db:migrate:status", "none"),
        ("argocd app sync api --prune --force --replace", "typed"),
        ("argocd app sync api --prune", "action"),
        # the Kubernetes ecosystem
        ("karmadactl get clusters", "none"),
        ("karmadactl deinit", "typed"),
        ("karmadactl exec -C member1 api-0 -- rm -rf /data", "typed"),
        ("kumactl get dataplanes -m default", "none"),
        ("kumactl get secrets -m default -o yaml", "typed"),
        ("kumactl delete mesh default", "typed"),
        ("cmctl inspect secret api-tls -n prod", "none"),
        ("crossplane beta trace xpostgres/db-prod", "none"),
        ("kubectx", "none"),
        ("kubectx prod-eu", "action"),
        ("k3d cluster list", "none"),
        ("k3d kubeconfig get dev", "typed"),
        ("rke2 etcd-snapshot list", "none"),
        ("rke2 server --cluster-reset", "typed"),
        ("k0s kubectl get pods -A", "none"),
        ("k0s etcd leave --peer-address 10.0.0.4", "typed"),
        ("talosctl -n 10.0.0.2 read /proc/meminfo", "none"),
        ("talosctl -n 10.0.0.2 read /var/lib/etcd/member/snap/db", "typed"),
        ("clusterctl generate cluster prod-2 --kubernetes-version v1.30.1", "none"),
        ("kops update cluster --name prod.k8s.example.com", "none"),
        ("kops update cluster --name prod.k8s.example.com --yes", "action"),
        ("minikube mount /:/host", "typed"),
        ("minikube mount /srv/build/app:/app", "action"),
        ("kustomize build --enable-exec overlays/prod", "action"),
        ("kustomize build --enable-exec /tmp/overlay", "typed"),
        ("kubeseal -f /srv/secrets/db.yaml -w /srv/sealed/db.yaml", "action"),
        # smaller clouds and platforms
        ("civo instance list", "none"),
        ("civo instance remove web1 -y", "typed"),
        ("civo kubernetes config prod --save", "typed"),
        ("yc compute instance list", "none"),
        ("yc iam create-token", "typed"),
        ("stackit ske cluster list", "none"),
        ("neonctl connection-string main --project-id x1", "typed"),
        ("turso db shell prod 'DROP TABLE users'", "typed"),
        ("supabase status", "typed"),
        ("supabase projects list", "none"),
        ("railway logs", "none"),
        ("railway variables", "typed"),
        ("railway variables --set FEATURE_X=1", "action"),
        ("railway run printenv", "typed"),
        ("firebase projects:list", "none"),
        ("firebase auth:export /srv/users.json", "typed"),
        ("fly apps list", "none"),
        ("fly volumes destroy vol_123abc -y", "typed"),
        ("fly -t ci volumes", "none"),
        ("heroku run 'rm -rf /app/storage' -a api", "typed"),
        ("heroku addons:destroy heroku-postgresql --confirm api", "typed"),
        # second round
        ("splunk list index", "none"),
        ("splunk search 'index=main | delete'", "typed"),
        ("splunk clean eventdata -index main -f", "typed"),
        ("echo 'GET hosts' | unixcat /var/lib/nagios4/rw/live", "none"),
        ("prometheus --config.file=/tmp/p.yml", "typed"),
        ("pint lint /etc/prometheus/rules/", "none"),
        ("ksql http://ksqldb:8088 -e 'SHOW STREAMS;'", "none"),
        ("ksql http://ksqldb:8088 -e 'DROP STREAM orders DELETE TOPIC;'", "typed"),
        ("confluent kafka topic list", "none"),
        ("confluent api-key create --resource lkc-123abc", "typed"),
        ("mqadmin topicList -n ns1:9876", "none"),
        ("mqadmin deleteTopic -n ns1:9876 -c DefaultCluster -t orders", "typed"),
        ("nsc list keys --all", "none"),
        ("nsc list keys --all --show-seeds", "typed"),
        ("headscale nodes list", "none"),
        ("headscale preauthkeys create -u ops --reusable", "typed"),
        ("ziti edge list identities", "none"),
        ("tsh ls", "none"),
        ("tsh ssh root@web1 'rm -rf /srv/app'", "typed"),
        ("tctl get users", "none"),
        ("tctl get users --with-secrets", "typed"),
        ("tctl tokens ls", "typed"),
        ("tctl auth export --type=user", "none"),
        ("kubectl argo rollouts get rollout api -n prod", "none"),
        ("kubectl view-secret db-creds -n prod --all", "typed"),
        ("kubectl node-shell worker-3", "typed"),
        ("rosa list clusters", "none"),
        ("rosa create admin -c prod", "typed"),
        ("kubeone reset -m /srv/kubeone.yaml -t /srv/tf.json -y", "typed"),
        ("registry garbage-collect --dry-run /etc/docker/registry/config.yml", "none"),
        ("registry garbage-collect --delete-untagged /etc/docker/registry/config.yml", "typed"),
        ("gitlab project-variable get --project-id 42 --key DB_PASSWORD", "typed"),
        ("dokku apps:list", "none"),
        ("dokku config:show api", "typed"),
        ("dokku postgres:info api-db --dsn", "typed"),
        ("kamal details", "none"),
        ("kamal app exec 'rm -rf /rails/storage'", "typed"),
        ("eb printenv prod-env", "typed"),
        ("eb ssh prod-env -c 'sudo rm -rf /var/app/current'", "typed"),
        ("copilot svc ls", "none"),
        ("dnscontrol preview", "none"),
        ("octodns-sync --config-file /srv/octodns/config.yaml --doit", "action"),
        ("lexicon cloudflare delete example.com A --name api", "typed"),
    ],
)
def test_breadth12_family(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))


@pytest.mark.timeout(60)
def test_a_described_tool_keeps_its_output_and_payload_forms_gated() -> None:
    """A read rule never opens a hole: a listing whose words name a login, an output
    file, a command run inside and a configuration from a temp folder keep their own
    judgement."""
    assert verdict(ENGINE, "civo apikey show") == "typed"
    assert verdict(ENGINE, "stackit ske kubeconfig create prod") == "typed"
    assert verdict(ENGINE, "railway run rm -rf /srv") == "deny"
    assert verdict(ENGINE, "k0s kubectl delete ns prod") in ("typed", "deny")
    assert verdict(ENGINE, "mosquitto -c /tmp/m.conf") == "typed"
    assert verdict(ENGINE, "talosctl -n 10.0.0.2 read /proc/1/environ") != "none"
    assert verdict(ENGINE, "istioctl kube-inject -f d.yaml -o /etc/cron.d/x") != "none"
    assert (
        verdict(ENGINE, "echo 'DIS QMGR' | runmqsc QM1; echo 'DELETE QLOCAL(A)' | runmqsc QM1")
        == "typed"
    )


@pytest.mark.timeout(120)
def test_devset12_is_measured() -> None:
    """The development set, two rounds each written before the engine was run on it
    (1,013 lines over about 220 tools, then 309 over about 110 more; 62 of 463 and 67 of
    147 safe lines were gated, 68 of 295 and 31 of 100 critical ones missed then, before
    24 labels were corrected, mostly to the packs' earlier decisions, each with its
    reason in the note): every critical line is typed or denied, every change is gated
    and at most 1 % of the safe lines is gated (left: `rabbitmq-collect-env --help`, an
    unknown tool's help request, which is a plain yes by design)."""
    report = measure("devset12.jsonl", ENGINE)
    crit = report.critical_recall
    assert crit.hits == crit.total, missed_critical(report)
    assert report.safe_false_positives.value <= 0.01, gated_safe(report)
    assert report.danger_recall.hits == report.danger_recall.total
