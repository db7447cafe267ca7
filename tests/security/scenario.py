"""The broker side of the hostile-agent scenario, run as its own process (and, when the
tests run as root, as the unprivileged account, since root sees through what an ordinary
user cannot do).

    python scenario.py ROOT --sandbox required|off [--dumpable] [--tcp HOST:PORT]
                       [--broker process|tui]

It builds an operator's world under ROOT, owned by whoever runs it: a HOME with an ssh
key, aiperm's audit key and config (naming an identity_file outside HOME), a session log,
the discovery file, a real ssh-agent and a real tmux server, and an environment that
names them all (TMUX, SSH_AUTH_SOCK, DISPLAY, the audit key...). Then, as `aiperm tui`
does, it makes itself non-dumpable (unless --dumpable, the control case) and starts the
hostile agent through `AgentProcess`, with the bubblewrap sandbox or without. It prints
the agent's report as one JSON line on stdout. Imports only the standard library and
aiperm's core agent modules.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiperm_tui.agent.process import AgentLine

HERE = Path(__file__).resolve().parent
DEADLINE = 60.0


def _private(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_text(text)
    path.chmod(0o600)
    return path


def _wait_for(path: Path, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"scenario: {what} did not appear at {path}")
        time.sleep(0.02)


def build_world(root: Path) -> dict[str, Path]:
    """The operator's files and the environment variables that point at them."""
    home = root / "home"
    run = root / "run"
    run.mkdir(mode=0o700, parents=True)
    os.environ.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_RUNTIME_DIR=str(run),
        AIPERM_DATA_DIR=str(root / "data"),
    )
    files = {
        "ssh_key": _private(home / ".ssh/id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\n"),
        "audit_key": _private(home / ".config/aiperm/audit.key", secrets.token_hex(32)),
        "identity_file": _private(root / "keys/deploy_ed25519", "PRIVATE KEY MATERIAL\n"),
        "discovery": _private(
            run / "aiperm/current.json",
            json.dumps(
                {
                    "socket": str(run / "aiperm/b/broker.sock"),
                    "token": secrets.token_hex(32),
                    "session": "s",
                    "pid": os.getpid(),
                }
            ),
        ),
        "session_log": _private(root / "data/sessions/s1/events.jsonl", '{"seq": 0}\n'),
    }
    _private(
        home / ".config/aiperm/config.toml",
        f'[hosts.web1]\nhostname = "192.0.2.1"\nidentity_file = "{files["identity_file"]}"\n',
    )
    return files


