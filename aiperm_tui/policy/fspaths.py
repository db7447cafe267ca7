"""What a path written to or deleted means: a disk, the whole system, a log, a temp file.

Paths are judged as text (the engine cannot look at the remote filesystem): normalised
with `posixpath.normpath`, `$HOME`/`~` recognised, globs and run-time values flagged.
"""

from __future__ import annotations

import posixpath
import re

from aiperm_tui.policy.lazyre import lazy, lazy_predicate

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from typing import Literal

    PathClass = Literal[
        "null",
        "device",
        "network",
        "root",
        "critical",
        "dotfile",
        "system",
        "log",
        "home",
        "temp",
        "dynamic",
        "plain",
    ]
else:  # the names exist at run time, for imports; only mypy reads them
    PathClass = object


_NULL = lazy(r"^/dev/(null|zero|stdout|stderr|tty|fd/\d+|full)$|^/proc/self/fd/\d+$")
_DEVICE = lazy(
    r"^/dev/(sd[a-z]|nvme\d|vd[a-z]|xvd[a-z]|hd[a-z]|mmcblk\d|disk/|mapper/|md\d|dm-\d|"
    r"loop\d|mem$|kmem$|port$|sr\d|nbd\d|rbd\d|zd\d|bcache|root|"
    # SCSI and NVMe pass-through nodes reach the same disks (sg_dd of=/dev/sg1), as do
    # persistent memory and DRBD's replicated devices
    r"sg\d|bsg/|ng\d|pmem\d|drbd\d|"
    # raw flash: MTD partitions and their block view, UBI devices and volumes (a boot
    # loader or a root filesystem written there bricks or replaces the system)
    r"mtd\d|mtdblock\d|ubi\d|ubiblock\d)|^/proc/sysrq-trigger$"
)
_NETWORK = lazy(r"^/dev/(tcp|udp)/")
TOP_DIRS = frozenset(
    {
        "/",
        "/etc",
        "/usr",
        "/var",
        "/bin",
        "/sbin",
        "/lib",
        "/lib32",
        "/lib64",
        "/boot",
        "/home",
        "/root",
        "/opt",
        "/srv",
        "/sys",
        "/proc",
        "/dev",
        "/run",
        "/mnt",
        "/media",
        "/usr/bin",
        "/usr/sbin",
        "/usr/lib",
        "/usr/local",
        "/var/lib",
        "/var/log",
        "/etc/ssh",
        "/usr/share",
        "/usr/local/bin",
        "/var/www",
        "/snap",
        "~",
        "$HOME",
        "${HOME}",
    }
)
_CRITICAL = lazy(
    r"^/etc/(passwd|shadow|group|gshadow|sudoers|sudoers\.d(/.*)?|fstab|crypttab|"
    # doas's rules, the NFS exports and the login lock (fourteenth pass): who becomes
    # root, who mounts what as whom, whether anyone but root logs in
    r"doas\.conf|exports|exports\.d/.*|nologin|"
    r"ssh/.*|pam\.d(/.*)?|ld\.so\.preload|ld\.so\.conf(\.d/.*)?|"
    r"crontab|cron\.\w+(/.*)?|profile|profile\.d/.*|bash\.bashrc|environment|"
    r"security/.*|selinux/.*|default/grub|inittab|rc\.local|hosts\.allow|hosts\.deny|"
    r"systemd/system/.*|modprobe\.d/.*|shells|login\.defs|nsswitch\.conf|"
    # name resolution: a line here sends the package mirror or the database elsewhere
    r"hosts|resolv\.conf|gai\.conf|host\.conf|apt/sources\.list(\.d/.*)?|apt/trusted\.gpg(\.d/.*)?|"
    # systemd-resolved's own configuration (fourteenth pass): its DNS= servers answer
    r"systemd/resolved\.conf(\.d/.*)?|"
    # the logging setup: a line here sends the audit trail to /dev/null
    r"rsyslog\.conf|rsyslog\.d/.*|syslog\.conf|syslog-ng/.*|systemd/journald\.conf(\.d/.*)?|"
    r"audit/.*|"
    # the CA bundles every TLS client trusts: a certificate written there is trusted
    r"ssl/certs/ca-certificates\.crt|ssl/cert\.pem|pki/tls/certs/ca-bundle(\.trust)?\.crt|"
    r"pki/ca-trust/extracted/.*|"
    # programs root runs later, as cron's and systemd's: init scripts, supervised
    # services' run scripts and program files, hooks of the network, package, kernel,
    # certificate and login machinery, device rules, tmpfiles and generators
    r"init\.d/.*|rc\.d/.*|sv/.*|service/.*|s6(-rc)?/.*|runit/.*|supervisor/.*|"
    r"supervisord\.(d/.*|conf)|monit/.*|monitrc|logrotate\.d/.*|logrotate\.conf|"
    r"NetworkManager/dispatcher\.d/.*|network/if-[\w-]+\.d/.*|dhcp/dhclient[\w-]*hooks\.d/.*|"
    r"ppp/ip-[\w-]+\.d/.*|udev/rules\.d/.*|apt/apt\.conf(\.d/.*)?|update-motd\.d/.*|"
    r"polkit-1/.*|bash_completion\.d/.*|tmpfiles\.d/.*|systemd/(user|system-generators|"
    r"system-preset)/.*|containers/systemd/.*|initramfs-tools/(hooks|scripts)/.*|"
    r"kernel/(postinst|postrm|preinst|prerm)\.d/.*|letsencrypt/renewal-hooks/.*|"
    r"modules-load\.d/.*|modules)$|"
    r"^/(usr/)?lib/systemd/system(-generators)?/.*|"
    r"^/boot/.*|^/(usr/)?(s?bin|lib|lib64)/.*|^/var/spool/cron(/.*)?|"
    # (audit20b) files Python runs at every start of its environment: a `.pth` file's
    # `import` lines and `sitecustomize`/`usercustomize` in any site-packages (a venv's
    # under /srv or /opt as much as the system's)
    r"(?:^|/)(?:site|dist)-packages/(?:[^/]+\.pth|(?:site|user)customize\.py)$|"
    # the Kerberos admin server's ACL (fix19): who may add, change and delete principals
    # and extract their keys, as sudoers says who becomes root
    r"^/(?:etc/krb5kdc|var/kerberos/krb5kdc|var/lib/krb5kdc|etc/heimdal-kdc)/kadm5\.acl$|"
    # the kernel's device controls: a write removes, resets or unbinds hardware (the boot
    # disk's controller with it), or suspends the host
    r"^/sys/(?:bus/[^/]+/devices/[^/]+/(?:remove|reset)|bus/[^/]+/drivers/[^/]+/unbind|"
    r"block/[^/]+/device/delete|class/scsi_device/[^/]+/device/delete|"
    r"devices/(?:.*/)?(?:remove|delete)|power/state)$|"
    # a name server's zones: a file written there decides where the domain's names point
    r"^/(?:etc|var/lib|var/cache|var)/(?:bind|named|nsd|knot)/(?:.*/)?(?:db\.[^/]+|[^/]+\.zone)$|"
    # a data store's own files: a write there corrupts the database or stops it starting
    r"^/var/lib/(mysql|mariadb|postgresql|pgsql|mongodb|mongo|redis|etcd|elasticsearch|"
    r"opensearch|cassandra|influxdb|clickhouse|zookeeper|kafka|rabbitmq|couchdb|neo4j)(/.*)?$|"
    r"^/root/\.ssh/(authorized_keys2?|config|id_\w+)$|^/root/\.(bashrc|profile|bash_profile|zshrc)$|"
    # BSD's doas rules, and a batch scheduler's saved state (every queued and running job)
    r"^/usr/local/etc/doas\.conf$|^/var/lib/slurm(?:-llnl)?/slurmctld(/.*)?$|"
    r"^/var/spool/(?:slurmctld|slurm/ctld|pbs/server_priv|torque/server_priv)(/.*)?$|"
    # the resolver files systemd-resolved writes (/etc/resolv.conf links to one), and the
    # package databases: emptied, every installed package is unknown to apt, dnf or rpm;
    # dpkg's maintainer scripts run as root at the next upgrade (fourteenth pass)
    r"^/run/systemd/resolve/[^/]+\.conf$|"
    r"^/var/lib/dpkg/(?:status|available|info/.+)$|^/var/lib/rpm/.+$"
)
# A user's own login files: they matter (code run at login, who may log in), but they are
# one account's, not the system's.
_DOTFILE = lazy(
    r"(^|/)\.ssh/(authorized_keys2?|config|id_\w+)$|"
    r"(^|/)\.(bashrc|bash_profile|bash_login|bash_logout|profile|zshrc|zprofile|zshenv|"
    r"zlogin|cshrc|tcshrc|kshrc|inputrc)$"
)
_LOG = lazy(
    r"^/var/log(/.*)?$|(^|/)\.(bash|zsh|sh|python|mysql|psql|node_repl|lesshst)_?history$|"
    r"^/var/run/utmp$|^/run/utmp$|^/var/log/(wtmp|btmp|lastlog)$|"
    # CI runners' own job and diagnostics logs (seventeenth pass): GitHub's actions
    # runner keeps them under `_diag`, wherever it is installed
    r"(^|/)actions-runner/_diag(/.*)?$"
)
_TEMP = lazy(r"^/(tmp|var/tmp|dev/shm)(/|$)")
_SYSTEM = lazy(r"^/(etc|usr|bin|sbin|lib\w*|boot|opt|var/lib|srv|sys|proc|dev|run)(/|$)")
_HOME = lazy(r"^(~|\$HOME|\$\{HOME\})(/|$)|^/home/[^/]+/?$|^/root/?$")


