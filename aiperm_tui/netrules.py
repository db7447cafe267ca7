"""The grammar and the checks of an agent's network allowlist (`[agents.NAME] network`,
`--allow-net`), shared by the config, which validates entries as it loads, and the
broker's proxy (`agent.netproxy`), which enforces them. Standard library only.

An entry is `host` (port 443), `host:port`, `*.domain[:port]` (any name below domain,
not domain itself), an IPv4 address or an IPv6 address in brackets, each with an
optional port. Names are compared lower-case without a trailing dot; addresses in
their canonical form.

The config imports this module to validate its entries, and every hook's `aiperm check`
reads the config: the rules are value classes (`aiperm_tui.values`), not dataclasses,
and `ipaddress` is imported only for an entry that may spell an address (dataclasses
and ipaddress were ~5 ms of a check with agents in the config).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from aiperm_tui.values import Frozen

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    import ipaddress
    from typing import TypeAlias

    IPAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address
else:  # the name exists at run time, for imports; only mypy reads it
    IPAddress = object

DEFAULT_PORT = 443
# The characters of an IPv4 address; an IPv6 address has a colon. Any other text is a
# name to `ipaddress.ip_address`, which then need not be imported.
_IPV4_CHARS = frozenset("0123456789.")

_LABEL = r"(?!-)[a-z0-9_-]{1,63}(?<!-)"  # `_` occurs in real DNS names (_dmarc, SRV)
_HOSTNAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_PORT = re.compile(r"[0-9]{1,5}")


class NetRuleError(ValueError):
    """An allowlist entry that cannot be read; the message names what is wrong."""


class NetRule(Frozen):
    """One allowlist entry: `host` is a lower-case name, `*.suffix`, or an IP address in
    its canonical form."""

    __slots__ = ("host", "port")
    host: str
    port: int

    def __init__(self, host: str, port: int) -> None:
        object.__setattr__(self, "host", host)
        object.__setattr__(self, "port", port)

    @property
    def address(self) -> IPAddress | None:
        """The IP address this entry lists, None for a name or pattern."""
        return ip_of(self.host)

    def matches(self, host: str, port: int) -> bool:
        """Whether a normalised host and port fall under this entry."""
        if port != self.port:
            return False
        if self.host.startswith("*."):
            return host.endswith(self.host[1:])
        return host == self.host

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_rule(text: str) -> NetRule:
    """`host`, `host:port`, `*.domain[:port]`, `1.2.3.4[:port]`, `[::1][:port]`."""
    entry = text.strip()
    host, port_text = split_authority(entry)
    port = DEFAULT_PORT if port_text is None else parse_port(port_text, entry)
    if host.startswith("*."):
        suffix = normalise_name(host[2:], entry)
        if "." not in suffix:
            raise NetRuleError(
                f"{entry!r}: a pattern must name a domain with a dot, like *.example.com"
            )
        return NetRule(f"*.{suffix}", port)
    address = ip_of(host)
    if address is not None:
        return NetRule(str(address), port)
    return NetRule(normalise_name(host, entry), port)


def split_authority(entry: str) -> tuple[str, str | None]:
    """host and port text of `host[:port]`; IPv6 needs brackets, as in a URL."""
    if entry.startswith("["):
        host, bracket, rest = entry[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise NetRuleError(f"{entry!r}: write an IPv6 address as [addr] or [addr]:port")
        address = ip_of(host)
        if address is None or address.version != 6:
            raise NetRuleError(f"{entry!r}: not an IPv6 address in brackets")
        return host, (rest[1:] if rest else None)
    if entry.count(":") > 1:
        raise NetRuleError(f"{entry!r}: write an IPv6 address in brackets, as [addr]:port")
    host, colon, port = entry.partition(":")
    return host, (port if colon else None)


def parse_port(text: str, entry: str) -> int:
    if not _PORT.fullmatch(text) or not 1 <= int(text) <= 65535:
        raise NetRuleError(f"{entry!r}: the port must be a number from 1 to 65535")
    return int(text)


def normalise_name(name: str, entry: str) -> str:
    host = name.lower().removesuffix(".")
    if len(host) > 253 or not _HOSTNAME.fullmatch(host):
        raise NetRuleError(f"{entry!r}: not a host name (letters, digits, '-', dots)")
    return host


def ip_of(text: str) -> IPAddress | None:
    """The address `text` spells in standard notation, else None. Only the standard forms:
    `127.1` or `0x7f000001` are names here, which then must be listed and resolve to
    public addresses like any name."""
    if ":" not in text and not set(text) <= _IPV4_CHARS:
        return None
    import ipaddress

    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class Allowlist(Frozen):
    """The hosts an agent may reach. Empty: nothing at all."""

    __slots__ = ("rules",)
    rules: tuple[NetRule, ...]

    def __init__(self, rules: tuple[NetRule, ...] = ()) -> None:
        object.__setattr__(self, "rules", rules)

    @classmethod
    def parse(cls, entries: Iterable[str]) -> Allowlist:
        """NetRuleError on the first entry that cannot be read."""
        return cls(tuple(dict.fromkeys(parse_rule(e) for e in entries)))

    def match(self, host: str, port: int) -> NetRule | None:
        """The first entry allowing a name (normalised) and port, or None."""
        return next((r for r in self.rules if r.address is None and r.matches(host, port)), None)

    def lists_address(self, address: IPAddress, port: int) -> bool:
        """Whether this exact address and port is on the list."""
        return any(r.address == address and r.port == port for r in self.rules)

    def __str__(self) -> str:
        return ", ".join(map(str, self.rules)) or "(nothing)"


def is_public(address: IPAddress) -> bool:
    """Whether `address` is on the public internet: not loopback, private, link-local
    (169.254.169.254 is the cloud metadata service), CGNAT, multicast, reserved or
    unspecified, and no IPv6 form (mapped, 6to4, NAT64) embedding such an IPv4."""
    import ipaddress  # loaded already: the address was made by it

    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in ipaddress.IPv6Network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(embedded)
    return bool(
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
    )
