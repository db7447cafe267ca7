"""Strict host-key checking against a real sshd: unknown keys go through the trust prompt
(refused, once, always), changed keys are refused with both fingerprints, and both
~/.ssh/known_hosts and aiperm's own file count."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import paramiko
import pytest
from helpers.ssh_prompts import ScriptedPrompts
from helpers.sshd import generate_key, known_hosts_line

from aiperm_tui import paths
from aiperm_tui.errors import ExitCode
from aiperm_tui.ssh import HostKeyChanged, HostKeyUnknown, SSHPool, fingerprint

pytestmark = pytest.mark.sshd


def _fingerprint_by_ssh_keygen(pub: Path) -> str:
    out = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(pub)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split()[1]


def _run(pool: SSHPool) -> bool:
    try:
        return pool.run("test", "true", lambda _s, _d: None).ok
    finally:
        pool.close()


def test_unknown_host_refused_names_the_fingerprint(sshd: Any, tmp_path: Path) -> None:
    prompts = ScriptedPrompts(trust="refuse")
    pool = SSHPool(sshd.config(trusted=False), prompts, known_hosts=tmp_path / "kh")
    with pytest.raises(HostKeyUnknown) as err:
        _run(pool)
    expected = _fingerprint_by_ssh_keygen(sshd.folder / "host_ed25519.pub")
    assert prompts.questions("trust_host") == [("127.0.0.1", sshd.port, "ssh-ed25519", expected)]
    assert expected in str(err.value) and err.value.exit_code == ExitCode.USAGE
    assert not (tmp_path / "kh").exists()


def test_trust_once_connects_without_recording(sshd: Any, tmp_path: Path) -> None:
    prompts = ScriptedPrompts(trust="once")
    assert _run(SSHPool(sshd.config(trusted=False), prompts, known_hosts=tmp_path / "kh"))
    assert len(prompts.questions("trust_host")) == 1
    assert not (tmp_path / "kh").exists()
    again = ScriptedPrompts(trust="refuse")  # a new pool asks again: nothing was kept
    with pytest.raises(HostKeyUnknown):
        _run(SSHPool(sshd.config(trusted=False), again, known_hosts=tmp_path / "kh"))


def test_trust_always_writes_aiperms_known_hosts(sshd: Any) -> None:
    assert _run(SSHPool(sshd.config(trusted=False), ScriptedPrompts(trust="always")))
    own = paths.known_hosts_path()  # the default: aiperm's file under the test's HOME
    assert own.read_text() == known_hosts_line("127.0.0.1", sshd.port, sshd.host_key)
    assert own.stat().st_mode & 0o077 == 0
    later = ScriptedPrompts(trust="refuse")
    assert _run(SSHPool(sshd.config(trusted=False), later))
    assert later.asked == []


def test_users_known_hosts_is_honoured(sshd: Any, tmp_path: Path) -> None:
    prompts = ScriptedPrompts(trust="refuse")
    config = sshd.config(trusted=True)  # writes ~/.ssh/known_hosts of the test HOME
    assert _run(SSHPool(config, prompts, known_hosts=tmp_path / "empty"))
    assert prompts.asked == []


def test_hashed_known_hosts_entries_match(sshd: Any, tmp_path: Path) -> None:
    known = tmp_path / "kh"
    known.write_text(known_hosts_line("127.0.0.1", sshd.port, sshd.host_key))
    subprocess.run(["ssh-keygen", "-H", "-f", str(known)], capture_output=True, check=True)
    assert known.read_text().startswith("|1|")
    prompts = ScriptedPrompts()
    assert _run(SSHPool(sshd.config(trusted=False), prompts, known_hosts=known))
    assert prompts.asked == []


def test_changed_host_key_is_refused_with_both_fingerprints(sshd: Any, tmp_path: Path) -> None:
    impostor = generate_key(tmp_path / "other_host_key")
    known = tmp_path / "kh"
    known.write_text(known_hosts_line("127.0.0.1", sshd.port, impostor))
    prompts = ScriptedPrompts(trust="always")  # even a trusting operator is not asked
    with pytest.raises(HostKeyChanged) as err:
        _run(SSHPool(sshd.config(trusted=False), prompts, known_hosts=known))
    message = str(err.value)
    assert fingerprint(impostor) in message and fingerprint(sshd.host_key) in message
    assert err.value.exit_code == ExitCode.USAGE
    assert prompts.asked == []
    assert known.read_text().count("\n") == 1  # nothing added


def test_other_key_type_on_record_is_asked_for_first(sshd: Any, tmp_path: Path) -> None:
    """A host known by one key type must be checked with that type, not reported as
    unknown because the server prefers another one."""
    known = tmp_path / "kh"
    known.write_text(known_hosts_line("127.0.0.1", sshd.port, sshd.host_key))
    prompts = ScriptedPrompts()
    pool = SSHPool(sshd.config(trusted=False), prompts, known_hosts=known)
    assert _run(pool)
    assert prompts.asked == []


def _pool_script(tmp_path: Path, sshd: Any) -> str:
    """The start of a `python -c` script with `pool`: an SSHPool on the sshd (host
    "test") that asks its questions with TerminalPrompts, as `aiperm run` does."""
    config = tmp_path / "config.toml"
    config.write_text(sshd.host_toml())
    return (
        "import sys\n"
        "from aiperm_tui.config import load_config\n"
        "from aiperm_tui.ssh import SSHPool, TerminalPrompts\n"
        f"pool = SSHPool(load_config({str(config)!r}), TerminalPrompts())\n"
    )


def test_terminal_prompts_without_a_terminal_refuse(sshd: Any, tmp_path: Path) -> None:
    """Headless with no controlling terminal: the trust question is refused, so the
    connection fails with exit 5 and the fingerprint (run in a new session: no tty)."""
    script = _pool_script(tmp_path, sshd) + (
        "from aiperm_tui.errors import AipermError\n"
        "try:\n"
        "    pool.run('test', 'true', lambda s, d: None)\n"
        "except AipermError as exc:\n"
        "    print(exc); sys.exit(int(exc.exit_code))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parents[2],
        env=dict(os.environ),
    )
    assert proc.returncode == ExitCode.USAGE, proc.stderr
    assert fingerprint(sshd.host_key) in proc.stdout


class FakeTTY(io.StringIO):
    """A terminal: what the operator types is read, what is shown goes to `shown`."""

    def __init__(self, typed: str) -> None:
        super().__init__()
        self.typed = io.StringIO(typed)

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        return self.typed.readline()


def test_terminal_prompts_read_the_answer() -> None:
    from aiperm_tui.ssh import TerminalPrompts

    fp = "SHA256:n32If4GClu5H9sU4Okgbdo2NA+/V9wO3wJOmu+bpYKY"
    for answer, verdict in (
        ("a\n", "refuse"),
        ("always\n", "refuse"),
        ("once\n", "once"),
        ("o\n", "once"),
        ("\n", "refuse"),
        ("yes\n", "refuse"),
        ("", "refuse"),
        ("pYKY\n", "always"),
        ("pykx\n", "refuse"),
    ):
        tty = FakeTTY(answer)
        assert TerminalPrompts(tty).trust_host("h\x1b[2J", 22, "ssh-ed25519", fp) == verdict
        shown = tty.getvalue()
        assert fp in shown and "\x1b" not in shown  # control chars escaped
        assert "+--[ED25519 256]--+" in shown  # the visual key, as ssh-keygen -lv draws it


def test_fingerprint_matches_openssh(tmp_path: Path) -> None:
    for kind in ("ed25519", "ecdsa", "rsa"):
        key = generate_key(tmp_path / kind, kind=kind)
        assert fingerprint(key) == _fingerprint_by_ssh_keygen(tmp_path / f"{kind}.pub")
        assert isinstance(key, paramiko.PKey)


def test_odd_lines_do_not_hide_the_known_key(sshd: Any, tmp_path: Path) -> None:
    """paramiko's loader drops the whole file at the first line it cannot read."""
    other = generate_key(tmp_path / "ca")
    known = tmp_path / "kh"
    known.write_text(
        "# a comment\n\ngarbage\nweb1 ssh-ed25519 not-base64!\n"
        f"@cert-authority *.example.org {other.get_name()} {other.get_base64()}\n"
        + known_hosts_line("127.0.0.1", sshd.port, sshd.host_key)
    )
    prompts = ScriptedPrompts()
    assert _run(SSHPool(sshd.config(trusted=False), prompts, known_hosts=known))
    assert prompts.asked == []


