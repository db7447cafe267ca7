"""What the file commands do: delete (rm, shred, find -delete), rename, copy and move,
create, change permissions and owners, write with dd, tee, sort -o and split.

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

import re

from aiperm_tui.policy.addresses import foreign_source, lookalike_host, site_address
from aiperm_tui.policy.fspaths import (
    classify,
    describe,
    is_live_data,
    is_scratch,
    is_secret,
    is_secret_dir,
    is_service_config,
    normalize_path,
)
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.model import Blast, Severity, severity_rank
from aiperm_tui.policy.normalize import Cmd, copy_operands, make_cmd
from aiperm_tui.policy.parse import Word
from aiperm_tui.policy.toolbox import (
    _DROPIN,
    _rank,
    _targets,
    _top_level_glob,
    _where,
    aged_cleanup,
    changes,
    delete_reason,
    delete_severity,
    fetched_copy,
    find_starts,
    found_names,
    handles,
    hit,
    name_selected,
    option_write,
    overcommit_write,
    scope_to,
    write_hit,
)
from aiperm_tui.values import replace

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


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
    if cmd.option_value("s", "size") == "0":  # as `> FILE`: a service's config emptied
        configs = [p for p in paths if is_service_config(_where(p.text, an))]
        found = (
            write_hit(p, p.span, "truncate", truncate=True, cwd=an.cwd, empties=True)
            for p in configs
        )
        hits += [h for h in found if h is not None]
    return hits or hit(cmd, "fs.truncate", "medium")


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
                    cleanup = aged_cleanup(args[:i], starts, an)
                    picked = name_selected(args[:i])
                    hits.extend(
                        scope_to(an.hits[before:], starts, an, cleanup=cleanup, selective=picked)
                    )
                    del an.hits[before:]
            i = j
        elif t == "-delete":
            hits.extend(
                delete_hits(
                    cmd,
                    starts or [Word(".", cmd.word.end, cmd.word.end, "")],
                    an,
                    recursive=not aged_cleanup(args[:i], starts, an),
                )
            )
        elif t in ("-fprint", "-fprint0", "-fprintf", "-fls") and i + 1 < len(args):
            # a list of names, never a configuration: a config written so is emptied
            hit_ = write_hit(
                args[i + 1],
                args[i + 1].span,
                "find writes a list of names over",
                truncate=True,
                cwd=an.cwd,
                empties=True,
            )
            hits.extend([hit_] if hit_ else [])
        i += 1
    return hits


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
            # others or all given write by any symbolic spelling (`o+w`, `o+rwx`, `a=rw`)
            r"(^|[^0-7])[0-7]?[0-7]{2}7$|(?:^|,)[ugo]*[oa][ugoa]*[+=][rwxXst]*w|"
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
    if (filled := _fills_a_disk(cmd)) is not None:
        hits += hit(
            cmd,
            "fs.fill_disk",
            "high",
            f"{cmd.name} writes {filled}: sized to fill the disk (every service writing to it "
            "stops)",
        )
    return hits


# dd's endless sources, and its size multipliers (GNU: `c` 1, `w` 2, `b` 512, `kB` 1000,
# `K` or `KiB` 1024, `MB` 1000^2, `M` 1024^2... up to `E`; BSD's lower-case letters too).
_ENDLESS_SOURCES = frozenset({"/dev/zero", "/dev/urandom", "/dev/random"})
_DD_SIZE = lazy(r"(\d+)(?:(c|w|b)|([kmgtpe])(ib|b)?)?", re.I)
_FILL = 100 * 1024**3  # as `fallocate.fill_disk`: 100 GiB or more at once


def _fills_a_disk(cmd: Cmd) -> str | None:
    """What a dd writes to a file when it is sized to fill a disk (tidy14's labelling
    rule, as `fallocate -l 200G`): an endless source with no count, or 100 GiB or more
    by its block size and count; None otherwise. A device or nothing (`of=/dev/null`)
    is judged as its write."""
    ops = {k: v for k, _, v in (a.text.partition("=") for a in cmd.args)}
    out = ops.get("of")
    if out is None or classify(out) in ("device", "null"):
        return None
    if "count" not in ops:
        endless = ops.get("if") in _ENDLESS_SOURCES
        return f"{ops['if']} to {out} until the disk is full" if endless else None
    count = _dd_bytes(ops["count"])
    counts_bytes = "count_bytes" in ops.get("iflag", "")
    block = 1 if counts_bytes else _dd_bytes(ops.get("ibs", ops.get("bs", "512")))
    if count is None or block is None or count * block < _FILL:
        return None
    return f"{count * block // 1024**3} GiB to {out}"


def _dd_bytes(text: str) -> int | None:
    """A dd size in bytes (`4M`, `1GB`, `512`), None for a spelling not read here (`2x1M`)."""
    m = _DD_SIZE.fullmatch(text)
    if m is None:
        return None
    small = {"c": 1, "w": 2, "b": 512}
    if m.group(2):
        return int(m.group(1)) * small[m.group(2).lower()]
    if not m.group(3):
        return int(m.group(1))
    power = "kmgtpe".index(m.group(3).lower()) + 1
    base = 1000 if (m.group(4) or "").lower() == "b" else 1024
    return int(m.group(1)) * int(base**power)


@handles("tee", "sponge")
def _tee(cmd: Cmd, an: Analysis) -> list[Hit]:
    """tee writes its input to each file it names; moreutils' sponge to its one file once
    the input ends (`sponge /etc/pam.d/sshd < FILE` replaces the file)."""
    fed = an.literal_input(cmd)
    text = fed[0] if fed else None
    verb = f"{cmd.name} writes"
    targets = [w for w in cmd.positional() if not w.raw.startswith((">(", "<("))]
    # (`tee >(cmd)`: judged as a command)
    found = [
        *(
            write_hit(w, cmd.span, verb, truncate=not cmd.has("a", "append"), cwd=an.cwd, text=text)
            for w in targets
        ),
        *(overcommit_write(w, text, an.src, verb, cmd.span) for w in targets),
    ]
    source = _downloaded_from(cmd)
    for w in targets if source else []:
        if _TRUST_ANCHORS.search(normalize_path(w.text)):
            found.append(
                Hit(
                    "fs.trust_anchor_download",
                    "high",
                    f"{cmd.name} writes {w.text}, a trust anchor, from {source}, an address "
                    "outside the site: every TLS client of the host will believe what that "
                    "certificate signs",
                    w.span,
                    "system",
                )
            )
    return [h for h in found if h]


# The folders the system's CA bundle is built from (fix19): a certificate written there
# is trusted by every TLS client after `update-ca-certificates` or `update-ca-trust`.
_TRUST_ANCHORS = lazy(
    r"^/(?:usr/local/share/ca-certificates|usr/share/ca-certificates|etc/ssl/certs|"
    r"etc/pki/ca-trust/source(?:/anchors)?|etc/ca-certificates/trust-source(?:/anchors)?|"
    r"usr/share/pki/ca-trust-source(?:/anchors)?|etc/pki/trust/anchors)/"
)


def _downloaded_from(cmd: Cmd) -> str | None:
    """The address outside the site (or spelt like another's host) that the download
    piped into `cmd` fetches (`curl -s https://x.io/root.pem | tee ...`), else None."""
    up = cmd.simple.upstream
    source = make_cmd(up, up.words) if up is not None else None
    if source is None or source.name not in ("curl", "wget", "http", "https", "xh", "fetch"):
        return None
    text = " ".join(source.argv)
    found = lookalike_host(text) or foreign_source(text)
    if found is None:
        bare = [a.text for a in source.positional() if not a.text.startswith("-")]
        found = next((b for b in bare if site_address(b) == "foreign" and "." in b), None)
    return found


def _new_version(source: str, dest: str) -> bool:
    """Is `source` a new version of `dest` written beside it (`aide.db.new`, `x.db.tmp`)?"""
    name = dest.rstrip("/").rsplit("/", 1)[-1]
    return bool(name) and source.rsplit("/", 1)[-1].startswith(name + ".")


def _data_replaced(cmd: Cmd, sources: list[Word], dest: list[Word], verb: str) -> list[Hit]:
    """A copy, move or forced link onto a database's or VM's data file replaces its data,
    as `> FILE` over it does (`toolbox.write_hit`): `cp /dev/null /srv/app/db.sqlite3`,
    `ln -sf /dev/null /var/lib/x/data.db`. A copy that keeps what is there (`cp -n`, `ln`
    without `-f`, which fails on an existing name) replaces nothing."""
    if cmd.has("n", "no-clobber") or (cmd.name in ("ln", "link") and not cmd.has("f", "force")):
        return []
    if sources and all(_new_version(s.text, d.text) for s in sources for d in dest):
        return []  # `mv aide.db.new aide.db`: the tool's new version put in place
    emptied = sources and all(s.text == "/dev/null" for s in sources)
    live = [
        d.text
        for d in dest
        if classify(d.text) != "temp"
        and (is_live_data(d.text) or (emptied and is_service_config(d.text)))
    ]
    if not live:
        return []
    return hit(
        cmd,
        "fs.data_replaced",
        "high",
        f"{cmd.name} {verb} {live[0]}, "
        + (
            "replacing a database's or VM's data file: its data is lost"
            if is_live_data(live[0])
            else "emptying a service's configuration: it fails at its next reload or start"
        ),
    )


def _nulled(cmd: Cmd, sources: list[Word], dest: list[Word]) -> list[Hit]:
    """`ln -sf /dev/null FILE`: FILE's content is deleted and, unlike `rm`, whatever is
    written to it after vanishes and every read finds it empty (a configuration, a log, a
    unit: the service starts on nothing, or nothing of it is kept). Every labelled part
    types it; a scratch file in a temp folder is a change."""
    if cmd.name not in ("ln", "link") or not cmd.has("f", "force"):
        return []
    if not sources or any(normalize_path(s.text) != "/dev/null" for s in sources):
        return []
    lost = [d.text for d in dest if classify(d.text) not in ("temp", "null")]
    if not lost:
        return []
    return hit(
        cmd,
        "fs.nulled",
        "high",
        f"ln replaces {lost[0]} by a link to /dev/null: its content is lost and whatever "
        "is written to it later vanishes",
    )


# A shell binary: copied or linked under another name, it is a way in.
_SHELL_PROGRAM = lazy(r"^/(usr/)?(local/)?bin/((ba|da|z|k|c|tc|fi|a)?sh|busybox)$")


@handles("cp", "mv", "install", "ln", "rsync", "scp", "rcp", "link")
def _copy(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name == "rsync" and cmd.has("n", "dry-run", "list-only"):
        return []
    sources, dest = copy_operands(cmd)
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
    replaced = [d.text for d in dest if classify(d.text) != "temp" and is_secret(d.text)]
    if replaced:  # as `> FILE` over it is (`toolbox.write_hit`)
        hits += hit(
            cmd,
            "fs.credential_replaced",
            "high",
            f"{cmd.name} {verb} {replaced[0]}, replacing a credential (a key, a password or "
            "token file, a client's login): its previous content is lost",
        )
    hits += _data_replaced(cmd, sources, dest, verb) or _nulled(cmd, sources, dest)
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
    if named := [w.text for w in targets if w.text.rpartition("/")[2].startswith("-")]:
        return hit(
            cmd,
            "fs.option_named_file",
            "high",
            f"{cmd.name} creates {' '.join(named)}, named as an option: a later `tar *`, "
            "`rsync *` or `chown *` in that folder reads the name as one (wildcard injection)",
        )
    if cmd.name == "mkdir" and targets and all(_DROPIN.match(w.text) for w in targets):
        # an empty drop-in folder runs nothing; what is written in it is judged then
        return hit(cmd, "fs.mkdir", "medium", "mkdir creates a systemd drop-in folder", "single")
    return changes(cmd, targets, an, "creates")


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
