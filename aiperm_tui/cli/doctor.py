"""`aiperm doctor`: probe each isolation layer for real and say what holds on this machine.

Every layer is tried, not guessed from versions: bwrap is looked up, a sandbox with every
namespace is started, then one with aiperm's seccomp filter; the broker's own process is
made non-dumpable and the kernel asked; a child is spawned with the parent-death signal
from a thread that then ends, and must die. One line per layer; exit status 0 when all
hold, 5 (startup security error) otherwise, so scripts can gate on it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time

from aiperm_tui.cli import Subcommand
from aiperm_tui.errors import ExitCode

DESCRIPTION = """\
Check, on this machine, each layer that keeps a hostile agent away from the broker:
bubblewrap, user namespaces, the seccomp filter, the agent's network by allowlist, the
broker's non-dumpable state and the agent's death with the broker; and, for each
`[agents.NAME] agent_user` in the config, whether the agent can run as that account.
Exit 0 when all hold, 5 when one does not (the line says the cause and the fix). See
docs/trust-model.md."""

DEATH_DEADLINE = 5.0


def _configure(parser: argparse.ArgumentParser) -> None:
    """No options of its own: the probe is the same everywhere (the global --config only
    adds its `agent_user` lines)."""


def probe_agent_users(config_path: str | None) -> list[tuple[str, bool, str]]:
    """One line per `[agents.NAME] agent_user` in the config: whether the agent can be
    started as that account here (a root broker, an existing unprivileged account)."""
    from aiperm_tui.agent.identity import check_runtime, resolve_agent_user
    from aiperm_tui.config import load_config
    from aiperm_tui.errors import AipermError

    try:
        config = load_config(config_path)
    except AipermError as exc:
        return [("agent user", False, str(exc))] if config_path else []
    results: list[tuple[str, bool, str]] = []
    for name, table in sorted(config.agents.items()):
        if table.agent_user is None:
            continue
        try:
            user = resolve_agent_user(table.agent_user)
            check_runtime(user)
        except AipermError as exc:
            results.append((f"agent user ({name})", False, str(exc)))
            continue
        results.append(
            (
                f"agent user ({name})",
                True,
                f"{name} runs as {user.name} (uid {user.uid}): it cannot read your "
                "files, signal or ptrace the broker",
            )
        )
    return results


def probe_non_dumpable() -> tuple[bool, str]:
    """Make this very process non-dumpable, as the broker does, and ask the kernel."""
    from aiperm_tui.agent.hardening import is_dumpable, make_non_dumpable

    if make_non_dumpable():
        return True, "the broker's /proc files and ptrace are closed to your other processes"
    if is_dumpable() is None:
        return False, "no prctl on this system: same-user processes may read the broker"
    return False, "prctl(PR_SET_DUMPABLE, 0) did not hold"


def probe_death_signal() -> tuple[bool, str]:
    """Spawn a sleeping child with the parent-death signal from a thread that then ends:
    the kernel must kill the child (the signal follows the spawning thread). The child is
    this Python, which is always there (`sleep` need not be on PATH)."""
    from aiperm_tui.agent.hardening import die_with_parent

    if not sys.platform.startswith("linux"):
        return False, "no parent-death signal on this system: the agent outlives a crash"
    spawned: list[subprocess.Popen[bytes]] = []

    def spawn() -> None:
        import os

        spawned.append(
            subprocess.Popen(
                [sys.executable, "-c", "import time; time.sleep(60)"],
                preexec_fn=die_with_parent(os.getpid()),
                start_new_session=True,
            )
        )

    thread = threading.Thread(target=spawn)
    thread.start()
    thread.join()
    child = spawned[0]
    deadline = time.monotonic() + DEATH_DEADLINE
    while child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if child.poll() is None:
        child.kill()
        child.wait()
        return False, "a child outlived its parent thread: PR_SET_PDEATHSIG did not fire"
    return True, "the agent is killed by the kernel when the broker dies"


def _run(args: argparse.Namespace) -> int:
    from aiperm_tui.agent.sandbox import probe_sandbox

    layers = probe_sandbox()
    results = [(layer.name, layer.ok, layer.detail) for layer in layers]
    if all(layer.ok for layer in layers):  # the network layer runs in that sandbox
        from aiperm_tui.agent.netproxy import probe_network

        results.append(("network by allowlist", *probe_network(layers[0].detail)))
    for name, probe in (
        ("non-dumpable broker", probe_non_dumpable),
        ("dies with the broker", probe_death_signal),
    ):
        ok, detail = probe()
        results.append((name, ok, detail))
    results += probe_agent_users(args.config)
    for name, ok, detail in results:
        print(f"{'ok  ' if ok else 'FAIL'}  {name}: {detail}")
    if all(ok for _, ok, _ in results):
        print("all layers hold: `aiperm tui` runs the agent in the sandbox")
        return ExitCode.OK
    layer_failed = any(not ok for name, ok, _ in results if not name.startswith("agent user"))
    print(
        "aiperm tui refuses to start the agent unless --sandbox off is given"
        if layer_failed
        else "aiperm tui refuses to start an agent whose agent_user cannot be used",
        file=sys.stderr,
    )
    return ExitCode.USAGE


COMMANDS = [
    Subcommand(
        "doctor",
        "check each layer that isolates the agent on this machine",
        _configure,
        _run,
        DESCRIPTION,
    )
]
