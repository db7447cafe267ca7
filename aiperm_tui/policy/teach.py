"""Teaching aiperm a tool it does not know: `aiperm rules teach` and `rules forget`.

An operator who approves `beegfs-df -p` for the fifth time can say once that it only
reads (or that it is a routine change). The entry is an ordinary operator-pack rule,
written by default to `CONFIG/packs/taught.toml`, and narrow by construction:

- it names the tool and the leading plain words the operator used (`module avail`,
  `kamcmd core.version`; `beegfs-df` alone: no word at all; an operand first, `tool
  /srv/x`: `*` with an `args` pattern that keeps that word no plain word), and exactly
  the options CMD gave (`exact_options`), with any value: each set of options is its
  own entry, since one left out may be what made the form a read (`foo apply
  --dry-run`);
- as any operator rule below `medium` it holds only for the bare name, with nothing on
  the line changing what that name runs and nothing fed on its input, and no word after
  its own that names a verb (`effects._may_lower`); the unknown-tool conventions still
  raise what they raise (`toolbox._taught`: `foo status purge`, `foo status --wipe`);
- it is written only after the engine, with the entry loaded, decides CMD at the taught
  level through it: a form a built-in rule or a convention raises (a credential, a
  device, a destroy verb, foreign code) is refused, never written.

The file is read as TOML and as a pack before anything is written; the new text is the
old text with one block added (or the entry's own block replaced), so comments and other
entries stay as they were; it is written to a temporary file beside it and renamed.
Nothing here runs for the agent: only the operator's CLI or keyboard calls `teach`.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from aiperm_tui.errors import AipermError, ExitCode, UsageError
from aiperm_tui.policy.engine import packs_folder
from aiperm_tui.policy.packs import PackError, Packs, operator_packs, parse_pack
from aiperm_tui.policy.parse import parse
from aiperm_tui.values import Frozen

if TYPE_CHECKING:
    from aiperm_tui.config import Config
    from aiperm_tui.policy import Decision, PolicyEngine

TAUGHT_FILE = "taught.toml"
# What the operator may say a form does, with its pack effect and the decision the
# form must then get under ops_safe (`changes`: a plain yes that is no longer unknown).
MODES: dict[str, tuple[str, str]] = {"reads": ("none", "none"), "changes": ("write", "action")}
_MESSAGES = {
    "reads": "taught by the operator: only reads (aiperm rules teach)",
    "changes": "taught by the operator: a routine change, a plain yes (aiperm rules teach)",
}
# The findings of a command no rule describes, the only ones a teacher may replace.
_UNKNOWN = frozenset({"unknown.command", "unknown.read_verb"})
_TOOL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
# A word that names a subcommand or an object (`avail`, `core.version`, `web1:8080`),
# taught as written; anything else (a path, `@`, `=`, `~`) is an operand.
_PLAIN_WORD = re.compile(r"[a-z0-9][a-z0-9_.:-]*")
_MAX_WORDS = 3
# A taught form whose first positional word was an operand (`zzlsm /srv/data`): `*`, and
# that word must be no plain word either (`zzlsm upgrade` is another subcommand).
_OPERAND_FIRST = r"(?i)^(?:-\S*\s+)*+(?![a-z0-9][a-z0-9_.:-]*(?:\s|$))"
_HEADER = re.compile(r"^\s*\[")
_RULES_HEADER = re.compile(r"^\s*\[\[\s*rules\s*\]\]")
_TAUGHT_NOTE = "# taught by `aiperm rules teach"
_NEVER_LOWERS = "a taught form never lowers what a rule or an unknown-tool convention raises"


class TeachRefused(AipermError):
    """CMD cannot be taught (a tool aiperm knows, more than one command, a form that a
    rule or convention raises): one line, exit 1."""

    exit_code = ExitCode.DENIED


class Lesson(Frozen):
    """One taught form: its rule id, the TOML block, and the pack file it goes to."""

    __slots__ = ("block", "command", "id", "mode", "pack")
    id: str
    block: str
    mode: str
    pack: str
    command: str

    def __init__(self, id: str, block: str, mode: str, pack: str, command: str) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "block", block)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "pack", pack)
        object.__setattr__(self, "command", command)


def default_pack(config: Config) -> str:
    return os.path.join(packs_folder(config), TAUGHT_FILE)


def plan(engine: PolicyEngine, command: str, mode: str, pack: str) -> Lesson:
    """The entry that teaches `command` as `mode` (`reads` or `changes`), checked against
    the engine: TeachRefused when it may not be taught, UsageError when it is no command
    or the pack file cannot be read as a pack."""
    if mode not in MODES:
        raise UsageError(f"teach: the mode is one of {', '.join(MODES)}, not {mode!r}")
    tool = _one_command(command)[0]
    positional, options = _form(command)
    id = _rule_id(tool, positional, options)
    old = _read(pack)
    _refuse_known(engine, command, tool, (pack, _without(old, id)))
    examples = [*_strings(_entry(old, id).get("examples")), command]
    block = _block(id, tool, positional, options, mode, examples)
    lesson = Lesson(id, block, mode, pack, command)
    _check(engine, lesson, _merged(old, id, block))
    return lesson


def teach(engine: PolicyEngine, lesson: Lesson) -> bool:
    """Write `lesson` to its pack (atomically); False when the file holds it already."""
    old = _read(lesson.pack)
    new = _merged(old, lesson.id, lesson.block)
    if new == old:
        return False
    _check(engine, lesson, new)
    _write(lesson.pack, new)
    return True


def forget(rule_id: str, pack: str) -> str:
    """Remove the taught entry `rule_id` from `pack`; the block removed (UsageError when
    the file holds no taught entry by that id)."""
    old = _read(pack)
    where = _find(old, rule_id) if rule_id.startswith("taught.") else None
    if where is None:
        raise UsageError(f"{pack}: no taught entry {rule_id!r} (see `aiperm rules list`)")
    new = _without(old, rule_id)
    _validate(new, pack)
    _write(pack, new)
    return "".join(old.splitlines(keepends=True)[where[0] : where[1]])


def decision_with(
    engine: PolicyEngine, pack: str, text: str, command: str, preset: str | None = None
) -> Decision:
    """How `command` is decided (under `preset`, default the config's) with `pack`
    holding `text`."""
    from aiperm_tui.policy import PolicyEngine

    packs = packs_with(engine, pack, text)
    return PolicyEngine(engine.config, packs).decide(command, preset=preset)


def _one_command(command: str) -> list[str]:
    """The words of `command`, one simple command the operator may teach from."""
    if not command.strip():
        raise UsageError("teach: no command given (aiperm rules teach -- CMD)")
    parsed = parse(command)
    if not parsed.complete:
        raise UsageError(f"teach: cannot read the command ({parsed.problem or 'unparsable'})")
    simple = parsed.simples[0] if len(parsed.simples) == 1 else None
    if (
        simple is None
        or not parsed.single
        or simple.assigns
        or simple.redirects
        or simple.heredoc is not None
        or any("$" in w.raw or "`" in w.raw for w in simple.words)
    ):
        raise TeachRefused(
            "teach: one simple command only (no pipe, list, substitution, variable, "
            "redirection or assignment): teach one tool at a time"
        )
    words = [w.text for w in simple.words]
    if not _TOOL.fullmatch(words[0]) or simple.words[0].raw != words[0]:
        raise TeachRefused(
            f"teach: {words[0]!r} is no bare program name: a taught form holds only for "
            "the name PATH finds (no path, quote or escape)"
        )
    return words


def _refuse_known(engine: PolicyEngine, command: str, tool: str, untaught: tuple[str, str]) -> None:
    """Teach only teaches: a tool a built-in rule, judge, wrapper or shell knows, or a
    command something else than the unknown-tool answer decides, is refused. `untaught`:
    the pack and its text without the entry being taught (teaching again is no refusal)."""
    from aiperm_tui.policy import PolicyEngine
    from aiperm_tui.policy.normalize import command_name
    from aiperm_tui.policy.toolbox import known_builtin

    packs = packs_with(engine, *untaught)
    decision = PolicyEngine(engine.config, packs).decide(command, preset="ops_safe")
    rules = [f.rule for f in decision.findings]
    sources = {r.id: r.source for r in packs.all_rules()}
    first = next((f for f in decision.findings if f.rule not in _UNKNOWN), None)
    if known_builtin(command_name(tool)) or (first is not None and first.rule in sources):
        by = (
            f"decided by {first.rule} ({sources.get(first.rule, 'built-in judge')})"
            if first
            else "a read its judge or pack knows"
        )
        raise TeachRefused(
            f"teach: {tool} is known to aiperm ({command!r}: {by}); "
            "teach only teaches tools no rule describes"
        )
    if not _UNKNOWN & set(rules) or first is not None:
        why = f"{first.rule}: {first.message}" if first else decision.reason
        raise TeachRefused(f"teach: {command!r} is raised ({why}); {_NEVER_LOWERS}")


def _form(command: str) -> tuple[list[str], set[str]]:
    """The leading plain positional words of `command` (`*` for an operand first) and
    the options it gives, as the engine reads an unknown tool's arguments (`exact_options`
    compares the same reading)."""
    from aiperm_tui.policy.normalize import make_cmd

    simple = parse(command).simples[0]
    cmd = make_cmd(simple, simple.words)
    if cmd is None:  # `_one_command` found a program name: there is a command
        raise UsageError(f"teach: cannot read the command {command!r}")
    positional = [w.text.lower() for w in cmd.positional()]
    lead: list[str] = []
    for word in positional[:_MAX_WORDS]:
        if not _PLAIN_WORD.fullmatch(word):
            break
        lead.append(word)
    if positional and not lead:
        lead = ["*"]
    short, long = cmd.options()
    return lead, short | long


def _rule_id(tool: str, words: list[str], options: set[str]) -> str:
    """`taught.TOOL.WORDS`, then `._` and the options (`-x` for a capital `X`): one
    entry per form (`taught.beegfs-df._p`, `taught.module.avail`)."""
    flags = sorted(f"-{o.lower()}" if o.isupper() else o for o in options)
    parts = [tool, *("operand" if w == "*" else w for w in words)]
    parts += ["_" + "_".join(flags)] if flags else []
    return "taught." + re.sub(r"[^a-z0-9_.-]", "-", ".".join(parts).lower())


def _toml(text: str) -> str:
    """A TOML basic string (every control character escaped, DEL too)."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out) + '"'


