"""tree-sitter-bash's syntax tree flattened into the `Simple` records the engine judges.

tree-sitter is the primary parser because it is total (a GLR parser with error recovery:
it always returns, in time linear in the input, with ERROR nodes where it gave up), fast
(a few microseconds a command, a C extension that imports in about a millisecond) and
knows the syntax bashlex refuses (`case`, `[[ ]]`, `$(( ))`, arrays, `$'...'`, here-docs
inside pipelines). A tree with an ERROR or MISSING node is not trusted: `parse` then falls
back to the conservative tokenizer and says the command was not fully analysed.

Every part of the tree is walked: lists, pipelines, subshells, groups, loops, `if`,
`case`, function bodies, `$(...)`, backticks, `<(...)`/`>(...)` anywhere inside a word
(also inside `${x:-$(cmd)}` and `$(( ))`), redirections and unquoted here-doc bodies.
`[[ ... ]]` and `(( ... ))` become a `Simple` whose first word is `[[` or `((`, so the
judges can see what they test or compute.

tree-sitter only ever sees ASCII: every other character is replaced by `.` before the
parse (one byte for one character, so its byte offsets are our character offsets).
tree-sitter-bash 0.25's scanner crashes the process (a segfault, found by the fuzz test)
on some astral characters after `{`, and to bash every non-ASCII character is an ordinary
word character that cannot start an identifier, exactly like `.`; the word texts are
taken from the original. The one place where the identity of a character changes the
syntax is a here-document delimiter, so a delimiter with such a character is not trusted.
"""

from __future__ import annotations

import _thread  # not threading (~1 ms of every check): its local is all it needs
import functools
import os
import sys
from collections.abc import Callable

from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.parse import Redirect, Simple, Word
from aiperm_tui.policy.tokenize import decode_ansi_c

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from typing import Any

MAX_DEPTH = 120  # tree levels walked; deeper input goes to the tokenizer (which caps at 32)

# Nodes that are statements (run something) as opposed to words.
_STATEMENTS = frozenset(
    {
        "command",
        "pipeline",
        "list",
        "redirected_statement",
        "subshell",
        "compound_statement",
        "if_statement",
        "elif_clause",
        "else_clause",
        "while_statement",
        "for_statement",
        "c_style_for_statement",
        "do_group",
        "case_statement",
        "case_item",
        "function_definition",
        "negated_command",
        "declaration_command",
        "unset_command",
        "test_command",
        "variable_assignment",
        "variable_assignments",
        "program",
    }
)
_REDIRECTS = frozenset({"file_redirect", "heredoc_redirect", "herestring_redirect"})
_SUBSTITUTIONS = frozenset({"command_substitution", "process_substitution"})
# The nodes a shell word is made of (a string, an expansion, a substitution...).
_WORD_NODES = frozenset(
    {
        "word",
        "number",
        "string",
        "raw_string",
        "ansi_c_string",
        "translated_string",
        "concatenation",
        "simple_expansion",
        "expansion",
        "command_substitution",
        "process_substitution",
        "arithmetic_expansion",
    }
)
# Those tree-sitter-bash nests after a redirection's target (`_Walker.trailing_word`).
_TRAILING_WORDS = _WORD_NODES | {"brace_expression"}
_NON_ASCII = lazy(r"[^\x00-\x7f]")


class TreeUntrusted(Exception):
    """The tree cannot be used: an ERROR or MISSING node, or nesting too deep."""


@functools.cache
def _language() -> Any:
    return _tree_sitter().Language(_bash_grammar())


def _tree_sitter() -> Any:
    """py-tree-sitter's classes (`Language`, `Parser`): its extension module, without the
    package's `__init__`, which imports typing for one Protocol (~2 ms of every check);
    kept as `tree_sitter._binding`, so a later `import tree_sitter` uses this one."""
    if "tree_sitter" not in sys.modules and (binding := _binding("tree_sitter")) is not None:
        sys.modules.setdefault("tree_sitter._binding", binding)
        return sys.modules["tree_sitter._binding"]
    import tree_sitter

    return tree_sitter


