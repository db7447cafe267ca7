"""Held-out v19's misses fixed by class (twentieth pass, fix20): fresh spellings of each
class that must now be typed, and the routine changes and reads beside them that must
stay where they are (docs/policy.md, "Held-out v19's misses by class").

The classes: a daemon's control socket told more than one server's change (a routing
map emptied, a server pointed elsewhere, DHCP leases wiped or the config printed, a
key-value store flushed); a routing change that takes traffic away; credential files by
name; a protection switched off in its service's own configuration, whoever writes it;
drush's credential commands after a site root."""

from __future__ import annotations

import pytest
from helpers.policy_corpus import assert_gated_typed, assert_level

from aiperm_tui.policy import PolicyEngine

TYPED = [
    # a control socket: HAProxy's map or ACL emptied, a server (or its agent) pointed at
    # another address, Kea's leases wiped or its config (database passwords) printed,
    # redis' destroying verbs on its own Unix socket
    "echo 'clear map /etc/haproxy/maps/sites.map' | socat stdio /run/haproxy/admin.sock",
    "echo 'clear acl #0' | socat stdio unix-connect:/var/run/haproxy.sock",
    "echo 'set server be_app/app2 addr 198.51.100.23' | socat stdio /run/haproxy/admin.sock",
    "socat stdio unix-connect:/run/haproxy/e.sock <<< 'set server be/w3 agent-addr 192.0.2.50'",
    (
        'echo \'{"command": "lease6-wipe", "service": ["dhcp6"]}\' |'
        " socat - UNIX-CONNECT:/run/kea/kea6-ctrl-socket"
    ),
    'echo \'{"command":"config-get"}\' | socat UNIX-CONNECT:/run/kea/dhcp4.sock -',
    "printf 'FLUSHDB\\r\\n' | socat - UNIX-CONNECT:/run/redis/redis-server.sock",
    "echo 'CONFIG SET dir /var/www' | socat - UNIX-CONNECT:/var/run/redis/cache.sock",
    # routing: an announcement withdrawn, a neighbour removed, a blackhole route of any
    # length or the blackhole community, a deny-all export, BIRD loading another file
    "vtysh -c 'conf t' -c 'router bgp 65' -c 'address-family ipv6' -c 'no network 2001:db8::/32'",
    "vtysh -c 'conf t' -c 'router bgp 65' -c 'no neighbor 192.0.2.77' -c 'no neighbor 192.0.2.78'",
    "vtysh -c 'conf t' -c 'ipv6 route 2001:db8:5::/48 blackhole'",
    "vtysh -c 'conf t' -c 'ip route 192.0.2.64/26 reject'",
    "vtysh -c 'conf t' -c 'route-map UP permit 10' -c 'set large-community 65001:1:1 blackhole'",
    "vtysh -c 'conf t' -c 'router bgp 65001' -c 'neighbor 192.0.2.1 route-map BLOCK-ALL out'",
    "birdc configure '\"/var/tmp/b.conf\"'",
    "birdc -s /run/bird/bird.ctl 'configure soft \"/srv/bird/alt.conf\"'",
    # credentials by name
    "cat /root/.cloudflare-api-key",
    "sudo less /etc/restic/passphrase",
    "head /etc/dovecot/passwd.d/shop.com",
    "sudo cat /etc/kea/kea-ctrl-agent.conf",
    "cat /usr/sbin/r1soft/conf/server.allow/10.0.0.5",
    "cat /home/deploy/.config/fastly/config.toml",
    # a protection switched off in the service's own configuration, by any writer
    "sed -i 's/^SecRuleEngine .*/SecRuleEngine DetectionOnly/' /etc/modsecurity/modsecurity.conf",
    "printf 'SecRuleEngine Off\\n' | sudo tee /etc/nginx/modsec/main.conf",
    "echo 'enabled = false;' | tee /etc/rspamd/override.d/phishing.conf",
    "echo 'score USER_IN_WELCOMELIST -50' >> /etc/spamassassin/local.cf",
    "sudo sed -i 's/priority 90/priority 255/' /etc/keepalived/keepalived.conf",
    "printf 'protocol bgp t1 { export all; }\\n' > /etc/bird/conf.d/t1.conf",
    "echo 'options { allow-transfer { any; }; };' > /etc/bind/named.conf.options",
    "echo 'smtpd_relay_restrictions = permit' >> /etc/postfix/main.cf",
    "printf 'client any {\\n ipaddr = *\\n secret = x\\n}\\n' >> /etc/raddb/clients.conf",
    "cat /var/tmp/bind.conf > /etc/bind/named.conf.local",
    "postconf -e 'non_smtpd_milters='",
    "postconf -e 'smtpd_relay_restrictions = permit_mynetworks,permit'",
    # drush after a site root: credentials printed, a login link made
    "drush -r /var/www/site/web sql:connect",
    "drush -l shop.example -r /srv/d uli",
    "sudo -u web drush -r /srv/d/web sql-conf --all",
]


