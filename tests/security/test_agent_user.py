"""`[agents.NAME] agent_user`: the agent runs as a separate Unix account (the broker is
root). A hostile agent running as that account cannot read the operator's 0600 file,
read the broker's /proc, signal it or ptrace it, with the sandbox off (the account
alone) and on; its requests still reach the broker, on stdout and through the socket.
The account is `aiperm-ci` (.ci/run makes it); the tests need root and skip otherwise.
In the sandbox the relay runs aiperm's own Python and code as the account, so they must be
where it can read them: .ci/run runs the suite from a venv under /opt for that; a test run
on a Python the account cannot reach runs the sandbox test again in that venv. Under
CI=true a missing account, Python or readable runtime fails the test instead of skipping.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.bwrap import needs_bwrap
from helpers.pilot import until
from helpers.prereq import fail_or_skip
from helpers.tui_app import build_app
from helpers.unprivileged import ACCOUNT, CANDIDATES, CI_VENV, ROOT

from aiperm_tui.agent.identity import AgentUser, check_runtime, resolve_agent_user
from aiperm_tui.agent.sandbox import SandboxSpec
from aiperm_tui.errors import SecurityError
from aiperm_tui.tui.app import AgentSpec

as_root = pytest.mark.skipif(os.geteuid() != 0, reason="agent_user needs a root broker")

# Tries each attack on the broker (its pid in argv[2]) and the operator's file (argv[1]),
# says which worked, then asks the broker for its hosts through the socket and sends a
# plan on stdout: both must reach it.
AGENT = r"""
import ctypes, json, os, signal, socket, sys
secret, broker = sys.argv[1], int(sys.argv[2])
def attempt(f):
    try:
        f()
        return True
    except OSError:
        return False
libc = ctypes.CDLL(None, use_errno=True)
def ptrace():
    if libc.ptrace(16, broker, None, None) != 0:  # PTRACE_ATTACH
        raise OSError(ctypes.get_errno(), "ptrace")
    libc.ptrace(17, broker, None, None)  # PTRACE_DETACH
worked = {
    "read_secret": attempt(lambda: open(secret).read()),
    "proc_environ": attempt(lambda: open(f"/proc/{broker}/environ", "rb").read()),
    "signal_broker": attempt(lambda: os.kill(broker, signal.SIGCONT)),
    "ptrace": attempt(ptrace),
}
with socket.socket(socket.AF_UNIX) as conn:
    conn.settimeout(20)
    conn.connect(os.environ["AIPERM_SOCKET"])
    conn.sendall((json.dumps({"token": os.environ["AIPERM_TOKEN"], "op": "hosts"}) + "\n").encode())
    answer = conn.makefile().readline()
