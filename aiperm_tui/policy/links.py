"""Links made on the line: where a later path through them really leads.

`ln -sfn /etc /srv/app/e; echo x > /srv/app/e/crontab` writes `/etc/crontab`, although
every path written on the line is inside `/srv/app`. A symbolic or hard link, a
`cp -s`/`cp -l` copy and a bind mount (`mount --bind`, `bindfs`) all make a path that
leads somewhere else; the walk in `analysis.py` records each one (`made`) and reads every
later word through them (`through`), so the judges and the jail see the real path.

Only links made on the line itself can be seen: a link that already exists on the host
is remote state the engine cannot read (docs/policy.md, "The jail and its limits").
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from aiperm_tui.policy.fspaths import normalize_path, resolve
from aiperm_tui.policy.normalize import Cmd
from aiperm_tui.policy.parse import Word
from aiperm_tui.values import Frozen


class Link(Frozen):
    """A path (`at`, absolute) that leads to `to` (absolute, or the text as written when
    it cannot be resolved: a variable, `~`). `word` is where the line names the target."""

    __slots__ = ("at", "to", "word")
    at: str
    to: str
    word: Word

    def __init__(self, at: str, to: str, word: Word) -> None:
        object.__setattr__(self, "at", at)
        object.__setattr__(self, "to", to)
        object.__setattr__(self, "word", word)


def made(cmd: Cmd, cwd: str | None) -> list[Link]:
    """The links `cmd` makes (none for any other command)."""
    if cmd.name in ("ln", "link"):
        symbolic = cmd.name == "ln" and cmd.has("s", "symbolic")
        return _links(cmd, cmd.positional("tS"), cwd, symbolic=symbolic)
    if cmd.name == "cp" and cmd.has("s", "l", "symbolic-link", "link"):
        return _links(cmd, cmd.positional("tS"), cwd, symbolic=cmd.has("s", "symbolic-link"))
    if cmd.name == "bindfs" or (cmd.name == "mount" and _bind_mount(cmd)):
        pos = cmd.positional("tolOLUuMp")
        if len(pos) >= 2:
            return _leads(pos[-1].text, pos[-2], cwd, cwd)
    return []


def _bind_mount(cmd: Cmd) -> bool:
    options = cmd.option_value("o", "options") or ""
    return cmd.has("B", "bind", "R", "rbind", "M", "move") or any(
        o in ("bind", "rbind") for o in options.split(",")
    )


def _links(cmd: Cmd, pos: list[Word], cwd: str | None, *, symbolic: bool) -> list[Link]:
    """`ln [-s] TARGET... [LINK|DIR]`, `ln -t DIR TARGET...`: one link per target. A
    symbolic link's relative target is read from the link's folder, a hard link's from
    the working folder. Where the destination may be a folder (it cannot be told from
    the text), both readings are recorded."""
    into = cmd.option_value("t", "target-directory")
    if not pos:
        return []
    if into is not None:
        targets, dest = pos, None
    elif len(pos) == 1:
        targets, dest = pos, None
        into = "."
    else:
        targets, dest = pos[:-1], pos[-1]
    out: list[Link] = []
    for target in targets:
        name = posixpath.basename(target.text.rstrip("/")) or target.text
        places: list[str] = []
        if into is not None:
            places.append(posixpath.join(into, name))
        elif dest is not None:
            if len(targets) == 1 and not dest.text.endswith("/"):
                places.append(dest.text)
            if not cmd.has("T", "no-target-directory"):
                places.append(posixpath.join(dest.text, name))
        for place in places:
            at = _place(place, cwd)
            base = posixpath.dirname(at) if symbolic and at is not None else cwd
            out.extend(_leads(place, target, cwd, base))
    return out


def _leads(place: str, target: Word, cwd: str | None, base: str | None) -> list[Link]:
    at = _place(place, cwd)
    if at is None:
        return []  # a link at an unknown place: its own write is judged (and jailed)
    to = _place(target.text, base) or target.text
    return [Link(at, to, target)]


def _place(text: str, cwd: str | None) -> str | None:
    """`resolve`, or, in an unknown working folder, the relative path normalised (a link
    `e` and a later `e/shadow` are still the same place)."""
    if cwd is None and text and not text.startswith(("/", "~", "$")) and "`" not in text:
        return normalize_path(text)
    return resolve(text, cwd)


def through(word: Word, links: Sequence[Link], cwd: str | None) -> Word:
    """`word` read through the links made before it: `/srv/app/e/crontab` after
    `ln -s /etc /srv/app/e` is `/etc/crontab` (the raw text is kept as written). An
    option's attached value (`of=PATH`, `--output=PATH`) is read the same way."""
    if not links or not word.text:
        return word
    head, value = "", word.text
    if not value.startswith(("/", ".")) and "=" in value:
        name, _, rest = value.partition("=")
        if rest.startswith(("/", ".")):
            head, value = name + "=", rest
    real = lead(value, links, cwd)
    if real is None:
        return word
    return Word(head + real, word.start, word.end, word.raw)


