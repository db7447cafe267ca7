"""speed18: what the engine's speed-ups must keep exactly as it was.

`lazyre.grouped` regroups a pattern's top-level alternatives by their anchor so a search
tries each anchor once per position (`fspaths._SECRET`, asked only whether a path is a
credential): the regrouped pattern must match exactly the texts the written one does.
The built-in packs' rules keep their file order whatever order the packs are parsed in;
`toolbox.is_handled` answers as `handled_names` while reading only the packs it needs;
`engine._text_hits` skips only what holds no unsafe character."""

from __future__ import annotations

import re

import pytest
from helpers.policy_corpus import CORPUS_PATH, load_corpus

from aiperm_tui.policy import engine as engine_module
from aiperm_tui.policy import fspaths, lazyre, packs, toolbox
from aiperm_tui.textsafe import is_unsafe_char

# Seen parts only, named one by one (tests/policy's rule for the unseen ones).
_SEEN = ("corpus.jsonl", "heldout.jsonl", "heldout16.jsonl", "heldout17.jsonl")


def _paths() -> list[str]:
    """Every word of the seen parts' commands, as written and as the engine normalises a
    path, put under `/`, `x/` and `~/`; and the credential examples the engine keeps."""
    words = {
        word.strip("'\"")
        for name in _SEEN
        for entry in load_corpus(CORPUS_PATH.with_name(name))
        for word in entry.cmd.split()
    }
    found = set(fspaths._SECRET_EXAMPLES)
    for word in words:
        found |= {word, f"/{word}", f"x/{word}", f"~/{word}"}
        found.add(fspaths.normalize_path(word.rstrip("*")))
    return sorted(found)


def test_the_regrouped_secret_pattern_matches_what_the_written_one_does() -> None:
    written = re.compile(*fspaths._SECRET._lazy_source)  # type: ignore[attr-defined]
    paths = _paths()
    secret = [p for p in paths if written.search(p)]
    assert len(paths) > 10_000 and len(secret) > 500
    differ = [p for p in paths if bool(written.search(p)) != bool(fspaths._SECRET.search(p))]
    assert differ == []


@pytest.mark.parametrize(
    "path",
    [
        "/etc/gshadow-",
        "/home/ops/.ssh/id_ecdsa_sk",
        ".ssh/deploy-prod_key",
        "/srv/app/secrets/db-password",
        "/var/lib/jenkins/secrets/master.key",
        "/opt/tool/conf/api-tokens.yaml",
        "/run/secrets/kubernetes.io/serviceaccount/token",
    ],
)
def test_credentials_stay_secret(path: str) -> None:
    assert fspaths.is_secret(path), path


@pytest.mark.parametrize(
    "path",
    ["/etc/passwd", "/home/ops/.ssh/id_ecdsa.pub", "/etc/pam.d/common-password", "notes.txt"],
)
def test_public_files_stay_public(path: str) -> None:
    assert not fspaths.is_secret(path), path


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^a|(^|/)b|c", "^(?:a)|(?:^|/)(?:b)|c"),
        (r"(^|/)x(y|z)$|^/etc/(p|q)|w", "^(?:/etc/(p|q))|(?:^|/)(?:x(y|z)$)|w"),
        # `|` and parentheses inside a class or escaped are literal: no cut there
        (r"^[|(]a|(^|/)\|\(b|[^]|)]c", r"^(?:[|(]a)|(?:^|/)(?:\|\(b)|[^]|)]c"),
        (r"abc", "abc"),
    ],
)
def test_grouped_cuts_only_at_top_level_alternatives(pattern: str, expected: str) -> None:
    assert lazyre.grouped(pattern) == expected


@pytest.mark.parametrize("pattern", [r"(^|/)(a)\2|^b", r"^(?P<x>a)(?P=x)|c", r"(?i)^a|b"])
def test_grouped_refuses_what_regrouping_would_break(pattern: str) -> None:
    with pytest.raises(ValueError, match="cannot regroup"):
        lazyre.grouped(pattern)


def test_a_commands_rules_keep_file_order_whatever_was_judged_before() -> None:
    """A pack is parsed when a command first names one of its tools: the rules of a
    command named in two packs come in the packs' file order either way."""
    names = ("amlabel", "virsh", "aws", "age")
    first, second = packs._Builtin(), packs._Builtin()
    for source in first.files:
        first._load(source)
    for source in reversed(second.files):
        second._load(source)
    for name in names:
        assert [r.id for r in first.for_command(name)] == [r.id for r in second.for_command(name)]
    assert [r.id for r in first.all_rules()] == [r.id for r in second.all_rules()]


def test_is_handled_answers_as_the_whole_set_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """`toolbox.is_handled` reads only the packs naming the tool; its answer for every
    name any pack or judge speaks of (and for names none does) is `handled_names`': asked
    in turn of one set of packs read as needed, and (one name in 25) of packs nothing was
    read from yet."""
    whole = toolbox.handled_names()
    lazy = packs._Builtin()
    names = sorted(set(lazy._where) | lazy._read_only | whole | {"vimx", "nano2", "", "my-tool"})
    monkeypatch.setattr(toolbox, "builtin_packs", lambda: lazy)
    assert [n for n in names if (n in whole) != toolbox.is_handled(n)] == []
    for name in names[::25]:
        monkeypatch.setattr(toolbox, "builtin_packs", packs._Builtin)
        assert (name in whole) == toolbox.is_handled(name), name


def test_printable_ascii_newlines_and_tabs_are_the_safe_ascii() -> None:
    """`engine._text_hits` skips a command of printable ASCII, newlines and tabs: exactly
    the ASCII characters `textsafe.is_unsafe_char` lets through."""
    for code in range(128):
        ch = chr(code)
        assert is_unsafe_char(ch) == (not (ch in "\n\t" or ch.isprintable())), code


@pytest.mark.parametrize(
    "cmd",
    [
        "ls\x1b[2J /srv",
        "echo ok\rrm -rf ~",
        "cat notes\x7f.txt",
        "echo \u202erm -rf /srv\u202c",
        "ls\u200b -la",
        "printf 'a\tb\n' # note\u2066",
    ],
)
def test_hidden_characters_are_still_found(cmd: str) -> None:
    assert any(h.rule == "text.invisible" for h in engine_module._text_hits(cmd)), cmd
