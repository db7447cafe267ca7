"""Checking a session log: `verify_session`.

Each complete line's mac is recomputed over the exact bytes written (see `chain`), so a
log verifies at the speed of HMAC, with no JSON parse on the happy path. At the first line
that does not chain, the lines around it tell what happened:

| problem | how it shows |
|---|---|
| edited | the line has the expected seq but its mac does not match (*); at seq 1, a changed
  key claim (key_id, kid, ephemeral) is named when a key present chains seq 2 |
| inserted | the line does not chain, but the next one chains from the line before it (*) |
| spliced | the line that does not chain is a line of another session in the same folder |
| reordered | the expected seq is found later in the file (or the two lines are swapped) |
| deleted | the line's seq is past the expected one, and the expected seq is nowhere later |
| truncated | (format 2) meta.toml's seal counts more events than the log holds (*) |
| unsealed | (format 3) the chain verifies but does not end in a `seal` (**) |
| meta_edited | a field of meta.toml disagrees with the chain, or aiperm never writes it |
| meta_missing | meta.toml is gone (a recorder always writes it first) |
| wrong_key | the key the log names (its key id) is not among the keys present |
| missing_key | no key to verify with (an ephemeral key is gone with its process) |
| unreadable | events.jsonl or meta.toml cannot be read, or is not a regular file (a FIFO) |
| malformed | an `output` line or session_start chains but its fields are not what aiperm writes |

(*) Also for output: `edited` when the bytes an `output` event points at in output.bin do
not match its tag, `truncated` when output.bin ends before them, `inserted` when it holds
bytes past those a sealed log's events record.
(**) The broker crashed, the tail was cut, or the session is live: the broker that
session_start records holds a lock on the file (`liveness`), and the message says so.

A format 3 log is ok only when sealed. A format 2 log (sealed in meta.toml, if at all)
verifies as before, and says it is format 2: without a seal in the chain, a log that was
never closed cannot tell a crash from a cut. A torn last line (a crash mid-write) is
reported, and so are bytes at the end of output.bin that no event points at (written just
before a crash: nothing shows them, as readers go by offset); after a seal such bytes are
damage, since the recorder cuts a failed write back. `first_bad_seq` is the first
seq that cannot be trusted.

What this cannot prove: a holder of the audit key can rewrite a log and re-seal it so
that it verifies. The session index (`ledger`, checked by `audit`) and the anchor hook
(`anchor`) are what catch that; see docs/log-format.md.
"""

from __future__ import annotations

import hmac
import itertools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiperm_tui.session import chain, liveness
from aiperm_tui.session.files import open_regular, read_regular
from aiperm_tui.session.keys import AuditKey, KeyRing
from aiperm_tui.session.shapes import field_problem
from aiperm_tui.session.store import (
    EVENTS,
    MAX_LINE_BYTES,
    META,
    OUTPUT,
    decode_event,
    events_path,
    first_line,
    iter_lines,
    lines_of,
    load_meta,
    open_output,
    parse_event,
    read_at,
    session_dir,
)

PROBLEMS = (
    "edited",
    "inserted",
    "spliced",
    "deleted",
    "reordered",
    "truncated",
    "unsealed",
    "meta_edited",
    "meta_missing",
    "wrong_key",
    "missing_key",
    "unreadable",
    "malformed",
)
# The facts of session_start that meta.toml repeats (meta's name for them where it differs).
META_FACTS = (
    "format",
    "session",
    "start",
    "agent",
    "hosts",
    "preset",
    "jail",
    "isolation",
    "user",
    "hostname",
    "version",
    "key_id",
    "ephemeral",
    "record_cap_bytes",
    "anchor",
    "broker",
)
SPLICE_SEARCH_BYTES = 256 * 1024 * 1024  # of other sessions' logs searched on a failure


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
    format: int = 0  # of the log (0: not known, nothing verified)
    head: str | None = None  # the mac of the last event that verified
    start_head: str | None = None  # the mac of session_start, when it verified
    start: dict[str, Any] = field(default_factory=dict)  # session_start, when it verified
    live: bool = False  # unsealed, and its recorder still holds the log


