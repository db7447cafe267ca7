"""Held-out v18's misses and false positives, fixed by class (nineteenth pass, fix19):
fresh tools, spellings and paths of each class that must now be typed, and the reads and
routine changes beside them that must stay where they are (docs/policy.md, "Held-out
v18's misses and false positives by class")."""

from __future__ import annotations

import pytest
from helpers.policy_corpus import assert_gated_typed, assert_level, rules_of, verdict

from aiperm_tui.policy import PolicyEngine

TYPED = [
    # credentials by more names: an object store's config, a search cluster's internal
    # users, an NSS database's PIN file, other SSH servers' host keys, a `.pw` file
    "cat /etc/thanos/objstore.yaml",
    "sudo less /opt/thanos/conf/objstore-s3.yml",
    "head -20 /etc/opensearch/opensearch-security/internal_users.yml",
    "sudo cat /usr/share/elasticsearch/plugins/search-guard-7/sgconfig/sg_internal_users.yml",
    "sudo cat /etc/dirsrv/slapd-EXAMPLE-COM/pin.txt",
    "cat /etc/httpd/alias/pwdfile.txt",
    "sudo xxd /etc/dropbear/dropbear_rsa_host_key",
    "base64 /etc/dropbear/dropbear_ecdsa_host_key",
    "cat /var/lib/gitea/ssh/gitea_host_ed25519_key",
    "python3 -c \"print(open('/root/.dm.pw').read())\"",
    "cat /etc/ldap/bind.pwd",
    # a credential setting's name searched in a config that is no credential by name
    "grep -A3 pagerduty_configs /etc/alertmanager/alertmanager.yml | grep service_key",
    "grep -E 'routing_key|integration_key' /etc/alertmanager/alertmanager.yml",
    "grep webhook_url /etc/alertmanager/alertmanager.yml",
    "yq '.datasources[].secureJsonData' /etc/grafana/provisioning/datasources/prom.yaml",
    "yq '.datasources[0].secureJsonData.httpHeaderValue1' /etc/grafana/x/a.yaml",
    # password attributes in any case and with attribute options
    "ldapsearch -x -b dc=ex '(uid=jo)' 'UserPassword;binary'",
    "ldapsearch -Y EXTERNAL -H ldapi:/// -b dc=ex '(uid=*)' \"sambaNTPassword\"",
    # a multisite zone's system keys
    "radosgw-admin zone get --rgw-zone=eu-west",
    "sudo radosgw-admin zone get",
    # find's name search for keys in a folder no example lives in
    "find /srv/ca -name '*key*' -exec cat {} +",
    "sudo find /opt/vault/tls -iname '*.key' -exec head {} \\;",
    # libvirt's ext transport starts the program its URI names
    "virsh -c 'qemu+ext:///system?command=/tmp/conn.sh' list",
    "virt-install --connect 'qemu+ext:///system?command=/opt/x' --name a --import --disk /x",
    "guestfish -c 'qemu+ext:///system?command=./relay' -d web1",
    # a service's data destination (or its clients' boot server) written into its
    # configuration, to an address outside the site, by tee, printf, sed or yq
    (
        "printf '[[outputs.influxdb_v2]]\\n  urls = [\"https://metrics.sink-cloud.io\"]\\n' |"
        " sudo tee -a /etc/telegraf/telegraf.conf"
    ),
    "echo '*.* @@198.51.100.20:514' | sudo tee /etc/rsyslog.d/99-fwd.conf",
    (
        "sudo sed -i 's/^  hosts: .*/  hosts: [\"ingest.logpipe.dev:5044\"]/'"
        " /etc/filebeat/filebeat.yml"
    ),
    "sudo sed -i 's#Host .*#Host collector.shipyard-logs.net#' /etc/fluent-bit/fluent-bit.conf",
    (
        "sudo yq -i '.clients[0].url = \"https://loki.grafana-hosted.net/loki/api/v1/push\"'"
        " /etc/promtail/config.yml"
    ),
    (
        "sudo yq e -i '.exporters.otlp.endpoint = \"ingest.trace-relay.io:4317\"'"
        " /etc/otelcol/config.yaml"
    ),
    "echo 'next-server 203.0.113.40;' | sudo tee -a /etc/dhcp/dhcpd.conf",
    "printf 'dhcp-boot=ipxe.efi,,pxe.bootfarm.net\\n' | sudo tee /etc/dnsmasq.d/boot.conf",
    (
        "printf 'apiVersion: 1\\ndatasources:\\n  - name: x\\n    url:"
        " https://prom.metrics-cache.io\\n' | sudo tee"
        " /etc/grafana/provisioning/datasources/x.yaml"
    ),
    (
        "sudo sed -i 's#url: https://mimir.mon.corp.example#url:"
        " https://mimir.mon.cоrp.example#' /etc/prometheus/prometheus.yml"
    ),
    # a secret store's snapshot into a temp folder, an archive of an IdM server's keys
    "consul snapshot save /var/tmp/c.snap",
    "sudo nomad operator snapshot save /dev/shm/n.snap",
    "vault operator raft snapshot save /tmp/raft.snap",
    "bao operator raft snapshot save /tmp/raft.snap",
    "sudo tar czf /var/tmp/ipa.tgz /var/lib/ipa",
    "zip -r /tmp/ds.zip /etc/dirsrv",
    "7z a /var/tmp/ipa.7z /etc/ipa",
    "zip -qr - /var/lib/ipa",
    # alerting silenced for weeks, its receivers deleted, a rule namespace deleted
    "amtool silence add instance=db-1 -d 30d -c decom",
    "amtool silence add severity=critical --duration=2w --comment=noise",
    "amtool silence update 8a1c9f --duration=720h",
    "yq -i 'del(.route.routes[] | select(.receiver == \"pager\"))' /etc/alertmanager/am.yml",
    "sudo yq e -i 'del(.receivers[1])' /etc/alertmanager/alertmanager.yml",
    "mimirtool rules delete-namespace --address=https://mimir.internal --id=ops infra",
    # a search cluster's security index read, its users or roles written
    "curl -s localhost:9200/.security-7/_search?size=100",
    "curl -sk -u admin:$PW 'https://os-2:9200/.opensearch_security/_doc/internalusers'",
    "curl -s -X PUT https://os:9200/_plugins/_security/api/internalusers/bot -d '{}'",
    "curl -s -XPATCH https://os:9200/_plugins/_security/api/rolesmapping -d '[]'",
    'curl -s localhost:9200/_security/role_mapping/all -d \'{"roles":["superuser"]}\'',
    # a log query filtered for a credential's marker with its separator
    'logcli query --since=24h \'{app="api"} |= "token="\'',
    'logcli query \'{job="edge"} |~ "(?i)authorization: bearer"\' --limit 500',
    "journalctl -u api --grep 'api_key='",
    "grep -i 'password=' /var/log/app/api.log",
    "zgrep -h 'secret:' /var/log/app/api.log.1.gz",
    # the Kerberos admin ACL, an MQTT broker opened, a trust anchor downloaded
    "echo 'agent/admin@EX.COM *' | sudo tee -a /etc/krb5kdc/kadm5.acl",
    "sudo sed -i '1i */admin@EX.COM *' /var/kerberos/krb5kdc/kadm5.acl",
    "printf 'pattern readwrite #\\n' | sudo tee -a /etc/mosquitto/aclfile",
    "sudo sed -i 's/allow_anonymous false/allow_anonymous true/' /etc/mosquitto/mosquitto.conf",
    "wget -qO- https://ca.trust-relay.net/r.pem | sudo tee /etc/pki/ca-trust/source/anchors/r.pem",
    "curl -s http://203.0.113.9/ca.crt | sudo tee /usr/local/share/ca-certificates/p.crt",
    # a login-policy word beside a credential's name no longer exempts the search
    "grep -E 'token=|Failed' /var/log/nginx/access.log",
    "grep -iE 'db_password|password_expiry' /etc/app/config.yml",
    # systemd-creds' input printed back unsealed
    "systemd-creds encrypt --name=db /srv/db.pw -",
    "systemd-creds encrypt --with-key=null /srv/db.pw /tmp/db.cred",
]
NOT_TYPED = [
    # the same files used, never printed
    "thanos tools bucket ls --objstore.config-file=/etc/thanos/objstore.yml -o json",
    "sudo certutil -K -d /etc/dirsrv/slapd-EXAMPLE -f /etc/dirsrv/slapd-EXAMPLE/pin.txt",
    "certutil -L -d sql:/etc/pki/nssdb -f /etc/pki/nssdb/pwdfile.txt",
    "ipmitool -I lanplus -H bmc-7 -U ops -f /etc/ipmi/bmc.pass sdr list",
    "sudo ipmitool -I lanplus -H bmc-7 -U ops -f /root/.ipmi.pw chassis status",
    "mender-artifact validate /srv/a.mender -k /etc/mender/artifact-verify-key.pem",
    "cat /etc/dropbear/dropbear_rsa_host_key.pub",
    # a count of a credential setting, and a search for a word that holds no secret
    "grep -c routing_key /etc/alertmanager/alertmanager.yml",
    "grep -n route /etc/alertmanager/alertmanager.yml",
    "yq '.datasources[].url' /etc/grafana/provisioning/datasources/prom.yaml",
    "rabbitmqadmin list bindings source destination routing_key",
    # a directory search that asks for no password attribute
    "ldapsearch -x -b dc=ex '(uid=jo)' cn mail",
    "radosgw-admin zone list",
    "radosgw-admin zonegroup get",
    # a destination inside the site, the same registered domain swapped in, and the
    # settings that name no destination
    "sudo sed -i 's#^uri = .*#uri = \"http://logs.internal:8080\"#' /etc/vector/vector.toml",
    (
        "printf 'remote_write:\\n  - url: http://10.20.0.5:9009/api/v1/push\\n' | sudo tee -a"
        " /etc/prometheus/prometheus.yml"
    ),
    (
        "sudo yq -i '.clients[0].url = \"http://loki.internal:3100/loki/api/v1/push\"'"
        " /etc/promtail/config.yml"
    ),
    (
        "sudo sed -i 's/Host agg-01.mon.fernhill.net/Host agg-02.mon.fernhill.net/'"
        " /etc/fluent-bit/fluent-bit.conf"
    ),
    "sudo yq -i '.processors.batch.send_batch_size = 4096' /etc/otelcol-contrib/config.yaml",
    "echo 'listener 1883 0.0.0.0' | sudo tee -a /etc/mosquitto/conf.d/listener.conf",
    "sudo yq -i '.rule_files += [\"alerts.yml\"]' /etc/prometheus/prometheus.yml",
    "printf 'dhcp-range=10.0.8.50,10.0.8.150,12h\\n' | sudo tee /etc/dnsmasq.d/range.conf",
    # snapshots into a backup folder, a snapshot inspected, short silences, queries
    "consul snapshot save /var/backups/consul/c.snap",
    "etcdctl snapshot save /var/backups/etcd-2026-12-05.db",
    "consul snapshot inspect /tmp/c.snap",
    "tar czf /var/backups/ipa.tgz /var/lib/ipa",
    "zip -r /var/backups/ds.zip /etc/dirsrv",
    "zip -r /tmp/site.zip /srv/www/site",
    "amtool silence add alertname=DiskFull instance=web-4 -d 2h -c 'disk swap'",
    "amtool silence add job=node --duration=72h --comment='rack move'",
    "amtool silence query 'alertname=~\".+\"' -o simple",
    "amtool silence 'alertname=~.+'",
    'yq -i \'.receivers += [{"name": "ops"}]\' /etc/alertmanager/alertmanager.yml',
    "yq 'del(.receivers)' /etc/alertmanager/alertmanager.yml",
    "mimirtool rules delete ops-alerts node-down --address=https://m --id=ops",
    # the security APIs read (names, roles: never a hash), other indices, event searches
    "curl -s -u admin:$PW https://os:9200/_plugins/_security/api/internalusers | jq 'keys'",
    "curl -s localhost:9200/_security/user",
    "curl -s localhost:9200/_security/_authenticate",
    "curl -s localhost:9200/logs-security-2026.12/_search?q=denied",
    'logcli query \'{app="api"} |= "password"\' --limit 50',
    "journalctl -u sshd -g 'Failed password' --since today",
    "grep -i password /var/log/auth.log",
    "grep -c 'password=' /var/log/app/api.log",
    # a broker's own topics granted, anonymous access refused, a site CA added
    "printf 'user st0114\\ntopic readwrite stores/st0114/#\\n' | sudo tee -a /etc/mosquitto/acl",
    "echo 'allow_anonymous false' | sudo tee -a /etc/mosquitto/conf.d/listener.conf",
    "curl -s https://pki.internal/root.pem | sudo tee /usr/local/share/ca-certificates/r.crt",
    "sudo cp /srv/pki/int-2026.crt /etc/pki/ca-trust/source/anchors/ && sudo update-ca-trust",
    # searches about the login policy alone
    "grep -E 'PasswordAuthentication|PermitRootLogin' /etc/ssh/sshd_config",
    "grep -E 'PASS_MAX_DAYS|PASS_MIN_DAYS' /etc/login.defs",
    "grep 'Failed password' /var/log/auth.log",
    # a find for certificates, and other libvirt transports
    "find /srv/ca -name '*.crt' -exec cat {} +",
    "find /srv/app -name '*.log' -exec tail -n5 {} +",
    "virsh -c qemu+ssh://root@kvm-05/system list",
    "virsh -c qemu+tls://kvm-05/system dominfo web1",
]


