"""Normalising what the shell would see: command words and flags.

An agent (or an attacker steering one) can spell `rm` as `/bin/rm`, `\\rm`, `"rm"` or
`r''m`, and `-rf` as `-r -f`, `-fR` or `--recursive --force`. The judges in
`commands.py` only ever look at the normalised forms built here, so every spelling meets
the same rule.
"""

from __future__ import annotations

from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.packs import REHEARSAL_OPTIONS, value_options
from aiperm_tui.policy.parse import Simple, Word
from aiperm_tui.values import Record

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from collections.abc import Iterator

_VERSIONED = lazy(r"^(python|pip|perl|ruby|php-fpm|php|node|lua|bash|psql|mysql)[\d.]*$")
# An init script run by its path is `service NAME ACTION` (`/etc/init.d/ssh stop`): its
# name is the service's, not a tool's (`ssh` there is no ssh client).
_INIT_SCRIPT = lazy(r"^/etc/(?:rc\.d/)?init\.d/([^/\s]+)$")
# The values that switch a boolean long option off (`--dry-run=false`).
_OFF_VALUES = frozenset({"false", "0", "no", "off", "none"})
_ALIASES = {
    "nodejs": "node",
    # TypeScript runners that take node's command line (`-e CODE`, a script and its
    # arguments): their one-liners are judged as node's (seventeenth pass)
    "tsx": "node",
    "ts-node": "node",
    "luajit": "lua",
    "egrep": "grep",
    "fgrep": "grep",
    "zgrep": "grep",
    "gawk": "awk",
    "mawk": "awk",
    "nawk": "awk",
    "podman": "docker",
    "nerdctl": "docker",
    "ip6tables": "iptables",
    "iptables-legacy": "iptables",
    "iptables-nft": "iptables",
    "mke2fs": "mkfs",
    # The POSIX-family shells a distribution ships (Debian's dash, posh, yash, mksh and
    # lksh, OpenBSD's ksh as oksh and loksh, ksh93, busybox's hush, Oil's osh; not
    # schily's bosh, a name Cloud Foundry's BOSH client holds): each runs a `-c` string,
    # a script or its input as sh does.
    "dash": "sh",
    "ksh": "sh",
    "ksh93": "sh",
    "ksh2020": "sh",
    "pdksh": "sh",
    "mksh": "sh",
    "lksh": "sh",
    "oksh": "sh",
    "loksh": "sh",
    "posh": "sh",
    "yash": "sh",
    "ash": "sh",
    "hush": "sh",
    "osh": "sh",
    "rbash": "bash",
    "yum": "dnf",
    "microdnf": "dnf",
    "apt-get": "apt",
    "aptitude": "apt",
    "mariadb": "mysql",
    "sudoedit": "sudo",
    "pkexec": "sudo",
    "deluser": "userdel",
    "adduser": "useradd",
    "delgroup": "groupdel",
    "addgroup": "groupadd",
    "reboot": "reboot",
    "pip-3": "pip",
    "docker-compose": "compose",
    "killall5": "killall5",
    "nc.openbsd": "nc",
    "ncat": "nc",
    "netcat": "nc",
    "mongo": "mongosh",
    "helm3": "helm",
    "kubectl.exe": "kubectl",
    "7za": "7z",  # 7-Zip's standalone builds take 7z's commands
    "7zr": "7z",
    "toybox": "busybox",  # runs its first argument as an applet, as busybox does
    "mt-st": "mt",
    # Python's other front ends run `-c CODE`, a script or their input as python does
    "ipython": "python",
    "ipython3": "python",
    "pypy": "python",
    "pypy3": "python",
}


# The shells, by `command_name` (which reads dash, ksh, mksh, yash, oksh... as `sh`): what
# runs a `-c` string, a script file, or what arrives on its input (`shell_reading_stdin`).
# The shells that are not POSIX (fish, the C shells, Plan 9's rc and es, elvish, nushell,
# xonsh, ion, murex, Oil's ysh) run a simple command line as sh does; their payload is
# read as sh would read it, so `nu -c 'rm -rf /srv'` meets the rm rules.
SHELLS = frozenset(
    {"sh", "bash", "zsh", "fish", "csh", "tcsh", "busybox-sh", "rc", "es", "elvish", "nu",
     "xonsh", "ion", "murex", "ysh", "oil"}
)  # fmt: skip
# Those of them whose language is not sh's: the engine reads their `-c` string as sh would,
# which sees their plain commands but not their own syntax (nushell's closures, xonsh's
# Python), so their one-liner is never read as only reading.
FOREIGN_SHELLS = frozenset(
    {"fish", "csh", "tcsh", "rc", "es", "elvish", "nu", "xonsh", "ion", "murex", "ysh", "oil"}
)


