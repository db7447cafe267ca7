"""What raises an unknown tool to the typed code besides its verb (thirteenth pass).

`verbs.destroy_verb` reads a tool no rule describes by the words it is asked
(`kapp delete`, `birdc down`). Tomorrow's tool also says what it does by its own name,
by the devices and folders it is handed, by the code it is given to install or to run,
and by the safety it is told to switch off. Each class here only raises an unknown
command (`unknown.command`, a plain yes) to `high`, the typed code under `ops_safe`
(denied under `read_only`, as any unknown command is); a form some pack rule or judge
describes keeps its own judgement (`toolbox._judge_named` calls this last).

- **a name that destroys** (`unknown.destroy_name`): the tool's own name holds `wipe`,
  `erase`, `reset`, `purge`, `nuke`, `destroy`, `obliterate`, `zeroize` or `flash`
  (`jffs2reset -y`, `flash_eraseall /dev/mtd4`, `st-flash write ...`), or is a storage
  formatter (`format`, `ubiformat`, `sg_format`, `mformat`: not a text formatter,
  `clang-format`, `sqlformat`). Not a name that also reports (`flash_info`, `mtdinfo`,
  `erase-status`), nor `preset`/`swipe`; not when a word among its first three
  positional ones reports (`cachepurge status`) or a lone option prints and exits
  (`--list`, `--info`, `--version`, `--status`). A tool of the boot path (`fw_`,
  `uboot`, `bootenv`, `nvram`, `bios`, `efivar` in its name) named or asked to write it
  (`fw_setenv bootcmd ...`, `nvram set X=1`, `efivar -w`): the next boot runs what was
  written (`fw_printenv`, `nvram get` report);
- **a device or the root handed over** (`unknown.device_operand`): a block, MTD, UBI or
  memory device (`fspaths.classify` says `device`) as a word or an option's value, when
  the tool is asked something that is no read: a verb-like word before the device none
  of which reports (`mmc bootpart enable 1 1 /dev/mmcblk1`, `balena local flash IMG
  --drive /dev/sdb`; `mmc extcsd read /dev/mmcblk0` reads, a short option's value is
  no verb: `mmls -t dos /dev/sdb`), or, with no verb, a name that writes (`nandwrite`,
  `ubiupdatevol`, `rpi-imager`; `sg_inq /dev/sg0` only asks). The root or a top-level
  system folder as a destination (`-d /`, `--dest=/usr`, `--target /etc`: `unsquashfs
  -f -d / FILE`) or as the operand of a verb that unpacks, installs or writes
  (`zzpkg unpack x.tar /`). A physical-memory poker (`devmem2`, `memtool`) given an
  address and a value writes the hardware's registers (`devmem2 0x3f200000 w 0`);
- **code from a temp folder or an address installed or run** (`unknown.foreign_code`):
  a temp path (`/tmp`, `/var/tmp`, `/dev/shm`) or an `http(s)://`/`ftp://` address,
  as a word or an option's value, given to a verb that installs, updates, flashes,
  writes or runs (`rauc install /tmp/b.raucb`, `mender-update install URL`,
  `zzrun exec /tmp/job.sh`) or to a tool whose name does (`sysupgrade`, `swupdate`,
  `fwupdate`); or an address naming a package, firmware, image or script (`.tar.gz`,
  `.whl`, `.deb`, `.bin`, `.img`, `.sh`...) given to any unknown tool that is not
  reading (`cpanm https://198.51.100.31/x.tar.gz`). Not after a read verb (`rauc info
  /tmp/b.raucb`), nor with a test flag (`--test`, `--check`, `--verify`,
  `--validate`, `-T`: `sysupgrade -T /tmp/fw.bin` only checks the image);
- **safety switched off** (`unknown.unsafe_flag`): `--unsafe` (and `--allow-unsafe`,
  `--unsafe-mode`...), `--dangerous`, `--dangerously-*`, `--no-safety`,
  `--skip-safety-checks`, `--disable-safety`, `--skip-checks`, `--no-preserve-root`,
  whatever the verb, unless switched off (`--unsafe=false`): the tool's authors put the
  harm behind that flag (`bpftrace --unsafe` may kill processes and run commands).

An explicit dry run (`verbs._rehearsal`) leaves every class unraised: the command stays
`unknown.command`, a plain yes. Each reads only the words before `--`.

Command lines inside an unknown interpreter's code (`bb -e '(shell "birdc down")'`) are
found by `code_lines` and judged as commands by the caller (`toolbox._judge_named`).
"""

