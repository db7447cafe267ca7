"""`aiperm check`: output forms and exit codes (in-process, plus a few real processes)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from aiperm_tui.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_allow_exits_0_and_deny_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--", "ls", "-la")[0] == 0
    code, out, _ = run(capsys, "--", "rm -rf /")
    assert code == 1
    assert out.startswith("DENY") and "suggestion: ls -la /" in out
    assert "^^^^^^^^" in out  # the finding marked under the command (no tty: no colours)
    assert "\x1b[" not in out


def test_json_output_is_the_decision(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--json", "--preset", "read_only", "--", "systemctl restart x")
    data = json.loads(out)
    assert code == 1 and data["decision"] == "deny" and data["layer"] == "preset:read_only"


def test_control_characters_are_escaped_in_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--", "echo \x1b[31mred\u202e")
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\e[31m" in out and "\\u202e" in out


def test_usage_errors_exit_5(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys)[0] == 5
    assert run(capsys, "--stdin", "--", "ls")[0] == 5
    with pytest.raises(SystemExit) as exc:
        main(["check", "--preset", "bogus", "--", "ls"])
    assert exc.value.code == 5


def test_stdin_streams_one_json_line_per_input_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["ls -la", '"rm -rf /"', '"broken', 'echo "quoted plain"', '"\\u202e"', "17"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, _ = run(capsys, "--stdin")
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == len(lines)
    assert rows[0]["decision"] == "allow" and rows[1]["decision"] == "deny"
    assert rows[2] == {"error": rows[2]["error"], "line": 3}
    assert rows[4]["findings"][0]["rule"] == "text.invisible"
    assert code == 4  # bad JSON wins over the deny


def test_stdin_exit_code_is_1_when_something_was_denied(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("ls\nmkfs /dev/sda\n"))
    assert run(capsys, "--stdin")[0] == 1
    monkeypatch.setattr(sys, "stdin", io.StringIO("ls\r\ndf -h\n"))
    code, out, _ = run(capsys, "--stdin")
    assert code == 0 and all(json.loads(x)["confirm"] == "none" for x in out.splitlines())


def test_bad_config_exits_5(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text("preset = 'yolo'\n")
    code, _, err = run(capsys, "--config", str(bad), "--", "ls")
    assert code == 5 and "preset" in err


def _proc(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aiperm_tui", "check", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_real_process_exit_codes() -> None:
    assert _proc("--", "ls").returncode == 0
    assert _proc("--json", "--", "dd if=/dev/zero of=/dev/sda").returncode == 1
    assert _proc("--stdin", stdin='"oops\n').returncode == 4
    done = _proc()
    assert done.returncode == 5 and done.stderr.count("\n") == 1


def test_check_does_not_import_textual_or_paramiko() -> None:
    code = (
        "import sys; from aiperm_tui.cli import main; main(['check', '--', 'ls']); "
        "print(sorted(m for m in ('textual', 'paramiko', 'rich') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    ).stdout
    assert out.strip().endswith("[]")


def test_stdin_json_objects_and_arrays_are_bad_input_and_the_stream_goes_on(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        '{"cmd": "ls"}',
        '["ls", "-la"]',
        "ls",
        "[ -f /etc/hosts ] && cat /etc/hosts",
        "{ echo a; echo b; } > out.txt",
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, _ = run(capsys, "--stdin")
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == len(lines) and code == 4
    assert rows[0] == {"error": rows[0]["error"], "line": 1} and "bad JSON" in rows[0]["error"]
    assert rows[1] == {"error": rows[1]["error"], "line": 2}
    assert rows[2]["decision"] == "allow"
    # shell that merely starts with [ or { is plain text, as the README promises
    assert rows[3]["decision"] == "allow" and rows[3]["confirm"] == "none"
    assert "decision" in rows[4]
