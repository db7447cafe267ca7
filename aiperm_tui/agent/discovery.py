"""The running broker's discovery file: how an agent started in another terminal finds it.

A claude started by `aiperm tui` inherits the broker's socket and token in its
environment; a claude (or any shell) started elsewhere has neither. So the broker also
writes `paths.runtime_dir()/current.json` while it runs:

    {"socket": "/run/user/1000/aiperm/broker-x/broker.sock", "token": "...",
     "session": "<session id>", "pid": 4242}

The token is a secret, so the file is trusted only as aiperm itself would write it: in
a 0700 folder the user owns, owned by the current user, mode exactly 0600, naming a pid
that is still alive. Anything else is refused with a reason, never half-used. The most
recently started broker owns the file; a broker removes it on close only while it still
names that broker.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from aiperm_tui import paths
from aiperm_tui.errors import SecurityError, UsageError
from aiperm_tui.session.liveness import alive

FILE_NAME = "current.json"


class BrokerUnavailable(UsageError):
    """No broker to talk to (not running, bad token, session closed): exit 5, nothing ran."""


@dataclass(frozen=True)
class Published:
    """What a running broker published about itself."""

    socket: str
    token: str
    session: str | None
    pid: int


def discovery_path() -> Path:
    """Where the running broker publishes itself."""
    return paths.runtime_dir() / FILE_NAME


def publish(socket_path: Path, token: str, session: str | None) -> Path:
    """Write the discovery file (0600, atomically replaced) for this process's broker."""
    path = discovery_path()
    _own_private_folder(path.parent)
    data = {"socket": str(socket_path), "token": token, "session": session, "pid": os.getpid()}
    temp = path.with_name(f".{FILE_NAME}.{secrets.token_hex(6)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w") as fh:
        os.fchmod(fh.fileno(), 0o600)  # whatever the umask
        json.dump(data, fh)
    os.replace(temp, path)
    return path


def unpublish(token: str) -> None:
    """Remove the file if it still names the broker holding `token` (a broker started
    later has replaced it otherwise, and stays findable)."""
    path = discovery_path()
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text()).get("token") == token:
            path.unlink()


def read_published() -> Published:
    """The running broker's details; BrokerUnavailable, with the reason, when there is no
    file or it cannot be trusted."""
    path = discovery_path()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise BrokerUnavailable(f"no running aiperm broker found ({path} does not exist)") from None
    except OSError as exc:
        raise BrokerUnavailable(f"cannot read {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd) as fh:
        _check_trusted(path, os.fstat(fh.fileno()))
        _check_folder(path.parent)
        try:
            data = json.load(fh)
        except ValueError:
            raise BrokerUnavailable(f"{path} is not valid JSON") from None
    found = _parse(path, data)
    if not alive(found.pid):
        raise BrokerUnavailable(
            f"no running aiperm broker: {path} is stale (pid {found.pid} is gone)"
        )
    return found


def _check_trusted(path: Path, info: os.stat_result) -> None:
    if info.st_uid != os.getuid():
        raise BrokerUnavailable(f"refusing {path}: it is not owned by you")
    if not stat.S_ISREG(info.st_mode) or stat.S_IMODE(info.st_mode) != 0o600:
        raise BrokerUnavailable(
            f"refusing {path}: its mode is {stat.S_IMODE(info.st_mode):04o}, not 0600"
        )


def _check_folder(folder: Path) -> None:
    """The folder must be as `publish` leaves it (ours, 0700, not a symlink): whoever
    else owns or can write to it decides which file sits at that name, for instance an
    old file of ours naming a socket path they have since taken over."""
    try:
        info = folder.lstat()
    except OSError as exc:
        raise BrokerUnavailable(f"cannot check {folder}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise BrokerUnavailable(f"refusing {folder}: it is not a folder (a symlink?)")
    if info.st_uid != os.getuid():
        raise BrokerUnavailable(f"refusing {folder}: the folder is not owned by you")
    if stat.S_IMODE(info.st_mode) != 0o700:
        raise BrokerUnavailable(
            f"refusing {folder}: its mode is {stat.S_IMODE(info.st_mode):04o}, not 0700"
        )


def _parse(path: Path, data: object) -> Published:
    if not isinstance(data, dict):
        raise BrokerUnavailable(f"{path} is not a JSON object")
    socket_path, token, pid = data.get("socket"), data.get("token"), data.get("pid")
    session = data.get("session")
    if not (
        isinstance(socket_path, str)
        and isinstance(token, str)
        and isinstance(pid, int)
        and (session is None or isinstance(session, str))
    ):
        raise BrokerUnavailable(f"{path} lacks socket, token or pid")
    return Published(socket_path, token, session, pid)


def _own_private_folder(folder: Path) -> None:
    """The folder holding the token must be ours and 0700, or we publish nothing."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = folder.lstat()
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
        raise SecurityError(
            f"refusing to write the broker's token into {folder}: it is not a folder you own"
        )
    os.chmod(folder, 0o700)
