"""What the everyday ops toolbox does: which commands only read, which change, which
destroy.

`judge(cmd, analysis)` returns the hits for one normalised command. This module is the
registry and dispatcher (`handles`, `judge`) and holds the helpers several judges share
(writes, deletes, subcommand tables); the judges themselves live in `judges/`, one module
per family of commands (files, git, services...). Commands with no
handler, no subcommand table and not `read_only` in a rule pack are unknown to the engine
and need a human (`medium`). The knowledge of which command or subcommand only reads,
which units and packages are vital and which options are dry runs lives in the packs
(`aiperm_tui/policy/packs/*.toml`); this module holds the mechanisms that need code.
Severity here means, under the default `ops_safe` preset: info = runs unasked,
low = confirmed with the plan, medium = confirmed per action, high = typed challenge,
critical = denied.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import pairwise

from aiperm_tui.policy import effects, raising, tempreport, verbs
from aiperm_tui.policy.addresses import (
    destinations_outside,
    foreign_source,
    lookalike_host,
    registered_domain,
    site_address,
)
from aiperm_tui.policy.buildoutputs import rebuildable
from aiperm_tui.policy.fspaths import (
    TOP_DIRS,
    PathClass,
    classify,
    describe,
    git_hook,
    grants_login,
    is_access_config,
    is_data_store,
    is_live_data,
    is_scratch,
    is_secret,
    is_service_config,
    kernel_protection,
    loaded_by_program,
    normalize_path,
    resolve,
    secret_found,
)
from aiperm_tui.policy.hits import Hit, Target
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.model import Blast, Severity, severity_rank
from aiperm_tui.policy.normalize import SHELLS, Cmd, command_name, make_cmd
from aiperm_tui.policy.packs import (
    LEVELS,
    REHEARSAL_OPTIONS,
    Packs,
    Table,
    Tool,
    builtin_packs,
    compiled,
)
from aiperm_tui.policy.parse import Word, parse
from aiperm_tui.values import replace

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis

DOWNLOADERS = frozenset(
    {
        "curl",
        "wget",
        "fetch",
        "nc",
        "aria2c",
        "http",
        "https",
        "lynx",
        "links",
        "lwp-request",
        "GET",
        "httpie",
        "axel",
    }
)

Handler = Callable[[Cmd, "Analysis"], list[Hit]]
_HANDLERS: dict[str, Handler] = {}  # the judges loaded so far (`handler_of` loads the others)

_MESSAGES = {
    "low": "a minor change",
    "medium": "changes the system",
    "high": "destructive or disruptive",
    "critical": "catastrophic and unrecoverable",
}


def handles(*names: str) -> Callable[[Handler], Handler]:
    """Register a handler for the command names given."""

    def register(fn: Handler) -> Handler:
        for name in names:
            _HANDLERS[name] = fn
        return fn

    return register


_HELP_FLAGS = frozenset({"--help", "-help", "-?", "--usage", "--version", "-version"})
_VERSION_FLAGS = frozenset({"--version", "-version"})
# A word that can only be a version number: after `--version` on any tool it is the
# option's value (the version to install or pin), never part of a usage request.
_VERSION_VALUE = lazy(r"[v=]?\d+(?:\.[\w*]+)*(?:[-+][\w.]+)?|[~^<>=]+\s*\d[\w.*-]*")
# Groups whose members may become root or read and write what only root should (the
# shadow file, raw disks, a container daemon that mounts `/`): joining one is typed
# (`judges.accounts`), and so is a shell started with one (`analysis._sg`).
ROOT_GROUPS = frozenset({"sudo", "wheel", "root", "admin", "docker", "lxd", "disk", "shadow"})
# Subcommands whose arguments after the image/container/pod are a command to run there.
_PAYLOAD_SUBS = {
    "docker": frozenset({"run", "create", "exec"}),
    "kubectl": frozenset({"exec", "run", "debug", "attach"}),
}
# Subcommands whose usage is built from the project's code (eighteenth pass): `dagger call
# --help` loads the module, so its code runs, to list the functions it may call; judged
# as the subcommand is, never as a usage request.
_HELP_RUNS_CODE = {"dagger": frozenset({"call", "functions", "shell"})}
# Tools whose first argument is a subcommand; `TOOL help ...` prints help.
SUBCOMMAND_TOOLS = frozenset(
    {
        "git",
        "docker",
        "compose",
        "kubectl",
        "oc",
        "helm",
        "terraform",
        "tofu",
        "pulumi",
        "systemctl",
        "apt",
        "dnf",
        "zypper",
        "apk",
        "snap",
        "flatpak",
        "brew",
        "pip",
        "pipx",
        "conda",
        "npm",
        "yarn",
        "pnpm",
        "gem",
        "cargo",
        "go",
        "composer",
        "aws",
        "gcloud",
        "az",
        "doctl",
        "ufw",
        "nmcli",
        "ip",
        "nft",
        "zfs",
        "zpool",
        "btrfs",
        "gh",
        "glab",
        "certbot",
        "firewall-cmd",
        "virsh",
        "vagrant",
        "podman",
        "lxc",
        "multipass",
        "make",
    }
)


# The words of an AWS CLI command path (`s3 rm`, `ec2 terminate-instances`): no option,
# path, address or value.
_AWS_WORD = lazy(r"[a-z0-9][a-z0-9-]*")


def help_form(cmd: Cmd, grammar: Tool | None) -> bool:
    """`TOOL --help`, `-help`, `-h`, `help SUB`: the tool only prints its usage.

    Only the tool's own options count: not what follows `--`, `find -exec`, the image of
    `docker run`, or the first argument of a tool that stops parsing there. A lone `-h`
    counts only when nothing else is given but subcommand words (`-h` is also --host,
    --human-readable, --no-dereference), and never for a tool whose pack says `-h` is
    something else (`h_is_help = false`: `shutdown -h` halts, `ip -h` is human-readable).
    `grammar`: the tool as its pack describes it."""
    loaders = _HELP_RUNS_CODE.get(cmd.name, frozenset())
    if any(w.text in loaders for w in cmd.positional("m")):
        return False
    own = _own_words(cmd, grammar)
    texts = [w.text for w in own]
    if any(_asks_usage(cmd, w, grammar) for w in own):
        return True
    if cmd.name in SUBCOMMAND_TOOLS and cmd.name != "make" and cmd.sub() == "help":
        return True
    argv = cmd.argv
    if cmd.name == "aws" and argv[-1:] == ["help"] and all(_AWS_WORD.fullmatch(t) for t in argv):
        return True  # `aws s3 rm help`: the AWS CLI's help is a last word, after a command
    if "-h" not in texts or (grammar is not None and not grammar.h_is_help):
        return False
    others = [a for a in cmd.args if a.text != "-h"]
    depth = 2 if cmd.name in SUBCOMMAND_TOOLS else 0
    return not any(a.text.startswith("-") for a in others) and len(others) <= depth


def _asks_usage(cmd: Cmd, word: Word, grammar: Tool | None) -> bool:
    """`--help`, `--version`...: unless the tool's pack declares the flag as taking a
    value and one follows (`helm upgrade --install r chart --version 19.6.1`,
    `eksctl create cluster --version 1.30` name a version to install)."""
    if word.text not in _HELP_FLAGS:
        return False
    at = next(i for i, a in enumerate(cmd.args) if a is word)
    if grammar is None and _unknown_grammar(cmd) and _names_a_version(cmd, at):
        return False  # `zztool layout apply --version 3`: the version it applies
    if _VERSION_VALUE.fullmatch(cmd.args[at + 1].text if at + 1 < len(cmd.args) else ""):
        return False  # `cargo install --version 0.10.2 fd`, `gem install x --version 7.1`
    if grammar is None and at and _unknown_grammar(cmd) and _may_take_value(cmd.args[at - 1]):
        return False  # `zztool delete --name --help`: the name may be `--help`
    if grammar is None or word.text.lstrip("-") not in grammar.value_options:
        return True
    return at + 1 >= len(cmd.args)


def _names_a_version(cmd: Cmd, at: int) -> bool:
    """`--version` followed by a word that is no option: on a tool whose options nobody
    described, the word may be its value (`zztool layout apply --version 3`, `zztool
    upgrade --version 2.1`), and what runs is the subcommand, not a usage request."""
    args = cmd.args
    return (
        args[at].text in _VERSION_FLAGS
        and at + 1 < len(args)
        and not args[at + 1].text.startswith("-")
    )


def _unknown_grammar(cmd: Cmd) -> bool:
    """No pack or judge says which of `cmd`'s options take a value."""
    return not judged_in_code(cmd.name) and not cmd.value_opts and not _described(cmd)


def _may_take_value(word: Word) -> bool:
    """An option written without `=` (`--name`, `-n`): the next word may be its value."""
    text = word.text
    return text.startswith("-") and text != "--" and "=" not in text and text not in _HELP_FLAGS


def _described(cmd: Cmd) -> bool:
    """A tool the built-in packs describe is a real program, which honours `--help`
    (an unknown name may be a script that ignores it)."""
    return any(rule.builtin for rule in builtin_packs().for_command(cmd.name))


def _past_subcommand_rules(hits: list[Hit], cmd: Cmd, an: Analysis) -> list[Hit]:
    """`virsh destroy --help`, `restic forget --help`: a tool asked for its usage runs no
    subcommand, so a pack rule that only names one (`words`, nothing else) does not apply,
    nor one that names the tool alone (`scancel --help`: `scancel.jobs` is every run of
    scancel) or whose `args` only rule cases out (fourteenth pass: `barman recover
    --help`; `backup.restore`'s pattern, `^(?!...)`, matches an empty line). Rules on
    options, arguments, paths, payloads or input still do (`tar --help
    --checkpoint-action=exec=sh` may act before it reads `--help`)."""
    by_words = {
        rule.id
        for rule in _packs(an).for_command(cmd.name)
        if not (rule.options or rule.paths or rule.payload or rule.input)
        and (rule.args is None or compiled(rule.args).search("") is not None)
    }
    return [h for h in hits if h.rule not in by_words]


def _own_words(cmd: Cmd, grammar: Tool | None) -> list[Word]:
    """The arguments that the tool itself parses as options (up to where its pack says
    its options end: `options_end`)."""
    end = grammar.options_end if grammar is not None else ""
    out: list[Word] = []
    seen = 0
    payload_subs = _PAYLOAD_SUBS.get(cmd.name, frozenset())
    in_payload_sub = False
    # POSIXLY_CORRECT: options end at the first operand (`rm -rf X --help` deletes X),
    # also when a wrapper sets it (`env POSIXLY_CORRECT=1 rm ...`, `sudo VAR=1 rm ...`)
    given = [*cmd.simple.assigns, *(w for w in cmd.simple.words if w.end <= cmd.word.start)]
    posix = any(w.text.startswith("POSIXLY_CORRECT=") for w in given)
    for a in cmd.args:
        t = a.text
        if posix and not t.startswith("-"):
            break
        if t == "--" or (cmd.name == "find" and t in ("-exec", "-execdir", "-ok", "-okdir")):
            break
        if not t.startswith("-"):
            if end == "argument" or (end == "subcommand" and seen >= 1):
                break
            if in_payload_sub:
                break
            in_payload_sub = t in payload_subs
            seen += 1
            continue
        out.append(a)
    return out


