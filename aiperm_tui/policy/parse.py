"""From a command string to the list of simple commands it runs.

bashlex gives a real AST with positions; we walk all of it (lists, pipelines, subshells,
compound commands, `$(...)`, backticks, process substitution, redirections) and flatten it
into `Simple` records, each judged on its own. bashlex fails on some syntax and silently
mis-parses a few forms, so `parse` guards the known traps and falls back to the
conservative tokenizer in `tokenize.py`; the result then says it is not complete, and the
engine asks for at least `action`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

MAX_SOURCE = 16 * 1024  # longer input skips bashlex (its cost grows fast)
MAX_NESTING = 48  # deeper `$(`/`(`/backtick nesting skips bashlex (it recurses)
MAX_WALK_DEPTH = 400

_BASHLEX_LOCK = threading.Lock()  # bashlex keeps parser state in module globals


@dataclass(frozen=True)
class Word:
    """One shell word: `text` after quote removal, `raw` as written, span in the source."""

    text: str
    start: int
    end: int
    raw: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def quoted(self) -> bool:
        return any(c in self.raw for c in "'\"\\")

    @property
    def dynamic(self) -> bool:
        """True when the value is only known at run time ($VAR, $(...), backticks)."""
        bare = unquoted_part(self.raw.replace("$'", "'"), keep_double=True)
        return "$" in bare or "`" in bare

    @property
    def globbing(self) -> bool:
        bare = unquoted_part(self.raw, keep_double=False)
        return any(c in bare for c in "*?[")


@dataclass(frozen=True)
class Redirect:
    """`op` is the operator as written (`>`, `>>`, `<`, `&>`, `>&`, `<<`, `<<<`, ...)."""

    op: str
    target: Word | None
    span: tuple[int, int]
    fd: int | None = None

    @property
    def writes(self) -> bool:
        return self.op in (">", ">>", ">|", "&>", "&>>") or (
            self.op == ">&" and self.target is not None and not self.target.text.isdigit()
            and self.target.text != "-")


@dataclass
class Simple:
    """One simple command: its words (command word first), assignments, redirections."""

    words: list[Word]
    span: tuple[int, int]
    assigns: list[Word] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)
    upstream: Simple | None = None  # the command piping into this one
    heredoc: tuple[str, tuple[int, int]] | None = None  # body and its span


@dataclass
class Parsed:
    """What `parse` understood. `complete` is False when the fallback tokenizer was used
    or a part could not be analysed; `problem` says why."""

    simples: list[Simple]
    complete: bool = True
    problem: str = ""
    single: bool = False  # exactly one simple command and nothing else (argv is meaningful)


def unquoted_part(raw: str, *, keep_double: bool) -> str:
    """The characters of `raw` outside single quotes (and outside double quotes unless
    `keep_double`), escapes dropped: where expansion or globbing can still happen."""
    out: list[str] = []
    i, quote = 0, ""
    while i < len(raw):
        c = raw[i]
        if quote == "'":
            if c == "'":
                quote = ""
        elif c == "\\":
            i += 1
        elif quote == '"':
            if c == '"':
                quote = ""
            elif keep_double:
                out.append(c)
        elif c in "'\"":
            quote = c
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _max_nesting(src: str) -> int:
    depth = best = 0
    for c in src:
        if c in "({`":
            depth += 1
            best = max(best, depth)
        elif c in ")}" and depth:
            depth -= 1
    return best


_ANSI_C = re.compile(r"\$'")


def _bashlex_trap(src: str) -> str:
    """A reason not to trust bashlex on this source, or ''."""
    if not src.strip():
        return "empty command"
    if len(src) > MAX_SOURCE:
        return f"command longer than {MAX_SOURCE} characters"
    if _max_nesting(src) > MAX_NESTING:
        return "nested too deeply"
    if "\r" in src:
        return "carriage return in the command"
    if _ANSI_C.search(src):
        return "$'...' quoting (bashlex mis-parses it)"
    return ""


def parse(src: str) -> Parsed:
    """Parse with bashlex, or fall back to the tokenizer when bashlex fails or is not
    to be trusted. Never raises."""
    from aiperm_tui.policy.tokenize import tokenize  # local: avoids an import cycle

    trap = _bashlex_trap(src)
    if trap:
        return Parsed(tokenize(src), complete=False, problem=trap)
    try:
        walker = _Walker(src)
        with _BASHLEX_LOCK:
            import bashlex

            trees = bashlex.parse(src)
        for tree in trees:
            walker.node(tree, None, 0)
    except RecursionError:
        return Parsed(tokenize(src), complete=False, problem="nested too deeply")
    except _Untrusted as exc:
        return Parsed(tokenize(src), complete=False, problem=str(exc))
    except Exception as exc:  # bashlex raises many types (ParsingError, NotImplementedError…)
        return Parsed(tokenize(src), complete=False, problem=_bashlex_problem(exc))
    single = len(trees) == 1 and getattr(trees[0], "kind", "") == "command" and len(
        walker.simples) == 1
    return Parsed(walker.simples, single=single)


def _bashlex_problem(exc: Exception) -> str:
    text = str(exc).split("\n")[0][:80]
    if isinstance(exc, NotImplementedError):
        return f"shell syntax the parser does not support ({text})"
    return f"the parser could not read it ({text})" if text else "the parser could not read it"


class _Untrusted(Exception):
    """bashlex produced a tree we know to be wrong for this input."""


class _Walker:
    """Flattens a bashlex tree into `Simple` records, recursing into every part."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.simples: list[Simple] = []

    def node(self, n: Any, upstream: Simple | None, depth: int) -> Simple | None:
        """Walk `n`; returns the last simple command it produced (for pipelines)."""
        if depth > MAX_WALK_DEPTH:
            raise _Untrusted("nested too deeply")
        kind = getattr(n, "kind", "")
        if kind == "command":
            return self.command(n, upstream, depth)
        if kind == "pipeline":
            prev: Simple | None = None
            for part in n.parts:
                if getattr(part, "kind", "") != "pipe":
                    prev = self.node(part, prev, depth + 1)
            return prev
        if kind in ("commandsubstitution", "processsubstitution"):
            self.check_substitution(n)
            # `>(cmd)` reads what the command it belongs to writes: its upstream
            feeds = upstream if self.src.startswith(">(", n.pos[0]) else None
            return self.node(n.command, feeds, depth + 1)
        if kind == "parameter" and any(t in (n.value or "") for t in ("$(", "`", "<(")):
            raise _Untrusted("command substitution inside ${...}")
        last: Simple | None = None
        for child in _children(n):
            got = self.node(child, upstream, depth + 1)
            last = got or last
        for redirect in getattr(n, "redirects", None) or ():
            self.simples.append(Simple([], n.pos, redirects=[self.redirect(redirect, depth)]))
        return last

    def check_substitution(self, n: Any) -> None:
        """bashlex stops a `$(...)` at a newline inside it and drops the rest silently."""
        end = n.pos[1]
        if not 0 < end <= len(self.src) or self.src[end - 1] not in ")`":
            raise _Untrusted("newline inside $(...) (the parser drops the rest)")

    def word(self, n: Any) -> Word:
        s, e = n.pos
        return Word(n.word, s, e, self.src[s:e])

    def command(self, n: Any, upstream: Simple | None, depth: int) -> Simple:
        simple = Simple([], n.pos, upstream=upstream)
        self.simples.append(simple)
        for part in n.parts:
            kind = getattr(part, "kind", "")
            if kind == "word":
                simple.words.append(self.word(part))
            elif kind == "assignment":
                simple.assigns.append(self.word(part))
            elif kind == "redirect":
                simple.redirects.append(self.redirect(part, depth, simple))
                heredoc = getattr(part, "heredoc", None)
                if heredoc is not None:
                    simple.heredoc = (heredoc.value, heredoc.pos)
                continue
            for child in _children(part):
                self.node(child, _feeder(child, simple), depth + 1)
        return simple

    def redirect(self, n: Any, depth: int, owner: Simple | None = None) -> Redirect:
        out = getattr(n, "output", None)
        target = self.word(out) if getattr(out, "kind", "") == "word" else None
        if target is None and isinstance(out, int):
            target = Word(str(out), n.pos[1], n.pos[1], "")
        if getattr(out, "kind", "") == "word":
            for child in _children(out):
                self.node(child, _feeder(child, owner), depth + 1)
        fd = getattr(n, "input", None)
        return Redirect(n.type, target, n.pos, fd if isinstance(fd, int) else None)


def _feeder(child: Any, owner: Simple | None) -> Simple | None:
    """The command whose output a process substitution `>(...)` among its words reads."""
    return owner if getattr(child, "kind", "") == "processsubstitution" else None


def _children(n: Any) -> list[Any]:
    out: list[Any] = []
    for attr in ("parts", "list"):
        out.extend(getattr(n, attr, None) or ())
    command = getattr(n, "command", None)
    if command is not None and getattr(n, "kind", "") not in (
            "commandsubstitution", "processsubstitution"):
        out.append(command)
    return out
