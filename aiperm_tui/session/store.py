"""Session folders: ids, `meta.toml`, reading events, listing and resolving sessions.

A session lives in `paths.sessions_dir()/<id>/` with `meta.toml`, `events.jsonl` and
`output.bin` (the raw bytes of command output, which `output` events point into). Ids
are `YYYYMMDDTHHMMSSZ-xxxxxx` (UTC start plus 6 random hex): they sort by start time and
two sessions started in the same second still differ.

What `aiperm sessions` shows comes from the log itself: the first event
(`session_start`, every fact of the session) and, once sealed, the last (`seal`, with the
counts), so listing reads two lines per session (all of them only for a session never
sealed). `meta.toml`, written at start and rewritten (atomically) at close, is a cache
for people and tools; `verify` checks it against the chain. Format 2 logs (sealed in
meta.toml) are still listed from their meta.
"""

from __future__ import annotations

import base64
import functools
import itertools
import json
import os
import re
import secrets
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import tomli_w

from aiperm_tui import paths
from aiperm_tui.errors import UsageError
from aiperm_tui.session.files import is_regular, open_regular, read_regular
from aiperm_tui.session.shapes import field_problem

META = "meta.toml"
EVENTS = "events.jsonl"
OUTPUT = "output.bin"
META_MAX_BYTES = 1 << 20  # meta.toml is a few hundred bytes; a bigger one is not read whole
# No line aiperm writes comes near this (a request is at most 4 MiB of JSON, an agent line
# `agent_line_max` characters). Readers take a line at most this much at a time, so a
# file whose "line" is gigabytes (a sparse file put in the log's place) cannot exhaust
# memory: the pieces do not end in a newline, and are damage.
MAX_LINE_BYTES = 64 << 20
FORMAT = 3  # 2: sealed in meta.toml; 1: output bytes inline in the events; both still read


def new_session_id(now: float | None = None) -> str:
    """A new id: UTC start second, then random hex so it is unique."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if now is None else now))
    return f"{stamp}-{secrets.token_hex(3)}"


def iso_utc(now: float) -> str:
    """A time as ISO-8601 UTC with microseconds (session start and end)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1e6):06d}Z"


def events_path(path: Path) -> Path:
    """`events.jsonl` of a session folder (a path to the file itself is accepted too)."""
    return path if path.name == EVENTS or path.is_file() else path / EVENTS


def session_dir(path: Path) -> Path:
    """The session folder for a folder or its `events.jsonl`."""
    return path.parent if path.is_file() else path


def read_meta(path: Path) -> dict[str, Any]:
    """The meta of a session folder; {} when missing or unreadable (verify says so)."""
    return load_meta(path)[0]


def load_meta(path: Path) -> tuple[dict[str, Any], str | None]:
    """(meta, why it could not be read): ({}, None) when there is none, ({}, why) when
    it is there but damaged (not a regular file, not TOML)."""
    file = session_dir(path) / META
    try:
        return tomllib.loads(read_regular(file, META_MAX_BYTES).decode("utf-8")), None
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        return {}, f"{META} cannot be read: {exc.strerror}"
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return {}, f"{META} is not valid TOML: {exc}"


def write_meta(folder: Path, meta: dict[str, Any]) -> None:
    """Write meta.toml atomically (a crash leaves the old or the new one, never half),
    mode 0600 like the rest of the record, never through a symlink left in its place."""
    tmp = folder / (META + ".tmp")
    clean = {k: v for k, v in meta.items() if v is not None}
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC
    with os.fdopen(os.open(tmp, flags, 0o600), "wb") as fh:
        tomli_w.dump(clean, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / META)


def lines_of(fh: BinaryIO) -> Iterator[bytes]:
    """The lines of an open log with their newlines, each at most MAX_LINE_BYTES: a
    longer one comes out in pieces, all but the last without a newline."""
    return iter(functools.partial(fh.readline, MAX_LINE_BYTES), b"")