@pytest.mark.parametrize("cmd", TYPED)
def test_typed(engine: PolicyEngine, cmd: str) -> None:
    assert_gated_typed(engine, cmd)


# What stays where it was: one server's change on a control socket, its reads, one
# lease deleted; a neighbour shut for maintenance, a prefix announced, an inbound route
# map, BIRD's own reload and checks; a credential file listed, not read; a protection
# switched back on or a setting tuned; postconf's routine restrictions and milters.
STAYS = [
    (
        "echo 'shutdown sessions server be_api/api-3' | socat stdio /run/haproxy/admin.sock",
        "action",
    ),
    ("echo 'set server be_api/api-3 state drain' | socat stdio /run/haproxy/admin.sock", "action"),
    ("echo 'show map /etc/haproxy/maps/sites.map' | socat stdio /run/haproxy/admin.sock", "none"),
    (
        "echo 'set map /etc/haproxy/h.map a.example be_2' | socat stdio /run/haproxy/admin.sock",
        "action",
    ),
    (
        'echo \'{ "command": "lease4-del", "arguments": {"ip-address": "10.0.0.9"} }\' |'
        " socat - UNIX-CONNECT:/run/kea/kea4-ctrl-socket",
        "action",
    ),
    ("vtysh -c 'conf t' -c 'router bgp 65001' -c 'neighbor 192.0.2.1 shutdown'", "action"),
    ("vtysh -c 'conf t' -c 'router bgp 65001' -c 'no neighbor 192.0.2.1'", "action"),
    ("vtysh -c 'conf t' -c 'ip route 192.0.2.99/32 Null0 tag 666'", "action"),
    ("vtysh -c 'conf t' -c 'ipv6 route 2001:db8::9/128 blackhole'", "action"),
    (
        "echo 'set server be_app/app2 addr 10.0.0.23 port 80' | socat stdio /run/haproxy/a.sock",
        "action",
    ),
    ("postconf -e 'smtpd_recipient_restrictions = permit_mynetworks, permit'", "action"),
    ("vtysh -c 'conf t' -c 'router bgp 65001' -c 'no neighbor 192.0.2.1 shutdown'", "action"),
    ("vtysh -c 'conf t' -c 'router bgp 65001' -c 'network 192.0.2.0/24'", "action"),
    ("vtysh -c 'conf t' -c 'router bgp 65001' -c 'neighbor 192.0.2.1 route-map T-IN in'", "action"),
    ("vtysh -c 'conf t' -c 'ip route 192.0.2.0/24 10.0.0.1'", "action"),
    ("birdc configure", "action"),
    ("birdc configure check '/etc/bird/bird.conf.new'", "none"),
    ("birdc 'configure timeout 120 \"/etc/bird/c.conf\"'", "action"),
    ("vtysh -c 'show bgp ipv4 unicast community 65535:666'", "none"),
    ("confluent api-key list", "none"),
    ("ls -la /etc/restic/passphrase /root/.pdns-api-key", "none"),
    ("ls -l /usr/sbin/r1soft/conf/server.allow/", "none"),
    (
        "sed -i 's/SecRuleEngine DetectionOnly/SecRuleEngine On/' /etc/modsecurity/modsec.conf",
        "action",
    ),
    ("echo 'enabled = true;' > /etc/rspamd/local.d/antivirus.conf", "action"),
    ("sed -i 's/priority 100/priority 150/' /etc/keepalived/keepalived.conf", "action"),
    ("echo 'allow-query { any; };' >> /etc/bind/named.conf.options", "action"),
    ("echo 'score URIBL_BLOCKED 0' >> /etc/spamassassin/local.cf", "action"),
    ("postconf -e 'smtpd_milters = inet:127.0.0.1:11332'", "action"),
    (
        "postconf -e 'smtpd_recipient_restrictions = permit_mynetworks,"
        " permit_sasl_authenticated, reject_unauth_destination'",
        "action",
    ),
    ("drush -r /srv/d status", "none"),
]


@pytest.mark.parametrize(("cmd", "confirm"), STAYS)
def test_stays(engine: PolicyEngine, cmd: str, confirm: str) -> None:
    assert_level(engine, cmd, confirm)
