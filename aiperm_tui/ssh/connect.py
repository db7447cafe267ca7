"""Open one authenticated SSH Transport to a target, through its jump hosts.

The socket gets TCP_NODELAY (a command is many small packets each way; Nagle would add
round trips) and the Transport large window and packet sizes (fewer window adjusts and
packets per megabyte when a command streams a lot). Two more throughput choices, measured
with benchmarks/ssh_bench.py: AES-GCM ciphers first (one AEAD call per packet instead of
AES-CTR plus a separate HMAC; 1.5-1.7x on a 256 MB stream), and a read buffer under
paramiko's packetizer, which otherwise makes 2-3 recv() calls of exact sizes per packet.
Jump hosts are chained with direct-tcpip channels, each hop verified and authenticated
like the target itself.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from dataclasses import dataclass, field

import paramiko
from paramiko.common import MSG_CHANNEL_CLOSE, MSG_CHANNEL_REQUEST, MSG_GLOBAL_REQUEST

from aiperm_tui.ssh.auth import KeyCache, authenticate
from aiperm_tui.ssh.base import ConnectFailed, HostKeyUnknown, Prompts, fingerprint
from aiperm_tui.ssh.hosts import Target
from aiperm_tui.ssh.knownhosts import KnownHosts

WINDOW_SIZE = 16 * 1024 * 1024  # bounds what a slow consumer lets pile up per channel
MAX_PACKET_SIZE = 256 * 1024  # OpenSSH's own packet limit
READ_BUFFER = 256 * 1024
REKEY_BYTES = 4 * 1024**3
ALIVE_COUNT_MAX = 3  # unanswered keepalive intervals before the connection is dropped
PREFERRED_CIPHERS = ("aes128-gcm@openssh.com", "aes256-gcm@openssh.com")

# paramiko logs a failed handshake with its traceback from its own thread; with no
# handler configured, Python prints that to stderr, over the TUI or before our one-line
# error. Every failure it logs also reaches us as an exception, said in one line.
logging.getLogger("paramiko").addHandler(logging.NullHandler())


class BufferedSocket:
    """A socket whose recv() is served from one large read: paramiko asks for the 16-byte
    first block, then the rest of the packet, then the MAC, each as its own syscall."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buf = b""
        self._pos = 0

    def recv(self, n: int) -> bytes:
        if self._pos >= len(self._buf):
            data = self._sock.recv(max(n, READ_BUFFER))  # may raise socket.timeout: fine
            if len(data) <= n:
                return data
            self._buf, self._pos = data, 0
        out = self._buf[self._pos : self._pos + n]
        self._pos += len(out)
        return out

    def __getattr__(self, name: str) -> object:
        return getattr(self._sock, name)  # send, settimeout, close, fileno...


def _handle_request(chan: paramiko.Channel, m: paramiko.Message) -> None:
    """paramiko drops `exit-signal`, so a killed command would look like a lost
    channel; record the signal name, then let paramiko handle everything else."""
    start = m.packet.tell()
    if m.get_text() == "exit-signal":
        m.get_boolean()  # want_reply: never set for exit-signal
        chan.exit_signal = m.get_text()  # type: ignore[attr-defined]
        chan.status_event.set()
        return
    m.packet.seek(start)
    paramiko.Channel._handle_request(chan, m)  # type: ignore[attr-defined]  # paramiko internal


def _handle_close(chan: paramiko.Channel, m: paramiko.Message) -> None:
    """paramiko answers a channel close from its reader thread, and that send waits for
    a running key exchange to finish, which only the same thread can finish: the
    connection froze for 30 s whenever a command ended during a re-key. Answer from a
    short-lived thread then, so the reader goes on with the key exchange."""
    transport = chan.transport
    if transport is None or transport.clear_to_send.is_set():
        paramiko.Channel._handle_close(chan, m)  # type: ignore[attr-defined]  # paramiko internal
        return
    close = paramiko.Channel._handle_close  # type: ignore[attr-defined]  # paramiko internal
    threading.Thread(
        target=close, args=(chan, m), daemon=True, name="aiperm-close-after-rekey"
    ).start()


class SignalTransport(paramiko.Transport):
    """A client Transport that understands the server's `exit-signal`, does not freeze
    when a command ends during a re-key, and re-keys every REKEY_BYTES like OpenSSH
    does for AES (paramiko's 512 MiB would re-key a busy stream every couple of seconds)."""

    _channel_handler_table = {  # noqa: RUF012 - the same shape as paramiko's own table
        **paramiko.Transport._channel_handler_table,  # type: ignore[attr-defined]  # paramiko internal
        MSG_CHANNEL_REQUEST: _handle_request,
        MSG_CHANNEL_CLOSE: _handle_close,
    }

    def __init__(self, sock: socket.socket | paramiko.Channel, **kwargs: object) -> None:
        super().__init__(sock, **kwargs)  # type: ignore[arg-type]
        self.packetizer.REKEY_BYTES = REKEY_BYTES


def _probe(t: paramiko.Transport, wait: float) -> bool:
    """One keepalive@openssh.com global request with want_reply (OpenSSH answers even
    requests it does not know); True when an answer came within `wait` seconds."""
    answered = threading.Event()
    t.completion_event = answered
    m = paramiko.Message()
    m.add_byte(bytes([MSG_GLOBAL_REQUEST]))
    m.add_string("keepalive@openssh.com")
    m.add_boolean(True)
    try:
        t._send_user_message(m)  # type: ignore[attr-defined]  # paramiko internal
    except (OSError, EOFError, paramiko.SSHException):
        return False
    return answered.wait(wait)