# `$(echo /etc/passwd)`, `` `printf %s /etc/shadow` ``: a substitution that only prints
# literal text is that text.
_ECHO_SUBSTITUTION = lazy(
    r"\$\(\s*(?:echo(?:\s+-[neE]+)?|printf\s+(?:'%s'|\"%s\"|%s))\s+([^$`()|;&<>]+?)\s*\)|"
    r"`\s*(?:echo(?:\s+-[neE]+)?|printf\s+(?:'%s'|\"%s\"|%s))\s+([^$`()|;&<>]+?)\s*`"
)


def normalize_path(text: str) -> str:
    """Collapse `//`, `/./`, `a/../`; keep a leading `~`/`$HOME` as written; a
    substitution that only echoes literal text is that text. A leading `//` is `/` too
    (left18): POSIX leaves it to the system, and Linux reads `//etc/shadow` as
    `/etc/shadow` (normpath keeps it, so `cat //etc/shadow` was no credential read)."""
    if not text:
        return text
    if "echo" in text or "printf" in text:
        text = _ECHO_SUBSTITUTION.sub(
            lambda m: (m.group(1) or m.group(2) or "").replace("'", "").replace('"', ""), text
        )
    norm = posixpath.normpath(_through_proc(text))
    return _through_proc("/" + norm.lstrip("/") if norm.startswith("//") else norm)


# A process's root and working folder seen through /proc (rev18a): `/proc/self/root`,
# `/proc/1/root`, `/proc/$$/task/N/root` are / for the processes an agent runs (so
# `cat /proc/self/root/etc/shadow` reads /etc/shadow), and `/proc/self/cwd` is the
# current folder.
_PROC_ROOT = lazy(r"^/+proc/+[^/]+/+(?:task/+[^/]+/+)?root(?=/|$)")
_PROC_CWD = lazy(r"^/+proc/+[^/]+/+(?:task/+[^/]+/+)?cwd(?=/|$)")


def _through_proc(path: str) -> str:
    """`path` with a leading /proc/PID/root read as / and /proc/PID/cwd as `.`."""
    if "proc" not in path:
        return path
    return _PROC_CWD.sub(".", _PROC_ROOT.sub("", path)) or "/"


def climbed(path: str) -> str | None:
    """`../../../etc/shadow` from /: `..` climbs no higher than /, so enough of them reach
    it from any folder (rev18a: `cat ../../../../etc/shadow` was no credential read). None
    for a path that does not start by climbing."""
    rest = path
    while rest.startswith("../"):
        rest = rest[3:]
    return "/" + rest if rest != path else None


def classify(text: str) -> PathClass:
    """The class of a path as written (after normalisation)."""
    if not text:
        return "plain"
    path = normalize_path(text)
    if _NULL.match(path):
        return "null"
    if _NETWORK.match(path):
        return "network"
    if _DEVICE.match(path):
        return "device"
    stripped = path.rstrip("*").rstrip("/") or "/"
    if path in TOP_DIRS or stripped in TOP_DIRS or re.fullmatch(r"/\*|/\.\*|/\{?\*.*", path):
        return "root"
    if _CRITICAL.search(path) or _CRITICAL.search(climbed(path) or "-"):
        return "critical"
    if _DOTFILE.search(path):
        return "dotfile"
    if _LOG.search(path):
        return "log"
    if _TEMP.match(path):
        return "temp"
    if _HOME.match(path):
        return "home"
    if "$" in path or "`" in path:
        return "dynamic"
    if _SYSTEM.match(path):
        return "system"
    return "plain"


_WHAT_IT_IS: dict[str, str] = {
    "device": "the raw device",
    "network": "a network socket",
    "root": "a top-level system folder",
    "critical": "a critical system file",
    "log": "a log (the audit trail)",
    "system": "a system path",
    "home": "a home folder",
    "dynamic": "a path known only at run time",
}
# The critical and login files by what depends on them (first match wins).
_KINDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (lazy(r), k)
    for r, k in (
        (r"\.ssh/authorized_keys2?$", "SSH authorized_keys (who may log in)"),
        (r"\.ssh/", "SSH key or client config"),
        (r"/\.\w+$|^\.\w+$", "shell startup file (runs at each login)"),
        (r"^/etc/(passwd|shadow|group|gshadow)$", "the account database (logins depend on it)"),
        (r"^/etc/sudoers", "the sudo rules (who may become root)"),
        (r"/kadm5\.acl$", "the Kerberos admin ACL (who may change principals and take keys)"),
        (r"/etc/doas\.conf$", "the doas rules (who may become root)"),
        (r"^/etc/exports", "the NFS exports (which hosts mount what, and as whom)"),
        (r"^/etc/nologin$", "the login lock (while it exists only root may log in)"),
        (r"slurmctld|server_priv", "the batch scheduler's state (every queued and running job)"),
        (r"^/etc/ssh/ssh_host_", "the SSH server's host key (clients trust the server by it)"),
        (r"^/etc/ssh/", "the SSH server's config (remote access depends on it)"),
        (
            r"^/etc/pam\.d|^/etc/security/|^/etc/(login\.defs|nsswitch\.conf|shells)$",
            "the login configuration (logins depend on it)",
        ),
        (r"cron", "the scheduled jobs (they run as root)"),
        (
            r"^/etc/(fstab|crypttab|default/grub|inittab|modprobe\.d)|^/boot/",
            "the boot configuration (the next boot depends on it)",
        ),
        (r"^/etc/ld\.so", "the dynamic linker's setup (every program loads it)"),
        (
            r"^/etc/systemd/|^/(usr/)?lib/systemd/|^/etc/rc\.local$|^/etc/containers/systemd/",
            "a system service definition (runs as root)",
        ),
        (
            r"^/etc/(init\.d|rc\.d|sv|service|s6(-rc)?|runit|supervisor|supervisord|monit)",
            "a service's start script or program (runs as root)",
        ),
        (
            r"^/etc/(NetworkManager/dispatcher|network/if-|dhcp/dhclient|ppp/ip-|udev/|"
            r"apt/apt\.conf|update-motd|kernel/|initramfs-tools/|letsencrypt/renewal-hooks|"
            r"logrotate|tmpfiles\.d|bash_completion|modules)",
            "a hook or rule root runs on an event (a program run as root)",
        ),
        (r"^/etc/polkit-1/", "the polkit rules (who may act as root)"),
        (r"^/(usr/)?(s?bin|lib|lib64)/", "a system program or library"),
        (
            r"^/etc/(profile|bash\.bashrc|environment)",
            "the system-wide login environment (runs for every user)",
        ),
        (r"^/etc/(selinux|hosts\.)", "an access-control policy (who may do or reach what)"),
        (
            r"^/etc/(hosts|resolv\.conf|gai\.conf|host\.conf|systemd/resolved\.conf)|"
            r"^/run/systemd/resolve/",
            "name resolution (which address every host name reaches)",
        ),
        (
            r"^/var/lib/(dpkg|rpm)/",
            "the package database (what is installed, and the scripts upgrades run as root)",
        ),
        (
            r"^/sys/",
            "a kernel device control (the write removes, resets or unbinds hardware, or "
            "suspends the host)",
        ),
        (
            r"/(?:bind|named|nsd|knot)/(?:.*/)?(?:db\.[^/]+|[^/]+\.zone)$",
            "a DNS zone (where the domain's names point)",
        ),
        (r"^/etc/apt/", "the package sources and their signing keys (what installs run)"),
        (
            r"^/etc/(ssl/certs/ca-certificates\.crt|ssl/cert\.pem|pki/tls/certs/|pki/ca-trust/)",
            "the trusted CA certificates (which servers every TLS client believes)",
        ),
        (
            r"^/etc/(rsyslog|syslog|systemd/journald|audit/)",
            "the logging setup (what the audit trail keeps)",
        ),
    )
)


# Backups and the files data lives in (database files, dumps, VM disk images): deleting or
# emptying one loses what no redeploy brings back. Scratch copies under a temp folder are not.
# A DHCP server's lease database (isc-dhcp, Kea's memfile, dnsmasq): emptied or deleted,
# the server hands out addresses its clients still hold (audit19b).
_LEASES = r"^/var/lib/(?:dhcp/dhcpd6?\.leases|kea/kea-leases[46]\.csv|misc/dnsmasq\.leases)$"


