"""Arguments that name a credential file without its content reaching the output
(seventeenth pass, fp17: held-out v16's credential false alarms).

`effects.secret_reads` types any tool that reads a credential named on its line. Some
forms name one and print only what is not secret, and some words only look like a
credential's path:

- git's listings of paths (`ls-files`, `check-ignore`, `check-attr`, `ls-tree`) print
  names, modes and object ids, never a file's bytes: `git ls-files -- '*.env*' .npmrc`;
- a jq program that keeps only the keys, the length or name fields of what it reads
  (`jq '.auths | keys' ~/.docker/config.json`: the registries, not their logins), by the
  same test a pipe into jq is judged by (`effects.keeps_no_values`);
- jq's program is no file (`jq -r '.[].key'` is not a key file named `.key`), nor is a
  package manager's `@scope/name` (`npm explain @babel/core`: a package, not a core dump);
- a CI variables listing (`glab api projects/ID/variables`) piped into a jq program that
  keeps each variable's name (`jq -r '.[].key'`), not its `.value`;
- a search whose every alternative is a section header or a setting that holds no
  secret (`grep -E '^\\[|repository' ~/.pypirc`: the index names and their URLs);
- a count of lines (`grep -c`) whose every pattern is a setting's name in a credential
  file's own spelling (`_authToken`, `repository`), which spells no guess of a value.

What still prints a value stays a credential read: `jq '.auths' config.json`, `jq -r
'.[].value'`, `grep _authToken ~/.npmrc`, `grep -c -e _authToken -e npm_A1`, `git show
HEAD:.env`, `git ls-files -- .npmrc | xargs cat`.
"""

from __future__ import annotations

import posixpath
import re

from aiperm_tui.policy.fspaths import is_incidental_secret
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.normalize import Cmd, make_cmd
from aiperm_tui.policy.parse import Simple

# git's subcommands that list paths (and their modes, stages, object ids or ignore rules)
_PATH_LISTINGS = frozenset({"ls-files", "check-ignore", "check-attr", "ls-tree"})
# jq and its reimplementations: the first positional word is the program, unless it is
# read from a file (`-f FILE`, `--from-file`)
_JQ = frozenset({"jq", "gojq", "jaq"})
# jq's options that only shape its output (raw strings, compact, sorted keys, colour), by
# which a program's output is judged here and in `effects.keeps_no_values`
JQ_SHAPING = frozenset("rcMSjeaC") | {
    "raw-output",
    "compact-output",
    "sort-keys",
    "monochrome-output",
    "color-output",
    "exit-status",
    "ascii-output",
    "join-output",
}
_PACKAGE_MANAGERS = frozenset({"npm", "pnpm", "yarn", "bun", "npx", "pnpx", "bunx"})
# `@scope/name`, with a version or tag (`@babel/core@7.26.0`): a package on a registry
_SCOPED_PACKAGE = lazy(r"@[a-z0-9][\w.-]*/[a-z0-9][\w.-]*(?:@[\w.^~<>=*|-]+)?")
# Settings of the credential files (`.npmrc`, `.pypirc`, `.yarnrc.yml`, `.docker/config.json`,
# `.aws/credentials`) by their names, as written there: a count of the lines naming one
# answers how many logins there are, never what a value holds. Not the plain words
# (`password`, `token`): counted in a shell history they say whether one was typed there
# (fp13 keeps `grep -c password ~/.bash_history` typed).
_SETTING_NAMES = frozenset(
    {
        "_authtoken", "_auth", "_password", "always-auth", "registry", "repository",
        "index-servers", "auths", "credsstore", "credhelpers", "npmauthtoken",
        "npmauthident", "aws_access_key_id", "aws_secret_access_key", "aws_session_token",
    }
)  # fmt: skip


def lists_paths_only(cmd: Cmd) -> bool:
    """`git ls-files -- .npmrc`, `git check-ignore -v .env.local`: git prints the names
    it matches (and modes, object ids or the ignore rule), never their content."""
    if cmd.name != "git":
        return False
    pos = cmd.positional()
    return bool(pos) and pos[0].text in _PATH_LISTINGS


def names_no_file(cmd: Cmd, at: int) -> bool:
    """Is argument `at` of `cmd` a word the tool never opens as a file: jq's program, or a
    package manager's `@scope/name`?"""
    word = cmd.args[at]
    if cmd.name in _PACKAGE_MANAGERS:
        return bool(_SCOPED_PACKAGE.fullmatch(word.text))
    if cmd.name not in _JQ or cmd.has("f", "from-file"):
        return False
    pos = cmd.positional()
    return bool(pos) and pos[0] is word


# The settings of those files that name where and who, never the credential itself
_PLAIN_SETTINGS = frozenset(
    {"repository", "index-servers", "registry", "username", "email", "always-auth", "strict-ssl"}
)
# Credential files whose every secret is a setting on its own line (`password = ...`):
# a plain setting's name may be searched anywhere in their lines
_NAME_KEYED = frozenset({".pypirc"})
_GREPS = frozenset({"grep", "egrep", "fgrep", "rg"})
# grep's (and rg's) options that add lines beside the matches, invert them, print every
# line (`rg --passthru`) or read patterns elsewhere
_WIDENING = (
    "v", "invert-match", "A", "B", "C", "context", "after-context", "before-context",
    "f", "file", "z", "null-data", "P", "perl-regexp", "passthru", "passthrough",
)  # fmt: skip


