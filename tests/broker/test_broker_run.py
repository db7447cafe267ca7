"""`aiperm run --plan`: every exit code, strategies, confirmations (scripted terminal and a
real pseudo-terminal), --yes, --json, one-line errors with nothing run."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers.broker_fakes import LocalPool, exit_code, make_config, read_until

from aiperm_tui.agent.protocol import parse_plan
from aiperm_tui.cli import main
from aiperm_tui.cli.run import Terminal, run_plan
from aiperm_tui.session import list_sessions, read_events


class ScriptedTerminal(Terminal):
    """A terminal whose answers are given in advance; keeps what it was shown."""

    def __init__(self, answers: list[str | None]) -> None:
        self.shown = io.StringIO()
        super().__init__(self.shown)
        self.answers = list(answers)

    def ask(self, prompt: str) -> str | None:
        self.shown.write(prompt)
        return self.answers.pop(0) if self.answers else None


def run(
    tmp_path: Path,
    cmds: list[str],
    terminal: Terminal | None,
    *,
    yes: bool = False,
    strategy: str = "fail_fast",
    as_json: bool = False,
) -> tuple[int, str, str, LocalPool]:
    box = tmp_path / "box"
    box.mkdir(exist_ok=True)
    pool = LocalPool(box)
    out, err = io.StringIO(), io.StringIO()
    plan = parse_plan(
        {
            "host": "web1",
            "strategy": strategy,
            "goal": "test",
            "actions": [{"cmd": c} for c in cmds],
        },
        source="plan",
    )
    code = run_plan(
        make_config(tmp_path),
        plan,
        terminal=terminal,
        yes=yes,
        as_json=as_json,
        pool=pool,
        out=out,
        err=err,
    )
    return code, out.getvalue(), err.getvalue(), pool


def last_events() -> list[dict[str, Any]]:
    return list(read_events(list_sessions()[-1].path))


def test_exit_0_allowed_commands_run_without_asking(tmp_path: Path) -> None:
    code, out, err, pool = run(tmp_path, ["echo one", "echo two"], None)
    assert code == 0 and "one\n" in out and "two\n" in out
    assert "ephemeral" in err  # no audit key in the test HOME
    assert [c.cmd for c in pool.calls] == ["echo one", "echo two"]


def test_exit_1_policy_deny_runs_nothing(tmp_path: Path) -> None:
    code, _, err, pool = run(tmp_path, ["echo one", "rm -rf /"], None)
    assert code == 1 and pool.calls == [] and "denied [1]" in err


def test_exit_2_no_terminal_for_a_needed_confirmation(tmp_path: Path) -> None:
    code, _, err, pool = run(tmp_path, ["echo one", "mkdir x"], None)
    assert code == 2 and pool.calls == [] and "no terminal" in err
    denies = [e for e in last_events() if e["type"] == "deny"]
    assert any(e["by"] == "system" for e in denies)
    assert not any(e["type"] == "approval" and e["by"] == "human" for e in last_events())


def test_exit_2_refused_at_the_prompt(tmp_path: Path) -> None:
    code, _, _, pool = run(tmp_path, ["echo one", "mkdir x"], ScriptedTerminal(["no"]))
    assert code == 2 and pool.calls == []


def test_exit_6_failure_under_fail_fast_stops(tmp_path: Path) -> None:
    code, out, _, pool = run(tmp_path, ["false", "echo never"], None)
    assert code == 6 and [c.cmd for c in pool.calls] == ["false"] and "never" not in out


def test_best_effort_runs_everything_and_reports_the_failure(tmp_path: Path) -> None:
    code, out, _, pool = run(tmp_path, ["false", "echo after"], None, strategy="best_effort")
    assert code == 6 and "after\n" in out and len(pool.calls) == 2


def test_action_level_needs_yes_typed_out(tmp_path: Path) -> None:
    terminal = ScriptedTerminal(["yes", "yes"])
    code, _, _, pool = run(tmp_path, ["mkdir a", "mkdir b"], terminal)
    assert code == 0 and (pool.root / "a").is_dir() and (pool.root / "b").is_dir()
    assert "type yes" in terminal.shown.getvalue()
    code, _, _, pool = run(tmp_path, ["mkdir c"], ScriptedTerminal(["y"]))  # y is not yes
    assert code == 2 and not (pool.root / "c").exists()


def test_a_single_y_is_told_why_and_asked_again(tmp_path: Path) -> None:
    terminal = ScriptedTerminal(["y", "yes"])
    code, _, _, pool = run(tmp_path, ["mkdir d"], terminal)
    assert code == 0 and (pool.root / "d").is_dir()
    assert "a single y is not enough" in terminal.shown.getvalue()
    terminal = ScriptedTerminal(["y", "y"])
    code, _, _, pool = run(tmp_path, ["mkdir e"], terminal)
    assert code == 2 and 'refused [0]: the answer was not "yes"' in terminal.shown.getvalue()


def test_plan_level_asked_once(tmp_path: Path) -> None:
    terminal = ScriptedTerminal(["y"])
    code, _, _, pool = run(tmp_path, ["echo plan a", "echo plan b"], terminal)
    assert code == 0 and len(pool.calls) == 2
    assert terminal.shown.getvalue().count("[y/N]") == 1


def test_yes_answers_plan_level_only(tmp_path: Path) -> None:
    code, _, _, pool = run(tmp_path, ["echo plan a"], None, yes=True)
    assert code == 0 and len(pool.calls) == 1
    code, _, _, pool = run(tmp_path, ["echo plan a", "mkdir z"], None, yes=True)
    assert code == 2 and pool.calls == []


def test_typed_code_shown_on_the_terminal_only(tmp_path: Path) -> None:
    (tmp_path / "box").mkdir()
    (tmp_path / "box" / "old").mkdir()
    terminal = _CodeEcho()
    code, out, err, pool = run(tmp_path, ["rm -rf old"], terminal, as_json=True)
    assert code == 0 and not (pool.root / "old").exists()
    assert terminal.code and terminal.code not in out and terminal.code not in err
    assert terminal.tries == 2  # one wrong code first, then the right one


class _CodeEcho(ScriptedTerminal):
    """Types a wrong code, then the one it was shown."""

    def __init__(self) -> None:
        super().__init__([])
        self.code, self.tries = "", 0

    def say(self, text: str) -> None:
        super().say(text)
        if m := re.search(r"type the code (\w+)", text):
            self.code = m.group(1)

    def ask(self, prompt: str) -> str | None:
        self.tries += 1
        return "ZZZZZZ" if self.tries == 1 else self.code


def test_typed_wrong_three_times_is_refused(tmp_path: Path) -> None:
    code, _, _, pool = run(tmp_path, ["rm -rf old"], ScriptedTerminal(["a", "b", "c"]))
    assert code == 2 and pool.calls == []


def test_json_summary(tmp_path: Path) -> None:
    _, out, _, _ = run(tmp_path, ["echo hi", "false"], None, as_json=True, strategy="best_effort")
    summary = json.loads(out)
    assert (summary["status"], summary["exit_code"], summary["host"]) == ("failed", 6, "web1")
    first, second = summary["actions"]
    assert first["stdout"] == "hi\n" and first["approved_by"] == "rule"
    assert second["exit_status"] == 1 and summary["session"]


# --- the command line: one-line errors, nothing run --------------------------------


def write_config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        'default_host = "web1"\n[hosts.web1]\nhostname = "127.0.0.1"\n'
        '[[rules]]\naction = "confirm"\nmatch = "prefix"\npattern = "echo plan"\n'
        'confirm = "plan"\n'
    )
    return path


@pytest.mark.parametrize(
    "text,code,needle",
    [
        ("{not json", 4, "not valid JSON"),
        ('{"actions": [' + ",".join(['{"cmd": "ls"}'] * 33) + "]}", 5, "at most 32"),
        ('{"actions": [{"cmd": ""}]}', 5, "empty command"),
        ('{"host": "nowhere", "actions": [{"cmd": "ls"}]}', 5, "unknown host"),
        ('{"actions": [{"cmd": "ls"}], "strategy": "x"}', 5, "strategy"),
    ],
)
def test_bad_plans_one_line_and_nothing_recorded(
    tmp_path: Path, capsys, text: str, code: int, needle: str
) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(text)
    assert main(["run", "--config", str(write_config(tmp_path)), "--plan", str(plan)]) == code
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err
    assert list_sessions() == []


def test_conflicting_host_and_missing_file(tmp_path: Path, capsys) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text('{"host": "web1", "actions": [{"cmd": "ls"}]}')
    config = str(write_config(tmp_path))
    assert main(["run", "--config", config, "--plan", str(plan), "--host", "db1"]) == 5
    assert main(["run", "--config", config, "--plan", str(tmp_path / "none.json")]) == 5


def test_missing_plan_flag_is_usage_error() -> None:
    with pytest.raises(SystemExit) as info:
        main(["run"])
    assert info.value.code == 5


# --- a real pseudo-terminal ---------------------------------------------------------

DRIVER = """
import sys
sys.path.insert(0, {tests!r})
from helpers.broker_fakes import LocalPool
import aiperm_tui.ssh
aiperm_tui.ssh.SSHPool = lambda config, prompts: LocalPool({box!r})
from aiperm_tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def spawn(tmp_path: Path, plan: dict, *, tty: bool) -> tuple[Any, int | None]:
    """`aiperm run` in a child; with a pty as its controlling terminal, or with none."""
    box = tmp_path / "box"
    box.mkdir(exist_ok=True)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER.format(tests=str(Path(__file__).parents[1]), box=str(box)))
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    argv = [
        sys.executable,
        str(driver),
        "run",
        "--config",
        str(write_config(tmp_path)),
        "--plan",
        str(tmp_path / "plan.json"),
    ]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]))
    if not tty:
        proc = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        return proc, None
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal
        os.execve(argv[0], argv, env)
    return pid, fd


