"""What is read from text files, kept in the user cache folder: the built-in packs and
the operator's config.

`aiperm check` runs once per command from a hook, and reading a TOML file costs: tomllib
is pure Python (importing it compiles a dozen regular expressions and imports typing,
datetime and string, ~10 ms; parsing the packs of coreutils ~1.5 ms, and every pack ~7 ms,
growing as command knowledge moves into packs), and even the scan that finds which pack
speaks of a command reads every pack's text. What is read from a file's text is a pure
function of that text and of the code that reads it, so it is computed once and kept in
CACHE/KIND-INSTALL.json (KIND: `packs` for `policy/packs.py`, `config` for `config.py`).

What a check pays does not grow with the packs: it reads the file's first line, a small
JSON index (for each source, what was found at once, where its data lies in the file, and
the source file's identity), and then, for the one or two packs the command needs, just
that pack's data (the TOML as JSON data: JSON keeps every TOML type the packs and the
config use; a value it cannot hold, a date, leaves that file uncached). Reading the whole
file as one JSON document cost ~2 ms at 250 kB, and as much again per size.

When is an entry the file's? Each entry has a key, the xxh3-128 hash of the file's text
and of the reader (`packs.py`, `config.py`) itself, and the file's identity when it was
written (inode, device, size, mtime and ctime in ns). A file whose identity is unchanged
is not read at all; any other is read and hashed, and its entry used only if the key
matches. The identity is recorded only for a file whose ctime was already `SETTLED_NS`
old: any later change to the file (a write, a rename over it) sets its ctime to the time
of the change, later than the recorded one, and a user cannot set a ctime back. Without
that wait, two edits within the clock's tick (Linux stamps files with a coarse clock,
several ms) could leave the same identity: such a file is hashed until a later write
records it. The header also holds the reader's hash: a changed reader reads every file
again. An entry that does not match is read again from the text, and the file rewritten
(atomically: a reader sees the old file or the new one).

INSTALL is the xxh3-64 hash of where the reader is installed: each install or checkout
has a file of its own. With one shared file, two installs of different versions used in
turn (a checkout and a venv, two worktrees) rewrote it for each other, and every check
paid a miss. An upgrade in place keeps its file and rewrites it once. A write (a miss)
also removes the files of its KIND of other installs that were not written for
`STALE_DAYS` days (a removed checkout's file would otherwise stay for ever); one still in
use then pays one miss.

Trust: the cache decides what the built-in packs and the config say, so it is at the
level of the config folder. It is read only when it and its folder belong to this user
and no one else may write them (checked on each open); the agent's sandbox cannot write
it at all (the sandbox puts a tmpfs over $HOME); with `sandbox = off` an agent running as
the operator could rewrite it, as it could rewrite config.toml, whose rules allow
commands outright. Only data is read from it (JSON, never code or pickle), a file's data
must carry the key of its entry (data from another place in the file, or another version
of it, is not taken), and every rule and key is validated from it as from the TOML. A
cache that cannot be read or written is simply not used.

Files are named by strings (`os.path`), not `pathlib.Path`: pathlib is ~4 ms of each
check (paths.py); a `PathLike` is taken wherever a name is.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Mapping

import xxhash

from aiperm_tui import paths

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from typing import Any, TypeAlias

    StrPath: TypeAlias = str | os.PathLike[str]

    # What is read from a text: (its index, kept in the header and read at start; its data,
    # read when it is needed). Both must be JSON data.
    Derive = Callable[[str], tuple[dict[str, Any], Any]]
else:  # the names exist at run time, for imports; only mypy reads them
    Derive = object

VERSION = 2
STALE_DAYS = 30
SETTLED_NS = 2_000_000_000


_CONSTANTS = {"-Infinity": -float("inf"), "Infinity": float("inf"), "NaN": float("nan")}


class _Decoder:
    """What `_json.make_scanner` reads of a `json.JSONDecoder`: its defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _CONSTANTS.__getitem__


try:  # CPython's C scanner, the one `json` itself uses
    from _json import make_scanner

    _scan = make_scanner(_Decoder())  # type: ignore[arg-type]  # it reads those fields
except ImportError:  # an interpreter without it: json's own decoder (imports json)
    import json

    _scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # it has one


