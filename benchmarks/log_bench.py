"""Session log benchmark: append rate, verify rate, and the cost of recording a big output.

    python benchmarks/log_bench.py [--events N] [--stream-mb MB] [--rounds R]
                                   [--paced-mbps RATE] [--paced-mb MB]

1. append: events/s through the recorder (compact JSON, key id, HMAC chain, one write
   per event, to disk), in the mix a session with an agent produces: the agent's pane
   lines through `Recorder.agent_line` (clipping and the rate cap's bookkeeping; the
   cap is set out of the way so every line is written), an operator message and a
   permission prompt every 50 lines, a request through `Recorder.event` every 10. The
   events that are fsynced (decisions, approvals, answers: one per human action) are
   left out: their cost is the disk's. Reference: the same lines written with no HMAC.
   Target >= 100,000/s.
2. verify: events/s through `verify_session` (the chain, then the seal and meta.toml
   checked against it). Reference: only reading the lines. Target >= 300,000/s.
3. stream: a command printing MB megabytes of text, streamed through the SSH engine
   (`SSHPool.run`) into a sink that records it (`Recorder.output`, then `exec_end`, which
   fsyncs) versus one that only counts. It also prints how busy the whole machine was
   during the runs with recording off (from /proc/stat): recording's work (a copy of every
   byte into the page cache, the disk write-back, a Poly1305 tag) only comes for free in
   wall time when there is an idle core to do it on. It also writes the same bytes to a
   file as the recorder does, with no tag and no events: the least that recording them
   durably can cost here. The server is the real OpenSSH sshd
   of the tests (tests/helpers/sshd.py); without one, the EmbeddedServer, and the output
   says so. One warm pool serves every run; off and on alternate R times, so both see the
   same machine load, and the ratio of the medians is the result (best and worst pairs
   shown too). Recorded sessions are kept until the end: R x MB of disk.
   Target: <= 10% slowdown. Each stream also prints what recording cost this process in
   CPU seconds per GB, the number that holds whatever the machine's load.
4. paced stream: the same, with the server printing PACED-MB at RATE MB/s (default 100,
   about a 1 Gbit/s link), which leaves a core idle: the case an operator meets when a
   command prints a lot over a network. Same target, same ratio; at full speed on a
   2-core machine the stream itself saturates both cores (see docs/benchmarks.md), so
   both results are printed and neither replaces the other.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from helpers.ssh_prompts import ScriptedPrompts  # noqa: E402
from helpers.sshd import SSHDServer, sshd_missing  # noqa: E402

from aiperm_tui.config import AuditConfig, Config  # noqa: E402
from aiperm_tui.session import Recorder, verify_session  # noqa: E402
from aiperm_tui.session.keys import AuditKey  # noqa: E402
from aiperm_tui.session.recorder import SYNC_BYTES, _drop_cached  # noqa: E402
from aiperm_tui.ssh import EmbeddedServer, SSHPool  # noqa: E402

KEY = AuditKey(bytes(range(32)), "file")
LINE = b"a line of build output, like make prints it\n"  # what the streams print
TEXT = "Looking at /etc/nginx/sites-enabled on web1: 3 server blocks, reloading next"


def bench_append(root: Path, n: int) -> tuple[float, float, Path]:
    """(chained events/s, unchained reference events/s, session folder)."""
    rec = Recorder.create(
        agent=["bench"],
        hosts=["h"],
        preset="p",
        key=KEY,
        root=root,
        audit=AuditConfig(agent_lines_per_second=10**9),
    )
    start = time.perf_counter()
    for i in range(n):
        if i % 50 == 49:
            rec.operator_message("look at the nginx config first", delivered=True)
        elif i % 50 == 48:
            rec.permission_request(f"t{i}", "Read", "read /etc/nginx/nginx.conf", {})
        elif i % 10 == 7:
            rec.event(
                "request",
                id=f"p{i}",
                host="web1",
                goal="reload nginx",
                strategy="fail_fast",
                source="agent",
                actions=["nginx -t"],
            )
        else:
            rec.agent_line("stdout", "assistant", TEXT)
    chained = n / (time.perf_counter() - start)
    rec.close()
    fd = os.open(root / "plain.jsonl", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    encode = json.JSONEncoder(separators=(",", ":")).encode
    start = time.perf_counter()
    for seq in range(n):
        os.write(
            fd,
            encode(
                {
                    "seq": seq,
                    "t": 0.5,
                    "ts": "2026-01-01T00:00:00.000Z",
                    "type": "agent_line",
                    "stream": "stdout",
                    "kind": "assistant",
                    "text": TEXT,
                    "kid": KEY.key_id,
                }
            ).encode()
            + b"\n",
        )
    plain = n / (time.perf_counter() - start)
    os.close(fd)
    return chained, plain, rec.path


def bench_verify(path: Path) -> tuple[float, float]:
    """(verified events/s, line-reading reference events/s)."""
    start = time.perf_counter()
    result = verify_session(path, KEY)
    rate = result.events / (time.perf_counter() - start)
    assert result.ok, result.message
    start = time.perf_counter()
    with open(path / "events.jsonl", "rb") as fh:
        count = sum(1 for _ in fh)
    return rate, count / (time.perf_counter() - start)


@dataclass
class Target:
    """A warm SSH connection to stream through, and how to tear it down."""

    label: str
    pool: SSHPool
    host: str
    stop: Callable[[], None]


def ssh_target(root: Path) -> Target:
    """The real OpenSSH sshd of the tests when it can run, else the EmbeddedServer (the
    label says which: a paramiko server costs CPU on the same 2 cores, so it is the less
    faithful of the two)."""
    missing = sshd_missing()
    if missing is None:
        server = SSHDServer.start(root / "sshd")
        pool = server.pool()
        return Target("OpenSSH sshd", pool, "test", lambda: (pool.close(), server.kill()))
    embedded, setup = EmbeddedServer.with_client(root / "sandbox", root / "keys")
    config = Config(default_host="bench", hosts={"bench": setup.host_config("bench")})
    pool = SSHPool(config, ScriptedPrompts(), known_hosts=setup.known_hosts_path)
    return Target(
        f"EmbeddedServer (no sshd: {missing})",
        pool,
        "bench",
        lambda: (pool.close(), embedded.stop()),
    )


class Dropped(Exception):
    """A run that did not finish: paramiko 5.1 can stall 30 s and drop the connection when
    a rekey (every 512 MiB) meets the end of a channel; the pool reconnects, the round is
    run again and the output counts it."""


def idle_core_seconds() -> float:
    """Idle (and I/O wait) time of all cores so far, from /proc/stat; 0 where there is none."""
    try:
        with open("/proc/stat") as fh:
            fields = fh.readline().split()[1:]
    except OSError:
        return 0.0
    return (int(fields[3]) + int(fields[4])) / os.sysconf("SC_CLK_TCK")


def stream_once(
    target: Target, cmd: str, size: int, rec: Recorder | None
) -> tuple[float, float, float]:
    """(seconds, CPU seconds of this process, idle core-seconds of the machine) to stream
    `cmd` (exactly `size` bytes) with the sink counting, and also recording when `rec` is
    given; the exec is closed (`exec_end`) inside the timing. The CPU time tells what
    recording costs apart from the machine's load: on a busy 2-core machine that cost is
    paid in wall time."""
    got = [0]
    if rec is None:

        def sink(stream: str, data: bytes) -> None:
            got[0] += len(data)
    else:
        rec.event("exec_start", exec="x1", id="r1", action=0, host=target.host, cmd=cmd)
        output = rec.output

        def sink(stream: str, data: bytes) -> None:
            got[0] += len(data)
            output("x1", stream, data)

    start, cpu, idle = time.perf_counter(), time.process_time(), idle_core_seconds()
    result = target.pool.run(target.host, cmd, sink)
    if rec is not None:
        rec.event(
            "exec_end",
            exec="x1",
            exit_status=result.exit_status,
            signal=None,
            error=None,
            duration_ms=result.duration_ms,
            stdout_bytes=result.stdout_bytes,
            stderr_bytes=result.stderr_bytes,
        )
    elapsed = (time.perf_counter() - start, time.process_time() - cpu, idle_core_seconds() - idle)
    if not result.ok:
        raise Dropped(result.error or f"exit status {result.exit_status}")
    assert got[0] == size, (result, got[0])
    return elapsed


Runs = list[tuple[float, float, float]]


def bench_stream(target: Target, root: Path, cmd: str, size: int, rounds: int) -> tuple[Runs, Runs]:
    """(runs with recording off, runs on), each run as `stream_once` gives it: `rounds`
    alternating pairs over one warm SSHPool, each recorded run into a fresh session that
    is then closed and kept until the end, as real sessions are kept (so `rounds` x size
    of disk): deleting each one would hand its page-cache pages to the next run, which
    hid what a growing page cache costs (see `recorder._drop_cached`)."""
    off: Runs = []
    on: Runs = []
    try:
        while len(on) < rounds:
            stream_once(target, "true", 0, None)  # (re)connect outside the timing
            rec = Recorder.create(
                agent=["bench"], hosts=[target.host], preset="p", key=KEY, root=root / "sessions"
            )
            try:
                pair = stream_once(target, cmd, size, None), stream_once(target, cmd, size, rec)
            except Dropped as exc:
                print(f"  a round was dropped ({exc}); reconnecting and running it again")
                continue
            finally:
                rec.close()  # kept, as sessions are, until the benchmark ends
            off.append(pair[0])
            on.append(pair[1])
    finally:
        shutil.rmtree(root / "sessions", ignore_errors=True)
    return off, on


def full_speed_cmd(size: int) -> str:
    """Build output as fast as the server makes it: the stream then keeps both cores busy."""
    return f"yes '{LINE.decode().strip()}' | head -c {size}"


def paced_cmd(size: int, mb_per_s: float) -> str:
    """The same text at `mb_per_s` (1 MiB blocks on a schedule, from a Python on the
    server: this machine), as a command reaches the broker over a real network link; the
    pace leaves a core idle, which is where an operator's commands run."""
    script = (
        "import sys,time\n"
        f"b=({LINE!r}*{(1 << 20) // len(LINE) + 1})[:1<<20]\n"
        "t=time.monotonic()\n"
        f"for i in range({size >> 20}):\n"
        f" d=t+i/{mb_per_s}-time.monotonic()\n"
        " d>0 and time.sleep(d)\n"
        " sys.stdout.buffer.write(b);sys.stdout.buffer.flush()\n"
    )
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}"


