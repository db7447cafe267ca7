"""What the database clients do: the SQL or commands they are given (read, change, drop,
grant), the server tools (pg_ctl, dropdb...) and redis.

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

import re

from aiperm_tui.policy.hits import Hit
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
)
from aiperm_tui.values import replace

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


_SQL_READ = lazy(
    r"^\s*(select|show|explain|describe|desc|\\[a-z+]+|with\s+\w+\s+as|"
    r"values|table\s|pragma|help|status|use\s|"
    # sqlite3's dot-commands that print (not .output/.once/.save/.load/.read/.import/.shell)
    r"\.(tables|schema|fullschema|indexes|indices|databases|dump|headers|mode|width|show|"
    r"stats|dbinfo|help|lint|timer|print|echo|nullvalue|separator|changes|eqp|bail)\b)",
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
    r"trigger|column|materialized|sequence)|truncate|alter\s+\w+\s+.*\bdrop\b|"
    r"delete\s+from\s+\w+(\s*;|\s*$)|revoke|grant\s+all|"
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
    r"\bpurge\s+(?:binary|master)\s+logs\b",
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
# PostgreSQL settings whose value is a shell command the server runs (every WAL segment,
# every restore, every start): the command is judged as one given on the line.
_SERVER_COMMAND_SETTING = lazy(
    r"\b(?:archive|restore|archive_cleanup|recovery_end|ssl_passphrase)_command\s*(?:=|\bto\b)\s*"
    r"'((?:[^']|'')*)'",
    re.I,
)


_SQL_SECRET_COLUMNS = lazy(
    r"\bselect\b(?:(?!\bfrom\b)[^;])*\b(\w*password\w*|passwd|pwd|pass_?hash|\w*_secret|secret(_key)?|"
    r"api_?key|\w*_token|token|private_key|salt|rolpassword|authentication_string)\b"
    r"(?:(?!\bfrom\b)[^;])*\bfrom\b",
    re.I,
)


def judge_sql(cmd: Cmd, sql: str) -> list[Hit]:
    """SQL text given to a client: reads pass, writes confirm, drops are typed."""
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
            f"{cmd.name}: prints password, hash or token columns (what the agent reads "
            "goes to its model provider)",
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
    if _SQL_HIGH.search(sql) or _SQL_DELETE.search(sql):
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
    if cmd.name in _TRANSACTIONAL and _rolled_back(statements, sql):
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
# objects, files, programs), server functions, notifications, psql's meta-commands.
# (Any other statement, COMMIT, SAVEPOINT or SET included, is no DML: not rolled back.)
_SQL_OUTSIDE = lazy(
    r"\b(?:nextval|setval|dblink\w*|lo_\w+|pg_\w+\s*\(|copy|program|notify|listen)\b|\\",
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
    if cmd.name == "cockroach" and cmd.sub() != "sql":
        return hit(cmd, "db.cockroach", "medium", "cockroach: changes the cluster or its nodes")
    if cmd.name == "sqlite3":
        sql = _sqlite_sql(cmd)
    elif cmd.name == "cbq":
        sql = cmd.option_value("s", "script")  # cbq's -e is the engine's URL
    elif cmd.name in _SQL_ENGINES:
        sql = cmd.option_value("e", "execute", "q", "query")
    elif cmd.name in ("psql", "gitlab-psql"):
        sql = cmd.option_value("c", "command")  # psql's -q is --quiet: `-Atq -c SQL`
    else:
        sql = cmd.option_value("c", "command", "e", "execute", "eval", "query", "q", "Q")
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
        if (script := _sql_script(cmd)) and an.unreviewed_program(cmd, script):
            return []  # `psql -f /tmp/fix.sql`: SQL nobody reviewed (typed there)
        return hit(
            cmd,
            "db.session",
            "medium",
            f"{cmd.name}: runs SQL the engine cannot see (interactive session or a file)",
            "unknown",
        )
    if cmd.name == "mongosh" and re.search(
        # users and roles dropped as SQL's DROP USER|ROLE and redis's ACL DELUSER are
        r"drop(Database|User|AllUsers|Role|AllRoles)?\(|(deleteMany|updateMany)\(\s*\{\s*\}|"
        r"remove\(|"
        # a method called through brackets is the same call: `db.c["drop"]()`
        r"\[\s*['\"](drop\w*|deleteMany|remove|renameCollection)['\"]\s*\]\s*\(",
        sql,
    ):
        return hit(cmd, "db.destructive", "high", "mongosh drops or deletes data, users or roles")
    if cmd.name == "mongosh" and _MONGO_GRANT.search(sql):
        return hit(cmd, "db.grant", "high", "mongosh creates or changes a user, or its roles")
    if cmd.name == "mongosh" and _MONGO_CREDENTIALS.search(sql):
        return hit(
            cmd,
            "db.secret_columns",
            "high",
            "mongosh prints the users' credentials (their SCRAM hashes and salts)",
        )
    if cmd.name == "mongosh" and _mongo_reads(sql):
        return []
    for m in _SERVER_COMMAND_SETTING.finditer(sql):
        an.payload(
            m.group(1).replace("''", "'"),
            [],
            "db.server_command",
            f"{cmd.name}: sets a command the database server runs",
        )
    return judge_sql(cmd, sql)


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
    written = " ".join(m.group(1) for m in re.finditer(r"'((?:[^']|'')*)'", query))
    found = judge_sql(cmd, written) if written.strip() else []
    return [
        replace(h, message=f"{h.message}, in the statements the query piped in writes")
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
    "mongorestore",
    "dropdb",
    "createdb",
    "dropuser",
    "createuser",
    "mysqladmin",
    "pg_ctl",
    "pg_ctlcluster",
)
def _db_tools(cmd: Cmd, an: Analysis) -> list[Hit]:
    if cmd.name in ("pg_dump", "pg_dumpall", "mysqldump", "mariadb-dump", "mongodump"):
        # mysqldump's -r is --result-file (pg_dumpall's -r is --roles-only)
        mysql = ("r",) if cmd.name in ("mysqldump", "mariadb-dump") else ()
        out = cmd.option_value("f", "file", "result-file", "out", "o", *mysql)
        if out and out != "-" and _schema_only(cmd):
            # the tables' definitions, no row: a report, judged as `> FILE` is (a fresh
            # file in /tmp is one the labelling rules read as printed)
            return option_write(cmd, out, f"{cmd.name} writes the schema to", an)
        if out and out != "-":
            return changes(cmd, [value_word(cmd, out)], an, "writes a dump to")
        # (mongodump writes a dump/ folder unless `--archive` alone sends it to stdout)
        if cmd.name != "mongodump" and not _schema_only(cmd) and _to_terminal(cmd, an):
            return hit(
                cmd,
                "db.dump_printed",
                "high",
                f"{cmd.name} prints every row of what it dumps to the terminal: the data "
                "(customers' personal data, password hashes) goes to the model provider",
                suggest=f"{cmd.name} --schema-only ..." if cmd.name == "pg_dump" else "",
            )
        return []
    if cmd.name == "mysqladmin" and cmd.sub() in (
        "status",
        "ping",
        "processlist",
        "variables",
        "version",
        "extended-status",
    ):
        return []
    if cmd.name == "mysqladmin" and cmd.sub() == "shutdown":
        return hit(cmd, "db.shutdown", "medium", "mysqladmin shutdown: stops the server cleanly")
    if (
        cmd.name in ("dropdb", "dropuser")
        or (cmd.name == "mysqladmin" and cmd.sub() == "drop")
        or (cmd.name == "pg_restore" and cmd.has("c", "clean"))
    ):
        return hit(
            cmd,
            "db.drop_database",
            "high",
            f"{cmd.name}: deletes a database",
            suggest="pg_dump first",
        )
    if cmd.name in ("pg_ctl", "pg_ctlcluster"):
        return _pg_ctl(cmd)
    if cmd.name == "pg_restore" and not cmd.has("d", "dbname"):
        # no database: the archive's contents (`-l`: its table of contents) as SQL text
        out = cmd.option_value("f", "file")
        if out and out != "-":
            return changes(cmd, [value_word(cmd, out)], an, "writes the archive's SQL to")
        return []
    return hit(cmd, f"db.{cmd.name}", "medium")


def _to_terminal(cmd: Cmd, an: Analysis) -> bool:
    """Does `cmd`'s output reach the terminal: no redirection of stdout and no command
    reading it through a pipe (`pg_dump db | gzip > F` writes a file)?"""
    if any(r.op.startswith((">", "&>")) and r.fd in (None, 1) for r in cmd.simple.redirects):
        return False
    simples = an.parsed.simples if an.parsed is not None else []
    return not any(s.upstream is cmd.simple for s in simples)


def _schema_only(cmd: Cmd) -> bool:
    """`pg_dump -s|--schema-only`, `mysqldump -d|--no-data`: no row is dumped."""
    if cmd.name == "pg_dump":
        return cmd.has("s", "schema-only")
    return cmd.name in ("mysqldump", "mariadb-dump") and cmd.has("d", "no-data")


def _pg_ctl(cmd: Cmd) -> list[Hit]:
    """A clean stop (`smart`, `fast`) or restart is a service stop; `-m immediate` is an
    unclean one (the server must recover from a crash, as after SIGKILL) and `promote`
    makes a standby the primary whether or not the old one still runs (split brain):
    both are typed, as `repmgr standby promote` is."""
    pos = [a.text for a in cmd.positional()]
    if "status" in pos[:3]:
        return []
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
    `mongosh --file F`, or its input redirected from a file (`mysql db < F`)."""
    script = cmd.option_value("i", "input-file") if cmd.name == "sqlcmd" else None
    script = script or cmd.option_value("f", "file")
    redirected = (r.target.text for r in cmd.simple.redirects if r.op == "<" and r.target)
    return script or next(redirected, None)


# redis-cli's cluster manager subcommands that only report (fourteenth pass).
_CLUSTER_REPORTS = frozenset({"check", "info", "help"})


@handles("redis-cli", "valkey-cli", "keydb-cli")
def _redis(cmd: Cmd, an: Analysis) -> list[Hit]:
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
    if not commands:
        return (
            []
            if any(a.text.startswith("--") for a in cmd.args)
            else hit(cmd, "db.session", "medium", f"{cmd.name}: interactive session", "unknown")
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
