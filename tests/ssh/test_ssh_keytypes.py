"""A host on record under one key type that now offers only another type is refused like
a changed key, never put to the operator as a first-use trust question (a MITM holds a
new key of whatever type it likes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import paramiko
import pytest
from helpers.ssh_prompts import ScriptedPrompts
from helpers.sshd import generate_key, known_hosts_line

from aiperm_tui.errors import ExitCode
from aiperm_tui.ssh import HostKeyChanged, HostKeyUnknown, SSHPool, fingerprint
from aiperm_tui.ssh.knownhosts import KnownHosts


def _run(pool: SSHPool) -> bool:
    try:
        return pool.run("test", "true", lambda _s, _d: None).ok
    finally:
        pool.close()


@pytest.mark.sshd
def test_real_sshd_offering_an_unrecorded_type_is_refused(sshd: Any, tmp_path: Path) -> None:
    recorded = generate_key(tmp_path / "recorded_ecdsa", kind="ecdsa")  # sshd has ed25519 only
    known = tmp_path / "kh"
    known.write_text(known_hosts_line("127.0.0.1", sshd.port, recorded))
    prompts = ScriptedPrompts(trust="always")  # even a trusting operator is not asked
    with pytest.raises(HostKeyChanged) as err:
        _run(SSHPool(sshd.config(trusted=False), prompts, known_hosts=known))
    message = str(err.value)
    assert f"recorded ecdsa-sha2-nistp256 {fingerprint(recorded)}" in message
    assert f"presents ssh-ed25519 {fingerprint(sshd.host_key)}" in message
    assert err.value.exit_code == ExitCode.USAGE
    assert prompts.asked == []
    assert known.read_text().count("\n") == 1  # nothing added


@pytest.mark.sshd
def test_other_types_of_another_host_still_ask(sshd: Any, tmp_path: Path) -> None:
    other_host = generate_key(tmp_path / "other_ecdsa", kind="ecdsa")
    known = tmp_path / "kh"
    known.write_text(known_hosts_line("127.0.0.1", sshd.port + 1, other_host))
    prompts = ScriptedPrompts(trust="refuse")
    with pytest.raises(HostKeyUnknown):
        _run(SSHPool(sshd.config(trusted=False), prompts, known_hosts=known))
    assert len(prompts.questions("trust_host")) == 1


def test_check_names_every_recorded_type(tmp_path: Path) -> None:
    rsa, ecdsa = paramiko.RSAKey.generate(2048), paramiko.ECDSAKey.generate()
    offered = generate_key(tmp_path / "offered_ed25519")
    own = tmp_path / "kh"
    own.write_text(known_hosts_line("db1", 22, rsa) + known_hosts_line("db1", 22, ecdsa))
    known = KnownHosts(own, user=tmp_path / "none")
    with pytest.raises(HostKeyChanged) as err:
        known.check("db1", 22, offered)
    message = str(err.value)
    assert f"ssh-rsa {fingerprint(rsa)}" in message
    assert f"ecdsa-sha2-nistp256 {fingerprint(ecdsa)}" in message
    assert f"ssh-ed25519 {fingerprint(offered)}" in message
    assert known.check("db1", 22, ecdsa) is True
    assert known.check("web1", 22, offered) is False  # a host not on record at all
