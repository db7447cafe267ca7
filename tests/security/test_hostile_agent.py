"""The hostile agent against the broker, at each isolation level (docs/trust-model.md).

Each scenario runs `scenario.py` as its own process (the broker side, non-dumpable as
`aiperm tui` makes itself) with a pseudo-terminal as its stdin (the broker's terminal),
the operator's world around it (keys, audit key, config, session log, discovery file, a
real ssh-agent and tmux server, TMUX/SSH_AUTH_SOCK/... in its environment) and the
hostile agent started through the real `AgentProcess`. The report says which attacks
worked. With the sandbox none may; with `off`, the table in docs/trust-model.md says
which still do, and these tests hold it to that.
"""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess

import pytest
from helpers.bwrap import needs_bwrap
from helpers.sshd import SSHDServer
from helpers.unprivileged import Runner, as_root

pytestmark = needs_bwrap

# What the always-on layer stops even without the sandbox, for an ordinary user:
# the allowlisted environment, setsid (no controlling terminal), the non-dumpable broker.
HELD_WITHOUT_SANDBOX = (
    "env_leak",
    "dev_tty",
    "tiocsti",
    "tiocsti_high_bits",
    "proc_environ",
    "proc_mem",
    "proc_fd",
    "proc_root",
    "ptrace",
)
# What only the sandbox stops: the agent runs as the operator and sees what they see.
OPEN_WITHOUT_SANDBOX = (
    "read_ssh_key",
    "read_audit_key",
    "read_identity_file",
    "read_discovery",
    "read_session_log",
    "alter_log",
    "ssh_agent",
    "tmux",
    "tcp",
    "signal_broker",
    "proc_scan",
)


def scenario(runner: Runner, sshd: SSHDServer, sandbox: str, *extra: str) -> dict[str, str]:
    """Run the scenario as `runner`'s user with a terminal of its own; the report."""
    root = runner.folder()
    master, slave = pty.openpty()
    os.chown(os.ttyname(slave), runner.uid, runner.gid)
    try:
        done = subprocess.run(
            [
                *runner.prefix,
                str(runner.scripts / "scenario.py"),
                str(root),
                "--sandbox",
                sandbox,
                "--tcp",
                f"{sshd.host}:{sshd.port}",
                *extra,
            ],
            env=runner.env,
            stdin=slave,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    finally:
        os.close(slave)
        os.close(master)
        shutil.rmtree(root, ignore_errors=True)
    assert done.returncode == 0, done.stderr
    report: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def worked(report: dict[str, str]) -> set[str]:
    return {name for name, result in report.items() if result.startswith("ok")}


@pytest.mark.timeout(100)
def test_sandboxed_agent_gets_nowhere(unprivileged: Runner, sshd: SSHDServer) -> None:
    report = scenario(unprivileged, sshd, "required")
    assert set(report) >= {*HELD_WITHOUT_SANDBOX, *OPEN_WITHOUT_SANDBOX}
    assert worked(report) == set(), report


@pytest.mark.timeout(100)
@pytest.mark.skipif(os.geteuid() != 0, reason="the unprivileged run covers this user")
def test_sandboxed_agent_gets_nowhere_even_as_root(sshd: SSHDServer) -> None:
    """Root sees through file modes and the non-dumpable flag; the sandbox still holds."""
    assert worked(scenario(as_root(), sshd, "required")) == set()


@pytest.mark.timeout(120)
def test_sandboxed_agent_gets_nowhere_under_the_real_tui(sshd: SSHDServer) -> None:
    """The same attacks with the real `aiperm tui` as the broker (Textual on a pty, the
    bridge socket, the recorder), run as the test's own user."""
    report = scenario(as_root(), sshd, "required", "--broker", "tui")
    assert set(report) >= {*HELD_WITHOUT_SANDBOX, *OPEN_WITHOUT_SANDBOX}
    assert worked(report) == set(), report


@pytest.mark.timeout(100)
def test_without_sandbox_only_the_always_layer_holds(
    unprivileged: Runner, sshd: SSHDServer
) -> None:
    report = scenario(unprivileged, sshd, "off")
    assert worked(report) & set(HELD_WITHOUT_SANDBOX) == set(), report
    assert worked(report) >= set(OPEN_WITHOUT_SANDBOX), report


@pytest.mark.timeout(100)
def test_a_dumpable_broker_is_open_to_its_agent(unprivileged: Runner, sshd: SSHDServer) -> None:
    """The control case: without PR_SET_DUMPABLE 0 the agent reads the broker's /proc
    and writes to its terminal, so the test above would see it if the call went."""
    report = scenario(unprivileged, sshd, "off", "--dumpable")
    assert {"proc_environ", "proc_mem", "proc_fd", "ptrace"} <= worked(report), report


@pytest.mark.timeout(100)
@pytest.mark.skipif(os.geteuid() != 0, reason="what root sees through, shown as root")
def test_root_without_sandbox_sees_through_the_always_layer(sshd: SSHDServer) -> None:
    """Why docs/trust-model.md says `off` as root holds almost nothing: root reads the
    non-dumpable broker's /proc, ptraces it and pushes keys into its terminal."""
    report = scenario(as_root(), sshd, "off")
    assert {"proc_environ", "proc_mem", "proc_fd", "ptrace", "tiocsti"} <= worked(report)
    assert {"env_leak", "dev_tty"} & worked(report) == set()  # these hold even for root
