"""What the database clients do: the SQL or commands they are given (read, change, drop,
grant), the server tools (pg_ctl, dropdb...) and redis.

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

import re

from aiperm_tui.policy.effects import helper_shell
from aiperm_tui.policy.hits import TO_PROVIDER, Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.model import severity_rank
from aiperm_tui.policy.normalize import Cmd, make_cmd
from aiperm_tui.policy.packs import LEVELS, builtin_packs
from aiperm_tui.policy.toolbox import (
    _table,
    changes,
    handles,
    hit,
    level_of,
    option_write,
    table_hits,
    value_word,
    write_hit,
)
from aiperm_tui.values import replace

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis
    from aiperm_tui.policy.parse import Simple


_SQL_READ = lazy(
    r"^\s*(select|show|explain|describe|desc|\\[a-z+]+|with\s+\w+\s+as|"
    r"values|table\s|pragma|help|status|use\s|"
    # cqlsh's listings of roles, users and permissions
    r"list\s+(?:roles|users|all|(?:all\s+)?permissions)\b|"
    # sqlite3's dot-commands that print (not .load/.read/.import/.shell); where .output,
    # .once, .save and .backup write is judged by the file's class (`_client_commands`)
    r"\.(tables|schema|fullschema|indexes|indices|databases|dump|headers|mode|width|show|"
    r"stats|dbinfo|help|lint|timer|print|echo|nullvalue|separator|changes|eqp|bail|"
    r"output|once|save|backup)\b|"
    # the clients' shell escapes: the command they run is judged by the pack's rules
    # (`sql.shell_escape`, `sqlite.shell_escape`), as itself
    # (lower case: ClickHouse's `SYSTEM RELOAD CONFIG` is a statement)
    r"\\!|(?-i:system)\s|\.(sh|she|shel|shell|sy|sys|syst|syste|system)\s)",
    re.I,
)
_SQL_PLAN_ONLY = lazy(r"^\s*explain\b(?!.*\banaly[sz]e\b)", re.I | re.S)


# Functions a SELECT may call that act on the server rather than read it.
_SQL_SERVER_CALL = lazy(
    r"\b(pg_(cancel|terminate)_backend|pg_reload_conf|pg_rotate_logfile|pg_switch_(wal|xlog)|"
    r"pg_wal_replay_(pause|resume)|pg_create_restore_point|pg_drop_replication_slot|"
    r"pg_create_\w+_replication_slot|pg_replication_origin_\w+|set_config|setval|lo_unlink|"
    r"lo_import|lo_export|dblink_exec|pg_file_write|pg_file_unlink|pg_log_backend_memory_contexts)"
    r"\s*\(",
    re.I,
)


# mongosh methods that only read; a line calling nothing else (and no $out/$merge
# stage) is a read.
_MONGO_READ = frozenset(
    {
        "find",
        "findOne",
        "count",
        "countDocuments",
        "estimatedDocumentCount",
        "distinct",
        "aggregate",
        "explain",
        "stats",
        "dataSize",
        "storageSize",
        "totalIndexSize",
        "getIndexes",
        "getCollectionNames",
        "getCollectionInfos",
        "getCollection",
        "getSiblingDB",
        "getName",
        "getUsers",
        "getRoles",
        "serverStatus",
        "hostInfo",
        "version",
        "currentOp",
        "isMaster",
        "hello",
        "status",
        "conf",
        "printReplicationInfo",
        "printSecondaryReplicationInfo",
        "printjson",
        "print",
        "toArray",
        "limit",
        "sort",
        "skip",
        "pretty",
        "forEach",
        "map",
        "itcount",
        "getMongo",
        "getDBNames",
        "listDatabases",
        "log",
        "stringify",
        # JavaScript's own array and string methods: they compute on what was read
        "filter",
        "startsWith",
        "endsWith",
        "includes",
        "indexOf",
        "join",
        "slice",
        "some",
        "every",
        "reduce",
        "keys",
        "toUpperCase",
        "toLowerCase",
    }
)


_MONGO_GRANT = lazy(
    r"\b(createUser|updateUser|grantRolesToUser|grantPrivilegesToRole|createRole|updateRole|"
    r"changeUserPassword)\s*\(|\b(createUser|updateUser|grantRolesToUser)\s*:"
)


# The roles a new user may be given as a routine change (as SQL's `CREATE USER`): reading
# or writing a database's collections.
_MONGO_PLAIN_ROLES = frozenset({"read", "readWrite"})


def _mongo_grants(js: str) -> bool:
    """The script creates or changes a user or a role with power: anything but one
    `createUser` whose every role is `read` or `readWrite` (`{role: "read", db: "shop"}`
    or `"readWrite"` in its `roles` array)."""
    found = set(_MONGO_GRANT_CALL.findall(js))
    if not found:
        return bool(_MONGO_GRANT.search(js))
    if found != {"createUser"} or js.count("createUser") != 1 or js.count("roles") != 1:
        return True
    if any(re.search(r"[\[\]]", m.group()) for m in re.finditer(r"'[^']*'|\"[^\"]*\"", js)):
        return True  # a bracket inside a string: where the roles array ends is unclear
    listed = re.search(r"\broles\s*:\s*\[([^\]]*)\]", js)
    if listed is None:
        return True
    roles = re.findall(
        r"\brole\s*:\s*['\"](\w+)['\"]|(?:^|[\[,])\s*['\"](\w+)['\"]", listed.group(1)
    )
    names = {a or b for a, b in roles}
    return not names or not names <= _MONGO_PLAIN_ROLES


_MONGO_GRANT_CALL = lazy(
    r"\b(createUser|updateUser|grantRolesToUser|grantPrivilegesToRole|createRole|updateRole|"
    r"changeUserPassword)\s*\("
)


# Server commands run through `adminCommand`/`runCommand` that only report.
_MONGO_READ_COMMAND = lazy(
    r"\b(adminCommand|runCommand)\s*\(\s*(\{\s*['\"]?(listDatabases|serverStatus|"
    r"replSetGetStatus|getLog|hostInfo|buildInfo|ping|hello|isMaster|currentOp|"
    r"getCmdLineOpts|listCommands|connectionStatus|dbStats|collStats|top|getParameter|"
    r"replSetGetConfig|connPoolStats|serverInfo)['\"]?\s*:|['\"](ping|serverStatus|buildInfo|"
    r"listDatabases|hostInfo|dbStats)['\"]\s*\))"
)


def _mongo_reads(js: str) -> bool:
    """Every function the script calls only reads; a call not made by name (`c["drop"]()`,
    a tagged template `` c.drop`` ``) is not known to read."""
    js = _MONGO_READ_COMMAND.sub("print(", js)
    calls = re.findall(r"([A-Za-z_$][\w$]*)\s*\(", js)
    unnamed = re.search(r"[\])'\"`]\s*\(|[\w$\])]\s*`", js)
    return (
        bool(calls)
        and set(calls) <= _MONGO_READ
        and not unnamed
        and not re.search(r"\$(out|merge)\b", js)
    )


_SQL_CRITICAL = lazy(r"\bdrop\s+(database|schema|keyspace|cluster|tablespace)\b", re.I)


_SQL_HIGH = lazy(
    r"\b(drop\s+(table|index|view|user|role|owned|extension|function|"
    # a keyword inside a name is no statement (`select count(*) from audit.truncate_log`)
    r"trigger|column|materialized|sequence)|(?<!\.)truncate\b(?!\s*\()|"
    r"alter\s+\w+\s+.*\bdrop\b|delete\s+from\s+\w+(\s*;|\s*$)|revoke\b|"
    # every privilege on every database (`*.*`, a `%` pattern, all keyspaces) or on the
    # accounts' own (`mysql.*`), or with the right to grant them on (audit19a: `GRANT ALL
    # ON shop.* TO shop@localhost` is one database's owner, a change)
    # rev19a: a comment or spaces are as good as a space between the words and around
    # the dot (`WITH/**/GRANT OPTION`, `mysql . *`); a grant to an account of any host
    # (`'x'@'%'`) or to PUBLIC (every role) opens the database to every login; the
    # system catalogs (`pg_authid`: the password hashes) are the accounts' own, as
    # `mysql.*`; and `GRANT GRANT OPTION` is the right to grant on, spelled alone (or
    # after a resource limit: `WITH MAX_QUERIES_PER_HOUR 0 GRANT OPTION`).
    r"grant(?:\s|/\*.*?\*/)+all\b(?=[^;]*\bon(?:\s|/\*.*?\*/)+[`'\x22]?(?:\*[`'\x22]?"
    r"(?:(?:\s|/\*.*?\*/)*\.(?:\s|/\*.*?\*/)*[`'\x22]?\*|\s|;|$)|"
    r"mysql[`'\x22]?(?:\s|/\*.*?\*/)*\.|[^\s.;]*%|(?:table\s+)?(?:pg_catalog\s*\.\s*)?pg_\w))|"
    r"grant(?:\s|/\*.*?\*/)+all\b(?=[^;]*\bto\b[^;]*(?:@(?:\s|/\*.*?\*/)*[`'\x22]?%[`'\x22]?(?:[\s,;]|$)|\bpublic\b))|"
    r"grant(?:\s|/\*.*?\*/)+all\b[^;]*\bwith\b[^;]*\bgrant(?:\s|/\*.*?\*/)+option|"
    r"grant(?:\s|/\*.*?\*/)+grant(?:\s|/\*.*?\*/)+option\b|"
    r"grant(?:\s|/\*.*?\*/)+all\b[^;]*\bon\s+all\s+(?:keyspaces|databases)\b|"
    # a stop that skips the clean shutdown (a plain SHUTDOWN, `db.shutdownServer()`, is a
    # service stop: a change)
    r"shutdown\s+with\s+nowait|shutdownServer\s*\(\s*\{[^}]*\bforce\s*:\s*true)",
    re.I,
)


# A standby made the primary whether or not the old primary still runs (split brain), as
# `pg_ctl promote` and `repmgr standby promote` are.
_SQL_PROMOTE = lazy(r"\bpg_promote\s*\(", re.I)


# Statements that grant power: a role made superuser, a server-file or program role
# granted, or an account row's admin/role column set (an application's own admins).
_SQL_GRANT = lazy(
    r"\b(alter|create)\s+(role|user)\b[^;]*\b(superuser|createrole|bypassrls|replication)\b|"
    r"\bgrant\b[^;]*\b(superuser|super|pg_\w*server\w*|pg_execute_\w+|sysadmin|db_owner|"
    r"rds_superuser|cluster_admin|dba|file|process)\b|"
    r"\balter\s+(server\s+)?role\s+\[?(sysadmin|db_owner|securityadmin|serveradmin|"
    r"db_securityadmin)\]?\s+add\s+member\b|\bsp_add(srv)?rolemember\b|"
    r"\bupdate\s+\S+\s+set\b(?:(?!\bwhere\b)[^;])*\b(is_?)?(admin|superuser|staff|root|role|roles|"
    r"privileges?|permissions?|group_id|is_?superuser)\s*=",
    re.I,
)


_SQL_DELETE = lazy(
    r"\b(delete\s+from|update)\b(?![^;]*\bwhere\b)|"
    # a WHERE that holds for every row: a constant truth, a column equal to itself, or
    # when a row was written before now (`... WHERE created_at < now()`; an expiry before
    # now, `expires_at < now()`, is the routine purge of expired rows)
    # (ClickHouse's mutation `ALTER TABLE t DELETE WHERE ...` is the same delete)
    r"\b(delete\s+from|delete(?=\s+where\b)|update)\b[^;]*\bwhere\s+\(?\s*(?:1\s*=\s*1|true|1|''\s*=\s*''|"
    r"([\w.]+)\s*=\s*\3|[\w.]+\s+is\s+not\s+null|(?:\w+\.)?(?:\w*(?:created|inserted|updated|modified|logged|recorded)\w*|"
    r"ts|timestamp|event_time)\s*<=?\s*(?:now\s*\(\s*\)|"
    r"current_timestamp|current_date|localtimestamp|sysdate\s*\(\s*\)|getdate\s*\(\s*\)|"
    r"datetime\s*\(\s*''\s*\)))\s*\)?\s*(?:;|$|returning\b)|"
    r"\b(delete\s+from|delete(?=\s+where\b)|update)\b[^;]*\bwhere\b[^;]*\bor\s+(?:1\s*=\s*1|true|''\s*=\s*'')",
    re.I,
)


# Replication's own history thrown away: the binary logs deleted (replicas not yet past
# them and point-in-time recovery lose their source) or a replica's position forgotten.
_SQL_BINLOG_RESET = lazy(
    r"\breset\s+(?:master|slave|replica|binary\s+logs\s+and\s+gtids)\b|"
    r"\bpurge\s+(?:binary|master)\s+logs\b|"
    # every replication slot dropped (sixteenth pass): each standby or subscriber behind
    # one loses the WAL it still needs and must be rebuilt; one slot named stays a change
    r"\bpg_drop_replication_slot\s*\(\s*slot_name\s*\)\s*from\s+(?:pg_catalog\.)?"
    r"pg_replication_slots\b(?![^;]*\bslot_name\s*(?:=|in\b|like\b))",
    re.I,
)


# Every session of the server ended at once (only the caller's own spared): every client
# loses its connection and its transaction.
_SQL_TERMINATE_ALL = lazy(
    r"\bpg_terminate_backend\s*\(\s*pid\s*\)\s*from\s+(?:pg_catalog\.)?pg_stat_activity\s*"
    r"(?:;|$|where\s+(?:pid\s*(?:<>|!=)\s*pg_backend_pid\s*\(\s*\)|"
    r"pg_backend_pid\s*\(\s*\)\s*(?:<>|!=)\s*pid)\s*(?:;|$))",
    re.I,
)


# An account's password set (whoever knows it logs in as that account, superusers
# included), and the password, hash or token columns of a table printed.
_SQL_PASSWORD_SET = lazy(
    r"\b(alter\s+(user|role|login)\b[^;]*\b(password|identified)\b|set\s+password\b|"
    r"update\s+\S*\buser\b[^;]*\bset\b[^;]*\b(authentication_string|password)\s*=|"
    # an application's own account table (a panel's `sys_user`, a site's `accounts`, a SIP
    # registrar's `subscriber`): a password, hash or digest column set in any table
    r"update\s+\S+\s+set\b[^;]*\b(?:\w+_)?(?:password|passwort|passwd|pass|pwd|"
    r"password_hash|ha1b?)\s*=)",
    re.I,
)
# A keyspace left with one copy of its data in every data centre (Cassandra's, Scylla's
# replication factor 1): the next disk or node lost loses rows for good.
_SQL_ONE_REPLICA = lazy(
    r"\balter\s+keyspace\b[^;]*\breplication\b(?![^;]*:\s*(?:[2-9]|\d{2,}))[^;]*:\s*1\s*[,}]",
    re.I,
)
# The same settings given to the server as options (`pg_ctl start -o '-c
# archive_command="curl ..."'`).
_OPTION_COMMAND_SETTING = lazy(
    r"\b(?:archive|restore|archive_cleanup|recovery_end|ssl_passphrase)_command\s*=\s*"
    r"([\"'])(.*?)\1"
)
# PostgreSQL settings whose value is a shell command the server runs (every WAL segment,
# every restore, every start): the command is judged as one given on the line.
_SERVER_COMMAND_SETTING = lazy(
    r"\b(?:archive|restore|archive_cleanup|recovery_end|ssl_passphrase)_command\s*(?:=|\bto\b)\s*"
    r"'((?:[^']|'')*)'",
    re.I,
)


_SECRET_COLUMN = (
    r"\b(\w*password\w*|passwd|pwd|pass_?hash|\w+_pass|pass|\w*_secret|secret(_key)?|"
    r"api_?key|\w*_token|token|private_key|salt|salted_hash|rolpassword|authentication_string)\b"
)
# A SELECT's columns, or the columns a write's RETURNING prints (`UPDATE api_keys SET ...
# RETURNING token`: printed even when the transaction is rolled back, rev16a).
_SQL_SECRET_COLUMNS = lazy(
    r"\bselect\b(?:(?!\bfrom\b)[^;])*" + _SECRET_COLUMN + r"(?:(?!\bfrom\b)[^;])*\bfrom\b|"
    r"\breturning\b[^;]*" + _SECRET_COLUMN,
    re.I,
)


# Code the server loads or runs as its own account: a function in an untrusted language
# (PL/Python, PL/Perl, PL/Tcl, PL/sh, C) or such a language installed, a library loaded by
# its path (`LOAD '/tmp/x.so'`, a preload setting or PostgreSQL 15's `archive_library`
# naming a path, left19; the library search path),
# a MySQL plugin or UDF library. Searched before string literals are blanked.
_SQL_SERVER_CODE = lazy(
    r"\blanguage\s+['\"]?(?:plpython3?u|plperlu|pltclu|plsh|plr|c)\b['\"]?|"
    r"\bcreate\s+(?:or\s+replace\s+)?(?:trusted\s+|procedural\s+)?(?:extension|language)\s+"
    r"(?:if\s+not\s+exists\s+)?['\"]?(?:plpython3?u|plperlu|pltclu|plsh|plr)\b|"
    r"(?:^|;)\s*load\s+'[^']*/|"
    r"\b(?:(?:shared|session|local)_preload_libraries|archive_library)\s*(?:=|\bto\b)\s*"
    r"(?:'[^']*/|\"[^\"]*/)|"
    r"\bdynamic_library_path\b|\binstall\s+(?:plugin|soname)\b|\bfunction\b[^;]*\bsoname\b",
    re.I,
)
# A replica pointed at another source: its data is then whatever that host sends.
_SQL_REPLICATION_SOURCE = lazy(
    r"\bchange\s+(?:master|replication\s+source)\s+to\b[^;]*\b(?:master|source)_host\b",
    re.I,
)


# sqlite3's shell functions that reach outside the database: `writefile(PATH, DATA)`
# writes any file the account can (a crontab, a key), `edit(...)` runs an editor (rev16a).
_SQLITE_FILE_WRITE = lazy(r"\b(?:writefile|edit)\s*\(", re.I)


def judge_sql(cmd: Cmd, sql: str) -> list[Hit]:
    """SQL text given to a client: reads pass, writes confirm, drops are typed."""
    if _SQL_SERVER_CODE.search(sql):
        return hit(
            cmd,
            "db.server_code",
            "high",
            f"{cmd.name}: makes the database server load or run code of its own account's "
            "(an untrusted language, a library, a plugin): it can read and change every file "
            "the server can",
        )
    if cmd.name == "sqlite3" and _SQLITE_FILE_WRITE.search(sql):
        return hit(
            cmd,
            "db.file_write",
            "high",
            f"{cmd.name}: writes a file of its choosing (`writefile(PATH, DATA)`) or opens an "
            "editor on data: a rollback does not undo it",
        )
    # an account's host `'%'` (any host) is no data: kept for _SQL_HIGH's GRANT ALL (rev19a)
    sql = re.sub(r"@(\s*)'%'", r"@\1`%`", sql)
    sql = re.sub(r"'(?:[^']|'')*'", "''", sql)  # string literals are data
    # EXPLAIN without ANALYZE plans a statement and runs nothing of it
    statements = [s for s in re.split(r";", sql) if s.strip() and not _SQL_PLAN_ONLY.match(s)]
    if not statements:
        return []
    sql = ";".join(statements)
    if _SQL_CRITICAL.search(sql):
        dump = "pg_dump" if cmd.name == "psql" else "mysqldump"
        return hit(
            cmd,
            "db.drop_database",
            "high",
            f"{cmd.name}: DROP DATABASE/SCHEMA deletes all its data",
            suggest=f"{dump} first",
        )
    if _SQL_ONE_REPLICA.search(sql):
        return hit(
            cmd,
            "db.one_replica",
            "high",
            f"{cmd.name}: leaves one copy of the keyspace's data (the next disk lost loses it)",
        )
    if _SQL_PASSWORD_SET.search(sql):
        return hit(
            cmd,
            "db.password_set",
            "high",
            f"{cmd.name}: sets an account's password (whoever knows it logs in as that account)",
        )
    if _SQL_SECRET_COLUMNS.search(sql):
        return hit(
            cmd,
            "db.secret_columns",
            "high",
            f"{cmd.name}: prints password, hash or token columns ({TO_PROVIDER})",
            "single",
        )
    if _SQL_GRANT.search(sql):
        return hit(
            cmd,
            "db.grant",
            "high",
            f"{cmd.name}: gives an account superuser or admin power",
            suggest="select the account's current roles first",
        )
    if _SQL_REPLICATION_SOURCE.search(sql):
        return hit(
            cmd,
            "db.replication_source",
            "high",
            f"{cmd.name}: points this server's replication at another host (its data becomes"
            " what that host sends)",
            suggest="SHOW REPLICA STATUS",
        )
    if _SQL_BINLOG_RESET.search(sql):
        return hit(
            cmd,
            "db.binlog_reset",
            "high",
            f"{cmd.name}: deletes the binary logs or forgets the replica's position (replicas "
            "and point-in-time recovery lose their source)",
            suggest="SHOW BINARY LOGS; SHOW REPLICA STATUS",
        )
    if _SQL_TERMINATE_ALL.search(sql):
        return hit(
            cmd,
            "db.terminate_all",
            "high",
            f"{cmd.name}: ends every session on the server (every client loses its "
            "connection and its transaction)",
            suggest="select the sessions from pg_stat_activity first",
        )
    if _SQL_PROMOTE.search(sql):
        return hit(
            cmd,
            "db.promote",
            "high",
            f"{cmd.name}: makes this standby the primary (the old primary, if still running, "
            "is split from it)",
        )
    rolled_back = cmd.name in _TRANSACTIONAL and _rolled_back(statements, sql)
    if (_SQL_HIGH.search(sql) or _SQL_DELETE.search(sql)) and not rolled_back:
        return hit(
            cmd,
            "db.destructive",
            "high",
            f"{cmd.name}: drops, truncates or changes every row",
            suggest="run the same WHERE as a SELECT first",
        )
    if _SQL_SERVER_CALL.search(sql):
        return hit(
            cmd,
            "db.server_call",
            "medium",
            f"{cmd.name}: calls a function that acts on the server (ends or cancels "
            "sessions, reloads its configuration, switches or replays its log)",
        )
    if all(_SQL_READ.match(s) for s in statements):
        return []
    if rolled_back:  # `BEGIN; DELETE FROM t; ROLLBACK;` too: a rehearsal (left16)
        return hit(
            cmd,
            "db.rolled_back",
            "info",
            f"{cmd.name}: the transaction is rolled back at its end: nothing it changed stays",
            "single",
        )
    return hit(cmd, "db.write", "medium", f"{cmd.name}: changes the database", "single")


# Clients whose every table is transactional: a rolled-back DELETE comes back (MySQL's
# MyISAM tables, for one, keep it).
_TRANSACTIONAL = frozenset({"psql", "sqlite3", "duckdb", "cockroach"})


_SQL_BEGIN = lazy(r"^\s*(?:begin|start\s+transaction)(?:\s+(?:work|transaction))?\s*$", re.I)


_SQL_ROLLBACK = lazy(r"^\s*(?:rollback|abort)(?:\s+(?:work|transaction))?\s*$", re.I)


_SQL_DML = lazy(r"^\s*(?:select|insert|update|delete|with|values|explain|show|table)\b", re.I)


# What a rollback does not undo: sequences, calls out of the database (dblink, large
# objects, files, programs), server functions (`pg_notify('c', '')` too: the word boundary
# after its parenthesis once missed them), notifications, psql's meta-commands, sqlite3's
# file writes and editor (`writefile(...)`, `edit(...)`).
# (Any other statement, COMMIT, SAVEPOINT or SET included, is no DML: not rolled back.)
_SQL_OUTSIDE = lazy(
    r"\b(?:nextval|setval|dblink\w*|lo_\w+|copy|program|notify|listen)\b|\bpg_\w+\s*\(|"
    r"\b(?:writefile|edit|load_extension)\s*\(|\\",
    re.I,
)


def _rolled_back(statements: list[str], sql: str) -> bool:
    """`BEGIN; DELETE ... WHERE ...; ROLLBACK;`: DML only, between a BEGIN and the
    ROLLBACK that ends the text, and nothing a rollback does not undo."""
    return (
        len(statements) >= 3
        and bool(_SQL_BEGIN.match(statements[0]))
        and bool(_SQL_ROLLBACK.match(statements[-1]))
        and all(_SQL_DML.match(s) for s in statements[1:-1])
        and not _SQL_OUTSIDE.search(" ".join(statements[1:-1]))
    )


# The data platform's SQL shells (Hive, Beeline, Trino, Presto, Impala, Spark SQL,
# Snowflake): their statement is `-e`, `--execute`, `-q` or `--query`, judged as any
# client's SQL. Not `-c`: snowsql's names a connection, impala-shell's goes on after errors.
_SQL_ENGINES = ("hive", "beeline", "trino", "presto", "impala-shell", "spark-sql", "snowsql")


@handles(
    "psql",
    "gitlab-psql",  # psql with GitLab's database and credentials (daemons.toml)
    "mysql",
    "sqlite3",
    "sqlcmd",
    "clickhouse-client",
    "clickhouse-local",
    "cqlsh",
    "mongosh",
    "duckdb",
    "cockroach",
    "mycli",
    "litecli",
    "usql",
    "cbq",
    "mysqlsh",
    *_SQL_ENGINES,
)
def _sql(cmd: Cmd, an: Analysis) -> list[Hit]:
    return _client_output_files(cmd, an) + _sql_judged(cmd, an)


# The files a client writes besides its statements' work (left17): psql's query output
# (`-o`, replaced) and session log (`-L`, appended to), mysql's and mycli's `--tee`
# (appended to).
_OUTPUT_FILE_OPTIONS = {
    "psql": (("o", "output"), ("L", "log-file")),
    "gitlab-psql": (("o", "output"), ("L", "log-file")),
    "mysql": ((), ("tee",)),
    "mycli": ((), ("tee",)),
}


def _client_output_files(cmd: Cmd, an: Analysis) -> list[Hit]:
    """Each file the client writes unasked (`psql -o /etc/cron.d/x`, `psql -L FILE`,
    `mysql --tee=FILE`), judged by the path's class as `> FILE` (or `>> FILE`) is: a fresh
    report in a temp folder is the read the query is, a system path is not. psql's `-o
    '|CMD'` pipes the output into CMD, judged as a command fed the query's rows."""
    replaced, appended = _OUTPUT_FILE_OPTIONS.get(cmd.name, ((), ()))
    found: list[Hit] = []
    for names, truncate in ((replaced, True), (appended, False)):
        for path in cmd.option_values(*names) if names else ():
            if path.startswith("|"):
                found += _output_pipe(cmd, path[1:], an)
            elif path and path != "-":
                word = value_word(cmd, path)
                verb = f"{cmd.name} writes its output to"
                hit_ = write_hit(word, cmd.span, verb, truncate=truncate, cwd=an.cwd)
                found += [hit_] if hit_ else []
    return found


def _output_pipe(cmd: Cmd, program: str, an: Analysis) -> list[Hit]:
    """`psql -o '|sh'`: the rows are the program's input. A shell or interpreter runs them
    as code (typed); another program is judged as the command it is."""
    shell = helper_shell(program, cmd.name, cmd.span)
    if shell is not None:
        return [shell]
    an.payload(program, [cmd.word], "db.output_pipe", f"{cmd.name} -o")
    return hit(cmd, "db.output_pipe", "medium", f"{cmd.name} pipes its output into {program!r}")


def _sql_judged(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name == "cockroach" and cmd.sub() != "sql":
        return hit(cmd, "db.cockroach", "medium", "cockroach: changes the cluster or its nodes")
    if cmd.name == "sqlite3":
        sql = _sqlite_sql(cmd)
    elif cmd.name == "cbq":
        sql = cmd.option_value("s", "script")  # cbq's -e is the engine's URL
    else:
        sql = _given_sql(cmd)
    if sql is None and cmd.name == "duckdb":
        pos = cmd.positional()
        sql = pos[1].text if len(pos) > 1 else None
    if sql is None:
        for r in cmd.simple.redirects:
            if r.op == "<<<" and r.target is not None:
                sql = r.target.text
            elif r.op in ("<<", "<<-") and cmd.simple.heredoc:
                sql = cmd.simple.heredoc[0]
    up = cmd.simple.upstream
    if sql is None and (fed := an.literal_input(cmd)) is not None:
        # printf's escapes turned into characters: `printf 'select 1;\nDROP ...'` is two
        # statements, the second starting a line (not a word glued to `n`)
        sql = fed[0]
    feeder = make_cmd(up, up.words) if up is not None and up.words else None
    if sql is None and (generated := _generated_sql(cmd, feeder)):
        return generated
    if sql is None and feeder is not None and feeder.name in ("mysqlbinlog", "mariadb-binlog"):
        return hit(
            cmd,
            "db.binlog_replay",
            "high",
            f"{cmd.name} replays the binary log's statements: every write, delete and drop "
            "in it runs again on this server",
            suggest="mysqlbinlog ... | less (read the events first)",
        )
    if sql is None:
        if cmd.has("l", "list", "V", "version"):
            return []
        return _script_hits(cmd, an, _sql_script(cmd))
    # `psql -c SQL -f FILE` runs both, in order
    scripts = _script_hits(cmd, an, _sql_script(cmd)) if cmd.has("f", "file") else []
    return scripts + _client_commands(cmd, an, sql) + _statements(cmd, an, sql)


def _given_sql(cmd: Cmd) -> str | None:
    """Every statement the line gives the client, joined: `psql -c A -c B` runs both, and
    mysql's `--init-command` runs before its `-e`."""
    if cmd.name in _SQL_ENGINES:
        names: tuple[str, ...] = ("e", "execute", "q", "query")
    elif cmd.name in ("psql", "gitlab-psql"):
        names = ("c", "command")  # psql's -q is --quiet: `-Atq -c SQL`
    else:
        names = ("c", "command", "e", "execute", "eval", "query", "q", "Q")
    first = cmd.option_values("init-command") if cmd.name in ("mysql", "mariadb") else ()
    given = [*first, *cmd.option_values(*names)]
    return ";\n".join(given) if given else None


def _script_hits(cmd: Cmd, an: Analysis, script: str | None) -> list[Hit]:
    """A file of statements the client runs (`-f FILE`, `\\i FILE`, `source FILE`): SQL
    the engine cannot see, a change; from a temp folder or written on the line, typed
    (`an.unreviewed_program` reports it)."""
    if script and an.unreviewed_program(cmd, script):
        return []  # `psql -f /tmp/fix.sql`: SQL nobody reviewed (typed there)
    return hit(
        cmd,
        "db.session",
        "medium",
        f"{cmd.name}: runs statements the engine cannot see (interactive session or a file)",
        "unknown",
    )


# A file of statements the client itself reads and runs: psql's `\i|\ir|\include`,
# mysql's `source`/`\.`, cqlsh's `SOURCE 'F'`, sqlite3's `.read` (a `|cmd` name is the
# shell escape rule's) and `.restore` (the database replaced by the file), mongosh's
# `load(F)`.
_SCRIPT_COMMAND = lazy(
    r"(?:^|[;\n])[ \t]*(?:\\(?:ir?|include(?:_relative)?)|\\\.|(?i:source)|\.read|"
    r"\.restore(?:[ \t]+\w+(?=[ \t]+\S))?)[ \t]+['\"]?([^\s'\";|][^\s'\";]*)|"
    r"\bload\s*\(\s*['\"]([^'\"]+)['\"]"
)
# A file the client writes its output to: psql's `\o|\out|\g|\gx|\w|\s FILE`,
# mysql's `tee FILE`/`\T FILE`, sqlite3's `.output|.once FILE` (a `|cmd` name runs cmd:
# the shell escape rules'). Case matters: psql's `\t` toggles tuples-only.
_OUTPUT_COMMAND = lazy(
    r"(?:^|[;\n\s])(?:\\(?:o|out|gx?|w|write|s|T)|(?<![\w.])(?i:tee)|\.(?:output|once))"
    r"[ \t]+(?:-\w+[ \t]+)*['\"]?([^\s'\";|][^\s'\";]*)"
)
# A copy of the whole database: sqlite3's `.backup|.save [DB] FILE`.
_COPY_COMMAND = lazy(
    r"(?:^|[;\n])[ \t]*\.(?:backup|save)[ \t]+(?:\w+[ \t]+(?=\S))?['\"]?([^\s'\";]+)"
)
# sqlite3's and duckdb's `.dump`: every row as SQL, on the terminal unless `.output` sends
# it to a file.
_DUMP_COMMAND = lazy(r"(?:^|[;\n])[ \t]*\.dump\b")
# psql's `\gexec` runs every value the query returns as a statement.
_GEXEC = lazy(r"\\gexec\b")
# psql's `\password [ROLE]` sets a role's password.
_PASSWORD_COMMAND = lazy(r"(?:^|[;\n\s])\\password\b")


def _client_commands(cmd: Cmd, an: Analysis, sql: str) -> list[Hit]:
    """What the client itself does with the text it is given (not SQL the server runs):
    a file of statements it reads (`\\i F`, `source F`, `load(F)`: `_script_hits`), a
    file it writes its output to (`\\o F`, `tee F`, `.output F`: judged by the file's
    class, as `> F` is; a fresh report in /tmp reads), a copy of the database (`.backup
    F`), the statements a query writes (`\\gexec`, judged as they become) and a password
    set (`\\password`)."""
    found: list[Hit] = []
    for m in _SCRIPT_COMMAND.finditer(sql):
        found += _script_hits(cmd, an, m.group(1) or m.group(2))
    for m in _OUTPUT_COMMAND.finditer(sql):
        found += option_write(cmd, m.group(1), f"{cmd.name} writes its output to", an)
    for m in _COPY_COMMAND.finditer(sql):
        found += changes(cmd, [value_word(cmd, m.group(1))], an, "writes a copy of the database to")
    if _DUMP_COMMAND.search(sql) and not found and _to_terminal(cmd, an):
        found += _dump_printed(cmd)
    if _GEXEC.search(sql):
        found += _written_statements(cmd, sql, "\\gexec") or hit(
            cmd, "db.gexec", "medium", f"{cmd.name}: runs the statements the query returns"
        )
    if _PASSWORD_COMMAND.search(sql):
        found += hit(
            cmd,
            "db.password_set",
            "high",
            f"{cmd.name}: sets an account's password (whoever knows it logs in as that account)",
        )
    return found


def _statements(cmd: Cmd, an: Analysis, sql: str) -> list[Hit]:
    """The statements (or mongosh's script) given on the line, judged."""
    if cmd.name == "mongosh" and re.search(
        # users and roles dropped as SQL's DROP USER|ROLE and redis's ACL DELUSER are
        r"drop(Database|User|AllUsers|Role|AllRoles)?\(|(deleteMany|updateMany)\(\s*\{\s*\}|"
        r"remove\(|"
        # a method called through brackets is the same call: `db.c["drop"]()`
        r"\[\s*['\"](drop\w*|deleteMany|remove|renameCollection)['\"]\s*\]\s*\(|"
        # the same as a server command: `db.adminCommand({dropDatabase: 1})`
        r"\b(?:adminCommand|runCommand)\s*\(\s*\{\s*['\"]?drop\w*['\"]?\s*:",
        sql,
    ):
        return hit(cmd, "db.destructive", "high", "mongosh drops or deletes data, users or roles")
    if cmd.name == "mongosh" and _mongo_grants(sql):
        return hit(cmd, "db.grant", "high", "mongosh creates or changes a user, or its roles")
    if cmd.name == "mongosh" and _MONGO_CREDENTIALS.search(sql):
        return hit(
            cmd,
            "db.secret_columns",
            "high",
            "mongosh prints the users' credentials (their SCRAM hashes and salts)",
        )
    if cmd.name == "mongosh" and (found := _mongo_code(cmd, sql)):
        return found
    if cmd.name == "mongosh" and _mongo_reads(sql):
        return []
    if cmd.name in ("mysql", "mariadb") and (found := _server_log_file(cmd, sql)):
        return found
    for m in _SERVER_COMMAND_SETTING.finditer(sql):
        an.payload(
            m.group(1).replace("''", "'"),
            [],
            "db.server_command",
            f"{cmd.name}: sets a command the database server runs",
        )
    return judge_sql(cmd, sql)


# mongosh is a Node.js shell: a program run (`runProgram`, `run`), a Node module's code
# (`require("child_process")`, `require("fs")`) or JavaScript built from a string acts on
# this host, not the database.
_MONGO_HOST_CODE = lazy(
    r"\b(?:require|runProgram|runMongoProgram|startMongoProgram|_runMongoProgram|run|eval|"
    r"Function|rawMongoProgramOutput)\s*\(|\bprocess\s*\.\s*(?:binding|dlopen|mainModule)\b"
)
# A read whose projection asks for a credential's field (`{password: 1}`).
_MONGO_SECRET_FIELDS = lazy(
    r"['\"]?\b(?:\w*passw(?:or)?d\w*|pwd|\w*secret\w*|\w*token\w*|api_?key\w*|salt|"
    r"private_?key)['\"]?\s*:\s*(?:1|true)\b",
    re.I,
)
# A forced replica set configuration: members that hold the majority's writes may lose them.
_MONGO_FORCED = lazy(r"\breconfig\s*\([^)]*\bforce\s*:\s*true")


def _mongo_code(cmd: Cmd, js: str) -> list[Hit]:
    """What a mongosh script does beyond reading the database: code run on this host,
    credentials printed, a forced reconfiguration."""
    if _MONGO_HOST_CODE.search(js):
        return hit(
            cmd,
            "db.host_code",
            "high",
            "mongosh runs a program or Node.js code on this host (child_process, fs, "
            "runProgram): not a database command",
        )
    if _MONGO_SECRET_FIELDS.search(js):
        return hit(
            cmd,
            "db.secret_columns",
            "high",
            f"mongosh prints password, secret or token fields ({TO_PROVIDER})",
            "single",
        )
    if _MONGO_FORCED.search(js):
        return hit(
            cmd,
            "db.forced_reconfig",
            "high",
            "mongosh forces a replica set configuration (members holding the majority's "
            "latest writes may roll them back)",
        )
    return []


# Where a MySQL server writes its general or slow query log: a path outside the log and
# data folders is a file the server writes anywhere it can (a web shell, `x.php`).
_SERVER_LOG_FILE = lazy(r"\b(?:general_log_file|slow_query_log_file)\s*=\s*'([^']*)'", re.I)


def _server_log_file(cmd: Cmd, sql: str) -> list[Hit]:
    """`SET GLOBAL general_log_file = '/var/www/html/x.php'`: typed outside /var/log and
    /var/lib/mysql (the log's lines are statements the caller chooses)."""
    for m in _SERVER_LOG_FILE.finditer(sql):
        if not m.group(1).startswith(("/var/log/", "/var/lib/mysql/")):
            return hit(
                cmd,
                "db.server_file_write",
                "high",
                f"{cmd.name}: the server writes its query log to {m.group(1)} (every "
                "statement's text lands there: a web shell or a cron file is one such file)",
            )
    return []


# MongoDB's credentials: the users collection read directly, or asked for by name.
_MONGO_CREDENTIALS = lazy(r"\bsystem\.users\b|\bshowCredentials\s*:\s*true")


def _generated_sql(cmd: Cmd, feeder: Cmd | None) -> list[Hit]:
    """`mysql -Nse "SELECT CONCAT('DROP DATABASE ', name, ';') ..." | mysql`: a query
    that writes statements piped into a SQL client runs them. What it writes is its
    string literals: they are judged as the SQL they become."""
    if feeder is None or feeder.name not in _SQL_FEEDERS:
        return []
    query = feeder.option_value("c", "command", "e", "execute", "Nse", "sNe")
    if query is None:
        return []
    return _written_statements(cmd, query, "the query piped in")


def _written_statements(cmd: Cmd, query: str, by: str) -> list[Hit]:
    """The statements a query writes, judged as the SQL they become: its string literals
    (`SELECT format('DROP TABLE %I', t) ...`); only what they make worse than a change."""
    written = " ".join(m.group(1) for m in re.finditer(r"'((?:[^']|'')*)'", query))
    found = judge_sql(cmd, written) if written.strip() else []
    return [
        replace(h, message=f"{h.message}, in the statements {by} writes")
        for h in found
        if h.severity in ("high", "critical")
    ]


_SQL_FEEDERS = frozenset({"mysql", "psql", "mariadb", "gitlab-psql", "clickhouse-client"})


@handles("clickhouse")
def _clickhouse(cmd: Cmd, an: Analysis) -> list[Hit]:
    """ClickHouse's single binary: `clickhouse client|local` are clickhouse-client and
    clickhouse-local, their query judged as SQL the same way; `format` only prints the
    query reformatted; any other subcommand (server, install, start, stop, keeper)
    starts, stops or installs the server."""
    sub = cmd.sub()
    if sub in ("client", "local"):
        return _sql(cmd, an)
    if sub == "format":
        return []
    return hit(
        cmd, "service.clickhouse", "medium", "clickhouse: starts, stops or installs the server"
    )


@handles("plesk", "kamctl", "vtctldclient", "vtctlclient")
def _tool_sql(cmd: Cmd, an: Analysis) -> list[Hit]:
    """SQL a tool runs for its operator: `plesk db SQL` (the panel's own database),
    `kamctl db exec SQL` (the SIP registrar's subscribers), `vtctldclient ApplySchema
    --sql SQL` (a schema change on every shard of a keyspace). Judged as SQL given to a
    client (`DROP TABLE` typed, a password column set typed, a SELECT reads); the rest of
    the tool by its table."""
    words = [p.text.lower() for p in cmd.positional()[:2]]
    sql = None
    if cmd.name == "plesk" and words[:1] == ["db"]:
        sql = " ".join(p.text for p in cmd.positional()[1:]) or None
    elif cmd.name == "kamctl" and words == ["db", "exec"]:
        sql = " ".join(p.text for p in cmd.positional()[2:]) or None
    elif cmd.name.startswith("vtctl") and words[:1] == ["applyschema"]:
        sql = cmd.option_value("sql", "-sql")
    if sql is not None:
        return judge_sql(cmd, sql)
    return table_hits(cmd, an)


@handles("wrangler")
def _wrangler(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`wrangler d1 execute DB --command SQL` runs SQL on a D1 database: judged as SQL
    given to a client (`DROP TABLE` is typed); the rest of wrangler by its table."""
    if [p.text for p in cmd.positional()[:2]] == ["d1", "execute"]:
        sql = cmd.option_value("command")
        if sql is not None:
            return judge_sql(cmd, sql)
    return table_hits(cmd, an)


@handles("bq")
def _bq(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`bq query SQL` runs the SQL on BigQuery: judged as SQL given to a client (a
    `DELETE ... WHERE true` is typed, a SELECT reads), unless `--dry_run` only prices it;
    a result saved with `--destination_table` changes a table. The rest of bq by its
    table."""
    pos = cmd.positional()
    if pos and pos[0].text == "query" and not cmd.has("dry_run"):
        sql = cmd.option_value("query") or " ".join(p.text for p in pos[1:])
        if not sql:
            return table_hits(cmd, an)  # the SQL comes on stdin: not shown, a change
        found = judge_sql(cmd, sql)
        if found or cmd.option_value("destination_table") is None:
            return found
    return table_hits(cmd, an)


@handles("heroku")
def _heroku(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`heroku pg:psql -c SQL` runs SQL on the app's database: judged as SQL given to a
    client, as `psql -c` is (`DROP TABLE` is typed); the rest of heroku by its table."""
    if cmd.sub() == "pg:psql" and (sql := cmd.option_value("c", "command")) is not None:
        return judge_sql(cmd, sql)
    return table_hits(cmd, an)


@handles("wp")
def _site_sql(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`wp db query SQL` (WP-CLI) runs SQL on the site's database: judged as SQL given to
    a client (a SELECT whose literal holds `DROP TABLE` reads; a `DELETE` with no `WHERE`
    is typed), as `plesk db SQL` is above. Without the SQL on the line it opens a session.
    The rest of wp by its pack."""
    pos = [p.text for p in cmd.positional()]
    if pos[:2] != ["db", "query"]:
        return table_hits(cmd, an)
    if not pos[2:]:
        return hit(cmd, "db.session", "medium", "wp: opens a SQL session")
    return judge_sql(cmd, " ".join(pos[2:]))


# sqlite3's options are single-dash words (`-column`, `-header`): these take a value.
_SQLITE_VALUE_OPTIONS = frozenset(
    {"separator", "newline", "nullvalue", "vfs", "nonce", "maxsize", "mmap", "lookaside"}
    | {"pagecache", "heap", "pcachetrace", "memtrace"}
)


def _sqlite_sql(cmd: Cmd) -> str | None:
    """What sqlite3 runs: each `-cmd` value, then every argument after the database
    file; None when there is none or an `-init FILE` runs SQL the engine cannot see
    (`-column` is an option word, not `-c olumn`)."""
    run: list[str] = []
    operands: list[str] = []
    words = iter(cmd.args)
    for a in words:
        name = a.text.lstrip("-").lower()
        if a.text.startswith("-") and name == "init":
            return None
        if a.text.startswith("-") and name == "cmd":
            run.append(next(words, a).text)
        elif a.text.startswith("-") and name in _SQLITE_VALUE_OPTIONS:
            next(words, None)
        elif not a.text.startswith("-") or operands:
            operands.append(a.text)
    run.extend(operands[1:])
    return "; ".join(run) if run else None


@handles(
    "pg_dump",
    "pg_dumpall",
    "mysqldump",
    "mariadb-dump",
    "pg_restore",
    "mongodump",
    "mongoexport",
    "mongorestore",
    "dropdb",
    "createdb",
    "dropuser",
    "createuser",
    "mysqladmin",
    "pg_ctl",
    "pg_ctlcluster",
    "pg_basebackup",
)
def _db_tools(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name in _DUMPERS:
        return _dump(cmd, an)
    if cmd.name in ("pg_restore", "mongorestore"):
        return _restore(cmd, an)
    if cmd.name == "mysqladmin":
        return _mysqladmin(cmd)
    if cmd.name in ("dropdb", "dropuser"):
        return _dropped(cmd)
    if cmd.name in ("pg_ctl", "pg_ctlcluster"):
        return _pg_ctl(cmd, an)
    if cmd.name == "pg_basebackup":
        return _basebackup(cmd, an)
    if cmd.name == "createuser" and cmd.has("s", "superuser", "r", "createrole", "replication"):
        # a superuser, a role that makes roles, or one that may copy every table's files
        return hit(cmd, "db.grant", "high", f"{cmd.name}: makes a role with superuser power")
    return hit(cmd, f"db.{cmd.name}", "medium")


# The dumpers whose output is the rows of what they dump.
_DUMPERS = frozenset(
    {"pg_dump", "pg_dumpall", "mysqldump", "mariadb-dump", "mongodump", "mongoexport"}
)


def _dump(cmd: Cmd, an: Analysis) -> list[Hit]:
    """A dump into a file is a change (by the file's class; the schema alone is a
    report); printed to the terminal, every row goes to the model provider (typed)."""
    out = _dump_file(cmd)
    if out and out != "-" and _schema_only(cmd):
        # the tables' definitions, no row: a report, judged as `> FILE` is (a fresh
        # file in /tmp is one the labelling rules read as printed)
        return option_write(cmd, out, f"{cmd.name} writes the schema to", an)
    if out and out != "-":
        return changes(cmd, [value_word(cmd, out)], an, "writes a dump to")
    if cmd.name == "mongodump" and out is None and not cmd.has("archive"):
        return []  # a dump/ folder in the working folder
    if cmd.name == "mongoexport" and cmd.has("limit"):
        return []  # a few documents, as a SELECT ... LIMIT prints them
    if not _schema_only(cmd) and _to_terminal(cmd, an):
        return _dump_printed(cmd)
    return []


def _dump_file(cmd: Cmd) -> str | None:
    """The file a dumper writes: `-f|--file`, mysqldump's `-r|--result-file`, the mongo
    tools' `-o|--out` and mongodump's `--archive=FILE` (`--archive` alone is stdout)."""
    if cmd.name in ("mongodump", "mongoexport"):
        archive = next((a.text[10:] for a in cmd.args if a.text.startswith("--archive=")), None)
        return cmd.option_value("o", "out") or archive
    # mysqldump's -r is --result-file (pg_dumpall's -r is --roles-only)
    mysql = ("r",) if cmd.name in ("mysqldump", "mariadb-dump") else ()
    return cmd.option_value("f", "file", "result-file", *mysql)


def _restore(cmd: Cmd, an: Analysis) -> list[Hit]:
    """`pg_restore -c` drops what it restores; with no database, pg_restore prints the
    archive as SQL (every row: typed on the terminal, `-l` lists its contents). A restore
    from a temp folder loads what nobody reviewed (functions, roles, triggers: typed)."""
    if cmd.name == "pg_restore" and cmd.has("c", "clean"):
        return _dropped(cmd)
    if cmd.name == "pg_restore" and not cmd.has("d", "dbname"):
        out = cmd.option_value("f", "file")
        if out and out != "-":
            return changes(cmd, [value_word(cmd, out)], an, "writes the archive's SQL to")
        if cmd.has("l", "list") or not _to_terminal(cmd, an):
            return []
        return _dump_printed(cmd)
    source = next((a.text[10:] for a in cmd.args if a.text.startswith("--archive=")), None)
    source = source or cmd.option_value("dir") or (cmd.args[-1].text if cmd.args else None)
    if source and not source.startswith("-") and an.unreviewed_program(cmd, source):
        return []
    return hit(cmd, f"db.{cmd.name}", "medium")


def _dropped(cmd: Cmd) -> list[Hit]:
    return hit(
        cmd, "db.drop_database", "high", f"{cmd.name}: deletes a database", suggest="pg_dump first"
    )


# mysqladmin's commands that only report.
_MYSQLADMIN_READS = frozenset(
    {"status", "ping", "processlist", "variables", "version", "extended-status"}
)


def _mysqladmin(cmd: Cmd) -> list[Hit]:
    """Reports read; `shutdown` is a clean stop; `drop` deletes a database; `password`
    sets the account's password."""
    sub = cmd.sub()
    if sub in _MYSQLADMIN_READS:
        return []
    if sub == "shutdown":
        return hit(cmd, "db.shutdown", "medium", "mysqladmin shutdown: stops the server cleanly")
    if sub == "drop":
        return _dropped(cmd)
    if sub in ("password", "old-password"):
        return hit(
            cmd,
            "db.password_set",
            "high",
            f"{cmd.name}: sets an account's password (whoever knows it logs in as that account)",
        )
    return hit(cmd, "db.mysqladmin", "medium")


def _basebackup(cmd: Cmd, an: Analysis) -> list[Hit]:
    """pg_basebackup copies the whole cluster (every table's files): into a folder, a
    change judged by the folder's class; to stdout (`-D -`), every row printed unless
    piped or redirected."""
    target = cmd.option_value("D", "pgdata")
    if target and target != "-":
        return changes(cmd, [value_word(cmd, target)], an, "writes a copy of the cluster to")
    if target == "-" and _to_terminal(cmd, an):
        return _dump_printed(cmd)
    return hit(cmd, "db.pg_basebackup", "medium", f"{cmd.name}: copies the whole cluster")


def _dump_printed(cmd: Cmd) -> list[Hit]:
    """A whole dump printed: it goes to the model provider with the rest of the output."""
    return hit(
        cmd,
        "db.dump_printed",
        "high",
        f"{cmd.name} prints every row of what it dumps to the terminal: the data "
        "(customers' personal data, password hashes) goes to the model provider",
        suggest=f"{cmd.name} --schema-only ..." if cmd.name == "pg_dump" else "",
    )


# Commands that print the lines they read (all, or the ones a pattern or a count picks):
# a dump piped through them still reaches the terminal (`mysqldump db | cat`, `pg_dump db
# | grep INSERT`), unless their own output goes elsewhere.
_LINE_PRINTERS = frozenset(
    {"cat", "tac", "less", "more", "most", "head", "tail", "grep", "egrep", "fgrep", "rg",
     "sed", "awk", "cut", "sort", "uniq", "tee", "tr", "column", "nl", "pv", "fold"}
)  # fmt: skip


