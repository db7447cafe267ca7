"""Compiled regular expressions kept between processes, in the user cache folder.

Python's regex compiler is pure Python, and `aiperm check` is a new process per command:
the engine's path classes alone (`fspaths.py`: two patterns of 1 and 2.7 kB) took ~8.5 ms
to compile for any command naming a file, every time. Compiling is two steps: the pure
Python parser and code generator turn the text into a list of integers (the program of
the C matcher), and `_sre.compile` builds the pattern from that list in microseconds.
The list is a pure function of the text, the flags and the interpreter, so it is kept:
CACHE/regex-PYTHON.bin holds, for each pattern (by the xxh3-128 hash of its flags and
text), the program and its group names, and `compile` rebuilds the pattern from them.
A pattern built so is equal (`==`: same text, flags and program) to `re.compile`'s;
tests/policy/test_policy_recache.py holds every pattern of the engine to that.

PYTHON is the xxh3-64 hash of `sys.version` and the matcher's `MAGIC`: a program is read
only by the interpreter that wrote it. The file is a one-line JSON index (hash: where
its entry lies) and the entries, each its shape as JSON (flags, groups) and its program
as machine words; a process reads the index at its first compile and then only the
entries it needs (reading the whole file, ~800 kB with the tests' patterns, cost a
check 0.5-5 ms). A miss (a pattern not in the file, or an entry that does not
rebuild) compiles the text as `re.compile` does and rewrites the file with every entry
known (so two processes converge; one that loses the race pays a later miss), at the
process's 1st, 2nd, 4th... miss and at its exit, so a cold cache costs log2(misses)
rewrites, not one per miss.

The engine's own patterns (`own`: its modules' `lazyre` patterns and the built-in
packs', ~1,270 of them and ~1.45 MB) are kept whatever else the file holds: the limits
`MAX_ENTRIES` and `MAX_BYTES` count the others (operators' packs', the tests'), which
start afresh past them, so a test run or `aiperm rules test` leaves the next check warm
(the engine's own alone were past the 1,024 entries the file once held in all, and every
such run emptied it). A file past `MAX_OWN` own entries (patterns of older versions of
the packs, kept since the interpreter is the same) keeps those its last writer compiled
or read.

Trust: as the pack cache (`aiperm_tui/textcache.py`), and for the same reason: read only when the
file and its folder are the operator's and no one else may write them. A program from
the file goes through `_sre.compile`'s own validation (an invalid program is refused,
never run), but a forged valid one matches what its writer wants: like a forged pack
cache, which can already say that any command only reads, that is the config folder's
level (an agent able to write it could write config.toml's allow rules), no more.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # the C matcher: no stubs
import _thread  # not threading (~1 ms of every check): a lock is all it needs
import os
import re
import sys
from re import _compiler, _parser  # type: ignore[attr-defined]

import xxhash

from aiperm_tui import paths
from aiperm_tui.textcache import json_data, open_private, write_private

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from typing import Any, Literal

VERSION = 3
MAX_ENTRIES = 1024
MAX_BYTES = 4_000_000
MAX_OWN = 4096
_TAG = f"{VERSION}|{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}"
# The machine word of a program (memoryview's format, as array's: array is imported only
# to write an entry).
_WORD: Literal["I", "L"] = "I" if memoryview(bytes(4)).cast("I").itemsize == _sre.CODESIZE else "L"
_lock = _thread.allocate_lock()


def compile(pattern: str, flags: int = 0, *, own: bool = False) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, its program read from the cache when it holds it;
    `own`: one of the engine's patterns, kept past the limits (module docstring)."""
    key = entry_key(pattern, flags)
    with _lock:
        entry = _store().get(key, own)
    if entry is not None and (built := _rebuild(pattern, entry)) is not None:
        return built
    compiled, entry = _compile(pattern, int(flags))
    if entry is not None:
        with _lock:
            _store().put(key, entry, own)
    return compiled


def entry_key(pattern: str, flags: int = 0) -> str:
    """The key of a pattern's entry: the xxh3-128 hash of its flags and text."""
    return xxhash.xxh3_128_hexdigest(f"{int(flags)}\0{pattern}".encode("utf-8", "surrogatepass"))


def cache_file() -> str:
    """The cache file of this interpreter (a string: no pathlib on a check's path)."""
    return os.path.join(
        paths.cache_folder(), f"regex-{xxhash.xxh3_64_hexdigest(_TAG.encode())}.bin"
    )


def _compile(pattern: str, flags: int) -> tuple[re.Pattern[str], bytes | None]:
    """The pattern, compiled as `re._compiler.compile` does, and its cache entry (None
    when this interpreter's `re` is not laid out as expected: then just compiled)."""
    import array
    import json  # here: a check whose patterns are all cached imports neither

    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        shape = [flags | parsed.state.flags, parsed.state.groups - 1, groupindex, indexgroup]
        entry = json.dumps(shape).encode() + b"\n" + array.array(_WORD, code).tobytes()
    except AttributeError:
        return re.compile(pattern, flags), None
    built = _rebuild(pattern, entry)
    return (built, entry) if built is not None else (re.compile(pattern, flags), None)