def iter_lines(path: Path) -> Iterator[bytes]:
    """Complete lines (newline stripped) of events.jsonl; a torn last line, and the
    pieces of a line over MAX_LINE_BYTES but its last, are left out."""
    with os.fdopen(open_regular(events_path(path)), "rb") as fh:
        for line in lines_of(fh):
            if line.endswith(b"\n"):
                yield line[:-1]


def first_line(path: Path) -> bytes | None:
    """The first complete line of events.jsonl (no newline), None when there is none."""
    try:
        with os.fdopen(open_regular(events_path(path)), "rb") as fh:
            line = fh.readline(MAX_LINE_BYTES)
    except OSError:
        return None
    return line[:-1] if line.endswith(b"\n") else None


def last_line(path: Path, within: int = 1 << 20) -> bytes | None:
    """The last complete line of events.jsonl, read from the end (a seal is far shorter
    than `within`); None when there is none."""
    try:
        with os.fdopen(open_regular(events_path(path)), "rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            start = max(size - within, 0)
            fh.seek(start)
            data = fh.read()
    except OSError:
        return None
    end = data.rfind(b"\n")
    if end < 0:
        return None
    begin = data.rfind(b"\n", 0, end) + 1
    if begin == 0 and start > 0:
        return None
    return data[begin:end]


def parse_event(line: bytes | None) -> dict[str, Any]:
    """One line as an event; {} when it is not a JSON object."""
    if line is None:
        return {}
    try:
        event = json.loads(line)
    except ValueError:
        return {}
    return event if isinstance(event, dict) else {}


def decode_event(raw: bytes, index: int) -> dict[str, Any]:
    """Event `index` (0-based) from its line. A line that is not a JSON object, or whose
    fields are not what aiperm writes (`shapes`), becomes an `unreadable` event naming
    its line and the problem: every reader shows or refuses it as damage, none crashes
    on it. Whether the log is authentic is `verify_session`'s question, not this one's."""
    try:
        event = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        return unreadable(index, str(exc))
    if not isinstance(event, dict):
        return unreadable(index, "not a JSON object")
    problem = field_problem(event)
    return event if problem is None else unreadable(index, problem, event.get("seq"))


def unreadable(index: int, problem: str, seq: Any = None) -> dict[str, Any]:
    """The stand-in for a damaged line (see `decode_event`)."""
    event: dict[str, Any] = {"type": "unreadable", "line": index + 1, "problem": problem}
    if isinstance(seq, int) and not isinstance(seq, bool):
        event["seq"] = seq
    return event


def read_events(path: Path) -> Iterator[dict[str, Any]]:
    """The events of a session (folder or events.jsonl), in file order, decoded by
    `decode_event` (a damaged line is an `unreadable` event); a torn last line (a crash
    mid-write) is left out."""
    for index, line in enumerate(iter_lines(path)):
        yield decode_event(line, index)


def open_output(path: Path) -> int | None:
    """A read-only fd on a session's output.bin; None when it is missing or not a regular
    file (a FIFO put in its place must not hang a reader)."""
    try:
        return open_regular(session_dir(path) / OUTPUT)
    except OSError:
        return None


def read_at(fd: int, offset: int, length: int) -> bytes:
    """Up to `length` bytes of an open file from `offset`: no more than the file holds,
    whatever a (possibly tampered) event asks for."""
    size = os.fstat(fd).st_size
    if not 0 <= offset < size or length <= 0:
        return b""
    return os.pread(fd, min(length, size - offset), offset)


class OutputReader:
    """The recorded bytes of `output` events, for one session folder.

    Format 2 events point into `output.bin` (`offset`, `length`); format 1 events hold
    the bytes inline (`data` as text, `b64` when not UTF-8). Tolerant like `read_events`:
    bytes missing from output.bin read as what is there, and a tampered event reads at
    most MAX_READ bytes (the writer's batches are far smaller), so it cannot make a reader
    allocate what it claims.
    """

    MAX_READ = 16 * 1024 * 1024

    def __init__(self, path: Path) -> None:
        self._fd = open_output(path)

    def __call__(self, event: dict[str, Any]) -> bytes:
        if "length" in event:
            length, offset = event.get("length"), event.get("offset")
            if self._fd is None or not isinstance(length, int) or not isinstance(offset, int):
                return b""
            return read_at(self._fd, offset, min(length, self.MAX_READ))
        if "b64" in event:
            return base64.b64decode(str(event["b64"]), validate=False)
        return str(event.get("data", "")).encode("utf-8")

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> OutputReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class SessionInfo:
    """What `aiperm sessions` shows about one session (verification is separate)."""

    id: str
    path: Path
    start: str = ""
    end: str | None = None
    duration: float | None = None
    agent: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    preset: str = ""
    user: str = ""
    hostname: str = ""
    key_id: str = ""
    ephemeral: bool = False
    isolation: str = "unknown"
    format: int = 2
    requests: int = 0
    commands_requested: int = 0
    commands_run: int = 0
    denied: int = 0
    agent_lines: int = 0
    operator_messages: int = 0
    permission_prompts: int = 0
    agent_lines_dropped: int = 0
    closed: bool = False  # ended: a seal (format 3) or a session_end (older formats)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (`aiperm sessions --json`)."""
        data = dict(self.__dict__)
        data["path"] = str(self.path)
        return data


class Counters:
    """The per-session counts shown in listings; fed event by event."""

    def __init__(self) -> None:
        self.requests = 0
        self.commands_requested = 0
        self.commands_run = 0
        self.denied = 0
        self.agent_lines = 0
        self.operator_messages = 0
        self.permission_prompts = 0
        self.agent_lines_dropped = 0

    def feed(self, type_: str, payload: dict[str, Any]) -> None:
        if type_ == "request":
            self.requests += 1
            actions = payload.get("actions")
            self.commands_requested += len(actions) if isinstance(actions, list) else 0
        elif type_ == "exec_start":
            self.commands_run += 1
        elif type_ == "deny":
            self.denied += 1
        elif type_ == "agent_line":
            self.agent_lines += 1
        elif type_ == "operator_message":
            self.operator_messages += 1
        elif type_ == "permission_request":
            self.permission_prompts += 1
        elif type_ == "agent_lines_dropped":
            lines = payload.get("lines")
            self.agent_lines_dropped += lines if isinstance(lines, int) else 0

    def as_meta(self) -> dict[str, int]:
        return dict(self.__dict__)


_FACTS = (
    "start",
    "preset",
    "user",
    "hostname",
    "key_id",
    "ephemeral",
    "agent",
    "hosts",
    "isolation",
)


def _info_from(folder: Path) -> SessionInfo:
    """A session's listing, from its first and last events (format 3) or meta.toml."""
    info = SessionInfo(id=folder.name, path=folder)
    if not is_regular(folder / EVENTS):
        return info  # no facts: verify names the damage (unreadable)
    start = decode_event(first_line(folder) or b"", 0)
    if (
        start.get("type") == "session_start"
        and isinstance(start.get("format"), int)
        and start["format"] >= 3
    ):
        source: dict[str, Any] = start
        info.format = start["format"]
        end = decode_event(last_line(folder) or b"", 0)
        sealed = end.get("type") == "seal" and isinstance(end.get("counts"), dict)
        counts = end.get("counts") if sealed else None
        if sealed:
            info.end, info.duration = str(end.get("ts", "")), _number(end.get("t"))
    else:
        source = _legacy_meta(folder)
        counts = source.get("counts") if "end" in source else None
        sealed = isinstance(counts, dict)
        if sealed:
            info.end, info.duration = source.get("end"), _number(source.get("duration"))
    for name in _FACTS:  # meta.toml (format 2) holds anything: take only what fits
        value = source.get(name)
        if isinstance(value, type(getattr(info, name))) and (
            not isinstance(value, list) or all(isinstance(word, str) for word in value)
        ):
            setattr(info, name, value)
    if isinstance(counts, dict):
        for name, value in counts.items():
            if isinstance(getattr(info, name, None), int) and isinstance(value, int):
                setattr(info, name, value)
        info.closed = True
        return info
    counters = Counters()
    last: dict[str, Any] = {}
    for event in read_events(folder):
        counters.feed(str(event.get("type")), event)
        last = event
    for name, value in counters.as_meta().items():
        setattr(info, name, value)
    info.closed = last.get("type") == "session_end" and info.format < 3
    info.duration = _number(last.get("t"))
    return info


def _legacy_meta(folder: Path) -> dict[str, Any]:
    """meta.toml as the source of a format 1 or 2 session's listing (their chain carries
    no facts); {} when it says format 3 or later: that log's facts are in its first event
    or nowhere (a damaged first line must not hand the listing to meta.toml)."""
    meta = read_meta(folder)
    fmt = meta.get("format", 2)
    return meta if isinstance(fmt, int) and fmt < 3 else {}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


SESSION_ID = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{6}")


def session_folders(root: Path | None = None) -> list[Path]:
    """Session folders under root (default: paths.sessions_dir()), oldest first.

    A folder named like a session, or holding anything called events.jsonl, is one even
    when its log is gone or is not a regular file: such a session is listed (and fails
    verification as unreadable) rather than left out, which would pass damage off as a
    deletion, or hide it from `verify --all`."""
    root = root or paths.sessions_dir()
    try:
        entries = sorted(p for p in root.iterdir() if _is_session_folder(p))
    except OSError:
        return []
    ordered: list[Path] = []
    for _, group in itertools.groupby(entries, key=lambda p: p.name[:16]):
        same_second = list(group)
        if len(same_second) > 1:  # the random suffix does not order them: the chain does
            same_second.sort(key=_chain_start)
        ordered.extend(same_second)
    return ordered


def _is_session_folder(path: Path) -> bool:
    if is_regular(path / EVENTS):
        return True
    return (
        not path.is_symlink()
        and path.is_dir()
        and (SESSION_ID.fullmatch(path.name) is not None or os.path.lexists(path / EVENTS))
    )


def _chain_start(folder: Path) -> str:
    """When the session began, as its first event says (`start` in format 3, else the
    event's own `ts`): never meta.toml, which anyone can edit without breaking the chain.
    (An edit of the first event shows as one when the log is verified.)"""
    first = parse_event(first_line(folder))
    return str(first.get("start") or first.get("ts") or "")


def list_sessions(root: Path | None = None) -> list[SessionInfo]:
    """Every recorded session, oldest first; reads two lines of each sealed session."""
    return [_info_from(folder) for folder in session_folders(root)]


def resolve_session(ref: str | None, root: Path | None = None) -> Path:
    """The session folder named by `ref`: None/"latest", an id, a unique id prefix, or a path.

    Raises UsageError (exit 5) with one line when nothing or more than one session matches.
    """
    folders = session_folders(root)
    if ref in (None, "", "latest"):
        if not folders:
            raise UsageError(f"no recorded sessions in {root or paths.sessions_dir()}")
        return folders[-1]
    assert ref is not None
    as_path = Path(ref).expanduser()
    if os.sep in ref and (os.path.lexists(events_path(as_path)) or _is_session_folder(as_path)):
        return session_dir(as_path)
    matches = [f for f in folders if f.name == ref] or [
        f for f in folders if f.name.startswith(ref)
    ]
    if not matches:
        raise UsageError(f"no session matches {ref!r} (see `aiperm sessions`)")
    if len(matches) > 1:
        names = ", ".join(f.name for f in matches[:3])
        more = "…" if len(matches) > 3 else ""
        raise UsageError(f"{ref!r} is ambiguous: it matches {names}{more}")
    return matches[0]