def _fail(session_id: str, good: int, problem: str, seq: int | None, why: str) -> VerifyResult:
    where = f"seq {seq}: " if seq is not None else ""
    return VerifyResult(
        False, session_id, good, f"{where}{problem.replace('_', ' ')}: {why}", seq, problem
    )


def _key_for(
    session_id: str, logged: str | None, ephemeral: bool, ring: KeyRing
) -> AuditKey | VerifyResult:
    """The key the log names (`logged`: its key id; None in logs that name none), or the
    wrong_key / missing_key result that says why there is none."""
    gone = (
        "the session was recorded with an ephemeral key that existed only in the "
        "recording process, so it cannot be verified"
    )
    if not ring.all():
        why = (
            gone
            if ephemeral
            else (
                "no audit key to verify with: point AIPERM_AUDIT_KEY_FILE at the key "
                "file, or restore the one made by `aiperm init`"
            )
        )
        return _fail(session_id, 0, "missing_key", None, why)
    if not logged:
        assert ring.current or ring.retired
        return ring.current or ring.retired[0]
    key = ring.find(logged)
    if key is not None:
        return key
    current = ring.current.key_id if ring.current else "none"
    why = (
        gone
        if ephemeral
        else (
            f"the log was written with key id {logged}, which is not present (this key's id is "
            f"{current}; keys here: {ring.ids()}): restore that key to audit-keys/, or the key "
            "file was swapped"
        )
    )
    return _fail(session_id, 0, "wrong_key", None, why)


def _start_edited(
    folder: Path, first_raw: bytes, first: dict[str, Any], ring: KeyRing
) -> VerifyResult | None:
    """`edited` at seq 1 when session_start's own claims about its key were changed.

    Which key verifies a log is read from the log (`key_id`, `ephemeral`), so an edit of
    those fields would otherwise read as "wrong key" (or "ephemeral, cannot be verified"),
    blaming the key ring for an edit. The line's mac is not covered by its own edit: when
    a key present chains seq 1 or seq 2 from it, the log was sealed with that key and
    the claims that disagree with it are named. None when seq 1 is as that key wrote it,
    or no key present vouches for its mac (then `_key_for` says which key is needed)."""
    parts = chain.split_line(first_raw)
    if parts is None:
        return None
    named = ring.find(str(first.get("key_id")))
    if (
        named is not None
        and chain.Sealer(named.secret).seal(chain.genesis(folder.name), parts[0]) == parts[1]
        and first.get("kid") == named.key_id
    ):
        return None  # the happy path: one HMAC
    second = _second_line(folder)
    named_as = first.get("session")
    for key in ring.all():
        sealer = chain.Sealer(key.secret)
        if sealer.seal(chain.genesis(folder.name), parts[0]) == parts[1]:
            return None  # authentic as written
        if (
            isinstance(named_as, str)
            and named_as != folder.name
            and sealer.seal(chain.genesis(named_as), parts[0]) == parts[1]
        ):
            why = f"this log is session {named_as}'s (it chains from that id), copied here"
            return _fail(folder.name, 0, "spliced", 1, why)
        if second is not None and sealer.seal(parts[1], second[0]) == second[1]:
            return _fail(folder.name, 0, "edited", 1, _start_claims(first, key))
    return None


def _second_line(folder: Path) -> tuple[bytes, bytes] | None:
    """(body, mac) of the second line of the log, when it has one shaped like a line."""
    try:
        lines = list(itertools.islice(iter_lines(folder), 2))
    except OSError:
        return None
    return chain.split_line(lines[1]) if len(lines) == 2 else None


