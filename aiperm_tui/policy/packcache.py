"""The built-in packs as read before, kept in the user cache folder as JSON.

`aiperm check` runs once per command from a hook, and reading a pack costs: tomllib is
pure Python (importing it compiles a dozen regular expressions, ~5 ms; parsing the
packs of coreutils ~1.5 ms, and every pack ~7 ms, growing as command knowledge moves
into packs), and even the scan that finds which pack speaks of a command reads every
pack's text. What is read from a pack's text is a pure function of that text and of the
code that reads it, so it is computed once and kept: CACHE/packs-INSTALL.json holds, for
each built-in pack, the TOML as data (JSON keeps every TOML type the packs use: tables,
arrays, strings, integers, floats, booleans) and what the scan found, under a key that
is the xxh3-128 hash of the text and of `packs.py` itself. An entry whose key does not
match (the pack or the reader changed, aiperm was upgraded) is read again from the text,
and the file rewritten (atomically: a reader sees the old file or the new one).

INSTALL is the xxh3-64 hash of where the reader (`packs.py`) is installed: each install
or checkout has a file of its own. With one shared file, two installs of different
versions used in turn (a checkout and a venv, two worktrees) rewrote it for each other,
and every check paid a miss. An upgrade in place keeps its file and rewrites it once.
A write (a miss) also removes the files of other installs that were not written for
`STALE_DAYS` days (a removed checkout's file would otherwise stay for ever); one still in
use then pays one miss.

Trust: the cache decides what the built-in packs say, so it is at the level of the
config folder. It is read only when it and its folder belong to this user and no one
else may write them; the agent's sandbox cannot write it at all (the sandbox puts a
tmpfs over $HOME); with `sandbox = off` an agent running as the operator could rewrite
it, as it could rewrite config.toml, whose rules allow commands outright. Only data is
read from it (JSON, never code or pickle), and every rule is validated from it as from
the TOML. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xxhash

from aiperm_tui import paths

VERSION = 1
STALE_DAYS = 30
Derive = Callable[[str], dict[str, Any]]


def derived(
    texts: dict[str, str], derive: Derive, reader: Path, valid: Callable[[Any], bool]
) -> dict[str, dict[str, Any]]:
    """`derive(text)` for each of `texts` (by source name), from the cache where it
    holds an entry for exactly that text and `reader` (the source file of `derive`) and
    `valid` accepts its value, else computed now and the cache rewritten. `derive` must
    return JSON data."""
    code = reader.read_bytes()
    keys = {source: _key(code, text) for source, text in texts.items()}
    path = cache_file(reader)
    cached = _read(path)
    out: dict[str, dict[str, Any]] = {}
    stale = False
    for source, text in texts.items():
        entry = cached.get(source)
        if isinstance(entry, dict) and entry.get("key") == keys[source] and valid(entry["value"]):
            out[source] = entry["value"]
        else:
            out[source], stale = derive(text), True
    if stale or set(cached) != set(texts):
        _write(path, {s: {"key": keys[s], "value": out[s]} for s in texts})
    return out


def cache_file(reader: Path) -> Path:
    """The cache file of the install `reader` belongs to."""
    where = os.fsencode(os.path.realpath(reader))
    return paths.cache_dir() / f"packs-{xxhash.xxh3_64_hexdigest(where)}.json"


def _key(code: bytes, text: str) -> str:
    return xxhash.xxh3_128_hexdigest(code + b"\0" + text.encode("utf-8", "surrogatepass"))


def _private(st: os.stat_result) -> bool:
    """Ours, and nobody else may write it."""
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(path: Path) -> dict[str, Any]:
    """The cache's entries, or none when it is missing, broken or not private."""
    try:
        with path.open("rb") as fh:
            if not (_private(os.fstat(fh.fileno())) and _private(path.parent.stat())):
                return {}
            data = json.loads(fh.read())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def _write(path: Path, entries: dict[str, Any]) -> None:
    """Replace the cache (0600 in a 0700 folder); any failure leaves it as it was."""
    try:
        text = json.dumps({"version": VERSION, "entries": entries}, separators=(",", ":"))
    except (TypeError, ValueError):
        return  # a value JSON cannot hold: not cached, read from the text each time
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(path.parent.stat()):
            return
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    _prune(path)


def _ours(name: str) -> bool:
    """A cache file name of some install (`packs.json`: one from before INSTALL)."""
    stem = name.removeprefix("packs-").removesuffix(".json")
    return name == "packs.json" or (
        len(stem) == 16 and name == f"packs-{stem}.json" and all(c in _HEX for c in stem)
    )


_HEX = frozenset("0123456789abcdef")


def _prune(kept: Path) -> None:
    """Remove the cache files of other installs not written for STALE_DAYS days."""
    cutoff = time.time() - STALE_DAYS * 86400
    with contextlib.suppress(OSError), os.scandir(kept.parent) as entries:
        for entry in entries:
            if entry.name == kept.name or not _ours(entry.name):
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
