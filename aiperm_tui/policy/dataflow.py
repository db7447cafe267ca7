"""Data flow within one command line: what a later word will hold, and what will run.

A command line is a small program. `T=/dev/sda; dd of=$T` writes the disk although no
word says so; `for f in /var/log/*; do : > $f; done` empties logs; `{rm,-rf,/srv}` is
`rm -rf /srv`; `curl -o x URL && sh x` runs code nobody read; `cat <<EOF` with `$(...)`
in an unquoted body runs the substitution; `trap 'CMD' EXIT` and `PROMPT_COMMAND=CMD`
run CMD later. These helpers recover that from the text, so the walk in `analysis.py`
can judge the value a word will hold and the code a feature will run.
"""

from __future__ import annotations

import posixpath
import re

from aiperm_tui.policy.fspaths import classify
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.parse import Word

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from aiperm_tui.policy.normalize import Cmd

_VAR = lazy(r"\$(?:\{(!?)([A-Za-z_]\w*)([^}]*)\}|([A-Za-z_]\w*))")
# The operators of `${name OP}` that bash applies to a value: substring, removal of a
# prefix or suffix, replacement, case, default (the value is set, so it wins).
_SLICE = lazy(r"^:\s*(-?\d+)(?::\s*(-?\d+))?$")
_TRIM = lazy(r"^(##?|%%?)(.*)$")
_REPLACE = lazy(r"^/([/#%]?)([^/]*)(?:/(.*))?$")
# `for NAME in WORDS; do` (sh), or fish's `for NAME in WORDS; BODY; end` (no `do`).
_LOOP = lazy(
    r"(?:^|[;&|({\s])for\s+([A-Za-z_]\w*)\s+in\s+([^;\n]*?)\s*[;\n]\s*(?:do\b|(?=.*\bend\b))"
)
_FUNCTION = lazy(
    r"(?:^|[;&|({}\s])(?:function\s+([^\s(){};|&]+)|([^\s(){};|&=$]+)"
    r"\s*\(\s*\))"
)
# A substitution that lists the accounts of the host.
_ACCOUNT_LIST = lazy(
    r"(\$\(|`)[^`)]*(/etc/passwd\b|\bgetent\s+passwd\b|\bcompgen\s+-u\b|\blslogins\b)"
)
_BRACE = lazy(r"^([^{}\s'\"$`\\]*)\{([^{}\s]*,[^{}\s]*)\}([^{}\s'\"$`\\]*)$")
# (`\$(` too: inside double quotes it is the same text, `printf -v "x[\$(cmd)]" %s 1`)
_SUBSCRIPT = lazy(r"\[\s*\\?(\$\(|`)")
_SUBSCRIPT_VARIABLE = lazy(r"\[\s*\$\{?([A-Za-z_]\w*)\}?\s*\]")
# Worst first: the value a loop variable is judged with.
_CLASS_ORDER = (
    "device",
    "root",
    "critical",
    "log",
    "dotfile",
    "system",
    "home",
    "dynamic",
    "plain",
    "temp",
    "network",
    "null",
)
# Variables whose value is a command some program runs (a pager, an editor, a hook).
PROGRAM_VARS = frozenset(
    {
        "PROMPT_COMMAND",
        "PAGER",
        "MANPAGER",
        "GIT_PAGER",
        "SYSTEMD_PAGER",
        # FRR's vtysh pipes every command's output through it (audit19b)
        "VTYSH_PAGER",
        "EDITOR",
        "VISUAL",
        "GIT_EDITOR",
        # forge CLIs' own editor, pager and browser (seventeenth pass)
        "GH_EDITOR",
        "GH_PAGER",
        "GH_BROWSER",
        "GLAB_EDITOR",
        "GIT_SSH_COMMAND",
        "GIT_SSH",
        "SSH_ASKPASS",
        "SUDO_ASKPASS",
        "GIT_ASKPASS",
        "GIT_EXTERNAL_DIFF",
        "GIT_SEQUENCE_EDITOR",
        "KUBECTL_EXTERNAL_DIFF",
        "KUBE_EDITOR",
        "SYSTEMD_EDITOR",
        "SUDO_EDITOR",
        "LESSOPEN",
        "LESSCLOSE",
        "BROWSER",
        "RSYNC_RSH",
        "FCEDIT",
        "GIT_PROXY_COMMAND",
        "CVS_RSH",
        "MYSQL_PS1",
        "PSQL_PAGER",
        "PSQL_EDITOR",
        # the compiler cargo runs, or the wrapper it runs the compiler through (sccache)
        "RUSTC",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_BUILD_RUSTC",
        "CARGO_BUILD_RUSTC_WRAPPER",
        # the program apachectl's `status`/`fullstatus` fetch the status page with (rev19a)
        "APACHE_LYNX",
    }
)
# Names that say a variable holds a command, whatever program reads it: `CRASHPAGER`,
# `BORG_RSH`, `SVN_SSH`, `ZYPP_PAGER`, `DIFF_COMMAND` (nineteenth pass, lead19: GTFOBins'
# `CRASHPAGER=CMD crash -h` ran CMD unasked, as any program's own pager or editor would).
_PROGRAM_VAR_NAME = lazy(
    r"^[A-Z][A-Z0-9_]*(?:PAGER|EDITOR|VISUAL|ASKPASS|BROWSER|_RSH|_SSH|_COMMAND|_CMD)$"
)


def program_var(name: str) -> bool:
    """True when `name` is a variable some program runs the value of as a command."""
    return name in PROGRAM_VARS or _PROGRAM_VAR_NAME.match(name) is not None


