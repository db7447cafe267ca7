"""Replay at scale: open a 1M-event session and seek anywhere in it.

    python benchmarks/replay_bench.py [--events 1000000] [--seeks 50] [--keep DIR]

Writes a session in the recorder's exact format (compact JSON, HMAC chain with
`session.chain`, meta.toml with the close seal) with a realistic mix: agent chatter,
a request every ~60 events with its decision, approval or denial, commands with
batched output. Then it times, in this run:

- reference: a plain `for line in file` scan of events.jsonl (no parsing);
- open: `Recording.open` (the offset index, with request/deny markers), target 1 s;
- seek: jump to a random event and build what the panes show there
  (`Recording.context` folded into a `Scene`, as the Replay screen does), target 200 ms;
- the background verification (HMAC chain), which the screen does not wait for;
- Python memory held by the open index (tracemalloc).

Not run by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from helpers.audit_key import write_key_file

from aiperm_tui.replay.recording import Recording, check_integrity
from aiperm_tui.replay.scene import Scene
from aiperm_tui.session import chain
from aiperm_tui.session.chain import seal_meta
from aiperm_tui.session.keys import AuditKey
from aiperm_tui.session.store import EVENTS, write_meta

OPEN_TARGET = 1.0
SEEK_TARGET = 0.2
SESSION_ID = "20260101T000000Z-bench0"
_ENCODER = json.JSONEncoder(separators=(",", ":"))


def _payloads(rng: random.Random):
    """An endless, realistic stream of (type, payload)."""
    yield (
        "session_start",
        {
            "agent": ["bench-agent"],
            "hosts": ["web1", "db1"],
            "preset": "ops_safe",
            "user": "bench",
            "hostname": "bench",
            "version": "0.1.0",
            "key_id": "",
            "ephemeral": False,
        },
    )
    n = 0
    while True:
        n += 1
        rid, host = f"p{n}", rng.choice(["web1", "db1"])
        for _ in range(rng.randint(1, 6)):
            yield "agent_line", {"stream": "stdout", "text": f"step {n}: looking at things"}
        cmd = rng.choice(["du -sh /var/log/*", "systemctl status nginx", "rm -rf /tmp/x"])
        yield (
            "request",
            {
                "id": rid,
                "host": host,
                "goal": "keep the lights on",
                "strategy": "fail_fast",
                "source": "agent",
                "actions": [cmd],
            },
        )
        yield (
            "decision",
            {
                "id": rid,
                "action": 0,
                "cmd": cmd,
                "decision": "allow",
                "confirm": "action",
                "layer": "preset:ops_safe",
                "reason": "routine",
                "risk": {"score": 30, "blast_radius": "single"},
                "argv": None,
                "findings": [],
                "suggestions": [],
            },
        )
        if n % 7 == 0:
            yield (
                "deny",
                {
                    "id": rid,
                    "action": 0,
                    "by": "human",
                    "cmd": cmd,
                    "reason": "no",
                    "message": None,
                },
            )
            yield "plan_end", {"id": rid, "status": "denied", "exit_code": 1}
            continue
        yield (
            "approval",
            {
                "id": rid,
                "action": 0,
                "by": "human",
                "cmd": cmd,
                "original": None,
                "confirm": "action",
            },
        )
        yield "exec_start", {"exec": f"x{n}", "id": rid, "action": 0, "host": host, "cmd": cmd}
        for _ in range(rng.randint(5, 80)):
            yield (
                "output",
                {
                    "exec": f"x{n}",
                    "stream": "stdout",
                    "data": "drwxr-xr-x 2 root root 4096 Jan  1 00:00 some/file\n"
                    * rng.randint(1, 4),
                },
            )
        yield (
            "exec_end",
            {
                "exec": f"x{n}",
                "exit_status": 0,
                "signal": None,
                "error": None,
                "duration_ms": 120,
                "stdout_bytes": 5000,
                "stderr_bytes": 0,
            },
        )
        yield (
            "result_sent",
            {"id": rid, "action": 0, "exit_status": 0, "truncated": False, "edited": False},
        )
        yield "plan_end", {"id": rid, "status": "ok", "exit_code": 0}


def generate(root: Path, count: int, key: AuditKey) -> Path:
    """A closed session of `count` events in the recorder's format."""
    folder = root / SESSION_ID
    folder.mkdir(parents=True)
    sealer, prev = chain.Sealer(key.secret), chain.genesis(SESSION_ID)
    rng = random.Random(7)
    stream = _payloads(rng)
    t = 0.0
    with open(folder / EVENTS, "wb", buffering=1 << 20) as fh:
        for seq in range(1, count + 1):
            type_, payload = ("session_end", {"reason": "normal"}) if seq == count else next(stream)
            t += rng.expovariate(50.0)
            record = {
                "seq": seq,
                "t": round(t, 6),
                "ts": "2026-01-01T00:00:00.000Z",
                "type": type_,
                **payload,
            }
            body = _ENCODER.encode(record).encode()[:-1]
            prev = sealer.seal(prev, body)
            fh.write(b"".join((body, chain.MAC_KEY, prev, b'"}\n')))
    write_meta(
        folder,
        {
            "format": 1,
            "id": SESSION_ID,
            "start": "2026-01-01T00:00:00.000000Z",
            "agent": ["bench-agent"],
            "hosts": ["web1", "db1"],
            "preset": "ops_safe",
            "key_id": key.key_id,
            "ephemeral": False,
            "events": count,
            "end": "2026-01-01T01:00:00.000000Z",
            "seal": seal_meta(key.secret, prev, count),
        },
    )
    return folder