def _packs(an: Analysis) -> Packs:
    return getattr(an, "packs", None) or builtin_packs()


def judge(cmd: Cmd, an: Analysis) -> list[Hit]:
    """The hits of one (unwrapped) command, and, for a program run from a temp folder
    (`/tmp/ls`, `/dev/shm/installer`), that it is code nobody reviewed: any account may
    have put it there, under any name (the class of `bash /tmp/x.sh`)."""
    hits = _judge_named(cmd, an)
    if any(h.rule in _UNSEEN_CODE for h in hits):
        # a playbook, a target, a script: the positional words name the code; an unknown
        # program's own arguments are only its arguments
        units = [] if all(h.rule in _UNKNOWN_PROGRAM for h in hits) else cmd.positional()
        hits += destructive_name(cmd, [cmd.word, *units])
    program = cmd.word.text
    if "/" in program and classify(program) == "temp":
        hits.append(
            Hit(
                "exec.temp_program",
                "high",
                f"runs {program!r} from a temp folder, where any account (the agent's "
                "included) may have put it: code nobody has reviewed, whatever its name",
                cmd.word.span,
                "unknown",
                suggest=f"ls -l {program}",
            )
        )
    return hits


# Findings that say the command runs code the engine cannot see (a script, a playbook,
# recipes, an unknown program), and the words of a name that says the code destroys.
_UNKNOWN_PROGRAM = frozenset({"unknown.command", verbs.RULE, verbs.DESTROY_RULE, *raising.RULES})
_UNSEEN_CODE = _UNKNOWN_PROGRAM | {"exec.script", "make.run", "config.ansible-playbook", "npm.run"}
_DESTROYS = lazy(
    r"(?i)(?:^|[-_./:])(?:purge|wipe|destroy|drop[-_]?(?:db|database|tables?|schema|all|data)|"
    r"teardown|tear-down|nuke|decom(?:mission(?:ing)?)?|deprovision|truncate|erase|shred)"
    r"(?:$|[-_./:s])"
)


def destructive_name(cmd: Cmd, names: list[Word]) -> list[Hit]:
    """Code the engine cannot see (a script, a playbook, a make target, an unknown
    program) whose name, or an argument's, says it destroys: `purge-data.yml`, `make
    destroy`, `manage.py drop_tables`. The name is the only evidence there is, and what
    the operator reads; such a run asks for the typed code."""
    named = next((w for w in names if _DESTROYS.search(w.text)), None)
    if named is None:
        return []
    return [
        Hit(
            "exec.destructive_name",
            "high",
            f"{cmd.name} runs {named.text!r}, code the engine cannot see, named for "
            "destroying (purge, wipe, drop...): its name is the only evidence there is",
            named.span,
            "unknown",
        )
    ]


def _judge_named(cmd: Cmd, an: Analysis) -> list[Hit]:
    """The hits of one command by its name: what its packs say it does, then its judge.

    Pack danger rules apply whatever else is on the line (`--help` or `--dry-run` do not
    stop `tar --checkpoint-action=exec=...`). A built-in rule saying the form only reads
    replaces the tool's judge; an operator's only replaces the unknown-command answer. A
    command form some pack rule describes is not "unknown". A tool judged here in code is
    described by the built-in packs alone (an operator's pack only teaches new tools)."""
    in_code = judged_in_code(cmd.name)
    tool = (builtin_packs() if in_code else _packs(an)).tool(cmd.name)
    read_only = tool is not None and tool.read_only
    handler = handler_of(cmd.name) or (table_hits if tool and tool.table else None)
    judged = effects.judge_effects(cmd, an, builtin_packs() if in_code else None)
    if help_form(cmd, tool) and not judged.reads:
        if handler is not None or read_only or _described(cmd):
            return _past_subcommand_rules(judged.hits, cmd, an)
        return [
            *_past_subcommand_rules(judged.hits, cmd, an),
            Hit(
                "unknown.help",
                "low",
                f"{cmd.name} "
                f"{' '.join(cmd.argv)}: asks a command the engine does "
                "not know for its usage (a script may ignore the flag)",
                cmd.span,
                "unknown",
            ),
        ]
    if _dry_run(cmd, tool):
        return judged.hits
    if judged.builtin_reads:
        return judged.hits
    if judged.reads and handler is None:
        return _taught(cmd, an, judged.hits)
    if handler is not None:
        return judged.hits + handler(cmd, an)
    if read_only:
        return [*judged.hits, *_attached_output_file(cmd, an)]
    if any(h.rule in judged.rules for h in judged.hits):
        return _taught(cmd, an, judged.hits)  # a pack rule describes this form
    if (raised := _by_convention(cmd, an)) is not None:
        return [*judged.hits, raised]
    if (
        _unknown_anywhere(cmd, tool, an)
        and all(h.severity == "info" for h in judged.hits)
        and (found := verbs.read_verb(cmd, an, lambda name: _known_program(name, an))) is not None
    ):
        return [*judged.hits, found]  # `zztool status`: read-only by convention
    return [
        *judged.hits,
        # `thin_dump -o /etc/cron.d/x`: a form no rule reads still writes where it is told
        *_output_file(cmd, an),
        Hit(
            "unknown.command",
            "medium",
            f"{cmd.name}: a command the engine does not know; it may change anything",
            cmd.span,
            "unknown",
        ),
    ]


def _by_convention(cmd: Cmd, an: Analysis) -> Hit | None:
    """What an unknown tool's words raise by convention: the commands it is handed to
    run are judged (`with-lock-ex FILE userdel -r ops`, `bb -e '(shell "birdc
    down")'`), then the first of a destroy verb (`zztool db reset`), a name, device,
    foreign code or unsafe flag (`jffs2reset -y`, `swupdate -i /tmp/x.swu`,
    `raising.py`) and a credential word (`zztool user token`)."""
    for words in verbs.carried_commands(cmd, lambda name: _known_program(name, an)):
        if len(words) == 1:
            an.payload(words[0].text, words, "unknown.carried_command", f"{cmd.name} runs")
        else:
            an.again(cmd, words)
    for line, word in raising.code_lines(cmd):
        an.payload(line, [word], "unknown.carried_command", f"{cmd.name} code runs")
    for convention in (verbs.destroy_verb, raising.raised, verbs.secret_word):
        if (raised := convention(cmd)) is not None:
            return raised
    return None


def _taught(cmd: Cmd, an: Analysis, hits: list[Hit]) -> list[Hit]:
    """A form an operator's pack describes, of a tool only operator packs know (`rules
    teach`): the pack teaches, it never relabels, so what the unknown-tool conventions
    raise still counts (`foo status` taught a read, `foo status purge` is still the
    destroy verb's typed code) and a report written to a path is still that write. The
    convention's finding is added only above the pack's own: the operator's rule names
    what it knows (`cachectl flush` as their `site.flush_cache`, not a destroy verb)."""
    if _known_program(cmd.name, an, builtin_packs()):
        return hits
    raised = _by_convention(cmd, an)
    worst = max((severity_rank(h.severity) for h in hits), default=0)
    if raised is None and worst < severity_rank("medium"):
        raised = _taught_temp_input(cmd)
    above = raised is not None and severity_rank(raised.severity) > worst
    return [*hits, *_output_file(cmd, an), *([raised] if above and raised else [])]


def _taught_temp_input(cmd: Cmd) -> Hit | None:
    """A taught read handed a path in a temp folder (`foo --config /tmp/x.ini`, `foo -f
    /dev/shm/q`): the operator taught the form, not whatever file is there, and a fresh
    file of a command's own output in a temp folder is written unasked (`printf ... >
    /tmp/x.ini`): what the tool makes of it (a config that runs a hook) is unknown, so
    the line is the plain yes an unknown tool gets."""
    for w in cmd.args:
        value = w.text.partition("=")[2] if w.text.startswith("-") else w.text
        if value and classify(value) == "temp":
            return Hit(
                "taught.temp_input",
                "medium",
                f"{cmd.name}: a taught form handed {value}, a file in a temp folder that "
                "may hold anything; what the tool does with it is unknown",
                (w.start, w.end),
                "unknown",
            )
    return None


def _unknown_anywhere(cmd: Cmd, tool: Tool | None, an: Analysis) -> bool:
    """No pack, code judge, subcommand list or option grammar knows `cmd.name`: only
    such a tool may be judged by the read-verb convention (`verbs.py`); one the engine
    knows in any way keeps its own judgement. An operator's rules that did not match
    leave the tool unknown (what a taught form does not cover is judged as before)."""
    return tool is None and not cmd.value_opts and not _known_program(cmd.name, an, builtin_packs())


def known_builtin(name: str) -> bool:
    """A built-in pack, code judge, subcommand list, shell, interpreter or wrapper
    describes `name` (`rules teach` teaches only what none does)."""
    return _knows(command_name(name), builtin_packs())


def _known_program(name: str, an: Analysis, packs: Packs | None = None) -> bool:
    """A pack (built-in and the operator's, or those of `packs`), code judge,
    subcommand list, shell, interpreter or wrapper describes a program called `name`
    (as `command_name` reads it: `python3` is `python`, `dash` is `sh`)."""
    return _knows(command_name(name), packs or _packs(an))


def _knows(name: str, packs: Packs) -> bool:
    from aiperm_tui.policy.analysis import wrapper_names  # both import this module
    from aiperm_tui.policy.code import INTERPRETERS

    return (
        judged_in_code(name)
        or name in SUBCOMMAND_TOOLS
        or name in DOWNLOADERS
        or name in SHELLS
        or name in INTERPRETERS
        or name in wrapper_names()
        or packs.tool(name) is not None
        or bool(packs.for_command(name))
    )


def _option_words(cmd: Cmd, grammar: Tool | None) -> list[Word]:
    """The tool's own option words, less those that are another option's value
    (`git clean -e --dry-run`: `--dry-run` is the pattern `-e` excludes)."""
    own = {id(w) for w in _own_words(cmd, grammar)}
    out: list[Word] = []
    value = False
    for w in cmd.args:
        if value:
            value = False
            continue
        if id(w) not in own:
            continue
        out.append(w)
        t = w.text
        if t.startswith("--"):
            value = "=" not in t and t[2:].lower() in cmd.value_opts
        elif len(t) > 1:
            value = cmd._cluster(t[1:])[1]
    return out


