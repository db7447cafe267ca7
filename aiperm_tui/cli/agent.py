"""`aiperm ask`, `aiperm mcp`, `aiperm hook`: the ways an agent reaches a running broker.

All three talk to the broker's Unix socket, found through AIPERM_SOCKET and AIPERM_TOKEN
(which the broker puts in its agent's environment), else `--socket`, else the discovery
file the running broker publishes (`agent.discovery`); none runs anything by itself, and
when the broker cannot be reached they fail closed with one line.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from aiperm_tui.cli import Subcommand
from aiperm_tui.errors import UsageError
from aiperm_tui.textsafe import escape_control

if TYPE_CHECKING:
    from aiperm_tui.agent.outcome import Outcome

ASK_DESCRIPTION = """\
Submit one command to the running aiperm broker, wait until the operator has decided and
the command has run, print its stdout and stderr, and exit with aiperm's exit code:
0 ran and succeeded, 1 denied by policy, 2 refused by the operator, 5 no broker or bad
usage, 6 the command failed or could not run. For agents that only have a shell tool.

  aiperm ask --host web1 --goal "check disk space" -- df -h /"""

HOOK_DESCRIPTION = """\
A Claude Code PreToolUse hook for Bash: send the command to the running aiperm broker
instead of running it locally, and block the local call with the remote result (exit 2,
also on any failure). See README.md, "Claude Code with its own screen"."""


def _configure_ask(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="target host (default: the broker's default host)")
    parser.add_argument("--goal", default="", help="one line telling the reviewer why")
    _add_socket_option(parser)
    parser.add_argument(
        "cmd", nargs=argparse.REMAINDER, metavar="-- CMD", help="the command to run remotely"
    )


def _add_socket_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--socket",
        metavar="PATH",
        help="the broker's socket, when $AIPERM_SOCKET is not set (default: "
        "the running broker's discovery file)",
    )


def _command_text(words: list[str]) -> str:
    if words and words[0] == "--":
        words = words[1:]
    text = " ".join(words)
    if not text.strip():
        raise UsageError("no command given: aiperm ask [--host H] -- CMD")
    return text


def _run_ask(args: argparse.Namespace) -> int:
    from aiperm_tui.agent.bridge import BridgeClient
    from aiperm_tui.agent.outcome import Outcome

    command = _command_text(args.cmd)
    plan = {"type": "plan", "id": "ask", "goal": args.goal, "actions": [{"cmd": command}]}
    if args.host:
        plan["host"] = args.host
    messages = BridgeClient.discover(args.socket).submit(plan)
    outcome = Outcome.from_messages(messages, [command])
    _print_outcome(outcome)
    return outcome.exit_code


def _write(stream: TextIO, text: str) -> None:
    """Remote and agent text as is into a pipe (an agent reads the exact output), but
    with control characters escaped on a terminal, which they could repaint or query."""
    stream.write(escape_control(text) if stream.isatty() else text)


def _note(text: str) -> None:
    _write(sys.stderr, f"aiperm: {text}\n")


def _print_outcome(outcome: Outcome) -> None:
    """Output on our own stdout/stderr like a local command; aiperm's notes on stderr."""
    if outcome.error is not None:
        _note(f"error: {outcome.error}")
    for denial in outcome.denials:
        note = f"denied: {denial.get('reason') or 'no reason given'}"
        if denial.get("message"):
            note += f" (operator: {denial['message']})"
        _note(note)
    for result in outcome.results:
        if result.get("edited"):
            _note(f"the operator edited the command; it ran as: {result.get('cmd')}")
        _write(sys.stdout, str(result.get("stdout", "")))
        _write(sys.stderr, str(result.get("stderr", "")))
        if result.get("truncated"):
            _note("output truncated (head and tail kept)")
    sys.stdout.flush()
    if outcome.status not in ("ok", "error") and not outcome.denials:
        _note(f"{outcome.status} (exit code {outcome.exit_code}{_remote_status(outcome)})")


def _remote_status(outcome: Outcome) -> str:
    """How the remote command ended, for the failure note: aiperm's exit code alone (6)
    hides the remote exit status an agent needs to tell `grep` finding nothing from a
    crash."""
    if not outcome.results:
        return ""
    last = outcome.results[-1]
    parts = []
    if last.get("exit_status") is not None:
        parts.append(f"remote exit status {last['exit_status']}")
    if last.get("signal"):
        parts.append(f"remote signal {last['signal']}")
    if last.get("error"):
        parts.append(f"error: {last['error']}")
    return "".join(f"; {part}" for part in parts)


def _run_mcp(args: argparse.Namespace) -> int:
    from aiperm_tui.agent.mcp_server import serve_stdio

    serve_stdio(args.socket)
    return 0


def _configure_hook(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("agent", choices=["claude"], help="the agent whose hook format to speak")
    parser.add_argument("--host", help="target host (default: the broker's default host)")
    _add_socket_option(parser)


def _run_hook(args: argparse.Namespace) -> int:
    from aiperm_tui.agent.hook import main

    return main(args.host, args.socket)


COMMANDS = [
    Subcommand(
        "ask",
        "submit one command to the running broker and wait for its result",
        _configure_ask,
        _run_ask,
        ASK_DESCRIPTION,
    ),
    Subcommand(
        "mcp",
        "MCP stdio server exposing remote_exec and list_hosts, bridged to the running broker",
        _add_socket_option,
        _run_mcp,
    ),
    Subcommand(
        "hook",
        "Claude Code PreToolUse hook: send Bash commands to the broker",
        _configure_hook,
        _run_hook,
        HOOK_DESCRIPTION,
    ),
]
