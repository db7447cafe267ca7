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
]


@pytest.mark.parametrize("cmd", LOWERED)
def test_lowered_to_a_read(engine: PolicyEngine, cmd: str) -> None:
    assert_level(engine, cmd, "none")


@pytest.mark.parametrize("cmd", STILL_GATED)
def test_siblings_stay_typed(engine: PolicyEngine, cmd: str) -> None:
    assert_gated_typed(engine, cmd)