def _dry_run(cmd: Cmd, grammar: Tool | None) -> bool:
    """A dry-run option (`REHEARSAL_OPTIONS`) given among the tool's own options, on a
    tool whose pack says it has one (`rehearsal = true`). On any other tool the flag is
    text the tool rejects or, after an operand (BSD, busybox, POSIXLY_CORRECT), a file
    name: `rm -rf /srv --dry-run` is not a dry run."""
    if grammar is None or not grammar.rehearsal:
        return False
    own = [w.text[2:].split("=", 1) for w in _option_words(cmd, grammar) if w.text.startswith("--")]
    return any(
        name.lower() in REHEARSAL_OPTIONS and not (value and value[0].lower() in ("none", "false"))
        for name, *value in own
    )


def grammar_reads(example: str, grammar: Tool | None) -> frozenset[str]:
    """What the option grammar reads in the simple command `example`: "rehearsal",
    "help", "auth" (a login credential named), for the packs' `grammar_examples`
    (`aiperm rules test` and the tests)."""
    simples = parse(example).simples
    cmd = make_cmd(simples[0], simples[0].words) if simples else None
    if cmd is None:
        return frozenset()
    found = (
        ("rehearsal", _dry_run(cmd, grammar)),
        ("help", help_form(cmd, grammar)),
        ("auth", bool(effects.auth_values(cmd))),
    )
    return frozenset(kind for kind, holds in found if holds)


def hit(
    cmd: Cmd,
    rule: str,
    severity: Severity,
    message: str = "",
    blast: Blast = "system",
    **extra: object,
) -> list[Hit]:
    """A one-hit answer spanning the whole command."""
    text = message or f"{cmd.name}: {_MESSAGES.get(severity, 'a read')}"
    return [Hit(rule, severity, text, cmd.span, blast, **extra)]  # type: ignore[arg-type]


def _targets(words: Iterable[Word], an: Analysis) -> tuple[Target, ...]:
    return tuple(Target(w.text, w.span, an.cwd) for w in words)


def is_env_printer_eval(cmd: Cmd) -> bool:
    """`eval "$(ssh-agent -s)"` and friends only set environment variables."""
    text = " ".join(cmd.argv)
    return bool(
        re.fullmatch(
            r"\s*\$\(\s*(ssh-agent|pyenv|rbenv|nodenv|direnv|dircolors|brew shellenv|conda|"
            r"zoxide|starship|fnm|mise|rtx|gpg-agent|keychain|luarocks|opam)\b[^;&|`]*\)\s*",
            text,
        )
    )


# --- paths: writes and deletes --------------------------------------------------------

_WRITE_SEVERITY: dict[PathClass, Severity] = {
    "device": "critical",
    "network": "high",
    "root": "high",
    "critical": "high",
    "dotfile": "medium",
    "system": "medium",
    "log": "medium",
    "home": "medium",
    "temp": "medium",
    "dynamic": "medium",
    "plain": "medium",
}


# A systemd drop-in (`/etc/systemd/system/UNIT.d/NAME.conf`, or its folder) and the
# settings that only tune how a unit runs: its limits, resources, timeouts and restarts.
# Every other key may run a program or change who or what it runs as (`ExecStart`,
# `Environment=LD_PRELOAD`, `User`, `StandardOutput=file:`, `OnFailure`...).
_DROPIN = lazy(r"^/etc/systemd/system/[\w@.:-]+\.d(/[\w.-]+\.conf)?/?$")
_TUNING_LINE = lazy(
    r"^\s*(?:$|[#;].*|\[(?:Service|Unit)\]|(?:Limit[A-Z]+|Memory(?:Max|High|Low|Min|SwapMax|Limit)|"
    r"CPU(?:Quota|QuotaPeriodSec|Weight|Shares)|AllowedCPUs|IO(?:Weight|(?:Read|Write)"
    r"(?:Bandwidth|IOPS)Max)|TasksMax|Nice|OOMScoreAdjust|Timeout(?:Start|Stop|Abort)?Sec|"
    r"RestartSec|Restart|StartLimit(?:Burst|IntervalSec)|WatchdogSec|Description)"
    r"\s*=[\w.%:/ +-]*)\s*$"
)


# A logrotate configuration and the lines that only say how logs under /var/log rotate;
# every other directive may run a program as root (`postrotate`, `compresscmd`), send the
# logs away (`mail`), move them (`olddir`) or read another file (`include`).
_LOGROTATE = lazy(r"^/etc/logrotate\.d/[\w.-]+$")
_ROTATION_LINE = lazy(
    r"^\s*(?:$|#.*|[{}]|(?:\"?/var/log/(?![^\s\"]*\.\.)[\w./*?@-]+\"?\s*)+\{?|(?:daily|weekly|monthly|yearly|"
    r"hourly|(?:no)?compress|(?:no)?delaycompress|(?:no)?missingok|notifempty|ifempty|"
    r"(?:no)?copytruncate|copy|nocreate|(?:no)?dateext|dateyesterday|(?:no)?sharedscripts|"
    r"(?:rotate|start|maxage|size|minsize|maxsize)\s+\d+[kMG]?|create(?:\s+0?[0-7]{3}"
    r"(?:\s+[\w-]+\s+[\w-]+)?)?|su\s+[\w-]+\s+[\w-]+|dateformat\s+[-%\w.]+|"
    r"extension\s+[\w.]+|compressoptions\s+-\d))\s*$"
)


def tuning_dropin(path: str, text: str | None) -> bool:
    """`text`, written on the line, cannot make root run anything new at `path`: a
    systemd drop-in that only tunes its unit (`[Service]` + `LimitNOFILE=65536`: the
    change `systemctl set-property` makes), or a logrotate file that only says how logs
    under /var/log rotate. Unknown text (a file, a variable) never is."""
    if _DROPIN.match(path):
        return tuning_text(text)
    return bool(_LOGROTATE.match(path)) and _only_lines(text, _ROTATION_LINE)


def tuning_text(text: str | None) -> bool:
    """Unit-file text that only sets limits, resources, timeouts and restarts."""
    return _only_lines(text, _TUNING_LINE)


def _only_lines(text: str | None, line: re.Pattern[str]) -> bool:
    """Is `text` known (shown on the line, nothing expanded into it) and each of its
    lines (`\\n` counts as a line break, as printf and echo -e write one) a `line`?"""
    if text is None or "$" in text or "`" in text:
        return False
    return all(line.match(part) for part in text.replace("\\n", "\n").split("\n"))


# A file named as a key (`n.key`, `server.pem`, `root_ca_key`): where a tool's newly
# generated key goes (`write_hit`'s `new_key`).
_KEY_FILE = lazy(r"(?:\.(?:key|pem)|[-_.]key)$")


# The files sysctl applies at boot (and `sysctl --system` at once): a line there is a
# `sysctl -w` that outlives the session (left19).
_SYSCTL_FILE = lazy(
    r"^(?:/etc/sysctl\.conf|/(?:etc|run|usr/lib|lib|usr/local/lib)/sysctl\.d/[^/]+)$"
)
# One setting's line: `key = value`, `-key=value` (its error ignored), `key/path=value`.
_SYSCTL_LINE = lazy(r"^\s*-?\s*([A-Za-z0-9_./*-]+)\s*=\s*(.*?)\s*$", re.M)


def _sysctl_file_weakens(path: str, text: str | None) -> str | None:
    """What a line written to a sysctl configuration file takes away (the kernel
    protections `sysctl -w` is judged by: `kernel.randomize_va_space = 0` in
    /etc/sysctl.d/99-x.conf turns address space randomisation off at the next boot or
    `sysctl --system`), or None. A text the line does not show is judged by the path."""
    if text is None or not _SYSCTL_FILE.match(path):
        return None
    for m in _SYSCTL_LINE.finditer(text.replace("\\n", "\n")):
        if (weakens := kernel_protection(m.group(1), m.group(2))) is not None:
            return weakens
    return None


# A service's setting that names a program it runs or a module it loads (keepalived's
# `notify*` and `vrrp_script`'s `script`, dnsmasq's `dhcp-script`, net-snmp's `extend`,
# `exec` and `pass`, HAProxy's `lua-load` and `external-check command`, a hook or library,
# nginx's `load_module`), given a file in a temp folder, or any file there with a
# script's or a library's extension (audit19b).
_TEMP_PROGRAM_SETTING = lazy(
    r"(?im)(?:^|[\s{;\"'=])(?:script|notify\w*|\w*exec\w*|command|extend\w*|pass(?:_persist)?|"
    r"dhcp-(?:luascript|script)|hooks?[-_]?\w*|library|lua-load\w*|load_module|program|"
    r"check_script)\b[^\n]*?(?<![\w.-])(?:/tmp|/var/tmp|/dev/shm)/"
    r"|(?<![\w.-])(?:/tmp|/var/tmp|/dev/shm)/[^\s\"';]*\.(?:sh|bash|py|pl|rb|lua|so|js|php)\b"
)


def _temp_program_setting(path: str, text: str | None) -> bool:
    """Does `text`, written to a configuration under /etc, point a service at a program
    or module in a temp folder (`echo 'dhcp-script=/tmp/x.sh' >> /etc/dnsmasq.d/c.conf`)?"""
    return (
        text is not None
        and normalize_path(path).startswith("/etc/")
        and bool(_TEMP_PROGRAM_SETTING.search(text))
    )


