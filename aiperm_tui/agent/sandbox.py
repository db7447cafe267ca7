"""The bubblewrap sandbox the agent runs in (`sandbox = "required"`, the default).

The agent is hostile and runs as the operator's own Unix user, so file modes do not
keep it from the operator's keys, the audit key or the broker's terminal. bubblewrap
(`bwrap`, the tool Flatpak and Claude Code's own sandbox use; no root needed where
unprivileged user namespaces are on) gives it a world built by allowlist:

- every namespace new (`--unshare-all`): its own PID namespace and /proc (the broker,
  tmux and the operator's shells are invisible), no network (only what a broker-run
  proxy offers, see docs/network.md), its own IPC and hostname;
- `--new-session` (no controlling terminal: TIOCSTI has nothing to push into),
  `--die-with-parent`, `--clearenv` then only the agent's allowlisted environment, read
  by bwrap from a file descriptor (`--args`) so no value shows in its command line; bwrap
  itself is started with that same environment, since inside it is PID 1 and its
  /proc/1/environ is readable;
- system folders read-only; tmpfs over /tmp, /var/tmp, /run and $HOME; then only the
  project folder and the agent's own state (for claude: ~/.claude, ~/.claude.json)
  read-write, the Python running aiperm and the agent's executable read-only, and the
  broker's socket folder read-only (connecting to a socket needs no write access);
- a seccomp filter (aiperm_tui.agent.seccomp) denying TIOCSTI/TIOCLINUX, ptrace,
  process_vm_*, io_uring and the keyrings.

Nothing aiperm keeps (config, audit key, session logs, discovery file), no ~/.ssh and
no D-Bus, ssh-agent, docker or tmux socket is ever bound: a bind that would contain one
of those is refused (`SandboxError`), so running from $HOME cannot bind $HOME in.

`SandboxSpec` takes extra binds, extra environment and an argv prefix (a wrapper run
inside before the agent), so a network relay can be added without changing this module.
This module uses the standard library only.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import site
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from aiperm_tui.agent import seccomp
from aiperm_tui.agent.identity import AgentUser
from aiperm_tui.errors import UsageError

Level = Literal["required", "off"]
LEVELS: tuple[Level, ...] = ("required", "off")

# Read-only system folders, bound when they exist (a symlink such as /bin -> usr/bin is
# re-created as the same symlink).
SYSTEM_DIRS = (
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/etc",
    "/opt",
    "/nix/store",
)
TMPFS_DIRS = ("/tmp", "/var/tmp", "/run")
# Under $HOME: never bound, and nothing that contains them is bound either.
PRIVATE_HOME_DIRS = (
    ".ssh",
    ".gnupg",
    ".aws",
    ".docker",
    ".kube",
    ".config/gcloud",
    ".password-store",
    ".netrc",
)
PROBE_TIMEOUT = 10.0
RUNTIME_FIX = "install aiperm and the agent outside it (a venv of their own)"


class SandboxError(UsageError):
    """The sandbox cannot be set up: one line naming the cause and the fix (exit 5)."""


@dataclass(frozen=True)
class SandboxSpec:
    """How to sandbox an agent, besides what the agent itself brings (its argv, its
    environment, its project folder). `bwrap` is the probed executable; `sockets` the
    broker's socket folder (bound read-only); `read_only`/`read_write` extra binds; `env`
    extra variables inside; `prefix` a wrapper command run inside before the agent's argv
    (a network relay); `protected` paths no bind may contain (None: aiperm's own
    folders and the operator's credential folders, `protected_paths()`); `user` the
    separate account bwrap runs as (agent_user): the runtime binds it cannot read are
    left out, since bwrap would stop at them (the agent then runs only if it needs none
    of them)."""

    bwrap: str = "bwrap"
    sockets: Path | None = None
    read_only: tuple[Path, ...] = ()
    read_write: tuple[Path, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    prefix: tuple[str, ...] = ()
    protected: tuple[Path, ...] | None = None
    home: Path = field(default_factory=Path.home)
    user: AgentUser | None = None


def agent_state_paths(argv: Sequence[str], home: Path | None = None) -> tuple[Path, ...]:
    """The agent's own state that must survive the session: claude keeps its login and
    settings in ~/.claude and ~/.claude.json. Other agents get none."""
    home = home or Path.home()
    if argv and Path(argv[0]).name == "claude":
        return (home / ".claude", home / ".claude.json")
    return ()


@dataclass(frozen=True)
class Runtime:
    """What the sandbox must hold to run the agent: `folders` bound read-only, `files`
    (scripts named on the agent's command line) bound read-only, and `links` (where a
    symlink sits, what it says) re-created, so that each path the agent is started by
    resolves inside as it does outside (a venv's bin/python -> the base interpreter)."""

    folders: tuple[Path, ...]
    files: tuple[Path, ...]
    links: tuple[tuple[Path, str], ...]


def symlinks_on_the_way(path: Path) -> tuple[list[tuple[Path, str]], Path]:
    """Every symlink met while resolving `path` (where it sits, what it says) and the
    real path at the end, component by component as the kernel does. A loop ends after
    40 links (the kernel's own limit) and leaves the path as far as it got."""
    links: list[tuple[Path, str]] = []
    todo = list(path.absolute().parts[1:])
    current = Path("/")
    while todo:
        part = todo.pop(0)
        if part == "..":
            current = current.parent
            continue
        candidate = current / part
        if not candidate.is_symlink() or len(links) >= 40:
            current = candidate
            continue
        target = os.readlink(candidate)
        links.append((candidate, target))
        if os.path.isabs(target):
            current = Path("/")
        todo = [p for p in Path(target).parts if p not in ("/", ".")] + todo
    return links, current


def runtime_paths(argv: Sequence[str], prefix: Sequence[str] = ()) -> Runtime:
    """What must be readable to run the agent and aiperm's own helpers (`aiperm mcp`, the
    network relay): the Python running aiperm (a venv's prefix and the base interpreter's,
    which may sit under $HOME as with pyenv, or under /tmp; the user site-packages when
    in use), this copy of aiperm (the demo's agent and aiperm's helpers live in it), each
    program started (the agent, the prefix, this Python: see `_program_folders`), and the
    script files named by absolute path on the agent's command line. Each is bound at its
    real path, with the symlinks leading there re-created; nothing under the system
    folders, which are bound whole."""
    links: list[tuple[Path, str]] = []
    folders = [_reach(Path(p), links) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)]
    folders.append(Path(__file__).resolve().parents[2])
    user_site = site.getusersitepackages()
    if site.ENABLE_USER_SITE and user_site in sys.path:
        folders.append(_reach(Path(user_site), links))
    programs = [Path(sys.executable)]
    for first in (argv[:1], prefix[:1]):
        found = shutil.which(first[0]) if first else None
        if found:
            programs.append(Path(found))
    for program in programs:
        folders += _program_folders(program, links)
    files = [_reach(Path(a), links) for a in argv[1:] if os.path.isabs(a) and Path(a).is_file()]
    kept = _outermost([f for f in _unique(folders) if f.is_dir() and not _under_system(f)])
    return Runtime(
        folders=kept,
        files=tuple(f for f in _unique(files) if not _under_system(f) and not _under(f, kept)),
        links=tuple(
            (where, what)
            for where, what in dict.fromkeys(links)
            if not _under_system(where.parent) and not _under(where, kept)
        ),
    )


def _reach(path: Path, links: list[tuple[Path, str]]) -> Path:
    """The real path of `path`; the symlinks on the way are added to `links`."""
    met, real = symlinks_on_the_way(path)
    links.extend(met)
    return real


def _program_folders(program: Path, links: list[tuple[Path, str]]) -> list[Path]:
    """The real folders a program needs: its own; the venv it sits in (a `bin` beside
    `pyvenv.cfg`, found from the path it is started by or any symlink on the way: Python
    takes its prefix from there); a Python's own prefix (its standard library); and the
    same for the interpreter its `#!` line names (through /usr/bin/env too), a few levels
    deep."""
    folders: list[Path] = []
    todo, seen = [program], set[Path]()
    while todo and len(seen) < 8:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        met, real = symlinks_on_the_way(current)
        links.extend(met)
        folders.append(real.parent)
        if real.parent.name == "bin" and re.fullmatch(r"python[0-9.]*", real.name):
            folders.append(real.parent.parent)
        for hop in (current.absolute(), *(where for where, _ in met), real):
            if hop.parent.name == "bin" and (hop.parent.parent / "pyvenv.cfg").is_file():
                folders.append(_reach(hop.parent.parent, links))
        interpreter = _interpreter(real)
        if interpreter is not None:
            todo.append(interpreter)
    return folders


def _interpreter(program: Path) -> Path | None:
    """The interpreter a script's `#!` line names, through `env` (looked up on PATH)."""
    try:
        with program.open("rb") as fh:
            first = fh.readline(512)
    except OSError:
        return None
    words = first[2:].decode(errors="replace").split() if first.startswith(b"#!") else []
    if words and Path(words[0]).name == "env":
        words = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        found = shutil.which(words[0]) if words else None
        return Path(found) if found else None
    return Path(words[0]) if words and os.path.isabs(words[0]) else None


def _readable_by(runtime: Runtime, user: AgentUser) -> Runtime:
    return Runtime(
        folders=tuple(f for f in runtime.folders if user.can_reach(f)),
        files=tuple(f for f in runtime.files if user.can_reach(f)),
        links=tuple((w, t) for w, t in runtime.links if user.can_reach(w.parent)),
    )


def _under(path: Path, folders: Sequence[Path]) -> bool:
    """Whether `path` (as written, not resolved) lies in one of `folders`."""
    return any(path == f or f in path.parents for f in folders)


def _outermost(folders: Sequence[Path]) -> tuple[Path, ...]:
    """`folders` without those inside another: a second bind inside the first is
    needless."""
    return tuple(f for f in folders if not any(o != f and o in f.parents for o in folders))


def protected_paths(home: Path | None = None) -> tuple[Path, ...]:
    """aiperm's own folders (config and audit key, session logs, discovery file), the
    audit key wherever `$AIPERM_AUDIT_KEY_FILE` puts it (with its retired keys beside
    it), and the operator's credential folders: no bind may contain any of them."""
    from aiperm_tui import paths

    home = home or Path.home()
    return (
        paths.config_dir(),
        paths.key_path(),
        paths.key_path().parent / "audit-keys",
        paths.data_dir(),
        paths.runtime_dir(),
        *(home / name for name in PRIVATE_HOME_DIRS),
    )


def _unique(items: Iterator[Path] | Sequence[Path]) -> tuple[Path, ...]:
    return tuple(dict.fromkeys(items))


def _under_system(path: Path) -> bool:
    real = path.resolve()
    return any(
        real == Path(d) or Path(d) in real.parents
        for d in SYSTEM_DIRS
        if Path(d).is_dir() and not Path(d).is_symlink()
    )


def _contains(outer: Path, inner: Path) -> bool:
    outer, inner = outer.resolve(), inner.resolve()
    return outer == inner or outer in inner.parents


def live_sockets(environ: Mapping[str, str] | None = None) -> tuple[Path, ...]:
    """The operator's agent, bus and multiplexer sockets this broker can name (from its
    own environment, which the agent never sees): no bind may contain one, wherever it
    sits (an ssh-agent socket in a folder under /tmp that holds a checkout, say)."""
    environ = os.environ if environ is None else environ
    found = [
        Path(f"{environ.get('TMUX_TMPDIR') or '/tmp'}/tmux-{os.getuid()}"),
        Path("/run/docker.sock"),
        Path("/var/run/docker.sock"),
    ]
    named = {
        "SSH_AUTH_SOCK": environ.get("SSH_AUTH_SOCK", ""),
        "TMUX": environ.get("TMUX", "").split(",")[0],
        "XDG_RUNTIME_DIR": environ.get("XDG_RUNTIME_DIR", ""),
        "DBUS_SESSION_BUS_ADDRESS": environ.get("DBUS_SESSION_BUS_ADDRESS", ""),
        "DOCKER_HOST": environ.get("DOCKER_HOST", ""),
    }
    for value in named.values():
        for text in value.split(";"):
            path = text.split("path=", 1)[-1].split(",")[0].removeprefix("unix://")
            if os.path.isabs(path):
                found.append(Path(path))
    return _unique(found)


def check_bind(
    path: Path, spec: SandboxSpec, fix: str = "run aiperm from the project's own folder"
) -> None:
    """Refuse a bind that would hand the agent one of the protected folders or sockets:
    one that contains one, or lies inside one, or is a whole folder the sandbox replaces
    ($HOME, /, /tmp, /var/tmp, /run: other sessions' sockets live there). `fix` ends the
    error line."""
    homes = _unique([spec.home, Path.home()])  # the agent's (agent_user) and the operator's
    wholes = (*homes, Path("/"), *(Path(d) for d in TMPFS_DIRS))
    if any(path.resolve() == whole.resolve() for whole in wholes):
        raise SandboxError(
            f"will not bind {path} into the agent's sandbox (the whole home, root or a "
            f"temporary folder); {fix}"
        )
    protected = protected_paths(spec.home) if spec.protected is None else spec.protected
    private = (*protected, *(home / n for home in homes for n in PRIVATE_HOME_DIRS))
    for secret in (*private, *live_sockets()):
        if _contains(path, secret):
            raise SandboxError(
                f"will not bind {path} into the agent's sandbox: it contains {secret}; {fix}"
            )
    for secret in private:
        if _contains(secret, path):
            raise SandboxError(
                f"will not bind {path} into the agent's sandbox: it lies in {secret}; {fix}"
            )


def _system_args() -> list[str]:
    args: list[str] = []
    for name in SYSTEM_DIRS:
        path = Path(name)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), name]
        elif path.is_dir():
            args += ["--ro-bind", name, name]
    return args


