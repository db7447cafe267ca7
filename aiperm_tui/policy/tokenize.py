"""The conservative fallback tokenizer, for what bashlex cannot (or must not) parse.

It knows quoting (`'...'`, `"..."`, `$'...'` with its escapes, backslashes), comments,
the list and pipe operators, redirections, here-documents, and it recurses into `$(...)`,
backticks, `<(...)` and `${...}` so that commands hidden there are still seen. It does not
understand compound syntax: keywords (`if`, `case`, `[[`, ...) are skipped and what follows
them is treated as commands, which errs on the side of judging too much. Linear time,
bounded recursion, never raises.
"""

from __future__ import annotations

from aiperm_tui.policy.parse import Redirect, Simple, Word

MAX_DEPTH = 32

KEYWORDS = frozenset(
    {
        "if",
        "then",
        "else",
        "elif",
        "fi",
        "do",
        "done",
        "while",
        "until",
        "{",
        "}",
        "!",
        "time",
        "function",
        "esac",
        "coproc",
    }
)
_DATA_KEYWORDS = frozenset({"for", "select", "case"})  # the rest of the segment is data
_OPERATORS = ("&&", "||", ";;", ";&", "|&", ";", "|", "&", "(", ")", "\n")
_REDIRECTS = ("&>>", "&>", ">>", ">|", ">&", "<<<", "<<-", "<<", "<&", "<>", ">", "<")
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "e": "\x1b",
    "E": "\x1b",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}


def tokenize(src: str, offset: int = 0, depth: int = 0) -> list[Simple]:
    """Split `src` into simple commands; spans are shifted by `offset`."""
    try:
        return _Tokenizer(src, offset, depth).run()
    except RecursionError:
        return [Simple([Word(src, offset, offset + len(src), src)], (offset, offset + len(src)))]


