"""How much of the GTFOBins catalogue the policy engine gates.

    python benchmarks/gtfobins_catalogue.py CATALOGUE.json [--preset P] [--list FUNCTION
        [--below action|typed]]

GTFOBins (https://gtfobins.github.io) lists, for several hundred Unix programs, the
snippets that make them read or write files, run a shell or a command, open a reverse or
bind shell, move files over the network or load a library, alone or through sudo, a SUID
bit or a capability. Issue 16 measured the engine on its privilege-escalation and
file-read techniques (83 % gated at the time). The catalogue is a third party's work and
is not kept in this repository: give its JSON form, `{binary: {"functions": {function:
[{"code": SNIPPET}, ...]}}}`, which is what the front matter of GTFOBins' `_gtfobins/*.md`
files builds to (for example with GTFOBins-MCP's `scripts/build_api.py`).

Each snippet is judged whole (its lines are what the agent would send, interactive input
included, as the shell would read them) after its placeholders are filled in the way an
attacker would use them on a server: the file read is `/etc/shadow`, the file written is
root's `authorized_keys`, the file sent, changed or deleted is `/etc/shadow`, the file
fetched lands in `/usr/local/bin`, a folder served is `/etc`, a library or script is
loaded from `/tmp`, and the remote host is a foreign address. Prints, per function and
overall, how many snippets get at least a plain yes (gated) and how many the typed code
or a deny (the level a critical line needs); `--list` names those below a level. The
catalogue's shell snippets are meant to be typed into an interactive program (`!/bin/sh`
in a pager): judged whole, those lines count as commands of their own. It is a
measurement and always exits 0, except on a catalogue it cannot read (exit 2).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from helpers.policy_corpus import level  # noqa: E402

from aiperm_tui.config import PRESETS, Config  # noqa: E402
from aiperm_tui.textsafe import escape_control  # noqa: E402

# Placeholder -> what an attacker on one of the operator's servers would put there. A
# remote file keeps a remote name; a local one is replaced whole, with the folder the
# catalogue puts before it (`/path/to/`, `/tmp/`, `./`).
_LOCAL = r"(?:\./|/path/to/|/tmp/)?"
PLACEHOLDERS = (
    (re.compile(r"attacker\.com([/:]~?/?)file_to_\w+"), r"attacker.example\1loot"),
    (re.compile(r"attacker\.com"), "attacker.example"),
    (re.compile(_LOCAL + r"file_to_(?:read|send|upload|change|delete)"), "/etc/shadow"),
    (re.compile(_LOCAL + r"file_to_write"), "/root/.ssh/authorized_keys"),
    (re.compile(_LOCAL + r"file_to_(?:get|save|download)"), "/usr/local/bin/gtfo"),
    (re.compile(r"file_or_dir_to_get|dir_to_serve"), "/etc"),
    (re.compile(r"folder_to_list"), "/root"),
    (re.compile(r"where_to_write|dir_to_write_to"), "/etc/cron.d"),
    (re.compile(r"script_to_run"), "/tmp/gtfo.sh"),
    (re.compile(r"(?:/path/to/)?lib\.so"), "/tmp/gtfo.so"),
)


@dataclass(frozen=True)
class Technique:
    binary: str
    function: str
    code: str


def load_catalogue(path: Path) -> list[Technique]:
    """Every (binary, function, snippet) of the catalogue, in its order.

    Raises ValueError with a one-line reason when the file is not the catalogue's shape.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("the top level is not an object of binaries")
    found = []
    for binary, entry in data.items():
        functions = entry.get("functions") if isinstance(entry, dict) else None
        if not isinstance(functions, dict):
            raise ValueError(f"{binary}: no 'functions' object")
        for function, snippets in functions.items():
            if not isinstance(snippets, list):
                raise ValueError(f"{binary}: {function} is not a list of snippets")
            for snippet in snippets:
                code = snippet.get("code") if isinstance(snippet, dict) else None
                if isinstance(code, str) and code.strip():
                    found.append(Technique(binary, function, code))
    return found


def filled(code: str) -> str:
    """The snippet with its placeholders filled in (see PLACEHOLDERS), trailing blank cut."""
    for pattern, value in PLACEHOLDERS:
        code = pattern.sub(value, code)
    return code.strip("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalogue", type=Path, help="the catalogue's JSON form")
    parser.add_argument("--preset", choices=PRESETS, default="ops_safe")
    parser.add_argument(
        "--list",
        metavar="FUNCTION",
        action="append",
        default=[],
        help="list that function's snippets judged below --below (repeatable; 'all')",
    )
    parser.add_argument(
        "--below",
        choices=("action", "typed"),
        default="action",
        help="what --list lists: snippets below a plain yes (default) or below the typed code",
    )
    args = parser.parse_args(argv)
    try:
        techniques = load_catalogue(args.catalogue)
    except (OSError, ValueError) as exc:
        print(f"cannot read catalogue {args.catalogue}: {exc}", file=sys.stderr)
        return 2
    from aiperm_tui.policy import PolicyEngine

    engine = PolicyEngine(Config())
    levels: dict[str, list[int]] = defaultdict(list)
    ungated: dict[str, list[Technique]] = defaultdict(list)
    bar = 1 if args.below == "action" else 2
    start = time.perf_counter()
    for t in techniques:
        got = level(engine.decide(filled(t.code), preset=args.preset))
        levels[t.function].append(got)
        if got < bar:
            ungated[t.function].append(t)
    seconds = time.perf_counter() - start
    print_table(levels, args.preset, len({t.binary for t in techniques}))
    print(f"\n{len(techniques)} snippets judged in {seconds:.2f} s")
    for function in sorted(ungated):
        if function in args.list or "all" in args.list:
            print(f"\n{function}: below {args.below} ({len(ungated[function])}):")
            for t in ungated[function]:
                print(f"  [{t.binary}] {escape_control(filled(t.code), keep_newlines=False)}")
    return 0


def print_table(levels: dict[str, list[int]], preset: str, binaries: int) -> None:
    """One row per function, then the total: snippets, gated (>= action), typed/deny."""
    print(f"GTFOBins catalogue, preset {preset}: {binaries} binaries\n")
    print(f"{'function':<32} {'snippets':>8} {'gated':>16} {'typed/deny':>16}")
    rows: list[tuple[str, list[int]]] = sorted(levels.items())
    rows.append(("all", [v for _, vs in rows for v in vs]))
    for function, values in rows:
        gated = sum(v >= 1 for v in values)
        typed = sum(v >= 2 for v in values)
        print(
            f"{function:<32} {len(values):>8} {_share(gated, len(values)):>16}"
            f" {_share(typed, len(values)):>16}"
        )


def _share(hits: int, total: int) -> str:
    return f"{hits} ({hits / total:.1%})" if total else "0"


if __name__ == "__main__":
    sys.exit(main())