def write_hit(
    target: Word,
    span: tuple[int, int],
    verb: str,
    *,
    truncate: bool,
    cwd: str | None,
    text: str | None = None,
    empties: bool = False,
    new_key: bool = False,
) -> Hit | None:
    """A write (redirection, tee, dd of=, cp destination) judged by its target, and by
    `text`, what it writes, when the line shows it (a drop-in that only tunes a unit).
    `empties`: the write leaves the file empty (`> F`, `echo '' > F`); `new_key`: what
    is written is a key the tool generates (`openssl req -keyout NEWKEY`): to a file
    named as a key (`_KEY_FILE`) it is a change by its path's class, as a new key pair is
    (`ssh-keygen -f NEW`), not a credential replaced."""
    cls = classify(target.text)
    if cls == "null":
        return None
    severity = _WRITE_SEVERITY[cls]
    what = describe(target.text)
    weakens = (
        kernel_protection(normalize_path(target.text), text)
        if normalize_path(target.text).startswith("/proc/sys/")
        else _sysctl_file_weakens(normalize_path(target.text), text)
    )
    if weakens is not None:
        severity = "high"
        message = f"{verb} {target.text}: turns off or replaces {weakens}"
    elif empties and truncate and is_access_config(target.text):
        severity = "high"
        message = (
            f"{verb} {target.text}, emptying the firewall's, router's or network's "
            "configuration: the next reload or boot opens the host or cuts it off"
        )
    elif empties and truncate and (emptied := _emptied(target.text)):
        severity = "high"
        message = f"{verb} {target.text}, emptying {emptied}"
    elif cls == "critical" and tuning_dropin(target.text, text):
        severity = "medium"
        message = (
            f"{verb} {target.text}: only tunes a unit (limits, resources, timeouts) or how "
            "logs rotate; nothing in it runs a program"
        )
    elif cls == "log" and truncate:
        severity = "high"
        message = f"{verb} {target.text}: empties a log (destroys the audit trail)"
    elif cls == "device":
        message = f"{verb} the raw device {target.text}: destroys its filesystem"
    elif cls == "dotfile" and truncate:
        severity = "high"
        message = f"{verb} {target.text}, replacing {what}: its previous content is lost"
    elif (
        truncate
        and not (new_key and _KEY_FILE.search(target.text))
        and cls != "temp"
        and is_secret(target.text)
        and _rank(severity) < _rank("high")
    ):
        severity = "high"  # as deleting it is (`delete_severity`): what it held is lost
        message = (
            f"{verb} {target.text}, replacing a credential (a key, a password or token "
            "file, a client's login): its previous content is lost"
        )
    elif truncate and is_live_data(target.text) and _rank(severity) < _rank("high"):
        severity = "high"
        message = (
            f"{verb} {target.text}, replacing a database's or VM's data file: its data is lost"
        )
    elif _dumps_ci_secrets(target.text, text):
        severity = "high"
        message = (
            f"{verb} {target.text}: a CI pipeline that prints or sends the repository's "
            "secrets (the runner writes them into its log, encoded past the masking)"
        )
    elif _temp_program_setting(target.text, text):
        severity = "high"
        message = (
            f"{verb} {target.text}: a service's setting that names a script, module or "
            "program in a temp folder (anyone may write there; the service runs or loads "
            "it as its own user)"
        )
    elif _web_shell(target.text, text):
        severity = "high"
        message = (
            f"{verb} {target.text}: a web page that runs what each request tells it (a web "
            "shell): whoever reaches the site runs commands on this host"
        )
    elif (served := _serves_private(target.text, text)) is not None:
        severity = "high"
        message = (
            f"{verb} {target.text}: a web server configuration that serves {served!r} "
            "(a repository's history, its env files or keys) to whoever asks"
        )
    elif opened := broker_opened(target.text, text) or protection_off(target.text, text):
        severity = "high"
        message = f"{verb} {target.text}: {opened}"
    elif (shipped := ships_outside(target.text, text)) is not None:
        severity = "high"
        message = (
            f"{verb} {target.text}: points the service at {shipped!r}, outside the site (the "
            "metrics, logs, traces, alerts or messages it handles go there, or its clients "
            "boot from there)"
        )
    elif planted := _planted(target.text, text):
        severity = "high"
        message = (
            f"{verb} {target.text}: a file a program loads by itself, written to {planted} "
            "(it runs or is fetched the next time that program starts)"
        )
    elif victim := _oom_victim(target.text, text):
        severity = "high"
        message = (
            f"{verb} {target.text}: makes {victim} the OOM killer's first victim (it is "
            "killed with SIGKILL before anything else when memory runs short)"
        )
    elif _trusts_remote_logins(target.text, text):
        severity = "high"
        message = (
            f"{verb} {target.text}: lets an address range log in to PostgreSQL as any role "
            "with no password (pg_hba trust)"
        )
    elif grants_login(target.text):
        severity = "high"
        message = f"{verb} {target.text}: adds a key that may log in to the account"
    elif cls != "temp" and (address := _proxied_outside(text)) is not None:
        severity = "high"
        message = (
            f"{verb} {target.text}: a proxy or web server configuration that sends traffic "
            f"to {address}, a bare public address (the site's requests, cookies and logins "
            "go there)"
        )
    elif git_hook(target.text):
        severity = "high"
        message = (
            f"{verb} {target.text}: a git hook, code git runs on the next checkout, commit "
            "or push in the account of whoever runs it"
        )
    else:
        message = f"{verb} {target.text}{': ' + what if what else ''}"
    blast: Blast = "system" if cls in ("device", "critical", "root", "system") else "single"
    # a temp file is settled once the whole line is known (`tempreport`: a fresh report)
    rule = "fs.write" if cls != "temp" else tempreport.CANDIDATE if truncate else tempreport.APPEND
    return Hit(
        rule,
        severity,
        message,
        span,
        blast,
        (Target(target.text, target.span, cwd),),
        suggest="lsblk" if cls == "device" else "",
        scoped=severity == "medium",
    )


# A pg_hba.conf line that lets a network address in with no password: `host` (any
# variant) with a `trust` method for an address that is not the loopback (sixteenth pass).
_HBA_TRUST = lazy(
    r"(?im)^\s*host\w*\s+\S+\s+\S+\s+(?!(?:127\.0\.0\.1(?:/32)?|::1(?:/128)?|localhost)\s)"
    r"\S+(?:\s+\d{1,3}(?:\.\d{1,3}){3})?\s+trust\b"
)


# A CI pipeline definition (GitHub Actions, GitLab, CircleCI, Drone, Woodpecker,
# Bitbucket, Azure Pipelines, Buildkite, Jenkins), and what in one dumps the secrets the
# runner is given: the whole secrets context (`toJSON(secrets)`), a secret or the
# environment piped through an encoder or sent to the network (sixteenth pass).
_CI_DEFINITION = lazy(
    r"(?:^|/)(?:\.github/workflows/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.circleci/config\.ya?ml|"
    r"\.drone\.ya?ml|\.woodpecker(?:/[^/]+|\.ya?ml)|bitbucket-pipelines\.ya?ml|"
    r"azure-pipelines\.ya?ml|\.buildkite/[^/]+\.ya?ml|Jenkinsfile)$"
)
_CI_SECRET_DUMP = lazy(
    r"(?i)toJSON\(\s*secrets\s*\)|"
    r"(?:\$\{\{\s*secrets\.[\w-]+\s*\}\}|\$\{?[A-Z_]*(?:TOKEN|SECRET|PASSWORD|KEY)\w*\}?|"
    r"\b(?:env|printenv)\b)[^\n]*\|\s*(?:base64|xxd|od|rev|curl|wget|nc)\b|"
    r"\b(?:curl|wget)\b[^\n]*\$\{\{\s*secrets\."
)


def _dumps_ci_secrets(path: str, text: str | None) -> bool:
    """Does `text`, written as a CI pipeline definition, print or send its secrets?"""
    return (
        text is not None
        and bool(_CI_DEFINITION.search(normalize_path(path)))
        and bool(_CI_SECRET_DUMP.search(text.replace("\\n", "\n")))
    )


# A page a web server runs (PHP, JSP, ASP, CGI) and, in it, a call that runs or evaluates
# what the request carries (`system($_GET["c"])`, `eval($_POST[...])`, `` `$_REQUEST[x]` ``,
# `Runtime.getRuntime().exec(request.getParameter(...))`: seventeenth pass).
_SERVER_PAGE = lazy(r"(?i)\.(?:php\d?|phtml|phar|inc|jsp|jspx|aspx?|ashx|cgi|pl|py)$")
_REQUEST_RUN = lazy(
    r"(?i)\b(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|eval|assert|"
    r"create_function|include|require)\s*\(\s*(?:base64_decode\s*\(\s*)?\$_(?:GET|POST|REQUEST|"
    r"COOKIE|SERVER|FILES)\b|`\s*\$_(?:GET|POST|REQUEST|COOKIE)\b|"
    r"\.exec\s*\(\s*request\.getParameter\b|\bProcess\.Start\s*\(\s*Request\b"
)


def _web_shell(path: str, text: str | None) -> bool:
    """Is `text`, written to a page a web server runs, code that runs what each request
    carries (a web shell)?"""
    return bool(text) and bool(_SERVER_PAGE.search(path)) and bool(_REQUEST_RUN.search(text or ""))


# A web server's location or alias that serves what a site keeps private: a repository's
# `.git`, env files, `.ssh`, cloud credentials (nginx `location /.git { alias ...; }`,
# apache `Alias /.git ...`), with no rule that refuses it in the same block.
_PRIVATE_LOCATION = lazy(
    r"(?i)(?:\blocation\s+[~=^*]*\s*['\"]?[^\s{]*?/?(\.(?:git|env|ssh|aws|svn|hg))\b[^{]*\{"
    r"(?![^}]*\b(?:deny\s+all|return\s+40[34])\b)[^}]*\b(?:alias|root|autoindex\s+on)\b|"
    r"\bAlias(?:Match)?\s+['\"]?\S*?/(\.(?:git|env|ssh|aws|svn|hg))\b)"
)


def _serves_private(path: str, text: str | None) -> str | None:
    """The private folder (`.git`, `.env`...) that `text`, written as a web server's
    configuration, serves to whoever asks, or None."""
    if not text or not is_service_config(path):
        return None
    m = _PRIVATE_LOCATION.search(text.replace("\\n", "\n"))
    return (m.group(1) or m.group(2)) if m else None


# What, written into a file a program loads by itself, makes that program run or fetch
# code nobody reviewed: a download piped to a shell or an interpreter, a program or
# preloaded script in a temp folder (seventeenth pass).
_DOWNLOAD_RUN = lazy(
    r"\b(?:curl|wget|fetch)\b[^\n|;&]*\|\s*(?:sudo\s+)?(?:ba|z|da|k|fi)?sh\b|"
    r"\b(?:curl|wget)\b[^\n|;&]*\|\s*(?:python3?|perl|ruby|node)\b"
)
_TEMP_PROGRAM = lazy(r"(?:^|[\s\"'=:(,])(?:/tmp|/var/tmp|/dev/shm)/")


# Package sources (eighteenth pass): a repository whose signatures are not checked
# (`gpgcheck=0`, APT's `[trusted=yes]`, pacman's `SigLevel = Never`) installs whatever
# its host, or anyone on the way, serves, as root.
_PACKAGE_SOURCE_FILE = lazy(
    r"^/etc/(?:yum\.repos\.d/[^/]+|zypp/repos\.d/[^/]+|apt/sources\.list(?:\.d/[^/]+)?|"
    r"pacman\.conf|pacman\.d/[^/]+|dnf/dnf\.conf|yum\.conf)$"
)
_UNSIGNED_SOURCE = lazy(
    r"(?im)^\s*gpgcheck\s*=\s*(?:0|no|false)\b|\[[^\]]*\btrusted=yes\b|"
    r"^\s*trusted:\s*yes\b|^\s*SigLevel\s*=\s*(?:[\w ]*\s)?Never\b|allow-insecure=yes"
)
# MySQL's and MariaDB's configuration (eighteenth pass): `init_file` runs its SQL as the
# server's root account at every start, `plugin_load` and `malloc_lib` load a library.
_DB_SERVER_CONFIG = lazy(r"^/etc/(?:mysql/.*\.cnf|my\.cnf(?:\.d/[^/]+)?|my\.cnf)$")
_DB_STARTUP_CODE = lazy(
    r"(?im)^\s*(?:init[-_]file|plugin[-_]load(?:[-_]add)?|malloc[-_]lib|plugin[-_]dir)\s*="
    r"\s*[^\n]*(?:/tmp|/var/tmp|/dev/shm)/"
)