_DATA_STORE = lazy(
    r"^/(var/|srv/|mnt/|data/)?backups?(/|$)|(^|/)backups?/|"
    r"\.(dump|sql\.(gz|bz2|xz|zst)|pgdump|qcow2|vmdk|vdi|vhdx?|db|sqlite3?|ibd|rdb|aof)\*?$|"
    # a model's weights or a training checkpoint (twentieth pass, audit20a): days of GPU
    # time, often with no other copy (`model-00001-of-00004.safetensors`, `step_900.ckpt`)
    r"\.(safetensors|ckpt|pth?|gguf|distcp)\*?$|"
    r"^/var/lib/(libvirt/images|docker/volumes|lxd/storage-pools|containers/storage/volumes)/|"
    # a pattern over the mail queues or mailboxes (fourteenth pass): every message it
    # matches, not yet delivered or not yet read (one message by name stays a change)
    r"^/var/spool/(?:postfix|exim4?|mqueue|clientmqueue|mail)/(?:[^/]+/)*[^/]*[*?\[]|" + _LEASES
)


# The files a live database or VM runs on (not a backup or dump: writing a new one of
# those is how backups are made).
_LIVE_DATA = lazy(
    r"\.(qcow2|vmdk|vdi|vhdx?|db|sqlite3?|ibd|rdb|aof)\*?$|^/var/lib/libvirt/images/|" + _LEASES
)


def is_live_data(text: str) -> bool:
    """Does `text` name a file a database or a VM runs on (`*.db`, `*.qcow2`)? Replacing
    its content loses the data, where writing a new dump into a backup folder does not."""
    return is_data_store(text) and bool(_LIVE_DATA.search(normalize_path(text)))


# Folders that hold only what a program recreates: temp files and caches.
_SCRATCH = lazy(r"/(tmp|temp|cache|caches|\.cache)(/|$)")


def is_scratch(text: str) -> bool:
    """Does `text` name a temp or cache folder, or something in one (`/tmp`,
    `/srv/app/tmp`, `/var/cache/nginx`), and no backup, data file or key?"""
    path = normalize_path(text)
    return (
        classify(path) in ("temp", "system", "plain")
        and (classify(path) == "temp" or bool(_SCRATCH.search(path)))
        and not is_data_store(path)
        and not is_secret(path)
    )


def is_data_store(text: str) -> bool:
    """Does `text` name a backup or a file data lives in (`/var/backups/x`, `*.db`, a VM
    image)? Deleting, emptying or shredding one is unrecoverable loss of data."""
    return (
        bool(text) and classify(text) != "temp" and bool(_DATA_STORE.search(normalize_path(text)))
    )


def describe(text: str) -> str:
    """What a path is, in words an operator can check ('' for an ordinary path)."""
    cls = classify(text)
    if cls not in ("critical", "dotfile"):
        return _WHAT_IT_IS.get(cls, "")
    path = normalize_path(text)
    kind = next((k for r, k in _KINDS if r.search(path)), "")
    if path.startswith("/root/"):
        return f"root's {kind}" if kind else "a file of the root account"
    if cls == "dotfile":
        return f"the account's {kind}" if kind else "a login file of the account"
    return kind or "a critical system file"


_GRANTS_LOGIN = lazy(r"(^|/)\.ssh/authorized_keys2?$|^/etc/ssh/.*authorized_keys")


def grants_login(text: str) -> bool:
    """Does writing `text` let someone log in (an account's `authorized_keys`, whoever's
    it is)? Adding a line there is a new key to the account: a grant, not an edit."""
    return bool(_GRANTS_LOGIN.search(normalize_path(text)))


# A repository's hooks (a work tree's `.git/hooks/`, a bare repository's `NAME.git/hooks/`):
# git runs them on the next checkout, commit, merge or push, in whoever's account runs it.
_GIT_HOOK = lazy(r"(^|/)(?:\.git|[^/]+\.git)/hooks/[^/]+$")


# Files another program loads by itself and obeys (seventeenth pass): hooks that husky
# and direnv run, shells' and editors' start-up files, editor and dev-container settings
# (a terminal's environment, a lifecycle command), package managers' and git's
# configuration (an index, a registry, a wrapper, a URL rewrite), CI definitions.
_LOADED_BY_PROGRAM = lazy(
    r"(^|/)(?:\.husky/[^/]+|\.envrc(?:\.[\w-]+)?|\.(?:bash|zsh|k?sh)rc|\.(?:bash_|z)?profile|"
    r"\.bash_login|\.config/fish/config\.fish|\.g?vimrc|\.exrc|\.config/nvim/[^/]+\.(?:vim|lua)|"
    r"\.vim/plugin/[^/]+|\.emacs|\.emacs\.d/init\.el|\.vscode/(?:settings|tasks|launch)\.json|"
    r"\.devcontainer(?:/[^/]+)?/devcontainer\.json|\.devcontainer\.json|\.npmrc|\.yarnrc(?:\.yml)?|"
    r"pip\.conf|pip\.ini|\.pydistutils\.cfg|\.cargo/config(?:\.toml)?|\.gitconfig|"
    r"\.git/config|\.config/git/config|\.gemrc|\.condarc|b?unfig\.toml|uv\.toml|NuGet\.Config|"
    r"\.github/workflows/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.pre-commit-config\.ya?ml)$|"
    # the system-wide ones (eighteenth pass): vim's for every account, git's, and the
    # container engines' registry settings (a mirror every pull goes through)
    r"^/etc/(?:vim/)?g?vimrc(?:\.local)?$|^/etc/xdg/nvim/sysinit\.vim$|^/etc/gitconfig$|"
    r"^/etc/docker/daemon\.json$|^/etc/containers/registries\.conf(?:\.d/[^/]+)?$"
)


def loaded_by_program(text: str) -> bool:
    """Is `text` a file a program loads by itself and obeys (a hook, a start-up file, a
    tool's configuration)? What is written there runs, or is fetched, later."""
    return bool(_LOADED_BY_PROGRAM.search(normalize_path(text)))


def git_hook(text: str) -> bool:
    """Is `text` a git hook, code git runs later in whoever's account runs git? Writing
    one plants code as a cron job does."""
    return bool(_GIT_HOOK.search(normalize_path(text)))


def resolve(text: str, cwd: str | None) -> str | None:
    """The absolute path `text` names when run in `cwd` (None when it cannot be known:
    variables, `~`, an unknown working folder)."""
    if not text or "$" in text or "`" in text or text.startswith("~"):
        return None
    if text.startswith("/"):
        return normalize_path(text)
    if cwd is None:
        return None
    return normalize_path(posixpath.join(cwd, text))


def inside(path: str, root: str) -> bool:
    """True when `path` is `root` or below it (both absolute and normalised)."""
    root = normalize_path(root)
    return path == root or path.startswith(root.rstrip("/") + "/")