def json_data(data: bytes) -> Any:
    """`json.loads(data)` for UTF-8 JSON, with the C scanner `json` itself uses but
    without importing `json`, whose import compiles six regular expressions (~1.5 ms of
    every check, which only reads the caches: a write imports it). A ValueError for
    what `json.loads` refuses."""
    text = data.decode("utf-8", "surrogatepass").strip(" \t\n\r")
    try:
        value, end = _scan(text, 0)
    except StopIteration:
        raise ValueError("no JSON value") from None
    if end != len(text):
        raise ValueError("more than one JSON value")
    return value


class Derived:
    """What `derive` read from each of `files` (by source name): `index[source]` at once,
    `data(source)` when asked, from the cache where its entry is that file's, else from
    the text (and the cache rewritten). `valid` checks an index read from the cache."""

    def __init__(
        self,
        files: Mapping[str, StrPath],
        derive: Derive,
        reader: StrPath,
        valid: Callable[[Any], bool],
        kind: str = "packs",
    ) -> None:
        self._files = files
        self._derive = derive
        self._path = cache_file(reader, kind)
        with open(reader, "rb") as fh:
            self._code = fh.read()
        self._texts: dict[str, str] = {}
        self._fresh: dict[str, Any] = {}  # data derived in this process, by source
        head, self._body = _read_head(self._path)
        if head.get("code") != xxhash.xxh3_128_hexdigest(self._code):
            head = {}
        cached = head.get("entries", {})
        self.index: dict[str, dict[str, Any]] = {}
        self._entries: dict[str, dict[str, Any]] = {}
        rewrite = set(cached) != set(files)
        for source in files:
            entry, ok = self._entry(source, cached.get(source), valid)
            rewrite |= not ok
            self.index[source], self._entries[source] = entry["index"], entry
        if rewrite:
            self._write()

    def text(self, source: str) -> str:
        """The text of `source` (read once), its line ends as they are (as tomllib reads a
        file: a CR is not a newline to TOML)."""
        if source not in self._texts:
            with open(self._files[source], encoding="utf-8", newline="") as fh:
                self._texts[source] = fh.read()
        return self._texts[source]

    def data(self, source: str) -> Any:
        """The data `derive` read from `source`'s text."""
        if source in self._fresh:
            return self._fresh[source]
        entry = self._entries[source]
        blob = _read_blob(self._path, self._body, entry)
        if isinstance(blob, dict) and blob.get("key") == entry["key"] and "data" in blob:
            return blob["data"]
        # Broken, forged or replaced since the header was read: read every text again.
        for name in self._files:
            self._entries[name] = self._derived(name, self._key(name))
        self._write()
        return self._fresh[source]

    def _entry(
        self, source: str, entry: Any, valid: Callable[[Any], bool]
    ) -> tuple[dict[str, Any], bool]:
        """The entry of `source` and whether the cache held it as it is now."""
        shaped = (
            isinstance(entry, dict)
            and isinstance(entry.get("at"), int)
            and isinstance(entry.get("size"), int)
            and valid(entry.get("index"))
        )
        if not shaped:
            return self._derived(source, self._key(source)), False
        sig = _identity(self._files[source])
        if sig is not None and entry.get("identity") == sig:
            return entry, True
        key = self._key(source)
        if entry.get("key") != key:
            return self._derived(source, key), False
        return {**entry, "identity": sig}, sig is None

    def _key(self, source: str) -> str:
        text = self.text(source).encode("utf-8", "surrogatepass")
        return xxhash.xxh3_128_hexdigest(self._code + b"\0" + text)

    def _derived(self, source: str, key: str) -> dict[str, Any]:
        index, self._fresh[source] = self._derive(self.text(source))
        return {"key": key, "index": index, "identity": _identity(self._files[source])}

    def _write(self) -> None:
        """Replace the cache (0600 in a 0700 folder); any failure leaves it as it was."""
        import json  # here: a check that finds its entries never imports it

        blobs: list[bytes] = []
        entries: dict[str, Any] = {}
        at = 0
        try:
            for source, entry in self._entries.items():
                blob = json.dumps(
                    {"key": entry["key"], "data": self.data(source)}, separators=(",", ":")
                ).encode("utf-8", "surrogatepass")
                entries[source] = {**entry, "at": at, "size": len(blob)}
                blobs.append(blob)
                at += len(blob)
            head = json.dumps(
                {
                    "version": VERSION,
                    "code": xxhash.xxh3_128_hexdigest(self._code),
                    "entries": entries,
                },
                separators=(",", ":"),
            ).encode("utf-8", "surrogatepass")
        except (TypeError, ValueError):
            return  # a value JSON cannot hold: not cached, read from the text each time
        for source, entry in entries.items():
            self._entries[source] = entry
        self._body = len(head) + 1
        if write_private(self._path, b"".join([head, b"\n", *blobs])):
            _prune(self._path)


