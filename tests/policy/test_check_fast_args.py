"""`aiperm check`'s argument reader without argparse (`check.fast_args`) against argparse.

A hook runs `aiperm check` once per command, so the usual argument shapes are read by
hand; the promise is that whatever it reads, it reads exactly as argparse does, and that
everything else goes to argparse. Generated argument lists (options, values, `--`,
words that look like options) hold the two to the same result.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.fuzz import FUZZ_DEADLINE
from hypothesis import given, settings
from hypothesis import strategies as st

from aiperm_tui.cli import build_parser
from aiperm_tui.cli.check import fast_args

ROOT = Path(__file__).resolve().parents[2]
FIELDS = ("command", "config", "preset", "host", "json", "explain", "stdin")
WORDS = st.sampled_from(
    [
        "--",
        "--json",
        "--explain",
        "--stdin",
        "--preset",
        "--preset=read_only",
        "--preset=nope",
        "--host",
        "--host=web1",
        "--host=-x",
        "--config",
        "--config=/tmp/c.toml",
        "--js",
        "-h",
        "--help",
        "-",
        "-1",
        "-x y",
        "ops_safe",
        "dev_sandbox",
        "web1",
        "",
        "ls",
        "rm -rf /",
        "-la",
    ]
)


def _argparse(argv: list[str]) -> tuple[object, ...] | None:
    """What argparse reads from `aiperm check ARGV`, or None when it exits (help,
    usage error)."""
    try:
        args = build_parser(("aiperm_tui.cli.check",)).parse_args(["check", *argv])
    except SystemExit:
        return None
    return tuple(getattr(args, f) for f in FIELDS)


@pytest.mark.timeout(60)
@settings(deadline=FUZZ_DEADLINE, max_examples=400)
@given(st.lists(WORDS, max_size=6))
def test_fast_args_reads_as_argparse_or_defers(argv: list[str]) -> None:
    fast = fast_args(argv)
    if fast is None:
        return  # argparse answers it, exactly as before
    assert tuple(getattr(fast, f) for f in FIELDS) == _argparse(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["--", "ls", "-la"],
        ["ls", "-la"],
        ["--json", "--", "rm", "-rf", "/"],
        ["--preset", "read_only", "--host=web1", "--explain", "--", "ls"],
        ["--config", "/tmp/x.toml", "git", "push", "--json"],
        ["--stdin", "--", "x"],
    ],
)
def test_usual_shapes_take_the_fast_path(argv: list[str]) -> None:
    fast = fast_args(argv)
    assert fast is not None
    assert tuple(getattr(fast, f) for f in FIELDS) == _argparse(argv)


@pytest.mark.parametrize(
    "argv",
    [[], ["--"], ["--json"], ["--help"], ["--js", "ls"], ["--preset", "nope", "ls"], ["--host"]],
)
def test_other_shapes_go_to_argparse(argv: list[str]) -> None:
    assert fast_args(argv) is None


@pytest.mark.timeout(60)
@pytest.mark.parametrize("command", ["ls", 'grep -r x "$HOME" | head'])
def test_a_check_imports_no_argparse(command: str) -> None:
    """The fast path's point: a hook's check never imports argparse, nor hashlib
    (OpenSSL), platformdirs (paths.py finds the folders), Textual, paramiko, rich or
    cryptography, also when bashlex reads the command too, and its answer is the usual
    one."""
    heavy = ("argparse", "hashlib", "platformdirs", "textual", "paramiko", "rich", "cryptography")
    code = (
        f"import sys; from aiperm_tui.cli import main; code = main(['check', '--', {command!r}]);"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules), code)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=60,
        check=True,
    ).stdout
    assert out.splitlines()[0].startswith("ALLOW")
    assert out.splitlines()[-1] == "[] 0"


def test_check_reads_the_presets_the_config_knows() -> None:
    """`aiperm check` spells the preset names itself (it reads its arguments before the
    config module loads): a preset added to one list only would be refused by one reader."""
    from aiperm_tui.cli import check
    from aiperm_tui.config import PRESETS

    assert check.PRESETS == PRESETS