def _matching(src: str, i: int, open_: str, close: str) -> int:
    """Index just past the `close` matching the `open_` at i (or len(src))."""
    depth, quote = 0, ""
    while i < len(src):
        c = src[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                quote = ""
        elif c == "\\":
            i += 1
        elif c in "'\"":
            quote = c
        elif c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(src)


def decode_ansi_c(body: str) -> str:
    """The value of a `$'...'` body: bash's ANSI-C escapes."""
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c != "\\" or i + 1 >= len(body):
            out.append(c)
            i += 1
            continue
        nxt = body[i + 1]
        i += 2
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
        elif nxt in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[nxt]
            digits = ""
            while len(digits) < width and i < len(body) and body[i] in "0123456789abcdefABCDEF":
                digits += body[i]
                i += 1
            out.append(_safe_chr(int(digits, 16)) if digits else "\\" + nxt)
        elif nxt in "01234567":
            digits = nxt
            while len(digits) < 3 and i < len(body) and body[i] in "01234567":
                digits += body[i]
                i += 1
            out.append(_safe_chr(int(digits, 8)))
        else:
            out.append("\\" + nxt)
    return "".join(out)


def _safe_chr(code: int) -> str:
    return chr(code) if 0 <= code <= 0x10FFFF else "\ufffd"


class _Tokenizer:
    def __init__(self, src: str, offset: int, depth: int) -> None:
        self.src, self.offset, self.depth = src, offset, depth
        self.simples: list[Simple] = []
        self.nested: list[Simple] = []
        self.words: list[Word] = []
        self.redirects: list[Redirect] = []
        self.value: list[str] = []
        self.start = -1
        self.pending_redirect: tuple[str, int] | None = None
        self.pending_heredocs: list[tuple[str, Simple | None]] = []
        self.upstream: Simple | None = None
        self.piped = False
        self.data_segment = False
        self.current: Simple | None = None

    def run(self) -> list[Simple]:
        i, src = 0, self.src
        while i < len(src):
            c = src[i]
            if c in " \t":
                self.end_word(i)
                i += 1
            elif c == "#" and self.start < 0:
                i = src.find("\n", i)
                i = len(src) if i < 0 else i
            elif self.at_redirect(i):
                i = self.redirect(i)
            elif op := next((o for o in _OPERATORS if src.startswith(o, i)), None):
                i = self.operator(i, op)
            else:
                i = self.word_char(i)
        self.end_word(len(src))
        self.end_simple(len(src), None)
        return self.simples + self.nested

    # --- words ----------------------------------------------------------------------

    def begin(self, i: int) -> None:
        if self.start < 0:
            self.start = i

    def word_char(self, i: int) -> int:
        src, c = self.src, self.src[i]
        self.begin(i)
        if c == "\\":
            if i + 1 < len(src) and src[i + 1] == "\n":
                return i + 2
            self.value.append(src[i + 1 : i + 2])
            return i + 2
        if c == "'":
            end = src.find("'", i + 1)
            end = len(src) if end < 0 else end
            self.value.append(src[i + 1 : end])
            return end + 1
        if c == '"':
            return self.double_quoted(i + 1)
        if c == "$" and src.startswith("$'", i):
            end = i + 2
            while end < len(src) and src[end] != "'":
                end += 2 if src[end] == "\\" else 1
            self.value.append(decode_ansi_c(src[i + 2 : min(end, len(src))]))
            return end + 1
        if c == "$" or c == "`" or (c in "<>" and src.startswith("(", i + 1)):
            return self.substitution(i)
        self.value.append(c)
        return i + 1

    def double_quoted(self, i: int) -> int:
        src = self.src
        self.value.append("")
        while i < len(src) and src[i] != '"':
            if src[i] == "\\" and i + 1 < len(src):
                self.value.append(src[i + 1] if src[i + 1] in '$`"\\\n' else src[i : i + 2])
                i += 2
            elif src[i] in "$`":
                i = self.substitution(i)
            else:
                self.value.append(src[i])
                i += 1
        return i + 1

    def substitution(self, i: int) -> int:
        """`$(...)`, `` `...` ``, `<(...)`, `${...}`, `$((...))` or a bare `$`; commands
        inside are tokenized too."""
        src = self.src
        if src.startswith("$((", i):
            end = _matching(src, i + 1, "(", ")")
            inner_start = i + 3
        elif src.startswith("$(", i) or src.startswith("<(", i) or src.startswith(">(", i):
            end = _matching(src, i + 1, "(", ")")
            inner_start = i + 2
        elif src.startswith("${", i):
            end = _matching(src, i + 1, "{", "}")
            inner_start = i + 2
        elif src[i] == "`":
            end = src.find("`", i + 1)
            end = len(src) if end < 0 else end + 1
            inner_start = i + 1
        else:
            self.value.append("$")
            return i + 1
        self.value.append(src[i:end])
        inner = src[inner_start : max(inner_start, end - 1)]
        if src.startswith("${", i):
            self.scan_parameter(inner, inner_start)
        elif inner.strip():
            self.nest(inner, inner_start)
        return end

    def scan_parameter(self, inner: str, at: int) -> None:
        """`${x:-$(cmd)}`: only the substitutions inside are code."""
        j = 0
        while j < len(inner):
            if inner.startswith("$(", j):
                end = _matching(inner, j + 1, "(", ")")
                self.nest(inner[j + 2 : max(j + 2, end - 1)], at + j + 2)
                j = end
            elif inner[j] == "`":
                end = inner.find("`", j + 1)
                end = len(inner) if end < 0 else end
                self.nest(inner[j + 1 : end], at + j + 1)
                j = end + 1
            else:
                j += 1

    def nest(self, inner: str, at: int) -> None:
        if self.depth >= MAX_DEPTH:
            word = Word(inner, self.offset + at, self.offset + at + len(inner), inner)
            self.nested.append(Simple([word], word.span))
            return
        self.nested.extend(tokenize(inner, self.offset + at, self.depth + 1))

    def end_word(self, i: int) -> None:
        if self.start < 0:
            return
        raw = self.src[self.start : i]
        word = Word("".join(self.value), self.offset + self.start, self.offset + i, raw)
        self.value, self.start = [], -1
        if self.pending_redirect is not None:
            op, at = self.pending_redirect
            self.pending_redirect = None
            self.redirects.append(Redirect(op, word, (self.offset + at, word.end)))
            if op in ("<<", "<<-"):
                self.pending_heredocs.append((word.text, None))
            return
        self.add_word(word)

    def add_word(self, word: Word) -> None:
        if self.data_segment:
            return
        if not self.words:
            if word.text in KEYWORDS and not word.quoted:
                return
            if word.text in _DATA_KEYWORDS and not word.quoted:
                self.data_segment = True
                return
            if _is_assignment(word.text):
                self.assigns_of_current().append(word)
                return
        self.words.append(word)

    def assigns_of_current(self) -> list[Word]:
        if self.current is None:
            self.current = Simple([], (self.offset, self.offset))
        return self.current.assigns

    # --- operators ------------------------------------------------------------------

    def at_redirect(self, i: int) -> bool:
        src = self.src
        if src[i] in "<>" and src.startswith("(", i + 1):
            return False  # process substitution
        if src[i] == "&" and src.startswith(">", i + 1):
            return True
        return src[i] in "<>"

    def redirect(self, i: int) -> int:
        src = self.src
        op = next(o for o in _REDIRECTS if src.startswith(o, i))
        fd_start = i
        if self.start >= 0 and self.src[self.start : i].isdigit():
            fd_start = self.start
            self.value, self.start = [], -1
        else:
            self.end_word(i)
        end = i + len(op)
        if op in (">&", "<&"):
            j = end
            while j < len(src) and (src[j].isdigit() or src[j] == "-"):
                j += 1
            if j > end:
                target = Word(src[end:j], self.offset + end, self.offset + j, src[end:j])
                self.redirects.append(
                    Redirect(op, target, (self.offset + fd_start, self.offset + j))
                )
                return j
        self.pending_redirect = (op, fd_start)
        return end

    def operator(self, i: int, op: str) -> int:
        self.end_word(i)
        self.pending_redirect = None
        end = self.end_simple(i, op)
        if op == "\n" and self.pending_heredocs:
            return self.read_heredocs(i + 1)
        return end

    def end_simple(self, i: int, op: str | None) -> int:
        current = self.current or Simple([], (self.offset, self.offset))
        self.current = None
        if self.words or self.redirects or current.assigns:
            first = [w.start for w in self.words + current.assigns] + [
                r.span[0] for r in self.redirects
            ]
            current.words, current.redirects = self.words, self.redirects
            current.span = (min(first), self.offset + i)
            current.upstream = self.upstream if self.piped else None
            self.simples.append(current)
            self.pending_heredocs = [
                (d, current if s is None else s) for d, s in self.pending_heredocs
            ]
            last: Simple | None = current
        else:
            last = None
        self.words, self.redirects = [], []
        self.piped = op in ("|", "|&")
        self.upstream = last if self.piped else None
        self.data_segment = False
        return i + len(op or "")

    def read_heredocs(self, i: int) -> int:
        src = self.src
        for delim, simple in self.pending_heredocs:
            body_start = i
            while i < len(src):
                nl = src.find("\n", i)
                line_end = len(src) if nl < 0 else nl
                if src[i:line_end].strip() == delim:
                    body = src[body_start:i]
                    if simple is not None:
                        simple.heredoc = (body, (self.offset + body_start, self.offset + i))
                    i = line_end + 1
                    break
                i = line_end + 1
            else:
                if simple is not None:
                    simple.heredoc = (
                        src[body_start:],
                        (self.offset + body_start, self.offset + len(src)),
                    )
        self.pending_heredocs = []
        return min(i, len(src))


def _is_assignment(text: str) -> bool:
    name, eq, _ = text.partition("=")
    name = name.rstrip("+")
    if "[" in name:
        name = name[: name.index("[")]
    return bool(eq) and name.isidentifier() and name.isascii()