def _start_claims(first: dict[str, Any], key: AuditKey) -> str:
    """What an edited session_start says about its key that the key sealing it denies."""
    wrong = [
        f"{name} {json.dumps(first.get(name))[:40]}"
        for name in ("key_id", "kid")
        if first.get(name) != key.key_id
    ]
    if first.get("ephemeral") is not key.ephemeral:
        wrong.append(f"ephemeral {json.dumps(first.get('ephemeral'))[:40]}")
    said = f"it says {', '.join(wrong)}, but " if wrong else ""
    return (
        f"session_start was changed: {said}the log is sealed with key {key.key_id}"
        f"{' (ephemeral)' if key.ephemeral else ''}, which chains the events after it"
    )


def _classify(
    bad: bytes,
    expected: int,
    rest: Iterator[bytes],
    prev: bytes,
    sealer: chain.Sealer,
    folder: Path,
) -> VerifyResult:
    """Name what is wrong with `bad`, the first line (seq `expected`) not chaining from `prev`.

    `rest` yields the complete lines after it; it is only read on this, the failure path.
    """
    session_id = folder.name
    found = _spliced_from(folder, bad)
    if found:
        return _fail(
            session_id,
            expected - 1,
            "spliced",
            expected,
            f"this line is {found}, spliced into this log",
        )
    good = expected - 1
    seq = chain.line_seq(bad)
    following = next(rest, None)
    after = chain.split_line(following) if following is not None else None
    if after is not None and sealer.seal(prev, after[0]) == after[1]:
        # The next line is the authentic seq `expected`: `bad` is extra, or was swapped
        # with it (then `bad` chains from the next line's mac).
        mine = chain.split_line(bad)
        if mine is not None and sealer.seal(after[1], mine[0]) == mine[1]:
            return _fail(
                session_id, good, "reordered", expected, f"seq {expected} and seq {seq} are swapped"
            )
        return _fail(
            session_id,
            good,
            "inserted",
            expected,
            f"a line not written by aiperm was inserted before seq {expected}",
        )
    if seq == expected or seq is None:
        return _fail(session_id, good, "edited", expected, "the event's bytes were changed")
    later = itertools.chain([following] if following is not None else [], rest)
    for number, line in enumerate(later, expected + 1):
        if chain.line_seq(line) == expected:
            return _fail(
                session_id,
                good,
                "reordered",
                expected,
                f"seq {expected} is found on line {number}, after seq {seq}",
            )
    if seq > expected:
        gap = f"{expected}" if seq == expected + 1 else f"{expected}..{seq - 1}"
        return _fail(session_id, good, "deleted", expected, f"event(s) {gap} are missing")
    return _fail(
        session_id, good, "edited", expected, f"a copy of seq {seq} replaced seq {expected}"
    )


def _spliced_from(folder: Path, line: bytes) -> str | None:
    """Where `line` comes from when it is a line of another session beside this one
    ("seq N of session ID"), else None. Only on the failure path, and bounded."""
    if len(line) <= chain.SUFFIX_LEN:
        return None
    budget = SPLICE_SEARCH_BYTES
    try:
        others = sorted((p for p in folder.parent.iterdir() if p != folder), reverse=True)
    except OSError:
        return None
    for other in others:
        try:
            data = read_regular(other / EVENTS, budget)
        except OSError:  # gone, unreadable, or not a regular file (a FIFO must not hang this)
            continue
        budget -= len(data)
        at = data.find(line + b"\n")
        if at == 0 or (at > 0 and data[at - 1 : at] == b"\n"):
            return f"seq {chain.line_seq(line)} of session {other.name}"
        if budget <= 0:
            break
    return None


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
        self.lost_why = ""  # and what is wrong with them

    def problem(self, line: bytes) -> tuple[str, str] | None:
        """(problem, why) when the bytes of this authentic `output` line are not intact."""
        event = decode_event(line, 0)
        if event["type"] == "unreadable":  # authentic, so written by a holder of the key
            return "malformed", f"{event['problem']} (in a line that chains)"
        if "length" not in event:
            return None  # format 1: the bytes are in the line, which verified
        offset, length = event["offset"], event["length"]
        if self._tagger is None:
            # session_start's nonce; that line verified before any output line is checked
            nonce = parse_event(first_line(self._folder)).get("output_nonce")
            if not isinstance(nonce, str):
                return "edited", "session_start records no output_nonce to check output with"
            self._tagger = chain.ChunkTagger(self._sealer, nonce)
        if self._fd is None:
            self._fd = open_output(self._folder)
        data = b"" if self._fd is None else read_at(self._fd, offset, length)
        if len(data) < length:
            why = (
                f"{OUTPUT} is missing (or not a file), and this event records output in it"
                if self._fd is None
                else f"{OUTPUT} ends before the {length} bytes "
                f"at offset {offset} that this event records"
            )
            if not self._lenient:
                return "truncated", why
            if not self.lost:
                self.lost, self.lost_why = event.get("seq"), why
            return None
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


