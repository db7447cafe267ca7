"""Authentication and host resolution against real sshds: key types, a refused key,
encrypted keys through the passphrase prompt, a real ssh-agent, ~/.ssh/config, and a
jump host (a second sshd) in front of the target."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.ssh_prompts import ScriptedPrompts
from helpers.sshd import generate_key, known_hosts_line
from helpers.waiting import wait_until

from aiperm_tui.config import Config, HostConfig, SSHConfig
from aiperm_tui.errors import ExitCode
from aiperm_tui.ssh import AuthFailed, ConnectFailed, HostKeyUnknown, SSHPool
from aiperm_tui.values import replace

pytestmark = pytest.mark.sshd


def _with_key(sshd: Any, key_path: Path | None, **ssh: Any) -> Config:
    """sshd's config, but logging in with `key_path` only (None: no key file at all)."""
    base = sshd.config()
    files = (str(key_path),) if key_path else ()
    host = replace(base.hosts["test"], identity_files=files)
    return Config(hosts={"test": host}, ssh=SSHConfig(**ssh))


def _echo(pool: SSHPool, host: str = "test") -> str:
    out = bytearray()
    try:
        res = pool.run(host, "echo $USER", lambda _s, d: out.extend(d))
    finally:
        pool.close()
    assert res.ok
    return out.decode().strip()


@pytest.mark.parametrize("kind", ["ecdsa", "rsa"])
def test_other_key_types_log_in(sshd: Any, tmp_path: Path, kind: str) -> None:
    key = tmp_path / f"id_{kind}"
    generate_key(key, kind=kind)
    sshd.authorize(Path(f"{key}.pub").read_text())
    assert _echo(SSHPool(_with_key(sshd, key), ScriptedPrompts())) == sshd.user


def test_wrong_key_is_refused(sshd: Any, tmp_path: Path) -> None:
    stranger = tmp_path / "stranger"
    generate_key(stranger)
    pool = SSHPool(_with_key(sshd, stranger), ScriptedPrompts())
    with pytest.raises(AuthFailed) as err:
        pool.run("test", "true", lambda _s, _d: None)
    assert str(stranger) in str(err.value) and "rejected" in str(err.value)
    assert err.value.exit_code == ExitCode.EXEC
    assert pool.state("test") == "failed"
    pool.close()


def test_missing_key_file_is_named(sshd: Any, tmp_path: Path) -> None:
    pool = SSHPool(_with_key(sshd, tmp_path / "nope"), ScriptedPrompts())
    with pytest.raises(AuthFailed, match="nope"):
        pool.run("test", "true", lambda _s, _d: None)


@pytest.fixture
def encrypted_key(sshd: Any, tmp_path: Path) -> Path:
    key = tmp_path / "id_locked"
    generate_key(key, passphrase="correct horse")
    sshd.authorize(Path(f"{key}.pub").read_text())
    return key


def test_encrypted_key_asks_for_the_passphrase(sshd: Any, encrypted_key: Path) -> None:
    prompts = ScriptedPrompts(passphrases=["correct horse"])
    assert _echo(SSHPool(_with_key(sshd, encrypted_key), prompts)) == sshd.user
    assert prompts.questions("passphrase") == [(str(encrypted_key),)]


def test_wrong_passphrase_is_asked_again_then_fails(
    sshd: Any, encrypted_key: Path, caplog: pytest.LogCaptureFixture
) -> None:
    prompts = ScriptedPrompts(passphrases=["wrong", "also wrong", "still wrong"])
    pool = SSHPool(_with_key(sshd, encrypted_key), prompts)
    with pytest.raises(AuthFailed, match="wrong passphrase") as err:
        pool.run("test", "true", lambda _s, _d: None)
    assert len(prompts.questions("passphrase")) == 3
    for secret in ("wrong", "still wrong"):  # never echoed back or logged
        assert f"'{secret}'" not in str(err.value) and secret not in caplog.text


def test_second_try_passphrase_works(sshd: Any, encrypted_key: Path) -> None:
    prompts = ScriptedPrompts(passphrases=["typo", "correct horse"])
    assert _echo(SSHPool(_with_key(sshd, encrypted_key), prompts)) == sshd.user


def test_no_passphrase_skips_the_key(sshd: Any, encrypted_key: Path) -> None:
    prompts = ScriptedPrompts(passphrases=[None])
    with pytest.raises(AuthFailed, match="passphrase not given"):
        SSHPool(_with_key(sshd, encrypted_key), prompts).run("test", "true", lambda _s, _d: None)


