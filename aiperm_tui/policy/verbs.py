"""Unknown tools called with a conventional read-only verb: `rndc status`, `qm list`.

About half of the safe commands an SRE runs use a tool no pack describes, and an unknown
command needs a per-action yes, so each was a false positive. Most command-line tools
follow one convention: `TOOL status`, `TOOL list`, `TOOL NOUN ls` only print. This rule
trusts that convention, and nothing more: the command is `info` under ops_safe (it runs
unasked) and still denied under read_only (`rules.preset_verdict`: an unknown command is
never read-only there).

Each condition closes a way a hostile agent would use the rule:

- the command word is a bare name as written (no path, quote or escape, no alias or
  versioned spelling) of a tool the engine knows nothing of: a tool any pack, code
  judge or option grammar describes keeps its own judgement (`toolbox.judge` checks);
- the line sets no variable, defines no alias or function and names no builtin that
  changes what a name runs (`PATH=/tmp zztool status`, `alias`, `hash -p`, `read PATH`);
- the verb is the first argument, or follows one or two nouns from a closed list
  (`nats stream ls`, `exo compute instance list`; a compound noun only of listed parts,
  `object-storage`): `pip install status` or `zztool delete list` act on a thing named
  like a verb, and an option before the verb may take it as its value;
- or one open first noun stands before a closed one (`stackit ske cluster list`): a
  short lowercase word that no list here names (act, read, report, destroy, credential,
  danger words), not shaped like a verb (`-ize`, `-ify`, `-ate`) nor one glued to its
  object (`flushall`, `deletekeyspace`, `setconfig`), not a program the
  engine knows (an unknown wrapper would run it: `zzwrap userdel cluster list`); after
  it only a listing or a report of a collection (`list`, `status`, `stats`...: not
  `version`, `show`, `get`);
- or, directly before the verb, an open plural (`zztool artifacts list`, `schedules
  list`: its singular no act or destroy verb, `kills`, `bounces`, unless mostly a noun,
  `backups`, its `-es`/`-ies` forms too: `fixes`, `copies`; neither a program the
  engine knows, `zzwrap userdels list`), never a singular open word (review13: `zztool
  trash list --all`, `blank`, `cull`: an open set of verbs; `zzwrap deluser list` runs
  a known program) (thirteenth pass);
- the verb is one of a closed set that prints (never `read`, `dump`, `export`,
  `decrypt`: `pass show`, `vault read` print secrets; never `check`, `test`,
  `verify`: some repair, and a build tool's `check` runs the project's code), or a
  compound of one with nouns or open plurals (`proxy-status`, `list-backups`; never an
  open part that acts: `set-status`, `push-list`); `get` only before a collection whose
  objects hold no credential, and `show`, `describe`, `inspect` only after (or first,
  before) closed nouns whose descriptions hold none (`cluster`, `node`, `volume`,
  `zone`: not a user, client,
  config, database, job or cloud server, whose description may print a password), both
  never as whole objects (`-o yaml`, `--json`, `-j`);
- or, first, a verb that prints part of a file (`schema`, `head`, `tail`, `cat`,
  `read`, `meta`, `header`...: `parquet-tools schema FILE`, `mender-artifact read
  FILE`) given a data file by its absolute path: outside the credential, device, root
  and temp classes, with an extension that is no script, SQL, library or program
  (`zztool schema /srv/migrate.sql` may apply it), by a tool not named after a
  credential store or a cipher (`zzvault read`, `zzcrypt cat` may decrypt it); `dump`,
  `export` may write there;
- every other word is an absolute path outside the credential, device, root and temp
  classes, a plain identifier (no `=`, no expansion) that is no network address
  unless a host of the fleet, or a relative name (`public/ingest`: no hidden part,
  `..` or credential), every long option a flag whose name holds no danger word (Go's
  single-dash `-scope-id` only of a closed list of words: to getopt `-xupdate-grub`
  runs `update-grub`), given no value or one harmless as the next word would be
  (`--namespace=prod`), every short option one of a few read-only letters (no `=`),
  and `-o`/`--output`/`--format`/`--output-format` only name an output format;
- a long option naming the tool's own server (`--server`, `--address`, `--host`,
  `--endpoint`, `--url`, `--bootstrap-server`, `--api-url`: every part of its name of
  `_LOCATION_PARTS`, one a danger word; `--cluster prod` keeps its plain value) takes
  only a host of the fleet (`_in_the_fleet`, `addresses.site_address`) naming no verb
  (`--host restart`): a private or loopback IPv4 address in four decimal parts,
  `localhost`, one label, or a name under `.internal`, `.local`, `.lan`, `.corp`, `.int`
  (no public registry hands those out), with a scheme, port and path but no login or
  query: the tool sends its stored token there, so a host anyone may answer at
  (`evil.example`, `203.0.113.9`, `http://3232235777`) stays unknown;
  a listener (`--bind-address`), a proxy, a hook or callback URL never counts;
- a long option's value may be a filter (`--filter 'state=ALIVE'`, `--sort "name"`,
  `--selector=app=api`), quoted in one pair of quotes or not: letters, digits and
  `_.,:!<>-`, no space (`--query 'DROP TABLE x'`), path, address or expansion; with
  `=` only after an option that filters (`--all mode=maintenance` sets a mode);
- no word after the verb names an act or a destroy (`rauc status mark-bad other`,
  `zztool list enable-all`, `zztool info update`: thirteenth pass): what runs is that;
- or the tool's own name says it prints (`mtdinfo -a`, `gpioinfo gpiochip0`,
  `isoinfo -d -i FILE`, `tegrastats --interval 1000`): `*info`, or `*stat`/`*stats`
  after three letters or more, the stem an open noun (not `makeinfo`, `texi2info`,
  `install-info`, `restat`) naming no credential store or cipher (`tokeninfo`,
  `vaultinfo`, `cryptinfo`),
  its words as above with a few more read-only letters (details, input, machine,
  pid, summary, type, units, recursive, list; never the letters that name an output
  file, a command, a yes or a force, nor `-o`); `ls*` is no such name (`lsyncd`
  syncs); or an archive extractor (`un` and a format, `unsquashfs`; `*extract`,
  `innoextract`) given `-l`/`--list` and a file by its absolute path: the
  convention's listing, which writes nothing (without it, or with `-d DIR`, it
  extracts);
- nothing is fed to its input (a pipe, `<`, a here-document): a tool reading commands
  from stdin would run them whatever its verb;
- it is reached directly or through a wrapper that runs it as it is (`sudo`, `timeout`),
  not one that adds arguments or swaps the binary (`xargs -a`, `chroot`), and not inside
  a payload (`bash -c`, `ssh host CMD`: its caller's `PATH=` is not seen).

What else is on the line (a redirection writing a file, a pipe into `sh`) is judged as
for any command.

The same convention works the other way (`destroy_verb`, `unknown.destroy_verb`): a tool
asked to `delete`, `purge`, `reset`, `promote` ... (`kapp delete -a billing`, `zztool -n
NODE reset`, `zztool db reset`, `zztool bucket-flush`, `zztool delete_indices`, `--drop`,
`--force-delete`) destroys or overturns state, and that asks for the typed code. It only
raises, so none of the conditions above apply (`./zztool purge`, `bash -c 'zztool wipe'`
are raised too); its own conditions keep it off the words that are not the tool's verb:

- the verb is one of the first three positional words (a subcommand, after nouns or a
  global option's value: `TOOL -e prod destroy`, `TOOL -f CONF standby promote`), before
  any word that is a read verb (`zztool status drop-job`, `zztool logs purge-worker`:
  after a read verb the words are what it reads), and never a path, an address, an
  image or `KEY=VALUE` (no `/ . @ =`): those are operands;
- a compound (`bucket-flush`, `delete_indices`, `db:drop`, `force-delete`) counts by its
  parts, unless a part is a read word (`purge-status`, `list-deleted`: it reports on
  what was destroyed);
- `down` and `leave` take what the tool runs out of service (`ray down`, `birdc down`,
  `zerotier-cli leave NET`: a cluster, a router daemon, the way in) and `unjoin` takes a
  member out of its federation: counted as whole words only (`scale-down`, `--leave-
  running` are settings), and `down`/`leave` not after a word that softens them (`zztool
  scale down`, `ramp down`, `step down`: a change). Not `evacuate`: moving one host's
  work away is a drain, a change by the labelling rules;
- a long option counts only when every part of its name is a destroy word or `force`,
  `all`, `hard`, `now`, what it destroys (`disk`, `slot`, `signatures`, `factory` ...:
  `--drop`, `--force-delete`, `--delete-all`, `--wipe-slot=all`, `--factory-reset`): never a setting
  named after one (`--kill-timeout`, `--delete-after`, `--drop-privileges`,
  `--show-deleted`, `--no-delete`), nor one switched off (`--wipe=false`), nor the
  everyday `--rm` (remove a temporary container), `--format`, `--prune`, `--truncate`;
- a flag a tool demands only before it destroys (`--yes-i-really-mean-it`, `--i-know-
  what-i-am-doing`, `--accept-data-loss`) says so on any tool, whatever its verb
  (`zztool osd forget 3 --yes-i-really-mean-it`);
- `--format` given no value, a block device or a filesystem's name on a line naming a
  block device (`zztool init --format /dev/sdb`) makes a filesystem there; `--format
  json` names an output format;
- a forced stop given no grace period (`--force --grace-period 0`, `-force -grace=0s`)
  kills what runs, whatever the verb; the grace option alone is a setting;
- an explicit dry run (`--dry-run`, `--noop`, `--simulate`, `--what-if`, exactly as
  written, not switched off) leaves the command `unknown.command` (a plain yes): the
  tool may ignore a flag it lacks, so it is never lowered further.

A tool whose destroying verb breaks the convention (`zztool apply --prune`, `zztool
sync`, a verb in another language) is not seen by this rule: it stays `unknown.command`.
What else raises an unknown tool (its name, a device or the root, code from a temp
folder or an address, an unsafe flag, a command line in the code it evaluates) is in
`raising.py`.
"""