# Files whose content is a credential: once printed, it has left for the model provider.
# Public halves (`.pub`, certificates) and listings are not secrets.
_SECRET = lazy_predicate(
    r"^/etc/(g?shadow-?|ssh/ssh_host_\w+_key|krb5\.keytab|kubernetes/\w+\.conf|"
    r"rancher/k3s/k3s\.yaml|ssl/private/.*|pki/.*/private/.*|letsencrypt/.*/privkey\d*\.pem|"
    r"openvpn/.*\.key|wireguard/.*\.conf|systemd/network/[^/]+\.netdev|ipsec\.secrets|"
    r"shadow\.\w+|config/(?:wireless|network|rpcd|openvpn|ddns|wireguard))$|"
    # the same OpenWrt files in the overlay's writable layer, where the live copy is (rev18b)
    r"^/overlay/upper/etc/config/(?:wireless|network|rpcd|openvpn|ddns|wireguard)$|"
    r"(^|/)\.ssh/(id_[^/.]+|.*_key|.*\.pem)$|"
    # any other file kept in ~/.ssh is a key under a name of its own (`lark_signing`,
    # `deploy-prod`), but for the client's settings, the hosts it knows, the keys let in
    # and a certificate (seventeenth pass)
    r"(^|/)\.ssh/(?!(?:config(?:\.d)?|sockets?|cm|control[\w-]*|known_hosts[\w.-]*|authorized_keys\w*|environment|rc|agent[\w.-]*|"
    r"[^/]*-cert(?:\.pub)?|[^/]*\.(?:pub|conf|sock|socket|txt|md))$)[\w@+-][\w.@+-]*$|"
    # direnv's local overrides and an application's env file by its name (`api.env`,
    # `/etc/larkspur/stg/api.env`), as `.env` and `.env.local` are; a registry's password
    # file with no dot (verdaccio's `htpasswd`)
    r"(^|/)\.envrc\.[\w-]+$|(^|/)[\w-]+\.env$|(^|/)htpasswd$|"
    r"(^|/)\.(aws/credentials|aws/config|kube/config|docker/config\.json|netrc|pgpass|my\.cnf|"
    r"git-credentials|vault-token|npmrc|pypirc|boto|s3cfg|"
    r"azure/(accessTokens\.json|msal_token_cache\.\w+|service_principal_entries\.\w+)|"
    r"config/gcloud/(credentials\.db|access_tokens\.db|legacy_credentials/.*|"
    r"application_default_credentials\.json)|gnupg/(private-keys-v1\.d/.*|secring\.gpg)|"
    r"terraform\.d/credentials\.tfrc\.json|"
    # package managers' and build tools' logins (sixteenth pass, auditdev): yarn's token,
    # bundler's source credentials, Maven's server passwords and master key, Gradle's
    # publishing and signing passwords, Composer's and NuGet's source logins
    r"yarnrc\.yml|bundle/config|m2/settings(?:-security)?\.xml|gradle/gradle\.properties|"
    r"(?:config/)?composer/auth\.json|nuget/NuGet/NuGet\.Config)$|"
    r"(^|/)auth\.json$|"
    r"(^|/)\.env(\.[\w-]+)?$|(^|/)[^/]*\.(key|p12|pfx|jks|keystore|kdbx)$|"
    r"(^|/)terraform\.tfstate(\.backup)?$|"
    r"^/proc/[^/]+/(task/[^/]+/)?environ$|^/(var/)?run/secrets/.*|^/secrets/.+|/secrets/kubernetes\.io/.*|/var/lib/jenkins/secrets/.*|"
    r"(^|/)([\w.-]*[-_.])?(credentials|secrets?)\.(json|ya?ml|toml|ini|txt|xml|conf|cfg|cnf|env|"
    r"properties)$|"
    # private keys by name, LDAP's root password, Java servers' user files
    r"(^|/)[^/]*private[-_]?key[^/]*$|^/etc/(open)?ldap/slapd\.d/.*olcDatabase.*\.ldif$|"
    r"(^|/)(tomcat-users\.xml|realm\.properties)$|"
    # cloud service-account keys, application configs that hold the database password,
    # and raw memory (kernel memory, core and heap dumps keep whatever the processes held)
    r"(^|/)(gcp|gcloud|google)/[^/]*\.json$|(^|/)[^/]*(service[-_]?account|sa[-_][\w.-]+)[^/]*\.json$|"
    r"(^|/)(wp-config\.php|LocalSettings\.php|local\.xml|database\.yml|secrets\.yml|"
    r"master\.key|credentials\.yml\.enc|parameters\.yml|\.htpasswd)$|"
    r"^/(dev/mem|dev/kmem|proc/kcore|dev/crash)$|^/proc/[^/]+/mem$|"
    r"(^|/)core(\.\d+)?$|(^|/)[^/]*\.(hprof|core|dmp)$|"
    # tokens of other CLIs and client configs that hold a password
    r"(^|/)\.config/(gh/hosts\.yml|hub|rclone/rclone\.conf|doctl/config\.yaml|"
    r"hcloud/cli\.toml|sops/age/keys\.txt|op/config|helm/repositories\.yaml)$|"
    # (audit20b) ML tools' logins and keys: Ollama's signing key (it pushes as the
    # account), lakectl's access key, MLflow's credentials, a file in a folder named for
    # the API key it holds (`/etc/vllm/api-key`, `~/openai_api_key.txt`), LiteLLM's
    # proxy config (its master key and the providers' keys)
    r"(^|/)\.ollama/id_ed25519$|(^|/)\.lakectl\.yaml$|(^|/)\.mlflow/credentials$|"
    r"/[^/]*api[-_]?keys?(?:\.(?:txt|key|secret))?$|^/etc/litellm/[^/]+\.ya?ml$|"
    r"(^|/)\.(mylogin\.cnf|terraformrc|oci/config|vault-token|password-store/.*\.gpg|"
    r"smbcredentials|htpasswd)$|"
    # web servers' password files by any suffix (`.htpasswd-status`, `htpasswd.users`)
    r"(^|/)\.?ht(?:passwd|digest)[-_.][^/]+$|"
    r"^/etc/(mysql/debian\.cnf|rancher/.*token|kubernetes/pki/.*\.key|openldap/.*\.secret|"
    r"ppp/(chap|pap)-secrets|sasl2?/.*passwd.*|postfix/sasl_passwd|"
    # saved Wi-Fi, VPN and 802.1x connections hold their passwords in clear
    r"NetworkManager/system-connections(/.*)?|wpa_supplicant/.*\.conf)$|"
    # keyrings (ceph's client keys, desktop keyrings), cluster join tokens and kubelet
    # client keys, and the environment (passwords included) docker keeps per container
    # one-time-password seeds: whoever holds one computes every second factor's code
    r"(^|/)\.google_authenticator$|^/etc/(?:liboath/)?users\.oath$|"
    r"(^|/)[^/]*\.keyring$|(^|/)\.local/share/keyrings/.*|^/var/lib/rancher/.*token$|"
    r"^/var/lib/kubelet/(pki/.*\.pem|kubeconfig)$|^/var/lib/docker/containers/[^/]+/config\.v2\.json$|"
    # services' own password files (mail, FTP, MQTT, rsync, samba, web auth, pgbouncer's
    # userlist), in /etc or the BSDs' /usr/local/etc (fourteenth pass)
    r"^(?:/usr/local)?/etc/(?!pam\.d/|default/|security/)[^/]+/(?:[^/]+/)*"
    r"(?:[^/]*(?:passwd|passwords?|secrets?|pwfile)|users|userlist)(?:\.(?:db|txt|client|list))?$|"
    r"^/etc/(rsyncd\.secrets|cyrus\.passwd)$|(^|/)sasldb2?$|^/var/lib/rancher/[^/]+/server/cred/.*|"
    # browsers' saved passwords and session cookies
    r"(^|/)\.mozilla/.*/(logins\.json|key[34]\.db|cookies\.sqlite)$|"
    r"(^|/)(google-chrome|chromium|BraveSoftware)/.*/(Login Data|Cookies)$|"
    # a service's secrets folder (`/etc/step/secrets/*`), Erlang's cluster cookie (it
    # opens a shell on every node), NATS credentials and contexts, Samba's machine secrets,
    # and the dotfiles that hold one password for a backup or directory tool
    r"^/etc/(?:[^/]+/)+secrets?/[^/]+$|(^|/)\.erlang\.cookie$|(^|/)[^/]+\.creds$|"
    r"(^|/)\.config/nats/context/[^/]+\.json$|^/var/lib/samba/private/[^/]+\.tdb$|"
    r"(^|/)\.(?:\w+[-_.])?(?:pass|passwd|password)$|(^|/)\.\w*pw$|"
    # DNSSEC private keys as BIND and dnssec-keygen name them
    r"(^|/)K[^/]*\.private$|"
    # CI runners', config managers' and monitoring agents' tokens and client keys, DKIM
    # signing keys, Kerberos keytabs and the KDC's database, directory bind passwords
    r"^/etc/gitlab-runner/config\.toml$|(^|/)\.chef/[^/]+\.pem$|"
    r"^/etc/chef/(client\.pem|validation\.pem|validator\.pem|encrypted_data_bag_secret)$|"
    r"(^|/)ssl/private_keys/[^/]+\.pem$|(^|/)[^/]*\.keytab$|(^|/)\.jenkins/secrets/.*|"
    r"^/etc/(opendkim|dkimkeys)/.*\.private$|^/etc/[\w-]*ldap[\w-]*\.secret$|"
    r"^/(etc/krb5kdc|var/kerberos/krb5kdc|var/lib/krb5kdc)/(\.k5\..*|principal.*|kadm5\.keytab)$|"
    r"^/etc/sssd/sssd\.conf$|^/etc/grafana/grafana\.ini$|"
    # a Kerberos ticket cache: whoever holds the file acts as its principal (audit18a)
    r"^/(?:tmp|var/tmp|run/user/\d+)/krb5cc[^/]*$|"
    r"^/etc/datadog-agent/datadog\.yaml$|^/etc/dovecot/dovecot-(sql|ldap|dict-sql)\.conf\.ext$|"
    r"(^|/)\.config/(argocd/config|glab-cli/config\.yml)$|"
    # configs that exist to hold a shared secret: rndc's and BIND's key files, NTP keys,
    # dynamic-DNS and mail-relay clients' passwords, APT's repository logins, pre-shared
    # keys, SMB/CIFS mount credentials, cluster auth keys, RADIUS client secrets, the
    # Wi-Fi supplicant's config and OpenVPN's login files
    r"^/etc/(?:bind/|named/)?rndc\.conf$|^/etc/(?:bind|named)/(?:.*/)?[^/]*(?:keys?|tsig)[^/]*\.conf$|"
    # debconf's answers to password questions (rev16a)
    r"^/var/cache/debconf/passwords\.dat(?:-old)?$|"
    r"^/etc/(?:chrony/)?chrony\.keys$|^/etc/ntp(?:\.keys|/keys)$|^/etc/ddclient(?:/ddclient)?\.conf$|"
    r"(^|/)\.?msmtprc$|(^|/)\.fetchmailrc$|^/etc/apt/auth\.conf(?:\.d/.*)?$|(^|/)[^/]*\.psk$|"
    r"(^|/)[^/]*(?:smb|cifs)[^/]*cred[^/]*$|^/etc/(?:corosync/authkey|pacemaker/authkey|ha\.d/authkeys)$|"
    r"^/etc/(?:freeradius/[^/]+|raddb)/clients\.conf$|^/etc/wpa_supplicant\.conf$|"
    # (audit19b) FreeRADIUS's modules that log in to a database or directory (`sql`,
    # `ldap`, `redis`, `rest`; `eap`'s key password), its users file (`Cleartext-Password`),
    # and net-snmp's agent settings (the communities and the v3 users' passphrases, and
    # the localised keys net-snmp persists)
    r"^/etc/(?:freeradius/[^/]+|raddb)/(?:mods-(?:available|enabled)/(?:sql|ldap|redis|"
    r"rest|couchbase|eap)|users|"
    r"mods-config/files/authorize)$|"
    r"^/etc/snmp/snmpd\.conf$|^/var/(?:lib/(?:net-)?snmp|net-snmp)/snmpd\.conf$|"
    r"^/etc/openvpn/(?:.*/)?[^/]*(?:auth|pass|cred|login)[^/]*\.(?:txt|conf)$|"
    # second-factor seeds (google-authenticator's TOTP secret, oathtool's users file) and
    # notebook servers' runtime files (they hold the token that opens a code shell)
    r"(^|/)\.google_authenticator$|^/etc/(?:users\.oath|liboath/users\.oath)$|"
    # cloud-init's copies of the instance's user and vendor data (root-only: they carry
    # the passwords, keys and tokens a deployment hands the host) and the instance data
    # it names sensitive itself (review13)
    r"^/var/lib/cloud/(?:instance|instances/[^/]+)/(?:user|vendor2?)-data\.txt(?:\.i)?$|"
    r"^/run/cloud-init/instance-data-sensitive\.json$|"
    r"(^|/)(?:\.local/share/)?jupyter/runtime/[^/]*\.json$|"
    # configs that hold a service's database password or its repository keys (fourteenth
    # pass): Slurm's accounting daemon, pgBackRest (S3 keys, the cipher passphrase), PHP
    # web applications' config.inc.php (Roundcube's DSN and DES key, phpMyAdmin's
    # blowfish secret), PgBouncer's user list, Asterisk's SIP, IAX and manager accounts
    r"(^|/)slurmdbd\.conf$|(^|/)pgbackrest\.conf$|(^|/)config\.inc\.php$|"
    r"(^|/)pgbouncer/userlist\.txt$|"
    r"^/etc/asterisk/(?:pjsip|sip|iax|manager|ari|res_odbc|voicemail)(?:_custom)?\.conf$|"
    # private keys by the word `key` in a PEM file's name (`ca_key.pem`, `server-key.pem`,
    # `oci_api_key.pem`; never a `pub` half), Salt's master and minion keys, and files
    # named for a token, a password or a secret (`/etc/nomad.d/bootstrap.token`,
    # `/var/lib/x/node-token`, `/root/.docker/registry-pass`, `identity.secret`; a bare
    # word without a folder is a name more often than a file: `vault token lookup`)
    r"(^|/)(?![^/]*pub)[^/]*(?:^|[-_.]|priv)keys?(?:[-_.][^/]*)?\.pem$|"
    r"(^|/)salt/pki/[^/]+/[^/]+\.pem$|"
    r"/(?:[^/]*[-_.])?tokens?(?:\.(?:txt|json|ya?ml|jwt|dat))?$|(^|/)(?!-)[^/]+\.token$|"
    r"(?<!pam\.d)/[^/]*[-_.](?:pass|passwd|password|passphrase)(?:\.txt)?$|"
    r"(^|/)(?!-)[^/]+\.secret$|"
    # other clouds' and hosting CLIs' saved logins (Linode, OVH, Vultr, Exoscale,
    # Scaleway, Alibaba, Tencent, IBM, Cloud Foundry, OpenStack, Fly, Cloudflare's
    # wrangler, Databricks, Kaggle) and tunnel clients' credentials (cloudflared's tunnel
    # JSON and origin cert, ngrok's authtoken, frp's token, Tailscale's node state)
    r"(^|/)\.config/(linode-cli|vultr-cli\.ya?ml|exoscale/exoscale\.toml|scw/config\.ya?ml|"
    r"\.?wrangler/config/[^/]+\.toml)$|"
    r"(^|/)\.?(ovh\.conf|vultr-cli\.ya?ml)$|(^|/)\.(aliyun/config\.json|tccli/[^/]+\.credential|"
    r"bluemix/config\.json|cf/config\.json|fly/config\.ya?ml|wrangler/config/[^/]+\.toml|"
    r"databrickscfg|kaggle/kaggle\.json)$|(^|/)clouds\.ya?ml$|(^|/)openstack/secure\.ya?ml$|"
    r"(^|/)\.?cloudflared/(?:[^/]+\.json|cert\.pem)$|(^|/)ngrok2?/ngrok\.ya?ml$|"
    r"(^|/)frp[cs]\.(?:ini|toml|ya?ml|json)$|(^|/)tailscale/tailscaled\.state$|"
    # shell and database clients' histories: passwords typed on a command line
    # (`mysql -pSECRET`, `export TOKEN=...`, `ALTER USER ... PASSWORD`) stay there
    r"(^|/)\.[\w.-]*history(?:-[\w.:-]+)?$|(^|/)fish/fish_history$|"
    r"(^|/)\.mongodb/mongosh/[^/]*history$|(^|/)\.cassandra/cqlsh_history$|"
    # Vault's file storage: the keyring and the sealed root key (with the unseal keys,
    # every secret it stores)
    r"(^|/)core/_(?:keyring|master|recovery-key)$|"
    # data tools' connection profiles, which hold the warehouse's or broker's password:
    # dbt's profiles, Snowflake's and cqlsh's, clickhouse-client's, Redpanda's rpk, the
    # MinIO client's aliases (access and secret keys), s3fs's key file, DVC's local
    # config (where its remotes' credentials go), Airflow's config (the metadata
    # database's address with its password, the Fernet key) and kcat's
    r"(^|/)(?:\.dbt/)?profiles\.ya?ml$|(^|/)\.snowsql/config$|(^|/)\.?snowflake/connections\.toml$|"
    r"(^|/)\.cassandra/cqlshrc$|(^|/)\.clickhouse-client/config\.xml$|(^|/)rpk/rpk\.ya?ml$|"
    r"(^|/)\.mc(?:li)?/config\.json$|(^|/)\.?passwd-s3fs$|(^|/)\.dvc/config\.local$|"
    r"(^|/)airflow\.cfg$|(^|/)\.?kcat\.conf$|(^|/)\.kafkacat\.conf$|"
    # a `credentials` file in a tool's folder (`~/.mlflow/credentials`), JAAS login
    # configurations (Kafka's and ZooKeeper's SASL passwords), age identities, and a
    # service's or CA's `secrets/` folder (`~/.step/secrets/root_ca_key`, `$(step
    # path)/secrets/...`), its sops- or age-encrypted files excepted
    r"/(?:[^/]+/)?credentials$|(^|/)[^/]*jaas[^/]*\.conf$|"
    r"(^|/)\.?age/(?:[^/]*keys?|identit(?:y|ies))(?:\.txt)?$|(^|/)[^/]*\.agekey$|"
    r"/secrets/(?![^/]*\.(?:enc|sops)\.)[^/]+(?<!\.age)(?<!\.gpg)(?<!\.asc)$|"
    # sixteenth pass: the PEM files of the TLS terminators that want the certificate and
    # its key in one file (HAProxy's `crt`, Hitch, Pound, stunnel, lighttpd's `pemfile`,
    # Cockpit's and Webmin's), an SSH certificate authority's signing key (`/etc/ssh/
    # user_ca`: whoever holds it mints logins for every host that trusts it), and the CI
    # runners' registration credentials (GitHub's and Azure's agents, Buildkite's token)
    r"^/etc/(?:haproxy|hitch|pound|stunnel|lighttpd)/(?:[^/]+/)*[^/]+\.pem$|"
    r"^/etc/cockpit/ws-certs\.d/[^/]+\.(?:cert|key)$|^/etc/webmin/miniserv\.pem$|"
    r"^/etc/ssh/(?:[\w.-]*[-_])?ca(?:[-_]key)?$|(^|/)\.ssh/[\w.-]*[-_]ca(?:[-_]key)?$|"
    r"(^|/)\.credentials(?:_rsaparams)?$|^/etc/buildkite-agent/buildkite-agent\.cfg$|"
    # eighteenth pass: a cookie jar saved by curl, wget or a browser export (its session
    # cookies log in as the account: `cookies.txt`, `admin-cookies.json`, `cookiejar`),
    # and a service account's key by the short name `sa` (`gcp-sa.json`, `deploy_sa.json`)
    r"(^|/)(?:[\w.]*[-_.])?cookies?(?:[-_.]?jar)?(?:\.(?:txt|json|sqlite|db|dat))?$|"
    r"(^|/)(?:[\w.]*[-_])?sa(?:[-_][\w.-]*)?\.json$|"
    # nineteenth pass (fix19): an object store client's config (Thanos' `objstore.yml`
    # holds the bucket's access and secret keys), a search cluster's internal user
    # database (OpenSearch's and Open Distro's `internal_users.yml`, Search Guard's
    # `sg_internal_users.yml`: password hashes), an NSS database's token PIN file (389-ds'
    # `pin.txt`, certutil's `-f pwdfile.txt`), and the host keys of other SSH servers
    # (Dropbear's `dropbear_ed25519_host_key`, any `*_host_*_key`; the `.pub` half is none)
    r"(^|/)(?:[\w.-]*[-_.])?objstore(?:[-_.][\w.-]*)?\.ya?ml$|"
    r"(^|/)(?:sg_)?internal_users\.ya?ml$|(^|/)(?:pin|pwdfile|pin[-_]file)\.txt$|"
    r"(^|/)[\w.-]*_host_(?:[\w-]+_)?key$|(^|/)tinyssh/sshkeydir/[^/]*\.sk$|"
    # a password file named with the short `pw`/`pwd` suffix (`/root/.dm.pw`, `bind.pwd`)
    r"(^|/)[^/]*[-_.](?:pw|pwd)$|"
    # nineteenth pass (audit19a): the hosting panels' and web stacks' credential files:
    # cPanel's API tokens and per-folder password files, Plesk's admin password and
    # DirectAdmin's database login, Magento's env.php (the database password and the
    # crypt key), acme.sh's account.conf (the DNS providers' API keys it saves), rspamd's
    # controller password, PowerDNS' config (the API key, the backends' passwords),
    # dnscontrol's creds.json and PHP's session files (whoever holds one is logged in)
    r"^/var/cpanel/authn/api_tokens[^/]*/.+|(^|/)\.htpasswds/.+|^/root/\.accesshash$|"
    r"^/etc/psa/(?:\.psa\.shadow|private/secret_key)$|"
    r"^/usr/local/directadmin/conf/(?:mysql\.conf|my\.cnf)$|(^|/)app/etc/env\.php$|"
    r"(^|/)\.acme\.sh/account\.conf$|^/etc/rspamd/(?:local|override)\.d/worker-controller\.inc$|"
    r"^/etc/(?:powerdns|pdns)/(?:pdns|recursor)\.conf$|^/etc/(?:powerdns|pdns)/pdns\.d/[^/]+\.conf$|"
    r"(^|/)creds\.json$|^/var/lib/php[\d.]*/sessions?/sess_[^/]+$|"
    r"^/var/cpanel/php/sessions/[^/]+/sess_[^/]+$|"
    # twentieth pass (fix20): a file named for an API key or a passphrase in any folder
    # (`/root/.pdns-api-key`, `/etc/borg/passphrase`; a bare word is a name), a service's
    # per-domain password files (Dovecot's `passwd.d/DOMAIN`), Kea's control agent (its
    # basic-auth users), R1Soft's trusted backup server keys, and Fastly's CLI profile
    # (its API token)
    r"/[^/]*api[-_]?keys?(?:\.(?:txt|json|conf|env))?$|/\.?passphrase(?:\.txt)?$|"
    r"^/etc/[^/]+/(?:[^/]+/)*[^/]*passw(?:or)?ds?\.d/[^/]+$|"
    r"^/etc/kea/kea-ctrl-agent\.conf$|^/usr/sbin/r1soft/conf/server\.allow(?:/.*)?$|"
    r"(^|/)\.config/fastly/config\.toml$|"
    # twentieth pass (audit20a): JupyterHub's cookie secret (it signs every user's login),
    # TLJH's configuration (the authenticator's OAuth client secret or password) and the
    # NGC CLI's configuration (the API key that pulls the registry's images and models)
    r"(^|/)jupyterhub_cookie_secret$|^/opt/tljh/config/config\.ya?ml$|(^|/)\.ngc/config$"
)
# Files that hold credentials only where someone typed one (shell and database clients'
# histories): printing them is a secret read, but a search for a word that spells no
# credential (`grep -n mkfs ~/.bash_history`, an audit) prints only the lines it asked for.
_INCIDENTAL_SECRET = lazy(r"history(?:-[\w.:-]+)?$")
# Folders whose content is credentials: a tool that reads a whole tree (`tar c ~/.ssh`,
# `grep -r . ~/.aws`, `zip -r - ~/.gnupg`) prints them.
_SECRET_DIR = lazy(
    r"^/etc/(ssl/private|pki/[^/]+/private|kubernetes/pki|letsencrypt(/live|/archive)?(/[^/]+)?|"
    r"wireguard|openvpn|NetworkManager/system-connections)$|(^|/)\.(ssh|gnupg|aws|kube|docker|azure|password-store|"
    r"config/gcloud|config/gh|terraform\.d)$|^/(var/)?run/secrets(/.*)?$|"
    r"^/var/lib/jenkins/secrets$"
)


