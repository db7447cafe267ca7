"""`aiperm rules`: the rule packs the policy engine judges with.

  aiperm rules list [--command NAME]    every rule (id, effect, severity, commands, pack)
                                        and subcommand table (subcommands per level)
  aiperm rules test [PACK.toml ...]     run every example of every rule and tool table (or
                                        of the packs given) through the engine; exit 1 if
                                        one fails
  aiperm rules explain -- CMD           which rule and which part of CMD decided
  aiperm rules teach [--reads | --changes] [--pack FILE] -- CMD
                                        teach a tool no rule describes: CMD's form only
                                        reads (default) or is a routine change; written to
                                        CONFIG/packs/taught.toml
  aiperm rules forget [--pack FILE] ID  remove a taught entry

The built-in packs ship inside the package; the operator's live in CONFIG/packs/*.toml
(see docs/rule-packs.md). A broken pack is one line naming the file and rule (exit 5).
Exit codes: 0 ok, 1 an example did not behave (test) or CMD cannot be taught (teach: a
tool aiperm knows, more than one command, a form a rule raises), 5 usage, a broken pack,
or a pack file teach cannot read or write.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from aiperm_tui.cli import Subcommand
from aiperm_tui.errors import ExitCode, UsageError
from aiperm_tui.textsafe import escape_control

if TYPE_CHECKING:
    from aiperm_tui.policy import Decision, PolicyEngine
    from aiperm_tui.policy.packs import PackRule, Packs, Tool

DESCRIPTION = __doc__.split("\n\n")[1] if __doc__ else ""


TEACH_HELP = """\
Teach aiperm that the form of CMD, a command of a tool no rule describes (decided by
`unknown.command` or an unknown tool's convention), only reads (--reads: runs unasked
under ops_safe) or is a routine change (--changes: a plain yes, no longer "unknown" for
ops_strict's typed code). The entry names the tool and the leading plain words CMD gives
(`module avail`; `beegfs-df` alone: no word), allows only the options CMD gives, and
holds only for the bare name; every other form of the tool is judged as before, and
what a rule or an unknown-tool convention raises stays raised. It prints the TOML it
wrote and how CMD is now decided; teaching the same form again changes nothing.

Refused (one line, exit 1): a tool aiperm knows (the rule deciding it is named), more
than one command (pipes, lists, substitutions, redirections), a form a rule or
convention raises. Exit 5: no command, or a pack file that is not valid TOML or a
valid pack, or cannot be written (nothing is written then). A running broker reads the
packs when it starts. See docs/rule-packs.md, "Teaching a tool from the command line".
"""
PACK_HELP = "the pack file (default: CONFIG/packs/taught.toml)"


def _configure(parser: argparse.ArgumentParser) -> None:
    import argparse

    subs = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(parser)
    )
    listing_ = subs.add_parser("list", help="every rule and subcommand table")
    listing_.add_argument("--command", metavar="NAME", help="only rules for this command")
    test = subs.add_parser("test", help="run every example through the engine")
    test.add_argument("rest", nargs="*", metavar="PACK", help="only these pack files")
    explain_ = subs.add_parser("explain", help="which rule decided CMD")
    explain_.add_argument("rest", nargs="*", metavar="CMD", help="-- CMD")
    teach = subs.add_parser(
        "teach",
        help="teach a tool no rule describes (CONFIG/packs/taught.toml)",
        description=TEACH_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = teach.add_mutually_exclusive_group()
    mode.add_argument(
        "--reads", dest="mode", action="store_const", const="reads", help="only reads (default)"
    )
    mode.add_argument(
        "--changes", dest="mode", action="store_const", const="changes", help="a routine change"
    )
    teach.set_defaults(mode="reads")
    teach.add_argument("--pack", metavar="FILE", help=PACK_HELP)
    teach.add_argument("rest", nargs="*", metavar="CMD", help="-- CMD")
    forget_ = subs.add_parser("forget", help="remove a taught entry")
    forget_.add_argument("--pack", metavar="FILE", help=PACK_HELP)
    forget_.add_argument("id", metavar="ID", help="the entry's id (taught.TOOL.WORDS)")


def _engine(args: argparse.Namespace) -> PolicyEngine:
    from aiperm_tui.config import load_config
    from aiperm_tui.policy import PolicyEngine

    engine = PolicyEngine(load_config(args.config))
    engine.packs().all_rules()  # a broken pack fails here, as one line, not per command
    return engine


def _run(args: argparse.Namespace) -> int:
    engine = _engine(args)
    if args.action == "list":
        sys.stdout.write(listing(engine.packs(), args.command))
        return ExitCode.OK
    if args.action == "test":
        return _test(engine, [Path(p) for p in args.rest])
    if args.action == "forget":
        return _forget(engine, args)
    rest = list(args.rest)
    if not rest:
        raise UsageError(f"no command given (aiperm rules {args.action} -- CMD)")
    command = rest[0] if len(rest) == 1 else " ".join(rest)
    if args.action == "teach":
        return _teach(engine, command, args)
    sys.stdout.write(explain(command, engine.decide(command), engine.packs()))
    return ExitCode.OK


def _teach(engine: PolicyEngine, command: str, args: argparse.Namespace) -> int:
    """Write the entry (unless it is there already), print it and CMD's new decision."""
    from aiperm_tui.policy import teach
    from aiperm_tui.policy.engine import packs_folder

    pack = args.pack or teach.default_pack(engine.config)
    lesson = teach.plan(engine, command, args.mode, pack)
    wrote = teach.teach(engine, lesson)
    text = Path(pack).read_text(encoding="utf-8")
    decision = teach.decision_with(engine, pack, text, command)
    folder = packs_folder(engine.config)
    verb = "wrote to" if wrote else "already taught in"
    print(f"{verb} {pack}:\n")
    print(escape_control(lesson.block))
    packs = teach.packs_with(engine, pack, text)
    sys.stdout.write(explain(command, decision, packs))
    if os.path.dirname(os.path.abspath(pack)) != os.path.abspath(folder):
        print(f"note: aiperm reads operator packs from {folder} only")
    print("a running broker reads the packs when it starts")
    return ExitCode.OK


def _forget(engine: PolicyEngine, args: argparse.Namespace) -> int:
    from aiperm_tui.policy import teach

    pack = args.pack or teach.default_pack(engine.config)
    block = teach.forget(args.id, pack)
    print(f"removed from {pack}:\n\n{escape_control(block)}")
    return ExitCode.OK


def listing(packs: Packs, command: str | None) -> str:
    """One line a rule, grouped by pack file; then one line a subcommand table (how many
    subcommands at each level)."""
    from aiperm_tui.policy.packs import LEVELS

    lines: list[str] = []
    source = ""
    for rule in packs.all_rules():
        if command is not None and command not in rule.commands:
            continue
        if rule.source != source:
            source = rule.source
            lines.append(f"{source}:")
        lines.append(
            f"  {rule.id:<32} {rule.effect:<11} {rule.severity:<8} "
            f"{', '.join(sorted(rule.commands))}"
        )
    tables = [
        (name, tool)
        for name, tool in sorted(packs.tools().items())
        if tool.table and command in (None, name)
    ]
    if tables:
        lines.append("subcommand tables:")
    for name, tool in tables:
        counts = Counter(packs.levels(name).values())
        levels = ", ".join(f"{level} {counts[level]}" for level in LEVELS if counts[level])
        like = f" (like {tool.table.like})" if tool.table and tool.table.like else ""
        lines.append(f"  tools.{name:<26} {levels or 'no subcommands'}{like}  {tool.source}")
    return "\n".join(lines) + "\n" if lines else "no rules\n"


def check_examples(engine: PolicyEngine, rules: list[PackRule]) -> list[str]:
    """Every way the rules' examples fail: an example the rule does not match, or a
    counter-example it does."""
    failures: list[str] = []
    for rule in rules:
        for example in rule.examples:
            if rule.id not in {f.rule for f in engine.decide(example).findings}:
                failures.append(
                    f"{rule.source}: rule {rule.id!r} does not match its example "
                    f"{escape_control(example, keep_newlines=False)!r}"
                )
        for counter in rule.counter_examples:
            if rule.id in {f.rule for f in engine.decide(counter).findings}:
                failures.append(
                    f"{rule.source}: rule {rule.id!r} matches its counter-example"
                    f" {escape_control(counter, keep_newlines=False)!r}"
                )
    return failures


# The decision each level of a subcommand table stands for under the default preset.
_LEVEL_DECISION = {
    "read": "none",
    "low": "plan",
    "medium": "action",
    "high": "typed",
    "critical": "deny",
}


def check_table_examples(engine: PolicyEngine, tools: dict[str, Tool]) -> list[str]:
    """Every example of a tool's subcommand table that is not decided at its level."""
    failures: list[str] = []
    for name, tool in sorted(tools.items()):
        for level, examples in tool.table.examples if tool.table else ():
            for example in examples:
                d = engine.decide(example)
                got = "deny" if d.decision == "deny" else d.confirm
                if got != _LEVEL_DECISION[level]:
                    failures.append(
                        f"{tool.source}: tools.{name}: example "
                        f"{escape_control(example, keep_newlines=False)!r} is {level} but "
                        f"was decided {got}"
                    )
    return failures


def check_grammar_examples(tools: dict[str, Tool]) -> list[str]:
    """Every grammar example of a tool that its option grammar does not read as its
    kind says (`rehearsal`/`help` must be read so, `not_rehearsal`/`not_help` must not)."""
    from aiperm_tui.policy.toolbox import grammar_reads

    failures: list[str] = []
    for name, tool in sorted(tools.items()):
        for kind, examples in tool.grammar_examples:
            wanted = kind.removeprefix("not_")
            for example in examples:
                if (wanted in grammar_reads(example, tool)) != (wanted == kind):
                    failures.append(
                        f"{tool.source}: tools.{name}: grammar example "
                        f"{escape_control(example, keep_newlines=False)!r} is not read as "
                        f"{kind.replace('_', ' ')}"
                    )
    return failures


def _source(path: Path) -> str:
    """The name the packs know `path` by: a built-in pack's `packs/NAME.toml` (it is
    loaded already, and loading it again would clash with itself), else the path."""
    from aiperm_tui.policy import packs

    if path.resolve().parent == Path(packs.__file__).parent / "packs":
        return f"packs/{path.name}"
    return str(path)


def _test(engine: PolicyEngine, files: list[Path]) -> int:
    """Test every loaded rule, or only those of `files`, judged with the loaded packs
    plus `files` (a pack can be tried before it is put in the config folder)."""
    from aiperm_tui.policy import PolicyEngine
    from aiperm_tui.policy.packs import Packs, parse_pack

    rules = engine.packs().all_rules()
    tools = engine.packs().tools()
    if files:
        packs = Packs(engine.packs())
        sources = {_source(path) for path in files}
        for path in files:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(f"{path}: cannot read: {exc}") from None
            if _source(path) not in packs.files:
                packs.add(*parse_pack(text, str(path), builtin=False), str(path))
        engine = PolicyEngine(engine.config, packs)
        rules = [r for r in packs.all_rules() if r.source in sources]
        tools = {n: t for n, t in packs.tools().items() if t.source in sources}
    tables = {n: t.table for n, t in tools.items() if t.table}
    failures = (
        check_examples(engine, rules)
        + check_table_examples(engine, {n: tools[n] for n in tables})
        + check_grammar_examples(tools)
    )
    for line in failures:
        print(line)
    examples = (
        sum(len(r.examples) + len(r.counter_examples) for r in rules)
        + sum(len(cmds) for table in tables.values() for _, cmds in table.examples)
        + sum(len(cmds) for tool in tools.values() for _, cmds in tool.grammar_examples)
    )
    counts = f"{len(rules)} rules, {len(tables)} tool tables, {examples} examples"
    print(f"{counts}, {len(failures)} failed")
    return ExitCode.DENIED if failures else ExitCode.OK


def explain(command: str, decision: Decision, packs: Packs) -> str:
    """Which layer decided, the finding that set the level, its rule and pack, and the
    part of the command it points at; then every other finding."""
    sources = {r.id: r.source for r in packs.all_rules()}
    shown = escape_control(command, keep_newlines=False)
    lines = [
        f"{decision.decision} / confirm {decision.confirm}, decided by "
        f"{decision.layer}: {escape_control(decision.reason, keep_newlines=False)}"
    ]
    if not decision.findings:
        lines.append("  no finding: every command on the line is known to only read")
    for rank, f in enumerate(decision.findings):
        start, end = f.span
        part = escape_control(command[start:end], keep_newlines=False)
        origin = sources.get(f.rule, "built-in judge")
        lead = "decided by" if rank == 0 else "also"
        lines.append(
            f"  {lead:<10} {f.rule} ({origin}), {f.severity}: "
            f"{escape_control(f.message, keep_newlines=False)}"
        )
        lines.append(f"             at [{start}:{end}] {part!r}")
    lines.append(f"  command: {shown}")
    return "\n".join(lines) + "\n"


COMMANDS = [
    Subcommand(
        "rules",
        "list, test and explain the policy rule packs",
        _configure,
        _run,
        description=__doc__ or "",
    ),
]