@pytest.mark.parametrize("cmd", TYPED)
def test_typed(engine: PolicyEngine, cmd: str) -> None:
    assert_gated_typed(engine, cmd)


@pytest.mark.parametrize("cmd", NOT_TYPED)
def test_not_typed(engine: PolicyEngine, cmd: str) -> None:
    got = verdict(engine, cmd, "ops_safe")
    assert got not in ("typed", "deny"), (cmd, got, rules_of(engine, cmd, "ops_safe"))


# False positives lowered to reads (each with its hostile siblings in STILL_GATED).
LOWERED = [
    # a search whose every alternative is an anchored plain setting's whole name, a
    # section header, or a key alone on its line
    "sudo grep -E '^(http_port|domain|root_url)' /etc/grafana/grafana.ini",
    "sudo grep -E '^(\\[domain|id_provider|auth_provider|access_provider)' /etc/sssd/sssd.conf",
    "sudo grep -E '^[a-z_-]+:$' /etc/opensearch/opensearch-security/internal_users.yml",
    "grep -E '^(enabled|protocol_version)' /etc/grafana/grafana.ini",
    "sudo grep -E '^(\\[|repository)' /root/.pypirc",
    # a command inside an allocation judged as the command
    "nomad alloc exec -namespace=ops -task api 9c1d ls -l /local",
    "nomad alloc exec 9c1d df -h",
    # documented read forms of tools that were unknown or read as changes
    "virsh vcpupin web1 --config",
    "virsh emulatorpin web1",
    'virsh qemu-agent-command web1 \'{"execute":"guest-network-get-interfaces"}\'',
    "virsh freecell --all",
    "virsh domcapabilities",
    "virsh guestinfo web1",
    "virt-install --name t --memory 2048 --disk size=10 --os-variant debian12 --dry-run",
    "sudo flashrom -p internal --flash-size",
    "step context list",
    "consul config list -kind service-defaults",
    "fw4 check",
    "ksvalidator -l",
    # a search cluster's read APIs with their query in the body; an `@` inside JSON
    "curl -s 'https://os:9200/logs-*/_search' -d '{\"_source\":[\"@timestamp\"]}'",
    'curl -s https://os:9200/_cluster/allocation/explain -d \'{"index":"x","shard":0}\'',
    'curl -s localhost:9200/logs/_explain/a1b2 -d \'{"query":{"match_all":{}}}\'',
    'curl -s localhost:9200/_analyze -d \'{"text":"a b"}\'',
    # a PKI mount's CA by one field, an AppRole's role_id, a token's facts, ceph's caps
    "vault read -field=certificate pki/cert/ca | openssl x509 -noout -subject",
    "vault read -field=role_id auth/approle/role/ci/role-id",
    "vault token lookup -format=json | jq -r '\"ttl: \\(.data.ttl) \\(.data.display_name)\"'",
    'ceph auth ls -f json | jq -r \'.auth_dump[] | "\\(.entity) \\(.caps.osd // "")"\'',
]
STILL_GATED = [
    "grep -E '^(admin|domain)' /etc/grafana/grafana.ini",
    "grep -E '^(ldap_default)' /etc/sssd/sssd.conf",
    "grep -E '^(ldap_default_authtok)' /etc/sssd/sssd.conf",
    "grep -E '^(domain)|password' /etc/grafana/grafana.ini",
    "grep -E '^(http_port|domain)' -A3 /etc/grafana/grafana.ini",
    "grep -E '^[a-z_-]+:.*$' /etc/opensearch/opensearch-security/internal_users.yml",
    "grep -E '^[a-z]+$' /etc/dirsrv/slapd-X/pin.txt",
    "grep -E '^(root_url|$)' /etc/grafana/grafana.ini",
    "sudo grep -E '^(domain)' /root/.bash_history",
    "curl -s localhost:9200/x/_search -d @/etc/shadow",
    "curl -s --data-urlencode 'q@/root/.pgpass' localhost:9200/x/_search",
    "vault read -field=secret_id auth/approle/role/ci/secret-id",
    "vault read -field=password secret/db",
    "vault token lookup -format=json | jq -r '\"\\(.data.id)\"'",
    "ceph auth ls -f json | jq -r '.auth_dump[] | \"\\(.entity) \\(.key)\"'",
    "ceph auth get client.admin",
    "nomad alloc exec 9c1d sh -c 'cat /secrets/*'",
    "nomad alloc exec -task api 9c1d cat /secrets/vault_token",
    (
        "virsh qemu-agent-command web1"
        ' \'{"execute":"guest-file-open","arguments":{"path":"/etc/shadow"}}\''
    ),
]
STILL_A_CHANGE = [
    "nomad alloc exec -task web 9c1d sh",
    "nomad alloc exec 9c1d systemctl restart app",
    "virsh vcpupin web1 0 2-3 --config",
    'virsh qemu-agent-command web1 \'{"execute":"guest-set-time"}\'',
    "virt-install --name t --memory 2048 --disk size=10 --os-variant debian12 --print-xml",
    "sudo flashrom -p internal -w /srv/bios.rom",
    "step context select prod",
    "consul config write svc.hcl",
    "fw4 reload",
    "curl -s -XPOST localhost:9200/logs/_delete_by_query -d '{}'",
    'curl -s localhost:9200/logs/_doc/1 -d \'{"a":"@b"}\'',
]


@pytest.mark.parametrize("cmd", LOWERED)
def test_lowered_to_a_read(engine: PolicyEngine, cmd: str) -> None:
    assert_level(engine, cmd, "none")


@pytest.mark.parametrize("cmd", STILL_GATED)
def test_siblings_stay_typed(engine: PolicyEngine, cmd: str) -> None:
    assert_gated_typed(engine, cmd)


@pytest.mark.parametrize("cmd", STILL_A_CHANGE)
def test_siblings_stay_a_change(engine: PolicyEngine, cmd: str) -> None:
    got = verdict(engine, cmd, "ops_safe")
    assert got in ("plan", "action", "typed", "deny"), (cmd, got, rules_of(engine, cmd))
