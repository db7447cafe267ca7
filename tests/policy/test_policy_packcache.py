"""The built-in packs as read, kept in the user cache folder: the same packs from the
cache as from the text, read again when a pack or its reader changes, and never taken
from a file someone else could write."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from aiperm_tui.policy import packcache, packs


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own; returns the cache file of a reader at
    tmp_path/reader.py."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return packcache.cache_file(tmp_path / "reader.py")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts `packs._read_text` is called on (a cache miss reads the text)."""
    seen: list[str] = []
    real = packs._read_text

    def counted(text: str) -> dict[str, Any]:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(packs, "_read_text", counted)
    return seen


def _everything(built: packs._Builtin) -> tuple[object, ...]:
    return (built.all_rules(), built.tools(), built._where, built._read_only, built.files)


def test_the_cached_packs_are_the_packs_read_from_their_text(cache: Path, reads: list[str]) -> None:
    first = packs._Builtin()
    cache = packcache.cache_file(Path(packs.__file__))
    assert len(reads) == len(first.files) > 5 and cache.is_file()
    assert cache.stat().st_mode & 0o777 == 0o600
    assert cache.parent.stat().st_mode & 0o777 == 0o700
    reads.clear()
    second = packs._Builtin()
    assert reads == []  # everything came from the cache
    assert _everything(second) == _everything(first)
    assert second.tool("ls") == first.tool("ls") and second.tool("ls") is not None


def test_each_install_keeps_a_cache_of_its_own(cache: Path, tmp_path: Path) -> None:
    """Two installs (a checkout and a venv, two versions) used in turn: neither makes the
    other read its packs again."""
    readers = [tmp_path / where / "policy" / "packs.py" for where in ("venv", "checkout")]
    for version, reader in enumerate(readers):
        reader.parent.mkdir(parents=True)
        reader.write_text(f"reader version {version}")
    calls: list[str] = []

    def derive(text: str) -> dict[str, Any]:
        calls.append(text)
        return _derive(text)

    for _ in range(3):
        for reader in readers:
            assert packcache.derived({"a": "x"}, derive, reader, packs._is_read) == {
                "a": _derive("x")
            }
    assert calls == ["x", "x"]  # each install read it once
    files = {packcache.cache_file(reader) for reader in readers}
    assert len(files) == 2 and all(f.parent == cache.parent and f.is_file() for f in files)


def test_a_write_removes_only_other_installs_files_left_unwritten(
    cache: Path, tmp_path: Path
) -> None:
    folder = cache.parent
    folder.mkdir(parents=True, mode=0o700)
    old = time.time() - (packcache.STALE_DAYS + 1) * 86400
    names = {
        "packs.json": old,  # the one file of before: gone when old
        "packs-0123456789abcdef.json": old,
        "packs-fedcba9876543210.json": time.time(),  # another install, in use: kept
        "packs-notours.json": old,  # not a name the cache writes: kept
        "notes.txt": old,
    }
    for name, mtime in names.items():
        (folder / name).write_text("{}")
        os.utime(folder / name, (mtime, mtime))
    reader = tmp_path / "reader.py"
    reader.write_text("v1")
    packcache.derived({"a": "x"}, _derive, reader, packs._is_read)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [cache.name, "packs-fedcba9876543210.json", "packs-notours.json", "notes.txt"]
    )


def _derive(text: str) -> dict[str, Any]:
    return {"toml": {"text": text}, "names": [text], "read_only": []}


def test_a_changed_text_or_reader_is_read_again(cache: Path, tmp_path: Path) -> None:
    reader = tmp_path / "reader.py"
    reader.write_text("v1")
    calls: list[str] = []

    def derive(text: str) -> dict[str, Any]:
        calls.append(text)
        return _derive(text)

    assert packcache.derived({"a": "x", "b": "y"}, derive, reader, packs._is_read)["a"] == (
        _derive("x")
    )
    assert calls == ["x", "y"]
    packcache.derived({"a": "x", "b": "y"}, derive, reader, packs._is_read)
    assert calls == ["x", "y"]
    assert packcache.derived({"a": "x2", "b": "y"}, derive, reader, packs._is_read)["a"] == (
        _derive("x2")
    )
    assert calls == ["x", "y", "x2"]
    reader.write_text("v2")  # the code that reads the packs changed: everything again
    packcache.derived({"a": "x2", "b": "y"}, derive, reader, packs._is_read)
    assert calls == ["x", "y", "x2", "x2", "y"]


@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_cache_others_may_write_is_not_read(cache: Path, tmp_path: Path, where: str) -> None:
    reader = tmp_path / "reader.py"
    reader.write_text("v1")
    packcache.derived({"a": "x"}, _derive, reader, packs._is_read)
    forged = json.loads(cache.read_text())
    forged["entries"]["a"]["value"]["names"] = ["forged"]
    cache.write_text(json.dumps(forged))
    os.chmod(cache if where == "file" else cache.parent, 0o777 if where == "folder" else 0o666)
    assert packcache.derived({"a": "x"}, _derive, reader, packs._is_read)["a"] == _derive("x")
    os.chmod(cache.parent, 0o700)


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"version": 1, "entries": []}',
        '{"version": 0, "entries": {}}',
        "KEYED",  # the right key, a value of the wrong shape
    ],
)
def test_a_broken_cache_is_read_again_and_rewritten(
    cache: Path, tmp_path: Path, content: str
) -> None:
    reader = tmp_path / "reader.py"
    reader.write_text("v1")
    packcache.derived({"a": "x"}, _derive, reader, packs._is_read)
    if content == "KEYED":
        data = json.loads(cache.read_text())
        data["entries"]["a"]["value"] = {"toml": [], "names": "x", "read_only": []}
        content = json.dumps(data)
    cache.write_text(content)
    assert packcache.derived({"a": "x"}, _derive, reader, packs._is_read) == {"a": _derive("x")}
    assert json.loads(cache.read_text())["entries"]["a"]["value"] == _derive("x")


def test_an_unwritable_cache_folder_still_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    reader = tmp_path / "reader.py"
    reader.write_text("v1")
    assert packcache.derived({"a": "x"}, _derive, reader, packs._is_read) == {"a": _derive("x")}
