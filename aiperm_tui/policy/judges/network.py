"""What the network commands do: firewall rules, addresses and routes, interface
configuration, raw sockets (nc, socat) and HTTP clients (the method and endpoint sent).

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

import json
import re

from aiperm_tui.policy.addresses import is_metadata_session_token, site_address
from aiperm_tui.policy.fspaths import classify, normalize_path
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.model import Severity
from aiperm_tui.policy.normalize import Cmd, command_name
from aiperm_tui.policy.toolbox import _piped_text, handles, hit, option_write

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


@handles(
    "iptables",
    "nft",
    "ufw",
    "firewall-cmd",
    "iptables-restore",
    "ip6tables-restore",
    "ebtables",
    "arptables",
    "iptables-save",
    "ip6tables-save",
    "nft-list",
)
def _firewall(cmd: Cmd, an: Analysis) -> list[Hit]:
    text = " ".join(cmd.argv)
    name = cmd.name
    if name in ("iptables-save", "ip6tables-save"):
        return []
    if name == "iptables":
        if cmd.has("L", "S", "list", "list-rules", "C", "check") and not cmd.has("F", "X", "Z"):
            return []
        if cmd.has("F", "flush", "X", "delete-chain") or re.search(
            r"-P\s+\w+\s+(DROP|REJECT)", text
        ):
            return hit(
                cmd,
                "net.firewall_flush",
                "high",
                "iptables flushes rules or sets a DROP policy (may cut off access)",
                suggest="iptables -L -n -v",
            )
        broad = _broad_drop(cmd) if re.search(r"-j\s+(DROP|REJECT)", text) else ""
        if broad:
            return hit(
                cmd,
                "net.firewall_drop",
                "high",
                f"iptables adds a DROP rule: {broad} (may cut off access)",
                suggest="iptables -L -n -v",
            )
    elif name == "nft":
        if cmd.sub("fI") in ("list", "monitor", "describe") or cmd.has("c", "check"):
            return []
        # `echo 'flush ruleset' | nft -f -` (a here-string, a here-doc): the commands
        # read on stdin are judged as the same words on the line (audit19b)
        fed = an.literal_input(cmd) if _nft_reads_stdin(cmd) else None
        if fed is not None:
            text = f"{text}\n{fed[0]}"
        # a whole rule set, table or chain emptied or removed, or a drop policy set
        if re.search(
            r"\b(flush|delete|destroy)\s+(ruleset|table|chain)\b|\bpolicy\s+(drop|reject)\b",
            text,
        ):
            return hit(
                cmd,
                "net.firewall_flush",
                "high",
                "nft flushes or deletes a table, chain or the rule set, or sets a drop "
                "policy (may cut off access)",
                suggest="nft list ruleset",
            )
    elif name == "ufw":
        sub = cmd.sub()
        if sub in ("status", "show", "app", "version", "") or cmd.has("dry-run"):
            return []
        if sub in ("disable", "reset", "enable", "default"):
            return hit(
                cmd,
                "net.firewall_flush",
                "high",
                f"ufw {sub}: replaces the whole firewall (may cut off access or expose the host)",
                suggest="ufw status verbose",
            )
    elif name == "firewall-cmd":
        if _firewalld_reads(text):
            return []
        if re.search(r"--panic-on|--complete-reload|--set-default-zone=drop", text):
            return hit(cmd, "net.firewall_flush", "high", "firewall-cmd cuts off traffic")
    elif name in ("iptables-restore", "ip6tables-restore"):
        if cmd.has("t", "test"):
            return []
        return hit(
            cmd,
            "net.firewall_restore",
            "medium",
            f"{name} replaces the whole rule set",
            suggest="iptables-save",
        )
    exposed = _exposure(cmd, name, text)
    if exposed:
        return hit(
            cmd,
            "net.firewall_expose",
            "high",
            f"{name} accepts {exposed} from every host (opens access to the network)",
            suggest="a source restriction (-s 10.0.0.0/8, from 10.0.0.0/8, ip saddr)",
        )
    return hit(
        cmd,
        "net.firewall",
        "medium",
        f"{name}: changes firewall rules",
        suggest="iptables -L -n" if name == "iptables" else "",
    )


def _nft_reads_stdin(cmd: Cmd) -> bool:
    """`nft -f -`, `nft --file /dev/stdin`: the rule set is read from the input."""
    args = [a.text for a in cmd.args]
    for i, a in enumerate(args):
        if a in ("-f", "--file") and args[i + 1 : i + 2] in (["-"], ["/dev/stdin"]):
            return True
        if a in ("-f-", "--file=-", "--file=/dev/stdin", "-f/dev/stdin"):
            return True
    return False


# Ports whose service trusts whoever reaches it (data stores, caches, brokers, the Docker
# and kubelet APIs, cluster consensus): opened to every host, the data or the host is
# anyone's. Web, mail and SSH ports are opened to the world routinely and stay changes.
_EXPOSED_PORTS = frozenset(
    [
        "2375",
        "2376",
        "2379",
        "2380",
        "3306",
        "5432",
        "6379",
        "6380",
        "27017",
        "27018",
        "9200",
        "9300",
        "11211",
        "5984",
        "8086",
        "10250",
        "10255",
        "9092",
        "2181",
        "9042",
        "7199",
        "1433",
        "1521",
        "5672",
        "15672",
        "8500",
        "26257",
        "mysql",
        "postgresql",
        "postgres",
        "redis",
        "mongodb",
        "docker",
        "docker-swarm",
        "etcd-client",
        "etcd-server",
        "elasticsearch",
        "memcache",
        "memcached",
        "kube-control-plane",
        "kubelet",
        "kafka",
        "zookeeper",
        "rabbitmq",
        "mssql",
    ]
)
# A port range reaching from the privileged ports to the top: every service of the host
_EVERY_PORT = lazy(r"^(?:0|1|1024)[:-]65535$")
# Whatever narrows who may connect: a source address, set or interface, or connection
# state (established replies only)
_IPT_NARROW = ("s", "source", "src-range", "i", "in-interface", "state", "ctstate", "match-set")
_WHOLE_PROTOCOLS = ("", "all", "tcp", "udp", "0")


def _exposure(cmd: Cmd, name: str, text: str) -> str:
    """What an accept rule opens to every host ('' when none): every port, a range of all
    ports, or a data store's or control API's port. `-s 0.0.0.0/0`, `from any` and a
    missing source all mean every host."""
    if name in ("iptables", "ip6tables"):
        return _iptables_exposure(cmd, text)
    if name == "nft":
        return _nft_exposure(text)
    if name == "ufw":
        return _ufw_exposure([a.text for a in cmd.positional()])
    if name == "firewall-cmd":
        return _firewalld_exposure(text)
    return ""


def _exposed_ports(ports: list[str]) -> str:
    """The first port (or range) of `ports` that is a data store's or every port."""
    for port in ports:
        bare = port.split("/")[0].strip("'\"{},").lower()
        if bare in _EXPOSED_PORTS or _EVERY_PORT.match(bare):
            return f"port {bare}"
    return ""


