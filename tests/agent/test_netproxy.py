"""The broker's network proxy for the sandboxed agent: the allowlist, the CONNECT parser,
and the proxy itself on a real Unix socket (the sandboxed path: tests/security/test_network.py)."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.fuzz import FUZZ_DEADLINE
from helpers.net import echo_server, read_all, read_head, status_of, unix_connect
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aiperm_tui.agent import relay
from aiperm_tui.agent.netproxy import (
    Limits,
    NetProxy,
    Refused,
    destinations,
    parse_request,
    recording_refusals,
)
from aiperm_tui.config import Config, load_config, parse_config
from aiperm_tui.errors import ConfigError
from aiperm_tui.netrules import Allowlist, NetRule, NetRuleError, is_public, parse_rule
from aiperm_tui.replay.scene import describe_other

pytestmark = pytest.mark.timeout(60)
EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"

# --- the allowlist ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "rule"),
    [
        ("api.anthropic.com", NetRule("api.anthropic.com", 443)),
        ("API.Anthropic.COM.:8443", NetRule("api.anthropic.com", 8443)),
        ("*.example.com", NetRule("*.example.com", 443)),
        ("127.0.0.1:5000", NetRule("127.0.0.1", 5000)),
        ("[::1]:22", NetRule("::1", 22)),
        ("[2001:DB8::7]", NetRule("2001:db8::7", 443)),
        (" host:1 ", NetRule("host", 1)),
    ],
)
def test_entries_parse(entry: str, rule: NetRule) -> None:
    assert parse_rule(entry) == rule


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ("*", "not a host name"),
        ("*.com", "domain with a dot"),
        ("host:0", "port"),
        ("host:65536", "port"),
        ("host:https", "port"),
        ("a b", "not a host name"),
        ("", "not a host name"),
        ("::1", "brackets"),
        ("[::1", r"as \[addr\]"),
        ("[example.com]:443", "not an IPv6"),
        ("-bad.example.com", "not a host name"),
        ("a" * 64 + ".com", "not a host name"),
    ],
)
def test_bad_entries_say_what_is_wrong(entry: str, says: str) -> None:
    with pytest.raises(NetRuleError, match=says):
        parse_rule(entry)


def test_names_match_exactly_and_patterns_match_below_their_domain() -> None:
    allow = Allowlist.parse(["api.anthropic.com", "*.example.com:8443"])
    assert allow.match("api.anthropic.com", 443) is not None
    assert allow.match("api.anthropic.com", 80) is None
    assert allow.match("evil-api.anthropic.com", 443) is None
    assert allow.match("a.example.com", 8443) is not None
    assert allow.match("a.b.example.com", 8443) is not None
    assert allow.match("example.com", 8443) is None
    assert allow.match("badexample.com", 8443) is None
    assert allow.match("a.example.com", 443) is None


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::7f00:1",
        "2002:7f00:1::",
        "2002:a00:1::",
        "ff02::1",
    ],
)
def test_loopback_private_link_local_and_embedded_forms_are_not_public(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "160.79.104.10", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]
)
def test_public_addresses_are_public(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def _resolver(table: dict[str, list[str]]) -> Any:
    def resolve(host: str, port: int) -> list[str]:
        return table[host]

    return resolve


def _never(host: str, port: int) -> list[str]:
    raise AssertionError(f"{host} must not be looked up")


def test_a_listed_name_goes_to_the_addresses_it_was_checked_at() -> None:
    allow = Allowlist.parse(["api.example.com"])
    found = destinations(
        allow,
        "api.example.com",
        443,
        _resolver({"api.example.com": ["160.79.104.10", "2607:6bc0::10"]}),
    )
    assert [str(a) for a in found] == ["160.79.104.10", "2607:6bc0::10"]


def test_a_name_not_listed_is_refused_without_a_lookup() -> None:
    with pytest.raises(Refused, match="not on the agent's network allowlist") as info:
        destinations(Allowlist.parse(["api.example.com"]), "other.example.com", 443, _never)
    assert info.value.status == 403


@pytest.mark.parametrize(
    "answer",
    [
        ["127.0.0.1"],
        ["169.254.169.254"],
        ["10.0.0.5"],
        ["160.79.104.10", "127.0.0.1"],
        ["::ffff:127.0.0.1"],
    ],
)
def test_a_listed_name_resolving_to_a_private_address_is_refused(answer: list[str]) -> None:
    allow = Allowlist.parse(["api.example.com"])
    with pytest.raises(Refused, match="not a public address"):
        destinations(allow, "api.example.com", 443, _resolver({"api.example.com": answer}))


def test_a_private_address_listed_by_the_operator_is_allowed() -> None:
    allow = Allowlist.parse(["gateway.corp", "10.0.0.5:443"])
    found = destinations(allow, "gateway.corp", 443, _resolver({"gateway.corp": ["10.0.0.5"]}))
    assert found == [ipaddress.ip_address("10.0.0.5")]
    with pytest.raises(Refused):  # listed for 443 only
        destinations(
            Allowlist.parse(["gateway.corp:8443", "10.0.0.5:443"]),
            "gateway.corp",
            8443,
            _resolver({"gateway.corp": ["10.0.0.5"]}),
        )


def test_ip_literals_are_reached_only_when_listed() -> None:
    allow = Allowlist.parse(["127.0.0.1:5000", "*.example.com"])
    assert destinations(allow, "127.0.0.1", 5000, _never) == [ipaddress.ip_address("127.0.0.1")]
    for host, port in (("127.0.0.1", 5001), ("8.8.8.8", 443), ("::1", 5000)):
        with pytest.raises(Refused, match="IP address is reached only when listed"):
            destinations(allow, host, port, _never)


# --- the request line -------------------------------------------------------------------


def test_connect_lines_parse_and_normalise() -> None:
    request = parse_request(b"CONNECT API.Example.com.:443 HTTP/1.1\r\nHost: x")
    assert (request.method, request.host, request.port) == ("CONNECT", "api.example.com", 443)
    assert parse_request(b"CONNECT [::1]:22 HTTP/1.0").host == "::1"
    plain = parse_request(b"GET http://example.com/x HTTP/1.1")
    assert (plain.is_connect, plain.host, plain.port) == (False, "example.com", 80)


@pytest.mark.parametrize(
    "line",
    [
        b"CONNECT example.com HTTP/1.1",
        b"CONNECT a b HTTP/1.1",
        b"CONNECT example.com:99999 HTTP/1.1",
        b"GET / HTTP/1.1",
        b"CONNECT example.com:443",
        b"\x16\x03\x01\x02\x00",
        b"CONNECT example.com:443 SPDY/3",
        b"CONNECT " + b"a" * 400 + b":443 HTTP/1.1",
    ],
)
def test_bad_request_lines_are_refused_with_400(line: bytes) -> None:
    with pytest.raises(Refused) as info:
        parse_request(line)
    assert info.value.status == 400


@settings(deadline=FUZZ_DEADLINE, max_examples=400)
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_are_refused(head: bytes) -> None:
    try:
        request = parse_request(head)
    except Refused as exc:
        assert exc.status == 400
        return
    if request.is_connect:  # what passes is a clean name or address, and a real port
        assert 1 <= request.port <= 65535
        assert request.host == request.host.lower().strip()


_label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)


@settings(deadline=FUZZ_DEADLINE)
@example(["0", "0", "0", "0"], 1, "HTTP/1.1")  # found by hypothesis: an address, not a name
@given(
    st.lists(_label, min_size=1, max_size=5),
    st.integers(1, 65535),
    st.sampled_from(["HTTP/1.1", "HTTP/1.0"]),
)
def test_connect_round_trips(labels: list[str], port: int, version: str) -> None:
    host = ".".join(labels)
    request = parse_request(f"CONNECT {host.upper()}:{port} {version}\r\n".encode())
    assert (request.host, request.port) == (host, port)
    allowlist = Allowlist.parse([f"{host}:{port}"])
    try:  # labels of digits can make an address (0.0.0.0): those are matched as addresses
        address = ipaddress.ip_address(host)
    except ValueError:
        assert allowlist.match(request.host, request.port)
    else:
        assert allowlist.lists_address(address, request.port)


# --- config -----------------------------------------------------------------------------


def test_claude_gets_its_api_host_and_other_agents_nothing() -> None:
    config = Config()
    assert config.agent_network("claude") == ("api.anthropic.com:443",)
    assert config.agent_network("python3") == ()
    assert load_config(EXAMPLE).agent_network("claude") == config.agent_network("claude")


def test_an_agents_table_replaces_the_default() -> None:
    config = parse_config(
        {
            "agents": {
                "claude": {"network": ["llm.corp:8443"]},
                "codex": {"network": ["api.openai.com"]},
            }
        }
    )
    assert config.agent_network("claude") == ("llm.corp:8443",)
    assert config.agent_network("codex") == ("api.openai.com",)
    assert parse_config({"agents": {"claude": {"network": []}}}).agent_network("claude") == ()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"agents": {"claude": {"network": ["*"]}}}, r"agents\.claude\.network\[0\]: '\*'"),
        ({"agents": {"claude": {"network": "api.anthropic.com"}}}, "expected an array"),
        ({"agents": {"claude": {"netwrok": []}}}, "unknown key"),
        ({"agents": {"claude": []}}, "expected a table"),
    ],
)
def test_bad_agent_tables_name_the_key(data: dict[str, Any], says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        parse_config(data)


# --- the proxy on its socket ------------------------------------------------------------


class Refusals(list[tuple[str, int, str]]):
    def __call__(self, host: str, port: int, reason: str) -> None:
        self.append((host, port, reason))


@pytest.fixture
def refusals() -> Refusals:
    return Refusals()


def _proxy(entries: list[str], refusals: Refusals, **limits: Any) -> NetProxy:
    proxy = NetProxy(Allowlist.parse(entries), refusals, limits=Limits(**limits))
    proxy.start()
    return proxy


@pytest.fixture
def echo() -> Iterator[Any]:
    with echo_server() as server:
        yield server


def _connect(proxy: NetProxy, target: str) -> tuple[socket.socket, int]:
    conn = unix_connect(str(proxy.path))
    conn.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
    return conn, status_of(read_head(conn))


def test_an_allowed_target_is_tunnelled_both_ways(echo: Any, refusals: Refusals) -> None:
    proxy = _proxy([f"127.0.0.1:{echo.port}"], refusals)
    try:
        conn, status = _connect(proxy, f"127.0.0.1:{echo.port}")
        with conn:
            assert status == 200
            conn.sendall(b"ping\n" * 1000)
            got = b""
            while len(got) < 5000:
                got += conn.recv(65536)
            assert got == b"ping\n" * 1000
            conn.shutdown(socket.SHUT_WR)  # the half-close reaches the server: it ends
            assert conn.recv(10) == b""
        assert refusals == []
    finally:
        proxy.close()


def test_full_duplex_bulk_does_not_stall(echo: Any, refusals: Refusals) -> None:
    """Writing while the echo comes back, through the relay and the proxy as a sandboxed
    agent does: one thread per direction, or the two hops block each other."""
    proxy = _proxy([f"127.0.0.1:{echo.port}"], refusals)
    listener = relay.listen(0)
    threading.Thread(target=relay.serve, args=(listener, str(proxy.path)), daemon=True).start()
    total = 32 * 1024 * 1024
    try:
        with socket.create_connection(listener.getsockname(), timeout=10) as conn:
            conn.sendall(f"CONNECT 127.0.0.1:{echo.port} HTTP/1.1\r\n\r\n".encode())
            assert status_of(read_head(conn)) == 200
            writer = threading.Thread(target=conn.sendall, args=(b"x" * total,))
            writer.start()
            got = 0
            while got < total:
                data = conn.recv(1 << 20)
                assert data, "the tunnel ended early"
                got += len(data)
            writer.join()
    finally:
        listener.close()
        proxy.close()


def test_bytes_sent_with_the_request_are_forwarded(echo: Any, refusals: Refusals) -> None:
    proxy = _proxy([f"127.0.0.1:{echo.port}"], refusals)
    try:
        with unix_connect(str(proxy.path)) as conn:
            conn.sendall(f"CONNECT 127.0.0.1:{echo.port} HTTP/1.1\r\n\r\nhello".encode())
            assert status_of(read_head(conn)) == 200
            assert conn.recv(5) == b"hello"
    finally:
        proxy.close()


def test_an_unlisted_target_is_refused_reported_and_never_reached(
    echo: Any, refusals: Refusals
) -> None:
    proxy = _proxy([], refusals)
    try:
        with unix_connect(str(proxy.path)) as conn:
            conn.sendall(f"CONNECT 127.0.0.1:{echo.port} HTTP/1.1\r\n\r\n".encode())
            answer = read_all(conn)
        assert status_of(answer) == 403
        assert b"not on the agent's network allowlist" in answer
        assert refusals == [
            (
                "127.0.0.1",
                echo.port,
                f"127.0.0.1:{echo.port} is not on the "
                "agent's network allowlist (an IP address is reached only when "
                "listed)",
            )
        ]
        assert echo.accepted == 0
    finally:
        proxy.close()


def test_a_listed_name_that_resolves_to_loopback_is_refused(echo: Any, refusals: Refusals) -> None:
    """DNS rebinding with the real resolver: `localhost` is listed, but it is loopback."""
    proxy = _proxy([f"localhost:{echo.port}"], refusals)
    try:
        with unix_connect(str(proxy.path)) as conn:
            conn.sendall(f"CONNECT localhost:{echo.port} HTTP/1.1\r\n\r\n".encode())
            assert status_of(read_all(conn)) == 403
        assert "resolves to" in refusals[0][2] and "not a public address" in refusals[0][2]
        assert echo.accepted == 0
    finally:
        proxy.close()


def test_an_allowed_host_that_cannot_be_reached_is_502_and_reported(refusals: Refusals) -> None:
    with socket.socket() as closed:  # a port with nobody listening
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    proxy = _proxy([f"127.0.0.1:{port}"], refusals)
    try:
        conn, status = _connect(proxy, f"127.0.0.1:{port}")
        conn.close()
        assert status == 502
        assert refusals[0][:2] == ("127.0.0.1", port)
        assert refusals[0][2].startswith(f"cannot connect to 127.0.0.1:{port} (127.0.0.1: ")
    finally:
        proxy.close()


def test_plain_http_is_refused_even_for_a_listed_host(echo: Any, refusals: Refusals) -> None:
    proxy = _proxy([f"127.0.0.1:{echo.port}"], refusals)
    try:
        with unix_connect(str(proxy.path)) as conn:
            conn.sendall(f"GET http://127.0.0.1:{echo.port}/ HTTP/1.1\r\n\r\n".encode())
            assert status_of(read_all(conn)) == 405
        assert refusals[0][:2] == ("127.0.0.1", echo.port)
        assert "only HTTPS (CONNECT)" in refusals[0][2]
        assert echo.accepted == 0
    finally:
        proxy.close()


def test_a_header_flood_is_cut_at_the_limit(refusals: Refusals) -> None:
    proxy = _proxy([], refusals, max_header_bytes=4096)
    try:
        with unix_connect(str(proxy.path)) as conn:
            conn.sendall(b"CONNECT example.com:443 HTTP/1.1\r\n")
            sent = 0
            with pytest.raises(OSError):  # the proxy stops reading and hangs up
                while sent < 64 * 1024 * 1024:
                    conn.sendall(b"X-Flood: " + b"a" * 1000 + b"\r\n")
                    sent += 1011
            assert sent < 1024 * 1024  # it did not swallow megabytes first
        assert "request head larger than 4096 bytes" in refusals[0][2]
    finally:
        proxy.close()


def test_a_client_that_trickles_its_request_is_cut_at_the_deadline(refusals: Refusals) -> None:
    proxy = _proxy([], refusals, header_timeout=0.5)
    try:
        with unix_connect(str(proxy.path)) as conn:
            start = time.monotonic()
            conn.sendall(b"CONNECT exa")
            answer = read_all(conn)
            assert time.monotonic() - start < 5
        assert status_of(answer) == 408
        assert "no complete request within 0.5 s" in refusals[0][2]
    finally:
        proxy.close()


def test_connections_beyond_the_limit_get_503(echo: Any, refusals: Refusals) -> None:
    proxy = _proxy([f"127.0.0.1:{echo.port}"], refusals, max_connections=2)
    try:
        held = [_connect(proxy, f"127.0.0.1:{echo.port}") for _ in range(2)]
        assert [status for _, status in held] == [200, 200]
        with unix_connect(str(proxy.path)) as extra:
            assert status_of(read_all(extra)) == 503
        assert "too many connections" in refusals[0][2]
        held[0][0].close()  # a slot comes free once a tunnel ends
        deadline = time.monotonic() + 10
        status = 0
        while status != 200 and time.monotonic() < deadline:
            with contextlib.suppress(OSError):  # 503 until the tunnel's thread has ended
                conn, status = _connect(proxy, f"127.0.0.1:{echo.port}")
                conn.close()
        assert status == 200
        held[1][0].close()
    finally:
        proxy.close()


def test_refusal_reports_are_rate_limited_and_the_rest_counted(refusals: Refusals) -> None:
    proxy = _proxy([], refusals, reports_burst=3, reports_per_second=0.001)
    try:
        for _ in range(10):
            conn, status = _connect(proxy, "example.com:443")
            conn.close()
            assert status == 403  # answered after it was reported (or counted)
    finally:
        proxy.close()
    assert len(refusals) == 4  # the burst, then the count of the rest on close
    assert refusals[-1] == (
        "*",
        0,
        "7 more refused connection(s) not reported one by one (rate limit)",
    )


def test_close_ends_open_tunnels_and_removes_the_socket(echo: Any, refusals: Refusals) -> None:
    proxy = _proxy([f"127.0.0.1:{echo.port}"], refusals)
    conn, status = _connect(proxy, f"127.0.0.1:{echo.port}")
    assert status == 200
    path = proxy.path
    assert path is not None and path.exists()
    proxy.close()
    assert conn.recv(10) == b""
    assert not path.exists() and not path.parent.exists()
    conn.close()


def test_the_socket_is_private(refusals: Refusals) -> None:
    proxy = _proxy([], refusals)
    try:
        assert proxy.path is not None
        assert proxy.path.stat().st_mode & 0o777 == 0o600
        assert proxy.path.parent.stat().st_mode & 0o777 == 0o700
    finally:
        proxy.close()


def test_refusals_become_session_log_events_and_pane_lines() -> None:
    class Log:
        def __init__(self) -> None:
            self.events: list[tuple[str, dict[str, Any]]] = []

        def event(self, type: str, **payload: Any) -> int:
            self.events.append((type, payload))
            return len(self.events)

    log, shown = Log(), []
    recording_refusals(log, shown.append)("evil.example", 22, "not on the list")
    assert log.events == [
        ("net_refused", {"host": "evil.example", "port": 22, "reason": "not on the list"})
    ]
    assert shown == ["network: refused evil.example:22: not on the list"]


def test_replay_names_the_network_events() -> None:
    assert describe_other(
        {"type": "net_refused", "host": "evil.example", "port": 22, "reason": "not on the list"}
    ) == ("network: refused evil.example:22: not on the list")
    assert describe_other({"type": "net_allowlist", "allow": ["a.example:443", "b:8443"]}) == (
        "network: the agent may reach a.example:443, b:8443"
    )
    assert describe_other({"type": "net_allowlist", "allow": []}) == (
        "network: the agent may reach nothing"
    )