# A compressor's suffix (eighteenth pass): `.env.gz` holds what `.env` holds, and `zcat`,
# `gzip -dc` or `zstd -dc` print it.
_COMPRESSED = lazy(r"\.(?:gz|bz2|xz|zst|lz4|lzma|lz|Z|br)$")


def is_secret(text: str) -> bool:
    """Does `text` (a path as written) name a file whose content is a credential?"""
    if not text or text.endswith((".pub", ".crt", ".example", ".sample")):
        return False
    path = _COMPRESSED.sub("", normalize_path(text.rstrip("*")))
    return any(
        _SECRET.search(p) and not _DNSSEC_PUBLIC.search(p) and not _PUBLIC_HALF.search(p)
        for p in (path, climbed(path))
        if p
    )


# An archive named for the credentials it bundles (eighteenth pass): `creds-bundle.zip`,
# `secrets.tar.gz`, `api-keys.7z`, `prod_tokens.tgz`; a word of the name, not a part of
# one (`keyboard.zip`, `tokenizer.tar.gz` are none).
_SECRET_BUNDLE = lazy(
    r"(?i)(?:^|/)(?:[^/]*[-_.])?(?:creds?|credentials|secrets?|passwords?|passwd|tokens?|"
    r"(?:api|ssh|private|signing|access)[-_]?keys?|keys|keyring|vault)(?:[-_.][^/]*)?"
    r"\.(?:zip|tar|tgz|tbz2?|txz|tzst|7z|rar|cpio|tar\.(?:gz|bz2|xz|zst|lz4))$"
)
_ARCHIVE_SUFFIX = lazy(r"\.(?:zip|tar|tgz|tbz2?|txz|tzst|7z|rar|cpio)(?:\.\w+)?$")


