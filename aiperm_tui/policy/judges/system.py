"""What the machine-wide commands do: power, runlevels, disks and filesystems, mounts,
kernel settings and modules, and the system tools that rewrite a shared table.

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

import re

from aiperm_tui.policy.fspaths import classify, kernel_protection
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.model import Severity
from aiperm_tui.policy.normalize import Cmd
from aiperm_tui.policy.toolbox import _MESSAGES, handles, hit, strict_overcommit

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


@handles("shutdown", "reboot", "halt", "poweroff", "kexec")
def _power(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name == "shutdown" and cmd.has("c"):
        return hit(cmd, "power.cancel", "medium", "cancels a scheduled shutdown")
    if cmd.name == "shutdown" and cmd.has("show") and len(cmd.args) == 1:
        return []  # `shutdown --show` (systemd 250+) prints the scheduled shutdown, if any
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
    targets = [a.text for a in cmd.positional("LpUeo")]
    if (
        cmd.name == "mkswap"
        and targets
        and all(_fresh_swap_file(t, an.src[: cmd.span[0]]) for t in targets)
    ):
        return hit(
            cmd,
            "disk.swap_file",
            "medium",
            f"mkswap makes {' '.join(targets)}, a swap file the line has just allocated, a "
            "swap area (nothing else was in it)",
            "single",
        )
    return hit(
        cmd,
        "disk.format",
        "critical",
        f"{cmd.name} formats "
        f"{' '.join(a.text for a in cmd.positional('tLbcCEgGINOmMUjJT')) or 'a disk'}: "
        "everything on it is lost",
        suggest="lsblk -f",
    )


# A swap file by its name (`/swapfile`, `/var/swap.img`, `/swap/swap-2`).
# A file named for swap, and nothing else (rev18a: not `swaps.db`, `swap-ibdata1`, whose
# data the allocation keeps and mkswap writes over): `swap`, `swapfile`, `swap.img`,
# `var-swap`, `swapfile2`.
_SWAP_NAME = re.compile(
    r"^/(?!dev/|proc/|sys/)(?:[\w.-]+/)*(?:[\w-]*[-_.])?swap(?:file)?\d*(?:\.img)?$"
)
# Where a command starts on the line (the allocator must run, not be an echo's word),
# after a `sudo` with its options.
_COMMAND_START = r"(?:^|[;&|\n(]\s*)(?:sudo\s+(?:-\S+\s+)*)?"


def _fresh_swap_file(path: str, before: str) -> bool:
    """`fallocate -l 3G /var/swap.img && mkswap /var/swap.img` (eighteenth pass): a file
    named for swap that the line allocated first (fallocate, truncate or dd's `of=`, run
    as a command: `echo fallocate F` is none, rev18a), never a device or a file named for
    anything else (a database's file allocated again keeps its data, and mkswap would
    write over it)."""
    if not _SWAP_NAME.match(path):
        return False
    made = (
        rf"{_COMMAND_START}(?:fallocate|truncate)\s[^;&|\n]*\s{re.escape(path)}(?=[\s;&|)]|$)"
        rf"|{_COMMAND_START}dd\s[^;&|\n]*\bof={re.escape(path)}(?=[\s;&|)]|$)"
    )
    return re.search(made, before) is not None


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
    if name == "cryptsetup":
        crypt = _cryptsetup(cmd)
        if crypt is not None:
            return crypt
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


# cryptsetup's actions that only print (`benchmark` measures ciphers in memory), and
# those that map, unmap or resize an encrypted device or add a key slot: no data is
# rewritten. Formatting, erasing, removing key slots, re-encrypting and header restores
# lose data (the judge's default).
_CRYPT_READS = frozenset({"benchmark", "tcryptdump", "bitlkdump", "fvault2dump", "--version"})
_CRYPT_CHANGES = frozenset(
    {
        "open",
        "luksopen",
        "close",
        "luksclose",
        "remove",
        "resize",
        "refresh",
        "config",
        "luksaddkey",
        "lukschangekey",
        "token",
        "luksresume",
        "tcryptopen",
        "bitlkopen",
        "plainopen",
        "loopaesopen",
    }
)


def _cryptsetup(cmd: Cmd) -> list[Hit] | None:
    """cryptsetup's reads and mapping changes; None for the actions that lose data."""
    action = cmd.sub().lower()
    if action in _CRYPT_READS:
        return []
    if action in _CRYPT_CHANGES:
        return hit(
            cmd,
            "disk.crypt",
            "medium",
            f"cryptsetup {cmd.sub()}: maps, unmaps or resizes an encrypted device, or adds "
            "a key slot (no data is rewritten)",
        )
    return None


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
    """A setting changed is a change; one that switches a kernel protection off or names
    a program the kernel runs as root (`kernel.core_pattern=|/tmp/x`) is typed, as the
    same write to /proc/sys is."""
    settings = dict(a.text.partition("=")[::2] for a in cmd.positional() if "=" in a.text)
    for key, value in settings.items():
        if (weakens := kernel_protection(key, value)) is not None:
            return hit(
                cmd, "kernel.protection_off", "high", f"sysctl turns off or replaces {weakens}"
            )
    if _strict_overcommit(settings, an.src):
        return hit(
            cmd,
            "kernel.memory_starved",
            "high",
            "sysctl sets strict overcommit with a low ratio: the host may commit little more "
            "than its swap, so services' allocations fail and they crash",
        )
    if cmd.has("w", "write", "p", "load", "system") or any("=" in a.text for a in cmd.args):
        return hit(cmd, "kernel.sysctl", "medium", "sysctl changes kernel settings")
    return []


def _strict_overcommit(settings: dict[str, str], line: str) -> bool:
    """`vm.overcommit_memory=2` with `vm.overcommit_ratio` under 50 (set here or elsewhere
    on the line, `toolbox.strict_overcommit`)."""
    mode = settings.get("vm.overcommit_memory", "")
    return strict_overcommit(mode, settings.get("vm.overcommit_ratio"), line)


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
