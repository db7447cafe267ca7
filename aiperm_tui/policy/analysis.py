"""Walking a parsed command: every simple command, redirection, wrapper and payload.

`Analysis.run` parses the source and judges each simple command on its own. Wrappers
(`sudo`, `env`, `timeout`, `xargs`, ...) are peeled off; payloads that are themselves
shell (`bash -c`, `eval`, `ssh host CMD`, `watch`, `su -c`, `find -exec`, text piped into
`sh`, base64 decoded into `sh`) are parsed again by a child `Analysis` whose spans are
mapped back into the original string. The knowledge of individual tools lives in
`toolbox.py`; interpreter one-liners in `code.py`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

from aiperm_tui.policy import (
    arith,
    code,
    dataflow,
    effects,
    fspaths,
    links,
    projections,
    tempreport,
    toolbox,
)
from aiperm_tui.policy.addresses import site_address
from aiperm_tui.policy.fspaths import classify, normalize_path, resolve
from aiperm_tui.policy.hits import TO_PROVIDER, Hit, SpanMapper, Target
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.model import severity_rank
from aiperm_tui.policy.normalize import (
    COPIERS,
    FOREIGN_SHELLS,
    SHELLS,
    Cmd,
    command_name,
    copy_operands,
    make_cmd,
    rehearsal_undone,
)
from aiperm_tui.policy.packs import Packs, builtin_packs
from aiperm_tui.policy.parse import Parsed, Redirect, Simple, Word, parse
from aiperm_tui.values import replace

MAX_PAYLOAD_DEPTH = 6
# A function that starts itself twice, one of them in the background or a pipe
# (`:(){ :|:& };:`, `f(){ f & f; }`, ksh's `function f { f & f & wait; }`): each call
# doubles the processes.
_FORK_BOMB = lazy(
    r"(?:\bfunction\s+([^\s(){};|&]+)\s*(?:\(\s*\))?|([^\s(){};|&]+)\s*\(\s*\))\s*\{[^}]*?"
    r"(?<![\w.:-])(?:\1|\2)\s*(?:\||&(?!&))\s*(?:\1|\2)(?![\w.:-])"
)
# A loop that never ends and starts a background job each time round: processes pile up
# until the machine stops (`while :; do sh -c ... & done`), whatever the job is.
_BACKGROUND_LOOP = lazy(
    r"\b(?:while\s+(?::|true|\[\s*1\s*\]|\(\(\s*1\s*\)\))|until\s+(?:false|!\s*:)|"
    r"for\s*\(\(\s*;\s*;\s*\)\)|"
    # a count in the thousands, each round a job at once: as endless (`_endless`;
    # seventeenth pass: `for i in $(seq 1 100000); do (cargo build &); done`)
    r"for\s+\w+\s+in\s+(?:\$\(\s*(?:seq|jot)\s+(?:-?\d+\s+){0,2}\d{4,}\s*\)|\{\d+\.\.\d{4,}\})|"
    r"for\s*\(\(\s*\w+\s*=\s*\d+\s*;\s*\w+\s*<=?\s*\d{4,}\s*;[^)]*\)\))\s*;?\s*do\b(?:(?!\bdone\b).)*?(?<![<>&])&(?![&>])"
    r"(?:(?!\bdone\b).)*\bdone\b",
    re.DOTALL,
)
# An endless loop whose body creates something each time round (a pod, a container, a
# cloud instance, a file) and nothing in it waits, stops or reads (sixteenth pass: `while
# :; do kubectl run warm-$RANDOM ... ; done` floods the namespace as a fork bomb floods the
# process table; a disk or a quota fills the same way).
_CREATING_LOOP = lazy(
    r"\b(?:while\s+(?::|true|\[\s*1\s*\]|\(\(\s*1\s*\)\))|until\s+(?:false|!\s*:)|"
    r"for\s*\(\(\s*;\s*;\s*\)\))\s*;?\s*do\b"
    r"(?=(?:(?!\bdone\b).)*?(?:\b(?:kubectl|oc|docker|podman|nerdctl)\s+(?:\S+\s+)*?"
    r"(?:run|create|apply)\b|\brun-instances\b|\b(?:gcloud|az|doctl)\s+(?:\S+\s+)*?create\b|"
    r"\b(?:fallocate|mkdir|touch|mktemp)\b|\bdd\s+\S*of=))"
    r"(?!(?:(?!\bdone\b).)*?(?:[;&|\n]|\bdo|\bthen|\belse)\s*"
    r"(?:sleep|break|exit|return|wait|read|timeout)\b)"
    r"(?:(?!\bdone\b).)*\bdone\b",
    re.DOTALL,
)
# A word that is one variable's value (`$f`, `${f}`).
_VARIABLE = lazy(r"\$\{?(\w+)\}?")
# A value whose only expansion is the home folder (`$HOME/.ssh/authorized_keys`): a path
# the engine reads as the account's own, as it does when written out on a command.
_HOME_ONLY = lazy(r"(?:\$HOME(?!\w)|\$\{HOME\}|[^$`])*")
# A variable assignment given as a wrapper's argument (`env X=1 CMD`).
_ASSIGNED = lazy(r"[A-Za-z_]\w*=")
# Files that are the command's own input: a shell reading one reads its stdin.
_STDIN_FILES = ("/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")


# The end of a here-document the engine builds to feed a program what a file holds.
_FED_END = "AIPERM_FED_END"
# Files a login or interactive shell runs: a line written there runs at the next login.
_STARTUP_FILE = lazy(
    r"(^|/)\.(bashrc|bash_profile|bash_login|profile|zshrc|zprofile|zlogin|zshenv|kshrc|"
    r"cshrc|tcshrc|config/fish/config\.fish)$|^/etc/(profile|bash\.bashrc|zsh/zshrc|"
    r"profile\.d/[^/]+)$"
)


# Folders a web server serves (an app's public folder, the document roots), web servers'
# configurations, and a document root or alias that is the filesystem's root or a system
# folder (`root /;`, `alias /etc/;`, `DocumentRoot "/"`).
_SERVED_FOLDER = lazy(r"/(?:public|public_html|htdocs|wwwroot|static|html)(?:/|$)|^/var/www/")
_WEB_CONFIG = lazy(
    r"^/etc/(?:nginx|apache2|httpd|caddy|lighttpd|angie|openresty)/|(?:^|/)Caddyfile$"
)
_SERVES_ROOT = lazy(
    r"(?i)\b(?:root|alias|DocumentRoot|file_server\s+browse\s+root)\s+[\"']?"
    r"/(?:(?:etc|root|home|var|proc|boot)/?)?[\"']?\s*(?:;|$|\n)"
)
# A command that sends over the network (a DEBUG trap that runs one before every command).
_SENDS_OUT = lazy(
    r"\b(?:curl|wget|nc|ncat|socat|telnet|ssh|scp|openssl\s+s_client)\b|/dev/(?:tcp|udp)/"
)
# An SSH client's configuration, and the options in it whose value is a command ssh runs
# (each connection, or to decide whether a block applies).
_SSH_CLIENT_CONFIG = lazy(r"(^|/)\.ssh/config$|^/etc/ssh/ssh_config(\.d/[^/]+)?$")
_SSH_COMMAND_LINE = lazy(
    r"(?im)^\s*(?:ProxyCommand|LocalCommand|KnownHostsCommand|Match\b[^\n]*?\bexec)"
    r"[\s=]+([^\n]+)"
)
# A function or alias named for a program that prompts for a password (`sudo() { read
# -rsp ...; }`, `alias su=...`): written where a login shell runs it, it imitates that
# prompt.
_PASSWORD_PROMPTERS = r"sudo|su|doas|ssh|scp|passwd|kinit|gpg|mysql|psql|vault|pkexec"
_PASSWORD_PROMPT_TRAP = lazy(
    rf"(?:^|[;&|\s{{(])(?:function\s+({_PASSWORD_PROMPTERS})\b|({_PASSWORD_PROMPTERS})\s*\(\s*\))"
    rf"|\balias\s+({_PASSWORD_PROMPTERS})="
)


# `npm pkg set` of what a later npm command runs or publishes to (`scripts.*`, the
# `publishConfig` a publish reads), and `npm set-script` (npm 7-8).
_NPM_PKG_SET = lazy(
    r"^(?:.*\s)?(?:pkg\s+set\s+(?:.*\s)?['\"]?(?:scripts|publishConfig)\b|set-script\s)"
)


class Analysis:
    """The judged parts of one source string (the command, or a payload inside it)."""

    def __init__(
        self, src: str, depth: int = 0, cwd: str | None = None, packs: Packs | None = None
    ) -> None:
        self.src, self.depth = src, depth
        # Every folder the line may be in at this point, the likeliest first: a `cd` that
        # fails or is skipped (`cd /etc || cd /srv; rm x`) leaves the shell where it was.
        self.cwds: tuple[str | None, ...] = (cwd,)
        self.links: list[links.Link] = []  # links and bind mounts made earlier on the line
        self.packs = packs  # the engine's packs (built-in plus the operator's)
        self.values: dict[str, str] = {}  # variables set to known text on this line
        self.refs: dict[str, str] = {}  # namerefs (`declare -n r=x`): r reads x
        # lists set on the line: `set --` ("@"), arrays (`a=(...)`, `read -a`)
        self.lists: dict[str, list[str]] = {}
        self.ifs_unknown = False  # IFS set to a run-time value: no split can be computed
        self.written: list[str] = []  # files this line writes or downloads
        self.written_texts: dict[str, str] = {}  # files written with text the line shows
        self.login_files: set[str] = set()  # where a client was told to keep its logins
        self.network_mounts: dict[str, str] = {}  # a network share's mount point: its host
        self.tunnels: dict[str, str] = {}  # a tunnel device made on the line: its remote end
        self.functions: set[str] = set()  # functions this line defines
        self.read_names: set[str] = set()  # variables `read` fills at run time
        # process managers whose every process the line deleted (`pm2 delete all`)
        self.emptied: set[str] = set()
        # loop variables bound to a credential their listing prints (`_loop_listings`)
        self.listed: dict[str, str] = {}
        self.network_fd = False  # a redirection opened /dev/tcp or /dev/udp on this line
        self.hits: list[Hit] = []
        self.names: list[str] = []
        self.complete = True
        self.problems: list[str] = []
        self.parsed: Parsed | None = None

    @property
    def cwd(self) -> str | None:
        """The likeliest working folder (None: unknown)."""
        return self.cwds[0]

    @cwd.setter
    def cwd(self, value: str | None) -> None:
        self.cwds = (value,)

    # --- entry points ---------------------------------------------------------------

    def run(self) -> Analysis:
        self.src = dataflow.joined_lines(self.src)
        self.parsed = parse(self.src)
        self.hits.extend(self.parsed.hits)
        if not self.parsed.complete:
            self.incomplete(self.parsed.problem)
        self.values.update(dataflow.loop_values(self.src))
        self.listed = _loop_listings(self.src)
        self.values.update(self.listed)
        self.functions = dataflow.functions(self.src)
        entered: list[tuple[tuple[int, int], tuple[str | None, ...]]] = []
        for simple in self.parsed.simples:
            self.enter_scopes(entered, simple.scopes)
            self.simple(simple)
        self.enter_scopes(entered, ())
        self.hits = _values_dropped(self.parsed.simples, self.hits, self.packs)
        if self.depth == 0:  # a payload's temp writes are settled with the whole line
            self.hits = tempreport.settle(self.src, self.parsed.simples, self.hits, self.names)
        self.hits.extend(_served_dumps(self.parsed.simples))
        for inner in dataflow.subscript_code(self.src, self.values):
            self.payload(inner, [], "exec.subscript", "a substitution in an array subscript")
        for what, span, source in arith.hidden_code(self.src):
            self.add(
                Hit(
                    "exec.arithmetic_text",
                    "high",
                    f"{what} is evaluated as arithmetic or as a variable's name, and its value "
                    f"comes from {source}: a subscript in it (`a[$(cmd)]`) runs a command "
                    "nobody reviewed",
                    span,
                    "unknown",
                )
            )
        for inner in dataflow.coproc_commands(self.src):
            self.payload(
                inner, [], "exec.coproc_shell", "a shell coprocess runs what is written to it"
            )
        masked = _mask_quotes(self.src)
        for m in _FORK_BOMB.finditer(masked):
            self.add(
                Hit(
                    "exec.fork_bomb",
                    "critical",
                    "fork bomb: a function that spawns itself until the machine stops",
                    m.span(),
                    "system",
                )
            )
        for m in _CREATING_LOOP.finditer(masked):
            self.add(
                Hit(
                    "exec.resource_flood",
                    "high",
                    "an endless loop creates something each time round (pods, containers, "
                    "instances, files) with nothing that waits or stops: it floods the cluster "
                    "or fills the disk",
                    m.span(),
                    "system",
                )
            )
        for m in _BACKGROUND_LOOP.finditer(masked):
            self.add(
                Hit(
                    "exec.fork_bomb",
                    "critical",
                    "fork bomb: an endless (or thousands-long) loop starts a background job each "
                    "time round",
                    m.span(),
                    "system",
                )
            )
        return self

    def enter_scopes(
        self,
        entered: list[tuple[tuple[int, int], tuple[str | None, ...]]],
        scopes: tuple[tuple[int, int], ...],
    ) -> None:
        """Leave the subshells the next command is not in (the line is back where it was
        before each: `(cd /tmp && make) && ls` lists the first folder) and enter those it
        is in. `entered` holds each subshell entered with the folders it started in."""
        while entered and entered[-1][0] not in scopes:
            self.cwds = entered.pop()[1]
        for scope in scopes[len(entered) :]:
            entered.append((scope, self.cwds))

    def incomplete(self, problem: str) -> None:
        self.complete = False
        if problem and problem not in self.problems:
            self.problems.append(problem)

    def add(self, hit: Hit) -> None:
        if len(self.cwds) > 1 and hit.targets:
            hit = replace(hit, targets=self.widened(hit.targets))
        self.hits.append(hit)

    def widened(self, targets: tuple[Target, ...]) -> tuple[Target, ...]:
        """A relative target read from every folder the line may be in, so the jail
        judges each place it may land."""
        out: list[Target] = []
        for t in targets:
            out.append(t)
            if t.cwd == self.cwd and not t.path.startswith("/"):
                out.extend(replace(t, cwd=c) for c in self.cwds[1:])
        return tuple(out)

    def payload(
        self, text: str, words: list[Word], rule: str, what: str, *, in_place: bool = False
    ) -> None:
        """Judge `text` (shell code that `words` carry) with a child analysis. `in_place`:
        the code runs in this shell (`eval`), so its `cd` moves the rest of the line."""
        whole = (words[0].start, words[-1].end) if words else (0, len(self.src))
        if self.depth >= MAX_PAYLOAD_DEPTH:
            self.add(Hit(rule, "high", f"{what}: nested too deeply to analyse", whole, "unknown"))
            self.incomplete("payload nested too deeply")
            return
        offset = None
        if self.src[whole[0] : whole[1]] == text:
            offset = whole[0]
        elif len(words) == 1 and words[0].raw[1:-1] == text and words[0].raw[:1] in "'\"":
            offset = words[0].start + 1
        child = Analysis(text, self.depth + 1, self.cwd, self.packs)
        child.cwds, child.links = self.cwds, list(self.links)
        child.run()
        # links are files: one a payload makes (`sh -c 'ln -s /etc e'`) outlives it
        self.links.extend(child.links[len(self.links) :])
        if in_place:
            self.cwds = child.cwds
        mapper = SpanMapper(offset, whole)
        self.hits.extend(h.moved(mapper) for h in child.hits)
        self.names.extend(child.names)
        for problem in child.problems:
            self.incomplete(f"{what}: {problem}")
        if not child.complete:
            self.complete = False

    # --- one simple command ---------------------------------------------------------

    def simple(self, simple: Simple) -> None:
        if simple.upstream is not None:  # what a pipe carries is what its writer runs
            up = simple.upstream
            simple.upstream = through_runners(up, self.expanded(up))
        for word in simple.assigns:
            self.assignment(word, remember=not simple.words, command=simple.words)
        for redirect in simple.redirects:
            self.redirect(self.expanded_redirect(redirect), simple)
        self.startup_lines(simple)
        if simple.heredoc is not None:
            self.heredoc(simple)
        if self.ifs_unknown and simple.words and _unquoted_expansion(simple.words[0]):
            self.add(
                Hit(
                    "exec.dynamic_command",
                    "high",
                    f"the command is built at run time: IFS is set to a value known only "
                    f"then, so how {simple.words[0].raw} splits cannot be known",
                    simple.words[0].span,
                    "unknown",
                )
            )
        words = self.expanded(simple)
        if self.links:
            words = [self.through(w) for w in words]
        cmd = make_cmd(simple, words)
        if cmd is not None:
            self.command(cmd)

    def expanded(self, simple: Simple) -> list[Word]:
        """The words of `simple` once the line's variables, lists and braces expand
        (`C=rm; $C -rf /srv`, `{rm,-rf,/srv}`)."""
        values = self.known_values()
        words = [
            x
            for w in simple.words
            for x in (
                _printed_literal(w)
                or dataflow.expand_list(w, self.lists)
                or dataflow.expand_split(w, values)
            )
        ]
        # every word's braces, as bash expands them (`dd if=/dev/zero {of=/dev/sda,}`, rev16a)
        return [x for w in words for x in (dataflow.brace_words(w) or [w])]

    def expanded_redirect(self, r: Redirect) -> Redirect:
        if r.target is None or not (self.values or self.links):
            return r
        return replace(r, target=self.through(dataflow.expand(r.target, self.known_values())))

    def known_values(self) -> dict[str, str]:
        """The variables set to known text, a nameref reading its target's value as it is
        now (`declare -n r=x; x='iptables -F'; $r` runs iptables)."""
        if not self.refs:
            return self.values
        return self.values | {r: self.values[x] for r, x in self.refs.items() if x in self.values}

    def through(self, word: Word) -> Word:
        """`word` read through the links made earlier on the line, with a finding that
        says where it really leads."""
        real = links.through(word, self.links, self.cwd)
        if real is not word:
            self.add(
                Hit(
                    "fs.through_link",
                    "info",
                    f"{word.text} goes through a link made on this line: it is {real.text}",
                    word.span,
                )
            )
        return real

    def note_links(self, cmd: Cmd) -> None:
        """Record the links `cmd` makes; each is a finding whose `reaches` the jail
        checks (a link inside the jail that leads out of it opens a way out)."""
        for link in links.made(cmd, self.cwd):
            self.links.append(link)
            self.add(
                Hit(
                    "fs.link",
                    "info",
                    f"{cmd.name} makes {link.at} lead to {link.to}: "
                    "later paths through it are judged as that place",
                    cmd.span,
                    targets=(Target(link.at, cmd.span, None),),
                    reaches=(Target(link.to, link.word.span, None),),
                )
            )

    def heredoc(self, simple: Simple) -> None:
        """An unquoted here-doc expands `$(...)` and backticks in its body: they run."""
        assert simple.heredoc is not None
        delim = next(
            (
                r.target
                for r in simple.redirects
                if r.op.startswith("<<") and r.op != "<<<" and r.target is not None
            ),
            None,
        )
        if delim is not None and delim.quoted:
            return
        body, span = simple.heredoc
        word = Word(body, span[0], span[1], self.src[span[0] : span[1]])
        for inner in dataflow.substitutions(body):
            self.payload(
                inner, [word], "exec.heredoc_substitution", "a substitution in an unquoted here-doc"
            )

    def assignment(
        self, word: Word, *, remember: bool = False, command: list[Word] | None = None
    ) -> None:
        """`NAME=value`: remembered when the line sets it for later commands, and judged
        when the variable makes programs run code (a pager, a hook, a startup file).
        `command`: the words of the one command it is set for, when it prefixes one."""
        if remember:  # `F=/etc/sha; F=${F}dow`: a value built from known ones is known
            word = dataflow.expand(word, self.known_values())
        name, _, value = word.text.partition("=")
        items = dataflow.array_items(word.raw.partition("=")[2])
        value = dataflow.assigned_value(word.raw, value) if items is None else " ".join(items)
        if remember:
            dynamic = word.dynamic and not _HOME_ONLY.fullmatch(word.raw.partition("=")[2])
            self.remember(name, value, items, dynamic=dynamic)
        if dataflow.hides_history(name, value):
            self.add(
                Hit(
                    "log.history_off",
                    "high",
                    f"{name}={value}: turns off the shell history (hides what was done)",
                    word.span,
                    "single",
                )
            )
        elif dataflow.program_var(name) and value.strip("|& "):
            self.add(
                Hit(
                    "exec.program_var",
                    "info",
                    f"{name}: names a command that programs run (judged below)",
                    word.span,
                    "unknown",
                )
            )
            program = value.lstrip("|").strip()
            if (
                " " in program
                or program.startswith(("/tmp/", "/var/tmp/", "/dev/shm/"))
                or not toolbox.is_handled(command_name(program))
            ):
                self.payload(program, [word], "exec.program_var", name)  # not `EDITOR=vim`
            found = effects.helper_shell(program, name, word.span)
            if found is not None and name != "PROMPT_COMMAND":
                self.add(found)  # `LESSOPEN='|sh -c ...'`: a pager or filter that is a shell
        elif why := dataflow.unvetted_source_var(name, value):
            self.add(
                Hit(
                    "exec.unvetted_source_var",
                    "high",
                    f"{name}={value}: the command it is set on {why}: code nobody vouches "
                    "for runs here",
                    word.span,
                    "unknown",
                )
            )
        elif name == "GOFLAGS" and _GO_PROGRAM_FLAG.search(value):
            self.payload(f"go build {value}", [word], "exec.program_var", name)
        elif name == "LESS" and _LESS_START_COMMAND.search(value):
            # less reads its options from LESS first: a `+CMD` there runs at start, as
            # `less +CMD` does (`LESS='+!id' less x` runs id)
            self.payload(f"less {value} /dev/null", [word], "exec.program_var", name)
        elif name == "TAR_OPTIONS" and value.strip():
            # GNU tar reads TAR_OPTIONS before its own words (eighteenth pass): a
            # `--checkpoint-action=exec=` or `--to-command=` there runs as on the line
            self.payload(f"tar {value} -tf /dev/null", [word], "exec.program_var", name)
        elif (
            name == "SSH_AUTH_SOCK"
            and word.text.partition("=")[2].strip()
            and not _lists_agent_keys(command or [])
        ):
            self.add(
                Hit(
                    "secret.agent_socket",
                    "high",
                    f"{name} points ssh at an agent socket the line chooses: another "
                    "session's keys would log in and sign for the agent",
                    word.span,
                    "unknown",
                )
            )
        elif name in dataflow.PROMPT_VARS and dataflow.substitutions(value):
            for inner in dataflow.substitutions(value):
                self.payload(
                    inner,
                    [word],
                    "exec.prompt_var",
                    f"{name} (expanded at each prompt or trace line)",
                )
            self.add(
                Hit(
                    "exec.prompt_var",
                    "high",
                    f"{name} runs a substitution each time it is shown",
                    word.span,
                    "unknown",
                )
            )
        elif name in dataflow.SCRIPT_VARS or (
            name in dataflow.JVM_OPTION_VARS and dataflow.loads_jvm_code(value)
        ):
            self.add(
                Hit(
                    "exec.startup_file",
                    "high",
                    f"{name}={value}: the shell or "
                    "interpreter runs this before anything else (unreviewed code)",
                    word.span,
                    "unknown",
                )
            )
        elif name in dataflow.PROJECT_FILE_VARS and (entry := _temp_entry(value)):
            self.add(
                Hit(
                    "exec.env_inject",
                    "high",
                    f"{name}: makes the program read its project, configuration or plugins "
                    f"from {entry} and run the code they name; anyone on the host may have "
                    "written there",
                    word.span,
                    "unknown",
                )
            )
        elif name in dataflow.MODULE_PATH_VARS and (entry := _temp_entry(value)):
            self.add(
                Hit(
                    "exec.env_inject",
                    "high",
                    f"{name}: makes the program load its modules, plugins or providers from "
                    f"{entry}, which anyone on the host may have written",
                    word.span,
                    "unknown",
                )
            )
        elif name.startswith(_CONTAINER_RUNTIME_VARS):
            self.add(
                Hit(
                    "exec.container_settings",
                    "medium",
                    f"{name}: sets what apptainer binds, loads or passes to the command it "
                    "runs (its paths are no longer the host's own)",
                    word.span,
                    "unknown",
                )
            )
        elif name in ("LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT"):
            planted = _planted_library(name, value)
            self.add(
                Hit(
                    "exec.env_inject",
                    "high" if planted else "medium",
                    f"{name}: makes programs load or run extra code"
                    + (
                        f" from {planted}, which anyone on the host may have written"
                        if planted
                        else ""
                    ),
                    word.span,
                    "unknown",
                )
            )
        elif (
            name in _NCCL_PLUGIN_VARS
            and "/" in value
            and _planted_library("LD_LIBRARY_PATH", value)
        ):
            self.add(
                Hit(
                    "exec.env_inject",
                    "high",
                    f"{name}: makes every rank of the job load {value} as NCCL's plugin, a "
                    "library anyone on the host may have written",
                    word.span,
                    "unknown",
                )
            )
        elif name == "GIT_CONFIG_PARAMETERS" and (settings := _GIT_CONFIG_PAIR.findall(value)):
            # git reads these as `-c key=value`: judged as that command line, so a hook
            # or program setting (core.fsmonitor, core.sshCommand) is judged as code
            import shlex  # here, not at the top: most checks never need it

            options = " ".join(f"-c {shlex.quote(k + '=' + v)}" for k, v in settings)
            self.payload(f"git {options} status", [word], "exec.program_var", name)
        elif (m := _GIT_CONFIG_VALUE.fullmatch(name)) and (
            key := re.search(rf"\bGIT_CONFIG_KEY_{m.group(1)}=['\"]?([\w.-]+)", self.src)
        ):
            # GIT_CONFIG_COUNT/KEY_n/VALUE_n: git reads each pair as `-c KEY=VALUE`
            import shlex

            setting = shlex.quote(f"{key.group(1)}={value}")
            self.payload(f"git -c {setting} status", [word], "exec.program_var", name)
        elif name == "CDPATH":
            self.cwd = None  # a relative `cd` may now go anywhere
        elif name == "PATH" and (writable := _writable_path_entry(value)):
            self.add(
                Hit(
                    "exec.path_hijack",
                    "high",
                    f"PATH searches {writable} before the system folders: a command named "
                    "later may run a program planted there",
                    word.span,
                    "unknown",
                )
            )

    def remember(
        self, name: str, value: str | None, items: list[str] | None = None, *, dynamic: bool
    ) -> None:
        """A variable (or array) the line sets, for the words after it; a value only known
        at run time is forgotten, so a later `$NAME` is judged as unknown."""
        self.lists.pop(name, None)
        if dynamic or value is None:
            self.values.pop(name, None)
            self.ifs_unknown = self.ifs_unknown or name == "IFS"
            return
        self.values[name] = items[0] if items else value
        if items is not None:
            self.lists[name] = items
        if name == "IFS":
            self.ifs_unknown = False

    def set_positional(self, cmd: Cmd) -> None:
        """`set -- a b c` (or `set a b c`): the words `"$@"` will hold."""
        args = cmd.argv
        if "--" in args:
            self.lists["@"] = args[args.index("--") + 1 :]
        elif args and not args[0].startswith(("-", "+")):
            self.lists["@"] = args

    def read_input(self, cmd: Cmd) -> None:
        """`read [-a ARR] NAME... <<< TEXT` and `mapfile ARR <<< TEXT`: the variables hold
        the text written on the line, split by IFS; from any other input they are only
        known at run time."""
        text = next(
            (r.target.text for r in cmd.simple.redirects if r.op == "<<<" and r.target), None
        )
        if text is None and cmd.simple.heredoc is not None:
            text = cmd.simple.heredoc[0]
        ifs = next(
            (w.text.partition("=")[2] for w in cmd.simple.assigns if w.text.startswith("IFS=")),
            self.values.get("IFS"),
        )
        if cmd.name in ("mapfile", "readarray"):
            pos = cmd.positional("dnOsuC")
            lines = None if text is None else [x for x in text.split("\n") if x]
            self.remember(pos[-1].text if pos else "MAPFILE", "", lines, dynamic=text is None)
            return
        array = cmd.option_value("a")
        names = cmd.positional("adpntu")
        if text is None:
            self.read_names.update(w.text for w in names)
        line = None if text is None else text.split("\n")[0]
        parts = [] if line is None else dataflow.ifs_split(line, ifs)
        if array is not None:
            self.remember(array, " ".join(parts), parts, dynamic=line is None)
        for i, name in enumerate(w.text for w in names):
            if line is None and name in self.listed:
                continue  # `find / -name .env | while read f`: f is each name found
            last = i == len(names) - 1
            value = " ".join(parts[i:]) if last else (parts[i] if i < len(parts) else "")
            self.remember(name, value, dynamic=line is None)

    def startup_lines(self, simple: Simple) -> None:
        """`echo 'LINE' >> ~/.bashrc`: LINE runs at each login, so it is judged as a
        command line (`alias ls='rm -rf'`, a download piped to sh); a function or alias
        named for a program that asks for a password is a trap for it. In an SSH client
        config the commands ssh runs (`ProxyCommand`, `LocalCommand`, `Match exec`,
        `KnownHostsCommand`) are judged the same way."""
        targets = [r.target.text for r in simple.redirects if r.writes and r.target is not None]
        startup = any(_STARTUP_FILE.search(t) for t in targets)
        ssh_config = any(_SSH_CLIENT_CONFIG.search(t) for t in targets)
        if not (startup or ssh_config):
            return  # first: the expansion below is only needed for such a file
        own = through_runners(simple, self.expanded(simple)).words  # `nice echo ...` too
        if not own or command_name(own[0].text) not in ("echo", "printf"):
            return
        words = [w for w in own[1:] if w.text not in ("-e", "-n", "-en", "-ne")]
        text = " ".join(w.text for w in words).replace("\\n", "\n")
        if not text.strip():
            return
        if ssh_config:
            for m in _SSH_COMMAND_LINE.finditer(text):
                command = m.group(1).strip().replace("%%", "%")
                if len(command) > 1 and command[0] == command[-1] and command[0] in "\"'":
                    command = command[1:-1]  # `Match exec "CMD"`
                self.payload(command, words, "exec.ssh_config", "a command ssh runs")
            return
        self.payload(text, words, "exec.startup_file", "a line a login shell runs")
        if trap := _PASSWORD_PROMPT_TRAP.search(text):
            self.add(
                Hit(
                    "exec.startup_file",
                    "high",
                    f"a login shell's startup file defines {trap.group(1) or trap.group(2)} "
                    "as a function or alias: the real program's password prompt can be "
                    "imitated and what is typed there kept",
                    (words[0].start, words[-1].end),
                    "system",
                )
            )

    def redirect(self, r: Redirect, simple: Simple | None = None) -> None:
        if r.target is not None and r.target.raw.startswith((">(", "<(")):
            return  # `> >(cmd)`: the command inside is judged on its own
        if r.target is not None and simple is not None and self.remote_shell(r, simple):
            self.add(
                Hit(
                    "net.remote_shell",
                    "critical",
                    "a shell reads its commands from, or writes to, a network connection "
                    f"({r.target.text}): a reverse or bind shell",
                    r.span,
                    "system",
                )
            )
        if r.target is None or not r.writes:
            if r.op in ("<", "<>") and r.target is not None:
                if (
                    r.op == "<"
                    and simple is not None
                    and effects.takes_secret_on_stdin(through_runners(simple, simple.words))
                ):
                    return  # `docker login --password-stdin < F`: handed over, not read
                self.read_redirect(r)
            if r.op == "<>" and r.target is not None:
                # opened for reading and writing (`exec 3<>/dev/sdb`): a write, without
                # truncation, wherever it points (a device, a critical file)
                self.add_write(r.target, r.span, "redirection <> opens for writing", truncate=False)
            return
        self.written.append(r.target.text)
        text = self.written_text(simple)
        if text is not None and r.op in (">", ">|", "&>"):
            self.written_texts[r.target.text] = text
        self.add_write(
            r.target,
            r.span,
            f"redirection {r.op} writes",
            truncate=r.op in (">", ">|", "&>"),
            text=text,
            empties=_writes_nothing(simple, text),
        )
        self.served_exposure(r, simple, text)
        self.temp_access_config(r, simple)

    def served_exposure(self, r: Redirect, simple: Simple | None, text: str | None) -> None:
        """A redirection that puts data on the web: the environment (where a service's
        secrets live) written into a folder a web server serves (`env >
        /app/public/env.txt`), or a web server's configuration that serves the whole
        filesystem or a system folder (`location / { root /; autoindex on; }`)."""
        assert r.target is not None
        path = r.target.text
        words = [w.text for w in simple.words] if simple is not None else []
        dumps_env = words in (["env"], ["printenv"], ["set"], ["export", "-p"], ["declare", "-x"])
        if dumps_env and _SERVED_FOLDER.search(path):
            found = (
                f"the environment (a service's secrets) into {path}, a folder a web server serves"
            )
        elif text is not None and _WEB_CONFIG.search(path) and _SERVES_ROOT.search(text):
            found = (
                f"a web server configuration ({path}) that serves the filesystem's root or a "
                "system folder"
            )
        else:
            return
        self.add(
            Hit(
                "net.served_exposure",
                "high",
                f"writes {found}: anyone who reaches it reads them",
                r.span,
                "system",
            )
        )

    def temp_access_config(self, r: Redirect, simple: Simple | None) -> None:
        """`cat /tmp/pf-open.conf > /etc/pf.conf`: the firewall's, a router's or the
        network's configuration replaced by a file from a temp folder (anyone on the host
        may have written it): unreviewed rules, loaded at the next reload or boot."""
        assert r.target is not None
        if simple is None or not simple.words or r.op not in (">", ">|", "&>"):
            return
        words = self.expanded(simple)  # `C=cat; $C /tmp/x > F`
        runner = through_runners(simple, words)  # `nohup cat`, `env X=1 cat`
        cmd = make_cmd(runner, runner.words)
        if cmd is None or cmd.name != "cat":
            return
        sources = cmd.positional()
        if (
            len(sources) == 1
            and classify(sources[0].text) == "temp"
            and fspaths.is_access_config(r.target.text)
        ):
            self.add(
                Hit(
                    "fs.write",
                    "high",
                    f"redirection {r.op} writes {r.target.text} from {sources[0].text}: the "
                    "firewall's, router's or network's configuration replaced by a temp file",
                    r.span,
                    "system",
                )
            )

    def written_text(self, simple: Simple | None) -> str | None:
        """What a redirection writes when the line shows it: `echo`/`printf`'s text, or
        `cat`'s here-document, past the wrappers that keep their output (`sudo printf`).
        None for anything else (a program's output)."""
        if simple is None or not simple.words:
            return None
        words = self.expanded(simple)  # `C=cat; $C > F <<EOF`
        if any(w.dynamic for w in words):
            return None
        simple = through_runners(simple, words)
        cmd = make_cmd(simple, simple.words)
        fmt = cmd.argv[0] if cmd is not None and cmd.name == "printf" and cmd.args else ""
        if _CONVERSION.search(fmt):
            return None  # a format's output only relaxes a write when written out whole
        if cmd is not None and cmd.name in ("echo", "printf"):
            return _echo_text(cmd)
        if cmd is not None and cmd.name == "cat" and not cmd.args and simple.heredoc:
            fed = self.literal_input(cmd)
            return fed[0] if fed else None
        return None

    def remote_shell(self, r: Redirect, simple: Simple) -> bool:
        """`bash -i >& /dev/tcp/H/P 0>&1`, `exec 5<>/dev/tcp/H/P; sh <&5 >&5`: a shell
        (reached directly or through a wrapper) whose input or output is a connection
        this line opens, as `nc -e sh` is."""
        assert r.target is not None
        names = [command_name(w.text) for w in simple.words]
        shell = next((n for n in names if n not in _WRAPPERS), "")
        if command_name(shell) not in SHELLS:
            return False
        if classify(r.target.text) == "network":
            self.network_fd = True
            return True
        return (
            self.network_fd
            and r.op in ("<&", ">&")
            and r.target.text.isdigit()
            and int(r.target.text) > 2
        )

    def read_redirect(self, r: Redirect) -> None:
        """`< FILE` and `<> FILE`: a device, a credential, or a network connection."""
        assert r.target is not None
        cls = classify(r.target.text)
        if cls == "device":
            self.add(Hit("fs.read_device", "low", f"reads the raw device {r.target.text}", r.span))
        elif cls == "network":
            self.network_fd = True
            self.add(
                Hit(
                    "net.dev_tcp",
                    "high",
                    f"opens a network connection through {r.target.text} (data can leave this way)",
                    r.span,
                    "unknown",
                )
            )
        elif (found := effects.redirect_secret(r.target, self.cwds, self.login_files)) is not None:
            self.add(found)

    def add_write(
        self,
        target: Word,
        span: tuple[int, int],
        verb: str,
        *,
        truncate: bool = False,
        text: str | None = None,
        empties: bool = False,
        new_key: bool = False,
    ) -> None:
        """A write to one path, judged by what the path is (and by `text`, what it writes,
        when the line shows it; `empties`: it leaves the file empty; `new_key`: a key the
        tool generates, `toolbox.write_hit`)."""
        hit = toolbox.write_hit(
            target,
            span,
            verb,
            truncate=truncate,
            cwd=self.cwd,
            text=text,
            empties=empties,
            new_key=new_key,
        )
        if hit is not None:
            self.add(hit)
        if (starved := toolbox.overcommit_write(target, text, self.src, verb, span)) is not None:
            self.add(starved)
        if text:
            code.planted_code(self, text, target)

    def command(self, cmd: Cmd) -> None:
        name = cmd.name
        self.names.append(name)
        if cmd.word.text in self.functions:
            self.add(
                Hit(
                    "shell.function_call",
                    "info",
                    f"calls {name}, a function this line "
                    "defines (its body is judged where it is defined)",
                    cmd.word.span,
                )
            )
            body = dataflow.called_body(self.src, cmd.word.text, cmd.argv)
            if body is not None:  # `cat() { shred -u "$@"; }; cat /etc/ssh/sshd_config`
                self.payload(body, cmd.args or [cmd.word], "shell.function_call", name)
            return
        if (undone := rehearsal_undone(cmd)) is not None:
            self.again(cmd, undone)  # `--dry-run=client --dry-run=none`: the last one wins
        if any(dataflow.runs_file(cmd.word.text, w) for w in self.written):
            self.add(
                Hit(
                    "exec.written_then_run",
                    "high",
                    f"runs {cmd.word.text}, written or "
                    "downloaded earlier on this line: code nobody has reviewed",
                    cmd.span,
                    "unknown",
                    suggest=f"cat {cmd.word.text}",
                )
            )
        self.note_writes(cmd)
        self.note_links(cmd)
        self.login_files |= effects.login_files(cmd, self.known_values())
        self.copied_to_share(cmd)
        if (mounted := links.network_mount(cmd)) is not None:
            self.network_mounts[mounted[0]] = mounted[1]
        if (tunnel := links.tunnel_device(cmd)) is not None:
            self.tunnels[tunnel[0]] = tunnel[1]
        self.mirrored_away(cmd)
        self.written_file_read(cmd)
        if name == "parallel":  # `yes | parallel -j0 CMD`: as `xargs -P 0`
            _unbounded_jobs(self, cmd, "parallel", cmd.option_value("j", "jobs", "P", "max-procs"))
        if cmd.word.dynamic:
            self.add(
                Hit(
                    "exec.dynamic_command",
                    "high",
                    f"the command itself ({cmd.word.raw}) is only known at run time",
                    cmd.span,
                    "unknown",
                )
            )
            return
        if cmd.word.globbing and cmd.word.text not in ("[", "[["):
            self.add(
                Hit(
                    "exec.glob_command",
                    "high",
                    f"the command is a file-name pattern ({cmd.word.raw}): which program "
                    "runs is known only at run time",
                    cmd.span,
                    "unknown",
                )
            )
            return
        if not name.isascii() or not name.isprintable():
            self.add(
                Hit(
                    "text.lookalike_command",
                    "high",  # no installed tool has such a name: only one planted to deceive
                    "command name with non-ASCII or "
                    "invisible characters (looks like one command, runs another, "
                    "planted under that name)",
                    cmd.word.span,
                    "unknown",
                )
            )
            return
        if (
            name in _WRAPPERS
            or name in SHELLS
            or name in code.INTERPRETERS
            or name in ("eval", "source", ".", "cd")
        ):
            judged = effects.judge_effects(cmd, self)
            # `bun pm ls`: a built-in pack says this form of the runtime only reads
            reads = name in code.INTERPRETERS and judged.builtin_reads
            for found in judged.hits:
                if found.severity != "info" or reads:
                    self.add(found)  # `ssh -o ProxyCommand=...`, `awk 'BEGIN{system()}'`
            if reads:
                return
        if name in _WRAPPERS:
            _WRAPPERS[name](self, cmd)
            return
        if name in SHELLS or name == "eval" or name in ("source", "."):
            self.shell(cmd)
            return
        if name in code.INTERPRETERS:
            self.interpreter(cmd)
            return
        if name in ("cd", "pushd"):
            self.change_dir(cmd)
            return
        if name == "trap":
            self.trap(cmd)
        elif name == "set":
            self.set_positional(cmd)
        elif name in ("read", "mapfile", "readarray"):
            self.read_input(cmd)
        if name in ("java", "m4", "gomplate", "go") or name in code.LAUNCHERS:
            files = code.java_program_files(cmd.argv) if name == "java" else []  # `-jar /tmp/x`
            programs = files or code.template_files(cmd) or code.go_run_files(cmd)
            for program in programs or code.launcher_files(cmd):
                if self.unreviewed_program(cmd, program):
                    break
        folder = _chdir_option(cmd)
        if folder is None:
            self.written_project(cmd)
            before = len(self.hits)
            for hit in toolbox.judge(cmd, self):
                self.add(hit)
            self.listed_operands(cmd, before)
            return
        saved = self.cwds  # `git -C DIR`, `make -C DIR`: the tool works in DIR
        self.cwds = tuple(dict.fromkeys(resolve(folder.text, c) for c in saved))
        self.written_project(cmd)
        for hit in toolbox.judge(cmd, self):
            if not hit.targets and severity_rank(hit.severity) >= severity_rank("medium"):
                hit = replace(hit, targets=(Target(folder.text, folder.span, saved[0]),))
            self.add(hit)  # a change with no path of its own is a change in DIR
        self.cwds = saved

    def listed_operands(self, cmd: Cmd, before: int) -> None:
        """`truncate -s 0 $(find /var/log -type f)`, `rm $(find /srv -name '*.sql')`: a
        command whose operands a listing substitutes acts on the tree it lists, judged as
        `find DIR ... | xargs CMD` is (sixteenth pass): the hits found since `before` are
        scoped to the listing's start folders."""
        lister = next((ls for a in cmd.args if (ls := _substituted_lister(a))), None)
        if lister is not None:
            _scope_to_listing(self, lister, before, f"$({lister.name})")

    def written_project(self, cmd: Cmd) -> None:
        """A build or project tool (`make -n`, `gradle tasks`, `rake -T`, `bazel query`)
        evaluates the project files of the folder it works in, even to list its targets:
        one written, downloaded or unpacked earlier on this line is code nobody reviewed
        (typed), as a script written then run is. Its own output (`make -n > plan.txt`)
        is no project file."""
        for listed in dataflow.package_files(cmd):
            if self.unreviewed_program(cmd, listed):
                return  # `pip install -r /tmp/req.txt`: what it lists installs and runs
        if cmd.name not in dataflow.PROJECT_TOOLS:
            return
        temp = next((c for c in self.cwds if c is not None and classify(c) == "temp"), None)
        if temp is not None:  # `cd /tmp && just -n`: a justfile any account may have put there
            self.add(
                Hit(
                    "exec.temp_project",
                    "high",
                    f"{cmd.name} evaluates the project files of {temp}, a temp folder any "
                    "account may write: code nobody has reviewed",
                    cmd.span,
                    "unknown",
                )
            )
            return
        checked = _temp_operand(cmd) if cmd.name in dataflow.CONFIG_BESIDE_FILES else ""
        if checked:
            self.add(
                Hit(
                    "exec.temp_project",
                    "high",
                    f"{cmd.name} checks {checked}, in a temp folder any account may write, "
                    "and loads the configuration and plugins it finds beside it: code "
                    "nobody has reviewed",
                    cmd.span,
                    "unknown",
                )
            )
            return
        if _NPM_PKG_SET.match(" ".join(cmd.argv)):
            return  # the rewrite itself runs nothing
        own = {r.target.text for r in cmd.simple.redirects if r.target is not None}
        planted = next(
            (w for w in self.written if w not in own and dataflow.in_project(w, self.cwds)),
            None,
        )
        if planted is not None:
            self.add(
                Hit(
                    "exec.written_then_run",
                    "high",
                    f"{cmd.name} evaluates the project files of its folder, and {planted} was "
                    "written, downloaded or unpacked earlier on this line: code nobody has "
                    "reviewed",
                    cmd.span,
                    "unknown",
                    suggest=f"cat {planted}",
                )
            )

    def written_file_read(self, cmd: Cmd) -> None:
        """`cat > /tmp/c.sql <<'SQL' ... SQL` then `psql -f /tmp/c.sql` (or `mysql <
        /tmp/c.sql`): a file this line wrote with text it shows, then handed to a program,
        is judged as that text fed to the program, as if the line had piped it in. Not for
        a shell or interpreter: a script written then run is judged with its own options
        (`exec.written_then_run`; `bash -n` only checks it)."""
        if not self.written_texts or cmd.name in SHELLS or cmd.name in code.INTERPRETERS:
            return
        named = [r.target for r in cmd.simple.redirects if r.op == "<" and r.target]
        for word in named + cmd.args:
            option, eq, value = word.text.partition("=")
            path = value if eq and option.startswith("-") else word.text  # `--file=F`
            text = self.written_texts.get(path)
            if text is not None:
                fed = f"{cmd.word.text} <<'{_FED_END}'\n{text}\n{_FED_END}"
                self.payload(fed, [word], "exec.written_then_read", f"{cmd.name} reads {path}")
                return

    def copied_to_share(self, cmd: Cmd) -> None:
        """`mount -t nfs 203.0.113.9:/x /mnt/x && cp -a /etc /mnt/x/`: files copied into a
        share the line mounted from a host outside the site are uploaded to it (typed, as
        `scp` to it is); a share of the site's own hosts is a copy, judged as one."""
        if not self.network_mounts or cmd.name not in (*COPIERS, "tee"):
            return
        dest = copy_operands(cmd)[1] if cmd.name != "tee" else cmd.positional()
        for d in dest:
            path = normalize_path(d.text)
            for point, host in self.network_mounts.items():
                if (path == point or path.startswith(point + "/")) and site_address(
                    host
                ) == "foreign":
                    self.add(
                        Hit(
                            "net.share_upload",
                            "high",
                            f"{cmd.name} writes into {point}, a share of {host} mounted on "
                            "this line: the files leave for a host nobody vouched for",
                            cmd.span,
                            "unknown",
                        )
                    )
                    return

    def mirrored_away(self, cmd: Cmd) -> None:
        """`tc filter ... action mirred egress mirror dev gre1`, with gre1 a tunnel the line
        made to a host outside the site: every packet of the interface, passwords and
        session cookies in it, is copied to that host (typed, as an upload)."""
        words = [a.text for a in cmd.args]
        if cmd.name != "tc" or "mirred" not in words or "dev" not in words[words.index("mirred") :]:
            return
        tail = words[words.index("mirred") :]
        device = tail[tail.index("dev") + 1] if tail[-1] != "dev" else ""
        remote = self.tunnels.get(device, "")
        if remote and site_address(remote) == "foreign":
            self.add(
                Hit(
                    "net.traffic_mirrored",
                    "high",
                    f"tc mirrors or redirects the interface's traffic into {device}, a tunnel "
                    f"to {remote} made on this line: every packet leaves for a host nobody "
                    "vouched for",
                    cmd.span,
                    "unknown",
                )
            )

    def note_writes(self, cmd: Cmd) -> None:
        """Remember the files a download, `tee` or a copy of a temp file writes, for a
        later `sh FILE`."""
        if cmd.name in toolbox.DOWNLOADERS:
            # curl's `-O` is a flag (the URL's own name: `dataflow.remote_name`), wget's a file
            named = ("o", "output") + (() if cmd.name == "curl" else ("O", "output-document"))
            out = cmd.option_value(*named)
            if out and out != "-":
                self.written.append(out)
            elif out is None and (saved := dataflow.remote_name(cmd)):
                self.written.append(saved)  # `wget URL/x.run && sh x.run`
        elif cmd.name == "tee":
            self.written.extend(w.text for w in cmd.positional())
        elif cmd.name in ("npm", "pnpm") and _NPM_PKG_SET.match(" ".join(cmd.argv)):
            # `npm pkg set scripts.prepack='curl ..|sh' && npm pack`: the project rewritten
            self.written.append("package.json")
        elif cmd.name in ("cp", "mv", "install") and len(pos := cmd.positional()) >= 2:
            # a copy of a file from a temp folder is as unreviewed as the file
            dest = pos[-1].text
            for src in pos[:-1]:
                if classify(src.text) in ("temp", "dynamic"):
                    self.written += [dest, f"{dest.rstrip('/')}/{src.text.rsplit('/', 1)[-1]}"]
        elif folder := dataflow.clone_folder(cmd.name, [w.text for w in cmd.positional()]):
            self.written.append(folder)  # `git clone URL DIR && DIR/install.sh`
        elif folder := dataflow.unpack_folder(cmd.name, cmd.argv):
            self.written.append(folder)  # `tar -xzf A -C /opt/app && java -jar /opt/app/x.jar`

    def trap(self, cmd: Cmd) -> None:
        """`trap 'CMD' SIGNAL...`: CMD runs later (at exit, on a signal)."""
        pos = cmd.positional()
        if len(pos) >= 2 and pos[0].text not in ("-", ""):
            self.payload(pos[0].text, [pos[0]], "exec.trap", "trap")
            every = any(p.text.upper() in ("DEBUG", "RETURN") for p in pos[1:])
            if every and _SENDS_OUT.search(pos[0].text):
                self.add(
                    Hit(
                        "exec.trap",
                        "high",
                        "trap ... DEBUG runs its command before every later command of the "
                        "session, and this one sends to the network (each command line, "
                        "`$BASH_COMMAND`, may go with it: a keylogger)",
                        cmd.span,
                        "system",
                    )
                )

    def again(self, cmd: Cmd, words: list[Word], privileged: bool = False) -> None:
        """Judge the inner command of a wrapper (redirections were judged already)."""
        # `nice {rm,-rf,/srv}` runs `rm -rf /srv`; an argument's braces too (rev16a)
        words = [x for w in words for x in (dataflow.brace_words(w) or [w])]
        inner = make_cmd(cmd.simple, words, cmd.privileged or privileged)
        if inner is None:
            return
        own = _own(cmd, words)
        names = _WRAPPER_CHDIR.get(cmd.name)
        folder = own.option_value(*names) if names else None
        if folder is None and cmd.name == "systemd-run":
            folder = _working_directory_property(own)
        start = _start_folder(own) if folder is None else None
        if folder is None and start is None:
            self.command(inner)
            return
        saved = self.cwds  # `sudo -D DIR CMD`: CMD runs in DIR
        self.cwds = (start,) if start else tuple(resolve(folder or "", c) for c in saved)
        self.command(inner)
        self.cwds = saved

    def change_dir(self, cmd: Cmd) -> None:
        """`cd DIR`/`pushd DIR`: the line is now in DIR, or still where it was if the
        `cd` fails or a `||`, `if` or subshell skips it. Unknown places (`cd`, `cd ~`,
        `cd -`, `cd $X`) are None, which the jail counts as outside."""
        pos = cmd.positional("")
        word = pos[0] if pos else None
        entered = tuple(dict.fromkeys(_enter(word, c) for c in self.cwds))
        possible = tuple(dict.fromkeys(entered + self.cwds))
        self.cwds = possible if len(possible) <= _MAX_CWDS else (None,)

    # --- shells and interpreters ----------------------------------------------------

    def shell(self, cmd: Cmd) -> None:
        name = cmd.name
        if name == "eval":
            self.eval(cmd)
            return
        if name in ("source", "."):
            pos = cmd.positional()
            if pos and pos[0].text in _STDIN_FILES:
                self.stdin_code(cmd, "shell")  # `. /dev/stdin <<< "$(curl ...)"`
                return
            self.script_file(cmd, pos)
            return
        lead = _lead_options(cmd)
        if lead & _HELP_WORDS or ("-n" in lead and not any(_is_short(t, "c") for t in lead)):
            return  # usage, version or a syntax check: nothing runs
        at = next((i for i, a in enumerate(cmd.args) if _is_short(a.text, "c")), None)
        if at is not None:
            word = cmd.args[at + 1] if at + 1 < len(cmd.args) else None
            if word is None:
                return
            self.payload(word.text, [word], "exec.shell_c", f"{name} -c")
            if name in FOREIGN_SHELLS:
                self.add(
                    Hit(
                        "exec.foreign_shell",
                        "medium",
                        f"{name} -c runs code in a shell language the engine reads only "
                        "where it is sh's (its commands are judged as sh would run them)",
                        word.span,
                        "unknown",
                    )
                )
            if word.dynamic:
                self.add(
                    Hit(
                        "exec.dynamic_payload",
                        "high",
                        f"{name} -c runs a string that is only known at run time",
                        word.span,
                        "unknown",
                    )
                )
            return
        pos = [a for a in _shell_operands(cmd) if a.text not in ("-", *_STDIN_FILES)]
        # `-s` (read the program from stdin) counts among the shell's own options only:
        # after the script it is the script's (`sh ./NVIDIA-Linux.run -s`: silent install)
        if pos and not any(not t.startswith("--") and "s" in t[1:] for t in lead):
            self.downloaded_input(cmd)
            self.script_file(cmd, pos)
            return
        self.stdin_code(cmd, "shell")

    def downloaded_input(self, cmd: Cmd) -> None:
        """`curl URL | sh script`: the script runs with the download on its input, which
        it may run (`. /dev/stdin`, `read`); the engine sees neither, so it is judged as
        a download piped into a shell."""
        up = cmd.simple.upstream
        origin = _origin(up) if up is not None else None
        origin_cmd = make_cmd(origin, origin.words) if origin is not None else None
        if origin_cmd is not None and origin_cmd.name in toolbox.DOWNLOADERS:
            self.add(
                Hit(
                    "exec.pipe_download",
                    "high",
                    f"feeds code downloaded from the network to {_runner(cmd)} running a "
                    "script that may run it, unreviewed",
                    cmd.span,
                    "unknown",
                    suggest=_download_suggestion(origin_cmd),
                )
            )

    def eval(self, cmd: Cmd) -> None:
        if not cmd.args:
            return
        if toolbox.is_env_printer_eval(cmd):
            return
        self.payload(" ".join(cmd.argv), cmd.args, "exec.eval", "eval", in_place=True)
        if any(a.dynamic for a in cmd.args):
            self.add(
                Hit(
                    "exec.dynamic_payload",
                    "high",
                    "eval runs a string that is only known at run time",
                    cmd.span,
                    "unknown",
                )
            )

    def unreviewed_program(self, cmd: Cmd, path: str) -> bool:
        """A program file `cmd` runs (a script, a jar, a class path entry) that nobody
        reviewed: written, downloaded or unpacked earlier on this line, or kept in a temp or
        downloads folder (typed). A program already installed elsewhere is a plain yes,
        judged by the caller; True when this judged it."""
        if any(dataflow.same_file(path, w) for w in self.written):
            self.add(
                Hit(
                    "exec.written_then_run",
                    "high",
                    f"{cmd.name} runs {path}, written, downloaded or unpacked earlier on this "
                    "line: code nobody has reviewed",
                    cmd.span,
                    "unknown",
                    suggest=f"cat {path}",
                )
            )
            return True
        if dataflow.unreviewed_folder(path, self.cwds):
            self.add(
                Hit(
                    "exec.temp_script",
                    "high",
                    f"{cmd.name} runs {path!r} from a temp or downloads folder, where any "
                    "account (the agent's included) may have written it: code nobody has "
                    "reviewed",
                    cmd.span,
                    "unknown",
                    suggest=f"cat {path}",
                )
            )
            return True
        return False

    def script_file(self, cmd: Cmd, pos: list[Word]) -> None:
        target = pos[0] if pos else cmd.word
        written = any(dataflow.same_file(target.text, w) for w in self.written)
        if not written and cmd.name in (".", "source") and _OS_RELEASE.fullmatch(target.text):
            return  # the distribution's identity: variable assignments, by specification
        if self.unreviewed_program(cmd, target.text):
            return
        if (m := _VARIABLE.fullmatch(target.text)) and m.group(1) in self.read_names:
            self.add(
                Hit(
                    "exec.read_name_run",
                    "high",
                    f"{cmd.name} runs {target.text}, a file named by input read at run time "
                    "(another program's output chooses what runs): code nobody has reviewed",
                    cmd.span,
                    "unknown",
                )
            )
            return
        if pos and "<(" in pos[0].raw:
            self.add(
                Hit(
                    "exec.process_sub_shell",
                    "high",
                    f"{cmd.name} runs the output of another command as a script",
                    cmd.span,
                    "unknown",
                    suggest="save the script to a file and read it before running it",
                )
            )
            return
        self.add(
            Hit(
                "exec.script",
                "medium",
                f"{cmd.name} runs the script {target.text!r}, whose content the engine cannot see",
                cmd.span,
                "unknown",
                suggest=f"cat {target.text}",
            )
        )
        for named in toolbox.destructive_name(cmd, [target, *pos[1:]]):
            self.add(named)

    def stdin_code(self, cmd: Cmd, kind: str) -> None:
        """A shell or interpreter reading its program from stdin: judge where it comes
        from (a here-doc, a here-string, a pipe, a file)."""
        simple = cmd.simple
        literal = self.literal_input(cmd)
        if literal is not None:
            self.feed(cmd, kind, *literal)
            return
        source = next((r.target for r in simple.redirects if r.op == "<" and r.target), None)
        if source is not None:
            self.script_file(cmd, [source])
            return
        if simple.upstream is None:
            if kind == "shell":  # under sudo (`sudo bash`), it is `sudo -s`
                self.add(
                    Hit(
                        "exec.interactive_shell",
                        "high" if cmd.privileged else "medium",
                        f"starts an interactive {cmd.name}"
                        + (" with raised privileges" if cmd.privileged else ""),
                        cmd.span,
                        "system" if cmd.privileged else "unknown",
                    )
                )
            else:
                self.add(
                    Hit(
                        "exec.interpreter",
                        "medium",
                        f"{cmd.name} reads a program from stdin",
                        cmd.span,
                        "unknown",
                    )
                )
            return
        self.piped_code(cmd, kind, simple.upstream)

    def literal_input(self, cmd: Cmd) -> tuple[str, list[Word]] | None:
        """The text `cmd` reads on stdin when it is written on the line (a here-string,
        a here-doc, or `echo`/`printf`/`cat <<EOF` piped into it), with its words."""
        simple = cmd.simple
        for r in simple.redirects:
            if r.op == "<<<" and r.target is not None:
                return r.target.text, [r.target]
            if r.op in ("<<", "<<-") and simple.heredoc is not None:
                body, span = simple.heredoc
                body = _strip_delimiter(body, r.target.text if r.target else "")
                return body, [Word(body, span[0], span[1], self.src[span[0] : span[1]])]
        up = simple.upstream
        if up is None:
            return None
        upcmd = make_cmd(up, up.words)
        upname = upcmd.name if upcmd else ""
        if up.heredoc is not None and upname in ("cat", ""):
            body, hspan = up.heredoc
            delim = next(
                (r.target.text for r in up.redirects if r.op.startswith("<<") and r.target), ""
            )
            word = Word(body, hspan[0], hspan[1], self.src[hspan[0] : hspan[1]])
            return _strip_delimiter(body, delim), [word]
        if upcmd is not None and upname in ("echo", "printf") and upcmd.args:
            return _echo_text(upcmd), upcmd.args
        return None

    def piped_code(self, cmd: Cmd, kind: str, up: Simple) -> None:
        """Code piped in from a command that does not write it out on the line."""
        upcmd = make_cmd(up, up.words)
        upname = upcmd.name if upcmd else ""
        span = (up.span[0], cmd.span[1])
        if upcmd is not None and (decoded := _decoded(upcmd)) is not None:
            self.add(
                Hit(
                    "exec.obfuscated",
                    "high",
                    f"decodes hidden text and runs it with {cmd.name}",
                    span,
                    "unknown",
                    suggest=f"{_readable_decode(upcmd)} (read it first)",
                )
            )
            self.feed(
                cmd,
                kind,
                decoded,
                upcmd.simple.upstream.words[1:] if upcmd.simple.upstream else upcmd.args,
            )
            return
        origin = _origin(up)
        origin_cmd = make_cmd(origin, origin.words)
        if origin_cmd is not None and origin_cmd.name in toolbox.DOWNLOADERS:
            via = f" (through {upname})" if origin is not up else ""
            self.add(
                Hit(
                    "exec.pipe_download",
                    "high",
                    f"runs code downloaded from the network{via} with {_runner(cmd)}, unreviewed",
                    span,
                    "unknown",
                    suggest=_download_suggestion(origin_cmd),
                )
            )
            return
        if upname in ("cat", "head", "tail") and upcmd and upcmd.positional():
            self.script_file(cmd, upcmd.positional())
            return
        self.add(
            Hit(
                "exec.pipe_shell",
                "high",
                f"runs the output of {upname or 'a command'} as a program with {_runner(cmd)}",
                span,
                "unknown",
            )
        )

    def feed(self, cmd: Cmd, kind: str, text: str, words: list[Word]) -> None:
        """Code given as literal text: shell is re-parsed, other languages scanned. Shell
        text the line shows in full is judged as itself, as `bash -c TEXT` is (fourteenth
        pass: `bash <<< 'echo "$BASH_VERSION"'` reads); another language's scan may miss
        what its code does, so running it stays a change at least."""
        self.add(
            Hit(
                "exec.text_as_code",
                "info" if kind == "shell" else "medium",
                f"runs text as a program with {cmd.name}",
                cmd.span,
                "unknown",
            )
        )
        if kind == "shell":
            self.payload(text, words, "exec.pipe_shell", f"text run by {cmd.name}")
        else:
            code.judge_code(self, cmd, text, words)

    def interpreter(self, cmd: Cmd) -> None:
        if cmd.args and all(a.text in _HELP_WORDS | {"-V", "-VV", "-v", "-h"} for a in cmd.args):
            # `python3 -V` (`-VV`: with the build), `node --version`: only `ruby -v -e
            # CODE` would run code
            return
        if cmd.name == "python" and (
            module := next((w for w in self.written if _python_module_in(w, self.cwds)), None)
        ):
            self.add(
                Hit(
                    "exec.written_then_run",
                    "high",
                    f"python imports modules from the folder it runs in first, and {module} "
                    "was written there earlier on this line (`import json` loads it): code "
                    "nobody has reviewed",
                    cmd.span,
                    "unknown",
                    suggest=f"cat {module}",
                )
            )
        code.judge_interpreter(self, cmd)


# Commands that pass their input on (filtered, decompressed, copied): code piped through
# them still comes from where their input came from.
_PASSTHROUGH = frozenset(
    {
        "tee",
        "cat",
        "pv",
        "buffer",
        "mbuffer",
        "dd",
        "sed",
        "tr",
        "head",
        "tail",
        "grep",
        "cut",
        "sort",
        "uniq",
        "gunzip",
        "zcat",
        "gzip",
        "xz",
        "unxz",
        "bzip2",
        "bunzip2",
        "zstd",
        "zstdcat",
        "xzcat",
        "bzcat",
        "pigz",
        "unpigz",
        "lz4",
        "brotli",
        "dos2unix",
        "iconv",
        "stdbuf",
    }
)


def _origin(up: Simple) -> Simple:
    """Where piped input really comes from: `curl URL | tee f | sh` runs curl's output."""
    seen = 0
    while up.upstream is not None and up.words and seen < 32:
        name = command_name(up.words[0].text)
        if name not in _PASSTHROUGH:
            break
        up, seen = up.upstream, seen + 1
    return up


def _runner(cmd: Cmd) -> str:
    """`sh`, or `sh as root` when it was reached through sudo/doas/su."""
    return f"{cmd.name} as root" if cmd.privileged else cmd.name


# Wrappers whose option runs the wrapped command in another folder.
_WRAPPER_CHDIR: dict[str, tuple[str, ...]] = {
    "sudo": ("D", "chdir"),
    "systemd-run": ("working-directory",),
}


def _start_folder(own: Cmd) -> str | None:
    """Where a wrapper starts its command when no option names the folder (None: where
    the line is). The system manager starts a transient service in `/`, a user manager in
    the home folder (systemd.exec's `WorkingDirectory=`), unless `--scope` or `--same-dir`
    keeps the caller's; a login (`sudo -i`) starts in the account's home. GTFOBins'
    `systemd-run python3 -m http.server` serves the whole filesystem (nineteenth pass)."""
    if own.name == "systemd-run" and not own.has("scope", "d", "same-dir", "S", "shell"):
        return "~" if own.has("user") else "/"
    if own.name == "sudo" and own.has("i", "login"):
        return _home_of(own.option_value("u", "user"))
    return None


def _working_directory_property(own: Cmd) -> str | None:
    """`systemd-run -p WorkingDirectory=/ CMD` (`--property=...`): the folder the unit
    property names, as `--working-directory=` does (rev19b: `--same-dir` or `--scope`
    beside it no longer hides a folder of the caller's choosing)."""
    args = [a.text for a in own.args]
    for i, a in enumerate(args):
        value = None
        if a in ("-p", "--property") and i + 1 < len(args):
            value = args[i + 1]
        elif a.startswith("--property="):
            value = a.partition("=")[2]
        elif a.startswith("-p") and not a.startswith("--"):
            value = a[2:]
        if value and value.startswith("WorkingDirectory="):
            folder = value.partition("=")[2].lstrip("-!")
            return folder or "/"
    return None


def _home_of(user: str | None) -> str:
    """An account's usual home folder (`/root`, `/home/deploy`): what `~USER` names."""
    name = user or "root"
    if not _USER_HOME.match("~" + name):
        return "/root" if name in ("#0", "0") else "/home"  # a uid: some account's home
    return "/root" if name == "root" else f"/home/{name}"


# Tools whose option makes them work in another folder, and that option's names.
_CHDIR_OPTIONS: dict[str, tuple[str, ...]] = {
    "git": ("C", "work-tree"),
    "make": ("C", "directory"),
    "gmake": ("C", "directory"),
    "ninja": ("C",),
    "just": ("d", "working-directory"),
    # a leading dash: a single-dash long option (`terraform -chdir=infra/eu1 plan`)
    "terraform": ("-chdir",),
    "tofu": ("-chdir",),
}


def _chdir_option(cmd: Cmd) -> Word | None:
    """The folder a `-C DIR`-style option names (None when there is none)."""
    names = _CHDIR_OPTIONS.get(cmd.name)
    for i, a in enumerate(cmd.args if names else []):
        for n in names or ():
            flag = n if n.startswith("-") else f"-{n}" if len(n) == 1 else f"--{n}"
            attached = flag if len(n) == 1 else flag + "="
            if a.text == flag and i + 1 < len(cmd.args):
                return cmd.args[i + 1]
            if a.text.startswith(attached) and len(a.text) > len(attached):
                value = a.text[len(attached) :]
                return Word(value, a.start, a.end, value)
    return None


def _unquoted_expansion(word: Word) -> bool:
    """`$c`, `${c}`, `$(cmd)`: a word whose value is split into words at run time."""
    return word.dynamic and not word.raw.startswith(('"', "'"))


_MAX_CWDS = 8  # more possible folders than this: the working folder is unknown


def _enter(word: Word | None, cwd: str | None) -> str | None:
    """The folder `cd WORD` enters from `cwd` (None when it cannot be known). A folder
    of the home (`cd`, `cd ~/.ssh`, `cd "$HOME/.kube"`) is kept as `~/...`: the jail
    counts it as outside, and a relative name read there is classed as a home file.
    Another account's (`cd ~deploy`) is its usual home, `/home/deploy` (`/root` for root):
    what a server started there publishes is that account's keys and history."""
    if word is None:
        return "~"
    home = _HOME_FOLDER.match(word.text)
    if home is not None:
        return normalize_path("~" + (home.group(1) or ""))
    if (user := _USER_HOME.match(word.text)) and not word.dynamic:
        return normalize_path(_home_of(word.text[1:].split("/")[0]) + (user.group(1) or ""))
    if word.dynamic or word.text.startswith(("~", "-")):
        return None
    return resolve(word.text, cwd)


# `~`, `$HOME`, `${HOME}`, alone or followed by a path with no other expansion.
_HOME_FOLDER = lazy(r"^(?:~|\$HOME|\$\{HOME\})(/[^$`]*)?$")
# `~USER/...`: another account's home (`~root/.ssh/id_rsa` is a key).
_USER_HOME = lazy(r"^~[a-z_][a-z0-9_.-]*(/[^$`]*)?$")


def _mask_quotes(src: str) -> str:
    """`src` with quoted text blanked (same length): a fork bomb inside quotes is data."""
    out, quote = [], ""
    for c in src:
        if quote:
            out.append(c if c == quote else " ")
            quote = "" if c == quote else quote
        else:
            out.append(c)
            quote = c if c in "'\"" else ""
    return "".join(out)


_HELP_WORDS = frozenset({"--help", "-help", "--version", "-version", "--usage"})


def _lead_options(cmd: Cmd) -> set[str]:
    """A shell's own options: the words before its script, `-c` payload or `--`."""
    out: set[str] = set()
    for a, is_value in _shell_lead(cmd):
        if not is_value:
            out.add(a.text)
    return out


def _shell_operands(cmd: Cmd) -> list[Word]:
    """The script and its arguments: the words after the shell's own options (an option's
    value, `-O extglob`, is no script)."""
    lead = len(_shell_lead(cmd))
    rest = cmd.args[lead:]
    return rest[1:] if rest and rest[0].text == "--" else rest


def _shell_lead(cmd: Cmd) -> list[tuple[Word, bool]]:
    """The words of a shell's own options, each with whether it is an option's value:
    `+o`/`-o`/`-O`/`+O` (alone or ending a cluster), `--rcfile` and `--init-file` take the
    next word, so the `-s` after `bash -O extglob -s` is still the shell's (rev20a: it was
    read as the script `extglob`'s, and an interactive root shell was a script run)."""
    out: list[tuple[Word, bool]] = []
    takes_value = False
    for a in cmd.args:
        t = a.text
        if takes_value:
            out.append((a, True))
            takes_value = False
            continue
        if t == "--" or not t.startswith(("-", "+")) or t in ("-", "+"):
            break
        out.append((a, False))
        if _is_short(t, "c"):
            break
        takes_value = t in _SHELL_VALUE_OPTIONS or (
            not t.startswith("--") and t[1:].isalpha() and t[-1] in "oO"
        )
    return out


_SHELL_VALUE_OPTIONS = frozenset({"--rcfile", "--init-file"})


def _is_short(text: str, letter: str) -> bool:
    """`-c`, `-lc`, `-ec`: a short-option cluster ending in `letter` (its value follows)."""
    return (
        text.startswith("-")
        and not text.startswith("--")
        and text.endswith(letter)
        and text[1:].isalpha()
    )


def _strip_delimiter(body: str, delim: str) -> str:
    lines = body.rstrip("\n").split("\n")
    if lines and delim and lines[-1].strip() == delim:
        lines = lines[:-1]
    return "\n".join(lines)


def _echo_text(cmd: Cmd) -> str:
    """The text `echo`/`printf` writes; printf and `echo -e` turn `\\n` into a line
    break, so each line of a script piped from them is read as its own line."""
    args = [a.text for a in cmd.args]
    if cmd.name == "printf" and args and (text := _printf_text(args)) is not None:
        return text
    escapes = cmd.name == "printf"
    while args and args[0] in ("-n", "-e", "-E", "-ne", "-en"):
        escapes = escapes or "e" in args[0]
        args = args[1:]
    text = " ".join(args)
    return _ESCAPE.sub(_unescape, text) if escapes else text


# A printf conversion: `%s` and `%%` are the ones whose output the engine can write out.
_CONVERSION = lazy(r"%(?:[^%a-zA-Z]*[a-zA-Z]|%)")


def _printf_text(args: list[str]) -> str | None:
    """What `printf FORMAT ARG...` writes when FORMAT converts only with `%s`: the format
    again for each group of arguments, its escapes turned into characters and the
    arguments kept as they are (`printf '%s\\0' push --force | xargs -0 git` feeds
    `push` and `--force`). None for any other conversion."""
    fmt, rest = args[0], args[1:]
    pieces = _CONVERSION.split(fmt)
    conversions = _CONVERSION.findall(fmt)
    if any(c not in ("%s", "%%") for c in conversions):
        return None
    slots = conversions.count("%s")
    groups = [rest[i : i + slots] for i in range(0, len(rest), slots)] if slots else []
    out: list[str] = []
    for group in groups or [[]]:
        values = iter(group)
        for piece, conversion in zip(pieces, [*conversions, ""], strict=True):
            out.append(_ESCAPE.sub(_unescape, piece))
            out.append("%" if conversion == "%%" else next(values, "") if conversion else "")
    return "".join(out)


# The backslash escapes printf and `echo -e` turn into characters: hex and octal ones
# spell a command no word shows (`printf '\x72\x6d -rf /srv' | sh`).
_ESCAPE = lazy(r"\\(x[0-9a-fA-F]{1,2}|0?[0-7]{1,3}|[\\abfnrtv])")
_SIMPLE_ESCAPES = {
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
}


# A word that is only a substitution printing literal text (`$(printf '\144\145...')`,
# `` `echo delete` ``): its quotes, and the text between them, holding no `$`, backtick or
# further substitution.
_PRINTED_LITERAL = lazy(
    r"^(\"?)(?:\$\(|`)\s*(printf|echo(?:\s+-[neE]+)?)\s+"
    r"(?:'([^'$`\\%]*(?:\\[0-7xa-fA-Fnt\\][^'$`\\%]*)*)'|([\w./,:=@+-]+))\s*(?:\)|`)\1$"
)


def _printed_literal(word: Word) -> list[Word] | None:
    """The words a substitution that only prints literal text gives (sixteenth pass:
    `kubectl $(printf '\144\145\154\145\164\145') ns shop` deletes the namespace):
    printf's and `echo -e`'s escapes turned into characters, the trailing newlines cut as
    `$(...)` cuts them, and split into words unless quoted. None for any other word."""
    m = _PRINTED_LITERAL.match(word.raw)
    if m is None:
        return _printf_formatted(word)
    quoted, printer, text = m.group(1), m.group(2), m.group(3) or m.group(4) or ""
    if printer == "printf" or "e" in printer[4:]:
        text = _ESCAPE.sub(_unescape, text)
    text = text.rstrip("\n")
    parts = [text] if quoted else text.split()
    # the raw text stays the substitution's: a convention that trusts only a plain word
    # (an unknown tool's read verb) does not take `$(echo zztool) status` for one
    return [Word(p, word.start, word.end, word.raw) for p in parts] or None


# `$(printf '/etc/%s' shadow)`: printf given a format and literal arguments (rev16a).
_PRINTF_FORMATTED = lazy(
    r"^(\"?)(?:\$\(|`)\s*printf\s+((?:'[^'$`]*'|[\w./,:=@+%-]+)(?:\s+(?:'[^'$`]*'|[\w./,:=@+%-]+))+)"
    r"\s*(?:\)|`)\1$"
)
_DIRECTIVE = lazy(r"%([-+ #0]*)(\d*)(?:\.(\d*))?([sbcdiouxX%])")


def _printf_formatted(word: Word) -> list[Word] | None:
    """The words `$(printf FORMAT ARG...)` gives when every part is literal: the format's
    `%s`, `%b`, `%c`, `%d` filled from the arguments, the format used again while
    arguments are left, as printf does. None for any other word."""
    m = _PRINTF_FORMATTED.match(word.raw)
    if m is None:
        return None
    try:
        fmt, *args = shlex.split(m.group(2))
    except ValueError:
        return None
    fmt = _ESCAPE.sub(_unescape, fmt)
    out: list[str] = []
    for _ in range(16):

        def fill(d: re.Match[str]) -> str:
            if d.group(4) == "%":
                return "%"
            value = args.pop(0) if args else ""
            if d.group(4) == "b":
                value = _ESCAPE.sub(_unescape, value)
            elif d.group(4) == "c":
                value = value[:1]
            spec = f"%{d.group(1)}{d.group(2)}" + (
                f".{d.group(3) or 0}" if d.group(3) is not None else ""
            )
            return (spec + "s") % value

        try:
            out.append(_DIRECTIVE.sub(fill, fmt))
        except (TypeError, ValueError):
            return None
        if not args or not _DIRECTIVE.search(fmt.replace("%%", "")):
            break
    text = "".join(out).rstrip("\n")
    parts = [text] if m.group(1) else text.split()
    return [Word(p, word.start, word.end, word.raw) for p in parts] or None


def _unescape(m: re.Match[str]) -> str:
    code = m.group(1)
    if code in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[code]
    return chr(int(code[1:], 16) if code[0] == "x" else int(code, 8))


_DECODERS = {
    "base64": ("d", "decode"),
    "base32": ("d", "decode"),
    "xxd": ("r",),
    "openssl": ("d",),
    "basenc": ("d", "decode"),
}


def _decoded(cmd: Cmd) -> str | None:
    """The text a decoder in a pipe produces ('' when it cannot be known), or None when
    `cmd` is not a decoder."""
    flags = _DECODERS.get(cmd.name)
    if flags is None or not cmd.has(*flags):
        if cmd.name == "rev" or (cmd.name == "tr" and cmd.args):
            flags = ()
        else:
            return None
    up = cmd.simple.upstream
    upcmd = make_cmd(up, up.words) if up else None
    herestring = next(
        (r.target.text for r in cmd.simple.redirects if r.op == "<<<" and r.target), None
    )
    text = (
        herestring
        if herestring is not None
        else (_echo_text(upcmd) if upcmd and upcmd.name in ("echo", "printf") else None)
    )
    if text is None:
        return ""
    import base64  # here: rare, and with binascii ~0.7 ms of every check's start
    import binascii

    try:
        if cmd.name == "base64" or cmd.name == "openssl":
            return base64.b64decode(text.strip() + "==", validate=False).decode("utf-8", "replace")
        if cmd.name == "rev":
            return text[::-1]
    except (binascii.Error, ValueError):
        return ""
    return ""


def _readable_decode(cmd: Cmd) -> str:
    return f"{cmd.word.text} {' '.join(cmd.argv)}".strip()


def _download_suggestion(cmd: Cmd | None) -> str:
    url = next((a.text for a in (cmd.args if cmd else []) if "://" in a.text), "URL")
    return f"curl -fsSL {url} -o /tmp/script.sh && less /tmp/script.sh"


# --- wrappers -------------------------------------------------------------------------

Wrapper = Callable[[Analysis, Cmd], None]


def _skip_options(
    cmd: Cmd,
    with_value: str = "",
    long_with_value: tuple[str, ...] = (),
    stop_at_first: bool = True,
) -> list[Word]:
    """The words after a wrapper's own options (and `--`)."""
    args = cmd.args
    i = 0
    while i < len(args):
        t = args[i].text
        if t == "--":
            return args[i + 1 :]
        if not t.startswith("-") or t == "-":
            return args[i:]
        if t.startswith("--"):
            if "=" not in t and t[2:] in long_with_value:
                i += 1
        elif _cluster_takes_next(t, with_value):
            i += 1
        i += 1
    return []


def _cluster_takes_next(word: str, with_value: str) -> bool:
    """Does the short-option cluster `word` end with an option whose value is the next
    word? `-iu postgres`, `-fNR 2222:h:22`: yes; `-uroot` (the value attached): no."""
    for j, c in enumerate(word[1:], start=1):
        if c in with_value:
            return j == len(word) - 1
    return False


def _sudo(an: Analysis, cmd: Cmd) -> None:
    rest = _skip_options(cmd, *_SUDO_VALUES)
    own = _own(cmd, rest)
    if own.has("l", "v", "V", "k", "K", "list", "validate", "help", "version") and not rest:
        return
    if cmd.name == "doas" and own.has(*_RUNS_NOTHING["doas"]):
        return  # `doas -C CONFIG CMD`: whether CONFIG permits CMD, which does not run
    while rest and "=" in rest[0].text and rest[0].text.split("=")[0].isidentifier():
        an.assignment(rest[0])
        rest = rest[1:]
    shell = own.has("i", "s", "login", "shell")
    if not rest:
        fed = cmd.simple.upstream is not None or any(
            r.op in ("<<<", "<<", "<<-") for r in cmd.simple.redirects
        )
        if fed and shell:
            an.stdin_code(cmd, "shell")
        elif shell or cmd.name == "sudo":
            an.add(
                Hit(
                    "priv.root_shell",
                    "high",
                    f"{cmd.name} opens an interactive root "
                    "shell (nothing after it can be reviewed)",
                    cmd.span,
                    "system",
                )
            )
        return
    if shell:
        # sudo -i/-s hands the words to the shell escaped one by one, so they keep their
        # argument boundaries (`sudo -i psql -c "DROP DATABASE x"`) except where `$`
        # expands: judged both ways, the worse reading counts
        an.payload(" ".join(w.text for w in rest), rest, "exec.shell_c", f"{cmd.name} -s")
    an.again(cmd, rest, privileged=True)


def _env(an: Analysis, cmd: Cmd) -> None:
    rest = _skip_options(cmd, *_TRANSPARENT["env"][:2])
    own = _own(cmd, rest)  # `env X=1 sort -S 1K` has no `-S` of its own
    split = own.option_value("S", "split-string")
    if split is not None:
        an.payload(split, cmd.args, "exec.env_split", "env -S")
        return
    while rest and "=" in rest[0].text and not rest[0].text.startswith("="):
        an.assignment(rest[0])
        rest = rest[1:]
    chdir = own.option_value("C", "chdir")
    if chdir is None:
        an.again(cmd, rest)
        return
    saved = an.cwds  # `env -C DIR CMD`: CMD's relative paths are under DIR
    an.cwds = tuple(dict.fromkeys(resolve(chdir, c) for c in saved))
    an.again(cmd, rest)
    an.cwds = saved


# sudo's (and doas's) options that take a value: short letters, long names.
_SUDO_VALUES = (
    "ugpChDrtUTR",
    ("user", "group", "prompt", "host", "chdir", "close-from", "role", "type", "other-user"),
)
# Wrappers that run their command with their own input and output, so a pipe into or out
# of one is a pipe into or out of the command (`nice -n 5 echo 'FLUSHALL' | redis-cli`
# feeds echo's text to redis-cli). Each with its options that take a value (short
# letters, long names) and how many arguments come before the command.
_TRANSPARENT: dict[str, tuple[str, tuple[str, ...], int]] = {
    "sudo": (*_SUDO_VALUES, 0),
    "doas": (*_SUDO_VALUES, 0),
    "env": ("uCS", ("unset", "chdir", "split-string"), 0),
    "nice": ("n", ("adjustment",), 0),
    "ionice": ("cnp", ("class", "classdata"), 0),
    "choom": ("np", ("adjust", "pid"), 0),
    "timeout": ("sk", ("signal", "kill-after"), 1),
    "nohup": ("", (), 0),
    "setsid": ("", (), 0),
    "stdbuf": ("ioe", ("input", "output", "error"), 0),
    "chrt": ("", (), 1),
    "taskset": ("", (), 1),
    "time": ("fo", ("format", "output"), 0),
    "command": ("", (), 0),
    "builtin": ("", (), 0),
    "exec": ("a", (), 0),
    "nocache": ("", (), 0),
    "eatmydata": ("", (), 0),
}
# Options with which a transparent wrapper runs nothing (`command -v rm` names rm,
# `sudo -l CMD` says whether CMD is allowed, `ionice -p PID` sets a process's priority).
_RUNS_NOTHING = {
    "command": ("v", "V"),
    "sudo": ("l", "list", "v", "validate"),
    # doas -C CONFIG [CMD]: checks CONFIG and whether it permits CMD, and exits
    "doas": ("L", "C"),
    "ionice": ("p", "P", "u", "pid", "pgid", "uid"),
    "choom": ("p", "pid"),
}


def _inner_words(cmd: Cmd) -> list[Word]:
    """The command a wrapper of `_TRANSPARENT` runs ([] when it runs none)."""
    with_value, long_with_value, skip = _TRANSPARENT[cmd.name]
    rest = _skip_options(cmd, with_value, long_with_value)[skip:]
    if _own(cmd, rest).has(*_RUNS_NOTHING.get(cmd.name, ())):
        return []
    if cmd.name in ("sudo", "doas", "env"):  # `env X=1 CMD`, `sudo VAR=x CMD`
        while rest and _ASSIGNED.match(rest[0].text):
            rest = rest[1:]
    return rest


def _own(cmd: Cmd, inner: list[Word]) -> Cmd:
    """`cmd` with only its own arguments: the wrapped command's options are not the
    wrapper's (`ionice -c3 terraform apply -auto-approve` has no `-p` or `-u`)."""
    return Cmd(cmd.name, cmd.word, cmd.args[: len(cmd.args) - len(inner)], cmd.simple)


def through_runners(simple: Simple, words: list[Word]) -> Simple:
    """`simple`, whose words expand to `words`, seen past the wrappers that run a command
    with their own input and output: what a pipe carries is that command's (`sudo -u app
    find ... | xargs rm`, `/usr/bin/env printenv | grep TOKEN`). The span, redirections
    and upstream stay."""
    for _ in range(8):
        cmd = make_cmd(simple, words)
        if cmd is None or cmd.name not in _TRANSPARENT or not (inner := _inner_words(cmd)):
            break
        words = dataflow.brace_words(inner[0]) or inner[:1]
        words = words + inner[1:]
    if words == simple.words:
        return simple
    return Simple(
        words,
        simple.span,
        simple.assigns,
        simple.redirects,
        simple.upstream,
        simple.heredoc,
        simple.scopes,
    )


def _plain(
    with_value: str = "", long_with_value: tuple[str, ...] = (), positional_first: int = 0
) -> Wrapper:
    """A wrapper of the form `NAME [options] [N leading arguments] COMMAND...`."""

    def unwrap(an: Analysis, cmd: Cmd) -> None:
        rest = _skip_options(cmd, with_value, long_with_value)
        an.again(cmd, rest[positional_first:])

    return unwrap


def _setarch(an: Analysis, cmd: Cmd) -> None:
    """`setarch ARCH [-R] CMD`, `linux32 CMD`, `x86_64 -R CMD` (util-linux's aliases name
    the architecture): CMD runs with another personality; its options may come before or
    after ARCH, and without CMD it starts /bin/sh."""
    rest = _skip_options(cmd)
    if cmd.name == "setarch" and rest:
        rest = _skip_options(Cmd(cmd.name, cmd.word, rest[1:], cmd.simple))
    if rest:
        an.again(cmd, rest)
    elif not cmd.has("list", "h", "help", "V", "version"):
        _interactive_shell(an, cmd)


def _entering(with_value: str, long_with_value: tuple[str, ...]) -> Wrapper:
    """A wrapper that runs COMMAND in a container, or a shell there when none is given
    (`lxc-attach -n web`, `systemd-nspawn -D DIR`): nothing typed into it is reviewed."""

    def unwrap(an: Analysis, cmd: Cmd) -> None:
        rest = _skip_options(cmd, with_value, long_with_value)
        if rest:
            an.again(cmd, rest)
            return
        _interactive_shell(an, cmd)

    return unwrap


def _interactive_shell(an: Analysis, cmd: Cmd) -> None:
    """`cmd` starts a shell: what is typed into it is never reviewed."""
    an.add(
        Hit(
            "exec.interactive_shell",
            "medium",
            f"{cmd.name} starts a shell whose commands the engine cannot see",
            cmd.span,
            "unknown",
        )
    )


_SYSTEMD_RUN_VALUES = ("unit", "property", "uid", "gid", "setenv", "working-directory")


def _systemd_run(an: Analysis, cmd: Cmd) -> None:
    """`systemd-run [options] CMD`: the system manager starts CMD as root unless `--user`
    (the caller's own manager), `--uid=` or `-p User=` name another account (eighteenth
    pass: `systemd-run --pty --uid=0 bash` is `sudo -i`); `--shell` with no command
    starts the account's shell."""
    rest = _skip_options(cmd, "pEu", _SYSTEMD_RUN_VALUES)
    users = [cmd.option_value("uid")] + [
        v.partition("=")[2] for v in cmd.option_values("p", "property") if v[:5].lower() == "user="
    ]
    root = not cmd.has("user") and all(u in (None, "0", "root") for u in users)
    if not rest and cmd.has("S", "shell"):
        rest = [Word("bash", cmd.word.start, cmd.word.end, "bash")]
    an.again(cmd, rest, privileged=root)


def _xargs(an: Analysis, cmd: Cmd) -> None:
    rest = _skip_options(
        cmd,
        "adEeIiLlnPs",
        (
            "arg-file",
            "delimiter",
            "eof",
            "replace",
            "max-lines",
            "max-args",
            "max-procs",
            "max-chars",
            "process-slot-var",
        ),
    )
    # `-a FILE` reads the items from FILE, not from the line's pipe: what the pipe shows
    # is not what runs (`printf ... | xargs -0 xargs -a F git push --delete`)
    from_file = cmd.has("a", "arg-file")
    literal = None if from_file else an.literal_input(cmd)
    listed = [] if from_file else _listed_names(cmd.simple.upstream)
    kube: list[Word] = []
    replace_str = cmd.option_value("I", "replace") or ("{}" if cmd.has("i") else None)
    if replace_str and rest:
        # `ls /root/.ssh | xargs -I{} cat /root/.ssh/{}`: the placeholder is each listed
        # name, any name when the list is not known (a pattern: `/root/.ssh/*`)
        item = listed[0] if listed else "*"
        rest = [rest[0]] + [
            Word(
                w.text.replace(replace_str, item), w.start, w.end, w.raw.replace(replace_str, item)
            )
            for w in rest[1:]
        ]
    elif literal is not None and rest:  # `echo /etc/shadow | xargs cat`: the words are args
        at = rest[-1].end
        nul = any(_XARGS_NUL.fullmatch(w.text) for w in _own(cmd, rest).args)
        items = literal[0].split("\0") if nul else _BLANK_OR_NUL.split(literal[0])
        # an item written as a word on the line keeps that word's place (the rules that
        # read subcommand words by where they are see `exec 201 -- rm ...` in order)
        written = {w.text: w for w in literal[1]}
        rest = rest + [written.get(w) or Word(w, at, at, w) for w in items[:64] if w]
    elif listed and rest:  # `find /srv -name '.env*' | xargs cat`: the credentials found
        at = rest[-1].end
        rest = rest + [Word(w, at, at, w) for w in listed]
    elif rest and (kube := _kube_listed(an, cmd.simple.upstream, rest)):
        rest = rest + kube
    inner = make_cmd(cmd.simple, rest, cmd.privileged)
    if inner is None:
        return
    _found_credentials_read(an, cmd, inner)
    _unbounded_jobs(an, cmd, "xargs", cmd.option_value("P", "max-procs"))
    inner_hits_before = len(an.hits)
    an.command(inner)
    lister = _lister(cmd.simple.upstream)
    if lister is not None:
        # `find /srv/app/tmp -mmin +120 | xargs rm` is the aged cleanup `-delete` would be
        _scope_to_listing(an, lister, inner_hits_before, f"{lister.name} | xargs")
    if lister is not None and lister.name == inner.name and _deletes(inner) and not kube:
        an.add(
            Hit(
                "exec.xargs_mass_delete",
                "high",
                f"{inner.name} deletes every item {lister.name} lists (a pattern or a whole "
                "listing, not a reviewed set)",
                cmd.span,
                "tree",
            )
        )
    if inner.name in ("rm", "shred", "kill", "chmod", "chown") and len(an.hits) == (
        inner_hits_before
    ):
        an.add(
            Hit(
                "fs.xargs_args",
                "medium",
                f"{inner.name} gets its arguments from stdin",
                cmd.span,
                "tree",
            )
        )


# xargs reading items ended by NUL (`-0`, `--null`, `-0r`), and how it splits otherwise.
_XARGS_NUL = lazy(r"--null|-[rtpx]*0[0rtpx]*")
_BLANK_OR_NUL = lazy(r"[\s\0]+")
# `'core.fsmonitor'='cmd' 'user.name'='x'`: the settings git reads from GIT_CONFIG_PARAMETERS.
_GIT_CONFIG_PAIR = lazy(r"'([^']*)'='([^']*)'")
_GIT_CONFIG_VALUE = lazy(r"GIT_CONFIG_VALUE_(\d+)")


# Apptainer's and Singularity's settings read from the environment (`APPTAINER_BIND`,
# `SINGULARITYENV_LD_PRELOAD`...): `apptainer.exec_local` judges a command run in a local
# image as itself only when nothing binds more of the host or changes its environment
# (fourteenth pass).
_CONTAINER_RUNTIME_VARS = ("APPTAINER", "SINGULARITY")
# GOFLAGS that name a program go runs (`-toolexec=/tmp/x`): judged as on go's line.
_GO_PROGRAM_FLAG = lazy(
    r"(?:^|\s)--?(?:toolexec|vettool|exec|overlay)\b|(?:^|\s)--?modfile=['\"]?(?:/tmp|/var/tmp|/dev/shm)/"
)


# NCCL's plugin variables name a shared library every process of a job loads (a bare
# name is looked up in the library path; a path is loaded as it is).
_NCCL_PLUGIN_VARS = frozenset({"NCCL_NET_PLUGIN", "NCCL_TUNER_PLUGIN", "NCCL_PROFILER_PLUGIN"})


def _planted_library(name: str, value: str) -> str:
    """An entry of LD_PRELOAD/LD_AUDIT outside the system's own library folders, or of
    LD_LIBRARY_PATH in a temp, relative or run-time folder: code there was put by
    whoever could write it (the agent). '' when every entry is a system library."""
    for entry in re.split(r"[:\s]+", value):
        if not entry:
            continue
        cls = classify(entry)
        if name == "LD_LIBRARY_PATH":
            if cls in ("temp", "dynamic") or not entry.startswith("/") or "/." in entry:
                return entry
        elif cls != "critical" or "/." in entry:
            return entry
    return ""


def _python_module_in(written: str, cwds: tuple[str | None, ...]) -> bool:
    """Is `written` a module python would import from the folder it runs in (a `.py`,
    `.pth` or extension file there, or in a package folder under it)?"""
    return written.endswith((".py", ".pth", ".so")) and dataflow.in_project(written, cwds)


# ssh-add's options that only list the agent's keys' fingerprints (`-l`, with the hash
# `-E`). Not `-L`: the public halves name the accounts and hosts they open (held-out v7
# labels printing another session's critical).
_AGENT_LISTING = lazy(r"^-[qv]*l[qv]*(?:E(?:sha256|md5)?)?$|^-E(?:sha256|md5)?$|^sha256$|^md5$")


def _lists_agent_keys(words: list[Word]) -> bool:
    """`SSH_AUTH_SOCK=SOCK ssh-add -l -E sha256` (eighteenth pass): which keys an agent
    holds, by fingerprint; nothing is signed, added or removed. Any other command on that
    socket (`ssh`, `git push`, `ssh-add -D`, `ssh-add -L`) uses, changes or prints its
    keys."""
    if not words or command_name(words[0].text) != "ssh-add":
        return False
    args = [w.text for w in words[1:]]
    return any(a.startswith("-") and "l" in a[1:] for a in args) and all(
        _AGENT_LISTING.match(a) for a in args
    )


# A `+CMD` among the options in LESS (`-R +!id`).
_LESS_START_COMMAND = lazy(r"(?:^|\s)\+")


def _temp_operand(cmd: Cmd) -> str:
    """The first file or folder `cmd` is given (no option's value) in a temp folder ('' if
    none)."""
    return next((w.text for w in cmd.positional() if classify(w.text) == "temp"), "")


def _temp_entry(value: str) -> str:
    """The first entry of a search path (`:`, `;` or space separated) in a temp folder
    ('' if none): a project's own folders (`.`, `src`, `/srv/app/lib`) are routine."""
    return next((e for e in re.split(r"[:;\s]+", value) if e and classify(e) == "temp"), "")


def _writable_path_entry(value: str) -> str:
    """The first PATH entry, before the system folders, that anyone or the agent can
    write: a temp folder, the current folder (empty or `.`) or a relative one ('' if
    none). `$PATH` itself and the account's own bin folders are not."""
    for entry in value.split(":"):
        if entry in ("$PATH", "${PATH}") or classify(entry) in ("system", "root", "critical"):
            return ""
        if entry in ("", ".") or classify(entry) == "temp" or not entry.startswith(("/", "~", "$")):
            return entry or "the current folder"
    return ""


# A loop over what a listing prints (left18): `for f in $(LISTING); do`, `LISTING | while
# read f; do`, `while read f; do ... done < <(LISTING)`.
_FOR_LISTING = lazy(r"\bfor\s+([A-Za-z_]\w*)\s+in\s+(?:\$\(|`)([^)`]+)[)`]")
_READ = (
    r"while\s+(?:IFS=\S*\s+)?read\b(?:\s+-(?:[rs]+|[dnNptu]\s*(?:''|\"\"|\S+)))*"
    r"\s+([A-Za-z_]\w*)\s*;?\s*do\b"
)
_PIPED_READ = lazy(r"\|\s*" + _READ)
_FED_READ = lazy(_READ + r"[^<]{0,2000}?\bdone\s*<\s*<\(([^)]+)\)")


def _loop_listings(src: str) -> dict[str, str]:
    """A loop variable bound to a credential the loop's listing prints: `find / -name
    .env | while read f; do cat "$f"; done` reads `/srv/app/.env` as `find ... | xargs cat`
    does. Nothing for a listing of no known credential."""
    found = [(m.group(1), m.group(2)) for m in _FOR_LISTING.finditer(src)] if "for" in src else []
    if "read" in src:
        found += [(m.group(1), _pipeline_before(src, m.start())) for m in _PIPED_READ.finditer(src)]
        if "<(" in src:
            found += [(m.group(1), m.group(2)) for m in _FED_READ.finditer(src)]
    out: dict[str, str] = {}
    for name, listing in found:
        simples = parse(listing).simples
        if simples and (names := _listed_names(simples[-1])):
            out[name] = names[0]
    return out


def _pipeline_before(src: str, end: int) -> str:
    """The pipeline that ends at `end`: back to the last `;`, `&`, `||`, newline or
    bracket outside quotes (one pass, never more than 2,000 characters back)."""
    start = max(0, end - 2000)
    cut, quote, i = start, "", start
    while i < end:
        c = src[i]
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in ";&\n(){}" or (c == "|" and src[i + 1 : i + 2] == "|"):
            cut = i + (2 if c == "|" else 1)
            i = cut - 1
        i += 1
    return src[cut:end]


def _listed_names(up: Simple | None) -> list[str]:
    """Credentials a `find -name PATTERN` upstream prints (through filters): `find /srv
    -name '.env*' | xargs cat` reads `/srv/app/.env`. Empty when it finds none we know."""
    lister = _lister(up)
    if lister is not None and lister.name in ("locate", "plocate", "mlocate"):
        # `locate id_rsa`: every path holding the word, a credential's among them
        words = [w.text for w in lister.positional("dlnr")]
        found = (fspaths.secret_found("/", f"*{w.strip('*')}*") for w in words[:4])
        return [f for f in found if f is not None][:1]
    if lister is not None and projections.lists_paths_only(lister):
        # `git ls-files -- .env | xargs cat`: git prints the names it matches, and what
        # reads them downstream reads the credentials they name (rev17a)
        named = [w.text for w in lister.positional()[1:] if fspaths.is_secret(w.text.strip("'\""))]
        return named or _filtered_secret(up)
    if lister is None or lister.name != "find":
        return _filtered_secret(up)
    starts = toolbox.find_starts(lister)
    names = [n for n in toolbox.found_names(lister, starts) if fspaths.is_secret(n)]
    return names or _filtered_secret(up)


_DELETE_VERBS = frozenset(
    {"del", "unlink", "delete", "rm", "rmi", "remove", "destroy", "drop", "purge", "hdel"}
)


def _deletes(cmd: Cmd) -> bool:
    """Is `cmd` its tool's delete (`redis-cli DEL`, `kubectl delete`, `docker rm`)?"""
    return any(w.text.lower() in _DELETE_VERBS for w in cmd.positional()[:3])


def _endless(up: Simple | None) -> bool:
    """Does the input never end (`yes`, `seq inf`, `cat /dev/zero`), or run to thousands
    of lines (`seq 100000`)?"""
    words = [w.text for w in up.words] if up is not None else []
    name = command_name(words[0]) if words else ""
    counts = [w for w in words[1:] if w.isdigit()]
    return (
        name == "yes"
        or (name in ("seq", "jot") and "inf" in words[1:])
        # a count in the thousands, each item its own process at once: as endless
        or (name in ("seq", "jot") and bool(counts) and int(counts[-1][:7]) >= 1000)
        or (name == "cat" and any(w in ("/dev/zero", "/dev/urandom", "/dev/random") for w in words))
    )


def _unbounded_jobs(an: Analysis, cmd: Cmd, who: str, jobs: str | None) -> None:
    """`yes | xargs -P 0 CMD`: an input that never ends, each item a new process with no
    limit on how many run at once, is a fork bomb whatever CMD is."""
    if jobs is not None and jobs.strip() in ("0", "0%") and _endless(cmd.simple.upstream):
        an.add(
            Hit(
                "exec.fork_bomb",
                "critical",
                f"fork bomb: {who} starts a process per line of an endless (or very long) input, "
                "with no limit on how many run at once",
                cmd.span,
                "system",
            )
        )


# Readers that print a file's bytes (the files xargs hands them are printed whole).
_CONTENT_READERS = frozenset(
    {"cat", "tac", "head", "tail", "less", "more", "strings", "xxd", "od", "hexdump", "base64"}
)


# The options that take a value of the wrappers `_run_by` looks through.
_WRAPPER_VALUES = {"sudo": "ugCDhprtTU", "doas": "uC", "env": "uCS", "xargs": "adEeIiLlnPs"}


def _run_by(cmd: Cmd) -> Cmd:
    """The program `sudo`, `doas`, `env` or `xargs` runs (`sudo -u app cat F` is cat),
    or `cmd` itself."""
    for _ in range(4):
        if cmd.name not in _WRAPPER_VALUES:
            return cmd
        rest = _skip_options(cmd, _WRAPPER_VALUES[cmd.name])
        while rest and _ASSIGNED.match(rest[0].text):
            rest = rest[1:]  # `env LC_ALL=C grep ...`
        inner = make_cmd(cmd.simple, rest, cmd.privileged)
        if inner is None:
            return cmd
        cmd = inner
    return cmd


def _found_credentials_read(an: Analysis, xargs: Cmd, inner: Cmd) -> None:
    """`grep -rl 'PRIVATE KEY' /home | xargs cat`: the files a search for credential
    content names (`-l` prints only their names) are handed to a reader, which prints
    them whole: every key or token the search found."""
    listed = _lister(xargs.simple.upstream)
    if listed is None:
        return
    lister = _run_by(listed)
    pattern = effects.credential_search(lister)
    reader = _run_by(inner).name
    if pattern is None or reader not in _CONTENT_READERS:
        return
    an.add(
        Hit(
            "secret.read",
            "high",
            f"{reader} prints every file {lister.name} found holding {pattern!r} "
            "(credentials): " + TO_PROVIDER,
            xargs.span,
        )
    )


# An operand that is a whole substitution (`$(find ...)`, `` `sudo ls ...` ``).
_WHOLE_SUBSTITUTION = lazy(r'^"?(?:\$\((?!\()(.*)\)|`(.*)`)"?$', re.S)


def _substituted_lister(word: Word) -> Cmd | None:
    """The listing an operand substitutes (`$(sudo find /var/log -type f)`: find, past the
    wrappers that keep its output), or None."""
    m = _WHOLE_SUBSTITUTION.match(word.raw)
    if m is None:
        return None
    simples = parse(m.group(1) or m.group(2) or "").simples
    if not simples:
        return None
    runner = through_runners(simples[-1], simples[-1].words)
    return _lister(runner)


def _kube_listed(an: Analysis, up: Simple | None, rest: list[Word]) -> list[Word]:
    """`kubectl get pods -l job=x -o name | xargs kubectl delete -n qa`: xargs adds the
    names the listing prints, so the delete is judged as `kubectl delete pods
    $(LISTING)`: of the listing's kind, and of every object when nothing picks some of
    them (`containers._every_listed`). Nothing when the listing is not kubectl's."""
    lister = _lister(up)
    if up is None or lister is None or lister.name not in ("kubectl", "oc"):
        return []
    if command_name(rest[0].text) != lister.name:
        return []
    pos = [a.text for a in lister.positional()]
    if pos[:1] != ["get"] or len(pos) < 2:
        return []
    first = up
    while first.upstream is not None:
        first = first.upstream
    at = rest[-1].end
    listing = f"$({an.src[first.span[0] : up.span[1]]})"
    return [Word(pos[1], at, at, pos[1]), Word(listing, at, at, listing)]


def _scope_to_listing(an: Analysis, lister: Cmd, before: int, how: str) -> None:
    """The hits found since `before` scoped to the start folders `lister` lists (`find DIR
    ... | xargs CMD`, `CMD $(find DIR ...)`: both act on that tree), a find's aged cleanup
    and name selection kept; nothing when the listing names no folder."""
    roots = toolbox.listed_roots(lister)
    if not roots:
        return
    by_find = lister.name == "find"
    scoped = toolbox.scope_to(
        an.hits[before:],
        roots,
        an,
        how,
        cleanup=by_find and toolbox.aged_cleanup(lister.args, roots, an),
        selective=not by_find or toolbox.name_selected(lister.args),
    )
    del an.hits[before:]
    an.hits.extend(scoped)


def _lister(up: Simple | None) -> Cmd | None:
    """The command whose output of paths reaches `xargs`, through filters (`find /srv |
    grep .sql | xargs rm`: find's list, filtered)."""
    while up is not None:
        cmd = make_cmd(up, up.words)
        if cmd is None:
            return None
        if cmd.name == "lfs" and cmd.sub() == "find":
            # Lustre's `lfs find DIR ...` is find's grammar over the file system's metadata
            return make_cmd(up, cmd.args)
        if (cmd.name not in _PASSTHROUGH and cmd.name not in _FIELD_FILTERS) or up.upstream is None:
            return cmd
        up = up.upstream
    return None


# awk between a listing and what reads it picks fields and lines of the list (`git
# ls-files -s .env | awk '{print $2}' | xargs git cat-file -p`: the object ids of .env)
_FIELD_FILTERS = frozenset({"awk", "gawk", "mawk", "nawk"})
# A path listing whose every line may be any file of the tree (filtered downstream)
_PATH_LISTERS = frozenset({"find", "fd", "fdfind", "locate", "plocate", "mlocate"})
# The literal words of a filter's pattern (`'credentials|\.env'`, awk's `/id_rsa/`)
_PATTERN_WORD = lazy(r"[\w.-]*\w[\w.-]*")


def _filtered_secret(up: Simple | None) -> list[str]:
    """A credential a filter keeps from a listing of any paths: `find . -type f | grep
    id_rsa | xargs cat`, `git ls-files -s | awk '/credentials/ {print $2}'`. grep's
    inverted match keeps the rest, so it names none."""
    while up is not None:
        cmd = make_cmd(up, up.words)
        if cmd is None:
            return []
        if cmd.name in _PATH_LISTERS or projections.lists_paths_only(cmd):
            return []
        if cmd.name in ("grep", "egrep", "fgrep") and not cmd.has("v", "invert-match"):
            pattern = next((w.text for w in cmd.positional("efmABCd")), "")
            pattern = cmd.option_value("e", "regexp") or pattern
        elif cmd.name in _FIELD_FILTERS:
            pattern = " ".join(re.findall(r"/((?:[^/\\]|\\.)+)/", cmd.argv[-1] if cmd.argv else ""))
        else:
            pattern = ""
        for word in _PATTERN_WORD.findall(pattern.replace("\\", "")):
            found = fspaths.secret_found("/", f"*{word}*") if len(word) > 2 else None
            if found is not None and _lists_paths(up.upstream):
                return [found]
        up = up.upstream
    return []


def _lists_paths(up: Simple | None) -> bool:
    """Does the listing that feeds a filter print paths (find, git's path listings)?"""
    lister = _lister(up)
    return lister is not None and (
        lister.name in _PATH_LISTERS or projections.lists_paths_only(lister)
    )


def _watch(an: Analysis, cmd: Cmd) -> None:
    rest = _skip_options(cmd, "nq", ("interval", "chgexit"))
    if cmd.has("x", "exec"):
        an.again(cmd, rest)
    elif rest:
        an.payload(" ".join(w.text for w in rest), rest, "exec.watch", "watch")


def _command(an: Analysis, cmd: Cmd) -> None:
    rest = _skip_options(cmd)
    if _own(cmd, rest).has(*_RUNS_NOTHING["command"]):  # `command -v rm` only names it
        return
    an.again(cmd, rest)


def _busybox(an: Analysis, cmd: Cmd) -> None:
    """`busybox APPLET ARGS` runs the applet; `busybox --list` (or `--list-full`, `--help`)
    prints the applets' names and runs none."""
    if [a.text for a in cmd.args[:1]] in (["--list"], ["--list-full"], ["--help"]):
        return
    an.again(cmd, cmd.args)


def _su(an: Analysis, cmd: Cmd) -> None:
    rest = _skip_options(cmd, "ugsg", ("user", "group", "shell"))
    if cmd.name == "runuser" and cmd.has("u", "user") and rest:
        an.again(cmd, rest, privileged=True)
        return
    payload = cmd.option_value("c", "command", "session-command")
    if payload is not None:
        word = next((a for a in cmd.args if a.text == payload), None)
        saved = an.cwds
        # `-l` in a cluster (`su -lc CMD USER`) and `--login` abbreviated (`--log`) are a
        # login too (rev19b)
        if any(a.text == "-" for a in cmd.args) or cmd.has("l", "login"):
            an.cwds = (_home_of(rest[0].text if rest else None),)  # `su - -c CMD`: in /root
        an.payload(payload, [word] if word else cmd.args, "exec.su_c", f"{cmd.name} -c")
        an.cwds = saved
        return
    an.add(
        Hit(
            "priv.switch_user",
            "high",
            f"{cmd.name} opens an interactive shell as {rest[0].text if rest else 'root'}",
            cmd.span,
            "system",
        )
    )


# A shell's group that is root's in all but name: `toolbox.ROOT_GROUPS`, root's gid, and
# the groups that read every log (`adm`) or the kernel's memory (`kmem`).
_SHELL_ROOT_GROUPS = toolbox.ROOT_GROUPS | {"0", "adm", "kmem"}


def _sg(an: Analysis, cmd: Cmd) -> None:
    """`sg GROUP -c CMD` or `sg GROUP CMD...`: CMD runs (as a shell command) with GROUP;
    `sg GROUP` alone starts a shell with it, whose commands nothing reviews (GTFOBins:
    `sudo sg root` is a root shell)."""
    words = _skip_options(cmd)
    rest = words[1:]
    if rest and rest[0].text == "-c" and len(rest) > 1:
        an.payload(rest[1].text, rest[1:2], "exec.su_c", "sg -c")
        return
    if words and not rest:
        raised = cmd.privileged or words[0].text in _SHELL_ROOT_GROUPS
        an.add(
            Hit(
                "exec.interactive_shell",
                "high" if raised else "medium",
                f"sg starts an interactive shell with group {words[0].text}"
                + (" (root's, or one that reads or writes root's files)" if raised else ""),
                cmd.span,
                "system" if raised else "unknown",
            )
        )
        return
    an.again(cmd, rest)


def _chroot(an: Analysis, cmd: Cmd) -> None:
    rest = _skip_options(cmd, "", ("userspec", "groups"))
    if len(rest) <= 1:
        an.add(
            Hit(
                "exec.interactive_shell",
                "medium",
                "chroot starts an interactive shell",
                cmd.span,
                "unknown",
            )
        )
        return
    an.again(cmd, rest[1:], privileged=True)


def _flock(an: Analysis, cmd: Cmd) -> None:
    rest = _skip_options(cmd, "wEo", ("timeout", "conflict-exit-code"))
    if len(rest) > 2 and rest[1].text in ("-c", "--command"):  # `flock FILE -c CMD`
        an.payload(rest[2].text, rest[2:3], "exec.shell_c", "flock -c")
        return
    an.again(cmd, rest[1:])  # `flock FILE CMD...`: the command's own `-c` is its own


def _ssh(an: Analysis, cmd: Cmd) -> None:
    rest = _skip_options(cmd, "bcDEeFIiJLlmOopQRSWwB")
    if not rest:
        return
    if (cmd.has("G") and not cmd.has("F")) or cmd.option_value("O") == "check":
        # -G prints the configuration for the host and exits (no connection; not with
        # -F, whose `Match exec` would run); -O check asks the control master if it runs
        return
    if _agent_forwarded(cmd) and site_address(rest[0].text) == "foreign":
        an.add(
            Hit(
                "secret.agent_forward",
                "high",
                f"ssh forwards the SSH agent to {rest[0].text}, a host outside the site: root "
                "there logs in with this account's keys wherever they open, while the session "
                "lasts",
                cmd.span,
                "unknown",
            )
        )
    remote = rest[2:] if len(rest) > 1 and rest[1].text == "--" else rest[1:]
    script = an.literal_input(cmd)
    if script is not None and (not remote or effects.shell_reading_stdin([w.text for w in remote])):
        # `ssh host bash -s <<'EOF' ... EOF`, `ssh host < /dev/stdin`: the input is the
        # script the remote shell runs
        an.payload(script[0], script[1] or cmd.args, "exec.ssh", f"ssh {rest[0].text} (its input)")
        return
    if len(rest) == 1:
        an.add(
            Hit(
                "net.ssh_session",
                "medium",
                f"opens an interactive session on {rest[0].text} (nothing there can be reviewed)",
                cmd.span,
                "unknown",
            )
        )
        return
    if not remote:  # `ssh host -- cmd` has its command after the `--`
        return
    an.payload(" ".join(w.text for w in remote), remote, "exec.ssh", f"ssh {rest[0].text}")


def _agent_forwarded(cmd: Cmd) -> bool:
    """`ssh -A`, `-o ForwardAgent=yes` (or a socket's path: any value but no): the
    remote end may use the local agent. The first `-o` for an option wins in ssh."""
    options = [re.split(r"[\s=]+", v.strip("'\""), maxsplit=1) for v in cmd.option_values("o")]
    given = next((o[1] for o in options if len(o) == 2 and o[0].lower() == "forwardagent"), None)
    if given is not None:
        return given.strip("'\"").lower() not in ("no", "false")
    return cmd.has("A") and not cmd.has("a")


def _script(an: Analysis, cmd: Cmd) -> None:
    """`script -c CMD [FILE]` runs CMD under a pseudo-terminal (GTFOBins' way to get a
    shell); without -c it starts an interactive shell that nothing reviews. Either way
    the session is written to FILE (`typescript` by default; `-a` appends), judged by
    its class: GTFOBins writes root's files that way (its log options are
    `script.log_file`'s)."""
    typescript = next(iter(cmd.positional()), None)
    if typescript is not None:
        verb = "script writes the session to"
        an.add_write(typescript, cmd.span, verb, truncate=not cmd.has("a", "append"))
    payload = cmd.option_value("c", "command")
    if payload is not None:
        word = next((a for a in cmd.args if a.text == payload), None)
        an.payload(payload, [word] if word else cmd.args, "exec.shell_c", "script -c")
        return
    an.add(
        Hit(
            "exec.interactive",
            "medium",
            "script: starts a shell whose commands the engine cannot see",
            cmd.span,
            "unknown",
        )
    )


def _exec(an: Analysis, cmd: Cmd) -> None:
    an.again(cmd, _skip_options(cmd, *_TRANSPARENT["exec"][:2]))


def _ionice(an: Analysis, cmd: Cmd) -> None:
    inner = _skip_options(cmd, *_TRANSPARENT["ionice"][:2])
    own = _own(cmd, inner)
    if not own.has(*_RUNS_NOTHING["ionice"]):
        an.again(cmd, inner)  # `ionice -c3 nice find / -type f`: -p there is find's
        return
    if not own.has("c", "n", "class", "classdata"):
        return  # `ionice -p PID`: prints the process's class and priority
    an.add(
        Hit("proc.priority", "medium", "changes the I/O priority of running processes", cmd.span)
    )


def _logsave(an: Analysis, cmd: Cmd) -> None:
    """`logsave [-asv] FILE CMD...`: CMD runs, its output copied into FILE."""
    rest = _skip_options(cmd)
    if rest:
        an.add_write(rest[0], cmd.span, "logsave writes", truncate=not cmd.has("a"))
    an.again(cmd, rest[1:])


def _time(an: Analysis, cmd: Cmd) -> None:
    """`time -o FILE CMD` (GNU time): CMD runs, and its report is written to FILE."""
    rest = _skip_options(cmd, *_TRANSPARENT["time"][:2])
    own = _own(cmd, rest)
    out = _option_word(own, "o", "output")
    if out is not None:
        an.written.append(out.text)
        an.add_write(out, cmd.span, "time -o writes", truncate=not own.has("a", "append"))
    an.again(cmd, rest)


def _option_word(cmd: Cmd, short: str, long: str) -> Word | None:
    """The word holding the value of `-S VALUE` / `--long VALUE` / `--long=VALUE`."""
    value = cmd.option_value(short, long)
    if not value:
        return None
    for i, a in enumerate(cmd.args):
        if a.text in (f"-{short}", f"--{long}") and i + 1 < len(cmd.args):
            return cmd.args[i + 1]
        if a.text.endswith(value) and a.text.startswith("-"):
            return Word(value, a.start, a.end, value)
    return None


def _as_user(an: Analysis, cmd: Cmd) -> None:
    """`gosu USER CMD`, `su-exec USER CMD`, `setuidgid USER CMD`: CMD runs as USER
    (as root when USER is root or 0)."""
    rest = _skip_options(cmd)
    if rest:
        user = rest[0].text.split(":", 1)[0]
        an.again(cmd, rest[1:], privileged=user in ("root", "0"))


# setpriv's options that take a value (`--reuid 0` as well as `--reuid=0`).
_SETPRIV_VALUES = (
    "ruid", "euid", "rgid", "egid", "reuid", "regid", "groups", "inh-caps", "ambient-caps",
    "bounding-set", "securebits", "pdeathsig", "selinux-label", "apparmor-profile",
    "landlock-access", "landlock-rule",
)  # fmt: skip


def _setpriv(an: Analysis, cmd: Cmd) -> None:
    """`setpriv --reuid=0 --regid=0 CMD`: CMD runs with the user, groups and capabilities
    set; a root uid (or added capabilities) is a privilege, as `sudo CMD` is."""
    rest = _skip_options(cmd, "", _SETPRIV_VALUES)
    uids = [cmd.option_value(n) for n in ("reuid", "ruid", "euid")]
    caps = [cmd.option_value(n) or "" for n in ("inh-caps", "ambient-caps")]
    root = any(u in ("0", "root") for u in uids) or any("+" in c for c in caps)
    an.again(cmd, rest, privileged=root)


def _prlimit(an: Analysis, cmd: Cmd) -> None:
    """`prlimit --nofile=1024 CMD` runs CMD under the limits; with no command, a limit
    given a value (`--pid 1234 --nofile=65536`, `-n4096`) changes a running process's
    limits, while a bare resource option (`--pid 1234 --nofile`) only prints them."""
    rest = _skip_options(cmd, "p", ("pid", "output"))
    if rest:
        an.again(cmd, rest)
        return
    if any(_sets_a_limit(a.text) for a in cmd.args):
        an.add(
            Hit(
                "proc.priority",
                "medium",
                "prlimit sets the limits of a running process",
                cmd.span,
                "system",
            )
        )


def _sets_a_limit(word: str) -> bool:
    """A prlimit resource option given a value (`--nofile=65536`, `-n4096`); `--pid` and
    `--output` name what to show, not a limit."""
    if word.startswith("--"):
        name, eq, _ = word[2:].partition("=")
        return bool(eq) and name not in ("pid", "output")
    return len(word) > 2 and word[0] == "-" and word[1] not in "po"


def _start_stop_daemon(an: Analysis, cmd: Cmd) -> None:
    """`start-stop-daemon --start --exec PROG -- ARGS`: PROG runs with ARGS (`--startas`
    names the program when given); `--stop` signals the matching processes."""
    if cmd.has("K", "stop"):
        an.add(
            Hit(
                "proc.signal",
                "medium",
                "start-stop-daemon --stop signals the matching processes",
                cmd.span,
                "system",
            )
        )
        return
    program = cmd.option_value("a", "startas") or cmd.option_value("x", "exec")
    if not program or not cmd.has("S", "start"):
        return
    ends = [i for i, a in enumerate(cmd.args) if a.text == "--"]
    args = cmd.args[ends[0] + 1 :] if ends else []
    word = next((a for a in cmd.args if a.text.endswith(program)), cmd.word)
    an.again(cmd, [Word(program, word.start, word.end, program), *args])


def _entr(an: Analysis, cmd: Cmd) -> None:
    """`entr [-acdnprz] CMD...` runs CMD each time a listed file changes; with `-s` its
    first argument is a shell command line."""
    rest = _skip_options(cmd)
    if cmd.has("s") and rest:
        an.payload(rest[0].text, rest[:1], "exec.shell_c", "entr -s")
        return
    an.again(cmd, rest)


def _cpulimit(an: Analysis, cmd: Cmd) -> None:
    """`cpulimit -l 50 [--] CMD...` runs CMD; with `-p`/`-e`/`-P` it throttles a running
    process instead."""
    rest = _skip_options(cmd, "lpePc", ("limit", "pid", "exe", "path", "cpu"))
    if rest:
        an.again(cmd, rest)
    elif cmd.has("p", "e", "P", "pid", "exe", "path"):
        an.add(Hit("proc.priority", "medium", "cpulimit throttles a running process", cmd.span))


def _container_exec(an: Analysis, cmd: Cmd) -> None:
    """`runc exec [options] ID CMD...` (and crun): CMD runs inside the container."""
    pos = [a.text for a in cmd.args]
    if "exec" not in pos:
        return
    at = pos.index("exec")
    own = Cmd(cmd.name, cmd.word, cmd.args[at + 1 :], cmd.simple)
    rest = _skip_options(own, "upec", _RUNC_EXEC_VALUES)
    if rest:
        an.again(cmd, rest[1:])


def _after_option(letter: str) -> Wrapper:
    """A wrapper whose command follows one option: `schedtool -B -e CMD...`."""

    def unwrap(an: Analysis, cmd: Cmd) -> None:
        at = next((i for i, a in enumerate(cmd.args) if a.text == f"-{letter}"), None)
        if at is not None:
            an.again(cmd, cmd.args[at + 1 :])

    return unwrap


def _runcon(an: Analysis, cmd: Cmd) -> None:
    """`runcon CONTEXT CMD` or `runcon -t TYPE CMD`: CMD runs in an SELinux context."""
    rest = _skip_options(cmd, "turlc", ("type", "user", "role", "range"))
    an.again(cmd, rest if len(rest) < len(cmd.args) else rest[1:])


# bubblewrap's options with two values, and those with one.
_BWRAP_TWO = frozenset(
    {"bind", "ro-bind", "dev-bind", "bind-try", "ro-bind-try", "dev-bind-try", "symlink",
     "setenv", "bind-data", "ro-bind-data", "file", "chmod", "bind-fd", "ro-bind-fd"}
)  # fmt: skip
_BWRAP_ONE = frozenset(
    {"proc", "dev", "tmpfs", "dir", "chdir", "unsetenv", "uid", "gid", "hostname",
     "remount-ro", "seccomp", "add-seccomp-fd", "info-fd", "exec-label", "file-label",
     "cap-add", "cap-drop", "lock-file", "sync-fd", "block-fd", "userns-block-fd",
     "json-status-fd", "args", "userns", "userns2", "pidns", "perms", "size", "argv0",
     "mqueue", "overlay-src", "tmp-overlay", "ro-overlay"}
)  # fmt: skip


def _bwrap(an: Analysis, cmd: Cmd) -> None:
    """`bwrap --bind / / CMD...`: CMD runs in the sandbox bubblewrap builds; binding the
    host's root read-write gives it the host's files."""
    i, args = 0, cmd.args
    while i < len(args) and args[i].text.startswith("--"):
        name = args[i].text[2:]
        i += 1 + (2 if name in _BWRAP_TWO else 1 if name in _BWRAP_ONE else 0)
        if name == "":
            break
    an.again(cmd, args[i:])


# systemd-nspawn's long options that take a value.
_NSPAWN_VALUES = (
    "directory", "machine", "user", "setenv", "slice", "image", "bind", "bind-ro", "tmpfs",
    "overlay", "overlay-ro", "network-interface", "network-bridge", "network-zone", "port",
    "private-users", "capability", "drop-capability", "property", "chdir", "resolv-conf",
    "timezone", "link-journal", "register", "kill-signal", "uuid", "template",
)  # fmt: skip
# runc/crun exec's options that take a value.
_RUNC_EXEC_VALUES = (
    "user", "cwd", "env", "process", "console-socket", "pid-file", "cap", "apparmor",
    "process-label", "preserve-fds", "cgroup", "additional-gids",
)  # fmt: skip


def _choom(an: Analysis, cmd: Cmd) -> None:
    """`choom -n ADJ -- CMD` runs CMD (judged); `choom -p PID -n ADJ` writes the process's
    OOM score as `echo ADJ > /proc/PID/oom_score_adj` does, judged the same way (a
    database made the OOM killer's first victim is typed); `choom -p PID` prints it
    (left17)."""
    inner = _skip_options(cmd, *_TRANSPARENT["choom"][:2])
    own = _own(cmd, inner)
    if not own.has(*_RUNS_NOTHING["choom"]):
        an.again(cmd, inner)
        return
    adjust = own.option_value("n", "adjust")
    if adjust is None:
        return
    pid = own.option_value("p", "pid") or ""
    victim = toolbox._oom_victim(f"/proc/{pid}/oom_score_adj", adjust)
    message = (
        f"choom makes {victim} the OOM killer's first victim (it is killed with SIGKILL "
        "before anything else when memory runs short)"
        if victim
        else "choom changes a running process's OOM score"
    )
    an.add(Hit("proc.oom_score", "high" if victim else "medium", message, cmd.span))


_WRAPPERS: dict[str, Wrapper] = {
    "sudo": _sudo,
    "doas": _sudo,
    "env": _env,
    "nohup": _plain(*_TRANSPARENT["nohup"]),
    "coproc": _plain(),  # `coproc CMD`: CMD runs (in the background, talking to the shell)
    "setsid": _plain(*_TRANSPARENT["setsid"]),
    "unbuffer": _plain(),
    "caffeinate": _plain(),
    "nice": _plain(*_TRANSPARENT["nice"]),
    "ionice": _ionice,
    "choom": _choom,
    "timeout": _plain(*_TRANSPARENT["timeout"]),
    "xargs": _xargs,
    "watch": _watch,
    "exec": _exec,
    "command": _command,
    "builtin": _plain(*_TRANSPARENT["builtin"]),
    "busybox": _busybox,
    "stdbuf": _plain(*_TRANSPARENT["stdbuf"]),
    "chroot": _chroot,
    "su": _su,
    "runuser": _su,
    "time": _time,
    "flock": _flock,
    "strace": _plain("eopsuSPIX"),
    "ltrace": _plain("eopsuSn"),
    "nsenter": _plain("tSGrw", ("target",)),
    "taskset": _plain(*_TRANSPARENT["taskset"]),
    "chrt": _plain(*_TRANSPARENT["chrt"]),
    "systemd-run": _systemd_run,
    "firejail": _plain(),
    "torsocks": _plain(),
    "proxychains": _plain("f"),
    "proxychains4": _plain("f"),
    "sshpass": _plain("pfdP"),
    "ssh": _ssh,
    "sg": _sg,
    "cgexec": _plain("g"),
    "catchsegv": _plain(),
    "valgrind": _plain(),
    "eatmydata": _plain(*_TRANSPARENT["eatmydata"]),
    "script": _script,
    "unshare": _plain(
        "SGRwt",
        ("setuid", "setgid", "root", "wd", "propagation", "map-user", "map-group", "mount-proc"),
    ),
    "rlwrap": _plain("bCDefHlpPqsStwz"),
    "faketime": _plain("f", (), 1),
    "dbus-launch": _plain(),
    # `systemd-inhibit --what=shutdown CMD`: holds a lock while CMD runs
    "systemd-inhibit": _plain("", ("what", "who", "why", "mode")),
    # moreutils: `chronic CMD` hides CMD's output unless it fails; `ifne CMD` runs CMD
    # when its input is not empty (`-n`: when it is)
    "chronic": _plain(),
    "ifne": _plain(),
    "logsave": _logsave,
    "cpulimit": _cpulimit,
    "setpriv": _setpriv,
    "start-stop-daemon": _start_stop_daemon,
    "entr": _entr,
    "runc": _container_exec,
    "crun": _container_exec,
    # run CMD as another user: container entry points and daemontools
    "gosu": _as_user,
    "su-exec": _as_user,
    "setuidgid": _as_user,
    "chpst": _plain("uUe/nlLmdofcpt"),
    "envdir": _plain("", (), 1),
    "softlimit": _plain("mdsloaprfct"),
    # init shims and process supervisors that start CMD
    "tini": _plain("ep"),
    "dumb-init": _plain("r", ("rewrite",)),
    "daemonize": _plain("ceoplu"),
    "prlimit": _prlimit,
    "lxc-attach": _entering(
        "nPesuvg", ("name", "lxcpath", "namespaces", "set-var", "keep-var", "uid", "gid")
    ),
    "xvfb-run": _plain("nsfpe", ("server-num", "server-args", "auth-file", "error-file")),
    "dbus-run-session": _plain("", ("config-file", "dbus-daemon")),
    "trickle": _plain("udwtlns"),
    "nocache": _plain(*_TRANSPARENT["nocache"]),
    "lckdo": _plain("", (), 1),
    "sem": _plain("j", ("id", "jobs", "timeout")),
    "tsp": _plain("LDNWE"),
    "schedtool": _after_option("e"),
    "runcon": _runcon,
    "bwrap": _bwrap,
    "systemd-nspawn": _entering("DMuESZLpi", _NSPAWN_VALUES),
    "setarch": _setarch,
    "linux32": _setarch,
    "linux64": _setarch,
    "i386": _setarch,
    "x86_64": _setarch,
    "uname26": _setarch,
}


# The files naming the distribution (os-release(5), lsb-release): specified as shell
# variable assignments and read by sourcing them (`. /etc/os-release; echo $ID`).
_OS_RELEASE = lazy(r"/(?:etc|usr/lib)/os-release|/etc/(?:lsb|upstream-release/lsb)-release")


def wrapper_names() -> frozenset[str]:
    """Names the engine unwraps (for tests and docs)."""
    return frozenset(_WRAPPERS)


def is_shell(name: str) -> bool:
    return command_name(name) in SHELLS


__all__ = ["SHELLS", "Analysis", "Target", "is_shell", "wrapper_names"]


def _served_dumps(simples: list[Simple]) -> list[Hit]:
    """A data store's dump, backup or snapshot written into a folder a web server serves
    (`mysqldump shop > /var/www/html/shop.sql`, `etcdctl snapshot save /var/www/x.db`,
    `pg_dump -f /srv/app/public/x`): anyone who reaches the site downloads every row."""
    found: list[Hit] = []
    for s in simples:
        words = [w.text for w in s.words]
        outputs = [*words[1:], *(r.target.text for r in s.redirects if r.target and ">" in r.op)]
        served = [o for o in outputs if _SERVED_FOLDER.search(o.rsplit("=", 1)[-1])]
        if served and tempreport.dumps_data(words):
            found.append(
                Hit(
                    "net.served_dump",
                    "high",
                    f"writes a data dump into {served[0]}, a folder a web server serves: "
                    "anyone who reaches it downloads every row",
                    s.span,
                    "system",
                )
            )
    return found


def _values_dropped(simples: list[Simple], hits: list[Hit], packs: Packs | None) -> list[Hit]:
    """A credential printer piped straight into a filter that keeps only keys or a count
    (`kubectl get secret db -o json | jq -r '.data | keys[]'`, `cat key | wc -c`), or into
    a login that keeps what it reads (`effects.drops_values`): the values never reach the
    output, so printing them is no read (as listing secrets is not). Not when the
    printer's output also goes elsewhere (`> file`, `>&2`)."""
    for down in simples:
        up = down.upstream
        if up is None or not effects.drops_values(up, through_runners(down, down.words)):
            continue
        if any(r.op.startswith((">", "&>")) and r.fd in (None, 1) for r in up.redirects):
            continue
        printer = make_cmd(up, up.words)
        rules = {"secret.read"} | {
            r.id
            for r in (packs or builtin_packs()).for_command(printer.name if printer else "")
            if r.effect == "secret_read"
        }
        hits = [
            replace(
                h,
                severity="info",
                message=f"{h.message} (its values never reach the output)",
            )
            if h.rule in rules and up.span[0] <= h.span[0] and h.span[1] <= up.span[1]
            else h
            for h in hits
        ]
    return hits


def _writes_nothing(simple: Simple | None, text: str | None) -> bool:
    """A redirection that leaves its file empty: a bare `> F`, `: > F`, `true > F`, `cat
    /dev/null > F`, or `echo`/`printf` of blank text."""
    if simple is None or not simple.words:
        return True
    words = [w.text for w in simple.words]
    if command_name(words[0]) in (":", "true") and len(words) == 1:
        return True
    if command_name(words[0]) == "cat" and words[1:] == ["/dev/null"]:
        return True
    return text is not None and not text.strip()