def _watch(t: paramiko.Transport, interval: int) -> None:
    """Like OpenSSH's ServerAliveInterval with ServerAliveCountMax 3: a connection whose
    server stops answering (host frozen, network gone without a reset) is closed, so a
    running command ends with "connection lost" instead of waiting for TCP to give up
    (many minutes), and the next command reconnects. paramiko's own keepalive asks for
    no reply, so it keeps NAT state alive but never notices a dead peer."""
    while t.is_active():
        time.sleep(interval)
        if t.is_active() and not _probe(t, interval * ALIVE_COUNT_MAX):
            t.saved_exception = ConnectFailed(
                f"no answer from the server for {interval * (ALIVE_COUNT_MAX + 1)} s"
            )
            t.close()


@dataclass
class Link:
    """An open connection: the target's Transport and the jump Transports under it."""

    transport: paramiko.Transport
    jumps: list[paramiko.Transport] = field(default_factory=list)

    def close(self) -> None:
        """Close every Transport, even when one is already dead: paramiko's close raises
        EOFError when the connection under it has gone (a killed jump host), and the
        caller is replacing the link because it died."""
        for t in [self.transport, *reversed(self.jumps)]:
            with contextlib.suppress(EOFError, OSError, paramiko.SSHException):
                t.close()


def _tcp(target: Target) -> socket.socket:
    try:
        sock = socket.create_connection(
            (target.hostname, target.port), timeout=target.connect_timeout or None
        )
    except OSError as exc:
        raise ConnectFailed(
            f"cannot connect to {target.hostname}:{target.port}: {exc.strerror or exc}"
        ) from None
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    return BufferedSocket(sock)  # type: ignore[return-value]


class Connector:
    """Opens Links; holds what every connection shares (host keys, prompts, settings)."""

    def __init__(
        self, known: KnownHosts, prompts: Prompts, *, use_agent: bool, keepalive: int
    ) -> None:
        self.known, self.prompts = known, prompts
        self.use_agent, self.keepalive = use_agent, keepalive
        self.keys = KeyCache()  # unlocked keys, for this session only (see ssh/auth.py)
        self._trusted_once: set[tuple[str, int, bytes]] = set()

    def open(self, target: Target) -> Link:
        link = Link(transport=None)  # type: ignore[arg-type]
        sock: socket.socket | paramiko.Channel | None = None
        try:
            for hop, nxt in zip(target.jumps, [*target.jumps[1:], target], strict=False):
                t = self._handshake(hop, sock if sock is not None else _tcp(hop))
                link.jumps.append(t)
                sock = self._tunnel(t, hop, nxt)
            link.transport = self._handshake(target, sock if sock is not None else _tcp(target))
        except BaseException:
            for t in link.jumps:
                t.close()
            raise
        return link

    def _tunnel(self, t: paramiko.Transport, hop: Target, nxt: Target) -> paramiko.Channel:
        try:
            return t.open_channel(
                "direct-tcpip",
                (nxt.hostname, nxt.port),
                ("127.0.0.1", 0),
                timeout=hop.connect_timeout or None,
            )
        except (paramiko.SSHException, OSError, EOFError) as exc:
            raise ConnectFailed(
                f"jump host {hop.name} cannot reach {nxt.hostname}:{nxt.port}: {exc}"
            ) from None

    def _handshake(
        self, target: Target, sock: socket.socket | paramiko.Channel
    ) -> paramiko.Transport:
        t = SignalTransport(
            sock, default_window_size=WINDOW_SIZE, default_max_packet_size=MAX_PACKET_SIZE
        )
        try:
            opts = t.get_security_options()
            opts.ciphers = PREFERRED_CIPHERS + tuple(
                c for c in opts.ciphers if c not in PREFERRED_CIPHERS
            )
            self._prefer_known_key_types(t, target)
            try:
                t.start_client(timeout=target.connect_timeout or None)
            except (paramiko.SSHException, EOFError, OSError) as exc:
                hint = "; is this port an SSH server?" if "banner" in str(exc) else ""
                raise ConnectFailed(
                    f"SSH handshake with {target.hostname}:{target.port} failed: {exc}{hint}"
                ) from None
            self._verify(target, t.get_remote_server_key())
            authenticate(t, target, self.prompts, self.use_agent, self.keys)
        except BaseException:
            t.close()
            raise
        if self.keepalive:
            threading.Thread(
                target=_watch,
                args=(t, self.keepalive),
                daemon=True,
                name=f"aiperm-keepalive-{target.name}",
            ).start()
        return t

    def _prefer_known_key_types(self, t: paramiko.Transport, target: Target) -> None:
        """Ask for a host key type on record first, as OpenSSH does, so a host with an
        ed25519 key on record is not refused (`KnownHosts.check`) for offering ecdsa."""
        known = set(self.known.known_types(target.hostname, target.port))
        if "ssh-rsa" in known:
            known |= {"rsa-sha2-512", "rsa-sha2-256"}
        opts = t.get_security_options()
        ordered = [k for k in opts.key_types if k in known] + [
            k for k in opts.key_types if k not in known
        ]
        if known:
            opts.key_types = tuple(ordered)

    def _verify(self, target: Target, key: paramiko.PKey) -> None:
        host, port = target.hostname, target.port
        if self.known.check(host, port, key):
            return
        if (host, port, key.asbytes()) in self._trusted_once:
            return
        fp = fingerprint(key)
        answer = self.prompts.trust_host(host, port, key.get_name(), fp)
        if answer == "always":
            self.known.add(host, port, key)
        elif answer == "once":
            self._trusted_once.add((host, port, key.asbytes()))
        else:
            raise HostKeyUnknown(
                f"unknown host key for {host}:{port}: {key.get_name()} {fp} "
                "(not trusted; compare it with the server's and trust it, "
                f"or add it to {self.known.own})"
            )