def _array(items: list[str]) -> str:
    return "[" + ", ".join(_toml(i) for i in items) + "]"


def _block(
    id: str, tool: str, words: list[str], options: set[str], mode: str, examples: list[str]
) -> str:
    """The entry's TOML: the form, its examples, and a counter-example that shows an
    option it was not taught with is not covered."""
    from aiperm_tui.policy.normalize import command_name

    name = command_name(tool)
    spelled = " ".join(w for w in words if w != "*")
    counter = f"{tool} {spelled} --zz-untaught".replace("  ", " ")
    unique = list(dict.fromkeys(examples))
    lines = [
        f"{_TAUGHT_NOTE} --{mode}`: remove with `aiperm rules forget {id}`",
        "[[rules]]",
        f"id = {_toml(id)}",
        f"commands = {_array([name])}",
        f"words = {_array([' '.join(words)])}",
        f"exact_options = {_array(sorted(options))}",
        *([f"args = {_toml(_OPERAND_FIRST)}"] if words == ["*"] else []),
        f"effect = {_toml(MODES[mode][0])}",
        f"message = {_toml(_MESSAGES[mode])}",
        f"examples = {_array(unique)}",
        f"counter_examples = {_array([counter])}",
    ]
    return "\n".join(lines) + "\n"


def _read(pack: str) -> str:
    """The pack's text ("" when it does not exist yet), checked to be a valid pack."""
    try:
        text = Path(pack).read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{pack}: cannot read: {exc}") from None
    _validate(text, pack)
    return text