@dataclass
class _Walk:
    """What the chain walk found: the events that verified and how the file ends."""

    count: int = 0
    last: bytes | None = None  # the last line that verified (with its newline)
    prev: bytes = b""  # its mac
    before: bytes = b""  # the mac before it
    torn: bool = False


def _notes(walk: _Walk, outputs: _OutputCheck) -> str:
    """What a crash leaves, said after the verdict."""
    note = "; a torn last line follows (the writer stopped mid-write)" if walk.torn else ""
    if outputs.lost:
        note += (
            f"; {OUTPUT} ends before the output of seq {outputs.lost} (lost in a crash "
            "before the disk caught up, or cut since: a log not closed cannot tell)"
        )
    elif loose := outputs.unreferenced():
        note += (
            f"; {OUTPUT} ends with {loose} bytes no event records (written just before "
            "the writer stopped, or added since; never shown)"
        )
    return note


def _check_end_v2(
    session_id: str, meta: dict[str, Any], key: AuditKey, walk: _Walk, outputs: _OutputCheck
) -> VerifyResult:
    """Format 2: the chain verified; check the end against session_end and meta's seal."""
    count, prev = walk.count, walk.prev
    sealed = meta.get("events")
    if isinstance(sealed, int) and "seal" in meta:
        if sealed > count:
            gap = f"{count + 1}" if sealed == count + 1 else f"{count + 1}..{sealed}"
            return _fail(
                session_id,
                count,
                "truncated",
                count + 1,
                f"the log ends early: event(s) {gap} recorded at close are missing",
            )
        if sealed < count:
            return _fail(
                session_id,
                sealed,
                "inserted",
                sealed + 1,
                f"events follow the {sealed} sealed at close",
            )
        if not hmac.compare_digest(chain.seal_meta(key.secret, prev, count), str(meta["seal"])):
            return _fail(session_id, count, "edited", None, "meta.toml's seal does not match")
    closed = walk.last is not None and parse_event(walk.last).get("type") == "session_end"
    state = "closed" if closed else "not closed (a live or crashed session)"
    return VerifyResult(
        True,
        session_id,
        count,
        f"intact: {count} events, {state}{_notes(walk, outputs)} (format 2: "
        "sealed in meta.toml, not in the chain; a cut of a log never closed "
        "cannot be told from a crash)",
        torn_tail=walk.torn,
        closed=closed,
        format=2,
        head=prev.decode() or None,
    )