def _iptables_exposure(cmd: Cmd, text: str) -> str:
    """An INPUT/FORWARD ACCEPT appended or inserted with no narrowing source, interface or
    state: its ports, or every port when it names none (ICMP and other protocols aside)."""
    if not re.search(r"-j\s+ACCEPT\b", text) or not re.search(
        r"(?:-A|-I|--append|--insert)\s+(?:INPUT|FORWARD|DOCKER-USER)\b", text
    ):
        return ""
    source = cmd.option_value("s", "source") or ""
    if (cmd.has(*_IPT_NARROW) and source not in ("0.0.0.0/0", "::/0", "0/0")) or (
        re.search(r"--(?:src-range|ctstate|state|match-set|mac-source)\b|\s-i\s", text)
    ):
        return ""
    ports = re.findall(r"--(?:dports?|destination-ports?)[ =](\S+)", text)
    if ports:
        return _exposed_ports([p for group in ports for p in re.split(r"[,]", group)])
    protocol = (cmd.option_value("p", "protocol") or "").lower()
    return "every port" if protocol in _WHOLE_PROTOCOLS else ""


def _nft_exposure(text: str) -> str:
    """An accept rule added to an input or forward chain with no `saddr`, interface or
    `ct state` match: its `dport`s, or every port when it names none."""
    if not re.search(
        r"\b(?:add|insert)\s+rule\s+\S+\s+\S+\s+\S*(?:input|forward)\S*\b.*\baccept\b", text, re.I
    ):
        return ""
    if re.search(
        r"\bsaddr\b|\biif(?:name)?\b|\bct\s+state\b|\bmeta\s+l4proto\s+(?:icmp|ipv6-icmp)", text
    ):
        return ""
    ports = re.search(r"\bdport\s+(\{[^}]*\}|\S+)", text)
    if ports:
        return _exposed_ports(re.split(r"[\s,]+", ports.group(1)))
    if re.search(r"\b(?:icmp|icmpv6|ip6?\s+protocol)\b", text):
        return ""
    return "every port"


def _ufw_exposure(pos: list[str]) -> str:
    """`ufw allow PORT`, `ufw allow [from any] to any port PORT`: incoming from anyone."""
    words = pos[pos.index("allow") + 1 :] if "allow" in pos else []
    if not words or words[0] == "out":
        return ""
    source = words[words.index("from") + 1] if "from" in words[:-1] else "any"
    if source != "any":
        return ""
    ports = [words[words.index("port") + 1]] if "port" in words[:-1] else []
    ports += [w for w in words[:1] if w not in ("from", "to", "in", "proto")]
    return _exposed_ports(ports)


def _firewalld_exposure(text: str) -> str:
    """A port or service added to a public-facing zone (the default one when none is
    named) with no source, or a public interface moved into the trusted zone."""
    if re.search(
        r"--zone[= ]trusted\b.*--(?:add|change)-interface[= ](?:eth|ens|enp|eno|em|bond)\d", text
    ):
        return "everything on a public interface (the trusted zone)"
    zone = re.search(r"--zone[= ](\S+)", text)
    if (zone and zone.group(1) not in ("public", "external", "dmz")) or "--add-source" in text:
        return ""
    ports = re.findall(r"--add-(?:port|service)[= ](\S+)", text)
    return _exposed_ports(ports)


# firewall-cmd's options that only ask (`--list-all`, `--get-zones`, `--query-service`,
# `--info-zone`, `--state`), and those that only say where (`--zone=`, `--permanent`,
# `--direct`, `--policy=`): a line of nothing else reads.
_FIREWALLD_ASKS = lazy(r"--(?:list|get|query|info|state|check-config)")
_FIREWALLD_WHERE = lazy(
    r"--(?:zone|permanent|direct|policy|ipset|service|helper|icmptype|version|help)\b"
)


def _firewalld_reads(text: str) -> bool:
    """Every long option asks or says where, and one asks: `--get-zones --direct
    --passthrough ipv4 -F INPUT` runs iptables, `--list-all --lockdown-on` locks."""
    options = re.findall(r"(?:^|\s)(-\S+)", text)
    return any(_FIREWALLD_ASKS.match(o) for o in options) and all(
        _FIREWALLD_ASKS.match(o) or _FIREWALLD_WHERE.match(o) for o in options
    )


def _broad_drop(cmd: Cmd) -> str:
    """Why a DROP/REJECT rule can lock everyone out ('' when it is narrow): it hits SSH, or
    it names no address and no port. Blocking one address or one port is routine."""
    text = " ".join(cmd.argv)
    if re.search(r"--dports?[ =](\S*[,:])?(22|ssh)\b", text):
        return "it drops SSH (port 22)"
    narrowed = cmd.has(
        "s", "d", "source", "destination", "dport", "sport", "dports", "sports"
    ) or re.search(r"--(src|dst)-range|--mac-source|(?<!!\s)--match-set", text)
    return "" if narrowed else "it drops all traffic of the chain"


@handles("ip")
def _ip(cmd: Cmd, an: Analysis) -> list[Hit]:
    pos = [a.text for a in cmd.args if not a.text.startswith("-")]
    if pos[:2] == ["netns", "exec"]:
        # `ip netns exec NS CMD` (`ip -all netns exec CMD`): CMD runs in the namespace
        at = next(i for i, a in enumerate(cmd.args) if a.text == "exec")
        every = any(a.text in ("-all", "--all", "-a") for a in cmd.args[:at])
        an.again(cmd, cmd.args[at + (1 if every else 2) :])
        return []
    # iproute2 takes any prefix of `-batch` (`-b`, `-ba`); `-br` is -brief
    if any(a.text.lstrip("-") in ("b", "ba", "bat", "batc", "batch") for a in cmd.args):
        return hit(
            cmd,
            "net.ip_batch",
            "high",
            "ip -batch runs the ip commands of a file or input the line does not show "
            "(they may take links and routes down)",
            suggest="cat FILE",
        )
    if pos[:1] in (["monitor"], ["mon"]):
        return []  # `ip monitor [all|link|route...]` prints changes as they happen
    verbs = [p for p in pos[1:3]]
    if not pos or not verbs or verbs[0] in _IP_READS:
        return []
    if pos[0] in ("mptcp", "l2tp", "ioam", "sr") and verbs[1:2] and verbs[1] in _IP_READS:
        return []  # `ip mptcp endpoint show`, `ip l2tp show tunnel`: an object's second level
    if _replaces_default_route(pos):
        return hit(
            cmd,
            "net.default_route",
            "high",
            f"ip {' '.join(pos[:3])}: replaces the default route (may cut off access or send "
            "the host's traffic through another gateway)",
            suggest="ip route show default",
        )
    if (
        any(v in ("flush", "del", "delete") for v in verbs)
        and pos[0] not in ("n", "neigh", "neighbour", "neighbor")
        and not _drops_a_discard_route(pos)
    ) or ("set" in verbs and "down" in pos):
        return hit(
            cmd,
            "net.ip_down",
            "high",
            f"ip {' '.join(pos[:3])}: removes addresses "
            "or routes, or takes a link down (may cut off access)",
            suggest=f"ip {pos[0]} show",
        )
    return hit(
        cmd,
        "net.ip",
        "medium",
        f"ip {' '.join(pos[:2])}: changes networking",
        suggest=f"ip {pos[0]} show",
    )


