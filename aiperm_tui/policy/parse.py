"""From a command string to the list of simple commands it runs.

Two independent readings: tree-sitter-bash (`shelltree.py`) is the primary parse that
everything is judged on: total, linear, a few microseconds a command. bashlex
(`secondopinion.py`, in a worker process with a deadline) reads the same text again
unless it is plain words and operators; when both read it and they disagree on what would
run, that is a finding (`parse.differential`). A tree with syntax errors, or nesting
deeper than the walk follows, falls back to the conservative tokenizer in `tokenize.py`;
the result then says it is not complete and the engine asks for at least `action`.
What cannot be analysed within the bounds (too long, the second parser loops or does not
answer in time) is a `parse.unanalysable` finding: a typed confirmation.
See docs/policy-parser.md.
"""

from __future__ import annotations

from aiperm_tui.policy.hits import Hit
from aiperm_tui.values import Frozen, Record

MAX_SOURCE = 32 * 1024  # longer input is not parsed at all: it cannot be analysed
MAX_SECOND = 16 * 1024  # longer input gets no second opinion (bashlex slows down fast)


class Word(Frozen):
    """One shell word: `text` after quote removal, `raw` as written, span in the source."""

    __slots__ = ("end", "raw", "start", "text")
    text: str
    start: int
    end: int
    raw: str

    def __init__(self, text: str, start: int, end: int, raw: str) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "raw", raw)

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


class Redirect(Frozen):
    """`op` is the operator as written (`>`, `>>`, `<`, `&>`, `>&`, `<<`, `<<<`, ...)."""

    __slots__ = ("fd", "op", "span", "target")
    op: str
    target: Word | None
    span: tuple[int, int]
    fd: int | None

    def __init__(
        self, op: str, target: Word | None, span: tuple[int, int], fd: int | None = None
    ) -> None:
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "fd", fd)

    @property
    def writes(self) -> bool:
        return self.op in (">", ">>", ">|", "&>", "&>>") or (
            self.op == ">&"
            and self.target is not None
            and not self.target.text.isdigit()
            and self.target.text != "-"
        )


class Simple(Record):
    """One simple command: its words (command word first), assignments, redirections.
    `upstream` is the command piping into this one; `heredoc` its body and span;
    `scopes` the subshells it runs in, outermost first (`( )`, `$( )`, `<( )`): a `cd`
    there does not move the rest of the line. (None for `assigns` or `redirects`: a new
    empty list.)"""

    __slots__ = ("assigns", "heredoc", "redirects", "scopes", "span", "upstream", "words")
    words: list[Word]
    span: tuple[int, int]
    assigns: list[Word]
    redirects: list[Redirect]
    upstream: Simple | None
    heredoc: tuple[str, tuple[int, int]] | None
    scopes: tuple[tuple[int, int], ...]

    def __init__(
        self,
        words: list[Word],
        span: tuple[int, int],
        assigns: list[Word] | None = None,
        redirects: list[Redirect] | None = None,
        upstream: Simple | None = None,
        heredoc: tuple[str, tuple[int, int]] | None = None,
        scopes: tuple[tuple[int, int], ...] = (),
    ) -> None:
        self.words = words
        self.span = span
        self.assigns = [] if assigns is None else assigns
        self.redirects = [] if redirects is None else redirects
        self.upstream = upstream
        self.heredoc = heredoc
        self.scopes = scopes


class Parsed(Record):
    """What `parse` understood. `complete` is False when the fallback tokenizer was used
    or a part could not be analysed; `problem` says why. `single`: exactly one simple
    command and nothing else (argv is meaningful); `hits` the parser's own findings;
    `functions` the names of functions defined. (None for a list: a new empty one.)"""

    __slots__ = ("complete", "functions", "hits", "problem", "simples", "single")
    simples: list[Simple]
    complete: bool
    problem: str
    single: bool
    hits: list[Hit]
    functions: list[Word]

    def __init__(
        self,
        simples: list[Simple],
        complete: bool = True,
        problem: str = "",
        single: bool = False,
        hits: list[Hit] | None = None,
        functions: list[Word] | None = None,
    ) -> None:
        self.simples = simples
        self.complete = complete
        self.problem = problem
        self.single = single
        self.hits = [] if hits is None else hits
        self.functions = [] if functions is None else functions


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


def _trap(src: str) -> str:
    """A reason to read `src` with the tokenizer only, or ''."""
    if not src.strip():
        return "empty command"
    if "\r" in src:  # bash reads CR as part of a word; tree-sitter as a blank
        return "carriage return in the command"
    return ""


def unanalysable(src: str, why: str) -> Hit:
    """The finding for a command the engine could not analyse within its bounds."""
    return Hit(
        "parse.unanalysable", "high", f"could not be analysed: {why}", (0, len(src)), "unknown"
    )


