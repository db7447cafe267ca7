"""The Claude Code adapter: run `claude` so that every server command goes through aiperm.

Claude Code has no plan protocol and its Bash tool runs locally, so aiperm starts it in
print mode speaking stream-json on both pipes, with Bash disallowed and aiperm's MCP
server (`aiperm mcp`, reached over the broker's socket) as the way to run commands:

    claude -p --input-format=stream-json --output-format=stream-json --verbose
           --mcp-config=<generated file> --allowedTools=mcp__aiperm__remote_exec,...
           --disallowedTools=Bash --permission-mode=default --permission-prompt-tool=stdio
           --append-system-prompt=<how to use remote_exec> [the user's own options]

In print mode with stream-json input, claude reads its prompt from stdin only: a prompt
given on the command line would be silently ignored. So the user's arguments are split
(`split_user_args`): options (and the value of an option that takes one) are passed on,
and the words that are not options become the first user message, sent on stdin as soon
as claude starts (`opening_prompt`), exactly as if the operator had typed it.

Flags use the `--flag=value` form because several claude flags are variadic and would
swallow a following argument. The generated MCP config marks the server `alwaysLoad`
(its tools are never deferred behind tool search) and gives it a day-long tool timeout,
since a human reviews each call. Lines the operator types become stream-json user
messages; the stream's assistant text, tool calls, tool results and anything unknown
become agent-pane lines (unknown types are shown, not dropped). Claude's questions
about its other tools arrive as `control_request`/`can_use_tool` and are surfaced as
`PermissionRequest`s; the operator's answer goes back as a `control_response`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiperm_tui import paths
from aiperm_tui.agent import protocol
from aiperm_tui.agent.process import AgentLine, Event, PermissionRequest, RawReply

SERVER_NAME = "aiperm"
REMOTE_EXEC_TOOL = f"mcp__{SERVER_NAME}__remote_exec"
LIST_HOSTS_TOOL = f"mcp__{SERVER_NAME}__list_hosts"
TOOL_TIMEOUT_MS = 24 * 3600 * 1000  # a human decides; claude must not give up first
MAX_RENDERED_CHARS = 4000  # one tool result in the agent pane; the full text is in the log

SYSTEM_PROMPT = f"""\
You are working under aiperm, a broker between you and the operator's servers.
To run any command on a server, call the {REMOTE_EXEC_TOOL} tool with the host, the exact
shell command and a one-line goal. A human reviews every call before it runs over SSH on
that host; they may edit the command (the result then says so and shows the command as
it actually ran) or deny it (the result gives their reason: do not try to work around a
denial, ask or change approach). Your local Bash tool is disabled on purpose. Call
{LIST_HOSTS_TOOL} to learn the host names. Prefer small, read-only commands first."""


def _import_path() -> str:
    """PYTHONPATH under which `python -m aiperm_tui` finds this very copy of aiperm, even
    when it runs from a checkout rather than an installed wheel."""
    root = str(Path(__file__).resolve().parents[2])
    current = os.environ.get("PYTHONPATH")
    return f"{root}{os.pathsep}{current}" if current else root


def mcp_server_entry(bridge_env: Mapping[str, str]) -> dict[str, Any]:
    """The `mcpServers.aiperm` entry: aiperm's own MCP server on stdio, always loaded."""
    return {
        "type": "stdio",
        "command": sys.executable,
        "args": ["-m", "aiperm_tui", "mcp"],
        "env": {**bridge_env, **paths.bytecode_env(), "PYTHONPATH": _import_path()},
        "alwaysLoad": True,
        "timeout": TOOL_TIMEOUT_MS,
    }


def write_mcp_config(path: Path, bridge_env: Mapping[str, str]) -> Path:
    """Write the config claude reads with --mcp-config; 0600, since it carries the token."""
    data = {"mcpServers": {SERVER_NAME: mcp_server_entry(bridge_env)}}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
    return path


def claude_flags(mcp_config: Path) -> list[str]:
    """aiperm's flags for claude, all in --flag=value form."""
    return [
        "-p",
        "--input-format=stream-json",
        "--output-format=stream-json",
        "--verbose",
        f"--mcp-config={mcp_config}",
        f"--allowedTools={REMOTE_EXEC_TOOL},{LIST_HOSTS_TOOL}",
        "--disallowedTools=Bash",
        "--permission-mode=default",
        "--permission-prompt-tool=stdio",
        f"--append-system-prompt={SYSTEM_PROMPT}",
    ]


