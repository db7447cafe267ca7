"""A fresh report file in a temp folder: a command's output saved there is not a change.

The labelling decision of the eleventh pass (docs/policy.md, "Labelling rules"): writing a
command's own output into a new file directly under `/tmp` or `/var/tmp` whose name the
line chooses (`df -h > /tmp/report.txt`, `curl -o /tmp/x.tgz URL`, `ncdu -o /tmp/x.json
/var`) adds no level of its own: the line is judged as if that output went to the
terminal. What the line then does with the file is judged by its own rule (running it:
`exec.written_then_run`; a script, package or makefile from a temp folder: typed; moving
or unpacking it: by where it goes), so the write never hides it.

Each truncating write of a temp path is reported by `toolbox.write_hit` under `CANDIDATE`
(an append under `APPEND`) and settled here, once the whole line is known: it becomes
`RELAXED` (info) or goes back to `fs.write` at the level it had. It stays when:

- the path is not a literal name (a variable, a substitution, a pattern), not directly
  under `/tmp` or `/var/tmp` (a subfolder only when the line made it with `mkdir`), or is
  hidden or a name services and sessions use (`ssh-*`, `tmux-*`, `krb5cc*`, PHP's
  `sess_*`, sockets, pid and lock files), or one a program loads by itself from the
  folder it runs in (`json.py`, `x.so`, `Makefile`, `ansible.cfg`, `node_modules`);
- nothing writes it (`> /tmp/x`, `: > /tmp/x` empty or truncate a file: no report);
- it appends (`>>`, `tee -a`) to a file the line did not write first;
- the line makes a whole data dump, a backup, an archive, a disk or memory image or key
  material (`pg_dump`, `mysqldump` but its schema, `etcdctl snapshot`, `tar`, `dd`,
  `gpg --export`, `openssl genrsa`...): readable by every account under the usual umask;
- the output has no end (`yes`, `/dev/zero`, `/dev/urandom`, `tcpdump -w` without `-c`):
  it fills the filesystem `/tmp` shares with the system.

A pack rule that writes through an option (`ncdu -o FILE`, `tcpdump -w FILE`) reports the
same path: it is relaxed with the write it made. Targets stay on every hit, so the jail
still sees the write.
"""

from __future__ import annotations

import re

from aiperm_tui.policy.fspaths import normalize_path
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.parse import Simple
from aiperm_tui.values import replace

CANDIDATE = "fs.write.temp"
APPEND = "fs.write.temp_append"
RELAXED = "fs.temp_report"

