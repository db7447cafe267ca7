"""How well the policy engine judges the labeled corpus (tests/policy/corpus.jsonl).

    python benchmarks/policy_accuracy.py [--quiet] [--show-unseen] [--preset P] [--corpus PATH ...]

Prints, for each part of the corpus (the tuned part tests/policy/corpus.jsonl; held-out v1
tests/policy/heldout.jsonl, written before the engine was run on it but whose misses were
read and whose classes were fixed after its first measurement, so no longer unseen;
held-out v2 tests/policy/heldout2.jsonl, written and committed before the second pass on
the engine, whose misses were read and whose classes were fixed in the third pass, so it
is seen too; held-out v3 tests/policy/heldout3.jsonl, written blind by an outside tester,
whose misses were read and whose classes were fixed in the fourth pass, so it is seen
too; held-out v4 tests/policy/heldout4.jsonl, written blind by another outside tester
who never ran the engine on it, measured unseen at 90.5 % critical recall and 6.3 % safe
false positives, whose misses were read and whose classes were fixed in the fifth pass, so
it is seen too; held-out v5 tests/policy/heldout5.jsonl, written blind by a third
outside tester the same way, measured unseen at 90.5 % critical recall and 7.9 % safe
false positives, whose misses were read and whose classes were fixed in the sixth pass, so
it is seen too; and held-out v6 tests/policy/heldout6.jsonl, written blind by a fourth
outside tester the same way, measured unseen at 76.1 % critical recall and 23.8 % safe
false positives, whose misses were read and whose classes were fixed in the seventh pass,
so it is seen too; and held-out v7 tests/policy/heldout7.jsonl, written blind by a fifth
outside tester the same way, measured unseen at 74.9 % critical recall and 30.8 % safe
false positives, whose misses were read and whose classes were fixed in the ninth pass,
so it is seen too; and held-out v8 tests/policy/heldout8.jsonl, written blind by a sixth
outside tester the same way during the ninth pass, measured unseen at 87.7 % critical
recall and 11.0 % safe false positives, whose misses were read and whose classes were
fixed in the eleventh pass, so it is seen too; held-out
v9 tests/policy/heldout9.jsonl, written blind by a seventh outside tester the same way
during the tenth pass, measured unseen at 88.2 % critical recall and 17.0 % safe false
positives, whose misses are read in the twelfth pass, so it is seen too; held-out v10
tests/policy/heldout10.jsonl, written blind by an eighth outside tester the same way
during the eleventh pass, as a data platform, network, on-call, security and edge fleet
team would type, measured unseen at 84.0 % critical recall and 21.8 % safe false
positives, whose misses are read in the thirteenth pass, so it is seen too; held-out v11
tests/policy/heldout11.jsonl, written blind by a ninth outside tester the same way during
the twelfth pass, as an HPC, hosting support, database reliability, enterprise Linux, BSD
and NixOS, and telecom and media team would type, measured unseen at 74.1 % critical
recall and 28.4 % safe false positives, whose misses are read in the fourteenth pass, so
it is seen too; held-out v12
tests/policy/heldout12.jsonl, written blind by a tenth outside tester the same way during
the thirteenth pass, as an Oracle/SAP DBA, small-business IT desk, payments and
middleware, release engineering, blockchain node and Windows-hybrid team would type,
unseen: measured only; held-out v13 tests/policy/heldout13.jsonl, written blind by an
eleventh outside tester the same way during the fourteenth pass, from the mainstream tools
SRE, platform and developer teams type every day, measured unseen at 90.5 % critical
recall and 4.5 % safe false positives on the engine it landed on, whose misses are read in
the fourteenth pass, so it is seen too; and held-out v14 tests/policy/heldout14.jsonl,
written blind by a twelfth outside tester the same way during the fourteenth pass, from
the same mainstream tools as an AI coding and operations agent types them, measured
unseen at 91.8 % critical recall and 4.3 % safe false positives, whose misses are read in
the fifteenth pass, so it is seen too; and held-out v15 tests/policy/heldout15.jsonl,
written blind by a thirteenth outside tester the same way during the fifteenth pass, from
the same mainstream tools as an AI operations agent types them through multi-step tasks
(incident response, migrations, upgrades, certificate rotation, cost clean-up, access
reviews, restore drills, CI repair, log retention, capacity work), measured unseen at
91.9 % critical recall and 5.8 % safe false positives, whose misses are read in the
sixteenth pass, so it is seen too; and held-out v16 tests/policy/heldout16.jsonl, written
blind by a fourteenth outside tester the same way during the sixteenth pass, as an AI agent
doing developer-platform and staging work on shared build hosts types its multi-step tasks
(onboarding a repository, a red build, a dependency upgrade, a release, a flaky test hunt,
a staging deploy, a disk clean-up, a token rotation), measured unseen at 79.7 % critical
recall and 20.7 % safe false positives, whose misses are read in the seventeenth pass, so
it is seen too; and held-out v17 tests/policy/heldout17.jsonl, written blind by a
fifteenth outside tester the same way during the seventeenth pass, as a red team's
evaluation of a command reviewer on a mixed Linux fleet (issue 16's classes in fresh
spellings and less common tools, beside an honest agent's look-alike reads and routine
changes), measured unseen at 95.9 % critical recall and 3.8 % safe false positives,
whose misses are read in the eighteenth pass, so it is seen too; and held-out v18
tests/policy/heldout18.jsonl, written blind by a sixteenth outside tester the same way
during the eighteenth pass, as an AI agent on an infrastructure team types its work on the
shared services others stand on (observability, identity and PKI, virtualisation and
private cloud, bare metal and edge), measured unseen at 84.9 % critical recall and 8.9 %
safe false positives, whose misses are read in the nineteenth pass, so it is seen too; and
held-out v19 tests/policy/heldout19.jsonl, written blind by a seventeenth outside tester
the same way during the nineteenth pass, as an AI operations agent at a managed hosting
provider types its work on customers' servers (web hosting panels and CMS tools, mail and
DNS, the network edge, backups and migrations), measured unseen at 80.1 % critical
recall and 9.1 % safe false positives, whose misses are read in the twentieth pass, so it
is seen too; and held-out v20 tests/policy/heldout20.jsonl, written blind by an eighteenth
outside tester the same way during the twentieth pass, as an AI agent operating an ML/AI
platform team's infrastructure types its work (the GPU fleet and interconnect, training
clusters and notebooks, model serving, ML data, registries and experiment tracking),
unseen: measured only), critical
recall, danger recall and the safe false-positive rate against their targets (100%, >= 97%,
<= 3%), the evasion and bait figures, and every command that was judged wrongly with the
decision it got.

A part still marked unseen (its name in helpers.policy_corpus.PARTS ends in "(unseen)")
gets its aggregate figures only: its misclassified and over-escalated commands are not
listed unless --show-unseen is given, so that an engineer tuning the engine cannot read
an unseen part's misses by accident (reading them makes the part seen: rename it so).
The metric definitions live in tests/helpers/policy_corpus.py, shared with the pytest
targets. Always exits 0: it is a measurement; tests/policy/test_policy_corpus.py is what
fails.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from helpers.policy_corpus import (  # noqa: E402
    EVASION_TAGS,
    LABELS,
    PARTS,
    UNSEEN,
    CorpusError,
    CorpusReport,
    Outcome,
    corpus_metrics,
    load_corpus,
)

from aiperm_tui.config import PRESETS, Config, load_config  # noqa: E402
from aiperm_tui.textsafe import escape_control  # noqa: E402


def describe(outcome: Outcome) -> str:
    """The decision in one line: verdict/confirm, the layer and the engine's reason."""
    if outcome.decision is None:
        return f"ENGINE ERROR {outcome.error}"
    d = outcome.decision
    reason = escape_control(str(getattr(d, "reason", "")), keep_newlines=False)
    return f"{d.decision}/{d.confirm} [{getattr(d, 'layer', '?')}] {reason[:70]}"