# claude's options that take a value as the next word (`--model opus`); other options
# are flags. Variadic ones (--allowedTools, --add-dir…) take one word here: give more
# with commas or the `--option=value` form. After a bare `--`, every word is prompt.
VALUE_OPTIONS = frozenset(
    {
        "--add-dir",
        "--agent",
        "--agents",
        "--allowedTools",
        "--allowed-tools",
        "--append-system-prompt",
        "--betas",
        "--disallowedTools",
        "--disallowed-tools",
        "--fallback-model",
        "--input-format",
        "--json-schema",
        "--max-budget-usd",
        "--max-turns",
        "--mcp-config",
        "--model",
        "--output-format",
        "--permission-mode",
        "--permission-prompt-tool",
        "--plugin-dir",
        "--resume",
        "-r",
        "--session-id",
        "--setting-sources",
        "--settings",
        "--system-prompt",
        "--system-prompt-file",
        "--append-system-prompt-file",
        "--tools",
    }
)


def split_user_args(args: Sequence[str]) -> tuple[list[str], str | None]:
    """The user's options for claude, and the prompt made of the other words (None when
    there are none). See the module docstring for why the prompt cannot stay in argv."""
    options: list[str] = []
    words: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            words.extend(rest)
        elif arg.startswith("-") and len(arg) > 1:
            options.append(arg)
            if arg in VALUE_OPTIONS:
                value = next(rest, None)
                if value is not None:
                    options.append(value)
        else:
            words.append(arg)
    prompt = " ".join(words).strip()
    return options, prompt or None


def _shorten(text: str, limit: int = MAX_RENDERED_CHARS) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def _compact(value: Any, limit: int = 300) -> str:
    return _shorten(json.dumps(value, ensure_ascii=False, separators=(",", ":")), limit)


def _lines(kind: Any, text: str) -> list[Event]:
    return [AgentLine("stdout", kind, line) for line in text.splitlines() or [""]]


def _tool_call(block: Mapping[str, Any]) -> list[Event]:
    name, args = block.get("name", "?"), block.get("input") or {}
    if name == REMOTE_EXEC_TOOL and isinstance(args, dict):
        text = f"→ remote_exec on {args.get('host')}: {args.get('command')}"
        if args.get("goal"):
            text += f"   (goal: {args['goal']})"
        return _lines("tool_call", text)
    return _lines("tool_call", f"→ {name} {_compact(args)}")


def _tool_result(block: Mapping[str, Any]) -> list[Event]:
    content = block.get("content")
    if isinstance(content, list):
        parts = [c.get("text", _compact(c)) if isinstance(c, dict) else str(c) for c in content]
        content = "\n".join(parts)
    prefix = "← error: " if block.get("is_error") else "← "
    return _lines("tool_result", prefix + _shorten(str(content or "")))


def _blocks(content: Any) -> list[Any]:
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return content if isinstance(content, list) else []


def _render_message(kind: str, message: Mapping[str, Any]) -> list[Event]:
    events: list[Event] = []
    for block in _blocks(message.get("content")):
        btype = block.get("type") if isinstance(block, dict) else None
        if btype == "text":
            events += _lines("assistant" if kind == "assistant" else "system", block["text"])
        elif btype == "thinking":
            events += _lines("thinking", block.get("thinking", ""))
        elif btype == "tool_use":
            events += _tool_call(block)
        elif btype == "tool_result":
            events += _tool_result(block)
        else:
            events += _lines("unknown", f"[{kind} {btype}] {_compact(block)}")
    return events


def _render_system(obj: Mapping[str, Any]) -> list[Event]:
    if obj.get("subtype") != "init":
        return _lines("system", f"[system {obj.get('subtype')}] {_compact(obj)}")
    servers = ", ".join(
        f"{s.get('name')} ({s.get('status')})"
        for s in obj.get("mcp_servers", [])
        if isinstance(s, dict)
    )
    tools = obj.get("tools") or []
    ours = "yes" if REMOTE_EXEC_TOOL in tools else "NO: remote_exec is missing"
    return _lines(
        "system",
        f"claude started: model {obj.get('model')}; MCP servers: "
        f"{servers or 'none'}; aiperm remote_exec available: {ours}",
    )