def test_pty_typed_confirmation(tmp_path: Path) -> None:
    (tmp_path / "box" / "old").mkdir(parents=True)
    plan = {
        "host": "web1",
        "actions": [{"cmd": "echo plan go"}, {"cmd": "mkdir new"}, {"cmd": "rm -rf old"}],
    }
    pid, fd = spawn(tmp_path, plan, tty=True)
    read_until(fd, r"\[y/N\]")
    os.write(fd, b"y\n")
    read_until(fd, r"type yes to run it")
    os.write(fd, b"yes\n")
    shown = read_until(fd, r"code: ")
    code = re.search(r"type the code (\w+)", shown).group(1)
    os.write(fd, code.encode() + b"\n")
    read_until(fd, r"plan p1: ok")
    assert exit_code(pid) == 0
    assert not (tmp_path / "box" / "old").exists() and (tmp_path / "box" / "new").is_dir()


def test_pty_refusal_runs_nothing(tmp_path: Path) -> None:
    pid, fd = spawn(tmp_path, {"host": "web1", "actions": [{"cmd": "mkdir new"}]}, tty=True)
    read_until(fd, r"type yes to run it")
    os.write(fd, b"no\n")
    read_until(fd, r"refused")
    assert exit_code(pid) == 2 and not (tmp_path / "box" / "new").exists()


def test_no_controlling_terminal_exit_2(tmp_path: Path) -> None:
    proc, _ = spawn(tmp_path, {"host": "web1", "actions": [{"cmd": "mkdir new"}]}, tty=False)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and b"no terminal" in err
    assert not (tmp_path / "box" / "new").exists()
