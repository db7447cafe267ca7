"""`aiperm sessions`, `aiperm verify`, `aiperm export`, `aiperm report`.

SESSION arguments take `latest`, a session id or a unique prefix of one. Exit codes:
0 ok, 1 verification failed (tampering, an unsealed log, a session missing from its
folder, wrong or missing key), 5 usage (unknown session, bad date, unwritable output file).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from aiperm_tui.cli import Subcommand
from aiperm_tui.errors import ExitCode, UsageError

if TYPE_CHECKING:  # imported lazily at run time, so `aiperm --help` stays fast
    from aiperm_tui.session.keys import KeyRing
    from aiperm_tui.session.verify import VerifyResult

# -- helpers -------------------------------------------------------------------------------


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    """-o FILE, or stdout."""
    if not path or path == "-":
        yield sys.stdout
        return
    # Written beside FILE and renamed over it when complete: an export stopped by damage
    # leaves no half file behind, and FILE is never a symlink followed elsewhere.
    target = Path(path)
    tmp = target.with_name(f".{target.name}.aiperm-tmp")
    try:
        tmp.unlink(missing_ok=True)
        with open(tmp, "x", encoding="utf-8", newline="") as fh:
            try:
                yield fh
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


def _verify_key() -> KeyRing:
    """The keys to verify with (the current one and the retired ones); never an ephemeral
    one (it could verify nothing)."""
    from aiperm_tui.session.keys import load_key_ring

    return load_key_ring()


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


# -- sessions ------------------------------------------------------------------------------


def _configure_sessions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per session a line")
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="skip checking each log's HMAC chain (faster for huge logs)",
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="also check the session index against the folders: sessions "
        "deleted, truncated or rewritten, an index rolled back (exit 1)",
    )
    parser.add_argument(
        "--anchored",
        metavar="FILE",
        help="with --verify: also check the lines the anchor hook was given, as kept "
        "elsewhere (a syslog extract, the server's file), against the folders and the index",
    )


def agent_label(argv: list[str], width: int = 30) -> str:
    """The agent column: absolute paths shortened to their last part, so
    `/usr/bin/python3 /srv/bots/agent.py` reads `python3 agent.py`; escaped, and cut
    with an ellipsis rather than mid-word without a sign."""
    words = [a.rsplit("/", 1)[-1] if a.startswith("/") else a for a in argv]
    return _cell(" ".join(words), width)


def _cell(text: str, width: int) -> str:
    """A table cell: escaped, and cut to `width` with an ellipsis, so a cut value (a
    long host list, `sandbox+user:NAME`) never reads as a whole, different one."""
    from aiperm_tui.textsafe import escape_control

    text = escape_control(text, keep_newlines=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _run_sessions(args: argparse.Namespace) -> int:
    from aiperm_tui import paths
    from aiperm_tui.session import list_sessions, verify_session

    if args.verify and args.no_verify:
        raise UsageError("give --verify or --no-verify, not both")
    if args.anchored and not args.verify:
        raise UsageError("--anchored goes with --verify")
    anchored = _anchored_lines(args.anchored) if args.anchored else None
    infos = list_sessions()
    key = None if args.no_verify else _verify_key()
    rows: list[tuple[str, ...]] = []
    results: dict[str, VerifyResult] = {}
    for info in infos:
        state = "skipped"
        if key is not None:
            results[info.id] = result = verify_session(info.path, key)
            state = _state(result)
        if args.json:
            print(json.dumps({**info.to_dict(), "verification": state}))
            continue
        rows.append(
            (
                info.id,
                info.start[:19].replace("T", " "),
                _duration(info.duration),
                agent_label(list(info.agent)),
                _cell(",".join(info.hosts), 32),
                _cell(info.isolation, 48),
                str(info.commands_requested),
                str(info.commands_run),
                str(info.denied),
                state,
            )
        )
    if not args.json:
        if rows:
            _print_table(
                (
                    "ID",
                    "START (UTC)",
                    "DURATION",
                    "AGENT",
                    "HOSTS",
                    "ISOLATION",
                    "REQ",
                    "RUN",
                    "DENIED",
                    "VERIFIED",
                ),
                rows,
            )
        else:
            print(f"no recorded sessions in {paths.sessions_dir()}")
    if not args.verify:
        return ExitCode.OK
    return _cross_check(key, results, anchored, as_json=args.json)


def _anchored_lines(path: str) -> list[str]:
    """The lines of an anchor store extract (`--anchored FILE`)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read().splitlines()
    except OSError as exc:
        raise UsageError(f"--anchored: cannot read {path}: {exc.strerror}") from None


