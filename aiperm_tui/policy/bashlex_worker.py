"""The second opinion: bashlex, run in a worker process that can be killed.

bashlex is a port of bash's own yacc grammar, so it is an independent reading of a
command to hold tree-sitter's against. It is also slow to import (it builds its LALR
tables, ~80-200 ms), keeps its state in module globals, and loops for ever on some
inputs (`echo a'${'`). So it never runs in the engine's process: `secondopinion.py`
starts this module as `python -c ...`, sends one command a line (JSON) and waits with a
deadline; a worker that does not answer in time is killed, never waited for. The worker
caps its own address space and CPU time before it imports bashlex, so a loop that
allocates dies here instead of growing. (A one-shot `aiperm check -- CMD` calls `answer`
in its own process instead, under a timer and the same address-space allowance:
`secondopinion.one_shot`.)

The walk flattens bashlex's tree the same way `shelltree.py` flattens tree-sitter's; only
the argv of each simple command travels back (what would run), which is what the two
readings are compared on.
"""

from __future__ import annotations

import importlib.util
import json
import resource
import sys
import types
from pathlib import Path

import xxhash

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from typing import Any

MAX_WALK_DEPTH = 400
MEMORY_LIMIT = 512 * 1024 * 1024  # bytes of address space for the worker
CPU_LIMIT = 600  # seconds of CPU over the worker's life (a loop is killed far earlier)


class _Untrusted(Exception):
    """bashlex produced a tree we know to be wrong for this input."""


def argvs(src: str) -> list[list[str]]:
    """The argv of every simple command bashlex sees in `src` (raises when it cannot
    read it)."""
    bashlex, _ = import_bashlex()
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
    if sys.argv[1:] == ["--tables"]:
        TABLES.write_text(json.dumps(build_tables(), separators=(",", ":")) + "\n")
        return
    import_bashlex()  # the slow part, before saying ready

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


# --- bashlex's LALR tables, built once ------------------------------------------------
# bashlex builds its parser tables from its grammar at every import (~80 ms on an idle
# machine, most of a worker's start). They are a pure function of the grammar, so they are
# shipped beside this module as data (JSON: no code is ever loaded from the file), and
# used only when the signature of the installed bashlex's grammar matches; any other
# version builds its own as before. Regenerate after a bashlex upgrade with
# `python -m aiperm_tui.policy.bashlex_worker --tables` (a test checks they match).

TABLES = Path(__file__).with_name("bashlex_tables.json")


class _Production:
    """What bashlex's LR parser reads of a grammar production."""

    def __init__(self, name: str, length: int, func: str | None, text: str) -> None:
        self.name, self.len, self.func, self.str = name, length, func, text
        self.callable: Any = None


class _Tables:
    """The table object `yacc.LRParser` is built from."""

    def __init__(self, data: dict[str, Any], pdict: dict[str, Any]) -> None:
        self.lr_action = {int(s): dict(a) for s, a in data["action"].items()}
        self.lr_goto = {int(s): dict(g) for s, g in data["goto"].items()}
        self.lr_productions = [_Production(*p) for p in data["productions"]]
        for p in self.lr_productions:
            if p.func:
                p.callable = pdict[p.func]


def import_bashlex(tables: Path = TABLES) -> tuple[Any, dict[str, Any] | None]:
    """bashlex, its parser built from `tables` when they fit its grammar. Returns the
    module and, when bashlex built its own tables, them as `build_tables` gives them
    (None when the file was used or bashlex was already imported)."""
    if "bashlex" in sys.modules:
        return sys.modules["bashlex"], None
    spec = importlib.util.find_spec("bashlex")
    if spec is None or spec.loader is None:
        raise ImportError("bashlex is not installed")
    package = importlib.util.module_from_spec(spec)
    sys.modules["bashlex"] = package  # bashlex.yacc can now load without the parser
    from bashlex import yacc

    original, built = yacc.yacc, []

    def cached_yacc(**kwargs: Any) -> Any:
        pdict = yacc.get_caller_module_dict(2)
        info = yacc.ParserReflect(pdict, log=yacc.NullLogger())
        info.get_all()
        # A fingerprint of the grammar, not a secret: xxh3, already loaded by the engine;
        # hashlib's OpenSSL would add ~2.5 ms to every one-shot check read by both parsers.
        signature = xxhash.xxh3_128_hexdigest(info.signature().encode())
        data = _read(tables)
        if data is not None and data.get("signature") == signature:
            return yacc.LRParser(_Tables(data, pdict), info.error_func)
        parser = original(**kwargs, module=types.SimpleNamespace(**pdict))
        built.append(_snapshot(parser, signature))  # before bashlex patches the tables
        return parser

    yacc.yacc = cached_yacc
    try:
        spec.loader.exec_module(package)
    except BaseException:
        sys.modules.pop("bashlex", None)
        raise
    finally:
        yacc.yacc = original
    return package, (built[0] if built else None)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _snapshot(parser: Any, signature: str) -> dict[str, Any]:
    return {
        "signature": signature,
        "action": {str(s): dict(a) for s, a in parser.action.items()},
        "goto": {str(s): dict(g) for s, g in parser.goto.items()},
        "productions": [[p.name, p.len, p.func, p.str] for p in parser.productions],
    }


def build_tables() -> dict[str, Any]:
    """The tables bashlex builds from its grammar (in a process that has not imported
    bashlex yet)."""
    _, built = import_bashlex(Path("/nonexistent/bashlex_tables.json"))
    if built is None:
        raise RuntimeError("bashlex was already imported: build the tables in a new process")
    return built


if __name__ == "__main__":
    main()
