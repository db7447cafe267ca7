"""Arithmetic that reads text nobody reviewed (nineteenth pass, left19).

bash evaluates an array subscript wherever it evaluates arithmetic, and a subscript may
hold a command substitution: with `x='a[$(id)]'`, `(( x ))`, `$(( x ))`, `$[x]`,
`let x`, `[[ x -eq 1 ]]`, `declare -i n=$x`, `${arr[x]}`, `${s:x}` and `for ((i=x;;))`
all run `id`. So do the places where a value is taken as a variable's name (`${!x}`,
`printf -v "$x"`, `[[ -v $x ]]`, `unset "$x"`). A value written out on the line is seen
by `dataflow.subscript_code`; this module finds the values the line does not show: a
variable whose source can hold text (a file, a decoder, the network, stdin, an unknown
command's output, the environment) read where bash evaluates it. Sources that can only
hold a number (a literal, a counting command, the shell's own counters) stay quiet.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

from aiperm_tui.policy.dataflow import closing, functions
from aiperm_tui.policy.lazyre import lazy

# Variables the shell itself keeps numeric (or the positional words, which are the line's
# own arguments): reading them in arithmetic runs nothing hidden.
_SHELL_NUMBERS = frozenset(
    {
        "RANDOM",
        "SRANDOM",
        "SECONDS",
        "EPOCHSECONDS",
        "EPOCHREALTIME",
        "LINENO",
        "BASHPID",
        "PPID",
        "UID",
        "EUID",
        "SHLVL",
        "OPTIND",
        "HISTCMD",
        "BASH_SUBSHELL",
        "BASH_LINENO",
        "BASH_VERSINFO",
        "BASH_ARGC",
        "PIPESTATUS",
        "COMP_CWORD",
        "COMP_POINT",
        "MAPFILE_COUNT",
    }
)
# Commands whose output is a number or a report of sizes, times and counts the system
# computes (not text a file or the network supplies).
_COUNTERS = frozenset(
    {
        "wc",
        "nproc",
        "date",
        "id",
        "du",
        "df",
        "free",
        "getconf",
        "tput",
        "seq",
        "expr",
        "pgrep",
        "pidof",
        "jot",
    }
)
# Filters that only select or delete what they are given (they add no text of their own).
_SELECTORS = frozenset({"head", "tail", "cut", "sort", "uniq", "tr", "grep", "wc", "numfmt"})
# Files the kernel writes (numbers and flags), and system configuration only root writes.
# Not a process's own files (`/proc/self/environ`, `/proc/PID/cmdline`: text any process
# chooses), not the account list (`/etc/passwd`: `chfn` lets a user write their GECOS
# field, left20) however it is spelt (`/etc//passwd`, `/etc/./passwd`, `/etc/pass[w]d`,
# `/etc/pass""wd`, a variable), and never a path that climbs (`/etc/../tmp/x`).
_SYSTEM_FILE = lazy(
    r"^(?!.*(?:/\.\.(?:/|$)|passwd|//|/\./|[*?\[{$`\\'\"]))"
    r"(?:/sys/|/etc/|/proc/(?:sys/|loadavg$|uptime$|meminfo$|stat$|vmstat$|"
    r"pressure/|diskstats$|interrupts$|softirqs$|swaps$|net/(?:dev|snmp|netstat|"
    r"sockstat)$))"
)
# stat formats that print numbers only (size, times, inode, owner ids, links, blocks).
_STAT_NUMBERS = lazy(r"^(?:[^%a-zA-Z$`\[\]\\(){}'\"<>;&|!]|%[sYXZWiubBhdDgufto])*$")
_TR_DIGITS = lazy(r"^(?:0-9|\[:digit:\]|\\d)(?:0-9|\[:(?:digit|space|blank):\]|\\[nt]|[\s.,:+])*$")
_NAME = r"[A-Za-z_]\w*"
# `NAME=` or `NAME+=` (also `NAME[i]=`) where a word starts.
_ASSIGN = lazy(rf"(?:^|(?<=[\s;&|(){{`]))({_NAME})(?:\[[^\]\n]*\])?\+?=(?!=)")
_READ = lazy(r"(?:^|(?<=[\s;&|(){`]))(read|mapfile|readarray)((?:\s+[^\s;&|<>()]+)*)")
_FOR_WORDS = lazy(rf"\bfor\s+({_NAME})\s+in\s+([^;\n]*?)\s*(?:;|\n)\s*do\b")
_FOR_BARE = lazy(rf"\bfor\s+({_NAME})\s*(?:;|\n)\s*do\b")
_PRINTF_V = lazy(rf"\bprintf\s+-v\s*['\"]?({_NAME})\b")
_GETOPTS = lazy(rf"\bgetopts\s+\S+\s+({_NAME})\b")
_DECLARED = lazy(
    r"(?:\b(?:declare|typeset)\s+(?:-\w+\s+)*-\w*[aA]\w*|\blocal(?:\s+-\w+)*)((?:\s+[^\s;&|=]+)+)"
)
_ASSOC = lazy(rf"\b(?:declare|typeset|local)\s+(?:-\w+\s+)*-\w*A\w*\s+({_NAME})")
_INTEGER = lazy(r"\b(?:declare|typeset|local)\s+(?:-\w+\s+)*-\w*i\w*((?:\s+[^\s;&|]+)+)")
_COMPARE = lazy(r"-(?:eq|ne|lt|le|gt|ge)")
_TEST_V = lazy(r"(?:\[\[|\btest|\[)\s+(?:!\s+)?-v\s+(\S+)")
_NAME_USES = lazy(
    rf"\$\{{!({_NAME})\}}|\bprintf\s+-v\s+(\S+)|\bunset\s+(?:-[vn]\s+)?([\"']?\$\S+)"
    rf"|\b(?:declare|typeset|local)\s+-\w*n\w*\s+{_NAME}=(\S+)"
)
_SUBSCRIPT_READ = lazy(rf"\$\{{#?({_NAME})\[([^\]]*)\]")
_SUBSCRIPT_WRITE = lazy(rf"(?:^|(?<=[\s;&|(){{]))({_NAME})\[([^\]\n]*)\]\+?=")
_LITERAL_KEY = lazy(r"[(\s]\[([^\]\n]*)\]=")
_SUBSTRING = lazy(rf"\$\{{({_NAME})(?:\[[@*]\])?:(?![-=+?])([^:}}]*)(?::([^}}]*))?\}}")
# a variable read (`$x`, `${x}`), or the positional words (`$1`, `${10}`, `$@`, `$*`)
_EXPANSION = lazy(rf"\$\{{?({_NAME}|\d+|[@*])")
# where a command starts: the line's start, after an operator, or after a keyword
_COMMAND_START = r"(?:^|[;&|({`\n]|\b(?:then|do|else|elif|if|while|until|time|!))\s*"
_SET_WORDS = lazy(rf"{_COMMAND_START}set((?:[ \t]+[^\s;&|<>()]+)+)")
_BARE = lazy(rf"(?<![\w$#@.{{!])({_NAME})")


_HEREDOC = lazy(r"<<-?\s*(['\"]?)([A-Za-z_]\w*)\1[^\n]*\n(.*?)(?:^\s*\2\s*$|\Z)", re.M | re.S)


def _mask(src: str) -> str:
    """`src` with single-quoted text and comments blanked (same length): code for another
    language (`awk '... ((x)) ...'`) is not this shell's arithmetic. A here-document's
    body is another program's text too: a quoted one is blanked whole, an unquoted one
    keeps only its `$((...))` and `$[...]` (the shell expands those)."""
    for m in _HEREDOC.finditer(src):
        body = m.group(3)
        if m.group(1):
            kept = " " * len(body)
        else:
            kept = re.sub(r"(?<!\$)\(\(|\[\[|\blet\b", lambda k: " " * len(k.group(0)), body)
            kept = kept.replace("'", " ")
        src = src[: m.start(3)] + kept + src[m.end(3) :]
    out = list(src)
    i, n = 0, len(src)
    dq = False
    while i < n:
        c = src[i]
        if c == "\\" and i + 1 < n:
            i += 2
            continue
        if c == '"':
            dq = not dq
        elif c == "'" and not dq:
            end = src.find("'", i + 1)
            end = n if end < 0 else end
            for j in range(i + 1, end):
                out[j] = " "
            i = end + 1
            continue
        elif c == "#" and not dq and (i == 0 or src[i - 1] in " \t\n;&|("):
            end = src.find("\n", i)
            end = n if end < 0 else end
            for j in range(i, end):
                out[j] = " "
            i = end
            continue
        i += 1
    return "".join(out)


def _word_end(text: str, i: int) -> int:
    """Where the shell word starting at `i` ends (quotes and `$(...)` kept whole)."""
    n = len(text)
    while i < n:
        c = text[i]
        if c in " \t\n;&|<>" or (c == ")"):
            return i
        if c == "\\":
            i += 2
        elif c == "'":
            end = text.find("'", i + 1)
            i = n if end < 0 else end + 1
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                if text[j] == "\\":
                    j += 1
                elif text.startswith("$(", j):
                    j = closing(text, j + 2)
                j += 1
            i = j + 1
        elif text.startswith("$(", i):
            i = closing(text, i + 2) + 1
        elif text.startswith("${", i):
            i = closing(text, i + 2, "{", "}") + 1
        elif c == "(" and i > 0 and text[i - 1] == "=":
            i = closing(text, i + 1) + 1
        elif c == "`":
            end = text.find("`", i + 1)
            i = n if end < 0 else end + 1
        else:
            i += 1
    return n


def _words(text: str) -> list[str]:
    """The shell words of `text` as written (quotes and substitutions kept)."""
    out, i = [], 0
    while i < len(text):
        if text[i] in " \t\n":
            i += 1
            continue
        end = max(_word_end(text, i), i + 1)
        out.append(text[i:end])
        i = end
    return out


def _word_end_line(src: str, start: int, at_least: int) -> int:
    """The end of the last word that starts before `at_least` (quotes kept whole)."""
    i = start
    while i < at_least:
        if src[i] in " \t":
            i += 1
            continue
        i = max(_word_end(src, i), i + 1)
    return i


def _substitutions(text: str) -> list[tuple[int, int]]:
    """The spans of `$(...)` (not `$((`) and backtick substitutions in `text`."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        if text.startswith("$(", i) and not text.startswith("$((", i):
            end = closing(text, i + 2)
            out.append((i, end + 1))
            i = end + 1
        elif text[i] == "`":
            end = text.find("`", i + 1)
            end = len(text) if end < 0 else end
            out.append((i, end + 1))
            i = end + 1
        else:
            i += 1
    return out


def _stages(command: str) -> list[list[str]]:
    """The words of each stage of a pipeline (quotes dropped; a failed split: none)."""
    out = []
    for part in re.split(r"(?<!\|)\|(?!\|)", command):
        try:
            words = shlex.split(part, comments=False)
        except ValueError:
            return []
        while words and re.fullmatch(rf"{_NAME}=.*", words[0]):
            words.pop(0)
        if words and words[0] in ("sudo", "command", "env", "nice", "timeout"):
            words.pop(0)
        out.append(words)
    return out


def counts(command: str) -> bool:
    """Whether the output of `command` (a `$(...)`) can only be a number: a counting
    command or the kernel's own files, through filters that only select."""
    stages = _stages(command.strip())
    if not stages or not all(stages):
        return False
    last = stages[-1]
    base = last[0].rsplit("/", 1)[-1]
    if base == "wc" and not _names_files(last) and not _wc_reads_names(last):
        return True
    if base == "grep" and _grep_counts(last):
        return True
    if base == "tr" and _tr_keeps_digits(last):
        return True
    first = stages[0]
    name = first[0].rsplit("/", 1)[-1]
    if name == "stat":
        fmt = next(
            (
                w.partition("=")[2] or (first[k + 1] if k + 1 < len(first) else "")
                for k, w in enumerate(first)
                if w in ("-c", "--printf", "--format") or w.startswith(("--format=", "--printf="))
            ),
            None,
        )
        produces = fmt is not None and bool(_STAT_NUMBERS.match(fmt))
    elif name in ("cat", "head", "tail", "cut"):
        paths = [w for w in first[1:] if not w.startswith("-")]
        produces = (bool(paths) and all(_SYSTEM_FILE.match(p) for p in paths)) or (
            _passwd_numbers(first)
        )
    elif name == "echo" or name == "printf":
        # digits and `%d`, `\n` only: an octal escape (`\141`) prints any character
        produces = all(re.fullmatch(r"(?:[\d%d\s-]|\\n)*", w) for w in first[1:])
    elif name in _COUNTERS:
        produces = _counter_prints_number(name, first)
    else:
        produces = False
    if not produces:
        return False
    if not all(_selects(s) for s in stages[1:]):
        return False
    # a report that prints names beside its numbers (`du`, `df`, `wc *`, `pgrep -l`): a
    # file or process name is text anyone chooses, so only its first field is a number
    return not _prints_names(name, first) or any(_first_field(name, s) for s in stages[1:])


_GECOS = "the GECOS field of /etc/passwd (`chfn` lets a user write it)"
# `IFS=: read ...` (the account list split at its colons, which chfn refuses in a field)
_IFS_COLON = lazy(r"\bIFS=(['\"]?):\1\s+$")


def _passwd_numbers(words: list[str]) -> bool:
    """`cut -d: -f3 /etc/passwd`: fields of the account list other than the fifth (the
    GECOS field a user writes with chfn, which refuses `:` in it) are root's."""
    if words[0] != "cut" or words[-1] != "/etc/passwd" or any(w.startswith("--co") for w in words):
        return False
    opts = " ".join(words[1:-1])
    delim = re.fullmatch(r"(?:-d\s*:|--delimiter=:)\s+(?:-f\s*|--fields=)([\d,-]+)", opts)
    delim = delim or re.fullmatch(r"(?:-f\s*|--fields=)([\d,-]+)\s+(?:-d\s*:|--delimiter=:)", opts)
    if delim is None:
        return False
    for part in delim.group(1).split(","):
        low, _, high = part.partition("-")
        if not low.isdigit() or (part.endswith("-") or int(low) <= 5 <= int(high or low)):
            return False
    return True


# df's columns that are numbers (`df --output=pcent`): the others print a device or a
# mount point.
_DF_NUMBERS = frozenset({"size", "used", "avail", "pcent", "itotal", "iused", "iavail", "ipcent"})


def _names_files(words: list[str]) -> bool:
    """A glob or a variable among the operands: file names the line does not show."""
    return any(re.search(r"[*?\[$`]", w) for w in words[1:] if not w.startswith("-"))


def _prints_names(name: str, words: list[str]) -> bool:
    if name == "du":
        return True
    if name == "wc":
        return _names_files(words) or _wc_reads_names(words)
    if name == "pgrep":
        # `-l`, `-a` (also in a cluster: `-fl`), `--list-name`/`--list-full` (abbreviated)
        return any(re.fullmatch(r"-[A-Za-z]*[la][A-Za-z]*|--l.*", w) for w in words[1:])
    if name == "df":
        fields = [w.partition("=")[2] for w in words if w.startswith("--output=")]
        return not fields or not all(f in _DF_NUMBERS for x in fields for f in x.split(","))
    return False


def _first_field(name: str, words: list[str]) -> bool:
    """`du | cut -f1`, `pgrep -l | cut -d' ' -f1`: only the first field kept. Not with
    `--complement` (everything but the first field), and only where the report's own
    separator is the delimiter: cut prints a line that lacks the delimiter whole (rev19b)."""
    base = words[0].rsplit("/", 1)[-1]
    if base != "cut" or any(w.startswith("--co") for w in words):
        return False
    first = any(re.fullmatch(r"-f1|--fields=1", w) for w in words) or any(
        w in ("-f", "--fields") and words[k + 1 : k + 2] == ["1"] for k, w in enumerate(words)
    )
    delims = [
        w[2:] if w.startswith("-d") and len(w) > 2 else w.partition("=")[2]
        for w in words
        if (w.startswith("-d") and len(w) > 2) or w.startswith("--delimiter=")
    ] + [words[k + 1] for k, w in enumerate(words[:-1]) if w in ("-d", "--delimiter")]
    if name == "du":  # `du` separates size and name by a tab (cut's default)
        return first and not delims
    if name == "pgrep":  # `pgrep -l`: `PID name`
        return first and delims == [" "]
    return False


_OPT_VALUES = {
    "head": ("-n", "-c", "--lines", "--bytes"),
    "tail": ("-n", "-c", "--lines", "--bytes", "-s", "--pid", "--sleep-interval"),
    "sort": ("-k", "-t", "-o", "-S", "-T", "--key", "--field-separator", "--output"),
    "uniq": ("-f", "-s", "-w", "--skip-fields", "--skip-chars", "--check-chars"),
    "cut": ("-d", "-f", "-b", "-c", "--delimiter", "--fields", "--output-delimiter"),
    "grep": ("-e", "-f", "-m", "-A", "-B", "-C", "-d", "-D", "--regexp", "--file"),
    "wc": (),
    "numfmt": (),
    "tr": (),
}


def _operands(base: str, words: list[str]) -> list[str]:
    """The words of a filter that are not options nor an option's value."""
    takes = _OPT_VALUES.get(base, ())
    out: list[str] = []
    k = 1
    while k < len(words):
        w = words[k]
        if w == "--":
            out += words[k + 1 :]
            break
        if w in takes:
            k += 2
            continue
        if not (w.startswith("-") and len(w) > 1):
            out.append(w)
        k += 1
    return out


def _grep_names(words: list[str]) -> bool:
    """grep options that print a file name (or `--label`) or search a tree."""
    for w in words[1:]:
        if w.startswith("--"):
            if w.startswith(("--with-f", "--rec", "--der", "--dir", "--lab", "--null")):
                return True
        elif w.startswith("-") and re.search(r"[HrRdZ]", w[1:]):
            return True
    return False


def _grep_counts(words: list[str]) -> bool:
    """`grep -c PATTERN` on its input: one number (not `FILE:N` per file)."""
    if not any(re.fullmatch(r"-[A-Za-z]*c[A-Za-z]*|--count", w) for w in words):
        return False
    ops = _operands("grep", words)
    patterns = any(
        w in ("-e", "-f") or w.startswith(("--regexp", "--file", "-e", "-f")) for w in words
    )
    files = ops if patterns else ops[1:]
    # one file named on the line: grep prints its count alone (two or a glob: `FILE:N`)
    return not _grep_names(words) and len(files) <= 1 and not _names_files(["grep", *files])


def _tr_keeps_digits(words: list[str]) -> bool:
    """`tr -dc 0-9`: every character but the digits deleted."""
    flags = "".join(w[1:] for w in words[1:] if re.fullmatch(r"-[A-Za-z]+", w))
    sets = _operands("tr", words)
    return (
        "d" in flags
        and bool(re.search(r"[cC]", flags))
        and len(sets) == 1
        and bool(_TR_DIGITS.match(sets[0]))
    )


def _wc_reads_names(words: list[str]) -> bool:
    return any(w.startswith("--f") for w in words)


def _selects(words: list[str]) -> bool:
    """A filter that only selects or deletes what it is given: no file it reads (`head
    FILE`, `sort --files0-from=`), no text of its own (`tr 0-9 'a[...'`, `numfmt
    --format=`), no file names printed (`grep -H`, `grep -r`) (rev19b)."""
    base = words[0].rsplit("/", 1)[-1]
    if base not in _SELECTORS:
        return False
    ops = _operands(base, words)
    if base == "tr":
        flags = "".join(w[1:] for w in words[1:] if re.fullmatch(r"-[A-Za-z]+", w))
        if len(ops) == 1:
            return True
        # a second set adds its characters, unless it is `-d`'s squeeze set or blanks
        return len(ops) == 2 and (
            ("d" in flags and not re.search(r"[cC]", flags))
            or bool(re.fullmatch(r"(?:[\d\s,.:]|\\[nt])*", ops[1]))
        )
    if base == "grep":
        patterns = any(
            w in ("-e", "-f") or w.startswith(("--regexp", "--file", "-e", "-f")) for w in words
        )
        return not _grep_names(words) and len(ops) <= (0 if patterns else 1)
    if base == "wc":
        return not _wc_reads_names(words) and not ops
    if base == "sort" and any(w.startswith("--fi") for w in words):
        return False
    if base == "numfmt":
        return not any(w.startswith(("--fo", "--su", "--pa")) for w in words)
    return not ops


def _counter_prints_number(name: str, words: list[str]) -> bool:
    """A counting command whose options add no text of the caller's: `date +FORMAT` of
    numeric conversions only, `seq` without `-f`/`-s`, `expr` of arithmetic, `jot`
    without `-b`/`-w`/`-s` (rev19b)."""
    if name == "date":
        return all(
            re.fullmatch(
                r"\+(?:[^A-Za-z%$`\[\]\\(){}'\"<>;&|!]|%[-_0^#]?\d*[sYmdHMSjuwVUGgNeklyCIDFTRzn%:])*",
                w,
            )
            for w in words[1:]
            if w.startswith("+")
        )
    if name == "seq":
        return all(re.fullmatch(r"-w|--equal-width|-?[\d.]+", w) for w in words[1:])
    if name == "expr":
        args = words[1:]
        if args[:1] == ["length"]:
            return len(args) == 2
        ops = ("+", "-", "*", "/", "%", "<", "<=", "=", "==", "!=", ">=", ">")
        return (
            len(args) >= 3
            and len(args) % 2 == 1
            and all(a in ops for a in args[1::2])
            and all(a not in ops for a in args[0::2])
        )
    if name == "jot":
        return not any(re.fullmatch(r"-\w*[bwsc]\w*", w) for w in words[1:])
    return True


class _Sources:
    """What each variable the line sets can hold: True when text nobody reviewed."""

    def __init__(self, masked: str, src: str) -> None:
        self.masked, self.src = masked, src
        self.text: dict[str, str] = {}  # name -> where its text comes from
        self.numeric: set[str] = set()
        self.assigned: set[str] = set()
        # where the positional words (`$1`, `$@`) can take text from: the line's own
        # arguments, unless a function the line defines is called with text or `set --`
        # sets them to text (left20)
        self.positional: str | None = None

    def mark(self, name: str, why: str | None) -> None:
        self.assigned.add(name)
        if why is None:
            self.numeric.add(name)
        else:
            self.text.setdefault(name, why)

    def value_source(self, raw: str) -> str | None:
        """Why a value written as `raw` can hold text the line does not show, or None."""
        body = raw
        spans = _substitutions(body)
        for start, end in spans:
            inner = body[start + 2 : end - 1] if body[start] == "$" else body[start + 1 : end - 1]
            if not counts(inner):
                return f"the output of `{inner.strip()[:40]}`"
        rest = "".join(
            body[spans[k - 1][1] if k else 0 : spans[k][0] if k < len(spans) else len(body)]
            for k in range(len(spans) + 1)
        )
        # `$((...))` and `${#x}` are numbers; other expansions read a variable
        rest = re.sub(r"\$\(\(.*?\)\)|\$\[.*?\]|\$\{#\w+(?:\[[@*]\])?\}", " ", rest)
        for m in _EXPANSION.finditer(rest):
            why = self.name_source(m.group(1))
            if why is not None:
                return why
        return None

    def name_source(self, name: str) -> str | None:
        if name in ("@", "*") or name.isdigit():
            return self.positional
        if name in self.text:
            return self.text[name]
        if name in self.numeric or name in _SHELL_NUMBERS or name.isdigit():
            return None
        if name in self.assigned:
            return None
        return "the environment (not set on this line)"

    def collect(self) -> None:
        m_src = self.masked
        events: list[tuple[int, str, str | None]] = []
        for m in _ASSIGN.finditer(m_src):
            end = _word_end(self.src, m.end())
            events.append((m.start(), m.group(1), self.src[m.end() : end]))
        for m in _READ.finditer(m_src):
            events.append((m.start(), f"\0read:{m.group(1)}", m.group(2)))
        for m in _FOR_WORDS.finditer(m_src):
            events.append((m.start(), f"\0for:{m.group(1)}", self.src[m.start(2) : m.end(2)]))
        for m in _FOR_BARE.finditer(m_src):
            self.assigned.add(m.group(1))  # `for x; do`: the positional words
        for m in _PRINTF_V.finditer(m_src):
            self.mark(m.group(1), "`printf -v` output")
        for m in _GETOPTS.finditer(m_src):
            self.mark(m.group(1), None)
        for m in _DECLARED.finditer(m_src):
            # `declare -A m`, `local n`: a new, empty variable (not the environment's)
            for name in re.findall(rf"(?:^|\s)({_NAME})(?=\s|$)", m.group(1)):
                self.mark(name, None)
        # the positional words and the values set from them feed each other (`f(){ local
        # n=$1; }; v=$(cat x); f "$v"`, `g(){ f "$1"; }`): settled in a few rounds
        for _ in range(3):
            for pos, name, value in sorted(events, key=lambda e: e[0]):
                if name.startswith("\0read:"):
                    self.read(pos, name[6:], value or "")
                elif name.startswith("\0for:"):
                    self.loop(name[5:], value or "")
                else:
                    raw = value or ""
                    self.mark(name, self.value_source(raw) if ("$" in raw or "`" in raw) else None)
            before, self.positional = self.positional, self.positional_source()
            if self.positional == before:
                break

    def positional_source(self) -> str | None:
        """Why the positional words can hold text: a function the line defines called
        with an argument whose source can (`f(){ (( $1 )); }; f "$(cat x)"`: the body
        reads the call's words), or `set -- "$(cat x)"` (the line's own `$1` replaced)."""
        calls = [
            (m.end(), f"the arguments of {name}")
            for name in functions(self.masked)
            for m in re.finditer(
                rf"{_COMMAND_START}{re.escape(name)}(?=[ \t])(?!\s*\(\s*\))", self.masked
            )
        ]
        calls += [(m.start(1), "`set`'s words") for m in _SET_WORDS.finditer(self.masked)]
        for start, what in calls:
            stop = re.search(r"[;&|\n)]|$", self.masked[start:])
            end = start + (stop.start() if stop else 0)
            words = _words(self.src[start : _word_end_line(self.src, start, end)])
            if what.startswith("`set`"):
                words = _set_operands(words)
            for word in words:
                why = self.value_source(word) if ("$" in word or "`" in word) else None
                if why is not None:
                    return f"{what} ({why})"
        return None

    def read(self, pos: int, verb: str, words: str) -> None:
        names = [w for w in words.split() if re.fullmatch(_NAME, w)]
        if verb != "read":
            names = names[-1:] or ["MAPFILE"]
        elif not names:
            names = ["REPLY"]
        # where the input comes from: a here-string, a here-document, a file
        after = self.src[pos:]
        stop = re.search(r"[;&|\n]", after)
        segment = after[: stop.start()] if stop else after
        if not re.search(r"<", segment):
            before = self.src[:pos]
            looped = re.search(r"\b(?:while|until)\s+(?:\w+=\S*\s+)*$", before)
            done = re.search(r"\bdone\s*(<<<|<)\s*", after) if looped else None
            piped = re.search(r"(?<!\|)\|\s*(?:while|until)?\s*(?:\w+=\S*\s+)*$", before)
            if done:
                segment = after[done.start() :]
            elif piped:
                feeder = re.split(r"[;&\n]|\|\||&&", before[: piped.start()])[-1]
                for n in names:
                    self.mark(n, None if counts(feeder.split("|")[-1]) else "a pipe")
                return
        why: str | None = "the input `read` is given"
        here = re.search(r"<<<\s*", segment)
        redirect = re.search(r"(?<![<0-9])<\s*([^\s<;&|()]+)", segment)
        if here:
            raw = self.src[pos + here.end() : pos + _word_end(self.src[pos:], here.end())]
            why = self.value_source(raw) if ("$" in raw or "`" in raw) else None
        elif redirect and _SYSTEM_FILE.match(redirect.group(1).strip("'\"")):
            why = None
        elif redirect and redirect.group(1) == "/etc/passwd" and _IFS_COLON.search(self.src[:pos]):
            for k, n in enumerate(names):  # the one that gets the GECOS field is text
                self.mark(n, _GECOS if k == 4 or k == len(names) - 1 < 4 else None)
            return
        elif redirect:
            why = f"the file {redirect.group(1)}"
        elif re.search(r"<<-?\s*['\"]?\w+", segment):
            why = None  # a here-document: text on the line (its expansions are judged)
        for n in names:
            self.mark(n, why)

    def loop(self, name: str, words: str) -> None:
        if not words.strip() or re.fullmatch(r"[\w\s.,:/+-]*|\{\d+\.\.\d+(?:\.\.\d+)?\}", words):
            self.mark(name, None)
        elif re.fullmatch(r'\s*"?\$(?:@|\*|\{@\}|\{\*\})"?\s*', words):
            self.mark(name, None)  # the positional words: the line's own arguments
        elif "$" in words or "`" in words:
            self.mark(name, self.value_source(words))
        else:
            self.mark(name, "file names a pattern matches")


def _set_operands(words: list[str]) -> list[str]:
    """The words `set` makes the positional words: after its options (`-o NAME` and a
    cluster ending in `o` take a name) or after `--`."""
    k = 0
    while k < len(words) and words[k][:1] in "-+" and words[k] not in ("-", "--"):
        k += 2 if words[k][-1] == "o" else 1
    return words[k + 1 :] if words[k : k + 1] in (["--"], ["-"]) else words[k:]


def _expression_reads(expr: str) -> list[str]:
    """The variables an arithmetic expression reads (bare names and `$NAME`), leaving
    out what is inside a command substitution (judged as a command) and number bases."""
    for start, end in reversed(_substitutions(expr)):
        expr = expr[:start] + " " * (end - start) + expr[end:]
    expr = re.sub(r"\$\{#\w+(?:\[[@*]\])?\}", " ", expr)
    names = [m.group(1) for m in _EXPANSION.finditer(expr)]
    names += [m.group(1) for m in _BARE.finditer(expr)]
    return names


def _expression_subs(expr: str) -> list[str]:
    """The command substitutions in an arithmetic expression (their output is evaluated)."""
    out = []
    for start, end in _substitutions(expr):
        out.append(expr[start + 2 : end - 1] if expr[start] == "$" else expr[start + 1 : end - 1])
    return out


def _arithmetic(masked: str, src: str) -> list[tuple[str, tuple[int, int]]]:
    """Every arithmetic expression in the (masked) source with its span."""
    out: list[tuple[str, tuple[int, int]]] = []
    i = 0
    while True:
        i = masked.find("((", i)
        if i < 0:
            break
        end = closing(masked, i + 2)
        # `( (a) )` or `((a) | b)` is a subshell: arithmetic closes as `))`
        if masked[end + 1 : end + 2] == ")":
            out.append((masked[i + 2 : end], (i, end + 2)))
            i = end + 2
        else:
            i += 2
    for m in re.finditer(r"\$\[", masked):
        end = closing(masked, m.end(), "[", "]")
        out.append((masked[m.end() : end], (m.start(), end + 1)))
    for m in re.finditer(r"(?:^|(?<=[\s;&|({]))let\s+", masked):
        stop = re.search(r"[;&|\n)]|$", masked[m.end() :])
        end = m.end() + (stop.start() if stop else 0)
        # the words as written: `let 'y = x + 1'` quotes its expression
        for w in _words(src[m.end() : _word_end_line(src, m.end(), end)]):
            out.append((w.strip("\"'"), (m.start(), end)))
    for m in re.finditer(r"\[\[(.*?)\]\]", masked, re.DOTALL):
        words = _words(m.group(1))
        for k, w in enumerate(words):
            if _COMPARE.fullmatch(w):
                for near in words[k - 1 : k] + words[k + 1 : k + 2]:
                    out.append((near.strip("\"'"), (m.start(), m.end())))
    return out


def _subscripts(masked: str, assoc: set[str]) -> list[tuple[str, tuple[int, int]]]:
    out: list[tuple[str, tuple[int, int]]] = []
    for m in _SUBSCRIPT_READ.finditer(masked):
        if m.group(1) not in assoc and m.group(2) not in ("@", "*"):
            out.append((m.group(2), m.span()))
    for m in _SUBSCRIPT_WRITE.finditer(masked):
        if m.group(1) not in assoc:
            out.append((m.group(2), m.span()))
    for m in _LITERAL_KEY.finditer(masked):
        out.append((m.group(1), m.span()))
    for m in _SUBSTRING.finditer(masked):
        out.append((m.group(2), m.span()))
        if m.group(3):
            out.append((m.group(3), m.span()))
    return out


def hidden_code(src: str) -> list[tuple[str, tuple[int, int], str]]:
    """Each place bash evaluates (as arithmetic or as a variable's name) a value whose
    source can hold text the line does not show: (what is read, span, where it comes
    from). See the module docstring."""
    if not any(t in src for t in ("((", "$[", "let", "[[", "-i", "[", "-v", "${", "unset", "read")):
        return []
    masked = _mask(src)
    sources = _Sources(masked, src)
    sources.collect()
    assoc = {m.group(1) for m in _ASSOC.finditer(masked)}
    integers: set[str] = set()
    exprs = _arithmetic(masked, src) + _subscripts(masked, assoc)
    for m in _INTEGER.finditer(masked):
        for w in re.finditer(rf"({_NAME})=(\S*)", m.group(1)):
            integers.add(w.group(1))
            exprs.append((w.group(2).strip("\"'"), m.span()))
        integers.update(re.findall(rf"(?<![\w=$-])({_NAME})(?![\w=])", m.group(1)))
    for m in _ASSIGN.finditer(masked):
        if m.group(1) in integers and not re.match(r"\b(?:declare|typeset|local)\b", src):
            end = _word_end(src, m.end())
            exprs.append((src[m.end() : end].strip("\"'"), (m.start(), end)))
    out: list[tuple[str, tuple[int, int], str]] = []
    seen: set[tuple[str, tuple[int, int]]] = set()

    def found(what: str, span: tuple[int, int], why: str) -> None:
        if (what, span) not in seen:
            seen.add((what, span))
            out.append((what, span, why))

    for expr, span in exprs:
        for name in _expression_reads(expr):
            why = sources.name_source(name)
            if why is not None:
                found(name, span, why)
        for inner in _expression_subs(expr):
            if not counts(inner):
                found(f"$({inner.strip()[:40]})", span, f"the output of `{inner.strip()[:40]}`")
    for m in _TEST_V.finditer(masked):
        _name_use(m.group(1), m.span(), sources, found)
    for r in re.finditer(r"(?:^|(?<=[\s;&|({]))read\s", masked):
        stop = re.search(r"[;&|\n<>)]|$", masked[r.end() :])
        end = r.end() + (stop.start() if stop else 0)
        words = _words(src[r.end() : end])
        k = 0
        while k < len(words) and words[k].startswith("-"):
            k += 2 if words[k][-1] in "adinNptu" else 1  # the option's value is no name
        for word in words[k:]:  # `read "$x"`: the names it fills, subscript and all
            _name_use(word, (r.start(), end), sources, found)
    for m in _NAME_USES.finditer(masked):
        if m.group(1):
            why = sources.name_source(m.group(1))
            if why is not None and m.group(1) not in _SHELL_NUMBERS:
                found(m.group(1), m.span(), why)
        else:
            word = next(g for g in m.groups()[1:] if g)
            _name_use(word, m.span(), sources, found)
    return out


def _name_use(
    word: str,
    span: tuple[int, int],
    sources: _Sources,
    found: Callable[[str, tuple[int, int], str], None],
) -> None:
    """A word bash takes as a variable's name (subscript and all): only an expansion of a
    text-holding variable hides code there; a name written out is seen on the line."""
    for m in _EXPANSION.finditer(word):
        why = sources.name_source(m.group(1))
        if why is not None:
            found(m.group(1), span, why)
