"""Where aiperm keeps its files.

| what | default (CONFIG = user config folder) | override |
|---|---|---|
| config file | CONFIG/config.toml | `--config PATH`, then `$AIPERM_CONFIG` |
| remembered rules | `remembered.toml` beside the config file | |
| audit key | CONFIG/audit.key (mode 0600, yours) | `$AIPERM_AUDIT_KEY_FILE` (a path; same checks) |
| aiperm's known_hosts | CONFIG/known_hosts | |
| session logs | user data folder/sessions/ | `$AIPERM_DATA_DIR`/sessions/ |
| broker socket | a 0700 folder under the user runtime folder | |

Nothing here creates a folder at import time; callers create what they write to.

The user folders are platformdirs' (CONFIG is ~/.config/aiperm on Linux, ~/Library/
Application Support/aiperm on macOS). On Linux and the BSDs, in the usual case (an
absolute `$XDG_*_HOME`, or none and an absolute `$HOME`), `_xdg_home` gives the same
folder without importing platformdirs, which costs `aiperm check` (once per command, from
hooks) about 6 ms of a 50 ms budget; anything else (another system, a relative or unset
`$HOME`, a relative `$XDG_*` value, which platformdirs versions read differently) asks
platformdirs. Every caller gets its folder from the one function here, so all of aiperm
agrees on it; tests/foundation/test_paths_xdg.py holds the two to the same answer.

`aiperm check` reaches its folders as strings (`config_folder`, `cache_folder`,
`config_file`): pathlib imports urllib.parse, ipaddress, fnmatch and ntpath, ~4 ms of
each check. The `Path` functions (the rest of aiperm) are those strings as `Path`s.
"""

from __future__ import annotations

import os
import posixpath
import sys

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from pathlib import Path

APP = "aiperm"
KEY_FILE_ENV = "AIPERM_AUDIT_KEY_FILE"
REFUSED_KEY_ENV = "AIPERM_AUDIT_KEY"


def config_dir() -> Path:
    """The folder holding config.toml, the audit key and aiperm's known_hosts."""
    return _path(config_folder())


def config_folder() -> str:
    """`config_dir` as a string (`aiperm check`: no pathlib)."""
    if (base := _xdg_home("XDG_CONFIG_HOME", ".config")) is not None:
        return base
    import platformdirs

    return platformdirs.user_config_dir(APP)


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The config file to read: `--config`, else `$AIPERM_CONFIG`, else the user config."""
    return _path(config_file(explicit))


def config_file(explicit: str | os.PathLike[str] | None = None) -> str:
    """`config_path` as a string (`aiperm check` with neither: no pathlib)."""
    named = explicit or os.environ.get("AIPERM_CONFIG")
    if named:
        return str(_path(named).expanduser())
    return os.path.join(config_folder(), "config.toml")


def remembered_rules_path(config: str | os.PathLike[str]) -> Path:
    """Remembered rules live beside the config, so the config file keeps its comments."""
    return _path(remembered_rules_file(os.fspath(config)))


def remembered_rules_file(config: str) -> str:
    """`remembered_rules_path` as a string (`aiperm check`: no pathlib)."""
    return os.path.join(os.path.dirname(config), "remembered.toml")


def key_path() -> Path:
    """The audit key file: `$AIPERM_AUDIT_KEY_FILE`, else the one `aiperm init` makes.

    A path, never the key: an environment variable is readable by every process of the
    same user (see session/keys.py)."""
    env = os.environ.get(KEY_FILE_ENV)
    if env:
        return _path(env).expanduser()
    return config_dir() / "audit.key"


def key_in_env_refusal() -> str | None:
    """Why aiperm must not run now, while `$AIPERM_AUDIT_KEY` is set (None when it is not);
    the callers raise it as a SecurityError (exit 5).

    aiperm once took the audit key itself from that variable. A user who still sets it
    believes their sessions are keyed with it: ignoring it would record them under
    another key, and the key would stay readable by the agent in their shell's
    environment (`/proc/PID/environ` of any process of theirs). So say why and what to
    do instead."""
    if REFUSED_KEY_ENV not in os.environ:
        return None
    return (
        f"{REFUSED_KEY_ENV} is set, but aiperm no longer takes the audit key from the "
        f"environment (any process of yours, the agent too, can read it there): put the "
        f"key in a file of mode 0600, point {KEY_FILE_ENV} at it, and unset {REFUSED_KEY_ENV}"
    )


def known_hosts_path() -> Path:
    """aiperm's own known_hosts, written when the operator trusts a host 'always'."""
    return config_dir() / "known_hosts"


