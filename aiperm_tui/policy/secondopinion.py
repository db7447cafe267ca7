"""Asking bashlex what would run, with a deadline, and comparing with tree-sitter.

A parser differential (two parsers reading one text as two different programs) is a
known way to slip a command past a reviewer: what is shown and judged is one reading,
what bash runs is another. So a command that is not plain text is read twice, by
tree-sitter in this process and by bashlex in a worker process
(`bashlex_worker.py`), and a disagreement on the argv of the commands that would run
is itself a finding.

Bounds: one worker per process, started on first use (or early by `warm`), reused.
Waiting for it is bounded: `START_DEADLINE` for it to import bashlex, `DEADLINE` per
command, and the lock that serialises requests is only ever waited for with a timeout,
so a stuck worker can never hold the engine (or the TUI) for longer than that: it is
killed and the command is "could not be analysed". The worker gets no secret: its
environment is PATH, the locale and the import path.

A one-shot `aiperm check -- CMD` (a hook, once per command) asks bashlex in its own
process instead (`one_shot`): starting a worker is a second Python start-up (~40-100 ms,
most of the hook's time), while bashlex with its shipped tables imports in ~7 ms. The
same bounds hold there: the same deadlines, enforced by a SIGALRM timer that interrupts
bashlex (pure Python) between two bytecodes, and the same address-space allowance,
set around the call; a late answer is "could not be analysed", as with the worker. This
is only for a process that decides one command on its main thread: the broker and
`--stdin` keep the worker, which also parses on the other core while they work.
"""

from __future__ import annotations

import _thread  # threading (~1 ms) only once bashlex is asked: see `usable`
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator

from aiperm_tui import paths
from aiperm_tui.policy.lazyre import lazy

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    import subprocess
    from contextlib import AbstractContextManager
    from typing import Any

DEADLINE = 0.3  # seconds for one answer from a ready worker
START_DEADLINE = 2.0  # seconds for a new worker to import bashlex
LOCK_DEADLINE = DEADLINE + 0.2  # waiting for another request's turn

# Plain text: words, list/pipe/output-redirect operators, and quoted strings holding no
# quote, `$`, backquote, backslash or newline (nor `!` in double quotes): no expansion,
# substitution, escape, grouping, comment or here-doc. Both parsers read it the same way
# by construction, so it needs no second opinion (the common case stays fast).
_PLAIN = lazy(r"""(?:[A-Za-z0-9_./:=,@%+\-*?~ \t\n|&;>]|'[^'"$`\\\n]*'|"[^'"$`\\!\n]*")*""")
_RESERVED = frozenset(
    {
        "if",
        "then",
        "else",
        "elif",
        "fi",
        "do",
        "done",
        "case",
        "esac",
        "while",
        "until",
        "for",
        "in",
        "select",
        "function",
        "time",
        "coproc",
        "!",
        "{",
        "}",
        "[[",
        "]]",
    }
)
_WORDS = lazy(r"[^\s|&;>]+")


def is_plain(src: str) -> bool:
    """True when `src` has nothing either parser could read differently."""
    return bool(_PLAIN.fullmatch(src)) and not any(w in _RESERVED for w in _WORDS.findall(src))


def loops_bashlex(src: str) -> bool:
    """bashlex loops for ever on a `${` that no `}` follows after a quote
    (`echo a'${'`): known, so not even sent to the worker."""
    last = src.rfind("${")
    return last >= 0 and "}" not in src[last:]


class Unanswered(Exception):
    """The second parser did not answer in time (or could not be started)."""