# Variables naming a file the shell runs before anything else.
SCRIPT_VARS = frozenset(
    {
        "BASH_ENV",
        "ENV",
        "ZDOTDIR",
        "PYTHONSTARTUP",
        "PERL5OPT",
        "NODE_OPTIONS",
        "RUBYOPT",
        "JAVA_TOOL_OPTIONS",  # `-javaagent:/tmp/x.jar` for every JVM started
        "JDK_JAVA_OPTIONS",
        "_JAVA_OPTIONS",
        "BUNDLE_GEMFILE",  # the Gemfile bundler evaluates (Ruby code)
        # rev19a: the shell file apache2ctl sources first, and WP-CLI's configuration
        # (its `require:` list names PHP files run before every command)
        "APACHE_ENVVARS",
        "WP_CLI_CONFIG_PATH",
    }
)
# Variables a launcher script adds to the JVM's command line (`GRADLE_OPTS`, `MAVEN_OPTS`,
# `JAVA_OPTS` ...): routine for memory (`-Xmx2g`), code when they load an agent, a native
# library or a boot class path (`-javaagent:/tmp/a.jar`), as `JAVA_TOOL_OPTIONS` always
# may.
JVM_OPTION_VARS = frozenset(
    {
        "GRADLE_OPTS",
        "JAVA_OPTS",
        "MAVEN_OPTS",
        "ANT_OPTS",
        "SBT_OPTS",
        "JVM_OPTS",
        "CATALINA_OPTS",
        "KAFKA_OPTS",
        "HADOOP_OPTS",
        "HADOOP_CLIENT_OPTS",
        "ES_JAVA_OPTS",
        "SPARK_SUBMIT_OPTS",
    }
)
_JVM_CODE = re.compile(
    r"-(?:javaagent|agentpath|agentlib|Xbootclasspath(?:/[ap])?)[:=]|-Djava\.system\.class\.loader="
)


def loads_jvm_code(value: str) -> bool:
    """JVM options that load code besides the program: an agent, a native agent library,
    a boot class path or a system class loader."""
    return _JVM_CODE.search(value) is not None


# Variables naming where an interpreter finds its modules before its own: an entry in a
# temp folder makes any import load what whoever wrote there (the agent) put
# (`PYTHONPATH=/tmp ansible --version` imports /tmp/yaml.py), as LD_LIBRARY_PATH does.
MODULE_PATH_VARS = frozenset(
    {
        "PYTHONPATH",
        "PYTHONHOME",
        "PYTHONUSERBASE",
        "PERL5LIB",
        "PERLLIB",
        "RUBYLIB",
        "GEM_PATH",
        "GEM_HOME",
        "NODE_PATH",
        "LUA_PATH",
        "LUA_CPATH",
        "CLASSPATH",
        "R_LIBS",
        "R_LIBS_USER",
        "PHP_INI_SCAN_DIR",
        "TCLLIBPATH",
        "GUILE_LOAD_PATH",
        "ERL_LIBS",
        # configs that choose where a tool's plugins and providers come from (fourteenth
        # pass: terraform's `provider_installation { network_mirror { url = ... } }`)
        "TF_CLI_CONFIG_FILE",
        "TERRAFORM_CONFIG",
        "TF_PLUGIN_CACHE_DIR",
        "PIP_CONFIG_FILE",
        "NPM_CONFIG_USERCONFIG",
        "HELM_PLUGINS",
        "KREW_ROOT",
        # environment modules: Lmod and Tcl modules evaluate a modulefile to show it too
        "MODULEPATH",
        # where git runs its subcommands from, apt reads its configuration (hooks) from,
        # and the program npm runs every package script through (npm reads its settings
        # from the environment whatever their case)
        "GIT_EXEC_PATH",
        "APT_CONFIG",
        "npm_config_script_shell",
        "NPM_CONFIG_SCRIPT_SHELL",
        # the composer.json composer reads (its scripts and plugins run)
        "COMPOSER",
    }
)
# A tool's own variables naming its project, configuration or plugin file or folder
# (eighteenth pass, left18): the tool loads what it finds there and runs the code it
# names (mix.exs is Elixir, renovate's config.js is JavaScript, pyproject's build backend
# and scripts, a Gradle home's init scripts, a Cargo home's `rustc-wrapper`, yarn's
# `yarnPath`, a Docker config's CLI plugins), so one in a temp folder is unreviewed code.
PROJECT_FILE_VARS = frozenset(
    {
        "MIX_EXS",
        "UV_PROJECT",
        "UV_CONFIG_FILE",
        "RENOVATE_CONFIG_FILE",
        "PIPENV_PIPFILE",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "GRADLE_USER_HOME",
        "COMPOSER_HOME",
        "YARN_RC_FILENAME",
        "NPM_CONFIG_GLOBALCONFIG",
        "npm_config_userconfig",
        "npm_config_globalconfig",
        "DOCKER_CONFIG",
        "ANSIBLE_CONFIG",
        "GIT_CONFIG_GLOBAL",
        "GIT_CONFIG_SYSTEM",
    }
)
# Variables naming where a package manager or toolchain fetches code from (sixteenth
# pass, auditdev); npm reads its settings from the environment whatever their case.
PACKAGE_SOURCE_VARS = frozenset(
    {
        "PIP_INDEX_URL",
        "PIP_EXTRA_INDEX_URL",
        "PIP_FIND_LINKS",
        "UV_INDEX_URL",
        "UV_EXTRA_INDEX_URL",
        "UV_INDEX",
        "UV_DEFAULT_INDEX",
        "npm_config_registry",
        "YARN_NPM_REGISTRY_SERVER",
        "YARN_REGISTRY",
        "COREPACK_NPM_REGISTRY",
        "GOPROXY",
        "RUSTUP_DIST_SERVER",
        "RUSTUP_UPDATE_ROOT",
        "CARGO_REGISTRIES_CRATES_IO_INDEX",
        "GEM_SOURCE",
        "POETRY_REPOSITORIES_DEFAULT_URL",
    }
)
_UNVETTED_URL = lazy(r"(?:^|[\s,|=])['\"]?(?:http://|https?://\d+\.\d+\.\d+\.\d+)")
# Variables that turn a download's check off (a certificate, the checksum database) for
# the command they are set on: what it fetches is then whatever the network served.
_CHECK_OFF = {
    "GIT_SSL_NO_VERIFY": lazy(r"(?i)^(?!0$|false$|no$|off$|$)"),
    "GOSUMDB": lazy(r"(?i)^off$"),
    "GONOSUMDB": lazy(r"\S"),
    "GONOSUMCHECK": lazy(r"(?i)^(?:1|true|on)$"),
    "GOINSECURE": lazy(r"\S"),
    "GOFLAGS": lazy(r"(?:^|\s)-insecure\b"),
    "NODE_TLS_REJECT_UNAUTHORIZED": lazy(r"^0$"),
    "PIP_TRUSTED_HOST": lazy(r"\S"),
    "npm_config_strict_ssl": lazy(r"(?i)^false$"),
}


