"""`aiperm run` and the Broker over real SSH: the OpenSSH `sshd` fixture, the real
SSHPool, the real terminal prompts. Every exit code of `run`, both strategies, the jail,
and that each recorded session verifies with the events that happened.

`aiperm run` runs as a child process: in a new session (no controlling terminal, as under
cron or CI) or on a pseudo-terminal it owns, so the test sees exactly what an operator
sees and a developer's own terminal is never asked anything."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import pty
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.audit_key import use_key
from helpers.broker_fakes import Events, exit_code, quiet_recorder, read_until
from helpers.session_fixture import recorded_output
from helpers.ssh_prompts import ScriptedPrompts
from helpers.sshd import free_port, known_hosts_line

from aiperm_tui.agent.protocol import parse_plan
from aiperm_tui.broker import Broker
from aiperm_tui.cli import main
from aiperm_tui.config import Config, load_config
from aiperm_tui.policy import PolicyEngine
from aiperm_tui.session import Recorder, list_sessions, read_events, verify_session
from aiperm_tui.ssh import SSHPool, fingerprint

REPO = Path(__file__).resolve().parents[2]
AUDIT_KEY = "5a" * 32
LAUNCH = "import sys; from aiperm_tui.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.fixture(autouse=True)
def audit_key(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> None:
    """A configured key, so `aiperm verify` can check what `aiperm run` wrote."""
    use_key(monkeypatch, isolated_home / "keys", AUDIT_KEY)


def trust(sshd: Any) -> None:
    """Record the server's host key in the test HOME's ~/.ssh/known_hosts."""
    ssh_dir = Path.home() / ".ssh"
    ssh_dir.mkdir(mode=0o700, exist_ok=True)
    with (ssh_dir / "known_hosts").open("a") as fh:
        fh.write(known_hosts_line(sshd.host, sshd.port, sshd.host_key))


def write_config(tmp_path: Path, sshd: Any, *, port: int | None = None, extra: str = "") -> Path:
    """A config whose default host "test" is the sshd; "echo plan..." needs plan level."""
    path = tmp_path / "config.toml"
    path.write_text(
        f'default_host = "test"\n{sshd.host_toml(port)}{extra}'
        '[[rules]]\naction = "confirm"\nmatch = "prefix"\npattern = "echo plan"\n'
        'confirm = "plan"\n'
    )
    return path


def aiperm_run(
    config: Path,
    plan: dict[str, Any] | str,
    *args: str,
) -> subprocess.CompletedProcess[str]:
    """`aiperm run --plan -` with no controlling terminal; the plan on stdin."""
    text = plan if isinstance(plan, str) else json.dumps(plan)
    return subprocess.run(
        [sys.executable, "-c", LAUNCH, "run", "--config", str(config), "--plan", "-", *args],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )


def plan_of(*cmds: str, strategy: str = "fail_fast") -> dict[str, Any]:
    return {"goal": "test", "strategy": strategy, "actions": [{"cmd": c} for c in cmds]}


def verified_events() -> list[dict[str, Any]]:
    """The newest session's events, after `aiperm verify latest` passed on it."""
    assert main(["verify", "latest"]) == 0
    return list(read_events(list_sessions()[-1].path))