# A file directly in a temp folder, or in one folder below it (allowed only when the line
# made that folder). Names start with a letter or digit: hidden names are sessions' and
# services' (`.X11-unix`, `.s.PGSQL.5432`).
_FRESH = lazy(r"^/(?:var/)?tmp/(?:([A-Za-z0-9][\w.+,=@-]*)/)?[A-Za-z0-9][\w.+,=@-]*$")
# Names that services, sessions and runtimes use in /tmp: writing one replaces what they
# read (a Kerberos ticket cache, a PHP session, an agent socket, a JVM's perf data).
_RESERVED = lazy(
    r"^(?:ssh-|tmux-|krb5cc|systemd-private-|snap-private|pulse-|dbus-|gpg-|screen|"
    r"uscreens|sess_|hsperfdata_|tracker-|vscode-|orbit-|kde-|lost\+found|mysql|pgsql)|"
    r"\.(?:sock|socket|pid|lock|lck)$|"
    # and names a program loads by itself from the folder it runs in (`cd /tmp && python3
    # -c 'import json'` imports /tmp/json.py): modules, libraries, build and tool files
    r"\.(?:py|pyc|pth|pm|pl|rb|js|mjs|cjs|lua|php|so(?:\.\d+)*)$|"
    r"^(?:makefile|gnumakefile|rakefile|gemfile|justfile|taskfile\.ya?ml|package\.json|"
    r"pyproject\.toml|setup\.cfg|cargo\.toml|build\.gradle(?:\.kts)?|pom\.xml|"
    r"cmakelists\.txt|ansible\.cfg|vagrantfile|dockerfile|(?:docker-)?compose\.ya?ml|"
    r"node_modules|__pycache__|site-packages)$",
    re.IGNORECASE,
)
# The programs whose output is no report, by the name the engine judged (quotes, escapes
# and payloads resolved): a whole data dump, a backup, an archive, a disk or memory image,
# key material, every byte the host reads and writes (`sysdig`), a server's or a router's
# configuration with its passwords (`racadm`, `sysupgrade -b`), a recorder left running
# (`nmon`) or no end (`yes`).
_SPOILERS = frozenset(
    {
        "pg_dumpall",
        "pg_basebackup",
        "mysqlpump",
        "mydumper",
        "mongodump",
        "mongoexport",
        "elasticdump",
        "slapcat",
        "ldapsearch",
        "xtrabackup",
        "mariabackup",
        "innobackupex",
        "gcore",
        "jmap",
        "jcmd",
        "xfsdump",
        "dump",
        "tar",
        "bsdtar",
        "gtar",
        "cpio",
        "pax",
        "zip",
        "7z",
        "7za",
        "rar",
        "dd",
        "dcfldd",
        "dc3dd",
        "ddrescue",
        "borg",
        "restic",
        "kopia",
        "duplicity",
        "rdiff-backup",
        "rsnapshot",
        "gpg",
        "gpg2",
        "openssl",
        "ssh-keygen",
        "keytool",
        "certutil",
        "pk12util",
        "age-keygen",
        "cfssl",
        "step",
        "certbot",
        "mkcert",
        "sysdig",
        "racadm",
        "sysupgrade",
        "nmon",
        "yes",
    }
)
# The same by a subcommand or an option: snapshots, image exports, a redis RDB, SQL copied
# out. Searched in the line as written and with its quotes removed.
_DUMP_FORM = lazy(
    r"\b(?:snapshot\s+save|raft\s+snapshot|influxd?\s+backup|"
    r"(?:docker|podman|nerdctl|ctr|crane)\s+(?:\S+\s+)*?(?:save|export)\b|virsh\s+dump\b|"
    r"wg\s+genkey|COPY\b[^;]*\bTO\b|INTO\s+OUTFILE)|"
    # options and dot-commands: no word boundary before their dash, dot or backslash
    r"(?<![\w-])--rdb\b|(?<![\w.])\.(?:dump|backup)\b|\\copy\b",
    re.IGNORECASE,
)
# The database dumpers that print only the schema when asked (`mysqldump --no-data`,
# `pg_dump -s`; pg_dump's `-d` names the database). Judged one command at a time.
_DUMPER = lazy(r"(?<![\w.-])(?:(pg_dump)|mysqldump|mariadb-dump)(?![\w.-])")
_SCHEMA_ONLY = {
    True: lazy(r"\s(?:--schema-only|-s)(?=\s|$)"),  # pg_dump
    False: lazy(r"\s(?:--no-data|-d)(?=\s|$)"),  # mysqldump, mariadb-dump
}
_SEPARATOR = lazy(r"[;&|\n()]")
# Output with no end: it fills the filesystem /tmp shares with the system. A capture
# stops after a count (`-c N`), an autostop condition (`-a`) or, for varnish, a dump of
# what is logged already (`-d`).
_ENDLESS = lazy(r"(?<![\w.-])yes(?![\w.-])|/dev/(?:zero|u?random)\b")
_CAPTURE = lazy(r"(?<![\w.-])(?:tcpdump|dumpcap|tshark|varnishlog|varnishncsa)(?![\w.-])")
_STOPS = lazy(r"\s-(?:[a-zA-Z]*[cad](?:\s|\d|$)|-count|-autostop)")
# Recorders that have no stop option at all: the bus captured, the journal followed.
_FOLLOW = lazy(
    r"(?<![\w.-])busctl(?![\w.-])[^;&|]*\scapture\b"
    r"|(?<![\w.-])journalctl(?![\w.-])[^;&|]*\s(?:-[a-zA-Z]*f[a-zA-Z]*|--follow)(?=\s|$)"
)
# Folders the line makes: `mkdir [-p] /tmp/diag` (a write under it is into the line's own).
_MKDIR = lazy(r"(?<![\w.-])mkdir((?:\s+[^\s;&|()]+)+)")


# openssl's subcommands that print a report, never key material (`openssl ciphers -v`).
_OPENSSL = lazy(r"(?<![\w.-])openssl\s+(\S+)")
_OPENSSL_REPORTS = frozenset({"ciphers", "version", "list", "speed", "errstr", "help"})


def _openssl_reports_only(src: str) -> bool:
    """Is every openssl on the line one of its reports?"""
    return all(m.group(1) in _OPENSSL_REPORTS for m in _OPENSSL.finditer(src))


def settle(src: str, simples: list[Simple], hits: list[Hit], names: list[str]) -> list[Hit]:
    """Every temp write of the line relaxed or returned to `fs.write` (see the module).
    `names` are the commands the engine judged on the line, payloads included."""
    if not any(h.rule in (CANDIDATE, APPEND) for h in hits):
        return hits
    unquoted = " ".join(w.text for s in simples for w in s.words)
    spoilers = _SPOILERS - {"openssl"} if _openssl_reports_only(src) else _SPOILERS
    spoiled = not spoilers.isdisjoint(names) or any(
        holds_dump(text) or _endless(text) for text in (src, unquoted)
    )
    made = _made_folders(src)
    relaxed: dict[str, tuple[int, int]] = {}  # path -> the writing hit's span
    for h in sorted(hits, key=lambda h: h.span):
        path = _target(h, src)
        if spoiled or path is None or not _fresh(path, made):
            continue
        if h.rule == CANDIDATE and _has_writer(h, simples):
            relaxed.setdefault(path, h.span)
    return [_settled(h, src, relaxed) for h in hits]


