"""The broker side of the network scenario, run as its own process (and, when the tests
run as root, as the unprivileged account).

    python net_scenario.py ROOT [--allow ENTRY]... -- PROBE...

As `aiperm tui` does for a sandboxed agent, it starts the network proxy in a private
socket folder (`netproxy.sandboxed_network`) and the probe agent (net_agent.py) through
the real `AgentProcess` in the real bubblewrap sandbox, behind the relay. A TCP echo
server of its own listens on 127.0.0.1 outside the sandbox; `ECHO` in an entry or a probe
stands for its port. Prints one JSON line: the probes' results, the events the proxy
recorded, the lines it showed, and how many connections reached the echo server.
Imports only the standard library and aiperm's core agent modules.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import sys
import threading
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEADLINE = 60.0


class EventList:
    """The session log's `event(...)`, kept in memory (the Recorder needs packages this
    process may not have; tests/security/test_network.py checks the real one)."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def event(self, type: str, **payload: Any) -> int:
        with self.lock:
            self.events.append({"type": type, **payload})
            return len(self.events)


class Echo:
    """Echoes every byte back on 127.0.0.2 (loopback, but not the address `localhost`
    resolves to); counts the connections it accepted."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.2", 0))
        self.port: int = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            threading.Thread(target=self._echo, args=(conn,), daemon=True).start()

    @staticmethod
    def _echo(conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.settimeout(DEADLINE)
            while data := conn.recv(65536):
                conn.sendall(data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--allow", action="append", default=[])
    parser.add_argument("probes", nargs="+")
    args = parser.parse_args()
    from aiperm_tui.agent.netproxy import sandboxed_network
    from aiperm_tui.agent.process import AgentCallbacks, AgentLine, AgentProcess
    from aiperm_tui.agent.sandbox import SandboxSpec, require_sandbox

    echo, log, shown, results = Echo(), EventList(), [], []
    run, project = args.root / "run", args.root / "project"
    run.mkdir(mode=0o700)
    project.mkdir()
    entries = [e.replace("ECHO", str(echo.port)) for e in args.allow]
    probes = [p.replace("ECHO", str(echo.port)) for p in args.probes]
    spec = SandboxSpec(bwrap=require_sandbox(), sockets=run)
    proxy, spec = sandboxed_network(spec, entries, run, log, shown.append, "net_agent.py")

    def on_line(line: AgentLine) -> None:
        if line.stream == "stdout" and line.text.startswith("probe "):
            results.append(json.loads(line.text.removeprefix("probe ")))
        elif line.stream == "stderr":
            print(f"agent: {line.text}", file=sys.stderr)

    agent = AgentProcess(
        [sys.executable, str(HERE / "net_agent.py"), *probes],
        AgentCallbacks(on_line=on_line),
        cwd=project,
        sandbox=spec,
    )
    try:
        agent.start()
        ended = agent.wait(DEADLINE)
        if ended is None:
            agent.terminate()
            raise SystemExit("net_scenario: the probe agent did not finish")
    finally:
        proxy.close()
    print(
        json.dumps(
            {
                "probes": results,
                "events": log.events,
                "shown": shown,
                "echo_port": echo.port,
                "echo_accepted": echo.accepted,
                "exit": ended.returncode,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