def cache_dir() -> Path:
    """Where aiperm keeps what it can compute again (the built-in packs as read)."""
    return _path(cache_folder())


def cache_folder() -> str:
    """`cache_dir` as a string (`aiperm check`: no pathlib)."""
    if (base := _xdg_home("XDG_CACHE_HOME", ".cache")) is not None:
        return base
    import platformdirs

    return platformdirs.user_cache_dir(APP)


def data_dir() -> Path:
    """The root of aiperm's data: `$AIPERM_DATA_DIR` or the platform's user data folder."""
    env = os.environ.get("AIPERM_DATA_DIR")
    if env:
        return _path(env).expanduser()
    if (base := _xdg_home("XDG_DATA_HOME", ".local/share")) is not None:
        return _path(base)
    import platformdirs

    return platformdirs.user_data_path(APP)


def sessions_dir() -> Path:
    """One folder per recorded session lives here."""
    return data_dir() / "sessions"


def runtime_dir() -> Path:
    """Base for the broker's per-session socket folders (each made 0700 by the broker)."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base and os.path.isdir(base):
        return _path(base) / APP
    import warnings

    import platformdirs

    with warnings.catch_warnings():
        # Without XDG_RUNTIME_DIR (cron, ssh without pam_systemd, containers) platformdirs
        # warns, source line included, on the stderr of every `aiperm ask`/`mcp`, which
        # an agent reads as part of the command's output. The fallback is fine: the
        # broker makes its own 0700 folder and checks who owns it.
        warnings.simplefilter("ignore", platformdirs.RuntimeDirWarning)
        return _path(platformdirs.user_runtime_path(APP))


def _path(folder: str | os.PathLike[str]) -> Path:
    """`folder` as a `Path`; pathlib is imported by the first caller that needs one."""
    from pathlib import Path

    return Path(folder)


def _xdg_home(variable: str, default: str) -> str | None:
    """aiperm's folder under the XDG base folder `variable` (else `$HOME/default`) where
    platformdirs would give exactly that (see the module docstring), else None: ask it."""
    if not sys.platform.startswith(_XDG_PLATFORMS) or _android():
        return None
    value = os.environ.get(variable, "")
    if value:
        return posixpath.join(value, APP) if posixpath.isabs(value) else None
    home = os.environ.get("HOME", "")
    # As platformdirs' expanduser("~/.cache") reads it (a `HOME` of "//" gives "/.cache").
    return f"{home.rstrip('/')}/{default}/{APP}" if posixpath.isabs(home) else None


# The systems where platformdirs reads the XDG variables as above (its `Unix` class).
_XDG_PLATFORMS = ("linux", "freebsd", "openbsd", "netbsd", "dragonfly")


def _android() -> bool:
    """Possibly Android, where platformdirs has folders of its own."""
    return hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in os.environ


def bytecode_env() -> dict[str, str]:
    """Where this Python writes bytecode, if anywhere, for a Python child that is started
    with a minimal environment (the bashlex worker, claude's MCP server), so it writes
    where its parent does (or not at all: how the tests keep the checkout clean)."""
    return {
        k: os.environ[k]
        for k in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
        if k in os.environ
    }