from __future__ import annotations

from aiperm_tui.policy.addresses import site_address
from aiperm_tui.policy.fspaths import TOP_DIRS, classify, is_secret
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.normalize import Cmd, command_name

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from collections.abc import Callable

    from aiperm_tui.policy.analysis import Analysis
    from aiperm_tui.policy.parse import Word

RULE = "unknown.read_verb"
DESTROY_RULE = "unknown.destroy_verb"
SECRET_RULE = "unknown.secret_word"
# Positional words (or compound parts) that name a credential (`secret_word`): a tool
# asked for one prints, creates or sets it. Not `key` (key names and key IDs are listed
# every day) nor `auth` (a login flow or a status).
_CREDENTIAL_WORDS = frozenset(
    {
        "apikey",
        "apikeys",
        "creds",
        "credential",
        "credentials",
        "kubeconfig",
        "passwd",
        "password",
        "passwords",
        "privkey",
        "secret",
        "secrets",
        "token",
        "tokens",
    }
)
# Flags that, by their name, reveal a secret (`--show-secret`, `--reveal`, `--plaintext`,
# `--show-password`, `--decrypt`, `--unmask`, `--with-secrets`, `--insecure-print`).
_REVEALS = lazy(
    r"--(?:show|print|include|with|dump|display|output)-(?:secrets?|passwords?|tokens?"
    r"|credentials?|keys?|private-keys?|sensitive|values)|--reveal(?:-\w+)?|--plain-?text"
    r"|--decrypt(?:ed)?|--unmask(?:ed)?|--insecure-print|--show-sensitive|--raw-secrets?"
)
# The verbs that, by convention, only print. Closed: anything else stays unknown.
# `analyze`, `diagnose`, `doctor` report what is wrong (their repair is an option,
# `--fix`, which the option rules refuse); `top`, `events`, `usage` show activity; `ping`
# asks the tool's own server if it answers; `whoami` names the identity, not its token;
# `versions` and `current` are the version managers' listings (`pyenv versions`, `asdf
# current`); `logs` and `history` print what the tool recorded (`railway logs`,
# `zztool history api`), as `journalctl` does.
READ_VERBS = frozenset(
    {
        "analyse",
        "analyze",
        "current",
        "diagnose",
        "doctor",
        "events",
        "health",
        "history",
        "info",
        "list",
        "logs",
        "ls",
        "members",
        "ping",
        "ps",
        "stats",
        "status",
        "top",
        "usage",
        "version",
        "versions",
        "whoami",
    }
)
# A lone option that, by the same convention, prints and exits: `just --list`, `dotnet
# --info`, `ssh -V`. Alone: with anything else it may be a mode of a run (`-V` is
# verbose in some tools, then the other words act).
_LONE_READ_OPTIONS = frozenset({"-V", "--list", "--info", "--list-all"})
# `get` lists only when it names a collection of these (`kind get clusters`, `zztool
# get nodes -o wide`): no collection whose objects may hold a credential (users,
# accounts, clients, connections, sessions, contexts, certificates, secrets, configs,
# variables), and never as whole objects (`-o json|yaml`: a pod's env holds values).
_LISTED = frozenset(
    {
        "apps",
        "backends",
        "buckets",
        "clusters",
        "components",
        "consumers",
        "containers",
        "databases",
        "deployments",
        "devices",
        "disks",
        "domains",
        "images",
        "instances",
        "interfaces",
        "jobs",
        "machines",
        "members",
        "meshes",
        "namespaces",
        "networks",
        "nodes",
        "peers",
        "pipelines",
        "plugins",
        "pods",
        "pools",
        "ports",
        "projects",
        "queues",
        "regions",
        "releases",
        "replicas",
        "routes",
        "servers",
        "services",
        "streams",
        "tasks",
        "topics",
        "volumes",
        "vms",
        "workers",
        "zones",
    }
)
_WHOLE_OBJECTS = frozenset({"json", "yaml", "yml", "json-pretty", "jsonl", "ndjson"})
# A compound verb reports when one part is a read verb and every other part a noun or
# a read verb (`proxy-status`, `cluster-info`, `bucket-list`, `list-nodes`): an open
# part may be a verb that changes (`set-status`, `push-list`, `reset-stats`).
_COMPOUND_NOUNS = frozenset({"proxy", "proxies", "all", "cert", "certs", "net"})
# An absolute path outside the credential and device classes (`zztool status
# /var/backups/snap.db`); any part naming a credential store is refused too.
_PATH = lazy(r"/[A-Za-z0-9_.+@-]+(?:/[A-Za-z0-9_.+@-]+)*/?")
_PATH_CLASSES = frozenset({"system", "log", "plain"})
_CREDENTIAL_PARTS = (
    "private",
    "secret",
    "key",
    "token",
    "cred",
    "passw",
    "shadow",
    "pki",
    "vault",
    "auth",
    "..",
)
# The verbs that, by convention, destroy or overturn state (`destroy_verb`). Closed; a
# compound counts by its parts (`bucket-flush`, `delete_indices`) or whole (`poweroff`).
DESTROY_VERBS = frozenset(
    {
        "clear",
        "decommission",
        "del",
        "delete",
        "demote",
        "deprovision",
        "deregister",
        "destroy",
        "discard",
        "drop",
        "empty",
        "erase",
        "expunge",
        "failover",
        "flush",
        "forget",
        "format",
        "halt",
        "kill",
        "killall",
        "nuke",
        "obliterate",
        "poweroff",
        "powercycle",
        "powerdown",
        "promote",
        "prune",
        "purge",
        "reboot",
        "rebuild",
        "reimage",
        "reinit",
        "reinitialize",
        "remove",
        "reset",
        "restore",
        "revert",
        "revoke",
        "rm",
        "rmi",
        "rollback",
        "sanitize",
        "shred",
        "shutdown",
        "switchover",
        "takeover",
        "teardown",
        "terminate",
        "truncate",
        "undo",
        "uninstall",
        "unjoin",
        "unregister",
        "wipe",
        "zap",
        "zeroize",
    }
)
# Verbs that take what the tool runs out of service (`ray down`, `birdc down`, `zerotier-cli
# leave NET`, a node leaving its cluster: quorum, routes, the way in). Counted only as a
# whole word (`scale-down`, `--leave-running` are settings), and not after a word that
# makes them a change (`zztool scale down`, `zztool step down`: a switchover).
_OUT_OF_SERVICE = frozenset({"down", "leave"})
_SOFTENS = frozenset(
    {
        "back",
        "count",
        "drill",
        "mark",
        "page",
        "ramp",
        "scale",
        "scroll",
        "slow",
        "spin",
        "step",
        "turn",
        "wind",
    }
)
# Words that report: after one the words are what it reads (`zztool status drop-job`),
# and a compound holding one reports on what was destroyed (`purge-status`).
_REPORT_WORDS = READ_VERBS | frozenset(
    {
        "audit",
        "cat",
        "check",
        "count",
        "describe",
        "diff",
        "dry",
        "dryrun",
        "dump",
        "estimate",
        "events",
        "explain",
        "find",
        "get",
        "help",
        "history",
        "inspect",
        "log",
        "logs",
        "lookup",
        "plan",
        "preview",
        "print",
        "query",
        "read",
        "report",
        "search",
        "show",
        "summary",
        "tail",
        "test",
        "top",
        "validate",
        "verify",
        "view",
        "watch",
    }
)
# Destroy words that, as a long option, also name everyday settings (`--format`,
# `--rm` a temporary container, `--prune` stale refs, `--truncate` long lines, `--clear`
# the screen, `--halt` a job pool, `--flush` each line): not counted as options.
_FLAG_VERBS = DESTROY_VERBS - {
    "clear",
    "discard",
    "empty",
    "flush",
    "forget",
    "format",
    "halt",
    "prune",
    "rebuild",
    "revert",
    "rm",
    "rmi",
    "sanitize",
    "truncate",
    "undo",
}
# Words a destroying long option may carry beside its verb (`--force-delete`,
# `--delete-all`, `--drop-database`).
_FLAG_EXTRAS = frozenset(
    {
        "all",
        "data",
        "database",
        "databases",
        "db",
        "device",
        "devices",
        "disk",
        "disks",
        "everything",
        "existing",
        "factory",
        "force",
        "hard",
        "immediately",
        "keyslot",
        "keyslots",
        "now",
        "partition",
        "partitions",
        "permanently",
        "recursive",
        "signatures",
        "slot",
        "slots",
        "tables",
        "volumes",
    }
)
# `--format` is a setting (an output format) unless it is given no value, a block
# device or a filesystem's name on a line that names a block device (`zztool init
# --format /dev/sdb`, `--format=/dev/nvme1n1`, `--format ext4 /dev/sdc`): then it
# makes a filesystem there (`_formats_device`).
_FORMAT_FLAGS = frozenset({"--format", "-format"})
_FILESYSTEMS = frozenset(
    {
        "bcachefs",
        "btrfs",
        "exfat",
        "ext2",
        "ext3",
        "ext4",
        "f2fs",
        "fat",
        "fat32",
        "jfs",
        "ntfs",
        "swap",
        "vfat",
        "xfs",
        "zfs",
    }
)
# The confirmations tools demand only before they destroy (Ceph's `--yes-i-really-mean-it`,
# kolla's `--yes-i-really-really-mean-it`, `--i-know-what-i-am-doing`, a database's
# `--accept-data-loss`): the flag says what the command does, whatever its verb.
_CONFIRMS_DESTRUCTION = lazy(
    r"--(?:yes-)?(?:i-)?(?:really-)+mean-it|--i-know-what-i-?a?m-doing|--i-am-sure"
    r"|--(?:accept|allow)-data-loss|--(?:yes-)?destroy-(?:all-)?data"
)
# Options that make the run a rehearsal, as written (no abbreviation: an unknown tool
# may not know GNU's).
_DRY_RUN = frozenset({"dry-run", "dryrun", "noop", "no-op", "simulate", "what-if", "whatif"})
_OFF_VALUES = frozenset({"false", "0", "no", "off", "none"})
# A forced stop with no grace period (`_hard_kill`): kubectl's `--force --grace-period=0`
# spelled by the tools that copy it (virtctl, Nomad, the cloud CLIs).
_FORCE = frozenset({"--force", "-force"})
_GRACE = lazy(r"--?grace(?:[-_]?(?:period|time))?")
_NO_TIME = frozenset({"0", "0s"})
# A word that may be a verb: letters and digits, parts joined by `-`, `_` or `:`, or one
# `.` between two words of letters (Go tools' `NOUN.VERB`: `govc vm.destroy`; a host
# name has more dots or digits, a file name its extension after the one dot). Paths,
# addresses, images and `KEY=VALUE` are operands.
_VERB_WORD = lazy(r"[A-Za-z][A-Za-z0-9]*(?:[-_:][A-Za-z0-9]+)*|[A-Za-z]+\.[A-Za-z]+")
_PART_SEPARATORS = lazy(r"[-_:.]")
_CAMEL = lazy(r"(?<=[a-z0-9])(?=[A-Z])")
# Nouns a tool may put before its verb (`nats stream ls`, `calicoctl node status`).
# Closed: an open "not a verb" test would pass `zztool purge status` or `pip install
# list`; and no noun that is also a verb acting on its operand (`backup`, `snapshot`,
# `process`, `queue`, `image`, `port`, `peer`, `group`, `host`: `zztool backup list` may
# back up a thing named list), nor one naming secrets (`secret`, `key`, `token`).
NOUNS = frozenset(
    {
        "account",
        "accounts",
        "agent",
        "agents",
        "app",
        "apps",
        "backend",
        "backends",
        "bucket",
        "buckets",
        "certificate",
        "certificates",
        "certs",
        "channel",
        "channels",
        "client",
        "clients",
        "cluster",
        "clusters",
        "component",
        "components",
        "compute",
        "connection",
        "connections",
        "consumer",
        "consumers",
        "container",
        "containers",
        "context",
        "contexts",
        "daemon",
        "database",
        "databases",
        "datacenter",
        "datacenters",
        "dataplane",
        "dataplanes",
        "db",
        "dbs",
        "deployment",
        "deployments",
        "device",
        "devices",
        "disk",
        "disks",
        "domain",
        "domains",
        "endpoint",
        "endpoints",
        "function",
        "functions",
        "groups",
        "hosts",
        "images",
        "instance",
        "instances",
        "interfaces",
        "job",
        "jobs",
        "k8s",
        "kube",
        "kubernetes",
        "machine",
        "machines",
        "mesh",
        "meshes",
        "member",
        "members",
        "namespace",
        "namespaces",
        "network",
        "networks",
        "node",
        "nodes",
        "object",
        "objects",
        "peers",
        "pipeline",
        "pipelines",
        "plugin",
        "plugins",
        "pod",
        "pods",
        "policies",
        "policy",
        "people",
        "person",
        "pool",
        "pools",
        "ports",
        "project",
        "projects",
        "provider",
        "providers",
        "queues",
        "records",
        "region",
        "regions",
        "registries",
        "registry",
        "releases",
        "replica",
        "replicas",
        "repo",
        "repos",
        "role",
        "roles",
        "routes",
        "rule",
        "rules",
        "scope",
        "scopes",
        "server",
        "servers",
        "service",
        "services",
        "sessions",
        "site",
        "sites",
        "stack",
        "stacks",
        "storage",
        "stream",
        "streams",
        "subjects",
        "system",
        "target",
        "targets",
        "task",
        "tasks",
        "team",
        "teams",
        "tenant",
        "tenants",
        "topic",
        "topics",
        "user",
        "users",
        "vhost",
        "vhosts",
        "vm",
        "vms",
        "volume",
        "volumes",
        "worker",
        "workers",
        "workflow",
        "workflows",
        "workspace",
        "workspaces",
        "zone",
        "zones",
    }
)
# An open first noun (`stackit ske cluster list`, `zztool tracingpolicy list`): lowercase
# letters and digits, two parts at most. What may follow it is narrower than after a
# closed noun: the listings and reports of a collection, not `version` (`zztool bump
# version`), `ping`, `whoami`, `current`, `history` or a describing verb.
_OPEN_NOUN = lazy(r"[a-z][a-z0-9]{1,23}(?:-[a-z][a-z0-9]{1,23})?")
_AFTER_OPEN = frozenset(
    {
        "list",
        "ls",
        "status",
        "info",
        "ps",
        "stats",
        "health",
        "members",
        "logs",
        "events",
    }
)
# Endings of English verbs (`finalize`, `notarise`, `verify`, `activate`): such a first
# word acts on the words after it. The nouns spelled so (`certificate`) are closed ones.
_VERB_ENDINGS = ("ize", "ise", "ify", "ate")
# Short act verbs tools glue to their object (`setconfig`, `getsid`, `genkey`,
# `addmembers`), and credential stems (`setclientpassword`): see `_glued_verb`.
_GLUED_PREFIXES = ("set", "get", "gen", "add")
_CREDENTIAL_STEMS = ("passw", "secret", "token", "cred")
# Verbs that act on their operand, as CLI subcommands spell them: an open first noun is
# never one (`zztool install list` installs a package named list, `zztool bounce status`
# restarts a service named status; the nouns kept out of `NOUNS` for being verbs too,
# `backup`, `process`, `image`, `group`...). Closed, as every list here: a verb missing from it
# makes a change run unasked, so it is long; the destroy and danger lists are checked too.
# The thirteenth pass added the verbs an open noun directly before `list` would have let
# through (`zztool silence list`, `ack`, `snooze`, `panic`, `ingest`, `thaw`...).
_ACT_VERBS = frozenset(
    {
        "abort",
        "accept",
        "ack",
        "acquire",
        "activate",
        "add",
        "adopt",
        "allocate",
        "allow",
        "amend",
        "annotate",
        "append",
        "apply",
        "approve",
        "archive",
        "arm",
        "assign",
        "attach",
        "authorize",
        "backfill",
        "backup",
        "ban",
        "bind",
        "block",
        "boot",
        "bootstrap",
        "bounce",
        "branch",
        "bring",
        "build",
        "bump",
        "burn",
        "call",
        "cancel",
        "capture",
        "catchup",
        "cd",
        "chmod",
        "chown",
        "claim",
        "clean",
        "cleanup",
        "clobber",
        "clone",
        "close",
        "collect",
        "commit",
        "compact",
        "compile",
        "complete",
        "compose",
        "configure",
        "connect",
        "consume",
        "converge",
        "convert",
        "copy",
        "cordon",
        "cp",
        "crash",
        "crawl",
        "create",
        "cut",
        "cutover",
        "cycle",
        "deactivate",
        "decode",
        "decom",
        "decrypt",
        "defrag",
        "defragment",
        "deinit",
        "delegate",
        "deny",
        "deploy",
        "detach",
        "disable",
        "disarm",
        "disconnect",
        "dispatch",
        "do",
        "down",
        "downgrade",
        "download",
        "drain",
        "dup",
        "duplicate",
        "edit",
        "eject",
        "elect",
        "emit",
        "enable",
        "encode",
        "encrypt",
        "enforce",
        "enroll",
        "enter",
        "evacuate",
        "evict",
        "exec",
        "execute",
        "exit",
        "expand",
        "expire",
        "export",
        "extend",
        "fail",
        "failback",
        "fence",
        "fetch",
        "fire",
        "fix",
        "flip",
        "follow",
        "fork",
        "freeze",
        "gc",
        "gen",
        "generate",
        "give",
        "go",
        "grant",
        "group",
        "grow",
        "handoff",
        "harden",
        "heal",
        "hibernate",
        "hijack",
        "hold",
        "host",
        "image",
        "import",
        "ingest",
        "init",
        "initialize",
        "inject",
        "install",
        "intercept",
        "invalidate",
        "invite",
        "invoke",
        "isolate",
        "issue",
        "join",
        "kexec",
        "kick",
        "kickstart",
        "label",
        "launch",
        "leave",
        "link",
        "load",
        "lock",
        "login",
        "logout",
        "make",
        "mark",
        "merge",
        "migrate",
        "mirror",
        "mkdir",
        "mount",
        "move",
        "mute",
        "mv",
        "new",
        "notify",
        "offboard",
        "offline",
        "offload",
        "onboard",
        "online",
        "open",
        "optimize",
        "override",
        "overwrite",
        "pack",
        "page",
        "panic",
        "patch",
        "pause",
        "peer",
        "pin",
        "play",
        "poke",
        "port",
        "post",
        "power",
        "preempt",
        "prepare",
        "press",
        "process",
        "provision",
        "publish",
        "pull",
        "push",
        "put",
        "queue",
        "quiesce",
        "quit",
        "reap",
        "rebalance",
        "rebase",
        "reboot",
        "reclaim",
        "reconcile",
        "recover",
        "recreate",
        "recycle",
        "redeem",
        "redeploy",
        "redo",
        "refresh",
        "register",
        "reindex",
        "reject",
        "rejoin",
        "rekey",
        "release",
        "reload",
        "relocate",
        "rename",
        "renew",
        "reorder",
        "repair",
        "repave",
        "replace",
        "replay",
        "replicate",
        "request",
        "rerun",
        "rescan",
        "rescue",
        "reseed",
        "resend",
        "resign",
        "resize",
        "resolve",
        "restart",
        "resume",
        "resync",
        "retire",
        "retry",
        "rewrite",
        "rollforward",
        "rollout",
        "rotate",
        "route",
        "run",
        "runas",
        "save",
        "scale",
        "scaledown",
        "scaleup",
        "schedule",
        "scrap",
        "scrub",
        "seal",
        "seed",
        "seek",
        "send",
        "serve",
        "set",
        "setup",
        "share",
        "shell",
        "shrink",
        "sign",
        "silence",
        "skip",
        "sleep",
        "snapshot",
        "snooze",
        "spawn",
        "spin",
        "spindown",
        "spinup",
        "split",
        "ssh",
        "stage",
        "start",
        "stonith",
        "stop",
        "submit",
        "suspend",
        "swap",
        "sweep",
        "switch",
        "switchback",
        "sync",
        "tag",
        "taint",
        "thaw",
        "toggle",
        "touch",
        "transfer",
        "trigger",
        "trim",
        "trust",
        "tune",
        "unban",
        "unbind",
        "unblock",
        "uncordon",
        "undeploy",
        "unfreeze",
        "uninit",
        "unlink",
        "unload",
        "unlock",
        "unmount",
        "unmute",
        "unpause",
        "unpin",
        "unseal",
        "unset",
        "unstage",
        "unsuspend",
        "untag",
        "up",
        "update",
        "upgrade",
        "upload",
        "upsert",
        "use",
        "vacuum",
        "wake",
        "warmup",
        "write",
    }
)
# `show`, `describe`, `inspect` print secrets in many tools (`pass show`, a client's or a
# user's description, a config, a database cluster's connection string, a cloud
# server's initial root password: `vultr-cli instance get`); they only read after nouns
# of this list, or first before one (`zztool describe cluster prod`), whose descriptions
# hold no credential, and never as whole objects (`-o yaml`). Not after an open noun
# (`zztool postgres cluster show` may print a URI with its password), nor instance,
# server, vm, machine, bucket, domain (a registrar's transfer code), job, pod,
# container, function (their env), database, user, client.
_DESCRIBE_VERBS = frozenset({"show", "describe", "inspect"})
_DESCRIBED = frozenset(
    {
        "cluster",
        "clusters",
        "datacenter",
        "datacenters",
        "disk",
        "disks",
        "kubernetes",
        "k8s",
        "mesh",
        "meshes",
        "namespace",
        "namespaces",
        "network",
        "networks",
        "node",
        "nodes",
        "pool",
        "pools",
        "queues",
        "region",
        "regions",
        "routes",
        "service",
        "services",
        "stream",
        "streams",
        "topic",
        "topics",
        "volume",
        "volumes",
        "zone",
        "zones",
    }
)
# Option names holding one of these words (as a whole part between `-`) do something a
# read does not: act (`--set`, `--enable`, `--restart`, `--sync`), write, run code,
# reveal a secret (`--dsn`, `--connection-string`, `--no-mask`, `--otp`: a connection
# string holds its password), print what a debug mode prints (headers with their tokens), or send
# the tool's stored credential to another server (`--server`, `--address`, `--url`: a
# token the tool holds would go where the agent says; only a host of the fleet may be
# named, `_locates`). The thirteenth pass added what loads or runs code the line does not
# show (`--plugin`, `--module`, `--preload`, `--callback`, `--on-error`, `--webhook`),
# and what a database runs (`--query`, `--sql`, `--statement`, `--expr`); review13 what
# sends the report elsewhere (`--report-to HOST`, `--notify`, `--submit`, `--share`,
# `--email`, `--publish`, `--forward`).
_DANGER_PARTS = frozenset(
    {
        "action",
        "actions",
        "add",
        "addr",
        "address",
        "api",
        "apply",
        "approve",
        "auto",
        "beacon",
        "bearer",
        "callback",
        "change",
        "cmd",
        "code",
        "command",
        "config",
        "confirm",
        "conn",
        "connect",
        "connection",
        "connstr",
        "create",
        "cred",
        "creds",
        "debug",
        "del",
        "delete",
        "destroy",
        "dir",
        "disable",
        "drop",
        "dsn",
        "dump",
        "edit",
        "editor",
        "email",
        "enable",
        "endpoint",
        "entrypoint",
        "eval",
        "exec",
        "execute",
        "export",
        "expr",
        "expression",
        "extension",
        "extensions",
        "file",
        "fix",
        "force",
        "forward",
        "handler",
        "hmac",
        "hook",
        "host",
        "import",
        "init",
        "insecure",
        "install",
        "interpreter",
        "jdbc",
        "jwt",
        "key",
        "keys",
        "kill",
        "launcher",
        "lib",
        "library",
        "load",
        "log",
        "mail",
        "mask",
        "migrate",
        "mnemonic",
        "modify",
        "module",
        "modules",
        "notify",
        "on",
        "otp",
        "out",
        "output",
        "pager",
        "pass",
        "passphrase",
        "path",
        "plain",
        "plaintext",
        "plugin",
        "plugins",
        "preload",
        "proxy",
        "prune",
        "psk",
        "publish",
        "purge",
        "push",
        "query",
        "raw",
        "relay",
        "reload",
        "remote",
        "remove",
        "repair",
        "require",
        "reset",
        "restart",
        "restore",
        "reveal",
        "rm",
        "rotate",
        "run",
        "runner",
        "sas",
        "save",
        "script",
        "secret",
        "secrets",
        "send",
        "server",
        "set",
        "sh",
        "share",
        "shell",
        "ship",
        "show",
        "signal",
        "sink",
        "smtp",
        "sock",
        "socket",
        "sql",
        "start",
        "statement",
        "stmt",
        "stop",
        "submit",
        "sync",
        "target",
        "telemetry",
        "to",
        "token",
        "tokens",
        "totp",
        "trace",
        "truncate",
        "unmask",
        "unmasked",
        "unsafe",
        "unset",
        "update",
        "upgrade",
        "upload",
        "upstream",
        "uri",
        "url",
        "verbose",
        "webhook",
        "webhooks",
        "wipe",
        "wrapper",
        "write",
        "y",
        "yes",
    }
)
# Stems that are dangerous wherever they stand in an option name (`--outfile`,
# `--show-passwords`, `--exec-cmd`, `--nodelete`).
_DANGER_STEMS = (
    "assume",
    "clean",
    "clear",
    "credential",
    "decrypt",
    "delet",
    "destroy",
    "erase",
    "exec",
    "file",
    "kill",
    "kubeconfig",
    "outdir",
    "outfile",
    "overwrite",
    "passw",
    "private",
    "purge",
    "redact",
    "remov",
    "secret",
    "sensitive",
    "shell",
    "token",
    "upload",
    "wipe",
    "write",
)
# Short flags that list or describe in the tools that follow the convention: all, long,
# quiet, json, and -n (a namespace or a name, given a plain word: `zztool status -n
# prod`; as a flag, a dry run or no-colour). Any other letter may mean force (-f), yes
# (-y), output (-o), verbose or debug (-v, -d: some print the headers with their
# tokens), host (-H), insecure (-k), execute (-x, -e, -c), delete (-d) or key (-k).
_SHORT_FLAGS = frozenset("aAlqjn")
# Go's flag package spells long options with one dash (`boundary targets list -scope-id
# ID`, `-recursive`). A getopt tool reads the same word as a cluster of letters, the
# first taking the rest as its value (`-scope-id`: `-s -c ope-id`, `-xupdate-grub`
# would run `update-grub`), so only words of this closed list make one: what a letter
# could take from them names no program, and no path.
_GO_FLAG = lazy(r"-[a-z]+(?:-[a-z]+)*")
_GO_FLAG_WORDS = frozenset(
    {
        "all",
        "detailed",
        "id",
        "ids",
        "json",
        "label",
        "labels",
        "limit",
        "name",
        "names",
        "namespace",
        "page",
        "project",
        "recursive",
        "region",
        "scope",
        "size",
        "sort",
        "state",
        "status",
        "type",
        "wide",
        "zone",
    }
)
# Options that name an output format, and the formats they may name.
_FORMAT_OPTIONS = frozenset(
    {"-o", "--output", "--format", "--out", "-format", "-output", "--output-format"}
)
_FORMATS = frozenset(
    {
        "json",
        "yaml",
        "yml",
        "table",
        "wide",
        "text",
        "txt",
        "csv",
        "tsv",
        "name",
        "short",
        "json-pretty",
        "jsonl",
        "ndjson",
    }
)
_PLAIN = lazy(r"[A-Za-z0-9_][A-Za-z0-9._:@-]*")
# A long option's value that selects (`_filter`), and the option names whose value may
# be `KEY=VALUE` (`--filter state=ALIVE`, `--selector app=api`, `--label-selector`).
_FILTER = lazy(r"[A-Za-z0-9_][A-Za-z0-9_.,:=!<>-]*")
_FILTER_PARTS = frozenset({"filter", "filters", "selector", "label", "labels", "match", "where"})
# A name in parts below the working folder or in a tool's namespace (`public/ingest`),
# and a folder of the root it may not start with besides `fspaths.TOP_DIRS` (`tmp/x`).
_TEMP_DIRS = frozenset({"/tmp"})
_RELATIVE = lazy(
    r"[A-Za-z0-9_][A-Za-z0-9_@+-]*(?:\.[A-Za-z0-9_@+-]+)*(?:/[A-Za-z0-9_][A-Za-z0-9_@+-]*(?:\.[A-Za-z0-9_@+-]+)*)+/?"
)
# Long options that name the tool's own server (`_locates`): their value must be a host
# of the fleet (`_in_the_fleet`). Never where output, a hook or a proxy goes
# (`--webhook-url`, `--proxy`, `--callback-url`, `--upload-url`), nor a listener
# (`--bind-address`, `--listen-address`): those name parts are not here.
_LOCATION_PARTS = frozenset(
    {
        "addr",
        "address",
        "api",
        "bootstrap",
        "broker",
        "brokers",
        "cluster",
        "controller",
        "coordinator",
        "endpoint",
        "endpoints",
        "head",
        "host",
        "hostname",
        "master",
        "server",
        "servers",
        "url",
    }
)
# Verbs that print part of the file they are given (`_inspects_a_file`).
_INSPECTS = frozenset(
    {"cat", "head", "header", "headers", "meta", "metadata", "read", "rowcount", "schema", "tail"}
)
# Extensions of what a tool may run rather than read: never an inspected data file (review13
# added the other scripts, SQL dialects, modules and self-running installers: `.mjs`, `.pm`,
# `.cql`, `.ddl`, `.run`, `.ko`).
_RUNNABLE_EXTENSIONS = frozenset(
    {
        "awk",
        "bash",
        "bat",
        "cgi",
        "cjs",
        "class",
        "clj",
        "cmd",
        "cql",
        "csh",
        "ddl",
        "dll",
        "dml",
        "el",
        "erl",
        "ex",
        "exe",
        "exs",
        "fish",
        "go",
        "groovy",
        "hql",
        "jar",
        "js",
        "ko",
        "ksh",
        "kts",
        "lua",
        "mjs",
        "pgsql",
        "phar",
        "php",
        "pl",
        "plsql",
        "pm",
        "ps1",
        "psm1",
        "psql",
        "py",
        "pyc",
        "r",
        "rb",
        "run",
        "scala",
        "sh",
        "so",
        "sql",
        "tcl",
        "ts",
        "vbs",
        "war",
        "wasm",
        "zsh",
    }
)
# A tool named as a reader (`_reader_shape`), and the short letters it may be given
# besides `_SHORT_FLAGS`: details, input, machine-readable, a pid or port, summary,
# type, units, recursive, list. Not o, w (an output file), e, c, x (a command), y, f.
_READER_NAME = lazy(r"([a-z]{2,16}?)(info|stats?)")
# Stems of a reader's name that hold credentials by another word than `_CREDENTIAL_PARTS`
# (review13): a wireless network's passphrase, a session or cookie, a one-time or
# Kerberos secret, a login, the environment (`wifiinfo`, `cookieinfo`); `pw`, `pwd`
# only whole (`pwinfo`; `pwrstat` reads a UPS).
_SECRET_HOLDERS = (
    "cookie",
    "env",
    "jwt",
    "kerberos",
    "keytab",
    "krb",
    "login",
    "oauth",
    "otp",
    "psk",
    "saml",
    "sasl",
    "session",
    "sso",
    "wallet",
    "wifi",
    "wlan",
    "wpa",
)
_READER_LETTERS = _SHORT_FLAGS | frozenset("dimpstuLr")
# The archive formats an `un*` extractor is named for (`_extractor`). Not `shar`: a shell
# archive is unpacked by running it (review13: `unshar` has no listing).
_ARCHIVES = frozenset(
    {
        "ace",
        "arj",
        "cab",
        "cpio",
        "lha",
        "lzh",
        "lzma",
        "lz4",
        "rar",
        "squashfs",
        "xz",
        "zstd",
        "7z",
        "zip",
    }
)
# A plural word (`_plural_noun`): not `status`, `analysis`, `class`.
_PLURAL_SHAPE = lazy(r"[a-z][a-z0-9]{1,22}[a-hj-rtv-z0-9]s")
# A network address (`host:443`, `ops@db.example`, `10.0.0.7`): a tool may send its stored
# credential there.
_ADDRESS = lazy(r":\d+$|@.*\.|^\d+\.\d+\.\d+\.\d+")
_NAME = lazy(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
_LONG = lazy(r"--([a-z0-9][a-z0-9-]*)")
# Wrappers that run the command as it is, with its own arguments, in its own environment.
_PASS_THROUGH = frozenset(
    {
        "sudo",
        "doas",
        "nice",
        "ionice",
        "timeout",
        "time",
        "nohup",
        "command",
        "exec",
        "stdbuf",
    }
)
# Builtins that change what a command name runs, or set a variable (PATH) without `=`.
_NAME_CHANGERS = frozenset(
    {
        "alias",
        "builtin",
        "declare",
        "enable",
        "export",
        "getopts",
        "hash",
        "local",
        "mapfile",
        "printf",
        "read",
        "readarray",
        "readonly",
        "set",
        "shopt",
        "source",
        ".",
        "eval",
        "typeset",
        "unalias",
        "unset",
    }
)
# Shell builtins and keywords: not tools, whatever their first argument says.
_BUILTINS = _NAME_CHANGERS | frozenset(
    {
        "bg",
        "bind",
        "break",
        "caller",
        "cd",
        "command",
        "compgen",
        "complete",
        "compopt",
        "continue",
        "dirs",
        "disown",
        "exec",
        "exit",
        "fc",
        "fg",
        "help",
        "history",
        "jobs",
        "kill",
        "let",
        "logout",
        "popd",
        "pushd",
        "return",
        "shift",
        "suspend",
        "test",
        "times",
        "trap",
        "type",
        "ulimit",
        "umask",
        "wait",
    }
)


def read_verb(cmd: Cmd, an: Analysis, known: Callable[[str], bool]) -> Hit | None:
    """The finding for an unknown tool called with a conventional read verb, or None
    when any condition fails (the caller then answers `unknown.command`). `cmd` must
    be a tool the engine knows nothing of: the caller checks that, and gives `known`,
    which says whether the engine knows a program by that name (an open first noun
    must not be one: `zzwrap userdel status` may run `userdel`)."""
    verb = _verb(cmd, known) or _named_reader(cmd, known)
    # a payload (depth > 0): what its caller's line set (PATH) is not seen here
    if verb is None or not runs_as_named(cmd, an):
        return None
    return Hit(
        RULE,
        "info",
        f"{cmd.name}: an unknown tool: `{verb}` is read-only by convention "
        "(denied under read_only)",
        cmd.span,
    )


def runs_as_named(cmd: Cmd, an: Analysis) -> bool:
    """The command runs the program its bare name names, as written, with nothing given
    on its input: what a form an operator taught as a read (`rules teach`) needs, as the
    read-verb convention does. `./tool`, `PATH=/tmp tool`, a function or alias of that
    name, `xargs tool`, `bash -c 'tool'`, `echo purge | tool` may run other code or
    other commands than the form the operator saw."""
    return (
        an.depth == 0
        and _bare(cmd)
        and _passed_through(cmd)
        and _line_keeps_names(an)
        and not _fed(cmd)
    )


def _named_reader(cmd: Cmd, known: Callable[[str], bool]) -> str | None:
    """The shape of a tool's name that says it prints (`mtdinfo -a`, `isoinfo -d -i
    FILE`, `tegrastats --interval 1000`), or that of an extractor asked for its
    listing (`unsquashfs -l FILE`, `innoextract -l FILE`), when every word keeps it a
    read (`_READER_LETTERS`: the letters that pick an output file, a command, a yes or
    a force stay out). None otherwise."""
    args = _plain_args(cmd)
    if args is None:
        return None
    shape = _reader_shape(cmd.name, known)
    letters = _READER_LETTERS
    if shape is None:
        if not _extractor(cmd.name, known) or not {"-l", "--list"} & set(args):
            return None
        if not any(_plain_path(a) and "." in a.rsplit("/", 1)[-1] for a in args):
            return None  # a listing never runs what it lists: `setup.exe` is data here
        shape, letters = f"{cmd.name} -l", _SHORT_FLAGS
    if any(a in _FORMAT_OPTIONS for a in args):
        return None  # `mtdinfo -o FILE`: a reader's `-o` may name a file, not a format
    return shape if _read_options(args, objects=False, letters=letters) else None


def _reader_shape(name: str, known: Callable[[str], bool]) -> str | None:
    """`*info` or `*stat`/`*stats` after a stem that may be a kind of thing (`mtd`,
    `gpio`, `zram`, `tegra`: `_open_noun`, three letters or more before `stat`, not a
    verb prefix: `restat`), naming no credential store (`tokeninfo`, `vaultinfo`).
    Not `makeinfo` (a verb), `texi2info` (a converter), `install-info` (it edits)."""
    match = _READER_NAME.fullmatch(name)
    if match is None:
        return None
    stem, ending = match.group(1), match.group(2)
    if ending.startswith("stat") and (len(stem) < 3 or stem.startswith(_VERB_PREFIXES)):
        return None
    if _names_a_vault(name) or not _open_noun(stem, known):
        return None
    if stem in ("pw", "pwd") or stem.startswith(_SECRET_HOLDERS) or stem.endswith(_SECRET_HOLDERS):
        return None  # `wifiinfo`, `cookieinfo`, `sessioninfo`: what it shows is a credential
    return f"*{ending}"


def _extractor(name: str, known: Callable[[str], bool]) -> bool:
    """An archive extractor's name: `un` and an archive format (`unsquashfs`, `unlzma`),
    or a kind of thing and `extract` (`innoextract`, `msiextract`): `-l` lists."""
    if name.startswith("un") and name[2:] in _ARCHIVES:
        return True
    stem = name.removesuffix("extract")
    return stem != name and _open_noun(stem, known)


def _bare(cmd: Cmd) -> bool:
    """The command word is a plain name as written, that no shell builtin owns."""
    word = cmd.word
    return (
        word.raw == word.text == cmd.name
        and _NAME.fullmatch(word.text) is not None
        and word.text not in _BUILTINS
        and not cmd.simple.assigns
    )


def _passed_through(cmd: Cmd) -> bool:
    """Reached directly or through wrappers that only run it as it is (`sudo -u pg`,
    `timeout 5`, `nice`): not one that adds arguments (`xargs -a FILE`, `parallel`),
    runs another binary (`chroot DIR`, `nsenter`, `busybox`) or another environment."""
    from aiperm_tui.policy.analysis import wrapper_names  # it imports this module

    others = (wrapper_names() - _PASS_THROUGH) | {"find", "parallel"}
    for word in cmd.simple.words:
        if word.start >= cmd.word.start:
            break
        text = word.text
        if word.raw != text or not (text.startswith("-") or _PLAIN.fullmatch(text)):
            return False
        if text in others:
            return False
    return True


def _line_keeps_names(an: Analysis) -> bool:
    """Nothing on the line may change which program a bare name runs: no assignment
    (PATH), no loop variable, no function, no alias or name-changing builtin run by the
    shell (as the command word or behind what runs a builtin: `command hash -p ...`)."""
    parsed = an.parsed
    if parsed is None or an.values or an.lists or an.functions or parsed.functions:
        return False
    if "PATH" in an.src:
        return False
    return not any(s.assigns or _changes_names([w.text for w in s.words]) for s in parsed.simples)


# What runs its argument as a builtin of the same shell. Behind anything else a builtin's
# name is an argument (`jq .`, `grep source`) or a program of its own, in its own process
# (`sudo hash`, `env alias`: the shell's names are untouched).
_RUNS_BUILTINS = frozenset({"command", "builtin", "eval", "exec", "time"})


def _changes_names(words: list[str]) -> bool:
    """Does this simple command run a builtin that changes what a name runs?"""
    for i, text in enumerate(words):
        name = text.rsplit("/", 1)[-1]
        if name in _NAME_CHANGERS:
            return True
        if name not in _RUNS_BUILTINS and not (i and text.startswith("-")):
            return False
    return False


def _fed(cmd: Cmd) -> bool:
    """Something is given to the command's input: a pipe, `<`, a here-doc or string."""
    simple = cmd.simple
    return (
        simple.upstream is not None
        or simple.heredoc is not None
        or any(r.op.startswith("<") or r.op == "<>" for r in simple.redirects)
    )


def _verb(cmd: Cmd, known: Callable[[str], bool]) -> str | None:
    """The read verb, when it stands first (or after nouns: closed ones, or an open
    first one) and every word after it is a plain identifier, a harmless flag, a
    format choice, a server in the fleet or a quoted filter, and names no verb."""
    args = _plain_args(cmd)
    if not args:
        return None
    if len(args) == 1 and args[0] in _LONE_READ_OPTIONS:
        return args[0]
    at, opened = _nouns_before(args, known)
    verb = args[at]
    if opened:
        if not _after_open_noun(verb):
            return None
        objects = False
    else:
        named = args[at + 1] if at + 1 < len(args) else ""
        listing = verb == "get" and named in _LISTED
        describing = (
            verb in _DESCRIBE_VERBS
            and set(args[:at]) <= _DESCRIBED
            and (at > 0 or named in _DESCRIBED)  # `zztool describe cluster prod`
        )
        inspecting = at == 0 and not _names_a_vault(cmd.name) and _inspects_a_file(verb, args[1:])
        if not (listing or describing or inspecting or _read_word(verb, known)):
            return None
        at += listing
        objects = listing or describing
    return verb if _read_options(args[at + 1 :], objects=objects) else None


def _plain_args(cmd: Cmd) -> list[str] | None:
    """The arguments as written, or None when one is quoted, escaped or expanded; a
    quoted value of a long option (`--filter 'state=ALIVE'`, `--sort="name"`) is
    kept as its text when it is a plain filter (`_QUOTED_VALUE`): a quote around
    letters, digits and `=,:.!<>` hides nothing a shell would run."""
    args: list[str] = []
    for word in cmd.args:
        if word.raw != word.text and not _quoted_value(word.raw, word.text, args):
            return None
        args.append(word.text)
    return args


def _quoted_value(raw: str, text: str, before: list[str]) -> bool:
    """`raw` is a long option's value in one pair of quotes, its text a filter
    (`_filter`): the next word after `--filter`, or `--filter='...'` glued."""
    name, eq, value = text.partition("=")
    if eq and raw.startswith(name + "="):
        raw, text = raw[len(name) + 1 :], value
    elif before and _takes_a_value(before[-1]):
        name = before[-1]
    else:
        return False
    return len(raw) == len(text) + 2 and raw[0] == raw[-1] in "'\"" and _filter(name, text)


def _takes_a_value(word: str) -> bool:
    """A long option written alone, that the next word may be the value of."""
    return len(word) > 2 and word.startswith("--") and "=" not in word


def _read_options(
    rest: list[str], *, objects: bool, letters: frozenset[str] = _SHORT_FLAGS
) -> bool:
    """Every word after the verb keeps the command a read: a format choice (never
    whole objects where `objects`), a server option naming a host of the fleet
    (`_locates`), a filter given to a long option (`--filter 'state=ALIVE'`), a
    harmless word or flag (short ones of `letters`), and no word that names a verb
    (`rauc status mark-bad other` marks a slot: a read verb's operand is no verb)."""
    formats = _FORMATS - _WHOLE_OBJECTS if objects else _FORMATS
    i = 0
    while i < len(rest):
        word = rest[i]
        if word in _FORMAT_OPTIONS:
            if i + 1 >= len(rest) or rest[i + 1] not in formats:
                return False
            i += 2
            continue
        if _locates(word):
            _, eq, value = word.partition("=")
            if not eq:
                i += 1
                value = rest[i] if i < len(rest) else ""
            if not _in_the_fleet(value) or _acts(value):
                return False  # `--host restart`: a flag's next word may be the verb
            i += 1
            continue
        if objects and _whole_objects(word):
            return False
        given = i > 0 and _takes_a_value(rest[i - 1]) and _filter(rest[i - 1], word)
        if not (given or _harmless(word, letters)) or _acts(word):
            return False
        i += 1
    return True


def _whole_objects(word: str) -> bool:
    """An option asking for whole objects: `--output=yaml`, `--json`, `-j`, `-aj`."""
    name, _, value = word.partition("=")
    if value in _WHOLE_OBJECTS or name.lstrip("-") in _WHOLE_OBJECTS:
        return True
    return name.startswith("-") and not name.startswith("--") and "j" in name


# How the verb is reached after an open first noun (`_nouns_before`): before a closed noun
# (`stackit ske cluster list`) or a plural directly before it (`zztool artifacts list`).
# Never a singular open word directly before it (review13): English verbs are an open
# set, and every one no list here names would act on the tool's list (`zztool trash
# list --all`, `blank`, `cull`, `smash`), as `zzwrap deluser list` deletes one.
_OPEN = "open"
_PLURAL = "plural"


def _nouns_before(args: list[str], known: Callable[[str], bool]) -> tuple[int, str]:
    """How many words before the verb are nouns, at most two (`nats stream ls`, `exo
    compute instance list`, `stackit ske cluster list`), and how an open first noun
    stands (`_OPEN`, `_PLURAL`; "" for none). An open noun counts before a closed one,
    or directly before the verb when it is a plural (`zztool artifacts list`): a
    singular one may be a verb no list names (`zztool trash list --all`), as `zzwrap
    deluser list` may run `deluser` on the account `list`. The others are of the
    closed list, each whole or a compound of them (`object-storage`). One word is left
    for the verb."""
    at, opened = 0, ""
    if len(args) > 2 and not _noun(args[0]) and _noun(args[1]) and _open_noun(args[0], known):
        at, opened = 1, _OPEN
    elif (
        len(args) > 1
        and not _noun(args[0])
        and not _read_word(args[0], known)
        and _plural_noun(args[0], known)
    ):
        return 1, _PLURAL
    while at < 2 and at + 1 < len(args) and _noun(args[at]):
        at += 1
    return at, opened


def _plural_noun(word: str, known: Callable[[str], bool]) -> bool:
    """An open word shaped as a plural (`artifacts`, `kernelspecs`, `schedules`): a
    tool's collection. Its singular is no act or destroy verb (`kills`, `bounces`),
    unless it is mostly a noun (`backups`, `snapshots`: `_NOUN_VERBS`), and neither
    names a program the engine knows (`zzwrap userdels list`)."""
    if _PLURAL_SHAPE.fullmatch(word) is None or known(word):
        return False
    stems = _singulars(word)
    if any(
        known(s) or s in DESTROY_VERBS or (s in _ACT_VERBS and s not in _NOUN_VERBS) for s in stems
    ):
        return False
    return bool(stems & _NOUN_VERBS) or _open_noun(word, known)


def _singulars(word: str) -> set[str]:
    """Every singular a plural may have (review13): `kills` -> `kill`, `pushes` ->
    `push` and `pushe`, `copies` -> `copy`: a verb's `-es` and `-ies` forms are its
    plural too (`zztool fixes list` fixes the list)."""
    out = {word[:-1]}
    if word.endswith("es"):
        out.add(word[:-2])
    if word.endswith("ies"):
        out.add(word[:-3] + "y")
    return out


def _open_noun(word: str, known: Callable[[str], bool]) -> bool:
    """A first word no list names that may be a kind of object (`ske`, `tracingpolicy`,
    `postgresflex`): short lowercase letters and digits (two parts at most), no part a
    verb of any list here (read, report, destroy, act, credential, a danger word of an
    option, a shell builtin) nor shaped like one (`-ize`, `-ify`, `-ate`, `-ise`), and
    not the name of a program the engine knows (an unknown wrapper would run it)."""
    if _OPEN_NOUN.fullmatch(word) is None or known(word):
        return False
    return not any(
        p in _ACT_VERBS
        or p in _REPORT_WORDS
        or p in DESTROY_VERBS
        or p in _DANGER_PARTS
        or p in _CREDENTIAL_WORDS
        or p in _BUILTINS
        or p.endswith(_VERB_ENDINGS)
        or _glued_verb(p)
        or _verb_in_disguise(p)
        for p in word.split("-")
    )


# What a verb is glued to in one word (`wipeall`, `rmrf`, `stopnode`, `dropdb`), and the
# prefixes that make a verb again (`reinstall`, `unregister`, `autofix`, `selfheal`).
_GLUED_OBJECTS = frozenset({"all", "rf", "fr", "db", "dbs", "fs", "now", "everything", "force"})
_VERB_PREFIXES = (
    "re",
    "un",
    "de",
    "dis",
    "auto",
    "self",
    "hot",
    "force",
    "mass",
    "bulk",
)


def _verb_in_disguise(part: str) -> bool:
    """A verb written together with its object, a prefix or a suffix, in the shapes
    `_glued_verb` leaves (review12): a destroying verb
    anywhere in the word (`resetall`, `dropdb`, `wipecluster`: four letters or more, so
    `model` is no `del`), any listed verb before `all`, a short object or a noun
    (`rmrf`, `gcall`, `startnode`), or after a prefix that makes a verb of a verb
    (`reinstall`, `unregister`, `autofix`). The list of verbs is closed; these shapes
    keep a verb it lacks the form of from passing as a noun."""
    if any(len(v) >= 4 and v in part for v in DESTROY_VERBS):
        return True
    verbs = _ACT_VERBS | DESTROY_VERBS
    for at in range(2, len(part) - 1):
        head, tail = part[:at], part[at:]
        if head in verbs and (tail in _GLUED_OBJECTS or tail in NOUNS):
            return True
        if head in _VERB_PREFIXES and (tail in verbs or _verb_in_disguise(tail)):
            return True
    return False


# Act verbs that CLIs far more often use as the noun of a collection (`zli image list`,
# `TOOL snapshot ls`, `TOOL backup list`): a read form's wildcard may name them.
_NOUN_VERBS = frozenset(
    {
        "archive",
        "backup",
        "branch",
        "build",
        "commit",
        "group",
        "host",
        "image",
        "issue",
        "label",
        "link",
        "lock",
        "mirror",
        "mount",
        "page",
        "patch",
        "peer",
        "port",
        "process",
        "queue",
        "release",
        "request",
        "route",
        "schedule",
        "share",
        "snapshot",
        "stage",
        "tag",
        "transfer",
        "trigger",
        "update",
        "upgrade",
    }
)


def names_a_verb(word: str) -> bool:
    """A word that acts rather than names: a destroy verb, an act verb that is not
    mostly a collection's noun (`_NOUN_VERBS`), whole or as a part of a compound
    (`hard-reset`), or a verb in disguise (`resetall`). A pack's read form matches `*`
    only against a word that is not one (`civo instance reboot show` reboots the
    instance `show`; `civo instance web1 show` shows `web1`)."""
    parts = [p for p in word.lower().replace("_", "-").split("-") if p]
    return any(
        p in DESTROY_VERBS or (p in _ACT_VERBS and p not in _NOUN_VERBS) or _verb_in_disguise(p)
        for p in parts
    )


def _glued_verb(part: str) -> bool:
    """A verb written glued to its object, as many tools spell subcommands (`flushall`,
    `deletekeyspace`, `rmpool`, `setconfig`, `restartall`): a part that starts or ends
    with a destroy verb, or an act verb of five letters or more, starts with a short one
    glued so (`set`, `get`, `gen`, `add`), or holds a credential's stem (`getpassword`).
    Costs a few nouns (`delivery`, `formation`, `settings`): they stay unknown."""
    return (
        part.startswith(_GLUED_PREFIXES)
        or any(c in part for c in _CREDENTIAL_STEMS)
        or any(part.startswith(v) or part.endswith(v) for v in DESTROY_VERBS)
        or any(part.startswith(v) or part.endswith(v) for v in _ACT_VERBS if len(v) >= 5)
    )


def _after_open_noun(verb: str) -> bool:
    """After an open noun only the listings and reports of a collection
    (`_AFTER_OPEN`), whole or as a compound with nouns (`list-nodes`)."""
    parts = verb.replace("_", "-").split("-")
    return any(p in _AFTER_OPEN for p in parts) and all(
        p in _AFTER_OPEN or p in NOUNS or p in _COMPOUND_NOUNS for p in parts
    )


def _noun(word: str) -> bool:
    """A noun of the closed list, or a compound every part of which is one."""
    return word in NOUNS or all(p in NOUNS for p in word.split("-"))


def _read_word(word: str, known: Callable[[str], bool]) -> bool:
    """A read verb, or a compound of one with nouns (`proxy-status`, `bucket-list`) or
    open plurals (`list-backups`: `_plural_noun`, never a verb's form: `set-status`)."""
    if word in READ_VERBS:
        return True
    parts = word.replace("_", "-").split("-")
    return (
        len(parts) > 1
        and any(p in READ_VERBS for p in parts)
        and all(
            p in READ_VERBS or p in NOUNS or p in _COMPOUND_NOUNS or _plural_noun(p, known)
            for p in parts
        )
    )


def _inspects_a_file(verb: str, rest: list[str]) -> bool:
    """`parquet-tools schema FILE`, `zztool head -n 5 FILE`: a verb that prints a part
    of a file (`_INSPECTS`), given a data file by its absolute path (`_data_file`),
    every other operand an option or a count (review13): a word or a relative name
    beside it is a file too, read from where the shell stands (`zztool cat
    /srv/a.csv shadow` after `cd /etc`)."""
    return (
        verb in _INSPECTS
        and any(_data_file(w) for w in rest)
        and all(w.startswith("-") or w.isdigit() or _data_file(w) for w in rest)
    )


def _names_a_vault(name: str) -> bool:
    """A tool named after a credential store or a cipher (`zzvault`, `zzcrypt`,
    `keyinfo`, `tokenstat`): what it prints of a file or of itself may be a secret."""
    lowered = name.lower()
    return any(part in lowered for part in (*_CREDENTIAL_PARTS, "crypt"))


def _data_file(word: str) -> bool:
    """An absolute plain path (`_plain_path`) to a file by its extension, and not one
    that a tool may run (a script, SQL, a library or a program)."""
    name = word.rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    return bool(stem and dot) and ext.lower() not in _RUNNABLE_EXTENSIONS and _plain_path(word)


def _locates(word: str) -> bool:
    """A long option naming the tool's server (`--server`, `--address=...`,
    `--bootstrap-server`, `--api-url`): every part of its name one of `_LOCATION_PARTS`,
    one a danger word (`--cluster prod`, `--master x` keep their plain values)."""
    name = word.partition("=")[0]
    parts = set(name[2:].split("-"))
    return name.startswith("--") and parts <= _LOCATION_PARTS and bool(parts & _DANGER_PARTS)


def _in_the_fleet(value: str) -> bool:
    """Addresses (comma-separated) no one outside the fleet can answer at, each written
    plainly (`addresses.site_address` says `internal`): a private or loopback IPv4
    address, `localhost`, a single-label name or one under a name no registry delegates
    (`.internal`, `.local`, `.lan`, `.corp`, `.int`); a scheme, a port and a path, no
    user or query."""
    return bool(value) and all(site_address(one) == "internal" for one in value.split(","))


def _acts(word: str) -> bool:
    """A word after the read verb that names a change or a destroy (`rauc status
    mark-bad other`, `zztool list purge-all`, `zztool info update`): what runs is that.
    An option's value counts as the word would (review13: `zztool status --mode=wipe`,
    `zztool list --server delete`: a flag's next word may be the tool's operand)."""
    if word.startswith("-"):
        word = word.partition("=")[2]
    if _VERB_WORD.fullmatch(word) is None:
        return False
    return any(p in DESTROY_VERBS or p in _ACT_VERBS or _verb_in_disguise(p) for p in _parts(word))


def _plain_path(word: str) -> bool:
    """An absolute path, as written, that names no credential, device or the root."""
    lowered = word.lower()
    return (
        _PATH.fullmatch(word) is not None
        and classify(word) in _PATH_CLASSES
        and not is_secret(word)
        and not any(part in lowered for part in _CREDENTIAL_PARTS)
    )


def _relative_name(word: str) -> bool:
    """A name in parts (`public/ingest`, `team/app`): a tool's namespace or a path
    below the working folder, no part hidden (`.ssh`) or `..`, none naming a
    credential, and not the root's folders as seen from `/` (`etc/x`, `root/y`)."""
    lowered = word.lower()
    return (
        _RELATIVE.fullmatch(word) is not None
        and "/" + word.split("/", 1)[0] not in TOP_DIRS
        and "/" + word.split("/", 1)[0] not in _TEMP_DIRS
        and not is_secret(word)
        and not any(part in lowered for part in _CREDENTIAL_PARTS)
    )


def _harmless(word: str, letters: frozenset[str] = _SHORT_FLAGS) -> bool:
    """A plain identifier, a relative name (`public/ingest`), a host of the fleet
    (`db-1.internal:5432`), an absolute path outside the credential classes, a short
    flag cluster of `letters`, a long flag (or a Go one, `-scope-id`) whose name holds
    no danger word, given no value or one that is harmless as the next word would be
    (`--namespace=prod`) or a filter (`--filter=state=up`), or `--format=FORMAT`."""
    if word.startswith("/"):
        return _plain_path(word)
    if not word.startswith("-"):
        if _PLAIN.fullmatch(word) is not None:
            return _ADDRESS.search(word) is None or _in_the_fleet(word)
        return _relative_name(word)
    name, eq, value = word.partition("=")
    if name in _FORMAT_OPTIONS:
        return bool(eq) and value in _FORMATS
    if eq and (value.startswith("-") or not (_harmless(value) or _filter(name, value))):
        return False  # `--scope=/etc/ssh/...`, `--limit=203.0.113.9`: as the next word would be
    if eq and _names_a_credential(value):
        return False  # `--columns=name,password`: the field picked is a credential
    if name.startswith("--"):
        return _long_flag(name[2:])
    if _GO_FLAG.fullmatch(name) and all(p in _GO_FLAG_WORDS for p in name[1:].split("-")):
        return _long_flag(name[1:])
    return not eq and len(name) > 1 and all(c in letters for c in name[1:])


def _filter(option: str, value: str) -> bool:
    """A long option's value that selects what is printed (`name`, `a,b`, `size>10`):
    letters, digits and `_.,:!<>-` (no space: `--query 'DROP TABLE x'`), no address,
    path or expansion; with `=`
    only for an option that filters (`--filter state=ALIVE`, `--selector app=api`):
    after a flag, `mode=maintenance` would be an operand that sets."""
    if not option.startswith("--") or _FILTER.fullmatch(value) is None:
        return False
    if _names_a_credential(value):
        return False  # `--fields name,password`: a credential picked out to print
    if "=" in value and not set(option[2:].split("-")) & _FILTER_PARTS:
        return False
    return _ADDRESS.search(value) is None


def _names_a_credential(value: str) -> bool:
    """A value that names a credential or its store (review13: `--columns=name,password`,
    `--fields name,token`, `--sort=secret`): the tool prints what it picks."""
    lowered = value.lower()
    return any(part in lowered for part in _CREDENTIAL_PARTS)


def _long_flag(flag: str) -> bool:
    """A long option's name (without its dashes) that holds no danger word."""
    if _LONG.fullmatch("--" + flag) is None or len(flag) < 2:
        return False
    return not (
        any(part in _DANGER_PARTS for part in flag.split("-"))
        or any(stem in flag for stem in _DANGER_STEMS)
    )


def destroy_verb(cmd: Cmd) -> Hit | None:
    """The finding for a tool no rule describes whose verb (or a long option) is a word
    that destroys or overturns state by convention, or None. It only raises an unknown
    command (to the typed code): see the module docstring for where the verb may stand."""
    word = destroy_word(convention_args(cmd))
    if word is None:
        return None
    return Hit(
        DESTROY_RULE,
        "high",
        f"{cmd.name}: an unknown tool asked to {word!r}: by convention a word that "
        "destroys or overturns state (delete, purge, reset, promote...); read what it names",
        cmd.span,
        "unknown",
    )


def convention_args(cmd: Cmd) -> list[str]:
    """The arguments the destroy convention reads: the value of an option the tool's pack
    declares takes one is left out (`myloader -B app_restore` names a database, no verb;
    an undeclared option's next word may be the verb: `zztool --server delete`)."""
    kept = {id(w) for w in cmd.positional()}
    return [a.text for a in cmd.args if id(a) in kept or a.text.startswith("-")]


def destroy_word(args: list[str]) -> str | None:
    """The word (a verb among the first positional ones, a long option, a hard kill, a
    format of a device) by which these arguments destroy or overturn state by
    convention, or None; an explicit dry run is None. Also read for a subcommand a
    pack's table does not list, when the table says its tool follows the convention
    (`unlisted_destroy`)."""
    if "--" in args:
        args = args[: args.index("--")]
    if _rehearsal(args):
        return None
    return (
        _destroy_position(args)
        or next((w for w in args if _destroy_option(w)), None)
        or _hard_kill(args)
        or _formats_device(args)
    )


def secret_word(cmd: Cmd) -> Hit | None:
    """The finding for a tool no rule describes asked, by a word among its first three
    positional ones (`waypoint user token`, `nsc generate creds`, `zztool set-password`)
    or by a flag (`--show-secret`, `--reveal`, `--plaintext`), for a credential: what it
    prints, creates or sets is a secret, and that asks for the typed code. It only raises;
    `key` alone is not counted (`garage key list` lists key names)."""
    args = [a.text for a in cmd.args]
    if "--" in args:
        args = args[: args.index("--")]
    seen = 0
    for text in args:
        if text.startswith("-"):
            if _REVEALS.fullmatch(text.partition("=")[0].lower()) and not _switched_off(text):
                return _secret_hit(cmd, text)
            continue
        seen += 1
        if seen > 3:
            break
        if _VERB_WORD.fullmatch(text) and any(p in _CREDENTIAL_WORDS for p in _parts(text)):
            return _secret_hit(cmd, text)
    return None


def _secret_hit(cmd: Cmd, word: str) -> Hit:
    return Hit(
        SECRET_RULE,
        "high",
        f"{cmd.name}: an unknown tool asked for {word!r}: by convention a credential it "
        "prints, creates or sets",
        cmd.span,
        "unknown",
    )


def _switched_off(text: str) -> bool:
    """`--reveal=false`: an option given a value that turns it off."""
    _, eq, value = text.partition("=")
    return bool(eq) and value.lower() in _OFF_VALUES


def _rehearsal(args: list[str]) -> bool:
    """An explicit dry-run option, as written and not switched off (`--dry-run=false`)."""
    for text in args:
        name, eq, value = text.lstrip("-").partition("=")
        on = not (eq and value.lower() in _OFF_VALUES)
        if text.startswith("-") and name.lower() in _DRY_RUN and on:
            return True
    return False


def _destroy_position(args: list[str]) -> str | None:
    """A destroy word among the first three positional words, before any read word, or
    `down`/`leave` as a whole word not after a word that softens it (`scale down`)."""
    seen = 0
    before = ""
    for text in args:
        if text.startswith("-"):
            continue
        seen += 1
        if seen > 3:
            break
        if _VERB_WORD.fullmatch(text) is None:
            continue  # an operand: a path, an address, an image, KEY=VALUE
        parts = _parts(text)
        if any(p in _REPORT_WORDS for p in parts):
            break
        if "".join(parts) in DESTROY_VERBS or any(p in DESTROY_VERBS for p in parts):
            return text
        if text.lower() in _OUT_OF_SERVICE and before not in _SOFTENS:
            return text
        before = text.lower()
    return None


def _hard_kill(args: list[str]) -> str | None:
    """`stop web1 --force --grace-period 0`: a forced stop given no time to shut down
    cleanly kills what runs (a VM's power pulled, a pod's writes cut), whatever the verb.
    The grace option alone is a setting (`--grace-period 30`), and `--force` alone may
    only skip a prompt."""
    if not any(w.partition("=")[0] in _FORCE and not _switched_off(w) for w in args):
        return None
    for i, text in enumerate(args):
        name, eq, value = text.partition("=")
        if not _GRACE.fullmatch(name):
            continue
        if not eq:
            value = args[i + 1] if i + 1 < len(args) else ""
        if value in _NO_TIME:
            return text if eq else f"{text} {value}"
    return None


def _formats_device(args: list[str]) -> str | None:
    """`zztool init --format /dev/sdb`: a `--format` given no value, a block device or
    a filesystem's name, on a line naming a block device (as a word or an option's
    value), makes a filesystem on it. `--format json /dev/sdb` names an output format."""
    if not any(classify(w.rpartition("=")[2]) == "device" for w in args):
        return None
    for i, text in enumerate(args):
        name, eq, value = text.partition("=")
        if name not in _FORMAT_FLAGS:
            continue
        if not eq:
            value = args[i + 1] if i + 1 < len(args) else ""
        if not value or value.startswith("-") or value in _FILESYSTEMS:
            return text
        if classify(value) == "device":
            return text
    return None


def _parts(word: str) -> list[str]:
    """A verb word's parts, lowercased: split at `-`, `_`, `:` and `.`, and where a
    lowercase letter meets a capital (`TerminateInstances`, `DeleteKeyspace`: the API
    verbs of tccli, Vitess and the SDK-shaped CLIs)."""
    spaced = _CAMEL.sub("-", word)
    return [p for p in _PART_SEPARATORS.split(spaced.lower()) if p]


def _destroy_option(text: str) -> bool:
    """`--drop`, `--force-delete`, `--delete-all`, Go's `-purge`: an option every part
    of whose name is a destroy word or a word that goes with one, at least one the
    first, and not switched off (`--wipe=false`); or a confirmation a tool demands only
    before it destroys (`--yes-i-really-mean-it`)."""
    if not text.startswith("-"):
        return False
    name, eq, value = text.partition("=")
    if eq and value.lower() in _OFF_VALUES:
        return False
    if _CONFIRMS_DESTRUCTION.fullmatch(name.lower()):
        return True
    if not name.startswith("--"):
        return len(name) > 4 and name[1:].lower() in _FLAG_VERBS
    parts = name[2:].lower().split("-")
    return any(p in _FLAG_VERBS for p in parts) and all(
        p in _FLAG_VERBS or p in _FLAG_EXTRAS for p in parts
    )


def carried_commands(cmd: Cmd, known: Callable[[str], bool]) -> list[list[Word]]:
    """The command lines an unknown tool is handed, each as the words that carry it: one
    word for a quoted shell line (`rush 'dropdb -h {} ledger'`, `mco shell run 'pkill
    ...'`), several for a program and its arguments (`with-lock-ex /run/lock/x userdel
    -rf ops`, `dtach -n /tmp/s sh -c '...'`, `mosh db-7 -- sudo rm ...`). A tool handed a
    command line runs it, by the same convention the verbs follow: the session keepers,
    lock holders, fleet runners and queues no pack knows yet. `known(name)` says whether
    the engine knows a program of that name (so `'fix the cache'` is no command line).

    After `--`, what follows is the command; before it, each quoted shell line whose first
    word is a known program, and the first known program given arguments that is not a
    noun, read or destroy verb of the convention (`acme-ctl node status`: `node` is the
    noun; `zztool wipe node-3` is typed by `destroy_verb`, not judged as wipe(1)). The caller
    judges each with the line's rules; the tool stays unknown (a plain yes at least)."""
    args = cmd.args
    if "--" in (texts := [a.text for a in args]):
        tail = args[texts.index("--") + 1 :]
        if len(tail) == 1 and _shell_line(tail[0].text, known):
            return [tail]
        return [tail] if tail and known(command_name(tail[0].text)) else []
    out: list[list[Word]] = [[a] for a in args if _shell_line(a.text, known)]
    for at, word in enumerate(args[:-1]):
        if _noun(word.text) or _read_word(word.text, known) or word.text in DESTROY_VERBS:
            continue  # the tool's own words by convention (`acme-ctl node status`)
        if not word.text.startswith("-") and known(command_name(word.text)):
            out.append(args[at:])
            break
    return out


def _shell_line(text: str, known: Callable[[str], bool]) -> bool:
    """`'sudo userdel -r deploy'`: a word holding a command line a known program starts."""
    first, _, rest = text.strip().partition(" ")
    return bool(rest.strip()) and known(command_name(first))