def _rebuild(pattern: str, entry: bytes) -> re.Pattern[str] | None:
    """The pattern from its entry (its shape as JSON, a newline, its program as machine
    words), or None when the entry is broken or refused."""
    shape, _, code = entry.partition(b"\n")
    try:
        flags, groups, groupindex, indexgroup = json_data(shape)
        program = memoryview(code).cast(_WORD).tolist()
        built = _sre.compile(pattern, flags, program, groups, groupindex, tuple(indexgroup))
    except (ValueError, TypeError, RuntimeError, OverflowError):
        return None
    return built if isinstance(built, re.Pattern) else None


class _Store:
    """The cache file as this process found it: its index, read at the first compile,
    and the file itself, kept open to read an entry when it is asked for (a check needs
    a few dozen of ~250). The open file is the one whose privacy was checked, and stays
    that file when another process replaces it; one cut short under it gives broken
    entries, which are compiled again."""

    def __init__(self) -> None:
        self.fd: int | None = None
        self.body = 0
        self.spans: dict[str, tuple[int, int]] = {}
        self.added: dict[str, bytes] = {}
        self.own: set[str] = set()  # the engine's own entries, in the file or added
        self.used: set[str] = set()  # the own entries this process asked for
        self.dirty = False  # entries added since the file was last written
        fh = open_private(cache_file())
        if fh is None:
            return
        with fh:
            try:
                line = fh.readline()
                head = json_data(line)
            except (OSError, ValueError):
                return
            if not isinstance(head, dict) or head.get("tag") != _TAG:
                return
            where = head.get("entries")
            if isinstance(where, dict):
                self.spans = {key: (s[0], s[1]) for key, s in where.items() if _span(s)}
                self.own = {key for key, s in where.items() if _span(s) and s[2]}
                self.body = len(line)
                self.fd = os.dup(fh.fileno())  # not inherited by children (PEP 446)

    def get(self, key: str, own: bool = False) -> bytes | None:
        if own:
            self.used.add(key)
        if key in self.added:
            return self.added[key]
        span = self.spans.get(key)
        if span is None or self.fd is None:
            return None
        try:
            return os.pread(self.fd, span[1], self.body + span[0])
        except OSError:
            return None

    def put(self, key: str, entry: bytes, own: bool = False) -> None:
        """Keep `entry`; rewrite the file with every entry known at this process's 1st,
        2nd, 4th, 8th... new entry, and at its exit (`flush`). Rewriting it at every
        miss made a cold cache quadratic: 578 misses of a long `check --stdin` wrote a
        growing file 578 times (0.66 s of 3.1 s); now about log2(578) = 10 times."""
        self.added[key] = entry
        if own:
            self.own.add(key)
        count = len(self.added)
        self.dirty = count & (count - 1) != 0  # not a power of two: saved later
        if self.dirty:
            _register_flush()
        else:
            self.save()

    def save(self) -> None:
        """Rewrite the file with every entry known: the engine's own (those this process
        used alone when they are past `MAX_OWN`), and the others (the newest alone when
        they are past `MAX_ENTRIES` or `MAX_BYTES`)."""
        self.dirty = False
        entries = {k: e for k in {**self.spans, **self.added} if (e := self.get(k)) is not None}
        own = {k: e for k, e in entries.items() if k in self.own}
        if len(own) > MAX_OWN:
            own = {k: e for k, e in own.items() if k in self.used}
        others = {k: e for k, e in entries.items() if k not in self.own}
        if len(others) > MAX_ENTRIES or sum(map(len, others.values())) > MAX_BYTES:
            newest = next((k for k in reversed(self.added) if k in others), None)
            others = {newest: others[newest]} if newest is not None else {}
        _save(own, others)


def flush() -> None:
    """Write the entries this process added since it last wrote the file (at exit:
    registered with atexit, and called by `cli.entry` before a one-shot check's
    `os._exit`, which skips atexit)."""
    with _lock:
        if _current is not None and _current.dirty:
            _current.save()


_flush_registered = False


def _register_flush() -> None:
    global _flush_registered
    if not _flush_registered:
        import atexit

        atexit.register(flush)
        _flush_registered = True


_current: _Store | None = None


def _store() -> _Store:
    """This process's view of the cache (made at the first compile)."""
    global _current
    if _current is None:
        _current = _Store()
    return _current


def _span(value: Any) -> bool:
    """An index entry: [offset, length, own (0 or 1)]."""
    return (
        isinstance(value, list)
        and len(value) == 3
        and all(isinstance(n, int) and n >= 0 for n in value)
    )


def _save(own: dict[str, bytes], others: dict[str, bytes]) -> None:
    import json

    where: dict[str, tuple[int, int, int]] = {}
    at = 0
    for key, entry in (*own.items(), *others.items()):
        where[key] = (at, len(entry), int(key in own))
        at += len(entry)
    head = json.dumps({"tag": _TAG, "entries": where}, separators=(",", ":")).encode()
    write_private(cache_file(), b"".join([head, b"\n", *own.values(), *others.values()]))
