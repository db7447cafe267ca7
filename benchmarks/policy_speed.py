"""How fast the policy engine answers, measured against references in the same run.

- the two parsers alone on the same commands: tree-sitter (the primary parse, walked
  into `Simple` records) against raw `bashlex.parse` (the second opinion), and the share
  of commands that are not plain and so are read by both;
- throughput of `aiperm check --stdin` on the corpus (distinct commands, then the same
  commands repeated so the xxhash-keyed cache serves them), against the 1,000/s target;
- latency of one `PolicyEngine.decide` (cold cache): p50, p99, max;
- the bashlex worker's start to its first answer, with the shipped tables against
  bashlex building its own;
- reading the built-in packs at start: from their text (tomllib: the scan of every pack,
  then the pack `ls` needs) against the pack cache (`textcache.py`), as shipped and with
  every pack three times (the packs grow as command knowledge moves into them);
- start-up of one `aiperm check -- CMD` process (a plain command, and one that needs the
  second opinion, read in-process) and of `aiperm --version`, against `python -c pass`
  (target for one check: <= 50 ms wall), with the pack cache warm (as every check after
  the first), and with a config file (which `aiperm check` then reads with tomllib).
  Fastest of N runs and the median (the machine is shared); `uptime` is printed;
- what Python itself costs: `python -I -S -c pass` (the interpreter alone), and one
  plain check split into the interpreter, site's start-up (.pth files) and aiperm's
  share, as installed and with `-S` (site-packages on the path, no .pth file run);
- with `--venv DIR` (a virtualenv with aiperm installed: `python -m venv DIR &&
  DIR/bin/pip install .`), the target as the issue states it: the venv's own
  `aiperm check -- PLAIN` console script (importing this checkout), median of 21 runs,
  beside that venv's `python -c pass` and `python -S -c pass`, so what is aiperm's is
  read apart from what this machine's interpreter and site cost.

Run: python benchmarks/policy_speed.py [--venv DIR]
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPORA = [ROOT / "tests" / "policy" / name for name in ("corpus.jsonl", "heldout.jsonl")]
# Start-up is measured as an installed package runs: with its bytecode compiled. It is
# written under a prefix of its own, so the checkout stays clean (the tests' rule too).
# The pack cache is this checkout's own: one shared with another checkout (or another
# version) is rewritten by each in turn, and every check would pay a miss.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPATH": str(ROOT),
    "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "aiperm-bench-pycache"),
    "XDG_CACHE_HOME": str(
        Path(tempfile.gettempdir()) / f"aiperm-bench-cache{str(ROOT).replace(os.sep, '-')}"
    ),
}
PLAIN = "ls -la /var/log"
QUOTED = "grep -r 'password' \"$HOME/.config\" | head -5"


def commands() -> list[str]:
    """The corpus commands (distinct), or a small built-in mix when none is there."""
    rows = [
        json.loads(line)
        for path in CORPORA
        if path.exists()
        for line in path.read_text().splitlines()
        if line.strip()
    ]
    if rows:
        return list(dict.fromkeys(r["cmd"] for r in rows))
    return [
        "ls -la",
        "rm -rf /",
        "sudo systemctl restart nginx",
        "curl x | sh",
        "git push --force",
        "kubectl get pods",
        "echo 'rm -rf /'",
    ]


def stdin_rate(lines: list[str]) -> float:
    """Commands per second through one `aiperm check --stdin` process (startup excluded
    by timing a one-line run and subtracting it)."""

    def timed(payload: list[str]) -> float:
        data = "".join(json.dumps(c) + "\n" for c in payload)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "aiperm_tui", "check", "--stdin"],
            input=data,
            capture_output=True,
            text=True,
            env=ENV,
            cwd=ROOT,
            check=False,
        )
        return time.perf_counter() - start

    startup = min(timed(["ls 'x'"]) for _ in range(3))
    total = timed(lines)
    return len(lines) / max(total - startup, 1e-6)


def parser_rates(lines: list[str]) -> tuple[float, float, float]:
    """Commands per second: tree-sitter parse and walk, raw bashlex.parse; and the share
    of commands that are not plain (read by both)."""
    from aiperm_tui.policy import secondopinion
    from aiperm_tui.policy.bashlex_worker import import_bashlex
    from aiperm_tui.policy.shelltree import tree_simples

    start = time.perf_counter()
    for c in lines:
        with contextlib.suppress(Exception):  # only the time matters here
            tree_simples(c)
    tree = len(lines) / (time.perf_counter() - start)
    bashlex, _ = import_bashlex()
    start = time.perf_counter()
    for c in lines:
        with contextlib.suppress(Exception):
            bashlex.parse(c)
    raw = len(lines) / (time.perf_counter() - start)
    return tree, raw, sum(not secondopinion.is_plain(c) for c in lines) / len(lines)


def latencies(lines: list[str]) -> list[float]:
    from aiperm_tui.config import Config
    from aiperm_tui.policy import PolicyEngine

    PolicyEngine(Config()).decide(QUOTED)  # the bashlex worker is started once per process
    out = []
    for c in lines:
        engine = PolicyEngine(Config())  # a fresh cache: the cold path
        start = time.perf_counter()
        engine.decide(c)
        out.append(time.perf_counter() - start)
    return out


def worker_start(script: Path) -> float:
    """Seconds from starting the bashlex worker `script` to its first answer (fastest
    of 7): the cost a first non-plain command waits for."""
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-P", str(script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=ENV,
        )
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdout.readline()
        proc.stdin.write(b'"ls"\n')
        proc.stdin.flush()
        proc.stdout.readline()
        runs.append(time.perf_counter() - start)
        proc.stdin.close()
        proc.wait()
    return min(runs)


def pack_reading(copies: int) -> tuple[float, float]:
    """Seconds to read the built-in packs at start and build the one `ls` needs: from
    their text, and from a warm pack cache (each pack `copies` times, as files settled
    as an install's are, so known by their identity; fastest of 7)."""
    from aiperm_tui import textcache
    from aiperm_tui.policy import packs

    folder = ROOT / "aiperm_tui" / "policy" / "packs"
    with tempfile.TemporaryDirectory() as where:
        files: dict[str, Path] = {}
        for pack in sorted(folder.glob("*.toml")):
            for k in range(copies):
                files[f"{pack.name}#{k}"] = Path(where) / f"{pack.stem}-{k}.toml"
                files[f"{pack.name}#{k}"].write_text(pack.read_text(encoding="utf-8"))
        texts = {source: path.read_text(encoding="utf-8") for source, path in files.items()}
        needed = [s for s in files if s.startswith("coreutils.toml#")]

        def from_text() -> None:
            for path in files.values():
                text = path.read_text(encoding="utf-8")
                packs.scan_names(text)
                packs.scan_read_only(text)
            for source in needed:
                packs.parse_pack(texts[source], source, builtin=True, strict=False)

        def from_cache() -> None:
            read = textcache.Derived(files, packs._read_text, Path(packs.__file__), packs._is_index)
            for source in needed:
                data = read.data(source)
                packs.parse_pack("", source, builtin=True, strict=False, data=data)

        def fastest(run: Callable[[], None]) -> float:
            runs = []
            for _ in range(7):
                start = time.perf_counter()
                run()
                runs.append(time.perf_counter() - start)
            return min(runs)

        old = os.environ.get("XDG_CACHE_HOME"), textcache.SETTLED_NS
        os.environ["XDG_CACHE_HOME"] = str(Path(where) / "cache")
        textcache.SETTLED_NS = 0  # these files were just written; an install's are old
        try:
            from_cache()  # writes the cache
            return fastest(from_text), fastest(from_cache)
        finally:
            textcache.SETTLED_NS = old[1]
            if old[0] is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = old[0]


def startup(
    argv: list[str], runs: int = 21, env: dict[str, str] | None = None
) -> tuple[float, float, float]:
    """The fastest and the median wall time of `argv` over `runs` runs (after one run
    that compiles the bytecode and fills the pack cache), and the median CPU time
    (user + system) of the process, which a busy shared machine disturbs far less."""
    env = env or ENV
    subprocess.run(argv, capture_output=True, env=env, cwd=ROOT, check=False)
    times, cpu = [], []
    for _ in range(runs):
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, env=env, cwd=ROOT, check=False)
        times.append(time.perf_counter() - start)
        now = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(now.ru_utime - used.ru_utime + now.ru_stime - used.ru_stime)
    return min(times), statistics.median(times), statistics.median(cpu)


