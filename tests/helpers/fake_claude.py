"""A stand-in for the `claude` CLI, just faithful enough to test aiperm's adapter.

It checks the flags aiperm gives it (all in --flag=value form), starts the MCP server
named in the generated --mcp-config with the real MCP client, and speaks stream-json:
a system init message listing the tools it loaded, then one turn per user message on
stdin. A user message `run HOST: CMD` makes it call remote_exec; `ask TOOL` makes it ask
permission for TOOL through a control_request and report the answer (`ask TOOL: TEXT`
adds TEXT as the content to write, <ESC> in it an escape character); anything else is
echoed. Bad flags: an error result on stdout and exit status 3.

`install(folder)` writes an executable `claude` there that runs this file with the
current interpreter, for a test to put on PATH.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REQUIRED = (
    "-p",
    "--input-format=stream-json",
    "--output-format=stream-json",
    "--verbose",
    "--disallowedTools=Bash",
    "--permission-mode=default",
    "--permission-prompt-tool=stdio",
)
VALUED = ("--mcp-config=", "--allowedTools=", "--append-system-prompt=")


def install(folder: Path) -> Path:
    """An executable `claude` in `folder` running this stand-in."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "claude"
    exe.write_text(f'#!/bin/sh\nexec {sys.executable} {Path(__file__).resolve()} "$@"\n')
    exe.chmod(0o755)
    return exe


def emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def check_flags(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    """aiperm's flags come first, each one argument (--flag=value); the user's follow."""
    head, extra = argv[: len(REQUIRED) + len(VALUED)], argv[len(REQUIRED) + len(VALUED) :]
    problems = [flag for flag in REQUIRED if flag not in head]
    problems += [
        f"unexpected argument among aiperm's flags: {a[:40]!r}"
        for a in head
        if a not in REQUIRED and not a.startswith(VALUED)
    ]
    values = {p[2:-1]: a[len(p) :] for p in VALUED for a in head if a.startswith(p)}
    problems += [f"missing {p}VALUE" for p in VALUED if p[2:-1] not in values]
    if "mcp__aiperm__remote_exec" not in values.get("allowedTools", "").split(","):
        problems.append("--allowedTools must allow mcp__aiperm__remote_exec")
    if "remote_exec" not in values.get("append-system-prompt", ""):
        problems.append("the appended system prompt must mention remote_exec")
    if problems:
        emit(
            {
                "type": "result",
                "subtype": "error_flags",
                "is_error": True,
                "result": "bad flags: " + "; ".join(problems),
            }
        )
        raise SystemExit(3)
    return values, extra


def server_params(config_path: str) -> Any:
    from mcp.client.stdio import StdioServerParameters

    config = json.loads(Path(config_path).read_text())
    entry = config["mcpServers"]["aiperm"]
    if entry.get("alwaysLoad") is not True or entry.get("timeout", 0) < 3600_000:
        emit(
            {
                "type": "result",
                "subtype": "error_config",
                "is_error": True,
                "result": f"aiperm MCP entry must be alwaysLoad with a long timeout: {entry}",
            }
        )
        raise SystemExit(3)
    return StdioServerParameters(command=entry["command"], args=entry["args"], env=entry.get("env"))


def text_of(result: Any) -> str:
    return "\n".join(getattr(c, "text", "") for c in result.content)


async def turn(client: Any, text: str, stdin: Any) -> None:
    """One user message: maybe a remote_exec call or a permission question, then a result."""
    if text.startswith("run "):
        host, _, command = text[4:].partition(": ")
        args = {"host": host, "command": command, "goal": "asked by the test"}
        emit(
            {
                "type": "assistant",
                "message": {
                    "role": "assistant",
                    "content": [
                        {
                            "type": "tool_use",
                            "id": "tu1",
                            "name": "mcp__aiperm__remote_exec",
                            "input": args,
                        }
                    ],
                },
            }
        )
        result = await client.call_tool("remote_exec", args)
        emit(
            {
                "type": "user",
                "message": {
                    "role": "user",
                    "content": [
                        {
                            "type": "tool_result",
                            "tool_use_id": "tu1",
                            "is_error": bool(result.is_error),
                            "content": [{"type": "text", "text": text_of(result)}],
                        }
                    ],
                },
            }
        )
    elif text.startswith("ask "):
        tool, _, content = text[4:].partition(": ")
        content = content.replace("<ESC>", "\x1b")  # a hostile agent's escape sequence
        tool_input = {"file_path": "/x", **({"content": content} if content else {})}
        emit(
            {
                "type": "control_request",
                "request_id": "perm-1",
                "request": {"subtype": "can_use_tool", "tool_name": tool, "input": tool_input},
            }
        )
        answer = json.loads(await stdin.receive())
        decision = answer["response"]["response"]
        emit(
            {
                "type": "assistant",
                "message": {
                    "role": "assistant",
                    "content": [
                        {
                            "type": "text",
                            "text": f"permission {decision['behavior']}: "
                            f"{decision.get('message', decision.get('updatedInput'))}",
                        }
                    ],
                },
            }
        )
    else:
        emit(
            {
                "type": "assistant",
                "message": {
                    "role": "assistant",
                    "content": [{"type": "text", "text": f"you said: {text}"}],
                },
            }
        )
    emit({"type": "mystery_event", "detail": "an unknown message type"})
    emit(
        {
            "type": "result",
            "subtype": "success",
            "is_error": False,
            "num_turns": 1,
            "duration_ms": 5,
            "result": "ok",
        }
    )


async def stdin_lines(send: Any) -> None:
    import anyio

    async with send:
        async for line in anyio.wrap_file(sys.stdin):
            if line.strip():
                await send.send(line)


async def main(argv: list[str]) -> None:
    import anyio
    from mcp import Client

    values, extra = check_flags(argv)
    async with Client(server_params(values["mcp-config"]), mode="legacy") as client:
        tools = [f"mcp__aiperm__{t.name}" for t in (await client.list_tools()).tools]
        emit(
            {
                "type": "system",
                "subtype": "init",
                "tools": ["Read", *tools],
                "mcp_servers": [{"name": "aiperm", "status": "connected"}],
                "model": "fake",
                "extra_args": extra,
            }
        )
        send, receive = anyio.create_memory_object_stream[str](16)
        async with anyio.create_task_group() as group:
            group.start_soon(stdin_lines, send)
            async with receive:
                async for line in receive:
                    message = json.loads(line)
                    if message.get("type") == "user":
                        await turn(client, message["message"]["content"], receive)
            group.cancel_scope.cancel()


if __name__ == "__main__":
    import anyio

    anyio.run(main, sys.argv[1:])
