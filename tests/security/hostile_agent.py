"""A hostile agent: tries every way around the broker that issue 14 lists, and more.

Run as an agent (standard library only, so any Python can run it, inside the sandbox or
not): `python hostile_agent.py TARGETS.json`. TARGETS names the broker's pid, the files
it must not read (audit key, ssh keys, identity_file, discovery file, a session log), the
sockets it must not reach (ssh-agent, tmux), a TCP address (the test sshd) and where to
write the report. The report maps each attack to "ok: ..." (it worked: the broker was
got around) or "blocked: ..." (why not). It also prints it as one chatter line.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import socket
import struct
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TIOCSTI = 0x5412
PTRACE_ATTACH, PTRACE_DETACH = 16, 17
WALL = 0x40000000  # __WALL: wait for a traced process that is not our child
SYS_IOCTL = {"x86_64": 16, "aarch64": 29}
SYS_PTRACE = {"x86_64": 101, "aarch64": 117}
LEAKY_ENV = (
    "TMUX",
    "TMUX_PANE",
    "STY",
    "SSH_AUTH_SOCK",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "DBUS_SESSION_BUS_ADDRESS",
    "GPG_AGENT_INFO",
    "XDG_RUNTIME_DIR",
    "AIPERM_AUDIT_KEY",
    "AIPERM_AUDIT_KEY_FILE",
    "AIPERM_CONFIG",
    "AIPERM_DATA_DIR",
    "OPERATOR_SECRET",
)

libc = ctypes.CDLL(None, use_errno=True)


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"blocked: {errno.errorcode.get(exc.errno, exc.errno)}"
    return f"blocked: {type(exc).__name__}: {exc}"


def _syscall(number: int, *args: int) -> int:
    result = libc.syscall(ctypes.c_long(number), *[ctypes.c_ulong(a) for a in args])
    if result < 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return int(result)


def env_leak(t: dict[str, Any]) -> str:
    leaked = sorted(name for name in LEAKY_ENV if name in os.environ)
    return f"ok: {leaked}" if leaked else "blocked: none of the operator's variables"


def proc_environ(t: dict[str, Any]) -> str:
    data = Path(f"/proc/{t['broker_pid']}/environ").read_bytes()
    return f"ok: {len(data)} bytes" if data else "blocked: empty"


def proc_mem(t: dict[str, Any]) -> str:
    pid = t["broker_pid"]
    first = Path(f"/proc/{pid}/maps").read_text().split("\n", 1)[0]
    start = int(first.split("-", 1)[0], 16)
    with open(f"/proc/{pid}/mem", "rb") as mem:
        mem.seek(start)
        return f"ok: read {len(mem.read(16))} bytes"


def proc_fd(t: dict[str, Any]) -> str:
    """Paint the broker's screen: open its terminal (or stdout) through /proc."""
    errors = []
    for fd in (0, 1, 2):
        try:
            with open(f"/proc/{t['broker_pid']}/fd/{fd}", "wb"):
                return f"ok: the broker's fd {fd} is open for writing"
        except OSError as exc:
            errors.append(errno.errorcode.get(exc.errno or 0, "?"))
    return f"blocked: {sorted(set(errors))}"


def proc_root(t: dict[str, Any]) -> str:
    entries = os.listdir(f"/proc/{t['broker_pid']}/root")
    return f"ok: {len(entries)} entries"


def ptrace(t: dict[str, Any]) -> str:
    number = SYS_PTRACE[os.uname().machine]
    _syscall(number, PTRACE_ATTACH, t["broker_pid"], 0, 0)
    os.waitpid(t["broker_pid"], WALL)  # the attach stops it: let it go again
    _syscall(number, PTRACE_DETACH, t["broker_pid"], 0, 0)
    return "ok: attached"


def signal_broker(t: dict[str, Any]) -> str:
    os.kill(t["broker_pid"], 0)  # SIGSTOP would freeze it: proving it could is enough
    return "ok: the broker can be signalled"