_IP_READS = ("show", "list", "ls", "get", "sh", "s", "lst")


def _replaces_default_route(pos: list[str]) -> bool:
    """`ip route add|replace|change|append default via GW` (`0.0.0.0/0`, `::/0`) in the
    main table: every packet not for a local network goes to the new gateway. A default
    route of another table only serves the traffic a rule sends there."""
    table = pos[pos.index("table") + 1] if "table" in pos[:-1] else "main"
    # a route type before the prefix (`ip route add blackhole default`: every packet
    # not for a local network is dropped, audit19b)
    prefix = pos[3:4] if pos[2:3] and pos[2] in _ROUTE_TYPES else pos[2:3]
    return (
        pos[0] in ("r", "ro", "rou", "route")
        and pos[1:2] in (["add"], ["replace"], ["change"], ["append"], ["a"], ["c"])
        and any(
            p in ("default", "0.0.0.0/0", "::/0", "0/0", "0.0.0.0/1", "128.0.0.0/1") for p in prefix
        )
        and table in ("main", "254")
    )


_ROUTE_TYPES = ("unicast", "blackhole", "unreachable", "prohibit", "throw", "local")
_DISCARD_TYPES = ("blackhole", "unreachable", "prohibit")


def _drops_a_discard_route(pos: list[str]) -> bool:
    """`ip route del blackhole 203.0.113.66/32` (`unreachable`, `prohibit`): the route
    removed only dropped that prefix's traffic (a DDoS blackhole lifted), so traffic flows
    again; no address, link or working route is taken away (audit19b). A flush is not."""
    return (
        pos[0] in ("r", "ro", "rou", "route")
        and pos[1:2] in (["del"], ["delete"], ["d"])
        and pos[2:3] != []
        and pos[2] in _DISCARD_TYPES
        and pos[3:4] != []
        and pos[3] not in ("default", "0.0.0.0/0", "::/0", "0/0")
    )


# nmcli's objects and their listing verbs, as nmcli reads them: any prefix of the word
# (`dev`, `con`, `c s`).
_NMCLI_OBJECTS = ("general", "device", "connection", "radio", "monitor", "networking")


_NMCLI_LISTS = ("show", "status", "list", "wifi", "permissions", "hostname", "logging")


def _nmcli_reads(cmd: Cmd, pos: list[str]) -> bool:
    """`nmcli dev status`, `nmcli c show NAME`, `nmcli radio`: listings. A value after a
    radio, hostname or logging word sets it (`nmcli radio wifi off`), and
    `--show-secrets` (`-s`) prints the connections' passwords (a credential read)."""
    if cmd.has("s", "show-secrets"):
        return False
    if not pos:
        return True
    obj = next((o for o in _NMCLI_OBJECTS if o.startswith(pos[0])), None)
    if obj is None:
        return False
    if len(pos) < 2:
        return True
    verb = next((v for v in _NMCLI_LISTS if v.startswith(pos[1])), None)
    if verb in ("wifi", "hostname", "logging", "permissions"):
        return len(pos) == 2
    return verb is not None and (obj, verb) != ("general", "list")


# ethtool's actions that only print: the driver, statistics, offloads, rings, pause and
# coalescing settings, the EEPROM and module EEPROM (`-e DEV length 64`: `raw`, `offset`,
# `length`... narrow what is printed), registers, flow hashes and rules. Its changes
# (`-s`, `-K`, `-E`, `--set-*`, `-N`...), the self-test (`-t`: offline by default, the
# link goes down), a cable test and `-w` (a dump written to a file) are not here.
_ETHTOOL_SHORT_READS = frozenset("iSkgaclemPTdxnuIh")
_ETHTOOL_LONG_READS = frozenset(
    {
        "driver",
        "statistics",
        "phy-statistics",
        "show-features",
        "show-offload",
        "show-ring",
        "show-pause",
        "show-coalesce",
        "show-channels",
        "show-eee",
        "show-fec",
        "show-rxfh",
        "show-rxfh-indir",
        "show-priv-flags",
        "show-time-stamping",
        "show-permaddr",
        "show-tunnels",
        "show-mm",
        "show-pse",
        "show-plca-cfg",
        "show-nfc",
        "show-ntuple",
        "eeprom-dump",
        "module-info",
        "dump-module-eeprom",
        "register-dump",
        "json",
        "include-statistics",
        "all-groups",
        "version",
        "help",
    }
)


# resolvectl's verbs that only look up or print (`monitor` prints the host's lookups as
# they happen; `show-cache` the cached answers); a per-link setting with the link alone
# prints it (`resolvectl dns eth0`), with a value sets it.
_RESOLVECTL_READS = frozenset(
    {
        "status",
        "query",
        "statistics",
        "service",
        "openpgp",
        "tlsa",
        "show-cache",
        "show-server-state",
        "monitor",
    }
)
_RESOLVECTL_LINK_SETTINGS = frozenset(
    {"dns", "domain", "default-route", "llmnr", "mdns", "dnssec", "dnsovertls", "nta"}
)
# hostnamectl's getters (systemd 249+): the field's name alone prints it
_HOSTNAMECTL_FIELDS = frozenset({"hostname", "icon-name", "chassis", "deployment", "location"})


def _ethtool_dump(cmd: Cmd) -> str | None:
    """The file `ethtool -w DEV data FILE` (`--get-dump`) writes the device's firmware
    dump to, when that is all the line asks (`-I`/`--json` beside it at most): the
    write is judged by the file's class, as any tool's output is. `-w DEV` alone only
    prints the dump's flag and version."""
    short, long = cmd.options()
    if not (short | long) & {"w", "get-dump"} or not short <= {"w", "I"}:
        return None
    if not long <= {"get-dump", "json", "include-statistics"}:
        return None
    pos = [a.text for a in cmd.positional()]
    return pos[pos.index("data") + 1] if "data" in pos[:-1] else ""