# Variables naming the certificate authorities a client trusts (left17): one read from a
# temp folder lets whoever wrote it there sign the servers the command talks to.
CA_BUNDLE_VARS = frozenset(
    {
        "PIP_CERT",
        "REQUESTS_CA_BUNDLE",
        "CURL_CA_BUNDLE",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "NODE_EXTRA_CA_CERTS",
        "npm_config_cafile",
        "GIT_SSL_CAINFO",
        "GIT_SSL_CAPATH",
        "AWS_CA_BUNDLE",
        "CARGO_HTTP_CAINFO",
        "BUNDLE_SSL_CA_CERT",
        "YARN_CA_FILE_PATH",
        "YARN_HTTPS_CA_FILE_PATH",
        "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH",
    }
)


def unvetted_source_var(name: str, value: str) -> str | None:
    """Why `name=value` makes the command it is set on fetch code no registry vouches
    for, or None: a package index, registry or toolchain server over plain http or at a
    bare address (`PIP_INDEX_URL=http://203.0.113.8/simple pip install x`), a check of
    what is fetched turned off (`GIT_SSL_NO_VERIFY=1`, `GOSUMDB=off`), or a certificate
    authority trusted from a temp folder (`PIP_CERT=/tmp/ca.pem`)."""
    key = name.lower() if name.lower().startswith("npm_config_") else name
    if key in PACKAGE_SOURCE_VARS and _UNVETTED_URL.search(value):
        return "fetches code from plain http or a bare address"
    if key in CA_BUNDLE_VARS and unreviewed_folder(value.strip("'\""), (None,)):
        return "trusts a certificate authority from a temp folder (TLS interception)"
    check = _CHECK_OFF.get(key)
    if check is not None and check.search(value):
        return "turns off the check of what is fetched (a certificate or the checksum database)"
    return None


PROMPT_VARS = frozenset({"PS1", "PS2", "PS3", "PS4"})
_HISTORY_SIZES = frozenset({"HISTSIZE", "HISTFILESIZE"})


def hides_history(name: str, value: str | None) -> bool:
    """Whether setting `name` to `value` (None: `unset`) stops the shell recording.

    A size of zero, empty or only known at run time keeps nothing, and so does any
    `HISTFILE` change (the history goes elsewhere) or `HISTIGNORE='*'`; a size of
    thousands keeps more than before, and an unset size means no limit at all, so
    `HISTSIZE=5000` and `unset HISTSIZE` are routine."""
    if name == "HISTFILE":
        return True
    if name == "HISTIGNORE":
        return value is not None and "*" in value.split(":")
    if name not in _HISTORY_SIZES or value is None:
        return False
    return re.fullmatch(r"\s*-?\d+\s*", value) is None or int(value) == 0


def joined_lines(src: str) -> str:
    """`src` with each line continuation between two words (`for \\<newline>f in`,
    `while \\<newline>:; do`) turned into two spaces, as bash reads it: the length and so
    every span stays, and the patterns that read loops, functions and arrays from the
    text see one line. A continuation inside a word (`wip\\<newline>efs`, which bash
    joins into one word), inside quotes or in a line with a here-doc is left alone."""
    if "\\\n" not in src or "<<" in src:
        return src
    out, quote, boundary, i = list(src), "", True, 0
    while i < len(src):
        c = src[i]
        if quote:
            quote = "" if c == quote else quote
            i += 2 if c == "\\" and quote == '"' else 1
            continue
        if c == "\\":
            if boundary and src[i + 1 : i + 2] == "\n":
                out[i] = out[i + 1] = " "
            boundary = boundary and src[i + 1 : i + 2] == "\n"
            i += 2
            continue
        quote = c if c in "'\"" else ""
        boundary = c in " \t\n;&|(){}"
        i += 1
    return "".join(out)


def expand(word: Word, values: dict[str, str]) -> Word:
    """`word` with the variables the line set to known text replaced by that text;
    `${!n}` is the value of the variable whose name `n` holds (`t=/dev/sdb; n=t; dd
    of=${!n}` writes the disk)."""
    if not values or "$" not in word.raw:
        return word

    def value(m: re.Match[str]) -> str:
        name = m.group(2) or m.group(4)
        if m.group(1):
            name = values.get(name, "")
        if name not in values:
            return m.group(0)
        operated = parameter_operator(values[name], m.group(3) or "")
        return m.group(0) if operated is None else operated

    raw = _VAR.sub(value, word.raw)
    if raw == word.raw:
        return word
    return Word(_VAR.sub(value, word.text), word.start, word.end, raw)