def command_name(word: str) -> str:
    """`/usr/bin/rm` -> `rm`, `mkfs.ext4` -> `mkfs`, `python3.11` -> `python`.

    Quote removal and `\\rm` are already undone by the parser (the word's text)."""
    name = word.lstrip("\\").rsplit("/", 1)[-1]
    if name.startswith(("mkfs.", "mkfs_", "fsck.")):
        return name.split(".")[0].split("_")[0]
    if m := _VERSIONED.match(name):
        return m.group(1)
    return _ALIASES.get(name, name)


class Cmd(Record):
    """A simple command seen through normalisation: name, arguments, flag sets.
    `privileged`: reached through sudo/doas/su/runuser; `value_opts`: the options that
    take a value (from the packs)."""

    __slots__ = ("args", "name", "privileged", "simple", "value_opts", "word")
    name: str
    word: Word
    args: list[Word]
    simple: Simple
    privileged: bool
    value_opts: frozenset[str]

    def __init__(
        self,
        name: str,
        word: Word,
        args: list[Word],
        simple: Simple,
        privileged: bool = False,
        value_opts: frozenset[str] = frozenset(),
    ) -> None:
        self.name = name
        self.word = word
        self.args = args
        self.simple = simple
        self.privileged = privileged
        self.value_opts = value_opts

    @property
    def span(self) -> tuple[int, int]:
        end = self.args[-1].end if self.args else self.word.end
        return (self.word.start, max(end, self.word.end))

    @property
    def argv(self) -> list[str]:
        return [a.text for a in self.args]

    def options(self) -> tuple[set[str], set[str]]:
        """(short letters, long names) given before `--`; `-rf` counts as r and f.

        The value of an option the tool's pack says takes one (`-L LABEL`, `-Lx`,
        `--label X`) is never read as a flag: `mkfs -L -n DEV` has no `-n`."""
        short: set[str] = set()
        long: set[str] = set()
        skip = False
        for a in self.args:
            t = a.text
            if skip:
                skip = False
                continue
            if t == "--":
                break
            if t.startswith("--") and len(t) > 2:
                name = t[2:].split("=", 1)[0].lower()
                long.add(name)
                skip = "=" not in t and name in self.value_opts
            elif t.startswith("-") and len(t) > 1 and not t[1].isdigit():
                letters, skip = self._cluster(t[1:])
                short.update(letters)
                # a single-dash long option its pack declares with the dash (Go's flag
                # package: `consul exec -service web CMD`) takes the next word
                skip = skip or t in self.value_opts
        return short, long

    @property
    def dash_long(self) -> bool:
        """The tool reads `-word` as the long option `word`, never as a cluster of letters
        (Go's flag package, Java tools): its pack declares a value option with its dash
        (`-service`)."""
        return any(len(v) > 2 and v.startswith("-") for v in self.value_opts)

    def own_options(self) -> set[str]:
        """The options given as a tool with single-dash long options reads them: `-name`
        and `--name` are the one option `name` (`-chars` gives no `c`), before `--`, the
        values of value options skipped and one switched off (`-n=false`) not counted."""
        names: set[str] = set()
        skip = False
        for a in self.args:
            t = a.text
            if skip:
                skip = False
                continue
            if t == "--":
                break
            if t.startswith("-") and len(t) > 1 and not t[1].isdigit():
                name, eq, value = t.lstrip("-").partition("=")
                name = name if len(name) == 1 else name.lower()
                if not (eq and value.lower() in _OFF_VALUES):
                    names.add(name)
                skip = not eq and (t in self.value_opts or name in self.value_opts)
        return names

    def _cluster(self, letters: str) -> tuple[str, bool]:
        """The flags of a short-option cluster up to the first that takes a value, and
        whether that value is the next word (nothing follows it in the cluster)."""
        for i, letter in enumerate(letters):
            if letter in self.value_opts:
                return letters[: i + 1], i == len(letters) - 1
        return letters, False

    def has(self, *names: str) -> bool:
        """Any of the flags: one letter means a short flag, longer means `--name`."""
        short, long = self.options()
        return any(
            (n in short) if len(n) == 1 else _long_match(n, long, self.value_opts) for n in names
        )

    def has_on(self, *names: str) -> bool:
        """Any of the flags, not switched off by its value: `--dry-run=false` (or `=0`,
        `=no`, `=off`, `=none`) runs for real, so it is no rehearsal."""
        return any(self.has(n) and not self._switched_off(n) for n in names)

    def _switched_off(self, name: str) -> bool:
        """Every spelling of the long option `name` given carries a false value."""
        if len(name) == 1:
            return False
        values = [
            t[2:].split("=", 1)[1:]
            for t in (a.text for a in self.args)
            if t.startswith("--") and _long_match(name, {t[2:].split("=", 1)[0].lower()})
        ]
        return bool(values) and all(v and v[0].lower() in _OFF_VALUES for v in values)

    def positional(self, value_options: str = "") -> list[Word]:
        """Non-option arguments; `value_options` are short flags that take a value."""
        out: list[Word] = []
        skip = False
        ended = False
        for a in self.args:
            t = a.text
            if skip:
                skip = False
            elif ended or t == "-" or not t.startswith("-"):
                out.append(a)
            elif t == "--":
                ended = True
            elif t.startswith("--"):
                skip = "=" not in t and t[2:].lower() in self.value_opts
            elif t in self.value_opts:
                skip = True  # `-service web`: a single-dash long option declared with its dash
            elif len(t) >= 2 and (t[-1] in value_options or self._cluster(t[1:])[1]):
                skip = True
        return out

    def sub(self, *value_options: str) -> str:
        """The first positional argument, lowercased: the subcommand of git, docker..."""
        pos = self.positional("".join(value_options))
        return pos[0].text.lower() if pos else ""

    def option_value(self, *names: str) -> str | None:
        """The value of `-o X`, `-oX`, `--name X` or `--name=X` (the first given)."""
        return next(self.option_values(*names), None)

    def option_values(self, *names: str, prefixes: bool = False) -> Iterator[str]:
        """Every value of the options, in order: `psql -c A -c B` runs both statements,
        so a judge that read only the first would miss the second. With `prefixes`, a
        GNU abbreviation of a long name counts as it (`git rebase --exe CMD`): getopt_long,
        git's parse-options and argparse take an unambiguous prefix for the option, so a
        judge reading what an option runs must read it too (left17)."""
        words = iter(enumerate(self.args))
        for i, a in words:
            value, separate = self._value_at(
                i, _unabbreviated(a.text, names, self.value_opts) if prefixes else a.text, names
            )
            if value is not None:
                yield value
                if separate:
                    next(words, None)  # the value's own word is no option

    def _value_at(self, i: int, t: str, names: tuple[str, ...]) -> tuple[str | None, bool]:
        """The value one of `names` takes at argument `i` (its text `t`), and whether it
        is the next word."""
        following = self.args[i + 1].text if i + 1 < len(self.args) else ""
        for n in names:
            flag = f"-{n}" if len(n) == 1 else f"--{n}"
            if t == flag:
                return following, True
            if len(n) > 1 and t.startswith(flag + "="):
                return t[len(flag) + 1 :], False
            if (
                len(n) == 1
                and t.startswith("-")
                and not t.startswith("--")
                and (t[1:].isalpha() and t.endswith(n) and len(t) > 2)
            ):
                return following, True
            if len(n) == 1 and t.startswith(flag) and len(t) > 2 and not t.startswith("--"):
                return t[2:], False
            if len(n) == 1 and (value := _cluster_value(t, n, self.value_opts)) is not None:
                return value, False
        return None, False

    def text(self) -> str:
        """The arguments joined (for matching subcommand phrases)."""
        return " ".join(self.argv)


