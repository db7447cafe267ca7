"""`aiperm tui -- AGENT ARGS…` and `aiperm demo`: the full-screen broker.

Everything that can fail is checked before the app takes the terminal: the config, the
theme, the host, the agent command; a problem prints one line and exits 5. Textual and
paramiko are imported inside `run`, so `aiperm --help` stays fast.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiperm_tui.cli import Subcommand
from aiperm_tui.config import PRESETS
from aiperm_tui.errors import UsageError

if TYPE_CHECKING:
    from textual.app import App

    from aiperm_tui.agent.identity import AgentUser
    from aiperm_tui.agent.sandbox import SandboxSpec
    from aiperm_tui.config import Config

TUI_DESCRIPTION = """\
Run AGENT as a subprocess and review every command it asks for: approve (a), approve all
safe ones (A), edit (e), deny (d/D), preview impact (p), remember (r), cancel (c), help (?).
Approved commands run over SSH with your local keys; the session is recorded.

examples:
  aiperm tui --host web1 -- python my_agent.py
  aiperm tui -- claude                 # Claude Code, through aiperm's MCP tool"""

DEMO_DESCRIPTION = """\
The whole flow with no setup: an SSH server on 127.0.0.1 serving a throwaway sandbox
folder, a scripted demo agent, and the broker. Nothing outside a temporary folder is
touched, except the session log (see `aiperm sessions` and `aiperm replay latest`) and,
when you have none yet, the audit key that `aiperm init` would create."""


def _configure_tui(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="default host for requests that name none")
    parser.add_argument("--preset", choices=PRESETS, help="policy preset (default: config)")
    parser.add_argument(
        "--adapter",
        choices=("jsonl", "claude"),
        help="how to talk to the agent (default: claude for `claude`, else JSON Lines)",
    )
    parser.add_argument(
        "--sandbox",
        choices=("required", "off"),
        help="isolate the agent in bubblewrap (required, the default) or "
        "not at all (off: the header says 'agent not isolated')",
    )
    parser.add_argument(
        "--allow-net",
        action="append",
        default=[],
        metavar="HOST[:PORT]",
        help="let the sandboxed agent reach this host too (port 443 unless "
        "given; repeat for more; see docs/network.md)",
    )
    parser.add_argument(
        "agent",
        nargs=argparse.REMAINDER,
        metavar="-- AGENT ARGS",
        help="the agent command, after --",
    )


def _configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--preset", choices=PRESETS, help="policy preset (default ops_safe)")
    parser.add_argument(
        "--delay",
        type=float,
        default=0.6,
        help="seconds the demo agent pauses between lines (default 0.6)",
    )


def _warn(message: str) -> None:
    print(f"aiperm: warning: {message}", file=sys.stderr)


def _agent_argv(rest: list[str]) -> list[str]:
    """The agent command; a program that cannot be found is an error before the app."""
    argv = rest[1:] if rest[:1] == ["--"] else rest
    if not argv:
        raise UsageError("no agent command given: aiperm tui [--host H] -- AGENT ARGS...")
    if shutil.which(argv[0]) is None:
        raise UsageError(f"agent command not found: {argv[0]!r}")
    return argv


def _sandbox_spec(level: str) -> SandboxSpec | None:
    """The sandbox for `level`; "required" where bwrap cannot run is SandboxError (exit 5)
    naming the cause and the fix, and a project folder that would hand the agent aiperm's
    files or the operator's keys is refused the same way, before the app starts."""
    from aiperm_tui.agent.sandbox import SandboxSpec, check_bind, require_sandbox

    if level == "off":
        _warn("--sandbox off: the agent is not isolated (it can read your files and keys)")
        return None
    spec = SandboxSpec(bwrap=require_sandbox())
    check_bind(Path.cwd(), spec)
    return spec


def _network(config: Config, argv: list[str], extra: list[str], sandboxed: bool) -> tuple[str, ...]:
    """The agent's allowlist: its `[agents.NAME] network` (or the built-in default) and
    the session's --allow-net entries, each checked now (exit 5 naming a bad one)."""
    from aiperm_tui.netrules import NetRuleError, parse_rule

    for entry in extra:
        try:
            parse_rule(entry)
        except NetRuleError as exc:
            raise UsageError(f"--allow-net: {exc}") from None
    if extra and not sandboxed:
        _warn(
            "--allow-net has no effect with --sandbox off: the agent's network is not "
            "restricted at all"
        )
    return (*config.agent_network(Path(argv[0]).name), *extra)