def shares(base: tuple[float, float, float], bare: tuple[float, float, float]) -> None:
    """Where one `aiperm check -- PLAIN` goes: the interpreter's own start, this machine's
    site start-up (.pth files), and aiperm's share (imports and work). Read twice: as
    installed (site runs, and its .pth files import pathlib, re and more that aiperm then
    gets for free), and with `-S` and site-packages on the path (the same code with no
    .pth file run), which is what a machine without such files pays."""
    check = startup([sys.executable, "-m", "aiperm_tui", "check", "--", PLAIN])
    site_dir = next(p for p in sys.path if p.endswith("site-packages"))
    clean_env = {**ENV, "PYTHONPATH": f"{ROOT}{os.pathsep}{site_dir}"}
    clean = startup([sys.executable, "-S", "-m", "aiperm_tui", "check", "--", PLAIN], env=clean_env)
    no_site = startup([sys.executable, "-S", "-c", "pass"])
    print("\nwhere one `aiperm check -- PLAIN` goes (fastest runs)")
    for label, total, interp, site in (
        ("as installed", check[0], bare[0], base[0] - bare[0]),
        ("-S, no .pth file", clean[0], no_site[0], 0.0),
    ):
        own = total - interp - site
        print(
            f"  {label:<18} {total * 1000:5.0f} ms = interpreter {interp * 1000:3.0f} ms "
            f"+ site {site * 1000:3.0f} ms + aiperm {own * 1000:3.0f} ms "
            f"({own / total:4.0%} of the check)   target <= 50 ms: "
            f"{'PASS' if total <= 0.05 else 'FAIL'}"
        )