def _to_terminal(cmd: Cmd, an: Analysis) -> bool:
    """Does `cmd`'s output reach the terminal: no redirection of stdout, and no command
    reading it through a pipe (`pg_dump db | gzip > F` writes a file) but one that prints
    the lines it reads to the terminal in turn?"""
    return _simple_to_terminal(cmd.simple, an)


def _simple_to_terminal(simple: Simple, an: Analysis) -> bool:
    if any(r.op.startswith((">", "&>")) and r.fd in (None, 1) for r in simple.redirects):
        return False
    simples = an.parsed.simples if an.parsed is not None else []
    reader = next((s for s in simples if s.upstream is simple), None)
    if reader is None:
        return True
    name = reader.words[0].text.rsplit("/", 1)[-1] if reader.words else ""
    counts = _RG_COUNT_ONLY if name == "rg" else _COUNT_ONLY
    first = reader.words[1].text if len(reader.words) > 1 else ""
    if name in ("grep", "egrep", "fgrep", "rg") and counts.fullmatch(first):
        return False  # `pg_dump db | grep -c INSERT`: a count, no row
    return name in _LINE_PRINTERS and _simple_to_terminal(reader, an)


# grep's options that print a count, names or nothing instead of the lines, given first
# (so no option before it takes it as its value: `grep -ve --count` prints every line, as
# do `grep --label -c` and `grep -f -c`), in a cluster of flags that take no value.
_COUNT_ONLY = lazy(
    r"-[abEFGHhIiLlnoPqRrsTUuVvwxZz]*[cqlL][abEFGHhIiLlnoPqRrsTUuVvwxZz]*"
    r"|--(?:count|quiet|silent|files-with(?:out)?-matches)"
)
# rg's: its `-L` follows links (the lines are printed).
_RG_COUNT_ONLY = lazy(
    r"-[aFHhIinoPqsUuvwxz]*[cql][aFHhIinoPqsUuvwxz]*|--(?:count|quiet|files-with-matches)"
)