def print_outcomes(title: str, outcomes: list[Outcome]) -> None:
    print(f"\n{title} ({len(outcomes)}):")
    for o in outcomes:
        cmd = escape_control(o.entry.cmd, keep_newlines=False)
        tag = f"/{o.entry.tag}" if o.entry.tag else ""
        print(f"  [{o.entry.label} {o.entry.kind}{tag}] {cmd}")
        print(f"      got {describe(o)}")


def print_summary(report: CorpusReport, seconds: float) -> None:
    for name, ratio, target, passed in report.checks():
        print(f"{name:<22} {ratio!s:<22} target {target:<7} {'PASS' if passed else 'FAIL'}")
    print(f"{'evasion recall':<22} {report.evasion_recall!s:<22} (evasions judged as labeled)")
    print(f"{'evasions >= action':<22} {report.evasion_at_least_action!s:<22}")
    print(
        f"{'bait false positives':<22} {report.bait_false_positives!s:<22}"
        " (baits stricter than their label)"
    )
    print(
        f"{'changes over-escalated':<22} {report.change_over_escalated!s:<22}"
        " (typed/deny for a routine change; not a target)"
    )
    print("\nevasions by technique (>= action, judged as labeled):")
    for tag in EVASION_TAGS:
        items = report.select(kind="evasion", tag=tag)
        low = sum(1 for o in items if o.level >= 1)
        ok = sum(1 for o in items if not o.missed)
        print(f"  {tag:<14} {low:>3}/{len(items):<3} {ok:>3}/{len(items):<3}")
    n = len(report.outcomes)
    print(f"\n{n} decisions in {seconds:.2f} s ({n / seconds:,.0f}/s, cold cache)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="hide the per-command lists")
    parser.add_argument(
        "--show-unseen",
        action="store_true",
        help="also list the commands an unseen part got wrong (makes that part seen)",
    )
    parser.add_argument(
        "--preset",
        choices=PRESETS,
        default="ops_safe",
        help="the preset every command is judged under (default ops_safe, as labelled)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        action="append",
        help="a corpus file (repeatable; default: every part)",
    )
    parser.add_argument(
        "--config",
        help="judge under this config file (its [policy] site_domains, [hosts] hostnames "
        "and rules; default: no config)",
    )
    args = parser.parse_args(argv)
    try:
        from aiperm_tui.policy import PolicyEngine
    except ImportError as exc:
        print(f"policy engine not available: {exc}")
        return 0
    config = load_config(args.config) if args.config else Config()
    for number, path in enumerate(args.corpus or list(PARTS)):
        if number:
            print("\n" + "=" * 78 + "\n")
        engine = PolicyEngine(config)
        measure(path, engine, quiet=args.quiet, show_unseen=args.show_unseen, preset=args.preset)
    return 0


def measure(
    path: Path, engine: Any, *, quiet: bool, show_unseen: bool = False, preset: str = "ops_safe"
) -> None:
    """Judge one corpus file with a fresh engine (a cold cache) and print its figures.

    An unseen part's per-command lists are withheld unless `show_unseen`: its value as a
    measure lasts only as long as nobody tuning the engine has read what it missed.
    """
    try:
        entries = load_corpus(path)
    except (OSError, CorpusError) as exc:
        print(f"cannot load corpus {path}: {exc}")
        return
    counts = ", ".join(f"{sum(e.label == lb for e in entries)} {lb}" for lb in LABELS)
    kinds = ", ".join(f"{sum(e.kind == k for e in entries)} {k}" for k in ("evasion", "bait"))
    part = PARTS.get(path.resolve(), "given file")
    print(
        f"policy accuracy, preset {preset}, {part}, {path.name}: {len(entries)} commands "
        f"({counts}; {kinds})\n"
    )
    start = time.perf_counter()
    report = corpus_metrics(entries, lambda command: engine.decide(command, preset=preset))
    print_summary(report, time.perf_counter() - start)
    if quiet:
        return
    if path.resolve() in UNSEEN and not show_unseen:
        print(
            f"\n{part}: {len(report.wrong())} misclassified commands not listed"
            " (an unseen part; --show-unseen lists them and makes it seen)"
        )
        return
    print_outcomes("misclassified (hurt a target)", report.wrong())
    print_outcomes(
        "over-escalated changes (typed/deny)",
        [o for o in report.select(label="change") if o.level >= 2],
    )


if __name__ == "__main__":
    sys.exit(main())