def proc_scan(t: dict[str, Any]) -> str:
    """Other processes of the operator: their environment names the ssh-agent."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            data = Path(f"/proc/{entry}/environ").read_bytes()
        except OSError:
            continue
        if b"SSH_AUTH_SOCK=" in data or b"AIPERM_AUDIT_KEY_FILE=" in data:
            return f"ok: pid {entry} shows the operator's environment"
    return "blocked: no other process's environment readable"


def read_file(path: str) -> Callable[[dict[str, Any]], str]:
    def attack(t: dict[str, Any]) -> str:
        return f"ok: {len(Path(path).read_bytes())} bytes"

    return attack


def alter_log(t: dict[str, Any]) -> str:
    with open(t["session_log"], "ab") as log:
        log.write(b"")
    return "ok: the session log is open for appending"


def dev_tty(t: dict[str, Any]) -> str:
    os.close(os.open("/dev/tty", os.O_RDWR))
    return "ok: /dev/tty opened"


def _terminals(t: dict[str, Any]) -> list[int]:
    fds = [0, 1, 2]
    for path in ("/dev/tty", f"/proc/{t['broker_pid']}/fd/0"):
        try:
            fds.append(os.open(path, os.O_RDWR | os.O_NOCTTY))
        except OSError:
            continue
    return fds


def _tiocsti(t: dict[str, Any], request: int) -> str:
    errors = []
    for fd in _terminals(t):
        try:
            _syscall(
                SYS_IOCTL[os.uname().machine], fd, request, ctypes.addressof(ctypes.c_char(b" "))
            )
            return f"ok: a key pushed into fd {fd}"
        except OSError as exc:
            errors.append(errno.errorcode.get(exc.errno or 0, "?"))
    return f"blocked: {sorted(set(errors))}"


def tiocsti(t: dict[str, Any]) -> str:
    return _tiocsti(t, TIOCSTI)


def tiocsti_high_bits(t: dict[str, Any]) -> str:
    return _tiocsti(t, TIOCSTI | 1 << 32)


def ssh_agent(t: dict[str, Any]) -> str:
    with socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(5)
        conn.connect(t["ssh_agent"])
        conn.sendall(struct.pack(">IB", 1, 11))  # SSH2_AGENTC_REQUEST_IDENTITIES
        reply = conn.recv(5)
        return f"ok: the agent answered type {reply[4]}" if len(reply) == 5 else "blocked: ?"


def tmux(t: dict[str, Any]) -> str:
    with socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(5)
        conn.connect(t["tmux"])
        return "ok: connected to the tmux server"


def tcp(t: dict[str, Any]) -> str:
    with socket.create_connection((t["tcp_host"], t["tcp_port"]), timeout=5) as conn:
        return f"ok: {conn.recv(64)[:20]!r}"


def _targets(path: Path) -> dict[str, Any]:
    """The targets, once the broker has written them (under `aiperm tui` it writes them
    after it started, since only then is its pid known)."""
    deadline = time.monotonic() + 60
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"hostile agent: no targets at {path}")
        time.sleep(0.02)
    found: dict[str, Any] = json.loads(path.read_text())
    return found


def main() -> None:
    targets = _targets(Path(sys.argv[1]))
    attacks: dict[str, Callable[[dict[str, Any]], str]] = {
        "env_leak": env_leak,
        "proc_environ": proc_environ,
        "proc_mem": proc_mem,
        "proc_fd": proc_fd,
        "proc_root": proc_root,
        "ptrace": ptrace,
        "signal_broker": signal_broker,
        "proc_scan": proc_scan,
        "alter_log": alter_log,
        "dev_tty": dev_tty,
        "tiocsti": tiocsti,
        "tiocsti_high_bits": tiocsti_high_bits,
        "ssh_agent": ssh_agent,
        "tmux": tmux,
        "tcp": tcp,
    }
    for name, path in targets["files"].items():
        attacks[f"read_{name}"] = read_file(path)
    report = {}
    for name, attack in attacks.items():
        try:
            report[name] = attack(targets)
        except Exception as exc:  # every failure is a result here
            report[name] = _why(exc)
    text = json.dumps(report, sort_keys=True)
    staged = Path(targets["report"] + ".part")
    staged.write_text(text)
    staged.rename(targets["report"])  # whole, for a broker that watches for it
    print(f"hostile report {text}", flush=True)


if __name__ == "__main__":
    main()
