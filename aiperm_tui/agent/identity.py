"""Running the agent as a separate Unix account: `[agents.NAME] agent_user = "ACCOUNT"`.

The sandbox hides the operator's files from an agent that runs as the operator's own
user; a separate account adds what the kernel's permission checks give for free, inside
the sandbox or without it: the agent cannot read the operator's 0600 files, cannot
signal the broker or ptrace it, whatever it mounts or escapes.

Switching user needs privilege, so the broker must run as root; it then starts the agent
with the account's uid, gid and supplementary groups (`subprocess.Popen(user=, group=,
extra_groups=)`: setgroups, setregid, setreuid in the child before exec, after which the
parent-death signal is set, since a change of credentials clears it). A broker that is
not root refuses with one line; there is no sudo path (a sudo rule that lets the
operator become the agent account would be one more thing to get right, and root is what
AIShell-Gate's model assumes). Linux only: it is built and tested there.

The agent still talks to the broker on pipes the broker owns. Its socket folder (for
`aiperm ask` and Claude's MCP server, and the network proxy's socket) is made reachable
to the account's primary group only: the folder root-owned 0710, sockets 0660, files
0640 (`share_folder`), in the system's temporary folder rather than root's runtime
folder, which the account cannot enter.
"""

from __future__ import annotations

import os
import pwd
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from aiperm_tui.errors import SecurityError


@dataclass(frozen=True)
class AgentUser:
    """The account the agent runs as: `name`, `uid`, `gid`, supplementary `groups`, and
    its `home` and `shell` for the agent's HOME and SHELL."""

    name: str
    uid: int
    gid: int
    groups: tuple[int, ...]
    home: Path
    shell: str

    def can_reach(self, path: Path) -> bool:
        """Whether this account can read `path` by its mode bits (search on every folder
        on the way, read on the end; ACLs are not consulted). The sandbox binds only
        what it can: bwrap runs as this account and stops at a path it cannot read."""
        real = path.resolve()
        try:
            for folder in (*reversed(real.parents), real):
                info = folder.stat()
                bit = stat.S_IXOTH if folder != real else stat.S_IROTH
                if not self._allowed(info, bit):
                    return False
        except OSError:
            return False
        return True

    def _allowed(self, info: os.stat_result, other_bit: int) -> bool:
        if info.st_uid == self.uid:
            return bool(info.st_mode & (other_bit << 6))
        if info.st_gid == self.gid or info.st_gid in self.groups:
            return bool(info.st_mode & (other_bit << 3))
        return bool(info.st_mode & other_bit)

    def env(self) -> dict[str, str]:
        """The variables naming the user that the agent's environment carries: this
        account's, not the operator's."""
        return {
            "HOME": str(self.home),
            "USER": self.name,
            "LOGNAME": self.name,
            "SHELL": self.shell,
        }


def resolve_agent_user(name: str) -> AgentUser:
    """The account `name`, checked to be usable: on Linux, with a root broker, existing,
    and neither root nor the operator. SecurityError (exit 5), one line naming what is
    needed, otherwise."""
    if not sys.platform.startswith("linux"):
        raise SecurityError(
            f"agent_user = {name!r} is supported on Linux only; remove it from the config"
        )
    if os.geteuid() != 0:
        raise SecurityError(
            f"agent_user = {name!r} needs aiperm to run as root (it starts the agent as "
            f"that account); run aiperm as root, or remove agent_user from the config"
        )
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise SecurityError(
            f"agent_user: there is no account {name!r}: create it "
            f"(useradd --create-home --shell /bin/bash {name}; usermod --password '*' {name})"
        ) from None
    if entry.pw_uid == 0 or entry.pw_uid == os.getuid():
        raise SecurityError(
            f"agent_user = {name!r} is root or the operator: name a separate, unprivileged account"
        )
    groups = tuple(g for g in os.getgrouplist(name, entry.pw_gid) if g != 0)
    return AgentUser(
        name, entry.pw_uid, entry.pw_gid, groups, Path(entry.pw_dir), entry.pw_shell or "/bin/sh"
    )


def share_folder(directory: Path, user: AgentUser) -> None:
    """Let `user` reach the broker's socket folder and what is in it, and no one else
    who could not before: the group becomes the account's primary group; the folder
    0710 (enter, not list), sockets 0660, files 0640. Nothing is given to the account
    itself, so it cannot remove or replace them."""
    os.chown(directory, -1, user.gid)
    os.chmod(directory, 0o710)
    for entry in directory.iterdir():
        info = entry.lstat()
        if stat.S_ISSOCK(info.st_mode):
            os.chown(entry, -1, user.gid, follow_symlinks=False)
            os.chmod(entry, 0o660)
        elif stat.S_ISREG(info.st_mode):
            os.chown(entry, -1, user.gid, follow_symlinks=False)
            os.chmod(entry, 0o640)


def check_runtime(user: AgentUser) -> None:
    """The account must be able to run aiperm's own Python and code (the network relay,
    `aiperm ask`, Claude's MCP server run as the agent); SecurityError (exit 5) naming the
    path otherwise, e.g. a Python under root's 0700 home."""
    package = Path(__file__).resolve().parents[2]
    for path in (Path(sys.executable), package / "aiperm_tui" / "__init__.py"):
        if not user.can_reach(path):
            raise SecurityError(
                f"agent_user = {user.name!r} cannot read {path}, which the agent runs: "
                "install aiperm where that account can read it (e.g. a venv under /opt)"
            )