def _planted(path: str, text: str | None) -> str:
    """What `text`, written into `path`, makes a program that loads the file by itself
    run or fetch ('' for nothing of the kind): a download run by a shell, code in a temp
    folder, a package source or URL rewrite outside the site or spelt like another's
    host (`fspaths.loaded_by_program`: a husky hook, `.envrc`, `.vimrc`, `.npmrc`,
    `.gitconfig`, `.cargo/config.toml`, an editor's or dev container's settings)."""
    if not text:
        return ""
    flat = text.replace("\\n", "\n").replace("\\t", "\t")
    if _PACKAGE_SOURCE_FILE.search(path) and _UNSIGNED_SOURCE.search(flat):
        return "install packages whose signatures are never checked"
    if _DB_SERVER_CONFIG.search(path) and _DB_STARTUP_CODE.search(flat):
        return "run SQL or load a library from a temp folder as the server starts"
    if not loaded_by_program(path):
        return ""
    if _DOWNLOAD_RUN.search(flat):
        return "run a download"
    if _TEMP_PROGRAM.search(flat):
        return "run or load code from a temp folder"
    if address := lookalike_host(flat) or foreign_source(flat):
        return f"fetch from {address!r}, outside the site"
    return ""


# A process's OOM score written through its pid looked up by name (`/proc/$(pgrep -o -x
# postgres)/oom_score_adj`, `oom_adj`).
_OOM_SCORE = lazy(
    r"^/proc/(?:\$\(|`)\s*(?:pgrep|pidof)\b[^)`]*?\s([\w.@:-]+)\s*(?:\)|`)/oom_(?:score_)?adj$"
)


def _oom_victim(path: str, text: str | None) -> str:
    """The database or vital daemon a positive OOM score is written for ('' otherwise;
    sixteenth pass): raised, it is the first process the kernel kills with SIGKILL when
    memory runs short, a crash it must recover from. A negative score protects it."""
    m = _OOM_SCORE.match(path)
    value = (text or "").strip()
    if m is None or not value.isdigit() or int(value) <= 0:
        return ""
    table = _table("kill")
    patterns = [p for p in (table.stateful, table.vital) if p]
    return m.group(1) if any(compiled(p).match(m.group(1)) for p in patterns) else ""


# The commit ratio set elsewhere on the line: by sysctl, or written to /proc/sys (left17).
_OVERCOMMIT_RATIO = lazy(
    r"vm\.overcommit_ratio\s*=\s*(\d+)|"
    r"\b(?:echo|printf)\s+['\"]?(\d+)\S*\s*(?:>|\|\s*(?:sudo\s+)?tee\s+(?:-a\s+)?)\s*"
    r"/proc/sys/vm/overcommit_ratio\b"
)


def strict_overcommit(mode: str, ratio: str | None, line: str) -> bool:
    """Strict overcommit (`mode` 2) with a commit ratio under 50 (`ratio`, or set elsewhere
    on `line`; sixteenth pass, and through /proc/sys since left17): the commit limit becomes
    swap plus that share of RAM, so with little swap the running services' next allocations
    fail. Strict mode at the default ratio stays the tuning it is."""
    found = next((a or b for a, b in _OVERCOMMIT_RATIO.findall(line)), "")
    ratio = ratio or found
    return mode.strip() == "2" and ratio.isdigit() and int(ratio) < 50


def overcommit_write(
    target: Word, text: str | None, line: str, verb: str, span: tuple[int, int]
) -> Hit | None:
    """`echo 2 > /proc/sys/vm/overcommit_memory` with a ratio under 50 set on the same
    `line` (left17): the sysctl's strict overcommit written through /proc/sys."""
    if normalize_path(target.text) != "/proc/sys/vm/overcommit_memory" or not text:
        return None
    if not strict_overcommit(text, None, line):
        return None
    return Hit(
        "kernel.memory_starved",
        "high",
        f"{verb} {target.text}: strict overcommit with a low ratio, so the services' next "
        "allocations fail and they crash",
        span,
        "system",
    )


def _trusts_remote_logins(path: str, text: str | None) -> bool:
    """Is `text`, written to a PostgreSQL host-based authentication file, a line that lets
    an address range log in with no password (`host all all 0.0.0.0/0 trust`)? One local
    socket or the loopback trusted stays the change it is."""
    return (
        text is not None
        and normalize_path(path).endswith("pg_hba.conf")
        and bool(_HBA_TRUST.search(text.replace("\\n", "\n")))
    )


def _emptied(path: str) -> str:
    """What is lost when `path` is left empty ('' for an ordinary file): a service's
    configuration (it fails at its next reload or start, as `rm` of it would not be
    mistaken for an edit) or a backup, a dump or a data file (what it held is gone)."""
    if classify(path) == "temp":
        return ""
    if is_service_config(path):
        return "a service's configuration: it fails at its next reload or start"
    if is_data_store(path):
        return "a backup or data file: what it held cannot be brought back"
    return ""


# A proxy or web server directive that sends requests on (nginx's proxy_pass and its
# kin, apache's ProxyPass, haproxy's and nginx's `server`, a redirect), to a bare IPv4
# address.
_PROXY_TO_ADDRESS = lazy(
    r"(?i)\b(?:proxy_pass|fastcgi_pass|uwsgi_pass|scgi_pass|grpc_pass|proxypass(?:reverse)?"
    r"|server|return\s+30[1278]|rewrite\s+\S+)\s+(?:\S+\s+)?['\"]?(?:[a-z]+://)?"
    r"(\d{1,3}(?:\.\d{1,3}){3})\b"
)


# The configurations that decide where a service sends what it collects, or where its
# clients fetch from (fix19): the metric, log and trace pipelines (Prometheus'
# remote_write, Alertmanager's receivers, the OpenTelemetry collector's exporters,
# Vector's sinks, Fluent Bit's and Fluentd's outputs, the Beats, Logstash, Promtail,
# Grafana's agents, Telegraf, collectd, rsyslog and syslog-ng, the journal's upload),
# Grafana's provisioned data sources, an MQTT broker's bridges, and the boot servers a
# DHCP server hands its clients (dnsmasq's `dhcp-boot`, dhcpd's `next-server`, the TFTP
# and PXE files).
_SHIPPING_CONFIG = lazy(
    r"^/etc/(?:prometheus|alertmanager|otelcol[\w-]*|otel[\w-]*|opentelemetry[\w-]*|vector|"
    r"fluent-bit|td-agent(?:-bit)?|fluentd?|filebeat|metricbeat|auditbeat|packetbeat|"
    r"heartbeat|journalbeat|logstash|promtail|grafana-agent[\w-]*|alloy|telegraf|"
    r"collectd(?:\.d)?|nxlog|syslog-ng|rsyslog\.d|mosquitto|vmagent|victoriametrics|"
    r"grafana/provisioning|loki|tempo|mimir|dnsmasq\.d|kea|dhcp)/|"
    r"^/etc/(?:rsyslog\.conf|syslog\.conf|collectd\.conf|dnsmasq\.conf|telegraf\.conf|"
    r"default/(?:prometheus|alertmanager|vmagent|node[-_]exporter)[\w-]*|"
    r"systemd/journal-(?:upload|remote)\.conf(?:\.d/[^/]+)?)$|"
    r"^/(?:srv|var/lib)/tftp(?:boot)?/|^/srv/tftp/"
)


# An MQTT broker's configuration or ACL file (fix19): anonymous clients let in, or a
# user or pattern given every topic (`#`) to write, which reaches every device that
# takes commands from a topic.
_BROKER_CONFIG = lazy(r"^/etc/(?:mosquitto|emqx|nanomq|vernemq|hivemq)/")
_BROKER_OPENED = lazy(
    r"(?im)^\s*(?:allow_anonymous\s+true|allow\.anonymous\s*=\s*(?:true|on)|"
    r"(?:topic|pattern)\s+(?:readwrite|write)\s+#\s*$)"
)


def broker_opened(path: str, text: str | None) -> str:
    """What `text` written into an MQTT broker's configuration opens ('' for nothing)."""
    if not text or not _BROKER_CONFIG.search(normalize_path(path)):
        return ""
    m = _BROKER_OPENED.search(text.replace("\\n", "\n"))
    if m is None:
        return ""
    if "anonymous" in m.group(0).lower():
        return "lets anonymous clients connect to the MQTT broker (no login)"
    return "gives write access to every topic of the MQTT broker (`#`: every device's commands)"


# A protection switched off in the configuration of the service that enforces it
# (twentieth pass, fix20), whoever writes the text (`sed -i` replacing or adding it,
# `echo`/`printf`/`cat <<EOF` redirected, `tee`): the configuration (a path pattern), the
# setting, and what is lost. Each is the whole point of the setting: ModSecurity's rule
# engine off or detect-only, an rspamd module (antivirus, DKIM signing, spam actions)
# disabled or its reject action nulled, every mail trusted by SpamAssassin, VRRP's
# authentication removed or a node forced master (split brain), BIRD exporting every
# route to its peers (a route leak), BIND's transfers, recursion or updates allowed to
# anyone, Postfix relaying for every address, a RADIUS client that is every address.
_PROTECTIONS: tuple[tuple[str, str, str], ...] = (
    (
        r"(?i)modsec|^/etc/(?:apache2|httpd|nginx)/|^/usr/local/apache/conf/|(?:^|/)\.htaccess$",
        r"(?im)^\W*SecRuleEngine\s+(?:Off|DetectionOnly)\b",
        "turns ModSecurity's rule engine off (every site's attacks pass unblocked)",
    ),
    (
        r"^/etc/rspamd/",
        r"(?im)^\W*(?:[\w-]+\s*\{\s*)?enabled\s*=\s*false\b|\breject\s*=\s*null\b",
        "turns an rspamd module or action off (spam, virus or DKIM checks, spam rejection)",
    ),
    (
        r"^/etc/(?:mail/)?spamassassin/",
        r"(?im)^\W*score\s+\S+\s+-\d{2,}|^\W*(?:whitelist|welcomelist)_from\s+\*",
        "makes SpamAssassin trust every mail (a score of -10 or less, or any sender listed)",
    ),
    (
        r"^/etc/keepalived/",
        r"(?im)\bauth_type\s+none\b|\bpriority\s+255\b",
        "removes VRRP's authentication or forces this node master (priority 255): the "
        "address moves to it, or both nodes hold it",
    ),
    (
        r"^/etc/bird/|^/etc/bird6?\.conf$",
        r"(?im)\bexport\s+all\s*;",
        "exports every route to the routing daemon's peers (a route leak)",
    ),
    (
        r"^/etc/(?:named|bind)(?:/|\.conf)",
        r"(?i)allow-(?:transfer|recursion|update|query-cache)\s*\{\s*any\s*;",
        "lets anyone transfer, update or recurse through the name server",
    ),
    (
        r"^/etc/postfix/main\.cf$",
        r"(?im)^\W*mynetworks\s*=[^\n]*(?:0\.0\.0\.0/0|::/0)|"
        r"^\W*smtpd_(?:relay|recipient)_restrictions\s*=(?:[^\n]*,)?\s*permit\s*$",
        "lets every address relay mail through the host (an open relay)",
    ),
    (
        r"^/etc/(?:freeradius/[^/]+|raddb)/clients\.conf$",
        r"(?im)^\W*client\s+(?:0\.0\.0\.0/0|::/0|\*)|ipaddr\s*=\s*(?:0\.0\.0\.0/0|\*)",
        "accepts every address as a RADIUS client (anyone who knows the secret logs users in)",
    ),
)