def _bash_grammar() -> Any:
    """tree-sitter-bash's grammar (a capsule for `tree_sitter.Language`).

    The package's `__init__` imports importlib.resources, for a highlighting query aiperm
    never reads, and with it tempfile, shutil, random, bz2 and lzma: ~4 ms of every
    `aiperm check`. So its extension module (`_binding`, which holds the grammar) is
    loaded from the package's folder as the import system would load it; a package laid
    out otherwise is imported as usual. tests/policy/test_policy_shelltree_grammar.py
    holds both to the same parse."""
    if (
        "tree_sitter_bash" not in sys.modules
        and (binding := _binding("tree_sitter_bash")) is not None
    ):
        return binding.language()
    import tree_sitter_bash

    return tree_sitter_bash.language()


def _binding(package: str) -> Any:
    """The extension module `package._binding`, loaded from the package's folder as the
    import system would load it but without running the package's `__init__`; None when
    the package is laid out otherwise (then it is imported as usual).

    With the import system's own parts (`_frozen_importlib`, `_frozen_importlib_external`:
    what `importlib.machinery` and `importlib.util` re-export, loaded at every start):
    importing `importlib.util` also imports contextlib and warnings, ~1 ms of every check.
    The package is looked for on sys.path (`PathFinder`, the finder of every installed
    package); one that another finder provides is imported as usual."""
    if (loaded := sys.modules.get(f"{package}._binding")) is not None:
        return loaded
    import _imp
    from _frozen_importlib import module_from_spec
    from _frozen_importlib_external import ExtensionFileLoader, PathFinder, spec_from_file_location

    name = f"{package}._binding"
    spec = PathFinder.find_spec(package)
    for folder in (spec and spec.submodule_search_locations) or ():
        for suffix in _imp.extension_suffixes():
            path = os.path.join(folder, "_binding" + suffix)
            if os.path.isfile(path):
                loader = ExtensionFileLoader(name, path)
                binding = spec_from_file_location(name, path, loader=loader)
                if binding is not None:
                    module = module_from_spec(binding)
                    loader.exec_module(module)
                    return module
    return None


_LOCAL = _thread._local()


def _parser() -> Any:
    """A tree-sitter parser for this thread: a parser is not safe to share between
    threads (the engine is), and one takes ~10 µs to build."""
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = _tree_sitter().Parser(_language())
    return parser


def tree_simples(src: str) -> tuple[list[Simple], list[Word], bool]:
    """The simple commands of `src`, the functions it defines (their name words), and
    whether it is exactly one simple command (its argv says everything it runs).
    Raises `TreeUntrusted` when the tree has errors or nests deeper than `MAX_DEPTH`."""
    ascii_src = src if src.isascii() else _NON_ASCII.sub(".", src)
    tree = _parser().parse(ascii_src.encode("ascii"))
    root = tree.root_node
    if root.has_error:
        raise TreeUntrusted("the parser could not read it (a syntax error)")
    walker = _Walker(src)
    walker.statement(root, None, 0)
    parts = [c for c in root.children if c.type != "comment"]
    single = (
        len(walker.simples) == 1
        and len(parts) == 1
        and (
            parts[0].type == "command"
            or (
                parts[0].type == "redirected_statement"
                and parts[0].child_by_field_name("body") is not None
                and parts[0].child_by_field_name("body").type == "command"
            )
        )
    )
    return walker.simples, walker.functions, single