def secret_bundle(text: str) -> bool:
    """Does `text` name an archive of credentials, by the words of its name or by the
    credential it was made of (`id_rsa.zip`, `.env.tar.gz`)? Printing its members
    (`unzip -p`, `tar -xOf`, `7z x -so`) prints them."""
    path = normalize_path(text)
    return bool(_SECRET_BUNDLE.search(path)) or is_secret(_ARCHIVE_SUFFIX.sub("", path))


# A `.key` that is public (tidy14): the DNSSEC root trust anchor a validating resolver
# keeps (unbound's `/var/lib/unbound/root.key`, Debian's `/usr/share/dns/root.key`,
# `trusted-key.key`), and BIND's public DNSKEY half of a DNSSEC key, algorithms 1-16
# (`Kexample.com.+013+12345.key`; its `.private` twin, a TSIG key's `.key`, which holds the
# shared secret (HMAC, `+157+`, `+161+`..`+165+`), and the resolvers' control keys,
# `unbound_server.key`, stay secrets).
# Never in a folder of keys (`private/`, `.ssh/`, `secrets/`): a name there is a secret.
_DNSSEC_PUBLIC = lazy(
    r"^(?!.*/(?:private|\.ssh|\.gnupg|secrets?)/).*(?:"
    r"/(?:unbound|dns|bind|named|knot-resolver|dnssec-trigger)/(?:root|trusted-key)\.key"
    r"|(?:^|/)K[A-Za-z0-9.-]*\.\+0(?:0[1-9]|1[0-6])\+\d{5}\.key)$"
)


# A key file named as the public half (audit18b): `public.key`, `mender-public.pem`,
# `pubkey.pem`, `signing_pub.key`, the verification keys update clients and signature
# checks are handed (`mender-artifact validate -k public.key`). Never in a folder of keys.
_PUBLIC_HALF = lazy(
    r"^(?!.*/(?:private|\.ssh|\.gnupg|secrets?)/)(?:.*/)?(?:[\w.-]*[-_.])?"
    r"(?:public|pub)(?:[-_.]?key)?\.(?:pem|key|der|asc)$"
)


