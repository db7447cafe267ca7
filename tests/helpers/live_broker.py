"""A real Broker (real PolicyEngine, SSHPool against the `sshd` fixture, Recorder) plus
a programmatic operator, for the agent tests that go end to end.

`Operator` plays the human: a thread watches the broker's pending actions and answers
each with `choose(action_view) -> ("approve", edited_or_None) | ("deny", message)`;
typed confirmations are approved with the broker's own challenge code. Without `choose`
nobody answers: requests stay pending until the test acts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiperm_tui.broker import Broker, BrokerError
from aiperm_tui.policy import PolicyEngine
from aiperm_tui.session import Recorder
from aiperm_tui.ssh import SSHPool

Choice = tuple[str, str | None]


class NoPrompts:
    """The sshd fixture's host key is pre-trusted and its client key has no passphrase."""

    def passphrase(self, key_path: str) -> str | None:
        return None

    def trust_host(self, host: str, port: int, key_type: str, fingerprint: str) -> str:
        return "refuse"


@dataclass
class Operator:
    """Answers every pending action the way `choose` says, from its own thread."""

    broker: Broker
    choose: Callable[[Any], Choice]

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._seen: set[tuple[str, int, str]] = set()
        self._thread = threading.Thread(target=self._run, daemon=True, name="operator")
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            for plan in self.broker.plans():
                for action in plan.awaiting:
                    key = (plan.id, action.index, action.command)
                    if key not in self._seen:
                        self._seen.add(key)
                        self._answer(plan.id, action)

    def _answer(self, plan_id: str, action: Any) -> None:
        verdict, extra = self.choose(action)
        try:
            if verdict == "deny":
                self.broker.deny(plan_id, action.index, extra)
            elif extra is not None:
                self.broker.approve(plan_id, action.index, edited=extra)
            else:
                code = (
                    self.broker.challenge(plan_id, action.index)
                    if action.needs == "typed"
                    else None
                )
                self.broker.approve(plan_id, action.index, code=code)
        except BrokerError:
            self._seen.discard((plan_id, action.index, action.command))  # try again

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def edits_touch_denies_rm(edited: str, message: str) -> Callable[[Any], Choice]:
    """The operator of the end-to-end tests: `touch…` is edited to `edited`, `rm…` is
    denied with `message`, anything else is approved as asked."""

    def choose(action: Any) -> Choice:
        if action.cmd.startswith("touch"):
            return ("approve", edited)
        if action.cmd.startswith("rm"):
            return ("deny", message)
        return ("approve", None)

    return choose


@contextmanager
def live_broker(
    sshd: Any, root: Path, choose: Callable[[Any], Choice] | None, agent: list[str]
) -> Iterator[tuple[Broker, Recorder]]:
    """Broker + Recorder + SSHPool on the sshd fixture (host "test", the default)."""
    config = sshd.config(default_host="test")
    recorder = Recorder.create(agent=agent, hosts=["test"], preset=config.preset, root=root)
    pool = SSHPool(config, NoPrompts(), known_hosts=sshd.known_hosts_path)
    broker = Broker(config, PolicyEngine(config), pool, recorder)
    operator = Operator(broker, choose) if choose else None
    try:
        yield broker, recorder
    finally:
        if operator:
            operator.stop()
        broker.shutdown()
        pool.close()
        recorder.close()