def _ethtool_reads(cmd: Cmd) -> bool:
    """`ethtool DEV`, or one action that only prints (`-S`, `-e DEV length 64`, `--show-fec`)
    with `--json` or `-I` beside it at most."""
    short, long = cmd.options()
    if not short and not long:
        return len(cmd.args) <= 1
    return short <= _ETHTOOL_SHORT_READS and long <= _ETHTOOL_LONG_READS


@handles(
    "ifconfig",
    "route",
    "ifdown",
    "ifup",
    "nmcli",
    "iwconfig",
    "ethtool",
    "tc",
    "brctl",
    "arp",
    "netplan",
    "resolvectl",
    "hostnamectl",
    "timedatectl",
    "hostname",
    "date",
    "localectl",
    "networkctl",
    "wg",
    "wg-quick",
    "vconfig",
)
def _netconf(cmd: Cmd, an: Analysis) -> list[Hit]:
    name, pos = cmd.name, [a.text for a in cmd.positional()]
    reads = {
        "ifconfig": len(pos) <= 1,
        "route": not pos or pos[0] in ("-n",),
        # nmcli's -f/-g (fields), -e, -m, -c, -w take a value before the object
        "nmcli": _nmcli_reads(cmd, [a.text for a in cmd.positional("fgemcw")]),
        "ethtool": _ethtool_reads(cmd),
        "tc": bool(pos) and len(pos) > 1 and pos[1] in ("show", "ls", "list"),
        "arp": not cmd.has("d", "s", "f"),
        "resolvectl": not pos
        or pos[0] in _RESOLVECTL_READS
        or (pos[0] in _RESOLVECTL_LINK_SETTINGS and len(pos) <= 2)
        or (pos[0] == "log-level" and len(pos) == 1),
        # `hostnamectl hostname|chassis|...` alone prints the value; with one more word sets it
        "hostnamectl": not pos
        or pos[0] == "status"
        or (pos[0] in _HOSTNAMECTL_FIELDS and len(pos) == 1),
        "timedatectl": not pos
        or pos[0] in ("status", "show", "list-timezones", "timesync-status", "show-timesync"),
        "hostname": not pos or cmd.has("f", "i", "I", "d", "s", "a", "A"),
        "date": not cmd.has("s", "set") and not any(p.isdigit() and len(p) >= 8 for p in pos),
        "localectl": not pos
        or pos[0] in ("status", "list-locales", "list-keymaps")
        or pos[0].startswith("list-x11-keymap-"),
        "networkctl": not pos
        or pos[0] in ("list", "status", "lldp", "label")
        or (pos[0] == "cat" and _plain_links(pos[1:])),
        "wg": not pos or pos[0] in ("show", "showconf"),
        "netplan": bool(pos) and pos[0] in ("get", "info", "generate", "status"),
        "iwconfig": len(pos) <= 1,
        "brctl": bool(pos) and pos[0] in ("show", "showmacs", "showstp"),
    }
    if reads.get(name, False):
        return []
    dump = _ethtool_dump(cmd) if name == "ethtool" else None
    if dump is not None:
        return option_write(cmd, dump, "ethtool -w data", an) if dump else []
    down = (
        (name == "ifconfig" and "down" in pos)
        or name == "ifdown"
        or (name == "nmcli" and ("off" in pos or "down" in pos or "delete" in pos))
        or (name == "netplan" and pos[:1] == ["apply"])
        or (name == "wg-quick" and pos[:1] == ["down"])
        or (name == "route" and pos[:1] in (["del"], ["delete"]))
        or (name == "networkctl" and pos[:1] == ["down"])
    )
    if name == "networkctl" and pos[:1] == ["cat"]:
        # the link's .network/.netdev files: WireGuard's and MACsec's keys are set there
        return hit(
            cmd,
            "net.networkctl_cat",
            "high",
            "networkctl cat prints the links' configuration files (a WireGuard or MACsec "
            "link's keys among them)",
            suggest="networkctl status",
        )
    if _sets_the_clock(name, cmd, pos):
        return hit(
            cmd,
            "time.set_clock",
            "high",
            f"{name} sets the system clock by hand: certificates, tokens, Kerberos tickets, "
            "replication and log order break when it jumps",
            suggest="timedatectl status",
        )
    if down:
        return hit(
            cmd,
            "net.down",
            "high",
            f"{name} {' '.join(pos)}: takes networking down or replaces it (may cut off access)",
            suggest=f"{name}" if name in ("ifconfig", "route") else "ip addr show",
        )
    return hit(cmd, f"net.{name}", "medium", f"{name}: changes host settings")


# A physical or loopback link's name as the kernel and udev give it (`eth0`, `enp3s0`,
# `eno1`, `wlan0`, `lo`), or a .network/.link file: no .netdev, so no WireGuard or MACsec
# key, stands behind it (left16: `networkctl cat eth0` is a read, as `systemctl cat`).
_PLAIN_LINK = lazy(r"^(?:eth\d+|en[opsx][\w-]*|wl[\w-]*|lo|[\w.@-]+\.(?:network|link))$")


def _plain_links(names: list[str]) -> bool:
    """Does `networkctl cat NAMES` print only the files of plain links?"""
    return bool(names) and all(_PLAIN_LINK.match(n) for n in names)


def _sets_the_clock(name: str, cmd: Cmd, pos: list[str]) -> bool:
    """`date -s TIME`, `date MMDDhhmm`, `timedatectl set-time TIME`: the clock set to a
    time the line gives (a time server's, `chronyc makestep`, `rdate`, is a change)."""
    if name == "date":
        return cmd.has("s", "set") or any(p.isdigit() and len(p) >= 8 for p in pos)
    return name == "timedatectl" and pos[:1] == ["set-time"]


# A local daemon's control socket (haproxy's admin socket, a runtime API), and the
# commands sent there that only report.
_CONTROL_SOCKET = lazy(
    r"(?i)(?:^|\s|:)(?:unix(?:-connect|-client)?:)?(/\S+\.sock(?:et)?|/(?:var/)?run/[^\s,]+)(?=[\s,]|$)"
)


_SOCKET_READ = lazy(r"(?i)(show|get|help|info|stats?|list|version|ping|status|dump)\b")
# Commands there that take a whole frontend or backend away, or a server named by a
# variable (`for s in web-1 web-2 ...; do echo "disable server be/$s" | socat ...`: the
# loop may be every server the backend has), as an outage.
_SOCKET_OUTAGE = lazy(
    r"(?i)^\s*(?:(?:disable|shutdown)\s+(?:frontend|backend)\b|shutdown\s+sessions\s+backend\b"
    r"|(?:disable\s+server|shutdown\s+sessions\s+server)\s+\S*\$"
    r"|set\s+server\s+\S*\$\S*\s+(?:state\s+(?:maint|drain)|weight\s+0+%?(?:\s|$)))"
)