def _bind_args(
    spec: SandboxSpec, argv: Sequence[str], project: Path, state: tuple[Path, ...]
) -> list[str]:
    runtime = runtime_paths(argv, spec.prefix)
    if spec.user is not None:
        runtime = _readable_by(runtime, spec.user)
    writable = (project, *spec.read_write, *state)
    args: list[str] = []
    for path in runtime.folders:
        check_bind(path, spec, RUNTIME_FIX)
        args += ["--ro-bind-try", str(path), str(path)]
    for path in runtime.files:
        if not _under(path, writable):
            check_bind(path, spec, "name a script outside it")
            args += ["--ro-bind", str(path), str(path)]
    for path in spec.read_only:
        check_bind(path, spec)
        args += ["--ro-bind-try", str(path), str(path)]
    for path in (project, *spec.read_write):
        check_bind(path, spec)
        args += ["--bind", str(path), str(path)]
    for path in state:
        check_bind(path, spec)
        args += ["--bind-try", str(path), str(path)]
    if spec.sockets is not None:
        args += ["--ro-bind", str(spec.sockets), str(spec.sockets)]
    for where, what in runtime.links:
        if not _under(where, writable):
            args += ["--symlink", what, str(where)]
    return args


def env_args(spec: SandboxSpec, env: Mapping[str, str]) -> list[str]:
    """The `--setenv NAME VALUE` options for the agent's environment (`env` plus
    `spec.env`); bwrap reads them from a file descriptor (`--args`), so the socket token
    and the agent's API key never show in bwrap's /proc/<pid>/cmdline."""
    args: list[str] = []
    for key, value in {**env, **spec.env}.items():
        args += ["--setenv", key, value]
    return args