@contextmanager
def operator_servers(run: Path) -> Iterator[dict[str, str]]:
    """A real ssh-agent and a real tmux server of this user, as an operator has."""
    agent_sock, tmux_sock = run / "ssh-agent.sock", run / "tmux.sock"
    agent = subprocess.Popen(
        ["ssh-agent", "-D", "-a", str(agent_sock)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {**os.environ, "SSH_AUTH_SOCK": str(agent_sock)}
    try:
        subprocess.run(
            ["tmux", "-S", str(tmux_sock), "new-session", "-d", "-s", "op", "sleep 600"],
            env=env,
            check=True,
            timeout=DEADLINE,
        )
        _wait_for(agent_sock, "ssh-agent's socket")
        yield {
            "SSH_AUTH_SOCK": str(agent_sock),
            "TMUX": f"{tmux_sock},1,0",
            "TMUX_PANE": "%0",
            "STY": "1.pts-0.op",
            "DISPLAY": ":0",
            "DBUS_SESSION_BUS_ADDRESS": f"unix:path={run}/bus",
            "GPG_AGENT_INFO": f"{run}/gpg",
            "OPERATOR_SECRET": "hunter2",
        }
    finally:
        subprocess.run(
            ["tmux", "-S", str(tmux_sock), "kill-server"],
            check=False,
            stderr=subprocess.DEVNULL,
            timeout=DEADLINE,
        )
        agent.terminate()
        agent.wait(DEADLINE)


def _stderr(line: AgentLine) -> None:
    """The agent's stderr goes to ours, so a failing scenario says why."""
    if line.stream == "stderr":
        print(f"agent: {line.text}", file=sys.stderr)


def run_agent(root: Path, sandbox: bool, targets: dict[str, object]) -> dict[str, str]:
    from aiperm_tui.agent.process import AgentCallbacks, AgentProcess
    from aiperm_tui.agent.sandbox import SandboxSpec, require_sandbox

    project = root / "project"
    project.mkdir()
    report = project / "report.json"
    target_file = project / "targets.json"
    target_file.write_text(json.dumps({**targets, "report": str(report)}))
    spec = SandboxSpec(bwrap=require_sandbox()) if sandbox else None
    extra = {"AIPERM_SOCKET": str(root / "run/aiperm/b/broker.sock"), "AIPERM_TOKEN": "t" * 64}
    agent = AgentProcess(
        [sys.executable, str(HERE / "hostile_agent.py"), str(target_file)],
        AgentCallbacks(on_line=_stderr),
        extra_env=extra,
        cwd=project,
        sandbox=spec,
    )
    agent.start()
    ended = agent.wait(DEADLINE)
    if ended is None:
        agent.terminate()
        raise SystemExit("scenario: the hostile agent did not finish")
    if not report.exists():
        raise SystemExit(f"scenario: no report ({ended.message})")
    result: dict[str, str] = json.loads(report.read_text())
    return result


def run_tui(root: Path, sandbox: bool, targets: dict[str, object]) -> dict[str, str]:
    """The same attack through the real `aiperm tui` on a pseudo-terminal: the broker is
    that process; the agent learns its pid from the targets file, written once the
    broker runs (the agent waits for it)."""
    import pty

    project = root / "project"
    project.mkdir()
    report = project / "report.json"
    target_file = project / "targets.json"
    master, slave = pty.openpty()
    broker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiperm_tui",
            "tui",
            "--host",
            "web1",
            "--sandbox",
            "required" if sandbox else "off",
            "--",
            sys.executable,
            str(HERE / "hostile_agent.py"),
            str(target_file),
        ],
        cwd=project,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    os.close(slave)
    try:
        staged = project / ".targets.json"
        staged.write_text(json.dumps({**targets, "broker_pid": broker.pid, "report": str(report)}))
        staged.rename(target_file)
        deadline = time.monotonic() + DEADLINE
        os.set_blocking(master, False)
        while not report.exists():
            if time.monotonic() > deadline or broker.poll() is not None:
                raise SystemExit("scenario: no report from the agent under aiperm tui")
            with contextlib.suppress(BlockingIOError):
                os.read(master, 65536)  # keep the terminal drained
            time.sleep(0.02)
        result: dict[str, str] = json.loads(report.read_text())
        return result
    finally:
        broker.terminate()
        with contextlib.suppress(OSError):
            while broker.poll() is None:
                with contextlib.suppress(BlockingIOError):
                    os.read(master, 65536)
                time.sleep(0.02)
        os.close(master)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--sandbox", choices=("required", "off"), required=True)
    parser.add_argument("--dumpable", action="store_true")
    parser.add_argument("--tcp", default="127.0.0.1:9")
    parser.add_argument(
        "--broker",
        choices=("process", "tui"),
        default="process",
        help="AgentProcess in this process, or the real `aiperm tui`",
    )
    args = parser.parse_args()
    from aiperm_tui.agent.hardening import make_non_dumpable

    files = build_world(args.root)
    host, port = args.tcp.rsplit(":", 1)
    with operator_servers(args.root / "run") as env:
        os.environ.update(env, AIPERM_AUDIT_KEY_FILE=str(files["audit_key"]))
        if not args.dumpable and not make_non_dumpable():
            raise SystemExit("scenario: could not make the broker non-dumpable")
        targets = {
            "broker_pid": os.getpid(),
            "files": {k: str(v) for k, v in files.items()},
            "session_log": str(files["session_log"]),
            "ssh_agent": env["SSH_AUTH_SOCK"],
            "tmux": env["TMUX"].split(",")[0],
            "tcp_host": host,
            "tcp_port": int(port),
        }
        run = run_tui if args.broker == "tui" else run_agent
        report = run(args.root, args.sandbox == "required", targets)
    print(json.dumps(report, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
