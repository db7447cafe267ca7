"""The audit key lookup and the escaping of hostile text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiperm_tui.errors import SecurityError
from aiperm_tui.session.keys import create_key_file, load_audit_key
from aiperm_tui.textsafe import escape_control, is_unsafe_char


def test_env_key_wins_and_is_never_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIPERM_AUDIT_KEY", "ab" * 32)
    key = load_audit_key()
    assert key is not None and key.source == "env" and key.secret == bytes.fromhex("ab" * 32)
    assert "ab" * 4 not in repr(key)
    assert len(key.key_id) == 16 and key.key_id not in ("ab" * 32)


@pytest.mark.parametrize("value", ["abc", "zz" * 32, "ab" * 33])
def test_bad_env_key_is_a_security_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("AIPERM_AUDIT_KEY", value)
    with pytest.raises(SecurityError, match="64 hex characters"):
        load_audit_key()


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
