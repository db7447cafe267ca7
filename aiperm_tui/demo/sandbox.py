"""The demo's throwaway world: a sandbox folder, an embedded SSH server, a key, a config.

`aiperm demo` must work on a fresh machine with no setup, so everything it needs lives in
one temporary folder that is removed afterwards: the sandbox the "server" runs bash in
(pre-filled with a small app: config, logs, data), a freshly generated client key, a
known_hosts that trusts the embedded server's host key, and a config naming the host
`demo`. Only the session log is written where sessions normally go, so that
`aiperm sessions` and `aiperm replay latest` show the demo afterwards.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import tomli_w

from aiperm_tui.config import Config, load_config

DEMO_HOST = "demo"

_LOG_LINES = [
    "2026-11-23T09:00:01Z INFO  app started, version 4.2.1",
    "2026-11-23T09:00:02Z INFO  connected to database orders@db1",
    "2026-11-23T09:14:40Z WARN  slow query: 2.4s SELECT * FROM orders WHERE ...",
    "2026-11-23T09:31:07Z ERROR disk usage at 91% on /srv/app",
    "2026-11-23T09:31:08Z INFO  health check ok",
]

_FILES = {
    "README.txt": "This is the aiperm demo sandbox: a pretend app server.\n"
    "Nothing here matters; it is deleted when the demo ends.\n",
    "config/app.conf": "[app]\nport = 8080\nworkers = 4\nlog_dir = logs\n",
    "data/users.csv": "id,name\n1,ada\n2,grace\n3,linus\n",
    "data/orders.csv": "id,user,total\n1,1,19.99\n2,3,5.00\n",
    "bin/healthcheck.sh": "#!/bin/sh\necho ok\n",
    "logs/error.log": "2026-11-23T09:31:07Z ERROR disk usage at 91% on /srv/app\n",
}


def fill_sandbox(root: Path) -> None:
    """Write the pretend app server's files (a few KiB of logs, some rotated)."""
    for rel, text in _FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "logs" / "app.log").write_text("\n".join(_LOG_LINES * 40) + "\n")
    old = root / "logs" / "old"
    old.mkdir(parents=True, exist_ok=True)
    for n in range(1, 4):
        (old / f"app.log.{n}").write_text("\n".join(_LOG_LINES * 200 * n) + "\n")


# The demo asks for a glance at its reads (plan level), so `A` has something to approve in
# one go; confirm rules only ever make a decision stricter, never laxer.
_GLANCE_RULES = [
    {
        "action": "confirm",
        "match": "prefix",
        "pattern": p,
        "confirm": "plan",
        "reason": "demo rule: the operator glances at reads before they run",
    }
    for p in ("ls -la", "df ", "tail ")
]


def _config_text(port: int, user: str, key: Path) -> str:
    """The demo config, written with tomli-w so odd characters in paths stay quoted."""
    return tomli_w.dumps(
        {
            "default_host": DEMO_HOST,
            "preset": "ops_safe",
            "rules": _GLANCE_RULES,
            "ssh": {"use_ssh_config": False, "use_agent": False},
            "hosts": {
                DEMO_HOST: {
                    "hostname": "127.0.0.1",
                    "port": port,
                    "user": user,
                    "identity_file": str(key),
                }
            },
        }
    )


@dataclass
class DemoWorld:
    """Everything the demo made; `close` stops the server and removes the folder."""

    root: Path
    sandbox: Path
    config_path: Path
    known_hosts: Path
    port: int
    server: object

    def config(self) -> Config:
        """The demo's config, read back through the normal loader."""
        return load_config(self.config_path)

    def agent_argv(self, delay: float) -> list[str]:
        """The scripted demo agent, run as a file: it needs only the standard library."""
        script = Path(__file__).with_name("agent.py")
        return [sys.executable, str(script), "--host", DEMO_HOST, "--delay", str(delay)]

    def close(self) -> None:
        self.server.stop()  # type: ignore[attr-defined]
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> DemoWorld:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        self.close()


def start_demo_world(base: Path | None = None) -> DemoWorld:
    """Create the folder, key, known_hosts and config, and start the embedded server."""
    from aiperm_tui.ssh import EmbeddedServer

    root = Path(tempfile.mkdtemp(prefix="aiperm-demo-", dir=base))
    root.chmod(0o700)
    sandbox = root / "srv-app"
    sandbox.mkdir()
    fill_sandbox(sandbox)
    try:
        server, client = EmbeddedServer.with_client(sandbox, root / "keys")
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    try:
        config_path = root / "config.toml"
        config_path.write_text(_config_text(client.port, client.user, client.key_path))
    except BaseException:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
        raise
    return DemoWorld(root, sandbox, config_path, client.known_hosts_path, client.port, server)