# Concrete credential paths a pattern is tried against (`cat /etc/sha*`, `/etc/shad?w`,
# `~/.ssh/id_*`): a pattern that can name one of them reads it.
_SECRET_EXAMPLES_ABSOLUTE = (
    "/etc/shadow",
    "/etc/gshadow",
    "/etc/shadow-",
    "/etc/ssh/ssh_host_rsa_key",
    "/etc/ssh/ssh_host_ed25519_key",
    "/etc/ssh/ssh_host_ecdsa_key",
    "/etc/krb5.keytab",
    "/etc/kubernetes/admin.conf",
    "/etc/rancher/k3s/k3s.yaml",
    "/etc/ssl/private/server.key",
    "/etc/ssl/private/server.pem",
    "/etc/pki/tls/private/localhost.key",
    "/etc/mysql/debian.cnf",
    "/etc/ipsec.secrets",
    "/etc/wireguard/wg0.conf",
    "/etc/systemd/network/90-wg0.netdev",
    "/proc/1/environ",
    "/run/secrets/db_password",
    "/var/run/secrets/kubernetes.io/serviceaccount/token",
    "/etc/NetworkManager/system-connections/office.nmconnection",
    "/etc/ceph/ceph.client.admin.keyring",
    "/var/lib/docker/containers/0123abcd/config.v2.json",
    "/var/lib/rancher/k3s/server/token",
    "/etc/dovecot/users",
    "/etc/bind/rndc.conf",
    "/etc/chrony/chrony.keys",
    "/etc/apt/auth.conf",
    "/var/cache/debconf/passwords.dat",
    "/var/lib/cloud/instance/user-data.txt",
    "/var/lib/cloud/instances/i-0abc/vendor-data.txt.i",
    "/etc/asterisk/pjsip.conf",
    "/etc/asterisk/sip.conf",
    "/etc/pgbackrest/pgbackrest.conf",
    "/etc/slurm/slurmdbd.conf",
    "/run/cloud-init/instance-data-sensitive.json",
    # fix19: an IdM server's RA agent key and its NSS database's PIN, a directory
    # server's PIN, the object store's keys, a search cluster's users, a router's host key
    "/var/lib/ipa/ra-agent.key",
    "/etc/ipa/nssdb/pwdfile.txt",
    "/etc/dirsrv/slapd-EXAMPLE/pin.txt",
    "/etc/thanos/objstore.yml",
    "/etc/opensearch/opensearch-security/internal_users.yml",
    "/etc/dropbear/dropbear_ed25519_host_key",
    # a Nomad task's secrets folder (its Vault token and templated secrets)
    "/secrets/vault_token",
)
_SECRET_EXAMPLES_HOME = (
    ".ssh/id_rsa",
    ".ssh/id_ed25519",
    ".ssh/id_ecdsa",
    ".ssh/id_dsa",
    ".aws/credentials",
    ".aws/config",
    ".kube/config",
    ".docker/config.json",
    ".netrc",
    ".pgpass",
    ".my.cnf",
    ".mylogin.cnf",
    ".git-credentials",
    ".vault-token",
    ".npmrc",
    ".pypirc",
    ".env",
    ".config/gh/hosts.yml",
    ".yarnrc.yml",
    ".m2/settings.xml",
    ".gradle/gradle.properties",
    ".config/composer/auth.json",
    ".config/gcloud/application_default_credentials.json",
    ".azure/accessTokens.json",
    ".gnupg/secring.gpg",
)
_PROJECT_EXAMPLE_PREFIXES = ("/srv/app/", "/var/www/app/")
_SECRET_EXAMPLES = _SECRET_EXAMPLES_ABSOLUTE + tuple(
    prefix + path
    for prefix in ("", "~/", "/root/", "/home/user/", "$HOME/", *_PROJECT_EXAMPLE_PREFIXES)
    for path in _SECRET_EXAMPLES_HOME
)
_BRACES = lazy(r"\{([^{}]*,[^{}]*)\}")


def _braces(text: str, limit: int = 64) -> list[str]:
    """`/etc/{passwd,shadow}` as the words bash makes of it (comma lists, bounded)."""
    out = [text]
    while (m := _BRACES.search(out[0])) is not None and len(out) < limit:
        out = [
            w[: m.start()] + part + w[m.end() :]
            for w in out
            for part in m.group(1).split(",")
            if _BRACES.search(w) is not None
        ][:limit]
    return out