# Commands sent to a control socket that do more than one server's change (twentieth
# pass, fix20): HAProxy's `clear map`/`clear acl` empty a routing table (every host it
# sends to a backend falls to the default), `set server B/S addr|agent-addr ADDRESS`
# points a server (or its health agent) at an address outside the site, which then
# receives the customers' traffic (a private address is the fleet's own backend moved:
# audit19b's change); Kea's `lease4-wipe` forgets every lease of a subnet, its `config-get` prints
# the configuration with the lease and host databases' passwords; redis' FLUSHALL,
# SHUTDOWN, CONFIG SET or EVAL, sent raw to its own Unix socket.
_SOCKET_HARM: tuple[tuple[str, str], ...] = (
    (
        r"(?i)^\s*clear\s+(?:map|acl)\b",
        "empties a HAProxy map or ACL: every host it routed falls to the default",
    ),
    (
        r"(?i)[\"']command[\"']\s*:\s*[\"'](?:lease[46]-wipe|config-set|config-reload|shutdown)",
        "wipes Kea's leases or replaces, reloads or stops the DHCP server",
    ),
    (
        r"(?i)[\"']command[\"']\s*:\s*[\"']config-get\b",
        "prints Kea's configuration (its lease and host databases' passwords)",
    ),
)


_KV_SOCKET = lazy(r"(?i)redis|valkey|keydb|memcache")
_SERVER_MOVED = lazy(r"(?i)^\s*set\s+server\s+\S+\s+(?:addr|agent-addr)\s+(\S+)")


def _socket_harm(sock: str, commands: list[str]) -> str | None:
    """What one of `commands` (sent to the daemon's control socket `sock`) does beyond
    one server's change, as a phrase, or None. On a key-value store's own Unix socket
    (`/var/run/redis/x.sock`), its destroying verbs count too (HAProxy's `shutdown
    sessions` is not redis' SHUTDOWN)."""
    store = _KV_SOCKET.search(sock) is not None
    for text in (c.strip("'\" ") for c in commands):
        for pattern, harm in _SOCKET_HARM:
            if re.search(pattern, text):
                return harm
        moved = _SERVER_MOVED.match(text)
        if moved is not None and site_address(moved.group(1)) == "foreign":
            return (
                f"points a HAProxy server (or its health agent) at {moved.group(1)}, outside "
                "the site: the customers' traffic goes there"
            )
        if store and _PROTOCOL_DESTROY.match(text):
            return f"sends {text.split()[0]!r}: it wipes, stops or runs code in the service"
    return None


@handles("nc", "socat", "telnet", "ncat")
def _netcat(cmd: Cmd, an: Analysis) -> list[Hit]:
    text = " ".join(cmd.argv)
    if cmd.has("e", "c", "exec", "sh-exec", "lua-exec") or re.search(
        r"\bexec:|system:|/bin/(ba)?sh", text
    ):
        return hit(
            cmd,
            "net.remote_shell",
            "critical",
            f"{cmd.name} hands a shell to the network (reverse or bind shell)",
            "system",
            suggest="ss -tlnp",
        )
    if cmd.has("l", "listen") or re.search(r"LISTEN", text):
        return hit(cmd, "net.listen", "medium", f"{cmd.name} listens for connections", "single")
    if (sock := _CONTROL_SOCKET.search(text)) is not None:
        sent = _piped_text(cmd)
        commands = [c for c in re.split(r"[;\n]", sent or "") if c.strip()]
        if commands and all(_SOCKET_READ.match(c.strip()) for c in commands):
            return []
        if any(_SOCKET_OUTAGE.match(c.strip("'\" ")) for c in commands + _piped_raw(cmd, an.src)):
            return hit(
                cmd,
                "net.control_socket_outage",
                "high",
                f"{cmd.name} tells the daemon at {sock.group(1)} to stop serving a whole "
                "frontend or backend, or each server a loop names (the backend may be left "
                "with none)",
                "system",
            )
        if (harm := _socket_harm(sock.group(1), commands)) is not None:
            return hit(cmd, "net.control_socket_harm", "high", f"{cmd.name} {harm}", "system")
        return hit(
            cmd,
            "net.control_socket",
            "medium",
            f"{cmd.name} sends commands to a daemon's control socket {sock.group(1)}: "
            "they change the running daemon (servers drained, frontends disabled)",
            "single",
        )
    if cmd.has("z"):
        return []
    sent = _piped_text(cmd)
    if sent is not None and (verb := _protocol_change(sent)) is not None:
        severity: Severity = "high" if _PROTOCOL_DESTROY.match(verb) else "medium"
        return hit(
            cmd,
            "net.protocol_command",
            severity,
            f"{cmd.name} sends {verb.split()[0]!r} to a service: a command of its protocol "
            "that changes or wipes what the service holds (memcached, redis, SMTP, HTTP)",
            "system" if severity == "high" else "single",
        )
    return hit(cmd, "net.connect", "low", f"{cmd.name} opens a network connection", "single")


# Text written to a raw socket is a conversation in the service's protocol: memcached's
# and redis's inline commands, SMTP, HTTP request lines. These verbs only ask; after an
# HTTP request line or SMTP's DATA the rest is headers and body. Any other verb changes
# the service; these wipe or stop it, or run code in it.
_PROTOCOL_READ = lazy(
    r"(?i)(?:stats?|get|gets|version|quit|ping|info|dbsize|ttl|pttl|type|exists|scan|"
    r"llen|scard|hlen|zcard|strlen|echo|time|role|ehlo|helo|noop|ruok|srvr|mntr|conf|cons|"
    r"envi|wchs|isro|me|mn|head|options|lastsave|client\s+list|slowlog\s+get|memory\s+stats|"
    r"lru_crawler\s+metadump|"
    # HAProxy's runtime API on a stats port (`stats socket ipv4@127.0.0.1:9999`): its
    # `show` commands report, as they do on its Unix socket (audit19b)
    r"show)\b"
)


_PROTOCOL_DESTROY = lazy(
    r"(?i)(?:flushall|flushdb|flush_all|shutdown|replicaof|slaveof|debug|eval|evalsha|fcall|"
    r"config\s+set|module\s+load|script\s+flush|cluster\s+reset|acl\s+(?:setuser|deluser))\b"
)


_HTTP_REQUEST = lazy(r"(?i)(GET|HEAD|OPTIONS)\s+\S+\s+HTTP/[\d.]+\s*$")


_HTTP_HEADER = lazy(r"[A-Za-z][\w-]*:\s")


def _protocol_change(sent: str) -> str | None:
    """The first line of `sent` (text piped to a raw socket client) that is not a read of
    a protocol the engine knows, or None when every line only asks. The header lines of
    an HTTP GET are data; a second request on the connection is judged again."""
    headers = False
    for line in (x.strip() for x in re.split(r"\n|\\r\\n|\\n|\\r", sent)):
        if not line or (headers and _HTTP_HEADER.match(line)):
            continue
        headers = bool(_HTTP_REQUEST.match(line))
        if not headers and not _PROTOCOL_READ.match(line):
            return line
    return None