def _meta_problem(
    session_id: str,
    meta: dict[str, Any],
    start: dict[str, Any],
    seal: dict[str, Any] | None,
    walk: _Walk,
) -> tuple[str, str] | None:
    """(problem, why) when meta.toml, a cache, disagrees with the chain."""
    if not meta:
        return "meta_missing", (
            f"{META} is missing or unreadable (a recorder writes it "
            "before the first event, so it was deleted or damaged; the "
            "facts shown come from the chain)"
        )
    claims: dict[str, tuple[Any, Any]] = {"id": (meta.get("id"), session_id)}
    claims.update({name: (meta.get(name), start.get(name)) for name in META_FACTS})
    source = meta.get("key_source")
    if source is not None and (source == "ephemeral") != bool(start.get("ephemeral")):
        claims["key_source"] = (source, "ephemeral" if start.get("ephemeral") else "file")
    if seal is not None:
        claims["events"] = (meta.get("events"), walk.count)
        claims["head"] = (meta.get("head"), walk.prev.decode())
        claims["end"] = (meta.get("end"), seal.get("ts"))
        claims["duration"] = (meta.get("duration"), seal.get("t"))
        claims["counts"] = (meta.get("counts"), seal.get("counts"))
    for name, (cached, true) in claims.items():
        if cached is not None and cached != true:
            return "meta_edited", (
                f"{META} says {name} = {json.dumps(cached)[:80]}, the "
                f"authenticated log says {json.dumps(true)[:80]}"
            )
    unknown = sorted(set(meta) - set(claims) - {"key_source"})
    if unknown:
        return "meta_edited", (
            f"{META} has {', '.join(unknown)[:80]}, which aiperm never writes there"
        )
    return None


def _check_end_v3(
    folder: Path, meta: dict[str, Any], start: dict[str, Any], walk: _Walk, outputs: _OutputCheck
) -> VerifyResult:
    """Format 3: the chain verified; it must end in a seal that matches it, and meta.toml
    must agree with it."""
    session_id, count = folder.name, walk.count
    found = {
        "format": start.get("format", 3),
        "head": walk.prev.decode() or None,
        "start": start,
        "torn_tail": walk.torn,
    }
    seal = parse_event(walk.last)
    if seal.get("type") != "seal":
        live = liveness.recorded_by_live_broker(events_path(folder), start)
        why = (
            "still being recorded (the session is live)"
            if live
            else "the broker crashed or the tail was cut"
            + (
                " (a lock on it is held, but not by the broker that recorded it)"
                if liveness.lock_held(events_path(folder))
                else ""
            )
        )
        return VerifyResult(
            False,
            session_id,
            count,
            f"unsealed: {why} after event {count}{_notes(walk, outputs)}",
            count + 1,
            "unsealed",
            live=live,
            **found,
        )
    if seal.get("events") != count - 1 or seal.get("head") != walk.before.decode():
        return _fail(
            session_id, count - 1, "edited", count, "the seal does not match the chain it closes"
        )
    if outputs.lost:
        return _fail(session_id, outputs.lost - 1, "truncated", outputs.lost, outputs.lost_why)
    if walk.torn:
        return _fail(
            session_id,
            count,
            "inserted",
            count + 1,
            "bytes follow the seal (nothing is written after it)",
        )
    if loose := outputs.unreferenced():
        # the recorder cuts a failed write back, so a sealed log's output.bin ends
        # exactly where its last `output` event's bytes do
        return _fail(
            session_id,
            count,
            "inserted",
            None,
            f"{OUTPUT} has {loose} bytes after the seal: no event records them, so they were "
            "added after the session was sealed",
        )
    bad_meta = _meta_problem(session_id, meta, start, seal, walk)
    if bad_meta:
        return VerifyResult(
            False,
            session_id,
            count,
            f"{bad_meta[0].replace('_', ' ')}: {bad_meta[1]}",
            None,
            bad_meta[0],
            closed=True,
            **found,
        )
    return VerifyResult(
        True,
        session_id,
        count,
        f"intact: {count} events, sealed, head {walk.prev.decode()}{_notes(walk, outputs)}",
        closed=True,
        **found,
    )


