"""Session log benchmark: append rate, verify rate, and the cost of recording a big output.

    python benchmarks/log_bench.py [--events N] [--stream-mb MB]

1. append: events/s through `Recorder.event` (compact JSON, HMAC chain, one write per
   event, to disk). Reference: the same lines written with no HMAC. Target >= 100,000/s.
2. verify: events/s through `verify_session`. Reference: only reading the lines.
   Target >= 300,000/s.
3. stream: a MB-sized command output streamed with the sink recording (`Recorder.output`)
   versus a sink that only counts. Through the SSH engine when `aiperm_tui.ssh` provides
   `SSHPool` and `EmbeddedServer`; otherwise through a local pipe from a subprocess
   (labelled as such: it measures the recorder's cost, not the SSH engine's). Target
   <= 10% slowdown.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiperm_tui.session import Recorder, verify_session
from aiperm_tui.session.keys import AuditKey

KEY = AuditKey(bytes(range(32)), "env")
TEXT = "Looking at /etc/nginx/sites-enabled on web1: 3 server blocks, reloading next"


def bench_append(root: Path, n: int) -> tuple[float, float, Path]:
    """(chained events/s, unchained reference events/s, session folder)."""
    rec = Recorder.create(agent=["bench"], hosts=["h"], preset="p", key=KEY, root=root)
    start = time.perf_counter()
    for _ in range(n):
        rec.event("agent_line", stream="stdout", text=TEXT)
    chained = n / (time.perf_counter() - start)
    rec.close()
    fd = os.open(root / "plain.jsonl", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    encode = json.JSONEncoder(separators=(",", ":")).encode
    start = time.perf_counter()
    for seq in range(n):
        os.write(fd, encode({"seq": seq, "t": 0.5, "ts": "2026-01-01T00:00:00.000Z",
                             "type": "agent_line", "stream": "stdout", "text": TEXT}).encode()
                 + b"\n")
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


Sink = Callable[[str, bytes], None]


def _ssh_streamer(root: Path) -> tuple[str, Callable[[str, Sink], None], Callable[[], None]] | None:
    """(label, run(cmd, sink), stop) over the real SSH engine, or None if it is not there."""
    try:
        import paramiko

        from aiperm_tui.config import Config, HostConfig
        from aiperm_tui.ssh import EmbeddedServer, SSHPool
    except ImportError:
        return None
    client_key = paramiko.Ed25519Key.generate() if hasattr(paramiko.Ed25519Key, "generate") \
        else paramiko.ECDSAKey.generate()
    key_path = root / "client_key"
    client_key.write_private_key_file(str(key_path))
    server = EmbeddedServer(root / "sandbox", [client_key])
    port = server.start()
    host = HostConfig(name="bench", hostname="127.0.0.1", port=port,
                      user=os.environ.get("USER", "bench"), identity_files=(str(key_path),))
    config = Config(default_host="bench", hosts={"bench": host})

    class Trust:
        def passphrase(self, key_path: str) -> str | None:
            return None

        def trust_host(self, host: str, port: int, key_type: str, fingerprint: str) -> str:
            return "once"

    pool = SSHPool(config, Trust(), known_hosts=root / "known_hosts")

    def run(cmd: str, sink: Sink) -> None:
        result = pool.run("bench", cmd, sink)
        assert result.ok, result

    def stop() -> None:
        pool.close()
        server.stop()

    return "SSH engine (EmbeddedServer)", run, stop


def _pipe_run(cmd: str, sink: Sink) -> None:
    """Stand-in for the SSH engine: the command's stdout through a local pipe."""
    with subprocess.Popen(["sh", "-c", cmd], stdout=subprocess.PIPE) as proc:
        assert proc.stdout is not None
        read = proc.stdout.read1
        while chunk := read(32768):
            sink("stdout", chunk)


def bench_stream(root: Path, megabytes: int, rounds: int = 3) -> tuple[str, float, float]:
    """(label, best seconds with recording off, best seconds with recording on)."""
    cmd = f"yes 'a line of build output, like make prints it' | head -c {megabytes << 20}"
    ssh = _ssh_streamer(root)
    label, run, stop = ssh if ssh else ("local pipe (SSH engine not available)", _pipe_run,
                                        lambda: None)
    off, on = [], []
    try:
        for _ in range(rounds):
            total = [0]

            def count(stream: str, data: bytes, total: list[int] = total) -> None:
                total[0] += len(data)

            start = time.perf_counter()
            run(cmd, count)
            off.append(time.perf_counter() - start)
            rec = Recorder.create(agent=["bench"], hosts=["h"], preset="p", key=KEY, root=root)
            rec.event("exec_start", exec="x1", id="r1", action=0, host="h", cmd=cmd)

            def record(stream: str, data: bytes, rec: Recorder = rec) -> None:
                rec.output("x1", stream, data)

            start = time.perf_counter()
            run(cmd, record)
            rec.event("exec_end", exec="x1", exit_status=0, signal=None, error=None,
                      duration_ms=0, stdout_bytes=megabytes << 20, stderr_bytes=0)
            on.append(time.perf_counter() - start)
            rec.close()
            assert total[0] == megabytes << 20
    finally:
        stop()
    return label, min(off), min(on)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--stream-mb", type=int, default=256)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aiperm-log-bench-") as tmp:
        root = Path(tmp)
        chained, plain, path = bench_append(root, args.events)
        print(f"append: {chained:,.0f} events/s with HMAC chain, to disk "
              f"(target >= 100,000); no-HMAC reference {plain:,.0f}/s, "
              f"ratio {chained / plain:.2f}")
        verified, scanned = bench_verify(path)
        print(f"verify: {verified:,.0f} events/s (target >= 300,000); line-read reference "
              f"{scanned:,.0f}/s, ratio {verified / scanned:.2f}")
        label, off, on = bench_stream(root, args.stream_mb)
        mbps = args.stream_mb / off
        print(f"stream {args.stream_mb} MB via {label}: recording off {off:.2f}s "
              f"({mbps:,.0f} MB/s), on {on:.2f}s; slowdown {100 * (on / off - 1):+.1f}% "
              f"(target <= 10%)")


if __name__ == "__main__":
    main()
