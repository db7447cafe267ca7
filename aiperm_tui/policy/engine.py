"""`PolicyEngine.decide`: one command string in, one `Decision` out, never an exception.

The steps: text checks (control, bidi, zero-width characters), the AST walk
(`analysis.py`), then the layers of `rules.py` (operator rules, jail, preset). Decisions
are cached per (command, host, preset) under an xxhash key; the cached entry keeps the
full key so a hash collision can never hand one command another's decision.
"""

from __future__ import annotations

import _thread  # not threading (~1 ms of every check): a lock is all it needs
import os
from collections import OrderedDict
from collections.abc import Sequence

import xxhash

from aiperm_tui import paths
from aiperm_tui.config import PRESETS, Config
from aiperm_tui.policy.addresses import site_names
from aiperm_tui.policy.analysis import Analysis
from aiperm_tui.policy.dataflow import comment_spans
from aiperm_tui.policy.hits import SCORES, Hit
from aiperm_tui.policy.model import (
    BLAST_ORDER,
    Blast,
    Decision,
    Finding,
    Risk,
    severity_rank,
    stricter_confirm,
)
from aiperm_tui.policy.packs import Packs, operator_packs
from aiperm_tui.policy.parse import MAX_SOURCE, unanalysable
from aiperm_tui.policy.rules import (
    Verdict,
    first_rule,
    jail_breaks,
    jail_exits,
    preset_verdict,
    rule_verdict,
)
from aiperm_tui.textsafe import is_unsafe_char

CACHE_SIZE = 4096


def packs_folder(config: Config) -> str:
    """CONFIG/packs: the operator's packs, beside the config file that was read."""
    folder = os.path.dirname(config.path) if config.path is not None else paths.config_folder()
    return os.path.join(folder, "packs")


