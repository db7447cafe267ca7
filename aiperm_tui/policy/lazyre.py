"""Regular expressions compiled on first use, for the engine's module-level tables.

`aiperm check` runs once per command from a hook, so everything done at import is paid
per command. Compiling the engine's module-level patterns was ~20 ms of that (Python's
regex compiler is pure Python: the path classes of `fspaths.py` ~11 ms, the tables of
`toolbox.py` ~7 ms), most of it for patterns a given command never reaches.

`lazy(pattern, flags)` stands where `re.compile` stood: the pattern is compiled the first
time any attribute is asked for, and the compiled pattern's methods are then kept in the
instance, so every later `P.search(...)` is an ordinary attribute lookup with no
indirection. Use it only for module-level patterns whose compile time was measured;
a pattern used on every command gains nothing from it.
"""

from __future__ import annotations

import re

from aiperm_tui.policy import recache

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# What callers use of a compiled pattern; all of it is copied over at the first use.
_ATTRIBUTES = (
    "match",
    "search",
    "fullmatch",
    "finditer",
    "findall",
    "sub",
    "subn",
    "split",
    "pattern",
    "flags",
    "groups",
    "groupindex",
)


class _Lazy:
    """A pattern's text until its first use, then the compiled pattern's attributes."""

    def __init__(
        self, pattern: str, flags: int, rewrite: Callable[[str], str] | None = None
    ) -> None:
        self._lazy_source = (pattern, flags)
        self._lazy_rewrite = rewrite

    def __getattr__(self, name: str) -> Any:
        """Called only for a name the instance does not hold yet: compile, keep."""
        compiled = recache.compile(*self._lazy_compiled(), own=True)  # the engine's own
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def _lazy_compiled(self) -> tuple[str, int]:
        """The text and flags compiled: the source, or its rewrite (`lazy_predicate`)."""
        pattern, flags = self._lazy_source
        return (self._lazy_rewrite(pattern) if self._lazy_rewrite else pattern), flags


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, done on first use. Not for `re.sub(P, ...)` and the
    like, which want a real pattern: call the pattern's own methods."""
    return _Lazy(pattern, flags)  # type: ignore[return-value]  # it acts as one


def lazy_predicate(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`lazy(pattern, flags)` for a pattern only asked whether it matches somewhere
    (`bool(P.search(text))`): compiled from `grouped(pattern)`, which matches the same
    texts faster. Its spans, groups and `.pattern` are not `pattern`'s."""
    if flags & re.VERBOSE:  # its comments may hold `|` and parentheses (rev18a)
        raise ValueError("cannot regroup a verbose pattern")
    return _Lazy(pattern, flags, grouped)  # type: ignore[return-value]  # it acts as one


# A backslash escape, a character class (escapes already masked), and what regrouping
# would break: a backreference (by number or name) or flags for the whole pattern.
_ESCAPE = lazy(r"\\.", re.S)
_CLASS = lazy(r"\[\^?\]?[^\]]*\]")
_BACKREFERENCE = lazy(r"\\[1-9]|\(\?P=|\(\?\(")  # and a conditional on a group (rev18a)
_FLAGS = lazy(r"\(\?[aiLmsux]+\)")
_SLASH = "(^|/)"


def grouped(pattern: str) -> str:
    """`pattern` with its top-level alternatives grouped by how they are anchored:
    `^A|(^|/)B|^C|D` becomes `^(?:A|C)|(?:^|/)(?:B)|D`.

    Why: a search tries every alternative at every position of the text. Python's matcher
    skips at once an alternative that starts with a literal character the text does not
    hold there, but enters every one that starts with `^` or a group, so `fspaths._SECRET`
    (135 alternatives, nearly all `^/etc/...` or `(^|/)...`) cost ~100 us per path, a
    quarter of `aiperm check --stdin`'s time. Grouped, each anchor is tried once per
    position (~7 us per path).

    The same texts match: only the order of the alternatives changes (so which one
    matches first, never whether one does), and `^` and `(^|/)` are factored out, not
    changed. The capturing groups `(^|/)` go, so a pattern with a backreference is
    refused (ValueError), as a flag group would be (it must stay first)."""
    if _BACKREFERENCE.search(pattern) or _FLAGS.match(pattern):
        raise ValueError(f"cannot regroup {pattern[:40]!r}: it has a backreference or flags")
    branches = _top_level_branches(pattern)
    start = [b[1:] for b in branches if b.startswith("^")]
    slash = [b[len(_SLASH) :] for b in branches if b.startswith(_SLASH)]
    other = [b for b in branches if not b.startswith(("^", _SLASH))]
    parts = [f"^(?:{'|'.join(start)})"] if start else []
    parts += [f"(?:^|/)(?:{'|'.join(slash)})"] if slash else []
    return "|".join(parts + other)


def _top_level_branches(pattern: str) -> list[str]:
    """`pattern` cut at each `|` outside any group: its escapes and character classes
    are masked first (their `|` and parentheses are literal), then the pieces between
    `|`s are joined until their parentheses balance."""
    masked = _CLASS.sub(lambda m: "_" * len(m[0]), _ESCAPE.sub("__", pattern))
    branches, start, at, depth = [], 0, 0, 0
    for piece in masked.split("|"):
        depth += piece.count("(") - piece.count(")")
        at += len(piece)
        if depth == 0:
            branches.append(pattern[start:at])
            start = at + 1
        at += 1
    return branches