def bwrap_command(
    spec: SandboxSpec,
    argv: Sequence[str],
    *,
    project: Path,
    seccomp_fd: int,
    env_fd: int,
    state: tuple[Path, ...] = (),
) -> list[str]:
    """The full command line: bwrap, its options, then the prefix and the agent.
    `env_fd` holds `env_args` (NUL-separated); `project` is the agent's read-write working
    folder; `state` its own state files (bound when they exist)."""
    project = project.resolve()
    args = [
        spec.bwrap,
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--clearenv",
        "--args",
        str(env_fd),
    ]
    args += _system_args()
    args += ["--proc", "/proc", "--dev", "/dev"]
    for name in TMPFS_DIRS:
        args += ["--tmpfs", name]
    args += ["--tmpfs", str(spec.home)]
    args += _bind_args(spec, argv, project, state)
    args += ["--chdir", str(project), "--seccomp", str(seccomp_fd), "--", *spec.prefix, *argv]
    return args


def data_fd(data: bytes) -> int:
    """A file descriptor to read `data` from, whatever its size (an anonymous file, so a
    large environment cannot fill a pipe before bwrap reads it). The caller passes it to
    the child (pass_fds) and closes it after the spawn."""
    fd = os.memfd_create("aiperm-sandbox", os.MFD_CLOEXEC)
    try:
        os.write(fd, data)
        os.lseek(fd, 0, os.SEEK_SET)
    except OSError:
        os.close(fd)
        raise
    return fd