def _agent_user(config: Config, argv: list[str]) -> AgentUser | None:
    """The separate account `[agents.NAME] agent_user` names, checked before the app
    starts (SecurityError, exit 5: not root, no such account, not Linux, aiperm's Python
    out of its reach)."""
    from aiperm_tui.agent.identity import check_runtime, resolve_agent_user

    table = config.agents.get(Path(argv[0]).name)
    if table is None or table.agent_user is None:
        return None
    user = resolve_agent_user(table.agent_user)
    check_runtime(user)
    return user


def _run_tui(args: argparse.Namespace) -> int:
    from aiperm_tui.agent.hardening import make_non_dumpable
    from aiperm_tui.broker.rules import host_known
    from aiperm_tui.config import load_config
    from aiperm_tui.tui.app import AgentSpec, make_app

    if not make_non_dumpable() and sys.platform.startswith("linux"):
        _warn("could not make aiperm non-dumpable: your other processes may read its memory")
    argv = _agent_argv(list(args.agent))
    config = load_config(args.config)
    host = args.host or config.default_host
    if host is None:
        raise UsageError("no host: pass --host NAME or set default_host in the config")
    if not host_known(config, host):
        raise UsageError(
            f"unknown host {host!r}: add [hosts.{host}] to the config "
            "or a Host entry to ~/.ssh/config"
        )
    user = _agent_user(config, argv)
    sandbox = _sandbox_spec(args.sandbox or config.sandbox)
    agent = AgentSpec(
        argv,
        args.adapter,
        sandbox=sandbox,
        env_names=config.agent_env,
        network=_network(config, argv, args.allow_net, sandbox is not None),
        user=user,
    )
    app = make_app(config, agent, host=args.host, preset=args.preset, warn=_warn)
    return _run_app(app)


def _run_app(app: App[Any]) -> int:
    """Run the app; a crash inside it (Textual prints the traceback) must not exit 0.

    SIGTERM and SIGHUP (a closed terminal) end the session the way `q` does: the app
    exits, which stops the agent, closes the log and gives the terminal back restored."""

    def stop(signum: int, _frame: object) -> None:
        app.exit(return_code=128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        result = app.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return app.return_code or (result if isinstance(result, int) else 0)


def _ensure_audit_key() -> None:
    """The demo's session should verify afterwards, so it makes the audit key that
    `aiperm init` would make (0600) when there is none; an existing key is kept."""
    from aiperm_tui import paths
    from aiperm_tui.session.keys import create_key_file, load_audit_key

    if load_audit_key(allow_ephemeral=False) is None:
        create_key_file()
        print(
            f"aiperm demo: created your audit key {paths.key_path()} (mode 0600), "
            "so this session can be verified later",
            file=sys.stderr,
        )


def _demo_sandbox() -> SandboxSpec | None:
    """The demo's agent is aiperm's own, so the demo never refuses: it runs the agent in
    the sandbox where bwrap works and says which level is in force."""
    from aiperm_tui.agent.sandbox import SandboxError, SandboxSpec, require_sandbox

    try:
        spec = SandboxSpec(bwrap=require_sandbox())
    except SandboxError as exc:
        print(f"aiperm demo: the demo agent runs without a sandbox ({exc})", file=sys.stderr)
        return None
    print("aiperm demo: the demo agent runs in the bubblewrap sandbox", file=sys.stderr)
    return spec


def _run_demo(args: argparse.Namespace) -> int:
    from aiperm_tui.agent.hardening import make_non_dumpable
    from aiperm_tui.demo.sandbox import start_demo_world
    from aiperm_tui.tui.app import AgentSpec, make_app

    if args.config:
        raise UsageError("aiperm demo uses its own throwaway config; --config is not used")
    make_non_dumpable()
    _ensure_audit_key()
    sandbox = _demo_sandbox()
    with (
        start_demo_world() as world,
        tempfile.TemporaryDirectory(prefix="aiperm-demo-agent-") as project,
    ):
        agent = AgentSpec(world.agent_argv(args.delay), "jsonl", cwd=Path(project), sandbox=sandbox)
        app = make_app(
            world.config(), agent, preset=args.preset, known_hosts=world.known_hosts, warn=_warn
        )
        code = _run_app(app)
    print(
        f"aiperm demo: session {app.broker.session_id} recorded; "
        "see `aiperm sessions` and `aiperm replay latest`."
    )
    return code


COMMANDS = [
    Subcommand(
        "tui",
        "review and run an AI agent's commands in the full-screen broker",
        _configure_tui,
        _run_tui,
        TUI_DESCRIPTION,
    ),
    Subcommand(
        "demo",
        "try aiperm with no setup: a sandbox server and a scripted agent",
        _configure_demo,
        _run_demo,
        DEMO_DESCRIPTION,
    ),
]