def _schema_only(cmd: Cmd) -> bool:
    """`pg_dump -s|--schema-only`, `mysqldump -d|--no-data`: no row is dumped."""
    if cmd.name == "pg_dump":
        return cmd.has("s", "schema-only")
    return cmd.name in ("mysqldump", "mariadb-dump") and cmd.has("d", "no-data")


def _pg_ctl(cmd: Cmd, an: Analysis) -> list[Hit]:
    """A clean stop (`smart`, `fast`) or restart is a service stop; `-m immediate` is an
    unclean one (the server must recover from a crash, as after SIGKILL) and `promote`
    makes a standby the primary whether or not the old one still runs (split brain):
    both are typed, as `repmgr standby promote` is. A command setting the server is given
    (`-o '-c archive_command=...'`) is judged as a command."""
    pos = [a.text for a in cmd.positional()]
    if "status" in pos[:3]:
        return []
    for m in _OPTION_COMMAND_SETTING.finditer(cmd.option_value("o", "options") or ""):
        an.payload(
            m.group(2), [], "db.server_command", f"{cmd.name}: sets a command the server runs"
        )
    mode = cmd.option_value("m", "mode") or ""
    if "promote" in pos[:3]:
        return hit(
            cmd,
            "db.promote",
            "high",
            f"{cmd.name} promote: makes this standby the primary (the old primary, if still"
            " running, is split from it)",
        )
    if mode and "immediate".startswith(mode.lower()):
        return hit(
            cmd,
            "db.unclean_stop",
            "high",
            f"{cmd.name}: stops the server without a clean shutdown (crash recovery at start)",
        )
    return hit(cmd, f"db.{cmd.name}", "medium", f"{cmd.name}: starts, stops or reloads the server")


