"""The seccomp filter bubblewrap loads into the sandboxed agent (`bwrap --seccomp FD`).

A classic BPF program built here with `struct`, because the one well-kept binding
(libseccomp's `seccomp` module) is not on PyPI and the program is small enough to read
in full. It denies, with EPERM, the system calls that would let the agent act on the
broker or the operator's terminal from inside its namespaces:

- `ioctl(_, TIOCSTI)`, `ioctl(_, TIOCLINUX)`: push keystrokes into a terminal
  (TIOCLINUX: paste the console selection);
- `ptrace`, `process_vm_readv`, `process_vm_writev`: read or change another process;
- `io_uring_setup/enter/register`: io_uring runs system calls seccomp never sees;
- `add_key`, `request_key`, `keyctl`: the kernel keyrings are per uid, not per namespace;
- `perf_event_open`: side channels into other processes.

The ioctl request is compared on its low 32 bits only (the kernel's `ioctl` takes an
`unsigned int`), so `TIOCSTI | 1 << 32` cannot slip past. The architecture is checked
first: x86_64 and aarch64 are known; any other (i386 through `int 0x80` on x86_64,
arm32 on aarch64) kills the process, and x32 system call numbers (bit 30) are denied.
"""

from __future__ import annotations

import errno
import platform
import struct
from dataclasses import dataclass

# BPF opcodes (linux/filter.h)
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K

# seccomp return values (linux/seccomp.h)
RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000
RET_ALLOW = 0x7FFF0000
DENY = RET_ERRNO | errno.EPERM

# offsets in struct seccomp_data: nr, arch, instruction_pointer, args[6] (little endian)
_NR, _ARCH, _ARG1_LOW = 0, 4, 16 + 8 * 1

AUDIT_ARCH_X86_64 = 0xC000003E
AUDIT_ARCH_AARCH64 = 0xC00000B7
X32_SYSCALL_BIT = 0x40000000

TIOCSTI = 0x5412
TIOCLINUX = 0x541C
DENIED_IOCTLS = (TIOCSTI, TIOCLINUX)


@dataclass(frozen=True)
class Arch:
    """The system call numbers this filter needs on one architecture."""

    audit: int
    ioctl: int
    denied: dict[str, int]
    x32: bool  # the architecture has an x32 ABI to deny


X86_64 = Arch(
    AUDIT_ARCH_X86_64,
    16,
    {
        "ptrace": 101,
        "process_vm_readv": 310,
        "process_vm_writev": 311,
        "io_uring_setup": 425,
        "io_uring_enter": 426,
        "io_uring_register": 427,
        "add_key": 248,
        "request_key": 249,
        "keyctl": 250,
        "perf_event_open": 298,
    },
    x32=True,
)
AARCH64 = Arch(
    AUDIT_ARCH_AARCH64,
    29,
    {
        "ptrace": 117,
        "process_vm_readv": 270,
        "process_vm_writev": 271,
        "io_uring_setup": 425,
        "io_uring_enter": 426,
        "io_uring_register": 427,
        "add_key": 217,
        "request_key": 218,
        "keyctl": 219,
        "perf_event_open": 241,
    },
    x32=False,
)
ARCHES = {"x86_64": X86_64, "amd64": X86_64, "aarch64": AARCH64, "arm64": AARCH64}

_Insn = tuple[int, int, int, int]


def _stmt(code: int, k: int) -> _Insn:
    return (code, 0, 0, k)


def _jump(code: int, k: int, jt: int, jf: int) -> _Insn:
    return (code, jt, jf, k)


def _arch_block(arch: Arch) -> list[_Insn]:
    """The checks for one architecture, the system call number already loaded; every
    path ends in a return, so blocks can follow one another."""
    out: list[_Insn] = []
    if arch.x32:
        out += [_jump(_JGE_K, X32_SYSCALL_BIT, 0, 1), _stmt(_RET_K, DENY)]
    for number in arch.denied.values():
        out += [_jump(_JEQ_K, number, 0, 1), _stmt(_RET_K, DENY)]
    out += [_jump(_JEQ_K, arch.ioctl, 1, 0), _stmt(_RET_K, RET_ALLOW), _stmt(_LD_W_ABS, _ARG1_LOW)]
    for request in DENIED_IOCTLS:
        out += [_jump(_JEQ_K, request, 0, 1), _stmt(_RET_K, DENY)]
    out.append(_stmt(_RET_K, RET_ALLOW))
    return out


def program(arches: tuple[Arch, ...] = (X86_64, AARCH64)) -> list[_Insn]:
    """The filter as (code, jt, jf, k) instructions: dispatch on the architecture, kill on
    an unknown one."""
    blocks = [_arch_block(arch) for arch in arches]
    out: list[_Insn] = [_stmt(_LD_W_ABS, _ARCH)]
    # One jump per known architecture to its block, then the kill for any other.
    offset = len(arches)  # instructions between the first jump's successor and block 0
    for index, arch in enumerate(arches):
        distance = offset - index + sum(len(b) + 1 for b in blocks[:index])
        out.append(_jump(_JEQ_K, arch.audit, distance, 0))
    out.append(_stmt(_RET_K, RET_KILL_PROCESS))
    for block in blocks:
        out.append(_stmt(_LD_W_ABS, _NR))
        out += block
    return out


def compiled(arches: tuple[Arch, ...] = (X86_64, AARCH64)) -> bytes:
    """The filter in the form `bwrap --seccomp` reads: an array of struct sock_filter."""
    return b"".join(struct.pack("=HBBI", code, jt, jf, k) for code, jt, jf, k in program(arches))


def supported() -> bool:
    """Whether this machine's architecture is one the filter knows."""
    return platform.machine().lower() in ARCHES
