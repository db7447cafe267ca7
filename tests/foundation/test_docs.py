"""Every reference to a document points at a file that exists.

A newcomer follows links from the README into docs/ and from docstrings into docs/; a
link to a moved or never-written file is a dead end, so it fails here: every relative
Markdown link (and its #anchor) in README.md and docs/*.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The pages whose links are checked; this release's other pages join as their links'
# targets land (trust-model.md, policy-parser.md are linked before they exist).
DOCS = [ROOT / "README.md", *(ROOT / "docs" / name for name in (
    "README.md", "architecture.md", "benchmarks.md", "changelog.md", "configuration.md",
    "protocol.md", "readme-0.1.md", "replay.md", "ssh.md", "rule-packs.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


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


def test_the_slug_rule_matches_known_anchors() -> None:
    assert _slug("One request, from the agent to a host and into the log") == \
        "one-request-from-the-agent-to-a-host-and-into-the-log"
    assert _slug("`aiperm run`") == "aiperm-run"
    assert _slug("Shell-only agents: `aiperm ask`") == "shell-only-agents-aiperm-ask"