def protection_off(path: str, text: str | None) -> str:
    """What `text`, written into `path`, switches off ('' for nothing): a setting whose
    only purpose is a protection (`_PROTECTIONS`), in the service's own configuration."""
    if not text:
        return ""
    where = normalize_path(path)
    flat = text.replace("\\n", "\n")
    return next(
        (
            lost
            for p, setting, lost in _PROTECTIONS
            if re.search(p, where) and re.search(setting, flat)
        ),
        "",
    )


def ships_outside(path: str, text: str | None, replaced: str = "") -> str | None:
    """The address outside the site (`addresses.destinations_outside`) that `text`,
    written into `path`, a configuration deciding where a service sends its data or
    its clients boot from (`_SHIPPING_CONFIG`), names; None for another file or none.
    An address of the same registered domain as one the edit replaces (`replaced`: sed's
    `s/agg-01.mon.x.net/agg-02.mon.x.net/`) moves within that domain: none."""
    if not text or not _SHIPPING_CONFIG.search(normalize_path(path)):
        return None
    old = {registered_domain(a) for a in _hosts_named(replaced)}
    flat = text.replace("\\n", "\n").replace("\\t", "\t")
    return next((a for a in destinations_outside(flat) if registered_domain(a) not in old), None)


def _hosts_named(text: str) -> list[str]:
    """Every dotted host name or URL in `text` (the side of an edit being replaced)."""
    return re.findall(r"(?:[a-z]+://)?[\w-]+(?:\.[\w-]+)+", text) if text else []


def _proxied_outside(text: str | None) -> str | None:
    """The foreign IPv4 address (`addresses.site_address`) a configuration written on the
    line proxies or redirects to (`proxy_pass https://203.0.113.9;`), or None: a private,
    loopback or link-local address is the fleet's own backend (tidy14: shared CGNAT space
    counts as foreign here too, as it does for code installed from it)."""
    if not text:
        return None
    for m in _PROXY_TO_ADDRESS.finditer(text):
        if site_address(m.group(1)) == "foreign":
            return m.group(1)
    return None


def value_word(cmd: Cmd, text: str) -> Word:
    """An option's value as a word to judge: the value has no span of its own, so the
    review highlights the whole command."""
    return Word(text, cmd.span[0], cmd.span[1], text)


def option_write(cmd: Cmd, path: str, verb: str, an: Analysis) -> list[Hit]:
    """The file an option names for output (`sort -o`, `wget -O`, `tar -f`), judged as a
    write that replaces it, like `> path`."""
    found = write_hit(value_word(cmd, path), cmd.span, verb, truncate=True, cwd=an.cwd)
    return [found] if found else []


_DELETE_SEVERITY: dict[PathClass, tuple[Severity, Severity]] = {  # (file, recursive)
    "root": ("high", "critical"),
    "device": ("high", "high"),
    "critical": ("high", "high"),
    "log": ("high", "high"),
    "system": ("medium", "high"),
    "dynamic": ("medium", "high"),
    "dotfile": ("high", "high"),
    "home": ("medium", "high"),
    "temp": ("medium", "medium"),
    "plain": ("medium", "medium"),
    "null": ("high", "high"),
    "network": ("medium", "medium"),
}


def delete_severity(path: str, *, recursive: bool, moved: bool = False) -> Severity:
    """How bad deleting `path` is, from what the path is and whether it recurses (a
    backup `moved` elsewhere is not lost)."""
    if normalize_path(path) in _LOGIN_LOCKS:
        return "medium"
    cls = classify(path)
    # a build, brought back by a deploy; a tool's cache in a home folder, by the next
    # build or install (`buildoutputs`)
    recursive = recursive and not _one_release(path) and not rebuildable(path)
    severity = _DELETE_SEVERITY[cls][1 if recursive else 0]
    if not moved and (is_data_store(path) or is_secret(path)) and _rank(severity) < _rank("high"):
        # a backup, a data file or a key: what it held (or what it decrypts) is lost
        severity = "high"
    if (recursive or _top_level_glob(path)) and _rank(severity) < _rank("high"):
        # a recursive delete cannot be undone, whatever the name; a pattern over the
        # files of a top-level system folder (`/etc/*.conf`) deletes many of them
        severity = "high"
    return severity


# The login locks: while one exists only root may log in, so writing one is critical
# (`fspaths`), and deleting one gives the logins back: a change (fifteenth pass).
_LOGIN_LOCKS = frozenset({"/etc/nologin", "/run/nologin", "/var/run/nologin"})


# One release of a deploy (`/srv/app/releases/20261101-0900`, Capistrano's and
# Deployer's layout): a build the next deploy brings back, removed to free space. Not
# the releases folder, a pattern over it, `current`, or a path through `..`.
_ONE_RELEASE = lazy(r"^/(?:srv|opt|var/www|home/[^/]+)/(?:[^/]+/)+releases/[\w.+-]+/?$")


def _one_release(path: str) -> bool:
    path = normalize_path(path)
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(_ONE_RELEASE.match(path)) and name not in ("current", "..", ".")


def _top_level_glob(path: str) -> bool:
    """A pattern over the files of a top-level system folder (`/etc/*.conf`), or of a
    folder of configs or service state (`/etc/uwsgi/vassals/*.ini`, `/var/lib/bind/db.*`):
    it deletes a service's whole set of configs, zones or keys at once."""
    folder, _, name = normalize_path(path).rpartition("/")
    if not (re.search(r"[*?\[]", name) and folder.startswith("/")):
        return False
    if folder in TOP_DIRS:
        return True
    # deeper, a pattern naming leftovers (`conf.d/*.bak`) is housekeeping, not the set
    return folder.startswith(("/etc/", "/var/lib/")) and not _LEFTOVERS.search(name)


_LEFTOVERS = lazy(r"(\.(bak|old|orig|save|swp|tmp|rpmsave|rpmnew|dpkg-\w+)|~)$")


def delete_reason(path: str) -> str:
    """Why deleting `path` matters, for the finding's message ('' for an ordinary path)."""
    cls = classify(path)
    special = {
        "root": "a whole system folder",
        "log": "logs (destroys the audit trail)",
        "dynamic": "a path known only at run time (an empty variable makes it /)",
        "device": "a device node",
        "system": "system files",
    }
    if is_data_store(path) and cls in ("system", "plain", "home", "dynamic"):
        return "a backup or data store (its content cannot be brought back)"
    if is_secret(path) and cls in ("system", "plain", "home", "dynamic", "temp"):
        return "a key or credential (what it opens or decrypts may be lost with it)"
    return special.get(cls) or describe(path)


def _where(text: str, an: Analysis) -> str:
    """A relative path resolved against a known working folder (`cd /var && rm -r lib`)."""
    if an.cwd and text and not text.startswith(("/", "~", "$")):
        return resolve(text, an.cwd) or text
    return text


def _rank(severity: str) -> int:
    return ("info", "low", "medium", "high", "critical").index(severity)


def changes(
    cmd: Cmd,
    paths: list[Word],
    an: Analysis,
    verb: str,
    severity: Severity = "medium",
    blast: Blast = "single",
) -> list[Hit]:
    """A routine change to files (touch, mkdir, cp...), raised when a target is critical."""
    worst = severity
    why = ""
    for word in paths:
        cls = classify(word.text)
        planted = grants_login(word.text) or git_hook(word.text)
        if (cls in ("device", "root", "critical") or planted) and _rank(worst) < _rank("high"):
            worst = "critical" if cls == "device" else "high"
            blast = "system"
        if cls in ("device", "root", "critical", "dotfile") and not why:
            why = (
                f" ({word.text}: {describe(word.text)})"
                if len(paths) > 1
                else (f": {describe(word.text)}")
            )
    names = " ".join(p.text for p in paths) or "files"
    return [
        Hit(
            f"fs.{cmd.name}",
            worst,
            f"{cmd.name} {verb} {names}{why}",
            cmd.span,
            blast,
            _targets(paths, an),
            scoped=worst == "medium",
        )
    ]


def find_starts(cmd: Cmd) -> list[Word]:
    """The start folders of `find` (the words before its first expression)."""
    starts: list[Word] = []
    for a in cmd.args:
        if a.text.startswith(("-", "(", "!", ")")) and a.text not in ("-", "-L", "-H", "-P"):
            break
        if not a.text.startswith("-"):
            starts.append(a)
    return starts


def listed_roots(cmd: Cmd) -> list[Word]:
    """The folders whose files `cmd` prints as a list of paths (`find DIR`, `ls DIR`,
    `grep -rl PAT DIR`, `fd PAT DIR`): what an `xargs` fed by it acts on. locate's
    database holds every path on the host: its matches are anywhere under `/`."""
    if cmd.name == "find":
        return find_starts(cmd) or [Word(".", cmd.word.end, cmd.word.end, "")]
    if cmd.name in ("locate", "plocate", "mlocate", "slocate"):
        return [Word("/", cmd.word.end, cmd.word.end, "")]
    if cmd.name == "ls":
        return cmd.positional()
    if cmd.name in ("grep", "egrep", "rg", "fd", "fdfind") and (
        cmd.name != "grep" or cmd.has("l", "L", "r", "R", "files-with-matches")
    ):
        pos = cmd.positional("efmABCdD")
        return pos if cmd.has("e", "f", "regexp", "file") else pos[1:]
    return []


