"""The HMAC chain over `events.jsonl`: how a line is sealed and how a seal is checked.

A line is the compact JSON of one event with `mac` as its last field:

    {"seq":1,"t":0.0,"ts":"2026-11-23T19:45:00.123Z","type":"session_start",...,"mac":"<64 hex>"}\\n

Its *body* is every byte before `,"mac":` and

    mac(n) = HMAC-SHA256(key, mac(n-1) as 64 lowercase hex ASCII bytes ‖ body(n))

For the first event, mac(0) is the genesis value `genesis(session_id)`: SHA-256 over a label
and the session id, as hex. Chaining from the id ties the log to its folder: a log copied
under another session's name fails at seq 1.

Command output does not go through the lines: its bytes are appended raw to `output.bin`,
and an `output` event records where (`offset`, `length`) and a `tag`, so the chain covers
them through the tag. The tag is Poly1305 under a one-time key,

    key(offset) = HMAC-SHA256(key, "aiperm-output-v1\0" ‖ nonce ‖ "\0" ‖ offset)

where the nonce is 128 random bits (32 hex) drawn for the session and recorded in its
`session_start` event (`output_nonce`), and the offset is in decimal. Offsets never
repeat within a session and nonces do not repeat between sessions (even ones sharing a
key on different machines, where session ids could), so no key is used twice, which is
Poly1305's one rule. It runs at memory speed where HMAC-SHA256 runs at ~1.7 GB/s and
JSON escaping slower still: that is what keeps recording a flood of output cheap.

Because the mac is a fixed-width suffix, a verifier slices the exact bytes that were
written and never re-serialises JSON (which could differ in key order, spacing or escapes).
`,"mac":"` cannot occur inside a JSON string (the quote would be escaped), and the writer
refuses a payload field named `mac`, so the suffix is unambiguous.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from cryptography.hazmat.primitives.poly1305 import Poly1305

MAC_KEY = b',"mac":"'
MAC_HEX_LEN = 64
# `,"mac":"` + 64 hex + `"}`; the newline comes after.
SUFFIX_LEN = len(MAC_KEY) + MAC_HEX_LEN + 2
GENESIS_LABEL = b"aiperm-session-log-v1\0"
SEAL_LABEL = b"aiperm-seal\0"
CHUNK_LABEL = b"aiperm-output-v1\0"
_BLOCK = 64  # SHA-256 block size


def genesis(session_id: str) -> bytes:
    """mac(0) of a session, as the hex ASCII bytes the first event chains from."""
    return hashlib.sha256(GENESIS_LABEL + session_id.encode()).hexdigest().encode()


def seal_meta(secret: bytes, last_mac: bytes, count: int) -> str:
    """Format 2's seal, kept in meta.toml (format 3 seals inside the chain): binds the
    event count to the last mac, so cutting events off a closed log shows."""
    return Sealer(secret).mac(SEAL_LABEL, last_mac, b"\0", str(count).encode())


class Sealer:
    """HMAC-SHA256 with the key schedule done once (RFC 2104 by hand).

    `hmac.HMAC.copy()` is Python code around two hash copies; copying the keyed inner and
    outer SHA-256 states directly costs half as much, which is most of a line's budget
    on the hot paths (recording and verifying). A test checks it against `hmac`.
    """

    __slots__ = ("_inner", "_outer")

    def __init__(self, secret: bytes) -> None:
        if len(secret) > _BLOCK:
            secret = hashlib.sha256(secret).digest()
        padded = secret.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))

    def mac(self, *parts: bytes) -> str:
        """HMAC-SHA256 of the concatenated parts, as hex."""
        return self.digest(*parts).hex()

    def digest(self, *parts: bytes) -> bytes:
        """HMAC-SHA256 of the concatenated parts, as 32 bytes."""
        inner = self._inner.copy()
        for part in parts:
            inner.update(part)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def seal(self, prev_mac: bytes, body: bytes, *more: bytes) -> bytes:
        """The mac (hex ASCII bytes) of the body (`body` and `more`, concatenated) chained
        after `prev_mac`. Parts spare the writer a copy of a large body."""
        inner = self._inner.copy()
        inner.update(prev_mac)
        inner.update(body)
        for part in more:
            inner.update(part)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest().encode()


class ChunkTagger:
    """The tags of one session's output chunks (see the module docstring)."""

    __slots__ = ("_prefix", "_sealer")

    def __init__(self, sealer: Sealer, nonce: str) -> None:
        self._sealer = sealer
        self._prefix = CHUNK_LABEL + nonce.encode() + b"\0"

    def start(self, offset: int) -> Poly1305:
        """A MAC for the bytes stored from `offset` in output.bin, fed as they are written;
        its `finalize().hex()` is their tag."""
        return Poly1305(self._sealer.digest(self._prefix, b"%d" % offset))

    def tag(self, offset: int, parts: Iterable[bytes | memoryview]) -> str:
        """The tag (32 hex) of the bytes `parts` joined, stored at `offset` in output.bin."""
        poly = self.start(offset)
        for part in parts:
            poly.update(part)
        return poly.finalize().hex()


def split_line(line: bytes) -> tuple[bytes, bytes] | None:
    """(body, mac) of one line without its newline, or None if it is not shaped like one."""
    if len(line) <= SUFFIX_LEN or line[-2:] != b'"}':
        return None
    if line[-SUFFIX_LEN : -SUFFIX_LEN + len(MAC_KEY)] != MAC_KEY:
        return None
    return line[:-SUFFIX_LEN], line[-MAC_HEX_LEN - 2 : -2]


def line_seq(line: bytes) -> int | None:
    """The seq of a line without a JSON parse (the writer puts it first), else None."""
    if not line.startswith(b'{"seq":'):
        return None
    end = line.find(b",", 7)
    try:
        return int(line[7:end])
    except ValueError:
        return None
