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

from aiperm_tui import textcache
from aiperm_tui.policy import packs

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own; returns the cache file of a reader at
    tmp_path/reader.py."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return Path(textcache.cache_file(tmp_path / "reader.py"))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts `packs._read_text` is called on (a cache miss reads the text)."""
    seen: list[str] = []
    real = packs._read_text

    def counted(text: str) -> tuple[dict[str, Any], Any]:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(packs, "_read_text", counted)
    return seen


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources whose text a `Derived` reads (to hash or to derive it)."""
    seen: list[str] = []
    real = textcache.Derived.text

    def counted(self: textcache.Derived, source: str) -> str:
        seen.append(source)
        return real(self, source)

    monkeypatch.setattr(textcache.Derived, "text", counted)
    return seen


def _everything(built: packs._Builtin) -> tuple[object, ...]:
    return (built.all_rules(), built.tools(), built._where, built._read_only, built.files)


def test_the_cached_packs_are_the_packs_read_from_their_text(
    cache: Path, reads: list[str], opened: list[str]
) -> None:
    first = packs._Builtin()
    cache = Path(textcache.cache_file(Path(packs.__file__)))
    assert len(reads) == len(first.files) > 5 and cache.is_file()
    assert cache.stat().st_mode & 0o777 == 0o600
    assert cache.parent.stat().st_mode & 0o777 == 0o700
    reads.clear()
    opened.clear()
    second = packs._Builtin()
    assert reads == []  # everything came from the cache
    assert _everything(second) == _everything(first)
    assert second.tool("ls") == first.tool("ls") and second.tool("ls") is not None
    settled = time.time_ns() - textcache.SETTLED_NS
    unsettled = [f"packs/{p.name}" for p in _pack_files() if p.stat().st_ctime_ns > settled]
    assert sorted(opened) == sorted(unsettled)  # a settled pack's text is not even read


def _pack_files() -> list[Path]:
    return sorted(Path(packs.__file__).with_name("packs").glob("*.toml"))


def _derive(text: str) -> tuple[dict[str, Any], Any]:
    return {"names": [text], "read_only": []}, {"text": text}


def _files(tmp_path: Path, **texts: str) -> dict[str, Path]:
    folder = tmp_path / "packs"
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text)
    return {name: folder / name for name in texts}


def _read(files: dict[str, Path], reader: Path, derive: textcache.Derive = _derive) -> Any:
    """Each source's (index, data) as a `Derived` over `files` gives them."""
    derived = textcache.Derived(files, derive, reader, packs._is_index)
    return {source: (derived.index[source], derived.data(source)) for source in files}


def test_each_install_keeps_a_cache_of_its_own(cache: Path, tmp_path: Path) -> None:
    """Two installs (a checkout and a venv, two versions) used in turn: neither makes the
    other read its packs again."""
    readers = [tmp_path / where / "policy" / "packs.py" for where in ("venv", "checkout")]
    for version, reader in enumerate(readers):
        reader.parent.mkdir(parents=True)
        reader.write_text(f"reader version {version}")
    files = _files(tmp_path, a="x")
    calls: list[str] = []

    def derive(text: str) -> tuple[dict[str, Any], Any]:
        calls.append(text)
        return _derive(text)

    for _ in range(3):
        for reader in readers:
            assert _read(files, reader, derive) == {"a": _derive("x")}
    assert calls == ["x", "x"]  # each install read it once
    caches = {Path(textcache.cache_file(reader)) for reader in readers}
    assert len(caches) == 2 and all(f.parent == cache.parent and f.is_file() for f in caches)


def test_a_write_removes_only_other_installs_files_left_unwritten(
    cache: Path, tmp_path: Path
) -> None:
    folder = cache.parent
    folder.mkdir(parents=True, mode=0o700)
    old = time.time() - (textcache.STALE_DAYS + 1) * 86400
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
    _read(_files(tmp_path, a="x"), reader)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [cache.name, "packs-fedcba9876543210.json", "packs-notours.json", "notes.txt"]
    )


