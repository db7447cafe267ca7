"""The development sets (`tests/policy/devset*.jsonl`), measured in one place.

A development set is written before the engine is run on it, is not a measured part
(not in `policy_corpus.PARTS`), and its misses may be read; a test measures it so it
cannot rot. Each pass's tests did that by hand (load the file, decide every line, list
the lines a bound is about in the assertion's message); this is that one runner, so a
new pass's test (`test_policy_<name>.py` with its `devset<N>.jsonl`) needs only its
bounds:

    from helpers.devsets import gated_safe, measure, missed_critical

    @pytest.mark.timeout(120)
    def test_devset13_is_measured() -> None:
        report = measure("devset13.jsonl", ENGINE)
        crit = report.critical_recall
        assert crit.hits == crit.total, missed_critical(report)
        assert report.safe_false_positives.value <= 0.01, gated_safe(report)

A set written in rounds marks each later round's lines in their note ("round 2", "round
3"); `round_` measures one of them, and round 1 is the lines whose note names none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers.policy_corpus import CorpusReport, Entry, corpus_metrics, load_corpus

DEVSET_DIR = Path(__file__).resolve().parent.parent / "policy"


def load_devset(name: str, round_: int | None = None) -> list[Entry]:
    """The entries of `tests/policy/<name>`, validated; with `round_`, that round's only."""
    entries = load_corpus(DEVSET_DIR / name)
    if round_ is None:
        return entries
    if round_ == 1:
        return [e for e in entries if "round " not in e.note]
    return [e for e in entries if f"round {round_}" in e.note]


def measure(name: str, engine: Any, *, round_: int | None = None) -> CorpusReport:
    """Every line of the set (or of one round) decided by `engine`: the report's ratios
    are what a test bounds."""
    return corpus_metrics(load_devset(name, round_), engine.decide)


def missed_critical(report: CorpusReport) -> list[str]:
    """The critical lines neither typed nor denied, for an assertion's message."""
    return [o.entry.cmd for o in report.select(label="critical") if o.level < 2]


def gated_safe(report: CorpusReport) -> list[str]:
    """The safe lines that ask (`action`, `typed` or a deny), for an assertion's message."""
    return [o.entry.cmd for o in report.select(label="safe") if o.level >= 1]
