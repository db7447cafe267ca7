"""The agent's processes die with the broker, however the broker dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers.bwrap import bwrap_or_skip
from helpers.procs import wait_gone
from helpers.sshd import descendants
from helpers.unprivileged import ROOT

BROKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from aiperm_tui.agent.process import AgentCallbacks, AgentProcess
    from aiperm_tui.agent.sandbox import SandboxSpec, require_sandbox
    spec = SandboxSpec(bwrap=require_sandbox()) if sys.argv[1] == "required" else None
    agent = AgentProcess([sys.executable, "-c",
                          "import subprocess, time; subprocess.Popen(['sleep', '300']); "
                          "print('up', flush=True); time.sleep(300)"],
                         AgentCallbacks(on_line=lambda line: print(line.text, flush=True)),
                         cwd=sys.argv[2], sandbox=spec)
    agent.start()
    time.sleep(300)
""")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("level", ["required", "off"])
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_agent_dies_with_the_broker(tmp_path: Path, level: str, how: signal.Signals) -> None:
    if level == "required":
        bwrap_or_skip()
    broker = subprocess.Popen(
        [sys.executable, "-c", BROKER, level, str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert broker.stdout is not None and broker.stdout.readline() == "up\n"
        agent_tree = descendants(broker.pid)
        assert len(agent_tree) >= 2  # the agent and its sleep (plus bwrap when sandboxed)
        broker.send_signal(how)
        broker.wait(10)
        assert (
            wait_gone(agent_tree) == [] if level == "required" else wait_gone(agent_tree[:1]) == []
        )
    finally:
        broker.kill()
        broker.wait()
        for pid in descendants(broker.pid):
            os.kill(pid, signal.SIGKILL)
