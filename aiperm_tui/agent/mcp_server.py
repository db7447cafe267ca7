"""`aiperm mcp`: an MCP stdio server whose tools forward to the running broker.

Any MCP client (Claude Code, others) gets two tools. `remote_exec` submits one command
to the broker over its socket and blocks until a human has decided and the command has
finished; the answer is plain text. `list_hosts` asks the broker which hosts it knows.
The server itself holds no keys and runs nothing: without a reachable broker (none in
the environment, `--socket` or the discovery file; a bad token; a closed session) every
call is an error and nothing runs. It starts without a broker, so a client can list its
tools at any time, and it looks the broker up on each call. A call its client cancels
hangs up on the broker, which cancels the plan: nothing runs that nobody waits for.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from aiperm_tui.agent.bridge import BridgeClient, Hangup
from aiperm_tui.agent.outcome import Outcome
from aiperm_tui.errors import AipermError

INSTRUCTIONS = """\
aiperm runs shell commands on the operator's servers, but only after a human approves
each one. Use remote_exec for every server command; use list_hosts to learn host names."""

REMOTE_EXEC_DESCRIPTION = """\
Run one shell command on a remote server, after a human reviews it.

What happens: the command goes to the aiperm broker on the operator's machine. A policy
engine analyses it and a human reviews it; this call blocks until they decide, which can
take minutes. If approved, it runs over SSH on `host` (as the configured user, in a
non-interactive shell) and you get the exit status, stdout and stderr. The operator may
EDIT the command before approving: the result then says so and shows the command as it
actually ran, which is what you must reason about. The operator may DENY it: the result
says why; do not retry the same thing or work around it. Output is capped (head and tail
kept). Arguments: host (a name from list_hosts; empty for the default host), command
(one shell command line), goal (one short sentence telling the reviewer why)."""

LIST_HOSTS_DESCRIPTION = """\
List the servers the aiperm broker can run commands on: their names, which one is the
default, and their connection state. Runs nothing remotely and needs no approval."""


def _client(socket_path: str | None) -> BridgeClient:
    try:
        return BridgeClient.discover(socket_path)
    except AipermError as exc:
        raise ToolError(str(exc)) from None


def remote_exec_blocking(
    host: str, command: str, goal: str, hangup: Hangup | None = None, socket_path: str | None = None
) -> str:
    """Submit one command and wait for its outcome; the text for the model."""
    if not command.strip():
        raise ToolError("command is empty: nothing was sent")
    plan: dict[str, Any] = {
        "type": "plan",
        "id": "mcp",
        "goal": goal,
        "actions": [{"cmd": command}],
    }
    if host.strip():
        plan["host"] = host.strip()
    try:
        messages = _client(socket_path).submit(plan, hangup=hangup)
    except AipermError as exc:
        raise ToolError(f"{exc} (nothing ran)") from None
    outcome = Outcome.from_messages(messages, [command])
    if outcome.status in ("denied", "refused", "error"):
        raise ToolError(outcome.render())
    return outcome.render()


def list_hosts_blocking(socket_path: str | None = None) -> str:
    """The broker's hosts, one a line."""
    try:
        listing = _client(socket_path).hosts()
    except AipermError as exc:
        raise ToolError(str(exc)) from None
    default = listing.get("default")
    lines = [
        f"{h.get('name')}  ({h.get('state', 'unknown')})"
        f"{'  [default]' if h.get('name') == default else ''}"
        for h in listing.get("hosts", [])
    ]
    return "\n".join(lines) if lines else "no hosts are configured in aiperm"


def build_server(socket_path: str | None = None) -> MCPServer:
    """The MCP server with aiperm's two tools (plain text results)."""
    server: MCPServer = MCPServer("aiperm", instructions=INSTRUCTIONS, log_level="WARNING")

    async def remote_exec(host: str, command: str, goal: str = "") -> str:
        hangup = Hangup()
        call = partial(remote_exec_blocking, host, command, goal, hangup, socket_path)
        try:
            return await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
        except anyio.get_cancelled_exc_class():
            hangup()  # the client gave up on this call: the broker cancels the plan
            raise

    async def list_hosts() -> str:
        return await anyio.to_thread.run_sync(list_hosts_blocking, socket_path)

    server.add_tool(
        remote_exec,
        name="remote_exec",
        description=REMOTE_EXEC_DESCRIPTION,
        structured_output=False,
    )
    server.add_tool(
        list_hosts, name="list_hosts", description=LIST_HOSTS_DESCRIPTION, structured_output=False
    )
    return server


def serve_stdio(socket_path: str | None = None) -> None:
    """Run until the client closes stdin."""
    anyio.run(build_server(socket_path).run_stdio_async)
