"""Cross-checking the session index and the session folders (`aiperm sessions --verify`).

Each session log verifies on its own (`verify`); what it cannot show is a session that is
gone, or a whole log cut back to an earlier state. The index (`ledger`) and the logs
vouch for each other:

- the index names every session started (with the mac of its session_start) and every
  seal (event count and chain head): a folder that is gone is *missing*, a log holding
  fewer events than its seal entry is *truncated*, a log whose heads differ from the
  entries is *rewritten* (re-chained by someone holding the key);
- each session_start records where the index stood when it began (entry n and its mac),
  and its start is entry n + 1: an index shorter than any session remembers, different
  at that entry, or holding something else at n + 1 was *rolled back* (replaced by an
  older copy, cut, or deleted and grown again); a sealed log whose seal never reached
  the index says the same (or that the broker died between the two writes);
- a log that fails verification at seq 1 is still compared as written (its first mac,
  its line count and last mac), so a rewrite or a cut shows beside the edit.

What no local check can catch: the index rolled back *together with* the deletion of
every session recorded after that point leaves a consistent older state, and a holder of
the key can rewrite the index and the logs together. Anchored lines catch both
(`check_anchored`; docs/log-format.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiperm_tui.session import chain, ledger
from aiperm_tui.session.keys import KeyRing
from aiperm_tui.session.store import (
    first_line,
    iter_lines,
    last_line,
    parse_event,
    session_folders,
)
from aiperm_tui.session.verify import VerifyResult, verify_session


@dataclass(frozen=True)
class Finding:
    """One problem found by the cross-check: its kind, the session (if one), one line."""

    problem: str  # missing truncated rewritten rolled_back unindexed index_damaged
    session: str | None
    message: str


def _by_session(entries: list[dict[str, Any]], type_: str) -> dict[str, dict[str, Any]]:
    return {str(e.get("session")): e for e in entries if e.get("type") == type_}


def check_sessions(
    root: Path, ring: KeyRing, results: dict[str, VerifyResult] | None = None
) -> list[Finding]:
    """Every disagreement between the index of `root` and its session folders.

    `results` may carry verify results already computed (by session id), so a listing
    that verified each log does not verify it twice."""
    state = ledger.read_ledger(root, ring)
    found: list[Finding] = []
    if state.problem:
        found.append(Finding("index_damaged", None, f"session index: {state.problem}"))
    results = dict(results or {})
    for folder in session_folders(root):
        if folder.name not in results:
            results[folder.name] = verify_session(folder, ring)
    starts, seals = _by_session(state.entries, "start"), _by_session(state.entries, "seal")
    found += _missing(starts, results)
    for session, result in results.items():
        found += _against_index(
            root, session, result, starts.get(session), seals.get(session), state
        )
    if not state.exists and results:
        found.append(
            Finding(
                "rolled_back",
                None,
                "the session index is missing while "
                f"{len(results)} session(s) exist: deleted, or never written",
            )
        )
    return found


def _missing(starts: dict[str, dict[str, Any]], results: dict[str, VerifyResult]) -> list[Finding]:
    return [
        Finding(
            "missing",
            session,
            f"{session}: missing: the index records its start "
            f"(entry {entry.get('n')}, {entry.get('ts')}) but its folder is gone "
            "(deleted)",
        )
        for session, entry in starts.items()
        if session not in results
    ]


@dataclass(frozen=True)
class _Log:
    """What the index is compared with: the log's first event (as verified, or as written
    when verification failed at seq 1), its mac, and how it ends."""

    start: dict[str, Any]
    start_head: str | None
    verified: bool  # `start` is authenticated (seq 1 verified)
    events: int  # events that verified, or complete lines when seq 1 did not
    head: str | None  # the mac of the last of those
    closed: bool  # ends in a seal


def _log_of(folder: Path, result: VerifyResult) -> _Log:
    """`result` as the index sees it. A log failing at seq 1 is still compared as written:
    its first mac and its last line are what the index vouches for, so a rewrite or a cut
    shows beside the edit that verify names."""
    if result.start:
        return _Log(
            result.start, result.start_head, True, result.events, result.head, result.closed
        )
    first, last = first_line(folder), last_line(folder)
    first_parts = chain.split_line(first) if first else None
    last_parts = chain.split_line(last) if last else None
    try:
        lines = sum(1 for _ in iter_lines(folder))  # the failure path only
    except OSError:
        lines = 0
    return _Log(
        parse_event(first),
        first_parts[1].decode() if first_parts else None,
        False,
        lines,
        last_parts[1].decode() if last_parts else None,
        parse_event(last).get("type") == "seal",
    )


def _against_index(
    root: Path,
    session: str,
    result: VerifyResult,
    start: dict[str, Any] | None,
    seal: dict[str, Any] | None,
    state: ledger.LedgerState,
) -> list[Finding]:
    """The findings about one session folder whose log verified as far as `result`."""
    log = _log_of(root / session, result)
    fmt = log.start.get("format")
    if start is None and (not isinstance(fmt, int) or fmt < 3 or log.start.get("ephemeral")):
        return []  # older formats and ephemeral keys never entered the index
    found = _against_position(session, log, start, state) if log.verified else []
    if start is None:
        why = (
            "not in the part of the session index that verifies (the index is damaged: "
            "see index_damaged)"
            if state.problem
            else "not in the session index (copied in from elsewhere, or the index was rebuilt)"
        )
        return found or [Finding("unindexed", session, f"{session}: {why}")]
    if log.start_head is None and not log.events:  # no line: emptied, gone or not a file
        return [
            *found,
            Finding(
                "truncated",
                session,
                (
                    f"{session}: truncated: the index records its start (entry "
                    f"{start.get('n')}), but its log holds no event ({result.message})"
                ),
            ),
        ]
    if start.get("head") != log.start_head:
        return [
            *found,
            Finding(
                "rewritten",
                session,
                (
                    f"{session}: rewritten: its first event is not the one the index recorded "
                    "(re-chained by someone holding the key?)"
                ),
            ),
        ]
    return found + _against_seal(session, log, seal)


def _against_position(
    session: str, log: _Log, start: dict[str, Any] | None, state: ledger.LedgerState
) -> list[Finding]:
    """Where the authenticated session_start says the index stood (`index: {n, head}`)
    against the index: entry n must be the one it saw, and entry n + 1 its own start (the
    recorder writes both under the index lock). An index cut, replaced by an older copy,
    or deleted and grown again from nothing fails one of the two."""
    at = log.start.get("index")
    if not isinstance(at, dict) or not isinstance(at.get("n"), int):
        return []
    n = at["n"]
    head = state.head_at(n)
    if head is None:
        return [
            Finding(
                "rolled_back",
                session,
                (
                    f"{session}: the session index was rolled back or cut: this session began "
                    f"when it held {n} entries, it now verifies {len(state.heads)}"
                ),
            )
        ]
    if head != at.get("head"):
        return [
            Finding(
                "rolled_back",
                session,
                (
                    f"{session}: the session index was rewritten, or deleted and grown again "
                    f"(or this session was copied from another machine): entry {n} is not the "
                    "one this session saw"
                ),
            )
        ]
    if start is None and n + 1 > len(state.heads):
        return [
            Finding(
                "rolled_back",
                session,
                (
                    f"{session}: the session index was rolled back or cut: it ends before this "
                    f"session's start (entry {n + 1})"
                ),
            )
        ]
    if start is None or start.get("n") != n + 1:
        other = state.entries[n] if n < len(state.entries) else {}
        return [
            Finding(
                "rolled_back",
                session,
                (
                    f"{session}: the session index was rewritten or grown again: entry {n + 1}, "
                    f"where this session's start was entered, is now a {other.get('type')} entry "
                    f"of {other.get('session') or 'no session'} (or its start never reached the "
                    "index: the log then records an error)"
                ),
            )
        ]
    return []


def _against_seal(session: str, log: _Log, seal: dict[str, Any] | None) -> list[Finding]:
    if seal is None:
        if log.closed:
            return [
                Finding(
                    "rolled_back",
                    session,
                    (
                        f"{session}: sealed, but the session index has no seal for it: the index "
                        "was rolled back (or the broker stopped between the two writes)"
                    ),
                )
            ]
        return []
    events = seal.get("events")
    if isinstance(events, int) and log.events < events:
        return [
            Finding(
                "truncated",
                session,
                (
                    f"{session}: truncated: sealed with {events} events (index entry "
                    f"{seal.get('n')}), the log {'verifies' if log.verified else 'holds'} only "
                    f"{log.events}"
                ),
            )
        ]
    if log.closed and log.head != seal.get("head"):
        return [
            Finding(
                "rewritten",
                session,
                (
                    f"{session}: rewritten: its seal head is not the one the index recorded "
                    "(re-chained by someone holding the key?)"
                ),
            )
        ]
    return []


# One line the anchor hook was given (see `anchor`), wherever it sits in a line of the
# store it went to (a syslog line has a prefix).
_ANCHORED = re.compile(
    r"aiperm-(?P<at>start|seal) v[0-9]+ session=(?P<session>[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6})"
    r"(?: events=(?P<events>[0-9]{1,12}))? head=(?P<head>[0-9a-f]{64}) "
    r"index=(?P<n>[0-9]{1,12}) index_head=(?P<index_head>[0-9a-f]{64}) key=[0-9a-f]{16}"
)


def check_anchored(
    root: Path, ring: KeyRing, lines: list[str], results: dict[str, VerifyResult] | None = None
) -> list[Finding]:
    """Every anchored start and seal (the lines the hook was given, as kept outside the
    machine) against the session folders and the index.

    What the local checks cannot see, this can: a session deleted together with its index
    entries (its anchored start has no folder), a log rewritten by a key holder after its
    head left (the heads differ), and an index rolled back or rebuilt (the entry the line
    names is not there). Anyone able to add lines to the store can raise false alarms with
    them, never hide a finding: the lines that are there are checked."""
    state = ledger.read_ledger(root, ring)
    folders = {folder.name: folder for folder in session_folders(root)}
    results = dict(results or {})
    found: list[Finding] = []
    for number, line in enumerate(lines, 1):
        match = _ANCHORED.search(line)
        if match is None:
            continue
        at, session = match["at"], match["session"]
        where = f"anchor line {number}: {at} of {session}"
        if state.head_at(int(match["n"])) != match["index_head"]:
            found.append(
                Finding(
                    "rolled_back",
                    session,
                    f"{where}: the session index no longer holds the entry {match['n']} "
                    "anchored with it (rolled back, or rebuilt)",
                )
            )
        folder = folders.get(session)
        if folder is None:
            found.append(
                Finding(
                    "missing",
                    session,
                    f"{where}: missing: anchored, but its folder is gone (deleted)",
                )
            )
            continue
        if session not in results:
            results[session] = verify_session(folder, ring)
        found += _against_anchored(where, session, match, _log_of(folder, results[session]))
    return found


def _against_anchored(where: str, session: str, match: re.Match[str], log: _Log) -> list[Finding]:
    if match["at"] == "start":
        if log.start_head == match["head"]:
            return []
        why = "its first event is not the one anchored"
        return [Finding("rewritten", session, f"{where}: rewritten: {why}")]
    events = int(match["events"] or 0)
    if log.events < events:
        verb = "verifies" if log.verified else "holds"
        why = f"sealed with {events} events when anchored, the log {verb} only {log.events}"
        return [Finding("truncated", session, f"{where}: truncated: {why}")]
    if not (log.closed and log.head == match["head"]):
        why = "its seal is not the one anchored"
        return [Finding("rewritten", session, f"{where}: rewritten: {why}")]
    return []