class PolicyEngine:
    """Decides commands for one configuration. Thread-safe."""

    def __init__(self, config: Config, packs: Packs | None = None) -> None:
        self.config = config
        self._cache: OrderedDict[int, tuple[tuple[str, str, str], Decision]] = OrderedDict()
        self._lock = _thread.allocate_lock()
        self._packs: Packs | None = packs  # None: built-in plus CONFIG/packs, on first use
        # the estate's own names (`addresses.site_address`), in effect while it decides
        self._site_names = (config.policy.site_domains, config.site_hostnames())

    def packs(self) -> Packs:
        """The built-in rule packs plus the operator's (CONFIG/packs/*.toml), read once:
        like the config, a pack changed while the broker runs takes effect at restart."""
        if self._packs is None:
            self._packs = operator_packs(packs_folder(self.config))
        return self._packs

    def for_config(self, config: Config) -> PolicyEngine:
        """A fresh engine for a changed configuration (the broker's remembered rules):
        the decision cache holds answers under the old rules."""
        return PolicyEngine(config)

    def decide(self, command: str, host: str | None = None, preset: str | None = None) -> Decision:
        """The decision for `command` on `host` under `preset` (default: the host's)."""
        if not isinstance(command, str):
            return self._decide_safely(command, host, preset)
        host = host or self.config.default_host
        key = (command, host or "", preset or "")
        digest = xxhash.xxh3_64_intdigest("\0".join(key).encode("utf-8", "surrogatepass"))
        with self._lock:
            cached = self._cache.get(digest)
            if cached is not None and cached[0] == key:
                self._cache.move_to_end(digest)
                return cached[1]
        decision = self._decide_safely(command, host, preset)
        with self._lock:
            self._cache[digest] = (key, decision)
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return decision

    def _decide_safely(self, command: str, host: str | None, preset: str | None) -> Decision:
        before = site_names(self._site_names)  # this config's own names, this thread only
        try:
            return self._decide(command, host, preset)
        except Exception as exc:  # the engine must answer for any input: fail closed
            end = len(command) if isinstance(command, str) else 0
            return Decision(
                "deny",
                "typed",
                "parse",
                f"policy engine error: {type(exc).__name__}",
                Risk(100, "unknown"),
                None,
                (
                    Finding(
                        "engine.error",
                        "critical",
                        f"the engine failed on this "
                        f"command ({type(exc).__name__}); denied to be safe",
                        (0, end),
                    ),
                ),
            )
        finally:
            site_names(before)

    def _decide(self, command: str, host: str | None, preset: str | None) -> Decision:
        if not isinstance(command, str):
            raise TypeError("command must be a string")
        host_cfg = self.config.hosts.get(host) if host else None
        jail_root = host_cfg.jail_root if host_cfg else None
        preset = preset or self.config.preset_for(host)
        if preset not in PRESETS:
            preset = "read_only"  # an unknown name fails closed
        if len(command) > MAX_SOURCE:  # not even scanned: the bound holds for any size
            analysis = Analysis(command, cwd=jail_root, packs=self.packs())
            analysis.complete = False
            hits = [unanalysable(command, f"command longer than {MAX_SOURCE // 1024} KiB")]
            return _build(
                command,
                self._layers(command, host, preset, jail_root, hits, analysis),
                hits,
                analysis,
            )
        analysis = Analysis(command, cwd=jail_root, packs=self.packs()).run()
        hits = _text_hits(command) + analysis.hits
        if not analysis.complete:
            hits.append(
                Hit(
                    "parse.incomplete",
                    "medium",
                    "not fully analysed: " + "; ".join(analysis.problems or ["unknown syntax"]),
                    (0, len(command)),
                    "unknown",
                )
            )
        verdict = self._layers(command, host, preset, jail_root, hits, analysis)
        return _build(command, verdict, hits, analysis)

    def _layers(
        self,
        command: str,
        host: str | None,
        preset: str,
        jail_root: str | None,
        hits: list[Hit],
        analysis: Analysis,
    ) -> Verdict:
        base = preset_verdict(preset, hits, analysis.complete, jail_root)
        if base.allow and not analysis.complete and _only_parse_drives(hits):
            base = Verdict(True, base.confirm, "parse", base.reason)
        if jail_root:
            base = _jail_verdict(base, hits, jail_root)
        found = first_rule(self.config.rules, command, host)
        if found is None:
            return base
        rule = rule_verdict(*found)
        if found[1].match == "exact" or (
            found[1].action == "allow" and _prefix_may_relax(base, hits, analysis)
        ):
            return rule
        return _tighter(rule, base)


def _jail_verdict(base: Verdict, hits: Sequence[Hit], jail_root: str) -> Verdict:
    """A write outside the jail is denied; a link out of it needs the typed code."""
    breaks = jail_breaks(hits, jail_root)
    if breaks:
        return Verdict(
            False, "typed", "jail", f"writes outside the jail {jail_root}: {breaks[0][1]}"
        )
    exits = jail_exits(hits, jail_root)
    if exits and base.allow:
        return Verdict(
            True,
            "typed",
            "jail",
            f"makes a link in the jail {jail_root} that leads out of it, to {exits[0][1]}: "
            "later commands through it write outside",
        )
    return base


def _only_parse_drives(hits: Sequence[Hit]) -> bool:
    """True when the parse-failure finding is (one of) the worst: `parse` decided."""
    worst = max(severity_rank(h.severity) for h in hits)
    return any(h.rule == "parse.incomplete" and severity_rank(h.severity) == worst for h in hits)


def _single_safe(analysis: Analysis) -> bool:
    return analysis.parsed is not None and analysis.parsed.single and analysis.complete


def _prefix_may_relax(base: Verdict, hits: Sequence[Hit], analysis: Analysis) -> bool:
    """May a prefix/glob allow rule replace the preset's verdict? It covers commands the
    operator never saw (`chmod ` remembered from `chmod 644 ./x` also matches
    `chmod -R 777 /`), so it may only lower the confirmation of one fully parsed command
    the preset already allows below `typed`: never a deny, a typed level, or a jail break
    (which has turned `base` into a deny), and never hidden characters."""
    return (
        base.allow
        and base.confirm != "typed"
        and _single_safe(analysis)
        and not any(h.rule == "text.invisible" for h in hits)
    )


