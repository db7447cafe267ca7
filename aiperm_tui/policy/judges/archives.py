"""What the archivers do: which runs of tar, cpio, unzip and friends only list, and where an
extraction writes (or runs a program: `--to-command`, `--checkpoint-action`).

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

from aiperm_tui.policy.fspaths import (
    classify,
    is_secret,
    resolve,
    secret_bundle,
    secret_named,
    secret_under,
)
from aiperm_tui.policy.hits import TO_PROVIDER, Hit
from aiperm_tui.policy.model import Severity
from aiperm_tui.policy.normalize import Cmd
from aiperm_tui.policy.parse import Word
from aiperm_tui.policy.toolbox import _targets, changes, handles, hit, option_write, value_word

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


@handles("tar", "bsdtar")
def _tar(cmd: Cmd, an: Analysis) -> list[Hit]:
    first = cmd.args[0].text if cmd.args else ""
    letters = set(first if not first.startswith("-") else "") | cmd.options()[0]
    long = cmd.options()[1]
    # Listing, and extracting to standard output (-O, --to-stdout), write no file; a
    # member named as a credential is printed (`tar -xOf /tmp/etc.tar etc/shadow`)
    if "O" in letters or "to-stdout" in long:
        return _credential_members(cmd)
    if "t" in letters or "list" in long:
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
    exposed = _credentials_archived(cmd, out, where or an.cwd)
    if out and out != "-":
        return exposed + option_write(cmd, out, "tar writes the archive", an)
    return exposed


def _credential_members(cmd: Cmd) -> list[Hit]:
    """The members `tar -xO` prints that are credentials by their path in the archive
    (`etc/shadow`, `./root/.ssh/id_rsa`, `home/*/.ssh/id_ed25519`), or every member of
    an archive of credentials when none is named."""
    first = cmd.args[0].text if cmd.args else ""
    archive = cmd.option_value("f", "file") or _tar_old_style_file(cmd)
    members = [w for w in cmd.positional("fbCTXgKLNV") if w.text not in (first, archive)]
    return _printed_credentials(cmd, archive, members)


def _printed_credentials(cmd: Cmd, archive: str | None, members: list[Word]) -> list[Hit]:
    """An archive's members printed to the terminal (`tar -xO`, `unzip -p`, `7z x -so`):
    a member named as a credential, or the whole of an archive named for the credentials
    it bundles (`creds-bundle.zip`, `secrets.tar.gz`: eighteenth pass), is a read of
    them."""
    for word in members:
        member = "/" + word.text.lstrip("./")
        if is_secret(member) or secret_named(member) is not None:
            return [
                Hit(
                    "secret.read",
                    "high",
                    f"{cmd.name} prints {word.text} from the archive, a credential: " + TO_PROVIDER,
                    word.span,
                )
            ]
    if archive and not members and secret_bundle(archive):
        return hit(
            cmd,
            "secret.read",
            "high",
            f"{cmd.name} prints every file of {archive}, an archive of credentials: " + TO_PROVIDER,
        )
    return []


def _credentials_archived(
    cmd: Cmd, out: str | None, base: str | None, values: str = "fbCTXgKLNV"
) -> list[Hit]:
    """`tar -cf /tmp/etc.tar /etc`, `tar czf - /home`: an archive of a folder that holds
    credentials (`/etc/shadow`, every account's `~/.ssh`) printed, or written into a temp
    folder with the usual umask (every account on the host may read it), is a read of
    them. A backup written elsewhere (`/var/backups`) is judged as the write it is."""
    if out and out != "-" and classify(out) != "temp":
        return []
    first = cmd.args[0].text if cmd.args else ""
    for word in cmd.positional(values):
        if word.text in (first, out) or word.dynamic:
            continue
        folder = resolve(word.text, base) if base else word.text  # `tar -C / -cf X etc`
        example = secret_under(folder or word.text)
        if example is not None:
            where = (
                f"into {out}, a temp folder every account on the host may read"
                if out and out != "-"
                else f"to the terminal ({TO_PROVIDER})"
            )
            return [
                Hit(
                    "secret.archived",
                    "high",
                    f"{cmd.name} archives {word.text}, which holds credentials ({example}), "
                    + where,
                    word.span,
                )
            ]
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


# zip's options that leave an archive as it is when no file is named to add.
_ZIP_TEST = frozenset({"T", "q", "v", "test", "quiet", "verbose"})


def _tests_only(cmd: Cmd) -> bool:
    """`zip -T ARCHIVE` (eighteenth pass): with no file to add, zip tests the archive's
    integrity and writes nothing; a file named after it is added first (`zip -T A F`),
    and `-TT CMD` runs CMD (`zip.test_command`)."""
    short, long = cmd.options()
    return (
        bool({"T", "test"} & (short | long))
        and (short | long) <= _ZIP_TEST
        and (len(cmd.positional()) == 1)
    )


def _printed_from(cmd: Cmd, words: list[Word]) -> list[Hit]:
    """`unzip -p ARCHIVE [MEMBER...]`, `7z e -so ARCHIVE [MEMBER...]`: the first word is
    the archive, the rest the members printed."""
    if not words:
        return []
    return _printed_credentials(cmd, words[0].text, words[1:])


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
    if cmd.name == "unzip" and cmd.has("p", "c"):  # its members to the terminal
        return _printed_from(cmd, cmd.positional("dx"))
    if cmd.name in ("7z", "unrar") and ("-so" in cmd.argv or cmd.sub() == "p"):
        return _printed_from(cmd, cmd.positional()[1:])
    if cmd.has(*lists) and cmd.name not in ("zip", "7z"):
        return []
    if cmd.name == "zip" and _tests_only(cmd):
        return []
    # zip's and 7z's archive of a folder holding credentials, into a temp folder or to
    # the terminal, as tar's (fix19): `zip -r /tmp/ds.zip /etc/dirsrv`, `7z a /tmp/x.7z /etc`
    made = cmd.positional("xinbtP")[:1] if cmd.name == "zip" else []
    if cmd.name == "7z" and cmd.sub() == "a":
        made = cmd.positional()[1:2]
    if made and (exposed := _credentials_archived(cmd, made[0].text, an.cwd, "xinbtP")):
        return exposed
    if cmd.name in ("7z", "unrar") and cmd.sub() in _ARCHIVE_LISTS:
        return []
    if cmd.name == "unzip" and cmd.has("Z", "z"):  # zipinfo, the comment
        return []
    flag = {"unzip": "d", "7z": "o"}.get(cmd.name)
    into = cmd.option_value(flag) if flag else None
    if into:  # `unzip x.zip -d /`, `7z x a.7z -o/etc`: the files land under that folder
        where = value_word(cmd, into)
        return changes(cmd, [where], an, "extracts into")
    return changes(cmd, cmd.positional("dx"), an, "writes or replaces files for")