def parameter_operator(value: str, op: str) -> str | None:
    """`value` as `${name OP}` gives it (`${x:1:8}`, `${x#X}`, `${x/X/}`, `${x^^}`), or
    None for an operator not modelled: `x=XFLUSHALLX; redis-cli ${x:1:8}` flushes."""
    if not op or op.lstrip(":")[:1] in ("-", "=", "?"):
        return value  # a default, assigned or required: the variable is set
    if m := _SLICE.match(op):
        start = int(m.group(1))
        start = max(len(value) + start, 0) if start < 0 else start
        if m.group(2) is None:
            return value[start:]
        length = int(m.group(2))
        return value[start : start + length] if length >= 0 else value[start:length]
    case = {"^^": value.upper(), ",,": value.lower(), "^": value[:1].upper() + value[1:]}
    if op in case or op == ",":
        return case.get(op, value[:1].lower() + value[1:])
    if m := _TRIM.match(op):
        return _trimmed(value, m.group(1), m.group(2))
    if m := _REPLACE.match(op):
        return _replaced(value, m.group(1), m.group(2), m.group(3) or "")
    return None


def _glob(pattern: str) -> re.Pattern[str]:
    """A shell pattern of a parameter operator as a regular expression (whole match)."""
    import fnmatch  # here, not at the top: most checks never need it

    return re.compile(fnmatch.translate(pattern))


def _trimmed(value: str, op: str, pattern: str) -> str:
    """`${x#p}`, `${x##p}` (shortest, longest prefix) and `${x%p}`, `${x%%p}` (suffix)."""
    glob = _glob(pattern)
    cuts = range(len(value) + 1) if op in ("#", "%%") else range(len(value), -1, -1)
    for i in cuts:
        part = value[:i] if op[0] == "#" else value[i:]
        if glob.match(part):
            return value[i:] if op[0] == "#" else value[:i]
    return value


def _replaced(value: str, how: str, pattern: str, new: str) -> str:
    """`${x/p/new}` (the first match), `${x//p/new}` (every), `${x/#p/new}` (a prefix),
    `${x/%p/new}` (a suffix): a pattern with glob characters is matched as bash does."""
    body = _glob(pattern).pattern.removeprefix("(?s:").removesuffix(")\\Z")
    anchored = {"#": f"^(?:{body})", "%": f"(?:{body})$"}.get(how, body)
    return re.sub(anchored, lambda _: new, value, count=0 if how == "/" else 1)


def expand_split(word: Word, values: dict[str, str]) -> list[Word]:
    """`expand`, then the word splitting of an unquoted `$VAR`: `C='rm -rf /'; $C` runs
    `rm` with two arguments."""
    out = expand(word, values)
    if out is word or "'" in word.raw or '"' in word.raw or not out.text.split():
        return [out]
    # a line that sets IFS splits on its characters (`IFS=,; c=rm,-rf,/x; $c`)
    parts = ifs_split(out.text, values.get("IFS"))
    return [Word(part, word.start, word.end, part) for part in parts] or [out]


# `"$@"`, `$*`, `"${a[@]}"`, `${a[*]}`: a whole list, one word per item even in quotes.
_LIST_REF = lazy(r'^"?\$(?:(@|\*)|\{(?:(@|\*)|([A-Za-z_]\w*)\[[@*]\])\})"?$')


def expand_list(word: Word, lists: dict[str, list[str]]) -> list[Word] | None:
    """The items of a list the line set (`set -- ...` for `"$@"`, `a=(...)` or
    `read -a a` for `"${a[@]}"`), or None when `word` names no known list."""
    m = _LIST_REF.match(word.raw)
    if m is None:
        return None
    items = lists.get(m.group(1) or m.group(2) or m.group(3))
    if items is None:
        return None
    return [Word(t, word.start, word.end, t) for t in items]


def array_items(raw_value: str) -> list[str] | None:
    """The items of an array assignment's value `(a b 'c d')` (None for a plain value)."""
    if not (raw_value.startswith("(") and raw_value.endswith(")")):
        return None
    import shlex  # here, not at the top: most checks never need it

    try:
        return shlex.split(raw_value[1:-1], comments=False)
    except ValueError:
        return raw_value[1:-1].split()


def ifs_split(text: str, ifs: str | None) -> list[str]:
    """`text` split as `read` and unquoted expansions split it: on the characters of
    IFS (blanks when it is unset), blanks always counted too (the worse reading)."""
    separators = re.compile(f"[\\s{re.escape(ifs or '')}]+")
    return [p for p in separators.split(text) if p]


def assigned_value(raw: str, fallback: str) -> str:
    """The value of `NAME=VALUE` as written, one level of quotes removed (the parser's
    text drops every quote: `P='sh -c "a b"'` would lose its inner quoting). ANSI-C
    quoting (`$'rm\\n-rf'`) is the parser's decoded text."""
    _name, _, value = raw.partition("=")
    if "$'" in value:
        return fallback
    import shlex

    try:
        parts = shlex.split(value)
    except ValueError:
        return fallback
    return " ".join(parts) if parts else ""