def _sql_script(cmd: Cmd) -> str | None:
    """The file of statements a client runs: `psql -f F`, `cqlsh -f F`, `sqlcmd -i F`,
    `mongosh --file F` or `mongosh DB F.js`, clickhouse-client's `--queries-file F`, or its
    input redirected from a file (`mysql db < F`)."""
    script = cmd.option_value("i", "input-file") if cmd.name == "sqlcmd" else None
    script = script or cmd.option_value("f", "file", "queries-file")
    if script is None and cmd.name == "mongosh":  # `mongosh DB FILE.js`
        script = next((p.text for p in cmd.positional() if p.text.endswith(".js")), None)
    redirected = (r.target.text for r in cmd.simple.redirects if r.op == "<" and r.target)
    return script or next(redirected, None)


# redis-cli's cluster manager subcommands that only report (fourteenth pass).
_CLUSTER_REPORTS = frozenset({"check", "info", "help"})


@handles("redis-cli", "valkey-cli", "keydb-cli")
def _redis(cmd: Cmd, an: Analysis) -> list[Hit]:
    if (rdb := cmd.option_value("rdb", "functions-rdb")) is not None:
        return _redis_rdb(cmd, an, rdb)
    pos = cmd.positional("".join(sorted(_table("redis-cli").positional_value_options)))
    # a read-only mode (`--scan`, `--help`) counts among redis-cli's own options only:
    # after the command word it is an argument (`redis-cli DEL k --help` deletes two keys)
    own = cmd.args[: next((i for i, a in enumerate(cmd.args) if pos and a is pos[0]), None)]
    if any(level_of("redis-cli", [a.text]) == "read" for a in own if a.text[:2] == "--"):
        return []
    if pos and any(a.text == "--cluster" for a in own):
        # the cluster manager: `--cluster check|info HOST:PORT` report; `call HOST:PORT
        # CMD` runs CMD on every node (judged as CMD); the rest moves nodes or slots
        words = [p.text.lower() for p in pos]
        if words[0] in _CLUSTER_REPORTS:
            return []
        if words[0] != "call" or len(words) < 3:
            return hit(
                cmd,
                "db.redis_cluster",
                "medium",
                f"{cmd.name} --cluster {words[0]}: changes the cluster's nodes or slots",
            )
        commands = [words[2:]]
    elif pos:
        commands = [[*pos[0].text.lower().split(), *(p.text.lower() for p in pos[1:])]]
    elif (fed := an.literal_input(cmd)) is not None:
        # commands written on its stdin, one a line (`printf 'PING\nFLUSHDB\n' | redis-cli`)
        commands = [line.lower().split() for line in fed[0].splitlines() if line.strip()]
    else:
        commands = []
    if not commands and cmd.has("pipe"):
        # `--pipe < FILE`: the file's commands, not shown (typed from a temp folder)
        return _script_hits(cmd, an, _sql_script(cmd))
    if not commands:
        return (
            []
            if any(a.text.startswith("--") for a in cmd.args)
            else hit(cmd, "db.session", "medium", f"{cmd.name}: interactive session", "unknown")
        )
    if (scripted := _redis_scripts(cmd, commands)) is not None:
        return scripted
    commands = [words for words in commands if words[:1] != ["eval"]]
    if not commands:
        return []  # read-only scripts
    if any(words[:1] == ["monitor"] for words in commands):
        return hit(
            cmd,
            "db.redis_monitor",
            "high",
            f"{cmd.name} MONITOR: prints every command the server's clients send (the values "
            "they write, their sessions and tokens)",
        )
    level, verb = max(
        (_redis_level(words) for words in commands), key=lambda lv: severity_rank(LEVELS[lv[0]])
    )
    if level == "read":
        return []
    if level == "high":
        return hit(
            cmd,
            f"db.redis_{verb}",
            "high",
            f"{cmd.name} {verb.upper()}: wipes data, stops the server or changes its configuration",
            suggest=f"{cmd.name} INFO keyspace",
        )
    what = _table("redis-cli").why(verb) or "writes data"
    return hit(cmd, f"db.redis_{verb}", "medium", f"{cmd.name} {verb.upper()}: {what}", "single")


