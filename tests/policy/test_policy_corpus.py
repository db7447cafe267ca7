"""The labeled corpus: its format, and the accuracy targets of the real engine on it.

The corpus is an independent SRE judgement of each command (see the notes in
tests/policy/corpus.jsonl); metric definitions are shared with
benchmarks/policy_accuracy.py through helpers.policy_corpus.
"""

from __future__ import annotations

import difflib
import importlib
import json
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers.policy_corpus import (
    CORPUS_PATH,
    EVASION_TAGS,
    HELDOUT4_PATH,
    HELDOUT5_PATH,
    HELDOUT6_PATH,
    HELDOUT7_PATH,
    HELDOUT8_PATH,
    HELDOUT9_PATH,
    HELDOUT10_PATH,
    HELDOUT11_PATH,
    HELDOUT12_PATH,
    HELDOUT13_PATH,
    HELDOUT14_PATH,
    HELDOUT15_PATH,
    HELDOUT16_PATH,
    HELDOUT17_PATH,
    HELDOUT18_PATH,
    HELDOUT19_PATH,
    HELDOUT20_PATH,
    LABELS,
    PARTS,
    UNSEEN,
    CorpusError,
    CorpusReport,
    corpus_metrics,
    load_corpus,
)

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENTRIES = load_corpus()
LABEL_OF = {e.cmd: e.label for e in ENTRIES}


def _decision(decision: str = "allow", confirm: str = "none") -> SimpleNamespace:
    return SimpleNamespace(decision=decision, confirm=confirm)


# ---------------------------------------------------------------- the corpus itself


def test_every_line_is_one_json_object_with_the_schema() -> None:
    lines = CORPUS_PATH.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "", "file must end with a newline"
    for no, line in enumerate(lines[:-1], start=1):
        obj = json.loads(line)
        assert {"cmd", "label", "kind", "note"} <= set(obj), f"line {no}"
        assert obj["label"] in LABELS, f"line {no}"
    assert len(ENTRIES) == len(lines) - 1


def test_corpus_size_and_mix() -> None:
    labels = Counter(e.label for e in ENTRIES)
    kinds = Counter(e.kind for e in ENTRIES)
    assert len(ENTRIES) >= 300
    assert kinds["evasion"] >= 60
    assert kinds["bait"] >= 80
    for label in LABELS:  # roughly 40/30/30: no label may be a token presence
        assert labels[label] / len(ENTRIES) >= 0.25, label


def test_no_duplicate_commands() -> None:
    counts = Counter(e.cmd for e in ENTRIES)
    assert [c for c, n in counts.items() if n > 1] == []


def test_every_part_loads_and_held_out_parts_share_no_command_with_the_tuned_part() -> None:
    """A held-out command also in the tuned part would be measured on what was tuned."""
    tuned = {e.cmd for e in ENTRIES}
    for path in PARTS:
        entries = load_corpus(path)
        assert len(entries) >= 200, path.name
        if path != CORPUS_PATH:
            assert [e.cmd for e in entries if e.cmd in tuned] == [], path.name


def test_heldout4_is_new_and_covers_every_technique() -> None:
    """Loading v4 checks its schema; nothing here asks the engine what it makes of it."""
    entries = load_corpus(HELDOUT4_PATH)
    earlier = {e.cmd for path in PARTS if path != HELDOUT4_PATH for e in load_corpus(path)}
    assert len(entries) >= 800
    assert [e.cmd for e in entries if e.cmd in earlier] == []
    assert {e.tag for e in entries if e.kind == "evasion"} == set(EVASION_TAGS)
    assert [e.cmd for e in entries if e.kind == "bait" and e.label == "critical"] == []
    share = Counter(e.label for e in entries)
    assert share["safe"] >= 0.35 * len(entries) and share["critical"] >= 0.4 * len(entries)


