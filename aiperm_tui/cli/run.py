"""`aiperm run --plan FILE|-`: the forced-command gate, headless, on the Broker.

The plan goes through the same Broker as the TUI's requests (one execution path): every
action is decided by the policy, every confirmation is collected on the operator's
terminal before the first action runs, then the actions run in order and each result is
printed. Confirmations are read from the controlling terminal (/dev/tty), never from
stdin (the plan may arrive there) nor stdout (the results and `--json` go there):

* plan level: one `y` for all plan-level actions of the plan;
* action level: `yes` typed for each such command;
* typed level: the challenge code, shown only on the terminal (3 tries).

No terminal while a confirmation is needed: exit 2, nothing runs, and the log records
the denial by "system". `--yes` answers the plan-level question only (so a plan of routine
changes can run from cron); it never answers action or typed levels, which always need a
person at a terminal. What `--yes` approves is recorded as by "cli_flag" (via "--yes"),
never as "human": nobody answered; answers typed on the terminal are by "human" via
"terminal" (docs/log-format.md, "Decision origins").

Exit codes (docs/configuration.md): 0 ok, 1 denied by policy, 2 refused / no terminal, 3 policy
engine error, 4 bad JSON, 5 usage (too many actions, empty command, unknown host, host
key refused), 6 execution failure.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

from aiperm_tui.cli import Subcommand
from aiperm_tui.errors import BadJSONError, UsageError

if TYPE_CHECKING:
    from aiperm_tui.agent.protocol import Plan
    from aiperm_tui.broker import Broker, PlanView
    from aiperm_tui.broker.ports import HostPool
    from aiperm_tui.config import Config

TYPED_TRIES = 3
TERMINAL = "terminal"  # how a decision answered on /dev/tty is recorded (its `via`)


class Terminal:
    """The operator's terminal for the confirmations, apart from stdin/stdout. The SSH
    questions (host key, passphrase) go to the same terminal through the SSH layer's
    `TerminalPrompts`."""

    def __init__(self, tty: TextIO) -> None:
        self.tty = tty

    @classmethod
    def open(cls) -> Terminal | None:
        """The controlling terminal, or None when there is none (cron, CI, a pipe)."""
        from aiperm_tui.ssh.prompts import open_tty

        tty = open_tty()
        return cls(tty) if tty is not None else None

    def say(self, text: str) -> None:
        self.tty.write(text + "\n")
        self.tty.flush()

    def ask(self, prompt: str) -> str | None:
        """One answer line, None at end of input."""
        self.tty.write(prompt)
        self.tty.flush()
        line = self.tty.readline()
        return line.strip() if line else None


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--plan", required=True, metavar="FILE", help="the JSON plan to run; - reads it from stdin"
    )
    parser.add_argument("--host", help="the host, when the plan names none (default: default_host)")
    parser.add_argument(
        "--json", action="store_true", help="print a machine-readable summary on stdout"
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help="answer the plan-level confirmation; never action or typed",
    )


def _read_plan(source: str) -> Plan:
    from aiperm_tui.agent import protocol

    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{source}: cannot read the plan: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise BadJSONError(f"{source}: the plan is not UTF-8 text") from None
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BadJSONError(f"{source}: the plan is not valid JSON ({exc})") from None
    return protocol.parse_plan(obj, source="plan")


def _pick_host(plan: Plan, flag: str | None, config: Config) -> Plan:
    from aiperm_tui.broker import rules

    if plan.host and flag and plan.host != flag:
        raise UsageError(f"the plan names host {plan.host!r} but --host says {flag!r}")
    host = plan.host or flag or config.default_host
    if not host:
        raise UsageError("no host: the plan names none, no --host, no default_host")
    if not rules.host_known(config, host):
        raise UsageError(f"unknown host {host!r} (not in [hosts] nor ~/.ssh/config)")
    return dataclasses.replace(plan, host=host)


def _run(args: argparse.Namespace) -> int:
    from aiperm_tui.agent.hardening import make_non_dumpable
    from aiperm_tui.config import load_config

    make_non_dumpable()  # its memory holds keys and the audit key: closed to same-user peers
    config = load_config(args.config)
    plan = _pick_host(_read_plan(args.plan), args.host, config)
    return run_plan(config, plan, terminal=Terminal.open(), yes=args.yes, as_json=args.json)


def run_plan(
    config: Config,
    plan: Plan,
    *,
    terminal: Terminal | None,
    yes: bool = False,
    as_json: bool = False,
    pool: HostPool | None = None,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> int:
    """Gate, confirm and run one plan; returns the exit code. `pool` is for tests."""
    from aiperm_tui.broker import Broker
    from aiperm_tui.policy import PolicyEngine
    from aiperm_tui.session import Recorder

    out, err = out or sys.stdout, err or sys.stderr
    host = plan.host or ""
    recorder = Recorder.create(
        agent=["aiperm", "run"],
        hosts=[host],
        preset=config.preset_for(host),
        record_cap_bytes=config.output.record_cap_bytes,
        warn=lambda m: print(f"aiperm: warning: {m}", file=err),
        isolation="no agent",
        audit=config.audit,
    )
    if pool is None:
        from aiperm_tui.ssh import SSHPool, TerminalPrompts

        # no terminal: TerminalPrompts finds none either, so it refuses (exit 5)
        pool = SSHPool(config, TerminalPrompts(terminal.tty if terminal else None))
    printer = _Printer(out, err, quiet=as_json)
    broker = Broker(config, PolicyEngine(config), pool, recorder)
    try:
        plan_id = broker.submit(plan, printer.reply)
        if plan_id is None:
            return printer.refused()
        view = broker.plan(plan_id)
        if view.state == "pending":
            _collect(broker, view, terminal, yes, err)
        final = broker.wait(plan_id)
        assert final is not None  # wait without a timeout returns the finished plan
        if as_json:
            print(json.dumps(_summary(final, printer, recorder.session_id)), file=out)
        else:
            print(f"plan {final.id}: {final.status} (exit {final.exit_code})", file=err)
        return int(final.exit_code or 0)
    finally:
        broker.shutdown()
        pool.close()
        recorder.close()


def _collect(
    broker: Broker, view: PlanView, terminal: Terminal | None, yes: bool, err: IO[str]
) -> None:
    """Ask for every confirmation the plan needs, before anything of it runs."""
    levels = {a.needs for a in view.awaiting}
    if yes and "plan" in levels:
        broker.approve_plan(view.id, by="cli_flag", via="--yes")  # nobody answered
        levels.discard("plan")
    if levels and terminal is None:
        print(
            "aiperm: error: the plan needs a confirmation and there is no terminal to "
            "ask (nothing ran)",
            file=err,
        )
        broker.deny(view.id, message="no terminal to confirm on", by="system", via="no terminal")
        return
    if terminal is None:
        return
    _show(terminal, broker.plan(view.id))
    if "plan" in levels and not _ask_plan(broker, view.id, terminal):
        return
    for action in broker.plan(view.id).awaiting:
        if broker.plan(view.id).state != "pending":
            return  # fail_fast ended it at a refusal
        if action.needs == "typed":
            _ask_typed(broker, view.id, action.index, terminal)
        else:
            _ask_action(broker, view.id, action.index, action.command, terminal)


def _ask_plan(broker: Broker, plan_id: str, terminal: Terminal) -> bool:
    answer = terminal.ask("approve the plan-level actions of this plan? [y/N] ")
    if (answer or "").lower() in ("y", "yes"):
        broker.approve_plan(plan_id, via=TERMINAL)
        return True
    broker.deny(plan_id, message="refused by the operator", via=TERMINAL)
    return False


def _ask_action(broker: Broker, plan_id: str, index: int, command: str, terminal: Terminal) -> None:
    from aiperm_tui.textsafe import escape_control

    answer = terminal.ask(f"[{index}] {escape_control(command)}\n  type yes to run it: ")
    if answer is not None and answer.lower() == "y":  # a reflex, not a decision: say so
        answer = terminal.ask(
            "  a single y is not enough for a command: type the whole "
            "word yes to run it, anything else refuses: "
        )
    if answer == "yes":
        broker.approve(plan_id, index, via=TERMINAL)
    else:
        terminal.say(f'  refused [{index}]: the answer was not "yes"')
        broker.deny(plan_id, index, "refused by the operator", via=TERMINAL)


def _ask_typed(broker: Broker, plan_id: str, index: int, terminal: Terminal) -> None:
    from aiperm_tui.broker import WrongCode
    from aiperm_tui.textsafe import escape_control

    command = broker.plan(plan_id).actions[index].command
    code = broker.challenge(plan_id, index)
    terminal.say(
        f"[{index}] {escape_control(command)}\n  high risk: type the code {code} to run it"
    )
    for _ in range(TYPED_TRIES):
        answer = terminal.ask("  code: ")
        if answer is None:
            break
        try:
            broker.approve(plan_id, index, code=answer, via=TERMINAL)
            return
        except WrongCode:
            terminal.say("  wrong code")
    broker.deny(plan_id, index, "refused by the operator (no matching code)", via=TERMINAL)


def _show(terminal: Terminal, view: PlanView) -> None:
    """The plan as the operator must see it before answering (control chars escaped)."""
    from aiperm_tui.textsafe import escape_control

    terminal.say(
        f"plan {escape_control(view.id)} on {view.host}: "
        f"{escape_control(view.goal) or '(no goal given)'} [{view.strategy}]"
    )
    for a in view.actions:
        d = a.decision
        terminal.say(
            f"  [{a.index}] {escape_control(a.command, keep_newlines=False)}\n"
            f"      {d.decision}, confirm {d.confirm}, risk {d.risk.score} "
            f"({d.risk.blast_radius}): {escape_control(d.reason)}"
        )
        for f in d.findings:
            terminal.say(f"      - {f.severity}: {escape_control(f.message)}")


class _Printer:
    """Receives the broker's replies: prints results as they come (unless --json) and
    keeps them for the summary."""

    def __init__(self, out: IO[str], err: IO[str], *, quiet: bool) -> None:
        self.out, self.err, self.quiet = out, err, quiet
        self.messages: list[dict[str, Any]] = []

    def reply(self, message: dict[str, Any]) -> None:
        self.messages.append(message)
        show: Callable[[dict[str, Any]], None] | None = {
            "result": self._result,
            "decision": self._decision,
        }.get(message["type"])
        if show is not None and not self.quiet:
            show(message)
        if message["type"] == "result" and message.get("error"):
            self._failure(message)  # also with --json: stderr is free, and it says why

    def _result(self, m: dict[str, Any]) -> None:
        from aiperm_tui.textsafe import escape_control

        status = f"exit {m['exit_status']}" if m.get("error") is None else "failed"
        print(
            f"== [{m['action']}] $ {escape_control(m['cmd'], keep_newlines=False)}  "
            f"({status}, {m['duration_ms']} ms{', edited' if m['edited'] else ''})",
            file=self.out,
        )
        self.out.write(escape_control(m["stdout"]))
        self.out.flush()
        self.err.write(escape_control(m["stderr"]))
        self.err.flush()

    def _failure(self, m: dict[str, Any]) -> None:
        """A command that could not run or did not end (host key refused, connection
        refused, timeout...): one line naming the action and why."""
        from aiperm_tui.textsafe import escape_control

        print(
            f"aiperm: error: [{m['action']}] {escape_control(m['error'], keep_newlines=False)}",
            file=self.err,
        )

    def _decision(self, m: dict[str, Any]) -> None:
        from aiperm_tui.textsafe import escape_control

        if m["decision"] == "deny":
            print(f"denied [{m['action']}]: {escape_control(m['reason'])}", file=self.err)
            for s in m.get("suggestions") or ():
                print(f"  suggestion: {escape_control(s)}", file=self.err)

    def refused(self) -> int:
        """The request was refused as a whole: print its error line, return its code."""
        error = next(m for m in self.messages if m["type"] == "error")
        if self.quiet:
            print(json.dumps(error), file=self.out)
        from aiperm_tui.textsafe import escape_control

        print(
            f"aiperm: error: {escape_control(error['message'], keep_newlines=False)}", file=self.err
        )
        return int(error["code"])


def _summary(view: PlanView, printer: _Printer, session_id: str) -> dict[str, Any]:
    results = {m["action"]: m for m in printer.messages if m["type"] == "result"}
    actions = []
    for a in view.actions:
        r = results.get(a.index, {})
        actions.append(
            {
                "index": a.index,
                "cmd": a.cmd,
                "command": a.command,
                "edited": a.edited is not None,
                "state": a.state,
                "decision": a.decision.decision,
                "confirm": a.decision.confirm,
                "layer": a.decision.layer,
                "risk": {
                    "score": a.decision.risk.score,
                    "blast_radius": a.decision.risk.blast_radius,
                },
                "approved_by": a.approved_by,
                "denied_by": a.denied_by,
                "message": a.message,
                **{
                    k: r.get(k)
                    for k in (
                        "exit_status",
                        "stdout",
                        "stderr",
                        "truncated",
                        "duration_ms",
                        "error",
                    )
                },
            }
        )
    return {
        "id": view.id,
        "host": view.host,
        "goal": view.goal,
        "strategy": view.strategy,
        "status": view.status,
        "exit_code": view.exit_code,
        "session": session_id,
        "actions": actions,
    }


COMMANDS = [
    Subcommand(
        "run",
        "run a JSON plan through policy, confirmations and SSH",
        _configure,
        _run,
        description=__doc__ or "",
    ),
]
