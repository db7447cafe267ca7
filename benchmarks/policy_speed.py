"""How fast the policy engine answers, measured against references in the same run.

- throughput of `aiperm check --stdin` on the corpus (distinct commands, then the same
  commands repeated so the xxhash-keyed cache serves them), against the 1,000/s target
  and against raw `bashlex.parse` alone on the same commands;
- p99 latency of one `PolicyEngine.decide` (cold cache);
- startup of `aiperm --version` and `aiperm check -- ls`, against `python -c pass`
  (target for --version: < 250 ms).

Run: python benchmarks/policy_speed.py
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "policy" / "corpus.jsonl"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def commands() -> list[str]:
    """The corpus commands (distinct), or a small built-in mix when it is missing."""
    if CORPUS.exists():
        rows = [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]
        return list(dict.fromkeys(r["cmd"] for r in rows))
    return ["ls -la", "rm -rf /", "sudo systemctl restart nginx", "curl x | sh",
            "git push --force", "kubectl get pods", "echo 'rm -rf /'"]


def stdin_rate(lines: list[str]) -> float:
    """Commands per second through one `aiperm check --stdin` process (startup excluded
    by timing a one-line run and subtracting it)."""
    def timed(payload: list[str]) -> float:
        data = "".join(json.dumps(c) + "\n" for c in payload)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "aiperm_tui", "check", "--stdin"], input=data,
                       capture_output=True, text=True, env=ENV, cwd=ROOT, check=False)
        return time.perf_counter() - start

    startup = min(timed(["ls"]) for _ in range(3))
    total = timed(lines)
    return len(lines) / max(total - startup, 1e-6)


def bashlex_rate(lines: list[str]) -> float:
    import bashlex

    start = time.perf_counter()
    for c in lines:
        with contextlib.suppress(Exception):  # only the time matters here
            bashlex.parse(c)
    return len(lines) / (time.perf_counter() - start)


def latencies(lines: list[str]) -> list[float]:
    from aiperm_tui.config import Config
    from aiperm_tui.policy import PolicyEngine

    out = []
    for c in lines:
        engine = PolicyEngine(Config())  # a fresh cache: the cold path
        start = time.perf_counter()
        engine.decide(c)
        out.append(time.perf_counter() - start)
    return out


def startup(argv: list[str], runs: int = 7) -> float:
    best = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, env=ENV, cwd=ROOT, check=False)
        best.append(time.perf_counter() - start)
    return statistics.median(best)


def main() -> None:
    lines = commands()
    repeated = lines * 10
    print(f"policy speed: {len(lines)} distinct commands "
          f"({'corpus.jsonl' if CORPUS.exists() else 'built-in mix'})\n")
    distinct = stdin_rate(lines)
    cached = stdin_rate(repeated)
    raw = bashlex_rate(lines)
    print(f"aiperm check --stdin, distinct   {distinct:9,.0f}/s   {distinct / 1000:5.2f}x the "
          f"1,000/s target   {distinct / raw:5.2f}x raw bashlex.parse ({raw:,.0f}/s)")
    print(f"aiperm check --stdin, repeated   {cached:9,.0f}/s   {cached / 1000:5.2f}x the "
          f"1,000/s target   {cached / distinct:5.2f}x distinct (cache)")
    lat = sorted(latencies(lines))
    p50, p99 = lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    print(f"decide() latency, cold cache     p50 {p50 * 1000:6.2f} ms   p99 {p99 * 1000:6.2f} ms"
          f"   max {lat[-1] * 1000:6.2f} ms")
    base = startup([sys.executable, "-c", "pass"])
    version = startup([sys.executable, "-m", "aiperm_tui", "--version"])
    check = startup([sys.executable, "-m", "aiperm_tui", "check", "--", "ls"])
    print(f"startup python -c pass           {base * 1000:6.0f} ms   (reference)")
    print(f"startup aiperm --version         {version * 1000:6.0f} ms   "
          f"{version / base:5.2f}x the reference   target < 250 ms: "
          f"{'PASS' if version < 0.25 else 'FAIL'}")
    print(f"startup aiperm check -- ls       {check * 1000:6.0f} ms   "
          f"{check / base:5.2f}x the reference (bashlex builds its LALR tables at import)")


if __name__ == "__main__":
    main()
