"""`aiperm replay`: the plain-text form, and one-line errors with exit code 5."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.audit_key import use_key
from helpers.replay_log import KEY, demo_events, write_session

from aiperm_tui.cli import main


@pytest.fixture
def sessions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AIPERM_DATA_DIR", str(tmp_path))
    events = [
        *demo_events(),
        (
            32.0,
            "output",
            {"exec": "x3", "stream": "stdout", "data": "evil \x1b]0;pwned\x07 title\n"},
        ),
    ]
    return write_session(tmp_path / "sessions", events)


def test_replay_cli_prints_text_for_a_pipe(
    sessions: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_key(monkeypatch, Path.home() / "keys", KEY)
    assert main(["replay", "latest"]) == 0  # stdout is not a terminal here: plain text
    out = capsys.readouterr().out
    first, *rest = out.splitlines()
    assert first.startswith("# session 20260101T120000Z-abcdef: verified: intact")
    assert any("DENIED p2#2 by policy" in line for line in rest)
    assert "x3 out| evil \\e]0;pwned\\x07 title" in out and "\x1b" not in out


def test_replay_cli_no_tui_marks_an_unverified_log(
    sessions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", "--no-tui", "20260101"]) == 0  # a prefix; no key here
    assert capsys.readouterr().out.startswith(
        "# session 20260101T120000Z-abcdef: UNVERIFIED: missing key"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["replay", "nosuch"], "no session matches 'nosuch'"),
        (["replay", "latest", "--speed", "32"], "--speed: speed must be between 0.25 and 16"),
        (["replay", "latest", "--max-idle", "-1"], "--max-idle must not be negative"),
        (["replay", "--no-tui"], "name a session to print"),
    ],
)
def test_replay_cli_errors_are_one_line_exit_5(
    sessions: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 5
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
