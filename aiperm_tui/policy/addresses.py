"""Where a network address points: inside the site, outside it, or no one can say.

Two callers ask the same question in opposite directions, and each must err its own way:

- lowering: an unknown tool's read verb may talk to a server of the fleet
  (`verbs._in_the_fleet`: `zztool status --address head.internal:6379`). Only an
  address no one outside the site can answer at, written plainly, is `internal`: a
  mistake here lets a hostile agent read from, or send to, a host of its choosing.
- raising: code installed from an address outside the site is typed
  (`raising._foreign_code`: `cpanm https://198.51.100.31/x.tar.gz`), and so is a proxy
  directive sending requests to a public address (`toolbox._proxied_outside`). Every
  address anyone on the Internet may answer at is `foreign`: a mistake here lets code or
  traffic from the agent's own server through at a plain yes.

`site_address` answers both with one table, and the operator may add the estate's own
names (site20): `[policy] site_domains` (`hostfolk.net`: that name and every name under
it) and each `[hosts.NAME] hostname` (that exact name, never its parent domain), given
for one decision by `site_names` (the engine sets them around each decision).

Between the two answers lies `unknown`: an address that is not plainly the site's
(`169.254.0.9`, `[fd00::5]`, `x.svc`, `0xa.0.0.1`, `user@db.internal`, `db.internal.`)
is not let in by the first caller and not raised by the second. Where the two callers'
old tables disagreed the stricter answer won for each (tidy14): `.localdomain` is no
longer the fleet's (it was not the site's to the raising side), `.svc` and `.arpa` no
longer the site's to the raising side only by being `unknown`, and a cloud metadata
address is never the fleet's (`metadata.google.internal`: where instance credentials are
served).

Standard library only, and `ipaddress` only for an address written in brackets.
"""

from __future__ import annotations

import _thread  # its `_local`: no import of threading or contextvars (~0.4 ms of a check)
import re

from aiperm_tui.policy.lazyre import lazy

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from typing import Literal, TypeAlias

    Site: TypeAlias = Literal["internal", "foreign", "unknown"]
    # The operator's names: `[policy] site_domains` (lower-case, a domain and every name
    # under it) and the `[hosts]` hostnames (exact names only).
    SiteNames: TypeAlias = tuple[tuple[str, ...], frozenset[str]]

NO_SITE_NAMES: SiteNames = ((), frozenset())


class _Current(_thread._local):
    """The operator's names in effect for the decision this thread is making: per thread
    (the broker decides in worker threads, for one config each), set by `site_names`."""

    names: SiteNames = NO_SITE_NAMES


_CURRENT = _Current()


def site_names(names: SiteNames) -> SiteNames:
    """Make `names` the operator's names for this thread's next decisions (until the next
    call) and return those in effect before, for the caller to restore. A thread-local
    and not a parameter: `site_address` is called from a dozen tables that are given a
    command or a word, not the engine's configuration."""
    before = _CURRENT.names
    _CURRENT.names = names
    return before