@dataclass(frozen=True)
class Launch:
    """A sandboxed command ready to spawn: `argv`, and `fds` to pass to it (then close)."""

    argv: list[str]
    fds: tuple[int, ...]


def prepare(
    spec: SandboxSpec,
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    project: Path,
    state: tuple[Path, ...] = (),
) -> Launch:
    """Everything to start `argv` in the sandbox: the seccomp filter and the environment
    on file descriptors, the bwrap command line naming them."""
    seccomp_fd = data_fd(seccomp.compiled())
    try:
        env_fd = data_fd(b"".join(a.encode() + b"\0" for a in env_args(spec, env)))
    except OSError:
        os.close(seccomp_fd)
        raise
    try:
        command = bwrap_command(
            spec, argv, project=project, seccomp_fd=seccomp_fd, env_fd=env_fd, state=state
        )
    except BaseException:
        os.close(seccomp_fd)
        os.close(env_fd)
        raise
    return Launch(command, (seccomp_fd, env_fd))


# --- probing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """One probed layer: whether it works, and if not what to do."""

    name: str
    ok: bool
    detail: str


FIX_BWRAP = (
    "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: "
    "dnf install bubblewrap; Arch: pacman -S bubblewrap)"
)


def userns_fix() -> str:
    """The fix for user namespaces that bwrap cannot create, naming this machine's knob."""
    apparmor = Path("/proc/sys/kernel/apparmor_restrict_unprivileged_userns")
    with contextlib.suppress(OSError, ValueError):
        if int(apparmor.read_text()) == 1:
            return (
                "Ubuntu's AppArmor restricts unprivileged user namespaces: add an "
                "AppArmor profile for /usr/bin/bwrap allowing `userns` (see "
                "docs/trust-model.md) or `sysctl kernel.apparmor_restrict_"
                "unprivileged_userns=0`"
            )
    clone = Path("/proc/sys/kernel/unprivileged_userns_clone")
    with contextlib.suppress(OSError, ValueError):
        if int(clone.read_text()) == 0:
            return "sysctl kernel.unprivileged_userns_clone=1"
    with contextlib.suppress(OSError, ValueError):
        if int(Path("/proc/sys/user/max_user_namespaces").read_text()) == 0:
            return "sysctl user.max_user_namespaces=15000"
    return (
        "enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, "
        "user.max_user_namespaces; on Ubuntu 24.04 the AppArmor bwrap profile)"
    )