class _Walker:
    """One walk over one tree; collects `simples` in source order of their start."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.simples: list[Simple] = []
        self.functions: list[Word] = []

    # --- positions and words --------------------------------------------------------

    def span(self, n: Any) -> tuple[int, int]:
        return (n.start_byte, n.end_byte)

    def raw(self, n: Any) -> str:
        return str(self.src[n.start_byte : n.end_byte])

    def word(self, nodes: list[Any]) -> Word:
        """One shell word made of adjacent nodes (tree-sitter sometimes splits one word:
        `$"..."`), its text after quote removal."""
        if len(nodes) == 1:
            n = nodes[0]
            return Word(self.value(n), n.start_byte, n.end_byte, self.raw(n))
        start, end = nodes[0].start_byte, nodes[-1].end_byte
        parts = [
            self.value(n)
            for i, n in enumerate(nodes)
            if not (n.type == "$" and i + 1 < len(nodes) and nodes[i + 1].type == "string")
        ]
        return Word("".join(parts), start, end, self.src[start:end])

    def value(self, n: Any) -> str:
        """The text of a word node after quote removal; expansions stay as written."""
        kind, raw = n.type, self.raw(n)
        if kind == "word":
            return _unescape(raw)
        if kind == "raw_string":
            return raw[1:-1]
        if kind == "ansi_c_string":
            return decode_ansi_c(raw[2:-1])
        if kind in ("string", "translated_string"):
            return self.double_quoted(n)
        if kind == "concatenation":
            return self.joined(n, n.start_byte, n.end_byte, _unescape)
        return raw

    def double_quoted(self, n: Any) -> str:
        first = n.start_byte + (2 if self.raw(n).startswith("$") else 1)
        return self.joined(n, first, n.end_byte - 1, _unescape_double)

    def joined(self, n: Any, start: int, end: int, plain: Any) -> str:
        """The values of `n`'s children between two byte offsets; the text between them
        (not covered by a child) read with `plain`."""
        out, pos = [], start
        for c in n.children:
            if c.end_byte <= start or c.start_byte >= end:
                continue
            if c.start_byte > pos:
                out.append(plain(self.src[pos : c.start_byte]))
            out.append(plain(self.raw(c)) if c.type == "string_content" else self.value(c))
            pos = c.end_byte
        if pos < end:
            out.append(plain(self.src[pos:end]))
        return "".join(out)

    # --- statements -----------------------------------------------------------------

    def statement(self, n: Any, upstream: Simple | None, depth: int) -> Simple | None:
        """Walk a statement node; returns the last simple command it produced (the one a
        pipeline feeds onwards)."""
        if depth > MAX_DEPTH:
            raise TreeUntrusted("nested too deeply")
        kind = n.type
        if kind == "command":
            return self.command(n, upstream, depth)
        if kind == "pipeline":
            return self.pipeline(n, upstream, depth)
        if kind == "redirected_statement":
            return self.redirected(n, upstream, depth)
        if kind in ("variable_assignment", "variable_assignments"):
            simple = Simple([], self.span(n), upstream=upstream)
            self.simples.append(simple)
            self.assignments(n, simple, depth)
            return simple
        if kind in ("declaration_command", "unset_command"):
            return self.declaration(n, upstream, depth)
        if kind == "test_command" or (
            kind == "compound_statement" and n.child_count and n.children[0].type == "(("
        ):
            return self.flat(n, upstream, depth)
        if kind == "subshell":
            return self.scoped(n, lambda: self.children(n, upstream, depth))
        if kind == "function_definition":
            name = n.child_by_field_name("name")
            if name is not None:
                self.functions.append(self.word([name]))
        return self.children(n, upstream, depth)

    def children(self, n: Any, upstream: Simple | None, depth: int) -> Simple | None:
        """Walk the statements, redirections and words directly under `n`."""
        last: Simple | None = None
        for c in n.children:
            if c.type in _STATEMENTS:
                last = self.statement(c, upstream, depth + 1) or last
            elif c.type in _REDIRECTS:
                self.simples.append(
                    Simple([], self.span(c), redirects=[self.redirect(c, None, depth)])
                )
            else:
                self.embedded(c, None, depth + 1)
        return last

    def scoped(self, n: Any, walk: Callable[[], Simple | None]) -> Simple | None:
        """Run `walk` for the subshell `n`: every simple command it adds runs in `n`."""
        first = len(self.simples)
        last = walk()
        for simple in self.simples[first:]:
            simple.scopes = (self.span(n), *simple.scopes)
        return last

    def pipeline(self, n: Any, upstream: Simple | None, depth: int) -> Simple | None:
        prev = upstream
        for c in n.children:
            if c.type in _STATEMENTS:
                prev = self.statement(c, prev, depth + 1)
            elif c.type not in ("|", "|&"):
                self.embedded(c, None, depth + 1)
        return prev

    def redirected(self, n: Any, upstream: Simple | None, depth: int) -> Simple | None:
        body = n.child_by_field_name("body")
        redirects = [c for c in n.children if c.type in _REDIRECTS]
        if body is not None and body.type == "command":
            owner: Simple | None = self.command(body, upstream, depth + 1)
            last = owner
            if redirects and owner is not None:
                self.dropped_dash(owner, body.end_byte, redirects[0].start_byte)
        else:
            last = self.statement(body, upstream, depth + 1) if body is not None else None
            owner = _tail_owner(body, last, self.span)
        for r in redirects:
            target = owner if owner is not None else Simple([], self.span(r))
            if owner is None:
                self.simples.append(target)
            target.redirects.append(self.redirect(r, target, depth))
            last = self.heredoc_tail(r, target, depth) or last
        return last

    def trailing_word(self, c: Any, owner: Simple | None) -> None:
        """A word after a redirection's target is the command's next argument (`cat x
        2>/dev/null /etc/shadow` prints the shadow file), but tree-sitter-bash 0.25 keeps
        it inside the redirection's node: give it back to the command it belongs to. A
        redirection that belongs to no simple command has no argument to give it to."""
        if owner is None:
            raise TreeUntrusted("a word after a redirection of no simple command")
        owner.words.append(self.word([c]))

    def dropped_dash(self, owner: Simple, end: int, start: int) -> None:
        """Give back the `-` tree-sitter-bash drops before a numbered redirection: it
        reads `cat - 2>&1` as `cat 2>&1` (0.25), so `ffmpeg ... -f null - 2>&1` lost its
        output `-` and `tar -cf - 2>/dev/null DIR` its archive. Any other text between the
        command and its first redirection is text the tree does not hold: not trusted."""
        gap = self.src[end:start]
        if gap.strip() == "-":
            at = end + gap.index("-")
            owner.words.append(Word("-", at, at + 1, "-"))
        elif gap.strip():
            raise TreeUntrusted("a word the syntax tree dropped before a redirection")

    def heredoc_tail(self, r: Any, owner: Simple, depth: int) -> Simple | None:
        """What tree-sitter nests inside a here-doc redirect: the pipeline or list that
        follows `<<EOF` on its line (`cat <<E | sh`), and further redirections."""
        last: Simple | None = None
        for c in r.children:
            if c.type == "pipeline":
                last = self.pipeline(c, owner, depth + 1)
            elif c.type in _STATEMENTS:
                last = self.statement(c, None, depth + 1) or last
            elif c.type in _REDIRECTS:
                owner.redirects.append(self.redirect(c, owner, depth))
        return last

    def command(self, n: Any, upstream: Simple | None, depth: int) -> Simple:
        simple = Simple([], self.span(n), upstream=upstream)
        self.simples.append(simple)
        pending: list[Any] = []
        for c in n.children:
            kind = c.type
            if kind == "variable_assignment":
                self.assignments(c, simple, depth)
            elif kind in _REDIRECTS:
                simple.redirects.append(self.redirect(c, simple, depth))
            elif kind == "comment":
                continue
            elif kind == "subshell" and _is_time_keyword(simple.words, pending, self.src):
                self.statement(c, upstream, depth + 1)  # `time ( ... )`: times the subshell
            else:
                part = c.children[0] if kind == "command_name" and c.child_count else c
                if pending and pending[-1].end_byte != part.start_byte:
                    simple.words.append(self.word(pending))
                    pending = []
                pending.append(part)
                if _may_hold_commands(self.src, part):
                    self.embedded(part, simple, depth + 1)
        if pending:
            simple.words.append(self.word(pending))
        return simple

    def assignments(self, n: Any, simple: Simple, depth: int) -> None:
        nodes = (
            [n]
            if n.type == "variable_assignment"
            else [c for c in n.children if c.type == "variable_assignment"]
        )
        for a in nodes:
            simple.assigns.append(
                Word(
                    self.joined(a, a.start_byte, a.end_byte, _unescape), *self.span(a), self.raw(a)
                )
            )
            self.embedded(a, None, depth + 1)

    def declaration(self, n: Any, upstream: Simple | None, depth: int) -> Simple:
        """`export A=1 B`, `local -r x=$(id)`, `unset -f y`: a command whose arguments
        may be assignments (as bashlex and the tokenizer give them: one word each)."""
        simple = Simple([], self.span(n), upstream=upstream)
        self.simples.append(simple)
        for c in n.children:
            if c.type in _REDIRECTS:
                simple.redirects.append(self.redirect(c, simple, depth))
                continue
            text = (
                self.joined(c, c.start_byte, c.end_byte, _unescape)
                if c.type == "variable_assignment"
                else self.value(c)
            )
            simple.words.append(Word(text, *self.span(c), self.raw(c)))
            self.embedded(c, None, depth + 1)
        return simple

    def flat(self, n: Any, upstream: Simple | None, depth: int) -> Simple:
        """`[[ ... ]]` or `(( ... ))` as one simple command: the keyword, then each
        operand and operator as a word."""
        simple = Simple([], self.span(n), upstream=upstream)
        self.simples.append(simple)
        simple.words.extend(self.word([leaf]) for leaf in _operands(n))
        self.embedded(n, None, depth + 1)
        return simple

    # --- redirections and what hides inside words -----------------------------------

    def redirect(self, n: Any, owner: Simple | None, depth: int) -> Redirect:
        op, fd, target = "", None, None
        for c in n.children:
            if c.type == "file_descriptor":
                fd = int(self.raw(c)) if self.raw(c).isdigit() else None
            elif not c.is_named and not op:
                op = c.type
            elif c.type == "heredoc_start":
                target = self.word([c])
                if not target.raw.isascii():
                    raise TreeUntrusted("a here-document delimiter outside ASCII")
            elif c.is_named and target is None and c.type not in _STATEMENTS | _REDIRECTS:
                target = self.word([c])
            elif c.type in _TRAILING_WORDS and target is not None:
                self.trailing_word(c, owner)
        if op.endswith("-") and op not in ("<<-",):  # `>&-`, `<&-`: close the fd
            op, target = op[:-1], Word("-", n.end_byte - 1, n.end_byte, "-")
        redirect = Redirect(op, target, self.span(n), fd)
        for c in n.children:
            if c.type == "heredoc_end" and not self.raw(c).isascii():
                raise TreeUntrusted("a here-document delimiter outside ASCII")
            if c.type == "heredoc_body":
                if owner is not None:
                    owner.heredoc = (self.raw(c), self.span(c))
                self.embedded(c, None, depth + 1)
            elif c.type not in _STATEMENTS | _REDIRECTS:
                self.embedded(c, _feeder(c, owner), depth + 1)
        return redirect

    def embedded(self, n: Any, owner: Simple | None, depth: int) -> None:
        """Walk the commands inside a word: `$(...)`, backticks, `<(...)`, `>(...)`,
        wherever they are (in quotes, `${...}`, `$(( ))`, array values, here-docs)."""
        if depth > MAX_DEPTH:
            raise TreeUntrusted("nested too deeply")
        if n.type in _SUBSTITUTIONS:
            feeds = (
                owner
                if n.type == "process_substitution" and n.children and n.children[0].type == ">("
                else None
            )
            self.scoped(n, lambda: self.substitution(n, feeds, depth))
            return
        for c in n.children:
            if c.type in _STATEMENTS:
                self.statement(c, None, depth + 1)
            else:
                self.embedded(c, owner, depth + 1)

    def substitution(self, n: Any, feeds: Simple | None, depth: int) -> None:
        for c in n.children:
            if c.type in _STATEMENTS:
                self.statement(c, feeds, depth + 1)
            elif c.type in _REDIRECTS:  # `$(< FILE)`: bash reads FILE
                self.simples.append(
                    Simple([], self.span(c), redirects=[self.redirect(c, None, depth)])
                )


def _is_time_keyword(words: list[Word], pending: list[Any], src: str) -> bool:
    """Whether the command read so far is bash's `time` keyword (with `-p`): tree-sitter
    reads `time ( ... )` as a command `time` whose argument is a subshell; bash times the
    subshell, and every other command word followed by `(` is a syntax error."""
    texts = [w.raw for w in words] + ["".join(src[p.start_byte : p.end_byte] for p in pending)]
    texts = [t for t in texts if t]
    return bool(texts) and texts[0] == "time" and all(t == "-p" for t in texts[1:])


def _may_hold_commands(src: str, n: Any) -> bool:
    """A word can only hold a command inside `$(`, a backquote, `<(` or `>(` (a fast
    path: most words have none, and walking their nodes is the slow part)."""
    raw = src[n.start_byte : n.end_byte]
    return "(" in raw or "`" in raw


def _feeder(child: Any, owner: Simple | None) -> Simple | None:
    """A `>(...)` used as a redirect target reads what its command writes."""
    return owner if child.type == "process_substitution" else None


# The word-like leaves of a `[[ ]]` or `(( ))`, kept whole by `_operands`.
_WORDLIKE = _WORD_NODES | {
    "regex",
    "extglob_pattern",
    "test_operator",
    "variable_name",
    "subscript",
}


def _operands(n: Any) -> list[Any]:
    """The leaves of a `[[ ]]` or `(( ))` in order, keeping word-like nodes whole."""
    out: list[Any] = []
    stack = [n]
    while stack:
        node = stack.pop()
        if node is not n and (node.type in _WORDLIKE or node.child_count == 0):
            out.append(node)
        else:
            stack.extend(reversed(node.children))
    return out


def _unescape(raw: str, escapable: str = "") -> str:
    """Backslash removal outside quotes: `\\x` is `x`, backslash-newline is nothing. With
    `escapable`, only a backslash before one of its characters escapes (the others stay
    as written): the one loop serves both quoting contexts, so they cannot drift apart."""
    if "\\" not in raw:
        return raw
    out, i = [], 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw) and (not escapable or raw[i + 1] in escapable):
            if raw[i + 1] != "\n":
                out.append(raw[i + 1])
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def _unescape_double(raw: str) -> str:
    """Inside double quotes a backslash only escapes `$`, backquote, `"`, `\\`, newline."""
    return _unescape(raw, '$`"\\\n')


def _tail_owner(
    body: Any, last: Simple | None, span: Callable[[Any], tuple[int, int]]
) -> Simple | None:
    """The command a redirection after a list or pipeline belongs to. tree-sitter-bash
    reads `a && b > f` and `a | b > f` as the redirection of the whole list, but bash
    gives it to the last simple command (`b`), as it does for `a; b > f`; a compound
    (`( a; b ) > f`, `{ ...; } > f`, a loop) keeps it for itself (None)."""
    node = body
    while node is not None and node.type in ("list", "pipeline") and node.named_children:
        node = node.named_children[-1]
    if node is None or node is body or node.type != "command" or last is None:
        return None
    return last if last.span == span(node) else None