def _pattern(glob: str) -> re.Pattern[str]:
    """A shell pattern as a regex: `*` and `?` never cross a `/`, and a component that
    starts with one does not match a leading dot (bash without dotglob)."""
    out = []
    i = 0
    while i < len(glob):
        c = glob[i]
        if c in "*?[" and (i == 0 or glob[i - 1] == "/"):
            out.append("(?!\\.)")
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and (end := _bracket_end(glob, i)) > 0:
            body = glob[i + 1 : end]
            out.append("[" + _bracket_body(body) + "]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    try:
        return re.compile("".join(out))
    except re.error:  # a range bash would reject too (`[z-a]`): the word as written
        return re.compile(re.escape(glob))


_POSIX_CLASSES = {
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "alnum": "a-zA-Z0-9",
    "lower": "a-z",
    "upper": "A-Z",
    "xdigit": "0-9a-fA-F",
    "space": " \\t",
    "punct": "!-/:-@\\[-`{-~",
}
_POSIX_CLASS = lazy(r"\[:(\w+):\]")


def _bracket_end(glob: str, start: int) -> int:
    """Where the bracket opened at `start` closes (-1 if it does not): a `]` right after
    the opening (or its `!`) is a member, and so is a POSIX class's (`[[:alpha:]]`)."""
    i = start + 1 + (glob[start + 1 : start + 2] in ("!", "^"))
    i += glob[i : i + 1] == "]"  # a `]` first is a member
    while i < len(glob):
        if glob.startswith("[:", i) and (close := glob.find(":]", i + 2)) > 0:
            i = close + 2
            continue
        if glob[i] == "]":
            return i
        i += 1
    return -1


def _bracket_body(body: str) -> str:
    """A shell bracket's members as a regex class: `!`/`^` negates, and the characters a
    regex class treats as set operations or nesting (`[`, `&&`, `~~`, `||`, `--`) are
    escaped, so `[[:alpha:]]` or `[a--z]` is a literal set, never a warning or an error."""
    negate = body[:1] in "!^"
    members = (body[1:] if negate else body).replace("\\", "")
    out = []
    for n, part in enumerate(_POSIX_CLASS.split(members)):
        if n % 2:  # a POSIX class's name
            out.append(_POSIX_CLASSES.get(part, f"\\[:{part}:\\]"))
            continue
        for i, c in enumerate(part):
            doubled = c in "&~|-" and i + 1 < len(part) and part[i + 1] == c
            out.append("\\" + c if c in "[]" or doubled else c)
    return ("^" if negate else "") + "".join(out)


def secret_named(text: str, cwds: tuple[str | None, ...] = (None,)) -> str | None:
    """The credential `text` names as written: itself, the path it resolves to in any
    folder the line may be in (`cd /etc && cat shadow`, `cd ~/.ssh; cat id_rsa`), one
    word of its braces, or a credential its pattern can match (`/etc/sha*`). None when
    it names none."""
    for word in _braces(text):
        relative = not word.startswith(("/", "~", "$"))
        places = [p for c in cwds if c and relative and (p := resolve(word, c))] or [word]
        found = next((p for p in places if is_secret(p)), None)
        if found is not None or is_secret(word):
            return found or places[0]
        for path in places:
            if any(c in path for c in "*?["):
                home = _LITERAL_HOME.sub("~/", normalize_path(path), count=1)
                pattern = _pattern(home)
                example = next((e for e in _SECRET_EXAMPLES if pattern.fullmatch(e)), None)
                if example is None:
                    example = _key_file_matched(path)
                if example is not None:
                    return f"{path} (it matches {example})"
    return None


# The endings a credential's file name takes, and ordinary endings a pattern over a key's
# name must not also match (`*.k?y` names keys; `*.*`, `*.p*` name everything).
_KEY_ENDINGS = ("key", "pem", "p12", "pfx", "jks", "keystore", "kdbx", "keytab", "token", "secret")
_ORDINARY_ENDINGS = ("conf", "log", "txt", "json", "yaml", "yml", "ini", "cfg", "crt", "pub", "py")


def _key_file_matched(glob: str) -> str | None:
    """A credential a pattern names by its ending, wherever it is (sixteenth pass): `cat
    /etc/ssl/tess*/api-20??.k?y` prints `api-2027.key`. The pattern's folders and name
    are filled in (`*` as `x`, `?` as `0`) and each key ending its extension can match is
    tried; an extension that also matches an ordinary ending is no search for keys."""
    folder, _, name = glob.rpartition("/")
    stem, dot, ending = name.rpartition(".")
    if not dot or not stem or not any(c.isalnum() for c in ending):
        return None
    ending_re = _pattern(ending)
    if any(ending_re.fullmatch(e) for e in _ORDINARY_ENDINGS):
        return None
    filled = re.sub(r"\[[^]/]*\]|\?", "0", re.sub(r"\*", "x", f"{folder}/{stem}"))
    return next(
        (
            f"{filled}.{e}"
            for e in _KEY_ENDINGS
            if ending_re.fullmatch(e) and is_secret(f"{filled}.{e}")
        ),
        None,
    )


# A home folder written out (`/home/ana/`, `/root/`, `$HOME/`): the account's files are
# tried as `~/...`.
_LITERAL_HOME = lazy(r"^(/home/[^/*?\[]+/|/root/|\$HOME/|\$\{HOME\}/)")


# Ordinary file names: a `find -name` pattern that matches one of them is a search for
# files in general, not for credentials (`*.conf`, `*`, `config*`).
_ORDINARY_NAMES = (
    "nginx.conf",
    "app.conf",
    "config",
    "config.json",
    "settings.yml",
    "index.html",
    "main.py",
    "notes.txt",
    "app.log",
    "README",
    "data.db",
)


def secret_found(folder: str, name_glob: str) -> str | None:
    """A credential `find FOLDER -name GLOB` can print: one of the known credential
    paths under FOLDER whose file name GLOB matches, when GLOB is a search for such
    files (it matches no ordinary file name). `find / -name 'id_*'` finds
    `/root/.ssh/id_rsa`; `find /etc -name '*.conf'` is no search for keys."""
    pattern = _pattern(name_glob.replace("/", ""))
    loose = re.compile(pattern.pattern.replace("(?!\\.)", ""))  # find's -name: `*` matches dots
    if any(loose.fullmatch(n) for n in _ORDINARY_NAMES):
        return None
    top = normalize_path(_LITERAL_HOME.sub("~/", folder.rstrip("/") + "/", count=1)).rstrip("/")
    for example in _SECRET_EXAMPLES:
        if not example.startswith(("/", "~/")):
            continue
        under = top in ("", "/", ".") or example.startswith(top + "/")
        if under and loose.fullmatch(example.rsplit("/", 1)[-1]):
            return example
    # a folder no example lives in (`find /srv/pki /etc/step-ca -name '*key*'`): the
    # names keys and credentials take wherever they are kept (fix19)
    for name in _KEY_NAMES:
        if loose.fullmatch(name) and is_secret(f"{top or ''}/{name}"):
            return f"{top or ''}/{name}"
    return None


# The names private keys and credential files take in any folder (a CA's, a service's,
# a project's): what a `find -name` search matching one of them can print (fix19)
_KEY_NAMES = (
    "server.key", "ca.key", "ca-key.pem", "ca_key.pem", "privkey.pem", "key.pem", "tls.key",
    "id_rsa", "id_ed25519", "root_ca_key", "intermediate_ca_key", "keystore.jks",
    "client.p12", "credentials.json", "secrets.yml", ".env", "token",
)  # fmt: skip


def secret_under(folder: str) -> str | None:
    """A known credential path under `folder`, a system or home folder (`/etc` holds
    `/etc/shadow`, `/home` every account's `~/.ssh/id_rsa`, `/` all of them), or None.
    A project folder (`/srv/app`) is not judged by the examples planted in one."""
    if not folder:
        return None
    top = normalize_path(_LITERAL_HOME.sub("~/", folder.rstrip("/") + "/", count=1)).rstrip("/")
    if top and not top.startswith(("/", "~")):
        return None
    for example in _SECRET_EXAMPLES:
        if example.startswith(_PROJECT_EXAMPLE_PREFIXES) or not example.startswith(("/", "~/")):
            continue
        if (top == "" and example.startswith("/")) or example.startswith(top + "/"):
            return example
    return None


def is_incidental_secret(path: str) -> bool:
    """Does credential `path` hold one only where someone typed it (a history file)?"""
    return bool(_INCIDENTAL_SECRET.search(path))


def is_secret_dir(text: str) -> bool:
    """Does `text` name a folder whose files are credentials (`~/.ssh`, `/etc/ssl/private`)?"""
    return bool(text) and bool(_SECRET_DIR.search(normalize_path(text.rstrip("/"))))


# The configurations that decide who reaches the host and how it reaches the network: the
# firewall's saved ruleset, the routing daemons', the interfaces', the resolver's, and
# OpenWrt's UCI files. Emptying one opens the host or cuts it off at the next reload. A
# name server's configuration too (fix20): it decides who may transfer, update or
# recurse, and where every zone it serves comes from.
_ACCESS_CONFIG = lazy(
    r"^/etc/(?:named\.conf(?:\.[\w-]+)?|named/.+|bind/.+|nftables\.conf|nftables\.d/.+|pf\.conf|iptables/.+|sysconfig/ip6?tables|ufw/.+|"
    r"firewalld/.+|frr/.+|quagga/.+|bird/.+|bird6?\.conf|network/interfaces(?:\.d/.+)?|"
    r"netplan/.+|sysconfig/network-scripts/.+|systemd/network/.+|keepalived/.+|"
    r"resolv\.conf|config/(?:network|firewall|wireless|dropbear|dhcp))$"
)


def is_access_config(text: str) -> bool:
    """Does `text` name the firewall's, a router's, the network's or the resolver's
    configuration (`/etc/nftables.conf`, `/etc/frr/frr.conf`, OpenWrt's `/etc/config/
    firewall`)?"""
    return bool(_ACCESS_CONFIG.match(normalize_path(text)))


# A file a service reads its settings from: under /etc, in a folder of its own or named
# as a configuration (`nginx.conf`, `my.cnf`, `*.yaml`), not a leftover (`.bak`) nor a
# file only people read (`motd`, `issue`).
_SERVICE_CONFIG = lazy(
    r"^/etc/(?:[^/]+/)+[^/]+$|^/etc/[^/]+\.(?:conf|cnf|cfg|ini|ya?ml|toml|json|xml|rules)$"
)
_NOT_A_SETTING = lazy(r"^/etc/(?:motd|issue(?:\.net)?|update-motd\.d/.*)$")
_LEFTOVER = lazy(r"(\.(bak|old|orig|save|swp|tmp|rpmsave|rpmnew|dpkg-\w+)|~)$")


def is_service_config(text: str) -> bool:
    """Does `text` name a configuration file a service reads (`/etc/nginx/nginx.conf`,
    `/etc/postgresql/16/main/postgresql.conf`, `/etc/haproxy/haproxy.cfg`)? Emptying one is
    never the edit it looks like: the service fails at its next reload or start, or runs
    on its built-in defaults (sixteenth pass)."""
    path = normalize_path(text)
    return (
        classify(path) in ("system", "critical")
        and bool(_SERVICE_CONFIG.match(path))
        and not _NOT_A_SETTING.match(path)
        and not _LEFTOVER.search(path)
    )


# Kernel settings that switch a protection off or name a program the kernel runs as root:
# the value that weakens each (None: any value, since the kernel runs what it names).
_KERNEL_PROTECTIONS: dict[str, tuple[frozenset[str] | None, str]] = {
    "kernel.randomize_va_space": (frozenset({"0", "1"}), "address space randomisation"),
    "kernel.yama.ptrace_scope": (frozenset({"0"}), "the limit on reading other processes"),
    "kernel.kptr_restrict": (frozenset({"0"}), "the hiding of kernel addresses"),
    "kernel.dmesg_restrict": (frozenset({"0"}), "the kernel log's restriction to root"),
    "kernel.unprivileged_bpf_disabled": (frozenset({"0"}), "the ban on unprivileged BPF"),
    "kernel.perf_event_paranoid": (frozenset({"-1", "0"}), "the limit on kernel profiling"),
    "fs.protected_symlinks": (frozenset({"0"}), "the symlink attack protection"),
    "fs.protected_hardlinks": (frozenset({"0"}), "the hardlink attack protection"),
    "fs.protected_fifos": (frozenset({"0"}), "the FIFO attack protection"),
    "fs.protected_regular": (frozenset({"0"}), "the sticky-folder file protection"),
    "fs.suid_dumpable": (frozenset({"1", "2"}), "the ban on setuid programs' core dumps"),
    "vm.mmap_min_addr": (frozenset({"0"}), "the null-page protection"),
    "kernel.core_pattern": (None, "the program run as root at every crash (`|PROGRAM`)"),
    "kernel.modprobe": (None, "the program the kernel runs as root to load modules"),
    "kernel.hotplug": (None, "the program the kernel runs as root on device events"),
    # per interface (`all`, `default`, `eth0`), read through `_INTERFACE_KEY` (eighteenth
    # pass): spoofed sources and routes the sender dictates let a host in the middle in
    "net.ipv4.conf.*.rp_filter": (frozenset({"0"}), "the reverse-path filter against spoofing"),
    "net.ipv4.conf.*.accept_source_route": (
        frozenset({"1"}),
        "the refusal of source-routed packets",
    ),
    "net.ipv6.conf.*.accept_source_route": (
        frozenset({"1"}),
        "the refusal of source-routed packets",
    ),
}
# An interface's setting (`net.ipv4.conf.eth0.rp_filter`) as its table key.
_INTERFACE_KEY = lazy(r"^(net\.ipv[46]\.conf)\..+\.(\w+)$")


def kernel_protection(key: str, value: str | None) -> str | None:
    """What a kernel setting (`kernel.randomize_va_space`, or its /proc/sys path) set to
    `value` (None: not shown on the line, the worst reading) takes away, or None."""
    if key.startswith("/proc/sys/"):
        key = key[len("/proc/sys/") :].replace("/", ".")
    key = _INTERFACE_KEY.sub(r"\1.*.\2", key.replace("/", "."))
    found = _KERNEL_PROTECTIONS.get(key)
    if found is None:
        return None
    weak, what = found
    value = None if value is None else value.strip().strip("'\"")
    if weak is None:
        if key == "kernel.core_pattern" and value is not None and not value.startswith("|"):
            return None  # a file name pattern: where cores are written
        return what
    return what if value is None or value in weak else None