from __future__ import annotations

from aiperm_tui.policy import verbs
from aiperm_tui.policy.addresses import site_address
from aiperm_tui.policy.fspaths import classify
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.normalize import Cmd

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from aiperm_tui.policy.parse import Word

NAME_RULE = "unknown.destroy_name"
DEVICE_RULE = "unknown.device_operand"
CODE_RULE = "unknown.foreign_code"
UNSAFE_RULE = "unknown.unsafe_flag"
EVAL_RULE = "unknown.eval_code"
RULES = frozenset({NAME_RULE, DEVICE_RULE, CODE_RULE, UNSAFE_RULE, EVAL_RULE})
# Long options whose name says the tool evaluates (runs) the code given in them (left19):
# `sqlmap --eval=PYTHON`, `zztool --exec 'CMD'`, `--eval-command`. A short `-e` is as
# often a pattern or an environment (grep, docker), and `--execute` is the SQL clients'
# query (`presto-cli --execute 'SELECT ...'`, mysql's, trino's), so only these count.
_EVALUATES = lazy(r"--(?:eval|evaluate|exec|eval-command|exec-command|exec-code)")

# A name that destroys: the stems anywhere in it (`jffs2reset`, `flash_eraseall`,
# `securewipe`; review13: `zzshred`, `sg_sanitize`, `zzfactory-defaults`, `mkfs-zz`),
# not `preset` nor `swipe`, nor the reset of a hardware link (`usbreset`,
# `sg_reset`: the device is reconnected, its data kept); a storage formatter by its
# whole name (`ubiformat`, `sg_format`, not `clang-format`).
_DESTROYING_NAME = lazy(
    r"(?<!p)(?<!usb)(?<!sg_)(?<!pci)(?<!bus)(?<!phy)reset|(?<!s)wipe|erase|purge|nuke"
    r"|destroy|obliterat|zeroi[sz]e|shred|saniti[sz]e|factory[-_]?defaults?|^mkfs"
    r"|^(?:ubi|mtd|nand|sd|mmc|emmc|disk|flash|nvme|usb|sg|hd|m)?[-_]?format$"
)
# A name that reports: `flash_info`, `mtdinfo`, `erase-status`, `flashlist`.
_REPORTING_NAME = lazy(r"info|list|stat|show|dump|read|print|check|test|verif|query|probe")
# A tool of the boot path (U-Boot's environment, NVRAM, EFI variables, a BIOS) writes
# it when its name or its verb says so (`fw_setenv bootcmd ...`, `nvram set X=1`,
# `zzbootenv write`, `efivar -w`): the next boot runs what was written, or nothing.
# `fw_printenv` reports.
_BOOT_NAME = lazy(r"fw[-_]|firmware|u-?boot|bootloader|bootenv|nvram|bios|efivar")
_BOOT_WRITES = lazy(r"set|write|edit|save|flash|install|update|erase|clear|reset|commit")
# A flasher (`st-flash`, `esp-flash`) writes when it is asked to: a verb or an option
# that writes, erases or programs (`flashrom -r FILE`, `--flash-name` only read it).
_FLASHER_WRITES = frozenset({"burn", "erase", "flash", "load", "program", "write"})
_FLASHER_WRITE_OPTIONS = frozenset({"-w", "--write", "-E", "--erase", "--program"})
# Lone options that print and exit, whatever else the tool does.
_PRINTS_AND_EXITS = frozenset(
    {"--list", "--list-all", "--info", "--version", "--status", "--show", "-V"}
)
# A name that writes what it is handed (`nandwrite`, `ubiupdatevol`, `rpi-imager`,
# `sysupgrade`, `swupdate`, `flashcp`): with no verb, its operands are what it writes.
_WRITING_NAME = lazy(
    r"write|flash|burn|updat|upgrad|imager|format|eras|wipe|zero|install|restor|load"
)
# Verbs that write a device's contents (an image, a boot partition, a partition table,
# zeros; review13 added the synonyms that passed: `put`, `save`, `apply`, `commit`,
# `push`, `send`, `mirror`, `blank`...; not `sync`, which flushes it): naming a device,
# they are typed; a device's label, a mapping opened on it or a pool made of it
# (`e2label`, `integritysetup open`, `stratis pool create`) are changes.
_DEVICE_WRITES = verbs.DESTROY_VERBS | frozenset(
    {
        "apply",
        "blank",
        "boot",
        "bootpart",
        "burn",
        "clone",
        "commit",
        "copy",
        "cp",
        "dd",
        "deploy",
        "fill",
        "flash",
        "image",
        "init",
        "initialize",
        "install",
        "load",
        "mirror",
        "mkpart",
        "overwrite",
        "partition",
        "program",
        "provision",
        "push",
        "put",
        "reimage",
        "repartition",
        "replicate",
        "restore",
        "save",
        "send",
        "shred",
        "store",
        "trim",
        "upload",
        "write",
        "zero",
    }
)
# A name that installs what it is handed (`sysupgrade`, `swupdate`, `fwupdate`,
# `mender-install`): a temp path or an address given to it is code put in place.
_INSTALLING_NAME = lazy(r"updat|upgrad|install|flash|burn|deploy|sideload")
# Verbs that put what they are handed in place or run it: with a temp path or an
# address (code from there), or the root (written over). Review13 added the other ways
# to say run (`start`, `launch`, `invoke`, `spawn`, `submit`, `schedule`, `trigger`).
_INSTALL_VERBS = frozenset(
    {
        "activate",
        "apply",
        "boot",
        "burn",
        "call",
        "deploy",
        "dispatch",
        "enqueue",
        "eval",
        "evaluate",
        "exec",
        "execute",
        "extract",
        "fire",
        "flash",
        "i",
        "import",
        "include",
        "install",
        "invoke",
        "launch",
        "load",
        "overlay",
        "perform",
        "play",
        "restore",
        "run",
        "schedule",
        "sideload",
        "source",
        "spawn",
        "start",
        "submit",
        "trigger",
        "unpack",
        "untar",
        "update",
        "upgrade",
        "write",
    }
)
# Options naming where a tool unpacks or installs: given the root or a system folder.
_DESTINATIONS = lazy(
    r"--(?:dest(?:ination)?|dest-?dir|target(?:-dir)?|output-dir|outdir|extract-to"
    r"|install-dir|into)"
)
# Test flags: the image is checked, not installed (`sysupgrade -T`, `--check`).
_TESTS = frozenset({"--test", "--check", "--verify", "--validate", "-T"})
# Any scheme's address (review13: `git+https://`, `sftp://`, `scp://`, `git://`, `HTTPS://`).
_ADDRESS = lazy(r"(?i)[a-z][a-z0-9+.-]*://\S+")
_CODE_FILE = lazy(
    r"\.(?:tar(?:\.\w+)?|tgz|tbz2?|txz|zip|whl|egg|gem|deb|rpm|apk|ipk|snap|jar|war"
    r"|sh|py|pl|rb|js|ps1|bin|img|iso|wic|swu|raucb|mender|ext4|squashfs|ubi|ubifs|fw|hex"
    r"|elf|itb|efi|ko|so)$"
)
_MEMORY_POKER = lazy(r"(?:dev|phys|io)mem|memtool|poke")
_HEX = lazy(r"0x[0-9a-fA-F]+")
_UNSAFE = lazy(
    r"--(?:allow-|enable-)?unsafe(?:-(?:mode|ops|operations|code|eval|exec|commands?|actions?))?"
    r"|--(?:i-am-)?dangerous(?:ly)?(?:-[a-z]+)*"
    r"|--(?:no|skip|disable|bypass|without)-safe(?:ty)?(?:-(?:checks?|guards?|mode|net))?"
    r"|--(?:skip|bypass)-(?:all-)?(?:sanity-|pre-?flight-)?checks"
    r"|--no-preserve-root"
    # review13: the other orders and words (`--allow-dangerous`, `--no-sandbox`, `--yolo`)
    r"|--(?:allow|enable)-dangerous(?:-[a-z]+)*|--(?:no|disable|without)-sandbox(?:ing)?"
    r"|--yolo(?:-mode)?"
)
# A switch that keeps the tool safe: set off (`--safe-mode=off`, `--safety=false`,
# `--sandbox=0`, `--preserve-root=no`), its safety is off.
_SAFETY = lazy(r"--(?:safe(?:ty)?(?:-mode|-guards?|-checks?)?|sandbox|preserve-root|safeguards?)")