def found_names(cmd: Cmd, starts: list[Word]) -> list[str]:
    """What `{}` stands for in `find -exec`: a file under each start folder, as a pattern
    (`/etc/ssl/private/*`, or `/etc/*.conf` with `-name '*.conf'`), so the command it
    runs is judged on the files it gets (`-exec cat {}` under a key folder reads keys)."""
    name = next(
        (
            b.text
            for a, b in zip(cmd.args, cmd.args[1:], strict=False)
            if a.text in ("-name", "-iname")
        ),
        "*",
    )
    if "/" in name:
        name = "*"
    folders = [s.text.rstrip("/") or "/" for s in starts] or ["."]
    found = [f"{folder.rstrip('/')}/{name}" for folder in folders[:4]]
    # find descends: a name pattern that picks credentials out (`-name 'id_*'`) finds
    # them anywhere below, not only in the start folder itself
    deeper = [s for folder in folders[:4] if (s := secret_found(folder, name)) is not None]
    # a whole-path test names the files themselves, below any start (`-path
    # '*/.cargo/credentials*'` finds every account's cargo tokens: seventeenth pass)
    paths = [
        f"{folder.rstrip('/')}/{b.text.lstrip('*/')}"
        for a, b in zip(cmd.args, cmd.args[1:], strict=False)
        if a.text in _PATH_TESTS and b.text.lstrip("*/")
        for folder in folders[:1]
    ]
    return found + deeper[:1] + paths[:4]


# find's tests on the whole path (a pattern with slashes in it).
_PATH_TESTS = frozenset({"-path", "-ipath", "-wholename", "-iwholename"})


_AGE_TESTS = frozenset({"-mtime", "-mmin", "-atime", "-amin", "-ctime", "-cmin", "-used"})


_NAME_TESTS = frozenset({"-name", "-iname"})  # `find /srv/app/cache -name '*.tmp' -delete`


# Operators and options that make a test before -delete stop limiting what it deletes
# (`-o` deletes what the test rejects) or follow links out of the folder.
_UNLIMITING = frozenset({"-o", "-or", ",", "-L", "-follow", "-H"})


def aged_cleanup(before: list[Word], starts: list[Word], an: Analysis) -> bool:
    """`find /srv/app/tmp -type f -mtime +7 -delete`, `find /srv/app/cache -name '*.tmp'
    -exec rm {} +`: files past an age or name test in temp or cache folders are deleted
    one by one, as a routine cleanup, not the tree at once. The test must come before the
    delete (find acts left to right), joined by AND."""
    words = {w.text for w in before}
    return (
        bool(starts)
        and bool(words & (_AGE_TESTS | _NAME_TESTS))
        and not words & _UNLIMITING
        and all(is_scratch(_where(s.text, an)) for s in starts)
    )


def name_selected(before: list[Word]) -> bool:
    """`find build -name '*.o'`: a name test picks some files out of the tree (not
    `-name '*'`), so what is deleted is those files, not the tree."""
    words = [w.text for w in before]
    return any(a in _NAME_TESTS and b.strip("'\"") != "*" for a, b in pairwise(words))


def scope_to(
    hits: list[Hit],
    starts: list[Word],
    an: Analysis,
    who: str = "find",
    *,
    cleanup: bool = False,
    selective: bool = False,
) -> list[Hit]:
    """`find / -exec rm {} ;`, `find /srv | xargs rm`: the inner command acts on the
    whole start folder (`who` runs it), judged as `find DIR -delete` is: the tree's
    recursive delete. A `cleanup` (files past an age or name test in a temp or cache
    folder) deletes them one by one; a `selective` listing (a name test: `-name '*.o'`)
    deletes the files it names, judged by the folder's class."""
    out = []
    for h in hits:
        if h.rule in ("fs.delete", "fs.interpreter_delete") and starts:
            worst = max(
                (
                    "high"
                    if is_data_store(s.text)
                    else _DELETE_SEVERITY[classify(s.text)][0 if cleanup else 1]
                    if cleanup or selective
                    else delete_severity(_where(s.text, an), recursive=True)
                    for s in starts
                ),
                key=_rank,
            )
            severity = h.severity if _rank(h.severity) >= _rank(worst) else worst
            out.append(
                Hit(
                    h.rule,
                    severity,
                    f"{who} runs a delete on everything under {' '.join(s.text for s in starts)}",
                    h.span,
                    "tree",
                    _targets(starts, an),
                    suggest=f"find {starts[0].text} -print",
                    scoped=severity == "medium",
                )
            )
        elif h.rule.startswith("fs.") and starts:
            out.append(_scoped_edit(h, starts, an, who))
        else:
            out.append(h)
    return out


def _scoped_edit(h: Hit, starts: list[Word], an: Analysis, who: str) -> Hit:
    """`find /etc -exec sed -i ... {} +`: an edit (sed -i, chmod, chown, a write) applied
    to every file under the start folders is a write to those folders, judged by what
    they are: one edit of a file under `/` becomes an edit of the whole system."""
    worst = max(
        (
            _WRITE_SEVERITY[cls] if cls != "null" else "medium"
            for cls in (classify(s.text) for s in starts)
        ),
        key=_rank,
    )
    if _rank(h.severity) >= _rank(worst):
        return h
    return Hit(
        h.rule,
        worst,
        f"{who} applies {h.message} to every file under {' '.join(s.text for s in starts)}",
        h.span,
        "tree",
        _targets(starts, an),
        suggest=f"find {starts[0].text} -print",
    )


# --- shared by several families of judges ---------------------------------------------

# `HOST:PATH`, `[USER@]HOST:PATH`, `CONTAINER:PATH`, `[NS/]POD:PATH`: a file elsewhere.
_ELSEWHERE = lazy(r"^(?:[\w.-]+@)?[\w.-]+(?:/[\w.-]+)?:(/[^:*?\[]*[^/:*?\[])$")
# A log file: under /var/log or a `log`/`logs` folder, or named `*.log` (`.log.1`).
_LOG_FILE = lazy(r"^/var/log/|/logs?/[^/]+$|\.log(?:\.\d+)?$")
# A service's configuration file under /etc, which `cat` on that host would print as a
# read (one that holds a credential is a secret by `is_secret` and keeps its level).
_CONFIG_FILE = lazy(r"^/etc/[^\s]+\.(?:conf|cfg|ini|ya?ml|json|toml|service|timer|rules|cnf)$")


def fetched_copy(cmd: Cmd, an: Analysis, source: str, dest: Word) -> list[Hit] | None:
    """A log or a configuration file copied from another host or a container into a temp
    folder (`scp web2:/var/log/x.log /tmp/x`, `docker cp api:/app/logs/err.log
    /tmp/err.log`, `scp web3:/etc/nginx/conf.d/shop.conf /tmp/shop.conf`): a download of
    what `tail` or `cat` would print, judged as a write of the copy (`tempreport`
    settles a fresh report). None (the tool's own judgement) for anything else: a copy
    elsewhere or into the container, a folder, a pattern, and any other file, since
    which of them hold credentials (a vault's keyring, an app's data) cannot be told."""
    m = _ELSEWHERE.match(source)
    if m is None or classify(dest.text) != "temp" or dest.dynamic or ":" in dest.text:
        return None
    path = normalize_path(m.group(1))
    if not (_LOG_FILE.search(path) or _CONFIG_FILE.match(path)):
        return None
    if is_secret(path) or is_data_store(path):
        return None
    found = write_hit(dest, cmd.span, f"{cmd.name} copies {source} to", truncate=True, cwd=an.cwd)
    return [found] if found else []


# Signals a daemon named by its program handles without stopping (a reload, log
# reopening, a status report); CONT and WINCH never stop anything by default.
_RELOAD_SIGNALS = frozenset({"HUP", "1", "USR1", "10", "USR2", "12"})
_HARMLESS_SIGNALS = frozenset({"CONT", "18", "WINCH", "28", "0"})
_NOT_DAEMONS = frozenset({"1", "-1", "init", "systemd", "bash", "sh", "login"})


def _reloads(signal: str, targets: list[str]) -> bool:
    """Does `signal` leave the named processes running?"""
    if signal in _HARMLESS_SIGNALS:
        return True
    return signal in _RELOAD_SIGNALS and not any(t in _NOT_DAEMONS for t in targets)


# --- subcommand tables ------------------------------------------------------------------


# When the first word is one of the table's `groups` (a kind of object: `helm repo`,
# `hcloud server`; `*`: any first word the table does not list) and the second lists or
# shows, the command reads (a table's `read_second` replaces this default). After any
# other first word the second is an object's name: `systemctl stop status nginx` stops
# two units, `helm install list ./chart` installs a release called `list`.
_SECOND_READS = frozenset({"list", "ls", "show", "status", "get", "describe", "inspect", "info"})


def _second_reads(table: Table, sub: str, second: str) -> bool:
    """`sub second` only lists or shows: `sub` names a group and `second` reads."""
    grouped = sub in table.groups or "*" in table.groups
    return grouped and second in (table.read_second or _SECOND_READS)


def table_hits(cmd: Cmd, an: Analysis) -> list[Hit]:
    """A tool judged by its pack's subcommand table (`[tools.NAME]` with `read`, `low`,
    `high`... lists): reads run unasked, a listed subcommand has its level, any other
    changes the system (`medium`). The finding names the subcommand and, when the table
    says, what it does and a read-only command to try first."""
    packs = builtin_packs() if judged_in_code(cmd.name) else _packs(an)
    tool = packs.tool(cmd.name)
    if tool is None or tool.table is None:
        return []
    table = tool.table
    cmd = replace(cmd, value_opts=cmd.value_opts | tool.value_options)
    pos = cmd.positional()
    sub = pos[0].text.lower() if pos else ""
    words = [sub, *(p.text.lower() for p in pos[1:3])]
    level = level_of(cmd.name, words, packs) if sub else table.bare
    if (
        not sub
        and cmd.args
        and all(level_of(cmd.name, [a.text], packs) == "read" for a in cmd.args)
    ):
        level = "read"  # `npm -v`: an option the table lists as a read, alone
    if level == "read" and (shifted := _shifted_level(cmd, pos, packs)):
        level, sub = shifted, pos[1].text.lower()
    if level == "read" or (
        level is None and len(pos) > 1 and _second_reads(table, sub, pos[1].text)
    ):
        return _output_file(cmd, an)
    destroys = None
    if level is None and table.unlisted_destroy:
        destroys = verbs.destroy_word(verbs.convention_args(cmd))
    severity = LEVELS[(destroys and table.unlisted_destroy) or level or "medium"]
    rest = " ".join(a.text for a in pos[1:])
    what = table.why(sub) or _MESSAGES[severity]
    if destroys:
        what = f"not in its table, asked to {destroys!r}: by convention that destroys state"
    return hit(
        cmd,
        f"{cmd.name}.{sub or 'run'}",
        severity,
        f"{cmd.name} {sub}: {what}".rstrip(": "),
        table.blast,
        suggest=table.suggest.replace("{rest}", rest).strip(),
    )