def _settled(h: Hit, src: str, relaxed: dict[str, tuple[int, int]]) -> Hit:
    if h.rule in (CANDIDATE, APPEND):
        path = _target(h, src)
        if path is None or path not in relaxed or (h.rule == APPEND and relaxed[path] >= h.span):
            return replace(h, rule="fs.write")
        return replace(
            h,
            rule=RELAXED,
            severity="info",
            message=f"{h.message}: a new file of the command's own output in a temp folder "
            "(judged as if printed)",
        )
    if not (h.scoped and h.severity == "medium" and h.targets and relaxed):
        return h
    paths = [normalize_path(t.path).rstrip("/") for t in h.targets]
    if all(p in relaxed and _within(h.span, relaxed[p]) for p in paths):
        return replace(h, severity="info")  # the pack rule that wrote it (`ncdu -o`)
    if h.rule == "fs.mkdir" and all(_holds_report(p, relaxed) for p in paths):
        return replace(h, severity="info", message=f"{h.message}: a new temp folder for it")
    return h


def _holds_report(folder: str, relaxed: dict[str, tuple[int, int]]) -> bool:
    """A new folder directly in a temp folder that a relaxed report is written into, or
    that is itself the relaxed output folder of a rule (`pip download -d DIR`: fp17)."""
    m = _FRESH.match(folder)
    return (
        m is not None
        and m.group(1) is None
        and not _RESERVED.search(folder.rsplit("/", 1)[-1])
        and any(p == folder or p.startswith(folder + "/") for p in relaxed)
    )


def _target(h: Hit, src: str) -> str | None:
    """The one path a write hit names, resolved, when the line writes it literally."""
    if len(h.targets) != 1:
        return None
    t = h.targets[0]
    written = src[t.span[0] : t.span[1]]
    if not t.path.startswith("/") or t.path not in written or "$" in written or "`" in written:
        # `> $F`: the name comes from a variable; `> r.txt`: from the folder. A payload's
        # hit spans the whole payload (`bash -c "T=/tmp/x; echo > \$T"`), where the path
        # may be the assignment's text: an expansion anywhere in it keeps the level.
        return None
    return normalize_path(t.path)


def _fresh(path: str, made: set[str]) -> bool:
    """A new file's name in a temp folder (see `_FRESH`, `_RESERVED`)."""
    m = _FRESH.match(path)
    if m is None or any(_RESERVED.search(part) for part in path.split("/")[2:]):
        return False
    return m.group(1) is None or path.rsplit("/", 1)[0] in made


def _has_writer(h: Hit, simples: list[Simple]) -> bool:
    """A redirection belongs to a command that prints something (`> /tmp/x` alone, or
    after `:` or `true`, only empties the file)."""
    for s in simples:
        if any(r.span == h.span for r in s.redirects):
            return bool(s.words) and s.words[0].text not in (":", "true", "false")
    return True


def _within(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


# The data stores' dumpers among them (no archiver: a site's files are unpacked into a
# served folder as often as a backup is packed from one; pg_dump and mysqldump are
# `_DUMPER`'s, whose schema alone is no dump).
_DATA_DUMPERS = frozenset(
    {
        "pg_dumpall",
        "pg_basebackup",
        "mysqlpump",
        "mydumper",
        "mongodump",
        "mongoexport",
        "elasticdump",
        "slapcat",
        "xtrabackup",
        "mariabackup",
        "innobackupex",
    }
)


def dumps_data(words: list[str]) -> bool:
    """One simple command's words dump a data store: a dumper anywhere among them (`sudo
    -u postgres pg_dumpall`), or a dump form (`--rdb`, `snapshot save`, `.dump`...)."""
    names = {w.rsplit("/", 1)[-1] for w in words}
    return not _DATA_DUMPERS.isdisjoint(names) or holds_dump(" ".join(words))


def holds_dump(src: str) -> bool:
    """A data dump, backup, archive, image or key export anywhere on the line."""
    if _DUMP_FORM.search(src):
        return True
    for part in _SEPARATOR.split(src):
        m = _DUMPER.search(part)
        if m and not _SCHEMA_ONLY[m.group(1) is not None].search(part):
            return True
    return False


def _endless(src: str) -> bool:
    """Output with no end: `yes`, an endless device, a capture that never stops, the bus
    captured or the journal followed. A stop counts only after the capture tool's name:
    in `bash -lc "tcpdump -w /tmp/x"` the `-lc` is bash's, not a count."""
    if _ENDLESS.search(src) or _FOLLOW.search(src):
        return True
    return any(
        (m := _CAPTURE.search(part)) is not None and not _STOPS.search(part, m.end())
        for part in _SEPARATOR.split(src)
    )


def _made_folders(src: str) -> set[str]:
    """The temp folders `mkdir` makes on the line (absolute, literal)."""
    made: set[str] = set()
    for m in _MKDIR.finditer(src):
        for word in m.group(1).split():
            if word.startswith("/") and "$" not in word:
                made.add(normalize_path(word).rstrip("/"))
    return made