def _redis_scripts(cmd: Cmd, commands: list[list[str]]) -> list[Hit] | None:
    """`EVAL SCRIPT ...`: a script that only reads (`_lua_reads`) is a read; any other
    can call any command, FLUSHALL included (typed). None when every script reads."""
    for words in commands:
        if words[:1] == ["eval"] and not _lua_reads(words[1] if len(words) > 1 else ""):
            return hit(
                cmd,
                "db.redis_eval",
                "high",
                f"{cmd.name}: runs a server-side Lua script (it can call any command, "
                "FLUSHALL included)",
            )
    return None


# What a Lua script that only reads may call besides `redis.call|pcall`: Lua's own
# functions that compute on what was read.
_LUA_PURE = frozenset(
    {"redis.call", "redis.pcall", "tonumber", "tostring", "type", "ipairs", "pairs", "next"}
    | {"select", "unpack", "table.insert", "table.concat", "table.unpack", "string.format"}
    | {"string.sub", "string.len", "string.upper", "string.lower", "math.floor", "math.max"}
    | {"math.min", "cjson.encode", "cjson.decode"}
)
_LUA_COMMAND = lazy(r"redis\.p?call\s*\(\s*(['\"])([\w-]+)\1")


def _lua_reads(script: str) -> bool:
    """Every call the script makes is `redis.call` of a command named by a literal that
    the redis table reads, or a pure Lua function; no unbounded loop (`while`, `repeat`:
    the server is busy until it is killed). A script with an escape, a long string or a
    comment (`\\`, `[[`, `--`) is not read: where its strings end is Lua's to say."""
    if re.search(r"\\|\[=*\[|--", script):
        return False
    bare = re.sub(r"'[^']*'|\"[^\"]*\"", "''", script)
    calls = re.findall(r"([A-Za-z_][\w.]*)\s*\(", bare)
    named = [m.group(2) for m in _LUA_COMMAND.finditer(script)]
    redis_calls = [c for c in calls if c in ("redis.call", "redis.pcall")]
    return (
        bool(named)
        and len(named) == len(redis_calls)
        and set(calls) <= _LUA_PURE
        and all(level_of("redis-cli", [c]) == "read" for c in named)
        and not re.search(r"\b(?:while|repeat|goto)\b", bare)
    )