def _validate(text: str, pack: str) -> None:
    try:
        parse_pack(text, pack, builtin=False)
    except PackError as exc:
        raise UsageError(f"{exc} (nothing was written)") from None


def _find(text: str, rule_id: str) -> tuple[int, int] | None:
    """The lines [start, end) of the `[[rules]]` block whose id is `rule_id`, with the
    note `teach` wrote above it."""
    lines = text.splitlines(keepends=True)
    wanted = re.compile(r"^\s*id\s*=\s*" + re.escape(_toml(rule_id)) + r"\s*$")
    for start, line in enumerate(lines):
        if not _RULES_HEADER.match(line):
            continue
        end = next((i for i in range(start + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
        while end > start + 1 and lines[end - 1].startswith(_TAUGHT_NOTE):
            end -= 1  # the next entry's note
        if any(wanted.match(line) for line in lines[start:end]):
            first = start - 1 if start and lines[start - 1].startswith(_TAUGHT_NOTE) else start
            return first, end
    return None


def _entry(text: str, rule_id: str) -> dict[str, object]:
    """The entry `rule_id` as the pack holds it ({} when it holds none; `text` is a valid
    pack: `_read` checked it)."""
    import tomllib

    if _find(text, rule_id) is None:
        return {}
    rules = tomllib.loads(text).get("rules", [])
    return next((r for r in rules if r.get("id") == rule_id), {})


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _without(text: str, rule_id: str) -> str:
    """`text` less the entry `rule_id` (as it is when the entry holds none)."""
    where = _find(text, rule_id)
    if where is None:
        return text
    lines = text.splitlines(keepends=True)
    return "".join(lines[: where[0]] + lines[where[1] :])


def _merged(text: str, rule_id: str, block: str) -> str:
    """`text` with `block` in place of the entry `rule_id`, or added at its end."""
    lines = text.splitlines(keepends=True)
    where = _find(text, rule_id)
    if where is not None:
        start, end = where
        return "".join([*lines[:start], block, *lines[end:]])
    if text and not text.endswith("\n"):
        text += "\n"
    return f"{text}\n{block}" if text else block


def packs_with(engine: PolicyEngine, pack: str, text: str) -> Packs:
    """The packs the engine would read with `pack` holding `text` (a pack outside
    CONFIG/packs is added to them, as `aiperm rules test FILE` does)."""
    folder = packs_folder(engine.config)
    try:
        if os.path.dirname(os.path.abspath(pack)) == os.path.abspath(folder):
            return operator_packs(folder, {os.path.abspath(pack): text})
        packs = Packs(operator_packs(folder))
        packs.add(*parse_pack(text, pack, builtin=False), pack)
    except PackError as exc:
        raise UsageError(f"{exc} (nothing was written)") from None
    return packs


def _check(engine: PolicyEngine, lesson: Lesson, text: str) -> None:
    """The taught entry must decide its command at the taught level: a form that a
    built-in rule or an unknown-tool convention raises stays raised, and is refused."""
    decision = decision_with(engine, lesson.pack, text, lesson.command, "ops_safe")
    want = MODES[lesson.mode][1]
    got = "deny" if decision.decision == "deny" else decision.confirm
    rules = [f.rule for f in decision.findings]
    if lesson.id not in rules or got != want:
        by = next((f for f in decision.findings if f.rule != lesson.id), None)
        why = f"{by.rule}: {by.message}" if by is not None else "the entry does not match it"
        raise TeachRefused(f"teach: {lesson.command!r} stays {got} ({why}); {_NEVER_LOWERS}")


def _write(pack: str, text: str) -> None:
    """Write `text` to `pack` through a temporary file renamed over it (its mode kept)."""
    folder = os.path.dirname(os.path.abspath(pack))
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        mode = os.stat(pack).st_mode & 0o777 if os.path.exists(pack) else 0o600
        fd, temp = tempfile.mkstemp(prefix=".taught-", suffix=".toml", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, mode)
            os.replace(temp, pack)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError as exc:
        raise UsageError(f"{pack}: cannot write: {exc.strerror or exc}") from None