def loop_values(src: str) -> dict[str, str]:
    """`for NAME in WORDS; do`: NAME bound to the worst of its words (a write to
    `/var/log/*.log` and to `/tmp/x` is judged as a write to the logs). A list read from
    the account database (`$(cut -d: -f1 /etc/passwd)`, `$(getent passwd | ...)`) is
    every account: NAME is judged as `root`, whatever filter follows (a `grep -v root`
    still leaves `toor`, the operator's own account and every service's)."""
    out: dict[str, str] = {}
    for m in _LOOP.finditer(src):
        words = [w.strip("'\"") for w in m.group(2).split()]
        if words and not any("$" in w or "`" in w for w in words):
            out[m.group(1)] = min(words, key=lambda w: _CLASS_ORDER.index(classify(w)))
        elif _ACCOUNT_LIST.search(m.group(2)):
            out[m.group(1)] = "root"
        elif listed := _listed_paths(m.group(2)):
            out[m.group(1)] = min(listed, key=lambda w: _CLASS_ORDER.index(classify(w)))
    return out


# `$(ls /var/log/*.log)`, `` `find /etc/nginx -name '*.conf'` ``: a list of files under
# the paths the listing names, so the loop variable is one of them.
_LISTING = lazy(r"^\s*(?:\$\(|`)\s*(?:ls|find|echo)\s+([^)`]*)(?:\)|`)\s*$")


def _listed_paths(words: str) -> list[str]:
    m = _LISTING.match(words)
    if m is None:
        return []
    return [w.strip("'\"") for w in m.group(1).split() if w.strip("'\"").startswith(("/", "~"))]


def functions(src: str) -> set[str]:
    """Names of the functions the line defines (`f() {`, `function f {`)."""
    return {m.group(1) or m.group(2) for m in _FUNCTION.finditer(src)}


def called_body(src: str, name: str, args: list[str]) -> str | None:
    """The body of the function `name` the line defines (`f() { BODY; }`), with the
    arguments of one call put in place of `$@`, `$*` and `$1`...`$9`; None when the line
    defines no such one-level body or the body uses no argument."""
    import shlex  # here, not at the top: most checks never need it

    m = re.search(
        r"(?:^|[;&|({}\s])(?:function\s+"
        + re.escape(name)
        + r"|"
        + re.escape(name)
        + r"\s*\(\s*\))\s*\{([^{}]*)\}",
        src,
    )
    if m is None or not re.search(r"\$(?:[@*1-9]|\{[@*1-9]\})", m.group(1)):
        return None
    joined = " ".join(shlex.quote(a) for a in args)
    body = m.group(1)

    def put(found: re.Match[str]) -> str:
        key = found.group(1) or found.group(2) or found.group(3) or found.group(4)
        value = joined if key in "@*" else (args[int(key) - 1] if int(key) <= len(args) else "")
        if found.group(0).startswith('"') or not _in_double_quotes(body, found.start()):
            # `"$1"` or a bare `$1`: the arguments as words of their own
            return value if key in "@*" else shlex.quote(value)
        # inside a longer double-quoted string (`echo "would wipe $1"`): its text there
        return re.sub(r'(["$`\\])', r"\\\1", value)

    return re.sub(r'"\$(?:([@*1-9])|\{([@*1-9])\})"|\$(?:([@*1-9])|\{([@*1-9])\})', put, body)


def _in_double_quotes(text: str, at: int) -> bool:
    """Is position `at` of shell text inside a double-quoted string?"""
    single = double = False
    i = 0
    while i < at:
        c = text[i]
        if c == "\\" and not single:
            i += 2
            continue
        if c == "'" and not double:
            single = not single
        elif c == '"' and not single:
            double = not double
        i += 1
    return double


def brace_words(word: Word) -> list[Word] | None:
    """`{rm,-rf,/srv}` as a command word is the words `rm -rf /srv` (None otherwise); a
    prefix or suffix joins each part, as bash does (`{sh,}red` is `shred red`)."""
    m = _BRACE.match(word.raw)
    if m is None:
        return None
    head, parts, tail = m.group(1), m.group(2).split(","), m.group(3)
    words = (head + part + tail for part in parts)
    # the raw text stays the braced word: a convention that trusts only plain words (an
    # unknown tool's read verb) does not take `zztool status {a,b}` for one
    return [Word(w, word.start, word.end, word.raw) for w in words if w]


