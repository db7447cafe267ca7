"""A hostile JSON-Lines agent for the responsiveness tests and benchmarks/hostile_flood.py.

    python hostile_agent.py MODE [N]

It never reads its stdin (except in `idle`, which reads and ignores it), so every reply
the broker sends it piles up in the pipe. Modes:

- `idle`: says one line, then reads stdin until it closes (the reference);
- `flood`: chatter lines as fast as it can, forever, plus a plan every 1000 lines, so the
  broker keeps having replies to write into a stdin nobody reads;
- `burst N`: N plans in one go (default 10000), each waiting for the operator, then it
  sleeps;
- `noline N`: N MiB (default 500) of `x` with no newline, generated in 1 MiB writes,
  then a newline and one ordinary line (`after the long line`) that must still arrive;
- `stall N`: N plans that rules approve, so the broker has N decisions, results and
  plan results to write (default 200), then it sleeps.

Everything it produces is generated, never stored: a 500 MiB line costs it 1 MiB.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time

MIB = 1024 * 1024


def _out(data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(1, view)
        view = view[written:]


def plan_line(index: int, cmd: str = "ls /tmp") -> bytes:
    """One plan request as the agent writes it."""
    return (
        json.dumps({"type": "plan", "id": f"h{index}", "actions": [{"cmd": cmd}]}) + "\n"
    ).encode()


def _sleep_forever() -> None:
    while True:
        time.sleep(3600)


def idle() -> None:
    _out(b"idle agent ready\n")
    while sys.stdin.buffer.read(65536):
        pass


def flood() -> None:
    chatter = b"".join(b"flood line %d: the agent will not stop talking\n" % i for i in range(1000))
    index = 0
    while True:
        _out(chatter)
        _out(plan_line(index))
        index += 1


def burst(count: int, cmd: str) -> None:
    _out(b"".join(plan_line(i, cmd) for i in range(count)))
    _sleep_forever()


def noline(mebibytes: int) -> None:
    block = b"x" * MIB
    for _ in range(mebibytes):
        _out(block)
    _out(b"\nafter the long line\n")
    _sleep_forever()


def main(argv: list[str]) -> None:
    mode = argv[1] if len(argv) > 1 else "idle"
    count = int(argv[2]) if len(argv) > 2 else None
    if mode == "idle":
        idle()
    elif mode == "flood":
        flood()
    elif mode == "burst":
        burst(count or 10_000, "touch /tmp/aiperm-hostile")  # waits for the operator
    elif mode == "noline":
        noline(count or 500)
    elif mode == "stall":
        burst(count or 200, "ls /tmp")  # approved by rule: replies to write
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):
        main(sys.argv)