# The tools that copy, move or link files to a destination (`judges/files.py`'s `_copy`).
COPIERS = frozenset({"cp", "mv", "install", "ln", "rsync", "scp", "rcp", "link"})


def copy_operands(cmd: Cmd) -> tuple[list[Word], list[Word]]:
    """The sources and the destination of one of the `COPIERS` (`cp A B DIR`; `cp -t DIR
    A B`): read apart, since the destination is written, never read."""
    pos = cmd.positional({"rsync": "ef", "ln": "tS"}.get(cmd.name, "tSeBfbopgmT"))
    target = cmd.option_value("t", "target-directory")
    if target:
        return pos, [w for w in cmd.args if w.text == target]
    return pos[:-1], pos[-1:]


def _cluster_value(text: str, letter: str, takes_value: frozenset[str]) -> str | None:
    """`-qO-`, `-sSo/tmp/x`: flags clustered before `letter`, whose value is attached.

    Only a value that cannot be more flags counts (it starts with no letter), so `-qOf`
    stays three flags: reading the value of `wget -qO- URL` as a file would call a
    download to stdout a write. A value that starts with a letter counts when the tool's
    pack says `letter` takes one and none of the flags before it does (rev20b: curl's
    `-sXDELETE` sends a DELETE)."""
    if not text.startswith("-") or text.startswith("--"):
        return None
    at = text.find(letter, 1)
    if at < 2 or not text[1:at].isalpha() or at + 1 >= len(text):
        return None
    rest = text[at + 1 :]
    if not rest[0].isalpha():
        return rest
    takes = letter in takes_value and not any(c in takes_value for c in text[1:at])
    return rest if takes else None