def searches_plain_settings(cmd: Cmd) -> bool:
    """`grep -E '^\\[|repository' ~/.pypirc`: only section headers and settings that hold
    no secret are printed (every alternative of every pattern; no inverted match, no
    context lines, no pattern file, no recursion), from a credential file that is a
    configuration, not a shell history."""
    if cmd.name not in _GREPS or cmd.has(*_WIDENING, "r", "R", "recursive"):
        return False
    patterns = list(cmd.option_values("e", "regexp"))
    pos = cmd.positional("efmABC")
    files = pos if patterns else pos[1:]
    if not patterns:
        patterns = [pos[0].text] if pos else []
    if not files or any(is_incidental_secret(f.text) for f in files):
        return False  # a history's lines are commands: `docker login registry -p ...`
    alternatives = [a for p in patterns for a in re.split(r"\\?\|", p)]
    # a word found anywhere in a line also finds the lines keyed by a host holding it
    # (`//registry.npmjs.org/:_authToken=...`, `machine registry.corp login u password
    # p`): unanchored, only in a file whose secrets sit on their own `name = value` lines
    keyed = all(posixpath.basename(f.text.strip("'\"")) in _NAME_KEYED for f in files)
    configs = all(_CONFIG_NAME.search(f.text.strip("'\"")) for f in files)
    if len(patterns) == 1 and (grouped := _anchored_group(patterns[0])) is not None:
        alternatives = grouped  # `^(http_port|domain|root_url)`: each alternative anchored
    return bool(alternatives) and all(
        ((a.startswith("^") or keyed) and a.removeprefix("^").lower() in {"\\[", *_PLAIN_SETTINGS})
        or (configs and _plain_setting_line(a))
        for a in alternatives
    )


# A configuration file by its name (fix19): settings on lines; never a raw secret (a
# token, a key, a PIN file), where an anchored word is a guess of the value's start
_CONFIG_NAME = lazy(r"\.(?:conf|ini|cfg|cnf|ya?ml|toml|properties|json)$|rc$")
# nineteenth pass (fix19): `^(a|b|c)`, one group of alternatives anchored as a whole
_ANCHORED_GROUP = lazy(r"\^\(([^()]*)\)")
# A setting's whole name, or a section header's start (`\[domain`)
_SETTING_WORD = lazy(r"(?:\\\[)?[A-Za-z][A-Za-z0-9_.-]*")
# Words inside a name that spell a credential's setting (`ldap_default_authtok`,
# `admin_password`, `secret_key`, `bind_pw`, `cookie_secure`): such a name is no plain one
_CREDENTIAL_PART = lazy(
    r"(?i)pass|pw|pin\b|authtok|secret|token|key|cred|cookie|salt|hash|cert|psk|private|sign|dsn|conn"
)
# Words that start credential settings' names (`admin_password`, `ldap_default_authtok`,
# `smtp_auth_password`, `db_url`): as the last word of an alternative, grep's prefix match
# reaches the credential beside them
_PREFIX_WORD = lazy(
    r"(?i)(?:^|[_.-])(?:admin|root|default|bind|auth|ldap|smtp|db|database|client|master|"
    r"api|access|user|users|service|app|basic|http|https|proxy|remote|server|oauth|oidc|"
    r"sasl|tls|ssl|krb5|kerberos|account|login|[a-z]{1,2})$"
)
# A line holding a name and a colon only (`^[a-z_-]+:$`: the keys of a YAML map whose
# values sit below): no value can be on it
_KEY_ONLY = lazy(r"\^(?:\[\^?[A-Za-z0-9_\\ -]*\][+*]?|[A-Za-z0-9_-])+:\$")


def _anchored_group(pattern: str) -> list[str] | None:
    """The alternatives of `^(a|b|c)`, each anchored, or None for another pattern."""
    m = _ANCHORED_GROUP.fullmatch(pattern.strip("'\""))
    return ["^" + a for a in m.group(1).split("|")] if m else None


def _plain_setting_line(alternative: str) -> bool:
    """Does `alternative` match only lines that start with a plain setting's whole name
    (`^http_port`, `^id_provider`, `^\\[domain`) or hold a key alone (`^[a-z_-]+:$`)?
    Never a name that spells a credential, nor one whose last word starts credential
    settings (`^admin`, `^ldap_default`: grep's prefix match reaches `admin_password`)."""
    a = alternative.strip("'\"")
    if _KEY_ONLY.fullmatch(a):
        return True
    if not a.startswith("^"):
        return False
    name = a[1:]
    return (
        bool(_SETTING_WORD.fullmatch(name))
        and len(name.lstrip("\\[")) >= 4
        and not _CREDENTIAL_PART.search(name)
        and not _PREFIX_WORD.search(name.lstrip("\\["))
    )


