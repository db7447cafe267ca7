"""Reading a sed script the way sed does, to find the only parts that act outside it.

A sed script can run shell commands (the `e` command, the `e` flag of `s///`) and write
files (`w`/`W`, the `w` flag of `s///`). Looking for the letter `e` with a regular
expression cannot tell `s/worker_processes 2/…/` (text) from `s/a/b/e` (a flag), so this
module walks the script: addresses, `{ }` blocks, the delimiters and escapes of `s` and
`y`, and the commands that take the rest of the line (`a`, `i`, `c`, `r`, `w`, `e`, `:`).
"""

from __future__ import annotations

from aiperm_tui.values import Frozen

_REST_OF_LINE = frozenset("aicrRwWe:#")
_LABEL = frozenset("btT")
_SIMPLE = frozenset("=dDgGhHlLnNpPxzFqQ")


class SedEffect(Frozen):
    """Something a script does outside its own text: `exec` (shell command, '' when the
    pattern space itself is run) or `write` (a file name)."""

    __slots__ = ("arg", "kind")
    kind: str
    arg: str

    def __init__(self, kind: str, arg: str) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "arg", arg)


def sed_effects(script: str) -> list[SedEffect]:
    """The shell commands and file writes of a sed script, in order."""
    out: list[SedEffect] = []
    i, n = 0, len(script)
    while i < n:
        i = _skip_address(script, _skip_blank(script, i))
        if i >= n:
            break
        c = script[i]
        i += 1
        if c in "{}!;":
            continue
        if c == "s":
            i = _substitute(script, i, out)
        elif c == "y":
            i = _delimited(script, _delimited(script, i + 1, script[i : i + 1]), script[i : i + 1])
        elif c in _REST_OF_LINE:
            end = script.find("\n", i)
            end = n if end < 0 else end
            arg = script[i:end].strip()
            if c == "e":
                out.append(SedEffect("exec", arg))
            elif c in "wW":
                out.append(SedEffect("write", arg))
            i = end
        elif c in _LABEL:
            while i < n and script[i] not in ";\n}":
                i += 1
        elif c in _SIMPLE:
            while i < n and (script[i].isdigit() or script[i] == " "):
                i += 1
    return out


def _skip_blank(script: str, i: int) -> int:
    while i < len(script) and script[i] in " \t\n;":
        i += 1
    return i


def _skip_address(script: str, i: int) -> int:
    """Past `3`, `$`, `/re/I`, `\\%re%`, `1~2`, `addr,+3`, and a trailing `!`."""
    for part in range(2):
        if part == 1:
            if i < len(script) and script[i] == ",":
                i += 1
            else:
                break
        if i < len(script) and script[i] in "/\\":
            delim = script[i] if script[i] == "/" else script[i + 1 : i + 2]
            start = i + 1 if script[i] == "/" else i + 2
            i = _delimited(script, start, delim)
            while i < len(script) and script[i] in "IM":
                i += 1
        else:
            while i < len(script) and (script[i].isdigit() or script[i] in "$~+"):
                i += 1
    while i < len(script) and script[i] in " \t!":
        i += 1
    return i


def _delimited(script: str, i: int, delim: str) -> int:
    """The index just after the next unescaped `delim` (or the end)."""
    while i < len(script) and delim:
        if script[i] == "\\":
            i += 2
            continue
        if script[i] == delim:
            return i + 1
        if script[i] == "\n" and delim != "\n":
            return i
        i += 1
    return len(script)


def _substitute(script: str, i: int, out: list[SedEffect]) -> int:
    """`s/re/replacement/flags`: the flags `e` and `w FILE` matter."""
    delim = script[i : i + 1]
    if not delim or delim in "\n\\":
        return i
    i = _delimited(script, _delimited(script, i + 1, delim), delim)
    while i < len(script) and script[i] not in ";\n}":
        flag = script[i]
        if flag == "e":
            out.append(SedEffect("exec", ""))
        elif flag == "w":
            end = script.find("\n", i)
            end = len(script) if end < 0 else end
            out.append(SedEffect("write", script[i + 1 : end].strip()))
            return end
        elif flag in " \t":
            pass
        elif not (flag.isdigit() or flag in "gpiImM"):
            break
        i += 1
    return i