@pytest.mark.parametrize("settled", [True, False])
def test_a_changed_text_or_reader_is_read_again(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: bool
) -> None:
    """Settled or not (a pack told by its identity, or by its text's hash), a pack whose
    text changes is read again, even when its size and mtime are kept."""
    if settled:
        monkeypatch.setattr(textcache, "SETTLED_NS", 0)
    reader = tmp_path / "reader.py"
    reader.write_text("v1")
    files = _files(tmp_path, a="x1", b="y")
    calls: list[str] = []

    def derive(text: str) -> tuple[dict[str, Any], Any]:
        calls.append(text)
        return _derive(text)

    assert _read(files, reader, derive)["a"] == _derive("x1")
    assert calls == ["x1", "y"]
    _read(files, reader, derive)
    assert calls == ["x1", "y"]
    stamps = files["a"].stat()
    files["a"].write_text("x2")  # same size, same mtime: only ctime and content differ
    os.utime(files["a"], ns=(stamps.st_atime_ns, stamps.st_mtime_ns))
    assert _read(files, reader, derive)["a"] == _derive("x2")
    assert calls == ["x1", "y", "x2"]
    reader.write_text("v2")  # the code that reads the packs changed: everything again
    _read(files, reader, derive)
    assert calls == ["x1", "y", "x2", "x2", "y"]


def test_a_settled_pack_is_known_by_its_identity_and_a_fresh_one_by_its_text(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[str]
) -> None:
    """A pack changed within the last SETTLED_NS could change again within the clock's
    tick and keep its stamps: it is hashed each time until a write records it settled."""
    reader = tmp_path / "reader.py"
    reader.write_text("v1")
    files = _files(tmp_path, a="x", b="y")
    _read(files, reader)
    opened.clear()
    _read(files, reader)
    assert sorted(opened) == ["a", "b"]  # fresh: read and hashed
    monkeypatch.setattr(textcache, "SETTLED_NS", 0)
    opened.clear()
    _read(files, reader)  # now settled: hashed once more, the identity written
    assert sorted(opened) == ["a", "b"]
    opened.clear()
    assert _read(files, reader) == {"a": _derive("x"), "b": _derive("y")}
    assert opened == []


@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_cache_others_may_write_is_not_read(cache: Path, tmp_path: Path, where: str) -> None:
    reader = tmp_path / "reader.py"
    reader.write_text("v1")
    files = _files(tmp_path, a="x")
    _read(files, reader)
    head, _, body = cache.read_bytes().partition(b"\n")
    forged = json.loads(head)
    forged["entries"]["a"]["index"]["names"] = ["forged"]
    cache.write_bytes(json.dumps(forged).encode() + b"\n" + body)
    assert _read(files, reader)["a"] == ({"names": ["forged"], "read_only": []}, {"text": "x"})
    os.chmod(cache if where == "file" else cache.parent, 0o777 if where == "folder" else 0o666)
    assert _read(files, reader) == {"a": _derive("x")}
    os.chmod(cache.parent, 0o700)


def _keyed_wrong_shape(content: bytes) -> bytes:
    head, _, body = content.partition(b"\n")
    data = json.loads(head)
    data["entries"]["a"]["index"] = {"names": "x", "read_only": []}
    return json.dumps(data).encode() + b"\n" + body


def _data_of_another_entry(content: bytes) -> bytes:
    """`a`'s place pointing at `b`'s data (valid JSON with a key, not `a`'s key)."""
    head, _, body = content.partition(b"\n")
    data = json.loads(head)
    data["entries"]["a"].update(at=data["entries"]["b"]["at"], size=data["entries"]["b"]["size"])
    return json.dumps(data).encode() + b"\n" + body


def _data_cut_short(content: bytes) -> bytes:
    return content[:-5]


@pytest.mark.parametrize(
    "broken",
    [
        lambda _: b"not json",
        lambda _: b'{"version": 2, "entries": []}',
        lambda _: b'{"version": 1, "entries": {}}',
        _keyed_wrong_shape,
        _data_of_another_entry,
        _data_cut_short,
    ],
)
def test_a_broken_cache_is_read_again_and_rewritten(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: Any
) -> None:
    monkeypatch.setattr(textcache, "SETTLED_NS", 0)  # the identity path, the shorter one
    reader = tmp_path / "reader.py"
    reader.write_text("v1")
    files = _files(tmp_path, a="x", b="y")
    _read(files, reader)
    good = cache.read_bytes()
    cache.write_bytes(broken(good))
    assert _read(files, reader) == {"a": _derive("x"), "b": _derive("y")}
    assert cache.read_bytes() == good  # rewritten as it was


def test_an_unwritable_cache_folder_still_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    reader = tmp_path / "reader.py"
    reader.write_text("v1")
    assert _read(_files(tmp_path, a="x"), reader) == {"a": _derive("x")}