def venv_split(venv: Path) -> None:
    """The issue's measure: a fresh venv's `aiperm check -- PLAIN` console script, median
    of 21 runs, against that interpreter started bare (`-S`: no site) and with its site
    (a fresh venv has no .pth file of this machine's)."""
    python, script = venv / "bin" / "python", venv / "bin" / "aiperm"
    if not (python.is_file() and script.is_file()):
        raise SystemExit(f"policy_speed: {venv} has no bin/python and bin/aiperm")
    bare = startup([str(python), "-S", "-c", "pass"])
    site = startup([str(python), "-c", "pass"])
    check = startup([str(script), "check", "--", PLAIN])
    print(f"\nfresh venv {venv} (wall: fastest / median of 21; CPU: median; {_uptime()})")
    for label, (best, median, cpu) in (
        ("python -S -c pass", bare),
        ("python -c pass", site),
        ("aiperm check -- PLAIN", check),
    ):
        print(
            f"  {label:<24} {best * 1000:6.1f} / {median * 1000:5.1f} ms   CPU {cpu * 1000:5.1f} ms"
        )
    print(
        f"  of the check's median {check[1] * 1000:.1f} ms: interpreter {bare[1] * 1000:.1f}, "
        f"site {(site[1] - bare[1]) * 1000:.1f}, aiperm {(check[1] - site[1]) * 1000:.1f} ms   "
        f"target <= 50 ms (median): {'PASS' if check[1] <= 0.05 else 'FAIL'}"
    )


