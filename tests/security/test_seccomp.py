"""The seccomp filter: its program read by a small classic-BPF interpreter against a
model (hypothesis), then loaded for real by bwrap and tried from inside."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers.bwrap import needs_bwrap
from helpers.fuzz import FUZZ_DEADLINE
from hypothesis import given, settings
from hypothesis import strategies as st

from aiperm_tui.agent import seccomp


def run_filter(arch: int, nr: int, arg1: int) -> int:
    """Execute the compiled program on one seccomp_data, as the kernel would."""
    code = seccomp.compiled()
    insns = [struct.unpack("=HBBI", code[i : i + 8]) for i in range(0, len(code), 8)]
    data = struct.pack("=iIQ6Q", nr, arch, 0, 0, arg1, 0, 0, 0, 0)
    acc, pc = 0, 0
    while True:
        op, jt, jf, k = insns[pc]
        if op == 0x20:
            acc = struct.unpack_from("=I", data, k)[0]
        elif op == 0x06:
            return k
        elif op == 0x15:
            pc += jt if acc == k else jf
        elif op == 0x35:
            pc += jt if acc >= k else jf
        else:
            raise AssertionError(f"unexpected opcode {op:#x}")
        pc += 1


def expected(arch: int, nr: int, arg1: int) -> int:
    known = {a.audit: a for a in (seccomp.X86_64, seccomp.AARCH64)}
    if arch not in known:
        return seccomp.RET_KILL_PROCESS
    spec = known[arch]
    if spec.x32 and nr >= seccomp.X32_SYSCALL_BIT:
        return seccomp.DENY
    if nr in spec.denied.values():
        return seccomp.DENY
    if nr == spec.ioctl and arg1 & 0xFFFFFFFF in seccomp.DENIED_IOCTLS:
        return seccomp.DENY
    return seccomp.RET_ALLOW


ARCHES = st.sampled_from(
    [seccomp.AUDIT_ARCH_X86_64, seccomp.AUDIT_ARCH_AARCH64, 0x40000003, 0x40000028, 0]
)
NUMBERS = st.one_of(
    st.sampled_from([16, 29, 101, 117, 270, 310, 425, 426, 427, 250, 0, 1]),
    st.integers(0, 2**31 - 1),
)
REQUESTS = st.one_of(
    st.sampled_from([seccomp.TIOCSTI, seccomp.TIOCLINUX, 0x5413]),
    st.integers(0, 2**64 - 1),
    st.builds(
        lambda hi, lo: hi << 32 | lo,
        st.integers(1, 2**32 - 1),
        st.sampled_from(seccomp.DENIED_IOCTLS),
    ),
)


@settings(deadline=FUZZ_DEADLINE, max_examples=400)
@given(ARCHES, NUMBERS, REQUESTS)
def test_program_matches_its_model(arch: int, nr: int, arg1: int) -> None:
    assert run_filter(arch, nr, arg1) == expected(arch, nr, arg1)


def test_high_bits_do_not_hide_tiocsti() -> None:
    x86 = seccomp.X86_64
    for request in (seccomp.TIOCSTI, 1 << 32 | seccomp.TIOCSTI, 0xFFFFFFFF00005412):
        assert run_filter(x86.audit, x86.ioctl, request) == seccomp.DENY
    assert run_filter(x86.audit, x86.ioctl, 0x5413) == seccomp.RET_ALLOW  # TIOCGWINSZ


PROBE = textwrap.dedent("""
    import ctypes, errno, fcntl, json, os, pty, termios
    libc = ctypes.CDLL(None, use_errno=True)
    NR = {"x86_64": {"ioctl": 16, "ptrace": 101, "pvr": 310, "uring": 425, "keyctl": 250},
          "aarch64": {"ioctl": 29, "ptrace": 117, "pvr": 270, "uring": 425, "keyctl": 219}}
    nr = NR[os.uname().machine]
    def call(number, *args):
        r = libc.syscall(ctypes.c_long(number), *[ctypes.c_ulong(a) for a in args])
        return "ok" if r >= 0 else errno.errorcode[ctypes.get_errno()]
    master, slave = pty.openpty()  # its own controlling terminal: TIOCSTI works on it
    try:
        os.setsid()
    except OSError:
        pass
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    char = ctypes.addressof(ctypes.c_char(b"x"))
    print(json.dumps({
        "tiocsti": call(nr["ioctl"], slave, termios.TIOCSTI, char),
        "tiocsti_high": call(nr["ioctl"], slave, termios.TIOCSTI | 1 << 32, char),
        "tiocgwinsz": call(nr["ioctl"], slave, termios.TIOCGWINSZ,
                           ctypes.addressof(ctypes.create_string_buffer(8))),
        "ptrace": call(nr["ptrace"], 0, 0, 0, 0),
        "process_vm_readv": call(nr["pvr"], os.getpid(), 0, 0, 0, 0, 0),
        "io_uring_setup": call(nr["uring"], 1, 0),
        "keyctl": call(nr["keyctl"], 0, 0),
        **({"x32": call(0x40000000 | 39)} if os.uname().machine == "x86_64" else {}),
    }))
""")


def _probe(seccomp_on: bool) -> dict[str, str]:
    read, write = os.pipe()
    os.write(write, seccomp.compiled())
    os.close(write)
    extra = ["--seccomp", str(read)] if seccomp_on else []
    try:
        done = subprocess.run(
            [
                "bwrap",
                "--unshare-all",
                "--die-with-parent",
                "--new-session",
                "--ro-bind",
                "/",
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                *extra,
                "--",
                sys.executable,
                "-c",
                PROBE,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            pass_fds=(read,),
            check=False,
        )
    finally:
        os.close(read)
    assert done.returncode == 0, done.stderr
    result: dict[str, str] = json.loads(done.stdout)
    return result


@needs_bwrap
@pytest.mark.timeout(60)
@pytest.mark.skipif(not seccomp.supported(), reason="no filter for this architecture")
def test_filter_denies_inside_bwrap() -> None:
    result = _probe(seccomp_on=True)
    assert result.pop("tiocgwinsz") == "ok"  # the terminal itself still works
    assert set(result.values()) == {"EPERM"}, result


@needs_bwrap
@pytest.mark.timeout(60)
@pytest.mark.skipif(
    Path("/proc/sys/dev/tty/legacy_tiocsti").exists()
    and Path("/proc/sys/dev/tty/legacy_tiocsti").read_text().strip() == "0",
    reason="this kernel has TIOCSTI off for everyone",
)
def test_without_the_filter_tiocsti_works() -> None:
    """The control case: the same probe without --seccomp pushes the key."""
    result = _probe(seccomp_on=False)
    assert result["tiocsti"] == "ok" and result["tiocsti_high"] == "ok"
