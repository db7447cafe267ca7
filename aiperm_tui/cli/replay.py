"""`aiperm replay [SESSION|latest] [--speed X] [--max-idle S] [--no-tui]`.

Without SESSION a picker lists the recorded sessions. `--no-tui` (or a stdout that is
not a terminal, as in `aiperm replay latest | less`) prints the session as plain text.
Exit codes: 0 ok, 5 usage (unknown or ambiguous session, bad --speed, --no-tui without
a session). Replaying an unverified log is not an error: it is shown, and said so.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from aiperm_tui.cli import Subcommand
from aiperm_tui.errors import ExitCode, UsageError

if TYPE_CHECKING:  # imported lazily at run time, so `aiperm --help` stays fast
    from aiperm_tui.replay.recording import Recording

DESCRIPTION = """\
Replay a recorded session: the agent's lines, each request with its findings, who
decided (human, rule, batch; an edit as a diff) and the output, with its original
timing. Keys: space pause, n/right next event, N/left back, ] [ next/previous request,
g/G start/end, +/- speed, click the timeline to jump, q quit.
SESSION is `latest`, a session id or a unique prefix of one (see `aiperm sessions`)."""


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "session",
        nargs="?",
        metavar="SESSION",
        help="latest, an id or a unique id prefix (default: pick from a list)",
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        metavar="X",
        help="playback speed, 0.25 to 16 (default 1)",
    )
    parser.add_argument(
        "--max-idle",
        type=float,
        default=2.0,
        metavar="S",
        help="longest pause replayed, in seconds (default 2)",
    )
    parser.add_argument(
        "--no-tui",
        action="store_true",
        help="print the session as plain text (no timing), for less or grep",
    )


def _run(args: argparse.Namespace) -> int:
    from aiperm_tui.replay.playback import check_speed
    from aiperm_tui.replay.recording import Recording
    from aiperm_tui.session import resolve_session

    try:
        check_speed(args.speed)
    except ValueError as exc:
        raise UsageError(f"--speed: {exc}") from None
    if args.max_idle < 0:
        raise UsageError("--max-idle must not be negative")
    text = args.no_tui or not sys.stdout.isatty()
    if args.session is None and text:
        raise UsageError(
            "name a session to print (`latest`, an id or a prefix; see `aiperm sessions`)"
        )
    recording = Recording.open(resolve_session(args.session)) if args.session else None
    if recording is not None and text:
        return _print(recording)
    return _tui(args, recording)


def _print(recording: Recording) -> int:
    """The plain-text form: an integrity line, then every event."""
    from aiperm_tui.replay.recording import check_integrity
    from aiperm_tui.replay.text import TextReplay
    from aiperm_tui.textsafe import escape_control

    integrity = check_integrity(recording.folder)
    state = "verified" if integrity.ok else "UNVERIFIED"
    out = sys.stdout
    out.write(
        f"# session {recording.session_id}: {state}: "
        f"{escape_control(integrity.message, keep_newlines=False)}\n"
    )
    for line in TextReplay(recording.output).lines(recording.index.events()):
        out.write(line + "\n")
    if recording.index.torn_tail:
        out.write("# the log ends in a torn line (the recorder stopped mid-write)\n")
    out.flush()
    recording.close()
    return ExitCode.OK


def _tui(args: argparse.Namespace, recording: Recording | None) -> int:
    from aiperm_tui.config import load_config
    from aiperm_tui.tui.replay import ReplayApp
    from aiperm_tui.tui.themes import load_themes, resolve_theme

    theme = resolve_theme(load_config(args.config).theme, load_themes())
    ReplayApp(recording, speed=args.speed, max_idle=args.max_idle, theme=theme).run()
    return ExitCode.OK


COMMANDS = [
    Subcommand(
        "replay",
        "replay a recorded session (or print it with --no-tui)",
        _configure,
        _run,
        description=DESCRIPTION,
    ),
]