# A file on PATH (a system bin folder): what is written there runs whenever its name is
# typed. An address that proves nothing about who answers: plain http or ftp, or a bare
# IP address.
_ON_PATH = lazy(r"^/(?:usr/(?:local/)?)?s?bin/[^/]+$|^/opt/[^/]+/bin/[^/]+$")
_UNAUTHENTICATED = lazy(
    r"(?:^|\s)['\"]?(?:(?:http|ftp)://|(?:https?://)?\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?/)"
)


# The system's trust anchors (sixteenth pass): a certificate put there is trusted by every
# TLS client once `update-ca-certificates` or `update-ca-trust` runs (Debian's, Red Hat's,
# SUSE's and p11-kit's folders).
_TRUST_ANCHOR = lazy(
    r"^/(?:usr/local/share/ca-certificates|usr/share/ca-certificates|etc/pki/ca-trust/source"
    r"|etc/pki/trust/anchors|usr/share/pki/trust/anchors|etc/ca-certificates/trust-source)/"
)


def _unauthenticated_program(cmd: Cmd, out: str) -> list[Hit]:
    """`axel -o /usr/local/bin/kubectl http://203.0.113.44/kubectl`: a program put on PATH
    from an address that proves nothing about who answers; every later use of its name
    runs what they sent (a download over https from a named host stays a write). A CA
    certificate put among the trust anchors so is trusted by every TLS client: whoever
    answered can read and forge the host's TLS traffic (a copy of a file kept on the host
    stays the change it is)."""
    path = normalize_path(out)
    if not _UNAUTHENTICATED.search(cmd.text()):
        return []
    if _ON_PATH.match(path):
        found = "puts {out} on PATH", "every later run of that name runs their code"
    elif _TRUST_ANCHOR.match(path):
        found = "adds {out} to the trusted CAs", "every TLS connection can be read and forged"
    else:
        return []
    return hit(
        cmd,
        "net.unauthenticated_program",
        "high",
        f"{cmd.name} {found[0].format(out=out)} from plain http or a bare address (nothing "
        f"proves who sent it): {found[1]}",
        "system",
    )


@handles("curl", "wget", "fetch", "aria2c", "http", "https", "httpie", "xh", "axel")
def _download(cmd: Cmd, an: Analysis) -> list[Hit]:
    text = " ".join(cmd.argv)
    if cmd.name == "wget":
        out = cmd.option_value("O", "output-document")
        if out in ("-", "/dev/null") or cmd.has("spider", "S"):
            return []
        if out:
            return option_write(cmd, out, "wget writes", an) + _unauthenticated_program(cmd, out)
        return hit(
            cmd,
            "net.download",
            "medium",
            "wget saves a download into the current folder",
            "single",
            scoped=True,
        )
    config = cmd.option_value("K", "config") if cmd.name == "curl" else None
    if config is not None:
        return _curl_config(cmd, an, config)
    out = cmd.option_value("o", "output")
    hits: list[Hit] = []
    if cmd.name == "aria2c" and out and (folder := cmd.option_value("d", "dir")):
        out = f"{folder.rstrip('/')}/{out}"  # `aria2c -d DIR -o NAME`
    if out and out not in ("-", "/dev/null"):
        hits += option_write(cmd, out, f"{cmd.name} writes", an)
        hits += _unauthenticated_program(cmd, out)
    elif cmd.has("O", "remote-name", "J", "remote-name-all"):
        hits += hit(
            cmd, "net.download", "medium", f"{cmd.name} saves a download", "single", scoped=True
        )
    method = (cmd.option_value("X", "request") or "").upper() or _httpie_method(cmd)
    # `curl -G -d q=...` puts the data in a GET's query string (a file's content sent
    # that way is the pack's `curl.post_file`)
    query = cmd.name == "curl" and cmd.has("G", "get") and not cmd.has("F", "form", "T", "json")
    kea = _control_command(cmd, method)
    if _host_file_in_prompt(cmd):
        hits += hit(
            cmd,
            "net.server_reads_file",
            "high",
            f"{cmd.name} asks a model server to read a file of its own host (a `file:` "
            "URL in the request): the server's files come back in the answer",
            "unknown",
        )
    elif _only_queries(cmd, method) or _only_session_token(cmd, method) or kea == "read":
        pass  # a search engine's or model server's query endpoint: the body is the query
    elif kea in ("wipe", "replace"):
        what = (
            "wipe every lease of a subnet (its clients lose their addresses at renewal)"
            if kea == "wipe"
            else "replace its configuration (hook libraries are code it loads) or write it "
            "to a file the request names"
        )
        hits += hit(
            cmd, "net.remote_change", "high", f"{cmd.name} asks a DHCP server to {what}", "unknown"
        )
    elif method in ("POST", "PUT", "DELETE", "PATCH") or (
        not query
        and cmd.has(
            "d",
            "data",
            "data-raw",
            "data-binary",
            "data-urlencode",
            "F",
            "form",
            "T",
            "upload-file",
            "json",
        )
    ):
        destroys = _DESTRUCTIVE_ENDPOINT.search(text)
        severity: Severity = "high" if method == "DELETE" or destroys else "medium"
        what = (
            f" to {destroys.group(1)}, an endpoint that deletes or wipes data" if destroys else ""
        )
        hits += hit(
            cmd,
            "net.remote_change",
            severity,
            f"{cmd.name} sends a {method or 'POST'} request{what} (changes something remotely)",
            "unknown",
        )
    if re.search(r"(^|\s)-k\b|--insecure", text):
        hits += hit(cmd, "net.insecure", "low", f"{cmd.name} skips TLS verification", "single")
    return hits


# One line of a curl config: `name = "value"`, `name: value`, `--name value`, `name`.
_CURL_CONFIG_LINE = lazy(r"^\s*-{0,2}([A-Za-z][\w-]*)\s*(?:[=:]\s*|\s+)?(.*?)\s*$")


