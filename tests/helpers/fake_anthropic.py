"""A tiny Anthropic-compatible Messages endpoint on 127.0.0.1 with a scripted model.

The real Claude Code CLI honours ANTHROPIC_BASE_URL with any API key, so a test can run
a whole claude turn offline: the first request that offers the scripted tool (aiperm's
remote_exec, or claude's own Bash) gets one call of it; a request carrying a tool result
gets a text answer quoting it; anything else (side requests such as titles) gets a short
text. Every
request body is kept in `requests` for assertions. Streaming (SSE) and plain JSON
answers are both served.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOOL = "mcp__aiperm__remote_exec"


class FakeAnthropic:
    """Start with `with FakeAnthropic.remote_exec(host, command) as api:` (or `.bash`);
    `api.url` for the CLI."""

    def __init__(self, tool: str, tool_input: dict[str, Any]) -> None:
        self.tool, self.tool_input = tool, tool_input
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.tool_results: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    @classmethod
    def remote_exec(
        cls, host: str, command: str, goal: str = "scripted by the test"
    ) -> FakeAnthropic:
        return cls(TOOL, {"host": host, "command": command, "goal": goal})

    @classmethod
    def bash(cls, command: str, description: str = "scripted by the test") -> FakeAnthropic:
        return cls("Bash", {"command": command, "description": description})

    def __enter__(self) -> FakeAnthropic:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def tool_names(self, request: dict[str, Any]) -> list[str]:
        return [t.get("name", "") for t in request.get("tools") or []]

    def answer(self, request: dict[str, Any]) -> list[dict[str, Any]]:
        """The content blocks of the scripted reply."""
        last = (request.get("messages") or [{}])[-1]
        content = last.get("content")
        results = (
            [b for b in content if isinstance(b, dict) and b.get("type") == "tool_result"]
            if isinstance(content, list)
            else []
        )
        if results:
            text = _result_text(results[0])
            with self._lock:
                self.tool_results.append(text)
            return [{"type": "text", "text": f"The server answered: {text[:400]}"}]
        if self.tool in self.tool_names(request) and not self.tool_results:
            return [
                {
                    "type": "tool_use",
                    "id": "toolu_aiperm_1",
                    "name": self.tool,
                    "input": self.tool_input,
                }
            ]
        return [{"type": "text", "text": "ok"}]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_GET(self) -> None:
                api.paths.append(f"GET {self.path}")
                self._json(
                    404,
                    {"type": "error", "error": {"type": "not_found_error", "message": "not here"}},
                )

            def do_POST(self) -> None:
                api.paths.append(f"POST {self.path}")
                body = json.loads(
                    self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}"
                )
                if not self.path.split("?")[0].endswith("/v1/messages"):
                    self._json(
                        404,
                        {
                            "type": "error",
                            "error": {"type": "not_found_error", "message": self.path},
                        },
                    )
                    return
                with api._lock:
                    api.requests.append(body)
                blocks = api.answer(body)
                if body.get("stream"):
                    self._stream(body, blocks)
                else:
                    self._json(200, _message(body, blocks))

            def _json(self, status: int, obj: dict[str, Any]) -> None:
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, body: dict[str, Any], blocks: list[dict[str, Any]]) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("cache-control", "no-cache")
                self.end_headers()
                for event in _sse_events(body, blocks):
                    self.wfile.write(
                        f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode()
                    )
                self.wfile.flush()
                self.close_connection = True

        return Handler


def _result_text(block: dict[str, Any]) -> str:
    content = block.get("content")
    if isinstance(content, list):
        return "\n".join(c.get("text", "") for c in content if isinstance(c, dict))
    return str(content or "")


def _stop_reason(blocks: list[dict[str, Any]]) -> str:
    return "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"


def _message(body: dict[str, Any], blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "fake"),
        "content": blocks,
        "stop_reason": _stop_reason(blocks),
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 5},
    }


def _sse_events(body: dict[str, Any], blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    start = {**_message(body, []), "stop_reason": None}
    yield {"type": "message_start", "message": start}
    for index, block in enumerate(blocks):
        if block["type"] == "tool_use":
            yield {
                "type": "content_block_start",
                "index": index,
                "content_block": {**block, "input": {}},
            }
            yield {
                "type": "content_block_delta",
                "index": index,
                "delta": {"type": "input_json_delta", "partial_json": json.dumps(block["input"])},
            }
        else:
            yield {
                "type": "content_block_start",
                "index": index,
                "content_block": {"type": "text", "text": ""},
            }
            yield {
                "type": "content_block_delta",
                "index": index,
                "delta": {"type": "text_delta", "text": block["text"]},
            }
        yield {"type": "content_block_stop", "index": index}
    yield {
        "type": "message_delta",
        "delta": {"stop_reason": _stop_reason(blocks), "stop_sequence": None},
        "usage": {"output_tokens": 5},
    }
    yield {"type": "message_stop"}
