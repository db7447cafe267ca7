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
its entry lies) and the entries, each JSON with the program as hex; it is read whole
once per process. A miss (a pattern not in the file, or an entry that does not
rebuild) compiles the text as `re.compile` does and rewrites the file with every entry
known (so two processes converge; one that loses the race pays a later miss). More than
`MAX_ENTRIES` patterns or `MAX_BYTES` (operators' packs and tests add theirs) start the
file afresh. The engine's own are ~250 patterns, ~650 kB.

Trust: as the pack cache (`packcache.py`), and for the same reason: read only when the
file and its folder are the operator's and no one else may write them. A program from
the file goes through `_sre.compile`'s own validation (an invalid program is refused,
never run), but a forged valid one matches what its writer wants: like a forged pack
cache, which can already say that any command only reads, that is the config folder's
level (an agent able to write it could write config.toml's allow rules), no more.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # the C matcher: no stubs
import array
import json
import re
import sys
import threading
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]
from typing import Any

import xxhash

from aiperm_tui import paths
from aiperm_tui.policy.packcache import open_private, write_private

VERSION = 1
MAX_ENTRIES = 1024
MAX_BYTES = 4_000_000  # read whole by every check: ~0.1 ms a MB
_TAG = f"{VERSION}|{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}"
_WORD = next(t for t in "IL" if array.array(t).itemsize == _sre.CODESIZE)
_lock = threading.Lock()
_entries: dict[str, bytes] | None = None


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, its program read from the cache when it holds it."""
    key = xxhash.xxh3_128_hexdigest(f"{int(flags)}\0{pattern}".encode("utf-8", "surrogatepass"))
    with _lock:
        entries = _load()
        entry = entries.get(key)
    if entry is not None and (built := _rebuild(pattern, entry)) is not None:
        return built
    compiled, entry = _compile(pattern, int(flags))
    if entry is not None:
        with _lock:
            entries[key] = entry
            if len(entries) > MAX_ENTRIES or sum(map(len, entries.values())) > MAX_BYTES:
                entries.clear()
                entries[key] = entry
            _save(entries)
    return compiled


def cache_file() -> Path:
    """The cache file of this interpreter."""
    return paths.cache_dir() / f"regex-{xxhash.xxh3_64_hexdigest(_TAG.encode())}.bin"


def _compile(pattern: str, flags: int) -> tuple[re.Pattern[str], bytes | None]:
    """The pattern, compiled as `re._compiler.compile` does, and its cache entry (None
    when this interpreter's `re` is not laid out as expected: then just compiled)."""
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        shape = [flags | parsed.state.flags, parsed.state.groups - 1, groupindex, indexgroup]
        entry = json.dumps([*shape, array.array(_WORD, code).tobytes().hex()]).encode()
    except AttributeError:
        return re.compile(pattern, flags), None
    built = _rebuild(pattern, entry)
    return (built, entry) if built is not None else (re.compile(pattern, flags), None)


def _rebuild(pattern: str, entry: bytes) -> re.Pattern[str] | None:
    """The pattern from its entry, or None when the entry is broken or refused."""
    try:
        flags, groups, groupindex, indexgroup, code = json.loads(entry)
        program = array.array(_WORD, bytes.fromhex(code)).tolist()
        built = _sre.compile(pattern, flags, program, groups, groupindex, tuple(indexgroup))
    except (ValueError, TypeError, RuntimeError, OverflowError):
        return None
    return built if isinstance(built, re.Pattern) else None


def _load() -> dict[str, bytes]:
    """Every entry of the cache (read once per process; none when it is missing, broken
    or not private)."""
    global _entries
    if _entries is None:
        _entries = _read()
    return _entries


def _read() -> dict[str, bytes]:
    fh = open_private(cache_file())
    if fh is None:
        return {}
    with fh:
        try:
            content = fh.read()
        except OSError:
            return {}
    line, _, body = content.partition(b"\n")
    try:
        head = json.loads(line)
    except ValueError:
        return {}
    if not isinstance(head, dict) or head.get("tag") != _TAG:
        return {}
    where = head.get("entries")
    if not isinstance(where, dict):
        return {}
    return {key: body[span[0] : span[0] + span[1]] for key, span in where.items() if _span(span)}


def _span(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(n, int) and n >= 0 for n in value)
    )


def _save(entries: dict[str, bytes]) -> None:
    where: dict[str, tuple[int, int]] = {}
    at = 0
    for key, entry in entries.items():
        where[key] = (at, len(entry))
        at += len(entry)
    head = json.dumps({"tag": _TAG, "entries": where}, separators=(",", ":")).encode()
    write_private(cache_file(), b"".join([head, b"\n", *entries.values()]))
