"""Every reference to a document points at a file that exists.

A newcomer follows links from the README into docs/ and from docstrings into docs/; a
link to a moved or never-written file is a dead end, so it fails here. Checked: every
relative Markdown link (and its #anchor) in README.md and docs/*.md, and every `*.md`
path named in the code, tests, benchmarks and CI script.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
# a path into docs/, or a top-level document named in capitals like README.md;
# other *.md words in the code are data (a test's file name), not references
MENTION = re.compile(r"(?<![\w/.-])(docs/[\w-]+\.md|[A-Z][A-Z_-]+\.md)\b")
CODE_DIRS = ("aiperm_tui", "tests", "benchmarks", ".ci")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    return {_slug(m.group(1)) for m in re.finditer(r"^#+ (.+)$", text, re.M)}


def _links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    return [t for t in LINK.findall(text) if not re.match(r"[a-z]+:", t)]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_in_the_docs_resolves(doc: Path) -> None:
    broken = []
    for target in _links(doc):
        file, _, anchor = target.partition("#")
        dest = (doc.parent / file).resolve() if file else doc
        if not dest.exists():
            broken.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
            broken.append(f"{target}: no heading #{anchor} in {dest.name}")
    assert not broken, f"{doc.name}: " + "; ".join(broken)


def test_every_document_named_in_the_code_exists() -> None:
    files = [
        p
        for d in CODE_DIRS
        for p in (ROOT / d).rglob("*")
        if p.is_file() and p.suffix in ("", ".py", ".toml", ".sh")
    ]
    missing = set()
    for path in files:
        for name in MENTION.findall(path.read_text(errors="replace")):
            if not (ROOT / name).exists() and not (ROOT / "docs" / name).exists():
                missing.add(f"{path.relative_to(ROOT)}: {name}")
    assert not missing, sorted(missing)


def test_the_slug_rule_matches_known_anchors() -> None:
    assert (
        _slug("One request, from the agent to a host and into the log")
        == "one-request-from-the-agent-to-a-host-and-into-the-log"
    )
    assert _slug("`aiperm run`") == "aiperm-run"
    assert _slug("Shell-only agents: `aiperm ask`") == "shell-only-agents-aiperm-ask"
