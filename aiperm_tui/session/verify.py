"""Checking a session log: `verify_session`.

Each complete line's mac is recomputed over the exact bytes written (see `chain`), so a
log verifies at the speed of HMAC, with no JSON parse on the happy path. At the first line
that does not chain, the lines around it tell what happened:

| problem | how it shows |
|---|---|
| edited | the line has the expected seq but its mac does not match |
| inserted | the line does not chain, but the next one chains from the line before it |
| reordered | the expected seq is found later in the file (or the two lines are swapped) |
| deleted | the line's seq is past the expected one, and the expected seq is nowhere later |
| truncated | meta.toml's seal (written at close) counts more events than the log holds |
| wrong_key | meta.toml's key id is not the id of the key given |
| missing_key | no key to verify with (an ephemeral key is gone with its process) |

A log without `session_end` and without a seal is *not closed*: a live or crashed session.
That is not a failure, and neither is a torn last line (a crash mid-write): both are
reported. `first_bad_seq` is the first seq that cannot be trusted.
"""

from __future__ import annotations

import hmac
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiperm_tui.session import chain
from aiperm_tui.session.keys import AuditKey
from aiperm_tui.session.recorder import seal_meta
from aiperm_tui.session.store import events_path, read_meta, session_dir

PROBLEMS = ("edited", "inserted", "deleted", "reordered", "truncated", "wrong_key",
            "missing_key", "unreadable")


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of verifying one session log.

    `events` is the number of events that verified (all of them when ok). `problem` is one
    of PROBLEMS, or None when ok. `message` is one line for people, in every case.
    """

    ok: bool
    session_id: str
    events: int
    message: str
    first_bad_seq: int | None = None
    problem: str | None = None
    torn_tail: bool = False
    closed: bool = False


def _fail(session_id: str, good: int, problem: str, seq: int | None, why: str) -> VerifyResult:
    where = f"seq {seq}: " if seq is not None else ""
    return VerifyResult(False, session_id, good, f"{where}{problem.replace('_', ' ')}: {why}",
                        seq, problem)


def _key_problem(session_id: str, meta: dict[str, Any],
                 key: AuditKey | None) -> VerifyResult | None:
    """wrong_key / missing_key, from meta.toml alone."""
    ephemeral = bool(meta.get("ephemeral"))
    gone = ("the session was recorded with an ephemeral key that existed only in the "
            "recording process, so it cannot be verified")
    if key is None:
        why = gone if ephemeral else ("no audit key to verify with: set AIPERM_AUDIT_KEY "
                                      "or restore the key file made by `aiperm init`")
        return _fail(session_id, 0, "missing_key", None, why)
    logged = meta.get("key_id")
    if logged and logged != key.key_id:
        why = gone if ephemeral else (f"the log was written with key id {logged}, "
                                      f"this key's id is {key.key_id}")
        return _fail(session_id, 0, "wrong_key", None, why)
    return None


def _classify(bad: bytes, expected: int, rest: Iterator[bytes], prev: bytes,
              sealer: chain.Sealer, session_id: str) -> VerifyResult:
    """Name what is wrong with `bad`, the first line (seq `expected`) not chaining from `prev`.

    `rest` yields the complete lines after it; it is only read on this, the failure path.
    """
    good = expected - 1
    seq = chain.line_seq(bad)
    following = next(rest, None)
    after = chain.split_line(following) if following is not None else None
    if after is not None and sealer.seal(prev, after[0]) == after[1]:
        # The next line is the authentic seq `expected`: `bad` is extra, or was swapped
        # with it (then `bad` chains from the next line's mac).
        mine = chain.split_line(bad)
        if mine is not None and sealer.seal(after[1], mine[0]) == mine[1]:
            return _fail(session_id, good, "reordered", expected,
                         f"seq {expected} and seq {seq} are swapped")
        return _fail(session_id, good, "inserted", expected,
                     f"a line not written by aiperm was inserted before seq {expected}")
    if seq == expected or seq is None:
        return _fail(session_id, good, "edited", expected, "the event's bytes were changed")
    later = itertools.chain([following] if following is not None else [], rest)
    for number, line in enumerate(later, expected + 1):
        if chain.line_seq(line) == expected:
            return _fail(session_id, good, "reordered", expected,
                         f"seq {expected} is found on line {number}, after seq {seq}")
    if seq > expected:
        gap = f"{expected}" if seq == expected + 1 else f"{expected}..{seq - 1}"
        return _fail(session_id, good, "deleted", expected, f"event(s) {gap} are missing")
    return _fail(session_id, good, "edited", expected,
                 f"a copy of seq {seq} replaced seq {expected}")

def _check_end(session_id: str, meta: dict[str, Any], key: AuditKey, count: int,
               last: bytes | None, prev: bytes, torn: bool) -> VerifyResult:
    """The chain verified: check the end against session_end and meta's seal."""
    sealed = meta.get("events")
    if isinstance(sealed, int) and "seal" in meta:
        if sealed > count:
            gap = f"{count + 1}" if sealed == count + 1 else f"{count + 1}..{sealed}"
            return _fail(session_id, count, "truncated", count + 1,
                         f"the log ends early: event(s) {gap} recorded at close are missing")
        if sealed < count:
            return _fail(session_id, sealed, "inserted", sealed + 1,
                         f"events follow the {sealed} sealed at close")
        if not hmac.compare_digest(seal_meta(key, prev, count), str(meta["seal"])):
            return _fail(session_id, count, "edited", None, "meta.toml's seal does not match")
    closed = last is not None and json.loads(last).get("type") == "session_end"
    state = "closed" if closed else "not closed (a live or crashed session)"
    note = "; a torn last line follows (the writer stopped mid-write)" if torn else ""
    return VerifyResult(True, session_id, count, f"intact: {count} events, {state}{note}",
                        torn_tail=torn, closed=closed)