def _cross_check(
    ring: KeyRing | None,
    results: dict[str, VerifyResult],
    anchored: list[str] | None,
    *,
    as_json: bool,
) -> int:
    """`sessions --verify`: the index against the folders (see session.audit), and the
    anchored lines against both when given."""
    from aiperm_tui import paths
    from aiperm_tui.session.audit import check_anchored, check_sessions
    from aiperm_tui.textsafe import escape_control

    assert ring is not None
    findings = check_sessions(paths.sessions_dir(), ring, results)
    if anchored is not None:
        findings += check_anchored(paths.sessions_dir(), ring, anchored, results)
    live = sum(1 for r in results.values() if r.live)
    bad_logs = sum(1 for r in results.values() if not r.ok) - live
    for finding in findings:
        if as_json:
            print(
                json.dumps(
                    {
                        "finding": finding.problem,
                        "session": finding.session,
                        "message": finding.message,
                    }
                )
            )
        else:
            print(f"{finding.problem}: {escape_control(finding.message, keep_newlines=False)}")
    if not as_json:
        still = (
            f"; {live} still being recorded (not sealed yet: nothing vouches for it until it ends)"
            if live
            else ""
        )
        print(
            f"index check: {len(findings)} problem(s); {bad_logs} of {len(results)} "
            f"log(s) do not verify{still}"
            if findings or bad_logs or live
            else f"index check: ok, {len(results)} session(s), none missing, truncated or "
            "rewritten, index not rolled back as far as the logs can tell"
        )
    return ExitCode.DENIED if findings or bad_logs or live else ExitCode.OK


def _state(result: VerifyResult) -> str:
    if result.ok:
        return "ok" if result.closed else "ok (not closed)"
    if result.live:
        return "live"
    return result.problem or "failed"


def _print_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


# -- verify --------------------------------------------------------------------------------


def _configure_verify(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "session",
        nargs="?",
        metavar="SESSION",
        help="latest (default), an id or a unique id prefix",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="verify every recorded session, then check the session index against the "
        "folders as `sessions --verify` does (a deleted session fails it)",
    )


def _run_verify(args: argparse.Namespace) -> int:
    from aiperm_tui import paths
    from aiperm_tui.session import resolve_session, verify_session
    from aiperm_tui.session.ledger import INDEX
    from aiperm_tui.session.store import session_folders

    if args.all and args.session:
        raise UsageError("give a SESSION or --all, not both")
    folders = session_folders() if args.all else [resolve_session(args.session)]
    if not folders and not (args.all and (paths.sessions_dir() / INDEX).exists()):
        print("no recorded sessions")
        return ExitCode.OK
    key = _verify_key()
    results: dict[str, VerifyResult] = {}
    for folder in folders:
        results[folder.name] = result = verify_session(folder, key)
        print(
            f"{folder.name}: {'ok' if result.ok else 'FAILED'}: {result.message}" + _facts(result)
        )
    if args.all:  # every log verifying says nothing of one deleted: the index does
        return _cross_check(key, results, None, as_json=False)
    return ExitCode.OK if all(r.ok for r in results.values()) else ExitCode.DENIED


def _facts(result: VerifyResult) -> str:
    """The authenticated facts verify vouches for (format 3), in one short tail."""
    from aiperm_tui.textsafe import escape_control

    start = result.start
    if not start:
        return ""
    facts = (
        f"isolation {start.get('isolation', 'unknown')}, key {start.get('key_id')}, "
        f"by {start.get('user')}@{start.get('hostname')}"
    )
    return f" [{escape_control(facts, keep_newlines=False)}]"


# -- export --------------------------------------------------------------------------------