def lead(text: str, links: Sequence[Link], cwd: str | None) -> str | None:
    """Where `text` leads through the longest matching link (None when through none)."""
    path = _place(text, cwd)
    if path is None:
        return None
    best: Link | None = None
    for link in links:
        if (path == link.at or path.startswith(link.at.rstrip("/") + "/")) and (
            best is None or len(link.at) > len(best.at)
        ):
            best = link
    if best is None:
        return None
    rest = path[len(best.at) :].lstrip("/")
    joined = posixpath.join(best.to, rest) if rest else best.to
    return normalize_path(joined) if joined.startswith("/") else joined


# Network file systems: what is copied into their mount point is written on another host.
_NETWORK_FS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "davfs", "9p", "glusterfs"}
)


def network_mount(cmd: Cmd) -> tuple[str, str] | None:
    """The mount point and the host of a network share `cmd` mounts (`mount -t nfs
    HOST:/x /mnt/x`, `mount //HOST/share /mnt/s`, `sshfs HOST:/x /mnt/x`), or None.
    A copy into it later on the line is an upload to that host (left16)."""
    if cmd.name == "sshfs":
        pos = cmd.positional("opC")
    elif cmd.name in ("mount", "mount.nfs", "mount.nfs4", "mount.cifs"):
        pos = cmd.positional("tolOLUuMp")
        kind = cmd.option_value("t", "types") or cmd.name.partition(".")[2]
        if kind not in _NETWORK_FS and not (pos and ":/" in pos[0].text):
            return None
    else:
        return None
    if len(pos) < 2:
        return None
    source, point = pos[-2].text, pos[-1].text
    host = source.removeprefix("//").split("/", 1)[0] if source.startswith("//") else ""
    host = host or (source.rsplit(":", 1)[0].rpartition("@")[2] if ":" in source else "")
    return (normalize_path(point).rstrip("/") or "/", host) if host else None


# Tunnel devices that carry what is sent into them to their `remote` end.
_TUNNEL_KINDS = frozenset(
    {
        "gre",
        "gretap",
        "ip6gre",
        "ip6gretap",
        "erspan",
        "ip6erspan",
        "vxlan",
        "geneve",
        "ipip",
        "sit",
    }
)


def tunnel_device(cmd: Cmd) -> tuple[str, str] | None:
    """The name and remote end of a tunnel `cmd` makes (`ip link add gre1 type gretap
    remote 203.0.113.9`, `ip tunnel add t0 mode gre remote ...`), or None: traffic mirrored
    into it later on the line goes to that host (left16)."""
    words = [a.text for a in cmd.args]
    if cmd.name != "ip" or "add" not in words or "remote" not in words:
        return None
    at = words.index("add")
    kind = next((words[i + 1] for i, w in enumerate(words[:-1]) if w in ("type", "mode")), "")
    remote = words[words.index("remote") + 1] if words[-1] != "remote" else ""
    name = words[at + 1] if at + 1 < len(words) else ""
    name = words[at + 2] if name == "name" and at + 2 < len(words) else name
    return (name, remote) if kind in _TUNNEL_KINDS and name and remote else None