def _redis_rdb(cmd: Cmd, an: Analysis, rdb: str) -> list[Hit]:
    """`--rdb FILE` copies the server's whole dataset into FILE (a dump: a change by the
    file's class); `--rdb -` prints it, typed unless piped or redirected."""
    if rdb != "-":
        return changes(cmd, [value_word(cmd, rdb)], an, "writes a dump of every key to")
    return _dump_printed(cmd) if _to_terminal(cmd, an) else []


def _redis_level(words: list[str]) -> tuple[str, str]:
    """The level of one redis command (its words, lower case) and its verb."""
    verb = words[0] if words else ""
    level = level_of("redis-cli", words[:2]) or "medium"
    if words[:2] == ["config", "set"]:  # `CONFIG SET k v [k v ...]`: the worst setting
        settings = [level_of("redis-cli", [*words[:2], k]) for k in words[2::2]]
        level = "medium" if settings and all(s == "medium" for s in settings) else "high"
        return level, verb
    # a modifier anywhere after the command is the table's `COMMAND MODIFIER` entry
    # (`SHUTDOWN SAVE FORCE`, `FAILOVER TO host port FORCE`, `CLUSTER FAILOVER TAKEOVER`)
    levels = builtin_packs().levels("redis-cli")
    found = [levels.get(f"{' '.join(words[:n])} {w}") for n in (1, 2) for w in words[n:]]
    return max((level, *(f for f in found if f)), key=lambda lv: severity_rank(LEVELS[lv])), verb