def _run_bwrap(bwrap: str, extra: Sequence[str], inner: Sequence[str]) -> tuple[int, str]:
    command = [
        bwrap,
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        *_system_args(),
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        *extra,
        "--",
        *inner,
    ]
    fd = data_fd(seccomp.compiled()) if "--seccomp" in extra else None
    if fd is not None:
        command[command.index("--seccomp") + 1] = str(fd)
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            env={"PATH": "/usr/bin:/bin"},
            stdin=subprocess.DEVNULL,
            pass_fds=() if fd is None else (fd,),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 127, str(exc)
    finally:
        if fd is not None:
            os.close(fd)
    lines = done.stderr.strip().splitlines()
    return done.returncode, lines[-1] if lines else f"exit status {done.returncode}"


def probe_sandbox(bwrap: str | None = None) -> list[Layer]:
    """Try each layer of the sandbox for real; stops at the first that fails, since the
    next ones need it."""
    if sys.platform != "linux":
        return [
            Layer(
                "bwrap",
                False,
                "the agent sandbox is built on Linux only (macOS "
                "sandbox-exec is not supported yet): use --sandbox off, knowingly",
            )
        ]
    found = bwrap or shutil.which("bwrap")
    if not found:
        return [Layer("bwrap", False, f"bwrap not found: {FIX_BWRAP}")]
    layers = [Layer("bwrap", True, found)]
    code, said = _run_bwrap(found, [], ["/bin/true"])
    if code != 0:
        return [
            *layers,
            Layer(
                "user namespaces",
                False,
                f"bwrap cannot create its namespaces ({said}): {userns_fix()}",
            ),
        ]
    layers.append(Layer("user namespaces", True, "bwrap made a new namespace of each kind"))
    if not seccomp.supported():
        return [*layers, Layer("seccomp", False, "no seccomp filter for this architecture")]
    code, said = _run_bwrap(found, ["--seccomp", "FD"], ["/bin/true"])
    layers.append(
        Layer(
            "seccomp",
            code == 0,
            "filter loaded" if code == 0 else f"the filter did not load ({said})",
        )
    )
    return layers


def require_sandbox(bwrap: str | None = None) -> str:
    """The bwrap to use; SandboxError (exit 5) with the cause and the fix otherwise."""
    layers = probe_sandbox(bwrap)
    failed = next((layer for layer in layers if not layer.ok), None)
    if failed is not None:
        raise SandboxError(
            f"cannot isolate the agent: {failed.detail} (or run with "
            "--sandbox off, and the agent is not isolated)"
        )
    return layers[0].detail