def verify_session(path: Path, key: AuditKey | KeyRing | None) -> VerifyResult:
    """Verify a session folder (or its events.jsonl) with the key it names, found in `key`
    (one key, or a ring of the current and retired keys). See the module docstring."""
    folder = session_dir(path)
    session_id = folder.name
    meta, meta_damage = load_meta(folder)
    first_raw = first_line(folder)
    first = parse_event(first_raw)
    v3 = any(isinstance(d.get("format"), int) and d["format"] >= 3 for d in (first, meta))
    logged = first.get("key_id") if v3 else meta.get("key_id")
    ephemeral = bool(first.get("ephemeral") if v3 else meta.get("ephemeral"))
    ring = KeyRing.of(key)
    if v3 and first_raw is not None and (edit := _start_edited(folder, first_raw, first, ring)):
        return edit
    found = _key_for(session_id, logged if isinstance(logged, str) else None, ephemeral, ring)
    if isinstance(found, VerifyResult):
        return found
    try:
        walk, outputs, failed = _verify_lines(folder, found, lenient=v3 or "seal" not in meta)
    except OSError as exc:
        return _fail(session_id, 0, "unreadable", None, f"cannot read {EVENTS}: {exc.strerror}")
    if failed is not None:
        return failed
    if not walk.count:
        return _fail(
            session_id,
            0,
            "truncated",
            1,
            "the log holds no event (a recorder "
            "writes session_start first, so it was cut or emptied)",
        )
    if meta_damage:
        return _fail(session_id, walk.count, "unreadable", None, meta_damage)
    if v3 and (bad := field_problem(first)):  # every fact shown comes from it
        return _fail(session_id, 0, "malformed", 1, f"session_start: {bad} (in a line that chains)")
    if not v3:
        return _check_end_v2(session_id, meta, found, walk, outputs)
    result = _check_end_v3(folder, meta, first, walk, outputs)
    parts = chain.split_line(first_raw) if first_raw else None
    start_head = parts[1].decode() if parts and walk.count else None
    return VerifyResult(**{**result.__dict__, "start_head": start_head})


def _verify_lines(
    folder: Path, key: AuditKey, lenient: bool
) -> tuple[_Walk, _OutputCheck, VerifyResult | None]:
    """The chain walk of verify_session (streamed: memory stays flat for huge logs)."""
    sealer = chain.Sealer(key.secret)
    seal = sealer.seal
    walk = _Walk(prev=chain.genesis(folder.name))
    prev, before, count, last = walk.prev, b"", 0, None
    # The hot loop, inlined: a line with its newline ends in MAC_KEY, 64 hex, `"}\n`.
    # Comparing macs with == is fine here: an offline check leaks no timing to anyone.
    cut, mac_at, tail = -chain.SUFFIX_LEN - 1, -chain.MAC_HEX_LEN - 3, b'"}\n'
    key_end = cut + len(chain.MAC_KEY)
    outputs = _OutputCheck(folder, sealer, lenient=lenient)
    needle = outputs.NEEDLE
    try:
        with os.fdopen(open_regular(events_path(folder)), "rb") as fh:
            lines = lines_of(fh)
            for raw in lines:
                if raw[-3:] != tail or raw[cut:key_end] != chain.MAC_KEY or len(raw) <= -cut:
                    if len(raw) == MAX_LINE_BYTES and raw[-1:] != b"\n":
                        why = f"a line over {MAX_LINE_BYTES >> 20} MiB follows: aiperm writes none"
                        return walk, outputs, _fail(folder.name, count, "inserted", count + 1, why)
                    if raw[-1:] != b"\n":
                        walk.torn = True
                        break
                elif seal(prev, raw[:cut]) == raw[mac_at:-3]:
                    if raw.find(needle, 0, 128) > 0 and (bad := outputs.problem(raw)):
                        return walk, outputs, _fail(folder.name, count, bad[0], count + 1, bad[1])
                    before, prev, last = prev, raw[mac_at:-3], raw
                    count += 1
                    continue
                rest = (r[:-1] for r in lines if r.endswith(b"\n"))
                return walk, outputs, _classify(raw[:-1], count + 1, rest, prev, sealer, folder)
    finally:
        outputs.close()
    walk.count, walk.last, walk.prev, walk.before = count, last, prev, before
    return walk, outputs, None