def _render_result(obj: Mapping[str, Any]) -> list[Event]:
    text = (
        f"turn finished: {obj.get('subtype')}, {obj.get('num_turns')} turn(s), "
        f"{obj.get('duration_ms')} ms"
    )
    if obj.get("is_error"):
        text += f"; error: {obj.get('result')}"
    return _lines("result", text)


# tool_input keys that say what a tool touches, shown first and labelled in this order
PERMISSION_KEYS = (
    "file_path",
    "notebook_path",
    "path",
    "url",
    "command",
    "pattern",
    "old_string",
    "new_string",
    "content",
    "new_source",
    "edits",
    "prompt",
)


def permission_fields(tool_input: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every field of a tool's input as (name, text), the ones that say what is touched
    first. All fields are returned: allowing a tool allows exactly this input, so none
    may be hidden from the operator."""
    order = [k for k in PERMISSION_KEYS if k in tool_input]
    order += sorted(k for k in tool_input if k not in PERMISSION_KEYS)
    return [
        (
            str(key),
            value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=2),
        )
        for key, value in ((k, tool_input[k]) for k in order)
    ]


def _control_request(obj: Mapping[str, Any]) -> list[Event]:
    request_id = str(obj.get("request_id", ""))
    request = obj.get("request") or {}
    if request.get("subtype") == "can_use_tool":
        tool = str(request.get("tool_name", "?"))
        given = request.get("input")
        tool_input: Mapping[str, Any] = given if isinstance(given, dict) else {}
        notice = AgentLine(
            "stdout",
            "system",
            f"claude asks to use {tool} {_compact(tool_input)}: answer in the dialog",
        )
        return [
            notice,
            PermissionRequest(request_id, tool, tool_input, str(request.get("description") or "")),
        ]
    refusal = {
        "type": "control_response",
        "response": {
            "subtype": "error",
            "request_id": request_id,
            "error": f"aiperm does not handle {request.get('subtype')!r} requests",
        },
    }
    return [
        AgentLine("stdout", "unknown", f"[control_request] {_compact(obj)}"),
        RawReply(json.dumps(refusal)),
    ]


@dataclass
class ClaudeAdapter:
    """Speaks stream-json with `claude -p`; see the module docstring."""

    bridge_env: dict[str, str]
    workdir: Path
    name: str = "claude"
    can_talk: bool = True
    mcp_config: Path | None = field(default=None, init=False)
    opening_prompt: str | None = field(default=None, init=False)  # sent once started

    def command(self, argv: Sequence[str]) -> list[str]:
        self.mcp_config = write_mcp_config(self.workdir / "claude-mcp.json", self.bridge_env)
        options, self.opening_prompt = split_user_args(argv[1:])
        return [argv[0], *claude_flags(self.mcp_config), *options]

    def classify(self, line: str) -> list[Event]:
        try:
            obj = json.loads(line)
        except ValueError:
            return [AgentLine("stdout", "chatter", line)]
        if not isinstance(obj, dict):
            return [AgentLine("stdout", "chatter", line)]
        kind = obj.get("type")
        if kind == "system":
            return _render_system(obj)
        if kind in ("assistant", "user") and isinstance(obj.get("message"), dict):
            return _render_message(kind, obj["message"])
        if kind == "result":
            return _render_result(obj)
        if kind == "control_request":
            return _control_request(obj)
        return _lines("unknown", f"[{kind}] {_compact(obj)}")

    def encode_reply(self, message: Mapping[str, Any]) -> str | None:
        return None  # claude gets its results through the MCP server, not stdin

    def encode_error(self, error: protocol.ProtocolError) -> str | None:
        return None

    def encode_user(self, text: str) -> str | None:
        return json.dumps(
            {
                "type": "user",
                "session_id": "",
                "parent_tool_use_id": None,
                "message": {"role": "user", "content": text},
            }
        )

    def encode_permission(
        self, request_id: str, allow: bool, message: str, tool_input: Mapping[str, Any] | None
    ) -> str | None:
        if allow:
            answer: dict[str, Any] = {"behavior": "allow", "updatedInput": dict(tool_input or {})}
        else:
            answer = {
                "behavior": "deny",
                "message": message or "the operator denied this in aiperm",
            }
        return json.dumps(
            {
                "type": "control_response",
                "response": {"subtype": "success", "request_id": request_id, "response": answer},
            }
        )
