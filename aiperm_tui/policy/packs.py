"""Rule packs: what commands do, written as data with examples beside each rule.

A pack is one TOML file (`aiperm_tui/policy/packs/*.toml` ship with aiperm; an operator
adds their own in `CONFIG/packs/*.toml`). It holds:

- `read_only = [NAMES]`: commands that only read, whatever their arguments (run unasked
  unless an argument names a credential or a pack rule finds a danger).
- `[tools.NAME]`: how a command parses its arguments and what its subcommands do.
  `value_options` are the options that take a value, so `mkfs.ext4 -L -n /dev/sdb1` reads
  `-n` as the label and never as a dry-run flag (`program`, a regular expression, tells
  apart spellings that share a name, such as mkfs.xfs and mke2fs); `metadata = true`
  marks a tool that only reports about the files it is given (size, mode, checksum),
  never their content. A subcommand table (`read`, `low`, `medium`, `high`, `critical`
  lists, see `Table`) says which subcommands only read and how bad the others are; the
  tool's judge in `toolbox.py` applies it, with `examples` per level checked by the tests.
- `[[rules]]`: one effect of one command form. The conditions (`commands`, `words`,
  `options`, `without`, `exact_options`, `args`, `paths`) must all hold; `effect` says
  what the form does and sets the default severity; `payload` names text the form runs
  as a command, judged like any command line. `effect = "none"` says the form only
  reads: it replaces the engine's "unknown command" answer (and, in a built-in pack, the
  tool's own judge).
  `examples` must match and `counter_examples` must not; the tests run every one.

Packs are read once, lazily, with tomllib; what is read from a built-in pack's text is
kept in the user cache folder (`aiperm_tui/textcache.py`), so the hook `aiperm check` neither
imports tomllib nor scans the packs' text once the cache is warm. A broken pack is a
`PackError` naming the file and rule. Nothing here imports the engine: `effects.py`
applies the rules.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from aiperm_tui import textcache
from aiperm_tui.errors import ConfigError
from aiperm_tui.policy import recache
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.model import SEVERITIES, Blast, Severity
from aiperm_tui.values import Frozen, replace

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any

# What a command form does, and the severity it has unless the rule says otherwise
# (info: runs unasked, low: with the plan, medium: per action, high: typed, critical: deny).
EFFECTS: dict[str, Severity] = {
    "none": "info",
    "read": "info",
    "secret_read": "high",
    "write": "medium",
    "delete": "medium",
    "execute": "medium",
    "network": "low",
    "upload": "high",
    "privilege": "high",
    "process": "medium",
    "service": "medium",
    "destroy": "critical",
}
PATH_CLASSES = (
    "secret",
    "device",
    "network",
    "root",
    "critical",
    "dotfile",
    "system",
    "log",
    "home",
    "temp",
    "dynamic",
    "plain",
    # not a file: a service the host cannot lose (systemctl's `vital`; `/run/service/sshd`)
    "vital",
    # a data store's process, task or container (kill's `stateful`: `ctr tasks kill etcd`)
    "stateful",
    # not a file: an address outside the site and no ecosystem's public registry
    # (`addresses.foreign_source`), or one whose host is spelt to look like another's
    "foreign",
    "lookalike",
)
PAYLOADS = ("option", "rest", "rest_argv", "value", "positional", "argv")
# The levels of a subcommand table: "read" runs unasked, the others are severities.
LEVELS: dict[str, Severity] = {
    "read": "info",
    "low": "low",
    "medium": "medium",
    "high": "high",
    "critical": "critical",
}
BLASTS = ("single", "tree", "system", "unknown")
_RULE_KEYS = frozenset(
    {
        "id",
        "commands",
        "program",
        "words",
        "options",
        "without",
        "exact_options",
        "args",
        "inner_words",
        "input",
        "paths",
        "effect",
        "severity",
        "message",
        "payload",
        "strip",
        "examples",
        "counter_examples",
        "why",
    }
)
_TABLE_KEYS = frozenset(
    {*LEVELS, "like", "bare", "explain", "suggest", "blast", "examples", "vital", "vital_when"}
    | {"dry_run", "read_second", "positional_value_options", "groups", "stateful", "accounts"}
    | {"read_words", "change_words", "delete_words", "recursive", "delete_level"}
    | {"unlisted_destroy"}
)
_GRAMMAR_KEYS = frozenset(
    {"rehearsal", "h_is_help", "options_end", "auth_options", "grammar_examples"}
)
_TOOL_KEYS = frozenset({"value_options", "metadata", "why"}) | _TABLE_KEYS | _GRAMMAR_KEYS
# The long options that make a run a rehearsal, on a tool with `rehearsal = true`.
REHEARSAL_OPTIONS = frozenset(
    {"dry-run", "dryrun", "simulate", "noop", "just-print", "recon", "what-if", "check"}
)
# Where a tool stops reading its own options: at its first argument (redis-cli, java), or
# at the argument after its subcommand (Go's flag package: `terraform plan -h`).
OPTIONS_END = ("argument", "subcommand")
# What each kind of grammar example says of its command (see `Tool.grammar_examples`).
GRAMMAR_EXAMPLES = ("rehearsal", "not_rehearsal", "help", "not_help", "auth", "not_auth")
_ID = lazy(r"^[a-z0-9][a-z0-9_.-]*$")


class PackError(ConfigError):
    """A rule pack breaks the format; the one-line message names the file and rule."""


class PackRule(Frozen):
    """One effect of one command form (see the module docstring for each field)."""

    __slots__ = (
        "args",
        "builtin",
        "commands",
        "counter_examples",
        "effect",
        "exact_options",
        "examples",
        "id",
        "inner_words",
        "input",
        "message",
        "options",
        "paths",
        "payload",
        "program",
        "severity",
        "source",
        "strip",
        "why",
        "without",
        "words",
    )
    id: str
    commands: frozenset[str]
    effect: str
    severity: Severity
    message: str
    source: str  # the pack file, for `--explain` and errors
    builtin: bool
    program: str | None  # regular expressions are kept as text: `compiled()`
    words: tuple[tuple[str, ...], ...]
    options: frozenset[str]
    without: frozenset[str]
    # The options the form gives, exactly: each given and no other (None: any); a taught
    # form's (`aiperm rules teach`): `foo status -v` taught does not cover `foo status
    # -v --purge`, nor `foo apply` when `foo apply --dry-run` was taught.
    exact_options: frozenset[str] | None
    args: str | None
    # `args` reads the words inside an argument (a console command, a query: `asterisk
    # -rx 'core show channels'`): matched against the plain join only (`search_args`)
    inner_words: bool
    input: str | None  # searched in the text fed on stdin, when the line writes it
    paths: str
    payload: str
    strip: str | None
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    why: str

    def __init__(
        self,
        id: str,
        commands: frozenset[str],
        effect: str,
        severity: Severity,
        message: str,
        source: str,
        builtin: bool = True,
        program: str | None = None,
        words: tuple[tuple[str, ...], ...] = (),
        options: frozenset[str] = frozenset(),
        without: frozenset[str] = frozenset(),
        exact_options: frozenset[str] | None = None,
        args: str | None = None,
        inner_words: bool = False,
        input: str | None = None,
        paths: str = "",
        payload: str = "",
        strip: str | None = None,
        examples: tuple[str, ...] = (),
        counter_examples: tuple[str, ...] = (),
        why: str = "",
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "commands", commands)
        object.__setattr__(self, "effect", effect)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "builtin", builtin)
        object.__setattr__(self, "program", program)
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "without", without)
        object.__setattr__(self, "exact_options", exact_options)
        object.__setattr__(self, "args", args)
        object.__setattr__(self, "inner_words", inner_words)
        object.__setattr__(self, "input", input)
        object.__setattr__(self, "paths", paths)
        object.__setattr__(self, "payload", payload)
        object.__setattr__(self, "strip", strip)
        object.__setattr__(self, "examples", examples)
        object.__setattr__(self, "counter_examples", counter_examples)
        object.__setattr__(self, "why", why)


class Table(Frozen):
    """What the subcommands of one tool do (`systemctl stop`, `npm unpublish`).

    `levels` maps a subcommand to its level (`read` runs unasked, else a severity); a
    subcommand not listed changes the system (`medium`). `like` names another tool whose
    levels come first (yarn is like npm). `bare` is the level of the tool given no
    subcommand. `explain` says what a subcommand does, for the finding; `suggest` is a
    read-only command to try first (`{rest}` is the words after the subcommand). `vital`
    (a regular expression matched against each later word) names the units or packages
    whose loss cuts the host off, and `vital_when` the subcommands that lose them
    (`stateful`: processes that must recover from a crash when killed outright;
    `accounts`: the accounts daemons run as, whose every process `pkill -u` ends);
    `dry_run` the options that make any subcommand a rehearsal. `groups` are subcommands
    that only name a kind of object, the next word being the action (`docker image rm`);
    `read_words`, `change_words`, `delete_words`, `recursive` and `delete_level` describe
    a tool judged by the words it is given rather than a subcommand (the cloud CLIs: see
    `judges/infra.py`'s `_cloud`; a tool that is `like` another takes the patterns it lacks).
    `read_second` the second words that only read whatever the first (`docker image ls`;
    empty: the judge's default), `positional_value_options` the options that take a value
    when the judge looks for the subcommand and its objects, though not when options are
    read (`kubectl -f`: a file to `apply`, but `logs -f` follows). A listed subcommand
    may be several words (`config view`): the longest listed wins. `examples` maps a level
    to commands that must be decided at it (checked by the tests and `aiperm rules test`).
    """

    __slots__ = (
        "accounts",
        "bare",
        "blast",
        "change_words",
        "delete_level",
        "delete_words",
        "dry_run",
        "examples",
        "explain",
        "groups",
        "levels",
        "like",
        "positional_value_options",
        "read_second",
        "read_words",
        "recursive",
        "stateful",
        "suggest",
        "unlisted_destroy",
        "vital",
        "vital_when",
    )
    levels: tuple[tuple[str, str], ...]
    like: str
    bare: str
    explain: tuple[tuple[str, str], ...]
    suggest: str
    blast: Blast
    vital: str | None
    stateful: str | None
    accounts: str | None
    vital_when: frozenset[str]
    dry_run: frozenset[str]
    read_second: frozenset[str]
    groups: frozenset[str]
    positional_value_options: frozenset[str]
    examples: tuple[tuple[str, tuple[str, ...]], ...]
    # A tool judged by the words it is given (the cloud CLIs): regular expressions.
    read_words: str | None
    change_words: str | None
    delete_words: str | None
    recursive: str | None
    delete_level: str
    # The level of a subcommand the table does not list that destroys by the unknown-tool
    # convention (`verbs.destroy_word`: `kapp delete`, `--force-delete`); "" for none,
    # the table's default then (`medium`). For tables whose tool follows the convention.
    unlisted_destroy: str

    def __init__(
        self,
        levels: tuple[tuple[str, str], ...] = (),
        like: str = "",
        bare: str = "read",
        explain: tuple[tuple[str, str], ...] = (),
        suggest: str = "",
        blast: Blast = "system",
        vital: str | None = None,
        stateful: str | None = None,
        accounts: str | None = None,
        vital_when: frozenset[str] = frozenset(),
        dry_run: frozenset[str] = frozenset(),
        read_second: frozenset[str] = frozenset(),
        groups: frozenset[str] = frozenset(),
        positional_value_options: frozenset[str] = frozenset(),
        examples: tuple[tuple[str, tuple[str, ...]], ...] = (),
        read_words: str | None = None,
        change_words: str | None = None,
        delete_words: str | None = None,
        recursive: str | None = None,
        delete_level: str = "medium",
        unlisted_destroy: str = "",
    ) -> None:
        object.__setattr__(self, "levels", levels)
        object.__setattr__(self, "like", like)
        object.__setattr__(self, "bare", bare)
        object.__setattr__(self, "explain", explain)
        object.__setattr__(self, "suggest", suggest)
        object.__setattr__(self, "blast", blast)
        object.__setattr__(self, "vital", vital)
        object.__setattr__(self, "stateful", stateful)
        object.__setattr__(self, "accounts", accounts)
        object.__setattr__(self, "vital_when", vital_when)
        object.__setattr__(self, "dry_run", dry_run)
        object.__setattr__(self, "read_second", read_second)
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "positional_value_options", positional_value_options)
        object.__setattr__(self, "examples", examples)
        object.__setattr__(self, "read_words", read_words)
        object.__setattr__(self, "change_words", change_words)
        object.__setattr__(self, "delete_words", delete_words)
        object.__setattr__(self, "recursive", recursive)
        object.__setattr__(self, "delete_level", delete_level)
        object.__setattr__(self, "unlisted_destroy", unlisted_destroy)

    def level(self, sub: str) -> str | None:
        """The level of `sub` in this table alone (None: not listed)."""
        return dict(self.levels).get(sub)

    def why(self, sub: str) -> str:
        return dict(self.explain).get(sub, "")


class Tool(Frozen):
    """How one command parses its arguments, and what it does when a pack says so."""

    __slots__ = (
        "auth_options",
        "grammar_examples",
        "h_is_help",
        "metadata",
        "options_end",
        "read_only",
        "rehearsal",
        "source",
        "table",
        "value_options",
    )
    value_options: frozenset[str]
    metadata: bool
    read_only: bool
    table: Table | None
    source: str  # the pack that gave the table, for errors and `rules test`
    # Option grammar (read from the built-in packs only, like `value_options` in code):
    # `--dry-run` and its kin (`REHEARSAL_OPTIONS`) make any run a rehearsal; a lone
    # `-h` asks for usage; where the tool's own options end (`OPTIONS_END`, "": never);
    # the options that name what the tool logs in with (a key given to `ssh -i` is used,
    # not shown: no credential read; a leading dash is a single-dash long option).
    rehearsal: bool
    h_is_help: bool
    options_end: str
    auth_options: frozenset[str]
    # Commands the grammar must read as `GRAMMAR_EXAMPLES` says (checked by the tests).
    grammar_examples: tuple[tuple[str, tuple[str, ...]], ...]

    def __init__(
        self,
        value_options: frozenset[str] = frozenset(),
        metadata: bool = False,
        read_only: bool = False,
        table: Table | None = None,
        source: str = "",
        rehearsal: bool = False,
        h_is_help: bool = True,
        options_end: str = "",
        auth_options: frozenset[str] = frozenset(),
        grammar_examples: tuple[tuple[str, tuple[str, ...]], ...] = (),
    ) -> None:
        object.__setattr__(self, "value_options", value_options)
        object.__setattr__(self, "metadata", metadata)
        object.__setattr__(self, "read_only", read_only)
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "rehearsal", rehearsal)
        object.__setattr__(self, "h_is_help", h_is_help)
        object.__setattr__(self, "options_end", options_end)
        object.__setattr__(self, "auth_options", auth_options)
        object.__setattr__(self, "grammar_examples", grammar_examples)

    def merged(self, other: Tool, where: str) -> Tool:
        """This tool's description joined with another pack's (one table per tool)."""
        if self.table is not None and other.table is not None:
            raise PackError(
                f"{where}: the subcommand table of this tool is already given by {self.source}"
            )
        mine = self.table is not None
        return Tool(
            self.value_options | other.value_options,
            self.metadata or other.metadata,
            self.read_only or other.read_only,
            self.table if mine else other.table,
            self.source if mine else other.source,
            self.rehearsal or other.rehearsal,
            self.h_is_help and other.h_is_help,
            self.options_end or other.options_end,
            self.auth_options | other.auth_options,
            self.grammar_examples + other.grammar_examples,
        )


class Packs:
    """Rules indexed by command name, and each tool's argument grammar.

    The built-in packs are read lazily, one file at a time: a cheap scan of each file's
    text finds which commands and tools it speaks of, and a file is parsed only when one
    of them is judged (tomllib is pure Python; reading every pack costs more than the
    hook's start-up budget). Operator packs are parsed whole, and strictly, at start."""

    def __init__(self, base: Packs | None = None) -> None:
        self.base = base
        self.files: list[str] = list(base.files) if base else []
        self._rules: list[PackRule] = []
        self._tools: dict[str, Tool] = {}
        self._by_command: dict[str, list[PackRule]] = {}

    def add(self, rules: list[PackRule], tools: dict[str, Tool], source: str) -> None:
        known = self._known_ids()
        for rule in rules:
            if rule.id in known:
                raise PackError(
                    f"{source}: rule {rule.id!r}: the id is already used by another pack"
                )
            known.add(rule.id)
            self._rules.append(rule)
            for name in rule.commands:
                self._by_command.setdefault(name, []).append(rule)
        for name, tool in tools.items():
            old = self._tools.get(name)
            self._tools[name] = old.merged(tool, f"{source}: tools.{name}") if old else tool
        self.files.append(source)

    def _known_ids(self) -> set[str]:
        return {r.id for r in self.all_rules()}

    def for_command(self, name: str) -> list[PackRule]:
        own = self._by_command.get(name, [])
        return self.base.for_command(name) + own if self.base else own

    def tool(self, name: str) -> Tool | None:
        """How `name` parses and what it does. A tool the built-in packs describe is
        described by them alone: an operator's pack (which the agent, running as the
        operator's user, could have written) only teaches tools aiperm does not know."""
        theirs = self.base.tool(name) if self.base else None
        return theirs or self._tools.get(name)

    def levels(self, name: str, depth: int = 0) -> dict[str, str]:
        """Every subcommand level of `name`'s table, those of the tool it is `like` first."""
        tool = self.tool(name)
        if tool is None or tool.table is None or depth > 4:
            return {}
        table = tool.table
        inherited = self.levels(table.like, depth + 1) if table.like else {}
        return inherited | dict(table.levels)

    def vital(self, name: str, depth: int = 0) -> str | None:
        """The `vital` pattern of `name`'s table, or of the tool it is `like`."""
        tool = self.tool(name)
        if tool is None or tool.table is None or depth > 4:
            return None
        if tool.table.vital is None and tool.table.like:
            return self.vital(tool.table.like, depth + 1)
        return tool.table.vital

    def table_key(self, name: str, key: str, depth: int = 0) -> Any:
        """`key` of `name`'s table, or of the tool it is `like` when its own is unset."""
        tool = self.tool(name)
        if tool is None or tool.table is None or depth > 4:
            return None
        value = getattr(tool.table, key)
        if value is None and tool.table.like:
            return self.table_key(tool.table.like, key, depth + 1)
        return value

    def all_rules(self) -> list[PackRule]:
        return (self.base.all_rules() if self.base else []) + self._rules

    def tools(self) -> dict[str, Tool]:
        """Every tool described, the built-in description first (see `tool`)."""
        mine = {name: tool for name in self._tools if (tool := self.tool(name))}
        return (self.base.tools() if self.base else {}) | mine


_COMMANDS_LINE = lazy(r"^commands\s*=\s*\[([^\]]*)\]", re.M)
_READ_ONLY_LINE = lazy(r"^read_only\s*=\s*\[([^\]]*)\]", re.M)
_TOOL_HEADER = lazy(r'^\[tools\.(?:"([^"]+)"|([^\]\s]+))\]', re.M)


def scan_names(text: str) -> set[str]:
    """The command and tool names a pack's text speaks of, without parsing it (the test
    `test_scan_finds_every_name` keeps this equal to what the parse finds)."""
    names = {n for m in _COMMANDS_LINE.finditer(text) for n in re.findall(r'"([^"]+)"', m.group(1))}
    return names | {m.group(1) or m.group(2) for m in _TOOL_HEADER.finditer(text)}


def scan_read_only(text: str) -> set[str]:
    """The names of a pack's `read_only` list, without parsing it: a read-only command
    that no rule or tool table speaks of is answered without parsing its pack."""
    return {n for m in _READ_ONLY_LINE.finditer(text) for n in re.findall(r'"([^"]+)"', m.group(1))}


class _Builtin(Packs):
    """The packs shipped inside the package, each parsed on first need."""

    def __init__(self) -> None:
        super().__init__()
        # By path, not importlib.resources (~3 ms of every check to import): the package
        # is installed as files, as bashlex_worker.py and its tables are read by path too.
        # As strings: pathlib is ~4 ms of a check (paths.py).
        folder = os.path.join(os.path.dirname(__file__), "packs")
        files = {
            f"packs/{name}": os.path.join(folder, name)
            for name in sorted(os.listdir(folder))
            if name.endswith(".toml")
        }
        self._read = textcache.Derived(files, _read_text, __file__, _is_index)
        self._where: dict[str, list[str]] = {}
        self._read_only: set[str] = set()
        for source, index in self._read.index.items():
            for name in index["names"]:
                self._where.setdefault(name, []).append(source)
            self._read_only.update(index["read_only"])
        self.files = list(files)
        self._rank = {source: n for n, source in enumerate(self.files)}
        self._loaded: set[str] = set()

    def _load(self, source: str) -> None:
        if source not in self._loaded:
            self._loaded.add(source)
            data = self._read.data(source)
            data = data if isinstance(data, dict) else None  # None: parse_pack reads the text
            rules, tools = parse_pack(
                self._read.text(source) if data is None else "",
                source,
                builtin=True,
                strict=False,
                data=data,
            )
            files = self.files
            self.add(rules, tools, source)
            self.files = files
            self._in_file_order(rules)
            _OWN_PATTERNS.update(_patterns(rules, tools))

    def _in_file_order(self, added: list[PackRule]) -> None:
        """Keep the rules in the packs' file order, whatever order the files were loaded
        in. A file is loaded when a command first names one of its tools, so without this
        the order of a command's rules, and so of its findings and the reason shown first,
        depended on which commands the process had judged before (`aiperm check --stdin`,
        the broker): the same command got another reason after another history."""
        rank = self._rank.__getitem__
        self._rules.sort(key=lambda rule: rank(rule.source))
        for name in {name for rule in added for name in rule.commands}:
            self._by_command[name].sort(key=lambda rule: rank(rule.source))

    def for_command(self, name: str) -> list[PackRule]:
        for source in self._where.get(name, ()):
            self._load(source)
        return super().for_command(name)

    def tool(self, name: str) -> Tool | None:
        for source in self._where.get(name, ()):
            self._load(source)
        tool = super().tool(name)
        if name in self._read_only and (tool is None or not tool.read_only):
            tool = Tool(read_only=True).merged(tool, name) if tool else Tool(read_only=True)
        return tool

    def tools(self) -> dict[str, Tool]:
        self.all_rules()
        return super().tools()

    def _known_ids(self) -> set[str]:
        return {r.id for r in self._rules}  # across files: test_rule_ids_are_unique

    def all_rules(self) -> list[PackRule]:
        for source in self.files:
            self._load(source)
        return list(self._rules)


def _strings(value: Any, where: str, key: str, *, empty: bool = False) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and (v or empty) for v in value):
        raise PackError(f"{where}: {key!r} must be a string or a list of non-empty strings")
    return tuple(value)


def _regex(value: Any, where: str, key: str, strict: bool) -> str | None:
    """A regular expression's text, compiled here only when `strict` (an operator's pack):
    the built-in packs are checked by the tests and compiled on first use, so the hook
    `aiperm check` does not pay for fifty patterns it will not need."""
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise PackError(f"{where}: {key!r} must be a non-empty regular expression")
    if strict:
        try:
            re.compile(value)
        except re.error as exc:
            raise PackError(f"{where}: {key!r} is not a valid regular expression ({exc})") from None
    return value


# The patterns of the built-in packs read so far: the engine's own, which the regex cache
# keeps past its limits (`recache`); an operator's are not (a pattern is compiled only
# after the pack that holds it is read).
_OWN_PATTERNS: set[str] = set()


def _patterns(rules: list[PackRule], tools: dict[str, Tool]) -> Iterator[str]:
    """Every regular expression of `rules` and of the tables of `tools`."""
    for rule in rules:
        yield from (p for p in (rule.program, rule.args, rule.input, rule.strip) if p)
    for tool in tools.values():
        table = tool.table
        if table is not None:
            yield from (
                p
                for p in (
                    table.vital,
                    table.stateful,
                    table.accounts,
                    table.read_words,
                    table.change_words,
                    table.delete_words,
                    table.recursive,
                )
                if p
            )


@lru_cache(maxsize=512)
def compiled(pattern: str) -> re.Pattern[str]:
    """A pack's pattern, compiled once (its program kept between processes)."""
    return recache.compile(pattern, own=pattern in _OWN_PATTERNS)


# What stands for whitespace inside one argument and for the dashes that follow it, and
# for the dashes of an argument after a lone `--`, in `as_words`: a letter (`\w`, `\S`,
# never `\s`), so a pattern's word boundaries (`(?:^|\s)`, `\b`, `\S+`) hold only where
# the words really part, and no flag is read inside a value (`.*--dry-run` included).
GLUE = "\u01c2"
_INNER = lazy(r"\s-*")
_DASHES = lazy(r"^-+")


def _glued(m: re.Match[str]) -> str:
    return GLUE * len(m.group(0))


def as_words(argv: Sequence[str]) -> str | None:
    """The arguments joined by single spaces as a tool parses them, or None when that is
    the plain join (`" ".join(argv)`): whitespace inside an argument (a quoted value,
    `-m "x --delete y"`, a newline) with the dashes after it, and the leading dashes of
    an argument after a lone `--` (an operand, not an option), are drawn as `GLUE`.
    Each character keeps its place, so a match's positions are the plain text's too."""
    if "--" not in argv and _INNER.search("".join(argv)) is None:
        return None
    out: list[str] = []
    ended = False
    for word in argv:
        text = _INNER.sub(_glued, word)
        if ended:
            text = _DASHES.sub(_glued, text)
        ended = ended or word == "--"
        out.append(text)
    return " ".join(out)


def search_args(pattern: str, argv: Sequence[str], *, lowers: bool) -> re.Match[str] | None:
    """Where a pack's pattern over the joined arguments matches, read two ways: the plain
    join, where an author may look inside a value (`--args "quiet selinux=0"`), and the
    join `as_words`, where a flag inside a value or after `--` is no option. A pattern
    whose match can lower the answer (`lowers`: a read) must match both, so text the
    agent writes inside a value neither satisfies it (`-a 'rm -rf /x # --check'`) nor
    is hidden from it; any other matches either, so such text cannot defeat a danger's
    exemption (`(?!.*--dry-run)`) either. Positions are the plain join's; a group of a
    match found only `as_words` may hold `GLUE`: slice the plain text instead."""
    regex = compiled(pattern)
    plain = regex.search(" ".join(argv))
    words = as_words(argv)
    if words is None:
        return plain
    if lowers:
        return plain if plain is not None and regex.search(words) is not None else None
    return plain or regex.search(words)


def _choice(value: Any, where: str, key: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise PackError(f"{where}: {key!r} must be one of {', '.join(choices)}, not {value!r}")
    return str(value)


def _rule(raw: Any, source: str, index: int, builtin: bool, strict: bool) -> PackRule:
    where = f"{source}: rules[{index}]"
    if not isinstance(raw, dict):
        raise PackError(f"{where}: each rule must be a table")
    rid = raw.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        raise PackError(f"{where}: 'id' must be lowercase letters, digits, '.', '_', '-'")
    where = f"{source}: rule {rid!r}"
    if unknown := set(raw) - _RULE_KEYS:
        raise PackError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    effect = _choice(raw.get("effect"), where, "effect", tuple(EFFECTS))
    severity = _choice(raw.get("severity", EFFECTS[effect]), where, "severity", SEVERITIES)
    message = raw.get("message")
    if not isinstance(message, str) or not message:
        raise PackError(f"{where}: 'message' must say what the command does")
    examples = _strings(raw.get("examples", []), where, "examples") if "examples" in raw else ()
    if not examples:
        raise PackError(f"{where}: needs at least one example that must match")
    rule = PackRule(
        id=rid,
        commands=frozenset(_strings(raw.get("commands"), where, "commands")),
        effect=effect,
        severity=severity,  # type: ignore[arg-type]
        message=message,
        source=source,
        builtin=builtin,
        program=_regex(raw.get("program"), where, "program", strict),
        words=tuple(
            tuple(w.lower().split())
            for w in _strings(raw.get("words", []), where, "words", empty=True)
        )
        if "words" in raw
        else (),
        options=frozenset(_strings(raw["options"], where, "options"))
        if "options" in raw
        else frozenset(),
        without=frozenset(_strings(raw["without"], where, "without"))
        if "without" in raw
        else frozenset(),
        exact_options=frozenset(_strings(raw["exact_options"], where, "exact_options"))
        if "exact_options" in raw
        else None,
        args=_regex(raw.get("args"), where, "args", strict),
        inner_words=_inner_words(raw, where),
        input=_regex(raw.get("input"), where, "input", strict),
        paths=_choice(raw["paths"], where, "paths", PATH_CLASSES) if "paths" in raw else "",
        payload=_choice(raw["payload"], where, "payload", PAYLOADS) if "payload" in raw else "",
        strip=_regex(raw.get("strip"), where, "strip", strict),
        examples=examples,
        counter_examples=_strings(raw["counter_examples"], where, "counter_examples")
        if "counter_examples" in raw
        else (),
        why=str(raw.get("why", "")),
    )
    if rule.payload == "option" and not rule.options:
        raise PackError(f"{where}: payload = \"option\" needs the 'options' that carry it")
    if rule.payload == "value" and "(?P<payload" not in (rule.args or rule.input or ""):
        raise PackError(
            f"{where}: payload = \"value\" needs a (?P<payload>...) group in 'args' or 'input'"
        )
    if rule.payload in ("rest", "rest_argv") and not rule.words:
        raise PackError(f"{where}: payload = \"rest\" needs the 'words' it follows")
    return rule


def _inner_words(raw: dict[str, Any], where: str) -> bool:
    """`inner_words`: true or false, and true only beside an `args` pattern."""
    value = raw.get("inner_words", False)
    if not isinstance(value, bool):
        raise PackError(f"{where}: 'inner_words' must be true or false")
    if value and "args" not in raw:
        raise PackError(f"{where}: 'inner_words' says how 'args' is matched: it needs 'args'")
    return value


def _tools(raw: Any, source: str, strict: bool, builtin: bool) -> dict[str, Tool]:
    if not isinstance(raw, dict):
        raise PackError(f"{source}: 'tools' must be a table of tables")
    out: dict[str, Tool] = {}
    for name, spec in raw.items():
        where = f"{source}: tools.{name}"
        if not isinstance(spec, dict):
            raise PackError(f"{where}: must be a table")
        if unknown := set(spec) - _TOOL_KEYS:
            raise PackError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        metadata = spec.get("metadata", False)
        if not isinstance(metadata, bool):
            raise PackError(f"{where}: 'metadata' must be true or false")
        values = (
            _strings(spec.get("value_options", []), where, "value_options")
            if ("value_options" in spec)
            else ()
        )
        table = _table(spec, where, strict) if set(spec) & _TABLE_KEYS else None
        tool = Tool(frozenset(values), metadata, table=table, source=source)
        out[name] = _grammar(spec, where, tool, builtin)
    return out


def _grammar(spec: dict[str, Any], where: str, tool: Tool, builtin: bool) -> Tool:
    """`tool` with the option grammar `spec` gives, validated: each grammar key that
    differs from the default needs an example of what it changes. `auth_options` only in
    a built-in pack: naming a key to a login option is not a read of it, and a pack the
    agent could write must not say so of its own tool."""
    if "auth_options" in spec and not builtin:
        raise PackError(f"{where}: 'auth_options' is read from the built-in packs only")
    auth = _strings(spec.get("auth_options", []), where, "auth_options")
    flags = {k: spec.get(k, d) for k, d in (("rehearsal", False), ("h_is_help", True))}
    if not all(isinstance(v, bool) for v in flags.values()):
        raise PackError(f"{where}: 'rehearsal' and 'h_is_help' must be true or false")
    end = (
        _choice(spec["options_end"], where, "options_end", OPTIONS_END)
        if ("options_end" in spec)
        else ""
    )
    raw = spec.get("grammar_examples", {})
    if not isinstance(raw, dict) or not all(k in GRAMMAR_EXAMPLES for k in raw):
        raise PackError(
            f"{where}: 'grammar_examples' must map {', '.join(GRAMMAR_EXAMPLES)} to commands"
        )
    examples = {k: _strings(v, where, f"grammar_examples.{k}") for k, v in raw.items()}
    for key, needs in (("rehearsal", "rehearsal"), ("h_is_help", "not_help")):
        if flags[key] != (key == "h_is_help") and not examples.get(needs):
            raise PackError(f"{where}: {key!r} needs grammar_examples.{needs}")
    if end and not (examples.get("help") or examples.get("not_help")):
        raise PackError(f"{where}: 'options_end' needs grammar_examples.help or .not_help")
    if auth and not examples.get("auth"):
        raise PackError(f"{where}: 'auth_options' needs grammar_examples.auth")
    return replace(
        tool,
        rehearsal=flags["rehearsal"],
        h_is_help=flags["h_is_help"],
        options_end=end,
        auth_options=frozenset(auth),
        grammar_examples=tuple(examples.items()),
    )


def _table(spec: dict[str, Any], where: str, strict: bool) -> Table:
    """A tool's subcommand table, validated: each subcommand at one level only."""
    levels: dict[str, str] = {}
    for level in LEVELS:
        for sub in _strings(spec[level], where, level) if level in spec else ():
            if sub in levels:
                raise PackError(f"{where}: {sub!r} is listed as both {levels[sub]} and {level}")
            levels[" ".join(sub.split())] = level
    examples = spec.get("examples", {})
    if not isinstance(examples, dict) or not all(k in LEVELS for k in examples):
        raise PackError(f"{where}: 'examples' must map a level ({', '.join(LEVELS)}) to commands")
    explain = spec.get("explain", {})
    if not isinstance(explain, dict) or not all(isinstance(v, str) for v in explain.values()):
        raise PackError(f"{where}: 'explain' must map a subcommand to what it does")
    like = spec.get("like", "")
    suggest = spec.get("suggest", "")
    if not isinstance(like, str) or not isinstance(suggest, str):
        raise PackError(f"{where}: 'like' and 'suggest' must be strings")
    if levels and not examples:
        raise PackError(f"{where}: a subcommand table needs 'examples' for its levels")
    return Table(
        levels=tuple(levels.items()),
        like=like,
        bare=_choice(spec.get("bare", "read"), where, "bare", ("read", "medium")),
        explain=tuple(explain.items()),
        suggest=suggest,
        blast=_choice(spec.get("blast", "system"), where, "blast", BLASTS),  # type: ignore[arg-type]
        vital=_regex(spec.get("vital"), where, "vital", strict),
        stateful=_regex(spec.get("stateful"), where, "stateful", strict),
        accounts=_regex(spec.get("accounts"), where, "accounts", strict),
        vital_when=frozenset(_strings(spec.get("vital_when", []), where, "vital_when")),
        dry_run=frozenset(_strings(spec.get("dry_run", []), where, "dry_run")),
        read_second=frozenset(_strings(spec.get("read_second", []), where, "read_second")),
        groups=frozenset(_strings(spec.get("groups", []), where, "groups")),
        positional_value_options=frozenset(
            _strings(spec.get("positional_value_options", []), where, "positional_value_options")
        ),
        examples=tuple(
            (level, _strings(cmds, where, f"examples.{level}")) for level, cmds in examples.items()
        ),
        **{
            key: _regex(spec.get(key), where, key, strict)
            for key in ("read_words", "change_words", "delete_words", "recursive")
        },
        delete_level=_choice(
            spec.get("delete_level", "medium"), where, "delete_level", ("medium", "high")
        ),
        unlisted_destroy=_choice(
            spec.get("unlisted_destroy", ""), where, "unlisted_destroy", ("", "high", "critical")
        ),
    )


def _read_only(raw: Any, source: str) -> dict[str, Tool]:
    return {n: Tool(read_only=True) for n in _strings(raw, source, "read_only")}


def _read_text(text: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """What is read from a built-in pack's text before any rule is built, as JSON data
    (`textcache` keeps it): the names the scans find (the index, read at every start),
    and the TOML as data (None when it is not TOML: `parse_pack` then says why; read
    when the pack is needed)."""
    import tomllib

    try:
        data: dict[str, Any] | None = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        data = None
    return {"names": sorted(scan_names(text)), "read_only": sorted(scan_read_only(text))}, data


def _is_index(value: Any) -> bool:
    """Is `value` shaped as `_read_text`'s index (checked on what the cache holds)?"""
    return isinstance(value, dict) and all(
        isinstance(names, list) and all(isinstance(n, str) for n in names)
        for names in (value.get("names"), value.get("read_only"))
    )


def parse_pack(
    text: str,
    source: str,
    *,
    builtin: bool,
    strict: bool = True,
    data: dict[str, Any] | None = None,
) -> tuple[list[PackRule], dict[str, Tool]]:
    """The rules and tools of one pack file, validated (PackError names what is wrong);
    `strict` also compiles every regular expression. `data`: the text's TOML already
    read (from the pack cache)."""
    if data is None:
        import tomllib  # here: with the pack cache, `aiperm check` never imports it

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise PackError(f"{source}: not valid TOML: {exc}") from None
    if unknown := set(data) - {"rules", "tools", "pack", "read_only"}:
        raise PackError(f"{source}: unknown top-level keys {', '.join(sorted(unknown))}")
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        raise PackError(f"{source}: 'rules' must be an array of tables ([[rules]])")
    rules = [_rule(r, source, i, builtin, strict) for i, r in enumerate(raw_rules)]
    tools = _tools(data.get("tools", {}), source, strict, builtin)
    for name, tool in _read_only(data.get("read_only", []), source).items():
        tools[name] = tools[name].merged(tool, f"{source}: tools.{name}") if name in tools else tool
    return rules, tools


@lru_cache(maxsize=1)
def builtin_packs() -> Packs:
    """The packs that ship with aiperm (parsed lazily, see `Packs`)."""
    return _Builtin()


def operator_packs(folder: str | os.PathLike[str], texts: dict[str, str] | None = None) -> Packs:
    """The built-in packs plus the operator's `folder/*.toml` (a missing folder: none).

    An operator rule can add any danger, but its `effect = "none"` only replaces the
    "unknown command" answer: it never silences a built-in judge or rule. pathlib is
    imported only when the folder is there (a plain `aiperm check`: not). `texts` maps
    a file's absolute path to the text to read for it, present or not (`rules teach`
    tries an entry before writing it)."""
    base = builtin_packs()
    texts = texts or {}
    if not os.path.isdir(folder) and not texts:
        return base
    from pathlib import Path

    files = {str(p.absolute()): p for p in Path(folder).glob("*.toml")}
    files |= {name: Path(name) for name in texts}
    if not files:
        return base
    packs = Packs(base)
    for name in sorted(files):
        path = files[name]
        try:
            text = texts[name] if name in texts else path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PackError(f"{path}: cannot read: {exc}") from None
        packs.add(*parse_pack(text, str(path), builtin=False), str(path))
    return packs


def value_options(name: str) -> frozenset[str]:
    """The options of `name` that take a value, from the built-in packs."""
    tool = builtin_packs().tool(name)
    return tool.value_options if tool else frozenset()