@handles("xtrabackup", "mariabackup", "innobackupex")
def _hot_backup(cmd: Cmd, an: Analysis) -> list[Hit]:
    """MySQL's hot backup tools copy the whole data folder: `--stream` sends it to stdout,
    printed (typed) unless piped or redirected; `--copy-back` and `--move-back` (and the
    reports, `xtrabackup.report`) are the pack's; any other form backs up or prepares a
    copy."""
    if cmd.has("stream") and _to_terminal(cmd, an):
        return _dump_printed(cmd)
    return hit(
        cmd, f"db.{cmd.name}", "medium", f"{cmd.name}: copies or prepares a backup of MySQL's data"
    )


@handles("pgbench")
def _pgbench(cmd: Cmd, an: Analysis) -> list[Hit]:
    """pgbench loads the server (`-i` drops and refills its own pgbench_* tables); a
    script given with `-f FILE[@weight]` is SQL the engine cannot see (typed from a temp
    folder, as `psql -f` is). Like every PostgreSQL tool it prints its usage or version
    only when that is its first argument."""
    if [a.text for a in cmd.args[:1]] in (["-V"], ["--version"], ["--help"], ["-?"]):
        return []
    for script in cmd.option_values("f", "file"):
        if an.unreviewed_program(cmd, script.split("@", 1)[0]):
            return []
    return hit(cmd, "db.pgbench", "medium", f"{cmd.name}: runs a load test on the database")