def kinds(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


# --- exit codes ---------------------------------------------------------------------


def test_exit_0_streams_and_a_verified_log(sshd: Any, tmp_path: Path) -> None:
    trust(sshd)
    proc = aiperm_run(
        write_config(tmp_path, sshd), plan_of("echo out; echo err >&2", "printf 'a\\nb\\n' | wc -l")
    )
    assert proc.returncode == 0, proc.stderr
    assert "\nout\n" in proc.stdout and "\n2\n" in proc.stdout and "\nerr" not in proc.stdout
    assert "err\n" in proc.stderr and "plan p1: ok (exit 0)" in proc.stderr
    events = verified_events()
    assert [e["by"] for e in kinds(events, "approval")] == ["rule", "rule"]
    assert [e["cmd"] for e in kinds(events, "exec_start")] == [
        "echo out; echo err >&2",
        "printf 'a\\nb\\n' | wc -l",
    ]
    assert all(e["cwd"] is None for e in kinds(events, "exec_start"))
    output = recorded_output(list_sessions()[-1].path)
    assert (output[("x1", "stdout")], output[("x1", "stderr")]) == (b"out\n", b"err\n")
    assert [(e["exit_status"], e["error"]) for e in kinds(events, "exec_end")] == [
        (0, None),
        (0, None),
    ]
    assert kinds(events, "plan_end")[0]["status"] == "ok"
    assert [e["type"] for e in events[-2:]] == ["session_end", "seal"]


def test_exit_1_policy_deny_connects_to_nothing(sshd: Any, tmp_path: Path) -> None:
    trust(sshd)
    proc = aiperm_run(write_config(tmp_path, sshd), plan_of("echo one", "rm -rf /"))
    assert proc.returncode == 1 and "denied [1]" in proc.stderr and "one" not in proc.stdout
    events = verified_events()
    assert kinds(events, "exec_start") == []
    assert kinds(events, "deny")[0]["by"] == "policy"


def test_exit_2_no_terminal_to_confirm(sshd: Any, tmp_path: Path) -> None:
    trust(sshd)
    proc = aiperm_run(write_config(tmp_path, sshd), plan_of("echo one", "mkdir x"))
    assert proc.returncode == 2 and "no terminal" in proc.stderr and "one" not in proc.stdout
    events = verified_events()
    assert kinds(events, "exec_start") == [] and kinds(events, "deny")[-1]["by"] == "system"


def test_exit_4_bad_json(sshd: Any, tmp_path: Path) -> None:
    proc = aiperm_run(write_config(tmp_path, sshd), '{"actions": [{"cmd": "true"}')
    assert proc.returncode == 4 and "not valid JSON" in proc.stderr
    assert proc.stderr.count("\n") == 1 and list_sessions() == []


def test_exit_5_unknown_host_name(sshd: Any, tmp_path: Path) -> None:
    proc = aiperm_run(write_config(tmp_path, sshd), {"host": "nowhere", **plan_of("true")})
    assert proc.returncode == 5 and "unknown host 'nowhere'" in proc.stderr
    assert list_sessions() == []


def test_exit_5_unknown_host_key_refused_without_a_terminal(sshd: Any, tmp_path: Path) -> None:
    """Nothing in known_hosts and no terminal to ask: refused, naming the fingerprint."""
    proc = aiperm_run(write_config(tmp_path, sshd), plan_of("echo ran"))
    assert proc.returncode == 5, proc.stderr
    assert fingerprint(sshd.host_key) in proc.stderr and "\nran" not in proc.stdout
    assert "plan p1: failed (exit 5)" in proc.stderr
    assert not (Path.home() / ".ssh" / "known_hosts").exists()
    events = verified_events()
    assert fingerprint(sshd.host_key) in kinds(events, "error")[0]["message"]
    assert kinds(events, "exec_end")[0]["exit_status"] is None
    assert kinds(events, "plan_end")[0]["exit_code"] == 5


def test_exit_6_connection_refused(sshd: Any, tmp_path: Path) -> None:
    proc = aiperm_run(write_config(tmp_path, sshd, port=free_port()), plan_of("true"))
    assert proc.returncode == 6 and "cannot connect to 127.0.0.1" in proc.stderr
    assert kinds(verified_events(), "plan_end")[0]["status"] == "failed"


def test_exit_6_fail_fast_stops_at_the_failing_command(sshd: Any, tmp_path: Path) -> None:
    trust(sshd)
    proc = aiperm_run(write_config(tmp_path, sshd), plan_of("echo first", "exit 3", "echo never"))
    assert proc.returncode == 6 and "first\n" in proc.stdout and "never" not in proc.stdout
    events = verified_events()
    assert [e["exit_status"] for e in kinds(events, "exec_end")] == [0, 3]
    assert "skipped" in kinds(events, "deny")[-1]["reason"]


def test_best_effort_runs_the_rest_and_reports_the_failure(sshd: Any, tmp_path: Path) -> None:
    trust(sshd)
    proc = aiperm_run(
        write_config(tmp_path, sshd),
        plan_of("exit 3", "echo after", strategy="best_effort"),
        "--json",
    )
    assert proc.returncode == 6
    summary = json.loads(proc.stdout)
    assert (summary["status"], summary["exit_code"]) == ("failed", 6)
    assert [(a["exit_status"], a["stdout"]) for a in summary["actions"]] == [
        (3, ""),
        (0, "after\n"),
    ]
    assert [e["exit_status"] for e in kinds(verified_events(), "exec_end")] == [3, 0]


# --- the operator's terminal ----------------------------------------------------------


def spawn_on_pty(config: Path, plan: dict[str, Any], tmp_path: Path) -> tuple[int, int]:
    """`aiperm run` with a pseudo-terminal as its controlling terminal."""
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    argv = [
        sys.executable,
        "-c",
        LAUNCH,
        "run",
        "--config",
        str(config),
        "--plan",
        str(tmp_path / "plan.json"),
    ]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        os.execve(argv[0], argv, env)
    return pid, fd


def test_pty_confirm_then_trust_the_host_once(sshd: Any, tmp_path: Path) -> None:
    """All confirmations first, then the connection asks about the unknown host key on
    the same terminal; trusted once, the plan runs and nothing is written to known_hosts."""
    pid, fd = spawn_on_pty(write_config(tmp_path, sshd), plan_of("echo plan went"), tmp_path)
    read_until(fd, r"\[y/N\]")
    os.write(fd, b"y\n")
    shown = read_until(fd, r"enter   refuse")
    assert fingerprint(sshd.host_key) in shown
    os.write(fd, b"o\n")
    read_until(fd, r"plan p1: ok")
    assert exit_code(pid) == 0
    assert not (Path.home() / ".ssh" / "known_hosts").exists()
    assert kinds(verified_events(), "approval")[0]["by"] == "human"


def test_pty_refusal_runs_nothing(sshd: Any, tmp_path: Path) -> None:
    trust(sshd)
    pid, fd = spawn_on_pty(write_config(tmp_path, sshd), plan_of("mkdir refused_dir"), tmp_path)
    read_until(fd, r"type yes to run it")
    os.write(fd, b"no\n")
    read_until(fd, r"refused")
    assert exit_code(pid) == 2
    events = verified_events()
    assert kinds(events, "exec_start") == [] and kinds(events, "deny")[0]["by"] == "human"


# --- the jail: relative paths are relative to jail_root ----------------------------


@contextlib.contextmanager
def broker_on_sshd(config: Config, recorder: Recorder) -> Iterator[Broker]:
    """The Broker in this process on the real SSHPool; shut down with its pool and
    recorder after."""
    pool = SSHPool(config, ScriptedPrompts())
    broker = Broker(config, PolicyEngine(config), pool, recorder, listener=Events())
    try:
        yield broker
    finally:
        broker.shutdown()
        pool.close()
        recorder.close()


def jailed(tmp_path: Path, sshd: Any, jail: Path) -> Path:
    return write_config(
        tmp_path, sshd, extra=f'preset = "dev_sandbox"\njail_root = {json.dumps(str(jail))}\n'
    )


def test_jailed_host_runs_commands_in_the_jail(sshd: Any, tmp_path: Path) -> None:
    """The policy judged `touch made` as JAIL/made, so that is where it must land; a
    jail path with a space and a quote proves the cd is quoted."""
    trust(sshd)
    jail = tmp_path / "the jail's root"
    jail.mkdir()
    proc = aiperm_run(
        jailed(tmp_path, sshd, jail),
        plan_of("pwd", "touch made", "mkdir -p sub && touch sub/f"),
        "--yes",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1] == str(jail)
    assert (jail / "made").is_file() and (jail / "sub" / "f").is_file()
    starts = kinds(verified_events(), "exec_start")
    assert [e["cmd"] for e in starts] == ["pwd", "touch made", "mkdir -p sub && touch sub/f"]
    assert {e["cwd"] for e in starts} == {str(jail)}


def test_missing_jail_runs_nothing(sshd: Any, tmp_path: Path) -> None:
    """No jail folder: the cd fails and the command never starts in the login folder."""
    trust(sshd)
    proc = aiperm_run(jailed(tmp_path, sshd, tmp_path / "absent"), plan_of("pwd; echo ran"))
    assert proc.returncode == 6 and "\nran" not in proc.stdout
    assert "absent" in proc.stderr
    assert [e["exit_status"] for e in kinds(verified_events(), "exec_end")] == [1]


def test_preview_probes_run_in_the_jail(sshd: Any, tmp_path: Path) -> None:
    """The Broker on the real SSHPool: `rm -rf build` on a jailed host is previewed on
    JAIL/build, the folder the command would delete."""
    trust(sshd)
    jail = tmp_path / "jail"
    (jail / "build").mkdir(parents=True)
    for i in range(3):
        (jail / "build" / f"f{i}").write_text("x")
    config = load_config(jailed(tmp_path, sshd, jail))
    recorder = quiet_recorder(tmp_path / "sessions", "test", "dev_sandbox")
    replies: list[dict[str, Any]] = []
    with broker_on_sshd(config, recorder) as broker:
        plan_id = broker.submit(parse_plan(plan_of("rm -rf build")), replies.append)
        assert plan_id is not None and broker.plan(plan_id).actions[0].needs == "plan"
        text = broker.preview(plan_id, 0)
        assert re.search(r"^4$", text, re.M), text  # the folder and its three files
        broker.approve(plan_id, 0)
        assert broker.wait(plan_id, 30).status == "ok"
    assert not (jail / "build").exists()
    assert [m["type"] for m in replies] == ["decision", "result", "plan_result"]


def test_a_full_disk_fails_the_command_and_the_log_says_where_its_output_stops(
    sshd: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """output.bin stops taking bytes mid-command: the command fails with the reason (it
    is not left running unrecorded), what was recorded stays, an error event says where
    the recorded output stops, and the log verifies."""
    trust(sshd)
    config = load_config(write_config(tmp_path, sshd))
    recorder = quiet_recorder(tmp_path / "sessions", "test")
    real, writes = os.writev, [0]

    def full_after_one(fd: int, parts: Any) -> int:
        if fd == recorder._out_fd:
            writes[0] += 1
            if writes[0] > 1:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, parts)

    monkeypatch.setattr(os, "writev", full_after_one)
    replies: list[dict[str, Any]] = []
    with broker_on_sshd(config, recorder) as broker:
        plan_id = broker.submit(
            parse_plan(plan_of("echo one; sleep 0.5; echo two")), replies.append
        )
        assert plan_id is not None
        if broker.plan(plan_id).state == "pending":
            broker.approve(plan_id, 0)
        assert broker.wait(plan_id, 30).status == "failed"
    result = next(m for m in replies if m["type"] == "result")
    assert "No space left on device" in result["error"]
    events = list(read_events(recorder.path))
    assert recorded_output(recorder.path) == {("x1", "stdout"): b"one\n"}
    error = next(e for e in events if e["type"] == "error" and e.get("exec") == "x1")
    assert "not recorded past here" in error["message"]
    assert "No space" in next(e for e in events if e["type"] == "exec_end")["error"]
    assert verify_session(recorder.path, recorder.key).ok