def substitutions(text: str) -> list[str]:
    """The commands inside `$(...)` and backticks in `text` (a here-doc body, a prompt)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("$(", i) and not text.startswith("$((", i):
            end = closing(text, i + 2)
            out.append(text[i + 2 : end])
            i = end + 1
        elif text[i] == "`":
            end = text.find("`", i + 1)
            end = len(text) if end < 0 else end
            out.append(text[i + 1 : end])
            i = end + 1
        else:
            i += 1
    return [s for s in out if s.strip()]


def subscript_code(src: str, values: dict[str, str]) -> list[str]:
    """Substitutions inside an array subscript anywhere in the text, quoted or not:
    `x='a[$(cmd)]'; echo $(( x ))` runs cmd when the arithmetic reads x; and those in
    the value of a variable a subscript reads (`k='$(cmd)'; (( m[$k]++ ))`: the
    arithmetic expands `$k`, then evaluates the subscript it got, running cmd)."""
    written = [c for m in _SUBSCRIPT.finditer(src) for c in substitutions(src[m.start(1) :])[:1]]
    read = [
        c
        for m in _SUBSCRIPT_VARIABLE.finditer(src)
        for c in substitutions(values.get(m.group(1), ""))[:1]
    ]
    return written + read


# `coproc NAME { bash; }` (or `coproc NAME bash`): a shell whose commands come from what
# the line writes to it, `echo CMD >&"${NAME[1]}"`.
_SHELL_COPROC = lazy(r"\bcoproc\s+([A-Za-z_]\w*)\s*(?:\{\s*)?(?:\S*/)?(?:ba|da|z|k|mk)?sh\b")
_COPROC_WRITE = (
    r"\b(?:echo|printf)\s+(?:-\w+\s+)*(['\"])(.*?)\1\s*[0-9]?>&\s*\"?\$\{{{name}\[1\]\}}"
)


def coproc_commands(src: str) -> list[str]:
    """What the line writes to a shell it started as a coprocess: the commands that shell
    runs (`coproc SH { bash; }; echo 'pfctl -d' >&"${SH[1]}"` runs `pfctl -d`)."""
    out: list[str] = []
    for m in _SHELL_COPROC.finditer(src):
        written = re.finditer(_COPROC_WRITE.format(name=re.escape(m.group(1))), src)
        out.extend(w.group(2) for w in written)
    return out


def closing(text: str, start: int, open_: str = "(", close: str = ")") -> int:
    """Where the bracket opened just before `start` closes (nested pairs skipped), or
    `len(text)` when it never does: `$(...)` here, arithmetic's `${...}` and `a[...]`
    (`arith`), a Python call's arguments (`mlcode`)."""
    depth, i = 1, start
    while i < len(text):
        if text[i] == open_:
            depth += 1
        elif text[i] == close:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(text)


def same_file(a: str, b: str) -> bool:
    """Do two paths as written name the same file (`./x.sh` and `x.sh`)? A `b` ending in
    `/` is a folder written whole (a clone): every file under it is one of its files."""
    if not a or not b:
        return False
    if b == "./":  # an archive unpacked into the working folder: any relative path
        return not a.startswith(("/", "~", "$"))
    if b.endswith("/") and len(b) > 1:
        return posixpath.normpath(a).startswith(posixpath.normpath(b) + "/")
    return posixpath.normpath(a) == posixpath.normpath(b)


def remote_name(cmd: Cmd) -> str | None:
    """The file a download saves under the URL's own name (twentieth pass, audit20a):
    wget without `-O` (in `-P`'s folder, else the working one), curl with `-O` or
    `--remote-name` (in `--output-dir`'s), so that `wget URL/x.run && sh x.run` runs
    what it downloaded. None when the line names the file itself or nothing is saved."""
    if cmd.name == "wget" and cmd.option_value("O", "output-document") is None:
        folder = cmd.option_value("P", "directory-prefix")
    elif cmd.name == "curl" and cmd.has("O", "remote-name", "remote-name-all"):
        folder = cmd.option_value("output-dir")
    else:
        return None
    url = next((w.text for w in cmd.positional() if "://" in w.text), None)
    if url is None:
        return None
    path = url.split("://", 1)[1].split("?", 1)[0].split("#", 1)[0]
    name = path.rsplit("/", 1)[-1] if "/" in path else ""
    name = name or "index.html"
    return f"{folder.rstrip('/')}/{name}" if folder else name


def clone_folder(name: str, positional: list[str]) -> str | None:
    """The folder `git clone URL [DIR]` (or hg/svn's) fills with downloaded files, as
    `DIR/`, so that running a file from it later on the line is running unreviewed code."""
    if name not in ("git", "hg", "svn") or not positional:
        return None
    if positional[0] not in ("clone", "checkout", "co"):
        return None
    rest = positional[1:]
    url = next(
        (i for i, t in enumerate(rest) if "://" in t or re.match(r"^[\w.-]+@[\w.-]+:", t)), None
    )
    if url is None:
        return None
    if url + 1 < len(rest):
        return rest[url + 1].rstrip("/") + "/"
    base = rest[url].rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return (base[:-4] if base.endswith(".git") else base) + "/" if base else None


_TAR_EXTRACT = lazy(r"^-?[A-Za-z]*x[A-Za-z]*$|^--(?:extract|get)$")
_TAR_STDOUT = lazy(r"^-?[A-Za-z]*O[A-Za-z]*$|^--to-stdout$")
_UNPACK_LISTING = frozenset({"-l", "-t", "-v", "-p", "-Z", "-c", "-z", "--list"})


def unpack_folder(name: str, argv: list[str]) -> str | None:
    """The folder an archive tool fills with unpacked files (`tar -xzf A -C DIR`, `unzip A
    -d DIR`, `7z x A -oDIR`, `jar xf A`), as `DIR/`, or `./` for the working folder: a
    program run from it later on the line is unpacked code nobody has reviewed. None when
    the command does not unpack (a listing, a test, an archive written)."""
    if name in ("tar", "gtar", "bsdtar"):
        bundled = argv[:1] if argv and not argv[0].startswith("-") else []
        if not any(_TAR_EXTRACT.match(a) for a in bundled + [a for a in argv if a[:1] == "-"]):
            return None
        if any(_TAR_STDOUT.match(a) for a in bundled + argv):
            return None  # `tar -xOzf A FILE | head`: printed, not unpacked
        return _folder_after(argv, ("-C", "--directory")) or "./"
    if name == "unzip":
        if any(a in _UNPACK_LISTING for a in argv):
            return None
        return _folder_after(argv, ("-d",)) or "./"
    if name in ("7z", "7za", "7zr") and argv and argv[0] in ("x", "e"):
        out = next((a[2:] for a in argv if a.startswith("-o") and len(a) > 2), None)
        return out.rstrip("/") + "/" if out else "./"
    if name == "jar" and argv and argv[0].lstrip("-").startswith("x"):
        return "./"
    if name == "cpio" and any(a in ("-i", "--extract") or _CPIO_IN.match(a) for a in argv):
        return _folder_after(argv, ("-D", "--directory")) or "./"
    return None


