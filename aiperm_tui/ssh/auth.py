"""Public-key authentication with the operator's local keys: ssh-agent, then key files.

The agent comes first (as with OpenSSH): hardware keys and password managers live there,
and a key already unlocked in the agent should not cost a passphrase prompt. Then the
host's identity files, or the usual ~/.ssh/id_* when none is named. An encrypted file
asks `Prompts.passphrase`; the passphrase is used for that one decryption and dropped,
never logged or kept. Agent forwarding is never requested.

The unlocked key itself is kept in memory (`KeyCache`, one per SSH pool, so one per
session) so that a reconnect, or a second host using the same key, does not ask for the
passphrase again, like a one-session ssh-agent of our own. It is never written anywhere
and never leaves the broker process: the agent is a separate process with no way into
it. A key file that changes on disk (other inode, size or mtime) is read again.
"""

from __future__ import annotations

import base64
import os
import threading
from pathlib import Path

import paramiko

from aiperm_tui.ssh.base import AuthFailed, ConnectFailed, Prompts
from aiperm_tui.ssh.hosts import Target

DEFAULT_KEYS = ("id_ed25519", "id_ecdsa", "id_rsa")
PASSPHRASE_TRIES = 3


def _default_files() -> tuple[str, ...]:
    ssh_dir = Path.home() / ".ssh"
    return tuple(str(ssh_dir / n) for n in DEFAULT_KEYS if (ssh_dir / n).is_file())


class KeyCache:
    """Keys unlocked during this session, by the identity of their file (see the module
    docstring). Thread-safe; `clear` drops them all (the pool does on close)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[tuple[str, int, int, int, int], paramiko.PKey] = {}

    @staticmethod
    def _stamp(path: str) -> tuple[str, int, int, int, int] | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return (path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)

    def get(self, path: str) -> paramiko.PKey | None:
        stamp = self._stamp(path)
        with self._lock:
            return self._keys.get(stamp) if stamp else None

    def put(self, path: str, key: paramiko.PKey) -> None:
        stamp = self._stamp(path)
        if stamp is not None:
            with self._lock:
                self._keys = {k: v for k, v in self._keys.items() if k[0] != path}
                self._keys[stamp] = key

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._keys)


def load_key_file(
    path: str, prompts: Prompts, notes: list[str], cache: KeyCache | None = None
) -> paramiko.PKey | None:
    """The private key in `path`, asking for its passphrase when it is encrypted (once a
    session when `cache` is given); None (with a note saying why) when it cannot be used."""
    cached = cache.get(path) if cache is not None else None
    if cached is not None:
        return cached
    key = _read_key_file(path, prompts, notes)
    if key is not None and cache is not None:
        cache.put(path, key)
    return key


def _read_key_file(path: str, prompts: Prompts, notes: list[str]) -> paramiko.PKey | None:
    try:
        return paramiko.PKey.from_path(path)
    except (paramiko.PasswordRequiredException, TypeError):
        pass  # encrypted: paramiko 5 lets cryptography's TypeError through for that
    except (OSError, paramiko.SSHException, ValueError) as exc:
        notes.append(f"{path} (unreadable: {type(exc).__name__})")
        return None
    for _ in range(PASSPHRASE_TRIES):
        secret = prompts.passphrase(path)
        if not secret:
            notes.append(f"{path} (passphrase not given)")
            return None
        try:
            # bytes: paramiko's b() takes them as they are (its annotation says str)
            return paramiko.PKey.from_path(path, secret.encode())  # type: ignore[arg-type]
        except (paramiko.SSHException, ValueError):
            continue  # wrong passphrase: ask again
        finally:
            del secret
    notes.append(f"{path} (wrong passphrase)")
    return None


def _agent_keys(use_agent: bool) -> tuple[paramiko.Agent | None, list[paramiko.AgentKey]]:
    if not use_agent or not os.environ.get("SSH_AUTH_SOCK"):
        return None, []
    try:
        agent = paramiko.Agent()
    except paramiko.SSHException:
        return None, []
    return agent, list(agent.get_keys())


def _offer(transport: paramiko.Transport, user: str, key: paramiko.PKey) -> bool:
    """True when the server accepted `key` and needs nothing more."""
    try:
        remaining = transport.auth_publickey(user, key)
    except paramiko.AuthenticationException:
        return False
    except (paramiko.SSHException, EOFError, OSError) as exc:
        raise ConnectFailed(f"connection dropped during authentication: {exc}") from None
    if remaining:
        raise AuthFailed(
            f"the server wants more than a key ({', '.join(remaining)}); "
            "aiperm supports public-key authentication only"
        )
    return True


def _public_blob(path: str) -> bytes | None:
    """The public half of an identity file, from PATH.pub (readable without a passphrase)."""
    try:
        return base64.b64decode(Path(f"{path}.pub").read_text().split()[1], validate=True)
    except (OSError, IndexError, ValueError):
        return None


def _agent_order(agent_keys: list[paramiko.AgentKey], files: list[str]) -> list[paramiko.AgentKey]:
    """The agent's copies of the host's identity files first, as OpenSSH does: a server
    allowing few attempts (MaxAuthTries) must not see every other agent key before them."""
    wanted = {b for b in map(_public_blob, files) if b is not None}
    return sorted(agent_keys, key=lambda k: k.asbytes() not in wanted)


def authenticate(
    transport: paramiko.Transport,
    target: Target,
    prompts: Prompts,
    use_agent: bool,
    cache: KeyCache | None = None,
) -> None:
    """Try the agent's keys, then the key files the agent does not hold (no passphrase
    prompt for a key the agent already offered); `AuthFailed` naming what was tried."""
    notes: list[str] = []
    files = list(target.identity_files or _default_files())
    agent, agent_keys = _agent_keys(use_agent)
    offered = {k.asbytes() for k in agent_keys}
    try:
        for key in _agent_order(agent_keys, files):
            if _offer(transport, target.user, key):
                return
            notes.append(f"agent key {key.get_name()} (rejected)")
        for path in files:
            if _public_blob(path) in offered:
                continue  # the agent's copy was just refused
            file_key = load_key_file(path, prompts, notes, cache)
            if file_key is None:
                continue
            if _offer(transport, target.user, file_key):
                return
            notes.append(f"{path} (rejected)")
    finally:
        if agent is not None:
            agent.close()
    tried = "; ".join(notes) or "no keys found (no agent, no identity file)"
    raise AuthFailed(
        f"{target.user}@{target.hostname}:{target.port}: authentication failed; tried: {tried}"
    )