# The last labels of names no registry delegates to the public and sites use inside:
# `.internal` (reserved by ICANN for private use), `.local` (mDNS), `.localhost`, `.lan`,
# `.corp`, `.intranet`, `.home`, and `.int` (treaty organisations only).
_SITE_TLDS = frozenset({"corp", "home", "int", "internal", "intranet", "lan", "local", "localhost"})
# Last labels of names that are no public host either but not plainly the site's:
# Kubernetes' `.svc` (reached through a search domain) and `.arpa` (the DNS's own).
_UNDELEGATED_TLDS = frozenset({"arpa", "svc"})
# Documentation names: tests and examples write `evil.example` for a host on the Internet
# and `artifacts.edge.int.example` for one of the site: the label before decides.
_RESERVED_TLDS = frozenset({"example", "test", "invalid"})
# An address written plainly, the only shape `internal` is given to: a scheme a server
# option takes, a host of letters, digits, dots and dashes, a numeric port, a plain path.
# No user, query, fragment, backslash, trailing dot or `..`.
_PLAIN = lazy(
    r"(?:(?:https?|tcp|grpcs?|wss?|tls|ssl)://)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?"
    r"(?::\d{1,5})?(?:/[A-Za-z0-9_.~/-]*)?"
)
# The metadata services' names and addresses (where instance credentials are served).
_META_ADDRESS = lazy(
    r"169\.254\.169\.254|169\.254\.170\.2\b|metadata\.google\.internal|metadata\.goog\b|"
    r"fd00:ec2::254|100\.100\.100\.200"
)
# The metadata services' IPv4 addresses as numbers: AWS, Azure, GCP and OCI
# (169.254.169.254), ECS task credentials (169.254.170.2), Alibaba (100.100.100.200).
_META_IPV4 = frozenset({0xA9FEA9FE, 0xA9FEAA02, 0x646464C8})
# The host of a URL or a bare `HOST/PATH` operand (curl and wget take both): after an
# optional scheme and user, up to the port, path, query or fragment; an IPv6 literal in
# brackets whole.
_URL_HOST = lazy(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^/@\s]*@)?(\[[0-9a-f:.]+\]|[^/:?#\[\s]+)", re.I)
# One part of an inet_aton address (bounded: a longer one is no address, and `int` of a
# huge text is slow).
_IPV4_PART = lazy(r"0x[0-9a-f]{1,8}|0[0-7]{0,11}|[1-9][0-9]{0,9}", re.I)


def site_address(text: str) -> Site:
    """Where the address `text` (a URL, `host:port` or a bare host) points: `internal`
    only for a plainly written address of the site, `foreign` for any address someone
    outside could answer at, however it is spelt, `unknown` between."""
    host = _host(text)
    if "\\" in host:
        return "foreign"  # `a\@b`: one parser reads the host `a`, another `b`
    place = _place(host)
    if place == "internal" and (
        ".." in text or _PLAIN.fullmatch(text) is None or is_metadata_credentials(text)
    ):
        return "unknown"
    return place


def is_metadata_credentials(text: str) -> bool:
    """A cloud metadata address (where instance credentials are served), however its
    IPv4 address is spelt: `http://2852039166/`, `0xa9fea9fe`, `0251.0376.0251.0376`,
    `169.254.43518` and `[::ffff:a9fe:a9fe]` all reach 169.254.169.254 (the resolver
    reads an address as `inet_aton` does)."""
    if _META_ADDRESS.search(text):
        return True
    host = _URL_HOST.match(text)
    return host is not None and ipv4_number(host.group(1)) in _META_IPV4


# AWS's IMDSv2 session token (`PUT http://169.254.169.254/latest/api/token`): a key to the
# metadata service itself, good for hours on this host only, no credential of an account;
# what it then fetches is judged by its own path (`.../iam/security-credentials/ROLE`).
_SESSION_TOKEN_PATH = lazy(r"^[^?#]*/latest/api/token/?(?:[?#]|$)")


def is_metadata_session_token(text: str) -> bool:
    """Is `text` the metadata service's session-token address (IMDSv2), no credential?"""
    url = text.strip("'\"")
    return is_metadata_credentials(url) and bool(_SESSION_TOKEN_PATH.match(url))


def ipv4_number(host: str) -> int | None:
    """The IPv4 address `host` names as a number, as `inet_aton` reads it (one to four
    parts, each decimal, octal with a leading 0 or hex with 0x, the last filling the
    remaining bytes: `203.0.29957`, `http://3405803781`, `0xcb.0.0x71.5`), or an
    IPv4-mapped IPv6 literal (`[::ffff:a9fe:a9fe]`); None when it is no such address."""
    if host.startswith("[") and host.lower().startswith("[::ffff:"):
        tail = host[8:-1]
        if "." in tail:
            return ipv4_number(tail)
        groups = tail.split(":")
        if len(groups) != 2 or not all(re.fullmatch(r"[0-9a-fA-F]{1,4}", g) for g in groups):
            return None
        return (int(groups[0], 16) << 16) | int(groups[1], 16)
    parts = host.rstrip(".").split(".")
    if not 1 <= len(parts) <= 4 or not all(_IPV4_PART.fullmatch(p) for p in parts):
        return None
    numbers = [
        int(p, 0) if p[:2].lower() == "0x" else int(p, 8 if p[0] == "0" else 10) for p in parts
    ]
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 1 << (8 * (4 - len(head))):
        return None
    value = last
    for i, n in enumerate(head):
        value |= n << (8 * (3 - i))
    return value


def _host(text: str) -> str:
    """The host `text` names, lower-case: after the scheme and the last `@` of the
    authority (which ends at `/`, `?` or `#`), before the port; an IPv6 literal keeps its
    brackets. A backslash in the authority (parsers split it differently: `a\\@b`) keeps
    the whole authority, for the caller to refuse."""
    rest = text.partition("://")[2] if "://" in text else text
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if "\\" in authority:
        return authority.lower()
    hostport = authority.rpartition("@")[2].lower()
    if hostport.startswith("["):
        return hostport.partition("]")[0] + "]"
    return hostport.rsplit(":", 1)[0] if hostport.count(":") == 1 else hostport


def _place(host: str) -> Site:
    """Where the host alone points (no port, user or path)."""
    if not host:
        return "unknown"
    if _operators(host.rstrip(".")):
        return "internal"
    number = ipv4_number(host)
    if number is not None:
        return _ipv4_place(number, plainly=host == _dotted(number))
    if host.startswith("["):
        return _ipv6_place(host[1:-1])
    labels = host.rstrip(".").split(".")
    if len(labels) > 1 and labels[-1] in _RESERVED_TLDS:
        # `evil.example` is a host on the Internet, as `example.com` would be: the label
        # before decides (fifteenth pass: it was a short name of no one's, `unknown`, so
        # code installed from it was not raised); `int.example` stands for the site's
        before = labels[-2]
        site = before in _SITE_TLDS or before in _UNDELEGATED_TLDS
        return "unknown" if site else "foreign"
    if len(labels) == 1:
        return "internal" if labels[0][:1].isalpha() else "unknown"
    if labels[-1] in _SITE_TLDS:
        return "internal"
    return "unknown" if labels[-1] in _UNDELEGATED_TLDS else "foreign"


def _operators(host: str) -> bool:
    """Is `host` (lower-case, no trailing dot) one the operator named as the site's: a
    configured hostname exactly, or a name spelt in plain ASCII letters, digits, dots and
    dashes that is a site domain or ends in `.` and one (`web07.hostfolk.net`; never
    `hostfolk.net.evil.example`, `evilhostfolk.net`, or `x%2f.hostfolk.net`, which a
    parser decoding the host would read otherwise)?"""
    domains, hosts = _CURRENT.names
    if host in hosts:
        return True
    if not domains or not (host.isascii() and host.replace(".", "").replace("-", "").isalnum()):
        return False
    return any(host == d or host.endswith("." + d) for d in domains)


def _ipv4_place(number: int, plainly: bool) -> Site:
    """A private or loopback IPv4 address written as four decimal parts is the site's;
    written otherwise (`0xa.0.0.1`, `167772161`), or link-local (`169.254.*`, where the
    metadata service answers), it is no one's to say; any other address is foreign
    (public, documentation, shared CGNAT space, multicast, reserved)."""
    first, second = number >> 24, (number >> 16) & 0xFF
    link_local = (first, second) == (169, 254)
    private = (
        first in (10, 127) or (first, second) == (192, 168) or (first == 172 and 16 <= second <= 31)
    )
    if not (private or link_local):
        return "foreign"
    return "internal" if private and plainly else "unknown"


def _ipv6_place(literal: str) -> Site:
    """An IPv6 address is never plainly the site's: loopback, link-local and unique local
    ones (`fc00::/7`), and one mapping a private IPv4 address, are `unknown`; the rest,
    documentation (`2001:db8::`) and unreadable literals included, are foreign."""
    import ipaddress  # only when an address is written so: not on every check

    try:
        address = ipaddress.IPv6Address(literal.partition("%")[0])
    except ValueError:
        return "foreign"
    if address.ipv4_mapped is not None:
        return "foreign" if _ipv4_place(int(address.ipv4_mapped), False) == "foreign" else "unknown"
    unique_local = address.packed[0] & 0xFE == 0xFC  # not `is_private`: it holds 2001:db8::
    site = address.is_loopback or address.is_link_local or unique_local
    return "unknown" if site else "foreign"


def _dotted(number: int) -> str:
    """An IPv4 number in its plain spelling, four decimal parts."""
    return ".".join(str((number >> shift) & 0xFF) for shift in (24, 16, 8, 0))


# The ecosystems' own public registries and indexes (seventeenth pass): a package source
# or an upload there is the ecosystem's default, judged by its own rule (publishing to one
# is typed as going public). Exact names only: `pypі.org` (a Cyrillic `і`) or
# `pypi.org.evil.example` is no registry of anyone's.
_PUBLIC_REGISTRIES = frozenset(
    {"pypi.org", "upload.pypi.org", "test.pypi.org", "files.pythonhosted.org",
     "pypi.python.org", "download.pytorch.org", "registry.npmjs.org", "registry.yarnpkg.com",
     "npm.pkg.github.com", "rubygems.org", "crates.io", "index.crates.io", "static.crates.io",
     "api.nuget.org", "repo.packagist.org", "repo1.maven.org", "repo.maven.apache.org",
     "plugins.gradle.org", "proxy.golang.org", "center.conan.io", "center2.conan.io",
     "hex.pm", "repo.hex.pm", "conda.anaconda.org", "repo.anaconda.com", "jsr.io"}
)  # fmt: skip
# An address written inside a word: a scheme, then up to a space, a quote or a bracket
# (`--index-url=https://x/simple`, `{"url":"https://198.51.100.8/r.git"}`).
_ADDRESS_IN_TEXT = lazy(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s'\"<>{}\[\],;]+")


def foreign_source(text: str) -> str | None:
    """The first address in `text` that anyone outside the site may answer at and that
    is no ecosystem's public registry (`https://pkgs.pyfast-cdn.net/simple`,
    `http://203.0.113.4:4873/`), else None: where a package source or an upload set to
    it sends every later install's request, or the release and the login, to a host no
    one on the line vouches for."""
    for m in _ADDRESS_IN_TEXT.finditer(text):
        address = m.group(0)
        if site_address(address) == "foreign" and _host(address) not in _PUBLIC_REGISTRIES:
            return address
    return None


def lookalike_host(text: str) -> str | None:
    """The first address in `text` whose host is spelt with letters outside ASCII or in
    punycode (`https://pypі.org/`, `oci://ghcr.іo/x`, `xn--pypi-...`), else None: a name
    made to be read as a registry's or a forge's that belongs to someone else."""
    for m in _ADDRESS_IN_TEXT.finditer(text):
        host = _host(m.group(0))
        if not host.isascii() or any(p.startswith("xn--") for p in host.split(".")):
            return m.group(0)
    return None


# Where a service's configuration sends something, by the keys that name a destination
# (fix19): `url:`, `endpoint =`, `address broker.emqx.io:1883`, `Host agg-02...`,
# `target="..."`, `kdc = ...`, `next-server`; the value up to a space, quote or bracket.
_DESTINATION_KEY = lazy(
    r"(?i)(?<![\w-])(?:address(?:es)?|target|servers?|hosts?|endpoints?|ur[il]s?|kdc|"
    r"admin_server|master_kdc|brokers?|next-server|forward(?:-to)?|remote|upstream|"
    r"destination)[\"']?\s*(?:[:=]\s*|\s+)\[?\s*[\"']?([^\s\"',;\[\]{}()<>]+)"
)
# dnsmasq's boot option: the file, then the TFTP server's name and address
_DHCP_BOOT = lazy(r"(?i)\bdhcp-boot\s*=\s*(?:tag:[^,\s]+,)*([^\s\"']+)")
# A bare IPv4 address in a value (`dhcp-boot=pxelinux.0,boot,198.51.100.77`,
# `address: 203.0.113.58:9000`)
_BARE_IPV4 = lazy(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?(?![\w.])")
# A dotted name with a letter outside ASCII anywhere in the text (`pxe-01.prov.fernhіll.net`)
_NON_ASCII_NAME = lazy(r"[^\s\"',;=:/\[\]{}()<>@]*[^\x00-\x7f][^\s\"',;=:/\[\]{}()<>@]*")
# A host name: dotted labels, the last of letters (a file's suffix is no domain)
_HOST_NAME = lazy(r"[^\W_][\w-]*(?:\.[\w-]+)*\.[^\W\d_]{2,}(?::\d{1,5})?(?:/\S*)?")
_FILE_SUFFIXES = frozenset(
    {"yml", "yaml", "json", "conf", "toml", "log", "txt", "rules", "tmpl", "pem", "crt",
     "key", "cfg", "ini", "xml", "db", "gz", "service", "socket", "d", "lua", "so", "sock",
     "pid", "html", "j2", "tpl", "csv", "wasm", "py", "sh", "rb", "pl", "js"}
)  # fmt: skip


def destinations_outside(text: str) -> list[str]:
    """The addresses outside the site (`site_address` foreign, or spelt with letters
    outside ASCII) that `text`, a configuration's content, names as where something is
    sent or fetched: URLs, a destination key's value, bare IPv4 addresses."""
    found: list[str] = []
    for m in _ADDRESS_IN_TEXT.finditer(text):
        found.append(m.group(0))
    for m in _DESTINATION_KEY.finditer(text):
        value = m.group(1)
        if "://" in value or value.startswith(("/", "$", ".")):
            continue
        if _HOST_NAME.fullmatch(value):
            host = _host(value)
            if host.rsplit(".", 1)[-1].lower() not in _FILE_SUFFIXES:
                found.append(value)
    found += [m.group(0) for m in _BARE_IPV4.finditer(text) if m.group(1) != "0.0.0.0"]
    for m in _DHCP_BOOT.finditer(text):  # `dhcp-boot=FILE,SERVERNAME,SERVER`
        found += [f for f in m.group(1).split(",")[1:] if _HOST_NAME.fullmatch(f)]
    out = []
    for address in found:
        host = _host(address)
        lookalike = not host.isascii() or any(p.startswith("xn--") for p in host.split("."))
        if lookalike or site_address(address) == "foreign":
            out.append(address)
    out += [m.group(0) for m in _NON_ASCII_NAME.finditer(text) if "." in m.group(0)]
    return out


def registered_domain(address: str) -> str:
    """The last two labels of `address`'s host (`mon.fernhill.net` -> `fernhill.net`;
    three under a two-letter country's second level: `x.co.uk` -> `x.co.uk`), or the
    host itself for an IP address."""
    host = _host(address)
    if ipv4_number(host) is not None or host.startswith("["):
        return host
    labels = host.rstrip(".").split(".")
    keep = 3 if len(labels) > 2 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])
