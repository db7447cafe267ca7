"""Interpreter one-liners: `python -c`, `perl -e`, `ruby -e`, `node -e`, `php -r`, awk.

The engine does not parse these languages. It looks for the calls that matter to an
operator: running shell commands (whose literal arguments are then judged as shell),
deleting or writing files, evaluating generated code, forking without end. A one-liner
with none of them (`python3 -c 'print(2+2)'`) is a read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aiperm_tui.policy.fspaths import classify
from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.normalize import Cmd, make_cmd
from aiperm_tui.policy.parse import Word

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis

INTERPRETERS = frozenset({"python", "perl", "ruby", "node", "php", "lua", "awk", "deno",
                          "bun", "Rscript", "tclsh", "pwsh", "osascript"})
_CODE_FLAGS = {"python": "c", "perl": "eE", "ruby": "e", "node": "ep", "php": "r", "lua": "e",
               "deno": "", "bun": "e", "Rscript": "e", "tclsh": "", "pwsh": "c",
               "osascript": "e"}
_LONG_CODE = ("eval", "print", "command")

_STRING = r"""(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")"""
_EXEC_CALL = re.compile(
    r"(?:os\.system|os\.popen|os\.exec\w*|os\.spawn\w*|subprocess\.\w+|commands\.\w+|"
    r"\bsystem|\bexec(?:Sync|FileSync)?|\bspawn(?:Sync)?|\bpopen|\bPopen|\bcheck_output|"
    r"\bcheck_call|\bqx|%x|\bIO\.popen|Open3\.\w+|shell_exec|passthru|proc_open)"
    r"\s*[({]?\s*(\[[^\]]*\]|" + _STRING + r")?")
_BACKTICK = re.compile(r"`([^`]+)`")
_DELETE = re.compile(r"\b(rmtree|remove|unlink|rmdir|removedirs|rm_rf|rm_r|rmSync|rmdirSync|"
                     r"unlinkSync|delete|truncate|remove_dir_all)\b")
_WRITE = re.compile(
    r"open\([^)]*,\s*['\"][wax+]|\bwrite_(text|bytes)\(|\bwriteFile(Sync)?\b|\bFile\.write|"
    r"\bopen\s*\(?\s*\w*\s*,?\s*['\"][>+]|\brename\b|\bchmod\b|\bchown\b|\bmove\(|"
    r"\bcopy(file|tree)?\(|\bsymlink\b|\bmkdir|\bappendFile|file_put_contents|\bkill\b")
_DYNAMIC = re.compile(r"\b(exec|eval|compile|__import__|Function|instance_eval|"
                      r"b64decode|decode64|atob|unpack)\s*\(")
_FORK_BOMB = re.compile(r"fork\s+while\s+(fork|1|true)|while\s*\(?\s*(True|1|true)\s*\)?\s*"
                        r"[:{]?\s*(os\.|Process\.)?fork|for\s*\(;;\)\s*\{?\s*fork|"
                        r"loop\s*\{\s*fork")
_NET = re.compile(r"\b(socket|urllib|requests|http\.client|urlopen|Net::HTTP|LWP|fetch\(|"
                  r"XMLHttpRequest|IO::Socket|TCPSocket|net\.connect)\b")


def _literals(text: str) -> list[str]:
    return [a if a else b for a, b in re.findall(_STRING, text)]


def _shell_from_call(match: re.Match[str]) -> str | None:
    group = match.group(1)
    if group is None:
        return None
    if group.startswith("["):
        return " ".join(_literals(group)) or None
    return match.group(2) if match.group(2) is not None else match.group(3)


def judge_code(an: Analysis, cmd: Cmd, text: str, words: list[Word]) -> None:
    """Scan one-liner source `text` (carried by `words`) for what matters."""
    span = (words[0].start, words[-1].end) if words else cmd.span
    lang = cmd.name
    ran_shell = False
    for m in _EXEC_CALL.finditer(text):
        ran_shell = True
        shell = _shell_from_call(m)
        if shell:
            an.payload(shell, words, "exec.interpreter_shell", f"{lang} runs a shell command")
        else:
            an.add(Hit("exec.interpreter_shell", "high", f"{lang} runs a shell command that is "
                       "only known at run time", span, "unknown"))
    for m in _BACKTICK.finditer(text) if lang in ("perl", "ruby", "php") else ():
        ran_shell = True
        an.payload(m.group(1), words, "exec.interpreter_shell", f"{lang} runs a shell command")
    if ran_shell:
        an.add(Hit("exec.interpreter_shell", "medium", f"{lang} one-liner runs shell commands",
                   span, "unknown"))
    _judge_effects(an, lang, text, span)


def _judge_effects(an: Analysis, lang: str, text: str, span: tuple[int, int]) -> None:
    if _FORK_BOMB.search(text):
        an.add(Hit("exec.fork_bomb", "critical", f"{lang} fork bomb: forks until the machine "
                   "stops", span, "system"))
    classes = {classify(lit) for lit in _literals(text) if lit.startswith(("/", "~"))}
    if _DELETE.search(text):
        severity = "critical" if "root" in classes else (
            "high" if classes & {"critical", "device", "system", "log"} else "medium")
        an.add(Hit("fs.interpreter_delete", severity, f"{lang} one-liner deletes files",
                   span, "system" if severity == "critical" else "tree"))
    elif _WRITE.search(text):
        severity = "high" if classes & {"critical", "device", "root"} else "medium"
        an.add(Hit("fs.interpreter_write", severity, f"{lang} one-liner changes files or "
                   "processes", span))
    if _DYNAMIC.search(text):
        an.add(Hit("exec.interpreter_eval", "high", f"{lang} one-liner evaluates code built at"
                   " run time", span, "unknown"))
    if _NET.search(text):
        an.add(Hit("net.interpreter", "low", f"{lang} one-liner uses the network", span))


def _code_arg(cmd: Cmd) -> tuple[str, Word] | None:
    """The program text given on the command line (`-c CODE`, `-e CODE`, `-pe CODE`)."""
    letters = _CODE_FLAGS.get(cmd.name, "")
    args = cmd.args
    for i, a in enumerate(args[:-1]):
        t = a.text
        if t.startswith("--") and t[2:] in _LONG_CODE:
            return args[i + 1].text, args[i + 1]
        if t.startswith("-") and not t.startswith("--") and t[1:].isalpha() and t[-1] in (
                letters or "\0"):
            return args[i + 1].text, args[i + 1]
        if not t.startswith("-"):
            return None
    return None


def judge_interpreter(an: Analysis, cmd: Cmd) -> None:
    """python/perl/ruby/node/php/awk: one-liner, module, script file or stdin."""
    if cmd.name == "awk":
        _awk(an, cmd)
        return
    found = _code_arg(cmd)
    if found is not None:
        judge_code(an, cmd, found[0], [found[1]])
        if cmd.name == "perl" and cmd.has("i"):
            an.add(Hit("fs.edit_in_place", "medium", "perl -i edits files in place", cmd.span,
                       scoped=True))
        return
    if cmd.name == "python" and (module := cmd.option_value("m")) is not None:
        _python_module(an, cmd, module)
        return
    pos = cmd.positional("WXO")
    if pos and pos[0].text != "-":
        an.script_file(cmd, pos)
        return
    an.stdin_code(cmd, "code")


_READ_MODULES = frozenset({"json.tool", "site", "sysconfig", "platform", "this", "timeit",
                           "pydoc", "tokenize", "dis", "py_compile", "compileall", "tabnanny",
                           "calendar", "base64", "zipfile", "tarfile", "pstats", "pip._vendor"})


def _python_module(an: Analysis, cmd: Cmd, module: str) -> None:
    if module in _READ_MODULES:
        return
    if module == "pip":
        idx = next(i for i, a in enumerate(cmd.args) if a.text in ("-m", "-mpip") or
                   a.text == "pip")
        rest = cmd.args[idx + 1:] if cmd.args[idx].text == "-m" else cmd.args[idx:]
        pip = Word("pip", cmd.word.start, cmd.word.end, cmd.word.raw)
        inner = make_cmd(cmd.simple, [pip, *rest[1:]])
        if inner is not None:
            an.command(inner)
        return
    severity = "low" if module in ("http.server", "venv", "unittest", "pytest") else "medium"
    an.add(Hit("exec.python_module", severity, f"python runs the module {module}", cmd.span,
               "unknown" if severity == "medium" else "single"))


def _awk(an: Analysis, cmd: Cmd) -> None:
    if cmd.option_value("f") is not None:
        an.add(Hit("exec.script", "medium", "awk runs a program file the engine cannot see",
                   cmd.span, "unknown"))
        return
    pos = cmd.positional("vFf")
    if not pos:
        return
    program = pos[0]
    text = program.text
    for m in re.finditer(r"\bsystem\s*\(\s*" + _STRING, text):
        an.payload(m.group(1) if m.group(1) is not None else m.group(2), [program],
                   "exec.awk_system", "awk system()")
    if re.search(r"\bsystem\s*\(", text):
        an.add(Hit("exec.awk_system", "medium", "awk program runs shell commands (system)",
                   program.span, "unknown"))
    if re.search(r"\|\s*(\"|getline|&)|\|&", text):
        an.add(Hit("exec.awk_pipe", "high", "awk program pipes into a command", program.span,
                   "unknown"))
    for m in re.finditer(r"print[f]?[^;>|}]*>>?\s*" + _STRING, text):
        target = m.group(1) if m.group(1) is not None else m.group(2)
        severity = "high" if classify(target) in ("critical", "device", "root", "log") else (
            "medium")
        an.add(Hit("fs.awk_write", severity, f"awk program writes to {target}", program.span))
    if cmd.option_value("i") == "inplace" or "inplace" in cmd.argv:
        an.add(Hit("fs.edit_in_place", "medium", "awk -i inplace edits files", cmd.span,
                   scoped=True))