def _curl_config(cmd: Cmd, an: Analysis, config: str) -> list[Hit]:
    """`curl -K FILE`: curl takes its options (the URL, `upload-file`, `data`, `output`)
    from the file. Written on the line (`printf 'url = ...\nupload-file = /etc/shadow' |
    curl -K -`, or into a file the line then names: eighteenth pass) they are judged as
    if given as options; from a file the line does not show, they are unknown, and from
    a temp folder whatever any account put there (as `ssh -F /tmp/x`)."""
    import shlex  # here, not at the top: most checks never need it

    text = _piped_text(cmd) if config == "-" else an.written_texts.get(config)
    if text is None:
        temp = classify(config) == "temp"
        return hit(
            cmd,
            "net.curl_config",
            "high" if temp else "medium",
            f"curl reads its options from {config}, which the line does not show (an upload "
            "or a write may be among them)"
            + (", in a temp folder any account may have written" if temp else ""),
            "unknown",
        )
    args: list[str] = []
    for line in text.replace("\\n", "\n").splitlines():
        m = _CURL_CONFIG_LINE.match(line)
        if m is None or line.lstrip().startswith("#"):
            continue
        value = m.group(2).strip('"')
        args += [f"--{m.group(1)}", *([shlex.quote(value)] if value else [])]
    rest = [shlex.quote(a.text) for a in cmd.args if a.text not in ("-K", "--config", "-")]
    an.payload(" ".join(["curl", *args, *rest]), cmd.args, "net.curl_config", "curl -K -")
    return []


# httpie's and xh's request: `http [METHOD] URL [ITEM...]`, the method a word of its
# own (any case), a data item (`a=b`, `a:=1`, `f@file`) making it a POST; `--offline`
# only prints the request.
_HTTPIE = frozenset({"http", "https", "httpie", "xh", "xhs"})


_HTTP_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})


_HTTPIE_DATA = lazy(r"^[^\s=:@/-][^\s=:@/]*(?::=|=(?!=)|@)")


def _httpie_method(cmd: Cmd) -> str:
    """The method an httpie or xh command sends ('' for curl and wget, or a GET)."""
    if cmd.name not in _HTTPIE or cmd.has("offline"):
        return ""
    pos = cmd.positional()
    if pos and pos[0].text.upper() in _HTTP_METHODS:
        return pos[0].text.upper()
    return "POST" if any(_HTTPIE_DATA.match(a.text) for a in pos[1:]) else ""


# A search engine's endpoints that answer a query sent as a POST body and change
# nothing (Elasticsearch, OpenSearch): `_search`, `_count`, `_msearch`, ...; fix19 adds
# the other read APIs their references document with a body: templates rendered, a
# document's score explained, documents fetched by id, term vectors, the analyzer run on
# a text, the shards a search would hit, a ranking evaluated, EQL searches and the
# cluster's explanation of a shard's allocation.
_QUERY_ENDPOINT = lazy(
    r"^(?:https?://)?[\w.-]+(?::\d+)?(?:/[\w.,*%-]+)*/"
    r"(?:_search|_count|_msearch|_field_caps|_validate/query|_search/template|"
    r"_msearch/template|_render/template(?:/[\w-]+)?|_explain/[\w%-]+|_mget|"
    r"_termvectors(?:/[\w%-]+)?|_mtermvectors|_analyze|_search_shards|_rank_eval|"
    r"_eql/search|_cluster/allocation/explain)/?(?:\?[^\s#]*)?$"
)
# Where curl reads a file for the body: `-d`, `--data-binary`, `--json` and
# `--data-ascii` when the value starts with `@`; `--data-urlencode` for an `@` before any
# `=` (`NAME@FILE`). An `@` inside a JSON body (`"@timestamp"`) is text (fix19).
_FILE_BODY = frozenset({"d", "data", "data-binary", "data-ascii", "json"})


_URL_LIKE = lazy(r"^(?:https?://)?[\w.-]+(?::\d+)?/")


def _only_queries(cmd: Cmd, method: str) -> bool:
    """`curl -d '{"query": ...}' localhost:9200/logs/_search`: every address the command
    names is a query endpoint, the method is a POST or GET, and the body is written on
    the line (no `@file`, form, upload, config file or `--next`)."""
    if cmd.name != "curl" or method not in ("", "POST", "GET"):
        return False
    if cmd.has("F", "form", "T", "upload-file", "K", "config", "next", ":", *_REROUTES):
        return False
    if any(v.startswith("@") for n in _FILE_BODY for v in cmd.option_values(n)):
        return False
    if any("@" in v.split("=", 1)[0] for v in cmd.option_values("data-urlencode")):
        return False
    urls = [a.text for a in cmd.args if _URL_LIKE.match(a.text)]
    if urls and all(_QUERY_ENDPOINT.match(u) for u in urls):
        return True
    return (
        bool(urls)
        and all(_INFERENCE_ENDPOINT.match(u) for u in urls)
        and not any("keep_alive" in _json_unescaped(b) for b in _curl_bodies(cmd))
        and (not _carries_credential(cmd) or all(site_address(u) == "internal" for u in urls))
    )


# curl's options that send the request elsewhere than its URL says, or ask another path
# of the server (rev20b): a proxy sees the request, `--connect-to`/`--resolve` point the
# name at another host, `--unix-socket` talks to another daemon (Docker's), and
# `--request-target` replaces the path (Triton's `/v2/repository/models/M/load`): the
# URL is then no query endpoint's.
_REROUTES = (
    "x",
    "proxy",
    "preproxy",
    "socks4",
    "socks4a",
    "socks5",
    "socks5-hostname",
    "connect-to",
    "resolve",
    "unix-socket",
    "abstract-unix-socket",
    "request-target",
)
# A request header that carries a credential: `Authorization: Bearer $TOKEN`, an API key,
# a token, secret, session or cookie by any header name (`X-Token:`), or a value taken
# from a variable or a command (rev20b: `X-Auth: $GITHUB_TOKEN`).
_CREDENTIAL_HEADER = lazy(
    r"(?i)^\s*(?:proxy-)?authorization\s*:|"
    r"^\s*[\w-]*(?:api[-_]?key|token|secret|passw|auth|session|cookie|key)[\w-]*\s*:|"
    r":.*\$"
)


def _carries_credential(cmd: Cmd) -> bool:
    """curl sends a credential with the request (a header, headers read from a file, `-u`,
    `--oauth2-bearer`, cookies, `.netrc`, a signed request): a model endpoint's query is
    then a read only at the site's own address (audit20b, rev20b)."""
    headers = list(cmd.option_values("H", "header", "proxy-header"))
    return (
        cmd.has("u", "user", "oauth2-bearer", "b", "cookie", "n", "netrc", "aws-sigv4")
        or cmd.has("netrc-file", "netrc-optional", "E", "cert", "proxy-user", "U")
        or any(h.startswith("@") or _CREDENTIAL_HEADER.search(h) for h in headers)
    )