_CPIO_IN = lazy(r"^-[a-zA-Z]*i[a-zA-Z]*$")


def _folder_after(argv: list[str], options: tuple[str, ...]) -> str | None:
    """The folder given to one of `options` (`-C DIR`, `-CDIR`, `--directory=DIR`), as
    `DIR/`."""
    for i, a in enumerate(argv):
        for opt in options:
            if a == opt and i + 1 < len(argv):
                return argv[i + 1].rstrip("/") + "/"
            if a.startswith(opt + "=") or (not opt.startswith("--") and a.startswith(opt)):
                value = a[len(opt) :].lstrip("=")
                if value:
                    return value.rstrip("/") + "/"
    return None


# Build and project tools: each evaluates the project files of the folder it works in
# (a makefile, a Rakefile, build.gradle, BUILD files...), even to list its targets.
# Package managers' installs, and the files they take packages from: a requirements or
# constraints list, a local archive or folder (`pip install -r F`, `npm install ./x.tgz`).
_INSTALLERS = frozenset(
    {"pip", "pip3", "uv", "npm", "pnpm", "yarn", "gem", "pipx", "composer", "ansible-galaxy"}
)
_INSTALL_WORDS = frozenset({"install", "i", "add"})
_PACKAGE_FILE = lazy(r"/|\.(?:whl|tar\.gz|tgz|zip|gem|txt|in)$")


def package_files(cmd: Cmd) -> list[str]:
    """The files a package install takes its packages from (`pip install -r F`, `-c F`,
    `pip install ./pkg.whl`, `npm i /tmp/x.tgz`): each one's packages install and run
    their setup code, so one from a temp folder, or written on this line, is a program
    nobody reviewed. Registry names (`pip install requests`) are none. A packer template
    built (`packer build T`) is one too: its provisioners run, `shell-local` on this host."""
    if cmd.name == "packer":
        built = [a.text for a in cmd.positional()]
        return built[1:] if built[:1] == ["build"] else []
    if cmd.name in _CONDAS:
        return _environment_files(cmd)
    if cmd.name not in _INSTALLERS:
        return []
    pos = [a.text for a in cmd.positional("rce")]
    # `ansible-galaxy collection install -r F`, `role install`
    words = pos[1:] if pos[:1] in (["pip"], ["collection"], ["role"]) else pos
    if not words or words[0] not in _INSTALL_WORDS:
        return []
    listed = [cmd.option_value(n) for n in ("r", "requirement", "c", "constraint")]
    return [f for f in listed if f] + [w for w in words[1:] if _PACKAGE_FILE.search(w)]


_CONDAS = frozenset({"conda", "mamba", "micromamba"})


def _environment_files(cmd: Cmd) -> list[str]:
    """The environment or package-list file a conda-like tool builds an environment from
    (`conda env create -f F`, `mamba env update --file F`, `micromamba create -f F`,
    `conda install --file F`): its channels, packages and pip section install and run."""
    words = [a.text for a in cmd.positional("nfcp")]
    words = words[1:] if words[:1] == ["env"] else words
    if words[:1] not in (["create"], ["update"], ["install"]):
        return []
    return [f for f in cmd.option_values("f", "file") if f]


PROJECT_TOOLS = frozenset(
    {
        "make",
        "gmake",
        "bmake",
        "just",
        "task",
        "go-task",
        "gradle",
        "gradlew",
        "rake",
        "mage",
        "pants",
        "mise",
        "ant",
        "bazel",
        "bazelisk",
        "dbt",
        "npm",
        "yarn",
        "pnpm",
        "cargo",
        "mvn",
        "mvnw",
        "bundle",
        "sbt",
        "invoke",
        "nox",
        "tox",
        "meson",
        "ninja",
        "cmake",
        "scons",
        "earthly",
        "ansible-inventory",
        "dagger",
        "tilt",
        "skaffold",
        # monorepo runners and a project's checkers (fp17: projecttools.toml): their
        # listings and lints evaluate the project's config (nx.json, .eslintrc.js,
        # mypy's plugins, .rubocop.yml's requires, mix.exs, project.clj)
        "nx",
        "turbo",
        "moon",
        "lerna",
        "changeset",
        "conan",
        "zig",
        "dune",
        "lein",
        "mix",
        "eslint",
        "biome",
        "mypy",
        "dmypy",
        "rubocop",
        "golangci-lint",
        "buf",
        "sqlc",
        "prisma",
        "knip",
        "depcheck",
        "madge",
        "commitlint",
        "syncpack",
        "playwright",
        "lefthook",
        "devcontainer",
        # a configuration's data sources run programs at plan (`data "external"`)
        "terraform",
        "tofu",
        "terragrunt",
        # the tables crit17 gave read verbs load the project's recipe first: mix.exs
        # (Elixir), conanfile.py, buf.yaml's check plugins (rev17b); prettier loads
        # its config and the plugins it names from the working folder (prettier.check)
        "prettier",
    }
)
# Checkers that look their configuration up beside each file they check, not in the
# working folder only (left18): `prettier --check /tmp/x` loads /tmp/x's
# .prettierrc.cjs and the plugins it names, `eslint /tmp/x` its eslint.config.js,
# `rubocop /tmp/x` its .rubocop.yml's `require:` (Ruby), stylelint its JavaScript config.
CONFIG_BESIDE_FILES = frozenset({"prettier", "eslint", "rubocop", "stylelint"})
# The project files such tools read, wherever the line writes them.
_PROJECT_FILE = lazy(
    r"(?i)^(?:(?:gnu)?makefile|\S+\.mk|justfile|\.justfile|taskfile(?:\.dist)?\.ya?ml|"
    r"build\.gradle(?:\.kts)?|settings\.gradle(?:\.kts)?|gradle\.properties|rakefile(?:\.rb)?|"
    r"\S+\.rake|gemfile|magefile\.go|pants\.toml|build(?:\.bazel)?|workspace(?:\.bazel)?|"
    r"module\.bazel|\S+\.bzl|\.?mise\.toml|\.tool-versions|build\.xml|dbt_project\.yml|"
    r"profiles\.yml|package\.json|\.npmrc|cargo\.toml|build\.rs|pom\.xml|build\.sbt|"
    r"tasks\.py|noxfile\.py|tox\.ini|meson\.build|build\.ninja|cmakelists\.txt|"
    r"sconstruct|earthfile|tiltfile|skaffold\.ya?ml|nx\.json|project\.json|turbo\.json|"
    r"lerna\.json|\.?eslintrc(?:\.\w+)?|eslint\.config\.\w+|biome\.jsonc?|mypy\.ini|"
    r"\.mypy\.ini|setup\.cfg|pyproject\.toml|\.rubocop\.ya?ml|\.golangci\.ya?ml|mix\.exs|"
    r"project\.clj|conanfile\.(?:py|txt)|build\.zig|dune(?:-project)?|buf(?:\.work)?\.ya?ml|"
    r"sqlc\.ya?ml|schema\.prisma|knip\.jsonc?|commitlint\.config\.\w+|playwright\.config\.\w+|"
    r"lefthook\.ya?ml|devcontainer\.json|moon\.ya?ml|prettier\.config\.[cm]?[jt]s|"
    r"\.prettierrc(?:\.\w+)?)$"
)