def _shifted_level(cmd: Cmd, pos: list[Word], packs: Packs) -> str | None:
    """The level of the next subcommand when the read one may be an option's value: an
    option the table does not list right before it may take it (`mlxfwreset -d D
    --mst_flags q -y reset`: `q` is the flags, `reset` the subcommand), so a listed,
    non-read subcommand after it is the one that runs (rev20a)."""
    if len(pos) < 2:
        return None
    at = next((i for i, a in enumerate(cmd.args) if a is pos[0]), 0)
    before = cmd.args[at - 1].text if at else ""
    if not before.startswith("-") or "=" in before or before == "--":
        return None
    level = level_of(cmd.name, [p.text.lower() for p in pos[1:4]], packs)
    return level if level not in (None, "read") else None


# Options that name where a report, a log or a pid goes. With a path for a value
# (`tailscale status -o /etc/cron.d/x`, `TOOL list --log-file /etc/profile.d/x.sh`) a read
# writes that file, whatever the table says the option means: a format never starts with
# `/`, `./` or `~/`.
_OUTPUT_FILE_OPTIONS = (
    "o",
    "output",
    "out",
    "output-file",
    "outfile",
    "log",
    "logfile",
    "log-file",
    "pidfile",
    "pid-file",
)


def _output_file(cmd: Cmd, an: Analysis) -> list[Hit]:
    """A read subcommand's output written to a file named by an output option."""
    path = cmd.option_value(*_OUTPUT_FILE_OPTIONS)
    if path and path.startswith(("/", "./", "../", "~/")) and "=" not in path:
        return option_write(cmd, path, f"{cmd.name} writes its report to", an)
    return []


def _attached_output_file(cmd: Cmd, an: Analysis) -> list[Hit]:
    """A read-only tool told `--output=/srv/x` (a long output option with a path glued to
    it, which no field list or format starts with): the file is written. Only the glued
    long form: `ls -o /srv` lists `/srv`, `df --output /srv` reports on it."""
    for a in cmd.args:
        name, _, path = a.text[2:].partition("=")
        if (
            a.text.startswith("--")
            and len(name) > 1
            and name in _OUTPUT_FILE_OPTIONS
            and path.startswith(("/", "./", "../", "~/"))
        ):
            return option_write(cmd, path, f"{cmd.name} writes its output to", an)
    return []


def level_of(name: str, words: list[str], packs: Packs | None = None) -> str | None:
    """The level `name`'s table gives the subcommand `words` start with, the longest
    listed first (`config view` before `config`); then an entry ending in `*` matches a
    first word that starts with the rest (`-q*`: rpm's queries), the longest first. None
    when none is listed."""
    levels = (packs or builtin_packs()).levels(name)
    for n in range(min(len(words), 3), 0, -1):
        if (level := levels.get(" ".join(words[:n]))) is not None:
            return level
    prefixes = [k for k in levels if k.endswith("*") and words and words[0].startswith(k[:-1])]
    return levels[max(prefixes, key=len)] if prefixes else None


def _flags(names: Iterable[str]) -> frozenset[str]:
    """Option names as written on the line: `n` -> `-n`, `namespace` -> `--namespace`."""
    return frozenset(f"-{n}" if len(n) == 1 else f"--{n}" for n in names)


def _table(name: str) -> Table:
    """The built-in pack's subcommand table of a tool judged in code (its data)."""
    tool = builtin_packs().tool(name)
    if tool is None or tool.table is None:
        raise LookupError(f"the built-in packs have no subcommand table for {name}")
    return tool.table


def vital_names(name: str, words: Iterable[str]) -> list[str]:
    """The words that name a unit or package `name`'s pack marks vital (its `vital`, or
    that of the tool it is `like`)."""
    pattern = builtin_packs().vital(name)
    return [w for w in words if pattern and compiled(pattern).match(w)]


def _piped_text(cmd: Cmd) -> str | None:
    """Literal text fed on stdin by `echo`/`printf`, a here-string or a here-doc."""
    for r in cmd.simple.redirects:
        if r.op == "<<<" and r.target is not None:
            return r.target.text
        if r.op in ("<<", "<<-") and cmd.simple.heredoc is not None:
            return cmd.simple.heredoc[0]
    up = cmd.simple.upstream
    if up is not None and up.words and command_name(up.words[0].text) in ("echo", "printf"):
        return " ".join(w.text for w in up.words[1:] if w.text not in ("-e", "-n"))
    if up is not None and [w.text for w in up.words] == ["cat"] and up.heredoc is not None:
        return up.heredoc[0]  # `cat <<EOF | CMD`
    return None


def handled_names() -> frozenset[str]:
    """Every command name with knowledge (handlers, subcommand tables and read-only
    names of the built-in packs), for tests and docs."""
    described = builtin_packs().tools().items()
    return frozenset(_FAMILY_OF) | {n for n, t in described if t.read_only or t.table}


def is_handled(name: str) -> bool:
    """`name in handled_names()`, reading only the packs that speak of `name`: the whole
    set parses every built-in pack (~90 ms), which a check of `GIT_EDITOR=vim git commit`
    (is the program the variable names one the engine knows?) paid for one name."""
    if name in _FAMILY_OF:
        return True
    tool = builtin_packs().tool(name)
    return tool is not None and bool(tool.read_only or tool.table)


# --- the judges, by family ---------------------------------------------------------------

# Which module of `judges/` judges each command name. A module is imported the first time
# a command it judges is (by `__import__`: importlib would import `warnings` into every
# check), so a check loads only the judges its commands need: `ls -la` none, `rm -rf X`
# files.py alone. tests/policy/test_policy_perf12.py holds this table to what each module
# registers with `handles`.
_FAMILIES: dict[str, str] = {
    "accounts": (
        "useradd userdel usermod groupadd groupdel groupmod gpasswd passwd chpasswd chage "
        "chsh chfn newusers visudo vipw vigr pwconv pwunconv grpconv newgrp pwck grpck "
        "faillock pam_tally2 ssh-keygen ssh-copy-id ssh-add gpg openssl certbot "
        "update-ca-certificates keytool htpasswd"
    ),
    "archives": (
        "tar bsdtar cpio bsdcpio unzip gunzip gzip bzip2 bunzip2 xz unxz zstd 7z zip unrar "
        "lz4 uncompress compress pigz unpigz pbzip2 lbzip2 pixz lzip plzip lzop lzma unlzma "
        "brotli pzstd"
    ),
    "containers": ("docker compose lxc incus crictl kubectl oc k"),
    "databases": (
        "psql gitlab-psql mysql sqlite3 sqlcmd clickhouse-client clickhouse-local cqlsh "
        "mongosh duckdb cockroach mycli litecli usql cbq mysqlsh hive beeline trino presto "
        "impala-shell spark-sql snowsql clickhouse wrangler bq heroku wp pg_dump pg_dumpall "
        "mysqldump mariadb-dump pg_restore mongodump mongorestore dropdb createdb dropuser "
        "createuser mysqladmin pg_ctl pg_ctlcluster redis-cli valkey-cli keydb-cli plesk kamctl "
        "vtctldclient vtctlclient pg_basebackup pgbench mongoexport xtrabackup innobackupex "
        "mariabackup"
    ),
    "editors": ("sed patch ed ex vi vim nvim view nano emacs pico joe mcedit"),
    "files": (
        "rm unlink rmdir shred wipe srm rename prename file-rename perl-rename truncate find "
        "chmod chown chgrp chattr setfacl chcon setfattr dd dcfldd dc3dd sg_dd sgp_dd sgm_dd "
        "ddpt tee sponge cp mv install ln rsync scp rcp link touch mkdir mkfifo mknod mktemp "
        "sort split csplit uniq"
    ),
    "git": ("git"),
    "infra": (
        "terraform tofu terragrunt pulumi ansible ansible-playbook salt salt-call salt-ssh "
        "puppet chef-client aws gcloud az doctl s3cmd gsutil rclone mc-cli hcloud linode-cli "
        "openstack scw oci vultr-cli ovhcloud exo aliyun upctl ionosctl tccli cinder glance "
        "neutron heat manila ironic swift mongocli"
    ),
    "logs": (
        "history unset export set alias unalias setopt declare typeset readonly local setenv "
        "logrotate journalctl dmesg auditctl logger"
    ),
    "network": (
        "iptables nft ufw firewall-cmd iptables-restore ip6tables-restore ebtables arptables "
        "iptables-save ip6tables-save nft-list ip ifconfig route ifdown ifup nmcli iwconfig "
        "ethtool tc brctl arp netplan resolvectl hostnamectl timedatectl hostname date "
        "localectl networkctl wg wg-quick vconfig nc socat telnet ncat curl wget fetch "
        "aria2c http https httpie xh axel"
    ),
    "processes": (
        "kill pkill killall killall5 skill slay xkill renice xdg-open open screen tmux "
        "nohup-shell expect script mc ranger nnn byobu"
    ),
    "servers": (
        "gunicorn uvicorn flask node-server serve http-server php-fpm nginx openresty angie "
        "tengine h2o apachectl apache2ctl httpd caddy haproxy sshd named-checkconf"
    ),
    "services": (
        "systemctl service apt dnf zypper apk pacman dpkg rpm run-parts make crontab at "
        "batch atrm systemd-tmpfiles pm2"
    ),
    "system": (
        "shutdown reboot halt poweroff kexec init telinit mkfs mkswap mkdosfs mkntfs "
        "mkfs.btrfs mkisofs fdisk sfdisk gdisk sgdisk cfdisk parted wipefs blkdiscard hdparm "
        "sg_format nvme cryptsetup pvremove vgremove lvremove zpool mdadm badblocks e2fsck "
        "fsck tune2fs resize2fs lvresize lvextend lvreduce lvcreate pvcreate vgcreate "
        "xfs_repair zfs mount umount swapoff swapon losetup eject fusermount sysctl modprobe "
        "insmod rmmod depmod dkms update-grub grub-install grub-mkconfig update-initramfs "
        "dracut mkinitcpio efibootmgr update-alternatives alternatives ldconfig locale-gen "
        "timedatectl-set fc-cache mandb updatedb setenforce aa-complain aa-enforce "
        "aa-disable semanage setsebool restorecon systemd-sysusers usermod-x"
    ),
}
_FAMILY_OF = {name: family for family, names in _FAMILIES.items() for name in names.split()}


def judged_in_code(name: str) -> bool:
    """A judge in `judges/` handles the command `name` (loaded or not)."""
    return name in _FAMILY_OF


def handler_of(name: str) -> Handler | None:
    """The judge of the command `name`, its family's module imported on first use."""
    found = _HANDLERS.get(name)
    if found is None and name in _FAMILY_OF:
        __import__(f"aiperm_tui.policy.judges.{_FAMILY_OF[name]}")
        found = _HANDLERS.get(name)
    return found
