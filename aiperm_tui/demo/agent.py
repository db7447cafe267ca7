"""The scripted demo agent: `python -m aiperm_tui.demo.agent [--host H] [--delay S]`.

It speaks the JSON-Lines protocol of docs/protocol.md (plans on stdout, the broker's answers on
stdin) and walks the operator through everything aiperm does, in a believable order:

1. harmless reads, sent together (approve them in one go with `A`);
2. a routine change (needs a plain approval);
3. a destructive command (needs the typed challenge code);
4. a multi-action plan (all confirmations are collected before the first action runs);
5. an evasion: a deletion hidden in a command substitution inside an innocent `ls`;
6. it reacts to every denial: it reads the operator's message and tries something safer.

Only the standard library is used, so it starts fast and runs anywhere Python does.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO


class BrokerGone(Exception):
    """stdin closed: nobody is listening any more, so the script ends."""


@dataclass
class Outcome:
    """What the broker said about one plan."""

    status: str = "pending"
    denials: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def denied(self) -> bool:
        return self.status in ("denied", "refused") or bool(self.denials)

    def why(self) -> str:
        """The operator's message, else the policy's reason."""
        for deny in self.denials:
            if deny.get("message"):
                return str(deny["message"])
        for deny in self.denials:
            if deny.get("reason"):
                return str(deny["reason"])
        return self.status


class DemoAgent:
    """Sends plans, waits for their `plan_result`, remembers decisions and results."""

    def __init__(self, out: TextIO, inp: TextIO, host: str | None, delay: float) -> None:
        self.out, self.inp, self.host, self.delay = out, inp, host, delay
        self.outcomes: dict[str, Outcome] = {}
        self._next = 0

    def say(self, text: str) -> None:
        """Chatter: a plain line, shown in the agent pane."""
        self.out.write(text + "\n")
        self.out.flush()
        time.sleep(self.delay)

    def send(self, goal: str, *cmds: str, strategy: str = "fail_fast") -> str:
        """Submit one plan; returns its id."""
        self._next += 1
        plan_id = f"p{self._next}"
        plan: dict[str, Any] = {
            "type": "plan",
            "id": plan_id,
            "goal": goal,
            "strategy": strategy,
            "actions": [{"cmd": c} for c in cmds],
        }
        if self.host:
            plan["host"] = self.host
        self.outcomes[plan_id] = Outcome()
        self.out.write(json.dumps(plan) + "\n")
        self.out.flush()
        return plan_id

    def wait(self, *plan_ids: str) -> list[Outcome]:
        """Read answers until every plan named has its plan_result (or stdin closes)."""
        while any(self.outcomes[p].status == "pending" for p in plan_ids):
            line = self.inp.readline()
            if not line:
                raise BrokerGone
            self._absorb(line)
        return [self.outcomes[p] for p in plan_ids]

    def _absorb(self, line: str) -> None:
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            return
        outcome = self.outcomes.get(str(msg.get("id")))
        if outcome is None:
            return
        kind = msg.get("type")
        if kind == "decision" and msg.get("decision") == "deny":
            outcome.denials.append(msg)
        elif kind == "result":
            outcome.results.append(msg)
        elif kind == "plan_result":
            outcome.status = str(msg.get("status", "failed"))
        elif kind == "error":
            outcome.status = "error"
            outcome.denials.append({"reason": msg.get("message")})

    def run_one(self, goal: str, *cmds: str) -> Outcome:
        """Send one plan and report how it went."""
        outcome = self.wait(self.send(goal, *cmds))[0]
        if outcome.denied:
            self.say(f"Understood, that was not approved: {outcome.why()}")
        elif outcome.status == "ok":
            self.say(f"Done: {goal}.")
        else:
            self.say(f"That did not work out ({outcome.status}).")
        return outcome


def script(agent: DemoAgent) -> None:
    """The demo, step by step (see the module docstring)."""
    agent.say("Hello! I'm the aiperm demo agent. I'll tidy up the app server's disk.")
    agent.say("First a look around: three harmless reads (press A to approve them all).")
    reads = [
        agent.send("list the app folder", "ls -la"),
        agent.send("check free space", "df -h ."),
        agent.send("read the latest log lines", "tail -n 5 logs/app.log"),
    ]
    agent.wait(*reads)
    agent.say("The logs folder is big. I'll back up the config before changing anything.")
    agent.run_one("back up the config", "cp config/app.conf config/app.conf.bak")
    agent.say("Old rotated logs can go. This one is destructive, so it needs a typed code.")
    agent.run_one("delete the old rotated logs", "rm -rf logs/old")
    agent.say("Now a plan: every step is reviewed before the first one runs.")
    agent.run_one(
        "compress and rotate the app log",
        "du -sh logs",
        "gzip -kf logs/app.log",
        "truncate -s 0 logs/app.log",
    )
    agent.say("Let me just list the data folder…")
    sneaky = agent.run_one("list the data folder", "ls $(rm -rf data; echo data)")
    if sneaky.denied:
        agent.say("Fair: that `ls` hid a deletion in a $( ) substitution. Plain list instead.")
        agent.run_one("list the data folder, honestly", "ls -la data")
    agent.say("Finally, a restart of the app (the sandbox has no systemd, so it will fail).")
    agent.run_one("restart the app", "sudo systemctl restart app")
    agent.say("That's the tour. I'm done; the session stays open for you to look around.")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the script over stdin/stdout."""
    parser = argparse.ArgumentParser(
        prog="python -m aiperm_tui.demo.agent",
        description="aiperm's scripted demo agent (JSON Lines)",
    )
    parser.add_argument("--host", help="host to put in every plan (default: the broker's)")
    parser.add_argument(
        "--delay",
        type=float,
        default=0.6,
        help="seconds to pause after each line of chatter (default 0.6)",
    )
    args = parser.parse_args(argv)
    try:
        script(DemoAgent(sys.stdout, sys.stdin, args.host, max(0.0, args.delay)))
    except (BrokenPipeError, BrokerGone, KeyboardInterrupt):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
