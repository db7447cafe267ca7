"""What the everyday ops toolbox does: which commands only read, which change, which
destroy.

`judge(cmd, analysis)` returns the hits for one normalised command. Commands with no
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

from aiperm_tui.policy import effects, tempreport, verbs
from aiperm_tui.policy.dataflow import hides_history, same_file
from aiperm_tui.policy.fspaths import (
    TOP_DIRS,
    PathClass,
    classify,
    describe,
    git_hook,
    grants_login,
    is_data_store,
    is_live_data,
    is_scratch,
    is_secret,
    is_secret_dir,
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
from aiperm_tui.policy.sedscript import sed_effects
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
_HANDLERS: dict[str, Handler] = {}

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
# Subcommands whose arguments after the image/container/pod are a command to run there.
_PAYLOAD_SUBS = {
    "docker": frozenset({"run", "create", "exec"}),
    "kubectl": frozenset({"exec", "run", "debug", "attach"}),
}
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
    return cmd.name not in _HANDLERS and not cmd.value_opts and not _described(cmd)


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
    subcommand, so a pack rule that only names one (`words`, nothing else) does not apply.
    Rules on options, arguments, paths or payloads still do (`tar --help
    --checkpoint-action=exec=sh` may act before it reads `--help`)."""
    by_words = {
        rule.id
        for rule in _packs(an).for_command(cmd.name)
        if rule.words and not (rule.options or rule.args or rule.paths or rule.payload)
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
_UNKNOWN_PROGRAM = frozenset({"unknown.command", verbs.RULE, verbs.DESTROY_RULE})
_UNSEEN_CODE = _UNKNOWN_PROGRAM | {"exec.script", "make.run", "config.ansible-playbook", "npm.run"}
_DESTROYS = lazy(
    r"(?i)(?:^|[-_./:])(?:purge|wipe|destroy|drop[-_]?(?:db|database|tables?|schema|all|data)|"
    r"teardown|tear-down|nuke|decommission|truncate|erase|shred)(?:$|[-_./:s])"
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
    in_code = cmd.name in _HANDLERS
    tool = (builtin_packs() if in_code else _packs(an)).tool(cmd.name)
    read_only = tool is not None and tool.read_only
    handler = _HANDLERS.get(cmd.name) or (table_hits if tool and tool.table else None)
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
    if judged.builtin_reads or (judged.reads and handler is None):
        return judged.hits
    if handler is not None:
        return judged.hits + handler(cmd, an)
    if read_only or any(h.rule in judged.rules for h in judged.hits):
        return judged.hits  # a pack rule describes this form: it is not unknown
    # `with-lock-ex FILE userdel -r ops`: what an unknown tool is handed to run is judged
    for words in verbs.carried_commands(cmd, lambda name: _known_program(name, an)):
        if len(words) == 1:
            an.payload(words[0].text, words, "unknown.carried_command", f"{cmd.name} runs")
        else:
            an.again(cmd, words)
    if (destroys := verbs.destroy_verb(cmd)) is not None:
        return [*judged.hits, destroys]  # `zztool db reset`: destroys by convention
    if (secret := verbs.secret_word(cmd)) is not None:
        return [*judged.hits, secret]  # `zztool user token`: a credential by convention
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


def _unknown_anywhere(cmd: Cmd, tool: Tool | None, an: Analysis) -> bool:
    """No pack, code judge, subcommand list or option grammar knows `cmd.name`: only
    such a tool may be judged by the read-verb convention (`verbs.py`); one the engine
    knows in any way keeps its own judgement."""
    return tool is None and not cmd.value_opts and not _known_program(cmd.name, an)


def _known_program(name: str, an: Analysis) -> bool:
    """A pack (built-in or the operator's), code judge, subcommand list, shell,
    interpreter or wrapper describes a program called `name` (as `command_name` reads
    it: `python3` is `python`, `dash` is `sh`)."""
    from aiperm_tui.policy.analysis import wrapper_names  # both import this module
    from aiperm_tui.policy.code import INTERPRETERS

    name = command_name(name)
    packs = _packs(an)
    return (
        name in _HANDLERS
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


def write_hit(
    target: Word,
    span: tuple[int, int],
    verb: str,
    *,
    truncate: bool,
    cwd: str | None,
    text: str | None = None,
) -> Hit | None:
    """A write (redirection, tee, dd of=, cp destination) judged by its target, and by
    `text`, what it writes, when the line shows it (a drop-in that only tunes a unit)."""
    cls = classify(target.text)
    if cls == "null":
        return None
    severity = _WRITE_SEVERITY[cls]
    what = describe(target.text)
    if cls == "critical" and tuning_dropin(target.text, text):
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
    elif truncate and is_live_data(target.text) and _rank(severity) < _rank("high"):
        severity = "high"
        message = (
            f"{verb} {target.text}, replacing a database's or VM's data file: its data is lost"
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


# A proxy or web server directive that sends requests on (nginx's proxy_pass and its
# kin, apache's ProxyPass, haproxy's and nginx's `server`, a redirect), to a bare IPv4
# address.
_PROXY_TO_ADDRESS = lazy(
    r"(?i)\b(?:proxy_pass|fastcgi_pass|uwsgi_pass|scgi_pass|grpc_pass|proxypass(?:reverse)?"
    r"|server|return\s+30[1278]|rewrite\s+\S+)\s+(?:\S+\s+)?['\"]?(?:[a-z]+://)?"
    r"(\d{1,3}(?:\.\d{1,3}){3})\b"
)


def _proxied_outside(text: str | None) -> str | None:
    """The public IPv4 address a configuration written on the line proxies or redirects to
    (`proxy_pass https://203.0.113.9;`), or None: a private, shared (CGNAT, tailnets),
    loopback or link-local address is the fleet's own backend."""
    if not text:
        return None
    import ipaddress  # here, not at the top: only a written proxy configuration needs it

    for m in _PROXY_TO_ADDRESS.finditer(text):
        try:
            ip = ipaddress.IPv4Address(m.group(1))
        except ValueError:
            continue
        if ip.is_global or _DOCUMENTATION.match(m.group(1)):
            return m.group(1)
    return None


# The documentation ranges (TEST-NET-1..3) stand for a public address in examples; Python
# counts them not global.
_DOCUMENTATION = lazy(r"^(?:192\.0\.2|198\.51\.100|203\.0\.113)\.")


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
    cls = classify(path)
    recursive = recursive and not _one_release(path)  # a build, brought back by a deploy
    severity = _DELETE_SEVERITY[cls][1 if recursive else 0]
    if not moved and (is_data_store(path) or is_secret(path)) and _rank(severity) < _rank("high"):
        # a backup, a data file or a key: what it held (or what it decrypts) is lost
        severity = "high"
    if (recursive or _top_level_glob(path)) and _rank(severity) < _rank("high"):
        # a recursive delete cannot be undone, whatever the name; a pattern over the
        # files of a top-level system folder (`/etc/*.conf`) deletes many of them
        severity = "high"
    return severity


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


def delete_hits(
    cmd: Cmd, paths: list[Word], an: Analysis, *, recursive: bool, verb: str = "deletes"
) -> list[Hit]:
    """One hit for a command that deletes `paths`, as bad as its worst path."""
    if not paths:
        return []
    worst: Severity = "low"
    worst_path = paths[0]
    moved = verb == "removes from its place"
    for word in paths:
        severity = delete_severity(_where(word.text, an), recursive=recursive, moved=moved)
        if _rank(severity) > _rank(worst):
            worst, worst_path = severity, word
    cls = classify(_where(worst_path.text, an))
    reason = "" if moved and cls == "system" else delete_reason(_where(worst_path.text, an))
    what = f"{worst_path.text}{': ' + reason if reason else ''}"
    blast: Blast = (
        "system"
        if cls in ("root", "critical", "system", "device")
        else ("tree" if recursive else "single")
    )
    return [
        Hit(
            "fs.delete",
            worst,
            f"{cmd.name} {verb} {what}",
            cmd.span,
            blast,
            _targets(paths, an),
            suggest=f"ls -la {' '.join(p.text for p in paths)}",
            scoped=cls in ("plain", "temp", "home", "system"),
        )
    ]


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


@handles("rm", "unlink")
def _rm(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.has("no-preserve-root"):
        return hit(
            cmd,
            "fs.delete",
            "critical",
            "rm --no-preserve-root: deletes the whole filesystem",
            suggest="ls -la /",
        )
    recursive = cmd.has("r", "R", "recursive")
    paths = cmd.positional()
    if not paths:
        return hit(
            cmd,
            "fs.delete",
            "high" if recursive else "medium",
            f"{cmd.name} deletes the paths it is given" + (" recursively" if recursive else ""),
            "tree",
        )
    return delete_hits(cmd, paths, an, recursive=recursive)


@handles("rmdir")
def _rmdir(cmd: Cmd, an: Analysis) -> list[Hit]:
    return changes(cmd, cmd.positional(), an, "removes the empty folder")


@handles("shred", "wipe", "srm")
def _shred(cmd: Cmd, an: Analysis) -> list[Hit]:
    paths = cmd.positional("nsv")
    hits = delete_hits(cmd, paths, an, recursive=cmd.has("r"), verb="destroys")
    if any(classify(p.text) == "device" for p in paths):
        return hit(
            cmd,
            "fs.shred_device",
            "critical",
            f"{cmd.name} overwrites a whole disk",
            suggest="lsblk",
        )
    kept = [p for p in paths if classify(_where(p.text, an)) == "system"]
    kept = [p for p in kept if not is_scratch(_where(p.text, an))]
    if hits and kept:
        # shred exists to defeat recovery: an overwrite in place leaves no undelete and no
        # copy on the disk. On a service's or an application's files (`/srv/exports/x.csv`)
        # that is the end of the data, where `shred -u /tmp/old.txt` disposes of a copy.
        return _raised(
            hits,
            f"{cmd.name} overwrites {kept[0].text} in place: no undelete and no copy left on "
            "the disk, the data cannot be recovered",
        )
    return hits or hit(cmd, "fs.shred", "high", f"{cmd.name} destroys files beyond recovery")


def _raised(hits: list[Hit], message: str) -> list[Hit]:
    """The first of `hits` raised to high with `message` when it is lower: the form is
    worse than the delete or change it was judged as (its other hits only repeat it)."""
    if severity_rank(hits[0].severity) >= severity_rank("high"):
        return hits
    return [replace(hits[0], severity="high", message=message)]


@handles("rename", "prename", "file-rename", "perl-rename")
def _rename(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`rename 's/$/.off/' /etc/ssh/sshd_config`, util-linux's `rename FROM TO FILES`:
    each file is moved to a new name in its folder, so a config, key or program renamed
    is gone from where the system reads it (a log renamed in place is rotation: a
    change). The first operand is the expression (perl's `-e` gives it as an option);
    util-linux's TO is judged as a file too, which only ever raises. A pattern over a
    service's folder (`/etc/nginx/conf.d/*.conf`) renames its whole set, as `rm` would."""
    if cmd.has("n", "no-act", "nono", "dry-run", "just-print"):
        return []
    pos = cmd.positional("eE")
    files = pos if cmd.has("e", "E") else pos[1:]
    hits = changes(cmd, files, an, "renames") if files else []
    sets = [f for f in files if _top_level_glob(_where(f.text, an))]
    if hits and sets:
        # every config, zone or key of a service's folder renamed: the service finds none
        return _raised(
            hits,
            f"{cmd.name} renames every file {sets[0].text} matches: the service that reads "
            "that folder finds none of them",
        )
    return hits


@handles("truncate")
def _truncate(cmd: Cmd, an: Analysis) -> list[Hit]:
    paths = cmd.positional("srsS")
    hits = delete_hits(cmd, paths, an, recursive=False, verb="empties")
    return hits or hit(cmd, "fs.truncate", "medium")


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
    return found + deeper[:1]


def _with_found(word: Word, found: str) -> Word:
    if "{}" not in word.text:
        return word
    return Word(word.text.replace("{}", found), word.start, word.end, word.raw.replace("{}", found))


@handles("find")
def _find(cmd: Cmd, an: Analysis) -> list[Hit]:
    starts = find_starts(cmd)
    hits: list[Hit] = []
    args = cmd.args
    i = 0
    while i < len(args):
        t = args[i].text
        if t in ("-exec", "-execdir", "-ok", "-okdir"):
            j = i + 1
            while j < len(args) and args[j].text not in (";", "+", "\\;"):
                j += 1
            for found in found_names(cmd, starts):
                inner = [_with_found(w, found) for w in args[i + 1 : j]]
                sub = make_cmd(cmd.simple, inner, cmd.privileged)
                if sub is not None:
                    before = len(an.hits)
                    an.command(sub)
                    cleanup = _aged_cleanup(args[:i], starts, an)
                    hits.extend(scope_to(an.hits[before:], starts, an, cleanup=cleanup))
                    del an.hits[before:]
            i = j
        elif t == "-delete":
            hits.extend(
                delete_hits(
                    cmd,
                    starts or [Word(".", cmd.word.end, cmd.word.end, "")],
                    an,
                    recursive=not _aged_cleanup(args[:i], starts, an),
                )
            )
        elif t in ("-fprint", "-fprint0", "-fprintf", "-fls") and i + 1 < len(args):
            hit_ = write_hit(
                args[i + 1], args[i + 1].span, "find writes", truncate=True, cwd=an.cwd
            )
            hits.extend([hit_] if hit_ else [])
        i += 1
    return hits


_AGE_TESTS = frozenset({"-mtime", "-mmin", "-atime", "-amin", "-ctime", "-cmin", "-used"})
_NAME_TESTS = frozenset({"-name", "-iname"})  # `find /srv/app/cache -name '*.tmp' -delete`
# Operators and options that make a test before -delete stop limiting what it deletes
# (`-o` deletes what the test rejects) or follow links out of the folder.
_UNLIMITING = frozenset({"-o", "-or", ",", "-L", "-follow", "-H"})


def _aged_cleanup(before: list[Word], starts: list[Word], an: Analysis) -> bool:
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


def scope_to(
    hits: list[Hit], starts: list[Word], an: Analysis, who: str = "find", *, cleanup: bool = False
) -> list[Hit]:
    """`find / -exec rm {} ;`, `find /srv | xargs rm`: the inner command acts on the
    whole start folder (`who` runs it); a `cleanup` (files past an age or name test in a
    temp or cache folder) deletes them one by one, not the tree."""
    out = []
    for h in hits:
        if h.rule in ("fs.delete", "fs.interpreter_delete") and starts:
            worst = max(
                (
                    "high"
                    if is_data_store(s.text)
                    else _DELETE_SEVERITY[classify(s.text)][0 if cleanup else 1]
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


def _clean_dry_run(cmd: Cmd) -> bool:
    """`git clean -n`: the value of `-e`/`--exclude` is a pattern, never a flag
    (`git clean -ffdx -e -n` deletes everything but files named `-n`)."""
    value = False
    for a in cmd.args:
        t = a.text
        if value:
            value = False
        elif t == "--":
            return False
        elif t in ("--dry-run", "--dry-ru", "--dry-r", "--dry", "--dr"):
            return True
        elif t == "--exclude":
            value = True
        elif t.startswith("-") and not t.startswith("--") and len(t) > 1:
            for i, letter in enumerate(t[1:]):
                if letter == "n":
                    return True
                if letter == "e":
                    value = i == len(t) - 2  # `-e PATTERN`, or `-ePATTERN` glued
                    break
    return False


@handles("chmod", "chown", "chgrp", "chattr", "setfacl", "chcon", "setfattr")
def _perms(cmd: Cmd, an: Analysis) -> list[Hit]:
    recursive = cmd.has("R", "recursive") or (cmd.name == "chattr" and cmd.has("R"))
    pos = cmd.positional("m" if cmd.name == "setfacl" else "")
    mode = pos[0].text if pos and cmd.name != "setfacl" else ""
    paths = pos[1:] if mode else pos
    worst: Severity = "medium"
    why = ""
    for p in paths:
        cls = classify(p.text)
        if cls == "root":
            worst = "critical" if recursive else "high"
            why = why or f"changes access to {describe(p.text)} {p.text}, system-wide"
        elif _rank(worst) < 3 and (
            cls in ("critical", "device") or (cls == "dynamic" and recursive)
        ):
            worst = "high"
            why = why or f"changes access to {p.text}, {describe(p.text)}"
    risky_mode = cmd.name == "chmod" and bool(
        re.search(
            r"(^|[^0-7])[0-7]?[0-7]{2}7$|o\+w|a\+w|"
            r"\+s|^[4-7][0-7]{3}$",
            mode,
        )
    )
    if risky_mode and _rank(worst) < 3:
        worst = "high"
    if risky_mode:
        why = "world-writable or setuid" + (f"; {why}" if why else "")
    keys = _key_mode(mode, paths, recursive) if cmd.name == "chmod" else ""
    if keys and _rank(worst) < 3:
        worst = "high"
        why = why or keys
    names = " ".join(p.text for p in paths)
    message = f"{cmd.name} {mode + ' ' if mode else ''}{'-R ' if recursive else ''}{names}"
    if why:
        message += f": {why}"
    return [
        Hit(
            f"fs.{cmd.name}",
            worst,
            message,
            cmd.span,
            "system" if worst != "medium" else ("tree" if recursive else "single"),
            _targets(paths, an),
            scoped=worst == "medium",
        )
    ]


_MODE_CLAUSE = lazy(r"([ugoa]*)([-+=])([rwxXst]*)")


def _key_mode(mode: str, paths: list[Word], recursive: bool) -> str:
    """Why a chmod of credentials matters ('' when it does not): the owner (the service)
    can no longer read its keys (`chmod 000 /etc/ssl/private`), or the group and others
    can read a key (`chmod 644 server.key`; a folder only with -R: its names are no
    secret). Tightening a key to 600 or 400 is the routine fix."""
    files = [p.text for p in paths if is_secret(p.text)]
    folders = [p.text for p in paths if is_secret_dir(p.text)]
    if not files and not folders:
        return ""
    locks, exposes = False, False
    if re.fullmatch(r"[0-7]{1,4}", mode):
        owner, group, other = (int(d) for d in mode.zfill(3)[-3:])
        locks, exposes = owner < 4, group >= 4 or other >= 4
    for clause in mode.split(",") if not mode.isdigit() else ():
        m = _MODE_CLAUSE.fullmatch(clause)
        if m is None:
            continue
        who, op, perms = m.group(1) or "a", m.group(2), m.group(3)
        exposes = exposes or (op in "+=" and "r" in perms and bool(re.search("[goa]", who)))
        cut = (op == "-" and "r" in perms) or (op == "=" and "r" not in perms)
        locks = locks or (cut and bool(re.search("[ua]", who)))
    if locks:
        return "credentials: the services that use them can no longer read them"
    if exposes and (files or recursive):
        return "credentials: every account on the host can read them"
    return ""


# dd's forensic kin (dcfldd, dc3dd) write every `of=` they are given, and `hof=` (the
# output with its hash) and `ofs=` (split output) too; sg3_utils' SCSI copies (sg_dd,
# sgp_dd, sgm_dd) and ddpt take dd's operands and write `of=` and `of2=` alike.
_DD_OUTPUT = lazy(r"^(?:h?of\d*|ofs)=")


@handles("dd", "dcfldd", "dc3dd", "sg_dd", "sgp_dd", "sgm_dd", "ddpt")
def _dd(cmd: Cmd, an: Analysis) -> list[Hit]:
    outs = [a for a in cmd.args if _DD_OUTPUT.match(a.text)]
    if not outs:
        src = next((a.text[3:] for a in cmd.args if a.text.startswith("if=")), "")
        return (
            hit(cmd, "fs.read_device", "low", f"{cmd.name} reads {src or 'stdin'}", "single")
            if classify(src) == "device"
            else []
        )
    hits = []
    for out in outs:
        at = out.text.index("=") + 1
        target = Word(out.text[at:], out.start + at, out.end, out.raw[at:])
        found = write_hit(target, cmd.span, f"{cmd.name} writes", truncate=True, cwd=an.cwd)
        hits += [found] if found else []
    return hits


@handles("tee", "sponge")
def _tee(cmd: Cmd, an: Analysis) -> list[Hit]:
    """tee writes its input to each file it names; moreutils' sponge to its one file once
    the input ends (`sponge /etc/pam.d/sshd < FILE` replaces the file)."""
    fed = an.literal_input(cmd)
    found = (
        write_hit(
            w,
            cmd.span,
            f"{cmd.name} writes",
            truncate=not cmd.has("a", "append"),
            cwd=an.cwd,
            text=fed[0] if fed else None,
        )
        for w in cmd.positional()
        if not w.raw.startswith((">(", "<("))
    )  # `tee >(cmd)`: judged as a command
    return [h for h in found if h]


# `git remote add NAME URL`, `git remote set-url NAME URL` earlier on the line.
_REMOTE_SET = lazy(
    r"\bremote\s+(?:add|set-url)\s+(?:-\S+\s+)*(\S+)\s+([^\s;&|]+)|"
    r"\bremote\.([^.\s]+)\.(?:push)?url=([^\s;&|]+)"
)
_GIT_ADDRESS = lazy(r"^(\w[\w+.-]*://|[\w.-]+@[\w.-]+:|ext::|file://)")


def _push_address(target: str, line: str) -> str | None:
    """The address a push goes to when the line itself gives it: a URL as the remote, or
    a remote the line adds or re-points (`git remote add x URL && git push x --all`)."""
    if _GIT_ADDRESS.match(target):
        return target
    for m in _REMOTE_SET.finditer(line):
        if (m.group(1) or m.group(3)) == target:
            return (m.group(2) or m.group(4)).strip("'\"")
    return None


# A shell binary: copied or linked under another name, it is a way in.
_SHELL_PROGRAM = lazy(r"^/(usr/)?(local/)?bin/((ba|da|z|k|c|tc|fi|a)?sh|busybox)$")


@handles("cp", "mv", "install", "ln", "rsync", "scp", "rcp", "link")
def _copy(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name == "rsync" and cmd.has("n", "dry-run", "list-only"):
        return []
    # the letters that take a value (ln's `-f` forces: `ln -sf /bin/sh x` links /bin/sh)
    pos = cmd.positional({"rsync": "ef", "ln": "tS"}.get(cmd.name, "tSeBfbopgmT"))
    target = cmd.option_value("t", "target-directory")
    dest = [w for w in cmd.args if w.text == target] if target else pos[-1:]
    sources = pos if target else pos[:-1]
    if dest and all(classify(d.text) == "null" for d in dest) and cmd.name in ("cp", "scp"):
        return []  # `scp web2:/var/log/x /dev/stdout`: printed, nothing written
    verb = {
        "mv": "moves files to",
        "ln": "links into",
        "rsync": "syncs into",
        "scp": "copies to",
    }.get(cmd.name, "copies to")
    if cmd.name == "scp" and len(sources) == 1 and len(dest) == 1 and not cmd.has("r"):
        fetched = fetched_copy(cmd, an, sources[0].text, dest[0])
        if fetched is not None:
            return fetched
    hits = changes(cmd, dest, an, verb)
    if any(classify(d.text) == "log" for d in dest):
        hits += hit(
            cmd,
            "log.replace",
            "high",
            f"{cmd.name} replaces a log or the shell history (destroys the audit trail)",
            "single",
        )
    if cmd.name == "mv" or (cmd.name == "rsync" and cmd.has("remove-source-files")):
        # a move deletes at its source: judged (and jailed) as a delete there
        hits += delete_hits(cmd, sources, an, recursive=False, verb="removes from its place")
    shells = [s for s in sources if _SHELL_PROGRAM.search(normalize_path(s.text))]
    if shells and dest and cmd.name in ("cp", "ln", "install", "link", "mv"):
        hits += hit(
            cmd,
            "exec.shell_planted",
            "high",
            f"{cmd.name} puts the shell {shells[0].text} at {dest[0].text}: whatever runs that "
            "name (a script, a cron job, sudo) gets a shell instead",
        )
    moved = [s for s in sources if classify(s.text) in ("root", "critical", "log")]
    if cmd.name == "mv" and moved:
        hits += hit(
            cmd,
            "fs.move_system",
            "high",
            f"mv moves {moved[0].text} away (the system or the audit trail depends on it)",
        )
    if cmd.name == "rsync" and cmd.has(*_RSYNC_DELETES):
        hits += [
            Hit(
                "fs.rsync_delete",
                "high",
                "rsync --delete removes files at the destination that the source lacks",
                cmd.span,
                "tree",
                _targets(dest, an),
                suggest="rsync -n ... (dry run first)",
            )
        ]
    return hits


# `HOST:PATH`, `[USER@]HOST:PATH`, `CONTAINER:PATH`, `[NS/]POD:PATH`: a file elsewhere.
_ELSEWHERE = lazy(r"^(?:[\w.-]+@)?[\w.-]+(?:/[\w.-]+)?:(/[^:*?\[]*[^/:*?\[])$")
# A log file: under /var/log or a `log`/`logs` folder, or named `*.log` (`.log.1`).
_LOG_FILE = lazy(r"^/var/log/|/logs?/[^/]+$|\.log(?:\.\d+)?$")


def fetched_copy(cmd: Cmd, an: Analysis, source: str, dest: Word) -> list[Hit] | None:
    """A log file copied from another host or a container into a temp folder (`scp
    web2:/var/log/x.log /tmp/x`, `docker cp api:/app/logs/err.log /tmp/err.log`): a
    download of what `tail` would print, judged as a write of the copy (`tempreport`
    settles a fresh report). None (the tool's own judgement) for anything else: a copy
    elsewhere or into the container, a folder, a pattern, and any other file, since
    which of them hold credentials (a vault's keyring, an app's data) cannot be told."""
    m = _ELSEWHERE.match(source)
    if m is None or classify(dest.text) != "temp" or dest.dynamic or ":" in dest.text:
        return None
    path = normalize_path(m.group(1))
    if not _LOG_FILE.search(path) or is_secret(path) or is_data_store(path):
        return None
    found = write_hit(dest, cmd.span, f"{cmd.name} copies {source} to", truncate=True, cwd=an.cwd)
    return [found] if found else []


# Every option by which rsync deletes: at the destination, whenever it does it (before,
# during, after, delayed), with the excluded files too, for named sources that are
# missing, or at the source once sent. One level for all: `--delete-delay` is `--delete`.
_RSYNC_DELETES = (
    "delete",
    "del",
    "delete-before",
    "delete-during",
    "delete-delay",
    "delete-after",
    "delete-excluded",
    "delete-missing-args",
    "remove-source-files",
)


@handles("touch", "mkdir", "mkfifo", "mknod", "mktemp")
def _create(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name == "mktemp":
        return hit(cmd, "fs.mktemp", "low", "creates a temporary file", "single")
    targets = cmd.positional("mdtrZ")
    if cmd.name == "mkdir" and targets and all(_DROPIN.match(w.text) for w in targets):
        # an empty drop-in folder runs nothing; what is written in it is judged then
        return hit(cmd, "fs.mkdir", "medium", "mkdir creates a systemd drop-in folder", "single")
    return changes(cmd, targets, an, "creates")


@handles("sed")
def _sed(cmd: Cmd, an: Analysis) -> list[Hit]:
    in_place = any(
        a.text.startswith("-i")
        or a.text.startswith("--in-place")
        or (
            a.text.startswith("-")
            and not a.text.startswith("--")
            and "i" in a.text[1:]
            and a.text[1:].isalpha()
        )
        for a in cmd.args
    )
    scripts = _sed_expressions(cmd)
    pos = cmd.positional("ef")
    if not scripts and pos and cmd.option_value("f", "file") is None:
        scripts, pos = [pos[0].text], pos[1:]
    hits: list[Hit] = []
    if cmd.option_value("f", "file") is not None:
        hits += hit(
            cmd,
            "exec.script",
            "medium",
            "sed runs a script file the engine cannot see (it may run commands or write files)",
            "unknown",
        )
    for effect in (e for script in scripts if script for e in sed_effects(script)):
        if effect.kind == "exec" and effect.arg:
            an.payload(effect.arg, [cmd.word], "exec.sed_e", "sed e command")
            hits += hit(  # a text editor running a command: how a command is hidden
                cmd,
                "exec.sed_e",
                "high",
                f"sed runs the shell command {effect.arg!r} (e): a text filter made to run "
                "a command",
                "unknown",
            )
        elif effect.kind == "exec":
            hits += hit(
                cmd,
                "exec.sed_e",
                "high",
                "sed runs lines of its input as shell commands (e)",
                "unknown",
            )
        else:
            hits += option_write(cmd, effect.arg, "sed w writes", an)
    if in_place:
        hits += changes(cmd, pos, an, "edits in place")
        logs = [p for p in pos if classify(p.text) == "log"]
        if logs:
            hits += hit(
                cmd,
                "log.edit",
                "high",
                f"sed rewrites {logs[0].text} in place (lines of a log removed or changed: "
                "the audit trail)",
                "single",
            )
    return hits


def _sed_expressions(cmd: Cmd) -> list[str]:
    """Every `-e SCRIPT`, `-eSCRIPT`, `--expression=SCRIPT` (sed joins them all)."""
    out: list[str] = []
    args = cmd.args
    for i, a in enumerate(args):
        t = a.text
        if t in ("-e", "--expression") and i + 1 < len(args):
            out.append(args[i + 1].text)
        elif t.startswith("--expression="):
            out.append(t.split("=", 1)[1])
        elif t.startswith("-e") and len(t) > 2:
            out.append(t[2:])
        elif (
            t.startswith("-")
            and not t.startswith("--")
            and t[1:].isalpha()
            and t.endswith("e")
            and i + 1 < len(args)
        ):
            out.append(args[i + 1].text)  # `-ne SCRIPT`
    return out


@handles("tar", "bsdtar")
def _tar(cmd: Cmd, an: Analysis) -> list[Hit]:
    first = cmd.args[0].text if cmd.args else ""
    letters = set(first if not first.startswith("-") else "") | cmd.options()[0]
    long = cmd.options()[1]
    # Listing, and extracting to standard output (-O, --to-stdout), write no file.
    if "t" in letters or "list" in long or "O" in letters or "to-stdout" in long:
        return []
    where = cmd.option_value("C", "directory")
    if "x" in letters or "extract" in long or "get" in long:
        targets = [value_word(cmd, where)] if where else []
        folder = resolve(where, an.cwd) if where else an.cwd
        severity: Severity = "high" if folder and classify(folder) == "root" else "medium"
        into = where or (f"the current folder ({folder})" if folder else "the current folder")
        return [
            Hit(
                "fs.extract",
                severity,
                f"tar extracts into {into} (may overwrite files)",
                cmd.span,
                "system" if severity == "high" else "tree",
                _targets(targets, an),
                scoped=severity == "medium" and bool(targets),
            )
        ]
    out = cmd.option_value("f", "file") or _tar_old_style_file(cmd)
    if out and out != "-":
        return option_write(cmd, out, "tar writes the archive", an)
    return []


@handles("cpio", "bsdcpio")
def _cpio(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`cpio -i -D DIR` (or in the working folder) and `cpio -p DIR`: the archive's files
    land there; the root or a top-level system folder may be overwritten anywhere (the
    pack's rules judge absolute paths and the listing forms)."""
    if not cmd.has("i", "extract", "p", "pass-through") or cmd.has("t", "list"):
        return []
    pos = cmd.positional()
    where = cmd.option_value("D", "directory") or (
        pos[-1].text if cmd.has("p", "pass-through") and pos else None
    )
    folder = resolve(where, an.cwd) if where else an.cwd
    if folder is None or classify(folder) != "root":
        return []
    return hit(
        cmd,
        "fs.extract",
        "high",
        f"{cmd.name} extracts into {folder}, a top-level system folder (may overwrite "
        "system files)",
        "system",
    )


# Letters of tar's old-style first word (`tar czf FILE DIR`) whose values follow that
# word in the order of the letters.
_TAR_OLD_VALUES = "fbTXgKLNV"


def _tar_old_style_file(cmd: Cmd) -> str | None:
    """The archive of `tar czf FILE ...` (old style: the first word holds the letters,
    without a dash, and each letter that takes a value takes the next word)."""
    first = cmd.args[0].text if cmd.args else ""
    if not first or first.startswith("-") or "f" not in first:
        return None
    taking = [c for c in first if c in _TAR_OLD_VALUES]
    at = 1 + taking.index("f")
    return cmd.args[at].text if at < len(cmd.args) else None


# 7z's and unrar's commands that list or test an archive (unrar's `v*` list verbosely).
_ARCHIVE_LISTS = frozenset({"l", "t", "lt", "lta", "lb", "v", "vt", "vta", "vb"})


@handles(
    "unzip",
    "gunzip",
    "gzip",
    "bzip2",
    "bunzip2",
    "xz",
    "unxz",
    "zstd",
    "7z",
    "zip",
    "unrar",
    "lz4",
    "uncompress",
    "compress",
    "pigz",
    "unpigz",
    "pbzip2",
    "lbzip2",
    "pixz",
    "lzip",
    "plzip",
    "lzop",
    "lzma",
    "unlzma",
    "brotli",
    "pzstd",
)
def _archive(cmd: Cmd, an: Analysis) -> list[Hit]:
    # 7z's switches hold attached values (`-o/etc` is no -t or -c): its subcommand decides.
    # `-v` is verbose to the compressors (`gzip -v LOG` compresses it) and lists only to
    # unzip; lz4's `-l` picks the legacy format and compresses.
    lists = ("t", "c", "stdout", "list", "test") + (() if cmd.name == "lz4" else ("l",))
    lists += ("v",) if cmd.name == "unzip" else ()
    if cmd.has(*lists) and cmd.name not in ("zip", "7z"):
        return []
    if cmd.name in ("7z", "unrar") and cmd.sub() in _ARCHIVE_LISTS:
        return []
    if cmd.name == "unzip" and cmd.has("p", "Z", "z"):  # to stdout, zipinfo, the comment
        return []
    flag = {"unzip": "d", "7z": "o"}.get(cmd.name)
    into = cmd.option_value(flag) if flag else None
    if into:  # `unzip x.zip -d /`, `7z x a.7z -o/etc`: the files land under that folder
        where = value_word(cmd, into)
        return changes(cmd, [where], an, "extracts into")
    return changes(cmd, cmd.positional("dx"), an, "writes or replaces files for")


@handles("patch", "ed", "ex", "vi", "vim", "nvim", "view", "nano", "emacs", "pico", "joe", "mcedit")
def _editor(cmd: Cmd, an: Analysis) -> list[Hit]:
    script = _editor_script(cmd, an)
    if script is not None and not any(
        _EDITOR_WRITE.match(part) for line in script for part in line.split("|")
    ):
        return []  # a script without a write command only prints (`echo ,p | ed -s f`)
    if (
        cmd.has("dry-run")
        or (cmd.name in ("vi", "vim", "nvim") and cmd.has("R"))
        or (cmd.name == "view" and not cmd.has("e", "E", "s"))  # vim's read-only mode
        or (cmd.name == "nano" and cmd.has("v", "view"))  # nano's view mode: no saving
    ):
        return []
    named = [value_word(cmd, f) for f in _editor_write_targets(script or [])]
    return changes(cmd, [*cmd.positional("pido"), *named], an, "edits")


def _editor_write_targets(script: list[str]) -> list[str]:
    """The files an ed/ex script's write commands name (`w /etc/passwd`, `saveas X`):
    written whatever file was opened."""
    out: list[str] = []
    for line in script:
        for part in line.split("|"):
            m = _EDITOR_WRITE.match(part)
            rest = part[m.end() :].strip().lstrip("!") if m else ""
            if m and rest and not rest.startswith(("!", ">")):
                out.append(rest.split()[0])
    return out


# A line of an ed/ex script that runs a shell command: `!cmd`, `r !cmd`, `w !cmd`,
# `e !cmd`, an address before (`1,$!sort`), ex's leading colons.
_EDITOR_BANG = lazy(
    r"^\s*:*\s*(?:[\d.,$%;+-]|'[a-z])*\s*(?:(?P<verb>r|w|e|read|write|edit)\s*)?!(?P<cmd>.+)$"
)


_SCRIPT_RUNNERS = frozenset(
    {"sh", "bash", "dash", "zsh", "ksh", "fish", "python", "python3", "perl", "ruby", "node"}
)


# A line of an ed/ex script that writes a file (`w`, `wq`, `x`, `:update`, `saveas`).
_EDITOR_WRITE = lazy(
    r"^\s*:*\s*(?:[\d.,$%;+-]|'[a-z])*\s*(w|wq|W|x|xit|exi|exit|wn|up|update|sav|saveas)\b"
)


def _editor_script(cmd: Cmd, an: Analysis) -> list[str] | None:
    """ed and ex read their commands on stdin: a script written on the line (a
    here-string, a here-doc, `echo ... |`) is judged, and its `!` lines as shell. Its
    lines, or None when the commands are not written on the line."""
    if cmd.name in ("vi", "vim", "nvim", "view") and not cmd.has("e", "E", "s"):
        return None  # visual mode: stdin is text to edit (`vim -`), not commands
    if cmd.name not in ("ed", "ex", "vi", "vim", "nvim", "view"):
        return None
    found = an.literal_input(cmd)
    if found is None:
        return None
    text, words = found
    for line in text.splitlines():
        m = _EDITOR_BANG.match(line)
        if m is None:
            continue
        an.payload(m.group("cmd"), words, "exec.editor_shell", f"{cmd.name} runs `!`")
        runner = m.group("cmd").split()[0].rsplit("/", 1)[-1] if m.group("cmd").split() else ""
        if m.group("verb") in ("w", "write") and runner in _SCRIPT_RUNNERS:
            an.add(
                Hit(
                    "exec.editor_shell",
                    "high",
                    f"{cmd.name} pipes the file into {runner}: its content runs as a program",
                    (words[0].start, words[-1].end),
                    "unknown",
                )
            )
    return text.splitlines()


# --- processes --------------------------------------------------------------------------


# `$(pgrep -o sshd)`, `$(pidof sshd)`, `` `pidof -s sshd` ``: the PIDs of the named process
_PID_LOOKUP = lazy(r"^(?:\$\(|`)\s*(?:pgrep|pidof)\b[^)`]*?\s([\w.@:-]+)\s*(?:\)|`)$")


def _looked_up(target: str) -> str:
    """A kill target that looks its PIDs up by name stands for that name."""
    m = _PID_LOOKUP.match(target)
    return m.group(1) if m else target


# Signals whose default action dumps core, by name or number.
_CORE_SIGNALS = lazy(
    r"^-(?:s\s*|-signal[= ]?)?(?:SIG)?(?:ABRT|IOT|SEGV|QUIT|BUS|FPE|ILL|SYS|TRAP|XCPU|XFSZ|"
    r"3|4|5|6|7|8|11|31)$",
    re.IGNORECASE,
)
# Processes that hold other programs' credentials in memory.
_SECRET_HOLDERS = lazy(
    r"(?i)\b(?:vault|ssh-agent|gpg-agent|sshd|keepass\w*|bitwarden\w*|1password|"
    r"gnome-keyring\w*|kwallet\w*|openbao|conjur\w*|consul|etcd|krb5kdc|slapd)\b"
)


def _core_dump(cmd: Cmd, an: Analysis) -> Hit | None:
    """A core-dumping signal (`kill -ABRT`, `-SEGV`, `-QUIT`) sent to a process that
    holds credentials, or on a line that lifts the core size limit (`ulimit -c
    unlimited`): the core file is the process's memory, its secrets included."""
    words = [a.text for a in cmd.args]
    signal = next((w for w in words if _CORE_SIGNALS.match(w)), None)
    if signal is None and cmd.option_value("s", "signal") is not None:
        value = cmd.option_value("s", "signal") or ""
        signal = value if _CORE_SIGNALS.match(f"-{value}") else None
    if signal is None:
        return None
    holder = _SECRET_HOLDERS.search(" ".join(words))
    if holder is None and not re.search(r"\bulimit\s+(?:-\w*c\w*\s+)?(?:-c\s*)?unlimited", an.src):
        return None
    return Hit(
        "secret.core_dump",
        "high",
        f"{cmd.name} {signal} makes the process dump core: the core file is its memory, "
        "with whatever credentials it holds",
        cmd.span,
        "single",
    )


@handles("kill", "pkill", "killall", "killall5", "skill", "slay", "xkill")
def _kill(cmd: Cmd, an: Analysis) -> list[Hit]:
    # listing signals or processes; only these exact words (`-KILL` is a signal name,
    # not a cluster holding -L)
    if any(a.text in ("-l", "-L", "--list", "-0", "-s0") for a in cmd.args):
        return []
    if (dump := _core_dump(cmd, an)) is not None:
        return [dump]
    if cmd.name == "killall5":
        return hit(
            cmd, "proc.kill_all", "critical", "killall5 kills every process", suggest="ps aux"
        )
    pos = (
        _kill_targets(cmd)
        if cmd.name == "kill"
        else [a for a in cmd.positional("snuUgGtPF") if not a.text.startswith("-")]
    )
    if (cmd.name == "kill" and any(a.text == "-1" for a in cmd.args[1:])) or any(
        a.text == "-1" for a in pos
    ):
        return hit(
            cmd,
            "proc.kill_all",
            "critical",
            "kill -1 kills every process you can reach",
            suggest="ps aux",
        )
    users = cmd.option_value("u", "U", "euid", "uid", "user")
    if cmd.name in ("pkill", "killall", "skill") and users is not None and not pos:
        return _kill_user(cmd, users)
    if cmd.name in ("pkill", "killall") and any(_matches_everything(a.text) for a in pos):
        return hit(
            cmd,
            "proc.kill_all",
            "critical",
            f"{cmd.name}: the pattern matches every process (the shell, sshd and init too)",
            suggest="pgrep -a PATTERN",
        )
    vital = vital_names("kill", [_looked_up(a.text) for a in pos])
    signal = _signal(cmd)
    if vital and _reloads(signal, vital):
        return hit(
            cmd,
            "proc.signal",
            "medium",
            f"{cmd.name} sends {signal} to {', '.join(vital)}: the daemon reloads or "
            "reports and keeps running",
            "single",
        )
    if vital:
        return hit(
            cmd,
            "proc.kill_vital",
            "high",
            f"{cmd.name} stops {', '.join(vital)} (may cut off access or take the host down)",
            suggest="ps aux",
        )
    forced = any(
        a.text in ("-9", "-KILL", "-SIGKILL", "--signal=KILL") or a.text.endswith("KILL")
        for a in cmd.args
    )
    pattern = _table("kill").stateful
    named = [_looked_up(a.text) for a in pos]  # `$(pidof redis-server)` is redis-server
    stateful = [n for n in named if pattern and compiled(pattern).match(n)]
    if forced and stateful:
        return hit(
            cmd,
            "proc.kill_stateful",
            "high",
            f"{cmd.name} -9 {' '.join(stateful)}: "
            "a database killed without shutting down must recover from a crash and "
            "drops every connection",
            suggest=f"systemctl stop {stateful[0]}",
        )
    if cmd.name == "pkill" and forced and cmd.has("f", "full"):
        return hit(
            cmd,
            "proc.kill_force",
            "high",
            f"pkill -9 -f kills every process whose "
            f"command line matches {' '.join(a.text for a in pos)}, without letting "
            "it clean up",
            suggest=f"pgrep -a {pos[0].text}" if pos else "ps aux",
        )
    names = " ".join(a.text for a in pos)
    if forced:
        return hit(
            cmd,
            "proc.kill",
            "medium",
            f"{cmd.name} -9 {names}: kills them without "
            "letting them clean up (stopped until restarted)",
            "single",
        )
    return hit(
        cmd, "proc.kill", "medium", f"{cmd.name} signals processes {names}".rstrip(), "single"
    )


def _kill_user(cmd: Cmd, users: str) -> list[Hit]:
    """`pkill -u NAME`: every process of an ordinary account ends (its sessions and jobs),
    a routine change; root's, a daemon's account (the pack's `accounts`, or named like a
    vital or stateful process), or one known only at run time may take the host, a
    service or a database down."""
    names = users.split(",")
    table = _table("kill")
    risky = [
        n
        for n in names
        if not re.fullmatch(r"[a-z_][a-z0-9_.-]*", n)
        or n == "root"
        or any(p and compiled(p).match(n) for p in (table.vital, table.stateful, table.accounts))
    ]
    if risky:
        return hit(
            cmd,
            "proc.kill_user",
            "high",
            f"{cmd.name} kills every process of {', '.join(risky)} (root's, a daemon's or "
            "a database's account: may take the host or the database down)",
        )
    return hit(
        cmd,
        "proc.kill_user",
        "medium",
        f"{cmd.name} signals every process of {', '.join(names)} (their sessions and jobs end)",
        "single",
    )


# Signals a daemon named by its program handles without stopping (a reload, log
# reopening, a status report); CONT and WINCH never stop anything by default.
_RELOAD_SIGNALS = frozenset({"HUP", "1", "USR1", "10", "USR2", "12"})
_HARMLESS_SIGNALS = frozenset({"CONT", "18", "WINCH", "28", "0"})
_NOT_DAEMONS = frozenset({"1", "-1", "init", "systemd", "bash", "sh", "login"})


def _signal(cmd: Cmd) -> str:
    """The signal given (`-HUP`, `-s HUP`, `--signal=SIGHUP`, `-1`), without `SIG`."""
    for i, a in enumerate(cmd.args):
        t = a.text
        if t in ("-s", "-n", "--signal") and i + 1 < len(cmd.args):
            value = cmd.args[i + 1].text
        elif t.startswith("--signal="):
            value = t.split("=", 1)[1]
        elif t.startswith("-") and not t.startswith("--") and (t[1:].isupper() or t[1:].isdigit()):
            value = t[1:]
        else:
            continue
        return value.upper().removeprefix("SIG")
    return "TERM"


def _reloads(signal: str, targets: list[str]) -> bool:
    """Does `signal` leave the named processes running?"""
    if signal in _HARMLESS_SIGNALS:
        return True
    return signal in _RELOAD_SIGNALS and not any(t in _NOT_DAEMONS for t in targets)


def _matches_everything(pattern: str) -> bool:
    """A process pattern that every name or command line matches (`.`, `.*`, `^`, `''`)."""
    return pattern.strip() in ("", ".", ".*", "^", "$", "^.*", ".+", "^.", "[a-z]*", "\\w*")


def _kill_targets(cmd: Cmd) -> list[Word]:
    """The process ids of `kill`: `-STOP`, `-9`, `-s SIG`, `-n NUM` name the signal (a
    signal name is not a cluster of flags, so `-STOP 1` is signal STOP to PID 1)."""
    out: list[Word] = []
    ended = False
    args = cmd.args
    i = 0
    while i < len(args):
        t = args[i].text
        if ended or not t.startswith("-") or (t == "-1" and i > 0):
            out.append(args[i])  # a later `-1` is the pid -1: every process
        elif t == "--":
            ended = True
        elif t in ("-s", "-n", "--signal"):
            i += 1
        i += 1
    return out


@handles("renice")
def _renice(cmd: Cmd, an: Analysis) -> list[Hit]:
    return hit(cmd, "proc.priority", "medium", "changes the priority of running processes")


# --- power, disks, kernel ---------------------------------------------------------------


@handles("shutdown", "reboot", "halt", "poweroff", "kexec")
def _power(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name == "shutdown" and cmd.has("c"):
        return hit(cmd, "power.cancel", "medium", "cancels a scheduled shutdown")
    if cmd.name in ("reboot", "halt", "poweroff") and cmd.has("help"):
        return []
    return hit(cmd, "power.off", "high", f"{cmd.name}: takes the host down", suggest="uptime; who")


@handles("init", "telinit")
def _init(cmd: Cmd, an: Analysis) -> list[Hit]:
    level = cmd.sub()
    if level in ("0", "6", "1", "s", "S", "halt", "single"):
        return hit(
            cmd,
            "power.off",
            "high",
            f"{cmd.name} {level}: takes the host down or to single-user mode",
            suggest="runlevel",
        )
    return hit(cmd, "power.runlevel", "medium")


@handles("mkfs", "mkswap", "mkdosfs", "mkntfs", "mkfs.btrfs", "mkisofs")
def _mkfs(cmd: Cmd, an: Analysis) -> list[Hit]:
    ext = "ext" in cmd.word.text or "mke2fs" in cmd.word.text
    if ext and cmd.has("n"):
        return []  # mke2fs -n: show what would be done
    if cmd.args and {a.text for a in cmd.args} <= {"-V", "--version"}:
        return []  # `mkfs.ext4 -V`: its version; no device named, nothing formatted
    return hit(
        cmd,
        "disk.format",
        "critical",
        f"{cmd.name} formats "
        f"{' '.join(a.text for a in cmd.positional('tLbcCEgGINOmMUjJT')) or 'a disk'}: "
        "everything on it is lost",
        suggest="lsblk -f",
    )


# zfs/zpool subcommands that add or change without removing data (`zpool create` is
# not one: it writes over the disks it is given).
_ZFS_ADDITIVE = {
    "zfs": frozenset(
        {
            "snapshot",
            "snap",
            "create",
            "set",
            "inherit",
            "clone",
            "bookmark",
            "hold",
            "release",
            "mount",
            "unmount",
            "umount",
            "rename",
            "allow",
            "load-key",
            "share",
        }
    ),
    "zpool": frozenset({"scrub", "trim", "online", "clear", "import", "set", "resilver"}),
}


@handles(
    "fdisk",
    "sfdisk",
    "gdisk",
    "sgdisk",
    "cfdisk",
    "parted",
    "wipefs",
    "blkdiscard",
    "hdparm",
    "sg_format",
    "nvme",
    "cryptsetup",
    "pvremove",
    "vgremove",
    "lvremove",
    "zpool",
    "mdadm",
    "badblocks",
    "e2fsck",
    "fsck",
    "tune2fs",
    "resize2fs",
    "lvresize",
    "lvextend",
    "lvreduce",
    "lvcreate",
    "pvcreate",
    "vgcreate",
    "xfs_repair",
    "zfs",
)
def _disk(cmd: Cmd, an: Analysis) -> list[Hit]:
    text = " ".join(cmd.argv)
    name = cmd.name
    if _only_reads(cmd):
        return []
    if (
        name == "parted"
        and re.search(r"\b(print|p)\s*$", text)
        # a script may change the table before it prints it: `-- mklabel gpt print`
        and not re.search(
            r"\b(mklabel|mktable|mkpart|rm|resizepart|resize|set|toggle|name|disk_set|rescue)\b",
            text,
        )
    ):
        return []
    if name == "wipefs" and not cmd.has("a", "all", "o", "offset"):
        return []
    if name in ("zpool", "zfs", "nvme", "cryptsetup") and cmd.sub() in (
        "list",
        "status",
        "get",
        "iostat",
        "show",
        "id-ctrl",
        "smart-log",
        "usage",
        "df",
        "isluks",
        "luksdump",
        "filesystem",
        "history",
    ):
        return []
    if name == "zfs" and cmd.sub() in ("send", "diff", "userspace", "groupspace", "holds"):
        return []  # reads a dataset (a stream, a listing)
    if (
        name == "zpool"
        and cmd.sub("dcR") == "import"
        and len(cmd.positional("dcR")) == 1
        and not cmd.has("a", "f", "o", "R", "N", "m", "F", "X", "T")
    ):
        return []  # no pool named: lists the pools that could be imported
    if name in ("zfs", "zpool") and cmd.sub() in _ZFS_ADDITIVE[name]:
        return hit(
            cmd,
            "disk.zfs_change",
            "medium",
            f"{name} {cmd.sub()}: adds or changes datasets, snapshots or pool settings "
            "(nothing is removed)",
        )
    if name == "badblocks" and not cmd.has("w"):
        return []
    if name in ("hdparm", "nvme") and not re.search(
        r"security|format|sanitize|--trim|-z|"
        r"--fibmap|-W|--write",
        text,
    ):
        return hit(cmd, "disk.tune", "medium")
    if name in (
        "e2fsck",
        "fsck",
        "xfs_repair",
        "tune2fs",
        "resize2fs",
        "lvresize",
        "lvreduce",
        "pvcreate",
        "vgcreate",
    ) and not _grows(cmd):
        return hit(cmd, "disk.change", "high", f"{name} changes a filesystem or volume")
    if name in ("lvextend", "lvresize"):  # only grows: nothing existing is lost
        return hit(
            cmd, "disk.grow", "medium", f"{name} grows a logical volume (and -r its filesystem)"
        )
    if name == "resize2fs":
        return hit(cmd, "disk.grow", "medium", "resize2fs grows the filesystem to fill its volume")
    if name == "lvcreate":  # a new volume in free space: nothing existing is touched
        return hit(cmd, "disk.change", "medium", "lvcreate adds a logical volume")
    if name == "mdadm" and not re.search(r"--zero-superblock|--create|-C\b|--stop|-S\b", text):
        return hit(cmd, "disk.change", "medium")
    return hit(
        cmd,
        "disk.partition",
        "critical",
        f"{name} rewrites partitions or disk signatures: data is lost",
        suggest="lsblk -f",
    )


# The options that make a disk tool only print (the first of each pair), and those that
# only shape what it prints; any other option given beside them may write (`sgdisk -p -Z`
# prints, then zaps; `mdadm --detail --stop` stops the array).
_DISK_READS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fdisk": (("l", "list"), ("u", "units")),
    "sfdisk": (
        (
            "l",
            "d",
            "s",
            "F",
            "V",
            "T",
            "list",
            "dump",
            "show-size",
            "list-free",
            "verify",
            "list-types",
            # `--no-act`: everything but the write to the device (a rehearsal)
            "n",
            "no-act",
        ),
        ("J", "json", "q", "quiet", "u", "unit"),
    ),
    "gdisk": (("l",), ()),
    "sgdisk": (("p", "print", "v", "verify", "O", "print-mbr"), ()),
    "parted": (("l", "list"), ("s", "script", "m", "machine")),
    "hdparm": (("I", "i", "t", "T", "C"), ()),
    "mdadm": (
        ("D", "detail", "E", "examine", "Q", "query"),
        ("s", "scan", "v", "verbose", "b", "brief", "Y", "export"),
    ),
    "e2fsck": (("n",), ("f", "force", "v")),
    "fsck": (("n", "N"), ("f", "V")),
    "resize2fs": (("P",), ()),
}


def _only_reads(cmd: Cmd) -> bool:
    """A disk tool given a printing option and no option but those that shape the
    output."""
    reads, shaping = _DISK_READS.get(cmd.name, ((), ()))
    if not reads or not cmd.has(*reads):
        return False
    short, long = cmd.options()
    allowed = set(reads) | set(shaping)
    return short <= allowed and long <= allowed


def _grows(cmd: Cmd) -> bool:
    """`lvextend` (it refuses to shrink), `lvresize` given only `+` sizes, or `resize2fs`
    given no size (the filesystem grows to fill its volume, as after lvextend)."""
    if cmd.name == "lvextend":
        return True
    if cmd.name == "resize2fs":
        return len(cmd.positional("dSz")) == 1 and not cmd.has("M", "b", "s")
    sizes = [cmd.option_value(*names) for names in (("L", "size"), ("l", "extents"))]
    given = [v for v in sizes if v is not None]
    return cmd.name == "lvresize" and bool(given) and all(v.startswith("+") for v in given)


@handles("mount", "umount", "swapoff", "swapon", "losetup", "eject", "fusermount")
def _mount(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name == "mount" and (
        not cmd.args or (cmd.has("l", "show-labels") and len(cmd.args) == 1)
    ):
        return []
    if cmd.name == "mount" and cmd.has("f", "fake") and not cmd.has("o", "options", "bind"):
        return []  # a rehearsal: everything but the mount system call
    if cmd.name == "losetup" and (not cmd.args or cmd.has("a", "l", "list", "all")):
        return []
    if cmd.name in ("swapon",) and cmd.has("s", "show", "summary"):
        return []
    pos = cmd.positional("tolOLU")
    if cmd.name == "umount" and (
        cmd.has("a", "all", "f", "force", "l") or any(classify(p.text) == "root" for p in pos)
    ):
        return hit(
            cmd,
            "disk.unmount",
            "high",
            f"{cmd.name} {' '.join(cmd.argv)}: may take away filesystems the system runs on",
        )
    return hit(cmd, "disk.mount", "medium")


@handles("sysctl")
def _sysctl(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.has("w", "write", "p", "load", "system") or any("=" in a.text for a in cmd.args):
        return hit(cmd, "kernel.sysctl", "medium", "sysctl changes kernel settings")
    return []


@handles(
    "modprobe",
    "insmod",
    "rmmod",
    "depmod",
    "dkms",
    "update-grub",
    "grub-install",
    "grub-mkconfig",
    "update-initramfs",
    "dracut",
    "mkinitcpio",
    "efibootmgr",
)
def _kernel(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name == "efibootmgr" and not cmd.args:
        return []
    if cmd.name == "grub-mkconfig" and not cmd.has("o", "output"):
        return []  # the generated configuration printed, nothing installed
    if cmd.name == "modprobe" and cmd.has("n", "show-depends", "c", "showconfig"):
        return []
    severity: Severity = (
        "high"
        if cmd.name in ("grub-install", "efibootmgr", "rmmod")
        or (cmd.name == "modprobe" and cmd.has("r", "remove"))
        else "medium"
    )
    return hit(cmd, "kernel.boot", severity, f"{cmd.name}: changes the kernel or boot setup")


# --- logs and history -------------------------------------------------------------------


@handles("history")
def _history(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.has("c", "w", "d", "r", "a", "n"):
        return hit(
            cmd,
            "log.history_wipe",
            "high",
            "history -c/-w/-d rewrites the shell history (hides what was done)",
            "single",
        )
    return []


@handles(
    "unset",
    "export",
    "set",
    "alias",
    "unalias",
    "setopt",
    "declare",
    "typeset",
    "readonly",
    "local",
)
def _shell_state(cmd: Cmd, an: Analysis) -> list[Hit]:
    text = " ".join(cmd.argv)
    unsets = cmd.name == "unset" and any(hides_history(a.text, None) for a in cmd.args)
    if unsets or re.search(r"\+o\s+history", text):
        return hit(
            cmd,
            "log.history_off",
            "high",
            "turns off the shell history (hides what was done)",
            "single",
        )
    namerefs = cmd.name in ("declare", "typeset", "local") and cmd.has("n")
    for a in cmd.args:
        if "=" not in a.text:
            continue
        if cmd.name == "alias":  # `alias ls='rm -rf /srv'`: the value runs as `ls`
            name, _, value = a.text.partition("=")
            an.payload(value, [a], "exec.alias", f"alias {name}")
        elif namerefs and not a.text.startswith("-"):
            name, _, target = a.text.partition("=")
            an.refs[name] = target  # `declare -n r=x`: $r reads x from here on
        else:
            an.assignment(
                a, remember=cmd.name in ("export", "declare", "typeset", "readonly", "local")
            )
    return []


@handles("logrotate", "journalctl", "dmesg", "auditctl", "logger")
def _logs(cmd: Cmd, an: Analysis) -> list[Hit]:
    name = cmd.name
    if name == "journalctl":
        _, long = cmd.options()
        if any(x.startswith("vacuum") for x in long):
            if _vacuums_everything(cmd):
                return hit(
                    cmd,
                    "log.vacuum_all",
                    "high",
                    "journalctl --vacuum with a tiny limit deletes (nearly) the whole journal",
                    "single",
                    suggest="journalctl --disk-usage",
                )
            return hit(
                cmd,
                "log.vacuum",
                "medium",
                "journalctl --vacuum deletes old journal files",
                "single",
                suggest="journalctl --disk-usage",
            )
        if long & {"rotate", "flush", "sync", "relinquish-var", "setup-keys"}:
            return hit(
                cmd,
                "log.journal",
                "medium",
                "journalctl rotates or flushes the journal (changes the journal's files)",
                "single",
            )
        return []
    if name == "dmesg":
        # clearing the ring buffer erases the kernel's record (a logwipe, like emptying a
        # log file); -n/-D/-E only change what reaches the console
        if cmd.has("c", "C", "clear", "read-clear"):
            return hit(cmd, "log.clear", "high", "dmesg -c/-C clears the kernel log", "single")
        return (
            hit(cmd, "log.console", "medium", "dmesg changes what reaches the console", "single")
            if cmd.has("n", "D", "E", "console-level", "console-off", "console-on")
            else []
        )
    if name == "logger":
        return hit(cmd, "log.write", "low", "writes a line to the system log", "single")
    if name == "auditctl":
        if cmd.has("l", "s", "list", "status") and not cmd.has("D", "e"):
            return []
        if cmd.has("w") and not cmd.has("D", "d", "W", "e", "a", "A", "b", "f", "r", "R"):
            # `auditctl -w /etc/nginx -p wa -k conf`: one more watch, more in the record
            return hit(cmd, "log.audit_watch", "medium", "auditctl adds a watch to the audit rules")
        return hit(cmd, "log.audit_rules", "high", "auditctl changes or deletes audit rules")
    return hit(cmd, "log.rotate", "medium", "logrotate rotates (and may delete) logs", "single")


def _vacuums_everything(cmd: Cmd) -> bool:
    """--vacuum-time under a day, --vacuum-size under 10M, --vacuum-files of 0 or 1."""
    for a in cmd.args:
        name, _, value = a.text.partition("=")
        m = re.fullmatch(r"(\d+)\s*([a-zA-Z]*)", value.strip())
        if not m:
            continue
        number, unit = int(m.group(1)), m.group(2).lower()
        if name == "--vacuum-time" and (
            unit
            in (
                "",
                "s",
                "sec",
                "second",
                "seconds",
                "m",
                "min",
                "minutes",
                "h",
                "hour",
                "hours",
                "ms",
                "us",
            )
        ):
            return True
        if name == "--vacuum-size" and (
            unit in ("", "b", "k", "kb", "kib") or (unit in ("m", "mb", "mib") and number < 10)
        ):
            return True
        if name == "--vacuum-files" and number <= 1:
            return True
    return False


# --- services and packages --------------------------------------------------------------


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
    packs = builtin_packs() if cmd.name in _HANDLERS else _packs(an)
    tool = packs.tool(cmd.name)
    if tool is None or tool.table is None:
        return []
    table = tool.table
    cmd = replace(cmd, value_opts=cmd.value_opts | tool.value_options)
    pos = cmd.positional()
    sub = pos[0].text.lower() if pos else ""
    words = [sub, *(p.text.lower() for p in pos[1:3])]
    level = level_of(cmd.name, words, packs) if sub else table.bare
    if level == "read" or (
        level is None and len(pos) > 1 and _second_reads(table, sub, pos[1].text)
    ):
        return _output_file(cmd, an)
    destroys = None
    if level is None and table.unlisted_destroy:
        destroys = verbs.destroy_word([a.text for a in cmd.args])
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


@handles("systemctl")
def _systemctl(cmd: Cmd, an: Analysis) -> list[Hit]:
    """Stopping a vital unit (the pack's `vital`, after a `vital_when` subcommand) may cut
    the operator off the host; anything else is judged by the subcommand table."""
    pos = cmd.positional()
    sub = pos[0].text.lower() if pos else ""
    units = [a.text for a in pos[1:]]
    if sub in _table("systemctl").vital_when and vital_names("systemctl", units):
        return hit(
            cmd,
            "systemctl.vital",
            "high",
            f"systemctl {sub} {' '.join(units)}: may cut off access to the host",
            suggest=f"systemctl status {' '.join(units)}",
        )
    if sub == "edit" and cmd.has("stdin"):
        return _unit_from_input(cmd, an, units)
    if sub == "kill" and units and _reloads(_unit_signal(cmd), units):
        return hit(
            cmd,
            "systemctl.signal",
            "medium",
            f"systemctl kill: signals {' '.join(units)} with a signal daemons handle"
            " (a reload, log reopening); nothing stops",
            "single",
        )
    return table_hits(cmd, an)


def _unit_from_input(cmd: Cmd, an: Analysis, units: list[str]) -> list[Hit]:
    """`systemctl edit --stdin UNIT` writes its input as a drop-in (`--full`: as the unit
    itself): judged as the same text written to the file, so only a drop-in the line shows
    tuning the unit is a change; anything else may run a program as root."""
    fed = an.literal_input(cmd)
    if not cmd.has("full") and tuning_text(fed[0] if fed else None):
        return hit(
            cmd,
            "systemctl.edit",
            "medium",
            "systemctl edit: a drop-in that only sets the unit's limits, resources or timeouts",
            "single",
        )
    return hit(
        cmd,
        "systemctl.edit_unit",
        "high",
        f"systemctl edit --stdin {' '.join(units)}: writes a unit or drop-in from input the "
        "line does not show as tuning only (it may run any program as root)",
    )


def _unit_signal(cmd: Cmd) -> str:
    """The signal of `systemctl kill` (`-s HUP`, `-sHUP`, `--signal=SIGHUP`; the last
    given wins, as getopt reads them), without `SIG`; TERM when none is given."""
    signal = "TERM"
    args = [a.text for a in cmd.args]
    for i, t in enumerate(args):
        if t == "--":
            break
        if t in ("-s", "--signal") and i + 1 < len(args):
            signal = args[i + 1]
        elif t.startswith("--signal="):
            signal = t.split("=", 1)[1]
        elif t.startswith("-s") and len(t) > 2:
            signal = t[2:]
    return signal.upper().removeprefix("SIG")


@handles("service")
def _service(cmd: Cmd, an: Analysis) -> list[Hit]:
    pos = cmd.positional()
    if cmd.has("status-all") or len(pos) < 2 or pos[1].text in ("status", "--status-all"):
        return []
    unit, action = pos[0].text, pos[1].text
    severity: Severity = (
        "high" if action in ("stop",) and vital_names("systemctl", [unit]) else "medium"
    )
    return hit(
        cmd,
        f"service.{action}",
        severity,
        f"service {unit} {action}: {_MESSAGES[severity]}",
        suggest=f"service {unit} status",
    )


@handles("apt", "dnf", "zypper", "apk")
def _packages(cmd: Cmd, an: Analysis) -> list[Hit]:
    """A package manager: its pack's dry-run options rehearse; removing a vital package
    (the pack's `vital`) is denied; anything else is judged by the subcommand table."""
    table = _table(cmd.name)
    if table.dry_run and cmd.has(*table.dry_run):
        return []
    pos = cmd.positional()
    sub = pos[0].text.lower() if pos else ""
    if sub in table.vital_when and (names := vital_names(cmd.name, [p.text for p in pos[1:]])):
        return hit(
            cmd,
            f"{cmd.name}.remove_vital",
            "critical",
            f"{cmd.name} {sub} "
            f"{' '.join(names)}: removes a package the system needs to run or be reached",
            suggest=f"{cmd.name} {sub} --simulate {' '.join(names)}" if table.dry_run else "",
        )
    return table_hits(cmd, an)


@handles("pacman", "dpkg", "rpm")
def _dash_packages(cmd: Cmd, an: Analysis) -> list[Hit]:
    """dpkg/rpm/pacman take their action as a flag, not a subcommand: their tables list
    the flags that only query and those that remove."""
    table = _table(cmd.name)
    if table.dry_run and cmd.has(*table.dry_run) and not cmd.has("y", "refresh"):
        return []  # `pacman -Rs --print nginx`: the targets printed, nothing changed
    # the action flag may follow modifiers (`dpkg --force-depends --purge libc6`)
    listed = [a.text for a in cmd.args if level_of(cmd.name, [a.text]) is not None]
    first = listed[0] if listed else (cmd.args[0].text if cmd.args else "")
    level = level_of(cmd.name, [first])
    if level == "read":
        return []
    removing = level == "high"
    names = [a.text for a in cmd.args if not a.text.startswith("-")]
    if removing and (vital := vital_names("apt", names)):
        return hit(
            cmd,
            f"{cmd.name}.remove_vital",
            "critical",
            f"{cmd.name} {first} {' '.join(vital)}: removes a package the system needs to run "
            "or be reached",
        )
    return hit(
        cmd,
        f"{cmd.name}.change",
        "high" if removing else "medium",
        f"{cmd.name} {first}: {'removes' if removing else 'installs or changes'} packages",
    )


@handles("run-parts")
def _run_parts(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`run-parts DIR` runs every program in DIR (cron's daily jobs): code the engine
    cannot see, and a program the same line wrote into DIR is unreviewed code run.
    `--test` and `--list` only print the names."""
    if cmd.has("test", "list", "h", "help", "V", "version"):
        return []
    for folder in cmd.positional("ua"):
        inside = folder.text.rstrip("/") + "/"
        planted = next((w for w in an.written if same_file(w, inside)), None)
        if planted is not None:
            return hit(
                cmd,
                "exec.written_then_run",
                "high",
                f"run-parts runs {planted}, written earlier on this line into "
                f"{folder.text}: code nobody has reviewed",
                "unknown",
                suggest=f"run-parts --test {folder.text}",
            )
    return hit(
        cmd,
        "exec.run_parts",
        "medium",
        "run-parts runs every program in the folder: code the engine cannot see",
        "unknown",
        suggest=f"run-parts --test {' '.join(w.text for w in cmd.positional('ua'))}",
    )


# GNU make's `$(shell CMD)`: runs while the makefile is read, even under `-n`.
_MAKE_SHELL = lazy(r"\$[({]shell\s+([^)}]*)[)}]")


def _make_eval(cmd: Cmd, an: Analysis, dry: bool) -> None:
    """`make --eval=$'x:\\n\\trm -rf /srv' x`: the text is makefile, so its recipe lines
    (a tab first; `-`, `@`, `+` only say how to run them) are commands, and its `$(shell
    CMD)` runs when make reads it, dry run or not."""
    text = cmd.option_value("eval", "E")
    if not text:
        return
    word = next((w for w in cmd.args if text in w.text), cmd.word)
    lines = [m.group(1) for m in _MAKE_SHELL.finditer(text)]
    if not dry:
        lines += [ln.lstrip("\t").lstrip("-@+") for ln in text.splitlines() if ln[:1] == "\t"]
    for line in lines:
        an.payload(line, [word], "make.eval", "make --eval runs")


@handles("make")
def _make(cmd: Cmd, an: Analysis) -> list[Hit]:
    make = _table("make")
    _make_eval(cmd, an, cmd.has(*make.dry_run))
    source = cmd.option_value("f", "file", "makefile") or cmd.option_value("C", "directory")
    if source and classify(source) in ("temp", "dynamic"):
        # reading a makefile runs its `$(shell ...)` and `!=` lines, dry run or not: one
        # from a temp folder is code any account (the agent's included) may have written
        return hit(
            cmd,
            "exec.temp_script",
            "high",
            f"make reads {source}, a makefile from a temp folder: its $(shell ...) lines run "
            "even with -n, and any account may have written it",
            "unknown",
            suggest=f"cat {source}",
        )
    if cmd.has(*make.dry_run):
        return []
    target = cmd.sub("".join(sorted(make.positional_value_options)))
    return hit(
        cmd,
        "make.run",
        "medium",
        f"make {target}: runs recipes the engine cannot see".replace("  ", " "),
        "unknown",
        suggest=f"make -n {target}".strip(),
    )


# --- git ----------------------------------------------------------------------------------


@handles("git")
def _git(cmd: Cmd, an: Analysis) -> list[Hit]:
    args = cmd.args
    values = _flags(_table("git").positional_value_options)
    i = 0
    while i < len(args) and args[i].text.startswith("-"):  # git -C dir -c k=v ...
        i += 2 if args[i].text in values else 1
    rest = args[i:]
    if not rest:
        return []
    sub = rest[0].text
    # the subcommand's options read with git's value options (`push -o --dry-run` pushes)
    inner = Cmd("git", cmd.word, rest[1:], cmd.simple, value_opts=cmd.value_opts)
    pos = [a.text for a in inner.positional("m")]
    level = level_of("git", [sub, *pos[:1]])
    reads = level == "read"
    output = inner.option_value("output") if reads else None
    if output:  # `git log --output=FILE`, `git diff --output FILE`: a read that writes
        return option_write(cmd, output, f"git {sub} --output writes", an)
    if reads or inner.has("h", "help"):
        return []
    if level == "high":  # `git reflog expire`: the subcommand reads, its action does not
        what = _table("git").why(f"{sub} {pos[0]}" if pos else sub)
        return hit(cmd, f"git.{sub}", "high", f"git {sub}: {what}".rstrip(": "))
    if sub in ("branch", "tag", "remote", "stash", "config", "worktree", "notes", "submodule"):
        return _git_listing(cmd, sub, inner, pos)
    if sub == "push":
        if inner.has("n", "dry-run"):
            return []
        if pos and (url := _push_address(pos[0], an.src)):
            return hit(
                cmd,
                "net.git_push_address",
                "high",
                f"git push sends the repository to {url}, an address written on the line "
                "rather than a remote already configured (its code and history leave)",
                "tree",
                suggest="git remote -v",
            )
        if inner.has("f", "force", "mirror", "delete", "d", "prune", "force-with-lease") or any(
            p.startswith(("+", ":")) for p in pos
        ):
            return hit(
                cmd,
                "git.force_push",
                "high",
                "git push --force/--delete rewrites or removes history on the remote",
                "tree",
                suggest="git push --force-with-lease" if inner.has("f", "force") else "",
            )
        return hit(cmd, "git.push", "medium", "git push publishes commits", "tree")
    if sub == "reset" and inner.has("hard", "merge", "keep"):
        return hit(
            cmd,
            "git.reset_hard",
            "high",
            "git reset --hard throws away uncommitted work",
            "tree",
            suggest="git stash",
        )
    if sub == "clean":
        if _clean_dry_run(inner) or not inner.has("f", "force"):
            return []
        return hit(
            cmd,
            "git.clean",
            "high",
            "git clean -f deletes untracked files",
            "tree",
            suggest="git clean -n"
            + ("d" if inner.has("d") else "")
            + ("x" if inner.has("x") else ""),
        )
    if (
        sub in ("checkout", "restore")
        and ("." in pos or inner.has("f", "force"))
        and ("--" in inner.argv or sub == "restore" or inner.has("f", "force"))
    ):
        return hit(
            cmd,
            "git.discard",
            "high",
            f"git {sub} discards uncommitted changes",
            "tree",
            suggest="git diff",
        )
    if sub in ("filter-branch", "filter-repo", "update-ref", "gc", "prune", "replace") and (
        sub != "gc" or any("prune" in p for p in inner.argv)
    ):
        return hit(cmd, "git.rewrite", "high", f"git {sub} rewrites or drops history", "tree")
    return hit(cmd, f"git.{sub}", "medium", f"git {sub}: changes the repository", "tree")


def _git_listing(cmd: Cmd, sub: str, inner: Cmd, pos: list[str]) -> list[Hit]:
    """git branch/tag/remote/stash/config: listing is a read, the rest a change."""
    if sub == "stash" and (not pos or pos[0] in ("list", "show")):
        return [] if pos else hit(cmd, "git.stash", "medium", "git stash sets work aside")
    if sub == "stash" and pos[0] in ("drop", "clear"):
        return hit(
            cmd,
            "git.stash_drop",
            "high",
            f"git stash {pos[0]} throws away stashed work",
            "tree",
            suggest="git stash list",
        )
    if sub == "config" and (
        inner.has("get", "list", "l", "get-all", "get-regexp", "show-origin") or len(pos) <= 1
    ):
        return []
    if sub == "remote" and (not pos or pos[0] in ("show", "get-url", "-v")):
        return []
    if (sub in ("branch", "tag") and inner.has("D")) or (
        sub == "branch" and inner.has("d", "delete") and inner.has("f", "force")
    ):
        return hit(
            cmd,
            f"git.{sub}_delete",
            "high",
            f"git {sub} -D deletes it even if unmerged",
            "single",
            suggest=f"git {sub} --list",
        )
    listing = ("l", "list", "contains", "merged", "no-merged") + (
        ("a", "r", "v", "all", "remotes") if sub == "branch" else ()
    )
    if sub in ("branch", "tag") and (not pos or inner.has(*listing)):
        return []
    if sub in ("worktree", "notes", "submodule") and pos and pos[0] in ("list", "show", "status"):
        return []
    return hit(cmd, f"git.{sub}", "medium", f"git {sub}: changes the repository", "single")


# --- containers, clusters, infrastructure -------------------------------------------------


def _compose_rehearsal(cmd: Cmd, at: int | None) -> bool:
    """`docker compose down --dry-run`: compose's own `--dry-run` (v2.17+), given before
    the first operand of the action (the word at `at`), shows what would change and
    changes nothing. After an operand it is the service's or the command's (`compose
    exec web rm -rf /x --dry-run` runs rm)."""
    if at is None:
        return False
    own = cmd.args[:at]
    for a in cmd.args[at + 1 :]:
        if not a.text.startswith("-"):
            break
        own.append(a)
    return any(a.text == "--dry-run" for a in own)


# Options that give a container the host: privileged, the host's namespaces, its root
# or the docker socket mounted (`docker run`, `create`, `exec`; `compose run`/`exec`).
_CONTAINER_HOST_ACCESS = lazy(
    r"--privileged|--pid[= ]host|--net(work)?[= ]host|-v\s*/:|--volume[= ]/:|"
    r"--cap-add[= ](ALL|SYS_ADMIN)|docker\.sock"
)


def _container_host_hit(cmd: Cmd, what: str) -> list[Hit]:
    """`docker run -v /:/host`, `docker compose run --privileged`: the container gets the
    host (its root, its namespaces or the docker socket)."""
    return hit(
        cmd,
        "docker.privileged",
        "high",
        f"docker {what} with host access (privileged, host namespaces or the host filesystem)",
    )


@handles("docker", "compose")
def _docker(cmd: Cmd, an: Analysis) -> list[Hit]:
    docker = _table("docker")
    letters = "".join(sorted(docker.positional_value_options))
    sub = cmd.sub(letters)
    pos = [a.text for a in cmd.positional(letters)]
    text = " ".join(cmd.argv)
    if cmd.name == "compose" or sub == "compose":
        action = pos[1] if sub == "compose" and len(pos) > 1 else sub
        if level_of("compose", [action]) == "read" or (
            not action and _table("compose").bare == "read"
        ):
            return []
        at = next((i for i, a in enumerate(cmd.args) if a.text == action), None)
        if _compose_rehearsal(cmd, at):
            return []
        if action in ("run", "exec") and _CONTAINER_HOST_ACCESS.search(text):
            return _container_host_hit(cmd, f"compose {action}")
        if action == "exec" and at is not None:
            # `docker compose exec [opts] SERVICE CMD...`: CMD is judged, as for docker exec
            inner = Cmd(cmd.name, cmd.word, cmd.args[at:], cmd.simple)
            return _container_exec(inner, an, "uwe", ("user", "workdir", "env", "index"))
        volumes = cmd.has("v", "volumes")
        if volumes and action in ("down", "rm"):
            return hit(
                cmd,
                f"docker.compose_{action}",
                "high",
                f"docker compose {action} -v: deletes the stack's volumes (their data is lost)",
                suggest="docker compose ps",
            )
        return hit(
            cmd,
            f"docker.compose_{action}",
            "medium",
            f"docker compose {action}: changes the stack's containers",
            suggest="docker compose ps",
        )
    if (not sub and docker.bare == "read") or level_of("docker", pos) == "read":
        return []  # the longest listed form: `manifest inspect`, `buildx imagetools inspect`
    if sub in docker.groups and len(pos) > 1:
        action = pos[1]
        if action in docker.read_second:
            return []
        if sub == "system" and action == "prune" and not cmd.has("volumes"):
            # without --volumes it prunes what container, image, network and builder
            # prune do, each a change: stopped containers, unused images, build cache
            return hit(
                cmd,
                "docker.system_prune",
                "medium",
                "docker system prune: removes stopped containers, unused networks and "
                "images, and the build cache (no volume: add --volumes and data goes too)",
                suggest="docker system df",
            )
        if level_of("docker", [sub, action]) == "high":
            return hit(
                cmd,
                "docker.prune",
                "high",
                f"docker {sub} {action}: deletes data (volumes, images, containers)",
                suggest=f"docker {sub} ls",
            )
        if sub == "container" and action in ("rm", "remove") and _drops_volumes(cmd):
            return _volume_delete(cmd, f"container {action}")
        return hit(
            cmd, f"docker.{sub}_{action}", "medium", f"docker {sub} {action}: changes containers"
        )
    if sub in ("run", "create", "exec") and _CONTAINER_HOST_ACCESS.search(text):
        return _container_host_hit(cmd, sub)
    if sub == "cp" and len(pos) == 3 and (found := _copied_out(cmd, an, pos[1])) is not None:
        return found
    if sub == "exec" and not re.search(r"--privileged", text):
        return _container_exec(cmd, an, "dituew", ("user", "env", "workdir", "env-file"))
    if sub == "rm" and _drops_volumes(cmd):
        return _volume_delete(cmd, "rm")
    if (
        sub in ("rm", "rmi", "kill")
        and ("-f" in cmd.argv or "--force" in cmd.argv or cmd.has("a", "all"))
        and ("$(" in " ".join(a.raw for a in cmd.args) or cmd.has("a", "all"))
    ):
        return hit(
            cmd,
            "docker.rm_all",
            "high",
            "docker removes every container/image",
            suggest="docker ps -a",
        )
    if sub in ("kill", "stop", "pause", "restart") and re.search(
        r"\$\(\s*\S*(docker|podman|nerdctl)\s+(ps|container\s+ls)\b",
        " ".join(a.raw for a in cmd.args),
    ):
        return hit(
            cmd,
            "docker.stop_all",
            "high",
            f"docker {sub} every running container (the list is `docker ps`)",
            suggest="docker ps",
        )
    return hit(
        cmd, f"docker.{sub}", "medium", f"docker {sub}: changes containers", suggest="docker ps -a"
    )


def _drops_volumes(cmd: Cmd) -> bool:
    """`docker rm -v`, `-fv`, `--volumes`: the container's anonymous volumes go with it."""
    return cmd.has("v", "volumes")


def _volume_delete(cmd: Cmd, what: str) -> list[Hit]:
    names = " ".join(a.text for a in cmd.positional()[1:] if a.text not in ("rm", "remove"))
    tool = cmd.word.text.rsplit("/", 1)[-1]
    return hit(
        cmd,
        "docker.rm_volumes",
        "high",
        f"{tool} {what} -v {names}: deletes the "
        "container's volumes with it (their data is lost)".replace("  ", " "),
        suggest=f"docker inspect --format '{{{{.Mounts}}}}' {names}".strip(),
    )


# The environment printed inside a container or pod, also through `sh -c`: `env` or
# `printenv` alone (or `printenv` of a credential's name), not `env VAR=1 cmd`.
def _service_env() -> str:
    """`printenv`/`env` run inside a service: the pattern of the pack rule
    `service.env_dump` (kubernetes.toml: nomad, heroku, fly...), one list for every tool
    that runs a command in a service (`docker exec`, `kubectl exec` too)."""
    rule = next(
        (r for r in builtin_packs().for_command("nomad") if r.id == "service.env_dump"), None
    )
    if rule is None or rule.args is None:
        raise LookupError("the built-in packs lost the rule service.env_dump")
    return rule.args


def _container_exec(
    cmd: Cmd, an: Analysis, value_opts: str, long_values: tuple[str, ...]
) -> list[Hit]:
    """`docker exec [opts] CONTAINER CMD...`, `kubectl exec POD -- CMD`: judge CMD."""
    args = cmd.args[1:]
    i = 0
    while i < len(args) and args[i].text.startswith("-") and args[i].text != "--":
        t = args[i].text
        takes = (t[1:] in value_opts and len(t) == 2) or (
            t.startswith("--") and "=" not in t and t[2:] in long_values
        )
        i += 2 if takes else 1
    rest = args[i + 1 :] if i < len(args) else []
    if rest and rest[0].text == "--":
        rest = rest[1:]
    if "--" in [a.text for a in args]:
        rest = args[[a.text for a in args].index("--") + 1 :]
    inner = make_cmd(cmd.simple, rest, cmd.privileged)
    if inner is None:
        return hit(
            cmd,
            "exec.container",
            "medium",
            f"{cmd.name} exec: runs a command in a container",
            "unknown",
        )
    if compiled(_service_env()).search(" ".join(w.text for w in rest)):
        return hit(
            cmd,
            "secret.env",
            "high",
            f"{cmd.name} exec prints the environment of a running service "
            "(where its passwords and tokens are kept): it goes to the model provider",
        )
    if inner.name in ("sh", "bash", "zsh", "ash") and not inner.args:
        return hit(
            cmd,
            "exec.interactive_shell",
            "medium",
            f"{cmd.name} exec opens a shell in a container (nothing there can be reviewed)",
            "unknown",
        )
    before = len(an.hits)
    an.command(inner)
    found = an.hits[before:]
    del an.hits[before:]
    return found


@handles("lxc", "incus")
def _lxd(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`lxc exec INSTANCE -- CMD`: judge CMD; other changes to instances need a yes (the
    read and delete forms are in the pack)."""
    if cmd.sub() == "exec":
        return _container_exec(cmd, an, "", ("env", "user", "group", "cwd", "mode"))
    return hit(cmd, f"{cmd.name}.change", "medium", f"{cmd.name}: changes instances")


@handles("crictl")
def _crictl(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`crictl exec [opts] CONTAINER CMD...`: judge CMD; its other changes stop or
    remove containers and pods on the node (its read forms are in the pack)."""
    if cmd.sub() == "exec":
        return _container_exec(cmd, an, "", ("timeout",))
    if cmd.sub() in ("rm", "rmp", "rmi", "stopp", "stop") and cmd.has("a", "all"):
        return hit(cmd, "crictl.rm_all", "high", "crictl removes every container, pod or image")
    return hit(cmd, "crictl.change", "medium", "crictl: changes containers or pods on the node")


def _kube_positional(cmd: Cmd) -> list[str]:
    """The subcommand and its objects, before `--` (the pack's positional value options
    are skipped with their value)."""
    values = _flags(_table("kubectl").positional_value_options)
    out, skip = [], False
    for a in cmd.args:
        if skip:
            skip = False
        elif a.text in values:
            skip = True
        elif a.text == "--":
            break
        elif not a.text.startswith("-"):
            out.append(a.text)
    return out


def _copied_out(cmd: Cmd, an: Analysis, source: str) -> list[Hit] | None:
    """`docker cp CONTAINER:FILE DEST`, `kubectl cp POD:FILE DEST`: the file copied out
    (see `fetched_copy`); the destination is the last argument."""
    dest = cmd.args[-1] if cmd.args else None
    if dest is None or dest.text == source or dest.text.startswith("-"):
        return None
    return fetched_copy(cmd, an, source, dest)


@handles("kubectl", "oc", "k")
def _kubectl(cmd: Cmd, an: Analysis) -> list[Hit]:
    pos = _kube_positional(cmd)
    sub = pos[0] if pos else ""
    if sub == "exec":
        return _container_exec(cmd, an, "ncit", ("namespace", "container", "context"))
    if sub == "cp" and len(pos) == 3 and (found := _copied_out(cmd, an, pos[1])) is not None:
        return found
    if (not sub and _table("kubectl").bare == "read") or level_of("kubectl", pos[:2]) == "read":
        return []
    if any(a.text.startswith("--dry-run") and not a.text.endswith("none") for a in cmd.args):
        return []
    what = " ".join(pos[1:3])
    if sub == "delete":
        return _kubectl_delete(cmd, pos)
    if sub == "taint" and not re.search(r":NoExecute\b", " ".join(cmd.argv)):
        return hit(
            cmd,
            "kubectl.taint",
            "medium",
            f"kubectl taint {what}: new pods avoid the node; running ones stay (no NoExecute)",
            suggest=f"kubectl describe {what}",
        )
    if sub in ("drain", "taint", "replace") or (
        sub == "scale" and re.search(r"--replicas[= ]0\b", " ".join(cmd.argv))
    ):
        return hit(
            cmd,
            f"kubectl.{sub}",
            "high",
            f"kubectl {sub} {what}: evicts or stops the workloads it touches",
            suggest=f"kubectl get {what}".strip(),
        )
    if sub in ("apply", "create", "run") and (why := _host_access(cmd)):
        return hit(cmd, "kubectl.host_access", "high", f"kubectl {sub}: {why}")
    return hit(
        cmd,
        f"kubectl.{sub}",
        "medium",
        f"kubectl {sub}: changes the cluster",
        suggest=f"kubectl get {what}".strip() if what else "",
    )


# A manifest (or `kubectl run --overrides`) that gives a pod the node: its filesystem, its
# process or network namespace, a privileged container, or the cluster's admin role.
_HOST_ACCESS = lazy(
    r"[\"']?\bhostPath[\"']?\s*:|[\"']?\bprivileged[\"']?\s*:\s*true\b|"
    r"[\"']?\bhost(PID|IPC|Network)[\"']?\s*:\s*true\b|\bSYS_ADMIN\b|\bcluster-admin\b"
)


def _host_access(cmd: Cmd) -> str:
    """Why a manifest given on the line reaches the node ('' when it does not)."""
    text = " ".join(t for t in (_piped_text(cmd), cmd.option_value("overrides")) if t)
    if cmd.has("privileged") or (text and _HOST_ACCESS.search(text)):
        return (
            "the manifest gives a pod the node (a host path, host namespaces, a privileged "
            "container) or cluster-admin: root on the node or the cluster"
        )
    return ""


# What `kubectl delete KIND` costs: controllers recreate pods and jobs' pods (a restart);
# a claim or volume takes its data; a namespace, node or CRD takes everything in it.
_KUBE_RECREATED = lazy(r"^(po|pods?|pod/.*|pods/.*|events?|ev|jobs?(\.batch)?|job/.*)$")
_KUBE_DATA = lazy(
    r"^(pvc|persistentvolumeclaims?|pvc/.*|persistentvolumeclaims?/.*|"
    r"secrets?|secret/.*)$"
)
_KUBE_BROAD = lazy(
    r"^(ns|namespaces?|ns/.*|namespaces?/.*|nodes?|no|node/.*|pv|"
    r"persistentvolumes?|pv/.*|crds?|customresourcedefinitions?(/.*)?|"
    r"all)$"
)


def _kubectl_delete(cmd: Cmd, pos: list[str]) -> list[Hit]:
    kinds = pos[1].split(",") if len(pos) > 1 else []
    what = " ".join(pos[1:3])
    suggest = f"kubectl get {what}".strip()
    broad = next((k for k in kinds if _KUBE_BROAD.match(k)), None)
    if cmd.has("all", "A", "all-namespaces") or broad:
        effect = _kube_broad_effect(broad)
        return hit(
            cmd, "kubectl.delete", "critical", f"kubectl delete {what}: {effect}", suggest=suggest
        )
    if any(_KUBE_DATA.match(k) for k in kinds):
        return hit(
            cmd,
            "kubectl.delete_data",
            "high",
            f"kubectl delete {what}: the data or "
            "credentials it holds are lost (a claim's volume is usually deleted too)",
            suggest=suggest,
        )
    if (
        kinds
        and all(_KUBE_RECREATED.match(k) for k in kinds)
        and not cmd.has("l", "selector", "field-selector")
    ):
        effect = (
            "its controller starts a replacement (a bare pod is gone)"
            if kinds[0].startswith("po")
            else "removes it and its pods (a CronJob starts the next run on schedule)"
        )
        return hit(
            cmd, "kubectl.delete_pod", "medium", f"kubectl delete {what}: {effect}", suggest=suggest
        )
    where = what or "the objects in " + (cmd.option_value("f", "filename") or "the given files")
    return hit(
        cmd,
        "kubectl.delete",
        "high",
        f"kubectl delete {where}: the service or "
        "configuration it provides is gone until re-created",
        suggest=suggest,
    )


_KUBE_BROAD_EFFECT = (
    (("ns", "namespace"), "removes the namespace and everything in it"),
    (("no", "node"), "removes the node from the cluster"),
    (("pv", "persistentvolume"), "deletes the persistent volume (its data)"),
    (("crd", "customresourcedefinition"), "removes the resource type and every object of it"),
)


def _kube_broad_effect(kind: str | None) -> str:
    name = (kind or "").split("/")[0]
    return next(
        (text for names, text in _KUBE_BROAD_EFFECT if name in names or name.rstrip("s") in names),
        "deletes every object of the kind",
    )


@handles("terraform", "tofu", "terragrunt", "pulumi")
def _terraform(cmd: Cmd, an: Analysis) -> list[Hit]:
    sub = cmd.sub()
    pos = [a.text for a in cmd.positional()]
    level = level_of("terraform", [sub, *pos[1:2]])
    checking = any(a.text.lstrip("-") in ("check", "diff") for a in cmd.args)
    if not sub or (level == "read" and not (sub == "fmt" and not checking)):
        return []
    if sub == "fmt":
        return hit(cmd, "terraform.fmt", "medium", "terraform fmt rewrites .tf files", "single")
    if level == "high" or (sub == "apply" and cmd.has("destroy")):
        return hit(
            cmd,
            f"terraform.{sub}",
            "high",
            f"{cmd.name} {' '.join(pos[:2])}: destroys or rewrites infrastructure state",
            suggest=f"{cmd.name} plan -destroy" if sub == "destroy" else f"{cmd.name} state list",
        )
    if sub in ("apply", "up", "import", "taint", "untaint", "refresh", "init"):
        auto = any(a.text.lstrip("-") in ("auto-approve", "yes", "y") for a in cmd.args)
        severity: Severity = "high" if auto else "medium"
        return hit(
            cmd,
            f"terraform.{sub}",
            severity,
            f"{cmd.name} {sub}: changes infrastructure"
            if sub != "init"
            else f"{cmd.name} init: downloads providers and modules",
            suggest=f"{cmd.name} plan",
        )
    return hit(cmd, f"terraform.{sub}", "medium")


# Ad-hoc runs whose payload a pack rule judges as a command: `ansible -m shell -a CMD`,
# `salt TARGET cmd.run CMD`.
_FLEET_PAYLOAD = lazy(
    r"(^|\s)(-m|--module-name)[= ]?(ansible\.builtin\.|ansible\."
    r"legacy\.)?(shell|command|raw)\s.*(-a|--args)[= ]?\S|"
    r"(^|\s)cmd\.(run|shell|run_all|run_stdout)\s+\S"
)


_YES = ("yes", "true", "True", "1")
# Fleet modules whose effect is a shell command's: the module's arguments, as key=value
# (ansible -a) or positional (salt), become that command, judged like one typed on each
# host (`file state=absent` deletes like `rm -rf`, `authorized_key` grants a login).
_ANSIBLE_MODULES: dict[str, Callable[[dict[str, str]], str | None]] = {
    "file": lambda a: (
        f"rm -rf {_q(a.get('path') or a.get('dest') or a.get('name'))}"
        if a.get("state") == "absent"
        else None
    ),
    "user": lambda a: (
        f"userdel {'-r ' if a.get('remove') in _YES else ''}{_q(a.get('name'))}"
        if a.get("state") == "absent"
        else None
    ),
    "authorized_key": lambda a: (
        f"tee -a ~{a.get('user', 'root')}/.ssh/authorized_keys"
        if a.get("state", "present") == "present"
        else None
    ),
    # the remote file's content comes back to the controller (slurp prints it)
    "fetch": lambda a: f"cat {_q(a.get('src'))}",
    "slurp": lambda a: f"cat {_q(a.get('src') or a.get('path'))}",
    "copy": lambda a: f"tee {_q(a.get('dest'))}" if a.get("dest") else None,
    "lineinfile": lambda a: f"tee -a {_q(a.get('path') or a.get('dest'))}",
    "blockinfile": lambda a: f"tee -a {_q(a.get('path') or a.get('dest'))}",
    "template": lambda a: f"tee {_q(a.get('dest'))}" if a.get("dest") else None,
    "apt": lambda a: _ansible_package(a),
    "yum": lambda a: _ansible_package(a),
    "dnf": lambda a: _ansible_package(a),
    "package": lambda a: _ansible_package(a),
    "service": lambda a: _ansible_service(a),
    "systemd": lambda a: _ansible_service(a),
}
_SALT_FUNCTIONS: dict[str, Callable[[list[str]], str | None]] = {
    "cp.push": lambda a: f"cat {_q(a[0])}" if a else None,
    "file.read": lambda a: f"cat {_q(a[0])}" if a else None,
    "file.grep": lambda a: f"grep {_q(a[1] if len(a) > 1 else '')} {_q(a[0])}" if a else None,
    "file.remove": lambda a: f"rm -rf {_q(a[0])}" if a else None,
    "file.rmdir": lambda a: f"rm -rf {_q(a[0])}" if a else None,
    "file.truncate": lambda a: f"truncate -s 0 {_q(a[0])}" if a else None,
    "file.write": lambda a: f"tee {_q(a[0])}" if a else None,
    "file.append": lambda a: f"tee -a {_q(a[0])}" if a else None,
    "file.copy": lambda a: f"cp {_q(a[0])} {_q(a[1])}" if len(a) > 1 else None,
    "user.delete": lambda a: f"userdel {_q(a[0])}" if a else None,
    "ssh.set_auth_key": lambda a: f"tee -a ~{a[0]}/.ssh/authorized_keys" if a else None,
    "service.stop": lambda a: f"systemctl stop {_q(a[0])}" if a else None,
    "service.disable": lambda a: f"systemctl disable {_q(a[0])}" if a else None,
}


def _q(value: str | None) -> str:
    import shlex  # here, not at the top: most checks never need it

    return shlex.quote(value) if value else "$UNKNOWN"


def _ansible_package(args: dict[str, str]) -> str | None:
    if args.get("state") not in ("absent", "removed"):
        return None
    names = (args.get("name") or args.get("pkg") or "").replace(",", " ").split()
    return f"apt-get remove -y {' '.join(_q(n) for n in names) or '$UNKNOWN'}"


def _ansible_service(args: dict[str, str]) -> str | None:
    verb = {"stopped": "stop", "restarted": "restart", "reloaded": "reload"}.get(
        args.get("state", "")
    )
    if args.get("enabled") in ("no", "false", "False"):
        verb = verb or "disable"
    return f"systemctl {verb} {_q(args.get('name'))}" if verb else None


def _fleet_module(cmd: Cmd) -> str | None:
    """The shell command a fleet module run amounts to (None when it is not one we know)."""
    argv = cmd.argv
    if cmd.name == "ansible":
        module = cmd.option_value("m") or cmd.option_value("module-name") or ""
        raw = cmd.option_value("a") or cmd.option_value("args") or ""
        import shlex

        try:
            pairs = dict(w.split("=", 1) for w in shlex.split(raw) if "=" in w)
        except ValueError:
            return None
        known = _ANSIBLE_MODULES.get(module.rsplit(".", 1)[-1])
        return known(pairs) if known else None
    if cmd.name in ("salt", "salt-ssh", "salt-call"):
        for i, word in enumerate(argv):
            if word in _SALT_FUNCTIONS:
                args = [w for w in argv[i + 1 :] if not w.startswith("-") and "=" not in w]
                return _SALT_FUNCTIONS[word](args)
    return None


# ansible's built-in modules that only report (`ansible all -m ping`), as salt's
# `test.ping` and `pkg.list_pkgs` do; not `setup` (it returns the remote environment,
# tokens included) nor `debug` (its templates may read the controller's files).
_ANSIBLE_READ_MODULES = frozenset(
    f"{prefix}{name}"
    for prefix in ("", "ansible.builtin.", "ansible.legacy.")
    for name in ("ping", "service_facts", "package_facts", "stat")
)


def _ansible_reads(cmd: Cmd) -> bool:
    """`ansible PATTERN -m ping`: a built-in module that only reports, from the modules
    shipped with ansible (no `-M` folder that could hold another `ping`), with no extra
    variables or ssh arguments (`-e ansible_python_interpreter=PROG`, a ProxyCommand in
    `--ssh-common-args`: each runs a program of the line's choosing)."""
    module = cmd.option_value("m") or cmd.option_value("module-name") or ""
    return module in _ANSIBLE_READ_MODULES and not cmd.has(*_ANSIBLE_RUNS_PROGRAMS)


_ANSIBLE_RUNS_PROGRAMS = (
    "M",
    "module-path",
    "e",
    "extra-vars",
    "ssh-common-args",
    "ssh-extra-args",
    "scp-extra-args",
    "sftp-extra-args",
)


_RECIPE = lazy(r"\.(?:ya?ml|pp|rb|sls|json)$")


def _planted_recipe(cmd: Cmd, an: Analysis) -> str | None:
    """The playbook or manifest (`ansible-playbook /tmp/p.yml`, `puppet apply x.pp`) the
    line wrote, or one from a temp folder: its tasks run on every host it targets, and
    nobody reviewed them. None for one kept in the repository or /etc."""
    for word in cmd.positional():
        path = _where(word.text, an)
        if _RECIPE.search(word.text) and (
            classify(path) == "temp" or any(same_file(word.text, w) for w in an.written)
        ):
            return word.text
    return None


# A Jinja lookup in ansible's arguments runs on this host (the controller) before any
# task, check mode or not: `pipe` and `lines` run a command, `file` and its kin read one.
_LOOKUP = lazy(
    r"""\b(?:lookup|query|q)\(\s*['"](pipe|lines|file|unvault|template|first_found)['"]"""
    r"""\s*,\s*['"]([^'"]+)['"]"""
)


def _controller_lookups(cmd: Cmd, an: Analysis) -> None:
    """`ansible localhost -m debug -a 'msg={{ lookup("file", "/etc/shadow") }}'` reads the
    shadow file as `cat` would; `lookup("pipe", CMD)` runs CMD: each is judged so."""
    for m in _LOOKUP.finditer(cmd.text()):
        kind, arg = m.groups()
        text = arg if kind in ("pipe", "lines") else f"cat {_q(arg)}"
        an.payload(text, cmd.args, "exec.fleet_lookup", f"{cmd.name} (a lookup on this host)")


@handles("ansible", "ansible-playbook", "salt", "salt-call", "salt-ssh", "puppet", "chef-client")
def _config_mgmt(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name.startswith("ansible"):
        _controller_lookups(cmd, an)
    if cmd.has("check", "C", "syntax-check", "list-hosts", "list-tasks", "list-tags", "noop"):
        return []
    if cmd.name == "chef-client" and cmd.has("why-run", "W"):
        return []  # chef's dry run: reports what each resource would do, as --noop does
    if cmd.name == "ansible" and _ansible_reads(cmd):
        return []
    if cmd.argv in (["-v"], ["--version"], ["-V"]):
        return []  # `chef-client -v`, `puppet -V`: the version, alone
    if (planted := _planted_recipe(cmd, an)) is not None:
        return hit(
            cmd,
            "exec.temp_script",
            "high",
            f"{cmd.name} runs {planted}, a playbook or manifest written on this line or kept "
            "in a temp folder (any account may have written it): code nobody has reviewed",
            "unknown",
            suggest=f"cat {planted}",
        )
    text = " ".join(cmd.argv)
    if _FLEET_PAYLOAD.search(text):
        return []  # the command it runs on every host is judged as a command (packs)
    if (same := _fleet_module(cmd)) is not None:
        an.payload(same, cmd.args, "exec.fleet_module", f"{cmd.name} (on every host it targets)")
    if cmd.name == "ansible" and (
        not re.search(
            r"-m\s+(shell|command|raw|script|file|copy|"
            r"apt|yum|service|systemd|user)",
            text,
        )
    ):
        return hit(cmd, "config.ansible", "low", "ansible ad-hoc module run", "system")
    return hit(
        cmd,
        f"config.{cmd.name}",
        "medium",
        f"{cmd.name}: applies configuration",
        suggest=f"{cmd.name} --check ..." if "ansible" in cmd.name else "",
    )


# --- databases ----------------------------------------------------------------------------

_SQL_READ = lazy(
    r"^\s*(select|show|explain|describe|desc|\\[a-z+]+|with\s+\w+\s+as|"
    r"values|table\s|pragma|help|status|use\s|"
    # sqlite3's dot-commands that print (not .output/.once/.save/.load/.read/.import/.shell)
    r"\.(tables|schema|fullschema|indexes|indices|databases|dump|headers|mode|width|show|"
    r"stats|dbinfo|help|lint|timer|print|echo|nullvalue|separator|changes|eqp|bail)\b)",
    re.I,
)
_SQL_PLAN_ONLY = lazy(r"^\s*explain\b(?!.*\banaly[sz]e\b)", re.I | re.S)
# Functions a SELECT may call that act on the server rather than read it.
_SQL_SERVER_CALL = lazy(
    r"\b(pg_(cancel|terminate)_backend|pg_reload_conf|pg_rotate_logfile|pg_switch_(wal|xlog)|"
    r"pg_wal_replay_(pause|resume)|pg_create_restore_point|pg_drop_replication_slot|"
    r"pg_create_\w+_replication_slot|pg_replication_origin_\w+|set_config|setval|lo_unlink|"
    r"lo_import|lo_export|dblink_exec|pg_file_write|pg_file_unlink|pg_log_backend_memory_contexts)"
    r"\s*\(",
    re.I,
)
# mongosh methods that only read; a line calling nothing else (and no $out/$merge
# stage) is a read.
_MONGO_READ = frozenset(
    {
        "find",
        "findOne",
        "count",
        "countDocuments",
        "estimatedDocumentCount",
        "distinct",
        "aggregate",
        "explain",
        "stats",
        "dataSize",
        "storageSize",
        "totalIndexSize",
        "getIndexes",
        "getCollectionNames",
        "getCollectionInfos",
        "getCollection",
        "getSiblingDB",
        "getName",
        "getUsers",
        "getRoles",
        "serverStatus",
        "hostInfo",
        "version",
        "currentOp",
        "isMaster",
        "hello",
        "status",
        "conf",
        "printReplicationInfo",
        "printSecondaryReplicationInfo",
        "printjson",
        "print",
        "toArray",
        "limit",
        "sort",
        "skip",
        "pretty",
        "forEach",
        "map",
        "itcount",
        "getMongo",
        "getDBNames",
        "listDatabases",
        "log",
        "stringify",
        # JavaScript's own array and string methods: they compute on what was read
        "filter",
        "startsWith",
        "endsWith",
        "includes",
        "indexOf",
        "join",
        "slice",
        "some",
        "every",
        "reduce",
        "keys",
        "toUpperCase",
        "toLowerCase",
    }
)


_MONGO_GRANT = lazy(
    r"\b(createUser|updateUser|grantRolesToUser|grantPrivilegesToRole|createRole|updateRole|"
    r"changeUserPassword)\s*\(|\b(createUser|updateUser|grantRolesToUser)\s*:"
)
# Server commands run through `adminCommand`/`runCommand` that only report.
_MONGO_READ_COMMAND = lazy(
    r"\b(adminCommand|runCommand)\s*\(\s*(\{\s*['\"]?(listDatabases|serverStatus|"
    r"replSetGetStatus|getLog|hostInfo|buildInfo|ping|hello|isMaster|currentOp|"
    r"getCmdLineOpts|listCommands|connectionStatus|dbStats|collStats|top|getParameter|"
    r"replSetGetConfig|connPoolStats|serverInfo)['\"]?\s*:|['\"](ping|serverStatus|buildInfo|"
    r"listDatabases|hostInfo|dbStats)['\"]\s*\))"
)


def _mongo_reads(js: str) -> bool:
    """Every function the script calls only reads; a call not made by name (`c["drop"]()`,
    a tagged template `` c.drop`` ``) is not known to read."""
    js = _MONGO_READ_COMMAND.sub("print(", js)
    calls = re.findall(r"([A-Za-z_$][\w$]*)\s*\(", js)
    unnamed = re.search(r"[\])'\"`]\s*\(|[\w$\])]\s*`", js)
    return (
        bool(calls)
        and set(calls) <= _MONGO_READ
        and not unnamed
        and not re.search(r"\$(out|merge)\b", js)
    )


_SQL_CRITICAL = lazy(r"\bdrop\s+(database|schema|keyspace|cluster|tablespace)\b", re.I)
_SQL_HIGH = lazy(
    r"\b(drop\s+(table|index|view|user|role|owned|extension|function|"
    r"trigger|column|materialized|sequence)|truncate|alter\s+\w+\s+.*\bdrop\b|"
    r"delete\s+from\s+\w+(\s*;|\s*$)|revoke|grant\s+all|"
    # a stop that skips the clean shutdown (a plain SHUTDOWN, `db.shutdownServer()`, is a
    # service stop: a change)
    r"shutdown\s+with\s+nowait|shutdownServer\s*\(\s*\{[^}]*\bforce\s*:\s*true)",
    re.I,
)
# A standby made the primary whether or not the old primary still runs (split brain), as
# `pg_ctl promote` and `repmgr standby promote` are.
_SQL_PROMOTE = lazy(r"\bpg_promote\s*\(", re.I)
# Statements that grant power: a role made superuser, a server-file or program role
# granted, or an account row's admin/role column set (an application's own admins).
_SQL_GRANT = lazy(
    r"\b(alter|create)\s+(role|user)\b[^;]*\b(superuser|createrole|bypassrls|replication)\b|"
    r"\bgrant\b[^;]*\b(superuser|super|pg_\w*server\w*|pg_execute_\w+|sysadmin|db_owner|"
    r"rds_superuser|cluster_admin|dba|file|process)\b|"
    r"\balter\s+(server\s+)?role\s+\[?(sysadmin|db_owner|securityadmin|serveradmin|"
    r"db_securityadmin)\]?\s+add\s+member\b|\bsp_add(srv)?rolemember\b|"
    r"\bupdate\s+\S+\s+set\b(?:(?!\bwhere\b)[^;])*\b(is_?)?(admin|superuser|staff|root|role|roles|"
    r"privileges?|permissions?|group_id|is_?superuser)\s*=",
    re.I,
)
_SQL_DELETE = lazy(
    r"\b(delete\s+from|update)\b(?![^;]*\bwhere\b)|"
    # a WHERE that holds for every row: a constant truth, a column equal to itself, or
    # when a row was written before now (`... WHERE created_at < now()`; an expiry before
    # now, `expires_at < now()`, is the routine purge of expired rows)
    r"\b(delete\s+from|update)\b[^;]*\bwhere\s+\(?\s*(?:1\s*=\s*1|true|1|''\s*=\s*''|"
    r"([\w.]+)\s*=\s*\3|[\w.]+\s+is\s+not\s+null|(?:\w+\.)?(?:\w*(?:created|inserted|updated|modified|logged|recorded)\w*|"
    r"ts|timestamp|event_time)\s*<=?\s*(?:now\s*\(\s*\)|"
    r"current_timestamp|current_date|localtimestamp|sysdate\s*\(\s*\)|getdate\s*\(\s*\)|"
    r"datetime\s*\(\s*''\s*\)))\s*\)?\s*(?:;|$|returning\b)|"
    r"\b(delete\s+from|update)\b[^;]*\bwhere\b[^;]*\bor\s+(?:1\s*=\s*1|true|''\s*=\s*'')",
    re.I,
)
# Replication's own history thrown away: the binary logs deleted (replicas not yet past
# them and point-in-time recovery lose their source) or a replica's position forgotten.
_SQL_BINLOG_RESET = lazy(
    r"\breset\s+(?:master|slave|replica|binary\s+logs\s+and\s+gtids)\b|"
    r"\bpurge\s+(?:binary|master)\s+logs\b",
    re.I,
)
# Every session of the server ended at once (only the caller's own spared): every client
# loses its connection and its transaction.
_SQL_TERMINATE_ALL = lazy(
    r"\bpg_terminate_backend\s*\(\s*pid\s*\)\s*from\s+(?:pg_catalog\.)?pg_stat_activity\s*"
    r"(?:;|$|where\s+(?:pid\s*(?:<>|!=)\s*pg_backend_pid\s*\(\s*\)|"
    r"pg_backend_pid\s*\(\s*\)\s*(?:<>|!=)\s*pid)\s*(?:;|$))",
    re.I,
)
# An account's password set (whoever knows it logs in as that account, superusers
# included), and the password, hash or token columns of a table printed.
_SQL_PASSWORD_SET = lazy(
    r"\b(alter\s+(user|role|login)\b[^;]*\b(password|identified)\b|set\s+password\b|"
    r"update\s+\S*\buser\b[^;]*\bset\b[^;]*\b(authentication_string|password)\s*=)",
    re.I,
)
_SQL_SECRET_COLUMNS = lazy(
    r"\bselect\b(?:(?!\bfrom\b)[^;])*\b(\w*password\w*|passwd|pwd|pass_?hash|\w*_secret|secret(_key)?|"
    r"api_?key|\w*_token|token|private_key|salt|rolpassword|authentication_string)\b"
    r"(?:(?!\bfrom\b)[^;])*\bfrom\b",
    re.I,
)


def judge_sql(cmd: Cmd, sql: str) -> list[Hit]:
    """SQL text given to a client: reads pass, writes confirm, drops are typed."""
    sql = re.sub(r"'(?:[^']|'')*'", "''", sql)  # string literals are data
    # EXPLAIN without ANALYZE plans a statement and runs nothing of it
    statements = [s for s in re.split(r";", sql) if s.strip() and not _SQL_PLAN_ONLY.match(s)]
    if not statements:
        return []
    sql = ";".join(statements)
    if _SQL_CRITICAL.search(sql):
        dump = "pg_dump" if cmd.name == "psql" else "mysqldump"
        return hit(
            cmd,
            "db.drop_database",
            "high",
            f"{cmd.name}: DROP DATABASE/SCHEMA deletes all its data",
            suggest=f"{dump} first",
        )
    if _SQL_PASSWORD_SET.search(sql):
        return hit(
            cmd,
            "db.password_set",
            "high",
            f"{cmd.name}: sets an account's password (whoever knows it logs in as that account)",
        )
    if _SQL_SECRET_COLUMNS.search(sql):
        return hit(
            cmd,
            "db.secret_columns",
            "high",
            f"{cmd.name}: prints password, hash or token columns (what the agent reads "
            "goes to its model provider)",
            "single",
        )
    if _SQL_GRANT.search(sql):
        return hit(
            cmd,
            "db.grant",
            "high",
            f"{cmd.name}: gives an account superuser or admin power",
            suggest="select the account's current roles first",
        )
    if _SQL_BINLOG_RESET.search(sql):
        return hit(
            cmd,
            "db.binlog_reset",
            "high",
            f"{cmd.name}: deletes the binary logs or forgets the replica's position (replicas "
            "and point-in-time recovery lose their source)",
            suggest="SHOW BINARY LOGS; SHOW REPLICA STATUS",
        )
    if _SQL_TERMINATE_ALL.search(sql):
        return hit(
            cmd,
            "db.terminate_all",
            "high",
            f"{cmd.name}: ends every session on the server (every client loses its "
            "connection and its transaction)",
            suggest="select the sessions from pg_stat_activity first",
        )
    if _SQL_PROMOTE.search(sql):
        return hit(
            cmd,
            "db.promote",
            "high",
            f"{cmd.name}: makes this standby the primary (the old primary, if still running, "
            "is split from it)",
        )
    if _SQL_HIGH.search(sql) or _SQL_DELETE.search(sql):
        return hit(
            cmd,
            "db.destructive",
            "high",
            f"{cmd.name}: drops, truncates or changes every row",
            suggest="run the same WHERE as a SELECT first",
        )
    if _SQL_SERVER_CALL.search(sql):
        return hit(
            cmd,
            "db.server_call",
            "medium",
            f"{cmd.name}: calls a function that acts on the server (ends or cancels "
            "sessions, reloads its configuration, switches or replays its log)",
        )
    if all(_SQL_READ.match(s) for s in statements):
        return []
    if cmd.name in _TRANSACTIONAL and _rolled_back(statements, sql):
        return hit(
            cmd,
            "db.rolled_back",
            "info",
            f"{cmd.name}: the transaction is rolled back at its end: nothing it changed stays",
            "single",
        )
    return hit(cmd, "db.write", "medium", f"{cmd.name}: changes the database", "single")


# Clients whose every table is transactional: a rolled-back DELETE comes back (MySQL's
# MyISAM tables, for one, keep it).
_TRANSACTIONAL = frozenset({"psql", "sqlite3", "duckdb", "cockroach"})
_SQL_BEGIN = lazy(r"^\s*(?:begin|start\s+transaction)(?:\s+(?:work|transaction))?\s*$", re.I)
_SQL_ROLLBACK = lazy(r"^\s*(?:rollback|abort)(?:\s+(?:work|transaction))?\s*$", re.I)
_SQL_DML = lazy(r"^\s*(?:select|insert|update|delete|with|values|explain|show|table)\b", re.I)
# What a rollback does not undo: sequences, calls out of the database (dblink, large
# objects, files, programs), server functions, notifications, psql's meta-commands.
# (Any other statement, COMMIT, SAVEPOINT or SET included, is no DML: not rolled back.)
_SQL_OUTSIDE = lazy(
    r"\b(?:nextval|setval|dblink\w*|lo_\w+|pg_\w+\s*\(|copy|program|notify|listen)\b|\\",
    re.I,
)


def _rolled_back(statements: list[str], sql: str) -> bool:
    """`BEGIN; DELETE ... WHERE ...; ROLLBACK;`: DML only, between a BEGIN and the
    ROLLBACK that ends the text, and nothing a rollback does not undo."""
    return (
        len(statements) >= 3
        and bool(_SQL_BEGIN.match(statements[0]))
        and bool(_SQL_ROLLBACK.match(statements[-1]))
        and all(_SQL_DML.match(s) for s in statements[1:-1])
        and not _SQL_OUTSIDE.search(" ".join(statements[1:-1]))
    )


# The data platform's SQL shells (Hive, Beeline, Trino, Presto, Impala, Spark SQL,
# Snowflake): their statement is `-e`, `--execute`, `-q` or `--query`, judged as any
# client's SQL. Not `-c`: snowsql's names a connection, impala-shell's goes on after errors.
_SQL_ENGINES = ("hive", "beeline", "trino", "presto", "impala-shell", "spark-sql", "snowsql")


@handles(
    "psql",
    "gitlab-psql",  # psql with GitLab's database and credentials (daemons.toml)
    "mysql",
    "sqlite3",
    "sqlcmd",
    "clickhouse-client",
    "clickhouse-local",
    "cqlsh",
    "mongosh",
    "duckdb",
    "cockroach",
    "mycli",
    "litecli",
    "usql",
    "cbq",
    "mysqlsh",
    *_SQL_ENGINES,
)
def _sql(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name == "cockroach" and cmd.sub() != "sql":
        return hit(cmd, "db.cockroach", "medium", "cockroach: changes the cluster or its nodes")
    if cmd.name == "sqlite3":
        sql = _sqlite_sql(cmd)
    elif cmd.name == "cbq":
        sql = cmd.option_value("s", "script")  # cbq's -e is the engine's URL
    elif cmd.name in _SQL_ENGINES:
        sql = cmd.option_value("e", "execute", "q", "query")
    elif cmd.name in ("psql", "gitlab-psql"):
        sql = cmd.option_value("c", "command")  # psql's -q is --quiet: `-Atq -c SQL`
    else:
        sql = cmd.option_value("c", "command", "e", "execute", "eval", "query", "q", "Q")
    if sql is None and cmd.name == "duckdb":
        pos = cmd.positional()
        sql = pos[1].text if len(pos) > 1 else None
    if sql is None:
        for r in cmd.simple.redirects:
            if r.op == "<<<" and r.target is not None:
                sql = r.target.text
            elif r.op in ("<<", "<<-") and cmd.simple.heredoc:
                sql = cmd.simple.heredoc[0]
    up = cmd.simple.upstream
    if sql is None and (fed := an.literal_input(cmd)) is not None:
        # printf's escapes turned into characters: `printf 'select 1;\nDROP ...'` is two
        # statements, the second starting a line (not a word glued to `n`)
        sql = fed[0]
    feeder = make_cmd(up, up.words) if up is not None and up.words else None
    if sql is None and feeder is not None and feeder.name in ("mysqlbinlog", "mariadb-binlog"):
        return hit(
            cmd,
            "db.binlog_replay",
            "high",
            f"{cmd.name} replays the binary log's statements: every write, delete and drop "
            "in it runs again on this server",
            suggest="mysqlbinlog ... | less (read the events first)",
        )
    if sql is None:
        if cmd.has("l", "list", "V", "version"):
            return []
        return hit(
            cmd,
            "db.session",
            "medium",
            f"{cmd.name}: runs SQL the engine cannot see (interactive session or a file)",
            "unknown",
        )
    if cmd.name == "mongosh" and re.search(
        # users and roles dropped as SQL's DROP USER|ROLE and redis's ACL DELUSER are
        r"drop(Database|User|AllUsers|Role|AllRoles)?\(|(deleteMany|updateMany)\(\s*\{\s*\}|"
        r"remove\(|"
        # a method called through brackets is the same call: `db.c["drop"]()`
        r"\[\s*['\"](drop\w*|deleteMany|remove|renameCollection)['\"]\s*\]\s*\(",
        sql,
    ):
        return hit(cmd, "db.destructive", "high", "mongosh drops or deletes data, users or roles")
    if cmd.name == "mongosh" and _MONGO_GRANT.search(sql):
        return hit(cmd, "db.grant", "high", "mongosh creates or changes a user, or its roles")
    if cmd.name == "mongosh" and _mongo_reads(sql):
        return []
    return judge_sql(cmd, sql)


@handles("clickhouse")
def _clickhouse(cmd: Cmd, an: Analysis) -> list[Hit]:
    """ClickHouse's single binary: `clickhouse client|local` are clickhouse-client and
    clickhouse-local, their query judged as SQL the same way; `format` only prints the
    query reformatted; any other subcommand (server, install, start, stop, keeper)
    starts, stops or installs the server."""
    sub = cmd.sub()
    if sub in ("client", "local"):
        return _sql(cmd, an)
    if sub == "format":
        return []
    return hit(
        cmd, "service.clickhouse", "medium", "clickhouse: starts, stops or installs the server"
    )


@handles("wrangler")
def _wrangler(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`wrangler d1 execute DB --command SQL` runs SQL on a D1 database: judged as SQL
    given to a client (`DROP TABLE` is typed); the rest of wrangler by its table."""
    if [p.text for p in cmd.positional()[:2]] == ["d1", "execute"]:
        sql = cmd.option_value("command")
        if sql is not None:
            return judge_sql(cmd, sql)
    return table_hits(cmd, an)


@handles("bq")
def _bq(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`bq query SQL` runs the SQL on BigQuery: judged as SQL given to a client (a
    `DELETE ... WHERE true` is typed, a SELECT reads), unless `--dry_run` only prices it;
    a result saved with `--destination_table` changes a table. The rest of bq by its
    table."""
    pos = cmd.positional()
    if pos and pos[0].text == "query" and not cmd.has("dry_run"):
        sql = cmd.option_value("query") or " ".join(p.text for p in pos[1:])
        if not sql:
            return table_hits(cmd, an)  # the SQL comes on stdin: not shown, a change
        found = judge_sql(cmd, sql)
        if found or cmd.option_value("destination_table") is None:
            return found
    return table_hits(cmd, an)


@handles("heroku")
def _heroku(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`heroku pg:psql -c SQL` runs SQL on the app's database: judged as SQL given to a
    client, as `psql -c` is (`DROP TABLE` is typed); the rest of heroku by its table."""
    if cmd.sub() == "pg:psql" and (sql := cmd.option_value("c", "command")) is not None:
        return judge_sql(cmd, sql)
    return table_hits(cmd, an)


# sqlite3's options are single-dash words (`-column`, `-header`): these take a value.
_SQLITE_VALUE_OPTIONS = frozenset(
    {"separator", "newline", "nullvalue", "vfs", "nonce", "maxsize", "mmap", "lookaside"}
    | {"pagecache", "heap", "pcachetrace", "memtrace"}
)


def _sqlite_sql(cmd: Cmd) -> str | None:
    """What sqlite3 runs: each `-cmd` value, then every argument after the database
    file; None when there is none or an `-init FILE` runs SQL the engine cannot see
    (`-column` is an option word, not `-c olumn`)."""
    run: list[str] = []
    operands: list[str] = []
    words = iter(cmd.args)
    for a in words:
        name = a.text.lstrip("-").lower()
        if a.text.startswith("-") and name == "init":
            return None
        if a.text.startswith("-") and name == "cmd":
            run.append(next(words, a).text)
        elif a.text.startswith("-") and name in _SQLITE_VALUE_OPTIONS:
            next(words, None)
        elif not a.text.startswith("-") or operands:
            operands.append(a.text)
    run.extend(operands[1:])
    return "; ".join(run) if run else None


@handles(
    "pg_dump",
    "pg_dumpall",
    "mysqldump",
    "mariadb-dump",
    "pg_restore",
    "mongodump",
    "mongorestore",
    "dropdb",
    "createdb",
    "dropuser",
    "createuser",
    "mysqladmin",
    "pg_ctl",
    "pg_ctlcluster",
)
def _db_tools(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name in ("pg_dump", "pg_dumpall", "mysqldump", "mariadb-dump", "mongodump"):
        # mysqldump's -r is --result-file (pg_dumpall's -r is --roles-only)
        mysql = ("r",) if cmd.name in ("mysqldump", "mariadb-dump") else ()
        out = cmd.option_value("f", "file", "result-file", "out", "o", *mysql)
        if out and out != "-":
            return changes(cmd, [value_word(cmd, out)], an, "writes a dump to")
        return []
    if cmd.name == "mysqladmin" and cmd.sub() in (
        "status",
        "ping",
        "processlist",
        "variables",
        "version",
        "extended-status",
    ):
        return []
    if cmd.name == "mysqladmin" and cmd.sub() == "shutdown":
        return hit(cmd, "db.shutdown", "medium", "mysqladmin shutdown: stops the server cleanly")
    if (
        cmd.name in ("dropdb", "dropuser")
        or (cmd.name == "mysqladmin" and cmd.sub() == "drop")
        or (cmd.name == "pg_restore" and cmd.has("c", "clean"))
    ):
        return hit(
            cmd,
            "db.drop_database",
            "high",
            f"{cmd.name}: deletes a database",
            suggest="pg_dump first",
        )
    if cmd.name in ("pg_ctl", "pg_ctlcluster"):
        return _pg_ctl(cmd)
    if cmd.name == "pg_restore" and not cmd.has("d", "dbname"):
        # no database: the archive's contents (`-l`: its table of contents) as SQL text
        out = cmd.option_value("f", "file")
        if out and out != "-":
            return changes(cmd, [value_word(cmd, out)], an, "writes the archive's SQL to")
        return []
    return hit(cmd, f"db.{cmd.name}", "medium")


def _pg_ctl(cmd: Cmd) -> list[Hit]:
    """A clean stop (`smart`, `fast`) or restart is a service stop; `-m immediate` is an
    unclean one (the server must recover from a crash, as after SIGKILL) and `promote`
    makes a standby the primary whether or not the old one still runs (split brain):
    both are typed, as `repmgr standby promote` is."""
    pos = [a.text for a in cmd.positional()]
    if "status" in pos[:3]:
        return []
    mode = cmd.option_value("m", "mode") or ""
    if "promote" in pos[:3]:
        return hit(
            cmd,
            "db.promote",
            "high",
            f"{cmd.name} promote: makes this standby the primary (the old primary, if still"
            " running, is split from it)",
        )
    if mode and "immediate".startswith(mode.lower()):
        return hit(
            cmd,
            "db.unclean_stop",
            "high",
            f"{cmd.name}: stops the server without a clean shutdown (crash recovery at start)",
        )
    return hit(cmd, f"db.{cmd.name}", "medium", f"{cmd.name}: starts, stops or reloads the server")


@handles("redis-cli", "valkey-cli", "keydb-cli")
def _redis(cmd: Cmd, an: Analysis) -> list[Hit]:
    pos = cmd.positional("".join(sorted(_table("redis-cli").positional_value_options)))
    # a read-only mode (`--scan`, `--help`) counts among redis-cli's own options only:
    # after the command word it is an argument (`redis-cli DEL k --help` deletes two keys)
    own = cmd.args[: next((i for i, a in enumerate(cmd.args) if pos and a is pos[0]), None)]
    if any(level_of("redis-cli", [a.text]) == "read" for a in own if a.text[:2] == "--"):
        return []
    if pos:
        commands = [[*pos[0].text.lower().split(), *(p.text.lower() for p in pos[1:])]]
    elif (fed := an.literal_input(cmd)) is not None:
        # commands written on its stdin, one a line (`printf 'PING\nFLUSHDB\n' | redis-cli`)
        commands = [line.lower().split() for line in fed[0].splitlines() if line.strip()]
    else:
        commands = []
    if not commands:
        return (
            []
            if any(a.text.startswith("--") for a in cmd.args)
            else hit(cmd, "db.session", "medium", f"{cmd.name}: interactive session", "unknown")
        )
    level, verb = max(
        (_redis_level(words) for words in commands), key=lambda lv: severity_rank(LEVELS[lv[0]])
    )
    if level == "read":
        return []
    if level == "high":
        return hit(
            cmd,
            f"db.redis_{verb}",
            "high",
            f"{cmd.name} {verb.upper()}: wipes data, stops the server or changes its configuration",
            suggest=f"{cmd.name} INFO keyspace",
        )
    what = _table("redis-cli").why(verb) or "writes data"
    return hit(cmd, f"db.redis_{verb}", "medium", f"{cmd.name} {verb.upper()}: {what}", "single")


def _redis_level(words: list[str]) -> tuple[str, str]:
    """The level of one redis command (its words, lower case) and its verb."""
    verb = words[0] if words else ""
    level = level_of("redis-cli", words[:2]) or "medium"
    if words[:2] == ["config", "set"]:  # `CONFIG SET k v [k v ...]`: the worst setting
        settings = [level_of("redis-cli", [*words[:2], k]) for k in words[2::2]]
        level = "medium" if settings and all(s == "medium" for s in settings) else "high"
        return level, verb
    # a modifier anywhere after the command is the table's `COMMAND MODIFIER` entry
    # (`SHUTDOWN SAVE FORCE`, `FAILOVER TO host port FORCE`, `CLUSTER FAILOVER TAKEOVER`)
    levels = builtin_packs().levels("redis-cli")
    found = [levels.get(f"{' '.join(words[:n])} {w}") for n in (1, 2) for w in words[n:]]
    return max((level, *(f for f in found if f)), key=lambda lv: severity_rank(LEVELS[lv])), verb


# --- network, firewall, users -------------------------------------------------------------


@handles(
    "iptables",
    "nft",
    "ufw",
    "firewall-cmd",
    "iptables-restore",
    "ip6tables-restore",
    "ebtables",
    "arptables",
    "iptables-save",
    "ip6tables-save",
    "nft-list",
)
def _firewall(cmd: Cmd, an: Analysis) -> list[Hit]:
    text = " ".join(cmd.argv)
    name = cmd.name
    if name in ("iptables-save", "ip6tables-save"):
        return []
    if name == "iptables":
        if cmd.has("L", "S", "list", "list-rules", "C", "check") and not cmd.has("F", "X", "Z"):
            return []
        if cmd.has("F", "flush", "X", "delete-chain") or re.search(
            r"-P\s+\w+\s+(DROP|REJECT)", text
        ):
            return hit(
                cmd,
                "net.firewall_flush",
                "high",
                "iptables flushes rules or sets a DROP policy (may cut off access)",
                suggest="iptables -L -n -v",
            )
        broad = _broad_drop(cmd) if re.search(r"-j\s+(DROP|REJECT)", text) else ""
        if broad:
            return hit(
                cmd,
                "net.firewall_drop",
                "high",
                f"iptables adds a DROP rule: {broad} (may cut off access)",
                suggest="iptables -L -n -v",
            )
    elif name == "nft":
        if cmd.sub("fI") in ("list", "monitor", "describe") or cmd.has("c", "check"):
            return []
        # a whole rule set, table or chain emptied or removed, or a drop policy set
        if re.search(
            r"\b(flush|delete|destroy)\s+(ruleset|table|chain)\b|\bpolicy\s+(drop|reject)\b",
            text,
        ):
            return hit(
                cmd,
                "net.firewall_flush",
                "high",
                "nft flushes or deletes a table, chain or the rule set, or sets a drop "
                "policy (may cut off access)",
                suggest="nft list ruleset",
            )
    elif name == "ufw":
        sub = cmd.sub()
        if sub in ("status", "show", "app", "version", "") or cmd.has("dry-run"):
            return []
        if sub in ("disable", "reset", "enable", "default"):
            return hit(
                cmd,
                "net.firewall_flush",
                "high",
                f"ufw {sub}: replaces the whole firewall (may cut off access or expose the host)",
                suggest="ufw status verbose",
            )
    elif name == "firewall-cmd":
        if re.search(r"--(list|get|query|state|check)", text) and not re.search(
            r"--(add|remove|set|reload|complete|panic)", text
        ):
            return []
        if re.search(r"--panic-on|--complete-reload|--set-default-zone=drop", text):
            return hit(cmd, "net.firewall_flush", "high", "firewall-cmd cuts off traffic")
    elif name in ("iptables-restore", "ip6tables-restore"):
        if cmd.has("t", "test"):
            return []
        return hit(
            cmd,
            "net.firewall_restore",
            "medium",
            f"{name} replaces the whole rule set",
            suggest="iptables-save",
        )
    return hit(
        cmd,
        "net.firewall",
        "medium",
        f"{name}: changes firewall rules",
        suggest="iptables -L -n" if name == "iptables" else "",
    )


def _broad_drop(cmd: Cmd) -> str:
    """Why a DROP/REJECT rule can lock everyone out ('' when it is narrow): it hits SSH, or
    it names no address and no port. Blocking one address or one port is routine."""
    text = " ".join(cmd.argv)
    if re.search(r"--dports?[ =](\S*[,:])?(22|ssh)\b", text):
        return "it drops SSH (port 22)"
    narrowed = cmd.has(
        "s", "d", "source", "destination", "dport", "sport", "dports", "sports"
    ) or re.search(r"--(src|dst)-range|--mac-source", text)
    return "" if narrowed else "it drops all traffic of the chain"


@handles("ip")
def _ip(cmd: Cmd, an: Analysis) -> list[Hit]:
    pos = [a.text for a in cmd.args if not a.text.startswith("-")]
    if pos[:2] == ["netns", "exec"]:
        # `ip netns exec NS CMD` (`ip -all netns exec CMD`): CMD runs in the namespace
        at = next(i for i, a in enumerate(cmd.args) if a.text == "exec")
        every = any(a.text in ("-all", "--all", "-a") for a in cmd.args[:at])
        an.again(cmd, cmd.args[at + (1 if every else 2) :])
        return []
    verbs = [p for p in pos[1:3]]
    if not pos or not verbs or verbs[0] in ("show", "list", "ls", "get", "sh", "s", "lst"):
        return []
    if (
        any(v in ("flush", "del", "delete") for v in verbs)
        and pos[0] not in ("n", "neigh", "neighbour", "neighbor")
    ) or ("set" in verbs and "down" in pos):
        return hit(
            cmd,
            "net.ip_down",
            "high",
            f"ip {' '.join(pos[:3])}: removes addresses "
            "or routes, or takes a link down (may cut off access)",
            suggest=f"ip {pos[0]} show",
        )
    return hit(
        cmd,
        "net.ip",
        "medium",
        f"ip {' '.join(pos[:2])}: changes networking",
        suggest=f"ip {pos[0]} show",
    )


# nmcli's objects and their listing verbs, as nmcli reads them: any prefix of the word
# (`dev`, `con`, `c s`).
_NMCLI_OBJECTS = ("general", "device", "connection", "radio", "monitor", "networking")
_NMCLI_LISTS = ("show", "status", "list", "wifi", "permissions", "hostname", "logging")


def _nmcli_reads(cmd: Cmd, pos: list[str]) -> bool:
    """`nmcli dev status`, `nmcli c show NAME`, `nmcli radio`: listings. A value after a
    radio, hostname or logging word sets it (`nmcli radio wifi off`), and
    `--show-secrets` (`-s`) prints the connections' passwords (a credential read)."""
    if cmd.has("s", "show-secrets"):
        return False
    if not pos:
        return True
    obj = next((o for o in _NMCLI_OBJECTS if o.startswith(pos[0])), None)
    if obj is None:
        return False
    if len(pos) < 2:
        return True
    verb = next((v for v in _NMCLI_LISTS if v.startswith(pos[1])), None)
    if verb in ("wifi", "hostname", "logging", "permissions"):
        return len(pos) == 2
    return verb is not None and (obj, verb) != ("general", "list")


@handles(
    "ifconfig",
    "route",
    "ifdown",
    "ifup",
    "nmcli",
    "iwconfig",
    "ethtool",
    "tc",
    "brctl",
    "arp",
    "netplan",
    "resolvectl",
    "hostnamectl",
    "timedatectl",
    "hostname",
    "date",
    "localectl",
    "networkctl",
    "wg",
    "wg-quick",
    "vconfig",
)
def _netconf(cmd: Cmd, an: Analysis) -> list[Hit]:
    name, pos = cmd.name, [a.text for a in cmd.positional()]
    reads = {
        "ifconfig": len(pos) <= 1,
        "route": not pos or pos[0] in ("-n",),
        # nmcli's -f/-g (fields), -e, -m, -c, -w take a value before the object
        "nmcli": _nmcli_reads(cmd, [a.text for a in cmd.positional("fgemcw")]),
        "ethtool": len(cmd.args) <= 2 and not cmd.has("s", "K", "G", "A", "C", "L", "E"),
        "tc": bool(pos) and len(pos) > 1 and pos[1] in ("show", "ls", "list"),
        "arp": not cmd.has("d", "s", "f"),
        "resolvectl": not pos
        or pos[0] in ("status", "query", "statistics")
        or (pos[0] in ("dns", "domain") and len(pos) <= 2),
        "hostnamectl": not pos or pos[0] == "status",
        "timedatectl": not pos
        or pos[0] in ("status", "show", "list-timezones", "timesync-status", "show-timesync"),
        "hostname": not pos or cmd.has("f", "i", "I", "d", "s", "a", "A"),
        "date": not cmd.has("s", "set") and not any(p.isdigit() and len(p) >= 8 for p in pos),
        "localectl": not pos or pos[0] in ("status", "list-locales", "list-keymaps"),
        "networkctl": not pos or pos[0] in ("list", "status", "lldp", "label"),
        "wg": not pos or pos[0] in ("show", "showconf"),
        "netplan": bool(pos) and pos[0] in ("get", "info", "generate"),
        "iwconfig": len(pos) <= 1,
        "brctl": bool(pos) and pos[0] in ("show", "showmacs", "showstp"),
    }
    if reads.get(name, False):
        return []
    down = (
        (name == "ifconfig" and "down" in pos)
        or name == "ifdown"
        or (name == "nmcli" and ("off" in pos or "down" in pos or "delete" in pos))
        or (name == "netplan" and pos[:1] == ["apply"])
        or (name == "wg-quick" and pos[:1] == ["down"])
        or (name == "route" and pos[:1] in (["del"], ["delete"]))
    )
    if down:
        return hit(
            cmd,
            "net.down",
            "high",
            f"{name} {' '.join(pos)}: takes networking down or replaces it (may cut off access)",
            suggest=f"{name}" if name in ("ifconfig", "route") else "ip addr show",
        )
    return hit(cmd, f"net.{name}", "medium", f"{name}: changes host settings")


# A local daemon's control socket (haproxy's admin socket, a runtime API), and the
# commands sent there that only report.
_CONTROL_SOCKET = lazy(
    r"(?i)(?:^|\s|:)(?:unix(?:-connect|-client)?:)?(/\S+\.sock(?:et)?|/(?:var/)?run/[^\s,]+)(?=[\s,]|$)"
)
_SOCKET_READ = lazy(r"(?i)(show|get|help|info|stats?|list|version|ping|status|dump)\b")
# Commands there that take a whole frontend or backend away, or a server named by a
# variable (`for s in web-1 web-2 ...; do echo "disable server be/$s" | socat ...`: the
# loop may be every server the backend has), as an outage.
_SOCKET_OUTAGE = lazy(
    r"(?i)^\s*(?:(?:disable|shutdown)\s+(?:frontend|backend)\b|shutdown\s+sessions\s+backend\b"
    r"|(?:disable\s+server|shutdown\s+sessions\s+server)\s+\S*\$"
    r"|set\s+server\s+\S*\$\S*\s+(?:state\s+(?:maint|drain)|weight\s+0+%?(?:\s|$)))"
)


@handles("nc", "socat", "telnet", "ncat")
def _netcat(cmd: Cmd, an: Analysis) -> list[Hit]:
    text = " ".join(cmd.argv)
    if cmd.has("e", "c", "exec", "sh-exec", "lua-exec") or re.search(
        r"\bexec:|system:|/bin/(ba)?sh", text
    ):
        return hit(
            cmd,
            "net.remote_shell",
            "critical",
            f"{cmd.name} hands a shell to the network (reverse or bind shell)",
            "system",
            suggest="ss -tlnp",
        )
    if cmd.has("l", "listen") or re.search(r"LISTEN", text):
        return hit(cmd, "net.listen", "medium", f"{cmd.name} listens for connections", "single")
    if (sock := _CONTROL_SOCKET.search(text)) is not None:
        sent = _piped_text(cmd)
        commands = [c for c in re.split(r"[;\n]", sent or "") if c.strip()]
        if commands and all(_SOCKET_READ.match(c.strip()) for c in commands):
            return []
        if any(_SOCKET_OUTAGE.match(c.strip("'\" ")) for c in commands + _piped_raw(cmd, an.src)):
            return hit(
                cmd,
                "net.control_socket_outage",
                "high",
                f"{cmd.name} tells the daemon at {sock.group(1)} to stop serving a whole "
                "frontend or backend, or each server a loop names (the backend may be left "
                "with none)",
                "system",
            )
        return hit(
            cmd,
            "net.control_socket",
            "medium",
            f"{cmd.name} sends commands to a daemon's control socket {sock.group(1)}: "
            "they change the running daemon (servers drained, frontends disabled)",
            "single",
        )
    if cmd.has("z"):
        return []
    sent = _piped_text(cmd)
    if sent is not None and (verb := _protocol_change(sent)) is not None:
        severity: Severity = "high" if _PROTOCOL_DESTROY.match(verb) else "medium"
        return hit(
            cmd,
            "net.protocol_command",
            severity,
            f"{cmd.name} sends {verb.split()[0]!r} to a service: a command of its protocol "
            "that changes or wipes what the service holds (memcached, redis, SMTP, HTTP)",
            "system" if severity == "high" else "single",
        )
    return hit(cmd, "net.connect", "low", f"{cmd.name} opens a network connection", "single")


# Text written to a raw socket is a conversation in the service's protocol: memcached's
# and redis's inline commands, SMTP, HTTP request lines. These verbs only ask; after an
# HTTP request line or SMTP's DATA the rest is headers and body. Any other verb changes
# the service; these wipe or stop it, or run code in it.
_PROTOCOL_READ = lazy(
    r"(?i)(?:stats?|get|gets|version|quit|ping|info|dbsize|ttl|pttl|type|exists|scan|"
    r"llen|scard|hlen|zcard|strlen|echo|time|role|ehlo|helo|noop|ruok|srvr|mntr|conf|cons|"
    r"envi|wchs|isro|me|mn|head|options|lastsave|client\s+list|slowlog\s+get|memory\s+stats|"
    r"lru_crawler\s+metadump)\b"
)
_PROTOCOL_DESTROY = lazy(
    r"(?i)(?:flushall|flushdb|flush_all|shutdown|replicaof|slaveof|debug|eval|evalsha|fcall|"
    r"config\s+set|module\s+load|script\s+flush|cluster\s+reset|acl\s+(?:setuser|deluser))\b"
)
_HTTP_REQUEST = lazy(r"(?i)(GET|HEAD|OPTIONS)\s+\S+\s+HTTP/[\d.]+\s*$")
_HTTP_HEADER = lazy(r"[A-Za-z][\w-]*:\s")


def _protocol_change(sent: str) -> str | None:
    """The first line of `sent` (text piped to a raw socket client) that is not a read of
    a protocol the engine knows, or None when every line only asks. The header lines of
    an HTTP GET are data; a second request on the connection is judged again."""
    headers = False
    for line in (x.strip() for x in re.split(r"\n|\\r\\n|\\n|\\r", sent)):
        if not line or (headers and _HTTP_HEADER.match(line)):
            continue
        headers = bool(_HTTP_REQUEST.match(line))
        if not headers and not _PROTOCOL_READ.match(line):
            return line
    return None


# A file on PATH (a system bin folder): what is written there runs whenever its name is
# typed. An address that proves nothing about who answers: plain http or ftp, or a bare
# IP address.
_ON_PATH = lazy(r"^/(?:usr/(?:local/)?)?s?bin/[^/]+$|^/opt/[^/]+/bin/[^/]+$")
_UNAUTHENTICATED = lazy(
    r"(?:^|\s)['\"]?(?:(?:http|ftp)://|(?:https?://)?\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?/)"
)


def _unauthenticated_program(cmd: Cmd, out: str) -> list[Hit]:
    """`axel -o /usr/local/bin/kubectl http://203.0.113.44/kubectl`: a program put on PATH
    from an address that proves nothing about who answers; every later use of its name
    runs what they sent (a download over https from a named host stays a write)."""
    if not _ON_PATH.match(normalize_path(out)) or not _UNAUTHENTICATED.search(cmd.text()):
        return []
    return hit(
        cmd,
        "net.unauthenticated_program",
        "high",
        f"{cmd.name} puts {out} on PATH from plain http or a bare address (nothing proves "
        "who sent it): every later run of that name runs their code",
        "system",
    )


@handles("curl", "wget", "fetch", "aria2c", "http", "https", "httpie", "xh", "axel")
def _download(cmd: Cmd, an: Analysis) -> list[Hit]:
    text = " ".join(cmd.argv)
    if cmd.name == "wget":
        out = cmd.option_value("O", "output-document")
        if out in ("-", "/dev/null") or cmd.has("spider", "S"):
            return []
        if out:
            return option_write(cmd, out, "wget writes", an) + _unauthenticated_program(cmd, out)
        return hit(
            cmd,
            "net.download",
            "medium",
            "wget saves a download into the current folder",
            "single",
            scoped=True,
        )
    out = cmd.option_value("o", "output")
    hits: list[Hit] = []
    if cmd.name == "aria2c" and out and (folder := cmd.option_value("d", "dir")):
        out = f"{folder.rstrip('/')}/{out}"  # `aria2c -d DIR -o NAME`
    if out and out not in ("-", "/dev/null"):
        hits += option_write(cmd, out, f"{cmd.name} writes", an)
        hits += _unauthenticated_program(cmd, out)
    elif cmd.has("O", "remote-name", "J", "remote-name-all"):
        hits += hit(
            cmd, "net.download", "medium", f"{cmd.name} saves a download", "single", scoped=True
        )
    method = (cmd.option_value("X", "request") or "").upper() or _httpie_method(cmd)
    # `curl -G -d q=...` puts the data in a GET's query string (a file's content sent
    # that way is the pack's `curl.post_file`)
    query = cmd.name == "curl" and cmd.has("G", "get") and not cmd.has("F", "form", "T", "json")
    if _only_queries(cmd, method):
        pass  # a search engine's query endpoint: the body is the query, on the line
    elif method in ("POST", "PUT", "DELETE", "PATCH") or (
        not query
        and cmd.has(
            "d",
            "data",
            "data-raw",
            "data-binary",
            "data-urlencode",
            "F",
            "form",
            "T",
            "upload-file",
            "json",
        )
    ):
        destroys = _DESTRUCTIVE_ENDPOINT.search(text)
        severity: Severity = "high" if method == "DELETE" or destroys else "medium"
        what = (
            f" to {destroys.group(1)}, an endpoint that deletes or wipes data" if destroys else ""
        )
        hits += hit(
            cmd,
            "net.remote_change",
            severity,
            f"{cmd.name} sends a {method or 'POST'} request{what} (changes something remotely)",
            "unknown",
        )
    if re.search(r"(^|\s)-k\b|--insecure", text):
        hits += hit(cmd, "net.insecure", "low", f"{cmd.name} skips TLS verification", "single")
    return hits


# httpie's and xh's request: `http [METHOD] URL [ITEM...]`, the method a word of its
# own (any case), a data item (`a=b`, `a:=1`, `f@file`) making it a POST; `--offline`
# only prints the request.
_HTTPIE = frozenset({"http", "https", "httpie", "xh", "xhs"})
_HTTP_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})
_HTTPIE_DATA = lazy(r"^[^\s=:@/-][^\s=:@/]*(?::=|=(?!=)|@)")


def _httpie_method(cmd: Cmd) -> str:
    """The method an httpie or xh command sends ('' for curl and wget, or a GET)."""
    if cmd.name not in _HTTPIE or cmd.has("offline"):
        return ""
    pos = cmd.positional()
    if pos and pos[0].text.upper() in _HTTP_METHODS:
        return pos[0].text.upper()
    return "POST" if any(_HTTPIE_DATA.match(a.text) for a in pos[1:]) else ""


# A search engine's endpoints that answer a query sent as a POST body and change
# nothing (Elasticsearch, OpenSearch): `_search`, `_count`, `_msearch`, ...
_QUERY_ENDPOINT = lazy(
    r"^(?:https?://)?[\w.-]+(?::\d+)?(?:/[\w.,*%-]+)*/"
    r"(?:_search|_count|_msearch|_field_caps|_validate/query|_search/template)/?(?:\?[^\s#]*)?$"
)
_URL_LIKE = lazy(r"^(?:https?://)?[\w.-]+(?::\d+)?/")


def _only_queries(cmd: Cmd, method: str) -> bool:
    """`curl -d '{"query": ...}' localhost:9200/logs/_search`: every address the command
    names is a query endpoint, the method is a POST or GET, and the body is written on
    the line (no `@file`, form, upload, config file or `--next`)."""
    if cmd.name != "curl" or method not in ("", "POST", "GET"):
        return False
    if cmd.has("F", "form", "T", "upload-file", "K", "config", "next", ":"):
        return False
    if any("@" in a.text for a in cmd.args if not _URL_LIKE.match(a.text)):
        return False
    urls = [a.text for a in cmd.args if _URL_LIKE.match(a.text)]
    return bool(urls) and all(_QUERY_ENDPOINT.match(u) for u in urls)


# An HTTP API operation named for destroying data (`/orders/_delete_by_query`,
# `/api/v1/admin/purge`, `/db/drop`): a request to it is as bad as a DELETE.
_DESTRUCTIVE_ENDPOINT = lazy(
    r"(?i)(?:^|[\s'\"=])[\w.:@-]*(?::\d+)?/\S*?(_delete_by_query|(?<=/)(?:_delete|delete\w*|drop\w*|purge\w*|truncate|wipe|"
    r"destroy|flush_?all|flushdb|_shutdown|factory[-_]reset|reset[-_]all))(?=[/?#&\s'\"]|$)"
)


_USER_HIGH = {
    "groupdel": "deletes a group",
    "chpasswd": "sets passwords in bulk",
    "newusers": "creates or changes accounts in bulk",
    "vipw": "edits the account database by hand",
    "vigr": "edits the group database by hand",
    "pwconv": "rewrites the shadow password files",
    "pwunconv": "rewrites the shadow password files",
    "grpconv": "rewrites the shadow group file",
}
_ROOT_GROUPS = lazy(r"\b(sudo|wheel|root|admin|docker|lxd|disk|shadow)\b")


# The short options of each account tool that take a value (`usermod -L NAME` locks
# NAME: -L takes none, and `passwd -u root` unlocks root).
_ACCOUNT_VALUE_LETTERS = {
    "usermod": "cdefgGlpsuRPZ",
    "useradd": "bcdefgGkKpsuRPZ",
    "passwd": "nxwirR",
    "chage": "dEImMWR",
    "chsh": "sR",
    "groupadd": "gKpR",
    "groupmod": "gnpR",
    "gpasswd": "adMAR",
    "userdel": "RPZ",
}


@handles(
    "useradd",
    "userdel",
    "usermod",
    "groupadd",
    "groupdel",
    "groupmod",
    "gpasswd",
    "passwd",
    "chpasswd",
    "chage",
    "chsh",
    "chfn",
    "newusers",
    "visudo",
    "vipw",
    "vigr",
    "pwconv",
    "pwunconv",
    "grpconv",
    "newgrp",
    "pwck",
    "grpck",
    "faillock",
    "pam_tally2",
)
def _users(cmd: Cmd, an: Analysis) -> list[Hit]:
    name = cmd.name
    if (
        (name == "chage" and cmd.has("l", "list"))
        or (name == "passwd" and cmd.has("S", "status"))
        or (name == "visudo" and cmd.has("c", "check"))
        or (name in ("pwck", "grpck") and cmd.has("r"))
        or (name == "faillock" and not cmd.has("reset"))
        or (name == "useradd" and cmd.argv in (["-D"], ["--defaults"]))
    ):
        return []  # `useradd -D` alone prints the defaults (with another option, sets them)
    if name in ("visudo", "vipw", "vigr"):
        # an editor run on the sudo rules or the account database: what it writes is
        # never shown (`EDITOR=tee visudo` writes its input there)
        edited = {
            "visudo": "the sudo rules (who may become root)",
            "vipw": "the account database",
            "vigr": "the group database",
        }[name]
        return hit(cmd, f"user.{name}", "high", f"{name} edits {edited} in an editor")
    pos = [a.text for a in cmd.positional(_ACCOUNT_VALUE_LETTERS.get(name, "gGcdsuepfkK"))]
    why = _account_danger(cmd, pos)
    if why:
        return hit(
            cmd,
            f"user.{name}",
            "high",
            f"{name} {' '.join(pos)}: {why}".replace(" :", ":"),
            suggest=f"getent passwd {pos[-1] if pos else ''}".strip(),
        )
    return hit(
        cmd,
        f"user.{name}",
        "medium",
        f"{name} {' '.join(pos)}: changes accounts".replace(" :", ":"),
    )


def _account_danger(cmd: Cmd, pos: list[str]) -> str:
    """Why an account command needs a typed confirmation ('' when it is routine)."""
    name, text = cmd.name, " ".join(cmd.argv)
    if name in _USER_HIGH:
        return _USER_HIGH[name]
    if name == "userdel" and cmd.has(
        "r", "remove", "f", "force", "remove-home", "remove-all-files"
    ):
        return "deletes the account and its home folder and mail"
    if name == "passwd" and cmd.has("d", "delete"):
        return "removes the password (the account may log in without one)"
    if name == "passwd" and "root" in pos:
        return "sets root's password"
    if name == "usermod" and cmd.has("p", "password"):
        return "sets a password hash directly"
    if (
        name in ("usermod", "gpasswd", "useradd")
        and (cmd.has("G", "a", "groups", "append") or name == "gpasswd")
        and not cmd.has("d", "delete")
        and (m := _ROOT_GROUPS.search(text))
    ):
        return f"membership of {m.group(1)} is root or root-equivalent"
    if (
        name in ("useradd", "usermod")
        and cmd.has("o", "non-unique")
        and re.search(r"(-u|--uid)[= ]?0\b", text)
    ):
        return "creates a second root account (uid 0)"
    if (
        name in ("usermod", "passwd", "chage", "chsh")
        and "root" in pos
        and (
            cmd.has("L", "l", "lock", "e", "expiredate", "E")
            or re.search(r"(nologin|/bin/false)\b", text)
        )
    ):
        return "locks root out or takes its shell away (the way back in may be gone)"
    if name == "userdel" and "root" in pos:
        return "deletes the root account"
    return ""


def _piped_raw(cmd: Cmd, src: str) -> list[str]:
    """The words `echo`/`printf` feed `cmd`, as the line `src` writes them (a loop's `$s`
    unexpanded: the words themselves carry the loop's first value)."""
    up = cmd.simple.upstream
    if up is None or not up.words or command_name(up.words[0].text) not in ("echo", "printf"):
        return []
    return [src[w.start : w.end] for w in up.words[1:]]


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


def _cron_command(line: str) -> str:
    """The command part of a crontab line (after the five time fields or an @word)."""
    parts = line.split()
    if not parts or parts[0].startswith("#"):
        return ""
    skip = 1 if parts[0].startswith("@") else 5
    return " ".join(parts[skip:])


@handles("crontab", "at", "batch", "atrm", "systemd-tmpfiles")
def _schedule(cmd: Cmd, an: Analysis) -> list[Hit]:
    payload = _piped_text(cmd)
    if payload is not None and (
        cmd.name in ("at", "batch") or (cmd.name == "crontab" and "-" in cmd.argv)
    ):
        words = cmd.simple.upstream.words[1:] if cmd.simple.upstream else cmd.args
        lines = (
            payload
            if cmd.name != "crontab"
            else "\n".join(_cron_command(line) for line in payload.splitlines())
        )
        an.payload(lines, words, "cron.payload", f"{cmd.name} job")
    if cmd.name == "crontab":
        if cmd.has("l", "list") and not cmd.has("r"):
            return []
        if cmd.has("r", "remove"):
            return hit(
                cmd,
                "cron.remove",
                "high",
                "crontab -r deletes every scheduled job",
                "single",
                suggest="crontab -l",
            )
        return hit(
            cmd,
            "cron.edit",
            "medium",
            "crontab replaces or edits scheduled jobs",
            "single",
            suggest="crontab -l",
        )
    if cmd.name == "at" and cmd.has("l", "c"):
        return []
    return hit(
        cmd, f"cron.{cmd.name}", "medium", f"{cmd.name}: schedules or removes jobs", "single"
    )


@handles(
    "ssh-keygen",
    "ssh-copy-id",
    "ssh-add",
    "gpg",
    "openssl",
    "certbot",
    "update-ca-certificates",
    "keytool",
    "htpasswd",
)
def _crypto(cmd: Cmd, an: Analysis) -> list[Hit]:
    name, text = cmd.name, " ".join(cmd.argv)
    reads = {
        "ssh-keygen": cmd.has("l", "F", "y", "B", "Q") and not cmd.has("R"),
        "ssh-add": cmd.has("l", "L"),
        "gpg": cmd.has(
            "list-keys",
            "k",
            "list-secret-keys",
            "K",
            "verify",
            "fingerprint",
            "list-sigs",
            "d",
            "decrypt",
            "print-md",
            "export",
            "list-public-keys",
        ),
        "openssl": not re.search(r"\b(-out|genrsa|genpkey|req\s.*-new|ca\b|-keyout)", text),
        "certbot": cmd.sub() in ("certificates", "plugins", "show_account"),
        "keytool": cmd.has("list", "printcert"),
    }
    if reads.get(name, False):
        return []
    if name == "ssh-keygen" and cmd.has("R"):
        return hit(cmd, "ssh.known_hosts", "low", "removes a known_hosts entry", "single")
    if name == "ssh-add" and cmd.has("D", "d"):
        return hit(cmd, "ssh.agent", "low", "removes keys from the agent", "single")
    return hit(
        cmd,
        f"crypto.{name}",
        "medium",
        f"{name}: creates or changes keys or certificates",
        "single",
    )


@handles("sort")
def _sort(cmd: Cmd, an: Analysis) -> list[Hit]:
    out = cmd.option_value("o", "output")
    if out is None:
        return []
    return option_write(cmd, out, "sort -o writes", an)


@handles("split", "csplit", "uniq")
def _splitters(cmd: Cmd, an: Analysis) -> list[Hit]:
    pos = cmd.positional("abdlnC")
    if cmd.name == "uniq":
        if len(pos) < 2:
            return []
        return changes(cmd, pos[1:2], an, "writes")
    return changes(cmd, pos[1:], an, "writes pieces to")


@handles(
    "xdg-open",
    "open",
    "screen",
    "tmux",
    "nohup-shell",
    "expect",
    "script",
    "mc",
    "ranger",
    "nnn",
    "byobu",
)
def _interactive(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name in ("tmux", "byobu", "byobu-tmux") and cmd.sub() in (
        "ls",
        "list-sessions",
        "list-windows",
        "has-session",
        "capture-pane",
        "show-options",
    ):
        return []
    if cmd.name == "screen" and any(a.text in ("-ls", "-list", "--list") for a in cmd.args):
        return []
    return hit(
        cmd,
        "exec.interactive",
        "medium",
        f"{cmd.name}: runs commands the engine cannot see",
        "unknown",
    )


@handles(
    "update-alternatives",
    "alternatives",
    "ldconfig",
    "locale-gen",
    "timedatectl-set",
    "fc-cache",
    "mandb",
    "updatedb",
    "setenforce",
    "aa-complain",
    "aa-enforce",
    "aa-disable",
    "semanage",
    "setsebool",
    "restorecon",
    "systemd-sysusers",
    "usermod-x",
)
def _system_misc(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name in ("update-alternatives", "alternatives") and cmd.has(
        "display", "list", "query", "get-selections"
    ):
        return []
    if cmd.name == "ldconfig" and cmd.has("p", "print-cache"):
        return []
    if cmd.name == "restorecon" and cmd.has("n"):
        return []  # -n: reports the labels it would change, changes none
    if (
        cmd.name == "semanage"
        and cmd.has("l", "list")
        and not cmd.has("a", "add", "d", "delete", "m", "modify", "D", "deleteall", "E", "extract")
    ):
        return []  # `semanage port -l`: lists the policy's records
    severity: Severity = (
        "high"
        if cmd.name in ("setenforce", "aa-disable")
        and ({"0", "permissive"} & {a.lower() for a in cmd.argv} or cmd.name == "aa-disable")
        else "low"
        if cmd.name in ("fc-cache", "mandb", "updatedb", "ldconfig")
        else "medium"
    )
    return hit(
        cmd,
        f"sys.{cmd.name}",
        severity,
        f"{cmd.name}: {_MESSAGES[severity]}"
        + (" (turns off a security layer)" if severity == "high" else ""),
    )


@handles(
    "aws",
    "gcloud",
    "az",
    "doctl",
    "s3cmd",
    "gsutil",
    "rclone",
    "mc-cli",
    "hcloud",
    "linode-cli",
    "openstack",
    "scw",
    "oci",
    "vultr-cli",
    "ovhcloud",
    "exo",
    "aliyun",
    "upctl",
    "ionosctl",
    "tccli",
    # OpenStack's per-service clients (`cinder delete`, `glance image-list`): their words
    # follow the same conventions (infra.toml)
    "cinder",
    "glance",
    "neutron",
    "heat",
    "manila",
    "ironic",
    "swift",
    "mongocli",  # MongoDB Atlas and Ops Manager (dbops.toml)
)
def _cloud(cmd: Cmd, an: Analysis) -> list[Hit]:
    """A cloud CLI judged by its words, with the patterns of its table (cloud.toml)."""
    packs = builtin_packs()

    def found(key: str, text: str) -> bool:
        pattern = packs.table_key(cmd.name, key)
        return pattern is not None and compiled(pattern).search(text) is not None

    text = " ".join(cmd.argv)
    verbs = " ".join([a.text for a in cmd.positional("")][:4])
    if found("read_words", verbs) and not found("change_words", verbs):
        return []
    if found("delete_words", text):
        level = _table(cmd.name).delete_level
        return hit(
            cmd,
            f"cloud.{cmd.name}_delete",
            "high" if found("recursive", text) else level,  # type: ignore[arg-type]
            f"{cmd.name}: deletes cloud resources or data",
            suggest=f"{cmd.name} ... list/describe first",
        )
    return hit(cmd, f"cloud.{cmd.name}", "medium", f"{cmd.name}: changes cloud resources")


@handles(
    "gunicorn",
    "uvicorn",
    "flask",
    "node-server",
    "serve",
    "http-server",
    "php-fpm",
    "nginx",
    "openresty",
    "angie",
    "tengine",
    "h2o",
    "apachectl",
    "apache2ctl",
    "httpd",
    "caddy",
    "haproxy",
    "sshd",
    "named-checkconf",
)
def _servers(cmd: Cmd, an: Analysis) -> list[Hit]:
    # `php-fpm -t -d extension=/tmp/x.so`: the extension loads (runs) before the test
    loads_code = (cmd.name == "php-fpm" and cmd.has("d", "c", "define", "php-ini")) or (
        _foreign_config(cmd)
    )
    if cmd.name == "php-fpm" and not loads_code and cmd.has("i", "m", "info", "modules"):
        return []  # prints its configuration or modules and exits
    if not loads_code and (
        cmd.has(*_TEST_FLAGS.get(cmd.name, ("V", "v", "version")))
        or cmd.sub() in ("configtest", "-t", "validate", "fmt", "adapt", "version")
    ):
        return []
    if cmd.name in _APACHE and not cmd.has("k") and (cmd.has("M", "l", "L") or _apache_dump(cmd)):
        return []  # lists modules, directives or the parsed configuration, then exits
    text = " ".join(cmd.argv)
    if (
        cmd.name in _NGINX or cmd.name in ("apachectl", "apache2ctl", "httpd", "caddy", "haproxy")
    ) and re.search(r"\b(stop|quit)\b", text):
        # a service stop, as `systemctl stop nginx` (no data lost; vital units are
        # judged by systemctl's table)
        return hit(cmd, "service.stop", "medium", f"{cmd.name}: stops the server")
    return hit(
        cmd, f"service.{cmd.name}", "medium", f"{cmd.name}: starts, reloads or stops a server"
    )


_APACHE = frozenset({"apachectl", "apache2ctl", "httpd"})
# nginx and its forks and distributions share its options.
_NGINX = frozenset({"nginx", "openresty", "angie", "tengine"})
# The options that make a server only test or describe itself and exit; any other is
# a run (gunicorn's -t is a timeout, apache's -T starts without checking DocumentRoot,
# sshd's -c names a host certificate and starts a second daemon).
_TEST_FLAGS = {
    **dict.fromkeys(_NGINX, ("t", "T", "V", "v")),
    "h2o": ("t", "v", "version"),
    "haproxy": ("c", "V", "v"),
    "sshd": ("t", "T", "G", "V"),
    "php-fpm": ("t", "V", "v"),
    "named-checkconf": ("t", "T", "V", "v", "S"),
    **dict.fromkeys(_APACHE, ("t", "S", "V", "v")),
}
# The short options that give a web server a configuration file or folder (checked
# against `_SYSTEM_CONFIG`) or a directive (always foreign): nginx -c/-p and -g, apache
# -f/-d and -C/-c, haproxy -f.
_CONFIG_FILE_OPTIONS = {
    **dict.fromkeys(_NGINX, "cp"),
    "h2o": "c",
    "haproxy": "f",
    **dict.fromkeys(_APACHE, "fd"),
}
_DIRECTIVE_OPTIONS = {**dict.fromkeys(_NGINX, "g"), **dict.fromkeys(_APACHE, "Cc")}
_SYSTEM_CONFIG = lazy(r"^/(?:etc|usr|opt)/(?!.*\.\.)")


def _foreign_config(cmd: Cmd) -> bool:
    """`nginx -t -c /tmp/x.conf`, `apachectl -t -C 'LoadModule x /tmp/x.so'`,
    `haproxy -c -f /tmp/x.cfg` (lua-load), `h2o -t -c /tmp/h.conf` (mruby): a server
    loads the modules and scripts its configuration names even to test it, so a
    configuration from outside the system's folders, or a directive given on the line,
    makes the test run code."""
    files = _CONFIG_FILE_OPTIONS.get(cmd.name, "")
    directives = _DIRECTIVE_OPTIONS.get(cmd.name, "")
    argv = cmd.argv
    for i, word in enumerate(argv):
        if word == "--":
            break
        if not word.startswith("-") or word.startswith("--"):
            continue
        for j, letter in enumerate(word[1:], start=2):
            if letter in directives:
                return True
            if letter in files:
                value = word[j:] or (argv[i + 1] if i + 1 < len(argv) else "")
                if not _SYSTEM_CONFIG.match(value):
                    return True
                break
    return False


def _apache_dump(cmd: Cmd) -> bool:
    """`-D DUMP_MODULES`, `-D DUMP_VHOSTS`...: apache prints what it parsed and exits."""
    define = cmd.option_value("D")
    return define is not None and define.startswith("DUMP_")


def handled_names() -> frozenset[str]:
    """Every command name with knowledge (handlers, subcommand tables and read-only
    names of the built-in packs), for tests and docs."""
    described = builtin_packs().tools().items()
    return frozenset(_HANDLERS) | {n for n, t in described if t.read_only or t.table}