def _tighter(a: Verdict, b: Verdict) -> Verdict:
    """The stricter verdict: a deny beats an allow, then the higher confirmation."""
    if a.allow != b.allow:
        return b if a.allow else a
    return a if stricter_confirm(a.confirm, b.confirm) == a.confirm else b


def _text_hits(command: str) -> list[Hit]:
    """Control, bidi and zero-width characters: always a finding, one per run; bidi and
    zero-width characters inside a comment are low (the issue-16 false positive), control
    characters are high wherever they are."""
    if command.isascii() and command.replace("\n", " ").replace("\t", " ").isprintable():
        return []  # printable ASCII, newlines and tabs: none is unsafe (not a call a character)
    hits: list[Hit] = []
    start = None
    comments = comment_spans(command) if "#" in command else []
    for i, ch in enumerate(command + "\n"):
        bad = ch != "\n" and is_unsafe_char(ch)
        if bad and start is None:
            start = i
        elif not bad and start is not None:
            chars = command[start:i]
            kind = "bidi/zero-width" if any(ord(c) > 0x7F for c in chars) else "control"
            shown = chars.encode("unicode_escape").decode("ascii")[:40]
            if kind != "control" and any(a <= start and i <= b for a, b in comments):
                hits.append(
                    Hit(
                        "text.invisible",
                        "low",
                        f"{kind} characters in a "
                        f"comment ({shown}): shown escaped; a comment ends at its "
                        "line, so they cannot reorder what runs",
                        (start, i),
                    )
                )
            else:
                hits.append(
                    Hit(
                        "text.invisible",
                        "high",
                        f"{kind} characters in the "
                        f"command ({shown}): what you see is not what runs",
                        (start, i),
                        "unknown",
                    )
                )
            start = None
    return hits


def _build(command: str, verdict: Verdict, hits: list[Hit], analysis: Analysis) -> Decision:
    n = len(command)
    findings = tuple(
        Finding(h.rule, h.severity, h.message, _clamp(h.span, n))
        for h in sorted(hits, key=lambda h: (-severity_rank(h.severity), h.span[0]))
    )
    risk = _risk(hits)
    argv = None
    if analysis.parsed is not None and analysis.parsed.single and analysis.complete:
        simple = analysis.parsed.simples[0]
        argv = tuple(w.text for w in simple.words) or None
    suggestions: tuple[str, ...] = ()
    if not verdict.allow:
        suggestions = tuple(
            dict.fromkeys(
                h.suggest
                for h in sorted(hits, key=lambda h: -severity_rank(h.severity))
                if h.suggest
            )
        )[:3]
    reason = verdict.reason
    if verdict.layer.startswith("preset") and reason == "read-only" and analysis.names:
        reason = "read-only: " + ", ".join(dict.fromkeys(analysis.names))
    return Decision(
        "allow" if verdict.allow else "deny",
        verdict.confirm,
        verdict.layer,
        reason,
        risk,
        argv,
        findings,
        suggestions,
    )


def _clamp(span: tuple[int, int], n: int) -> tuple[int, int]:
    start = min(max(0, span[0]), n)
    return (start, min(max(start, span[1]), n))


def _risk(hits: list[Hit]) -> Risk:
    if not hits:
        return Risk(0, "single")
    worst = max(hits, key=lambda h: (severity_rank(h.severity), BLAST_ORDER.index(h.blast)))
    serious = sum(1 for h in hits if severity_rank(h.severity) >= 2)
    score = min(100, SCORES[worst.severity] + min(8, 2 * max(0, serious - 1)))
    blast: Blast = max(
        (h.blast for h in hits if h.severity == worst.severity), key=BLAST_ORDER.index
    )
    return Risk(score, blast)