def disk_floor(root: Path, megabytes: int, rounds: int = 3) -> float:
    """Median CPU seconds to write `megabytes` of the stream's text to a file as the
    recorder does (appended, fdatasync and dropped from the page cache every SYNC_BYTES
    and at the end), with no MAC and no events: the least that recording the bytes
    durably can cost on this machine, to hold the stream's cost against."""
    block = (LINE * ((1 << 20) // len(LINE) + 1))[: 1 << 20]
    costs = []
    for _ in range(rounds):
        path = root / "floor.bin"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_TRUNC, 0o600)
        cpu, synced = time.process_time(), 0
        for written in range(1 << 20, (megabytes << 20) + 1, 1 << 20):
            os.write(fd, block)
            if written - synced >= SYNC_BYTES or written == megabytes << 20:
                os.fdatasync(fd)
                _drop_cached(fd, synced, written)
                synced = written
        costs.append(time.process_time() - cpu)
        os.close(fd)
        path.unlink()
    return statistics.median(costs)


def report_stream(title: str, megabytes: int, off: Runs, on: Runs) -> float:
    """Print one stream's result (wall ratio, CPU, idle cores); returns what recording
    cost in CPU seconds per GB (medians of this process's CPU, on minus off)."""
    pairs = sorted(b[0] / a[0] for a, b in zip(off, on, strict=True))
    wall_off, wall_on = (statistics.median(r[0] for r in runs) for runs in (off, on))
    cpu_off, cpu_on = (statistics.median(r[1] for r in runs) for runs in (off, on))
    per_gb = (cpu_on - cpu_off) * 1024 / megabytes
    ratio = wall_on / wall_off
    print(
        f"{title}, {len(off)} alternating rounds: recording off median {wall_off:.2f}s "
        f"({megabytes / wall_off:,.0f} MB/s), on {wall_on:.2f}s; ratio on/off {ratio:.3f} = "
        f"{100 * (ratio - 1):+.1f}% (target <= +10%); per pair {pairs[0]:.3f}..{pairs[-1]:.3f}"
    )
    print(
        f"  CPU of this process: off {cpu_off:.2f}s, on {cpu_on:.2f}s; recording costs "
        f"{cpu_on - cpu_off:.3f} CPU s = {per_gb:.2f} CPU s per GB"
    )
    cores = os.cpu_count() or 1
    for name, runs, wall in (("off", off, wall_off), ("on", on, wall_on)):
        idle = statistics.median(r[2] for r in runs)
        print(
            f"  machine idle during a run with recording {name}: {idle:.2f} of "
            f"{cores * wall:.2f} core-seconds ({cores} cores)"
        )
    return per_gb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--stream-mb", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--paced-mbps", type=float, default=100, help="MB/s of the paced stream (0: skip it)"
    )
    parser.add_argument("--paced-mb", type=int, default=64)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="aiperm-log-bench-") as tmp:
        root = Path(tmp)
        chained, plain, path = bench_append(root, args.events)
        print(
            f"append: {chained:,.0f} events/s with HMAC chain, to disk "
            f"(target >= 100,000); no-HMAC reference {plain:,.0f}/s, "
            f"ratio {chained / plain:.2f}"
        )
        verified, scanned = bench_verify(path)
        print(
            f"verify: {verified:,.0f} events/s (target >= 300,000); line-read reference "
            f"{scanned:,.0f}/s, ratio {verified / scanned:.2f}"
        )
        target = ssh_target(root)
        try:
            size = args.stream_mb << 20
            off, on = bench_stream(target, root, full_speed_cmd(size), size, args.rounds)
            report_stream(
                f"stream {args.stream_mb} MB at full speed through the SSH engine to "
                f"{target.label}",
                args.stream_mb,
                off,
                on,
            )
            floor = disk_floor(root, args.stream_mb)
            print(
                f"  writing the same bytes to disk alone, as the recorder does but with no "
                f"tag and no events, costs {floor:.3f} CPU s = "
                f"{floor * 1024 / args.stream_mb:.2f} CPU s per GB"
            )
            if args.paced_mbps > 0:
                size = args.paced_mb << 20
                cmd = paced_cmd(size, args.paced_mbps)
                off, on = bench_stream(target, root, cmd, size, args.rounds)
                report_stream(
                    f"stream {args.paced_mb} MB paced at {args.paced_mbps:g} MB/s by the "
                    "server (a core left idle)",
                    args.paced_mb,
                    off,
                    on,
                )
        finally:
            target.stop()
    print(f"load average {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