def cache_file(reader: StrPath, kind: str = "packs") -> str:
    """The cache file of `kind` of the install `reader` belongs to."""
    where = os.fsencode(os.path.realpath(reader))
    return os.path.join(paths.cache_folder(), f"{kind}-{xxhash.xxh3_64_hexdigest(where)}.json")


def _identity(path: StrPath) -> list[int] | None:
    """The file's identity, or None while it has changed too recently to be told apart
    from a later change by its stamps (see the module's docstring)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if time.time_ns() - st.st_ctime_ns < SETTLED_NS:
        return None
    return [st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _private(st: os.stat_result) -> bool:
    """Ours, and nobody else may write it."""
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _folder(path: StrPath) -> str:
    """The folder holding `path` (`Path.parent`: "." for a bare name)."""
    return os.path.dirname(path) or "."


def open_private(path: StrPath) -> Any:
    """The cache opened for reading, or None when it is missing or not private."""
    try:
        fh = open(path, "rb")  # noqa: SIM115  # returned open, closed by the caller
    except OSError:
        return None
    try:
        if _private(os.fstat(fh.fileno())) and _private(os.stat(_folder(path))):
            return fh
    except OSError:
        pass
    fh.close()
    return None


def _read_head(path: StrPath) -> tuple[dict[str, Any], int]:
    """The cache's header and where its body starts, or ({}, 0) when it is missing,
    broken or not private."""
    fh = open_private(path)
    if fh is None:
        return {}, 0
    with fh:
        try:
            line = fh.readline()
            head = json_data(line)
        except (OSError, ValueError):
            return {}, 0
    if (
        not isinstance(head, dict)
        or head.get("version") != VERSION
        or not isinstance(head.get("entries"), dict)
    ):
        return {}, 0
    return head, len(line)


def _read_blob(path: StrPath, body: int, entry: dict[str, Any]) -> Any:
    """The JSON at `entry`'s place in the cache's body, or None."""
    if body <= 0 or entry.get("at", -1) < 0 or entry.get("size", -1) < 0:
        return None
    fh = open_private(path)
    if fh is None:
        return None
    with fh:
        try:
            fh.seek(body + entry["at"])
            return json_data(fh.read(entry["size"]))
        except (OSError, ValueError):
            return None


def write_private(path: StrPath, content: bytes) -> bool:
    """Write `content` as the file `path` (0600 in a 0700 folder), atomically: a reader
    sees the old file or the new one. False when it could not (the file is left as it
    was)."""
    folder = _folder(path)
    tmp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)  # parents: the default mode
        if not _private(os.stat(folder)):
            return False
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except OSError:
        import contextlib  # here: a check that finds its entries writes nothing

        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True


def _ours(name: str, kind: str) -> bool:
    """A cache file name of `kind` of some install (`packs.json`: one from before
    INSTALL)."""
    stem = name.removeprefix(f"{kind}-").removesuffix(".json")
    return name == f"{kind}.json" or (
        len(stem) == 16 and name == f"{kind}-{stem}.json" and all(c in _HEX for c in stem)
    )


_HEX = frozenset("0123456789abcdef")


def _prune(kept: StrPath) -> None:
    """Remove the cache files of `kept`'s kind of other installs not written for
    STALE_DAYS days."""
    import contextlib

    cutoff = time.time() - STALE_DAYS * 86400
    name = os.path.basename(kept)
    kind = name.partition("-")[0]
    with contextlib.suppress(OSError), os.scandir(_folder(kept)) as entries:
        for entry in entries:
            if entry.name == name or not _ours(entry.name, kind):
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