def raised(cmd: Cmd) -> Hit | None:
    """The finding that raises an unknown command to the typed code by its name, a device
    or the root it is handed, code it installs from a temp folder or an address, or a
    flag that switches safety off; None for none of them (see the module docstring)."""
    args = [a.text for a in cmd.args]
    if "--" in args:
        args = args[: args.index("--")]
    if verbs._rehearsal(args):
        return None
    if (flag := next((a for a in args if _unsafe(a)), None)) is not None:
        return _hit(cmd, UNSAFE_RULE, f"is told {flag!r}: a flag that switches its safety off")
    if (option := _evaluates(args)) is not None:
        return _hit(cmd, EVAL_RULE, f"is handed code to evaluate in {option}: it may do anything")
    if _reads(args):
        return None
    if _destroying_name(cmd.name) or _flashes(cmd.name, args):
        return _hit(cmd, NAME_RULE, "is named for destroying (wipe, erase, reset, flash...)")
    if _writes_boot_path(cmd.name, args):
        return _hit(cmd, NAME_RULE, "writes the boot path (boot loader, NVRAM, firmware)")
    if (target := _device_or_root(cmd.name, args)) is not None:
        return _hit(cmd, DEVICE_RULE, f"is handed {target!r} to act on, not to read")
    tested = _TESTS.intersection(a.partition("=")[0] for a in args)
    if not tested and (source := _foreign_code(cmd.name, args)) is not None:
        return _hit(cmd, CODE_RULE, f"installs or runs {source!r}: code nobody reviewed")
    return None


