"""Checking a session log: `verify_session`.

Each complete line's mac is recomputed over the exact bytes written (see `chain`), so a
log verifies at the speed of HMAC, with no JSON parse on the happy path. At the first line
that does not chain, the lines around it tell what happened:

| problem | how it shows |
|---|---|
| edited | the line has the expected seq but its mac does not match (*) |
| inserted | the line does not chain, but the next one chains from the line before it |
| reordered | the expected seq is found later in the file (or the two lines are swapped) |
| deleted | the line's seq is past the expected one, and the expected seq is nowhere later |
| truncated | meta.toml's seal (written at close) counts more events than the log holds (*) |
| wrong_key | meta.toml's key id is not the id of the key given |
| missing_key | no key to verify with (an ephemeral key is gone with its process) |

(*) Also for output: `edited` when the bytes an `output` event points at in output.bin do
not match its tag, `truncated` when output.bin ends before them.

A log without `session_end` and without a seal is *not closed*: a live or crashed session.
That is not a failure, and neither is a torn last line (a crash mid-write): both are
reported, and so are bytes at the end of output.bin that no event points at (written just
before a crash: nothing shows them, as readers go by offset). `first_bad_seq` is the first
seq that cannot be trusted.
"""

from __future__ import annotations

import hmac
import itertools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiperm_tui.session import chain
from aiperm_tui.session.keys import AuditKey
from aiperm_tui.session.recorder import seal_meta
from aiperm_tui.session.store import (
    OUTPUT,
    events_path,
    open_output,
    read_at,
    read_meta,
    session_dir,
)

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

class _OutputCheck:
    """Checks the bytes `output` events point at in output.bin against their tags."""

    NEEDLE = b',"type":"output",'  # the writer puts `type` fourth, within the first 128 bytes

    def __init__(self, folder: Path, sealer: chain.Sealer, lenient: bool) -> None:
        """`lenient` (a log not sealed at close): output.bin ending early is what a crash
        leaves when the disk had not caught up, like a torn line, and is noted in `lost`."""
        self._folder = folder
        self._path = folder / OUTPUT
        self._sealer = sealer
        self._lenient = lenient
        self._tagger: chain.ChunkTagger | None = None
        self._fd: int | None = None
        self.end = 0  # the end of the furthest bytes an event points at
        self.lost: int | None = None  # (lenient) the first seq whose bytes are missing

    def problem(self, line: bytes) -> tuple[str, str] | None:
        """(problem, why) when the bytes of this authentic `output` line are not intact."""
        event = json.loads(line)
        if "length" not in event:
            return None  # format 1: the bytes are in the line, which verified
        offset, length = event["offset"], event["length"]
        if self._tagger is None:
            # session_start's nonce; that line verified before any output line is checked
            with open(events_path(self._folder), "rb") as fh:
                nonce = json.loads(fh.readline()).get("output_nonce")
            if not isinstance(nonce, str):
                return "edited", "session_start records no output_nonce to check output with"
            self._tagger = chain.ChunkTagger(self._sealer, nonce)
        if self._fd is None:
            self._fd = open_output(self._folder)
        data = b"" if self._fd is None else read_at(self._fd, offset, length)
        if len(data) < length and self._lenient:
            self.lost = self.lost or event.get("seq")
            return None
        if self._fd is None:
            return "truncated", (f"{OUTPUT} is missing (or not a file), and this event "
                                 "records output in it")
        if len(data) < length:
            return "truncated", (f"{OUTPUT} ends before the {length} bytes at offset "
                                 f"{offset} that this event records")
        if self._tagger.tag(offset, (data,)) != event["tag"]:
            return "edited", f"the output bytes this event records were changed in {OUTPUT}"
        self.end = max(self.end, offset + length)
        return None

    def unreferenced(self) -> int:
        """Bytes at the end of output.bin that no event points at."""
        try:
            return max(os.stat(self._path).st_size - self.end, 0)
        except FileNotFoundError:
            return 0

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _check_end(session_id: str, meta: dict[str, Any], key: AuditKey, count: int,
               last: bytes | None, prev: bytes, torn: bool,
               outputs: _OutputCheck) -> VerifyResult:
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
    if outputs.lost:
        note += (f"; {OUTPUT} ends before the output of seq {outputs.lost} (lost in a crash "
                 "before the disk caught up, or cut since: a log not closed cannot tell)")
    elif loose := outputs.unreferenced():
        note += (f"; {OUTPUT} ends with {loose} bytes no event records (written just before "
                 "the writer stopped, or added since; never shown)")
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
    outputs = _OutputCheck(folder, sealer, lenient="seal" not in meta)
    needle = outputs.NEEDLE
    try:
        with open(events_path(folder), "rb") as fh:
            lines = iter(fh)
            for raw in lines:
                if raw[-3:] != tail or raw[cut:key_end] != chain.MAC_KEY or len(raw) <= -cut:
                    if raw[-1:] != b"\n":
                        torn = True
                        break
                elif seal(prev, raw[:cut]) == raw[mac_at:-3]:
                    if raw.find(needle, 0, 128) > 0 and (bad := outputs.problem(raw)):
                        return _fail(session_id, count, bad[0], count + 1, bad[1])
                    prev, last = raw[mac_at:-3], raw
                    count += 1
                    continue
                rest = (r[:-1] for r in lines if r.endswith(b"\n"))
                return _classify(raw[:-1], count + 1, rest, prev, sealer, session_id)
    finally:
        outputs.close()
    return _check_end(session_id, meta, key, count, last, prev, torn, outputs)