report = {"uid": os.getuid(), "worked": worked, "socket": answer.strip()}
print("report", json.dumps(report, separators=(",", ":")), "end", flush=True)
print(json.dumps({"id": "p1", "host": "web1", "actions": [{"cmd": "reboot"}]}), flush=True)
import time; time.sleep(60)
"""


NEW_ENOUGH = "import sys; assert sys.version_info >= (3, 11)"


def account() -> AgentUser:
    try:
        return resolve_agent_user(ACCOUNT)
    except SecurityError as exc:
        fail_or_skip(str(exc))


@pytest.fixture
def world() -> Iterator[Path]:
    """A folder under /tmp that the account can enter, with the operator's 0600 secret
    (only its mode keeps the account out), the agent script and the project, which the
    account owns."""
    root = Path(tempfile.mkdtemp(prefix="aiperm-agent-user-", dir="/tmp"))
    try:
        root.chmod(0o755)
        secret = root / "operator-secret"
        secret.write_text("PRIVATE KEY MATERIAL\n")
        secret.chmod(0o600)
        (root / "agent.py").write_text(AGENT)
        (root / "agent.py").chmod(0o644)
        (root / "project").mkdir()
        entry = pwd.getpwnam(ACCOUNT)
        os.chown(root / "project", entry.pw_uid, entry.pw_gid)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def python_for(user: AgentUser) -> str:
    """A Python >= 3.11 the account can run (the test's own may sit in root's home)."""
    for python in CANDIDATES:
        if not os.path.exists(python) or not user.can_reach(Path(python)):
            continue
        done = subprocess.run(
            [
                "runuser",
                "-u",
                user.name,
                "--",
                python,
                "-c",
                "import sys; assert sys.version_info >= (3, 11)",
            ],
            capture_output=True,
            timeout=30,
            check=False,
        )
        if done.returncode == 0:
            return python
    fail_or_skip(f"no Python that {user.name} can run (tried {', '.join(CANDIDATES)})")


async def run_hostile(world: Path, sandbox: SandboxSpec | None) -> tuple[dict, object]:
    user = account()
    python = python_for(user)
    argv = [python, str(world / "agent.py"), str(world / "operator-secret"), str(os.getpid())]
    spec = AgentSpec(argv, "jsonl", cwd=world / "project", sandbox=sandbox, user=user)
    app = build_app(world, agent=spec)
    async with app.run_test(size=(140, 40)) as pilot:
        try:
            await until(pilot, lambda: app.review.requests, timeout=40)
        except AssertionError:
            raise AssertionError(f"no plan arrived; the agent said: {_agent_text(app)}") from None
        # the report line is printed before the plan, but the pane may draw it a moment
        # after the plan reaches the review pane: wait for it with a deadline
        try:
            await until(pilot, lambda: _report_in(app) is not None, timeout=20)
        except AssertionError:
            raise AssertionError(f"no report shown; the agent said: {_agent_text(app)}") from None
        report = _report_in(app)
        assert report is not None
        isolation = spec.isolation
        await pilot.press("q")
    return report, isolation


def _report_in(app: object) -> dict | None:
    """The agent's report, once its line is in the pane (the pane wraps lines; the
    report has no spaces, so the pieces join back whole)."""
    found = re.search(r"report (\{.*?\}) end", "".join(_agent_text(app).splitlines()))
    return json.loads(found.group(1)) if found else None


def _agent_text(app: object) -> str:
    from textual.widgets import RichLog

    log = app.agent_pane.query_one(RichLog)  # type: ignore[attr-defined]
    return "\n".join(strip.text for strip in log.lines)


@as_root
@pytest.mark.timeout(90)
async def test_agent_user_alone_keeps_the_agent_out(world: Path) -> None:
    report, isolation = await run_hostile(world, None)
    assert report["uid"] == pwd.getpwnam(ACCOUNT).pw_uid
    assert report["worked"] == {
        "read_secret": False,
        "proc_environ": False,
        "signal_broker": False,
        "ptrace": False,
    }
    assert '"type":"hosts"' in report["socket"].replace(" ", "")  # its requests reach the broker
    assert isolation == f"off+user:{ACCOUNT}"


RERUN = "AIPERM_TEST_RERUN"


def rerun_in_the_ci_venv(user: AgentUser, test: str, why: str) -> None:
    """This Python is out of the account's reach (root's pyenv is, under /root): run
    `test` again in a pytest of the venv .ci/run makes under /opt, on this checkout. With
    no such venv (or a checkout the account cannot read) the test skips, or fails under
    CI=true."""
    python = CI_VENV / "bin" / "python"
    if os.environ.get(RERUN) or not python.exists() or not user.can_reach(python):
        fail_or_skip(f"the sandbox's relay runs aiperm's Python ({CI_VENV} is for that): {why}")
    if not user.can_reach(ROOT / "aiperm_tui" / "__init__.py"):
        fail_or_skip(f"{user.name} cannot read this checkout ({ROOT}), whose code the relay runs")
    done = subprocess.run(
        [str(python), "-B", "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{__file__}::{test}"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), RERUN: "1"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=150,
        check=False,
    )
    ran = done.returncode == 0 and re.search(r"^1 passed in ", done.stdout, re.M)
    assert ran, done.stdout[-4000:] + done.stderr  # passed, not skipped


@as_root
@pytest.mark.timeout(180)
@needs_bwrap
async def test_agent_user_in_the_sandbox(world: Path) -> None:
    user = account()
    try:
        check_runtime(user)
    except SecurityError as exc:
        rerun_in_the_ci_venv(user, "test_agent_user_in_the_sandbox", str(exc))
        return
    report, isolation = await run_hostile(world, SandboxSpec(bwrap=shutil.which("bwrap") or ""))
    assert not any(report["worked"].values()), report
    assert '"type":"hosts"' in report["socket"].replace(" ", "")
    assert isolation == f"sandbox+user:{ACCOUNT}"


def test_not_root_is_refused_with_what_is_needed(tmp_path: Path) -> None:
    """`aiperm tui` started by an ordinary user (here: told it is one) with agent_user
    set: one line naming what is needed, exit 5, before anything starts."""
    config = tmp_path / "config.toml"
    config.write_text(
        'default_host = "web1"\n[hosts.web1]\nhostname = "192.0.2.1"\n'
        f'[agents.python3]\nagent_user = "{ACCOUNT}"\n'
    )
    (tmp_path / "project").mkdir()
    argv = ["tui", "--config", str(config), "--", "python3", "-c", "pass"]
    ordinary = (
        "import os; os.geteuid = lambda: 1000; from aiperm_tui.cli import main; "
        f"raise SystemExit(main({argv!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", ordinary],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=tmp_path / "project",
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 5, done.stderr
    assert done.stderr.splitlines() == [
        f"aiperm: error: agent_user = '{ACCOUNT}' needs aiperm to run as root (it starts "
        "the agent as that account); run aiperm as root, or remove agent_user from the config"
    ]


@as_root
def test_root_or_a_missing_account_is_refused() -> None:
    with pytest.raises(SecurityError, match="separate, unprivileged account"):
        resolve_agent_user("root")
    with pytest.raises(SecurityError, match="there is no account 'aiperm-no-such-user'"):
        resolve_agent_user("aiperm-no-such-user")


@as_root
def test_can_reach_follows_the_mode_bits(world: Path) -> None:
    user = account()
    assert user.can_reach(world / "agent.py")
    assert not user.can_reach(world / "operator-secret")
    (world / "closed").mkdir(mode=0o700)
    (world / "closed" / "open-file").write_text("")
    (world / "closed" / "open-file").chmod(0o644)
    assert not user.can_reach(world / "closed" / "open-file")  # no search on the folder


@as_root
def test_log_records_the_account(world: Path) -> None:
    spec = AgentSpec([sys.executable], user=account())
    app = build_app(world, agent=spec)
    events = app.deps.recorder.path / "events.jsonl"
    start = json.loads(events.read_text().splitlines()[0])
    assert start["type"] == "session_start" or start.get("event") == "session_start"
    assert start["isolation"] == f"off+user:{ACCOUNT}"
