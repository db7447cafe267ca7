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

    def __init__(self, pattern: str, flags: int) -> None:
        self._lazy_source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        """Called only for a name the instance does not hold yet: compile, keep."""
        compiled = recache.compile(*self._lazy_source, own=True)  # the engine's own
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, done on first use. Not for `re.sub(P, ...)` and the
    like, which want a real pattern: call the pattern's own methods."""
    return _Lazy(pattern, flags)  # type: ignore[return-value]  # it acts as one
