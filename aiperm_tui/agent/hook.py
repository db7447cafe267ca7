"""`aiperm hook claude`: a Claude Code PreToolUse hook that sends Bash commands to aiperm.

For operators who keep claude's own interactive screen instead of `aiperm tui -- claude`.
Claude runs the hook before each Bash call, with the call as JSON on stdin. The hook
submits the command to the running broker (found through AIPERM_SOCKET/AIPERM_TOKEN in
claude's environment, else `--socket`, else the broker's discovery file, so a claude
started in another terminal works too), waits for the human and the remote run, then
blocks the local Bash call with exit code 2 and the remote result on stderr, which
claude shows the model. Every failure (no broker, bad input, an error of any kind) also
exits 2: a hook that crashes or times out would let the command run locally, so this one
fails closed. Other tools than Bash are none of its business: exit 0, no output.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from aiperm_tui.agent.bridge import BridgeClient
from aiperm_tui.agent.outcome import Outcome

BLOCK = 2  # Claude Code: exit 2 blocks the tool call and feeds stderr to the model
PASS = 0


def _read_call(stdin: IO[str]) -> dict[str, Any]:
    call = json.loads(stdin.read())
    if not isinstance(call, dict):
        raise ValueError("hook input is not a JSON object")
    return call


def run_claude_hook(
    stdin: IO[str], stderr: IO[str], host: str | None, socket_path: str | None
) -> int:
    """The whole hook; returns its exit code. Never raises."""
    try:
        call = _read_call(stdin)
        if call.get("tool_name") != "Bash":
            return PASS
        command = (call.get("tool_input") or {}).get("command")
        if not isinstance(command, str) or not command.strip():
            raise ValueError("Bash call without a command")
        plan: dict[str, Any] = {
            "type": "plan",
            "id": "hook",
            "actions": [{"cmd": command}],
            "goal": str((call.get("tool_input") or {}).get("description") or ""),
        }
        if host:
            plan["host"] = host
        messages = BridgeClient.discover(socket_path).submit(plan)
        text = Outcome.from_messages(messages, [command]).render()
        stderr.write(
            "This command was not run locally: aiperm sent it to the remote host "
            f"for human review.\n{text}\n"
        )
    except Exception as exc:  # any failure must block, never let the call run locally
        stderr.write(f"aiperm hook: blocked, nothing ran: {exc}\n")
    return BLOCK


def main(host: str | None = None, socket_path: str | None = None) -> int:
    """Entry for `aiperm hook claude`."""
    return run_claude_hook(sys.stdin, sys.stderr, host, socket_path)