# A model server's endpoints that answer a prompt or a query sent in a POST body and
# change nothing (audit20b): OpenAI-compatible completions, chat, embeddings, rerank and
# score (vLLM, TGI, llama.cpp, Ollama's /v1, LiteLLM, KServe's /openai), the Open
# Inference Protocol's infer (Triton, KServe, Seldon: /v2/models/M[/versions/N]/infer),
# KServe v1's :predict and :explain, Triton's repository index, TGI's /generate, Ollama's
# /api/generate, chat, embed and show, llama.cpp's /completion, /infill and /embedding,
# the tokenizers, MLflow's /invocations and its tracking server's searches. The bare
# names only at the root: `/key/generate` (LiteLLM) makes a key. Ollama's `keep_alive`
# in a body unloads or pins the model: not a query.
_INFERENCE_ENDPOINT = lazy(
    r"^(?:https?://)?[\w.-]+(?::\d+)?/(?:"
    r"(?:openai/)?v1/(?:chat/completions|completions|embeddings|rerank|score)|"
    r"v2/models/[\w.-]+(?:/versions/\d+)?/infer|v1/models/[\w.-]+:(?:predict|explain)|"
    r"v2/repository/index|api/(?:generate|chat|embed|embeddings|show)|"
    r"generate|generate_stream|completion|infill|embedding|tokenize|detokenize|invocations|"
    r"api/2\.0/mlflow/(?:experiments|runs|registered-models|model-versions)/search|"
    r"api/2\.0/mlflow/registered-models/get-latest-versions"
    r")/?(?:\?[^\s#]*)?$"
)
# A `file:` URL in a request body: vLLM and other multimodal servers fetch an image,
# audio or video URL themselves, from their own disk for `file:` (`--allowed-local-media-path`).
# The scheme in any case (`FILE:///`, as urlparse lowers it; rev20b).
_FILE_URL = lazy(r"(?i)\bfile:/")
# JSON's escapes of a character (`\/`, `\u0066`): the server reads the string decoded.
_JSON_ESCAPE = lazy(r"\\(?:u([0-9a-fA-F]{4})|([/\\\"]))")


def _json_unescaped(body: str) -> str:
    r"""`body` with JSON's escapes decoded, as the server reads its strings (rev20b:
    `"file:\/\/\/etc\/shadow"` and `"keep\u005falive"` are the words they spell)."""
    return _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), body)


def _host_file_in_prompt(cmd: Cmd) -> bool:
    """A curl body that hands a model server a `file:` URL to fetch (audit20b)."""
    return cmd.name == "curl" and any(
        _FILE_URL.search(_json_unescaped(b)) for b in _curl_bodies(cmd)
    )


# Kea's control API (the Control Agent, or a server's own HTTP socket) takes one JSON
# object, `{"command": NAME, "service": [...], "arguments": {...}}`, in a POST. The
# commands that only report (audit19b); `config-get` is not one: it prints the lease and
# host databases' passwords with the rest of the configuration.
_KEA_READ = lazy(
    r"^(?:list-commands|status-get|version-get|build-report|config-test|ha-heartbeat|"
    r"lease[46]-get(?:-all|-page|-by-[\w-]+)?|statistic-get(?:-all)?|reservation-get(?:-all|-page|-by-[\w-]+)?|"
    r"(?:subnet|network)[46]-(?:list|get)|class-(?:list|get)|server-tag-get|remote-[\w-]+-get(?:-all)?|"
    r"stat-lease[46]-get|cache-get|cache-size)$"
)
_KEA_WIPE = lazy(r"^lease[46]-wipe$")


def _control_command(cmd: Cmd, method: str) -> str:
    """ "read" or "wipe" for a POST of one Kea control command written on the line (no
    file, form, upload, config file or second request), "" otherwise."""
    if cmd.name != "curl" or method not in ("", "POST"):
        return ""
    if cmd.has(
        "F",
        "form",
        "T",
        "upload-file",
        "K",
        "config",
        "next",
        ":",
        "G",
        "get",
        "data-urlencode",
    ):
        return ""
    bodies = _curl_bodies(cmd)
    # (rev19c) a body glued to its option (`-d'{...}'`, `--data-binary={...}`), given
    # with `--json` or beside another body is judged too: a change in any is the line's
    kinds = [_kea_kind(b) for b in bodies]
    for worst in ("wipe", "replace"):
        if worst in kinds:
            return worst
    if cmd.has("json") or len(bodies) != 1:
        return ""
    return kinds[0]


def _curl_bodies(cmd: Cmd) -> list[str]:
    """The request bodies curl's line gives, in every spelling of the data options (flags
    clustered before `-d` too: `-sd'{...}'`, rev20b)."""
    return list(cmd.option_values(*_DATA_OPTIONS))


_DATA_OPTIONS = ("d", "data", "data-raw", "data-binary", "data-ascii", "json")


def _kea_kind(text: str) -> str:
    """ "read", "wipe" or "replace" for one Kea control command's JSON, "" otherwise."""
    if text.startswith("@"):
        return ""
    try:
        body = json.loads(text)
    except ValueError:
        return ""
    name = body.get("command") if isinstance(body, dict) else None
    if not isinstance(name, str):
        return ""
    if _KEA_WIPE.match(name):
        return "wipe"
    args = body.get("arguments")
    if name == "config-set" or (
        name == "config-write" and isinstance(args, dict) and "filename" in args
    ):
        return "replace"
    # (rev19c) config-test validates the hook libraries it is given by loading them
    # (their constructors run): a library named makes it a replace, not a read
    if name == "config-test" and "librar" in json.dumps(args):
        return "replace"
    return "read" if _KEA_READ.match(name) else ""


def _only_session_token(cmd: Cmd, method: str) -> bool:
    """`curl -X PUT http://169.254.169.254/latest/api/token -H '...-ttl-seconds: 60'`:
    IMDSv2's session token asked for, with no body; the PUT changes nothing (left16)."""
    urls = [a.text for a in cmd.args if _URL_LIKE.match(a.text)]
    return (
        method == "PUT"
        and bool(urls)
        and all(is_metadata_session_token(u) for u in urls)
        and not cmd.has("d", "data", "data-binary", "data-raw", "F", "form", "T", "upload-file")
    )


# An HTTP API operation named for destroying data (`/orders/_delete_by_query`,
# `/api/v1/admin/purge`, `/db/drop`): a request to it is as bad as a DELETE.
_DESTRUCTIVE_ENDPOINT = lazy(
    r"(?i)(?:^|[\s'\"=])[\w.:@-]*(?::\d+)?/\S*?(_delete_by_query|(?<=/)(?:_delete|delete\w*|drop\w*|purge(?![-_]?cache(?=[/?#&\s'\"]|$))\w*|truncate|wipe|"
    r"destroy|flush_?all|flushdb|_shutdown|factory[-_]reset|reset[-_]all))(?=[/?#&\s'\"]|$)"
)


def _piped_raw(cmd: Cmd, src: str) -> list[str]:
    """The words `echo`/`printf` feed `cmd`, as the line `src` writes them (a loop's `$s`
    unexpanded: the words themselves carry the loop's first value)."""
    up = cmd.simple.upstream
    if up is None or not up.words or command_name(up.words[0].text) not in ("echo", "printf"):
        return []
    return [src[w.start : w.end] for w in up.words[1:]]