def parse(src: str, *, second_opinion: bool = True) -> Parsed:
    """Parse with tree-sitter, check with bashlex, or fall back to the tokenizer.
    Never raises, never hangs."""
    from aiperm_tui.policy.shelltree import TreeUntrusted, tree_simples
    from aiperm_tui.policy.tokenize import tokenize

    if len(src) > MAX_SOURCE:
        why = f"command longer than {MAX_SOURCE // 1024} KiB"
        return Parsed([], complete=False, problem=why, hits=[unanalysable(src, why)])
    trap = _trap(src)
    if trap:
        return Parsed(tokenize(src), complete=False, problem=trap)
    try:
        simples, functions, single = tree_simples(src)
        for _ in range(4):  # `time time X=1 cmd`: each keyword blanked reveals the next
            if (blanked := _without_time_keyword(src, simples)) is None:
                break
            src = blanked
            simples, functions, single = tree_simples(src)
    except (TreeUntrusted, RecursionError) as exc:
        why = str(exc) if isinstance(exc, TreeUntrusted) else "nested too deeply"
        return Parsed(tokenize(src), complete=False, problem=why)
    parsed = Parsed(simples, single=single, functions=functions)
    if second_opinion:
        _second_opinion(src, parsed)
    return parsed


def _without_time_keyword(src: str, simples: list[Simple]) -> str | None:
    """`src` with bash's `time` keyword (and its `-p`) blanked, or None when it has none.

    `time` at the start of a pipeline times the whole pipeline, whatever it is: `time !
    mkfs ...`, `time X=1 cmd`, `time for ...; done`, `time { ...; }`. tree-sitter-bash
    reads it as a command named `time` taking the rest as arguments (or ends it at the
    first `;`), so the compound or assignment after it is lost. Blanked with spaces, the
    spans stay. Only when the word after it is no GNU time option: `time -o FILE cmd`
    keeps `time` as the wrapper that writes FILE (as /usr/bin/time does under sh)."""
    out = src
    for simple in simples:
        words = simple.words
        if simple.assigns or not words or words[0].raw != "time":
            continue
        end = words[0].end
        if len(words) > 1 and words[1].raw.startswith("-"):
            if words[1].raw != "-p":
                continue
            end = words[1].end
        start = words[0].start
        out = out[:start] + " " * (end - start) + out[end:]
    return None if out == src else out


def _second_opinion(src: str, parsed: Parsed) -> None:
    """Compare with bashlex's reading; a disagreement or no answer is a finding."""
    from aiperm_tui.policy import secondopinion

    if secondopinion.blind(src) and "\\\n" in src:
        # a continuation inside a word (`$'cat' /etc/gsh\<newline>adow`): bash joins the
        # word, the first parser splits it, and bashlex, which catches that, misreads
        # `$'...'`: no reading stands (left19, found by the metamorphic rewrites)
        parsed.hits.append(unanalysable(src, "a line continuation inside a word with $'...'"))
        return
    if secondopinion.is_plain(src) or secondopinion.blind(src):
        return
    if len(src) > MAX_SECOND:
        parsed.complete = False
        parsed.problem = f"longer than {MAX_SECOND // 1024} KiB: not read by the second parser"
        return
    if secondopinion.loops_bashlex(src):
        parsed.hits.append(unanalysable(src, "the second parser loops on an unclosed ${"))
        return
    masked, arithmetic = secondopinion.mask_arithmetic(src)
    try:
        theirs = secondopinion.bashlex_argvs(masked)
    except secondopinion.Unanswered as exc:
        parsed.hits.append(unanalysable(src, str(exc)))
        return
    if theirs is None:
        return  # bashlex cannot read this syntax: tree-sitter's reading stands alone
    ours = [[w.text for w in s.words] for s in parsed.simples if s.words]
    if arithmetic:  # each masked `(( ... ))` is a `:` to bashlex
        ours = [
            secondopinion.arithmetic_argv(argv) if argv[:1] == ["(("] else argv for argv in ours
        ]
    only_ours, only_theirs = secondopinion.differ(ours, theirs, src)
    if only_theirs:  # only what we did not judge matters: the rest was judged
        parsed.hits.append(
            Hit(
                "parse.differential",
                "high",
                "the two shell parsers disagree on what would "
                f"run: the second also sees {_listed(only_theirs)}, the first "
                f"{_listed(only_ours)}; read it as bash would",
                (0, len(src)),
                "unknown",
            )
        )


def _listed(commands: list[str]) -> str:
    if not commands:
        return "nothing more"
    shown = "; ".join(c[:60] for c in commands[:3])
    return f"[{shown}{'; ...' if len(commands) > 3 else ''}]"