def _evaluates(args: list[str]) -> str | None:
    """The long option that hands an unknown tool code to run (`--eval=CODE`, `--exec
    CMD`), with a value that is code (not a switch turned off or left empty)."""
    for i, a in enumerate(args):
        name, eq, value = a.partition("=")
        if not _EVALUATES.fullmatch(name.lower()):
            continue
        if not eq:
            value = args[i + 1] if i + 1 < len(args) else ""
            if value.startswith("-"):
                continue
        if value.strip() and value.lower() not in verbs._OFF_VALUES:
            return name
    return None


def _hit(cmd: Cmd, rule: str, what: str) -> Hit:
    return Hit(
        rule,
        "high",
        f"{cmd.name}: an unknown tool that {what}; read what it does before typing the code",
        cmd.span,
        "unknown",
    )


def _unsafe(text: str) -> bool:
    """`--unsafe`, `--dangerously-skip-permissions`, `--no-preserve-root`, or an
    abbreviation getopt_long would take for one (`--unsa`, `--dang`, `--no-pres`), not
    switched off (`--unsafe=false`)."""
    name, eq, value = text.lower().replace("_", "-").partition("=")
    if eq and value in verbs._OFF_VALUES:
        return _SAFETY.fullmatch(name) is not None  # `--safe-mode=off`: safety switched off
    if _UNSAFE.fullmatch(name) is not None:
        return True
    return any(len(name) >= least and full.startswith(name) for full, least in _ABBREVIATED)


# The unsafe flags' shortest abbreviations taken for them (the tool may not know another
# option they would fit).
_ABBREVIATED = (("--unsafe", 6), ("--dangerous", 6), ("--no-preserve-root", 9))


def _verb_words(args: list[str]) -> list[str]:
    """The first three positional words shaped like a verb, lowercased; a word after a
    short option is taken for its value (`mmls -t dos`), paths and numbers are operands."""
    out: list[str] = []
    seen = 0
    after_short = False
    for text in args:
        if text.startswith("-"):
            after_short = len(text) == 2 and text[1].isalpha()
            continue
        seen += 1
        if seen > 3:
            break
        if not after_short and verbs._VERB_WORD.fullmatch(text) and not _HEX.fullmatch(text):
            out.append(text.lower())
        after_short = False
    return out


def _reads(args: list[str]) -> bool:
    """A word among the first positional ones reports (`status`, `info`, `read`), or a
    lone option prints and exits (`--list`, `--version`)."""
    if any(a.partition("=")[0] in _PRINTS_AND_EXITS for a in args):
        return True
    return any(any(p in verbs._REPORT_WORDS for p in verbs._parts(w)) for w in _verb_words(args))