def _uptime() -> str:
    """The load averages, to read the times against."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def main(venv: Path | None = None, startup_only: bool = False) -> None:
    if startup_only:
        base = startup([sys.executable, "-c", "pass"])
        shares(base, startup([sys.executable, "-I", "-S", "-c", "pass"]))
        if venv is not None:
            venv_split(venv)
        return
    lines = commands()
    print(f"policy speed: {len(lines)} distinct corpus commands\n")
    tree, raw, shared = parser_rates(lines)
    print(
        f"tree-sitter parse + walk         {tree:9,.0f}/s   {tree / raw:5.1f}x raw bashlex.parse "
        f"({raw:,.0f}/s)"
    )
    print(f"read by both parsers             {shared:9.0%}    (the rest is plain text)")
    distinct = stdin_rate(lines)
    cached = stdin_rate(lines * 10)
    print(
        f"aiperm check --stdin, distinct   {distinct:9,.0f}/s   {distinct / 1000:5.2f}x the "
        "1,000/s target"
    )
    print(
        f"aiperm check --stdin, repeated   {cached:9,.0f}/s   {cached / distinct:5.2f}x "
        "distinct (cache)"
    )
    lat = sorted(latencies(lines))
    p50, p99 = lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    print(
        f"decide() latency, cold cache     p50 {p50 * 1000:6.2f} ms   p99 {p99 * 1000:6.2f} ms"
        f"   max {lat[-1] * 1000:6.2f} ms"
    )
    worker = ROOT / "aiperm_tui" / "policy" / "bashlex_worker.py"
    with tempfile.TemporaryDirectory() as bare:  # the same worker without the tables
        shutil.copy(worker, bare)
        built = worker_start(Path(bare) / worker.name)
    shipped = worker_start(worker)
    print(
        f"bashlex worker start to answer   {shipped * 1000:6.0f} ms   against {built * 1000:.0f} "
        f"ms building its tables ({built / shipped:3.1f}x)"
    )
    for copies in (1, 3):
        text, cached = pack_reading(copies)
        print(
            f"packs read at start, {copies}x        {cached * 1000:6.2f} ms  from the cache, "
            f"against {text * 1000:.2f} ms from the text ({text / cached:3.1f}x)"
        )
    base = startup([sys.executable, "-c", "pass"])
    bare = startup([sys.executable, "-I", "-S", "-c", "pass"])
    plain = startup([sys.executable, "-S", "-c", "pass"])
    print(f"\nstart-up, wall: fastest / median of 21; CPU: median ({_uptime()})")
    print(
        f"python -c pass                   {base[0] * 1000:6.0f} / {base[1] * 1000:4.0f} ms  "
        f"(reference)                  CPU {base[2] * 1000:4.0f} ms"
    )
    print(
        f"python -I -S -c pass             {bare[0] * 1000:6.0f} / {bare[1] * 1000:4.0f} ms  "
        f"(no site: the interpreter alone; the rest of the reference is site-packages' "
        ".pth files)"
    )
    print(
        f"python -S -c pass                {plain[0] * 1000:6.0f} / {plain[1] * 1000:4.0f} ms  "
        f"(no site, the environment's variables read)    CPU {plain[2] * 1000:4.0f} ms"
    )
    configured = {**ENV, "AIPERM_CONFIG": str(ROOT / "config.example.toml")}
    for label, argv, env in (
        ("aiperm --version", ["--version"], ENV),
        ("aiperm check -- PLAIN", ["check", "--", PLAIN], ENV),
        ("aiperm check -- QUOTED", ["check", "--", QUOTED], ENV),
        ("  the same, with a config file", ["check", "--", QUOTED], configured),
    ):
        best, median, cpu = startup([sys.executable, "-m", "aiperm_tui", *argv], env=env)
        target = (
            f"   target <= 50 ms (median): {'PASS' if median <= 0.05 else 'FAIL'}"
            if "check" in label
            else ""
        )
        print(
            f"{label:<32} {best * 1000:6.0f} / {median * 1000:4.0f} ms  "
            f"{best / base[0]:4.1f}x / {median / base[1]:4.1f}x the reference  "
            f"CPU {cpu * 1000:4.0f} ms (+{(cpu - base[2]) * 1000:.0f}){target}"
        )
    shares(base, bare)
    if venv is not None:
        venv_split(venv)
    print(f"\nPLAIN = {PLAIN!r} (no second opinion); QUOTED = {QUOTED!r}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venv", type=Path, help="a virtualenv with aiperm installed")
    parser.add_argument(
        "--startup-only", action="store_true", help="only the start-up measures (faster)"
    )
    main(**vars(parser.parse_args()))