def in_project(written: str, cwds: tuple[str | None, ...]) -> bool:
    """Is the file `written` (earlier on the line) one a project tool working in one of
    `cwds` reads: any relative path (the working folder, an archive unpacked there, a
    clone), a project file by name (`/srv/app/Makefile`), a file under the folder, or the
    folder itself written whole (`git clone URL /opt/src/x && cd /opt/src/x && make`)?"""
    if not written.startswith(("/", "~", "$")):
        return True
    if _PROJECT_FILE.match(posixpath.basename(written.rstrip("/"))):
        return True
    whole = written.endswith("/")
    return any(
        c is not None
        and (
            same_file(written, c.rstrip("/") + "/")
            or (whole and posixpath.normpath(written) == posixpath.normpath(c))
        )
        for c in cwds
    )


_DOWNLOADS = lazy(r"(?:^|/)[Dd]ownloads?/")


def unreviewed_folder(path: str, cwds: tuple[str | None, ...]) -> bool:
    """Is the program file `path` kept where anyone, or a browser, puts files: a temp
    folder (`/tmp`, `/var/tmp`, `/dev/shm`, also reached by a relative path after `cd
    /tmp`) or a downloads folder? Code kept there was never reviewed."""
    if _DOWNLOADS.search(path):
        return True
    if classify(path) == "temp":
        return True
    if path.startswith(("/", "~", "$")):
        return False
    if _CLIMBS_TO_TEMP.match(path):
        return True  # `\\ir ../../tmp/x.sql`: climbed out of an unknown folder into /tmp
    return any(c is not None and classify(posixpath.join(c, path)) == "temp" for c in cwds)


# A relative path that climbs (`../`) and then names a temp folder (`../../tmp/x.sql`,
# `../../../var/tmp/x`, `../dev/shm/x`): whatever folder it starts from, the agent aims it
# at the temp folder of the root (left16); a guess that only ever raises.
_CLIMBS_TO_TEMP = lazy(r"^(?:\./)*(?:\.\./)+(?:var/)?(?:tmp|dev/shm)/")


# Folders of the usual PATH: a file written there runs when its bare name is a command.
_PATH_DIRS = frozenset(
    {
        "/usr/local/bin",
        "/usr/local/sbin",
        "/usr/bin",
        "/usr/sbin",
        "/bin",
        "/sbin",
        "~/bin",
        "~/.local/bin",
        "$HOME/bin",
        "$HOME/.local/bin",
    }
)


def runs_file(command: str, path: str) -> bool:
    """Does the command word `command` run the file written at `path`: the same path, or
    its bare name when `path` is in a folder of the usual PATH (`wget -O
    /usr/local/bin/x ... && x`)?"""
    if path == "./":  # an archive unpacked here: `./x` runs from it, a bare `x` from PATH
        return "/" in command and not command.startswith(("/", "~", "$"))
    if same_file(command, path):
        return True
    if not command or "/" in command or not path:
        return False
    folder, name = posixpath.split(posixpath.normpath(path))
    return name == command and folder in _PATH_DIRS


def comment_spans(src: str) -> list[tuple[int, int]]:
    """Where the shell's comments are: from an unquoted `#` that starts a word to the end
    of its line. A misreading only ever makes a comment shorter (quotes are honoured,
    `$'...'` and escapes included)."""
    spans: list[tuple[int, int]] = []
    quote = ""
    i = 0
    while i < len(src):
        c = src[i]
        if quote:
            if c == "\\" and quote != "'":
                i += 1
            elif c == quote:
                quote = ""
        elif c == "\\":
            i += 1
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or src[i - 1] in " \t\n;&|()"):
            end = src.find("\n", i)
            end = len(src) if end < 0 else end
            spans.append((i, end))
            i = end
        i += 1
    return spans