def _destroying_name(name: str) -> bool:
    lowered = name.lower()
    return bool(_DESTROYING_NAME.search(lowered)) and not _REPORTING_NAME.search(lowered)


def _flashes(name: str, args: list[str]) -> bool:
    """A flasher asked to write (`st-flash write FILE ADDR`, `zzflash -w FILE`)."""
    if "flash" not in name.lower():
        return False
    if any(a.partition("=")[0] in _FLASHER_WRITE_OPTIONS for a in args):
        return True
    return any(verbs._parts(w)[0] in _FLASHER_WRITES for w in _verb_words(args))


def _writes_boot_path(name: str, args: list[str]) -> bool:
    """`fw_setenv bootcmd ...`, `nvram set boot_wait=on`, `efivar -w ...`: a tool of the
    boot path named or asked to write it (a name that reports, `fw_printenv`, does not)."""
    lowered = name.lower()
    if not _BOOT_NAME.search(lowered) or _REPORTING_NAME.search(lowered):
        return False
    if _BOOT_WRITES.search(_BOOT_NAME.sub(" ", lowered)):
        return True
    if any(a.partition("=")[0] in _FLASHER_WRITE_OPTIONS for a in args):
        return True
    return any(_BOOT_WRITES.fullmatch(verbs._parts(w)[0]) for w in _verb_words(args))


def _values(args: list[str]) -> list[str]:
    """Every word and every option's value (`--drive=/dev/sdb` gives `/dev/sdb`)."""
    return [a.partition("=")[2] if a.startswith("-") and "=" in a else a for a in args]


# Options that name where a tool writes its own output or report (`--outputFile=PATH`,
# `--report-file PATH`, `--out-dir DIR`, `--dest-path P`): a file written, never code it
# runs (crit17 and fp17: `vitest run --outputFile=/tmp/junit.xml`). Only a name that
# says it takes a file (the group) takes the next word (rev17b).
_OUTPUT_OPTION = lazy(
    r"(?i)-o|--(?:output|out|dest|destination|report|log|junit|coverage)[-_]?(file|dir|path)?"
)


def _code_values(args: list[str]) -> list[str]:
    """`_values` less what an output option names (seventeenth pass: `vitest run
    --outputFile=/tmp/v.xml` runs nothing from /tmp; a device there is still seen by
    `_device_or_root`, which reads every value)."""
    kept: list[str] = []
    skip = False
    for a in args:
        name, eq, _ = a.partition("=")
        output = _OUTPUT_OPTION.fullmatch(name)
        if not skip and not output:
            kept.append(a)
        # the next word is the option's only when its name says it takes a file: a bare
        # `--log`, `--coverage` or `--report` is as often a switch, and the word after it
        # the package or script (`frob install --log /tmp/evil.pkg`)
        skip = bool(output and output.group(1)) and not eq
    return _values(kept)


def _device_or_root(name: str, args: list[str]) -> str | None:
    """A device handed to a verb that is no read (or to a name that writes), the root
    as a destination or under an unpacking verb, or a physical memory poke."""
    verb_words = _verb_words(args)
    device = next((v for v in _values(args) if classify(v) == "device"), None)
    writes = any(p in _DEVICE_WRITES for w in verb_words for p in verbs._parts(w))
    writing_name = _WRITING_NAME.search(name.lower()) and not _REPORTING_NAME.search(name.lower())
    if device is not None and (writes or (not verb_words and writing_name)):
        return device
    for i, text in enumerate(args):
        opt, eq, value = text.partition("=")
        if not (_DESTINATIONS.fullmatch(opt) or opt == "-d"):
            continue
        if not eq:
            value = args[i + 1] if i + 1 < len(args) else ""
        if value == "/" or (opt != "-d" and classify(value) == "root"):
            return f"{opt} {value}"  # `-d` alone names a folder to scan as often
    root = next((a for a in args if a == "/" or classify(a) == "root"), None)
    if root is not None and any(w in _INSTALL_VERBS for w in verb_words):
        return root
    pokes = _MEMORY_POKER.search(name.lower())
    if pokes and sum(bool(_HEX.fullmatch(a)) or a.isdigit() for a in args) >= 2:
        return " ".join(args)
    return None