def _best(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def reference_scan(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


def seek(recording: Recording, cursor: int) -> Scene:
    scene = Scene()
    for position, event in recording.context(cursor):
        scene.apply(event, position)
    return scene


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seeks", type=int, default=50)
    parser.add_argument("--keep", metavar="DIR", help="write the session here and keep it")
    args = parser.parse_args()
    key = AuditKey(bytes(range(32)), "env")
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="aiperm-bench-"))
    try:
        started = time.perf_counter()
        folder = generate(root, args.events, key)
        log = folder / EVENTS
        print(
            f"generated {args.events:,} events, {log.stat().st_size / 1e6:.0f} MB "
            f"in {time.perf_counter() - started:.1f} s"
        )
        report(folder, log, args.seeks, key)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


def report(folder: Path, log: Path, seeks: int, key: AuditKey) -> None:
    reference_scan(log)  # warm the page cache for every contender alike
    ref = _best(lambda: reference_scan(log), 3)
    opened = _best(lambda: Recording.open(folder).close(), 3)
    tracemalloc.start()
    recording = Recording.open(folder)
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    total = len(recording.index)
    rng = random.Random(11)
    seek_times = []
    for cursor in [total, 1, *(rng.randrange(total) for _ in range(seeks))]:
        start = time.perf_counter()
        seek(recording, cursor)
        seek_times.append(time.perf_counter() - start)
    worst, median = max(seek_times), statistics.median(seek_times)
    os.environ["AIPERM_AUDIT_KEY_FILE"] = str(write_key_file(folder.parent / "key", key))
    start = time.perf_counter()
    integrity = check_integrity(folder)
    verified = time.perf_counter() - start
    markers = {k: len(v) for k, v in recording.index.markers.items()}
    recording.close()
    print(f"reference `for line in file` scan: {ref * 1000:7.1f} ms")
    print(
        f"open (index + markers {markers}): {opened * 1000:7.1f} ms  "
        f"= {opened / OPEN_TARGET:.2f} of the 1 s target, {opened / ref:.2f}x the reference"
    )
    print(
        f"seek ({len(seek_times)} seeks, context + scene): median {median * 1000:.1f} ms, "
        f"worst {worst * 1000:.1f} ms = {worst / SEEK_TARGET:.2f} of the 200 ms target, "
        f"{worst / ref:.2f}x the reference"
    )
    print(
        f"python memory held by the open index: {held / 1e6:.1f} MB "
        f"({held / total:.1f} bytes per event)"
    )
    print(
        f"background verification: {verified:.2f} s ({integrity.state}) = "
        f"{verified / ref:.1f}x the reference; the screen does not wait for it"
    )


if __name__ == "__main__":
    sys.exit(main())