class _Worker:
    """The bashlex worker process and the lock that gives it one request at a time."""

    def __init__(self) -> None:
        self.lock = _thread.allocate_lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.ready = False
        self.started = 0.0

    def start(self) -> None:
        """Start a worker if none runs (does not wait for it). Caller holds the lock or
        is the only thread."""
        if self.proc is not None and self.proc.poll() is None:
            return
        import subprocess  # here: a plain command never needs it (hook start-up time)

        env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL")}
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        env.update(paths.bytecode_env())
        # Run as a script, not through the package (which would import the whole
        # engine); -P keeps this folder (tokenize.py!) off the worker's import path.
        self.proc = subprocess.Popen(
            [sys.executable, "-P", os.path.join(os.path.dirname(__file__), "bashlex_worker.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            close_fds=True,
            start_new_session=True,
        )
        self.ready, self.started = False, time.monotonic()

    def kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            proc.kill()
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()

    def ask(self, src: str) -> dict[str, Any]:
        if not self.lock.acquire(timeout=LOCK_DEADLINE + START_DEADLINE):
            raise Unanswered("the second parser is busy")
        try:
            return self._ask(src)
        finally:
            self.lock.release()

    def _ask(self, src: str) -> dict[str, Any]:
        import json  # here: a one-shot check asks bashlex in-process, if at all

        self.start()
        assert self.proc is not None and self.proc.stdin and self.proc.stdout
        if not self.ready:
            reply = self._read(self.started + START_DEADLINE)
            if reply is None or not reply.get("ready"):
                self.kill()
                raise Unanswered("the second parser did not start")
            self.ready = True
        try:
            self.proc.stdin.write(json.dumps(src).encode() + b"\n")
            self.proc.stdin.flush()
        except OSError as exc:
            self.kill()
            raise Unanswered("the second parser stopped") from exc
        reply = self._read(time.monotonic() + DEADLINE)
        if reply is None:
            self.kill()
            self.start()  # its start overlaps the wait for the next command
            raise Unanswered(f"the second parser did not answer within {DEADLINE:g} s")
        return reply

    def _read(self, deadline: float) -> dict[str, Any] | None:
        """One JSON line from the worker before `deadline`, or None."""
        import json
        import select

        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        buf = b""
        while not buf.endswith(b"\n"):
            left = deadline - time.monotonic()
            if not select.select([fd], [], [], max(left, 0))[0]:  # past it: a last look
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            buf += chunk
        try:
            value = json.loads(buf)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None


_WORKER = _Worker()


class _Late(BaseException):
    """SIGALRM's deadline passed. A BaseException, so that the `except Exception` around
    bashlex's parse (which reads any exception as "bashlex cannot read this") lets it
    through."""


class _InProcess:
    """bashlex in this process, under a timer and an address-space cap (`one_shot`)."""

    def __init__(self) -> None:
        self.broken = False  # interrupted once: bashlex's module state is not trusted

    def usable(self) -> bool:
        import threading  # here: a plain command never asks (hook start-up time)

        return (
            not self.broken
            and threading.current_thread() is threading.main_thread()
            and os.path.isfile("/proc/self/statm")  # to cap memory relative to now
        )

    def ask(self, src: str) -> dict[str, Any]:
        from aiperm_tui.policy import bashlex_worker

        try:
            with _bounded(START_DEADLINE, bashlex_worker.MEMORY_LIMIT):
                bashlex_worker.import_bashlex()
            with _bounded(DEADLINE, bashlex_worker.MEMORY_LIMIT):
                return bashlex_worker.answer(src)
        except _Late:
            self.broken = True
            raise Unanswered(f"the second parser did not answer within {DEADLINE:g} s") from None


def _bounded(seconds: float, allowance: int) -> AbstractContextManager[None]:
    """Raise `_Late` in the block after `seconds`, and let the block add at most
    `allowance` bytes of address space (the worker's own cap). Main thread only: signals
    are delivered there. A timer already set (pytest-timeout's) is set again after, less
    the time spent here. (contextlib is imported here: its import was ~0.5 ms of every
    check, and only a command bashlex reads in-process comes here.)"""
    import contextlib

    return contextlib.contextmanager(_bounds)(seconds, allowance)


def _bounds(seconds: float, allowance: int) -> Iterator[None]:
    """`_bounded`'s block."""
    import resource
    import signal

    def late(_signum: int, _frame: object) -> None:
        raise _Late

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[0])
    cap = pages * resource.getpagesize() + allowance
    if soft != resource.RLIM_INFINITY:
        cap = min(cap, soft)  # never looser than the operator's own limit (soft <= hard)
    timer, start = (0.0, 0.0), time.monotonic()
    previous = signal.signal(signal.SIGALRM, late)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        timer = signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    finally:
        signal.signal(signal.SIGALRM, previous)
        if timer[0] > 0:
            left = max(timer[0] - (time.monotonic() - start), 1e-6)
            signal.setitimer(signal.ITIMER_REAL, left, timer[1])


_IN_PROCESS: _InProcess | None = None


class one_shot:  # lower case: used as a function: `with one_shot():`
    """Within the block this process decides one command: ask bashlex in-process, not
    in a worker. Back to the worker after it (the TUI and tests share the process). A
    class, not a `contextlib.contextmanager`: see `_bounded`."""

    def __enter__(self) -> None:
        global _IN_PROCESS
        _IN_PROCESS = _InProcess()

    def __exit__(self, *exc: object) -> None:
        global _IN_PROCESS
        _IN_PROCESS = None


def warm() -> None:
    """Start the worker now so that its start overlaps other work (the CLI calls this
    before loading the configuration)."""
    with _WORKER.lock:
        _WORKER.start()


def bashlex_argvs(src: str) -> list[list[str]] | None:
    """bashlex's argvs for `src`, or None when bashlex cannot read it (no opinion).
    Raises `Unanswered` when it did not answer in time."""
    local = _IN_PROCESS
    reply = local.ask(src) if local is not None and local.usable() else _WORKER.ask(src)
    argvs = reply.get("argvs")
    if isinstance(argvs, list):
        return [[str(w) for w in a] for a in argvs if isinstance(a, list)]
    return None


# An arithmetic command `(( ... ))` at a command's place: bashlex has no such syntax and
# reads it as nested subshells running its words (`(( x++ ))` as the command `x++`). With
# no parenthesis, backquote or newline inside, bash always reads it as arithmetic (the
# first `)` closes both), so no command runs there: it is masked as `:` for bashlex. A
# group of operands and operators in parentheses (`(( (t >> b) & 1 ))`: eighteenth pass)
# is balanced inside the `((`, so bash reads the whole as arithmetic too.
_ARITHMETIC_COMMAND = lazy(
    r"(?:(?<=^)|(?<=[\s;&|{]))\(\(((?:[^()`\n$]|\$(?!\()|\$\([^()`\n]*\)"
    r"|\([\w \t+\-*/%<>=!&|^~?:,.]*\))*)\)\)"
)
_SUBSTITUTION = lazy(r"\$\([^()`\n]*\)")


def mask_arithmetic(src: str) -> tuple[str, int]:
    """`src` with each plain arithmetic command as `:` followed by the command
    substitutions it holds (which bash runs, so bashlex must still read them), padded to
    the same length; and how many were masked."""

    def colon(m: re.Match[str]) -> str:
        text = " ".join([":", *_SUBSTITUTION.findall(m.group(1))])
        return text.ljust(len(m.group(0)))

    return _ARITHMETIC_COMMAND.subn(colon, src)


def arithmetic_argv(argv: list[str]) -> list[str]:
    """Our reading of a masked arithmetic command, as bashlex reads its mask."""
    return [":", *(w for w in argv[1:] if _SUBSTITUTION.fullmatch(w))]


def blind(src: str) -> bool:
    """bashlex misreads `$'...'` (it keeps the `$` and drops the backslashes): its
    reading of a command that uses it is no opinion."""
    return "$'" in src


# bashlex's known misreadings, applied to both sides before comparing: it removes
# quotes nested inside quotes in a word that looks like an assignment (`-o X='a "b"'`),
# and takes an array element assignment (`a[$(cmd)]=1`) for a command.
_ASSIGNMENT_LIKE = lazy(r"[A-Za-z_][A-Za-z0-9_]*(\[.*\])?\+?=", re.S)


# It also drops the backslashes of a single-quoted part glued to other characters of a
# word (`-f='${Version}\n'` becomes `-f=${Version}n`): in a line with such a part,
# backslashes are not compared.
_GLUED_QUOTED_BACKSLASH = lazy(r"[^\s'\"]'[^']*\\[^']*'")
# And it drops a backslash inside double quotes before a character that is not special
# there (`printf "%s\n"` becomes `%sn`), where bash keeps it: such a line is compared
# without backslashes too.
_DOUBLE_QUOTED_BACKSLASH = lazy(r'"[^"]*\\[^$`"\\\n]')


# And it drops a quote character quoted by the other kind (`cut -d'"' -f6`, `awk -F'"'`,
# `tr -d "'"`: the delimiters of log and CSV fields), where bash keeps it: in a line with
# such a part, that quote character is not compared.
# (Overlapping: in `'a'"'"'b'` the `'"'` and the `"'"` after it share a quote.)
_QUOTED_QUOTE = lazy(r"(?=('\"+'|\"'+\"))")
# And it drops the quotes of the other kind inside a quoted part glued to other
# characters of a word (`--match='up{job="node"}'` becomes `--match=up{job=node}`,
# `-t'{{ template "x" . }}'` and `--x=a"'b'"` likewise), where bash keeps them: in a line
# with such a part, that quote character is not compared.
_GLUED_NESTED_QUOTE = lazy(r"[^\s'\"]'[^']*\"[^']*'|[^\s'\"]\"[^\"]*'[^\"]*\"")


def _normal(argv: list[str], *, backslashes: bool = True, drop: str = "") -> str | None:
    if len(argv) == 1 and "[" in argv[0] and _ASSIGNMENT_LIKE.match(argv[0]):
        return None
    text = " ".join(
        w.replace("'", "").replace('"', "") if _ASSIGNMENT_LIKE.match(w) else w for w in argv
    )
    for quote in drop:
        text = text.replace(quote, "")
    return text if backslashes else text.replace("\\", "")


def differ(
    ours: list[list[str]], theirs: list[list[str]], src: str = ""
) -> tuple[list[str], list[str]]:
    """The commands one reading runs and the other does not (as `a b c` text); `src`
    is the line both read (to allow for bashlex's known misreadings of it)."""
    backslashes = not (_GLUED_QUOTED_BACKSLASH.search(src) or _DOUBLE_QUOTED_BACKSLASH.search(src))
    drop = "".join(
        sorted(
            {m.group(1)[1] for m in _QUOTED_QUOTE.finditer(src)}
            | {"'" if m.group(0)[1] == '"' else '"' for m in _GLUED_NESTED_QUOTE.finditer(src)}
        )
    )
    a = Counter(
        n for v in ours if (n := _normal(v, backslashes=backslashes, drop=drop)) is not None
    )
    b = Counter(
        n for v in theirs if (n := _normal(v, backslashes=backslashes, drop=drop)) is not None
    )
    return sorted((a - b).elements()), sorted((b - a).elements())