def _foreign_code(name: str, args: list[str]) -> str | None:
    """A temp path or a foreign address (`addresses.site_address`) given to a verb (or a
    name) that installs or runs, or a foreign address naming a package, image or script
    given to a tool asked nothing else (`cpanm URL`; `zztool fetch URL` says it downloads)."""
    verb_words = _verb_words(args)
    lowered = name.lower()
    installs = bool(
        _INSTALLING_NAME.search(lowered) and not _REPORTING_NAME.search(lowered)
    ) or any(verbs._parts(w)[0] in _INSTALL_VERBS for w in verb_words)
    for value in _code_values(args):
        address = _ADDRESS.fullmatch(value) is not None and site_address(value) == "foreign"
        if installs and (address or classify(value) == "temp"):
            return value
        if address and not verb_words and _CODE_FILE.search(value.split("?")[0].lower()):
            return value
    return None


def code_lines(cmd: Cmd) -> list[tuple[str, Word]]:
    """The command lines written as strings inside the code an unknown tool is given to
    evaluate (`bb -e '(babashka.process/shell "birdc down")'`, `janet -e '(os/execute
    ["userdel" "-r" "ops"] :p)'`): each string of two words or more whose first word is a
    command name, and the strings of one list joined (an argument vector), with the word
    that carries the code. The caller judges each as a command line."""
    out: list[tuple[str, Word]] = []
    words = cmd.args
    for i, word in enumerate(words):
        opt, eq, value = word.text.partition("=")
        if opt in _EVAL_OPTIONS and eq:
            code = value  # `--eval=CODE`
        elif word.text[:2] in _EVAL_OPTIONS and len(word.text) > 2 and word.text[2] in "('\"[{":
            code = word.text[2:]  # `-e'(shell ...)'`: the code glued to its option
        elif word.text in _EVAL_OPTIONS and i + 1 < len(words):
            code = words[i + 1].text
            word = words[i + 1]
        else:
            continue
        out.extend((line, word) for line in _string_lines(code))
    return out


# Options that hand a tool code to evaluate (`-c` is as often a config file, whose path
# holds no quoted string, so it finds nothing there).
# Review13 added Perl's `-E`, PHP's `-r`, and `-x`, `--run`, `--script`: a value there
# that holds no quoted command line finds nothing.
_EVAL_OPTIONS = frozenset(
    {
        "-E",
        "-c",
        "-e",
        "-r",
        "-x",
        "--code",
        "--command",
        "--eval",
        "--exec",
        "--execute",
        "--expr",
        "--expression",
        "--run",
        "--script",
    }
)
# A string literal in single, double or back quotes (Ruby's and Perl's backticks run it).
_LITERAL = lazy(r"""'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`""")
# Literals side by side, in a vector, a tuple or a call's arguments (`["userdel" "-r"
# "ops"]`, `("userdel", "-r")`, `(shell "birdc" "down")`): an argument vector.
_RUN = lazy(
    r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")(?:\s*,?\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"))+"""
)
# Literals joined by a concatenation (`"user" + "del -r ops"`, `'a' . 'b'`, `"a" .. "b"`,
# `"a" <> "b"`, `"a" ~ "b"`): one string.
_CONCAT = lazy(
    r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")(?:\s*(?:\+\+?|\.\.?|<>|\|\||~)\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"))+"""
)
_COMMAND_NAME = lazy(r"[A-Za-z_][\w.+-]*")


def _string_lines(code: str) -> list[str]:
    """The strings in `code` that read as command lines: a literal whose first word is
    named like a program, or literals side by side (`["userdel" "-r" "ops"]`, `(shell
    "birdc" "down")`) joined. A word or a sentence (`"done"`, `"hello world"`) is judged
    too: as an unknown command it adds nothing to the unknown tool that prints it, and a
    one-word command runs as well as a longer one (review13: `(shell "reboot")`)."""
    found = ["".join(parts) for parts in _LITERAL.findall(code)]
    for m in _RUN.finditer(code):
        found.append(" ".join("".join(parts) for parts in _LITERAL.findall(m.group(0))))
    for m in _CONCAT.finditer(code):
        found.append("".join("".join(parts) for parts in _LITERAL.findall(m.group(0))))
    return [text for text in found if _COMMAND_NAME.fullmatch(text.strip().partition(" ")[0])]
