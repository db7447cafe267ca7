"""aiperm's SSH layer against the system `ssh` client, side by side on one fresh sshd.

    python benchmarks/ssh_bench.py [--commands 200] [--megabytes 256] [--rounds 3]

1. warm latency: N sequential `true` on an open connection (OpenSSH: ControlMaster,
   one `ssh` process per command, as a script would do). Target: aiperm <= 0.5x the time.
2. streaming: one command printing M MB (`head -c ... /dev/zero`), OpenSSH writing to
   /dev/null, aiperm counting bytes in its sink. Target: aiperm >= 1.1x the throughput.
   Each client uses its default cipher (OpenSSH: chacha20-poly1305, aiperm: AES-GCM);
   a second line, for information, puts OpenSSH on AES-GCM too.
3. first connect + authenticate + `true`: a fresh `ssh` against a fresh SSHPool.
   Target: aiperm no slower.

Each measure alternates the two clients and keeps the best round (the machine is shared,
so the best round is the least disturbed one). The sshd is the test fixture's
(tests/helpers/sshd.py): it sets SHLVL so bash skips ~/.bashrc, which otherwise adds the
same per-command cost to both clients (about 100 ms with a pyenv-initialising .bashrc).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from helpers.sshd import SSHDServer  # noqa: E402

from aiperm_tui.ssh import SSHPool  # noqa: E402


class NoPrompts:
    """The host key is pre-trusted and the key has no passphrase: nothing to ask."""

    def passphrase(self, key_path: str) -> str | None:
        return None

    def trust_host(self, host: str, port: int, key_type: str, fingerprint: str) -> str:
        return "refuse"


def ssh_argv(server: SSHDServer, control: Path | None) -> list[str]:
    """The system client reaching the server like aiperm does (same key, strict keys)."""
    argv = [
        "ssh",
        "-F",
        "/dev/null",
        "-p",
        str(server.port),
        "-l",
        server.user,
        "-i",
        str(server.client_key_path),
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        f"UserKnownHostsFile={server.known_hosts_path}",
        "-o",
        "StrictHostKeyChecking=yes",
    ]
    if control is None:
        return [*argv, "-o", "ControlMaster=no", "-o", "ControlPath=none"]
    return [
        *argv,
        "-o",
        "ControlMaster=auto",
        "-o",
        f"ControlPath={control}",
        "-o",
        "ControlPersist=300",
    ]


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def best_pair(
    rounds: int, ours: Callable[[], object], theirs: Callable[[], object]
) -> tuple[float, float]:
    """Best time of each, alternating so both see the same machine load."""
    a, b = [], []
    for _ in range(rounds):
        a.append(timed(ours))
        b.append(timed(theirs))
    return min(a), min(b)


def latency(
    server: SSHDServer, pool: SSHPool, ssh: list[str], n: int, rounds: int
) -> tuple[float, float]:
    subprocess.run([*ssh, server.host, "true"], check=True)  # start the master
    pool.run("test", "true", lambda _s, _d: None)  # open the Transport

    def ours() -> None:
        for _ in range(n):
            assert pool.run("test", "true", lambda _s, _d: None).ok

    def theirs() -> None:
        for _ in range(n):
            subprocess.run([*ssh, server.host, "true"], check=True)

    return best_pair(rounds, ours, theirs)


def streaming(
    server: SSHDServer, pool: SSHPool, ssh: list[str], size: int, rounds: int
) -> tuple[float, float]:
    command = f"head -c {size} /dev/zero"
    got = [0]

    def count(_stream: str, data: bytes) -> None:
        got[0] += len(data)

    def ours() -> None:
        got[0] = 0
        assert pool.run("test", command, count).ok and got[0] == size

    def theirs() -> None:
        subprocess.run([*ssh, server.host, command], check=True, stdout=subprocess.DEVNULL)

    return best_pair(rounds, ours, theirs)


def first_connect(server: SSHDServer, rounds: int) -> tuple[float, float]:
    """Median here: a connect is short, so one lucky round would decide alone."""
    config = server.config(trusted=False)
    fresh = ssh_argv(server, None)

    def ours() -> None:
        pool = SSHPool(config, NoPrompts(), known_hosts=server.known_hosts_path)
        try:
            assert pool.run("test", "true", lambda _s, _d: None).ok
        finally:
            pool.close()

    def theirs() -> None:
        subprocess.run([*fresh, server.host, "true"], check=True)

    a, b = [], []
    for _ in range(rounds):
        a.append(timed(ours))
        b.append(timed(theirs))
    return statistics.median(a), statistics.median(b)


def report(
    name: str,
    ours: float,
    theirs: float,
    unit: str,
    ratio: float,
    target: str | None = None,
    met: bool = False,
) -> None:
    """One line; `target` None marks a line printed for information only."""
    verdict = f"(target {target}) {'met' if met else 'NOT MET'}" if target else "(info)"
    print(
        f"{name:<40} aiperm {ours:9.2f} {unit:<5} openssh {theirs:9.2f} {unit:<5} "
        f"ratio {ratio:5.2f} {verdict}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--megabytes", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aiperm-sshbench-") as tmp:
        server = SSHDServer.start(Path(tmp) / "sshd")
        pool = SSHPool(
            server.config(trusted=False), NoPrompts(), known_hosts=server.known_hosts_path
        )
        ssh = ssh_argv(server, Path(tmp) / "cm")
        try:
            ours, theirs = latency(server, pool, ssh, args.commands, args.rounds)
            report(
                f"{args.commands} x true, warm connection",
                ours * 1000,
                theirs * 1000,
                "ms",
                ours / theirs,
                "<= 0.50",
                ours / theirs <= 0.5,
            )
            size = args.megabytes * 1024 * 1024
            ours, theirs = streaming(server, pool, ssh, size, args.rounds)
            mb = args.megabytes
            report(
                f"stream {mb} MB",
                mb / ours,
                mb / theirs,
                "MB/s",
                theirs / ours,
                ">= 1.10",
                theirs / ours >= 1.1,
            )
            gcm = [*ssh, "-c", "aes128-gcm@openssh.com"]
            ours, theirs = streaming(server, pool, gcm, size, args.rounds)
            report(
                f"stream {mb} MB, OpenSSH also on AES-GCM",
                mb / ours,
                mb / theirs,
                "MB/s",
                theirs / ours,
            )
            ours, theirs = first_connect(server, max(5, args.rounds))
            report(
                "first connect + auth + true",
                ours * 1000,
                theirs * 1000,
                "ms",
                ours / theirs,
                "<= 1.00",
                ours <= theirs,
            )
        finally:
            pool.close()
            subprocess.run([*ssh, "-O", "exit", server.host], capture_output=True)
            server.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
