"""What the web and application servers do when run by hand: a configuration test only
reads, unless it loads code or a configuration from outside the system's folders.

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

import re

from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.normalize import Cmd
from aiperm_tui.policy.toolbox import handles, hit

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


@handles(
    "gunicorn",
    "uvicorn",
    "flask",
    "node-server",
    "serve",
    "http-server",
    "php-fpm",
    "nginx",
    "openresty",
    "angie",
    "tengine",
    "h2o",
    "apachectl",
    "apache2ctl",
    "httpd",
    "caddy",
    "haproxy",
    "sshd",
    "named-checkconf",
)
def _servers(cmd: Cmd, an: Analysis) -> list[Hit]:
    if any(_TEMP_CODE.search(d) for d in _directives(cmd)):
        return hit(
            cmd,
            "service.temp_module",
            "high",
            f"{cmd.name} loads a module or script from a temp folder (or a path known only "
            "at run time) named by a directive on the line: its code runs in the server "
            "(as root), even for a test",
        )
    # `php-fpm -t -d extension=/tmp/x.so`: the extension loads (runs) before the test
    loads_code = (cmd.name == "php-fpm" and cmd.has("d", "c", "define", "php-ini")) or (
        _foreign_config(cmd)
    )
    if cmd.name == "php-fpm" and not loads_code and cmd.has("i", "m", "info", "modules"):
        return []  # prints its configuration or modules and exits
    if not loads_code and (
        cmd.has(*_TEST_FLAGS.get(cmd.name, ("V", "v", "version")))
        or cmd.sub() in ("configtest", "-t", "validate", "fmt", "adapt", "version")
        # apachectl's status pages (mod_status fetched through lynx or curl: audit19a)
        or (cmd.name in _APACHE and cmd.sub() in ("status", "fullstatus"))
    ):
        return []
    if cmd.name in _APACHE and not cmd.has("k") and (cmd.has("M", "l", "L") or _apache_dump(cmd)):
        return []  # lists modules, directives or the parsed configuration, then exits
    text = " ".join(cmd.argv)
    if (
        cmd.name in _NGINX or cmd.name in ("apachectl", "apache2ctl", "httpd", "caddy", "haproxy")
    ) and re.search(r"\b(stop|quit)\b", text):
        # a service stop, as `systemctl stop nginx` (no data lost; vital units are
        # judged by systemctl's table)
        return hit(cmd, "service.stop", "medium", f"{cmd.name}: stops the server")
    return hit(
        cmd, f"service.{cmd.name}", "medium", f"{cmd.name}: starts, reloads or stops a server"
    )


_APACHE = frozenset({"apachectl", "apache2ctl", "httpd"})


# nginx and its forks and distributions share its options.
_NGINX = frozenset({"nginx", "openresty", "angie", "tengine"})


# The options that make a server only test or describe itself and exit; any other is
# a run (gunicorn's -t is a timeout, apache's -T starts without checking DocumentRoot,
# sshd's -c names a host certificate and starts a second daemon).
_TEST_FLAGS = {
    **dict.fromkeys(_NGINX, ("t", "T", "V", "v")),
    "h2o": ("t", "v", "version"),
    "haproxy": ("c", "V", "v"),
    "sshd": ("t", "T", "G", "V"),
    "php-fpm": ("t", "V", "v"),
    "named-checkconf": ("t", "T", "V", "v", "S"),
    **dict.fromkeys(_APACHE, ("t", "S", "V", "v")),
}


# The short options that give a web server a configuration file or folder (checked
# against `_SYSTEM_CONFIG`) or a directive (always foreign): nginx -c/-p and -g, apache
# -f/-d and -C/-c, haproxy -f.
_CONFIG_FILE_OPTIONS = {
    **dict.fromkeys(_NGINX, "cp"),
    "h2o": "c",
    "haproxy": "f",
    **dict.fromkeys(_APACHE, "fd"),
}


_DIRECTIVE_OPTIONS = {**dict.fromkeys(_NGINX, "g"), **dict.fromkeys(_APACHE, "Cc")}


_SYSTEM_CONFIG = lazy(r"^/(?:etc|usr|opt)/(?!.*\.\.)")


def _foreign_config(cmd: Cmd) -> bool:
    """`nginx -t -c /tmp/x.conf`, `apachectl -t -C 'LoadModule x /tmp/x.so'`,
    `haproxy -c -f /tmp/x.cfg` (lua-load), `h2o -t -c /tmp/h.conf` (mruby): a server
    loads the modules and scripts its configuration names even to test it, so a
    configuration from outside the system's folders, or a directive given on the line,
    makes the test run code."""
    files = _CONFIG_FILE_OPTIONS.get(cmd.name, "")
    directives = _DIRECTIVE_OPTIONS.get(cmd.name, "")
    argv = cmd.argv
    for i, word in enumerate(argv):
        if word == "--":
            break
        if not word.startswith("-") or word.startswith("--"):
            continue
        for j, letter in enumerate(word[1:], start=2):
            if letter in directives:
                value = word[j:] or (argv[i + 1] if i + 1 < len(argv) else "")
                if _CODE_DIRECTIVE.search(value):
                    return True
                break
            if letter in files:
                value = word[j:] or (argv[i + 1] if i + 1 < len(argv) else "")
                if not _SYSTEM_CONFIG.match(value):
                    return True
                break
    return False


# Directives that load code or more configuration (modules, scripts, included files):
# `pid /tmp/t.pid; error_log /dev/stderr;` given with `-g` loads none.
_CODE_DIRECTIVE = lazy(
    r"(?i)\b(?:load_?module|loadfile|lua[_-]\w+|perl\w*|js_(?:import|include)|include\w*|"
    r"mruby\w*|wsgi\w*|passenger\w*|setenv)\b"
)
# Such a directive naming a file in a temp or download folder, a relative one, or one
# known only at run time (`load_module $(echo L3RtcC94LnNv | base64 -d);` decodes
# /tmp/x.so: the engine cannot say it is the system's).
_TEMP_CODE = lazy(
    r"(?i)\b(?:load_?module|loadfile|lua[_-]\w+|perl\w*|js_(?:import|include)|include\w*)"
    r"\s+(?:\S+\s+)?['\"]?(?:/tmp/|/var/tmp/|/dev/shm/|\./|\.\./|~/|\$|`)"
)


def _directives(cmd: Cmd) -> list[str]:
    """The directives given on the line (`nginx -g '...'`, `apachectl -C '...'`)."""
    letters = _DIRECTIVE_OPTIONS.get(cmd.name, "")
    out: list[str] = []
    argv = cmd.argv
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word[:1] == "-" and word[1:2] in letters and word[1:2]:
            out.append(word[2:] or (argv[i + 1] if i + 1 < len(argv) else ""))
    return out


def _apache_dump(cmd: Cmd) -> bool:
    """`-D DUMP_MODULES`, `-D DUMP_VHOSTS`...: apache prints what it parsed and exits."""
    define = cmd.option_value("D")
    return define is not None and define.startswith("DUMP_")