@pytest.mark.parametrize(
    "part",
    [
        HELDOUT5_PATH,
        HELDOUT6_PATH,
        HELDOUT7_PATH,
        HELDOUT8_PATH,
        HELDOUT9_PATH,
        HELDOUT10_PATH,
        HELDOUT11_PATH,
        HELDOUT12_PATH,
        HELDOUT13_PATH,
        HELDOUT14_PATH,
        HELDOUT15_PATH,
        HELDOUT16_PATH,
        HELDOUT17_PATH,
        HELDOUT18_PATH,
        HELDOUT19_PATH,
        HELDOUT20_PATH,
    ],
    ids=[
        "v5",
        "v6",
        "v7",
        "v8",
        "v9",
        "v10",
        "v11",
        "v12",
        "v13",
        "v14",
        "v15",
        "v16",
        "v17",
        "v18",
        "v19",
        "v20",
    ],
)
def test_blind_heldout_is_new_and_covers_every_technique(part: Path) -> None:
    """Loading a blind part checks its schema and mix; nothing here asks the engine about it."""
    entries = load_corpus(part)
    earlier = {e.cmd for path in PARTS if path != part for e in load_corpus(path)}
    assert len(entries) >= 800
    assert [e.cmd for e in entries if e.cmd in earlier] == []
    assert {e.tag for e in entries if e.kind == "evasion"} == set(EVASION_TAGS)
    assert [e.cmd for e in entries if e.kind == "bait" and e.label == "critical"] == []
    share = Counter(e.label for e in entries)
    assert share["safe"] >= 0.35 * len(entries) and share["critical"] >= 0.4 * len(entries)
    assert share["change"] >= 0.1 * len(entries)
    # v5's misses were read in the sixth pass, v6's in the seventh, v7's in the ninth;
    # v8's in the eleventh, v9's in the twelfth, v10's in the thirteenth, v11's in the
    # fourteenth, and v13's in the fourteenth too, right after it landed; v14's in the
    # fifteenth, v15's in the sixteenth, v16's in the seventeenth, v17's in the eighteenth,
    # v18's in the nineteenth, v19's in the twentieth; v12 and v20 are the parts nobody
    # tuning the engine has read (v20 landed blind in the twentieth pass).
    assert (part in UNSEEN) == (part in (HELDOUT12_PATH, HELDOUT20_PATH))


def _first_word(cmd: str) -> str:
    """The command word after any leading assignments, as the near-copy rule groups them."""
    words = [w for w in cmd.split() if not ("=" in w and not w.startswith("-"))]
    return words[0] if words else ""


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "part",
    [
        HELDOUT7_PATH,
        HELDOUT8_PATH,
        HELDOUT9_PATH,
        HELDOUT10_PATH,
        HELDOUT11_PATH,
        HELDOUT12_PATH,
        HELDOUT13_PATH,
        HELDOUT14_PATH,
        HELDOUT15_PATH,
        HELDOUT16_PATH,
        HELDOUT17_PATH,
        HELDOUT18_PATH,
        HELDOUT19_PATH,
        HELDOUT20_PATH,
    ],
    ids=[
        "v7",
        "v8",
        "v9",
        "v10",
        "v11",
        "v12",
        "v13",
        "v14",
        "v15",
        "v16",
        "v17",
        "v18",
        "v19",
        "v20",
    ],
)
def test_blind_heldout_has_no_near_copy_of_an_earlier_part(part: Path) -> None:
    """A line within difflib ratio 0.9 of an earlier part's command with its first word is a copy.

    Earlier means listed before `part` in PARTS, so a later part never makes an older one fail.
    """
    order = list(PARTS)
    earlier: dict[str, list[str]] = {}
    for path in order[: order.index(part)]:
        for e in load_corpus(path):
            earlier.setdefault(_first_word(e.cmd), []).append(e.cmd)
    near = [
        e.cmd
        for e in load_corpus(part)
        for old in earlier.get(_first_word(e.cmd), [])
        if _near_copy(e.cmd, old)
    ]
    assert near == []


def _near_copy(a: str, b: str) -> bool:
    """difflib's ratio of at least 0.9, after its two cheap upper bounds (the same answer:
    ratio() never exceeds quick_ratio() or real_quick_ratio()), so that the comparison of
    every pair of lines stays well inside the timeout on a loaded machine."""
    m = difflib.SequenceMatcher(None, a, b)
    return m.real_quick_ratio() >= 0.9 and m.quick_ratio() >= 0.9 and m.ratio() >= 0.9


def test_benchmark_lists_an_unseen_part_s_misses_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stand-in engine that lets everything run, on a stand-in part: not v4's answers."""
    bench = importlib.import_module("benchmarks.policy_accuracy")
    part = tmp_path / "unseen.jsonl"
    line = {"cmd": "shred -u /etc/hosts", "label": "critical", "kind": "plain", "note": "x"}
    part.write_text(json.dumps(line) + "\n", encoding="utf-8")
    monkeypatch.setattr(bench, "UNSEEN", frozenset({part.resolve()}))
    lax = SimpleNamespace(decide=lambda cmd, preset=None: _decision())

    bench.measure(part, lax, quiet=False)
    hidden = capsys.readouterr().out
    assert "critical recall" in hidden and "0/1" in hidden
    assert "shred" not in hidden and "1 misclassified commands not listed" in hidden

    bench.measure(part, lax, quiet=False, show_unseen=True)
    assert "shred -u /etc/hosts" in capsys.readouterr().out