def verify_session(path: Path, key: AuditKey | None) -> VerifyResult:
    """Verify a session folder (or its events.jsonl) with `key` (see the module docstring)."""
    folder = session_dir(path)
    session_id = folder.name
    meta = read_meta(folder)
    bad_key = _key_problem(session_id, meta, key)
    if bad_key:
        return bad_key
    assert key is not None
    try:
        return _verify_lines(folder, session_id, meta, key)
    except OSError as exc:
        return _fail(session_id, 0, "unreadable", None, f"cannot read the log: {exc.strerror}")


def _verify_lines(folder: Path, session_id: str, meta: dict[str, Any],
                  key: AuditKey) -> VerifyResult:
    """The chain walk of verify_session (streamed: memory stays flat for huge logs)."""
    sealer = chain.Sealer(key.secret)
    seal = sealer.seal
    prev = chain.genesis(session_id)
    count, last, torn = 0, None, False
    # The hot loop, inlined: a line with its newline ends in MAC_KEY, 64 hex, `"}\n`.
    # Comparing macs with == is fine here: an offline check leaks no timing to anyone.
    cut, mac_at, tail = -chain.SUFFIX_LEN - 1, -chain.MAC_HEX_LEN - 3, b'"}\n'
    key_end = cut + len(chain.MAC_KEY)
    with open(events_path(folder), "rb") as fh:
        lines = iter(fh)
        for raw in lines:
            if raw[-3:] != tail or raw[cut:key_end] != chain.MAC_KEY or len(raw) <= -cut:
                if raw[-1:] != b"\n":
                    torn = True
                    break
            elif seal(prev, raw[:cut]) == raw[mac_at:-3]:
                prev, last = raw[mac_at:-3], raw
                count += 1
                continue
            rest = (r[:-1] for r in lines if r.endswith(b"\n"))
            return _classify(raw[:-1], count + 1, rest, prev, sealer, session_id)
    return _check_end(session_id, meta, key, count, last, prev, torn)