def _unabbreviated(text: str, names: tuple[str, ...], exact: frozenset[str]) -> str:
    """`--exe=X` spelled out as `--exec=X` when it abbreviates one of the long `names` (3+
    letters, as `_long_match` reads it; an option the tool declares is itself, and so is
    a whole word the name goes on from: tar's `--checkpoint` is no `--checkpoint-action`)."""
    if not text.startswith("--"):
        return text
    given, sep, value = text[2:].partition("=")
    full = next(
        (
            n
            for n in names
            if len(n) > 1
            and _long_match(n, {given.lower()}, exact)
            and n[len(given) : len(given) + 1] != "-"  # `--checkpoint` is its own option
        ),
        None,
    )
    return f"--{full}{sep}{value}" if full else text


def _long_match(name: str, given: set[str], exact: frozenset[str] = frozenset()) -> bool:
    """`--recursive`, or a GNU abbreviation of it such as `--rec` (3+ letters); but an
    option the tool declares (`exact`, its value options) is that option, as getopt
    reads an exact name first: etcdctl's `--key=FILE` is no `--keys-only`."""
    return name in given or any(
        len(g) >= 3 and name.startswith(g) and g not in exact for g in given
    )


def make_cmd(simple: Simple, words: list[Word], privileged: bool = False) -> Cmd | None:
    """A `Cmd` from the words of a simple command (None when there are none)."""
    if not words:
        return None
    first = words[0]
    if m := _INIT_SCRIPT.match(first.text.lstrip("\\")):
        unit = Word(m.group(1), first.start, first.end, first.raw)
        args = [unit, *words[1:]]
        return Cmd("service", first, args, simple, privileged, value_options("service"))
    name = command_name(first.text)
    return Cmd(name, first, list(words[1:]), simple, privileged, value_options(name))


# The long spellings of a rehearsal a later word can switch off again (`REHEARSAL_OPTIONS`
# and the tables' `dry_run` kin), and the short letter most tools give it (`rsync -n`,
# `make -n`, `rename -n`, `git clean -n`).
_REHEARSALS = REHEARSAL_OPTIONS | {"no-act", "assume-no", "assumeno", "list-only"}
_REHEARSAL_LETTER = "n"


def rehearsal_undone(cmd: Cmd) -> list[Word] | None:
    """The command's words with its rehearsal taken out, when a later word switches the
    rehearsal off again (`kubectl delete ns X --dry-run=client --dry-run=none`, `rsync -an
    --no-dry-run --delete ...`): the last spelling wins, as getopt and cobra set the flag
    in order, so the run is real. None when nothing is switched off after a rehearsal.
    Judged as well as the line as written, the stripped words only ever raise it."""
    own = cmd.args[: next((i for i, a in enumerate(cmd.args) if a.text == "--"), len(cmd.args))]
    last_off = max((i for i, a in enumerate(own) if _rehearsal_off(a.text)), default=-1)
    if last_off < 0 or not any(_rehearsal_on(a.text, cmd) for a in own[:last_off]):
        return None
    kept: list[Word] = [cmd.word]
    for i, a in enumerate(cmd.args):
        t = a.text
        if i < len(own) and (_rehearsal_on(t, cmd) or _rehearsal_off(t)):
            if t.startswith("--"):
                continue
            t = "-" + t[1:].replace(_REHEARSAL_LETTER, "")
            if t == "-":
                continue
            a = Word(t, a.start, a.end, a.raw)
        kept.append(a)
    return kept


def _rehearsal_off(text: str) -> bool:
    """`--no-dry-run`, `--dry-run=none|false|0|no|off`: a rehearsal switched off."""
    name, eq, value = text.removeprefix("--").partition("=")
    if not text.startswith("--"):
        return False
    if name.lower().startswith("no-") and name[3:].lower() in _REHEARSALS:
        return True
    return bool(eq) and name.lower() in _REHEARSALS and value.lower() in _OFF_VALUES


def _rehearsal_on(text: str, cmd: Cmd) -> bool:
    """A rehearsal given: its long spelling switched on, or `-n` in a cluster of flags
    that takes no value there (kubectl's `-n NS` is a namespace)."""
    if text.startswith("--"):
        name, eq, value = text[2:].partition("=")
        return name.lower() in _REHEARSALS and not (eq and value.lower() in _OFF_VALUES)
    if not text.startswith("-") or len(text) < 2 or not text[1:].isalpha():
        return False
    letters, _ = cmd._cluster(text[1:])
    return _REHEARSAL_LETTER in letters and _REHEARSAL_LETTER not in cmd.value_opts