@pytest.fixture
def agent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A real ssh-agent on a socket of this test's own (killed by its pid at the end)."""
    sock = tmp_path / "agent.sock"
    proc = subprocess.Popen(
        ["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_until(sock.exists, "ssh-agent did not start")
    monkeypatch.setenv("SSH_AUTH_SOCK", str(sock))
    yield sock
    proc.kill()
    proc.wait(5)


def test_ssh_agent_key_logs_in(sshd: Any, tmp_path: Path, agent: Path) -> None:
    key = tmp_path / "id_agent"
    generate_key(key)
    sshd.authorize(Path(f"{key}.pub").read_text())
    subprocess.run(
        ["ssh-add", "-q", str(key)],
        check=True,
        capture_output=True,
        env={**os.environ, "SSH_AUTH_SOCK": str(agent)},
    )
    key.unlink()  # only the agent holds it now
    prompts = ScriptedPrompts()
    assert _echo(SSHPool(_with_key(sshd, None), prompts)) == sshd.user
    assert prompts.asked == []
    with pytest.raises(AuthFailed):  # and use_agent = false really turns it off
        SSHPool(_with_key(sshd, None, use_agent=False), prompts).run(
            "test", "true", lambda _s, _d: None
        )


def test_ssh_config_fills_what_hosts_leave_out(sshd: Any) -> None:
    sshd.config()  # trust the host key in ~/.ssh/known_hosts
    ssh_dir = Path.home() / ".ssh"
    (ssh_dir / "config").write_text(
        f"Host web1\n  HostName 127.0.0.1\n  Port {sshd.port}\n  User {sshd.user}\n"
        f"  IdentityFile {sshd.client_key_path}\n"
    )
    assert _echo(SSHPool(Config(), ScriptedPrompts()), "web1") == sshd.user
    ignored = Config(ssh=SSHConfig(use_ssh_config=False))
    with pytest.raises(ConnectFailed):  # without it, web1 is just an unresolvable name
        SSHPool(ignored, ScriptedPrompts()).run("web1", "true", lambda _s, _d: None)


def _jump_config(target: Any, jump: Any) -> Config:
    hosts = {
        "jump": HostConfig(
            name="jump",
            hostname=jump.host,
            port=jump.port,
            user=jump.user,
            identity_files=(str(jump.client_key_path),),
        ),
        "target": HostConfig(
            name="target",
            hostname=target.host,
            port=target.port,
            user=target.user,
            identity_files=(str(target.client_key_path),),
            proxy_jump="jump",
        ),
    }
    return Config(hosts=hosts)


def test_jump_host_carries_the_connection(sshd: Any, sshd_private: Any, tmp_path: Path) -> None:
    known = tmp_path / "kh"
    known.write_text(
        known_hosts_line(sshd.host, sshd.port, sshd.host_key)
        + known_hosts_line(sshd_private.host, sshd_private.port, sshd_private.host_key)
    )
    pool = SSHPool(_jump_config(sshd, sshd_private), ScriptedPrompts(), known_hosts=known)
    try:
        assert pool.run("target", "true", lambda _s, _d: None).ok
        sshd_private.kill()  # the jump host goes: the target's connection rode on it
        with pytest.raises(ConnectFailed):
            pool.run("target", "true", lambda _s, _d: None)
    finally:
        pool.close()


def test_jump_host_key_is_checked_too(sshd: Any, sshd_private: Any, tmp_path: Path) -> None:
    known = tmp_path / "kh"
    known.write_text(known_hosts_line(sshd.host, sshd.port, sshd.host_key))
    prompts = ScriptedPrompts(trust="refuse")
    pool = SSHPool(_jump_config(sshd, sshd_private), prompts, known_hosts=known)
    with pytest.raises(HostKeyUnknown):
        pool.run("target", "true", lambda _s, _d: None)
    assert [q[1] for q in prompts.questions("trust_host")] == [sshd_private.port]


def test_key_refused_through_the_agent_is_not_asked_for_again(
    sshd: Any, tmp_path: Path, agent: Path
) -> None:
    key = tmp_path / "id_unwelcome"
    generate_key(key)  # not authorized on the server
    env = {**os.environ, "SSH_AUTH_SOCK": str(agent)}
    subprocess.run(["ssh-add", "-q", str(key)], check=True, capture_output=True, env=env)
    subprocess.run(
        ["ssh-keygen", "-q", "-p", "-N", "now locked", "-f", str(key)],
        check=True,
        capture_output=True,
    )  # the file copy now needs a passphrase
    prompts = ScriptedPrompts(passphrases=["now locked"])
    with pytest.raises(AuthFailed, match="agent key"):
        SSHPool(_with_key(sshd, key), prompts).run("test", "true", lambda _s, _d: None)
    assert prompts.questions("passphrase") == []
