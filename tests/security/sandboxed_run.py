"""Start one command as a sandboxed agent through the real AgentProcess and return the
JSON object on its first line (`report {...}`: a bare JSON line would be read as a
protocol message). Imports only the standard library and aiperm's core, so a
broker running from another Python (a venv under /tmp) can use it too:

    python sandboxed_run.py PROJECT ARGV...
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from aiperm_tui.agent.process import AgentCallbacks, AgentProcess
from aiperm_tui.agent.sandbox import SandboxSpec

DEADLINE = 30.0


def run_sandboxed(argv: list[str], project: Path) -> dict[str, Any]:
    """Start `argv` in the sandbox with `project` as its folder; its `report` line."""
    lines: list[str] = []
    agent = AgentProcess(
        argv,
        AgentCallbacks(on_line=lambda line: lines.append(line.text)),
        cwd=project,
        sandbox=SandboxSpec(bwrap=shutil.which("bwrap") or "bwrap"),
    )
    agent.start()
    try:
        deadline = time.monotonic() + DEADLINE
        while not lines and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        agent.terminate()
    if not lines:
        raise SystemExit("the sandboxed agent printed nothing")
    report: dict[str, Any] = json.loads(lines[0].removeprefix("report "))
    return report


if __name__ == "__main__":
    print(json.dumps(run_sandboxed(sys.argv[2:], Path(sys.argv[1]))))