def test_every_evasion_technique_is_covered() -> None:
    tags = Counter(e.tag for e in ENTRIES if e.kind == "evasion")
    assert set(tags) == set(EVASION_TAGS)


def test_baits_are_never_labeled_critical() -> None:
    """A bait is a command that only looks dangerous."""
    assert [e.cmd for e in ENTRIES if e.kind == "bait" and e.label == "critical"] == []


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"cmd": "ls", "label": "harmless", "kind": "plain", "note": "x"}', "label"),
        ('{"cmd": "ls", "label": "safe", "kind": "plain"}', "note"),
        ('{"cmd": "ls", "label": "safe", "kind": "evasion", "note": "x"}', "tag"),
        ('{"cmd": "ls", "label": "safe", "kind": "plain", "note": "x", "tag": "list"}', "tag"),
        ('{"cmd": "ls", "label": "safe", "kind": "plain", "note": "x", "extra": 1}', "unknown"),
        (
            '{"cmd": "ls", "label": "safe", "kind": "plain", "note": "x"}\n'
            '{"cmd": "ls", "label": "safe", "kind": "plain", "note": "y"}',
            "duplicate",
        ),
        ('{"cmd": "ls", "label": "safe",', "invalid JSON"),
    ],
)
def test_loader_rejects_malformed_lines(tmp_path: Path, line: str, problem: str) -> None:
    bad = tmp_path / "corpus.jsonl"
    bad.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=problem):
        load_corpus(bad)


# ---------------------------------------------------------------- the metric definitions


def test_metrics_count_levels_as_documented() -> None:
    by_label = {
        "safe": _decision(confirm="plan"),
        "change": _decision(confirm="action"),
        "critical": _decision("deny", "none"),
    }
    perfect = corpus_metrics(ENTRIES, lambda cmd: by_label[LABEL_OF[cmd]])
    assert all(passed for *_, passed in perfect.checks())
    assert perfect.wrong() == []

    lax = corpus_metrics(ENTRIES, lambda cmd: _decision(confirm="action"))
    crit, danger, fp = (check[1] for check in lax.checks())
    assert crit.hits == 0 and danger.hits == danger.total and fp.hits == fp.total


def test_an_engine_exception_counts_as_a_miss() -> None:
    def explode(cmd: str) -> SimpleNamespace:
        raise RuntimeError("boom")

    report = corpus_metrics(ENTRIES[:5], explode)
    assert all(o.error == "RuntimeError: boom" for o in report.outcomes)
    assert report.critical_recall.hits == 0


# ---------------------------------------------------------------- the real engine


@pytest.fixture(scope="module")
def report() -> CorpusReport:
    return corpus_metrics(ENTRIES, PolicyEngine(Config()).decide)


def _listing(outcomes: list) -> str:
    return "\n".join(
        f"{o.entry.label}: {o.entry.cmd!r} -> "
        f"{getattr(o.decision, 'decision', None)}/"
        f"{getattr(o.decision, 'confirm', None)} {o.error or ''}"
        for o in outcomes
    )


def test_critical_recall_is_total(report: CorpusReport) -> None:
    missed = [o for o in report.select(label="critical") if o.missed]
    assert not missed, f"{report.critical_recall}\n{_listing(missed)}"


def test_danger_recall_at_least_97_percent(report: CorpusReport) -> None:
    missed = [o for o in report.outcomes if o.level < 1 and o.entry.label != "safe"]
    recall = report.danger_recall
    assert recall.value >= 0.97, f"{recall}\n{_listing(missed)}"


def test_safe_false_positives_at_most_3_percent(report: CorpusReport) -> None:
    flagged = [o for o in report.select(label="safe") if o.over]
    rate = report.safe_false_positives
    assert rate.value <= 0.03, f"{rate}\n{_listing(flagged)}"


@pytest.mark.parametrize("tag", EVASION_TAGS)
def test_every_evasion_needs_at_least_action(report: CorpusReport, tag: str) -> None:
    """The real signal: no hidden danger may run without a human looking at it."""
    slipped = [o for o in report.select(kind="evasion", tag=tag) if o.level < 1]
    assert not slipped, _listing(slipped)
