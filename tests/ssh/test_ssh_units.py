"""Pure units of the SSH layer: the agent-facing output cap and host resolution
([hosts] first, then ~/.ssh/config, then defaults; ProxyJump lists)."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiperm_tui.config import Config, HostConfig, SSHConfig
from aiperm_tui.errors import ConfigError
from aiperm_tui.ssh import CappedOutput
from aiperm_tui.ssh.hosts import resolve

# --- CappedOutput -------------------------------------------------------------------


def test_under_the_cap_everything_is_kept() -> None:
    out = CappedOutput(16)
    out.feed(b"hello ")
    out.feed(b"world")
    assert (out.text(), out.truncated, out.total) == ("hello world", False, 11)


def test_over_the_cap_head_and_tail_with_a_marker() -> None:
    out = CappedOutput(10)
    for line in (b"first\n", b"x" * 1000, b"\nlast\n"):
        out.feed(line)
    text = out.text()
    assert out.truncated and out.total == 1012
    assert text.startswith("first\n") and text.endswith("last\n")
    assert "[... 1002 bytes cut" in text


@given(st.lists(st.binary(max_size=300), max_size=30), st.integers(0, 500))
def test_chunking_never_changes_what_is_kept(chunks: list[bytes], cap: int) -> None:
    data = b"".join(chunks)
    out = CappedOutput(cap)
    for chunk in chunks:
        out.feed(chunk)
    assert out.total == len(data)
    if len(data) <= cap:
        assert out.text() == data.decode("utf-8", errors="replace")
        return
    head, tail = cap - cap // 2, cap // 2
    text = out.text()
    assert text.startswith(data[:head].decode("utf-8", errors="replace"))
    assert text.endswith(data[len(data) - tail :].decode("utf-8", errors="replace"))
    assert f"[... {len(data) - cap} bytes cut" in text


def test_memory_stays_within_the_cap() -> None:
    out = CappedOutput(64 * 1024)
    for _ in range(2000):
        out.feed(b"y" * 8192)
    assert len(out._head) + len(out._tail) == 64 * 1024
    assert out.total == 2000 * 8192


def test_a_split_utf8_character_does_not_break_text() -> None:
    out = CappedOutput(5)
    out.feed("ééééé".encode())  # 10 bytes: head keeps 3 (é + half an é), tail 2
    text = out.text()
    assert text.startswith("é\ufffd\n[... 5 bytes cut") and text.endswith("]\né")


# --- host resolution ----------------------------------------------------------------


@pytest.fixture
def ssh_config(isolated_home: Path) -> Path:
    path = isolated_home / ".ssh" / "config"
    path.parent.mkdir(mode=0o700)
    path.write_text(
        "Host web1\n  HostName 10.0.0.5\n  Port 2200\n  User deploy\n"
        "  IdentityFile ~/.ssh/web_key\n  ProxyJump bastion\n"
        "Host bastion\n  HostName bastion.example.org\n  User jumper\n"
    )
    return path


def test_ssh_config_fills_in(ssh_config: Path) -> None:
    t = resolve(Config(), "web1")
    assert (t.hostname, t.port, t.user) == ("10.0.0.5", 2200, "deploy")
    assert t.identity_files == (str(Path.home() / ".ssh" / "web_key"),)
    assert [(j.hostname, j.port, j.user) for j in t.jumps] == [
        ("bastion.example.org", 22, "jumper")
    ]


def test_hosts_table_wins_over_ssh_config(ssh_config: Path) -> None:
    host = HostConfig(name="web1", port=2222, user="ops", proxy_jump="none", command_timeout=7.0)
    t = resolve(Config(hosts={"web1": host}), "web1")
    assert (t.hostname, t.port, t.user, t.jumps) == ("10.0.0.5", 2222, "ops", ())
    assert t.command_timeout == 7.0


def test_ssh_config_can_be_turned_off(ssh_config: Path) -> None:
    t = resolve(Config(ssh=SSHConfig(use_ssh_config=False, connect_timeout=3)), "web1")
    assert (t.hostname, t.port, t.user) == ("web1", 22, getpass.getuser())
    assert t.connect_timeout == 3 and t.identity_files == () and t.jumps == ()


def test_proxy_jump_lists_and_overrides(isolated_home: Path) -> None:
    host = HostConfig(name="db", hostname="10.1.1.1", proxy_jump="alice@gw1:2022, [::1]:23")
    t = resolve(Config(hosts={"db": host}), "db")
    assert [(j.user, j.hostname, j.port) for j in t.jumps] == [
        ("alice", "gw1", 2022),
        (getpass.getuser(), "::1", 23),
    ]


def test_bad_proxy_jump_port_is_a_config_error(isolated_home: Path) -> None:
    host = HostConfig(name="db", proxy_jump="gw1:notaport")
    with pytest.raises(ConfigError, match="notaport"):
        resolve(Config(hosts={"db": host}), "db")


def test_bad_port_in_ssh_config_is_a_config_error(isolated_home: Path) -> None:
    (isolated_home / ".ssh").mkdir(mode=0o700)
    (isolated_home / ".ssh" / "config").write_text("Host web1\n  Port http\n")
    with pytest.raises(ConfigError, match="bad Port 'http'"):
        resolve(Config(), "web1")


@given(
    st.lists(st.binary(max_size=200), max_size=20),
    st.lists(st.integers(1, 150), min_size=1, max_size=10),
)
def test_channel_buffer_returns_bytes_in_order(chunks: list[bytes], sizes: list[int]) -> None:
    from aiperm_tui.ssh.exec import _FastPipe

    pipe = _FastPipe()
    for chunk in chunks:
        pipe.feed(chunk)
    pipe.close()
    got, i = bytearray(), 0
    while data := pipe.read(sizes[i % len(sizes)]):
        assert len(data) <= sizes[i % len(sizes)]
        got += data
        i += 1
    assert bytes(got) == b"".join(chunks) and len(pipe) == 0
