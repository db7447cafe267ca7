"""The second opinion: bashlex, run in a worker process that can be killed.

bashlex is a port of bash's own yacc grammar, so it is an independent reading of a
command to hold tree-sitter's against. It is also slow to import (it builds its LALR
tables, ~80-200 ms), keeps its state in module globals, and loops for ever on some
inputs (`echo a'${'`). So it never runs in the engine's process: `secondopinion.py`
starts this module as `python -c ...`, sends one command a line (JSON) and waits with a
deadline; a worker that does not answer in time is killed, never waited for. The worker
caps its own address space and CPU time before it imports bashlex, so a loop that
allocates dies here instead of growing.

The walk flattens bashlex's tree the same way `shelltree.py` flattens tree-sitter's; only
the argv of each simple command travels back (what would run), which is what the two
readings are compared on.
"""

from __future__ import annotations

import json
import resource
import sys
from typing import Any

MAX_WALK_DEPTH = 400
MEMORY_LIMIT = 512 * 1024 * 1024  # bytes of address space for the worker
CPU_LIMIT = 600  # seconds of CPU over the worker's life (a loop is killed far earlier)


class _Untrusted(Exception):
    """bashlex produced a tree we know to be wrong for this input."""


def argvs(src: str) -> list[list[str]]:
    """The argv of every simple command bashlex sees in `src` (raises when it cannot
    read it)."""
    import bashlex

    walker = _Walker(src)
    for tree in bashlex.parse(src):
        walker.node(tree, 0)
    return walker.argvs


class _Walker:
    """Every simple command in a bashlex tree, including inside substitutions."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.argvs: list[list[str]] = []

    def node(self, n: Any, depth: int) -> None:
        if depth > MAX_WALK_DEPTH:
            raise _Untrusted("nested too deeply")
        kind = getattr(n, "kind", "")
        if kind == "command":
            words = [p.word for p in n.parts if getattr(p, "kind", "") == "word"]
            if words:
                self.argvs.append(words)
        if kind in ("commandsubstitution", "processsubstitution"):
            end = n.pos[1]  # bashlex stops a `$(...)` at a newline and drops the rest
            if not 0 < end <= len(self.src) or self.src[end - 1] not in ")`":
                raise _Untrusted("newline inside $(...)")
        if kind == "parameter" and any(t in (n.value or "") for t in ("$(", "`", "<(")):
            raise _Untrusted("command substitution inside ${...}")
        for child in _children(n):
            self.node(child, depth + 1)


def _children(n: Any) -> list[Any]:
    out: list[Any] = []
    for attr in ("parts", "list"):
        out.extend(getattr(n, attr, None) or ())
    for attr in ("command", "output"):
        child = getattr(n, attr, None)
        if child is not None and hasattr(child, "kind"):
            out.append(child)
    return out


def answer(src: str) -> dict[str, Any]:
    """One response: the argvs, or why bashlex could not read the command."""
    try:
        return {"argvs": argvs(src)}
    except RecursionError:
        return {"failed": "nested too deeply"}
    except Exception as exc:  # bashlex raises many types (ParsingError, NotImplementedError…)
        first = str(exc).splitlines()[:1]
        return {"failed": f"{type(exc).__name__}: {first[0][:80] if first else ''}"}


def main() -> None:
    """Serve requests on stdin/stdout: one JSON string in, one JSON object out, a line
    each. Says `{"ready": true}` once bashlex is imported."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))
    import bashlex  # noqa: F401  (the slow part: build the tables before saying ready)

    out = sys.stdout
    out.write('{"ready": true}\n')
    out.flush()
    for line in sys.stdin:
        try:
            src = json.loads(line)
        except ValueError:
            return
        out.write(json.dumps(answer(src if isinstance(src, str) else "")) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