def counts_setting_names(patterns: list[str]) -> bool:
    """Is every pattern of a count (`grep -c -e _authToken -e _password`) a setting's name
    in a credential file's spelling (optionally anchored, optionally with its `=`)?"""
    return bool(patterns) and all(
        re.sub(r"^\^|\s*=?\s*$", "", p).lower() in _SETTING_NAMES for p in patterns
    )


# A forge's CI variables answered through its API (`packs/projecttools.toml`,
# `glab.api_variables`), and jq programs that keep each variable's name from such a list:
# `.[].key`, `.[] | .key`, `map(.key)`, `[.[].key]`, sorted or counted.
_VARIABLES_CALL = lazy(r"(?:^|/)(?:(?:projects|groups)/[^\s/]+|admin/ci)/variables(?:\?\S*)?$")
_VARIABLE_NAMES = lazy(
    r"(?:\.\[\]\|?\.key|map\(\.key\)|\[\.\[\]\.key\])(?:\|(?:sort|unique|length|join\(\"[^\"]*\"\)))*"
)


def variable_names_only(up: Simple, down: Simple) -> bool:
    """`glab api projects/ID/variables | jq -r '.[].key'`: the list's names, never a value."""
    printer, picker = make_cmd(up, up.words), make_cmd(down, down.words)
    if printer is None or picker is None or printer.name != "glab" or picker.name not in _JQ:
        return False
    if not any(_VARIABLES_CALL.search(a.text.strip("'\"")) for a in printer.positional()):
        return False
    short, long = picker.options()
    words = [a.text for a in picker.args if not a.text.startswith("-")]
    return (
        len(words) == 1
        and (short | long) <= JQ_SHAPING
        and bool(_VARIABLE_NAMES.fullmatch(re.sub(r"\s+", "", words[0])))
    )


def jq_stages(program: str) -> list[str]:
    """The stages of a jq program split at its top-level pipes (not inside a string's
    interpolation or a call's parentheses)."""
    stages, depth, quoted, start = [], 0, False, 0
    for i, c in enumerate(program):
        if c == '"' and program[i - 1 : i] != "\\":
            quoted = not quoted
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0 and not quoted:
            stages.append(program[start:i])
            start = i + 1
    return [*stages, program[start:]]


# A secret scanner's findings (trufflehog's, gitleaks', trivy's JSON) piped into a jq program
# that keeps where each finding is and which rule found it, never the match: every field
# the program names last is one of these, and no stage reads anything else (`$ENV`,
# `env`, `input`, a variable).
_SCANNERS = frozenset({"trufflehog", "gitleaks", "trivy", "detect-secrets", "ggshield"})
_LOCATION_FIELDS = frozenset(
    {
        "commit", "file", "line", "path", "timestamp", "repository", "link", "email",
        "DetectorName", "DetectorType", "DecoderName", "Verified", "RuleID", "Category",
        "Severity", "Title", "StartLine", "EndLine", "StartColumn", "EndColumn", "Target",
        "Class", "Type", "File", "Commit", "Author", "Date", "Fingerprint", "SourceName",
        "SourceType", "Description",
    }
)  # fmt: skip
_JQ_LEAF_PATH = lazy(r"(?:\.[A-Za-z_]\w*(?:\[\]\??)?\??)*\.([A-Za-z_]\w*)")
_JQ_PATH_STAGE = lazy(r"(?:\.[A-Za-z_]\w*(?:\[\]\??)?\??)+")
_JQ_READS_MORE = lazy(r"\$|\b(?:env|input|inputs|input_filename|getpath|debug|stderr)\b|\.\.")


def scanner_locations_only(up: Simple, down: Simple) -> bool:
    """`trufflehog git ... --json | jq -r '.SourceMetadata.Data.Git | [.commit, .file,
    .line] | @tsv'`, `trivy ... | jq '[.Results[]?.Secrets[]?.RuleID] | group_by(.)'`: the
    findings' places and rules, never the secrets they matched."""
    printer, picker = make_cmd(up, up.words), make_cmd(down, down.words)
    if printer is None or picker is None or printer.name not in _SCANNERS:
        return False
    if picker.name not in _JQ:
        return False
    short, long = picker.options()
    words = [a.text for a in picker.args if not a.text.startswith("-")]
    if len(words) != 1 or not (short | long) <= JQ_SHAPING or _JQ_READS_MORE.search(words[0]):
        return False
    stages = jq_stages(re.sub(r"\s+", "", words[0]))
    at = 0
    while at < len(stages) - 1 and _JQ_PATH_STAGE.fullmatch(stages[at]):
        at += 1  # paths down to the findings: nothing printed yet
    return _projects_locations(stages[at])


def _projects_locations(stage: str) -> bool:
    """A stage printing location fields only: `.file`, `[.commit,.file,.line]`,
    `[.Results[]?.Secrets[]?.RuleID]` (what later stages do with them prints no more)."""
    inner = stage[1:-1] if stage.startswith("[") and stage.endswith("]") else stage
    paths = inner.split(",")
    return all(
        (m := _JQ_LEAF_PATH.fullmatch(p)) is not None and m.group(1) in _LOCATION_FIELDS
        for p in paths
    )
