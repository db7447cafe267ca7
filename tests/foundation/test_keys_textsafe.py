"""The audit key lookup and the escaping of hostile text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.audit_key import use_key
from helpers.fuzz import FUZZ_DEADLINE
from hypothesis import given, settings
from hypothesis import strategies as st

from aiperm_tui.cli import main
from aiperm_tui.errors import ExitCode, SecurityError
from aiperm_tui.session.keys import create_key_file, load_audit_key
from aiperm_tui.textsafe import escape_control, is_unsafe_char


def test_key_file_env_names_the_key_never_in_repr(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_key(monkeypatch, tmp_path, "ab" * 32)
    key = load_audit_key()
    assert key is not None and key.source == "file" and key.secret == bytes.fromhex("ab" * 32)
    assert "ab" * 4 not in repr(key)
    assert len(key.key_id) == 16 and key.key_id not in ("ab" * 32)


@pytest.mark.parametrize("value", ["abc", "zz" * 32, "ab" * 33])
def test_bad_key_file_is_a_security_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    use_key(monkeypatch, tmp_path, value)
    with pytest.raises(SecurityError, match="64 hex characters"):
        load_audit_key()


def test_key_file_env_naming_no_file_is_refused_not_ephemeral(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AIPERM_AUDIT_KEY_FILE", str(tmp_path / "nowhere.key"))
    with pytest.raises(SecurityError, match=r"nowhere\.key: cannot read the audit key"):
        load_audit_key()


def test_key_file_of_another_user_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = use_key(monkeypatch, tmp_path, "ab" * 32)
    if os.getuid() == 0:
        os.chown(path, 65534, -1)
    else:  # only root can give a file away: be someone else instead
        monkeypatch.setattr(os, "getuid", lambda: path.stat().st_uid + 1)
    with pytest.raises(SecurityError, match="not by you"):
        load_audit_key()


@pytest.mark.timeout(10)
def test_a_fifo_as_key_file_is_refused_not_waited_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fifo = tmp_path / "audit.key"
    os.mkfifo(fifo, 0o600)
    monkeypatch.setenv("AIPERM_AUDIT_KEY_FILE", str(fifo))
    with pytest.raises(SecurityError, match="regular file"):
        load_audit_key()


def test_a_key_in_the_environment_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The old `$AIPERM_AUDIT_KEY` is neither used nor silently ignored: every command
    stops with one line that says why and what to do, exit 5."""
    monkeypatch.setenv("AIPERM_AUDIT_KEY", "ab" * 32)
    with pytest.raises(SecurityError, match="AIPERM_AUDIT_KEY_FILE"):
        load_audit_key()
    assert main(["sessions"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no longer takes the audit key from the environment" in err
    assert "ab" * 32 not in err


def test_key_file_then_ephemeral(tmp_path: Path) -> None:
    assert load_audit_key(allow_ephemeral=False, key_file=tmp_path / "k") is None
    ephemeral = load_audit_key(key_file=tmp_path / "k")
    assert ephemeral is not None and ephemeral.ephemeral
    made = create_key_file(tmp_path / "k")
    loaded = load_audit_key(key_file=tmp_path / "k")
    assert loaded == made and loaded.source == "file"
    with pytest.raises(FileExistsError):
        create_key_file(tmp_path / "k")


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k"
    create_key_file(path)
    os.chmod(path, 0o644)
    with pytest.raises(SecurityError, match="chmod 600"):
        load_audit_key(key_file=path)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\e[2J"),
        ("rm\u202e-rf", "rm\\u202e-rf"),
        ("a\u200bb", "a\\u200bb"),
        ("a\rb", "a\\rb"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("\x00\x7f\x9b", "\\x00\\x7f\\x9b"),
    ],
)
def test_escape_control(raw: str, shown: str) -> None:
    assert escape_control(raw) == shown


def test_one_line_view_escapes_newlines() -> None:
    assert escape_control("ls\nrm -rf /", keep_newlines=False) == "ls\\nrm -rf /"


@given(st.text())
def test_escaped_text_has_no_unsafe_characters(text: str) -> None:
    assert not any(is_unsafe_char(ch) for ch in escape_control(text))


def _escaped_one_by_one(text: str, keep_newlines: bool) -> str:
    """The definition, a character at a time: what escape_control's fast path must equal."""
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append(ch if keep_newlines else {"\n": "\\n", "\t": "\\t"}[ch])
        elif is_unsafe_char(ch):
            out.append(escape_control(ch))
        else:
            out.append(ch)
    return "".join(out)


@settings(deadline=FUZZ_DEADLINE)
@given(
    st.text(st.characters(codec="utf-8")) | st.text("ab \n\t\x1b\x7f\x9b\u202e\u200b\u2028é語"),
    st.booleans(),
)
def test_escaping_equals_the_character_by_character_definition(
    text: str, keep_newlines: bool
) -> None:
    assert escape_control(text, keep_newlines=keep_newlines) == _escaped_one_by_one(
        text, keep_newlines
    )
