"""The HMAC chain over `events.jsonl`: how a line is sealed and how a seal is checked.

A line is the compact JSON of one event with `mac` as its last field:

    {"seq":1,"t":0.0,"ts":"2026-11-23T19:45:00.123Z","type":"session_start",...,"mac":"<64 hex>"}\\n

Its *body* is every byte before `,"mac":` and

    mac(n) = HMAC-SHA256(key, mac(n-1) as 64 lowercase hex ASCII bytes ‖ body(n))

For the first event, mac(0) is the genesis value `genesis(session_id)`: SHA-256 over a label
and the session id, as hex. Chaining from the id ties the log to its folder: a log copied
under another session's name fails at seq 1.

Because the mac is a fixed-width suffix, a verifier slices the exact bytes that were
written and never re-serialises JSON (which could differ in key order, spacing or escapes).
`,"mac":"` cannot occur inside a JSON string (the quote would be escaped), and the writer
refuses a payload field named `mac`, so the suffix is unambiguous.
"""

from __future__ import annotations

import hashlib
import hmac

MAC_KEY = b',"mac":"'
MAC_HEX_LEN = 64
# `,"mac":"` + 64 hex + `"}`; the newline comes after.
SUFFIX_LEN = len(MAC_KEY) + MAC_HEX_LEN + 2
GENESIS_LABEL = b"aiperm-session-log-v1\0"


def genesis(session_id: str) -> bytes:
    """mac(0) of a session, as the hex ASCII bytes the first event chains from."""
    return hashlib.sha256(GENESIS_LABEL + session_id.encode()).hexdigest().encode()


def new_hmac(secret: bytes) -> hmac.HMAC:
    """A keyed HMAC-SHA256 to `.copy()` per line: the key schedule is done once."""
    return hmac.new(secret, digestmod=hashlib.sha256)


def seal(base: hmac.HMAC, prev_mac: bytes, body: bytes) -> bytes:
    """The mac (hex ASCII) of `body` chained after `prev_mac`."""
    h = base.copy()
    h.update(prev_mac)
    h.update(body)
    return h.hexdigest().encode()


def split_line(line: bytes) -> tuple[bytes, bytes] | None:
    """(body, mac) of one line without its newline, or None if it is not shaped like one."""
    if len(line) <= SUFFIX_LEN or line[-2:] != b'"}':
        return None
    if line[-SUFFIX_LEN:-SUFFIX_LEN + len(MAC_KEY)] != MAC_KEY:
        return None
    return line[:-SUFFIX_LEN], line[-MAC_HEX_LEN - 2:-2]


def line_seq(line: bytes) -> int | None:
    """The seq of a line without a JSON parse (the writer puts it first), else None."""
    if not line.startswith(b'{"seq":'):
        return None
    end = line.find(b",", 7)
    try:
        return int(line[7:end])
    except ValueError:
        return None