def test_revoked_key_is_refused(sshd: Any, tmp_path: Path) -> None:
    known = tmp_path / "kh"
    line = known_hosts_line("127.0.0.1", sshd.port, sshd.host_key)
    known.write_text(f"@revoked {line}{line}")
    prompts = ScriptedPrompts(trust="always")
    with pytest.raises(HostKeyChanged, match="revoked"):
        _run(SSHPool(sshd.config(trusted=False), prompts, known_hosts=known))
    assert prompts.asked == []


def test_any_of_several_recorded_keys_is_accepted(sshd: Any, tmp_path: Path) -> None:
    old = generate_key(tmp_path / "old_host_key")
    known = tmp_path / "kh"
    known.write_text(
        known_hosts_line("127.0.0.1", sshd.port, old)
        + known_hosts_line("127.0.0.1", sshd.port, sshd.host_key)
    )
    assert _run(SSHPool(sshd.config(trusted=False), ScriptedPrompts(), known_hosts=known))


def _on_a_terminal(
    argv: list[str], answers: dict[bytes, bytes], seconds: float = 30
) -> tuple[int, str]:
    """Run argv with a pseudo-terminal as its controlling terminal; type each answer
    when its prompt shows. Returns the exit code and everything the terminal showed."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: exec at once, nothing else in this forked copy
        os.chdir(Path(__file__).resolve().parents[2])  # the repository: aiperm_tui importable
        os.execv(sys.executable, [sys.executable, *argv])
    shown, pending = b"", dict(answers)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            data = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        shown += data
        for prompt in [p for p in pending if p in shown]:
            os.write(fd, pending.pop(prompt))
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


def test_trust_asked_on_a_real_terminal(sshd: Any, tmp_path: Path) -> None:
    script = _pool_script(tmp_path, sshd) + (
        "res = pool.run('test', 'echo ran-remotely', lambda s, d: print(d.decode(), end=''))\n"
        "sys.exit(res.exit_status)\n"
    )
    code, shown = _on_a_terminal(["-c", script], {b"enter   refuse": b"o\n"})
    assert code == 0, shown
    assert fingerprint(sshd.host_key) in shown and "ran-remotely" in shown
    assert not paths.known_hosts_path().exists()  # "once" records nothing