def _configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session", metavar="SESSION", help="latest, an id or a unique id prefix")
    parser.add_argument(
        "--format",
        choices=("asciicast", "jsonl"),
        default="asciicast",
        help="asciicast v2 of the output pane (default), or the raw events",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.add_argument(
        "--agent",
        action="store_true",
        help="asciicast: add the agent's side (its lines, your messages, "
        "tool permission prompts) as markers",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="asciicast only: export a log that does not verify (warned on stderr, "
        "marked UNVERIFIED, damaged events shown instead of stopping at them)",
    )


def _run_export(args: argparse.Namespace) -> int:
    from aiperm_tui.session import resolve_session, verify_session
    from aiperm_tui.session.export import write_asciicast, write_jsonl

    folder = resolve_session(args.session)
    if args.agent and args.format != "asciicast":
        raise UsageError("--agent is for --format asciicast (jsonl has every event)")
    if args.force and args.format != "asciicast":
        raise UsageError(
            "--force is for --format asciicast: a jsonl export is the log's exact lines and "
            "has nowhere to carry the UNVERIFIED mark (copy the session folder to keep a "
            "damaged log as it is)"
        )
    result = verify_session(folder, _verify_key())
    if not result.ok and not args.force:
        print(
            f"aiperm: export: {folder.name}: FAILED: {result.message} "
            "(nothing exported; --force exports it marked UNVERIFIED)",
            file=sys.stderr,
        )
        return ExitCode.DENIED
    if not result.ok:
        print(
            f"aiperm: export: warning: {folder.name} does not verify: {result.message} "
            "(exported anyway, marked UNVERIFIED)",
            file=sys.stderr,
        )
    unverified = None if result.ok else result.message
    with _output(args.output) as out:
        if args.format == "asciicast":
            write_asciicast(folder, out, agent=args.agent, unverified=unverified)
        else:
            write_jsonl(folder, out)
    return ExitCode.OK


# -- report --------------------------------------------------------------------------------


def _configure_report(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="sessions started on or after (YYYY-MM-DD or ISO time, UTC unless it says otherwise)",
    )
    parser.add_argument(
        "--until",
        metavar="DATE",
        help="sessions started on or before (a date includes that whole day)",
    )
    parser.add_argument("--format", choices=("md", "html", "json"), default="md")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")


def _run_report(args: argparse.Namespace) -> int:
    from aiperm_tui import paths
    from aiperm_tui.session import list_sessions
    from aiperm_tui.session.report import RENDERERS, build_report

    try:
        report = build_report(
            list_sessions(),
            _verify_key(),
            since=args.since,
            until=args.until,
            root=paths.sessions_dir(),
        )
    except ValueError as exc:
        raise UsageError(f"--since/--until: {exc}") from None
    text = RENDERERS[args.format](report)
    with _output(args.output) as out:
        out.write(text)
    problems = report["totals"]["integrity_problems"]
    if args.output:
        print(
            f"report on {report['totals']['sessions']} session(s) written to {Path(args.output)}",
            file=sys.stderr,
        )
    if problems:
        print(
            f"aiperm: report: {problems} integrity problem(s) (missing, cut, rewritten or "
            "unverified sessions): see the report's integrity section",
            file=sys.stderr,
        )
    return ExitCode.DENIED if problems else ExitCode.OK


COMMANDS = [
    Subcommand(
        "sessions",
        "list recorded sessions",
        _configure_sessions,
        _run_sessions,
        description="List recorded sessions: id, start, duration, agent, hosts, isolation, "
        "commands requested/run/denied and whether the log verifies. --verify also "
        "checks the session index: a deleted, truncated or rewritten session and a "
        "rolled-back index are reported (exit 1).",
    ),
    Subcommand(
        "verify",
        "check a session log's HMAC chain",
        _configure_verify,
        _run_verify,
        description="Check the HMAC chain of a session log. Exit 0 when intact and "
        "sealed, 1 naming the first bad event and what is wrong (edited, inserted, "
        "spliced, deleted, reordered, truncated, unsealed, meta edited or missing, "
        "wrong key, missing key). --all verifies every session and then checks the "
        "session index against the folders, so a deleted session fails it too.",
    ),
    Subcommand(
        "export", "export a session as asciicast v2 or JSON Lines", _configure_export, _run_export
    ),
    Subcommand(
        "report",
        "compliance report over recorded sessions",
        _configure_report,
        _run_report,
        description="A compliance report (Markdown, self-contained HTML or JSON) over the "
        "sessions in a date range, with the evidence mapped to SOC 2 and ISO/IEC 27001 "
        "controls. It first checks the session index as `sessions --verify` does: a "
        "deleted, truncated or rewritten session, a rolled-back index and any session "
        "that fails verification are listed in its integrity section (exit 1).",
    ),
]
